"""The daily dumps' layout: names, columns, and reading the zip of zips part by part.

A day is one zip, ``sor-global-2025-07-01-full.zip`` (or ``-light``); since April 2024 it holds inner zips
(``...-full-00000.csv.zip``, at most 1M statements each) that hold CSV parts of 100,000 statements
(``...-full-00000-00000.csv``). The full CSV has 38 columns; the light one drops the free-text columns and
``territorial_scope``. The global full dump also comes as Parquet (``sor-global-2025-07-01-full.parquet``).
Parts are streamed to a staging folder one inner zip at a time: a day is never held in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

FULL_COLUMNS = (
    "uuid", "decision_visibility", "decision_visibility_other", "end_date_visibility_restriction",
    "decision_monetary", "decision_monetary_other", "end_date_monetary_restriction", "decision_provision",
    "end_date_service_restriction", "decision_account", "end_date_account_restriction", "account_type",
    "decision_ground", "decision_ground_reference_url", "illegal_content_legal_ground",
    "illegal_content_explanation", "incompatible_content_ground", "incompatible_content_explanation",
    "incompatible_content_illegal", "category", "category_addition", "category_specification",
    "category_specification_other", "content_type", "content_type_other", "content_language", "content_date",
    "content_id_ean", "territorial_scope", "application_date", "decision_facts", "source_type",
    "source_identity", "automated_detection", "automated_decision", "platform_name", "platform_uid", "created_at",
)
LIGHT_DROPS = frozenset({"decision_facts", "illegal_content_explanation", "incompatible_content_explanation",
                         "territorial_scope"})
LIGHT_COLUMNS = tuple(c for c in FULL_COLUMNS if c not in LIGHT_DROPS)

DUMP_NAME = re.compile(r"^sor-(?P<scope>[\w-]+?)-(?P<day>\d{4}-\d{2}-\d{2})-(?P<variant>full|light)"
                       r"(?P<ext>\.zip|\.parquet)$")
# the columns the shared aggregation reads (queries/dsa/statements_full.sql)
NEEDED = ("platform_name", "category", "category_specification", "decision_visibility", "decision_ground",
          "automated_detection", "automated_decision", "content_type", "territorial_scope", "created_at")
SAMPLE_MARKER = "SAMPLE_DATA.txt"  # the generator writes it: dumps in this folder are synthetic
BAD_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


MANIFEST = "_dsa.json"  # beside each day's Parquet aggregate: day, variant, sha256, statements


class BadDumpError(ValueError):
    """A dump that cannot be read (truncated or corrupt zip, no CSV parts); names the file."""


@dataclass(frozen=True)
class Dump:
    """One daily dump file."""

    path: Path
    day: dt.date
    variant: str  # "full" or "light"
    kind: str  # "zip" or "parquet"
    synthetic: bool

    @property
    def name(self) -> str:
        return self.path.name


def find_dumps(folder: Path) -> tuple[list[Dump], list[str]]:
    """The dumps of a folder, one per day (full preferred over light: same statements, more columns),
    and notes on the files left out. Other files (checksums, notes) are ignored."""
    synthetic = (folder / SAMPLE_MARKER).exists()
    found: dict[dt.date, list[Dump]] = {}
    for path in sorted(folder.iterdir()):
        match = DUMP_NAME.match(path.name)
        if not match:
            continue
        dump = Dump(path, dt.date.fromisoformat(match["day"]), match["variant"],
                    "zip" if match["ext"] == ".zip" else "parquet", synthetic)
        found.setdefault(dump.day, []).append(dump)
    chosen, notes = [], []
    for day in sorted(found):
        ranked = sorted(found[day], key=lambda d: (d.variant != "full", d.kind != "zip"))
        chosen.append(ranked[0])
        notes += [f"{d.name}: skipped, {ranked[0].name} holds the same day's statements" for d in ranked[1:]]
    return chosen, notes


def checksum(path: Path) -> str:
    """sha256 of a dump, read in 1 MB blocks (a day's zip is several GB). A Parquet folder: of its files."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def inner_zips(dump: Dump) -> list[str]:
    """Names of the inner zips (or of CSV parts directly in the outer zip, the layout before April 2024)."""
    try:
        with zipfile.ZipFile(dump.path) as outer:
            names = [n for n in outer.namelist() if n.endswith((".zip", ".csv"))]
    except BAD_ZIP_ERRORS as exc:
        raise BadDumpError(f"{dump.name}: not a readable zip ({exc})") from exc
    if not names:
        raise BadDumpError(f"{dump.name}: holds no CSV parts")
    return sorted(names)


def stage_inner(dump_path: Path, inner: str, target: Path, *, parquet: bool = False) -> list[Path]:
    """Extract the CSV parts of one inner zip into ``target`` (streamed, CRC-checked); returns their paths.
    With ``parquet`` each part becomes a Parquet file of the columns the aggregation reads (see
    csv_to_parquet). A corrupt member raises BadDumpError naming the dump and the member."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with zipfile.ZipFile(dump_path) as outer:
            if inner.endswith(".csv"):
                written.append(_copy(outer, inner, target))
            else:
                with outer.open(inner) as raw, zipfile.ZipFile(raw) as inner_zip:
                    for part in sorted(n for n in inner_zip.namelist() if n.endswith(".csv")):
                        written.append(_copy(inner_zip, part, target))
    except BAD_ZIP_ERRORS as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise BadDumpError(f"{dump_path.name}: {inner} is corrupt or truncated ({exc})") from exc
    if parquet:
        try:
            written = [csv_to_parquet(path) for path in written]
        except (pa.ArrowInvalid, ValueError) as exc:
            raise BadDumpError(f"{dump_path.name}: {inner} has a CSV part that cannot be read ({exc})") from exc
    return written


def csv_to_parquet(csv_path: Path) -> Path:
    """One CSV part -> Parquet with the aggregation's columns as text (RFC 4180 quotes, line breaks inside
    quoted cells). Spark's own CSV reader must parse such files whole, on one core, ten times slower than
    this; the SQL then reads compact columns. The CSV is removed."""
    present = [c for c in NEEDED if c in set(header_of(csv_path))]
    table = pacsv.read_csv(
        csv_path, parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(include_columns=present, column_types={c: pa.string() for c in present}))
    out = csv_path.with_suffix(".parquet")
    pq.write_table(table, out)
    csv_path.unlink()
    return out


def stage_task(item: tuple[str, str, str]) -> tuple[str, list[str], str | None]:
    """A Spark task (here so executors import no more than this module): unpack one inner zip into the
    shared staging folder, its parts as Parquet; returns (inner, part paths, error or None)."""
    dump_path, inner, target = item
    try:
        return inner, [str(p) for p in stage_inner(Path(dump_path), inner, Path(target), parquet=True)], None
    except BadDumpError as exc:
        return inner, [], str(exc)


def _copy(archive: zipfile.ZipFile, member: str, target: Path) -> Path:
    out = target / Path(member).name
    with archive.open(member) as source, out.open("wb") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)
    return out


def staged_parts(dump: Dump, staging: Path) -> Iterator[tuple[str, list[Path]]]:
    """Each inner zip's CSV parts, staged one inner zip at a time and removed after use."""
    for inner in inner_zips(dump):
        folder = staging / Path(inner).stem
        parts = stage_inner(dump.path, inner, folder)
        try:
            yield inner, parts
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def header_of(csv_path: Path) -> list[str]:
    """The CSV header (first line), to tell full from light by the columns rather than by the name."""
    with csv_path.open("r", encoding="utf-8-sig", newline="") as handle:
        return [c.strip().strip('"') for c in handle.readline().rstrip("\r\n").split(",")]


def view_query(columns: list[str]) -> str:
    """Which named view query fits the columns: full (has territorial_scope) or light."""
    return "dsa/statements_full" if "territorial_scope" in columns else "dsa/statements_light"


@dataclass
class DayResult:
    """What the job did with one dump: aggregated (ok) or skipped, and why."""

    dump: str
    day: str
    ok: bool
    message: str
    output: Path | None = None
    seconds: float = 0.0
    statements: int = 0


def write_manifest(target: Path, dump: Dump, statements: int, rows: int) -> None:
    """The day's manifest; the loader keys the day's dataset by the dump's checksum written here."""
    (target / MANIFEST).write_text(json.dumps({
        "dump": dump.name, "day": dump.day.isoformat(), "variant": dump.variant, "format": dump.kind,
        "sha256": checksum(dump.path), "statements": statements, "rows": rows, "synthetic": dump.synthetic,
    }, indent=1), encoding="utf-8")
