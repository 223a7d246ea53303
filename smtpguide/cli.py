"""The ``smtpguide`` command line: lookup, classify, export, validate, new."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

SITE = "https://smtpguide.github.io/smtpguide/"
REPORT = "https://github.com/smtpguide/smtpguide/issues/new?template=new-message.yml"


def _lookup(args: argparse.Namespace) -> int:
    import smtpguide
    from smtpguide import vocab

    text = " ".join(args.text) if args.text else sys.stdin.read()
    r = smtpguide.lookup(text)
    if args.json:
        d = r.to_dict()
        d["matches"] = [{"entry": m.entry.id, "score": m.score, "why": m.why} for m in r.matches]
        print(json.dumps(d, indent=2, ensure_ascii=False))
        return 0 if r.best else 1
    e = r.best
    if e is None:
        print("No entry explains this text yet.")
        print(f"Please report it (redacted) so it can be added: {REPORT}")
        return 1
    from smtpguide.site import entry_url

    wrap = _wrap
    print(e.title)
    print(wrap("meaning", e.summary))
    codes = " ".join(str(c) for c in (r.reply_code, r.enhanced_code) if c) or "none found"
    print(wrap("codes", codes + (f"  (provider: {r.provider})" if r.provider else "")))
    print(wrap("reason", f"{r.reason}: {vocab.reasons()[r.reason].meaning}"))
    verdict = "hard bounce: the address should not be retried" if r.hard_bounce else "soft: not a verdict on the address"
    print(wrap("verdict", verdict))
    if r.action:
        print(wrap("do", vocab.actions()[r.action].label))
    for role, steps in e.fixes:
        for i, step in enumerate(steps):
            print(wrap(role.replace("_", " ") if i == 0 else "", "- " + step))
    print(f"  {'more:':<17}{SITE}{entry_url(e)}")
    return 0


def _wrap(label: str, text: str) -> str:
    head = f"  {label + ':' if label else '':<17}"
    # continuation lines align with the text (after "- " for list items)
    return textwrap.fill(text, width=100, initial_indent=head, subsequent_indent=" " * (21 if text.startswith("- ") else 19))


def _classify(args: argparse.Namespace) -> int:
    import smtpguide

    out = sys.stdout
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    lookup = smtpguide.lookup
    flush = out.isatty()
    for line in sys.stdin:
        out.write(dumps(lookup(line.rstrip("\r\n")).to_dict()) + "\n")
        if flush:
            out.flush()
    return 0


def _export(args: argparse.Namespace) -> int:
    import smtpguide

    json.dump({"entries": [e.to_dict() for e in smtpguide.entries()],
               "providers": [p.to_dict() for p in smtpguide.providers()]},
              sys.stdout, ensure_ascii=False, indent=1 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from smtpguide import store
    from smtpguide.validate import check_folder, entries_root

    targets = [Path(p) for p in args.paths] or [store.checkout_entries() or Path("entries")]
    roots: dict[Path, list[Path]] = {}
    for t in targets:
        if not t.exists():
            print(f"{t}: no such file or folder", file=sys.stderr)
            return 2
        root = entries_root(t.resolve())
        if root is None:
            print(f"{t}: not inside an 'entries' folder", file=sys.stderr)
            return 2
        roots.setdefault(root, []).append(t.resolve())
    problems = []
    for root, paths in roots.items():
        for p in check_folder(root, Path.cwd()):
            full = (Path.cwd() / p.path).resolve()
            if any(full == t or t in full.parents for t in paths):
                problems.append(p)
    for p in problems:
        print(p.github() if args.format == "github" else p.text())
    n_err = len(problems)
    print(f"{n_err} problem(s)" if n_err else "all entries valid", file=sys.stderr)
    return 1 if n_err else 0


def _new(args: argparse.Namespace) -> int:
    from smtpguide.scaffold import scaffold

    try:
        path = scaffold(args.id, Path(args.root))
    except ValueError as e:
        print(f"smtpguide new: {e}", file=sys.stderr)
        return 2
    print(f"wrote {path}: fill in every TODO, then run `smtpguide validate {path}`")
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="smtpguide", description="Explain and classify SMTP replies and bounces.")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("lookup", help="explain one reply or bounce text (argument or stdin)")
    s.add_argument("text", nargs="*")
    s.add_argument("--json", action="store_true", help="print the result as JSON")
    s.set_defaults(fn=_lookup)
    s = sub.add_parser("classify", help="read one text per line on stdin, write one JSON object per line")
    s.set_defaults(fn=_classify)
    s = sub.add_parser("export", help='print {"entries": [...]} with every entry')
    s.add_argument("--pretty", action="store_true")
    s.set_defaults(fn=_export)
    s = sub.add_parser("validate", help="check entries; every problem at once")
    s.add_argument("paths", nargs="*")
    s.add_argument("--format", choices=["text", "github"], default="text")
    s.set_defaults(fn=_validate)
    s = sub.add_parser("new", help="scaffold an entry, e.g. message/gmail/550-5.7.1-example")
    s.add_argument("id")
    s.add_argument("--root", default="entries")
    s.set_defaults(fn=_new)
    args = p.parse_args(argv)
    try:
        return int(args.fn(args))
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
