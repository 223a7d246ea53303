"""Read the entries folder into records, and turn records into typed entries.

The same ``entry_from_data`` builds entries from freshly loaded YAML (validator, compiler)
and from the compiled JSON the library ships, so both see identical records.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from .yamlload import Loaded

from .model import ClassMeaning, Context, Disagreement, Entry, HardBounceOverride, Provider, Reference

KINDS = ("reply", "status", "message")
ROLES = ("sender", "recipient", "recipient_admin")


def entry_id(path: Path, root: Path) -> str:
    """``entries/message/gmail/x.yaml`` -> ``message/gmail/x``."""
    return path.relative_to(root).with_suffix("").as_posix()


def _refs(items: Any) -> tuple[Reference, ...]:
    return tuple(Reference(r["title"], r["url"]) for r in items or ())


def entry_from_data(eid: str, d: dict[str, Any]) -> Entry:
    """A typed entry from schema-valid data (raises KeyError/TypeError on invalid data)."""
    parts = eid.split("/")
    hb = d.get("hard_bounce")
    return Entry(
        id=eid, kind=parts[0], title=d["title"], summary=d["summary"], explanation=d["explanation"].strip(),
        causes=tuple(d["causes"]),
        fixes=tuple((role, tuple(d["fixes"][role])) for role in ROLES if role in d["fixes"]),
        reason=d["reason"], action=d["action"], references=_refs(d["references"]), checked=d["checked"],
        tags=tuple(d.get("tags", ())), unsure=d.get("unsure"),
        hard_bounce_override=HardBounceOverride(hb["value"], hb["why"]) if hb else None,
        disagreements=tuple(Disagreement(x["source"], x["says"], x["url"], x.get("note"))
                            for x in d.get("disagreements", ())),
        reply_code=d.get("reply_code"), enhanced_code=d.get("enhanced_code"),
        provider=parts[1] if parts[0] == "message" and len(parts) > 2 else None,
        patterns=tuple(d.get("patterns", ())), examples=tuple(d.get("examples", ())),
        near_misses=tuple(d.get("near_misses", ())), language=d.get("language"), stage=d.get("stage"),
        notice=bool(d.get("notice")),
        registry_title=d.get("registry_title"), basic_codes=tuple(d.get("basic_codes", ())),
        classes=tuple(ClassMeaning(k, v["meaning"], v.get("reason"), v.get("action"))
                      for k, v in sorted(d.get("classes", {}).items())),
        contexts=tuple(Context(c["rfc"], c["meaning"], c.get("commands")) for c in d.get("contexts", ())),
    )


class Facts(NamedTuple):
    """What the matcher needs of an entry, read without building the whole ``Entry``."""

    id: str
    kind: str
    reason: str
    reply_code: str | None
    enhanced_code: str | None
    provider: str | None
    patterns: tuple[str, ...]
    notice: bool = False

    @classmethod
    def of(cls, e: Entry) -> Facts:
        return cls(e.id, e.kind, e.reason, e.reply_code, e.enhanced_code, e.provider, e.patterns, e.notice)


def facts_row(d: dict[str, Any]) -> list[Any]:
    """What the matcher reads of an entry's data, stored beside it in the compiled knowledge base."""
    return [d["reason"], d.get("reply_code"), d.get("enhanced_code"), bool(d.get("notice"))]


def facts_from_row(eid: str, row: list[Any]) -> Facts:
    """The facts of a compiled entry (its patterns are precompiled beside it, so none here)."""
    parts = eid.split("/")
    provider = parts[1] if parts[0] == "message" and len(parts) > 2 else None
    return Facts(eid, parts[0], row[0], row[1], row[2], provider, (), row[3])


class LazyEntries(Mapping[str, Entry]):
    """Entries by id, each built from its JSON text (str, bytes or a memoryview of the stored
    knowledge base) on first access; start-up builds none and reads only ``facts``
    (id -> ``facts_row``)."""

    def __init__(self, data: dict[str, str | bytes | memoryview], facts: dict[str, list[Any]]) -> None:
        self._data = data
        self._facts = facts
        self._built: dict[str, Entry] = {}

    def __getitem__(self, key: str) -> Entry:
        e = self._built.get(key)
        if e is None:
            d = self._data[key]
            e = self._built[key] = entry_from_data(key, json.loads(d if isinstance(d, (str, bytes)) else bytes(d)))
        return e

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def facts(self) -> list[Facts]:
        return [facts_from_row(k, row) for k, row in self._facts.items()]


def provider_from_data(pid: str, d: dict[str, Any]) -> Provider:
    return Provider(id=pid, name=d["name"], kind=d["kind"], links=_refs(d["links"]),
                    description=d.get("description"), domains=tuple(d.get("domains", ())),
                    hosts=tuple(h.lower() for h in d.get("hosts", ())))


class SourceFile:
    """One file of the entries folder, loaded."""

    __slots__ = ("id", "loaded", "path")

    def __init__(self, path: Path, id: str, loaded: Loaded) -> None:  # the entry id
        self.path, self.id, self.loaded = path, id, loaded


def read_folder(root: Path) -> list[SourceFile]:
    """Every file below ``root`` (sorted), parsed; unreadable ones carry problems, not exceptions."""
    from .yamlload import Loaded, decode, load_text  # PyYAML stays off the lookup path

    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        src = SourceFile(path, entry_id(path, root), Loaded())
        try:
            blob = path.read_bytes()
        except OSError as e:
            src.loaded.problems.append((1, 1, "SG001", f"cannot read the file: {e.strerror}", "check permissions"))
            files.append(src)
            continue
        text = decode(blob, src.loaded)
        if text is not None:
            src.loaded = load_text(text)
        files.append(src)
    return files
