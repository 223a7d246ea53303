"""The lookup engine: one RE2 set over every message pattern and provider host fragment.

Precedence is explicit: a message entry (score >= 1000) beats a status entry (500), which
beats a reply entry (100); a message entry whose reason is ``onhold`` (it cannot say more
than "refused") scores from 100 up, below any status entry but above the bare reply code.
Among messages, the longer matching phrase wins, codes that agree with the text add to the
score and codes that contradict it subtract; a provider named by a
host in the text adds a little, and the cross-provider ``common`` wording yields to a
provider's own. Ties go to the smaller id, so results are deterministic.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from . import patterns, vocab
from .model import Entry, Match, Provider, Result
from .normalize import codes_of, coerce, fold, is_multiline, straighten, strip_continuations

MESSAGE, STATUS, VAGUE, REPLY = 1000, 500, 100, 100
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


def _rank(m: Match) -> tuple[int, str]:
    return (-m.score, m.entry.id)


class Index:
    """Everything ``lookup`` needs, built once from the entries and providers."""

    def __init__(self, entries: list[Entry], providers: list[Provider]) -> None:
        self.entries = {e.id: e for e in entries}
        self.providers = {p.id: p for p in providers}
        self.reply = {e.reply_code: e for e in entries if e.kind == "reply" and e.reply_code}
        self.status = {e.enhanced_code[2:]: e for e in entries if e.kind == "status" and e.enhanced_code}
        regexes: list[str] = []
        # slot i of the set -> (message entry, specificity) or (provider id, fragment length)
        self.slots: list[tuple[Entry | str, int]] = []
        for e in entries:
            if e.kind == "message":
                for p in e.patterns:
                    regexes.append(patterns.to_regex(p))
                    self.slots.append((e, patterns.specificity(p)))
        for pr in providers:
            for h in pr.hosts:
                regexes.append(re.escape(h))
                self.slots.append((pr.id, len(h)))
        self.set = None
        if regexes:
            self.set, kept = patterns.build_set(regexes)
            self.slots = [self.slots[i] for i in kept]
        self.hard = {name: r.is_hard for name, r in vocab.reasons().items()}

    def lookup(self, x: Any) -> Result:
        """Explain ``x`` (see ``smtpguide.lookup``); may raise on internal errors."""
        smtplib = sys.modules.get("smtplib")  # importing it costs 15 ms of start-up; callers that raise it have
        if smtplib is not None and isinstance(x, smtplib.SMTPRecipientsRefused) and x.recipients:
            per = tuple((str(addr), self.lookup(reply)) for addr, reply in x.recipients.items())
            first = per[0][1]
            return Result(first.text, first.reply_code, first.enhanced_code, first.reason, first.hard_bounce,
                          first.action, first.provider, first.matches, per)
        return self.explain(coerce(x))

    def explain(self, raw: str) -> Result:
        # Patterns are case-insensitive and whitespace-tolerant, so raw text is matched as it
        # is; only a multi-line reply is folded, to drop its repeated code prefixes.
        text = straighten(raw)
        data = text.encode("utf-8", "surrogatepass")
        rc, enh = codes_of(data)
        if is_multiline(text, rc, enh):
            data = strip_continuations(fold(text), rc, enh).encode("utf-8", "surrogatepass")
        found: dict[str, tuple[Entry, int]] = {}
        seen: dict[str, int] = {}
        if self.set is not None and data:
            slots = self.slots
            for i in self.set._set.Match(data) or ():
                target, weight = slots[i]
                if isinstance(target, str):
                    if weight > seen.get(target, 0):
                        seen[target] = weight
                elif weight > found.get(target.id, (target, -1))[1]:
                    found[target.id] = (target, weight)
        rc_s = str(rc) if rc is not None else None
        matches = [self._score(e, spec, rc_s, enh, seen) for e, spec in found.values()]
        if enh and (status := self.status.get(enh[2:])):
            matches.append(Match(status, STATUS, (("status", enh),)))
        if rc_s and (reply := self.reply.get(rc_s)):
            matches.append(Match(reply, REPLY, (("reply", rc_s),)))
        if len(matches) > 1:
            matches.sort(key=_rank)
        return self._result(raw, rc, enh, tuple(matches), seen)

    @staticmethod
    def _score(e: Entry, spec: int, rc: str | None, enh: str | None, seen: dict[str, int]) -> Match:
        """Score a matching message entry; ``basis`` records each adjustment for ``Match.why``."""
        # A message entry that cannot name a reason (onhold) says less than a status code
        # does, so it ranks between the status and the reply entries.
        score = (VAGUE if e.reason == "onhold" else MESSAGE) + min(spec, 300)
        basis: list[tuple[str, str]] = [("pattern", str(spec))]
        code = e.reply_code
        if code and rc:
            key = "reply-agrees" if code == rc else "reply-same-class" if code[0] == rc[0] else "reply-contradicts"
            score += ADJUST[key]
            basis.append((key, rc))
        code = e.enhanced_code
        if code and enh:
            if code == enh:
                key = "status-agrees"
            elif code[1:] == enh[1:]:
                key = "status-other-class"
            elif code[0] != enh[0]:
                key = "status-contradicts"
            else:
                key = "status-same-class"
            score += ADJUST[key]
            basis.append((key, enh))
        if e.provider in seen:
            score += ADJUST["provider"]
            basis.append(("provider", e.provider or ""))
        elif e.provider == COMMON:
            score += ADJUST["common"]
        return Match(e, score, tuple(basis))

    def _result(self, raw: str, rc: int | None, enh: str | None, matches: tuple[Match, ...],
                seen: dict[str, int]) -> Result:
        provider = max(seen, key=lambda p: (seen[p], p)) if seen else None
        if not matches:
            return Result(raw, rc, enh, "undefined", False, None, provider, ())
        best = matches[0].entry
        reason, action = best.reason, best.action
        if best.kind == "status" and enh and (cm := best.for_class(enh[0])):
            reason, action = cm.reason or reason, cm.action or action
        elif best.kind == "message" and best.provider != COMMON:
            provider = best.provider
        if best.hard_bounce_override is not None:
            hard = best.hard_bounce_override.value
        else:
            klass = rc // 100 if rc is not None else int(enh[0]) if enh else None
            hard = klass != 4 and self.hard[reason](klass)
        return Result(raw, rc, enh, reason, hard, action, provider, matches)
