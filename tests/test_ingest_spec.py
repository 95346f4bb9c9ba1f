"""The table specs and the format registry against what they describe: the schema the migrations build, the
alias tables, the parsers' output and the templates' downloads."""

from __future__ import annotations

import pytest

from dashboard.ingest import pipeline
from dashboard.ingest.mapping import fits
from dashboard.ingest.registry import BY_NAME, FORMATS, TEMPLATES
from dashboard.ingest.spec import ENTITIES, TABLES, table_for
from dashboard.ingest.templates import template_csv, template_frame


@pytest.mark.parametrize("table", list(TABLES))
def test_each_table_spec_is_the_schema_minus_what_the_database_fills_in(con, table):
    found = con.execute("select column_name, data_type, is_nullable from information_schema.columns "
                        "where table_name = ? order by ordinal_position", [table]).fetchall()
    spec = TABLES[table]
    assert [(c.name, c.type, "NO" if c.required else "YES") for c in spec.columns] == \
           [row for row in found if row[0] not in ("dataset_id", *spec.maintained)]


def test_every_kind_the_catalog_allows_has_a_table_and_every_format_loads_into_one(con):
    kinds = {row[0] for row in con.execute("select distinct kind from datasets").fetchall()}
    assert kinds <= {t.kind for t in TABLES.values()}
    assert {table_for(f.kind).name for f in FORMATS} == set(TABLES)


@pytest.mark.parametrize("table", list(TABLES))
def test_name_columns_keep_the_raw_name_in_a_column_of_the_table(table):
    spec = TABLES[table]
    assert all(c.entity in ENTITIES for c in spec.name_columns)
    assert all(c.raw is None or c.raw in spec.column_names for c in spec.name_columns)
    assert {column for _, column in spec.preview} <= set(spec.column_names) and spec.coverage in spec.column_names


def test_entities_read_their_alias_tables(con):
    from dashboard.ingest.names import alias_tables

    tables = alias_tables(con)
    assert list(tables) == list(ENTITIES) and all(tables[e].canonical for e in ENTITIES)


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_a_template_download_is_read_back_as_its_own_format_with_its_example(name):
    template = TEMPLATES[name]
    assert BY_NAME[name] is template.format
    assert list(template_frame(name).columns) == list(template.download_columns)
    result = pipeline.prepare(template_csv(name), f"{name}.csv")
    assert result.format is template.format and result.parsed.problems == []
    assert template.required <= set(template.download_columns) | {"year"}


def test_the_mapping_step_checks_values_by_the_kind_the_template_spec_gives():
    import pandas as pd

    events = TEMPLATES["native_events"]
    assert fits(events.field("killed"), pd.Series(["3", "0", "12"]))
    assert not fits(events.field("killed"), pd.Series(["Peshawar", "Quetta", "Swat"]))
    assert not fits(events.field("latitude"), pd.Series(["134.5", "200"]))  # outside its bounds
    assert not fits(events.field("month"), pd.Series(["1.5", "2.5"]))  # months are whole
    assert fits(events.field("region"), pd.Series(["Punjab", "Sindh"]))
    assert not fits(events.field("region"), pd.Series(["1", "2"]))


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_the_readme_documents_every_column_of_each_template(name):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Templates"):]
    section = section[:section.index("\n## ")] if "\n## " in section else section
    assert [c for c in TEMPLATES[name].download_columns if f"`{c}`" not in section] == []
