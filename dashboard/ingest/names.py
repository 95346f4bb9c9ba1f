"""Canonical names for regions, groups and platforms, through the alias tables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from dashboard.ingest.spec import ENTITIES

# Parenthesised notes that say where, not who: 'Islamic State (Pakistan)' is the Islamic State.
_COUNTRY_NOTES = {"pakistan", "afghanistan", "india", "iran", "international", "global"}
# Words that sources tack on to a region name without changing which region it is.
_REGION_SUFFIXES = (" province", " division", " territory", " region")


def alias_key(text: str) -> str:
    """Spelling-insensitive key: case, accents, punctuation, '&' and spacing do not matter."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = text.casefold().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class AliasTable:
    """One alias table in memory: key -> canonical name."""

    entity: str  # "region", "group" or "platform"
    canonical: frozenset[str]
    by_key: dict[str, str]
    # Regions only: the keys of the countries the reference regions belong to (names and ISO codes).
    # A region name is matched only on rows of these countries (or rows that name no country).
    countries: frozenset[str] = frozenset()
    kinds: dict[str, str] = field(default_factory=dict)  # groups only: canonical name -> actor kind

    def lookup(self, raw: str | None) -> str | None:
        """The canonical name for a raw spelling, or None if it is unknown (or blank)."""
        if raw is None or (isinstance(raw, float) and pd.isna(raw)):
            return None
        key = alias_key(raw)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        found = self._source_decorations(str(raw))
        if found is not None:
            return found
        if self.entity == "region":
            for suffix in _REGION_SUFFIXES:
                if key.endswith(suffix) and key[: -len(suffix)] in self.by_key:
                    return self.by_key[key[: -len(suffix)]]
        return None

    def _source_decorations(self, raw: str) -> str | None:
        """Spellings sources decorate a known name with: ACLED's 'BLA: Baloch Liberation Army' and
        'Military Forces of Pakistan (2018-)', 'Unidentified Armed Group (Pakistan)', GTD's 'Name (ACRONYM)'.
        A parenthesis is dropped only when it holds a period, a country, or another spelling of the same
        name, so 'TTP (Jamaat-ul-Ahrar)' is never taken for TTP."""
        text = raw.strip()
        prefix = re.match(r"^([A-Za-z][A-Za-z\-]{1,9}):\s+(.+)$", text)
        if prefix:
            whole = self.by_key.get(alias_key(prefix[2])) or self._source_decorations(prefix[2])
            short = self.by_key.get(alias_key(prefix[1]))
            if whole is not None and short in (None, whole):
                return whole
        inner = re.match(r"^(.+?)\s*\(([^()]*)\)\s*$", text)
        if inner:
            head, note = inner[1], alias_key(inner[2])
            found = self.by_key.get(alias_key(head))
            if found is not None and (re.fullmatch(r"\d{4}( \d{4})?", note) or note in _COUNTRY_NOTES
                                      or self.by_key.get(note) == found):
                return found
        return None

    def map_series(self, raw: pd.Series) -> tuple[pd.Series, list[str]]:
        """Canonical names for a column (unknown names kept as they came) and the unknown names.

        Works on the distinct values only, so a million rows with 50 spellings cost 50 look-ups.
        """
        distinct = raw.dropna().unique()
        mapping: dict[str, str] = {}
        unknown: list[str] = []
        for value in distinct:
            text = str(value).strip()
            if not text:
                continue
            found = self.lookup(text)
            mapping[value] = found if found is not None else text
            if found is None:
                unknown.append(text)
        mapped = raw.map(mapping)
        return mapped.where(mapped.notna(), None), sorted(set(unknown))


def load_alias_table(con, entity: str) -> AliasTable:
    """Read one alias table from the database (entity: region, group or platform)."""
    from dashboard import db  # local import: names stays importable without a database

    spec = ENTITIES[entity]
    column = spec.column
    reference = db.run(con, spec.names_query)
    canonical = list(reference[column])
    aliases = db.run(con, spec.aliases_query)
    by_key = dict(zip(aliases["alias_key"], aliases[column], strict=False))
    for name in canonical:
        by_key.setdefault(alias_key(name), name)
    countries: frozenset[str] = frozenset()
    if "country" in reference:
        codes = reference["iso_code"].dropna().str.split("-").str[0]
        countries = frozenset(alias_key(c) for c in list(reference["country"].dropna()) + list(codes) if c)
    kinds = dict(zip(reference[column], reference["actor_kind"].fillna(""), strict=False)) if "actor_kind" in reference else {}
    return AliasTable(entity, frozenset(canonical), by_key, countries, kinds)


def alias_tables(con) -> dict[str, AliasTable]:
    """Every entity's alias table, read from the database."""
    return {entity: load_alias_table(con, entity) for entity in ENTITIES}


# ISO 3166 alpha-3 codes and other spellings sources use for the countries of the reference tables.
COUNTRY_SPELLINGS = {"pak": "pakistan", "islamic republic of pakistan": "pakistan", "586": "pakistan"}


def home_rows(country: pd.Series | None, table: AliasTable) -> pd.Series | bool:
    """True for rows in a country the reference regions know, or that name no country (a file about the
    reference country often has no country column). Other rows' regions are never matched to ours."""
    if country is None or not table.countries:
        return True
    distinct = {value: _is_home(value, table) for value in country.dropna().unique()}
    if all(distinct.values()):  # the usual case: every row in a known country (or none named)
        return pd.Series(True, index=country.index)
    away = [value for value, home in distinct.items() if not home]
    return ~country.isin(away)


def _is_home(value, table: AliasTable) -> bool:
    key = alias_key(value)
    return not key or key in table.countries or COUNTRY_SPELLINGS.get(key, "") in table.countries


def abroad_name(region: str | None, country: str) -> str:
    """How a region of another country is stored: under its country, never one of ours ('Punjab (India)')."""
    country = str(country).strip()
    if region is None or (isinstance(region, float) and pd.isna(region)) or not str(region).strip():
        return f"{country} (no region given)"
    return f"{str(region).strip()} ({country})"
