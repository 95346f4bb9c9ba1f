-- datasets_integrity: per dataset, the rows its catalog entry promises and the fact rows actually stored,
-- computed in one statement (one snapshot). They differ only if a load was half-applied.
-- parameters: none
with stored as (
    select dataset_id, count(*) as fact_rows from incidents group by all
    union all
    select dataset_id, count(*) from complaints group by all
    union all
    select dataset_id, count(*) from content_metrics group by all
    union all
    select dataset_id, count(*) from published_figures group by all
)
select
    d.dataset_id,
    d.kind,
    d.status,
    d.row_count,
    coalesce(sum(s.fact_rows), 0) as fact_rows
from datasets as d
left join stored as s
    on s.dataset_id = d.dataset_id
group by all
order by d.dataset_id
