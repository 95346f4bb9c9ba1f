"""Benchmark: page latency, ingestion, memory; pandas baseline."""
