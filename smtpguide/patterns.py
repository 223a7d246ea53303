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
    """RE2 source of the longest literal piece of a pattern: of a plain one, the longest piece
    between wildcards; of an ``re:`` one, the longest literal every match must contain (the
    whole expression when it has none of ``MIN_REGEX_ANCHOR`` characters; see
    ``required_literals``).

    The set holds anchors, not whole patterns: literal pieces keep its DFA small and fast,
    while wildcards, classes and word boundaries across thousands of patterns would multiply
    its states. A hit on an anchor is then confirmed with the whole pattern (see ``matcher``).
    """
    if pattern.startswith("re:"):
        lits = required_literals(pattern[3:])
        if not lits:
            return "(?i)" + pattern[3:]
        alts = "|".join(re.escape(lit).replace("\\ ", " ") for lit in lits)
        return alts if len(lits) == 1 else f"(?:{alts})"
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


def _parse(source: str) -> tuple[Any, Any] | None:
    """Python's parse tree of a contributed RE2 expression and its opcode module (None when it
    uses syntax only RE2 knows, such as ``\\pL`` or ``\\z``)."""
    try:  # Python's own regex parser reads the RE2 subset contributors use
        if sys.version_info >= (3, 11):
            from re import _constants as c
            from re import _parser as sp
        else:  # pragma: no cover
            import sre_constants as c  # type: ignore[no-redef]
            import sre_parse as sp  # type: ignore[no-redef]
        return sp.parse(source), c
    except Exception:
        return None


MIN_REGEX_ANCHOR = 6  # a shorter literal (such as "user ") hits too often to save anything


def required_literals(source: str) -> list[str] | None:
    """Literals, in lower case, one of which every match of ``source`` contains (a run of
    literal characters, or one per branch of a required alternation), chosen so that the
    shortest is longest; None when that shortest has fewer than ``MIN_REGEX_ANCHOR``."""
    parsed = _parse(source)
    if parsed is None:
        return None
    tree, c = parsed

    def best(cands: list[list[str]]) -> list[str] | None:
        return max(cands, key=lambda lits: min(map(len, lits))) if cands else None

    def factors(items: Any) -> list[list[str]]:
        out: list[list[str]] = []
        run: list[str] = []
        for op, av in items:
            if op is c.LITERAL:
                run.append(chr(av))
                continue
            if run:
                out.append(["".join(run)])
                run = []
            if op is c.SUBPATTERN:
                out += factors(av[-1])  # a group is matched exactly once: its literals are required too
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
                out += factors(av[2])  # its first occurrence is required
            elif op is c.BRANCH:  # one of the branches is required: one literal of each
                alts = [best(factors(b)) for b in av[1]]
                if all(alts):
                    out.append([lit for alt in alts if alt for lit in alt])
        if run:
            out.append(["".join(run)])
        return out

    lits = best(factors(tree))
    if lits is None:
        return None
    lits = sorted({lit.lower() for lit in lits})
    return lits if min(len(lit.strip()) for lit in lits) >= MIN_REGEX_ANCHOR else None


def _min_literals(source: str) -> int:
    parsed = _parse(source)
    if parsed is None:  # count the characters that are not syntax
        return len(re.sub(r"\\.|[\[\](){}.*+?|^$]", "", source))
    tree, c = parsed

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
    """(what confirms a hit on the anchor, or None when the anchor is the whole pattern; anchor
    regex; specificity) of a pattern: what the index needs of it. The confirmation is the
    pieces of a wildcard pattern, or ``["re:<expression>"]`` for an expression anchored on a
    literal it requires."""
    a = anchor(pattern)
    if pattern.startswith("re:"):
        return (None if a.startswith("(?i)") else [pattern]), a, specificity(pattern)
    return pieces(pattern), a, specificity(pattern)


class Confirmer:
    """The ``re:`` pattern that confirms a hit on its literal anchor (searched in the
    lower-cased folded bytes, like the set), compiled on first use: most never are, and
    compiling them all would cost start-up time."""

    __slots__ = ("_rx", "source")

    def __init__(self, pattern: str) -> None:
        self.source = pattern[3:]
        self._rx: Any = None

    def found(self, data: bytes) -> bool:
        if self._rx is None:
            self._rx = re2.compile(self.source, _OPTIONS)._regexp  # the C object: its Match skips the wrapper
        return bool(self._rx.Match(_UNANCHORED, data, 0, len(data))[0][0] >= 0)


_UNANCHORED = re2._Anchor.UNANCHORED


def confirmer(pattern: str) -> Confirmer:
    """What confirms an anchor hit of the ``re:`` pattern ``pattern``."""
    return Confirmer(pattern)


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
