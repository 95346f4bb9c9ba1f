-- refresh_living: mark the current row of each event of one living series (newest source timestamp among
-- active datasets wins; a tie goes to the later upload). Run after every load, retract or restore of it.
-- parameters: $living_key
update incidents
set is_current = ranked.is_current
from (
    select
        i.dataset_id,
        i.source_event_id,
        d.status = 'active'
            and row_number() over (
                partition by i.source_event_id
                order by
                    d.status = 'active' desc,
                    i.source_updated_at desc nulls last,
                    i.dataset_id desc
            ) = 1 as is_current
    from incidents as i
    join datasets as d
        on d.dataset_id = i.dataset_id
    where d.living_key = $living_key
        and i.source_event_id is not null
) as ranked
where incidents.dataset_id = ranked.dataset_id
    and incidents.source_event_id = ranked.source_event_id
    and incidents.is_current is distinct from ranked.is_current
