"""``smtpguide new``: write a fill-in template that validates once every TODO is replaced."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

TODO = "TODO"

_COMMON = """title: "{title}"
summary: TODO one sentence, in your own words, saying what the reply means.
explanation: |
  TODO three to six sentences in your own words: what the server is telling the sender, why,
  whether it is permanent, and who must act.
causes:
  - TODO what typically triggers it
fixes:
  sender:
    - TODO a step for the sender
  recipient_admin:
    - TODO a step for the recipient's administrator (or delete this role)
reason: TODO  # one of smtpguide/vocab/reasons.tsv
action: TODO  # one of smtpguide/vocab/actions.tsv
references:
  - title: TODO where the facts come from
    url: https://TODO
checked: "{today}"
tags: []
"""


def scaffold(ident: str, root: Path) -> Path:
    """Create ``root/<ident>.yaml`` from a template; ``ident`` like ``message/gmail/550-5.7.1-words``."""
    ident = ident.strip().lower().removeprefix("entries/").removesuffix(".yaml")
    parts = ident.split("/")
    kind = parts[0]
    if not all(re.fullmatch(r"[a-z0-9][a-z0-9.-]*", p) for p in parts):
        raise ValueError(f"'{ident}': use lowercase letters, digits, '.' and '-' only")
    if (kind, len(parts)) not in {("reply", 2), ("status", 2), ("message", 3)}:
        raise ValueError("give reply/<code>, status/x.<subject>.<detail> or message/<provider>/<name>")
    path = root / f"{ident}.yaml"
    if path.exists():
        raise ValueError(f"{path} exists already")
    up = "../" * (len(parts) - 1 + 1)
    head = f"# yaml-language-server: $schema={up}smtpguide/schema/entry.schema.json\n"
    name = parts[-1]
    m = re.match(r"^(?:([245]\d\d)-)?(?:([245]\.\d{1,3}\.\d{1,3})-)?", name)
    body = ""
    if kind == "reply":
        body += f'reply_code: "{name}"\n'
    elif kind == "status":
        body += f"enhanced_code: {name.upper()}\nregistry_title: TODO the IANA registry's title\n"
    else:
        if m and m.group(1):
            body += f'reply_code: "{m.group(1)}"\n'
        if m and m.group(2):
            body += f"enhanced_code: {m.group(2)}\n"
    title = " ".join(x for x in (m.group(1) if m else None, m.group(2) if m else None) if x)
    body += _COMMON.format(title=(title + " TODO short title").strip(), today=datetime.date.today().isoformat())
    if kind == "message":
        body += ("patterns:\n  - TODO a distinctive lowercase phrase of the server text (* for variable parts)\n"
                 "examples:\n  - TODO the full server reply, redacted (user@example.com, example.net, 192.0.2.1)\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + body, encoding="utf-8")
    return path
