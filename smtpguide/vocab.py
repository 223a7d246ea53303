"""The controlled vocabularies (reasons, actions), read from the TSV files shipped in the package."""

from __future__ import annotations

import csv
import functools
import json
import os
from typing import Any, NamedTuple


class Reason(NamedTuple):
    """One bounce reason (Sisimai's name) with its hard-bounce rule and best-fit ESP mapping."""

    name: str
    meaning: str
    hard_rule: str  # 'yes', 'no' or 'yes unless 4xx'
    typical_codes: str
    esp: tuple[tuple[str, str], ...]  # (vendor, their type), vendors in file order
    decidable: bool

    def is_hard(self, reply_class: int | None) -> bool:
        """Default hard-bounce verdict for a reply of class 4 or 5 (None when unknown).

        A 4xx reply is never a hard bounce, whatever the reason's rule says: the server asked
        the sender to try again (smtpguide's one departure from the vocabulary's rule).
        """
        if reply_class == 4:
            return False
        return self.hard_rule in ("yes", "yes unless 4xx")


class Action(NamedTuple):
    """A recommended next step."""

    name: str
    label: str
    description: str


ESP_COLUMNS = ("sparkpost", "ses", "postmark", "sendgrid", "mailgun", "kumomta")


def _package_file(*parts: str) -> str:
    with open(os.path.join(os.path.dirname(__file__), *parts), encoding="utf-8") as f:
        return f.read()


@functools.cache
def schema() -> dict[str, Any]:
    """The entry JSON Schema shipped in the package (the one source of the entry format)."""
    return json.loads(_package_file("schema", "entry.schema.json"))


def _rows(name: str) -> list[dict[str, str]]:
    text = _package_file("vocab", name)
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@functools.cache
def reasons() -> dict[str, Reason]:
    """All reasons by name, in file order."""
    return {
        r["reason"]: Reason(
            name=r["reason"],
            meaning=r["meaning"],
            hard_rule=r["hard_bounce"],
            typical_codes=r["typical_codes"],
            esp=tuple((c, r[c]) for c in ESP_COLUMNS),
            decidable=r["decidable"] == "yes",
        )
        for r in _rows("reasons.tsv")
    }


@functools.cache
def actions() -> dict[str, Action]:
    """All actions by name, in file order."""
    return {r["action"]: Action(r["action"], r["label"], r["description"]) for r in _rows("actions.tsv")}
