"""Whether an input is a bundled manifest's series: by identity read from content (Message-IDs, sender, titles)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from email.utils import parseaddr
from pathlib import Path

from harness.model import Revision, Series
from harness.tomlfile import load_toml
from models.record import record


@record
class SeriesIdentity:
    """What names a series in its manifest and the rules beside it: ``named``, the Message-IDs of its revisions
    and of the replies its variants are built from, as the manifest names them; ``cited``, those its rules cite;
    ``authors``, the addresses its revisions are sent from; ``covers``, its cover letters' subjects; ``titles``,
    the patch titles (or parts) it names."""

    named: tuple[str, ...]
    cited: tuple[str, ...]
    authors: tuple[str, ...]
    covers: tuple[str, ...]
    titles: tuple[str, ...]


def _words(text: str) -> str:
    return " ".join(text.lower().split())


@functools.lru_cache(maxsize=16)
def _rules_keys(path: str, stamp: tuple[int, int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ``msgid`` and ``patch`` strings of a rules file's [[rule]] tables (``stamp``: its mtime and size, so a
    changed file is read again). Only read: the file is checked in full where it is judged with."""
    del stamp
    _, data = load_toml(Path(path))
    tables = data.get("rule", [])
    rules = [t for t in tables if isinstance(t, dict)] if isinstance(tables, list) else []
    return (tuple(t["msgid"] for t in rules if isinstance(t.get("msgid"), str) and t["msgid"].strip()),
            tuple(t["patch"] for t in rules if isinstance(t.get("patch"), str) and t["patch"].strip()))


def rules_keys(folder: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Message-IDs and patch titles the rules.toml in ``folder`` cites; none without one."""
    path = folder / "rules.toml"
    try:
        st = path.stat()
    except OSError:
        return (), ()
    return _rules_keys(str(path), (st.st_mtime_ns, st.st_size))


def _sender(rev: Revision, authors: Iterable[str]) -> str | None:
    """The one of ``authors`` most of the revision's messages (cover letter and patches) are from, else None: a
    patch of another's it carries (its in-body From:) does not make it another series."""
    want = {parseaddr(a)[1].lower() or a.strip().lower() for a in authors}  # "Name <addr>" or the address
    mails = ([rev.cover.mail] if rev.cover else []) + [p.mail for p in rev.patches]
    theirs = [m.author_email.lower() for m in mails if m.author_email.lower() in want]
    return max(theirs, key=theirs.count) if 2 * len(theirs) > len(mails) else None


def _carried(rev: Revision, titles: tuple[str, ...]) -> list[str]:
    """The ``titles`` some patch title of the revision holds (as a rule's ``patch`` finds its patch)."""
    have = [_words(p.mail.subject.title) for p in rev.patches]
    return [t for t in titles if any(_words(t) in h for h in have)]


def revision_reason(rev: Revision, ident: SeriesIdentity) -> str | None:
    """Why ``rev`` is a revision of the series none of whose messages the manifest knows (a later one): it is sent
    by one of the series' authors, and its cover letter has a subject the manifest names or its patches carry over
    most of the titles named. None otherwise; always None for a manifest naming no author."""
    who = _sender(rev, ident.authors) if ident.authors else None
    if who is None:
        return None
    carried = _carried(rev, ident.titles)
    if ident.titles and 2 * len(carried) > len(ident.titles):
        n = len(ident.titles)
        which = f"{len(carried)} of the {n} patch titles" if len(carried) < n else \
            "the patch title" if n == 1 else f"all {n} patch titles"
        return f"its v{rev.version} is sent by {who}, one of its authors, and carries {which} it names"
    cover = rev.cover.mail.subject.title if rev.cover is not None else None
    if cover is not None and _words(cover) in {_words(c) for c in ident.covers}:
        return f"its v{rev.version} is sent by {who}, one of its authors, under its cover letter subject '{cover}'"
    return None


def named_reason(series: Series, named: tuple[str, ...]) -> str | None:
    """Why the input is the series when it holds a message the manifest names (recognise's first reason); else None."""
    return _held_reason(series, named, "its manifest names")


def _held_reason(series: Series, ids: tuple[str, ...], says: str) -> str | None:
    held = next((m for m in ids if series.find_message(m) is not None), None)
    return None if held is None else f"{says} <{held}>"


def recognise(series: Series, ident: SeriesIdentity) -> str | None:
    """Why the input is the series: it holds a message the manifest or its rules cite, or a revision
    revision_reason accepts; None when neither (a title alone, another's series touching the same code, is not)."""
    why = named_reason(series, ident.named) or _held_reason(series, ident.cited, "its rules cite")
    if why is not None:
        return why
    return next((why for rev in series.revisions if (why := revision_reason(rev, ident)) is not None), None)
