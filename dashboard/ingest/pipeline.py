"""The upload pipeline as plain functions, the same for the page, the tests and the benchmark:

    prepare (inspect -> detect or map columns -> read -> parse/validate)
    -> review (unknown names with suggestions, preview summary, living-series overlap)
    -> load.load (harmonise with the analyst's mappings, one transaction)

Every failure is an IngestError with problems (row, column, value, reason); nothing here writes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pandas as pd

from dashboard import csv_export, db
from dashboard.ingest import reader, repair
from dashboard.ingest.detect import Mapping, UnknownFormatError, columns_to_read, detect
from dashboard.ingest.formats import Format, eu_dsa
from dashboard.ingest.harmonise import Own, canonical_column, map_names, other_country_rows
from dashboard.ingest.model import DatasetMeta, IngestError, Parsed, Problem, sha256
from dashboard.ingest.names import AliasTable
from dashboard.ingest.reader import Progress, Source
from dashboard.ingest.registry import TEMPLATES
from dashboard.ingest.spec import ENTITIES, table_for
from dashboard.ingest.suggest import Suggestion, default_choice, suggest
from dashboard.ingest.validate import ROW


@dataclass
class Prepared:
    """A file read, recognised and validated, ready for review and load."""

    file_name: str
    sha256: str
    source: Source
    format: Format
    parsed: Parsed
    mapping: Mapping | None = None
    notices: list[str] = field(default_factory=list)  # repairs and hints, said on the page and by the CLI
    truncated_line: int | None = None  # the cut-off line left out, when the analyst chose complete rows only

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.parsed.problems if p.row is not None})

    @property
    def file_level_problems(self) -> bool:
        """Problems without a row (or on the header) cannot be skipped by loading only the valid rows."""
        return any(p.row is None or p.row == 1 for p in self.parsed.problems)


def repaired(data: bytes, file_name: str, *, complete_rows_only: bool = False, max_bytes: int | None = None
             ) -> tuple[bytes, list[str], int | None]:
    """The bytes to read after the repairs of dashboard.ingest.repair: (data, notices, cut-off line)."""
    notices: list[str] = []
    fixed = repair.excel_resave(data) if not data.startswith((b"PAR1", b"PK\x03\x04")) else None
    if fixed:
        data = fixed.data
        notices.append(fixed.notice)
    cut_line = None
    if complete_rows_only:
        cut = truncation(data, file_name, max_bytes=max_bytes)
        if cut:
            data, cut_line = cut.data, cut.line
            notices.append(f"Line {cut.line} was cut off ({cut.text!r}): at your choice only the complete rows "
                           "before it are read.")
    return data, notices, cut_line


def truncation(data: bytes, file_name: str, *, max_bytes: int | None = None) -> repair.Truncated | None:
    """The complete rows of a CSV cut off mid-row, or None (not a CSV, or its last row is whole)."""
    fixed = repair.excel_resave(data) if not data.startswith((b"PAR1", b"PK\x03\x04")) else None
    data = fixed.data if fixed else data
    try:
        source = reader.inspect(data, file_name, max_bytes=max_bytes)
    except IngestError:
        return None
    if source.file_type != "csv":
        return None
    return repair.truncated(data, source.delimiter or ",", len(source.header))


def prepare(data: bytes, file_name: str, *, mapping: Mapping | None = None, max_bytes: int | None = None,
            progress: Progress | None = None, complete_rows_only: bool = False) -> Prepared:
    """Read and validate one uploaded file. Raises IngestError for a file that cannot be read at all,
    detect.UnknownFormatError when the header fits no format (the page then offers the mapping step).
    Row-level problems do not raise: they are in ``parsed.problems`` for the report.
    ``complete_rows_only`` reads a file cut off mid-row up to its last complete row (explicit choice)."""
    step = progress or (lambda share, text: None)
    digest = sha256(data)
    data, notices, cut_line = repaired(data, file_name, complete_rows_only=complete_rows_only, max_bytes=max_bytes)
    source = reader.inspect(data, file_name, max_bytes=max_bytes)
    hint = repair.delimiter_hint(source.header)
    if hint:
        notices.append(hint)
    if mapping is None:
        try:
            fmt = detect(list(source.header), file_name)
        except UnknownFormatError as exc:
            if hint:
                exc.problems.append(Problem(1, None, None, hint))
            raise
        columns = columns_to_read(fmt, list(source.header))
    else:
        fmt = TEMPLATES[mapping.template].format
        columns = check_mapping(mapping, source, file_name)
    frame = reader.read(data, source, columns=columns,
                        progress=lambda share, text: step(0.6 * share, text))
    if mapping is not None:
        frame = apply_mapping(frame, mapping)
    step(0.65, f"checking {len(frame):,} rows as {fmt.label}")
    parse_dated = TEMPLATES[mapping.template].parse_dated if mapping is not None else None
    try:
        parsed = (parse_dated(frame, mapping.date_order) if parse_dated is not None and mapping is not None
                  else fmt.parse(frame))
    except (KeyError, ValueError, TypeError, AttributeError) as exc:  # an adapter bug must not become a traceback
        raise IngestError(file_name, [Problem(None, None, None, f"the {fmt.label} reader could not read this file "
                                                                f"({type(exc).__name__}: {exc})")]) from exc
    if mapping is not None:
        parsed.problems[:] = in_file_columns(parsed.problems, mapping)
        parsed.essential = frozenset(column.strip().lower() for c in parsed.essential
                                     if (column := mapping.columns.get(c)))
    step(1.0, f"{len(parsed.frame):,} rows checked, {len(parsed.problems):,} problems")
    return Prepared(file_name, digest, source, fmt, parsed, mapping, notices, cut_line)


def check_mapping(mapping: Mapping, source: Source, file_name: str) -> list[str]:
    """The file columns a mapping reads; every required template column must be mapped."""
    required = set(TEMPLATES[mapping.template].required)
    if "event_date" in required and mapping.columns.get("year"):
        required.discard("event_date")  # date from columns
    missing = sorted(c for c in required if not mapping.columns.get(c))
    unknown = sorted({c for c in mapping.columns.values() if c and c not in source.header})
    problems = [Problem(1, column, None, "this required template column is not mapped to a column of the file")
                for column in missing]
    problems += [Problem(1, column, None, "is not a column of the file") for column in unknown]
    if problems:
        raise IngestError(file_name, problems)
    return sorted({c for c in mapping.columns.values() if c})


def apply_mapping(frame: pd.DataFrame, mapping: Mapping) -> pd.DataFrame:
    """The file's columns renamed to the template's (a file column may feed two template columns)."""
    mapped = {column: frame[source] for column, source in mapping.columns.items()
              if source and column in TEMPLATES[mapping.template].column_names}
    return pd.DataFrame({ROW: frame[ROW], **mapped})


def in_file_columns(problems: list[Problem], mapping: Mapping) -> list[Problem]:
    """Problems of a mapped file name the file's own column (the analyst fixes 'Dead', not 'killed')."""
    named: dict[str | None, str] = {template: source for template, source in mapping.columns.items() if source}
    return [dataclasses.replace(p, column=named.get(p.column, p.column)) for p in problems]


