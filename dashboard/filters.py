"""The global filters every page shares, and the one query parameter they become."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_FROM = dt.date(1989, 1, 1)
DEFAULT_TO = dt.date(2025, 12, 31)
# the fields of $filters, the struct every filtered query takes (queries/views/010_filters.sql gives it its type)
STRUCT_FIELDS = ("date_from", "date_to", "regions", "groups", "platforms", "event_types", "dataset_ids")


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar. Empty tuples mean "all"."""

    date_from: dt.date = DEFAULT_FROM
    date_to: dt.date = DEFAULT_TO
    regions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    dataset_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def struct(self) -> dict[str, Any]:
        """The value of $filters: every field of the struct, lists for the choices (empty = all)."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "regions": list(self.regions),
            "groups": list(self.groups),
            "platforms": list(self.platforms),
            "event_types": list(self.event_types),
            "dataset_ids": [int(i) for i in self.dataset_ids],
        }

    def params(self, **others: Any) -> dict[str, Any]:
        """Bound parameters for a named query: ``{"filters": <the struct>}`` and the query's own ``others``
        (limit=, metric= ...). To narrow a filter for one call, use ``replace(...).params()``."""
        misplaced = sorted(set(others) & set(STRUCT_FIELDS))
        if misplaced:
            raise TypeError(f"{misplaced} are filters, not query parameters: use filters.replace(...).params()")
        return {"filters": self.struct(), **others}

    def replace(self, **changes: Iterable[Any] | dt.date) -> Filters:
        """These filters with some fields changed (lists are taken as tuples): a page's focus or one source."""
        if any(isinstance(value, str) for value in changes.values()):
            raise TypeError("a filter's choices are a list, not one string")
        fixed: dict[str, Any] = {key: value if isinstance(value, dt.date) else tuple(value)
                                 for key, value in changes.items()}
        return dataclasses.replace(self, **fixed)

    def describe(self, *, regions: bool = True, groups: bool = True, platforms: bool = False,
                 sources: bool = False, event_types: bool = True) -> str:
        """The subtitle of a chart or an export: the period, then the facets that apply to that chart's data
        (event types only when some are chosen: pass event_types=False for data that has none)."""
        parts = [f"{self.date_from:%d %b %Y} – {self.date_to:%d %b %Y}"]
        facets = [("regions", self.regions, regions), ("groups", self.groups, groups),
                  ("platforms", self.platforms, platforms)]
        for label, values, wanted in facets:
            if wanted:
                parts.append(f"{label}: {_few(values)}" if values else f"all {label}")
        if event_types and self.event_types:
            parts.append(f"event types: {_few(self.event_types)}")
        if sources and self.extra.get("sources"):
            parts.append("sources: " + _few(self.extra["sources"]))
        return " · ".join(parts)


def _few(values: tuple[str, ...]) -> str:
    """At most three values, then how many more."""
    return ", ".join(values[:3]) + (f" +{len(values) - 3} more" if len(values) > 3 else "")
