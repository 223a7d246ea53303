"""The pure render functions of the site (smtpguide.site, render_pages, render_index)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

import smtpguide
from smtpguide import matcher, site, vocab
from smtpguide.model import ClassMeaning, Context, Disagreement, Entry, HardBounceOverride, Provider, Reference
from smtpguide.render_index import entries_export, paste_index
from smtpguide.render_pages import (
    entry_url,
    esc,
    page_title,
    rel,
    render_entry,
    render_provider,
    render_redirect,
    render_schema,
    report_url,
    safe_url,
    status_aliases,
)

ROOT = Path(__file__).resolve().parents[1]
EVIL = ('<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> [click](javascript:window.__xss=3) '
        '<a href="javascript:window.__xss=4">a</a> &lt;/title&gt;&lt;script&gt;x&lt;/script&gt; `code` '
        '*em* <https://evil.example/> \x02wzxhzdk:0\x03 {: onclick="x" }')
EVIL_URL = 'https://example.com/"><script>window.__xss=5</script>'


def evil_entry(kind: str = "message") -> Entry:
    common = dict(
        title=EVIL.replace("\n", " ")[:200], summary=EVIL, explanation=EVIL + "\n\n" + EVIL, causes=(EVIL, EVIL),
        fixes=(("sender", (EVIL,)), ("recipient_admin", (EVIL,))), reason="blocked", action="fix-reputation",
        references=(Reference(EVIL, EVIL_URL), Reference(EVIL, "javascript:window.__xss=6")), checked=EVIL,
        tags=("a", EVIL), unsure=EVIL, hard_bounce_override=HardBounceOverride(True, EVIL),
        disagreements=(Disagreement(EVIL, EVIL, "javascript:window.__xss=7", EVIL),),
    )
    if kind == "message":
        return Entry(id="message/gmail/550-5.7.1-evil", kind="message", reply_code="550", enhanced_code="5.7.1",
                     provider="gmail", patterns=(EVIL,), examples=(EVIL + "\n550 second line\n\n550 after blank",),
                     near_misses=(EVIL,), **common)
    if kind == "status":
        return Entry(id="status/x.7.99", kind="status", enhanced_code="X.7.99", registry_title=EVIL,
                     classes=(ClassMeaning("5", EVIL, "blocked", "fix-reputation"), ClassMeaning("4", EVIL)),
                     basic_codes=("550",), **common)
    return Entry(id="reply/599", kind="reply", reply_code="599", contexts=(Context("RFC 5321", EVIL, EVIL),), **common)


class Auditor(HTMLParser):
    """Collects what would run: script elements, event-handler attributes, non-https/relative links."""

    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img", "svg", "style"):
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append(f"{tag} {k}=")
            if k in ("href", "src", "action", "formaction") and v is not None:
                v2 = v.strip().lower()
                if v2.startswith(("javascript:", "data:", "vbscript:")) or ("://" in v2 and not v2.startswith("https://")):
                    self.bad.append(f"{tag} {k}={v}")
            if k in ("href",) and v and "<" in v:
                self.bad.append(f"{tag} {k}={v}")


def to_html(md: str) -> str:
    body = re.sub(r"\A---\n.*?\n---\n", "", md, flags=re.S)
    return markdown.markdown(body, extensions=["tables", "admonition", "attr_list", "toc", "pymdownx.superfences"])


def audit(html: str) -> list[str]:
    a = Auditor()
    a.feed(html)
    return a.bad


@pytest.mark.parametrize("kind", ["message", "status", "reply"])
def test_contributed_text_is_never_markup(kind):
    e = evil_entry(kind)
    md = render_entry(e, related=[evil_entry("message")] if kind != "message" else None,
                      providers={"gmail": Provider("gmail", EVIL, "mailbox-provider", (Reference(EVIL, EVIL_URL),))})
    html = to_html(md)
    assert audit(html) == []
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    assert "\x02" not in html and "wzxhzdk" in html  # placeholder markers cannot reach Markdown's stash
    assert "<em>em</em>" not in html
    # a non-https URL is shown as text, never linked
    assert 'href="javascript' not in html
    # the front-matter title cannot close <title> even after the theme's striptags/unescape
    title = json.loads(re.search(r"^title: (.*)$", md, re.M).group(1))
    assert "<" not in title and ">" not in title
    from markupsafe import Markup
    assert "<" not in Markup(title).striptags().replace("&lt;", "").replace("‹", "")


def test_provider_page_escapes():
    p = Provider("evil", EVIL, "mailbox-provider", (Reference(EVIL, EVIL_URL),), EVIL, ("a.com",), (EVIL,))
    assert audit(to_html(render_provider(p, [evil_entry()]))) == []


def test_verbatim_example_keeps_its_lines_in_one_block():
    md = render_entry(evil_entry())
    pre = re.search(r'<pre class="sg-example"><code>(.*?)</code></pre>', md).group(1)
    assert "&#10;550 second line&#10;&#10;550 after blank" in pre
    html = to_html(md)
    assert html.count('<pre class="sg-example">') == 1


def test_helpers():
    assert rel("", "550/") == "550/"
    assert rel("gmail/x/", "reasons/blocked/") == "../../reasons/blocked/"
    assert rel("550/", "") == "../"
    assert rel("", "") == "./"
    assert safe_url("https://a.example/x?y=1&z=2") == "https://a.example/x?y=1&amp;z=2"
    assert safe_url("http://a.example/") is None
    assert safe_url("javascript:alert(1)") is None
    assert esc("a<b\x00") == "a&lt;b"
    assert page_title("<b>&") == "‹b›&amp;"
    u = report_url("message/gmail/550-5.7.26-x")
    assert u.startswith("https://github.com/smtpguide/smtpguide/issues/new?template=correction.yml&title=Correction")
    assert "message%2Fgmail%2F550-5.7.26-x" in u


def test_urls_and_aliases():
    assert entry_url(smtpguide.get("reply/550")) == "550/"
    st = smtpguide.get("status/x.7.26")
    assert entry_url(st) == "x.7.26/"
    assert {"4.7.26", "5.7.26"} <= set(status_aliases(st))
    m = next(e for e in smtpguide.entries() if e.kind == "message")
    assert entry_url(m) == m.id.split("/", 1)[1] + "/"
    r = render_redirect("5.7.26/", "x.7.26/", "<x>")
    assert 'url=../x.7.26/' in r and "<x>" not in r and "<script" not in r


def test_entry_page_sections():
    e = smtpguide.get("status/x.7.26")
    md = render_entry(e, site.related(e, smtpguide.entries()))
    for section in ("## Meaning", "## Verdict", "## Causes", "## What to do", "## References", "Edit this entry",
                    "Report a problem", "template=correction.yml", "entries/status/x.7.26.yaml", "5.7.26"):
        assert section in md, section
    assert "X.7.26 (4.7.26, 5.7.26)" in md.split("\n")[1]  # the title carries every spelling (search boost)
    for vendor, _ in vocab.reasons()[e.reason].esp:
        assert vendor
    msgs = [x for x in smtpguide.entries() if x.kind == "message" and x.enhanced_code == "5.7.26"]
    assert msgs and all(entry_url(x) in md for x in msgs)


def test_generate_covers_every_entry_and_export():
    es = list(smtpguide.store.index().entries.values())
    ps = list(smtpguide.store.index().providers.values())
    g = site.generate(es, ps)
    for e in es:
        assert entry_url(e).rstrip("/") + ".md" in g.pages
        assert g.edit[entry_url(e).rstrip("/") + ".md"] == e.path
    for p in ps:
        assert f"{p.id}/index.md" in g.pages
    for r in vocab.reasons():
        assert f"reasons/{r}.md" in g.pages
    assert "5.7.26/index.html" in g.static and "4.7.26/index.html" in g.static
    data = json.loads(g.static["api/v1/entries.json"])
    assert data["version"] == 1 and len(data["entries"]) == len(es)
    assert data["entries"][0] == {**sorted(es, key=lambda e: e.id)[0].to_dict(), "url": data["entries"][0]["url"]}
    sch = json.loads(g.static["schemas/entry.schema.json"])
    assert sch["$id"].endswith("/schemas/entry.schema.json")


def test_exports_shape():
    es = smtpguide.entries()
    d = entries_export(es)
    assert set(d) == {"version", "entries"}
    assert all(set(x) == set(es[0].to_dict()) | {"url"} for x in d["entries"])
    ix = paste_index(es, smtpguide.providers())
    assert ix["scores"]["BAND"] == matcher.BAND and ix["entries"][0]["id"] == es[0].id


def test_schema_page_lists_every_field():
    sch = site.schema()
    md = render_schema(sch)
    for name in ("title", "summary", "explanation", "patterns", "examples", "near_misses", "classes", "contexts",
                 "hosts", "hard_bounce", "disagreements"):
        assert f"<code>{name}</code>" in md, name
    assert audit(to_html(md)) == []


def test_paste_js_never_uses_innerhtml():
    js = (ROOT / "docs" / "assets" / "javascripts" / "paste.js").read_text()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)
    assert "innerHTML" not in code and "insertAdjacentHTML" not in code and "document.write" not in code


def test_providers_page_has_a_heading_for_every_schema_kind():
    from smtpguide import render_pages

    schema = json.loads((Path(render_pages.__file__).parent / "schema" / "entry.schema.json").read_text())
    assert list(render_pages.PROVIDER_KINDS) == schema["$defs"]["provider"]["properties"]["kind"]["enum"]
    page = render_pages.render_providers(smtpguide.providers(), {})
    assert page.count("\n## ") == len({p.kind for p in smtpguide.providers()})
