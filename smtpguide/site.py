"""Site URLs and page rendering: pure functions from entries to Markdown, HTML and JSON (no mkdocs import).

``generate()`` returns every generated file of the site; the mkdocs hook (``hooks/entries.py``)
only turns them into ``File.generated`` objects. The rendering lives in ``render_pages`` (pages)
and ``render_index`` (JSON exports and the paste-box index).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import vocab
from .model import Entry, Provider
from .render_index import entries_export, paste_index
from .render_pages import (
    LIST_MAX,
    RESERVED,
    entry_src,
    entry_url,
    messages_url,
    render_code_list,
    render_entry,
    render_home,
    render_messages,
    render_provider,
    render_providers,
    render_reason,
    render_reasons,
    render_redirect,
    render_schema,
    render_scoring,
    status_aliases,
    verdict,
)
from .vocab import schema

__all__ = ["Generated", "entry_url", "generate", "schema"]


@dataclass
class Generated:
    """Generated files by their path below the site root (``src_uri``)."""

    pages: dict[str, str] = field(default_factory=dict)  # Markdown pages
    static: dict[str, str] = field(default_factory=dict)  # JSON and redirect HTML, copied as they are
    edit: dict[str, str] = field(default_factory=dict)  # page -> repository path of its source


def related(e: Entry, entries: list[Entry]) -> list[Entry]:
    """Entries shown under a reply page (its status codes and messages) or a status page (its messages)."""
    if e.kind == "reply":
        st = [x for x in entries if x.kind == "status" and e.reply_code in x.basic_codes]
        msgs = [x for x in entries if x.kind == "message" and x.reply_code == e.reply_code]
        return sorted(st, key=lambda x: x.id) + sorted(msgs, key=lambda x: x.id)
    if e.kind == "status" and e.enhanced_code:
        rest = e.enhanced_code[1:]
        return sorted((x for x in entries if x.kind == "message" and x.enhanced_code
                       and x.enhanced_code[1:] == rest), key=lambda x: x.id)
    return []


def generate(entries: list[Entry], providers: list[Provider], schema_doc: dict[str, Any] | None = None) -> Generated:
    """Every generated page and file of the site. ``entries`` and ``providers`` in index order
    (the paste index mirrors ``matcher.Index``, which depends on it)."""
    g = Generated()
    pmap = {p.id: p for p in providers}
    for p in providers:
        if p.id in RESERVED:
            raise ValueError(f"provider id {p.id!r} collides with a site folder")
    ordered = sorted(entries, key=lambda e: e.id)
    for e in ordered:
        src = entry_src(e)
        rel = related(e, ordered) if e.kind != "message" else None
        g.pages[src] = render_entry(e, rel, pmap)
        g.edit[src] = e.path
        msgs = [x for x in rel or () if x.kind == "message"]
        if len(msgs) > LIST_MAX:
            g.pages[messages_url(e) + "index.md"] = render_messages(e, msgs)
            g.edit[messages_url(e) + "index.md"] = e.path
        for alias in status_aliases(e):
            g.static[f"{alias}/index.html"] = render_redirect(f"{alias}/", entry_url(e), e.title)
    for p in sorted(providers, key=lambda p: p.id):
        msgs = [e for e in ordered if e.kind == "message" and e.provider == p.id]
        g.pages[f"{p.id}/index.md"] = render_provider(p, msgs)
        g.edit[f"{p.id}/index.md"] = f"entries/provider/{p.id}.yaml"
    counts: dict[str, int] = {}
    for e in ordered:
        counts[e.provider or ""] = counts.get(e.provider or "", 0) + 1
    g.pages["providers.md"] = render_providers(sorted(providers, key=lambda p: p.name.lower()), counts)
    g.pages["codes.md"] = render_code_list("reply", [e for e in ordered if e.kind == "reply"])
    g.pages["status.md"] = render_code_list("status", sorted((e for e in ordered if e.kind == "status"),
                                                             key=lambda e: _code_key(e.enhanced_code or "")))
    by_reason: dict[str, list[Entry]] = {r: [] for r in vocab.reasons()}
    for e in ordered:
        names = {verdict(e, k)[0] for k in ("4", "5")} if e.kind == "status" else {e.reason}
        for r in names:
            by_reason[r].append(e)
    g.pages["reasons/index.md"] = render_reasons({r: len(v) for r, v in by_reason.items()})
    g.edit["reasons/index.md"] = "smtpguide/vocab/reasons.tsv"
    for r, es in by_reason.items():
        g.pages[f"reasons/{r}.md"] = render_reason(r, es)
        g.edit[f"reasons/{r}.md"] = "smtpguide/vocab/reasons.tsv"
    g.pages["index.md"] = render_home(ordered, sorted(providers, key=lambda p: p.name.lower()))
    sch = schema_doc if schema_doc is not None else schema()
    g.pages["reference/schema.md"] = render_schema(sch)
    g.pages["reference/scoring.md"] = render_scoring()
    g.edit["reference/scoring.md"] = "smtpguide/matcher.py"
    g.edit["reference/schema.md"] = "smtpguide/schema/entry.schema.json"
    g.static["schemas/entry.schema.json"] = json.dumps(sch, indent=1, ensure_ascii=False) + "\n"
    g.static["api/v1/entries.json"] = json.dumps(entries_export(entries), ensure_ascii=False,
                                                 separators=(",", ":")) + "\n"
    g.static["api/v1/paste-index.json"] = json.dumps(paste_index(entries, providers), ensure_ascii=False,
                                                     separators=(",", ":")) + "\n"
    return g


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else -1 for p in code.split("."))
