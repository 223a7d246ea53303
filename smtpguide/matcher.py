"""The lookup engine: one RE2 set over every message pattern and provider host fragment.

Precedence is explicit, in bands (``BAND``): a message entry that names a cause beats a 503
follow-up reply, which beats the status entry of the text's enhanced code, which beats a
message entry whose codes are of the other class than the text's (5xx against 4xx, unless the
enhanced code is the same condition in the other class), which beats a giving-up notice or
another notice of the sending side (entries marked ``notice``), which beats a network failure
quoted inside such a notice, which beats anything that cannot name a reason (onhold), which
beats the bare reply code. Within a band the longer matching phrase
wins, codes that agree with the text add to the score and codes that contradict it subtract; a
provider named by a host in the text adds a little, and the cross-provider ``common`` wording
yields to a provider's own. Ties go to the smaller id, so results are deterministic.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any

from . import patterns
from .kb import Facts, LazyEntries
from .model import Entry, Match, Provider, Result
from .normalize import PRESENCE, codes_of, coerce, fold, strip_continuations

# Every candidate falls in a band by what it can say; within a band a message entry's score is
# its pattern length (at most 300) plus the adjustments below (together within -850..+460),
# and bands lie 1500 apart, so they never overlap.
BAND = {
    "message": 13500,  # a message entry that names a cause
    "follow-up": 12000,  # a 503 "bad sequence" reply: mostly the client stumbling on after a refusal
    "status": 10500,  # the status entry of the text's enhanced code, naming a cause
    "contradicted": 9000,  # a message entry whose codes are of the other class than the text's
    "notice": 7500,  # a giving-up notice (reason expired) or an entry marked notice: a cause quoted beside it says more
    "quoted": 6000,  # a network failure quoted inside a giving-up notice: it is why the message expired
    "vague": 4500,  # reason onhold: cannot say more than "refused" (message or status entry)
    "reply": 3000,  # the reply entry of the text's reply code
}
NOTICE, QUOTED, VAGUE, FOLLOW_UP = ("expired",), ("networkerror",), ("onhold",), ("503",)


def band(kind: str, reason: str, reply_code: str | None, notice: bool, contradicted: bool = False,
         own_notice: bool = False) -> str:
    """The band of a candidate entry (see ``BAND``); ``own_notice``: the entry is marked ``notice``."""
    if kind == "reply":
        return "reply"
    if notice and reason in QUOTED:
        return "quoted"
    if reason in VAGUE:
        return "vague"
    if reason in NOTICE or own_notice:
        return "notice"
    if kind == "status":
        return "status"
    if contradicted:  # the text is of the other class: the same words likely mean something else
        return "contradicted"
    return "follow-up" if reply_code in FOLLOW_UP else "message"


# Adjustments to a matching message entry's score (exported to the site's paste box too).
ADJUST = {
    "reply-agrees": 60,  # the entry's reply code is the text's
    "reply-same-class": 15,  # same class (4xx/5xx), another code
    "reply-contradicts": -400,  # the text's reply is of the other class
    "status-agrees": 60,
    "status-other-class": 15,  # 4.7.1 vs 5.7.1: the same condition, other class
    "status-same-class": -20,
    "status-contradicts": -400,
    "provider": 40,  # a host of the entry's provider is named in the text
    "common": -25,  # cross-provider wording yields to a provider's own
}
COMMON = "common"


def reply_relation(code: str, rc: str) -> str:
    """How an entry's reply code relates to the text's: a key of ``ADJUST``."""
    return "reply-agrees" if code == rc else "reply-same-class" if code[0] == rc[0] else "reply-contradicts"


def status_relation(code: str, enh: str) -> str:
    """How an entry's enhanced code relates to the text's: a key of ``ADJUST``."""
    if code == enh:
        return "status-agrees"
    if code[1:] == enh[1:]:
        return "status-other-class"
    return "status-contradicts" if code[0] != enh[0] else "status-same-class"


_WORDS = {
    "reply-agrees": "reply code {} agrees", "reply-same-class": "reply code {} is of the same class",
    "reply-contradicts": "reply code {} contradicts the entry's", "status-agrees": "status {} agrees",
    "status-other-class": "status {} differs in class only", "status-same-class": "status {} differs",
    "status-contradicts": "status {} contradicts the entry's",
}


def why(m: Match) -> str:
    """The basis of a match's score, in words."""
    e, (spec, rc, enh, named, name) = m.entry, m.basis
    if e.kind == "status":
        return f"enhanced status code {enh} (band {name})"
    if e.kind == "reply":
        return f"reply code {rc}"
    words = [f"pattern of {spec} characters"]
    if e.reply_code and rc:
        words.append(_WORDS[reply_relation(e.reply_code, rc)].format(rc))
    if e.enhanced_code and enh:
        words.append(_WORDS[status_relation(e.enhanced_code, enh)].format(enh))
    if named:
        words.append(f"{e.provider} named in the text")
    elif e.provider == COMMON:
        words.append("common wording (yields to a provider's own)")
    words.append(f"band {name}")
    return "; ".join(words)


