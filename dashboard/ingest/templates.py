"""The observatory's own upload templates: header plus one example row, downloadable from the page.

The columns, examples and labels are the templates' specs (dashboard.ingest.registry.TEMPLATES); the
README documents them ("Uploading data"): keep the two in step.
"""

from __future__ import annotations

import pandas as pd

from dashboard import csv_export
from dashboard.ingest.registry import TEMPLATES


def template_frame(name: str) -> pd.DataFrame:
    """The template as a one-row table, in the documented column order."""
    template = TEMPLATES[name]
    return pd.DataFrame([template.example()], columns=list(template.download_columns))


def template_csv(name: str) -> bytes:
    """The template as a CSV download (UTF-8 with BOM so Excel opens it right)."""
    return csv_export.to_csv_bytes(template_frame(name))
