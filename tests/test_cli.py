"""The command line, end to end, through the installed console script."""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import ROOT, run_cli

DMARC = "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy - gsmtp"


def test_lookup_readable():
    res = run_cli("lookup", DMARC)
    assert res.returncode == 0
    out = res.stdout
    assert out.splitlines()[0].startswith("550 5.7.26")
    for label in ("meaning:", "reason:", "verdict:", "do:", "sender:", "more:"):
        assert label in out
    assert "authfailure" in out and "https://" in out


def test_lookup_json_and_miss():
    res = run_cli("lookup", "--json", DMARC)
    d = json.loads(res.stdout)
    assert d["entry"] == "message/gmail/550-5.7.26-unauthenticated-dmarc-policy" and d["kind"] == "message"
    assert d["matches"][0]["why"]
    miss = run_cli("lookup", "nothing to see here")
    assert miss.returncode == 1 and "report" in miss.stdout.lower()


def test_lookup_reads_stdin():
    res = run_cli("lookup", stdin="Diagnostic-Code: smtp; 552 5.2.2 zzqx\n")
    assert res.returncode == 0 and "mailboxfull" in res.stdout


def test_classify_streams_one_object_per_line():
    exe = shutil.which("smtpguide", path=str(ROOT / ".venv/bin")) or "smtpguide"
    p = subprocess.Popen([exe, "classify"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    p.stdin.write(DMARC + "\n")
    p.stdin.flush()
    first = json.loads(p.stdout.readline())  # answered before stdin closes: streaming, not batch
    p.stdin.write("550 5.1.1 zzqx\n\n\xff junk\n")
    p.stdin.close()
    rest = [json.loads(line) for line in p.stdout]
    assert p.wait(timeout=60) == 0
    assert first["reason"] == "authfailure" and first["kind"] == "message" and first["provider"] == "gmail"
    assert set(first) >= {"reply_code", "enhanced_code", "reason", "hard_bounce", "action", "provider", "entry", "kind"}
    assert rest[0]["entry"] == "status/x.1.1" and rest[1]["entry"] is None and len(rest) == 3


def test_export_has_every_entry_with_all_fields():
    res = run_cli("export")
    d = json.loads(res.stdout)
    kinds = {e["kind"] for e in d["entries"]}
    assert kinds == {"reply", "status", "message"}
    e = next(x for x in d["entries"] if x["id"] == "status/x.7.26")
    for key in ("id", "kind", "reply_code", "enhanced_code", "provider", "reason", "hard_bounce", "action",
                "title", "summary", "explanation", "references", "checked"):
        assert key in e
    assert e["enhanced_code"] == "X.7.26"
    assert d["providers"]
