"""Property-based tests: the engine never raises and stays linear on hostile input."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

import smtpguide
from smtpguide import store

pieces = st.sampled_from(["550", "5.7.1", "-", " ", "\n", "user unknown", "(#5.1.1)", "<<<", "550-", "4.2.2",
                          "mailbox", "*", "re:", "\\", "é", "\u2019", "\x00", "[", "192.0.2.1", "gsmtp"])
texts = st.one_of(st.text(), st.lists(pieces, max_size=40).map("".join))


@settings(max_examples=400, deadline=None)
@given(texts)
def test_engine_never_raises_on_text(text):
    r = store.index().explain(text)  # the engine itself, without lookup()'s safety net
    assert r.reason
    assert r.best is None or r.best.id in store.index().entries


@settings(max_examples=200, deadline=None)
@given(st.binary())
def test_lookup_never_raises_on_bytes(blob):
    assert smtpguide.lookup(blob).reason


def test_a_megabyte_returns_quickly():
    # A guard against super-linear behaviour (not a benchmark): 1 MB of text with many codes.
    blob = ("550-5.1.1 user unknown " * 10 + "x" * 500 + " aaaa" * 200) * 60
    blob = blob[: 1 << 20]
    start = time.perf_counter()
    r = store.index().explain(blob)
    assert time.perf_counter() - start < 5
    assert r.reply_code == 550
