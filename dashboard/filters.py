"""The global filters every page shares, and the query parameters they become."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

DEFAULT_FROM = dt.date(1989, 1, 1)
DEFAULT_TO = dt.date(2025, 12, 31)


@dataclass(frozen=True)
class Filters:
    """What the user chose in the sidebar. Empty tuples mean "all"."""

    date_from: dt.date = DEFAULT_FROM
    date_to: dt.date = DEFAULT_TO
    regions: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    dataset_ids: tuple[int, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def params(self, **overrides: Any) -> dict[str, Any]:
        """Bound parameters for the named queries (each query takes the ones it uses)."""
        values = {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "regions": list(self.regions),
            "groups": list(self.groups),
            "platforms": list(self.platforms),
            "dataset_ids": [int(i) for i in self.dataset_ids],
        }
        values.update(overrides)
        return values

    def describe(self, *, regions: bool = True, groups: bool = True, platforms: bool = False,
                 sources: bool = False) -> str:
        """The subtitle of a chart or an export: the period, then the facets that apply to that chart's data."""
        parts = [f"{self.date_from:%d %b %Y} – {self.date_to:%d %b %Y}"]
        facets = [("regions", self.regions, regions), ("groups", self.groups, groups),
                  ("platforms", self.platforms, platforms)]
        for label, values, wanted in facets:
            if wanted:
                parts.append(f"{label}: {_few(values)}" if values else f"all {label}")
        if sources and self.extra.get("sources"):
            parts.append("sources: " + _few(self.extra["sources"]))
        return " · ".join(parts)


def _few(values: tuple[str, ...]) -> str:
    """At most three values, then how many more."""
    return ", ".join(values[:3]) + (f" +{len(values) - 3} more" if len(values) > 3 else "")
