"""What a one-page briefing says, worked out from the data: key findings, sources, permalink, data hash.

Pure: no Streamlit, no rendering. Every number in a finding comes from a named query at the moment the
briefing is made; the sentences are templates, so nobody writes a number by hand. Each sentence ends
with its source in parentheses, and a sentence built on synthetic data says so first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import segno

from dashboard import published
from dashboard.charts import ChartText
from dashboard.filters import Filters
from dashboard.frames import records

MAX_CHARTS = 6
MAX_TITLE = 120
MAX_NOTE = 600
FINDING_METRICS = ("attacks", "deaths")   # published national counts stated as a change, in this order
DEADLINE_HOURS = 48.0                     # complaints_by_dimension needs one; compliance does not depend on it
NOT_A_NAME = ("Unknown", "Other groups")
SAMPLE_PREFIX = "Sample data (synthetic): "

Query = Callable[..., pd.DataFrame]  # run a named query with bound parameters: query(name, **params)


@dataclass(frozen=True)
class Finding:
    """One sentence with its citation already in it; ``dataset`` names the catalog entry behind it."""

    text: str
    dataset: str
    synthetic: bool = False
    citation_url: str = ""


@dataclass(frozen=True)
class SourceEntry:
    """A dataset as the footer lists it, with the attribution its licence asks for."""

    name: str
    licence: str
    attribution: str
    synthetic: bool
    sha256: str
    citations: tuple[str, ...] = ()  # URLs of published figures quoted in the findings

    def line(self, citations: bool = True) -> str:
        """'Name. Licence: X. Attribution' (the attribution only when it adds something); with
        ``citations``, the URLs of the figures quoted (the slide leaves them to the PDF)."""
        parts = [self.name + ("" if self.name.endswith(".") else "."), f"Licence: {self.licence}."]
        if self.attribution and self.attribution not in self.name:
            parts.append(self.attribution.rstrip(".") + ".")
        if self.synthetic:
            parts.append("SAMPLE DATA: synthetic, not real records.")
        if citations and self.citations:
            parts.append("Figures quoted: " + " ; ".join(self.citations))
        return " ".join(parts)


@dataclass(frozen=True)
class BriefingChart:
    """A chart picked from the current view: its figure (title, filters, source drawn on it) and where it
    came from, so the PDF can link each chart to its live view."""

    key: str
    figure: go.Figure
    text: ChartText
    page: str = ""
    link: str = ""


@dataclass(frozen=True)
class Briefing:
    title: str
    note: str
    filters: str
    findings: tuple[Finding, ...]
    charts: tuple[BriefingChart, ...]
    sources: tuple[SourceEntry, ...]
    generated_at: dt.datetime
    permalink: str
    data_hash: str
    data_version: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def synthetic(self) -> bool:
        """True when anything in it rests on synthetic data: the exports then carry a Sample-data label."""
        return (any(f.synthetic for f in self.findings) or any(c.text.synthetic for c in self.charts)
                or any(s.synthetic for s in self.sources))

    @property
    def generated(self) -> str:
        return f"{self.generated_at:%d %b %Y, %H:%M} UTC"

    @property
    def file_stem(self) -> str:
        """A file name for the downloads: the title's words, else 'briefing', with the date."""
        words = re.sub(r"[^A-Za-z0-9]+", "-", self.title).strip("-").lower()[:60] or "briefing"
        return f"{words}-{self.generated_at:%Y-%m-%d}"


# --- sentences -----------------------------------------------------------------------------------


def cite(name: str) -> str:
    """A source as it stands in parentheses at the end of a sentence: 'Global Terrorism Index 2025 (IEP)'
    becomes 'Global Terrorism Index 2025, IEP' so the brackets do not nest."""
    return re.sub(r"\s*\(([^()]*)\)\s*$", r", \1", name.strip())


def count(value: float) -> str:
    """1,099: counts in sentences are whole numbers with thousands separators."""
    return f"{value:,.0f}"


def years(first: int | None, last: int | None) -> str:
    if first is None or last is None:
        return ""
    return str(first) if first == last else f"{first}–{last}"


def change_sentence(metric: str, area: str, source: str, previous_year: int, previous: float, year: int,
                    value: float) -> str:
    """'Attacks in Pakistan rose 112.6%, from 517 in 2023 to 1,099 in 2024 (Global Terrorism Index 2025, IEP).'"""
    where = f" in {area}" if area else ""
    subject = f"{metric.replace('_', ' ').capitalize()}{where}"
    if previous and value != previous:
        verb = "rose" if value > previous else "fell"
        return (f"{subject} {verb} {abs(value - previous) / previous:.1%}, from {count(previous)} in {previous_year} "
                f"to {count(value)} in {year} ({cite(source)}).")
    if value == previous:
        return f"{subject} were unchanged at {count(value)} in {previous_year} and {year} ({cite(source)})."
    return f"{subject} went from {count(previous)} in {previous_year} to {count(value)} in {year} ({cite(source)})."


