"""Reason agreement of smtpguide.lookup() with the reference classifier on the shared corpus.

Usage: python benchmarks/evaluate_corpus.py [--corpus ../shared/corpus/sisimai-dev.jsonl] [--disagreements]
Prints reason agreement on the decidable records (strict, and with filtered~userunknown),
the specific-entry rate (best entry is a message or status entry) and per-reason figures.

Every remaining disagreement should carry a reviewer's one-line judgement in
``benchmarks/disagreements.tsv`` (record id, reference reason, our reason, judgement, note;
judgement is ``ours-wrong``, ``reference-wrong`` or ``undecidable``). The summary counts them
and lists the disagreements nobody has reviewed yet (or whose verdict changed since).
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

import smtpguide

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai-dev.jsonl"
REVIEWED = Path(__file__).resolve().parent / "disagreements.tsv"
JUDGEMENTS = ("ours-wrong", "reference-wrong", "undecidable")


def reviewed() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(record id, reference reason, our reason) -> (judgement, note)."""
    out = {}
    if REVIEWED.exists():
        for line in REVIEWED.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rid, ref, ours, judgement, note = (line.split("\t") + [""] * 5)[:5]
                if rid != "id":
                    out[(rid, ref, ours)] = (judgement, note)
    return out


def same(a: str | None, b: str) -> bool:
    return a == b or {a, b} == {"filtered", "userunknown"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=DEFAULT)
    ap.add_argument("--disagreements", action="store_true", help="list every record where the reasons differ")
    args = ap.parse_args()
    records = [json.loads(line) for line in args.corpus.open(encoding="utf-8")]
    records = [r for r in records if r["decidable"]]
    strict = lenient = specific = 0
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    wrong = []
    for r in records:
        res = smtpguide.lookup(r["text"].replace("\n", " "))
        ok = res.reason == r["reason"]
        strict += ok
        lenient += same(res.reason, r["reason"])
        specific += res.kind in ("message", "status")
        per[r["reason"]][0] += ok
        per[r["reason"]][1] += same(res.reason, r["reason"])
        per[r["reason"]][2] += 1
        if not same(res.reason, r["reason"]):
            wrong.append((r, res))
    n = len(records)
    print(f"decidable records: {n}")
    print(f"reason agreement: {strict}/{n} = {strict / n:.1%}")
    print(f"reason agreement (filtered~userunknown): {lenient}/{n} = {lenient / n:.1%}")
    print(f"specific-entry rate: {specific}/{n} = {specific / n:.1%}")
    print("per reason (strict, lenient, total):")
    for reason, (a, b, t) in sorted(per.items(), key=lambda kv: -kv[1][2]):
        print(f"  {reason:<16} {a:>3} {b:>3} / {t:<3} {b / t:6.1%}")
    review = reviewed()
    judged = collections.Counter()
    unreviewed = []
    for r, res in wrong:
        verdict = review.get((r["id"], r["reason"], res.reason))
        if verdict and verdict[0] in JUDGEMENTS:
            judged[verdict[0]] += 1
        else:
            unreviewed.append((r, res))
    current = {(r["id"], r["reason"], res.reason) for r, res in wrong}
    stale = sorted(k for k in review if k not in current)
    print(f"disagreements (lenient): {len(wrong)}; reviewed: "
          + ", ".join(f"{k} {judged[k]}" for k in JUDGEMENTS) + f"; not reviewed: {len(unreviewed)}"
          + f"; stale review lines (the verdicts changed; remove them): {len(stale)}")
    if args.disagreements and stale:
        print("\nstale review lines: " + ", ".join(k[0] for k in stale))
    if args.disagreements:
        print("\ndisagreements not reviewed yet (reference -> ours [entry]: text):")
        for r, res in unreviewed:
            best = res.best.id if res.best else "-"
            print(f"- {r['reason']} -> {res.reason} [{best}] {r['id']}\n    {r['text'][:300]}")


if __name__ == "__main__":
    main()
