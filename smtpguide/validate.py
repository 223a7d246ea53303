"""``smtpguide validate``: every problem of every entry at once, as ``path:line:col: CODE``.

Checks run in three layers: the file itself (encoding, YAML, duplicate keys, tabs), the JSON
Schema (translated into plain words with a hint), and the knowledge base as a whole
(file names against content, providers, patterns, and that every example, looked up,
resolves to its own entry). Nothing here raises on bad input: problems are data.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from . import patterns
from .kb import KINDS, SourceFile, entry_from_data, provider_from_data, read_folder
from .matcher import Index
from .model import Entry, Provider
from .vocab import schema


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str
    level: str = "error"

    def text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}\n    hint: {self.hint}"

    def github(self) -> str:
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return (f"::{self.level} file={self.path},line={self.line},col={self.col},title={self.code}::"
                f"{esc(self.message)}. Hint: {esc(self.hint)}")


@functools.cache
def _validator(kind: str) -> jsonschema.Draft202012Validator:
    s = schema()
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": s["$defs"]})


def allowed_keys(kind: str) -> list[str]:
    defs = schema()["$defs"]
    keys = list(defs[kind].get("properties", {}))
    if kind in KINDS:
        keys = list(defs["common"]["properties"]) + keys
    return keys


def _describe(kind: str, key: str) -> str:
    defs = schema()["$defs"]
    prop = defs[kind].get("properties", {}).get(key) or defs["common"]["properties"].get(key) or {}
    desc = prop.get("description")
    if not desc and "$ref" in prop:
        desc = defs[prop["$ref"].rsplit("/", 1)[1]].get("description")
    return desc or "see the schema reference"


_TYPE_WORDS = {"int": "an integer", "bool": "a boolean", "float": "a number", "str": "a string", "dict": "a mapping",
               "list": "a list", "NoneType": "empty", "string": "a string", "array": "a list", "object": "a mapping",
               "boolean": "a boolean", "integer": "an integer"}
_YAML11 = {"yes", "no", "on", "off", "y", "n", "true", "false"}


def schema_problems(src: SourceFile, kind: str) -> list[tuple[int, int, str, str, str]]:
    """Schema errors of one loaded file as (line, col, code, message, hint)."""
    if kind not in (*KINDS, "provider"):
        return []
    out = []
    loaded = src.loaded
    for err in _validator(kind).iter_errors(loaded.data):
        path = tuple(err.absolute_path)
        name = ".".join(str(p) for p in path) or "the entry"
        line, col = loaded.where(path)
        v = err.validator
        if v in ("unevaluatedProperties", "additionalProperties") and isinstance(err.instance, dict):
            known = allowed_keys(kind) if not path else list(err.schema.get("properties", {}))
            for key in err.instance:
                if known and key in known:
                    continue
                kl, kc = loaded.where((*path, key))
                close = difflib.get_close_matches(key, known, 1)
                hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(known)}"
                out.append((kl, kc, "SG010", f"unknown key '{key}' in {name}", hint))
        elif v == "required":
            key = re.findall(r"'([^']+)' is a required", err.message)
            key_name = key[0] if key else "?"
            out.append((line, col, "SG011", f"missing required key '{key_name}' in {name}",
                        f"add '{key_name}:' ({_describe(kind, key_name)})"))
        elif v == "type":
            raw = loaded.raw.get(path)
            want = err.validator_value
            hint = f"{name} must be of type {want}"
            if want == "string" and raw is not None:
                hint = f'put the value in quotes: "{raw}"'
                if raw.lower() in _YAML11:
                    hint += f" (YAML 1.1 reads a bare {raw} as a boolean)"
                elif re.fullmatch(r"0[0-9]+", raw):
                    hint += f" (YAML 1.1 reads a bare {raw} as an octal number, {err.instance})"
            got = _TYPE_WORDS.get(type(err.instance).__name__, type(err.instance).__name__)
            out.append((line, col, "SG012", f"{name} must be {_TYPE_WORDS.get(str(want), want)}, not {got}", hint))
        elif v == "enum":
            choices = [str(c) for c in err.validator_value]
            raw = loaded.raw.get(path)
            shown = raw if raw is not None else str(err.instance)
            close = difflib.get_close_matches(shown, choices, 1)
            hint = f"did you mean '{close[0]}'?" if close else f"one of: {', '.join(choices)}"
            if raw is not None and raw.lower() in _YAML11:
                hint = f"YAML 1.1 reads a bare {raw} as a boolean; {hint}"
            out.append((line, col, "SG013", f"{name}: '{shown}' is not an allowed value", hint))
        elif v == "pattern":
            out.append((line, col, "SG014", f"{name}: '{str(err.instance)[:80]}' does not have the expected form",
                        _describe(kind, str(path[0])) if path else "see the schema reference"))
        else:
            out.append((line, col, "SG015", f"{name}: {err.message[:200]}",
                        _describe(kind, str(path[0])) if path and isinstance(path[0], str) else "see the schema reference"))
    return out


_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]*$")
_EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)*)", re.ASCII)
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\w.]|\.\d)")
_SAFE_DOMAIN = re.compile(r"(^|\.)(example\.[a-z]{2,}|example|invalid|test|localhost|localdomain)$", re.I)
_SAFE_IP = ("192.0.2.", "198.51.100.", "203.0.113.", "127.", "0.0.0.0", "10.")


# Role mailboxes that servers name in their fixed text ("forward this to delist@…") are no
# personal data and are facts worth keeping.
_ROLE = re.compile(r"^(postmaster|abuse|delist|hostmaster|mailer-daemon|noreply|no-reply|support|security|"
                   r"abuse_rbl|spam|unblock|blocklist|blacklist|mailadmin|dnsbl)[\w.+-]*$", re.I)


def _unredacted(text: str) -> str | None:
    for m in _EMAIL.finditer(text):
        local = m.group(0).split("@", 1)[0]
        if not _SAFE_DOMAIN.search(m.group(1)) and "." in m.group(1) and not _ROLE.match(local):
            return f"the address {m.group(0)}"
    for m in _IPV4.finditer(text):
        if all(int(x) < 256 for x in m.groups()) and not m.group(0).startswith(_SAFE_IP):
            return f"the IP address {m.group(0)}"
    return None


def _file_problems(src: SourceFile, kind: str, known_providers: set[str]) -> list[tuple[int, int, str, str, str]]:
    """Checks of one valid file beyond the schema: names, codes, patterns, examples."""
    d = src.loaded.data
    where = src.loaded.where
    out = []
    parts = src.id.split("/")
    stem = parts[-1]
    if kind == "reply" and d.get("reply_code") and stem != d["reply_code"]:
        out.append((*where(("reply_code",)), "SG021", f"file name {stem}.yaml does not match reply_code {d['reply_code']}",
                    f"rename the file to {d['reply_code']}.yaml or fix reply_code"))
    if kind == "status" and d.get("enhanced_code") and stem != d["enhanced_code"].lower():
        out.append((*where(("enhanced_code",)), "SG021",
                    f"file name {stem}.yaml does not match enhanced_code {d['enhanced_code']}",
                    f"rename the file to {d['enhanced_code'].lower()}.yaml or fix enhanced_code"))
    if (d.get("language") or "").split("-")[0] == "en":
        out.append((*where(("language",)), "SG017", "language 'en' is the default",
                    "remove the language field: it marks server texts that are not in English"))
    dis = d.get("disagreements", [])
    if dis and all(x.get("says", "").strip().lower() == d.get("reason") for x in dis):
        # agreeing voices are useful beside a real disagreement, not on their own
        out.append((*where(("disagreements",)), "SG037",
                    f"every source listed says {d.get('reason')}, the entry's own reason: that is no disagreement",
                    "remove the disagreements (cite the sources in references instead), or record who really differs"))
    if d.get("action") == "suppress-address" and (d.get("reply_code") or "").startswith("4") and not (
            d.get("hard_bounce") or {}).get("value"):
        out.append((*where(("action",)), "SG038", "a temporary (4xx) reply is told to suppress the address",
                    "use retry-later (the server asked to try again), or justify a hard bounce with hard_bounce"))
    if kind == "message":
        prefix = "-".join(c for c in (d.get("reply_code"), d.get("enhanced_code")) if c)
        if prefix and not stem.startswith(prefix + "-"):
            out.append((1, 1, "SG021", f"file name {stem}.yaml does not start with the entry's codes '{prefix}-'",
                        f"rename it to {prefix}-<words>.yaml"))
        if not prefix and re.match(r"^[245]\d\d-", stem):
            out.append((1, 1, "SG021", f"file name {stem}.yaml starts with a code the entry does not declare",
                        "add reply_code/enhanced_code, or rename the file"))
        rc, enh = d.get("reply_code"), d.get("enhanced_code")
        if rc and enh and rc[0] != enh[0]:
            out.append((*where(("enhanced_code",)), "SG022", f"enhanced code {enh} is of another class than reply code {rc}",
                        f"a {rc[0]}xx reply goes with a {rc[0]}.x.x status code"))
        if len(parts) != 3 or parts[1] not in known_providers:
            out.append((1, 1, "SG023", f"unknown provider '{parts[1] if len(parts) > 2 else ''}'",
                        f"add entries/provider/{parts[1] if len(parts) > 2 else '<id>'}.yaml or move the file "
                        "into an existing provider's folder"))
        regexes = []
        for i, p in enumerate(d.get("patterns", [])):
            why = patterns.check(p)
            if why:
                out.append((*where(("patterns", i)), "SG030", f"pattern '{p}' {why}",
                            "write a longer literal phrase, or fix the RE2 syntax after 're:'"))
            else:
                regexes.append(patterns.to_regex(p))
        if regexes:
            import re2

            from .normalize import codes, fold, strip_continuations
            for i, ex in enumerate(d.get("examples", [])):
                t = fold(ex)
                t = strip_continuations(t, *codes(t))
                if not any(re2.search(rx, t) for rx in regexes):
                    out.append((*where(("examples", i)), "SG031", "example is not matched by any of the entry's patterns",
                                "adjust a pattern (lower case, * for variable parts) or the example"))
        for field in ("examples", "near_misses"):
            for i, ex in enumerate(d.get(field, [])):
                leak = _unredacted(ex)
                if leak:
                    out.append((*where((field, i)), "SG036", f"{field[:-1].replace('_', ' ')} is not redacted: {leak}",
                                "use user@example.com, example.net and 192.0.2.x (see the style guide)"))
    return out


_DOMAIN = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+")


def _provider_problems(src: SourceFile) -> list[tuple[int, int, str, str, str]]:
    """Host fragments are plain substrings: a short bare domain (me.com) also matches home.com."""
    out = []
    for i, h in enumerate(src.loaded.data.get("hosts", [])):
        if _DOMAIN.fullmatch(h) and h.count(".") == 1 and len(h.split(".")[0]) < 4:
            out.append((*src.loaded.where(("hosts", i)), "SG040", f"host fragment '{h}' also matches longer names",
                        f"anchor it: write '.{h}' (a subdomain) or '@{h}' (an address), or both"))
    return out


def _kb_problems(index: Index, sources: dict[str, SourceFile]) -> list[tuple[str, int, int, str, str, str]]:
    """Knowledge-base checks: examples resolve to their own entry, near-misses do not, titles are unique."""
    out = []
    titles: dict[str, list[Entry]] = defaultdict(list)
    for e in index.entries.values():
        titles[e.title.casefold()].append(e)
        where = sources[e.id].loaded.where
        for i, ex in enumerate(e.examples):
            res = index.explain(ex)
            if not res.matches or res.matches[0].entry.id != e.id:
                other = res.matches[0].entry.id if res.matches else "nothing"
                out.append((e.id, *where(("examples", i)), "SG032", f"example resolves to {other}, not to this entry",
                            "make this entry's pattern more specific, or the other entry's less greedy"))
            elif len(res.matches) > 1 and res.matches[1].score == res.matches[0].score:
                out.append((e.id, *where(("examples", i)), "SG034",
                            f"example is claimed equally by {res.matches[1].entry.id}",
                            "two entries claim the same text: merge them or make one pattern more specific"))
        for i, ex in enumerate(e.near_misses):
            res = index.explain(ex)
            if res.matches and res.matches[0].entry.id == e.id:
                out.append((e.id, *where(("near_misses", i)), "SG033", "near miss resolves to this entry",
                            "narrow the patterns so that this text no longer matches"))
    for group in titles.values():
        for e in group[1:]:
            out.append((e.id, *sources[e.id].loaded.where(("title",)), "SG035",
                        f"title duplicates {group[0].id}", "give each entry a distinct title"))
    return out


def _strings(data: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        return [(path, data)]
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*path, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*path, i))]
    return []


def entries_root(path: Path) -> Path | None:
    for p in (path, *path.parents):
        if p.name == "entries" and p.is_dir():
            return p
    return None


def check_folder(root: Path, display_base: Path | None = None) -> list[Problem]:
    """Validate every file below ``root`` (an ``entries`` folder)."""
    base = display_base or root.parent
    sources = read_folder(root)
    found: list[tuple[SourceFile, int, int, str, str, str]] = []
    valid: dict[str, SourceFile] = {}
    for src in sources:
        parts = src.id.split("/")
        kind = parts[0]
        for p in src.loaded.problems:
            found.append((src, *p))
        rel = src.path.relative_to(root)
        if src.path.suffix != ".yaml" or not all(_NAME.match(x) for x in rel.with_suffix("").parts):
            found.append((src, 1, 1, "SG020", f"bad file name '{rel.as_posix()}'",
                          "use lowercase letters, digits, '.' and '-', and the extension .yaml"))
            continue
        expected_depth = {"reply": 2, "status": 2, "provider": 2, "message": 3}
        if kind not in expected_depth or len(parts) != expected_depth[kind]:
            found.append((src, 1, 1, "SG020", f"'{rel.as_posix()}' is not in a known place",
                          "entries go in reply/<code>.yaml, status/x.N.N.yaml, message/<provider>/<name>.yaml "
                          "or provider/<id>.yaml"))
            continue
        if src.loaded.problems:
            continue
        if not isinstance(src.loaded.data, dict):
            found.append((src, 1, 1, "SG004", f"the file holds a {type(src.loaded.data).__name__}, not a mapping",
                          "an entry is a mapping of keys (title: …, summary: …) at the top level"))
            continue
        for path, value in _strings(src.loaded.data, ()):
            if "TODO" in value:
                found.append((src, *src.loaded.where(path), "SG016", f"placeholder left in {'.'.join(map(str, path))}",
                              "replace every TODO with real content"))
        sp = schema_problems(src, kind)
        for p in sp:
            found.append((src, *p))
        if not sp:
            valid[src.id] = src
    providers: list[Provider] = [provider_from_data(i.split("/", 1)[1], s.loaded.data)
                                 for i, s in valid.items() if i.startswith("provider/")]
    for i, s in valid.items():
        if i.startswith("provider/"):
            found.extend((s, *p) for p in _provider_problems(s))
    known = {p.id for p in providers}
    entries: list[Entry] = []
    for eid, src in valid.items():
        kind = eid.split("/")[0]
        if kind == "provider":
            continue
        fp = _file_problems(src, kind, known)
        for p in fp:
            found.append((src, *p))
        entries.append(entry_from_data(eid, src.loaded.data))
    try:
        index = Index(entries, providers)
    except Exception as e:
        return [Problem(str(root), 1, 1, "SG039", f"the patterns could not be compiled together: {e}",
                        "report this to the maintainers")]
    by_id = {s.id: s for s in sources}
    for eid, line, col, code, msg, hint in _kb_problems(index, valid):
        found.append((by_id[eid], line, col, code, msg, hint))
    problems = {Problem(_display(src.path, base), line, col, code, msg, hint)
                for src, line, col, code, msg, hint in found}
    return sorted(problems)


def _display(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
