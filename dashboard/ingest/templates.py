"""The observatory's own upload templates: header plus one example row, downloadable from the page.

The columns and types are documented in README.md ("Uploading data"); keep the two in step.
"""

from __future__ import annotations

import pandas as pd

from dashboard import csv_export
from dashboard.ingest.formats import (
    native_complaints,
    native_content_metrics,
    native_events,
)

# template name -> (label, one example row in column order). The example is plainly an example.
EXAMPLES: dict[str, tuple[str, dict[str, str]]] = {
    native_events.FORMAT.name: ("Events template", {
        "event_id": "EX-0001", "event_date": "2024-03-01", "date_precision": "day", "country": "Pakistan",
        "region": "Khyber Pakhtunkhwa", "district": "Peshawar", "location": "Example town", "latitude": "34.01",
        "longitude": "71.58", "group": "Tehrik-i-Taliban Pakistan", "event_type": "Armed attack",
        "sub_event_type": "Attack on police", "events": "1", "killed": "2", "injured": "3"}),
    native_content_metrics.FORMAT.name: ("Content metrics template", {
        "platform": "TikTok", "policy_area": "Violent extremism", "metric": "Videos removed",
        "breakdown": "", "period_start": "2024-01-01", "period_end": "2024-03-31", "period_label": "2024Q1",
        "market": "Pakistan", "value": "12000", "unit": "count"}),
    native_complaints.FORMAT.name: ("Complaints template", {
        "complaint_id": "EX-C-0001", "platform": "Facebook", "category": "Terrorist propaganda",
        "group": "Tehrik-i-Taliban Pakistan", "region": "Punjab", "submitted_at": "2024-03-01 10:00:00",
        "resolved_at": "2024-03-02 09:30:00", "outcome": "removed", "items": "1"}),
}
COLUMNS = {
    native_events.FORMAT.name: native_events.COLUMNS,
    native_content_metrics.FORMAT.name: native_content_metrics.COLUMNS,
    native_complaints.FORMAT.name: native_complaints.COLUMNS,
}


def template_frame(name: str) -> pd.DataFrame:
    """The template as a one-row table, in the documented column order."""
    _, example = EXAMPLES[name]
    return pd.DataFrame([example], columns=list(COLUMNS[name]))


def template_csv(name: str) -> bytes:
    """The template as a CSV download (UTF-8 with BOM so Excel opens it right)."""
    return csv_export.to_csv_bytes(template_frame(name))
