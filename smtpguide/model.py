"""Immutable, typed records (named tuples: cheap to import and to build): entries, providers, results."""

from __future__ import annotations

from typing import Any, NamedTuple

from . import vocab


class Reference(NamedTuple):
    title: str
    url: str


class Disagreement(NamedTuple):
    source: str
    says: str
    url: str
    note: str | None = None


class ClassMeaning(NamedTuple):
    """How a status code reads in one class (``"2"``, ``"4"`` or ``"5"``)."""

    klass: str
    meaning: str
    reason: str | None = None
    action: str | None = None


class Context(NamedTuple):
    """One defining context of a reply code (RFC and meaning)."""

    rfc: str
    meaning: str
    commands: str | None = None


class HardBounceOverride(NamedTuple):
    value: bool
    why: str


class Entry(NamedTuple):
    """One knowledge-base entry. ``id`` is its path below ``entries/`` without ``.yaml``."""

    id: str
    kind: str  # 'reply', 'status' or 'message'
    title: str
    summary: str
    explanation: str
    causes: tuple[str, ...]
    fixes: tuple[tuple[str, tuple[str, ...]], ...]  # (role, steps), roles in schema order
    reason: str
    action: str
    references: tuple[Reference, ...]
    checked: str
    tags: tuple[str, ...] = ()
    unsure: str | None = None
    hard_bounce_override: HardBounceOverride | None = None
    disagreements: tuple[Disagreement, ...] = ()
    reply_code: str | None = None
    enhanced_code: str | None = None  # 'X.7.26' for status entries, '5.7.26' for messages
    provider: str | None = None
    patterns: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    near_misses: tuple[str, ...] = ()
    language: str | None = None
    stage: str | None = None
    notice: bool = False  # the sending side's own notice (DSN prose): a quoted server reply outranks it
    registry_title: str | None = None
    basic_codes: tuple[str, ...] = ()
    classes: tuple[ClassMeaning, ...] = ()
    contexts: tuple[Context, ...] = ()

    @property
    def path(self) -> str:
        """The source file, relative to the repository root."""
        return f"entries/{self.id}.yaml"

    def for_class(self, klass: str | None) -> ClassMeaning | None:
        """The per-class reading of a status entry for class ``klass``."""
        return next((c for c in self.classes if c.klass == klass), None)

    def reading(self, klass: str | None = None, reply_class: int | None = None) -> tuple[str, str, bool]:
        """(reason, action, hard bounce) of this entry for a text of class ``klass`` ("4", "5";
        a status entry reads per class); the hard-bounce verdict uses ``reply_class`` when
        given, else ``klass``, else the entry's own reply code. One rule for lookup, site, export."""
        reason, action = self.reason, self.action
        if self.kind == "status" and klass and (cm := self.for_class(klass)):
            reason, action = cm.reason or reason, cm.action or action
        if self.hard_bounce_override is not None:
            return reason, action, self.hard_bounce_override.value
        if reply_class is None:
            reply_class = int(klass) if klass else (int(self.reply_code[0]) if self.reply_code else None)
        return reason, action, vocab.reasons()[reason].is_hard(reply_class)

    def hard_bounce(self, reply_class: int | None = None) -> bool:
        """Hard-bounce verdict: the entry's override, else its reason's default rule."""
        return self.reading(None, reply_class)[2]

    def to_dict(self) -> dict[str, Any]:
        """All fields as JSON-ready data (the shape of ``smtpguide export``)."""
        d: dict[str, Any] = {
            "id": self.id, "kind": self.kind, "path": self.path, "title": self.title, "summary": self.summary,
            "reply_code": self.reply_code, "enhanced_code": self.enhanced_code, "provider": self.provider,
            "reason": self.reason, "hard_bounce": self.hard_bounce(), "action": self.action,
            "explanation": self.explanation, "causes": list(self.causes),
            "fixes": {role: list(steps) for role, steps in self.fixes},
            "references": [{"title": r.title, "url": r.url} for r in self.references],
            "checked": self.checked, "tags": list(self.tags), "unsure": self.unsure,
            "hard_bounce_override": None if self.hard_bounce_override is None
            else {"value": self.hard_bounce_override.value, "why": self.hard_bounce_override.why},
            "disagreements": [{"source": x.source, "says": x.says, "url": x.url, "note": x.note} for x in self.disagreements],
            "patterns": list(self.patterns), "examples": list(self.examples), "near_misses": list(self.near_misses),
            "language": self.language, "stage": self.stage, "notice": self.notice, "registry_title": self.registry_title,
            "basic_codes": list(self.basic_codes),
            "classes": {c.klass: {"meaning": c.meaning, "reason": c.reason, "action": c.action} for c in self.classes},
            "contexts": [{"rfc": c.rfc, "meaning": c.meaning, "commands": c.commands} for c in self.contexts],
        }
        return d


class Provider(NamedTuple):
    """A provider, gateway, MTA program or blocklist (``entries/provider/<id>.yaml``)."""

    id: str
    name: str
    kind: str
    links: tuple[Reference, ...]
    description: str | None = None
    domains: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "description": self.description,
                "domains": list(self.domains), "hosts": list(self.hosts),
                "links": [{"title": r.title, "url": r.url} for r in self.links]}


class Match(NamedTuple):
    """One candidate entry for a text, with its score and the basis of that score.

    A named tuple, cheap to build on the hot path; ``why`` spells the basis out on demand.
    """

    entry: Entry
    score: int
    basis: tuple[int, str | None, str | None, bool, str]  # (pattern length, reply code, status code, provider named, band)

    @property
    def why(self) -> str:
        """Why it matched and scored so, in words."""
        from .matcher import why

        return why(self)


class Result(NamedTuple):
    """What ``lookup()`` found. ``best`` is None when nothing matched (a named tuple: immutable and cheap)."""

    text: str
    reply_code: int | None
    enhanced_code: str | None
    reason: str
    hard_bounce: bool
    action: str | None
    provider: str | None
    matches: tuple[Match, ...] = ()
    recipients: tuple[tuple[str, Result], ...] = ()

    @property
    def best(self) -> Entry | None:
        return self.matches[0].entry if self.matches else None

    @property
    def kind(self) -> str | None:
        return self.matches[0].entry.kind if self.matches else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``smtpguide classify``."""
        best = self.best
        d: dict[str, Any] = {
            "reply_code": self.reply_code, "enhanced_code": self.enhanced_code, "reason": self.reason,
            "hard_bounce": self.hard_bounce, "action": self.action, "provider": self.provider,
            "entry": best.id if best else None, "kind": best.kind if best else None,
            "title": best.title if best else None,
        }
        if self.recipients:
            d["recipients"] = {addr: r.to_dict() for addr, r in self.recipients}
        return d
