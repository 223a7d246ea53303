"""Site pages as Markdown strings: pure functions of entries, providers and vocabularies.

Contributed text is never trusted markup. Every entry field goes through :func:`esc` (HTML
escaping, control characters removed) into raw HTML blocks, so Markdown never interprets it:
no raw HTML, no links, no emphasis. Only the page skeleton (section headings, our own labels)
is Markdown. Raw HTML blocks never contain a blank line (newlines in verbatim text are written
as ``&#10;``), so Markdown cannot split them and start interpreting their content.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from . import vocab
from .model import Entry, Provider

REPO = "https://github.com/smtpguide/smtpguide"
ISSUES_NEW = f"{REPO}/issues/new"
ROLE_LABELS = {"sender": "The sender", "recipient": "The recipient", "recipient_admin": "The recipient's mail admin"}
KIND_LABELS = {"reply": "Reply code", "status": "Enhanced status code", "message": "Server message"}
VENDOR_LABELS = {"sparkpost": "SparkPost", "ses": "Amazon SES", "postmark": "Postmark", "sendgrid": "SendGrid",
                 "mailgun": "Mailgun", "kumomta": "KumoMTA"}
RULE_LABELS = {"yes": "hard", "no": "soft", "yes unless 4xx": "hard (soft when the reply is 4xx)"}
# Folders the site itself uses: a provider id may not take one of these names.
RESERVED = {"reasons", "codes", "status", "providers", "reference", "contributing", "api", "schemas", "assets",
            "search", "404", "index"}
# The codes readers meet most often (shown on the home page when their entries exist).
COMMON_CODES = ("550", "x.1.1", "x.7.1", "x.7.26", "554", "421", "450", "451", "452", "552", "553", "x.2.2",
                "x.4.7", "x.7.0", "535", "530")

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


# ---------------------------------------------------------------------------- small helpers

def esc(text: object) -> str:
    """Contributed text as safe HTML text (escaped, control characters dropped, quotes escaped)."""
    return html.escape(_CTRL.sub("", str(text)), quote=True)


def esc_block(text: object) -> str:
    """Verbatim text for a ``<pre>``: escaped, with newlines as ``&#10;`` so the block stays one line."""
    return esc(str(text).replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "&#10;")


def safe_url(url: object) -> str | None:
    """An https URL escaped for an attribute, or None (anything else is shown as text, not linked)."""
    u = _CTRL.sub("", str(url)).strip()
    if not re.match(r"^https://[^\s\"'<>`]+$", u):
        return None
    return esc(u)


def ext_link(title: object, url: object) -> str:
    u = safe_url(url)
    if u is None:
        return f"{esc(title)} <span class=\"sg-badurl\">({esc(url)})</span>"
    return f'<a href="{u}" rel="nofollow noopener">{esc(title)}</a>'


def page_title(title: str) -> str:
    """A title for front matter: the theme prints it unescaped and ``striptags`` unescapes it,
    so angle brackets are replaced before escaping (the page's own heading shows the exact text)."""
    t = _CTRL.sub("", title).replace("\n", " ").replace("<", "‹").replace(">", "›")
    return html.escape(t, quote=True)


def front_matter(title: str, description: str | None = None, extra: dict | None = None) -> str:
    meta: dict = {"title": page_title(title)}
    if description:
        meta["description"] = page_title(description)
    if extra:
        meta.update(extra)
    return "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=True)}\n" for k, v in meta.items()) + "---\n\n"


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site-root-relative directory URLs (``""`` is the home page)."""
    depth = len([p for p in from_url.split("/") if p])
    out = "../" * depth + to_url
    return out or "./"


def a(from_url: str, to_url: str, text: str, cls: str | None = None) -> str:
    c = f' class="{cls}"' if cls else ""
    return f'<a href="{esc(rel(from_url, to_url))}"{c}>{esc(text)}</a>'


def paragraphs(text: str) -> str:
    """Plain text (with ```code``` spans) as ``<p>`` elements, one line each."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        words = " ".join(para.split())
        if not words:
            continue
        parts = re.split(r"`([^`]+)`", words)
        body = "".join(f"<code>{esc(p)}</code>" if i % 2 else esc(p) for i, p in enumerate(parts))
        out.append(f"<p>{body}</p>")
    return "".join(out)


