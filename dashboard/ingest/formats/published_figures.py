"""Published figures: one number a row with source, definition and citation (see data/real/published_figures.md)."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import validate as v
from dashboard.ingest.formats import Format, has_columns
from dashboard.ingest.model import Parsed, Problem

REQUIRED = {"figure_id", "source", "metric", "value", "unit", "period_label"}
TEXT_COLUMNS = ("source_kind", "publication", "period_label", "country", "region", "platform",
                "definition", "citation_url", "confidence", "note")


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
    })
    return FORMAT.result(frame, out, problems)


FORMAT = Format(
    name="published_figures",
    label="Published figures (one cited number a row)",
    kind="figures",
    detect=lambda columns: has_columns(columns, REQUIRED),
    parse=parse,
    required=frozenset(REQUIRED),
)