def published_change_findings(headline: pd.DataFrame, countries: pd.DataFrame, dataset: str) -> list[Finding]:
    """The best-ranked source's latest change for each headline metric (published_figures_headline); the
    query only offers figures with a citation address, so every sentence can be checked at its source."""
    found = []
    places = {(r.metric, r.source): r.country for r in records(countries)}
    for metric in FINDING_METRICS:
        rows = headline[(headline["metric"] == metric) & (headline["rank"] == 1) & (headline["unit"] == "count")]
        if rows.empty:
            continue
        row = rows.iloc[0]
        text = change_sentence(metric, places.get((metric, row["source"]), ""), row["source"],
                               int(row["previous_year"]), float(row["previous_value"]), int(row["year"]),
                               float(row["value"]))
        url = row["citation_url"] if isinstance(row["citation_url"], str) else ""
        found.append(Finding(text, str(row.get("dataset") or dataset), synthetic=False, citation_url=url))
    return found


def _citable(frame: pd.DataFrame) -> pd.DataFrame:
    """Published figures a finding may quote: with a citation address and reported by a named outlet (not
    weak, derived or unverified): a sentence in a briefing must stand on its own."""
    if frame.empty:
        return frame
    return frame[frame["citation_url"].fillna("").str.startswith("http") & (frame["confidence"] == "reported")]


def _preferred(frame: pd.DataFrame, preferences: pd.DataFrame, metric: str) -> str:
    """The source the source_preferences table prefers for ``metric`` among those in ``frame``; else the
    source with the most rows, then by name."""
    rank = preferences[preferences["metric"] == metric].set_index("source")["preference"]
    counts = frame.groupby("source").size().rename("rows").reset_index()
    counts["preference"] = counts["source"].map(rank).fillna(99)
    return str(counts.sort_values(["preference", "rows", "source"], ascending=[True, False, True])["source"].iloc[0])


def mark(value_kind: object) -> str:
    """'over ' for a lower bound, 'about ' for an approximate number, '' for an exact one."""
    return {"lower_bound": "over ", "approximate": "about "}.get(str(value_kind), "")


def province_finding(regions: pd.DataFrame, preferences: pd.DataFrame, metric: str) -> Finding | None:
    """'In 2025, Khyber Pakhtunkhwa had the most attacks of any province: 413, ahead of Balochistan (254) (PIPS).'
    From published_regions: the latest year two sources cover; among the sources that report the most
    whole provinces that year (a 'mainland' figure or a district group is not a province, and a source
    missing a province cannot say which had the most), the preferred one; only citable rows."""
    usable = _citable(regions)
    if usable.empty:
        return None
    usable = usable[~usable["mainland_only"].astype(bool) & usable["parent_region"].isna()]
    if usable.empty:
        return None
    year = published.latest_year(usable, min_sources=2)  # the year the Overview's regional view shows
    year_rows = usable[usable["year"] == year]
    coverage = year_rows.groupby("source")["region"].nunique()
    year_rows = year_rows[year_rows["source"].isin(coverage[coverage == coverage.max()].index)]
    if coverage.max() < 2:
        return None
    source = _preferred(year_rows, preferences, metric)
    ranked = year_rows[year_rows["source"] == source].sort_values("value", ascending=False)
    top, second = ranked.iloc[0], ranked.iloc[1]
    text = (f"In {year}, {top['region']} had the most {metric} of any province: {mark(top['value_kind'])}"
            f"{count(top['value'])}, ahead of {second['region']} ({mark(second['value_kind'])}{count(second['value'])})"
            f" ({cite(source)}).")
    return Finding(text, str(top["dataset"]), citation_url=str(top["citation_url"]))


def group_finding(groups: pd.DataFrame, preferences: pd.DataFrame, metric: str) -> Finding | None:
    """'In 2024, Tehrik-i-Taliban Pakistan (TTP) was credited with more attacks than any other group: 482
    (Global Terrorism Index 2025, IEP).' From
    published_groups: the latest year in which a source names two or more groups (one group's figure
    cannot say it is the most), that year's preferred such source; only citable rows."""
    usable = _citable(groups)
    if usable.empty:
        return None
    named = usable.groupby(["year", "source"])["group_name"].nunique()
    named = named[named >= 2]
    if named.empty:
        return None
    year = int(named.index.get_level_values("year").max())
    year_rows = usable[(usable["year"] == year)
                       & usable["source"].isin(named.xs(year, level="year").index)]
    source = _preferred(year_rows, preferences, metric)
    top = year_rows[year_rows["source"] == source].sort_values("value", ascending=False).iloc[0]
    name = str(top["group_name"]) + (f" ({top['short_name']})" if top["short_name"] not in ("", top["group_name"]) else "")
    text = (f"In {year}, {name} was credited with more {metric} than any other group: "
            f"{mark(top['value_kind'])}{count(top['value'])} ({cite(source)}).")
    return Finding(text, str(top["dataset"]), citation_url=str(top["citation_url"]))


