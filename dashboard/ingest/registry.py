"""The registry of formats: every format an upload can be in, in detection order, and the templates among
them. Detection, the upload page's list, the mapping step, the template downloads and the default data's
formats all read it; a new format is a module under formats/ and one line here."""

from __future__ import annotations

from dashboard.ingest.formats import (
    Format,
    Template,
    acled_events,
    acled_weekly,
    eu_dsa,
    gtd,
    meta_cser,
    native_complaints,
    native_content_metrics,
    native_events,
    published_figures,
    tiktok_cge,
    ucdp_ged,
)

# Most specific first: the first format whose required columns are all present wins.
FORMATS: tuple[Format, ...] = (
    acled_events.FORMAT, acled_weekly.FORMAT, gtd.FORMAT, ucdp_ged.FORMAT, eu_dsa.FORMAT, meta_cser.FORMAT,
    tiktok_cge.FORMAT, native_events.FORMAT, native_content_metrics.FORMAT, native_complaints.FORMAT,
    published_figures.FORMAT,
)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
# The observatory's own templates: what an unknown header can be mapped onto, and the downloads.
TEMPLATES: dict[str, Template] = {t.format.name: t for t in (
    native_events.TEMPLATE, native_content_metrics.TEMPLATE, native_complaints.TEMPLATE)}
