"""The built site in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser).

The site is built once per session (``mkdocs build --strict``) and served by http.server on
127.0.0.1 under ``/smtpguide/`` (as on GitHub Pages, with 404.html for unknown paths).
Screenshots go to /tmp/shots/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote_plus, urlsplit

import pytest

import smtpguide
import smtpguide.site
from smtpguide import store
from smtpguide.render_index import paste_index

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path("/tmp/shots")
PREFIX = "/smtpguide/"

GMAIL_5726 = """550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's
550-5.7.26 DMARC policy. Please contact the administrator of example.com domain if
550-5.7.26 this was a legitimate mail. To learn about the DMARC initiative, go to
550 5.7.26  https://support.google.com/mail/?p=DmarcRejection [REDACTED] - gsmtp"""
MS_5110 = "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"


def build(dest: Path, env: dict[str, str] | None = None) -> None:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "-q", "-d", str(dest)], cwd=ROOT, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, timeout=300)


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def translate_path(self, path):
        p = urlsplit(path).path
        if p.startswith(PREFIX):
            p = "/" + p[len(PREFIX):]
        return super().translate_path(p)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve(directory: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{srv.server_address[1]}{PREFIX}", srv


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("site")
    build(dest)
    return dest


@pytest.fixture(scope="session")
def base(built):
    url, srv = serve(built)
    yield url
    srv.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, base):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.split(PREFIX)[0])
    pg = ctx.new_page()
    pg.errors = []
    pg.hosts = set()
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.hosts.add(urlsplit(r.url).hostname))
    yield pg
    ctx.close()


def shot(pg, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def paste(pg, text: str):
    box = pg.locator("#sg-paste-input")
    box.fill(text)
    pg.wait_for_selector(".sg-result-title a, .sg-none", timeout=10000)
    return pg.locator(".sg-paste-results")


def test_search_index_has_the_separator(built):
    cfg = json.loads((built / "search" / "search_index.json").read_text())["config"]
    assert cfg["separator"] == r'[\s\u200b\-_,:!=\[\]()"`/]+|\.(?!\d)|&[lg]t;|(?!\b)(?=[A-Z][a-z])'


def test_no_external_references_in_html(built):
    for f in [built / "index.html", built / "404.html", built / "x.7.26" / "index.html"]:
        html = f.read_text()
        for m in re.finditer(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html):
            if 'rel="canonical"' in m.group(0):
                continue  # a canonical link is not fetched
            assert not re.match(r"(https?:)?//", m.group(1)), m.group(0)


def test_home_loads_clean(page, base):
    page.goto(base, wait_until="networkidle")
    assert "SMTP" in page.title()
    assert page.locator("#sg-paste-input").is_visible()
    assert page.errors == []
    assert page.hosts == {"127.0.0.1"}, page.hosts
    shot(page, "home")


def test_paste_gmail_multiline(page, base):
    page.goto(base, wait_until="networkidle")
    out = paste(page, GMAIL_5726)
    expected = smtpguide.lookup(GMAIL_5726)
    link = out.locator(".sg-result-title a")
    assert link.inner_text() == expected.best.title
    assert link.get_attribute("href").endswith(smtpguide.site.entry_url(expected.best))
    text = out.inner_text()
    assert expected.reason in text and "550 5.7.26" in text and "Soft" in text
    shot(page, "paste-gmail")
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text() == expected.best.title


def test_paste_microsoft_line(page, base):
    page.goto(base, wait_until="networkidle")
    out = paste(page, MS_5110)
    expected = smtpguide.lookup(MS_5110)
    assert expected.best is not None
    assert out.locator(".sg-result-title a").inner_text() == expected.best.title
    assert "Hard bounce" in out.inner_text() and "userunknown" in out.inner_text()
    shot(page, "paste-microsoft")


def test_paste_parity_in_chromium(page, base):
    """Every entry example through the browser engine equals Python's best entry."""
    page.goto(base, wait_until="networkidle")
    texts = [x for e in smtpguide.entries() for x in e.examples]
    # entries/ may change while the suite runs: build the index now, next to the Python answers
    index = store.index()
    ix = paste_index(list(index.entries.values()), list(index.providers.values()))
    got = page.evaluate("([ix, texts]) => { const eng = new window.smtpguidePaste.Engine(ix);"
                        " return texts.map(t => { const r = eng.explain(t); return r.best ? r.best.id : null; }); }",
                        [ix, texts])
    want = [(r.best.id if (r := smtpguide.lookup(t)).best else None) for t in texts]
    diffs = [(t[:80], w, g) for t, w, g in zip(texts, want, got, strict=False) if w != g]
    assert not diffs, diffs[:5]


def test_404_offers_paste_and_report(page, base):
    resp = page.goto(base + "no/such/page/", wait_until="networkidle")
    assert resp.status == 404
    assert [e for e in page.errors if "status of 404" not in e] == []
    out = paste(page, MS_5110)
    assert out.locator(".sg-result-title a").count() == 1
    href = page.locator("#sg-report").get_attribute("href")
    assert href.startswith("https://github.com/smtpguide/smtpguide/issues/new?template=new-message.yml&title=")
    assert "RESOLVER" in href
    assert page.hosts == {"127.0.0.1"}


def search(pg, base: str, query: str) -> list[str]:
    pg.goto(base, wait_until="networkidle")  # a fresh page: no stale results from an earlier query
    pg.locator("label.md-search__icon, .md-search__input").first.click()
    pg.locator("input.md-search__input").fill(query)
    terms = [t for t in re.split(r"[\s.]+", query.lower()) if t]
    hrefs: list[str] = []
    for _ in range(100):  # until the results are those of this query (highlight parameter h=...)
        pg.wait_for_timeout(100)
        hrefs = pg.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                        "els => els.map(e => e.getAttribute('href'))")
        if hrefs and all(any(t in unquote_plus(h.split("h=", 1)[-1]).lower() for t in terms) for h in hrefs[:3]):
            return hrefs
    raise AssertionError(f"no search results for {query!r}: {hrefs[:5]}")


