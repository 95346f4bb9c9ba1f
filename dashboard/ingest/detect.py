"""Which format a file is in, from its header alone; and, when none fits, the nearest one and what
it lacks, so the page can say so and offer the column-mapping step instead of a bare failure."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import process

from dashboard.ingest.formats import Format
from dashboard.ingest.model import IngestError, Problem
from dashboard.ingest.registry import FORMATS


class UnknownFormatError(IngestError):
    """No format matches the header. ``nearest`` is the closest format (or None) and ``missing`` the
    required columns it lacks."""

    def __init__(self, file_name: str, header: list[str], nearest: Format | None, missing: list[str]):
        self.header = header
        self.nearest = nearest
        self.missing = missing
        if nearest is None:
            problems = [Problem(1, None, None, "the header matches no known format (ACLED, GTD, UCDP, Meta, TikTok, "
                                               "EU DSA or an observatory template); map its columns below")]
        else:
            problems = [Problem(1, column, None, f"looks like {nearest.label} but this required column is missing"
                                + _did_you_mean(column, header)) for column in missing]
        super().__init__(file_name, problems)


def _did_you_mean(column: str, header: list[str]) -> str:
    found = process.extractOne(column, [h.lower() for h in header], score_cutoff=80)
    return f" (is {header[found[2]]!r} meant to be {column!r}?)" if found else ""


def detect(header: list[str], file_name: str = "file") -> Format:
    """The format of a file with this header; UnknownFormatError (with the nearest format) if none."""
    for fmt in FORMATS:
        if fmt.detect(list(header)):
            return fmt
    present = {h.strip().lower() for h in header}
    scored = []
    for fmt in FORMATS:
        required = fmt.required
        hits = len(required & present)
        scored.append((hits / len(required), hits, fmt))
    share, hits, nearest = max(scored, key=lambda s: (s[0], s[1]))
    if share >= 0.5 and hits >= 2:
        missing = sorted(nearest.required - present)
        raise UnknownFormatError(file_name, list(header), nearest, missing)
    raise UnknownFormatError(file_name, list(header), None, [])


def columns_to_read(fmt: Format, header: list[str]) -> list[str] | None:
    """The header names (as written) a format reads, or None for all."""
    if fmt.columns is None:
        return None
    return [h for h in header if h.strip().lower() in fmt.columns]


@dataclass(frozen=True)
class Mapping:
    """The analyst's column mapping: template column -> column of the file (or None)."""

    template: str
    columns: dict[str, str | None]
    date_order: str = "auto"  # how ambiguous d/m dates are read: auto, dmy or mdy (dashboard.ingest.dates)

