"""Upload data: read a file, show what is wrong or what would be added, map unknown names, load it in
one transaction; retract or restore any dataset. The logic lives in dashboard.ingest.pipeline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import actions, auth, cache, db, session
from dashboard.ingest import load as loader
from dashboard.ingest import pipeline, reader, templates
from dashboard.ingest.detect import (
    FORMATS,
    TEMPLATE_COLUMNS,
    TEMPLATES,
    Mapping,
    UnknownFormatError,
    suggest_mapping,
)
from dashboard.ingest.model import IngestError
from dashboard.ingest.preview_chart import monthly_bars, period_bars
from dashboard.ui import md_escape

KEEP = "Keep as a new name"
MAX_NAME_PICKERS = 25  # more unknown names than this are kept as new names (listed in a table)


# User text (file, sheet, dataset and place names) is made inert for Markdown labels and messages.
plain = md_escape


def connection() -> db.Connection:
    return cache.connection(str(db.db_path()))


def show_problems(problems: list, file_name: str, *, heading: str) -> None:
    """A rejection: what is wrong, where, and the report as a download."""
    st.error(f"**{heading}** {len(problems):,} problem{'s' if len(problems) != 1 else ''} found in "
             f"{plain(file_name)}. Fix them in the file and upload it again.")
    st.dataframe(pipeline.problems_frame(problems), hide_index=True, width="stretch", key="problem_table")
    st.download_button("Download the validation report (CSV)", pipeline.report_csv(problems),
                       file_name=f"validation_report_{file_name}.csv", mime="text/csv", key="report_download")


def prepare_with_progress(data: bytes, file_name: str, mapping: Mapping | None) -> pipeline.Prepared:
    """Read and check the file once per (file, mapping); reruns reuse the result."""
    key = (pipeline.sha256(data), mapping.template if mapping else None,
           tuple(sorted((mapping.columns if mapping else {}).items(), key=str)))
    cached = st.session_state.get("upload_prepared")
    if cached and cached[0] == key:
        return cached[1]
    bar = st.progress(0.0, text="Reading the file…")
    try:
        prepared = pipeline.prepare(data, file_name, mapping=mapping,
                                    progress=lambda share, text: bar.progress(min(max(share, 0.0), 1.0), text=text))
    finally:
        bar.empty()
    st.session_state["upload_prepared"] = (key, prepared)
    return prepared


def mapping_step(error: UnknownFormatError, file_name: str) -> None:
    """Unknown header: say what is missing, then let the analyst map the columns onto a template."""
    show_problems(error.problems, file_name, heading="The format was not recognised.")
    st.subheader("Map the columns")
    st.caption("Choose the template closest to the file and the column that holds each template column. "
               "Required columns are marked with *.")
    template = st.selectbox("Load as", list(TEMPLATES), format_func=lambda n: TEMPLATES[n].label,
                            key="map_template")
    guesses = suggest_mapping(template, error.header)
    options = ["(none)"] + list(error.header)
    columns = {}
    grid = st.columns(3)
    for i, column in enumerate(TEMPLATE_COLUMNS[template]):
        star = " *" if column in TEMPLATES[template].required else ""
        guess = guesses.get(column)
        picked = grid[i % 3].selectbox(f"{column}{star}", options, index=options.index(guess) if guess else 0,
                                       key=f"map_{template}_{column}")
        columns[column] = None if picked == "(none)" else picked
    if st.button("Apply this mapping", key="apply_mapping", type="primary"):
        st.session_state["upload_mapping"] = (st.session_state.get("upload_sha"), Mapping(template, columns))
        st.rerun()


def names_step(unknown: list[pipeline.UnknownName], tables) -> dict[str, dict[str, str]]:
    """Unknown regions, groups and platforms with the closest known names; returns the analyst's mappings."""
    if not unknown:
        st.success("Every region, group and platform name is known.")
        return {}
    st.subheader("Names not in the reference tables")
    st.caption("Map a name to a known one (saved as a new alias so the next upload knows it), or keep it as a "
               "new name. Suggestions are the closest known spellings.")
    mappings: dict[str, dict[str, str]] = {}
    for name in unknown[:MAX_NAME_PICKERS]:
        known = pipeline.canonical_names(tables, name.entity)
        suggested = [n for n, _ in name.suggestions]
        options = [KEEP] + suggested + [n for n in known if n not in suggested]
        scores = dict(name.suggestions)
        choice = st.selectbox(
            f"{name.entity.title()} “{plain(name.raw)}” ({name.rows:,} row{'s' if name.rows != 1 else ''})", options, key=f"name_{name.entity}_{name.raw}",
            format_func=lambda n, s=scores: f"{n} ({s[n]:.0f}% similar)" if n in s else n)
        if choice != KEEP:
            mappings.setdefault(name.entity, {})[name.raw] = choice
    rest = unknown[MAX_NAME_PICKERS:]
    if rest:
        st.info(f"{len(rest):,} more unknown names will be kept as new names:")
        st.dataframe(pd.DataFrame([{"kind": u.entity, "name": u.raw, "rows": u.rows,
                                    "closest known": ", ".join(n for n, _ in u.suggestions)} for u in rest]),
                     hide_index=True, key="more_names")
    return mappings


