"""SQL lives in queries/, parameters are bound: no SQL text is built with f-strings, % or .format()."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dashboard import db

ROOT = Path(__file__).resolve().parent.parent
SQL_WORDS = re.compile(r"\b(select|insert|update|delete|create|drop|alter|from|where|join|values)\b", re.I)
PYTHON_FILES = sorted(p for folder in ("dashboard", "benchmarks") for p in (ROOT / folder).rglob("*.py"))


def builds_sql(node: ast.AST) -> bool:
    """An f-string, .format() or % formatting whose literal text looks like SQL."""
    if isinstance(node, ast.JoinedStr):
        literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
        return bool(SQL_WORDS.search(literal) and re.search(r"\b(select|insert|update|delete)\b.*\b(from|into|set|where)\b",
                                                            literal, re.I | re.S))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant) and bool(SQL_WORDS.search(str(node.func.value.value)))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant):
        return bool(SQL_WORDS.search(str(node.left.value))) and "%s" in str(node.left.value)
    return False


def sql_like_strings_built_dynamically(source: str) -> list[int]:
    """Line numbers of f-strings, .format() and % formatting whose literal text looks like SQL."""
    return [node.lineno for node in ast.walk(ast.parse(source)) if builds_sql(node)]


def test_the_checker_catches_what_it_is_for():
    bad = 'table = "x"\nq = f"select * from {table} where a = 1"\nr = "select {} from t".format(table)\n'
    assert sql_like_strings_built_dynamically(bad) == [2, 3]
    assert sql_like_strings_built_dynamically('msg = f"{n} rows loaded from {name}"') == []


@pytest.mark.parametrize("path", PYTHON_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sql_is_built_with_string_formatting(path):
    assert sql_like_strings_built_dynamically(path.read_text(encoding="utf-8")) == []


def test_only_db_imports_duckdb():
    importers = [p for p in PYTHON_FILES if re.search(r"^\s*(import duckdb|from duckdb)", p.read_text(), re.M)]
    assert [p.relative_to(ROOT).as_posix() for p in importers] == ["dashboard/db.py"]


def test_every_named_query_has_a_header_comment_naming_it():
    for name in db.query_names():
        first = db.query_text(name).splitlines()[0]
        assert first.startswith(f"-- {name}:"), name


@pytest.mark.parametrize("name", ["../secrets", "datasets_catalog; drop table x", "Upper", "a/b/c", ""])
def test_query_names_cannot_escape_the_queries_folder(name):
    with pytest.raises(db.UnknownQueryError):
        db.query_text(name)