def _confirmation(whole: list[str] | None) -> tuple[bytes, ...] | Any:
    """What confirms an anchor hit (see ``patterns.compiled``): None (the anchor is the
    pattern), the wildcard pattern's pieces as bytes, or a compiled ``re:`` expression."""
    if not whole:
        return None
    if len(whole) == 1 and whole[0].startswith("re:"):
        return patterns.confirmer(whole[0])
    return tuple(p.encode("utf-8") for p in whole)


def _rank(m: Match) -> tuple[int, str]:
    return (-m.score, m.entry.id)


class Index:
    """Everything ``lookup`` needs, built once from the entries and providers."""

    def __init__(self, entries: list[Entry] | LazyEntries, providers: list[Provider],
                 compiled: dict[str, list[tuple[list[str] | None, str, int]]] | None = None) -> None:
        """``entries`` as built records or a ``LazyEntries`` table (built on first use);
        ``compiled`` maps an entry id to ``patterns.compiled`` of each of its patterns
        (precomputed in the shipped knowledge base; computed here when absent)."""
        if isinstance(entries, LazyEntries):
            self.entries: Mapping[str, Entry] = entries
            facts = entries.facts()
        else:
            self.entries = {e.id: e for e in entries}
            facts = [Facts.of(e) for e in entries]
        self.providers = {p.id: p for p in providers}
        self.reply = {f.reply_code: f.id for f in facts if f.kind == "reply" and f.reply_code}
        self.status = {f.enhanced_code[2:]: f.id for f in facts if f.kind == "status" and f.enhanced_code}
        # The RE2 set holds one anchor per distinct literal piece; slot i lists what a hit on
        # anchor i stands for: (message entry facts, specificity, what confirms the whole pattern or None) or
        # (provider id, fragment length, None) or (PRESENCE flag, 0, None).
        regexes: list[str] = []
        slots: list[list[tuple[Facts | str | int, int, Any]]] = []
        where: dict[str, int] = {}

        def add(anchor: str, item: tuple[Facts | str | int, int, Any]) -> None:
            if anchor not in where:
                where[anchor] = len(regexes)
                regexes.append(anchor)
                slots.append([])
            slots[where[anchor]].append(item)

        for k, rx in enumerate(PRESENCE):  # set indices 0-2 say which kinds of code occur
            add(rx, (k, 0, None))
        for e in facts:
            if e.kind == "message":
                done = compiled.get(e.id) if compiled else None
                for whole, anchor, spec in done or [patterns.compiled(p) for p in e.patterns]:
                    add(anchor, (e, spec, _confirmation(whole)))
        for pr in providers:
            for h in pr.hosts:
                add(re.escape(h), (pr.id, len(h), None))
        self.set = None
        self.slots: list[list[tuple[Facts | str | int, int, Any]]] = []
        self._verdicts: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        if regexes:
            self.set, kept = patterns.build_set(regexes)
            self.slots = [slots[i] for i in kept]
        # set indices whose hit must be confirmed by a whole (wildcard or re:) pattern
        # set index -> what confirms each of its patterns that needs confirming
        self._confirm = {i: [w for _, _, w in items if w is not None]
                         for i, items in enumerate(self.slots) if any(w is not None for _, _, w in items)}
        self._needs_confirm = frozenset(self._confirm)

    def lookup(self, x: Any) -> Result:
        """Explain ``x`` (see ``smtpguide.lookup``); may raise on internal errors."""
        # importing smtplib costs 15 ms of start-up; a caller holding its exception has imported it already
        smtplib = sys.modules.get("smtplib")
        if smtplib is not None and isinstance(x, smtplib.SMTPRecipientsRefused) and x.recipients:
            per = tuple((str(addr), self.lookup(reply)) for addr, reply in x.recipients.items())
            first = per[0][1]
            return Result(first.text, first.reply_code, first.enhanced_code, first.reason, first.hard_bounce,
                          first.action, first.provider, first.matches, per)
        return self.explain(coerce(x))

    def explain(self, raw: str) -> Result:
        # The text is folded (lower case, one space for each run of whitespace) as contributors'
        # ``re:`` patterns expect; the checks skip the work for the common single-line ASCII text.
        if not raw.isascii():
            text = fold(raw)
        elif "\n" in raw or "  " in raw or "\t" in raw or "\r" in raw:
            text = " ".join(raw.split())
        else:
            text = raw
        data = text.encode("utf-8", "surrogatepass").lower()
        if self.set is None:  # an empty knowledge base: look for every kind of code
            hits: tuple[int, ...] = ()
            rc, enh = codes_of(data)
        else:
            hits = tuple(self.set._set.Match(data) or ())
            rc, enh = codes_of(data, (0 in hits, 1 in hits, 2 in hits))
        stripped = strip_continuations(text, rc, enh)
        if stripped is not text:  # a multi-line reply: match again without the prefixes
            data = stripped.encode("utf-8", "surrogatepass").lower()
            hits = tuple(self.set._set.Match(data) or ()) if self.set is not None else ()
        # The verdict depends only on the codes, on the set's answer and on which whole
        # patterns (wildcard or re:) behind its hits are confirmed, and those combinations
        # repeat a lot in real logs: memoise it, so a repeat skips walking the hits.
        key: tuple[Any, ...]
        if self._needs_confirm.isdisjoint(hits):
            key = (rc, enh, hits)
        else:
            holds, confirm = self._holds, self._confirm
            key = (rc, enh, hits, tuple([holds(w, data) for i in hits if i in confirm for w in confirm[i]]))
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._remember(key, rc, enh, *self._collect(hits, data))
        return Result(raw, rc, enh, *verdict)

    @staticmethod
    def _holds(pieces: tuple[bytes, ...] | Any, data: bytes) -> bool:
        """Whether the whole pattern matches the folded text: the pieces of a wildcard pattern
        occur in order, or the expression of an ``re:`` pattern is found."""
        if not isinstance(pieces, tuple):
            return bool(pieces.found(data))
        pos = 0
        for p in pieces:
            pos = data.find(p, pos)
            if pos < 0:
                return False
            pos += len(p)
        return True

    def _collect(self, hits: tuple[int, ...], data: bytes) -> tuple[dict[str, tuple[Facts, int]], dict[str, int]]:
        """The matched message entries (id -> entry, longest pattern) and providers named."""
        found: dict[str, tuple[Facts, int]] = {}
        seen: dict[str, int] = {}
        slots = self.slots
        for i in hits:
            for target, weight, whole in slots[i]:
                if isinstance(target, int):  # a PRESENCE flag, not a pattern
                    continue
                if isinstance(target, str):
                    if weight > seen.get(target, 0):
                        seen[target] = weight
                elif weight > found.get(target.id, (target, -1))[1] and (whole is None or self._holds(whole, data)):
                    found[target.id] = (target, weight)
        return found, seen

    def _remember(self, key: tuple[Any, ...], rc: int | None, enh: str | None,
                  found: dict[str, tuple[Facts, int]], seen: dict[str, int]) -> tuple[Any, ...]:
        verdict = self._verdict(rc, enh, found, seen)
        if len(self._verdicts) >= 8192:
            self._verdicts.clear()
        self._verdicts[key] = verdict
        return verdict

    def _verdict(self, rc: int | None, enh: str | None, found: dict[str, tuple[Facts, int]],
                 seen: dict[str, int]) -> tuple[str, bool, str | None, str | None, tuple[Match, ...]]:
        """(reason, hard bounce, action, provider, ranked matches) for what matched."""
        rc_s = str(rc) if rc is not None else None
        adjust = ADJUST
        matches = []
        notice = any(e.reason in NOTICE for e, _ in found.values())
        for e, spec in found.values():
            score = spec if spec < 300 else 300
            contradicted = False
            code = e.reply_code
            if code and rc_s:
                relation = reply_relation(code, rc_s)
                score += adjust[relation]
                contradicted = relation == "reply-contradicts"
            code = e.enhanced_code
            if code and enh:
                relation = status_relation(code, enh)
                score += adjust[relation]
                # the same condition in the other class (4.2.2 / 5.2.2) is no contradiction
                contradicted = relation == "status-contradicts" or (
                    contradicted and relation not in ("status-agrees", "status-other-class"))
            name = band("message", e.reason, e.reply_code, notice, contradicted, e.notice)
            score += BAND[name]
            named = e.provider in seen
            if named:
                score += adjust["provider"]
            elif e.provider == COMMON:
                score += adjust["common"]
            matches.append(Match(self.entries[e.id], score, (spec, rc_s, enh, named, name)))
        if enh and (status_id := self.status.get(enh[2:])):
            status = self.entries[status_id]
            cm = status.for_class(enh[0])
            reason = cm.reason if cm and cm.reason else status.reason
            name = band("status", reason, None, notice)
            matches.append(Match(status, BAND[name], (0, rc_s, enh, False, name)))
        if rc_s and (reply_id := self.reply.get(rc_s)):
            matches.append(Match(self.entries[reply_id], BAND["reply"], (0, rc_s, enh, False, "reply")))
        if len(matches) > 1:
            matches.sort(key=_rank)
        return self._decide(rc, enh, tuple(matches), seen)

    def _decide(self, rc: int | None, enh: str | None, matches: tuple[Match, ...],
                seen: dict[str, int]) -> tuple[str, bool, str | None, str | None, tuple[Match, ...]]:
        provider = max(seen, key=lambda p: (seen[p], p)) if seen else None
        if not matches:
            return ("undefined", False, None, provider, ())
        best = matches[0].entry
        if best.kind == "message" and best.provider != COMMON:
            provider = best.provider
        reply_class = rc // 100 if rc is not None else int(enh[0]) if enh else None
        reason, action, hard = best.reading(enh[0] if enh else None, reply_class)
        return (reason, hard, action, provider, matches)
