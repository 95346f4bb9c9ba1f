"""Names from every source land on one canonical spelling."""

from __future__ import annotations

import pytest

from dashboard.ingest.names import alias_key, load_alias_table


@pytest.mark.parametrize("raw, canonical", [
    ("KPK", "Khyber Pakhtunkhwa"), ("NWFP", "Khyber Pakhtunkhwa"),
    ("Khyber Pakhtunkwa province", "Khyber Pakhtunkhwa"), ("khyber-pakhtunkhwa", "Khyber Pakhtunkhwa"),
    ("Baluchistan", "Balochistan"), ("Balochistan province", "Balochistan"),
    ("AJK", "Azad Jammu and Kashmir"), ("Azad Kashmir", "Azad Jammu and Kashmir"),
    ("Azad Jammu & Kashmir", "Azad Jammu and Kashmir"),
    ("FATA", "ex-FATA"), ("Federally Administered Tribal Areas", "ex-FATA"), ("ex-FATA (merged districts)", "ex-FATA"),
    ("Capital", "Islamabad Capital Territory"), ("ICT", "Islamabad Capital Territory"),
    ("Islamabad Capital territory", "Islamabad Capital Territory"), ("Sindh Province", "Sindh"),
])
def test_region_spellings(con, raw, canonical):
    assert load_alias_table(con, "region").lookup(raw) == canonical


@pytest.mark.parametrize("raw, canonical", [
    ("TTP", "Tehrik-i-Taliban Pakistan"), ("Tehreek-i-Taliban", "Tehrik-i-Taliban Pakistan"),
    ("Pakistani Taliban", "Tehrik-i-Taliban Pakistan"), ("Tehrik-i-Taliban Pakistan (TTP)", "Tehrik-i-Taliban Pakistan"),
    ("IS-K", "Islamic State (incl. Khorasan Province)"), ("ISKP", "Islamic State (incl. Khorasan Province)"),
    ("Daesh", "Islamic State (incl. Khorasan Province)"),
    ("Islamic State Khorasan", "Islamic State (incl. Khorasan Province)"),
    ("BLA", "Balochistan Liberation Army"), ("BLF", "Balochistan Liberation Front"),
    ("BRA", "Baloch Republican Army"), ("LeJ", "Lashkar-e-Jhangvi"), ("Lashkar-e-Islam", "Lashkar-e-Islam"),
    ("al-Qaeda", "al-Qaida"),
])
def test_group_spellings(con, raw, canonical):
    assert load_alias_table(con, "group").lookup(raw) == canonical


@pytest.mark.parametrize("raw, canonical", [
    ("FB", "Facebook"), ("IG", "Instagram"), ("Twitter", "X"), ("Twitter/X", "X"), ("tiktok", "TikTok"),
    ("YT", "YouTube"), ("Whats App", "WhatsApp"),
])
def test_platform_spellings(con, raw, canonical):
    assert load_alias_table(con, "platform").lookup(raw) == canonical


def test_unknown_names_are_kept_and_listed(con):
    import pandas as pd

    groups = load_alias_table(con, "group")
    mapped, unknown = groups.map_series(pd.Series(["TTP", "Brand New Front", None, "  "]))
    assert mapped.tolist()[:2] == ["Tehrik-i-Taliban Pakistan", "Brand New Front"]
    assert unknown == ["Brand New Front"]


def test_alias_key_ignores_case_accents_punctuation_and_ampersands():
    assert alias_key("  Azad Jammu & Kashmir ") == alias_key("azad jammu and kashmir")
    assert alias_key("Tehrik-e-Taliban") == "tehrik e taliban"
    assert alias_key("Balūchistān") == "baluchistan"