# --- review --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnknownName:
    """A region, group or platform no alias table knows, with the closest canonical names."""

    entity: str
    raw: str
    rows: int
    suggestions: tuple[Suggestion, ...]  # (name, score 0-100, reason), best first; see dashboard.ingest.suggest

    @property
    def default(self) -> str | None:
        """The preselected known name, or None: keep it as a new name (below the threshold)."""
        return default_choice(self.suggestions)


def name_counts(parsed: Parsed, tables: dict[str, AliasTable] | None = None) -> dict[str, tuple[str, pd.Series]]:
    """entity -> (canonical column, rows per raw name) for the name columns of the parsed rows.
    Counting the raw spellings first keeps the review cheap: a million rows hold a few hundred names.
    With ``tables``, regions are counted only on rows of the reference countries (see other_countries)."""
    out = {}
    frame = parsed.frame
    spec = table_for(parsed.kind)
    weight = frame.get(spec.weight) if spec.weight else None
    for column in spec.name_columns:
        entity, source = str(column.entity), column.raw or column.name
        if source not in frame:
            continue
        names = frame[source].astype("str").str.strip()
        if entity == "region" and tables is not None and spec.home_countries:
            abroad = other_country_rows(frame, tables["region"])
            names = names.where(~abroad, None) if abroad.any() else names
        counts = weight.groupby(names).sum() if weight is not None else names.value_counts()
        out[entity] = (column.name, counts[counts.index != ""])
    return out


