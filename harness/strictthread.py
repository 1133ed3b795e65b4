"""Which messages of a fetched lore thread belong to the thread of the Message-ID asked for, as ``b4 am`` takes them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from models.lazyre import lazy
from models.record import record

# b4's DIFFSTAT_RE (b4/__init__.py): a diffstat's summary line, the mark of a cover letter or a patch.
DIFFSTAT = re.compile(r"^\s*\d+ file.*\d+ (insertion|deletion)", re.MULTILINE | re.IGNORECASE)
_ANGLED = lazy(r"<([^>]+)>")


@record
class Node:
    """One message of a thread as b4 threads it.

    ``refs`` are the ids in its In-Reply-To, then its References header (liblore get_strict_thread reads
    both); ``parent`` the first id of In-Reply-To; ``has_references`` whether a References header is there.
    ``reply``, ``revision``, ``counter`` and ``expected`` are what its subject says (b4 LoreSubject: a
    ``[PATCH]`` is 1 of 1); ``patchlike`` whether its body holds a diff or a diffstat.
    """

    msgid: str
    refs: tuple[str, ...]
    parent: str | None
    has_references: bool
    reply: bool
    revision: int
    counter: int
    expected: int
    patchlike: bool


def angled(header: str) -> tuple[str, ...]:
    """Every ``<id>`` of a header, as liblore reads In-Reply-To and References (``<([^>]+)>``)."""
    return tuple(_ANGLED().findall(header))


def thread_root(nodes: Sequence[Node], msgid: str) -> tuple[str, bool]:
    """Where b4 starts the thread of ``msgid`` and whether it cuts the parents off (b4 get_strict_thread):
    a v1 ``[PATCH]`` (1 of 1, with a diff or diffstat) that answers another message is taken without what it
    answers; a v1 patch N/M whose In-Reply-To is its cover letter (``[PATCH 0/M]``) is taken from that
    cover letter down, without the cover letter's parents (a series posted in reply to a discussion)."""
    by_id = {n.msgid: n for n in nodes}
    me = by_id.get(msgid)
    if me is None or me.reply or me.revision != 1 or not me.has_references:
        return msgid, False
    if me.counter == 1 and me.expected == 1:
        return msgid, me.patchlike
    cover = by_id.get(me.parent) if me.parent else None
    if cover is not None and cover.counter == 0:
        return cover.msgid, True
    return msgid, False


def strict_thread(nodes: Sequence[Node], msgid: str) -> list[int]:
    """Indexes (in ``nodes``' order) of the messages b4 keeps of a fetched thread for ``msgid``: those
    linked to it through In-Reply-To and References, up and down (liblore.utils.get_strict_thread, walked
    the same way: a message whose parent is absent joins through that parent's id only while it is still
    wanted), after thread_root. Empty when none is (the id is not in the thread, nothing refers to it)."""
    msgid, noparent = thread_root(nodes, msgid)
    # b4's map: in the order first read, a later copy of an id in its place (ingest keeps one copy anyway).
    index = {n.msgid: i for i, n in enumerate(nodes)}
    want: set[str] = {msgid}
    got: set[str] = set()
    seen: set[str] = set()
    ignore: set[str] = set()
    maybe: dict[str, set[str]] = {}
    while True:
        for cid in index:
            if cid in ignore:
                continue
            seen.add(cid)
            if cid in got:
                continue
            raw = [r for r in nodes[index[cid]].refs if r != cid]  # a self-reference is never a parent
            if noparent and cid == msgid:
                ignore, raw = set(raw), []
            refs = _link(cid, raw, ignore, got, want, maybe)
            if cid in want:
                got.add(cid)
                want.update(refs)
                want.discard(cid)
                for key in (cid, *refs):
                    want.update(maybe.pop(key, set()))
        # liblore keeps a wanted id it cut off (a parent of a v1 patch, seen before the cut) for ever: its loop
        # never ends (b4 0.16 hangs); such an id is never taken, so it is dropped here.
        want = {w for w in want if w in seen and w not in got and w not in ignore}
        if not want:
            return sorted(index[g] for g in got)


def _link(cid: str, raw: list[str], ignore: set[str], got: set[str], want: set[str],
          maybe: dict[str, set[str]]) -> set[str]:
    """The references of ``cid`` not yet taken; ``cid`` is wanted when one of them is taken or wanted, else
    remembered as a maybe under each (liblore's inner loop)."""
    refs: set[str] = set()
    for ref in dict.fromkeys(raw):
        if ref in ignore:
            continue
        if ref in got or ref in want:
            want.add(cid)
        elif ref:
            refs.add(ref)
            if cid not in want:
                maybe.setdefault(ref, set()).add(cid)
    return refs
