"""Site URLs and page rendering: pure functions from entries to Markdown (no mkdocs import)."""

from __future__ import annotations

from .model import Entry


def entry_url(e: Entry) -> str:
    """Stable, guessable page path: ``550/``, ``x.7.26/``, ``gmail/550-5.7.26-…/``."""
    if e.kind == "reply":
        return f"{e.reply_code}/"
    if e.kind == "status":
        return f"{(e.enhanced_code or '').lower()}/"
    return e.id.split("/", 1)[1] + "/"
