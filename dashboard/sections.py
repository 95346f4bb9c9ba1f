"""A page section whose own controls rerun only that section (``st.fragment``), with the router's error handling.

In a section-only rerun the router does not run, so its handler (an unexpected error shown as an id, a storage
fault in plain words) would not either: the section does the same itself then. In a full run the error passes to
the router as before (one message, not two)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import errors, storage_ui, view_charts
from dashboard.storage import StorageError

P = ParamSpec("P")


def section_rerun() -> bool:
    """True while only a fragment reruns (a control inside it changed), not the whole page."""
    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def fragment(func: Callable[P, None]) -> Callable[P, None]:
    """``st.fragment`` for a page section; errors in a section-only rerun are reported as the router would."""
    return st.fragment(guard(func))


def guard(func: Callable[P, None]) -> Callable[P, None]:
    """``func`` reporting its errors as the router would, when only its section reruns."""

    @functools.wraps(func)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            func(*args, **kwargs)
        except StorageError as fault:
            if not section_rerun():
                raise
            storage_ui.show_fault(fault, "while serving")
        except Exception as exc:
            if section_rerun():
                errors.show(errors.report(exc, where=view_charts.current_page()))
            raise

    return guarded