def largest_share_finding(frame: pd.DataFrame, *, name: str, label: str | None, noun: str, dataset: str,
                          period: str, synthetic: bool, scope: str = "", involving: bool = False) -> Finding | None:
    """'<name> accounted for the largest share of events: 52.7% (3,378 of 6,406), 1989–2021 (source).'
    With ``involving`` (groups): '<name> was involved in the largest share of events: ...': an event
    counts for every group party to it, operations against the group included; state forces never win.

    ``frame`` has one row per name with an ``events`` column; unknown and catch-all names never win,
    but their events count in the total."""
    if frame.empty or frame["events"].sum() <= 0:
        return None
    total = float(frame["events"].sum())
    known = frame[~frame[name].isin(NOT_A_NAME)]
    if "actor_kind" in known:
        known = known[known["actor_kind"].fillna("") != "state"]
    known = known.sort_values("events", ascending=False)
    if len(known) < 2:  # one region (or group) holds every event: a share of 100% tells nothing
        return None
    top = known.iloc[0]
    shown = str(top[name])
    if label and isinstance(top.get(label), str) and top[label] not in (shown, ""):
        shown += f" ({top[label]})"
    when = f", {period}" if period else ""
    verb = "was involved in" if involving else "accounted for"
    text = (f"{shown} {verb} the largest share of {noun}: {top['events'] / total:.1%} "
            f"({count(top['events'])} of {count(total)} events{scope}){when} ({cite(dataset)}).")
    return Finding(_sample(text, synthetic), dataset, synthetic)


def lowest_compliance_finding(platforms: pd.DataFrame, *, dataset: str, period: str) -> Finding | None:
    """The platform with the lowest share of decided complaints removed or geo-blocked."""
    decided = platforms.assign(decided=platforms["complied"] + platforms["rejected"])
    decided = decided[(decided["decided"] > 0) & decided["compliance_rate"].notna()]
    if decided.empty:
        return None
    low = decided.sort_values(["compliance_rate", "decided"], ascending=[True, False]).iloc[0]
    synthetic = bool(platforms["is_synthetic"].fillna(False).astype(bool).any())
    when = f", {period}" if period else ""
    text = (f"{low['dimension_value']} had the lowest compliance with the regulator's complaints: "
            f"{low['compliance_rate']:.1%} of {count(low['decided'])} decided complaints removed or geo-blocked"
            f"{when} ({cite(dataset)}).")
    return Finding(_sample(text, synthetic), dataset, synthetic)


def _sample(text: str, synthetic: bool) -> str:
    return SAMPLE_PREFIX + text if synthetic else text


def coverage_years(catalog: pd.DataFrame, names: Iterable[str], filters: Filters) -> str:
    """The years a dataset's data covers inside the filter period ('1989–2021'), from the catalog."""
    rows = catalog[catalog["name"].isin(list(names))]
    if rows.empty:
        return ""
    start = max(pd.Timestamp(rows["coverage_start"].min()).date(), filters.date_from)
    end = min(pd.Timestamp(rows["coverage_end"].max()).date(), filters.date_to)
    return years(start.year, end.year) if start <= end else ""


