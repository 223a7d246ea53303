"""A wheel installed elsewhere works with no checkout and no network: the data is inside."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_carries_the_knowledge_base(tmp_path: Path):
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, timeout=600)
    wheel = next(out.glob("smtpguide-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert "smtpguide/data/kb.json" in names and "smtpguide/py.typed" in names
        assert "smtpguide/schema/entry.schema.json" in names
        z.extractall(site)
    env = {k: v for k, v in os.environ.items() if k != "SMTPGUIDE_ENTRIES"}
    env["PYTHONPATH"] = str(site)
    code = ("import smtpguide, smtpguide.store as s; assert s.checkout_entries() is None; "
            "r = smtpguide.lookup('550 5.1.1 zzqx'); print(r.best.id, len(smtpguide.entries()))")
    res = subprocess.run([sys.executable, "-I", "-c", code.replace("import smtpguide,", "import sys; sys.path.insert(0, "
                          + repr(str(site)) + "); import smtpguide,")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    best, count = res.stdout.split()
    assert best == "status/x.1.1" and int(count) > 100
