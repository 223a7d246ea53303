"""Data-driven tests over every entry: the knowledge base tests itself."""

from __future__ import annotations

import csv
import json

import pytest

import smtpguide
from smtpguide import vocab
from smtpguide.validate import schema

ENTRIES = smtpguide.entries()
MESSAGES = [e for e in ENTRIES if e.kind == "message"]


def _tsv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#") and line.strip()), delimiter="\t"))


@pytest.mark.parametrize("entry", MESSAGES, ids=lambda e: e.id)
def test_examples_resolve_to_their_entry(entry):
    for example in entry.examples:
        r = smtpguide.lookup(example)
        assert r.best is not None and r.best.id == entry.id, example
        assert r.reason == entry.reason
    for text in entry.near_misses:
        r = smtpguide.lookup(text)
        assert r.best is None or r.best.id != entry.id, text


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_entry_is_complete(entry):
    assert entry.references and all(r.url.startswith("https://") for r in entry.references)
    assert entry.reason in vocab.reasons() and entry.action in vocab.actions()
    assert entry.fixes and entry.causes
    d = entry.to_dict()
    assert json.loads(json.dumps(d)) == d


def test_every_reply_code_is_documented(shared):
    codes = {r["code"] for r in _tsv(shared / "reference/reply-codes.tsv")}
    have = {e.reply_code for e in ENTRIES if e.kind == "reply"}
    assert codes <= have, sorted(codes - have)


def test_every_registry_status_code_is_documented(shared):
    codes = {r["code"].upper() for r in _tsv(shared / "reference/enhanced-status-codes.tsv")}
    have = {e.enhanced_code for e in ENTRIES if e.kind == "status"}
    assert codes <= have, sorted(codes - have)


def test_gmail_table_is_covered(shared):
    rows = _tsv(shared / "reference/providers/google.tsv")
    gmail = [e for e in MESSAGES if e.provider == "gmail"]
    assert len(gmail) >= len(rows) - 1  # one row is the same message as another


def test_vocabularies_agree_with_the_schema():
    defs = schema()["$defs"]
    assert defs["reason"]["enum"] == list(vocab.reasons())
    assert defs["action"]["enum"] == list(vocab.actions())


def test_reason_vocabulary_matches_the_reference(shared):
    ours = [r["reason"] for r in _tsv(shared / "reference/reasons.tsv")]
    assert ours == list(vocab.reasons())


def test_hard_bounce_rule():
    r = vocab.reasons()
    assert r["userunknown"].is_hard(5) and not r["mailboxfull"].is_hard(5)
    assert r["notaccept"].is_hard(5) and not r["notaccept"].is_hard(4)
