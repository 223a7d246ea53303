"""Precision of message patterns: near misses and short patterns.

Usage: python benchmarks/precision.py
Every message entry may list ``near_misses``: texts with similar words that mean something else.
Prints how many near-miss texts the knowledge base holds, how many resolve to the very entry
that lists them (a wrong match: should be 0, ``smtpguide validate`` reports each as SG033),
how many land on another entry of the same provider (for information: often expected, e.g. a
``common`` text resolving to another ``common`` entry), and, for reviewers, every message entry
with a pattern of fewer than 15 literal characters.
"""

from __future__ import annotations

import collections

import smtpguide
from smtpguide import patterns

SHORT = 15


def main() -> None:
    messages = [e for e in smtpguide.entries() if e.kind == "message"]
    total = 0
    wrong: list[tuple[str, str]] = []
    sibling: collections.Counter[str] = collections.Counter()
    owners = 0
    for e in messages:
        owners += bool(e.near_misses)
        for text in e.near_misses:
            total += 1
            res = smtpguide.lookup(text)
            best = res.best
            if best is None:
                continue
            if best.id == e.id:
                wrong.append((e.id, text))
            elif best.kind == "message" and best.provider == e.provider:
                sibling[e.provider] += 1
    print(f"near-miss texts: {total} (on {owners} of {len(messages)} message entries)")
    print(f"resolving to the entry that lists them (wrong, should be 0): {len(wrong)}")
    for eid, text in wrong:
        print(f"  {eid}: {text!r}")
    print(
        f"resolving to another entry of the same provider (information): {sum(sibling.values())}"
        + (" (" + ", ".join(f"{p} {n}" for p, n in sibling.most_common()) + ")" if sibling else "")
    )
    short = [(patterns.specificity(p), e.id, p) for e in messages for p in e.patterns if patterns.specificity(p) < SHORT]
    print(f"\npatterns under {SHORT} literal characters: {len(short)} in {len({s[1] for s in short})} entries")
    for spec, eid, p in sorted(short):
        print(f"  {spec:3d}  {eid}  {p!r}")


if __name__ == "__main__":
    main()
