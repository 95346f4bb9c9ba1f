"""Canonical names for regions, groups and platforms, through the alias tables."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

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

    def lookup(self, raw: str | None) -> str | None:
        """The canonical name for a raw spelling, or None if it is unknown (or blank)."""
        if raw is None or (isinstance(raw, float) and pd.isna(raw)):
            return None
        key = alias_key(raw)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        if self.entity == "region":
            for suffix in _REGION_SUFFIXES:
                if key.endswith(suffix) and key[: -len(suffix)] in self.by_key:
                    return self.by_key[key[: -len(suffix)]]
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


# entity -> (query listing canonical names, query listing aliases, name column)
_REFERENCE_QUERIES = {
    "region": ("reference_regions", "reference_region_aliases", "region"),
    "group": ("reference_groups", "reference_group_aliases", "group_name"),
    "platform": ("reference_platforms", "reference_platform_aliases", "platform"),
}


def load_alias_table(con, entity: str) -> AliasTable:
    """Read one alias table from the database (entity: region, group or platform)."""
    from dashboard import db  # local import: names stays importable without a database

    names_query, aliases_query, column = _REFERENCE_QUERIES[entity]
    canonical = list(db.run(con, names_query)[column])
    aliases = db.run(con, aliases_query)
    by_key = dict(zip(aliases["alias_key"], aliases[column]))
    for name in canonical:
        by_key.setdefault(alias_key(name), name)
    return AliasTable(entity, frozenset(canonical), by_key)
