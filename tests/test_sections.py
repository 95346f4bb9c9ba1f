"""A page section (a fragment) reports an unexpected error as the router does when only it reruns, and leaves it to
the router in a full run (one message, not two)."""

from __future__ import annotations

import pytest

from dashboard import sections


def broken_section() -> None:
    raise RuntimeError("cannot read /srv/observatory/secret/place.txt")


@pytest.mark.parametrize("section_only", [True, False])
def test_an_error_in_a_section_is_reported_once(monkeypatch, section_only):
    shown: list[str] = []
    monkeypatch.setattr(sections, "section_rerun", lambda: section_only)
    monkeypatch.setattr(sections.errors, "show", shown.append)
    monkeypatch.setattr(sections.errors, "report", lambda exc, where: "ab12cd34")
    with pytest.raises(RuntimeError):
        sections.guard(broken_section)()
    assert shown == (["ab12cd34"] if section_only else [])
