"""Full site build time and entry-page HTML sizes.

Usage: python benchmarks/site_build.py
Goals: the whole `mkdocs build --strict` in <= 60 s; the largest entry page's own HTML < 100 KB
(the page file itself, not the shared theme assets or the search index).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import smtpguide
from smtpguide.site import entry_url

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([str(mkdocs), "build", "--strict", "-q", "-d", tmp], cwd=ROOT, check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        took = time.perf_counter() - start
        sizes = []
        for e in smtpguide.entries():
            f = Path(tmp) / entry_url(e) / "index.html"
            sizes.append((f.stat().st_size, entry_url(e)))
        sizes.sort()
        total = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
        index = (Path(tmp) / "search" / "search_index.json").stat().st_size
    print(f"build:            {took:6.1f} s   (goal <= 60 s)  {len(sizes)} entry pages")
    print(f"largest entry:    {sizes[-1][0] / 1024:6.1f} KB  /{sizes[-1][1]}  (goal < 100 KB)")
    print(f"median entry:     {statistics.median(s for s, _ in sizes) / 1024:6.1f} KB")
    print(f"search index:     {index / 1024:6.1f} KB;  whole site {total / 1024 / 1024:.1f} MB")
    return 0 if took <= 60 and sizes[-1][0] < 100 * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
