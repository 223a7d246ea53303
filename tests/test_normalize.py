import pytest

from smtpguide import patterns
from smtpguide.matcher import Index, _confirmation
from smtpguide.normalize import codes, coerce, fold, strip_continuations


@pytest.mark.parametrize(("text", "expected"), [
    ("550 5.1.1 <user@example.com>: Recipient address rejected", (550, "5.1.1")),
    ("host mx.example.net[203.0.113.250] said: 550 5.1.1 <u@example.com>: rejected (in reply to RCPT TO command)",
     (550, "5.1.1")),
    ("Diagnostic-Code: smtp; 452 4.2.2 The email account that you tried to reach is over quota", (452, "4.2.2")),
    ("Sorry, no mailbox here by that name. (#5.1.1)", (None, "5.1.1")),
    ("250 2.0.0 Ok: queued, then 550 5.7.1 rejected", (550, "5.7.1")),
    ("status 4.4.1 earlier, now 550 5.4.1 Access denied", (550, "5.4.1")),
    ("postfix 3.5.2 on 192.0.2.1 says nothing", (None, None)),
    ("size 10485760 exceeds 550", (550, None)),
    ("421-4.7.0 try again 421 4.7.0 later", (421, "4.7.0")),
    ("SMTP error 552: message size exceeds limit", (552, None)),
    ("at 12:30:45 the server said 550 5.1.1 x", (550, "5.1.1")),
    ("", (None, None)),
])
def test_codes(text, expected):
    assert codes(fold(text)) == expected


def test_fold_collapses_space_and_quotes():
    assert fold("  Domain\u2019s   DMARC\n\tpolicy ") == "domain's dmarc policy"


def test_multiline_prefixes_are_dropped():
    text = fold("550-5.1.1 The email account that you tried to reach does not exist. Please try\n"
                "550-5.1.1 double-checking the recipient's email address for typos or\n"
                "550 5.1.1 unnecessary spaces.")
    out = strip_continuations(text, 550, "5.1.1")
    assert out.startswith("550-5.1.1 the email account")
    assert "please try double-checking" in out
    assert "typos or unnecessary spaces" in out


def test_coerce_never_raises():
    class Hostile:
        def __str__(self):
            raise RuntimeError("no")

    assert coerce(Hostile()) == ""
    assert coerce(b"\xff550 x") == "\ufffd550 x"
    assert coerce((550, b"5.1.1 user unknown")) == "550 5.1.1 user unknown"
    assert coerce(None) == ""


@pytest.mark.parametrize(("pattern", "expected"), [
    ("user unknown", 12),
    ("mailbox * is full", 16),
    (r"re:\b(?:ip|server|host)\b is (?:black|block)listed", 17),  # ip + " is " + block + listed
    (r"re:aup#[io]n?-?13[0-4]0\b", 9),  # a class is one character; optional parts count nothing
    (r"re:(?:x){3}abc", 6),
    (r"re:\pLabc", 4),  # RE2-only syntax (\pL): counted by the rough rule, without the parser
])
def test_specificity_counts_the_literals_every_match_needs(pattern, expected):
    assert patterns.specificity(pattern) == expected


@pytest.mark.parametrize(("source", "expected"), [
    (r"mail\.i\.ua/err/1\b", ["mail.i.ua/err/1"]),
    (r"\buser \S+ (?:does not exist|was not found)", ["does not exist", "was not found"]),
    (r"(\[redacted\]|\b[0-9a-z]{22}) spam detected\b", [" spam detected"]),
    (r"aup#[io]n?-?13[0-4]0\b", None),  # no literal of MIN_REGEX_ANCHOR characters: the set holds the expression
    (r"\pLabcdefgh", None),  # RE2-only syntax
])
def test_required_literals_of_an_expression(source, expected):
    assert patterns.required_literals(source) == expected


def test_an_expression_anchored_on_a_literal_still_needs_the_whole_expression():
    pattern = r"re:\bip \d+\.\d+\.\d+\.\d+ is blacklisted"
    whole, anchor, _ = patterns.compiled(pattern)
    assert whole == [pattern] and anchor == " is blacklisted"
    confirm = _confirmation(whole)
    assert Index._holds(confirm, b"550 ip 192.0.2.1 is blacklisted")
    assert not Index._holds(confirm, b"550 the sender is blacklisted")  # the anchor alone is not enough
