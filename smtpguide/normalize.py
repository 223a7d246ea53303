"""Turn whatever a caller passes into one comparable text, and pull the codes out of it.

Real input comes as multi-line replies (``550-5.7.26 …`` on every line), DSN fields
(``Diagnostic-Code: smtp; 550 …``), Postfix log lines, transcripts and smtplib exceptions.
Everything is folded to lower case with single spaces, and the repeated code prefixes of a
multi-line reply are dropped so that a phrase wrapped across lines reads as one sentence.
All regular expressions here are linear (no nested quantifiers) so huge inputs stay fast.
"""

from __future__ import annotations

import re
import smtplib
from typing import Any

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-"})

# A basic reply code where a reply starts: not inside a number, address, IP or word.
REPLY = re.compile(r"(?<![\w.:/\[+#=-])([245][0-9][0-9])(?=[ -]|$)(?!-?[0-9]{3})")
# An enhanced status code: class.subject.detail, not part of a longer dotted number.
ENHANCED = re.compile(r"(?<![\w.])([245])\.([0-7])\.([0-9]{1,3})(?![\w.]|\.[0-9])")


def fold(text: str) -> str:
    """Lower case, straight quotes, one space for every run of whitespace."""
    return " ".join(text.translate(_QUOTES).lower().split())


def coerce(x: Any) -> str:
    """The text of any input; never raises."""
    try:
        if x is None:
            return ""
        if isinstance(x, str):
            return x
        if isinstance(x, (bytes, bytearray, memoryview)):
            return bytes(x).decode("utf-8", "replace")
        if isinstance(x, smtplib.SMTPResponseException):
            return f"{x.smtp_code} {coerce(x.smtp_error)}"
        if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):
            return f"{x[0]} {coerce(x[1])}"
        return str(x)
    except Exception:  # noqa: BLE001 - a hostile __str__ must not break lookup
        return ""


def codes(folded: str) -> tuple[int | None, str | None]:
    """The first failure reply code (else the first code) and the enhanced code that goes with it."""
    reply: int | None = None
    for m in REPLY.finditer(folded):
        code = int(m.group(1))
        if reply is None:
            reply = code
        if code >= 400:
            reply = code
            break
    enhanced: str | None = None
    for m in ENHANCED.finditer(folded):
        if enhanced is None:
            enhanced = m.group(0)
        if reply is None or m.group(1) == str(reply)[0]:
            enhanced = m.group(0)
            break
    return reply, enhanced


def strip_continuations(folded: str, reply: int | None, enhanced: str | None) -> str:
    """Drop the ``550-5.7.26`` prefixes repeated on each line of a multi-line reply."""
    if reply is None:
        return folded
    code = str(reply)
    if enhanced:
        rx = rf"(?<![\w.]){code}(?:-{re.escape(enhanced)}|-| {re.escape(enhanced)})(?![\w.])"
    else:
        rx = rf"(?<![\w.]){code}-(?![\w.])"
    found = list(re.finditer(rx, folded))
    if len(found) < 2:
        return folded
    first = found[0].end()
    rest = re.sub(rx + " ?", "", folded[first:])
    return folded[:first] + rest