def preview_step(prepared: pipeline.Prepared, summary: pipeline.Summary, overlap: dict | None) -> None:
    """What the load would add."""
    st.subheader("Preview")
    cols = st.columns(4)
    cols[0].metric("Rows to load", f"{summary.rows - summary.rows_with_problems:,}")
    cols[1].metric("Rows with problems", f"{summary.rows_with_problems:,}")
    cols[2].metric("From", summary.date_from.strftime("%d %b %Y") if summary.date_from is not None else "–")
    cols[3].metric("To", summary.date_to.strftime("%d %b %Y") if summary.date_to is not None else "–")
    if summary.top:
        boxes = st.columns(len(summary.top))
        for box, (label, counts) in zip(boxes, summary.top.items()):
            box.markdown(f"**{label.title()}** ({len(counts):,})")
            box.dataframe(counts.rename("rows").rename_axis(label).reset_index().head(15), hide_index=True,
                          key=f"preview_{label}")
    series = pipeline.preview_series(prepared)
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
              duplicate: pd.DataFrame) -> None:
    """Catalog fields, the explicit partial-load choice, and the one button that writes."""
    st.subheader("Load")
    if len(duplicate):
        first = duplicate.iloc[0]
        st.warning(f"This exact file was loaded before as dataset {first['dataset_id']} (“{plain(first['name'])}”, "
                   f"{first['status']}). Retract or restore that one below instead.")
        return
    fmt = prepared.format
    left, right = st.columns(2)
    name = left.text_input("Dataset name", value=prepared.file_name.rsplit(".", 1)[0], key="meta_name")
    source = left.text_input("Source", value=fmt.source or "Analyst upload", key="meta_source")
    licence = right.text_input("Licence", value=fmt.licence or "", key="meta_licence")
    attribution = right.text_input("Attribution", value=fmt.source or "", key="meta_attribution")
    notes = right.text_input("Notes", value="", key="meta_notes")
    save_names = st.checkbox("Save my name mappings as aliases for future uploads", value=True, key="save_aliases",
                             disabled=not mappings)
    partial = False
    if prepared.parsed.problems:
        if prepared.file_level_problems:
            st.error("Some problems cannot be skipped row by row: they concern the whole file, or more rows "
                     "than the report lists one by one. Fix the file and upload it again.")
            return
        partial = st.checkbox(f"Load only the {prepared.parsed.rows_read - prepared.rows_with_problems:,} valid "
                              f"rows and skip the {prepared.rows_with_problems:,} rows with problems (recorded in "
                              "the catalog)", value=False, key="allow_partial")
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
    blocked = bool(prepared.parsed.problems) and not partial
    if st.button("Load into the database", type="primary", disabled=blocked, key="load_button"):
        meta = pipeline.meta_for(prepared, name=name, source=source, licence=licence, attribution=attribution,
                                 loaded_by=user.username, notes=notes)
        with st.status("Loading…", expanded=True) as status:
            bar = st.progress(0.0)
            try:
                dataset_id = actions.upload(connection(), user, meta, prepared.parsed, allow_partial=partial,
                                         extra_aliases=mappings, save_mappings=save_names, retract_ids=replaces,
                                         progress=lambda share, text: bar.progress(share, text=text))
            except IngestError as exc:
                status.update(label="Nothing was loaded", state="error")
                show_problems(exc.problems, prepared.file_name, heading="Nothing was loaded.")
                return
            except auth.PermissionDenied as exc:
                status.update(label="Nothing was loaded", state="error")
                st.error(str(exc))
                return
            status.update(label=f"Loaded as dataset {dataset_id}", state="complete")
        cache.clear()
        st.session_state["upload_loaded"] = dataset_id
        st.session_state.pop("upload_prepared", None)


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
    st.success(f"Dataset {dataset_id} “{plain(row['name'])}”: {row['row_count']:,} rows, status {row['status']}.")
    if row["kind"] == "events":
        monthly = cache.query("incidents_by_month", date_from=dt.date(1900, 1, 1), date_to=dt.date.today(),
                              regions=[], groups=[], dataset_ids=[int(dataset_id)])
        if len(monthly):
            st.plotly_chart(monthly_bars(monthly, title=f"Dataset {dataset_id} in the database: events per month",
                                         y_label="events", y="events"), key="loaded_chart")
        else:
            st.info(f"Dataset {dataset_id} has no active events in the database (retracted).")


