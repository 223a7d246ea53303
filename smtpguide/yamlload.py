"""Load one YAML file into plain data, keeping the line and column of every value.

The validator needs positions (``path:line:col``) and must never crash, whatever the file
holds, so this composes the node tree itself instead of calling ``yaml.safe_load``. It also
catches what ``safe_load`` hides: duplicate keys, and YAML 1.1 scalars (``no``, ``0550``)
whose raw text differs from the value they became.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

try:  # the C composer is ~5x faster; positions are the same
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]


@dataclass
class Loaded:
    """What a file held: ``data`` (None when unreadable), where each value sits, and problems."""

    data: Any = None
    positions: dict[Path, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path, str] = field(default_factory=dict)  # source text of non-string scalars
    problems: list[tuple[int, int, str, str, str]] = field(default_factory=list)

    def where(self, path: Path) -> tuple[int, int]:
        """The position of ``path`` or of its nearest ancestor that has one."""
        p = tuple(path)
        while p not in self.positions and p:
            p = p[:-1]
        return self.positions.get(p, (1, 1))


_constructor = yaml.constructor.SafeConstructor()
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode(blob: bytes, out: Loaded) -> str | None:
    """UTF-8 text of ``blob``, or None with a problem recorded."""
    if b"\x00" in blob:
        out.problems.append((1, 1, "SG001", "the file holds NUL bytes: it is binary, not YAML",
                             "entries are UTF-8 text files; replace it with a YAML file"))
        return None
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _line_col(blob[: e.start].decode("utf-8", "replace"), e.start)
        out.problems.append((line, col, "SG001", f"the file is not valid UTF-8 (byte 0x{blob[e.start]:02x})",
                             "save the file as UTF-8"))
        return None


def load_text(text: str) -> Loaded:
    """Parse ``text`` (one YAML document) into data with positions."""
    out = Loaded()
    if "\t" in text:
        for n, line in enumerate(text.splitlines(), 1):
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            if "\t" in indent:
                out.problems.append((n, indent.index("\t") + 1, "SG006", "a tab is used for indentation",
                                     "YAML indents with spaces only: replace the tab with spaces"))
                return out
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = " ".join(str(x) for x in (e.context, e.problem) if x)
        hint = "check indentation, quotes and colons around this place"
        if "expected a single document" in msg:
            hint = "keep one YAML document per file (remove the extra '---')"
        out.problems.append((*where, "SG002", f"YAML syntax error: {msg}", hint))
        return out
    except yaml.YAMLError as e:  # pragma: no cover - reader errors without a mark
        out.problems.append((1, 1, "SG002", f"YAML error: {e}", "fix the YAML syntax"))
        return out
    if node is None:
        out.problems.append((1, 1, "SG003", "the file is empty", "fill in the entry (`smtpguide new` writes a template)"))
        return out
    out.data = _convert(node, (), out)
    return out


def _convert(node: yaml.Node, path: Path, out: Loaded) -> Any:
    out.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                out.problems.append((line, col, "SG005", "a key is not a plain name", "use plain text keys"))
                continue
            key = str(key_node.value)
            if key in result:
                line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                out.problems.append((line, col, "SG005", f"duplicate key '{key}'",
                                     "a key may appear once per mapping: merge the two or delete one"))
                continue
            result[key] = _convert(value_node, (*path, key), out)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), out) for i, item in enumerate(node.value)]
    if node.tag in (_STR, _TIMESTAMP):  # an unquoted date stays the text the author wrote
        return str(node.value)
    try:
        value = _constructor.construct_object(node, deep=True)
    except yaml.YAMLError as e:
        line, col = out.positions[path]
        out.problems.append((line, col, "SG002", f"unsupported YAML value: {getattr(e, 'problem', e)}",
                             "use plain strings, numbers, lists and mappings only"))
        return None
    if not isinstance(value, str):
        out.raw[path] = str(node.value)
    return value
