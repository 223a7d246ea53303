"""The public library: precedence, input forms, records."""

from __future__ import annotations

import smtplib
import threading

import pytest

import smtpguide
from smtpguide import store

GMAIL_DMARC = ("550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC\n"
               "550-5.7.26 policy. Please contact the administrator of example.com domain if this was a\n"
               "550 5.7.26 legitimate mail. [REDACTED] - gsmtp")


def test_message_beats_status_beats_reply():
    r = smtpguide.lookup(GMAIL_DMARC)
    kinds = [m.entry.kind for m in r.matches]
    assert kinds[0] == "message"
    assert kinds.index("status") < kinds.index("reply")
    assert [m.score for m in r.matches] == sorted((m.score for m in r.matches), reverse=True)
    assert r.reason == "authfailure" and r.reply_code == 550 and r.enhanced_code == "5.7.26"
    assert r.provider == "gmail" and r.hard_bounce is False


def test_a_notice_yields_to_the_reply_it_quotes():
    notice = ("** Address not found ** Your message wasn't delivered to user@example.com because the address "
              "couldn't be found, or is unable to receive mail.")
    alone = smtpguide.lookup(notice)
    assert alone.best.notice and alone.reason == "userunknown"
    quoted = smtpguide.lookup(notice + " The response was: 501 5.1.8 <sender@example.org>: Sender address rejected")
    assert quoted.reason == "rejected" and not quoted.best.notice
    assert alone.best in [m.entry for m in quoted.matches]


def test_status_entry_when_no_message_matches():
    r = smtpguide.lookup("550 5.1.1 zzqx wording nobody uses")
    assert r.best.id == "status/x.1.1" and r.kind == "status"
    assert r.reason == "userunknown" and r.hard_bounce is True
    assert r.matches[1].entry.id == "reply/550"


def test_reply_entry_when_only_a_code():
    r = smtpguide.lookup("554 zzqx")
    assert r.best.id == "reply/554" and r.enhanced_code is None


def test_class_specific_reading_of_a_status_code():
    temp = smtpguide.lookup("452 4.2.2 zzqx")
    perm = smtpguide.lookup("552 5.2.2 zzqx")
    assert temp.best.id == perm.best.id == "status/x.2.2"
    assert temp.reason == perm.reason == "mailboxfull"


def test_temporary_reply_is_never_a_hard_bounce():
    assert smtpguide.lookup("450 4.1.1 zzqx").hard_bounce is False
    assert smtpguide.lookup("550 5.1.1 zzqx").hard_bounce is True


def test_ties_are_deterministic():
    text = "550 5.7.1 zzqx"
    assert smtpguide.lookup(text) == store.index().explain(text)


def test_nothing_matches():
    r = smtpguide.lookup("hello world")
    assert r.best is None and r.reason == "undefined" and r.matches == () and r.action is None


@pytest.mark.parametrize("form", [
    GMAIL_DMARC.encode(),
    bytearray(GMAIL_DMARC.encode()),
    (550, GMAIL_DMARC[4:].encode()),
    "Diagnostic-Code: smtp; " + GMAIL_DMARC.replace("\n", "\n    "),
    "host alt1.gmail-smtp-in.l.google.com[192.0.2.26] said: " + GMAIL_DMARC.replace("\n", " ")
    + " (in reply to end of DATA command)",
    "<<< 250 2.1.0 OK\n<<< 250 2.1.5 OK\n>>> DATA\n<<< 354 Go ahead\n" + GMAIL_DMARC,
])
def test_input_forms(form):
    r = smtpguide.lookup(form)
    assert r.best is not None and r.best.id == "message/gmail/550-5.7.26-unauthenticated-dmarc-policy"


def test_smtplib_exceptions():
    e = smtplib.SMTPDataError(550, GMAIL_DMARC[4:].encode())
    assert smtpguide.lookup(e).reason == "authfailure"
    refused = smtplib.SMTPRecipientsRefused({
        "a@example.com": (550, b"5.1.1 zzqx unknown"),
        "b@example.com": (452, b"4.2.2 zzqx full"),
    })
    r = smtpguide.lookup(refused)
    assert [addr for addr, _ in r.recipients] == ["a@example.com", "b@example.com"]
    assert r.reason == "userunknown" and r.recipients[1][1].reason == "mailboxfull"
    assert smtpguide.lookup(smtplib.SMTPSenderRefused(553, b"5.1.8 zzqx", "s@example.com")).reply_code == 553


@pytest.mark.parametrize("junk", [None, 42, 3.5, object(), [], {}, b"\x00\xff" * 100, "\ud800", "\x00" * 10])
def test_never_raises(junk):
    assert isinstance(smtpguide.lookup(junk), smtpguide.Result)


def test_get_and_entries():
    assert smtpguide.get("reply/550").reply_code == "550"
    assert smtpguide.get("entries/status/x.7.26.yaml").enhanced_code == "X.7.26"
    assert smtpguide.get("nope") is None and smtpguide.get(None) is None  # type: ignore[arg-type]
    ids = [e.id for e in smtpguide.entries()]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    e = smtpguide.get("reply/550")
    with pytest.raises(AttributeError):
        e.title = "x"  # type: ignore[misc]


def test_loading_is_thread_safe():
    store.reset()
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(id(store.index()))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1


def test_why_explains_the_score():
    r = smtpguide.lookup(GMAIL_DMARC)
    assert "pattern of" in r.matches[0].why and "agrees" in r.matches[0].why
