"""Raw names to canonical ones: the one mapping the load applies and the preview shows.

``map_names`` owns the rule (the analyst's own choice, else the alias table, else the name as it came,
listed as unknown); ``canonical_column`` adds the incidents' country rule; ``harmonise`` applies both to
every name column of a parsed file. Pure: the alias tables are read by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.ingest.model import Parsed
from dashboard.ingest.names import AliasTable, abroad_name, home_rows
from dashboard.ingest.spec import Column, table_for

Own = Mapping[str, Mapping[str, str]]  # the analyst's mappings: entity -> raw spelling -> canonical name


def map_names(raw: pd.Series, table: AliasTable, own: Mapping[str, str]) -> tuple[pd.Series, list[str]]:
    """Canonical names for a column of raw names, and the names neither ``own`` nor the table knew (kept
    as they came)."""
    mapped, missing = table.map_series(raw)
    if own:
        mapped = mapped.where(~raw.isin(own.keys()), raw.map(own))
        missing = [name for name in missing if name not in own]
    return mapped, missing


def canonical_column(frame: pd.DataFrame, column: Column, tables: dict[str, AliasTable], own: Own,
                     home_countries: bool = False) -> tuple[pd.Series, list[str]]:
    """One name column of a frame made canonical. With ``home_countries`` (incidents) regions are matched
    only within the countries of the reference regions: a row of another country keeps its region under
    its country's name ('Punjab (India)'), so it can never be counted in one of our provinces."""
    entity = column.entity or ""
    source = frame[column.raw or column.name]
    table, chosen = tables[entity], own.get(entity, {})
    if not (home_countries and entity == "region"):
        return map_names(source, table, chosen)
    home = home_rows(frame.get("country"), table)
    mapped, missing = map_names(source.where(home, None) if not isinstance(home, bool) else source, table, chosen)
    if not isinstance(home, bool) and not home.all():
        pairs = pd.DataFrame({"raw": source, "country": frame["country"]})[~home]
        distinct = {key: abroad_name(*key) for key in pairs.drop_duplicates().itertuples(index=False, name=None)}
        abroad = pd.Series([distinct[key] for key in pairs.itertuples(index=False, name=None)], index=pairs.index)
        mapped = mapped.where(home, abroad)
    return mapped, missing


def other_country_rows(frame: pd.DataFrame, table: AliasTable) -> pd.Series:
    """True for the rows of countries the reference regions do not know (reported, kept or left out)."""
    home = home_rows(frame.get("country"), table)
    return pd.Series(False, index=frame.index) if isinstance(home, bool) else ~home


@dataclass
class Harmonised:
    """The parsed rows with canonical names, and the names no alias table knew."""

    frame: pd.DataFrame
    unknown: dict[str, list[str]] = field(default_factory=dict)  # entity -> raw names


def harmonise(parsed: Parsed, tables: dict[str, AliasTable], own: Own | None = None) -> Harmonised:
    """Map raw names to canonical ones. ``own`` holds the analyst's mappings (entity -> raw -> name).

    Unknown names are kept as they came (a new name) and listed so the page can offer a mapping.
    """
    spec = table_for(parsed.kind)
    frame = parsed.frame.copy()
    unknown: dict[str, list[str]] = {}
    for column in spec.name_columns:
        source = column.raw or column.name
        if source not in frame or frame[source].isna().all():
            continue
        frame[column.name], missing = canonical_column(frame, column, tables, own or {}, spec.home_countries)
        if missing:
            unknown[str(column.entity)] = missing
    return Harmonised(frame, unknown)
