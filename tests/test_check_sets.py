"""The hand-labelled check sets (tests/data/*.tsv) stay well-formed: valid reasons, https
sources, redacted texts. Their accuracy is measured by benchmarks/independent_check.py, not here."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from smtpguide import vocab
from smtpguide.validate import _unredacted

DATA = Path(__file__).parent / "data"
SETS = sorted(DATA.glob("*.tsv"))


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.name)
def test_check_set_is_well_formed(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows and set(rows[0]) >= {"text", "expected_reason", "source_url"}
    texts = set()
    for n, row in enumerate(rows, 2):
        assert row["expected_reason"] in vocab.reasons(), f"{path.name}:{n}: unknown reason {row['expected_reason']!r}"
        assert row["source_url"].startswith(("https://", "http://")), f"{path.name}:{n}: source must be a web link"
        assert row["text"].strip() and row["text"] not in texts, f"{path.name}:{n}: empty or repeated text"
        texts.add(row["text"])
        assert _unredacted(row["text"]) is None, f"{path.name}:{n}: {_unredacted(row['text'])} is not redacted"
