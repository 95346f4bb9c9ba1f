"""A page section (a fragment) reports an unexpected error as the router does when only it reruns, and leaves it to
the router in a full run (one message, not two)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard import app, sections

ROOT = Path(__file__).resolve().parent.parent


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


def _fragment_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [node for node in tree.body if isinstance(node, ast.FunctionDef)
            and any(ast.unparse(d) == "sections.fragment" for d in node.decorator_list)]


def _bound_calls(node: ast.AST) -> list[ast.Call]:
    return [n for n in ast.walk(node) if isinstance(n, ast.Call) and ast.unparse(n.func) == "sidebar.bound"]


@pytest.mark.parametrize("spec", [s for s in app.PAGES if s.charted], ids=lambda s: s.title)
def test_every_control_of_a_charted_page_reruns_only_its_section(spec):
    """The page's own controls (the widgets bound to the URL) sit inside sections; the sidebar's filters still rerun
    the whole page."""
    tree = ast.parse((ROOT / "dashboard" / spec.script).read_text(encoding="utf-8"))
    inside = {id(call) for function in _fragment_functions(tree) for call in _bound_calls(function)}
    everywhere = _bound_calls(tree)
    assert everywhere, "the page has controls"
    assert [ast.unparse(c.args[1]) for c in everywhere if id(c) not in inside] == []
