"""Upload data: read a file, show what is wrong or what would be added, map unknown names, load it in
one transaction; retract or restore any dataset. The logic lives in dashboard.ingest.pipeline."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import actions, auth, cache, db, errors, session, storage_ui, ui
from dashboard.filters import Filters
from dashboard.ingest import dates, pipeline, reader, templates, validate
from dashboard.ingest import mapping as decisions_file
from dashboard.ingest.detect import Mapping, UnknownFormatError
from dashboard.ingest.harmonise import other_country_rows
from dashboard.ingest.model import CountryChoice, IngestError, LoadOptions, Problem, blocking
from dashboard.ingest.model import blankable as is_blankable
from dashboard.ingest.names import alias_tables
from dashboard.ingest.preview_chart import monthly_bars, period_bars
from dashboard.ingest.registry import FORMATS, TEMPLATES
from dashboard.ingest.validate import ROW
from dashboard.storage import StorageError
from dashboard.ui import md_escape

KEEP = "Keep as a new name"


# User text (file, sheet, dataset and place names) is made inert for Markdown labels and messages.
plain = md_escape


def connection() -> db.Connection:
    return cache.connection(str(db.db_path()))


def reopen() -> db.Connection:
    """A fresh connection after DuckDB closed the database on a failed commit (to audit the attempt)."""
    cache.reset()
    return connection()


SHOWN_PROBLEMS = 1000  # the page lists this many; the downloadable report holds every problem


def show_problems(problems: list, file_name: str, *, heading: str) -> None:
    """A rejection: what is wrong, where, and the report as a download."""
    st.error(f"**{heading}** {len(problems):,} problem{'s' if len(problems) != 1 else ''} found in "
             f"{plain(file_name)}. Fix them in the file and upload it again.")
    table = pipeline.problems_frame(problems)
    if len(table) > SHOWN_PROBLEMS:
        st.caption(f"The first {SHOWN_PROBLEMS:,} of {len(table):,} problems; the report below lists every one.")
    st.dataframe(table.head(SHOWN_PROBLEMS), hide_index=True, width="stretch", key="problem_table")
    st.download_button("Download the validation report (CSV)", pipeline.report_csv(problems),
                       file_name=f"validation_report_{file_name}.csv", mime="text/csv", key="report_download")


# --- one file in hand: read it once, outside the page's thread; audit a refusal once ----------------

# Reading runs in a worker thread so the page's own thread only waits and draws progress; a hostile file
# is bounded by the reader's caps and deadline (reader.py), not by this wait.
_WORKERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="upload-read")
# Widgets that describe the file in hand: cleared when another file arrives, so nothing (dataset name,
# licence, the catalog picker) carries over from the previous file.
FILE_WIDGETS = ("meta_name", "meta_source", "meta_licence", "meta_attribution", "meta_notes", "allow_partial",
                "replaces", "save_aliases", "catalog_pick", "catalog_confirm", "map_template")
FILE_WIDGET_PREFIXES = ("name_", "map_")


class ReadFailed(Exception):
    """Reading the file failed unexpectedly; the traceback is in the server log under ``error_id``."""

    def __init__(self, error_id: str):
        super().__init__(error_id)
        self.error_id = error_id


def new_file_in_hand(sha: str) -> None:
    """A different file than last run: forget everything the page showed about the previous one."""
    if st.session_state.get("upload_sha") == sha:
        return
    for key in list(st.session_state):
        if key in FILE_WIDGETS or (isinstance(key, str) and key.startswith(FILE_WIDGET_PREFIXES)):
            del st.session_state[key]
    st.session_state["upload_sha"] = sha


# What reading an upload comes to: the checked file, or the error that refused it.
Outcome = pipeline.Prepared | UnknownFormatError | IngestError | ReadFailed


def prepare_once(user: auth.User, data: bytes, file_name: str, mapping: Mapping | None,
                 complete_rows: bool = False) -> Outcome:
    """Read and check the file once per (file, mapping, choice); reruns reuse the outcome: a Prepared file, or
    the error that refused it (IngestError, UnknownFormatError, ReadFailed), audited the first time."""
    key = (pipeline.sha256(data), mapping.template if mapping else None,
           tuple(sorted((mapping.columns if mapping else {}).items(), key=str)),
           mapping.date_order if mapping else None, complete_rows)
    cached = st.session_state.get("upload_prepared")
    if cached and cached[0] == key:
        return cached[1]
    done, note = 0.0, "Reading the file…"
    lock = threading.Lock()

    def progress(share: float, text: str) -> None:  # called from the worker: no st.* here
        nonlocal done, note
        with lock:
            done, note = min(max(share, 0.0), 1.0), text

    bar = st.progress(0.0, text=note)
    job = _WORKERS.submit(pipeline.prepare, data, file_name, mapping=mapping, complete_rows_only=complete_rows,
                          progress=progress)
    try:
        while True:
            try:
                outcome: Outcome = job.result(timeout=0.25)
                break
            except TimeoutError:
                with lock:
                    bar.progress(done, text=note)
    except (UnknownFormatError, IngestError) as exc:
        outcome = exc.with_traceback(None)
    except Exception as exc:  # noqa: BLE001 -- a reader bug or a library failing on a hostile file: never a traceback
        outcome = ReadFailed(errors.report(exc, where=f"reading upload {file_name}"))
        actions.record_failure(connection(), user, "upload", file_name, outcome.error_id, exc)
    finally:
        bar.empty()
    audit_outcome(user, file_name, outcome)
    st.session_state["upload_prepared"] = (key, outcome)
    return outcome


def audit_outcome(user: auth.User, file_name: str, outcome: Outcome) -> None:
    """Every refused file is in the audit log with its first problem (a failure was logged when it
    happened); a file with row problems is logged as 'reported' (it loads only by explicit choice)."""
    if isinstance(outcome, UnknownFormatError):
        actions.record_refusal(connection(), user, file_name, outcome.problems, outcome="unrecognised")
    elif isinstance(outcome, IngestError):
        actions.record_refusal(connection(), user, file_name, outcome.problems)
    elif isinstance(outcome, pipeline.Prepared) and outcome.parsed.problems:
        actions.record_refusal(connection(), user, file_name, outcome.parsed.problems,
                               outcome="refused" if outcome.file_level_problems else "reported")


# --- decisions kept per file shape (issue 11) ------------------------------------------------------


SAMPLE_BYTES = 256 * 1024  # the mapping step's guesses and date preview read this much of a CSV


def file_header(data: bytes, file_name: str) -> tuple[str, ...]:
    """The header as the pipeline reads it (after repairs); empty when the file cannot be read at all."""
    sha = pipeline.sha256(data)
    cached = st.session_state.get("upload_header")
    if cached and cached[0] == sha:
        return cached[1]
    try:
        header = tuple(reader.inspect(pipeline.repaired(data, file_name)[0], file_name).header)
    except IngestError:
        header = ()
    st.session_state["upload_header"] = (sha, header)
    return header


def file_sample(data: bytes, file_name: str) -> pd.DataFrame:
    """The first rows of a file as text, for the mapping step only (a CSV is read up to SAMPLE_BYTES, so a
    large file is never read whole for a guess); empty when they cannot be read. Cached per file."""
    sha = pipeline.sha256(data)
    cached = st.session_state.get("upload_sample")
    if cached and cached[0] == sha:
        return cached[1]
    try:
        fixed = pipeline.repaired(data, file_name)[0]
        source = reader.inspect(fixed, file_name)
        if source.file_type == "csv" and len(fixed) > SAMPLE_BYTES:
            fixed = fixed[: fixed.rfind(b"\n", 0, SAMPLE_BYTES) + 1]
        frame = reader.read(fixed, source).head(500)
    except IngestError:
        frame = pd.DataFrame()
    st.session_state["upload_sample"] = (sha, frame)
    return frame


def shape_decisions(shape: str) -> decisions_file.Decisions | None:
    return st.session_state.setdefault("decisions_by_shape", {}).get(shape)


def save_decisions(shape: str, decisions: decisions_file.Decisions) -> None:
    st.session_state.setdefault("decisions_by_shape", {})[shape] = decisions


def current_mapping(sha: str, shape: str) -> tuple[Mapping | None, bool]:
    """The mapping for this file: the analyst's own for these bytes, else the one saved for files of the same
    shape. The flag says it came from the shape (the page says so: never applied silently)."""
    own = st.session_state.get("upload_mapping")
    if own and own[0] == sha:
        return own[1], False
    saved = shape_decisions(shape)
    return (saved.mapping, True) if saved and saved.mapping else (None, False)


@st.fragment
def mapping_file_step(sha: str, shape: str, header: tuple[str, ...]) -> None:
    """Upload a mapping file (JSON, as downloaded below): its decisions apply to this file and its shape.
    A fragment: a file that cannot be used is reported here; one that can reruns the page with its decisions."""
    given = st.file_uploader("Use a mapping file (JSON)", type=["json"], key=f"mapping_file_{shape}")
    if given is None or st.session_state.get("mapping_file_seen") == (shape, given.file_id):
        return
    st.session_state["mapping_file_seen"] = (shape, given.file_id)
    try:
        decisions = decisions_file.from_json(given.getvalue())
    except decisions_file.MappingFileError as exc:
        st.error(f"{plain(given.name)}: {plain(str(exc))}")
        return
    unknown = sorted({c for c in (decisions.mapping.columns.values() if decisions.mapping else []) if c}
                     - set(header))
    if unknown:
        st.error(f"{plain(given.name)} maps columns this file does not have: {plain(', '.join(unknown))}")
        return
    save_decisions(shape, decisions_file.Decisions(decisions.mapping, decisions.names, header))
    if decisions.mapping is not None:
        st.session_state["upload_mapping"] = (sha, decisions.mapping)
    st.session_state.setdefault("name_picks", {}).update(
        {(entity, raw): name for entity, names in decisions.names.items() for raw, name in names.items()})
    st.rerun(scope="app")


NONE = "(none)"


@st.fragment
def mapping_step(header: tuple[str, ...], data: bytes, file_name: str, sha: str, shape: str,
                 current: Mapping | None) -> None:
    """Map the file's columns onto a template. Widgets rerun only this fragment (the date preview is live);
    Apply reruns the page. Shown again, editable, after Apply."""
    sample = file_sample(data, file_name)
    st.subheader("Map the columns")
    st.caption("Choose the template closest to the file and the column that holds each template column. "
               "Required columns are marked with *; every other one may stay “(none)”.")
    names = list(TEMPLATES)
    template = st.selectbox("Load as", names, format_func=lambda n: TEMPLATES[n].format.label,
                            key=f"map_template_{shape}",
                            index=names.index(current.template) if current else 0)
    guessed = decisions_file.guess(template, list(header), sample if len(sample) else None)
    chosen = current.columns if current and current.template == template else guessed.columns
    options = [NONE, *list(header)]
    spec = TEMPLATES[template]
    required = spec.required
    columns: dict[str, str | None] = {}

    def picker(box, column: str, label: str | None = None) -> None:
        value = chosen.get(column)
        note = guessed.notes.get(column)
        picked = box.selectbox(label or (column + (" *" if column in required else "")), options,
                               index=options.index(value) if value in options else 0,
                               key=f"map_{shape}_{template}_{column}",
                               help=f"Guess: {plain(note)}" if note else None)
        columns[column] = None if picked == NONE else picked

    main_columns = [c for c in spec.column_names if c in required]
    optional = [c for c in spec.download_columns if c not in required]
    grid = st.columns(3)
    for i, column in enumerate(main_columns):
        picker(grid[i % 3], column, "event_date * (or a year column below)" if column == "event_date" else None)
    order = current.date_order if current else "auto"
    if "event_date" in spec.column_names:
        st.markdown("**Date**")
        left, right = st.columns(2)
        # never None: the box has an index
        order = left.selectbox("Date format", list(dates.ORDERS), format_func=lambda o: dates.ORDERS[o],
                               index=list(dates.ORDERS).index(order), key=f"map_{shape}_date_order") or order
        st.caption("Or build the date from columns (a month or day of 0 or blank is unknown and sets the "
                   "precision); used when no date column is chosen.")
        parts = st.columns(3)
        for box, column in zip(parts, ("year", "month", "day"), strict=False):
            picker(box, column, f"{column} (date from columns)")
        date_column = columns.get("event_date")
        if date_column and date_column in sample:
            right.dataframe(dates.preview(sample[date_column], order), hide_index=True, key=f"map_{shape}_preview")
    st.markdown("**Optional columns**")
    grid = st.columns(3)
    for i, column in enumerate(optional):
        picker(grid[i % 3], column)
    notes = [f"{column}: {note}" for column, note in guessed.notes.items()]
    if notes:
        st.caption("Guesses: " + plain("; ".join(notes)))
    if st.button("Apply this mapping", key="apply_mapping", type="primary"):
        mapping = Mapping(template, columns, order)
        st.session_state["upload_mapping"] = (sha, mapping)
        saved = shape_decisions(shape)
        save_decisions(shape, decisions_file.Decisions(mapping, saved.names if saved else {}, header))
        st.rerun(scope="app")


# --- names, countries and partial-load choices ------------------------------------------------------

NAMES_PER_PAGE = 20


def names_review(prepared: pipeline.Prepared):
    """Alias tables and the unknown names with suggestions, worked out once per file and data version: a
    name pick reruns the page, and suggesting for hundreds of names is its largest cost."""
    key = (id(prepared), db.data_version(connection()))
    cached = st.session_state.get("upload_names")
    if cached and cached[0] == key:
        return cached[1], cached[2]
    tables = alias_tables(connection())
    unknown = pipeline.unknown_names(prepared.parsed, tables)
    st.session_state["upload_names"] = (key, tables, unknown)
    return tables, unknown


def name_choice(name: pipeline.UnknownName) -> str:
    """The analyst's pick for a name, else the preselected suggestion, else keep."""
    return st.session_state.get("name_picks", {}).get((name.entity, name.raw)) or name.default or KEEP


