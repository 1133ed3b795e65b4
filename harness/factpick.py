"""Which of an entry point's facts a summary shows: each change once before another example of one, every conversion."""

# A patch changing two conversions of one log line ('(0x%016llx) failed: 0x%016llx' made '(%llu) failed: %#016llx')
# makes a note per leaf for the first (each says its leaf's value printed) and a note per error code for the second:
# the commonest three were the first's, and the terminal said 'and 4 more' without naming the second's change at all.

from __future__ import annotations

import re
from collections import Counter

from harness.convnotes import ConversionNote
from harness.explain import trace_detail


def change_of(note: str) -> tuple[str, ...] | str:
    """What a note says changed, apart from the values it shows printed: for a conversion note (harness.convnotes)
    its argument, each side's conversion and each side's call site, which every note of that change shares whatever
    value it printed; any other note is its own change."""
    if isinstance(note, ConversionNote):
        c = note.change
        return c.argument, c.before, c.after, c.site_before, c.site_after
    return note


def picked(counts: Counter[str], limit: int, every: bool = True) -> tuple[list[str], int]:
    """The notes a summary shows of ``counts`` (each note -> how many differing scenarios hold it), commonest first,
    what the code does before the event trace's detail (harness.explain.trace_detail), and how many it leaves out.

    Up to ``limit``: one note of each change (change_of) before a second of any, then the commonest left. With
    ``every``, each conversion a log line changed is named even past ``limit``, so that an 'and N more' never hides
    a field of a line whose conversion changed (one example of it each), and each kind of other log change (log_kind:
    a line only before, only after, at another level...): a line the kernel no longer prints, or prints now, was
    under 'and N more' while a second SEAMCALL count was shown."""
    # (of all of them: a trace detail every leaf shares, 'event 19 differs first', outnumbers the SEAMCALL counts it
    # follows from, said per component, and took a one-fact headline's place)
    ordered = [n for n, _ in sorted(counts.most_common(), key=lambda nc: trace_detail(nc[0]))]
    firsts: dict[tuple[str, ...] | str, str] = {}
    for n in ordered:
        firsts.setdefault(change_of(n), n)
    shown = set(list(firsts.values())[:limit])
    for n in ordered:
        if len(shown) >= limit:
            break
        shown.add(n)
    if every:
        shown.update(n for n in firsts.values() if isinstance(n, ConversionNote))
        kinds = {log_kind(n) for n in shown}
        for n in ordered:  # the commonest of each kind of log change none shown is of
            if (kind := log_kind(n)) is not None and kind not in kinds:
                kinds.add(kind)
                shown.add(n)
    return [n for n in ordered if n in shown], len(ordered) - len(shown)


_LOG_KIND = re.compile(r"log: [^:'\d]*")  # its words before the line, text or number it names


def log_kind(note: str) -> str | None:
    """The kind of log change a note other than a conversion's says ('log: line only before', 'log: level ',
    'log: text added '), or None: a conversion note (each of its changes is named by change_of) or not of the log."""
    found = None if isinstance(note, ConversionNote) else _LOG_KIND.match(note)
    return None if found is None else found.group()
