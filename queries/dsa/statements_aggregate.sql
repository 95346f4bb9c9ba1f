-- dsa/statements_aggregate: EU DSA statements of reasons (the view dsa_statements, one row a statement, text
-- columns) counted into rows shaped like content_metrics: per platform, policy area, breakdown and UTC day.
-- The one aggregation shared by the DuckDB importer and the Spark job (dashboard/dsa/spark_job.py): keep it
-- portable (plain SQL that DuckDB and Spark SQL both run; tests/test_dsa_scale.py runs it on both).
-- Policy area: the statement's category ("Risk for public security"), and again "Terrorist content (keyword)"
-- for statements whose category_specification lists KEYWORD_TERRORIST_CONTENT (so that series has every
-- breakdown too). Breakdown: null (all statements), then one row per value of each of these, counted apart:
-- "Visibility: ", "Keyword: ", "Content type: " (one per entry of the JSON array: a statement can count under
-- several), "Ground: ", "Automated detection: ", "Automated decision: " and "Scope: " (territorial scope:
-- all EEA countries, all EU member states, one country, or several; full dumps only).
-- parameters: none
with grouped as (
    -- statements that agree on every field counted below are counted once here: a day's millions of rows
    -- become some thousands of combinations, and the string work below runs on those, not on every row
    select
        platform_name,
        category,
        substr(trim(created_at), 1, 10) as day_text,
        decision_visibility,
        category_specification,
        content_type,
        territorial_scope,
        decision_ground,
        automated_detection,
        automated_decision,
        count(*) as statements
    from dsa_statements
    group by
        platform_name,
        category,
        substr(trim(created_at), 1, 10),
        decision_visibility,
        category_specification,
        content_type,
        territorial_scope,
        decision_ground,
        automated_detection,
        automated_decision
),

statements as (
    -- trimmed codes, JSON arrays without spaces after commas
    select
        trim(platform_name) as platform,
        trim(category) as category_code,
        try_cast(day_text as date) as day,
        nullif(replace(trim(decision_visibility), '", "', '","'), '') as visibility_codes,
        nullif(replace(trim(category_specification), '", "', '","'), '') as keyword_codes,
        nullif(replace(trim(content_type), '", "', '","'), '') as content_codes,
        nullif(replace(trim(territorial_scope), '", "', '","'), '') as scope_codes,
        nullif(trim(decision_ground), '') as ground_code,
        nullif(trim(automated_detection), '') as detection_code,
        nullif(trim(automated_decision), '') as decision_code,
        statements
    from grouped
    where nullif(trim(platform_name), '') is not null
        and nullif(trim(category), '') is not null
),

sized as (
    -- entries in each JSON array (codes hold no commas); 0 for a blank or empty array
    select
        *,
        case when visibility_codes is null or visibility_codes = '[]' then 0
            else length(visibility_codes) - length(replace(visibility_codes, ',', '')) + 1 end as visibility_n,
        case when keyword_codes is null or keyword_codes = '[]' then 0
            else length(keyword_codes) - length(replace(keyword_codes, ',', '')) + 1 end as keyword_n,
        case when content_codes is null or content_codes = '[]' then 0
            else length(content_codes) - length(replace(content_codes, ',', '')) + 1 end as content_n,
        case when scope_codes is null or scope_codes = '[]' then 0
            else length(scope_codes) - length(replace(scope_codes, ',', '')) + 1 end as scope_n,
        case when keyword_codes like '%"KEYWORD_TERRORIST_CONTENT"%' then 1 else 0 end as is_terrorist
    from statements
    where day is not null
),

lengths as (
    -- how many entries a JSON array can have here: 0 to 12 (the code lists are shorter; longer arrays
    -- would be cut at 12)
    select v from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) as lengths(v)
),

slot_kinds as (
    -- what a statement counts under: the total and each single-valued field once, array entries by position
    select
        kinds.kind,
        positions.p
    from (values ('total'), ('ground'), ('detection'), ('decision'), ('scope'), ('visibility'), ('keyword'),
                 ('content')) as kinds(kind)
    cross join (values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12)) as positions(p)
    where positions.p = 1 or kinds.kind in ('visibility', 'keyword', 'content')
),

