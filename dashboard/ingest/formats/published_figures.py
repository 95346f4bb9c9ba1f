"""Published figures: one number a row with source, definition and citation (see data/real/published_figures.md).

``value_kind`` says how the source stated the number: exact, lower_bound ("over 800") or approximate
("about 1,100"); a file without the column is read as exact. ``apply_review`` lays a review file over
a parsed file: the compiler's checks of each figure (the address it was found at, a corrected metric, a
value kind, "unverified"), kept apart so the reviewed file itself stays byte for byte as published.
"""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, has_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = {"figure_id", "source", "metric", "value", "unit", "period_label"}
TEXT_COLUMNS = ("source_kind", "publication", "period_label", "country", "region", "platform",
                "definition", "citation_url", "confidence", "note")
VALUE_KINDS = {"exact", "lower_bound", "approximate"}
CONFIDENCE_UNVERIFIED = "unverified"
# review columns that replace the reviewed row's value where the review gives one
REVIEWED = ("citation_url", "confidence", "value_kind", "metric")


def parse(frame: pd.DataFrame) -> Parsed:
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns if c != v.ROW})
    problems: list[Problem] = []
    v.duplicates(frame, "figure_id", problems)
    out = pd.DataFrame({
        "figure_id": v.text(frame, "figure_id", problems, required=True),
        "source": v.text(frame, "source", problems, required=True),
        "published_on": v.date(frame, "published_on", problems, required=False),
        "period_start": v.date(frame, "period_start", problems, required=False),
        "period_end": v.date(frame, "period_end", problems, required=False),
        "group_name": v.text(frame, "group", problems) if "group" in frame else None,
        "metric": v.text(frame, "metric", problems, required=True),
        "value": v.number(frame, "value", problems, required=True),
        "unit": v.choice(frame, "unit", {"count", "fraction"}, problems),
        **{c: v.text(frame, c, problems, max_length=2000) if c in frame else None for c in TEXT_COLUMNS},
        "value_kind": (v.choice(frame, "value_kind", VALUE_KINDS, problems, required=False).fillna("exact")
                       if "value_kind" in frame else "exact"),
    })
    return FORMAT.result(frame, out, problems)


def apply_review(parsed: Parsed, review: pd.DataFrame) -> Parsed:
    """The parsed figures with a review laid over them: for each reviewed figure_id, every non-blank
    value of the review's citation_url, confidence, value_kind and metric replaces the file's. Pure.
    A review row naming a figure the file does not hold is a problem (a typo would silently do nothing)."""
    review = review.fillna("").astype(str).apply(lambda c: c.str.strip())
    frame = parsed.frame.copy()
    problems = list(parsed.problems)
    known = set(frame["figure_id"])
    for row_number, figure_id in enumerate(review["figure_id"], start=2):
        if figure_id not in known:
            problems.append(Problem(row_number, "figure_id", figure_id, "the review names a figure the file does not hold"))
    by_id = review.drop_duplicates("figure_id", keep="last").set_index("figure_id")
    for column in REVIEWED:
        if column not in by_id:
            continue
        given = by_id[column][by_id[column] != ""]
        hit = frame["figure_id"].isin(given.index)
        frame.loc[hit, column] = frame.loc[hit, "figure_id"].map(given)
    wrong = frame["value_kind"].notna() & ~frame["value_kind"].isin(VALUE_KINDS)
    for figure_id, value in frame.loc[wrong, ["figure_id", "value_kind"]].itertuples(index=False):
        problems.append(Problem(None, "value_kind", value, f"review of {figure_id}: not one of {sorted(VALUE_KINDS)}"))
    return Parsed(parsed.format, parsed.kind, frame, problems, rows_read=parsed.rows_read)


FORMAT = Format(
    name="published_figures",
    label="Published figures (one cited number a row)",
    kind="figures",
    detect=lambda columns: has_columns(columns, REQUIRED),
    parse=parse,
    required=frozenset(REQUIRED),
)