def ul(items: Iterable[str], cls: str | None = None) -> str:
    c = f' class="{cls}"' if cls else ""
    return f"<ul{c}>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table; ``head`` is plain text, ``rows`` hold cells that are already safe HTML."""
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def block(inner: str, cls: str = "sg-block") -> str:
    """One raw HTML block for Markdown: a div on a single line, surrounded by blank lines."""
    assert "\n" not in inner
    return f'\n<div class="{cls}">{inner}</div>\n\n'


def report_url(entry_id: str, kind: str = "correction") -> str:
    title = f"Correction: {entry_id}" if kind == "correction" else f"New message: {entry_id}"
    return ISSUES_NEW + "?" + urlencode({"template": f"{kind}.yml", "title": title, "entry": entry_id})


def edit_url(path: str) -> str:
    return f"{REPO}/edit/main/{path}"


# ---------------------------------------------------------------------------- URLs

def entry_url(e: Entry) -> str:
    """Stable, guessable page path: ``550/``, ``x.7.26/``, ``gmail/550-5.7.26-…/``."""
    if e.kind == "reply":
        return f"{e.reply_code}/"
    if e.kind == "status":
        return f"{(e.enhanced_code or '').lower()}/"
    return e.id.split("/", 1)[1] + "/"


LIST_MAX = 40  # an entry page lists at most this many messages; more get a page of their own


def messages_url(e: Entry) -> str:
    """The page listing every message under a reply or status entry (``550/messages/``)."""
    return entry_url(e) + "messages/"


def render_messages(e: Entry, msgs: list[Entry]) -> str:
    """The full list of server messages under a reply or status entry."""
    url = messages_url(e)
    code = e.reply_code if e.kind == "reply" else (e.enhanced_code or "")
    title = f"Server messages with {code}"
    return (front_matter(title) + f"# {esc(title)}\n\n"
            + block(f"<p>Back to {a(url, entry_url(e), e.title)}.</p>") + block(entry_list(url, msgs)))


def entry_src(e: Entry) -> str:
    """The virtual Markdown file of an entry page (``550.md`` -> ``/550/``)."""
    return entry_url(e).rstrip("/") + ".md"


def status_aliases(e: Entry) -> list[str]:
    """Class-specific spellings of a status entry (``5.7.26``, ``4.7.26`` and ``2.x.y`` if defined)."""
    if e.kind != "status" or not e.enhanced_code:
        return []
    rest = e.enhanced_code[2:]
    classes = sorted({"4", "5", *(c.klass for c in e.classes)})
    return [f"{k}.{rest}" for k in classes]


def provider_url(provider_id: str) -> str:
    return f"{provider_id}/"


def reason_url(name: str) -> str:
    return f"reasons/{name}/"


def codes_of_entry(e: Entry) -> str:
    return " ".join(c for c in (e.reply_code, e.enhanced_code) if c)


# ---------------------------------------------------------------------------- verdicts

def verdict(e: Entry, klass: str | None = None) -> tuple[str, str, bool]:
    """(reason, action, hard) of an entry read in a reply class, as ``lookup`` would report them."""
    return e.reading(klass)


def hard_label(hard: bool) -> str:
    return "Hard bounce" if hard else "Soft (not a verdict on the address)"


def verdict_html(url: str, e: Entry, klass: str | None = None) -> str:
    reason, action, hard = verdict(e, klass)
    act = vocab.actions()[action]
    cls = "sg-hard" if hard else "sg-soft"
    return (f'<dl class="sg-verdict"><dt>Reason</dt><dd>{a(url, reason_url(reason), reason)}: '
            f'{esc(vocab.reasons()[reason].meaning)}</dd>'
            f'<dt>Verdict</dt><dd><span class="sg-badge {cls}">{esc(hard_label(hard))}</span></dd>'
            f'<dt>Recommended action</dt><dd><strong>{esc(act.label)}</strong>: {esc(act.description)}</dd></dl>')