slots as (
    -- every slot for every shape of statement (terrorist keyword or not; array lengths), so that the
    -- statements join it on equal keys (a hash join in both engines) in a single pass: area 1 is the
    -- statement's category, area 2 terrorist content (keyword)
    select
        terrorist.v as is_terrorist,
        vn.v as visibility_n,
        kn.v as keyword_n,
        cn.v as content_n,
        areas.area,
        slot_kinds.kind,
        slot_kinds.p
    from (values (0), (1)) as terrorist(v)
    cross join lengths as vn
    cross join lengths as kn
    cross join lengths as cn
    cross join (values (1), (2)) as areas(area)
    cross join slot_kinds
    where (areas.area = 1 or terrorist.v = 1)
        and (slot_kinds.kind in ('total', 'ground', 'detection', 'decision', 'scope')
            or (slot_kinds.kind = 'visibility' and slot_kinds.p <= vn.v)
            or (slot_kinds.kind = 'keyword' and slot_kinds.p <= kn.v)
            or (slot_kinds.kind = 'content' and slot_kinds.p <= cn.v))
),

counted_under as (
    select
        s.platform,
        case when slots.area = 2 then 'KEYWORD_TERRORIST_CONTENT' else s.category_code end as area_code,
        s.day,
        slots.kind,
        case slots.kind
            when 'ground' then s.ground_code
            when 'detection' then s.detection_code
            when 'decision' then s.decision_code
            when 'scope' then case
                when s.scope_n = 0 then null
                when s.scope_n = 1 then substr(s.scope_codes, 3, 2)
                when s.scope_n >= 30 then 'EEA'
                when s.scope_n = 27 and s.scope_codes not like '%"NO"%' then 'EU'
                else 'SEVERAL' end
            when 'visibility' then trim(replace(replace(replace(
                split_part(s.visibility_codes, '","', slots.p), '[', ''), ']', ''), '"', ''))
            when 'keyword' then trim(replace(replace(replace(
                split_part(s.keyword_codes, '","', slots.p), '[', ''), ']', ''), '"', ''))
            when 'content' then trim(replace(replace(replace(
                split_part(s.content_codes, '","', slots.p), '[', ''), ']', ''), '"', ''))
        end as code,
        s.statements
    from sized as s
    join slots
        on slots.is_terrorist = s.is_terrorist
        and slots.visibility_n = s.visibility_n
        and slots.keyword_n = s.keyword_n
        and slots.content_n = s.content_n
),

counts as (
    -- counted on the raw codes; the readable labels are made once per group below, not once per statement
    select
        platform,
        area_code,
        day,
        kind,
        code,
        sum(statements) as statements
    from counted_under
    where kind = 'total' or code is not null
    group by platform, area_code, day, kind, code
),

labelled as (
    select
        platform,
        case
            when area_code = 'KEYWORD_TERRORIST_CONTENT' then 'Terrorist content (keyword)'
            when area_code = 'STATEMENT_CATEGORY_OTHER_VIOLATION_TC' then 'Other violation of terms and conditions'
            else upper(substr(replace(area_code, 'STATEMENT_CATEGORY_', ''), 1, 1))
                || lower(replace(substr(replace(area_code, 'STATEMENT_CATEGORY_', ''), 2), '_', ' '))
        end as policy_area,
        day,
        case kind
            when 'total' then ''
            when 'ground' then 'Ground: '
            when 'detection' then 'Automated detection: '
            when 'decision' then 'Automated decision: '
            when 'scope' then 'Scope: '
            when 'visibility' then 'Visibility: '
            when 'keyword' then 'Keyword: '
            when 'content' then 'Content type: '
        end as label,
        case kind
            when 'ground' then replace(code, 'DECISION_GROUND_', '')
            when 'decision' then replace(code, 'AUTOMATED_DECISION_', '')
            when 'visibility' then replace(code, 'DECISION_VISIBILITY_', '')
            when 'keyword' then replace(code, 'KEYWORD_', '')
            when 'content' then replace(code, 'CONTENT_TYPE_', '')
            else code
        end as short_code,
        kind,
        statements
    from counts
)

select
    platform,
    policy_area,
    'Statements of reasons' as metric,
    case
        when kind = 'total' then null
        when kind = 'scope' and short_code = 'EEA' then 'Scope: all EEA countries'
        when kind = 'scope' and short_code = 'EU' then 'Scope: all EU member states'
        when kind = 'scope' and short_code = 'SEVERAL' then 'Scope: several countries'
        when kind = 'scope' then 'Scope: ' || short_code || ' only'
        when kind = 'detection' then label || short_code
        else label || upper(substr(short_code, 1, 1)) || lower(replace(substr(short_code, 2), '_', ' '))
    end as breakdown,
    day as period_start,
    day as period_end,
    cast(day as string) as period_label,
    'EU' as market,
    cast(sum(statements) as double) as value,
    'count' as unit
from labelled
group by platform, policy_area, kind, label, short_code, day
