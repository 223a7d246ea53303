"""Contributor patterns: plain phrases with ``*`` wildcards, or ``re:`` RE2 expressions.

Patterns meet untrusted bounce text, so they run only in RE2 (linear time, no
backtracking). A plain phrase compiles to a case-insensitive expression in which a space
matches any run of whitespace, so it matches raw text and folded text alike.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import re2

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 64 << 20
_OPTIONS.case_sensitive = False
_OPTIONS.log_errors = False  # a bad contributed pattern is reported by the validator, not logged


def to_regex(pattern: str) -> str:
    """The RE2 source for a contributor pattern (matched against normalised text)."""
    if pattern.startswith("re:"):
        return pattern[3:]
    from .normalize import fold  # one normalisation for text and patterns

    parts = [re.escape(p) for p in fold(pattern).split("*")]
    return "(?s:.*?)".join(p.replace("\\ ", r"\s+") for p in parts)


def anchor(pattern: str) -> str:
    """RE2 source of the longest literal piece of a plain pattern (the whole of an ``re:`` one).

    The set holds anchors, not whole patterns: literal pieces keep its DFA small and fast,
    while ``*`` wildcards across a thousand patterns would multiply its states. A hit on an
    anchor is then confirmed with the whole pattern (see ``matcher``).
    """
    if pattern.startswith("re:"):
        return "(?i)" + pattern[3:]
    from .normalize import fold

    piece = max((p.strip() for p in fold(pattern).split("*")), key=len)
    return re.escape(piece).replace("\\ ", " ")  # the text is folded: single spaces


def specificity(pattern: str) -> int:
    """How specific a pattern is: the count of literal characters (longer phrases win).

    For an ``re:`` pattern it is the fewest literal characters any text it matches must
    contain (the shortest branch of an alternation, the minimum of a repeat; a character class
    counts as one), so a regex with many alternatives does not outrank a longer plain phrase.
    """
    if pattern.startswith("re:"):
        return _min_literals(pattern[3:])
    return len(pattern.replace("*", "").strip())


def _min_literals(source: str) -> int:
    try:  # Python's own regex parser reads the RE2 subset contributors use
        if sys.version_info >= (3, 11):
            from re import _constants as c
            from re import _parser as sp
        else:  # pragma: no cover
            import sre_constants as c  # type: ignore[no-redef]
            import sre_parse as sp  # type: ignore[no-redef]
        tree = sp.parse(source)
    except Exception:  # syntax only RE2 knows (\pL, \z): count the characters that are not syntax
        return len(re.sub(r"\\.|[\[\](){}.*+?|^$]", "", source))

    def walk(items: Any) -> int:
        n = 0
        for op, av in items:
            if op is c.LITERAL or op is c.IN:
                n += 1
            elif op is c.SUBPATTERN:
                n += walk(av[-1])
            elif op is c.BRANCH:
                n += min(walk(b) for b in av[1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                n += av[0] * walk(av[2])
        return n

    return walk(tree)


def check(pattern: str) -> str | None:
    """Why ``pattern`` is unusable, or None when it compiles and is specific enough."""
    try:
        re2.compile(to_regex(pattern), _OPTIONS)
    except re2.error as e:
        return f"does not compile in RE2: {e}"
    if specificity(pattern) < 6:
        return "is too short to be distinctive (fewer than 6 literal characters)"
    if re2.search(to_regex(pattern), "", _OPTIONS) is not None:
        return "matches empty text"
    return None


_SET_OPTIONS = re2.Options()
_SET_OPTIONS.max_mem = 128 << 20
_SET_OPTIONS.log_errors = False
# Case-sensitive on lower-cased text: half the compile time of a case-insensitive set.
_SET_OPTIONS.case_sensitive = True


def pieces(pattern: str) -> list[str] | None:
    """The literal pieces of a plain pattern with ``*`` wildcards, in order (None otherwise).

    A hit on the anchor is confirmed by finding the pieces one after the other in the folded
    text, which is what the whole pattern means, at the cost of a few ``bytes.find`` calls.
    """
    if "*" not in pattern or pattern.startswith("re:"):
        return None
    from .normalize import fold

    return [p for p in fold(pattern).split("*") if p]


def compiled(pattern: str) -> tuple[list[str] | None, str, int]:
    """(pieces to confirm a hit with, or None when the anchor is the whole pattern; anchor
    regex; specificity) of a pattern: what the index needs of it."""
    return pieces(pattern), anchor(pattern), specificity(pattern)


def build_set(regexes: list[str]) -> tuple[re2.Set, list[int]]:
    """One RE2 set that reports every anchor found in a lower-cased text in a single linear pass.

    Returns the set and, for each set index, the position in ``regexes`` (patterns that do
    not compile are left out; ``smtpguide validate`` reports them).
    """
    s = re2.Set.SearchSet(_SET_OPTIONS)
    kept = []
    for i, rx in enumerate(regexes):
        try:
            s.Add(rx)
        except re2.error:
            continue
        kept.append(i)
    s.Compile()
    return s, kept
