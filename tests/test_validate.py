"""The validator against a folder of broken entries, each with its expected message."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

from conftest import ROOT, run_cli

BROKEN = ROOT / "tests/fixtures/broken/entries"
LINE = re.compile(r"^(?P<path>[^\n]+?):(?P<line>\d+):(?P<col>\d+): (?P<code>SG\d{3}) (?P<msg>.+)$")


def _expected():
    with open(BROKEN.parent / "expected.tsv", encoding="utf-8") as f:
        return [row for row in csv.reader(f, delimiter="\t") if row and not row[0].startswith("#")]


def _problems(out: str):
    return [LINE.match(line).groupdict() for line in out.splitlines() if LINE.match(line)]


def test_every_broken_file_reports_its_problem():
    res = run_cli("validate", str(BROKEN.relative_to(ROOT)))
    assert res.returncode == 1
    assert "Traceback" not in res.stdout + res.stderr
    problems = _problems(res.stdout)
    lines = res.stdout.splitlines()
    for i, line in enumerate(lines):
        if LINE.match(line):
            assert lines[i + 1].strip().startswith("hint: "), line  # every problem says how to fix it
    for path, code, pos, fragment in _expected():
        full = f"tests/fixtures/broken/entries/{path}"
        hits = [p for p in problems if p["path"] == full and p["code"] == code
                and f"{p['line']}:{p['col']}" == pos and fragment in p["msg"]]
        assert hits, f"expected {code} at {path}:{pos} containing {fragment!r}"
    reported = {p["path"] for p in problems}
    for f in BROKEN.rglob("*"):
        if f.is_file() and f.parent.name != "provider" and f.name != "563.yaml":
            assert str(f.relative_to(ROOT)) in reported, f"{f} has no problem reported"


def test_github_annotations():
    res = run_cli("validate", "--format", "github", str(BROKEN.relative_to(ROOT) / "reply"))
    assert res.returncode == 1
    assert re.search(r"^::error file=tests/fixtures/broken/entries/reply/555.yaml,line=3,col=1,title=SG005::",
                     res.stdout, re.M)


def test_real_entries_are_valid():
    res = run_cli("validate")
    assert res.returncode == 0, res.stdout[-3000:]


def test_scaffold_needs_filling(tmp_path: Path):
    entries = tmp_path / "entries"
    shutil.copytree(ROOT / "entries/provider", entries / "provider")
    res = run_cli("new", "message/gmail/550-5.7.1-made-up-example", "--root", str(entries))
    assert res.returncode == 0, res.stderr
    path = entries / "message/gmail/550-5.7.1-made-up-example.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../smtpguide/schema/entry.schema.json")
    res = run_cli("validate", str(entries), cwd=tmp_path)
    assert res.returncode == 1 and "SG016" in res.stdout
    filled = {
        '"550 5.7.1 TODO short title"': '"550 5.7.1 A made-up test refusal"',
        "TODO one sentence, in your own words, saying what the reply means.": "A made-up refusal used by the tests.",
        "TODO three to six sentences in your own words: what the server is telling the sender, why,\n"
        "  whether it is permanent, and who must act.":
        "This entry exists only in a test. It checks that a scaffold validates once filled in.",
        "TODO what typically triggers it": "A test.",
        "TODO a step for the sender": "Nothing.",
        "TODO a step for the recipient's administrator (or delete this role)": "Nothing either.",
        "reason: TODO  # one of smtpguide/vocab/reasons.tsv": "reason: policyviolation",
        "action: TODO  # one of smtpguide/vocab/actions.tsv": "action: contact-postmaster",
        "TODO where the facts come from": "RFC 5321",
        "https://TODO": "https://www.rfc-editor.org/rfc/rfc5321",
        "TODO a distinctive lowercase phrase of the server text (* for variable parts)":
        "zzqx made-up refusal for the tests",
        "TODO the full server reply, redacted (user@example.com, example.net, 192.0.2.1)":
        "550 5.7.1 Zzqx made-up refusal for the tests",
    }
    for old, new in filled.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text)
    res = run_cli("validate", str(entries), cwd=tmp_path)
    assert res.returncode == 0, res.stdout