def esp_table(reason: str) -> str:
    r = vocab.reasons()[reason]
    head = "".join(f"<th>{esc(VENDOR_LABELS.get(v, v))}</th>" for v, _ in r.esp)
    row = "".join(f"<td>{esc(t)}</td>" for _, t in r.esp)
    return f'<table class="sg-esp"><thead><tr>{head}</tr></thead><tbody><tr>{row}</tr></tbody></table>'


def entry_list(url: str, entries: Iterable[Entry], show_reason: bool = True) -> str:
    rows = []
    for e in entries:
        reason, action, hard = verdict(e)
        extra = (f' <span class="sg-meta">{esc(reason)} · {"hard" if hard else "soft"} · {esc(action)}</span>'
                 if show_reason else "")
        rows.append(f"{a(url, entry_url(e), e.title)}{extra}")
    if not rows:
        return "<p><em>None yet.</em></p>"
    return ul(rows, "sg-list")


# ---------------------------------------------------------------------------- entry pages

def render_entry(e: Entry, related: list[Entry] | None = None, providers: dict[str, Provider] | None = None) -> str:
    """The Markdown page of one entry. ``related`` lists entries shown under it (messages of a
    reply or status code)."""
    url = entry_url(e)
    providers = providers or {}
    aliases = status_aliases(e)
    heading = e.title
    if aliases:
        code = (e.enhanced_code or "").upper()
        if code not in heading:
            heading = f"{code} {heading}"
        heading = heading.replace(code, f"{code} ({', '.join(aliases)})", 1)
    if e.kind == "message" and e.provider:
        if e.provider in providers:
            sub = f"{KIND_LABELS[e.kind]} · {a(url, provider_url(e.provider), providers[e.provider].name)}"
        else:
            sub = f"{KIND_LABELS[e.kind]} · {esc(e.provider)}"
    else:
        sub = KIND_LABELS[e.kind]
    chips = "".join(f'<code class="sg-code">{esc(c)}</code>' for c in (e.reply_code, e.enhanced_code) if c)
    # Code pages rank first for a bare code (5.7.26, 550); messages follow (their titles carry the codes too).
    out = [front_matter(heading, e.summary, {"search": {"boost": 2}} if e.kind != "message" else None),
           f'<h1 id="sg-title">{esc(heading)}</h1>\n\n',
           block(f'<p class="sg-kind">{sub} {chips}</p><p class="sg-summary">{esc(e.summary)}</p>', "sg-head")]
    if e.examples:
        # neutral: most examples are server replies, but some are a DSN's prose (notice: true)
        # or an error the sending program printed
        out.append("## What the notice says\n" if e.notice else "## As it appears\n")
        pres = "".join(f'<pre class="sg-example"><code>{esc_block(x)}</code></pre>' for x in e.examples)
        out.append(block(pres, "sg-examples"))
    if e.kind == "status" and e.registry_title:
        out.append(block(f'<p>IANA registry title: <q>{esc(e.registry_title)}</q></p>'))
    out.append("## Meaning\n")
    out.append(block(paragraphs(e.explanation)))
    out.append("## Verdict\n")
    if e.kind == "status":
        rows = []
        for k in sorted({"4", "5", *(c.klass for c in e.classes)}):
            reason, action, hard = verdict(e, k)
            cm = e.for_class(k)
            meaning = esc(cm.meaning) if cm else ""
            rows.append(f"<tr><td><code>{esc(k + (e.enhanced_code or '')[1:])}</code></td><td>{meaning}</td>"
                        f"<td>{a(url, reason_url(reason), reason)}</td><td>{'hard' if hard else 'soft'}</td>"
                        f"<td>{esc(vocab.actions()[action].label)}</td></tr>")
        out.append(block(verdict_html(url, e, "5") +
                         '<table class="sg-classes"><thead><tr><th>Code</th><th>Meaning in this class</th>'
                         '<th>Reason</th><th>Hard/soft</th><th>Action</th></tr></thead><tbody>'
                         + "".join(rows) + "</tbody></table>"))
    else:
        out.append(block(verdict_html(url, e)))
    if e.hard_bounce_override is not None:
        out.append(block(f'<p class="sg-override">This entry overrides the reason\'s default hard-bounce rule: '
                         f'{esc(e.hard_bounce_override.why)}</p>'))
    out.append("### How ESPs classify it\n")
    out.append(block("<p>Best-fit bounce types of common sending services for the reason "
                     f"{a(url, reason_url(e.reason), e.reason)}:</p>" + esp_table(e.reason)))
    out.append("## Causes\n")
    out.append(block(ul(esc(c) for c in e.causes)))
    out.append("## What to do\n")
    for role, steps in e.fixes:
        out.append(f"### {ROLE_LABELS.get(role, role)}\n")
        out.append(block("<ol>" + "".join(f"<li>{esc(s)}</li>" for s in steps) + "</ol>"))
    if e.contexts:
        out.append("## Where it is defined\n")
        out.append(block(table(["Source", "Meaning", "Commands"],
                               ([esc(c.rfc), esc(c.meaning), esc(c.commands or "")] for c in e.contexts))))
    if e.kind == "status" and e.basic_codes:
        links = ", ".join(a(url, f"{c}/", c) for c in e.basic_codes)
        out.append(block(f"<p>Basic reply codes it goes with: {links}</p>"))
    if related is not None and e.kind != "message":
        out.append("## Server messages and codes under it\n" if e.kind == "reply" else "## Server messages with it\n")
        msgs = [x for x in related if x.kind == "message"]
        if len(msgs) > LIST_MAX:  # keep the page small: the full list has its own page
            out.append(block(entry_list(url, [x for x in related if x.kind != "message"])))
            by_provider: dict[str, int] = {}
            for x in msgs:
                by_provider[x.provider or ""] = by_provider.get(x.provider or "", 0) + 1
            top = ", ".join(f"{esc(p)} ({n})" for p, n in sorted(by_provider.items(), key=lambda kv: (-kv[1], kv[0]))[:8])
            out.append(block(f"<p>{len(msgs)} server messages from {len(by_provider)} providers and programs "
                             f"({top}, …): {a(url, messages_url(e), 'see them all')}.</p>"))
        else:
            out.append(block(entry_list(url, related)))
    if e.unsure:
        out.append("## Unsure\n")
        out.append(block(f'<div class="admonition warning"><p class="admonition-title">Not confirmed</p>'
                         f"{paragraphs(e.unsure)}</div>"))
    if e.disagreements:
        out.append("## Disagreements\n")
        out.append(block(table(["Who", "Says", "Note"],
                               ([ext_link(d.source, d.url), esc(d.says), esc(d.note or "")] for d in e.disagreements))))
    out.append("## References\n")
    out.append(block(ul(ext_link(r.title, r.url) for r in e.references)
                     + f'<p class="sg-checked">Checked: <time>{esc(e.checked)}</time></p>'))
    if e.tags:
        out.append(block('<p class="sg-tags">' + " ".join(f'<span class="sg-tag">{esc(t)}</span>' for t in e.tags)
                         + "</p>"))
    out.append("## Improve this entry\n")
    out.append(block(f'<p><a class="md-button" href="{esc(edit_url(e.path))}">Edit this entry</a> '
                     f'<a class="md-button" href="{esc(report_url(e.id))}">Report a problem</a></p>'
                     f'<p class="sg-meta">Source: <code>{esc(e.path)}</code> · id <code>{esc(e.id)}</code></p>'))
    return "".join(out)


