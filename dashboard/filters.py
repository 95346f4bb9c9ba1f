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

    def describe(self) -> str:
        """One line for chart subtitles and exports: what this view is filtered to."""
        parts = [f"{self.date_from:%d %b %Y} – {self.date_to:%d %b %Y}"]
        for label, values in (("regions", self.regions), ("groups", self.groups), ("platforms", self.platforms)):
            if values:
                shown = ", ".join(values[:3]) + (f" +{len(values) - 3} more" if len(values) > 3 else "")
                parts.append(f"{label}: {shown}")
        return " · ".join(parts)
