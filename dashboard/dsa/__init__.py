"""EU DSA Transparency Database at full scale: the daily dumps (zip of zips of CSV parts, or Parquet), the
shared aggregation (queries/dsa/), the DuckDB importer and the Spark job, and loading the daily aggregates."""
