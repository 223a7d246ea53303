"""smtpguide: explain and classify SMTP replies and bounce texts.

>>> import smtpguide
>>> r = smtpguide.lookup("550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy")
>>> r.reason, r.hard_bounce, r.best.id
('authfailure', False, 'message/gmail/550-5.7.26-unauthenticated-dmarc-policy')

``lookup`` accepts ``str``, ``bytes``, smtplib exceptions (``SMTPRecipientsRefused`` gives one
result per recipient in ``Result.recipients``; the top-level fields are the first
recipient's), ``(code, message)`` tuples, multi-line replies, DSN fields, Postfix log lines
and whole transcripts. It never raises.
"""

from __future__ import annotations

from typing import Any

from . import store
from .model import ClassMeaning, Context, Disagreement, Entry, Match, Provider, Reference, Result

__all__ = [
    "ClassMeaning",
    "Context",
    "Disagreement",
    "Entry",
    "Match",
    "Provider",
    "Reference",
    "Result",
    "entries",
    "get",
    "lookup",
    "providers",
]
__version__ = "0.1.0"

_CACHE: dict[str, Result] = {}
_CACHE_MAX = 4096


def lookup(x: Any) -> Result:
    """Explain any reply text, bytes, ``(code, message)`` tuple or smtplib exception. Never raises."""
    cacheable = type(x) is str and len(x) < 4096
    if cacheable and (hit := _CACHE.get(x)) is not None:
        return hit
    try:
        result = store.index().lookup(x)
    except Exception:
        from .normalize import coerce

        return Result(coerce(x), None, None, "undefined", False, None, None)
    if cacheable:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        _CACHE[x] = result
    return result


def get(entry_id: str) -> Entry | None:
    """The entry with this id (``reply/550``, ``status/x.7.26``, ``message/gmail/…``), or None."""
    if not isinstance(entry_id, str):
        return None
    return store.index().entries.get(entry_id.strip().lower().removesuffix(".yaml").removeprefix("entries/"))


def entries() -> list[Entry]:
    """Every entry, sorted by id."""
    return sorted(store.index().entries.values(), key=lambda e: e.id)


def providers() -> list[Provider]:
    """Every provider, sorted by id."""
    return sorted(store.index().providers.values(), key=lambda p: p.id)
