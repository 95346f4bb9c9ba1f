"""Name mapping has one owner (harmonise.map_names): the preview shows each name as the load will store it."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.ingest import pipeline
from dashboard.ingest.harmonise import harmonise, map_names
from dashboard.ingest.model import Parsed
from dashboard.ingest.names import AliasTable, alias_key

REGIONS = AliasTable("region", frozenset({"Punjab", "Khyber Pakhtunkhwa", "Sindh"}),
                     {alias_key("Punjab"): "Punjab", alias_key("Sindh"): "Sindh",
                      alias_key("Khyber Pakhtunkhwa"): "Khyber Pakhtunkhwa", alias_key("KPK"): "Khyber Pakhtunkhwa"},
                     countries=frozenset({"pakistan"}))
GROUPS = AliasTable("group", frozenset({"Tehrik-i-Taliban Pakistan"}),
                    {alias_key("Tehrik-i-Taliban Pakistan"): "Tehrik-i-Taliban Pakistan",
                     alias_key("TTP"): "Tehrik-i-Taliban Pakistan"})
TABLES = {"region": REGIONS, "group": GROUPS, "platform": AliasTable("platform", frozenset(), {})}


def events(rows: list[tuple[str, str, str, int]]) -> Parsed:
    """Parsed incidents: (country, region as received, group as received, events) a row."""
    frame = pd.DataFrame(rows, columns=["country", "region_raw", "group_raw", "events"])
    frame.insert(0, "_row", range(2, len(frame) + 2))
    frame["event_date"] = pd.Timestamp("2024-01-01")
    return Parsed("native_events", "events", frame)


def test_the_analysts_choice_comes_first_then_the_alias_table_then_the_name_as_it_came():
    mapped, unknown = map_names(pd.Series(["KPK", "Newland", "Oldland", None]), REGIONS, {"Newland": "Sindh"})
    assert mapped[:3].tolist() == ["Khyber Pakhtunkhwa", "Sindh", "Oldland"] and pd.isna(mapped[3])
    assert unknown == ["Oldland"]


HOME = [("Pakistan", "KPK", "TTP", 3), ("Pakistan", "Newland", "TTP", 1), ("Pakistan", "Punjab", "Other", 5)]


@pytest.mark.parametrize("abroad", [False, True])  # without rows abroad the preview counts distinct spellings only
def test_the_preview_counts_every_region_and_group_under_the_name_the_load_stores(abroad):
    parsed = events(HOME + ([("India", "Punjab", "Other", 2)] if abroad else []))
    own = {"region": {"Newland": "Sindh"}, "group": {"Other": "Tehrik-i-Taliban Pakistan"}}
    prepared = pipeline.Prepared("f.csv", "0" * 64, None, None, parsed)  # type: ignore[arg-type]
    top = pipeline.summarise(prepared, TABLES, own).top
    stored = harmonise(parsed, TABLES, own).frame
    for label, column in (("regions", "region"), ("groups", "group_name")):
        assert top[label].to_dict() == stored.groupby(column)["events"].sum().to_dict()
    assert top["regions"].to_dict() == {"Punjab": 5, "Khyber Pakhtunkhwa": 3, "Sindh": 1} | (
        {"Punjab (India)": 2} if abroad else {})
