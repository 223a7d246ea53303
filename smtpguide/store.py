"""Where the knowledge base comes from, loaded once, lazily and thread-safely.

An installed wheel carries ``smtpguide/data/kb.json`` (compiled from ``entries/`` when the
wheel is built). In a checkout (editable install) the YAML files are the truth: they are
compiled on first use into ``.cache/kb.json``, keyed by a fingerprint of the files so an
edited entry is picked up on the next run.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import zlib
from typing import TYPE_CHECKING, Any

from .kb import KINDS, LazyEntries, facts_row, provider_from_data
from .matcher import Index
from .model import Provider

if TYPE_CHECKING:
    from pathlib import Path

FORMAT = 6  # bump when the compiled shape changes
_lock = threading.Lock()
_index: Index | None = None


def checkout_entries() -> Path | None:
    """The ``entries/`` folder of the checkout this package runs from, if any."""
    folder = os.environ.get("SMTPGUIDE_ENTRIES")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not folder and os.path.isdir(os.path.join(root, "entries")) and os.path.isfile(os.path.join(root, "pyproject.toml")):
        folder = os.path.join(root, "entries")
    if not folder:
        return None
    from pathlib import Path  # only a checkout needs it

    return Path(folder)


def fingerprint(root: Path) -> str:
    # Names, sizes and times of every source file (crc32 is enough to notice a change, and
    # zlib is already loaded where hashlib would cost start-up time).
    crc = zlib.crc32(str(FORMAT).encode())
    code = os.path.dirname(os.path.abspath(__file__))
    paths = [os.path.join(code, n) for n in os.listdir(code) if n.endswith(".py")]
    paths += [os.path.join(code, "vocab", n) for n in os.listdir(os.path.join(code, "vocab"))]
    for dirpath, _dirs, files in os.walk(root):
        paths += [os.path.join(dirpath, n) for n in files]
    for p in sorted(paths):
        st = os.stat(p)
        crc = zlib.crc32(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(), crc)
    return f"{crc:08x}-{len(paths)}"


def compile_folder(root: Path) -> dict[str, Any]:
    """The JSON-ready knowledge base of every loadable file below ``root``.

    Broken files are skipped here (``smtpguide validate`` is the gate that reports them).
    """
    from . import patterns
    from .kb import read_folder
    from .validate import schema_problems  # keep PyYAML and jsonschema off the lookup path

    out: dict[str, Any] = {"format": FORMAT, "entries": [], "providers": []}
    skipped = []
    for src in read_folder(root):
        kind = src.id.split("/")[0]
        data = src.loaded.data
        if src.loaded.problems or not isinstance(data, dict) or schema_problems(src, kind):
            skipped.append(src.id)
            continue
        if kind == "provider":
            out["providers"].append({"id": src.id, "data": data})
            continue
        # An entry's data stays a JSON string until the entry is first used (a string parses
        # several times faster than the objects in it); the matcher reads only ``facts``.
        item: dict[str, Any] = {"id": src.id, "json": json.dumps(data, ensure_ascii=False), "facts": facts_row(data)}
        if kind == "message":  # precomputed so that start-up does not redo it
            item["compiled"] = [patterns.compiled(p) for p in data.get("patterns", [])]
        out["entries"].append(item)
    if skipped:
        print(f"smtpguide: skipped {len(skipped)} invalid file(s), e.g. {skipped[0]}; "
              "run `smtpguide validate`", file=sys.stderr)
    return out


def dump(kb: dict[str, Any]) -> bytes:
    """The compiled knowledge base as stored: one line of JSON (everything the matcher reads,
    and where each entry's data lies), then the entries' JSON texts back to back. Start-up
    parses only the first line; an entry's data is parsed when the entry is first used."""
    blob = bytearray()
    entries = []
    for item in kb["entries"]:
        text = item["json"].encode("utf-8")
        entries.append({k: v for k, v in item.items() if k != "json"} | {"at": [len(blob), len(blob) + len(text)]})
        blob += text
    head = json.dumps({k: v for k, v in kb.items() if k != "entries"} | {"entries": entries}, ensure_ascii=False)
    return head.encode("utf-8") + b"\n" + bytes(blob)


def parse(stored: bytes) -> dict[str, Any]:
    """The knowledge base ``dump`` wrote (``ValueError`` when it is not one)."""
    cut = stored.find(b"\n")
    if cut < 0:
        raise ValueError("not a compiled knowledge base")
    kb: dict[str, Any] = json.loads(stored[:cut])
    kb["blob"] = memoryview(stored)[cut + 1 :]
    return kb


def build_index(kb: dict[str, Any]) -> Index:
    """The index over a compiled knowledge base (as ``compile_folder`` returns it, or as
    ``parse`` reads it back); entries are built lazily, on first use."""
    items = [item for item in kb["entries"] if item["id"].split("/")[0] in KINDS]
    blob = kb.get("blob")
    data: dict[str, Any] = {}
    for item in items:
        at = item.get("at")
        data[item["id"]] = item["json"] if at is None or blob is None else blob[at[0] : at[1]]  # no copy
    facts = {item["id"]: item["facts"] for item in items}
    compiled = {item["id"]: item["compiled"] for item in items if "compiled" in item}
    providers: list[Provider] = [provider_from_data(p["id"].split("/", 1)[1], p["data"]) for p in kb["providers"]]
    return Index(LazyEntries(data, facts), providers, compiled)


def _load() -> dict[str, Any]:
    root = checkout_entries()
    if root is None:
        with open(os.path.join(os.path.dirname(__file__), "data", "kb.json"), "rb") as f:
            return parse(f.read())
    key = fingerprint(root)
    cache = root.parent / ".cache" / "kb.json"
    try:
        kb = parse(cache.read_bytes())
        if kb.get("fingerprint") == key:
            return kb
    except (OSError, ValueError):
        pass
    kb = compile_folder(root)
    kb["fingerprint"] = key
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(dump(kb))
        tmp.replace(cache)
    except OSError:
        pass  # a read-only checkout still works, just slower to start
    return kb


def index() -> Index:
    """The shared index, built on first use."""
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = build_index(_load())
    return _index


def reset() -> None:
    """Forget the loaded index (tests, long-running `mkdocs serve`)."""
    global _index
    with _lock:
        _index = None
