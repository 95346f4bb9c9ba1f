"""EU Digital Services Act Transparency Database: statements of reasons (the daily dump's CSV).

One statement a row is far finer than the observatory's content metrics, so statements are counted by
queries/dsa/statements_aggregate.sql, the same SQL the Spark job runs on the full daily dumps: one
``content_metrics`` row per platform, category (the policy area; "Terrorist content (keyword)" again for
statements with that keyword) and UTC day of ``created_at``, metric "Statements of reasons", market "EU",
a total row (no breakdown) and rows by visibility decision, keyword, content type, ground, automated
detection and decision, and territorial scope (see the SQL). The cells are checked here first, so a bad
cell is reported with its row, column and value. Codes are made readable: STATEMENT_CATEGORY_SCAMS_AND_FRAUD
-> "Scams and fraud".
"""

from __future__ import annotations

import json

import pandas as pd

from dashboard import db
from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = frozenset({"uuid", "decision_visibility", "decision_ground", "category", "platform_name", "created_at"})
OPTIONAL = frozenset({"automated_decision", "automated_detection", "category_specification", "content_type",
                      "territorial_scope"})
# what the shared aggregation reads (queries/dsa/statements_full.sql); absent optional columns are null
STATEMENT_COLUMNS = ("platform_name", "category", "category_specification", "decision_visibility", "decision_ground",
                     "automated_detection", "automated_decision", "content_type", "territorial_scope", "created_at")
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "iso8601")
METRIC = "Statements of reasons"
TERRORIST_AREA = "Terrorist content (keyword)"  # the same statements again, beside their category
_PREFIXES = ("STATEMENT_CATEGORY_", "DECISION_VISIBILITY_", "DECISION_GROUND_", "AUTOMATED_DECISION_")
_SPELLED_OUT = {"OTHER_VIOLATION_TC": "OTHER_VIOLATION_OF_TERMS_AND_CONDITIONS"}


def readable(code: str) -> str:
    """DSA code -> words: 'DECISION_VISIBILITY_CONTENT_REMOVED' -> 'Content removed'."""
    for prefix in _PREFIXES:
        if code.startswith(prefix):
            code = code[len(prefix):]
            break
    code = _SPELLED_OUT.get(code, code)
    words = code.replace("_", " ").strip().lower()
    return words[:1].upper() + words[1:]


def json_list(frame: pd.DataFrame, column: str, problems: list[Problem]) -> pd.Series:
    """A cell holding a JSON array of strings ('["A","B"]') -> list; blank -> []."""
    raw = frame[column].astype("str").str.strip()
    parsed = {}
    for value in raw.unique():
        try:
            items = json.loads(value) if value else []
        except ValueError:
            items = None
        ok = isinstance(items, list) and all(isinstance(i, str) for i in items)
        parsed[value] = items if ok else None
    lists = raw.map(parsed)
    v.report(frame, lists.isna(), column, 'is not a JSON array of codes such as ["DECISION_VISIBILITY_'
                                          'CONTENT_REMOVED"]', problems)
    return lists


def parse(frame: pd.DataFrame) -> Parsed:
    frame = lower_columns(frame)
    problems: list[Problem] = []
    v.duplicates(frame, "uuid", problems)
    v.text(frame, "platform_name", problems, required=True)
    v.text(frame, "category", problems, required=True, max_length=200)
    day = v.date(frame, "created_at", problems, formats=TIMESTAMP_FORMATS)
    json_list(frame, "decision_visibility", problems)
    v.text(frame, "decision_ground", problems, max_length=200)
    for column in ("automated_decision", "automated_detection"):
        if column in frame:
            v.text(frame, column, problems, max_length=200)
    bad = {p.row for p in problems}
    keep = ~frame[v.ROW].isin(bad)
    # The statements as the dump's text cells, created_at made the UTC day (time zones read above), counted
    # by the SQL the Spark job runs on the daily dumps: one aggregation for uploads and dumps.
    statements = pd.DataFrame({c: frame.get(c) for c in STATEMENT_COLUMNS})[keep]
    statements["created_at"] = day[keep].dt.strftime("%Y-%m-%d")
    counts = aggregate_statements(statements)
    counts.insert(0, v.ROW, 0)  # aggregates of valid statements: no spreadsheet row of their own
    return Parsed(FORMAT.name, FORMAT.kind, counts, problems, rows_read=len(frame))


def aggregate_statements(statements: pd.DataFrame) -> pd.DataFrame:
    """queries/dsa/statements_aggregate.sql over statements (text columns) in an in-memory DuckDB."""
    con = db.connect(":memory:")
    try:
        with con.cursor() as cur:
            cur.register("dsa_parts", statements.astype(object).where(statements.notna(), None))
            db.execute(cur, "dsa/statements_full")
            counts = db.execute(cur, "dsa/statements_aggregate").df()
    finally:
        con.close()
    for column in ("period_start", "period_end"):
        counts[column] = pd.to_datetime(counts[column]).astype("datetime64[us]")
    return counts.sort_values(["period_start", "platform", "policy_area", "breakdown"], na_position="first",
                              kind="stable").reset_index(drop=True)


FORMAT = Format(
    name="eu_dsa_sor",
    label="EU DSA Transparency Database: statements of reasons",
    kind="content_metrics",
    detect=lambda columns: {c.strip().lower() for c in columns} >= REQUIRED,
    parse=parse,
    required=REQUIRED,
    columns=REQUIRED | OPTIONAL,
    source="EU DSA Transparency Database",
    licence="European Commission reuse policy (Decision 2011/833/EU)",
)
