"""Unexpected errors: logged in full on the server under a short id; the user sees only the id.

Tracebacks name server paths and internals, so they never reach the page (.streamlit/config.toml sets
``client.showErrorDetails = "none"``); the id lets an operator find the traceback in the server log.
"""

from __future__ import annotations

import logging
import secrets

import streamlit as st

LOG = logging.getLogger("observatory.errors")


def report(exc: BaseException, where: str) -> str:
    """Log ``exc`` with its traceback under a new id and return the id."""
    error_id = secrets.token_hex(4)
    LOG.error("error %s in %s: %s", error_id, where, type(exc).__name__, exc_info=exc)
    return error_id


def message(error_id: str, what: str = "This page could not be shown") -> str:
    """What the user reads: no traceback, no path, the id to quote."""
    return (f"{what} because of an unexpected error (error id {error_id}). The details are in the server "
            "log under this id: quote it when you report the problem.")


def show(error_id: str, what: str = "This page could not be shown") -> None:
    st.error(message(error_id, what), icon=":material/error:")
