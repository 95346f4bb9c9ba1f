"""The shipped sample complaints log is exactly what the seeded generator makes."""

from __future__ import annotations

from dashboard import sample_complaints


def test_generator_reproduces_the_shipped_file_byte_for_byte():
    assert sample_complaints.to_csv(sample_complaints.generate()) == sample_complaints.OUTPUT.read_bytes()


def test_another_seed_gives_another_sample():
    assert sample_complaints.generate(1)[:50] != sample_complaints.generate()[:50]


def test_sample_covers_2023_to_2025_and_every_platform():
    rows = sample_complaints.generate()
    assert {r["submitted_at"][:4] for r in rows} == {"2023", "2024", "2025"}
    assert {r["platform"] for r in rows} == set(sample_complaints.PROFILES)
    assert all(r["complaint_id"].startswith("SAMPLE-") for r in rows)