def unknown_names(parsed: Parsed, tables: dict[str, AliasTable]) -> list[UnknownName]:
    """Every name the alias tables do not know, most frequent first, with suggestions."""
    out: list[UnknownName] = []
    for entity, (_, counts) in name_counts(parsed, tables).items():
        for key, rows in counts.items():
            raw = str(key)  # the names were read as text (name_counts)
            if tables[entity].lookup(raw) is None:
                out.append(UnknownName(entity, raw, int(rows), suggest(tables[entity], raw)))
    order = list(ENTITIES)  # regions before groups (issue 11)
    return sorted(out, key=lambda u: (order.index(u.entity), -u.rows, u.raw))


def other_countries(parsed: Parsed, tables: dict[str, AliasTable]) -> pd.Series:
    """Events per country for the rows of countries the reference regions do not know (largest first);
    empty when every row is in a known country. The analyst keeps them (under their country) or leaves
    them out."""
    frame = parsed.frame
    if not table_for(parsed.kind).home_countries or "country" not in frame:
        return pd.Series(dtype="int64")
    abroad = other_country_rows(frame, tables["region"])
    if not abroad.any():
        return pd.Series(dtype="int64")
    weight = frame["events"] if "events" in frame else pd.Series(1, index=frame.index)
    return weight[abroad].groupby(frame.loc[abroad, "country"].astype("str").str.strip()).sum() \
        .sort_values(ascending=False).astype("int64")


@dataclass
class Summary:
    """What a load would add: the preview the analyst confirms."""

    rows: int
    rows_with_problems: int
    date_from: pd.Timestamp | None
    date_to: pd.Timestamp | None
    top: dict[str, pd.Series] = field(default_factory=dict)  # "regions"/"groups"/"platforms" -> counts
    living: dict[str, int] | None = None


def summarise(prepared: Prepared, tables: dict[str, AliasTable], extra_aliases: Own | None = None) -> Summary:
    """Rows, date range and the regions / groups / platforms the load would add, under the names they
    will have once harmonised (harmonise.map_names) with the alias tables and the analyst's mappings."""
    frame, spec, own = prepared.parsed.frame, table_for(prepared.parsed.kind), extra_aliases or {}
    dates = pd.to_datetime(frame[spec.coverage]).dropna() if spec.coverage in frame else None
    date_from, date_to = (dates.min(), dates.max()) if dates is not None and len(dates) else (None, None)
    counted = {column: (entity, counts) for entity, (column, counts) in name_counts(prepared.parsed).items()}
    named = {c.name: c for c in spec.name_columns}
    top = {}
    for label, column in spec.preview:
        if (column in named and named[column].raw in frame and spec.home_countries and column == "region"
                and other_country_rows(frame, tables["region"]).any()):  # else the cheap path below
            regions, _ = canonical_column(frame, named[column], tables, own, home_countries=True)
            weight = frame[spec.weight] if spec.weight in frame else pd.Series(1, index=frame.index)
            totals = weight.groupby(regions.astype("str").fillna("(no region)")).sum()
        elif column in counted:  # the distinct spellings only: the same rule, far fewer names
            entity, counts = counted[column]
            canonical, _ = map_names(counts.index.to_series(index=counts.index), tables[entity], own.get(entity, {}))
            totals = counts.groupby(canonical).sum()
        elif column in frame and frame[column].notna().any():
            totals = frame[column].value_counts()
        else:
            continue
        top[label] = totals[totals > 0].sort_values(ascending=False)
    return Summary(len(frame), prepared.rows_with_problems, date_from, date_to, top)


def monthly(prepared: Prepared) -> pd.DataFrame:
    """Rows (events for incidents) per month, for the preview chart."""
    frame, spec = prepared.parsed.frame, table_for(prepared.parsed.kind)
    dates = pd.to_datetime(frame[spec.coverage])
    weight = frame[spec.weight] if spec.weight in frame else pd.Series(1, index=frame.index)
    # pandas-stubs type Series.dt.to_period(...).dt.to_timestamp() as a DatetimeArray; it is a Series.
    counts = weight.groupby(dates.dt.to_period("M").dt.to_timestamp()).sum()  # type: ignore[call-overload]
    return counts.rename_axis("month").reset_index(name="rows")