def name_mappings(unknown: list[pipeline.UnknownName], tables) -> dict[str, dict[str, str]]:
    """The mappings the load applies; a pick that is not a known name (a stale or edited mapping file) is
    kept as a new name rather than trusted."""
    out: dict[str, dict[str, str]] = {}
    for name in unknown:
        choice = name_choice(name)
        if choice != KEEP and choice in tables[name.entity].canonical:
            out.setdefault(name.entity, {})[name.raw] = choice
    return out


def with_reason(reasons: dict[str, str]) -> Callable[[str], str]:
    """A name box's labels: each suggested name with why it was suggested."""
    return lambda name: f"{name} — {reasons[name]}" if name in reasons else name


@st.fragment
def names_step(unknown: list[pipeline.UnknownName], tables, sha: str) -> None:
    """Every unknown name, regions first, with search and paging (no cap). Picks are made in a form: one
    rerun per page of choices, not per pick; search and paging rerun only this fragment."""
    if not unknown:
        st.success("Every region, group and platform name is known.")
        return
    st.subheader("Names not in the reference tables")
    st.caption("Map a name to a known one (saved as a new alias so the next upload knows it), or keep it as a new "
               "name. Up to three suggestions with their reason; a suggestion is preselected only when it is "
               "very likely, else the name is kept as new.")
    left, right = st.columns([3, 1])
    query = left.text_input("Search names", key="names_search").strip().casefold()
    shown = [u for u in unknown if query in u.raw.casefold()] if query else unknown
    pages = max(1, -(-len(shown) // NAMES_PER_PAGE))
    page_number = right.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1,
                                     key="names_page")
    page = shown[(int(page_number) - 1) * NAMES_PER_PAGE:int(page_number) * NAMES_PER_PAGE]
    st.caption(f"{len(shown):,} of {len(unknown):,} unknown names; showing {len(page):,}. Save each page's choices "
               "before turning the page.")
    with st.form(f"names_form_{sha[:12]}", border=False):
        picks: dict[tuple[str, str], str] = {}
        for name in page:
            suggested = [s.name for s in name.suggestions]
            reasons = {s.name: s.reason for s in name.suggestions}
            known = pipeline.canonical_names(tables, name.entity)
            options = [KEEP] + suggested + [n for n in known if n not in suggested]
            current = name_choice(name)
            picks[(name.entity, name.raw)] = st.selectbox(  # labels escaped: names are the file's text
                f"{name.entity.title()} “{plain(name.raw)}” ({name.rows:,} row{'s' if name.rows != 1 else ''})",
                options, index=options.index(current) if current in options else 0,
                key=f"name_{name.entity}_{name.raw}",
                format_func=with_reason(reasons))
        if st.form_submit_button("Save these name choices", type="primary", key="names_submit"):
            st.session_state.setdefault("name_picks", {}).update(picks)
            st.rerun(scope="app")


def countries_step(other: pd.Series, sha: str) -> CountryChoice | None:
    """Rows of countries the reference tables do not know: reported by country, kept or left out."""
    if other.empty:
        return "keep"
    st.subheader("Rows of other countries")
    st.warning(f"{int(other.sum()):,} events are in countries the reference tables do not know. Their regions are "
               "never matched to Pakistan's: kept, they are shown under their country (e.g. “Punjab (India)”) "
               "and never counted in Pakistan's provinces or on its map.")
    st.dataframe(other.rename("events").rename_axis("country").reset_index(), hide_index=True, key="other_countries")
    choices: list[CountryChoice] = ["keep", "leave_out"]
    choice = st.radio("These rows", choices, index=None, key=f"other_countries_{sha[:12]}",
                      format_func={"keep": "Keep them, under their country", "leave_out": "Leave them out"}.get)
    if choice is None:
        st.info("Choose whether to keep or leave out these rows before loading.")
    return choice


@dataclass
class Choices:
    partial: bool = False
    blank: bool = False
    countries: CountryChoice | None = "keep"


def choices_step(prepared: pipeline.Prepared, countries: CountryChoice | None) -> Choices | None:
    """The explicit partial-load choices; None when a problem cannot be skipped."""
    chosen = Choices(countries=countries)
    parsed = prepared.parsed
    if not parsed.problems:
        return chosen
    blankable = [p for p in parsed.problems if is_blankable(p, parsed.essential)]
    if blankable:
        chosen.blank = st.checkbox(f"Leave the {len(blankable):,} invalid optional cells blank and keep their rows "
                                   "(each is listed in the report; recorded in the catalog)", value=False,
                                   key="blank_optional")
    hard = blocking(parsed, chosen.blank)
    if any(p.row is None or p.row == 1 for p in hard):
        st.error("Some problems cannot be skipped row by row: they concern the whole file. Fix the file and "
                 "upload it again.")
        return None
    if hard:
        bad = len({p.row for p in hard})
        chosen.partial = st.checkbox(f"Load only the {len(parsed.frame) - bad:,} valid rows and skip the {bad:,} "
                                     "rows with problems (recorded in the catalog)", value=False, key="allow_partial")
    return chosen


def rows_to_load(prepared: pipeline.Prepared, chosen: Choices | None, tables) -> int:
    """What the load would write under the choices made (the preview's first number)."""
    parsed = prepared.parsed
    if chosen is None:
        return 0
    hard = blocking(parsed, chosen.blank)
    if hard and not chosen.partial:
        return 0
    keep = ~parsed.frame[ROW].isin({p.row for p in hard})
    if chosen.countries == "leave_out":
        keep &= ~other_country_rows(parsed.frame, tables["region"])
    return int(keep.sum())


@dataclass(frozen=True)
class Review:
    """What the decisions below are made on, worked out once per page run (a decision reruns only its
    fragment, with these as they were)."""

    other: pd.Series  # events per country outside the reference tables
    summary: pipeline.Summary
    series: pipeline.PreviewSeries
    overlap: dict[str, int] | None
    duplicate: pd.DataFrame  # catalog rows holding the same bytes


def review_of(prepared: pipeline.Prepared, tables, mappings: dict[str, dict[str, str]]) -> Review:
    return Review(pipeline.other_countries(prepared.parsed, tables), pipeline.summarise(prepared, tables, mappings),
                  pipeline.preview_series(prepared), pipeline.overlap(connection(), prepared),
                  pipeline.already_loaded(connection(), prepared))


@st.fragment
def decide_and_load(user: auth.User, prepared: pipeline.Prepared, tables, mappings: dict[str, dict[str, str]],
                    review: Review, sha: str) -> None:
    """The partial-load choices, the preview they change, and the load. A fragment: a choice or a catalog field
    reruns only this section; a load reruns the page (the catalog and the loaded panel below change)."""
    chosen = choices_step(prepared, countries_step(review.other, sha))
    preview_step(review, rows_to_load(prepared, chosen, tables))
    if load_step(user, prepared, mappings, review.duplicate, chosen):
        st.rerun(scope="app")


def preview_step(review: Review, to_load: int) -> None:
    """What the load would add."""
    summary, overlap = review.summary, review.overlap
    st.subheader("Preview")
    cols = st.columns(4)
    cols[0].metric("Rows to load", f"{to_load:,}")
    cols[1].metric("Rows with problems", f"{summary.rows_with_problems:,}")
    cols[2].metric("From", summary.date_from.strftime("%d %b %Y") if summary.date_from is not None else "–")
    cols[3].metric("To", summary.date_to.strftime("%d %b %Y") if summary.date_to is not None else "–")
    if summary.top:
        boxes = st.columns(len(summary.top))
        for box, (label, counts) in zip(boxes, summary.top.items(), strict=False):
            box.markdown(f"**{label.title()}** ({len(counts):,})")
            box.dataframe(counts.rename("rows").rename_axis(label).reset_index().head(15), hide_index=True,
                          key=f"preview_{label}")
    series = review.series
    if len(series.counts):
        st.plotly_chart(period_bars(series.counts, title=f"What this file adds: {series.unit} per {series.grain}",
                                    y_label=series.unit, grain=series.grain), key="preview_chart")
    if overlap and overlap["new_events"] == sum(overlap.values()):
        st.info(f"All {overlap['new_events']:,} events are new to the database.")
    elif overlap:
        st.info(f"ACLED is a living dataset. Of this file's events, {overlap['new_events']:,} are new, "
                f"{overlap['newer_events']:,} update a loaded version (newer timestamp), "
                f"{overlap['same_events']:,} are the same version and {overlap['older_events']:,} are older than "
                f"the loaded version (they stay hidden). {overlap['absent_events']:,} loaded events are not in "
                "this file: they are kept unless you mark this export as replacing the earlier ones.")


def load_step(user: auth.User, prepared: pipeline.Prepared, mappings: dict[str, dict[str, str]],
              duplicate: pd.DataFrame, chosen: Choices | None) -> bool:
    """Catalog fields, the explicit partial-load choice, and the one button that writes. True once loaded."""
    st.subheader("Load")
    if len(duplicate):
        first = duplicate.iloc[0]
        st.warning(f"This exact file was loaded before as dataset {first['dataset_id']} (“{plain(first['name'])}”, "
                   f"{first['status']}). Retract or restore that one below instead.")
        return False
    fmt = prepared.format
    left, right = st.columns(2)
    name = left.text_input("Dataset name", value=prepared.file_name.rsplit(".", 1)[0], key="meta_name")
    source = left.text_input("Source", value=fmt.source or "Analyst upload", key="meta_source")
    licence = right.text_input("Licence", value=fmt.licence or "", key="meta_licence")
    attribution = right.text_input("Attribution", value=fmt.source or "", key="meta_attribution")
    notes = right.text_input("Notes", value="", key="meta_notes")
    save_names = st.checkbox("Save my name mappings as aliases for future uploads", value=True, key="save_aliases",
                             disabled=not mappings)
    if chosen is None:
        return False
    replaces: tuple[int, ...] = ()
    if fmt.living:
        earlier = db.run(connection(), "load/datasets_living", living_key=fmt.living)
        if len(earlier):
            picked = st.multiselect(
                "This is a full export that replaces these earlier ones (events missing from it were deleted "
                "at the source; the earlier datasets are retracted in the same step)",
                earlier["dataset_id"].tolist(), key="replaces",
                format_func=lambda i: f"{i}: {earlier.set_index('dataset_id').loc[i, 'name']}")
            replaces = tuple(int(i) for i in picked)
    typed = catalog_field_problems({"Dataset name": name, "Source": source, "Licence": licence,
                                    "Attribution": attribution, "Notes": notes})
    for problem in typed:
        st.error(f"{problem.column}: {plain(problem.reason)}")
    blocked = ((bool(blocking(prepared.parsed, chosen.blank)) and not chosen.partial)
               or chosen.countries is None or bool(typed))
    countries = chosen.countries
    if not st.button("Load into the database", type="primary", disabled=blocked, key="load_button") \
            or countries is None:  # never None here: no country choice blocks the button
        return False
    meta = pipeline.meta_for(prepared, name=name, source=source, licence=licence, attribution=attribution,
                             loaded_by=user.username, notes=notes)
    with st.status("Loading…", expanded=True) as status:
        bar = st.progress(0.0)

        def show_progress(share: float, text: str) -> None:
            bar.progress(share, text=text)

        try:
            options = LoadOptions(allow_partial=chosen.partial, blank_optional=chosen.blank,
                                  other_countries=countries, extra_aliases=mappings,
                                  save_mappings=save_names, retract_ids=replaces)
            dataset_id = actions.upload(connection(), user, meta, prepared.parsed, options, reopen=reopen,
                                        progress=show_progress)
        except StorageError as fault:
            status.update(label="Nothing was loaded", state="error")
            storage_ui.show_fault(fault, f"loading {prepared.file_name}")
            st.info("The database is as it was before this load. Once the cause is fixed, press Load again.")
            return False
        except IngestError as exc:
            status.update(label="Nothing was loaded", state="error")
            show_problems(exc.problems, prepared.file_name, heading="Nothing was loaded.")
            return False
        except auth.PermissionDenied as exc:
            status.update(label="Nothing was loaded", state="error")
            st.error(str(exc))
            return False
        except Exception as exc:  # noqa: BLE001 -- a database fault: the transaction rolled back; actions.upload audited it
            status.update(label="Nothing was loaded", state="error")
            errors.show(errors.report(exc, where=f"loading upload {prepared.file_name}"),
                        f"Nothing was loaded: {plain(prepared.file_name)} could not be written")
            return False
        status.update(label=f"Loaded as dataset {dataset_id}", state="complete")
    cache.clear()
    st.session_state["upload_loaded"] = dataset_id
    st.session_state["upload_loaded_sha"] = prepared.sha256  # the file read stays in hand: no second read
    st.session_state["catalog_pick"] = dataset_id  # the picker follows the file just loaded
    st.session_state.pop("catalog_confirm", None)
    return True


def catalog_field_problems(fields: dict[str, str]) -> list[Problem]:
    """The catalog fields typed on the page, checked like the file's name cells: no control or
    text-direction characters, formulas, markup or mixed-script look-alikes (they reach every footnote
    and briefing)."""
    out: list[Problem] = []
    for label, value in fields.items():
        if ui.visible(value) != value:
            out.append(Problem(None, label, None, "contains an invisible control or text-direction character; "
                                                  "retype it"))
            continue
        problems: list[Problem] = []
        validate.text(pd.DataFrame({ROW: [0], label: [str(value)]}), label, problems, max_length=10_000)
        out += [Problem(None, label, p.value, p.reason) for p in problems]
    return out


def loaded_step() -> None:
    """After a load: the new dataset as the database now serves it (empty once retracted)."""
    dataset_id = st.session_state.get("upload_loaded")
    if dataset_id is None:
        return
    catalog = cache.query("datasets_catalog")
    row = catalog[catalog["dataset_id"] == dataset_id]
    if row.empty:
        return
    row = row.iloc[0]
    st.success(f"Loaded as dataset {dataset_id} “{plain(row['name'])}”: {row['row_count']:,} rows, "
               f"status {row['status']}.")
    if row["kind"] == "events":
        monthly = cache.query("incidents_by_month", **Filters(date_from=dt.date(1900, 1, 1), date_to=dt.date.today(),
                                                              dataset_ids=(int(dataset_id),)).params())
        if len(monthly):
            st.plotly_chart(monthly_bars(monthly, title=f"Dataset {dataset_id} in the database: events per month",
                                         y_label="events", y="events"), key="loaded_chart")
        else:
            st.info(f"Dataset {dataset_id} has no active events in the database (retracted).")


@st.fragment
def catalog_step(user: auth.User) -> None:
    """Every dataset with its provenance; retract or restore one (charts update at once). The buttons name
    the dataset picked and ask for confirmation, so a stale pick cannot retract the wrong one silently.
    A fragment: picking and asking rerun only this section; a retract or restore reruns the page."""
    st.subheader("Datasets in the database")
    catalog = cache.query("datasets_catalog")
    shown = catalog[["dataset_id", "name", "kind", "format", "file_name", "row_count", "rows_rejected",
                     "loaded_by", "loaded_at", "status", "notes"]]
    st.dataframe(shown, hide_index=True, key="catalog_table")
    left, middle, right = st.columns([3, 1, 1])
    ids = catalog["dataset_id"].tolist()
    books = catalog.set_index("dataset_id")  # ids are unique; names are not
    if st.session_state.get("catalog_pick") not in ids:
        st.session_state.pop("catalog_pick", None)
    picked = left.selectbox("Dataset", ids, index=None, key="catalog_pick", placeholder="Choose a dataset",
                            format_func=lambda i: f"{i}: {books.loc[i, 'name']} ({books.loc[i, 'status']})")
    current = books.loc[picked, "status"] if picked is not None else None
    for box, label, status in ((middle, "Retract", "retracted"), (right, "Restore", "active")):
        if box.button(f"{label} #{picked}" if picked is not None else label, key=f"catalog_{status}",
                      disabled=picked is None or current == status or bool(cache.read_only_reason())) \
                and picked is not None:  # always so: the button is disabled without a pick
            st.session_state["catalog_confirm"] = (int(picked), status)
    confirm_step(user, books)


def confirm_step(user: auth.User, books: pd.DataFrame) -> None:
    """'Retract dataset 7 “name”?' with Yes / Cancel; the change happens only on Yes."""
    asked = st.session_state.get("catalog_confirm")
    if not asked or asked[0] not in books.index:
        return
    dataset_id, status = asked
    verb = "Retract" if status == "retracted" else "Restore"
    row = books.loc[dataset_id]
    effect = ("Every chart stops showing it at once." if status == "retracted" else
              "Every chart shows it again at once.")
    st.warning(f"{verb} dataset {dataset_id} “{plain(row['name'])}” ({plain(row['file_name'])}, "
               f"{int(row['row_count']):,} rows, loaded by {plain(row['loaded_by'])})? {effect}")
    yes, no = st.columns([1, 4])
    no.button("Cancel", key="catalog_confirm_no", on_click=st.session_state.pop, args=("catalog_confirm", None))
    if yes.button(f"Yes, {verb.lower()} dataset {dataset_id}", key="catalog_confirm_yes", type="primary"):
        st.session_state.pop("catalog_confirm", None)
        try:
            actions.set_dataset_status(connection(), user, int(dataset_id), status)
        except auth.PermissionDenied as exc:
            st.error(str(exc))
        except actions.NoChange as exc:
            st.info(f"Nothing changed: {plain(str(exc))}.")
        except StorageError as fault:
            storage_ui.show_fault(fault, f"setting dataset {dataset_id} {status}")
        else:
            cache.clear()
            st.toast(f"Dataset {dataset_id} is now {status}.")
            st.rerun(scope="app")


st.title("Upload data")
user = session.require_role("analyst")
st.caption(f"CSV (any common delimiter; UTF-8, UTF-8 with BOM, Windows-1252), Excel .xlsx or Parquet, up to "
           f"{reader.max_upload_bytes() / 2**20:,.0f} MB. Nothing is written until you press Load, and then "
           "all of it or nothing.")
with st.expander("Accepted formats and templates"):
    st.markdown("\n".join(f"- {fmt.label}" for fmt in FORMATS))
    for column, (name, template) in zip(st.columns(len(TEMPLATES)), TEMPLATES.items(), strict=True):
        column.download_button(template.download, templates.template_csv(name), file_name=f"{name}.csv",
                               mime="text/csv", key=f"template_{name}")

read_only = storage_ui.read_only_notice("uploads, retracts and restores")
uploaded = None if read_only else st.file_uploader("File to upload", type=["csv", "txt", "tsv", "xlsx", "parquet"],
                                                   key="upload_file")
if uploaded is not None:
    data = uploaded.getvalue()
    sha = pipeline.sha256(data)
    new_file_in_hand(sha)  # nothing (catalog fields, picker, name picks) carries over from another file
    if st.session_state.get("upload_loaded_sha") not in (None, sha):
        st.session_state.pop("upload_loaded", None)  # the last file's "loaded" panel is not this file's
        st.session_state.pop("upload_loaded_sha", None)
    header = file_header(data, uploaded.name)
    shape = decisions_file.shape_key(header)
    mapping, from_shape = current_mapping(sha, shape)
    complete_rows = st.session_state.get("complete_rows_for") == sha  # kept once the checkbox has gone
    if from_shape:
        st.info("Using the mapping you made for a file of the same shape; change it below if this file needs "
                "another.")
    prepared = prepare_once(user, data, uploaded.name, mapping, complete_rows)
    if isinstance(prepared, UnknownFormatError):
        show_problems(prepared.problems, uploaded.name, heading="The format was not recognised.")
        mapping_step(header, data, uploaded.name, sha, shape, mapping)
        mapping_file_step(sha, shape, header)
    elif isinstance(prepared, ReadFailed):
        errors.show(prepared.error_id, f"{plain(uploaded.name)} could not be read")
    elif isinstance(prepared, IngestError):
        show_problems(prepared.problems, uploaded.name, heading="The file cannot be loaded.")
        if mapping is not None and header:
            mapping_step(header, data, uploaded.name, sha, shape, mapping)
        cut = pipeline.truncation(data, uploaded.name)
        if cut is not None and st.checkbox(f"The file is cut off at line {cut.line} ({plain(repr(cut.text))}). "
                                           "Load the complete rows before it (recorded in the catalog)",
                                           key=f"complete_rows_{sha[:12]}"):
            st.session_state["complete_rows_for"] = sha
            st.rerun()
    else:
        st.markdown(f"**{prepared.format.label}**"
                    + (" (columns mapped by you)" if prepared.mapping else "")
                    + f" · {plain(prepared.source.describe())} · {prepared.parsed.rows_read:,} rows read")
        for notice in prepared.notices:
            st.info(plain(notice))
        if prepared.mapping is not None:
            with st.expander("Column mapping (edit and apply again)", expanded=bool(prepared.parsed.problems)):
                mapping_step(header, data, uploaded.name, sha, shape, prepared.mapping)
        if prepared.parsed.problems:
            show_problems(prepared.parsed.problems, uploaded.name, heading="Validation report:")
        else:
            st.success("Validation: no problems found.")
        tables, unknown = names_review(prepared)
        names_step(unknown, tables, sha)
        mappings = name_mappings(unknown, tables)
        decisions = decisions_file.Decisions(prepared.mapping, mappings, header)
        if prepared.mapping is not None or mappings:
            save_decisions(shape, decisions)
        with st.expander("Mapping file: save or reuse these decisions"):
            st.download_button("Download these decisions (JSON)", decisions_file.to_json(decisions),
                               file_name=f"mapping_{uploaded.name.rsplit('.', 1)[0]}.json",
                               mime="application/json", key="decisions_download")
            mapping_file_step(sha, shape, header)
        decide_and_load(user, prepared, tables, mappings, review_of(prepared, tables, mappings), sha)
loaded_step()
catalog_step(user)
