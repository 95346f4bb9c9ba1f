-- incidents_by_group_year: events per year for the $top_n armed groups involved in most events (per source);
-- the rest are one 'Other groups' series and state forces (actor_kind 'state': a government's own forces,
-- e.g. an interstate clash) one 'State forces' series, never ranked among groups; so a stacked chart still
-- adds up to the source's total. short_name labels legends.
-- parameters: $filters (the global filters: period, regions, groups, event types, event datasets)
--             $top_n (how many groups get their own series)
with by_group_year as (
    select
        dataset_id,
        source,
        coalesce(group_name, 'Unknown') as group_name,
        year(event_date) as year,
        sum(events) as events,
        sum(killed) as killed
    from incident_cells_in($filters)
    group by all
),
ranked as (
    select
        b.dataset_id,
        b.group_name,
        coalesce(g.actor_kind, '') = 'state' as is_state,
        row_number() over (
            partition by b.dataset_id, coalesce(g.actor_kind, '') = 'state'
            order by sum(b.events) desc, b.group_name
        ) as rank
    from by_group_year as b
    left join groups as g
        on g.group_name = b.group_name
    group by b.dataset_id, b.group_name, g.actor_kind
)
select
    b.dataset_id,
    b.source,
    b.year,
    case
        when r.is_state then 'State forces'
        when r.rank <= $top_n then b.group_name
        else 'Other groups'
    end as group_name,
    case
        when r.is_state then 'State forces'
        when r.rank <= $top_n then coalesce(g.short_name, b.group_name)
        else 'Other groups'
    end as short_name,
    sum(b.events) as events,
    sum(b.killed) as killed
from by_group_year as b
join ranked as r
    on r.dataset_id = b.dataset_id
    and r.group_name = b.group_name
left join groups as g
    on g.group_name = b.group_name
group by all
order by b.source, b.year, events desc