@dataclass(frozen=True)
class PreviewSeries:
    """What the preview chart counts, per what period: rows per month, or statements per day."""

    counts: pd.DataFrame  # columns: period (timestamp), count
    unit: str  # "events", "rows", "statements"
    grain: str  # "month" or "day"


def preview_series(prepared: Prepared) -> PreviewSeries:
    """The preview chart's series. A DSA statements file is counted in statements per UTC day (its rows are
    aggregates: a row count would say nothing), from the total rows, without the terrorist-content
    keyword series, which counts the same statements again."""
    frame = prepared.parsed.frame
    if prepared.format.name == eu_dsa.FORMAT.name:
        totals = frame[frame["breakdown"].isna() & (frame["policy_area"] != eu_dsa.TERRORIST_AREA)]
        counts = totals.groupby(pd.to_datetime(totals["period_start"]))["value"].sum()
        return PreviewSeries(counts.rename_axis("period").reset_index(name="count"), "statements", "day")
    by_month = monthly(prepared).rename(columns={"month": "period", "rows": "count"})
    return PreviewSeries(by_month, table_for(prepared.format.kind).weight or "rows", "month")


def overlap(con: db.Connection, prepared: Prepared) -> dict[str, int] | None:
    """For a living series (ACLED): new, updated, unchanged, older and absent events against the database."""
    if not prepared.format.living:
        return None
    staging = prepared.parsed.frame[["source_event_id", "source_updated_at"]]
    with con.cursor() as cur:
        cur.register("staging", staging)
        row = db.execute(cur, "load/living_overlap", living_key=prepared.format.living).fetchall()[0]
        cur.unregister("staging")
    keys = ("new_events", "newer_events", "same_events", "older_events", "absent_events")
    return dict(zip(keys, (int(x or 0) for x in row), strict=False))


def already_loaded(con: db.Connection, prepared: Prepared) -> pd.DataFrame:
    """Catalog rows holding the same bytes (duplicate upload)."""
    return db.run(con, "datasets_by_sha256", sha256=prepared.sha256)


# --- report and catalog --------------------------------------------------------------------------


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The validation report as a table: row, column, value, reason (row numbers as in a spreadsheet)."""
    return pd.DataFrame({
        "row": pd.array([p.row for p in problems], dtype="Int64"),
        "column": [p.column for p in problems],
        "value": [p.value for p in problems],
        "reason": [p.reason for p in problems],
    })


def report_csv(problems: list[Problem]) -> bytes:
    """The report as a download; cells are neutralised so a formula in a bad cell cannot run in Excel."""
    return csv_export.to_csv_bytes(problems_frame(problems))


def meta_for(prepared: Prepared, *, name: str, source: str, licence: str, attribution: str, loaded_by: str,
             notes: str | None = None) -> DatasetMeta:
    """The catalog row of an upload."""
    fmt = prepared.format
    return DatasetMeta(
        name=name.strip() or prepared.file_name, kind=fmt.kind, source=source.strip() or fmt.source or "Analyst upload",
        licence=licence.strip() or fmt.licence or "unknown", attribution=attribution.strip() or source.strip() or
        fmt.source or "Analyst upload", format=fmt.name if prepared.mapping is None else fmt.name + " (mapped)",
        file_name=prepared.file_name, sha256=prepared.sha256, loaded_by=loaded_by.strip() or "analyst",
        notes=" ".join(filter(None, [(notes or "").strip(), cut_note(prepared)])) or None, living_key=fmt.living,
    )


def cut_note(prepared: Prepared) -> str | None:
    """The catalog's record of a truncated file loaded up to its last complete row."""
    if prepared.truncated_line is None:
        return None
    return (f"The file was cut off at line {prepared.truncated_line}; only the complete rows before it were "
            "loaded, at the analyst's explicit choice.")


def canonical_names(tables: dict[str, AliasTable], entity: str) -> list[str]:
    return sorted(tables[entity].canonical)

