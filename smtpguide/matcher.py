"""The lookup engine: one RE2 set over every message pattern and provider host fragment.

Precedence is explicit: a message entry (score >= 1000) beats a status entry (500), which
beats a reply entry (100). Among messages, the longer matching phrase wins, codes that agree
with the text add to the score and codes that contradict it subtract; a provider named by a
host in the text adds a little, and the cross-provider ``common`` wording yields to a
provider's own. Ties go to the smaller id, so results are deterministic.
"""

from __future__ import annotations

import re
import smtplib
from typing import Any

from . import patterns, vocab
from .model import Entry, Match, Provider, Result
from .normalize import codes, coerce, fold, strip_continuations

MESSAGE, STATUS, REPLY = 1000, 500, 100
COMMON = "common"


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
        self.set = patterns.build_set(regexes) if regexes else None

    def lookup(self, x: Any) -> Result:
        """Explain ``x`` (see ``smtpguide.lookup``); may raise on internal errors."""
        if isinstance(x, smtplib.SMTPRecipientsRefused) and x.recipients:
            per = tuple((str(addr), self.lookup(reply)) for addr, reply in x.recipients.items())
            first = per[0][1]
            return Result(first.text, first.reply_code, first.enhanced_code, first.reason, first.hard_bounce,
                          first.action, first.provider, first.matches, per)
        return self.explain(coerce(x))

    def explain(self, raw: str) -> Result:
        text = fold(raw)
        rc, enh = codes(text)
        text = strip_continuations(text, rc, enh)
        found: dict[str, tuple[Entry, int]] = {}
        seen_providers: dict[str, int] = {}
        if self.set is not None and text:
            for i in self.set.Match(text) or ():
                target, weight = self.slots[i]
                if isinstance(target, str):
                    seen_providers[target] = max(weight, seen_providers.get(target, 0))
                elif weight > found.get(target.id, (target, -1))[1]:
                    found[target.id] = (target, weight)
        matches = [self._score(e, spec, rc, enh, seen_providers) for e, spec in found.values()]
        if enh and (status := self.status.get(enh[2:])):
            matches.append(Match(status, STATUS, f"enhanced status code {enh}"))
        if rc is not None and (reply := self.reply.get(str(rc))):
            matches.append(Match(reply, REPLY, f"reply code {rc}"))
        matches.sort(key=lambda m: (-m.score, m.entry.id))
        return self._result(raw, rc, enh, tuple(matches), seen_providers)

    @staticmethod
    def _score(e: Entry, spec: int, rc: int | None, enh: str | None, seen: dict[str, int]) -> Match:
        score = MESSAGE + min(spec, 300)
        why = [f"pattern of {spec} characters"]
        if e.reply_code and rc is not None:
            if e.reply_code == str(rc):
                score, _ = score + 60, why.append(f"reply code {rc} agrees")
            elif e.reply_code[0] == str(rc)[0]:
                score += 15
            else:
                score, _ = score - 400, why.append(f"reply code {rc} contradicts {e.reply_code}")
        if e.enhanced_code and enh:
            if e.enhanced_code == enh:
                score, _ = score + 60, why.append(f"status {enh} agrees")
            elif e.enhanced_code[1:] == enh[1:]:
                score += 15
            elif e.enhanced_code[0] != enh[0]:
                score, _ = score - 400, why.append(f"status {enh} contradicts {e.enhanced_code}")
            else:
                score -= 20
        if e.provider in seen:
            score, _ = score + 40, why.append(f"{e.provider} named in the text")
        elif e.provider == COMMON:
            score -= 25
        return Match(e, score, "; ".join(why))

    def _result(self, raw: str, rc: int | None, enh: str | None, matches: tuple[Match, ...],
                seen: dict[str, int]) -> Result:
        provider = max(seen, key=lambda p: (seen[p], p)) if seen else None
        if not matches:
            return Result(raw, rc, enh, "undefined", False, None, provider, ())
        best = matches[0].entry
        klass = rc // 100 if rc is not None else int(enh[0]) if enh else None
        reason, action = best.reason, best.action
        if best.kind == "status" and enh and (cm := best.for_class(enh[0])):
            reason, action = cm.reason or reason, cm.action or action
        if best.kind == "message" and best.provider != COMMON:
            provider = best.provider
        if best.hard_bounce_override is not None:
            hard = best.hard_bounce_override.value
        else:
            hard = vocab.reasons()[reason].is_hard(klass)
        return Result(raw, rc, enh, reason, hard, action, provider, matches)
