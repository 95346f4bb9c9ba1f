"""The run counter the browser tests and benchmark wait on reads Streamlit's own messages right: it finds a
run's end in a ForwardMsg's bytes, whatever comes before it, and nothing in any other message."""

from __future__ import annotations

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.page_state import FINISHED_STATUS
from tests.test_browser import browser, chromium_path  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _finished(status: int, hash_text: str = "") -> bytes:
    message = ForwardMsg(hash=hash_text)
    message.metadata.delta_path.extend([0, 1, 2])
    message.script_finished = status
    return message.SerializeToString()


def _delta(text: str) -> bytes:
    message = ForwardMsg(hash="h")
    message.metadata.delta_path.extend([0, 6])
    message.delta.new_element.markdown.body = text
    return message.SerializeToString()


@pytest.fixture(scope="module")
def tab(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def status(tab, data: bytes) -> int:
    return tab.evaluate(f"bytes => ({FINISHED_STATUS})(bytes)", list(data))


def test_a_finished_run_is_read_with_its_status(tab):
    assert status(tab, _finished(ForwardMsg.FINISHED_SUCCESSFULLY)) == ForwardMsg.FINISHED_SUCCESSFULLY
    assert status(tab, _finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN)) == ForwardMsg.FINISHED_EARLY_FOR_RERUN
    assert (status(tab, _finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY))
            == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)


def test_fields_before_it_are_skipped_whatever_their_length(tab):
    # a field longer than 127 bytes has a two-byte length: the walk must step over both and the field
    assert status(tab, _finished(ForwardMsg.FINISHED_SUCCESSFULLY, hash_text="x" * 300)) == 0


def test_other_messages_have_no_status_even_when_their_text_looks_like_one(tab):
    assert status(tab, _delta("0\x00 0\x02")) == -1  # the bytes of "field 6 = 0" and "= 2" inside a text
    session = ForwardMsg()
    session.new_session.name = "run"
    assert status(tab, session.SerializeToString()) == -1
