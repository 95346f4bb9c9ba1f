-- dsa/statements_light: as dsa/statements_full, for a light dump, which has no territorial_scope column
-- (nor the free-text ones): the scope is unknown (null), so light days have no "Scope:" rows.
-- parameters: none
create or replace temporary view dsa_statements as
select
    cast(platform_name as string) as platform_name,
    cast(category as string) as category,
    cast(category_specification as string) as category_specification,
    cast(decision_visibility as string) as decision_visibility,
    cast(decision_ground as string) as decision_ground,
    cast(automated_detection as string) as automated_detection,
    cast(automated_decision as string) as automated_decision,
    cast(content_type as string) as content_type,
    cast(null as string) as territorial_scope,
    cast(created_at as string) as created_at
from dsa_parts
