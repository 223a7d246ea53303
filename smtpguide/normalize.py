"""Turn whatever a caller passes into one comparable text, and pull the codes out of it.

Real input comes as multi-line replies (``550-5.7.26 …`` on every line), DSN fields
(``Diagnostic-Code: smtp; 550 …``), Postfix log lines, transcripts and smtplib exceptions.
Everything is folded to lower case with single spaces, and the repeated code prefixes of a
multi-line reply are dropped so that a phrase wrapped across lines reads as one sentence.
All regular expressions here are linear (no nested quantifiers) so huge inputs stay fast.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import Any

import re2

# Typographic characters that servers and mail clients put where ASCII ones are meant.
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-"}


def _straight(text: str) -> str:
    # str.replace per character present is ~50x faster than str.translate with a dict
    for ch, plain in _QUOTES.items():
        if ch in text:
            text = text.replace(ch, plain)
    return text

# Codes are found with RE2 on the UTF-8 bytes of the folded text (linear, and ~3x faster
# than ``re`` here). A reply code stands where a reply starts: not inside a number, address,
# IP or word. An enhanced code is not part of a longer dotted number.
_OPT = re2.Options()
_UNANCHORED = re2._Anchor.UNANCHORED
_REPLY = {
    k: re2.compile(rf"(?:^|[^0-9A-Za-z_.:/\[+#=-])({k}[0-9][0-9])(?:[ :-]|$)", _OPT)._regexp for k in ("[45]", "2")
}
# A failure reply with its enhanced code right behind it ("550 5.1.1", "550-5.1.1"), or
# without: one search answers the common case.
_FAILURE = re2.compile(
    r"(?:^|[^0-9A-Za-z_.:/\[+#=-])([45][0-9][0-9])"
    r"(?:[ -]([245]\.[0-7]\.[0-9]{1,3})(?:[^0-9A-Za-z_.]|$|\.[^0-9]|\.$)|[ :-]|$)", _OPT
)._regexp
_STATUS = {
    k: re2.compile(rf"(?:^|[^0-9A-Za-z_.])({k}\.[0-7]\.[0-9]{{1,3}})(?:[^0-9A-Za-z_.]|$|\.[^0-9]|\.$)", _OPT)._regexp
    for k in ("2", "4", "5", "[245]")
}


def _first(rx: Any, b: bytes) -> str | None:
    span = rx.Match(_UNANCHORED, b, 0, len(b))[1]
    return None if span[0] < 0 else b[span[0] : span[1]].decode("ascii")


def fold(text: str) -> str:
    """Lower case, straight quotes, one space for every run of whitespace."""
    if not text.isascii():
        text = _straight(text)
    return " ".join(text.lower().split())


def coerce(x: Any) -> str:
    """The text of any input; never raises."""
    try:
        if x is None:
            return ""
        if isinstance(x, str):
            return x
        if isinstance(x, (bytes, bytearray, memoryview)):
            return bytes(x).decode("utf-8", "replace")
        smtplib = sys.modules.get("smtplib")  # not imported by the caller -> x is no smtplib error
        if smtplib is not None and isinstance(x, smtplib.SMTPResponseException):
            return f"{x.smtp_code} {coerce(x.smtp_error)}"
        if isinstance(x, tuple) and len(x) == 2 and isinstance(x[0], int):
            return f"{x[0]} {coerce(x[1])}"
        return str(x)
    except Exception:
        return ""


# Whether a text holds a failure reply, a success reply or an enhanced code at all: the
# matcher's RE2 set answers these in the same pass as the patterns (see ``codes_of``).
PRESENCE = (
    r"(?:^|[^0-9a-z_.:/\[+#=-])[45][0-9][0-9](?:[ :-]|$)",
    r"(?:^|[^0-9a-z_.:/\[+#=-])2[0-9][0-9](?:[ :-]|$)",
    r"(?:^|[^0-9a-z_.])[245]\.[0-7]\.[0-9]{1,3}(?:[^0-9a-z_.]|$|\.[^0-9]|\.$)",
)


def codes_of(b: bytes, present: tuple[bool, bool, bool] = (True, True, True)) -> tuple[int | None, str | None]:
    """Codes of lower-cased UTF-8 text: the first failure reply code (else the first success
    code), and the first enhanced code of the same class (else the first enhanced code).

    ``present`` says which kinds of code (``PRESENCE``) the text holds at all, when known, so
    that searches that cannot succeed are skipped.
    """
    failure, success, status = present
    n = len(b)
    start = -1
    if failure:
        _, (start, end), (s0, s1) = _FAILURE.Match(_UNANCHORED, b, 0, n)
    if start < 0:
        if success:
            start, end = _REPLY["2"].Match(_UNANCHORED, b, 0, n)[1]
        if start < 0:
            return None, _first(_STATUS["[245]"], b) if status else None
    elif s0 >= 0 and b[s0] == b[start]:
        return int(b[start:end]), b[s0:s1].decode("ascii")
    if not status:
        return int(b[start:end]), None
    enhanced = _first(_STATUS[chr(b[start])], b) or _first(_STATUS["[245]"], b)
    return int(b[start:end]), enhanced


def codes(folded: str) -> tuple[int | None, str | None]:
    """``codes_of`` for a folded ``str``."""
    return codes_of(folded.encode("utf-8"))


@functools.lru_cache(maxsize=512)
def _prefix(code: str, enhanced: str | None) -> re.Pattern[str]:
    # smtplib keeps the enhanced code on each continuation line but drops the reply code,
    # so a bare repeated enhanced code is a prefix too.
    if enhanced:
        e = re.escape(enhanced)
        return re.compile(rf"(?<![\w.])(?:(?:{code}[- ])?{e}(?![\w.])|{code}-) ?")
    return re.compile(rf"(?<![\w.]){code}- ?")


def straighten(text: str) -> str:
    """Straight quotes and plain spaces (only non-ASCII text needs it)."""
    return text if text.isascii() else _straight(text)


def is_multiline(text: str, reply: int | None, enhanced: str | None = None) -> bool:
    """Whether ``text`` repeats its codes as continuation prefixes (``550-5.7.26``)."""
    if reply is None:
        return False
    code = str(reply)
    return (f"{code}-" in text and text.count(code) > 1) or (enhanced is not None and text.count(enhanced) > 1)


def strip_continuations(folded: str, reply: int | None, enhanced: str | None) -> str:
    """Drop the ``550-5.7.26`` prefixes repeated on each line of a multi-line reply."""
    if not is_multiline(folded, reply, enhanced):
        return folded
    rx = _prefix(str(reply), enhanced)
    first = rx.search(folded)
    if first is None:
        return folded
    rest = rx.sub("", folded[first.end() :])
    return folded[: first.end()] + rest
