-- published_figures_countries: the country each source's national figures describe, per metric and source
-- (the briefing's sentences name it: "Attacks in Pakistan rose ..."); a source that covers several
-- countries lists them all.
-- parameters: $metrics (text list)
select
    metric,
    source,
    string_agg(distinct country, ', ' order by country) as country
from active_published_figures
where region is null
    and group_name is null
    and country is not null
    and list_contains($metrics::varchar[], metric)
group by all
order by metric, source
