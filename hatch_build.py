"""Hatch build hook: compile entries/ into smtpguide/data/kb.json inside the wheel.

An editable install skips it: the library then reads the YAML of the checkout directly.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from smtpguide.store import compile_folder, dump
        finally:
            sys.path.pop(0)
        kb = compile_folder(root / "entries")
        out = Path(self.directory) / "kb.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(dump(kb))
        build_data["force_include"][str(out)] = "smtpguide/data/kb.json"
