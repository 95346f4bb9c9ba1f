-- benchmark_datasets: the datasets the benchmark generated in this database.
select
    dataset_id,
    kind
from datasets
where format = 'benchmark'
order by dataset_id