def gather_findings(query: Query, filters: Filters, catalog: pd.DataFrame) -> list[Finding]:
    """Every finding the data supports under these filters, in reading order (published figures, where,
    who, platforms). ``query`` runs a named query: cache.query on a page, db.run in tests."""
    params = filters.params()
    active = catalog[catalog["status"] == "active"]
    findings: list[Finding] = []

    figures = active[active["kind"] == "figures"]["name"].tolist()
    if figures:
        headline = query("published_figures_headline", metrics=list(FINDING_METRICS), **params)
        countries = query("published_figures_countries", metrics=list(FINDING_METRICS))
        findings += published_change_findings(headline, countries, figures[0])
        preferences = query("reference_source_preferences")
        for build, name in ((province_finding, "published_regions"), (group_finding, "published_groups")):
            finding = build(query(name, metric=FINDING_METRICS[0], **params), preferences, FINDING_METRICS[0])
            if finding:
                findings.append(finding)

    events = active[active["kind"] == "events"]
    chosen = [i for i in filters.dataset_ids if i in set(events["dataset_id"])]
    if chosen or not events.empty:
        # the first chosen event source, else the newest: the one the overview shows too
        dataset_id = chosen[0] if chosen else int(query("event_sources")["dataset_id"].iloc[0])
        row = events[events["dataset_id"] == dataset_id].iloc[0]
        period = coverage_years(catalog, [row["name"]], filters)
        scoped = filters.replace(dataset_ids=[dataset_id]).params()
        regions = query("incidents_by_region", **scoped)
        groups = query("incidents_by_group", **scoped)
        for frame, name, label, scope, involving in (
            (regions, "region", None, " in the chosen regions" if filters.regions else "", False),
            (groups, "group_name", "short_name", " by the chosen groups" if filters.groups else "", True),
        ):
            finding = largest_share_finding(frame, name=name, label=label, noun="events", dataset=row["name"],
                                            period=period, synthetic=bool(row["is_synthetic"]), scope=scope,
                                            involving=involving)
            if finding:
                findings.append(finding)

    complaints = active[active["kind"] == "complaints"]["name"].tolist()
    if complaints:
        platforms = query("complaints_by_dimension", dimension="platform", deadline_hours=DEADLINE_HOURS, **params)
        finding = lowest_compliance_finding(platforms, dataset="; ".join(complaints),
                                            period=coverage_years(catalog, complaints, filters))
        if finding:
            findings.append(finding)
    return findings


# --- footer --------------------------------------------------------------------------------------


def used_datasets(catalog: pd.DataFrame, findings: Sequence[Finding], charts: Sequence[BriefingChart]) -> pd.DataFrame:
    """Catalog rows of the active datasets the findings cite or the charts' footnotes name, in catalog order."""
    active = catalog[catalog["status"] == "active"]
    cited = " | ".join([f.dataset for f in findings] + [c.text.source for c in charts])
    return active[active["name"].map(lambda name: name in cited)]


def source_entries(datasets: pd.DataFrame, findings: Sequence[Finding]) -> tuple[SourceEntry, ...]:
    """The footer's sources: each dataset with its licence and attribution; the published-figures
    dataset also lists the URLs of the figures the findings quote."""
    entries = []
    for row in records(datasets):
        urls = tuple(dict.fromkeys(f.citation_url for f in findings if f.dataset == row.name and f.citation_url))
        entries.append(SourceEntry(
            name=row.name, licence=_text(row.licence), attribution=_text(row.attribution),
            synthetic=bool(row.is_synthetic), sha256=_text(row.sha256), citations=urls,
        ))
    return tuple(entries)


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def data_hash(datasets: pd.DataFrame, data_version: int) -> str:
    """12 hex digits naming the data behind a briefing: sha256 over each dataset's id and file sha256 and
    the database's data version (which every load, retract and alias change bumps)."""
    lines = [f"{int(r.dataset_id)}:{r.sha256}" for r in records(datasets.sort_values("dataset_id"))]
    lines.append(f"data_version:{int(data_version)}")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:12]


def qr(payload: str) -> segno.QRCode:
    """The QR code of the permalink (error correction M: still reads when printed small or creased)."""
    return segno.make(payload, error="m", micro=False)


def qr_png(payload: str, scale: int = 8) -> bytes:
    """The permalink's QR code as a PNG with the 4-module quiet zone scanners need."""
    buffer = io.BytesIO()
    qr(payload).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def clip(text: str, limit: int) -> str:
    """User text cut to a length the layout holds (an ellipsis says it was cut)."""
    text = " ".join(str(text).split())  # line breaks and runs of spaces would break the layouts
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def make_briefing(*, title: str, note: str, filters_text: str, findings: Sequence[Finding],
                  charts: Sequence[BriefingChart], catalog: pd.DataFrame, data_version: int, permalink: str,
                  generated_at: dt.datetime | None = None) -> Briefing:
    """Assemble a briefing; charts beyond MAX_CHARTS are refused rather than silently dropped."""
    if len(charts) > MAX_CHARTS:
        raise ValueError(f"a briefing holds at most {MAX_CHARTS} charts, got {len(charts)}")
    datasets = used_datasets(catalog, findings, charts)
    return Briefing(
        title=clip(title, MAX_TITLE) or "Briefing", note=clip(note, MAX_NOTE), filters=filters_text,
        findings=tuple(findings), charts=tuple(charts), sources=source_entries(datasets, findings),
        generated_at=generated_at or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        permalink=permalink, data_hash=data_hash(datasets, data_version), data_version=data_version,
    )
