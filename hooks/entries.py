"""MkDocs hook: the site's pages and exports generated from entries/ by ``smtpguide.site``.

Thin on purpose: all rendering is in ``smtpguide`` (pure, unit-tested). Entries are re-read on
every build (``store.reset()``), so ``mkdocs serve`` picks up edited YAML (``watch: [entries, smtpguide]``).
"""

from __future__ import annotations

from mkdocs.structure.files import File, Files

from smtpguide import site, store


def on_config(config):
    store.reset()
    return config


def on_pre_build(config):
    store.reset()


def on_files(files: Files, config) -> Files:
    index = store.index()
    gen = site.generate(list(index.entries.values()), list(index.providers.values()))
    for f in list(files):
        # Hand-written pages live in docs/: point the edit button there.
        if f.is_documentation_page() and not f.generated_by:
            f.edit_uri = f"docs/{f.src_uri}"
    for src, content in [*gen.pages.items(), *gen.static.items()]:
        if files.get_file_from_path(src) is not None:
            raise ValueError(f"generated page {src} collides with a file in docs/")
        f = File.generated(config, src, content=content)
        if src in gen.edit:
            f.edit_uri = gen.edit[src]
        files.append(f)
    return files
