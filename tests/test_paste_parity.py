"""The paste box (docs/assets/javascripts/paste.js) must pick the same best entry as Python.

Every example and near miss of every entry, plus hand-written edge cases, goes through
``smtpguide.lookup`` and through the JavaScript port (in Node, which runs the very same file;
the browser test checks it in Chromium too) with the index the site exports.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import smtpguide
from smtpguide import store
from smtpguide.render_index import paste_index, re2_to_js

ROOT = Path(__file__).resolve().parents[1]
PASTE_JS = ROOT / "docs" / "assets" / "javascripts" / "paste.js"

EDGE = [
    "",
    "   ",
    "550",
    "5.7.26",
    "550 5.1.1",
    "421 4.7.0 Try again later",
    "452 4.2.2 The email account that you tried to reach is over quota.",
    "Diagnostic-Code: smtp; 550 5.1.1 <user@example.com>: Recipient address rejected: User unknown",
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    "host mx.example.net[192.0.2.1] said: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked",
    "550\u20135.7.26 \u201cunauthenticated\u201d\u00a0mail",
    "250 2.0.0 OK 1700000000 gsmtp",
    "4.7.26 temporary authentication failure",
    "10.5.7.26 version string, not a code",
]

SCRIPT = r"""
const api = require(process.argv[2]);
const ix = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
const texts = JSON.parse(require('fs').readFileSync(process.argv[4], 'utf8'));
const eng = new api.Engine(ix);
const out = texts.map(t => { const r = eng.explain(t); return {
  best: r.best ? r.best.id : null, reason: r.reason, hard: r.hard_bounce, action: r.action,
  rc: r.reply_code, enh: r.enhanced_code, provider: r.provider,
  order: r.matches.map(m => m.entry.id), skipped: ix.patterns.length + ix.hosts.length - eng.slots.length }; });
process.stdout.write(JSON.stringify(out));
"""


def corpus() -> list[str]:
    texts = list(EDGE)
    for e in smtpguide.entries():
        texts.extend(e.examples)
        texts.extend(e.near_misses)
    return texts


def run_js(tmp_path: Path, texts: list[str]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the browser test covers the paste box in Chromium)")
    index = store.index()
    ix = paste_index(list(index.entries.values()), list(index.providers.values()))
    (tmp_path / "ix.json").write_text(json.dumps(ix), encoding="utf-8")
    (tmp_path / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
    (tmp_path / "run.js").write_text(SCRIPT, encoding="utf-8")
    out = subprocess.run([node, str(tmp_path / "run.js"), str(PASTE_JS), str(tmp_path / "ix.json"),
                          str(tmp_path / "texts.json")], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def test_every_pattern_translates():
    index = store.index()
    ix = paste_index(list(index.entries.values()), list(index.providers.values()))
    bad = [p for p in ix["patterns"] if p[1] is None] + [h for h in ix["hosts"] if h[1] is None]
    assert not bad, f"patterns the browser cannot run: {bad}"


def test_js_matches_python(tmp_path):
    texts = corpus()
    js = run_js(tmp_path, texts)
    assert js[0]["skipped"] == 0
    diffs = []
    for text, j in zip(texts, js, strict=True):
        r = smtpguide.lookup(text)
        py = {"best": r.best.id if r.best else None, "reason": r.reason, "hard": r.hard_bounce, "action": r.action,
              "rc": r.reply_code, "enh": r.enhanced_code, "provider": r.provider,
              "order": [m.entry.id for m in r.matches]}
        got = {k: j[k] for k in py}
        if got != py:
            diffs.append((text[:120], py, got))
    assert not diffs, f"{len(diffs)} of {len(texts)} texts differ, e.g. {diffs[:3]}"
    assert len(texts) > 200


@pytest.mark.parametrize(("src", "js"), [
    (r"abc\s+def", "abc[\\t\\n\\f\\r ]+def"),
    (r"a(?s:.*?)b", "a(?:[\\s\\S]*?)b"),
    (r"x\-y\#z", "x-y#z"),
    (r"[a\-z]", "[a\\-z]"),
    (r"a.b", "a[^\\n]b"),
    (r"(?P<n>a)", "(?<n>a)"),
    (r"a{2}", "a{2}"),
    (r"\Aab\z", "^ab$"),
])
def test_re2_to_js(src, js):
    assert re2_to_js(src) == js


@pytest.mark.parametrize("src", [r"\pL", r"(?m:^a)", r"[[:alpha:]]", r"\Qa\E", "[abc"])
def test_re2_to_js_refuses_what_it_cannot_translate(src):
    assert re2_to_js(src) is None
