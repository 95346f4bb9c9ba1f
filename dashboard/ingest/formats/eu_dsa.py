"""EU Digital Services Act Transparency Database: statements of reasons (the daily dump's CSV).

One statement a row is far finer than the observatory's content metrics, so statements are counted:
one ``content_metrics`` row per platform, category (the policy area) and UTC day of ``created_at``,
with metric "Statements of reasons" and these breakdowns, each a separate row:
- none (all statements),
- "Visibility: <decision>" for each entry of the JSON array in ``decision_visibility``
  (a statement can carry several, so these rows can add up to more than the total),
- "Ground: <decision_ground>" and "Automated decision: <automated_decision>".
Market is "EU". Codes are made readable: STATEMENT_CATEGORY_SCAMS_AND_FRAUD -> "Scams and fraud".
"""

from __future__ import annotations

import json

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, lower_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = frozenset({"uuid", "decision_visibility", "decision_ground", "category", "platform_name", "created_at"})
OPTIONAL = frozenset({"automated_decision"})
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "iso8601")
METRIC = "Statements of reasons"
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
    rows = pd.DataFrame({
        v.ROW: frame[v.ROW],
        "platform": v.text(frame, "platform_name", problems, required=True),
        "policy_area": v.text(frame, "category", problems, required=True, max_length=200),
        "day": v.date(frame, "created_at", problems, formats=TIMESTAMP_FORMATS),
        "visibility": json_list(frame, "decision_visibility", problems),
        "ground": v.text(frame, "decision_ground", problems, max_length=200),
        "automated": (v.text(frame, "automated_decision", problems, max_length=200)
                      if "automated_decision" in frame else None),
    })
    bad = {p.row for p in problems}
    rows = rows[~rows[v.ROW].isin(bad)]
    rows["policy_area"] = rows["policy_area"].map(readable)
    keys = ["platform", "policy_area", "day"]
    parts = [_count(rows, keys, None)]
    visibility = rows.explode("visibility").dropna(subset=["visibility"])
    parts.append(_count(visibility.assign(b="Visibility: " + visibility["visibility"].map(readable)), keys, "b"))
    grounds = rows.dropna(subset=["ground"])
    parts.append(_count(grounds.assign(b="Ground: " + grounds["ground"].map(readable)), keys, "b"))
    if "automated_decision" in frame:
        auto = rows.dropna(subset=["automated"])
        parts.append(_count(auto.assign(b="Automated decision: " + auto["automated"].map(readable)), keys, "b"))
    counts = pd.concat(parts, ignore_index=True)
    out = pd.DataFrame({
        v.ROW: counts[v.ROW],
        "platform": counts["platform"],
        "policy_area": counts["policy_area"],
        "metric": METRIC,
        "breakdown": counts["breakdown"],
        "period_start": counts["day"],
        "period_end": counts["day"],
        "period_label": counts["day"].dt.strftime("%Y-%m-%d"),
        "market": "EU",
        "value": counts["value"].astype("float64"),
        "unit": "count",
    })
    return Parsed(FORMAT.name, FORMAT.kind, out, problems, rows_read=len(frame))


def _count(rows: pd.DataFrame, keys: list[str], breakdown: str | None) -> pd.DataFrame:
    """Statements per key (and breakdown); ``_row`` is the first statement's row, for reference."""
    by = keys + ([breakdown] if breakdown else [])
    counted = rows.groupby(by, dropna=False, sort=True).agg(value=(v.ROW, "size"), _row=(v.ROW, "min"))
    counted = counted.reset_index()
    counted["breakdown"] = counted[breakdown] if breakdown else None
    return counted[keys + ["breakdown", "value", v.ROW]]


FORMAT = Format(
    name="eu_dsa_sor",
    label="EU DSA Transparency Database: statements of reasons",
    kind="content_metrics",
    detect=lambda columns: REQUIRED <= {c.strip().lower() for c in columns},
    parse=parse,
    required=REQUIRED,
    columns=REQUIRED | OPTIONAL,
    source="EU DSA Transparency Database",
    licence="European Commission reuse policy (Decision 2011/833/EU)",
)
