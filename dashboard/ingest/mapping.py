"""The column-mapping step's logic: guesses that fit the values, and the analyst's decisions as a file.

Guesses: a template column is offered a file column only when the name is alike (or one of the synonyms in
the template's spec, "Freq" for events, "nkill" for killed) *and* the values fit: counts must be whole
numbers, dates must read as dates, coordinates must be in range. A free-text column is never guessed for a count. When two file
columns fit equally ("Killed Min", "Killed Max"), the first is taken and the note says which and over what.

Decisions: the template, its columns, the date order and the name mappings, saved per file *shape* (its
header, case and spaces ignored) for the next file of that shape, and as a small JSON file the analyst can
download, keep beside a scheduled export and give to the command line (``--mapping``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz

from dashboard.ingest import dates
from dashboard.ingest.detect import Mapping
from dashboard.ingest.formats import Field
from dashboard.ingest.names import alias_key
from dashboard.ingest.registry import TEMPLATES
from dashboard.ingest.spec import ENTITIES
from dashboard.ingest.validate import to_numbers

NAME_CUTOFF = 80


def fits(column: Field, values: pd.Series) -> bool:
    """Do a file column's sample values fit a template column (counts whole, dates dates, numbers within the
    column's bounds, text not numbers)? The kinds of value are the template's spec (formats.Field)."""
    sample = values.dropna().astype("str").str.strip()
    sample = sample[sample != ""]
    if sample.empty:
        return column.values not in ("count", "number", "date") and column.bounds is None
    numbers = to_numbers(sample.str.replace(",", "", regex=False))
    if column.bounds is not None:
        inside = numbers.notna() & numbers.between(*column.bounds)
        return (inside & (numbers % 1 == 0 if column.values == "count" else inside)).mean() >= 0.9
    if column.values == "count":
        return (numbers.notna() & (numbers % 1 == 0) & (numbers >= 0)).mean() >= 0.9
    if column.values == "number":
        return numbers.notna().mean() >= 0.9
    if column.values == "date":
        parsed, _ = dates.parse_series(sample.head(200))
        return parsed.notna().mean() >= 0.8
    if column.values == "text":
        return numbers.notna().mean() < 0.5
    return True


def _name_score(column: Field, header_name: str) -> float:
    key = alias_key(header_name)
    if key == alias_key(column.name) or key in column.synonyms:
        return 100.0
    names = (alias_key(column.name), *column.synonyms)
    if any(len(name) >= 4 and f" {name} " in f" {key} " for name in names):
        return 90.0  # the name is a word of the header: "Killed Min", "Event Date (local)"
    return max(fuzz.ratio(key, name) for name in names)


@dataclass
class Guess:
    columns: dict[str, str | None]
    notes: dict[str, str] = field(default_factory=dict)  # template column -> what was taken over what


def guess(template: str, header: list[str], sample: pd.DataFrame | None = None) -> Guess:
    """Each template column -> the best-named file column whose values fit (or None), with notes.
    Best pairs first across all columns, so "Incident Date" goes to the date, not to a weaker "incident id"."""
    fields = TEMPLATES[template].fields
    columns = [f.name for f in fields]
    candidates: dict[str, list[tuple[float, str]]] = {}
    for wanted in fields:
        scored = [(round(_name_score(wanted, h)), h) for h in header]
        candidates[wanted.name] = [(s, h) for s, h in scored if s >= NAME_CUTOFF
                                   and (sample is None or h not in sample or fits(wanted, sample[h]))]
    pairs = sorted(((s, columns.index(c), c, h) for c, found in candidates.items() for s, h in found),
                   key=lambda p: (-p[0], p[1], header.index(p[3])))
    out = Guess(dict.fromkeys(columns))
    taken: set[str] = set()
    for score, _, column, name in pairs:
        if out.columns[column] is not None or name in taken:
            continue
        out.columns[column] = name
        taken.add(name)
        rivals = [h for s, h in candidates[column] if s == score and h != name and h not in taken]
        if rivals:
            out.notes[column] = f"took {name!r} over {', '.join(repr(r) for r in rivals)} (equally likely)"
    return out


def shape_key(header: list[str] | tuple[str, ...]) -> str:
    """A file's shape: its header with case and spacing ignored (the same export, another month)."""
    return hashlib.sha256("\x1f".join(alias_key(h) for h in header).encode()).hexdigest()[:16]


@dataclass
class Decisions:
    """Everything the analyst decided for one file shape."""

    mapping: Mapping | None = None
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # entity -> raw -> canonical
    header: tuple[str, ...] = ()


VERSION = 1


def to_json(decisions: Decisions) -> bytes:
    """The decisions as a small, readable JSON file."""
    body = {"observatory_mapping": VERSION, "header": list(decisions.header),
            "names": decisions.names}
    if decisions.mapping is not None:
        body |= {"template": decisions.mapping.template, "date_order": decisions.mapping.date_order,
                 "columns": {k: v for k, v in decisions.mapping.columns.items() if v}}
    return json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")


class MappingFileError(ValueError):
    """The mapping file cannot be used; the message says why."""


def from_json(data: bytes) -> Decisions:
    """Read a mapping file written by to_json (checked: template, columns and date order must be known)."""
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingFileError(f"not a mapping file: {exc}") from None
    if not isinstance(body, dict) or body.get("observatory_mapping") != VERSION:
        raise MappingFileError("not a mapping file of this version (no \"observatory_mapping\": 1)")
    names = body.get("names") or {}
    if not isinstance(names, dict) or not all(isinstance(m, dict) and entity in ENTITIES
                                              for entity, m in names.items()):
        raise MappingFileError("\"names\" must map region, group or platform to {spelling: known name}")
    mapping = None
    if "template" in body:
        template, columns = body["template"], body.get("columns") or {}
        if template not in TEMPLATES:
            raise MappingFileError(f"unknown template {template!r}; one of {', '.join(TEMPLATES)}")
        wrong = sorted(set(columns) - set(TEMPLATES[template].column_names))
        if wrong or not all(isinstance(v, str) for v in columns.values()):
            raise MappingFileError(f"columns not in the {template} template: {wrong}")
        order = body.get("date_order", "auto")
        if order not in dates.ORDERS:
            raise MappingFileError(f"date_order must be one of {', '.join(dates.ORDERS)}")
        mapping = Mapping(template, {c: columns.get(c) for c in TEMPLATES[template].column_names}, order)
    return Decisions(mapping, {e: {str(k): str(v) for k, v in m.items()} for e, m in names.items()},
                     tuple(body.get("header") or ()))
