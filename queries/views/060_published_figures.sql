-- Published figures of active datasets, each with the name of its dataset and its place in the one order
-- that says which figure wins where a source published several numbers for the same thing (an early lower
-- bound, then the restated figure; two outlets): the exact figure beats an approximate one beats a lower
-- bound; reported beats derived beats weak beats the rest (unverified); then the latest publication.
-- A query keeps one figure per source and period with
--     row_number() over (partition by ... order by preference) = 1
-- preference orders all figures at once, so it orders any subset the same way.
create or replace view active_published_figures as
select
    f.* replace (coalesce(f.value_kind, 'exact') as value_kind),
    d.name as dataset,
    row_number() over (
        order by
            case coalesce(f.value_kind, 'exact') when 'exact' then 0 when 'approximate' then 1 else 2 end,
            case f.confidence when 'reported' then 0 when 'derived' then 1 when 'weak' then 2 else 3 end,
            f.published_on desc nulls last,
            f.figure_id,
            f.dataset_id
    ) as preference
from published_figures as f
join active_datasets as d
    on d.dataset_id = f.dataset_id;