def catalog_step(user: auth.User) -> None:
    """Every dataset with its provenance; retract or restore one (charts update at once)."""
    st.subheader("Datasets in the database")
    catalog = cache.query("datasets_catalog")
    shown = catalog[["dataset_id", "name", "kind", "format", "file_name", "row_count", "rows_rejected",
                     "loaded_by", "loaded_at", "status", "notes"]]
    st.dataframe(shown, hide_index=True, key="catalog_table")
    left, middle, right = st.columns([3, 1, 1])
    ids = catalog["dataset_id"].tolist()
    names = dict(zip(catalog["dataset_id"], catalog["name"] + " (" + catalog["status"] + ")"))
    picked = left.selectbox("Dataset", ids, index=len(ids) - 1 if ids else None, key="catalog_pick",
                            format_func=lambda i: f"{i}: {names[i]}")
    for box, label, status in ((middle, "Retract", "retracted"), (right, "Restore", "active")):
        if box.button(label, key=f"catalog_{status}", disabled=picked is None):
            try:
                actions.set_dataset_status(connection(), user, int(picked), status)
            except auth.PermissionDenied as exc:
                st.error(str(exc))
            else:
                cache.clear()
                st.toast(f"Dataset {picked} is now {status}.")
                st.rerun()


st.title("Upload data")
user = session.require_role("analyst")
st.caption(f"CSV (any common delimiter; UTF-8, UTF-8 with BOM, Windows-1252), Excel .xlsx or Parquet, up to "
           f"{reader.max_upload_bytes() / 2**20:,.0f} MB. Nothing is written until you press Load, and then "
           "all of it or nothing.")
with st.expander("Accepted formats and templates"):
    st.markdown("\n".join(f"- {fmt.label}" for fmt in FORMATS))
    for column, name in zip(st.columns(len(templates.EXAMPLES)), templates.EXAMPLES):
        column.download_button(templates.EXAMPLES[name][0], templates.template_csv(name), file_name=f"{name}.csv",
                               mime="text/csv", key=f"template_{name}")

uploaded = st.file_uploader("File to upload", type=["csv", "txt", "tsv", "xlsx", "parquet"], key="upload_file")
if uploaded is not None:
    data = uploaded.getvalue()
    st.session_state["upload_sha"] = pipeline.sha256(data)
    own_mapping = st.session_state.get("upload_mapping")
    mapping = own_mapping[1] if own_mapping and own_mapping[0] == st.session_state["upload_sha"] else None
    try:
        prepared = prepare_with_progress(data, uploaded.name, mapping)
    except UnknownFormatError as exc:
        mapping_step(exc, uploaded.name)
    except IngestError as exc:
        show_problems(exc.problems, uploaded.name, heading="The file cannot be loaded.")
    else:
        st.markdown(f"**{prepared.format.label}**"
                    + (" (columns mapped by you)" if prepared.mapping else "")
                    + f" · {plain(prepared.source.describe())} · {prepared.parsed.rows_read:,} rows read")
        if prepared.parsed.problems:
            show_problems(prepared.parsed.problems, uploaded.name, heading="Validation report:")
        else:
            st.success("Validation: no problems found.")
        tables = loader.alias_tables(connection())
        mappings = names_step(pipeline.unknown_names(prepared.parsed, tables), tables)
        preview_step(prepared, pipeline.summarise(prepared, tables, mappings),
                     pipeline.overlap(connection(), prepared))
        load_step(user, prepared, mappings, pipeline.already_loaded(connection(), prepared))
loaded_step()
catalog_step(user)
