from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None):
    import subprocess

    return subprocess.run([sys.executable, "-m", "smtpguide", *args], input=stdin, capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)
