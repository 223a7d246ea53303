"""Agreement of smtpguide.lookup() with hand-judged reasons on independently collected bounce texts.

Usage: python benchmarks/independent_check.py [--file tests/data/heldout.tsv] [--quiet]

``--file`` (alias ``--data``) picks the data file; the default is tests/data/independent.tsv. The held-out set
tests/data/heldout.tsv was collected only to measure: texts in it must not be used to tune the knowledge base.

The data file (tab-separated: text, expected_reason, source_url, note) holds real bounce texts quoted
in public issue trackers, forums and provider help pages, none taken from the knowledge base's own
examples. ``\\n`` in a text stands for a line break and ``\\\\`` for a backslash. The script prints the
overall and per-reason agreement, the specific-entry rate (the best entry is a message or status
entry rather than a bare reply-code or fallback) and lists every miss with the entry that won.
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
from pathlib import Path

import smtpguide

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "independent.tsv"


def unescape(text: str) -> str:
    out = []
    chars = iter(text)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append("\n" if nxt == "n" else nxt)
        else:
            out.append(ch)
    return "".join(out)


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    for row in rows:
        row["text"] = unescape(row["text"])
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", "--data", dest="data", type=Path, default=DEFAULT, help="data file (default: %(default)s)")
    ap.add_argument("--quiet", action="store_true", help="summary only, without the list of misses")
    args = ap.parse_args()
    rows = load(args.data)
    agree = specific = 0
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    misses = []
    for row in rows:
        res = smtpguide.lookup(row["text"])
        ok = res.reason == row["expected_reason"]
        agree += ok
        specific += res.kind in ("message", "status")
        per[row["expected_reason"]][0] += ok
        per[row["expected_reason"]][1] += 1
        if not ok:
            misses.append((row, res))
    n = len(rows)
    print(f"texts: {n} from {len({r['source_url'] for r in rows})} sources")
    print(f"reason agreement: {agree}/{n} = {agree / n:.1%}")
    print(f"specific-entry rate: {specific}/{n} = {specific / n:.1%}")
    print("per expected reason (agree / total):")
    for reason, (a, t) in sorted(per.items(), key=lambda kv: (-kv[1][1], kv[0])):
        print(f"  {reason:<16} {a:>3} / {t:<3} {a / t:6.1%}")
    if misses and not args.quiet:
        print(f"\nmisses ({len(misses)}):")
        for row, res in misses:
            text = " ".join(row["text"].split())
            text = text if len(text) <= 160 else text[:157] + "..."
            best = res.best.id if res.best else "-"
            print(
                f"- {text}\n    expected {row['expected_reason']}, got {res.reason} via {best}"
                + (f"  [{row['note']}]" if row["note"] else "")
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