def render_redirect(target_from: str, target: str, title: str) -> str:
    """A tiny HTML page sending ``/5.7.26/`` to ``/x.7.26/`` (no script, no other host)."""
    href = esc(rel(target_from, target))
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{esc(title)}</title>'
            f'<meta http-equiv="refresh" content="0; url={href}"><link rel="canonical" href="{href}">'
            f'<meta name="robots" content="noindex"></head><body><p>{esc(title)}: see <a href="{href}">{href}</a>.'
            "</p></body></html>\n")


# ---------------------------------------------------------------------------- listing pages

def render_provider(p: Provider, messages: list[Entry]) -> str:
    url = provider_url(p.id)
    out = [front_matter(f"{p.name} bounce messages", p.description),
           f'<h1 id="sg-title">{esc(p.name)}: SMTP errors and bounce messages</h1>\n\n']
    info = f'<p class="sg-kind">{esc(p.kind)}</p>'
    if p.description:
        info += f"<p>{esc(p.description)}</p>"
    if p.domains:
        info += "<p>Mail domains: " + ", ".join(f"<code>{esc(d)}</code>" for d in p.domains) + "</p>"
    if p.hosts:
        info += ("<p>Recognised in bounces by: " + ", ".join(f"<code>{esc(h)}</code>" for h in p.hosts) + "</p>")
    out.append(block(info))
    out.append("## Postmaster and help pages\n")
    out.append(block(ul(ext_link(r.title, r.url) for r in p.links)))
    out.append(f"## Messages ({len(messages)})\n")
    out.append(block(entry_list(url, messages)))
    out.append(block(f'<p><a href="{esc(report_url(p.id, "new-message"))}">Report a message from '
                     f"{esc(p.name)} that is missing</a></p>"))
    return "".join(out)


