"""Name suggestions that do not mislead (issue 11): the standard spellings of ACLED, GTD, UCDP and SATP are
known; a state force is never offered for a non-state name; two distinct groups are never merged; at
most three suggestions, each with its reason; below the threshold the default is to keep the name."""

from __future__ import annotations

import pytest

from dashboard.ingest.names import load_alias_table
from dashboard.ingest.suggest import actor_kind, default_choice, suggest


@pytest.fixture
def groups(con):
    return load_alias_table(con, "group")


@pytest.mark.parametrize("raw, canonical", [
    ("TTP: Tehreek-i-Taliban Pakistan", "Tehrik-i-Taliban Pakistan"),  # ACLED
    ("Tehrik-i-Taliban Pakistan (TTP)", "Tehrik-i-Taliban Pakistan"),  # GTD
    ("Tehreek-e-Taliban Pakistan (TTP)", "Tehrik-i-Taliban Pakistan"),  # SATP
    ("BLA: Baloch Liberation Army", "Balochistan Liberation Army"),
    ("Baloch Liberation Army (BLA)", "Balochistan Liberation Army"),
    ("Baloch Liberation Front (BLF)", "Balochistan Liberation Front"),
    ("Baloch Republican Army (BRA)", "Baloch Republican Army"),
    ("Khorasan Chapter of the Islamic State", "Islamic State (incl. Khorasan Province)"),
    ("Islamic State (Pakistan)", "Islamic State (incl. Khorasan Province)"),
    ("Military Forces of Pakistan (2018-)", "Government of Pakistan"),
    ("Police Forces of Pakistan (2013-2018)", "Government of Pakistan"),
    ("Unidentified Armed Group (Pakistan)", "Unidentified armed group"),
    ("Baloch Liberation United Front (BLUF)", "Baloch Liberation United Front"),
    ("Sipah-e-Sahaba/Pakistan (SSP)", "Sipah-e-Sahaba Pakistan"),
])
def test_standard_spellings_of_the_sources_are_known(groups, raw, canonical):
    assert groups.lookup(raw) == canonical


def test_every_group_has_a_type(groups):
    assert set(groups.kinds.values()) <= {"militant", "state", "unidentified", "communal", "political"}
    assert groups.kinds["Government of Pakistan"] == "state"
    assert groups.kinds["Unidentified armed group"] == "unidentified"
    assert groups.kinds["Communal militia"] == "communal"
    assert all(groups.kinds.values())


def test_a_parenthesis_naming_another_group_is_not_dropped(groups):
    assert groups.lookup("Balochistan Liberation Front (BLA)") is None


@pytest.mark.parametrize("raw, never", [
    ("Unidentified Armed Group (Sindh)", "Government of Pakistan"),
    ("BLUF Volunteers", "Balochistan Liberation Front"),
    ("Jaish-e-Islam", "Islamic State (incl. Khorasan Province)"),
    ("Baloch Liberation United Front Command", "Balochistan Liberation Front"),
    ("Tehrik-i-Taliban Swat Chapter", "Government of Pakistan"),
])
def test_suggestions_never_merge_distinct_groups_nor_offer_a_state_force(groups, raw, never):
    offered = [s.name for s in suggest(groups, raw)]
    assert never not in offered
    if actor_kind(raw) != "state":
        assert all(groups.kinds[name] != "state" for name in offered)


def test_a_respelled_name_gets_its_group_with_a_reason_and_is_preselected(groups):
    found = suggest(groups, "Tehreek-e-Talibaan Pakistan")
    assert found[0].name == "Tehrik-i-Taliban Pakistan" and "same words" in found[0].reason
    assert len(found) <= 3 and default_choice(found) == "Tehrik-i-Taliban Pakistan"


def test_a_state_force_name_is_offered_only_its_state(groups):
    found = suggest(groups, "Pakistan Navy")
    assert [s.name for s in found] == ["Government of Pakistan"] and "state force" in found[0].reason


def test_below_the_threshold_the_default_is_to_keep_the_name(groups):
    found = suggest(groups, "Lashkar-e-Newname")
    assert default_choice(found) is None


def test_a_platform_is_never_suggested_for_a_short_spelling_inside_another_name():
    """The EU DSA sample's "Hotel Hideaway", "Kleinanzeigen" and "Wallapop" were preselected as WhatsApp and
    Instagram at 90% because "wa" and "ig" occur inside them."""
    from dashboard.ingest.names import AliasTable

    table = AliasTable("platform", frozenset({"WhatsApp", "Instagram", "Facebook"}),
                       {"wa": "WhatsApp", "whatsapp": "WhatsApp", "ig": "Instagram", "instagram": "Instagram",
                        "facebook": "Facebook"})
    for raw in ("Hotel Hideaway", "Kleinanzeigen", "Wallapop", "Idealo"):
        assert default_choice(suggest(table, raw)) is None, raw
    assert suggest(table, "WA")[0].name == "WhatsApp"
    assert default_choice(suggest(table, "Whats app")) == "WhatsApp"
