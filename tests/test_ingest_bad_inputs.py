"""The bad-input corpus (tests/bad_inputs, made by make_corpus.py): every file is refused with a message
that names its problem, as a typed IngestError (never a traceback), and the database is unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard import db
from dashboard.ingest import pipeline
from dashboard.ingest.load import load
from dashboard.ingest.model import IngestError

CORPUS = Path(__file__).resolve().parent / "bad_inputs"


def expected_outcomes() -> dict[str, str]:
    with open(CORPUS / "expected.csv", encoding="utf-8", newline="") as stream:
        return {row["file"]: row["expected"] for row in csv.DictReader(stream)}


EXPECTED = expected_outcomes()
TABLES = ("datasets", "incidents", "content_metrics", "complaints", "published_figures", "region_aliases",
          "group_aliases", "platform_aliases")


def snapshot(con) -> tuple:
    """Row counts of every table the loader writes, the whole catalog, and the data version."""
    counts = tuple(con.execute("select count(*) from " + table).fetchone()[0] for table in TABLES)
    catalog = con.execute("select * from datasets order by dataset_id").fetchall()
    return counts, catalog, db.data_version(con)


def attempt(con, path: Path) -> None:
    """What the page does with an upload, all-or-nothing: prepare, then load."""
    prepared = pipeline.prepare(path.read_bytes(), path.name)
    meta = pipeline.meta_for(prepared, name=path.stem, source="", licence="", attribution="", loaded_by="tester")
    load(con, meta, prepared.parsed)


def test_the_corpus_is_large_enough_and_complete():
    files = {p.name for p in CORPUS.iterdir() if p.name not in {"expected.csv", "make_corpus.py"} and p.is_file()}
    assert len(EXPECTED) >= 40 and files == set(EXPECTED)


@pytest.fixture(scope="module")
def corpus_con(tmp_path_factory, default_db_file):
    import shutil

    target = tmp_path_factory.mktemp("bad") / "observatory.duckdb"
    shutil.copy2(default_db_file, target)
    connection = db.connect(target)
    yield connection
    connection.close()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_is_refused_with_its_reason_and_changes_nothing(corpus_con, name):
    before = snapshot(corpus_con)
    with pytest.raises(IngestError) as caught:
        attempt(corpus_con, CORPUS / name)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(EXPECTED[name] in message for message in messages), messages
    assert snapshot(corpus_con) == before


def test_formula_and_markup_cells_are_refused_by_row_column_and_value(corpus_con):
    with pytest.raises(IngestError) as caught:
        attempt(corpus_con, CORPUS / "formula_hyperlink.csv")
    problem = caught.value.problems[0]
    assert (problem.row, problem.column) == (2, "group") and problem.value.startswith("=HYPERLINK(")


def test_the_report_download_neutralises_formulas():
    problems = pipeline.prepare((CORPUS / "formula_plus_cmd.csv").read_bytes(), "x.csv").parsed.problems
    report = pipeline.report_csv(problems).decode("utf-8-sig")
    assert "'+cmd|" in report and ",+cmd" not in report