# Section headings of the providers page, in the order of the schema's provider kinds.
PROVIDER_KINDS = {
    "mailbox-provider": "Mailbox providers and ISPs", "hosting": "Hosting and domain mail",
    "filtering-gateway": "Filtering gateways and security services", "mta": "Mail server software (MTAs)",
    "esp": "Email service providers (ESPs)", "blocklist": "Blocklists",
    "common": "Wording shared by many servers, and sending programs",
}


def render_providers(providers: list[Provider], counts: dict[str, int]) -> str:
    url = "providers/"
    out = [front_matter("Providers"), "# Providers\n\nMailbox providers, gateways and mail software whose "
           "messages the guide explains, by kind.\n"]
    kinds = list(PROVIDER_KINDS) + sorted({p.kind for p in providers} - set(PROVIDER_KINDS))
    for kind in kinds:
        group = [p for p in providers if p.kind == kind]
        if not group:
            continue
        rows = "".join(f"<tr><td>{a(url, provider_url(p.id), p.name)}</td><td>{counts.get(p.id, 0)}</td>"
                       f"<td>{esc(p.description or '')}</td></tr>" for p in group)
        out.append(f"## {PROVIDER_KINDS.get(kind, kind)} ({len(group)})\n")
        out.append(block("<table><thead><tr><th>Provider</th><th>Messages</th><th>About</th></tr></thead>"
                         f"<tbody>{rows}</tbody></table>"))
    return "".join(out)


def render_code_list(kind: str, entries: list[Entry]) -> str:
    url = "codes/" if kind == "reply" else "status/"
    title = "Reply codes" if kind == "reply" else "Enhanced status codes"
    rows = []
    for e in entries:
        code = (e.reply_code if kind == "reply" else e.enhanced_code) or ""
        reason, _, _hard = verdict(e, "5" if kind == "status" else None)
        rows.append(f"<tr><td>{a(url, entry_url(e), code)}</td><td>{esc(e.title.removeprefix(code).strip(' :-'))}</td>"
                    f"<td>{a(url, reason_url(reason), reason)}</td></tr>")
    intro = ("Basic SMTP reply codes (RFC 5321 and extensions). The first digit is the class: 2 success, "
             "3 continue, 4 temporary failure, 5 permanent failure."
             if kind == "reply" else
             "Enhanced status codes (RFC 3463 and the IANA registry) written with the class as X: "
             "`X.7.26` stands for both `5.7.26` (permanent) and `4.7.26` (temporary).")
    return (front_matter(title) + f"# {title}\n\n{intro}\n"
            + block("<table><thead><tr><th>Code</th><th>Meaning</th><th>Usual reason</th></tr></thead>"
                    f"<tbody>{''.join(rows)}</tbody></table>"))


