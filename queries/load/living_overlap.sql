-- living_overlap: how the staged events of an upload compare with the current rows of the same living
-- series: new, newer than loaded (replace it), same version, older (stays hidden), and loaded events the
-- upload does not contain (kept: absence is not taken as deletion).
-- parameters: $living_key; reads the registered frame staging(source_event_id, source_updated_at)
with current_rows as (
    select
        i.source_event_id,
        coalesce(i.source_updated_at, -1) as updated_at
    from incidents as i
    join active_datasets as d
        on d.dataset_id = i.dataset_id
    where d.living_key = $living_key
        and i.is_current
),
incoming as (
    select
        source_event_id,
        coalesce(source_updated_at, -1) as updated_at
    from staging
)
select
    count(*) filter (where c.source_event_id is null) as new_events,
    count(*) filter (where n.updated_at > c.updated_at) as newer_events,
    count(*) filter (where n.updated_at = c.updated_at) as same_events,
    count(*) filter (where n.updated_at < c.updated_at) as older_events,
    (
        select count(*)
        from current_rows as k
        where not exists (
            select 1
            from incoming as m
            where m.source_event_id = k.source_event_id
        )
    ) as absent_events
from incoming as n
left join current_rows as c
    on c.source_event_id = n.source_event_id
