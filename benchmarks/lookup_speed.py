"""Lookups per second over the corpus lines on one core, and the time to the first answer.

Usage: python benchmarks/lookup_speed.py [--rounds 5]
Three figures: "first pass" runs every corpus line once through a freshly built index (every
text and every verdict new to it); "engine" repeats the lines through the engine, which
bypasses lookup()'s text cache (texts are re-parsed and re-matched; only the verdict memo,
keyed by what matched and the codes, is warm); "lookup()" goes through the text cache, as a
log of repeated lines would.
Time to first answer = a fresh interpreter importing smtpguide and answering one lookup,
minus a fresh interpreter that does nothing (medians of several runs).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import smtpguide
from smtpguide import patterns, store
from smtpguide.kb import facts_row
from smtpguide.matcher import Index

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai-dev.jsonl"


def per_second(fn, texts: list[str], rounds: int) -> float:
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for t in texts:
            fn(t)
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


def startup(code: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_synthetic(n: int) -> Index:
    """The index plus ``n`` synthetic message entries with made-up four-word patterns, to see
    how the engine scales to a knowledge base several times today's size."""
    import random

    kb = store._load()
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9))) for _ in range(4000)]
    first = next(item for item in kb["entries"] if item["id"].startswith("message/"))
    template = json.loads(bytes(kb["blob"][slice(*first["at"])]) if "at" in first else first["json"])
    extra = []
    for k in range(n):
        pattern = " ".join(rng.choice(words) for _ in range(4))
        eid = f"message/common/synthetic-{k}"
        d = {**template, "patterns": [pattern], "examples": [pattern], "title": eid}
        extra.append({"id": eid, "json": json.dumps(d), "facts": facts_row(d), "compiled": [patterns.compiled(pattern)]})
    return store.build_index({**kb, "entries": kb["entries"] + extra})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--synthetic", type=int, default=4000, help="extra made-up patterns for the scaling figure (0: skip)")
    args = ap.parse_args()
    texts = [json.loads(line)["text"].replace("\n", " ") for line in CORPUS.open(encoding="utf-8")]
    index = store.index()
    n_patterns = sum(len(e.patterns) for e in index.entries.values())
    print(f"knowledge base: {len(index.entries)} entries, {n_patterns} patterns, "
          f"{len(index.slots)} distinct anchors and host fragments")
    print(f"corpus lines: {len(texts)}, mean length {sum(map(len, texts)) / len(texts):.0f} characters")
    firsts = []
    for _ in range(args.rounds):
        store.reset()
        fresh = store.index()
        start = time.perf_counter()
        for t in texts:
            fresh.explain(t)
        firsts.append(len(texts) / (time.perf_counter() - start))
    print(f"first pass lookups/s (fresh index, each line once), median of {args.rounds}: {statistics.median(firsts):,.0f}")
    index = store.index()
    engine = per_second(index.explain, texts * 20, args.rounds)
    print(f"engine lookups/s (no text cache), median of {args.rounds}: {engine:,.0f}")
    warm = per_second(smtpguide.lookup, texts * 20, args.rounds)
    print(f"lookup() lookups/s (with its text cache), median of {args.rounds}: {warm:,.0f}")
    if args.synthetic:
        big = with_synthetic(args.synthetic)
        big.explain(texts[0])
        total = sum(len(e) for e in big.slots)
        rate = per_second(big.explain, texts * 20, args.rounds)
        print(f"engine lookups/s with {args.synthetic:,} synthetic patterns added ({total:,} slot items), "
              f"median of {args.rounds}: {rate:,.0f}")
    bare = startup("pass")
    first = startup("import smtpguide; smtpguide.lookup('550 5.1.1 user unknown')")
    print(f"interpreter start: {bare * 1000:.0f} ms; to first answer: {first * 1000:.0f} ms; "
          f"difference: {(first - bare) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
