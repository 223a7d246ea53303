"""JSON exports of the site: the entries API and the paste-box index (pure functions).

The paste index carries exactly what ``matcher.Index`` uses (every message pattern with its
specificity, every provider host, the reply and status maps, the vocab hard-bounce rules),
with each RE2 expression translated to JavaScript by :func:`re2_to_js`. The browser port of
the engine is ``docs/assets/javascripts/paste.js``; a test runs every example through both.
"""

from __future__ import annotations

import re
from typing import Any

import re2

from . import matcher, patterns, vocab
from .model import Entry, Provider
from .render_pages import entry_url

PASTE_INDEX_VERSION = 1
API_VERSION = 1

_SYNTAX = set("^$\\.*+?()[]{}|/")
_WS = r"\t\n\f\r "  # RE2's \s is ASCII [\t\n\f\r ]


def re2_to_js(src: str) -> str | None:
    """An RE2 expression as an equivalent JavaScript source for ``new RegExp(src, "iu")``, or None
    when it uses RE2 syntax this translator does not handle (the browser then skips it)."""
    out: list[str] = []
    i, n = 0, len(src)
    in_class = False
    dotall: list[bool] = [False]  # flag scope per open group
    while i < n:
        c = src[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            d = src[i + 1]
            i += 2
            if d == "s":
                out.append(_WS if in_class else f"[{_WS}]")
            elif d == "S":
                if in_class:
                    return None
                out.append(f"[^{_WS}]")
            elif d in "dDwWnrtfv":
                out.append("\\" + d)
            elif d in "bB":
                if in_class:
                    return None
                out.append("\\" + d)
            elif d == "A" and not in_class:
                out.append("^")
            elif d == "z" and not in_class:
                out.append("$")
            elif d == "x":
                m = re.match(r"\{([0-9A-Fa-f]{1,6})\}|([0-9A-Fa-f]{2})", src[i:])
                if not m:
                    return None
                out.append("\\u{" + (m.group(1) or m.group(2)) + "}")
                i += m.end()
            elif d in _SYNTAX:
                out.append("\\" + d)
            elif d == "-":
                out.append("\\-" if in_class else "-")
            elif d.isalnum():
                return None  # \pN, \Q, \C, back-references: not supported
            else:
                out.append(d)  # an escaped punctuation character is itself
            continue
        if in_class:
            if c == "[":
                if src.startswith("[:", i):
                    return None
                out.append("\\[")
            elif c == "]":
                in_class = False
                out.append("]")
            else:
                out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append("[")
            i += 1
            if i < n and src[i] == "^":
                out.append("^")
                i += 1
            if i < n and src[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if c == "(":
            if src.startswith("(?", i):
                m = re.match(r"\(\?([imsU-]*):", src[i:])
                if m:
                    flags = m.group(1)
                    on = flags.split("-")[0]
                    off = flags.split("-")[1] if "-" in flags else ""
                    if "m" in flags or "U" in flags or "i" in off:
                        return None
                    dotall.append(("s" in on) or (dotall[-1] and "s" not in off))
                    out.append("(?:")
                    i += m.end()
                    continue
                m = re.match(r"\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>", src[i:])
                if m:
                    dotall.append(dotall[-1])
                    out.append(f"(?<{m.group(1)}>")
                    i += m.end()
                    continue
                if src.startswith("(?i)", i):  # already case-insensitive
                    i += 4
                    continue
                return None
            dotall.append(dotall[-1])
            out.append("(")
            i += 1
            continue
        if c == ")":
            if len(dotall) > 1:
                dotall.pop()
            out.append(")")
            i += 1
            continue
        if c == ".":
            out.append("[\\s\\S]" if dotall[-1] else "[^\\n]")
            i += 1
            continue
        if c == "{":
            m = re.match(r"\{\d+(,\d*)?\}", src[i:])
            if m and out:
                out.append(m.group(0))
                i += m.end()
            else:
                out.append("\\{")
                i += 1
            continue
        if c == "}":
            out.append("\\}")
            i += 1
            continue
        if c == "/":
            out.append("\\/")
            i += 1
            continue
        out.append(c)
        i += 1
    if in_class:
        return None
    return "".join(out)


def _compiles(rx: str) -> bool:
    try:
        re2.compile(rx, patterns._OPTIONS)
    except re2.error:
        return False
    return True


def paste_index(entries: list[Entry], providers: list[Provider]) -> dict[str, Any]:
    """Everything the browser engine needs, in the order ``matcher.Index`` builds it."""
    ids = {e.id: i for i, e in enumerate(entries)}
    rows = []
    for e in entries:
        rows.append({
            "id": e.id, "kind": e.kind, "title": e.title, "url": entry_url(e),
            "reply_code": e.reply_code, "enhanced_code": e.enhanced_code, "provider": e.provider,
            "reason": e.reason, "action": e.action,
            "hard_override": None if e.hard_bounce_override is None else e.hard_bounce_override.value,
            "classes": {c.klass: [c.reason, c.action] for c in e.classes}, "notice": e.notice,
        })
    pats = []
    for e in entries:
        if e.kind == "message":
            for p in e.patterns:
                rx = patterns.to_regex(p)
                if not _compiles(rx):
                    continue  # left out of the engine's set too (``smtpguide validate`` reports it)
                pats.append([ids[e.id], re2_to_js(rx), patterns.specificity(p)])
    hosts = []
    for pr in providers:
        for h in pr.hosts:
            hosts.append([pr.id, re2_to_js(re.escape(h)), len(h)])
    reply = {e.reply_code: ids[e.id] for e in entries if e.kind == "reply" and e.reply_code}
    status = {e.enhanced_code[2:]: ids[e.id] for e in entries if e.kind == "status" and e.enhanced_code}
    reasons = {r.name: r.hard_rule for r in vocab.reasons().values()}
    actions = {x.name: x.label for x in vocab.actions().values()}
    scores = {"BAND": matcher.BAND, "NOTICE": list(matcher.NOTICE), "QUOTED": list(matcher.QUOTED),
              "VAGUE": list(matcher.VAGUE), "FOLLOW_UP": list(matcher.FOLLOW_UP), "COMMON": matcher.COMMON,
              "ADJUST": matcher.ADJUST}
    return {"version": PASTE_INDEX_VERSION, "scores": scores, "entries": rows, "patterns": pats, "hosts": hosts,
            "reply": reply, "status": status, "reasons": reasons, "actions": actions,
            "providers": {p.id: p.name for p in providers}}


def entries_export(entries: list[Entry]) -> dict[str, Any]:
    """``/api/v1/entries.json``: ``{"version": 1, "entries": [entry.to_dict() + "url"]}``, sorted by id."""
    out = []
    for e in sorted(entries, key=lambda e: e.id):
        d = e.to_dict()
        d["url"] = entry_url(e)
        out.append(d)
    return {"version": API_VERSION, "entries": out}
