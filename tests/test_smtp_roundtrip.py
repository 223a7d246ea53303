"""A real SMTP round trip: a local server on 127.0.0.1 rejects with real Gmail replies,
smtplib sends, and the raised exception is looked up and explained."""

from __future__ import annotations

import smtplib
import socket

import pytest

import smtpguide

aiosmtpd = pytest.importorskip("aiosmtpd.controller")

NO_SUCH_USER = ("550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n"
                "550-5.1.1 double-checking the recipient's email address for typos or\r\n"
                "550-5.1.1 unnecessary spaces. For more information, go to\r\n"
                "550 5.1.1  https://support.google.com/mail/?p=NoSuchUser [REDACTED] - gsmtp")
DMARC = ("550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's\r\n"
         "550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if\r\n"
         "550 5.7.26 this was a legitimate mail. [REDACTED] - gsmtp")


class Rejecter:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return NO_SUCH_USER
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        return DMARC


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def server():
    port = _free_port()
    c = aiosmtpd.Controller(Rejecter(), hostname="127.0.0.1", port=port)
    c.start()
    try:
        yield "127.0.0.1", port
    finally:
        c.stop()


def test_recipient_refused_is_explained(server):
    host, port = server
    with smtplib.SMTP(host, port, timeout=10) as s, pytest.raises(smtplib.SMTPRecipientsRefused) as info:
        s.sendmail("sender@example.org", ["nobody@example.com"], b"Subject: t\r\n\r\nhi\r\n")
    r = smtpguide.lookup(info.value)
    assert r.recipients[0][0] == "nobody@example.com"
    assert r.reply_code == 550 and r.enhanced_code == "5.1.1"
    assert r.best.provider == "gmail" and r.reason == "userunknown" and r.hard_bounce
    assert r.action == "suppress-address"


def test_data_rejection_is_explained(server):
    host, port = server
    with smtplib.SMTP(host, port, timeout=10) as s, pytest.raises(smtplib.SMTPDataError) as info:
        s.sendmail("sender@example.org", ["user@example.com"], b"Subject: t\r\n\r\nhi\r\n")
    r = smtpguide.lookup(info.value)
    assert r.best.id == "message/gmail/550-5.7.26-unauthenticated-dmarc-policy"
    assert r.reason == "authfailure" and not r.hard_bounce and r.action == "fix-authentication"
