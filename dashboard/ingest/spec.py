"""What each fact table holds, and the name entities its rows are harmonised through: one spec each.

The write side (load: the staging frame an insert copies by name, the catalog's coverage, the rollups)
and the read side (pipeline: review and preview) both take their facts from here, and so do name
harmonisation (harmonise) and the alias tables (names). tests/test_ingest_spec.py checks the specs
against the schema the migrations build, so the two cannot drift apart. Pure: no database, no pandas.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a fact table, as an importer delivers it (dataset_id is added by the loader)."""

    name: str
    type: str  # the DuckDB type in queries/schema: VARCHAR, DATE, TIMESTAMP, DOUBLE, INTEGER or BIGINT
    required: bool = False  # NOT NULL in the table
    entity: str | None = None  # a name harmonised through this entity's alias table (region, group, platform)
    raw: str | None = None  # the column keeping the name as received, when the table keeps it


@dataclass(frozen=True)
class Table:
    """A fact table: its columns and what the loader and the upload preview need to know about it."""

    name: str
    kind: str  # the catalog's dataset kind (datasets.kind)
    columns: tuple[Column, ...]
    coverage: str  # the date column giving a dataset's coverage in the catalog and the preview's time axis
    preview: tuple[tuple[str, str], ...]  # (label, column): the preview's top lists, in order
    weight: str | None = None  # a column counting how many events a row stands for (aggregated sources)
    home_countries: bool = False  # regions are matched only on rows of the reference countries
    rollups: tuple[tuple[str, str], ...] = ()  # (delete, insert) statements recomputed per dataset on load
    maintained: tuple[str, ...] = ()  # columns the database keeps itself (never staged by an importer)

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns of the staging frame, in table order: the insert's column list (matched by name)."""
        return tuple(c.name for c in self.columns)

    @property
    def name_columns(self) -> tuple[Column, ...]:
        """The columns holding a region, group or platform name."""
        return tuple(c for c in self.columns if c.entity)

    @property
    def insert(self) -> str:
        """The named statement copying the staged rows of one dataset into the table."""
        return f"load/insert_{self.name}"


def _columns(spec: str) -> tuple[Column, ...]:
    """Columns from 'name TYPE' lines; '!' after the type marks NOT NULL, '@entity' a harmonised name and
    '@entity<raw' one whose name as received is kept in the column raw."""
    out = []
    for line in spec.strip().splitlines():
        name, kind, *entity = line.split()
        target, _, raw = entity[0].lstrip("@").partition("<") if entity else ("", "", "")
        out.append(Column(name, kind.rstrip("!"), kind.endswith("!"), target or None, raw or None))
    return tuple(out)


INCIDENTS = Table("incidents", "events", _columns("""
    source_event_id VARCHAR
    source_updated_at BIGINT
    event_date DATE!
    date_precision VARCHAR!
    country VARCHAR
    region VARCHAR @region<region_raw
    region_raw VARCHAR
    district VARCHAR
    location VARCHAR
    latitude DOUBLE
    longitude DOUBLE
    group_name VARCHAR @group<group_raw
    group_raw VARCHAR
    event_type VARCHAR
    sub_event_type VARCHAR
    events INTEGER!
    killed INTEGER
    injured INTEGER
"""), coverage="event_date", preview=(("regions", "region"), ("groups", "group_name")), weight="events",
    home_countries=True, rollups=(("load/delete_incident_cells", "load/insert_incident_cells"),
                                  ("load/delete_incident_district_cells", "load/insert_incident_district_cells")),
    maintained=("is_current",))  # the newest version of a living series' event (load.refresh_living_series)

CONTENT_METRICS = Table("content_metrics", "content_metrics", _columns("""
    platform VARCHAR! @platform
    policy_area VARCHAR!
    metric VARCHAR!
    breakdown VARCHAR
    period_start DATE!
    period_end DATE!
    period_label VARCHAR!
    market VARCHAR!
    value DOUBLE
    unit VARCHAR!
"""), coverage="period_start", preview=(("platforms", "platform"), ("policy areas", "policy_area")))

COMPLAINTS = Table("complaints", "complaints", _columns("""
    complaint_id VARCHAR!
    platform VARCHAR! @platform
    category VARCHAR!
    group_name VARCHAR @group
    region VARCHAR @region
    submitted_at TIMESTAMP!
    resolved_at TIMESTAMP
    outcome VARCHAR!
    items INTEGER!
"""), coverage="submitted_at", preview=(("platforms", "platform"), ("regions", "region"), ("groups", "group_name")),
    rollups=(("load/delete_complaint_cells", "load/insert_complaint_cells"),  # counts per day (schema/008)
             ("load/delete_complaint_hours", "load/insert_complaint_hours"),  # the time-to-action histogram
             ("load/delete_complaint_pending", "load/insert_complaint_pending")))

PUBLISHED_FIGURES = Table("published_figures", "figures", _columns("""
    figure_id VARCHAR!
    source VARCHAR!
    source_kind VARCHAR
    publication VARCHAR
    published_on DATE
    period_start DATE
    period_end DATE
    period_label VARCHAR
    country VARCHAR
    region VARCHAR @region
    group_name VARCHAR @group
    platform VARCHAR @platform
    metric VARCHAR!
    value DOUBLE!
    unit VARCHAR!
    definition VARCHAR
    citation_url VARCHAR
    confidence VARCHAR
    note VARCHAR
    value_kind VARCHAR
"""), coverage="period_end", preview=(("sources", "source"), ("metrics", "metric")))

TABLES: dict[str, Table] = {t.name: t for t in (INCIDENTS, CONTENT_METRICS, COMPLAINTS, PUBLISHED_FIGURES)}
_BY_KIND = {t.kind: t for t in TABLES.values()}


def table_for(kind: str) -> Table:
    """The fact table a dataset kind loads into (events -> incidents, figures -> published_figures, ...)."""
    return _BY_KIND[kind]


@dataclass(frozen=True)
class Entity:
    """A kind of name with an alias table: the canonical names, their spellings, and where a mapping goes."""

    name: str  # region, group, platform
    column: str  # the name column of the reference and alias tables
    names_query: str  # lists the canonical names
    aliases_query: str  # lists the known spellings
    alias_statement: str  # records an analyst's mapping as a new alias


# In review order: regions before groups before platforms (issue 11).
ENTITIES: dict[str, Entity] = {e.name: e for e in (
    Entity("region", "region", "reference_regions", "reference_region_aliases", "load/insert_region_alias"),
    Entity("group", "group_name", "reference_groups", "reference_group_aliases", "load/insert_group_alias"),
    Entity("platform", "platform", "reference_platforms", "reference_platform_aliases", "load/insert_platform_alias"),
)}