def render_reasons(counts: dict[str, int]) -> str:
    url = "reasons/"
    rows = []
    for r in vocab.reasons().values():
        rows.append(f"<tr><td>{a(url, reason_url(r.name), r.name)}</td><td>{esc(r.meaning)}</td>"
                    f"<td>{esc(RULE_LABELS.get(r.hard_rule, r.hard_rule))}</td><td>{esc(r.typical_codes)}</td>"
                    f"<td>{counts.get(r.name, 0)}</td></tr>")
    esp_head = "".join(f"<th>{esc(v)}</th>" for v in VENDOR_LABELS.values())
    esp_rows = "".join(f"<tr><td>{a(url, reason_url(r.name), r.name)}</td>"
                       + "".join(f"<td>{esc(t)}</td>" for _, t in r.esp) + "</tr>"
                       for r in vocab.reasons().values())
    acts = "".join(f"<tr><td><code>{esc(x.name)}</code></td><td>{esc(x.label)}</td><td>{esc(x.description)}</td></tr>"
                   for x in vocab.actions().values())
    return (front_matter("Bounce reasons") + "# Bounce reasons\n\n"
            "Every entry names one **reason** from a fixed vocabulary of 34 names (Sisimai's, lower case), "
            "so that any bounce can be classified the same way whatever the server's wording.\n\n"
            "## Hard or soft\n\n"
            "A **hard bounce** means the address itself cannot receive mail: stop sending to it. Only three "
            "reasons are hard by default: `userunknown`, `hostunknown` and `hasmoved`; `notaccept` is hard unless "
            "the reply is 4xx. Every other reason is soft: the failure says something about the sender, the "
            "message or a temporary condition, not about the address. A 4xx reply is never hard. An entry may "
            "override its reason's rule only with a written justification.\n\n"
            "## The reasons\n"
            + block("<table><thead><tr><th>Reason</th><th>Meaning</th><th>Hard bounce</th><th>Typical codes</th>"
                    f"<th>Entries</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
            + "## How ESPs classify each reason\n\nA best-fit cross-mapping to the bounce types of common sending "
            "services (not published by the vendors), from `smtpguide/vocab/reasons.tsv`.\n"
            + block(f'<table class="sg-esp"><thead><tr><th>Reason</th>{esp_head}</tr></thead>'
                    f"<tbody>{esp_rows}</tbody></table>")
            + "## Recommended actions\n"
            + block("<table><thead><tr><th>Action</th><th>Label</th><th>What it means</th></tr></thead>"
                    f"<tbody>{acts}</tbody></table>"))


def render_reason(name: str, entries: list[Entry]) -> str:
    url = reason_url(name)
    r = vocab.reasons()[name]
    info = (f"<p>{esc(r.meaning)}</p><dl class=\"sg-verdict\"><dt>Hard bounce</dt>"
            f"<dd>{esc(RULE_LABELS.get(r.hard_rule, r.hard_rule))}</dd><dt>Typical codes</dt><dd>"
            f"{esc(r.typical_codes)}</dd><dt>Decidable from a reply text</dt><dd>{'yes' if r.decidable else 'no'}"
            "</dd></dl>")
    return (front_matter(f"Reason: {name}", r.meaning) + f"# Reason: `{name}`\n" + block(info)
            + "## How ESPs classify it\n" + block(esp_table(name))
            + f"## Entries ({len(entries)})\n" + block(entry_list(url, entries))
            + block(f'<p>{a(url, "reasons/", "All reasons")}</p>'))


def render_home(entries: list[Entry], providers: list[Provider]) -> str:
    url = ""
    by_url = {entry_url(e).rstrip("/"): e for e in entries}
    common = [by_url[c] for c in COMMON_CODES if c in by_url]
    n = {k: sum(1 for e in entries if e.kind == k) for k in ("reply", "status", "message")}
    prov = ", ".join(a(url, provider_url(p.id), p.name) for p in providers if p.kind != "common")
    return (front_matter("smtpguide: SMTP reply codes and bounce messages explained",
                         "An open field guide to SMTP reply codes, enhanced status codes and real mail-server "
                         "error messages.", {"hide": ["navigation", "toc"]})
            + "# The SMTP field guide\n\n"
            "An open, community-maintained guide to **SMTP reply codes** (`550`), **enhanced status codes** "
            "(`5.7.26`) and the **real error messages** mail servers send. Every entry says what the reply "
            "means, why it happens, who must act and what to do, how to classify it (reason, hard or soft "
            "bounce) and where the facts come from.\n\n"
            "## Explain a bounce\n"
            + block(paste_box_html(), "sg-paste-wrap")
            + f"The guide has {n['reply']} reply codes, {n['status']} enhanced status codes and {n['message']} "
            "server messages. The same data ships as a Python library (`pip install smtpguide`) and as "
            "[JSON](reference/json-api.md).\n\n"
            "## The most common codes\n"
            + block(entry_list(url, common, show_reason=False), "sg-common")
            + "## Browse\n"
            + block(ul([a(url, "codes/", "All reply codes"), a(url, "status/", "All enhanced status codes"),
                        a(url, "providers/", "Providers") + ": " + prov, a(url, "reasons/", "Bounce reasons"),
                        a(url, "contributing/", "Contribute an entry")])))


def paste_box_html() -> str:
    """The paste box markup (filled by ``assets/javascripts/paste.js``)."""
    return ('<div class="sg-paste" data-sg-paste><label for="sg-paste-input">Paste a bounce line, an SMTP reply or '
            'a whole bounce message</label><textarea id="sg-paste-input" rows="5" spellcheck="false" '
            'placeholder="550-5.7.26 This mail has been blocked because the sender is unauthenticated..."></textarea>'
            '<div class="sg-paste-results" aria-live="polite"></div><noscript>The paste box needs JavaScript; '
            "search the site instead.</noscript></div>")


# ---------------------------------------------------------------------------- schema reference

def _schema_type(node: dict, defs: dict) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        return _schema_type(defs[name], defs) if name in ("line", "reply_code", "link") else name
    if "enum" in node:
        return "one of " + ", ".join(str(x) for x in node["enum"])
    t = node.get("type", "")
    if t == "array":
        items = node.get("items", {})
        return f"list of {_schema_type(items, defs)}"
    if t == "object" and "patternProperties" in node:
        return "map " + ", ".join(node["patternProperties"])
    return t or "any"


def _schema_desc(node: dict, defs: dict) -> str:
    d = node.get("description")
    if not d and "$ref" in node:
        d = defs[node["$ref"].rsplit("/", 1)[1]].get("description", "")
    if not d and node.get("type") == "array":
        d = _schema_desc(node.get("items", {}), defs)
    extra = []
    target = defs.get(node["$ref"].rsplit("/", 1)[1], {}) if "$ref" in node else node
    if "pattern" in target:
        extra.append(f"pattern <code>{esc(target['pattern'])}</code>")
    if "maxLength" in node:
        extra.append(f"at most {node['maxLength']} characters")
    return esc(d or "") + ("<br><small>" + "; ".join(extra) + "</small>" if extra else "")


def _schema_table(props: dict, required: Iterable[str], defs: dict) -> str:
    req = set(required)
    rows = "".join(f"<tr><td><code>{esc(k)}</code>{' <strong>required</strong>' if k in req else ''}</td>"
                   f"<td>{esc(_schema_type(v, defs))}</td><td>{_schema_desc(v, defs)}</td></tr>"
                   for k, v in props.items())
    return ("<table><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def render_scoring() -> str:
    """The precedence rules, generated from ``matcher``'s constants (their one source)."""
    from . import matcher

    meaning = {
        "message": "a message entry whose pattern matches and whose reason names a cause",
        "follow-up": f"a message entry with reply code {', '.join(matcher.FOLLOW_UP)}: mostly the client "
                     "stumbling on after a refusal earlier in the same transcript",
        "status": "the status entry of the text's enhanced code (its reason for that class)",
        "contradicted": "a message entry whose codes are of the other class than the text's (5xx against 4xx, unless "
                        "the enhanced code is the same condition in the other class): the words likely mean something "
                        "else there",
        "notice": f"a giving-up notice (reason {', '.join(matcher.NOTICE)}) or another notice the sending side writes "
                  "around a failure (entries marked notice, such as a DSN's heading): a cause quoted beside it says more",
        "quoted": f"a {', '.join(matcher.QUOTED)} entry (message or status) when a giving-up notice matched too: "
                  "the failure is why the message expired",
        "vague": f"an entry whose reason is {', '.join(matcher.VAGUE)} (message or status): it cannot say more "
                 "than \"refused\"",
        "reply": "the reply entry of the text's reply code",
    }
    lines = [
        "# How the best entry is chosen",
        "",
        "Every entry that could explain a text is a candidate. Candidates fall in bands by what they can",
        "say; the highest score wins and ties go to the smaller id. A message entry's score is its band",
        "plus its pattern's length (at most 300) plus the adjustments below, so bands never overlap.",
        "These numbers are read from `smtpguide/matcher.py` when the site is built, and the paste box on",
        "this site uses the same ones.",
        "",
        "| band | score | candidate |",
        "| --- | --- | --- |",
    ]
    for name, base in matcher.BAND.items():
        lines.append(f"| {name} | {base} | {meaning[name]} |")  # a new band must be described here
    lines += ["", "Adjustments to a message entry's score:", "", "| when | change |", "| --- | --- |"]
    words = {
        "reply-agrees": "its reply code is the text's", "reply-same-class": "its reply code differs, same class",
        "reply-contradicts": "its reply code is of the other class", "status-agrees": "its enhanced code is the text's",
        "status-other-class": "its enhanced code differs in class only (4.7.1 / 5.7.1)",
        "status-same-class": "its enhanced code differs, same class",
        "status-contradicts": "its enhanced code is of the other class",
        "provider": "a host of its provider is named in the text",
        "common": "it is cross-provider `common` wording (yields to a provider's own)",
    }
    for key, value in matcher.ADJUST.items():
        lines.append(f"| {words.get(key, key)} | {value:+d} |")
    lines += ["", "A status entry's reason and action can differ by class (4.7.26 versus 5.7.26).", ""]
    return "\n".join(lines)


def render_schema(schema: dict) -> str:
    """The schema reference page, generated from the JSON Schema."""
    defs = schema["$defs"]
    common = defs["common"]
    out = [front_matter("Entry schema reference"), "# Entry schema reference\n\n",
           "This page is generated from the JSON Schema ",
           f"(`smtpguide/schema/entry.schema.json`, published at [`/schemas/entry.schema.json`]({esc(schema['$id'])})); "
           "the schema is the authority.\n\n",
           block(f"<p>{esc(schema.get('description', ''))}</p>"),
           "Editors that understand the `yaml-language-server` modeline validate entries as you type:\n\n"
           "```yaml\n# yaml-language-server: $schema=../../smtpguide/schema/entry.schema.json\n```\n\n"
           "## Fields of every entry\n",
           block(_schema_table(common["properties"], common.get("required", []), defs))]
    for kind in ("reply", "status", "message"):
        d = defs[kind]
        out.append(f"## {KIND_LABELS[kind]} entries\n")
        out.append(block(f"<p>{esc(d.get('description', ''))}</p>"
                         + _schema_table(d.get("properties", {}), d.get("required", []), defs)))
        props: dict[str, Any] = d.get("properties", {})
        for k, v in props.items():
            items: dict[str, Any] = v.get("items", {})
            per_key: dict[str, Any] = next(iter(v.get("patternProperties", {}).values()), {})
            sub = items.get("properties") or per_key.get("properties")
            if sub:
                req = items.get("required") or per_key.get("required", [])
                out.append(f"### `{kind}.{k}` items\n")
                out.append(block(_schema_table(sub, req, defs)))
    d = defs["provider"]
    out.append("## Provider files\n")
    out.append(block(f"<p>{esc(d.get('description', ''))}</p>"
                     + _schema_table(d["properties"], d.get("required", []), defs)))
    out.append("## Shared definitions\n")
    for name in ("reason", "action"):
        vals = ", ".join(f"<code>{esc(x)}</code>" for x in defs[name]["enum"])
        out.append(block(f"<p><strong>{name}</strong>: {esc(defs[name].get('description', ''))}</p><p>{vals}</p>"))
    return "".join(out)
