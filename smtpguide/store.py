"""Where the knowledge base comes from, loaded once, lazily and thread-safely.

An installed wheel carries ``smtpguide/data/kb.json`` (compiled from ``entries/`` when the
wheel is built). In a checkout (editable install) the YAML files are the truth: they are
compiled on first use into ``.cache/kb.json``, keyed by a fingerprint of the files so an
edited entry is picked up on the next run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
from importlib import resources
from pathlib import Path
from typing import Any

from .kb import KINDS, entry_from_data, provider_from_data
from .matcher import Index
from .model import Entry, Provider

FORMAT = 1
_lock = threading.Lock()
_index: Index | None = None


def checkout_entries() -> Path | None:
    """The ``entries/`` folder of the checkout this package runs from, if any."""
    env = os.environ.get("SMTPGUIDE_ENTRIES")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parent.parent
    if (root / "entries").is_dir() and (root / "pyproject.toml").is_file():
        return root / "entries"
    return None


def fingerprint(root: Path) -> str:
    h = hashlib.sha256(f"{FORMAT}".encode())
    code = Path(__file__).resolve().parent
    for p in sorted([*root.rglob("*.yaml"), *code.glob("*.py"), *code.glob("vocab/*")]):
        st = p.stat()
        h.update(f"{p}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def compile_folder(root: Path) -> dict[str, Any]:
    """The JSON-ready knowledge base of every loadable file below ``root``.

    Broken files are skipped here (``smtpguide validate`` is the gate that reports them).
    """
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
        out["providers" if kind == "provider" else "entries"].append({"id": src.id, "data": data})
    if skipped:
        print(f"smtpguide: skipped {len(skipped)} invalid file(s), e.g. {skipped[0]}; "
              "run `smtpguide validate`", file=sys.stderr)
    return out


def build_index(kb: dict[str, Any]) -> Index:
    entries: list[Entry] = []
    for item in kb["entries"]:
        if item["id"].split("/")[0] in KINDS:
            entries.append(entry_from_data(item["id"], item["data"]))
    providers: list[Provider] = [provider_from_data(p["id"].split("/", 1)[1], p["data"]) for p in kb["providers"]]
    return Index(entries, providers)


def _load() -> dict[str, Any]:
    root = checkout_entries()
    if root is None:
        blob = resources.files("smtpguide").joinpath("data", "kb.json").read_bytes()
        return json.loads(blob)
    key = fingerprint(root)
    cache = root.parent / ".cache" / "kb.json"
    try:
        kb = json.loads(cache.read_bytes())
        if kb.get("fingerprint") == key:
            return kb
    except (OSError, ValueError):
        pass
    kb = compile_folder(root)
    kb["fingerprint"] = key
    try:
        cache.parent.mkdir(exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(kb), encoding="utf-8")
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