def test_search_codes_and_phrases(page, base):
    page.goto(base, wait_until="networkidle")
    hrefs = search(page, base, "5.7.26")
    top = hrefs[:5]
    assert "x.7.26/" in top[0], [h.split("/smtpguide/")[1] for h in top]
    assert sum("5.7.26" in h or "x.7.26" in h for h in top) >= 4, top
    shot(page, "search-5.7.26")
    hrefs = search(page, base, "550 5.1.1")
    assert any("x.1.1/" in h or "550-5.1.1" in h for h in hrefs[:5]), hrefs[:5]
    hrefs = search(page, base, "RESOLVER.ADR.RecipientNotFound")
    assert any("5.1.10" in h for h in hrefs[:3]), hrefs[:3]


def test_entry_pages_and_copy(page, base):
    samples = ["x.7.26/", "550/", *[smtpguide.site.entry_url(e) for e in smtpguide.entries() if e.kind == "message"][::60]]
    for i, url in enumerate(samples):
        page.goto(base + url, wait_until="networkidle")
        assert page.locator("h1").count() >= 1
        assert page.locator("a", has_text="Report a problem").first.get_attribute("href").startswith(
            "https://github.com/smtpguide/smtpguide/issues/new?template=correction.yml&title=")
        assert "entries/" in page.locator("a", has_text="Edit this entry").first.get_attribute("href")
        assert page.errors == [], (url, page.errors)
        if "/" in url.rstrip("/"):  # message pages: the verbatim text has a working copy button
            btn = page.locator("pre.sg-example").first.locator(
                "button[data-md-type='copy'], button.md-clipboard").first
            btn.click()
            copied = page.evaluate("navigator.clipboard.readText()")
            expected = page.locator("pre.sg-example code").first.inner_text()
            assert copied.strip() == expected.strip()
            if i == 2:
                shot(page, "entry-light")
    page.goto(base + "5.7.26/", wait_until="networkidle")
    assert page.url.endswith("/x.7.26/")


def test_palette_toggle(page, base):
    url = smtpguide.site.entry_url(smtpguide.get("message/gmail/550-5.7.26-unauthenticated-dmarc-policy")
                                   or next(e for e in smtpguide.entries() if e.kind == "message"))
    page.goto(base + url, wait_until="networkidle")
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_timeout(300)
    other = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {scheme, other} == {"default", "slate"}
    shot(page, "entry-" + ("dark" if other == "slate" else "light"))
    page.locator("label.md-header__button[for^='__palette']:visible").first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    shot(page, "entry-" + ("dark" if scheme == "slate" else "light"))


def test_provider_page(page, base):
    page.goto(base + "gmail/", wait_until="networkidle")
    assert "Gmail" in page.locator("h1").first.inner_text()
    assert page.locator(".sg-list li").count() > 10
    assert page.errors == []
    shot(page, "provider")


EVIL = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> [x](javascript:window.__xss=3)'


def test_hostile_entry_does_not_run(browser, tmp_path):
    """An entry with markup and script in every field renders as text, on its page and in the paste box."""
    entries = tmp_path / "entries"
    shutil.copytree(ROOT / "entries", entries)
    q = json.dumps
    (entries / "message" / "gmail" / "550-5.7.1-hostile-test.yaml").write_text(f"""
reply_code: "550"
enhanced_code: 5.7.1
title: {q("550 5.7.1 " + EVIL)}
summary: {q(EVIL)}
explanation: {q(EVIL + " and some more words to pass the minimum length of the field")}
causes: [{q(EVIL)}]
fixes:
  sender: [{q(EVIL)}]
reason: blocked
action: fix-reputation
references:
  - title: {q(EVIL)}
    url: "https://example.com/\\"><script>window.__xss=5</script>"
checked: "2026-01-01"
unsure: {q(EVIL)}
disagreements:
  - source: {q(EVIL)}
    says: {q(EVIL)}
    url: https://example.com/x
    note: {q(EVIL)}
patterns: ["zqxj hostile marker phrase"]
examples: [{q("550 5.7.1 zqxj hostile marker phrase " + EVIL)}]
""", encoding="utf-8")
    dest = tmp_path / "site"
    build(dest, {"SMTPGUIDE_ENTRIES": str(entries)})
    url, srv = serve(dest)
    try:
        pg = browser.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(url + "gmail/550-5.7.1-hostile-test/", wait_until="networkidle")
        assert "<script>window.__xss=1</script>" in pg.locator("h1").first.inner_text()
        assert pg.evaluate("window.__xss") is None
        for a in pg.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            assert not a.lower().startswith("javascript"), a
        pg.goto(url, wait_until="networkidle")
        out = paste(pg, "550 5.7.1 zqxj hostile marker phrase")
        assert "<script>" in out.locator(".sg-result-title a").inner_text()
        assert pg.evaluate("window.__xss") is None
        assert pg.locator(".sg-paste-results script, .sg-paste-results img").count() == 0
        assert dialogs == []
        pg.close()
    finally:
        srv.shutdown()
