"""Whether a no_new_calls rule's calls are the reference's own: as many as before may still hold a new one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from harness.runner import variant_sources
from harness.variants import Variant
from models.facts import CodeFacts
from models.lazyre import lazy
from models.loader import definitions
from models.slicer import Definition, Kind

_SPACE = lazy(r" ?([^\w ]) ?")


def _calls(text: str, names: frozenset[str]) -> Iterable[tuple[str, int]]:
    """Each call of one of ``names`` in ``text``: the call, spacing collapsed, and its offset."""
    for m in re.finditer(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\s*\(", text):
        depth, end = 0, m.end() - 1
        for end in range(m.end() - 1, len(text)):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
        # Spacing between tokens aside: 'unlikely( !fn )' is 'unlikely(!fn)'.
        yield _SPACE().sub(r"\1", " ".join(text[m.start():end + 1].split())), m.start()


def _with_macros(names: frozenset[str], table: dict[str, list[Definition]]) -> frozenset[str]:
    """``names`` and the code's function-like macros that come down to a call of one ('#define sc_rarely(x)
    unlikely(x)'): the text of a function shows the macro's name, not the call it makes."""
    macros = {n: d.text for n, ds in table.items() for d in ds[:1] if d.kind is Kind.MACRO and d.params is not None}
    while True:
        more = frozenset(n for n, text in macros.items() if n not in names and any(_calls(text, names)))
        if not more:
            return names
        names |= more


def _sites(v: Variant, facts: CodeFacts, fn: str, names: frozenset[str]) -> list[tuple[str, str, str]]:
    """(call, function, file:line) of each call of ``names`` in ``fn`` and what it reaches, as its text has it."""
    found = []
    table = definitions(variant_sources(v))
    names = _with_macros(names, table)
    for f in facts.reach(fn):
        d = next((d for d in table.get(f, []) if d.kind is Kind.FUNCTION and d.where == facts.where.get(f)), None)
        if d is None:
            continue  # what it does not read, _unread says
        for call, at in _calls(d.text, names):
            found.append((call, f, f"{d.path}:{d.line + d.text[:at].count(chr(10))}"))
    return found


def new_call_sites(names: frozenset[str], v: Variant, facts: CodeFacts, fn: str, ref_v: Variant, ref: CodeFacts,
                   was: str) -> str | None:
    """Why a count no higher than the reference's does not show that no call is new, or None: a call of the listed
    names (as written, spacing aside) that the reference's function and what it reaches do not make, while one they
    make is gone ('if (unlikely(!fn))' made 'if (!fn)' and 'while (unlikely(status == X))' added: as many calls,
    one of them new). A local or argument renamed on the way reads as such a call too: said, never a pass."""
    mine, theirs = _sites(v, facts, fn, names), _sites(ref_v, ref, was, names)
    extra = Counter(c for c, _, _ in mine) - Counter(c for c, _, _ in theirs)
    if not extra:
        return None
    call, f, where = next(s for s in mine if s[0] in extra)
    gone = sorted((Counter(c for c, _, _ in theirs) - Counter(c for c, _, _ in mine)).elements())
    return (f"{v.name} makes no more of these calls than {ref_v.name}, but {call} in {f}() ({where}) is not one of "
            f"{ref_v.name}'s" + (f" ({ref_v.name} has {', '.join(gone)}, which {v.name} does not)" if gone else "")
            + ": a new call in place of one removed, or the same call reworded, is not told apart")
