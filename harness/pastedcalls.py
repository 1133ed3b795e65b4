"""Parts of a variable's name handed to a callee no file read defines: a header's macro may paste them into it."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from harness.unknowncallees import _NO_MACRO, _known, _once, _prelude_callees
from models.lazyre import POUND, lazy
from models.loader import Source
from models.splice import spliced

_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")
# A ``#define`` with its continuation lines, and its name.
_DEFINE = lazy(rf"^[ \t]*{POUND}[ \t]*define[ \t]+(\w+)(?:[^\\\n]|\\[\s\S])*", re.M)
_HEAD = lazy(rf"[ \t]*{POUND}[ \t]*define[ \t]+")


def pasted_unknown(name: str, sources: tuple[Source, ...], got: tuple[Source, ...]) -> str | None:
    """Where a file of ``got`` (a tree's files read) hands a part of ``name`` to a function-like call of a callee that
    no file of ``sources`` or ``got`` defines nor the mirror's prelude does ('SC_POKE(busy)' for sc_busy_code), or to
    a macro of the files handing its parameter on to one ('#define SC_SET(w) SC_POKE(w)', then 'SC_SET(busy)'): a
    macro of a header not read may paste it into the name ('sc_##which##_code', C11 6.10.3.3: '##' joins the first
    or last token of an argument; an argument is expanded before it is substituted, 6.10.3.1), and that header, not
    spelling the name, is no file git grep lists. An argument whose first and last tokens are no part of the name
    ('SC_POKE(idle)', 'sc_trace(1)') cannot form it. None if none does."""
    from harness.memo import by_identity

    for path, line, callee, word, side in by_identity("pastedcalls.parts", (sources, got), (),
                                                       lambda: _edge_words(sources, got)):
        # A token alone may take pieces on both sides; an argument's first token only before it, its last after it.
        if (word in name) if side is _ALONE else name.endswith(word) if side is _FIRST else name.startswith(word):
            return (f"{path}:{line} hands {word} to {callee}(), which no file read defines: a macro of a header not "
                    f"read may paste it into {name}")
    return None


_ALONE, _FIRST, _LAST = "alone", "first", "last"


def _edges(arg: str) -> dict[int, tuple[str, str]]:
    """The first and last token of an argument where each is a word, by where it starts in ``arg``, with which it
    is (_ALONE where it is the argument's only token)."""
    if re.fullmatch(r"\s*\w+\s*", arg):
        one = re.search(r"\w+", arg)
        return {one.start(): (one.group(), _ALONE)} if one is not None else {}
    edges = ((re.match(r"\s*(\w+)", arg), _FIRST), (re.search(r"(\w+)\s*$", arg), _LAST))
    return {e.start(1): (e.group(1), side) for e, side in edges if e is not None}


def _edge_words(sources: tuple[Source, ...], got: tuple[Source, ...]
                ) -> tuple[tuple[str, int, str, str, str], ...]:
    """(path, line, callee, word, which: _edges) of the first and last token of each argument, where a word, of
    each call in ``got`` of a callee no file read defines nor the prelude does, or of a macro of the files relaying
    its parameter to one (_relays); in a ``#define`` of the files, its own parameters left out (comments and strings
    blanked)."""
    from harness.macroeffects import arguments
    from models.declnames import KEYWORDS
    from models.slicer import blank_comments, strings_blanked

    known, prelude = _known(sources, got), _prelude_callees()

    def unknown(c: str) -> bool:
        return c not in known and c not in prelude and c not in KEYWORDS and not _NO_MACRO.fullmatch(c)
    macros = _macros(sources, got)
    relays = _relays(macros, unknown)
    out: list[tuple[str, int, str, str, str]] = []
    for s in got:
        for start, lines in s.pieces:
            # Backslash-newlines removed first (C11 5.1.1.2p1 phase 2: 'SC_POKE(bu\' then 'sy)' hands busy), the
            # line breaks put back after each logical line, so that a line's number stays.
            raw = joined.text.split("\n") if (joined := spliced("\n".join(lines))) is not None else list(lines)
            text = strings_blanked("\n".join(blank_comments(raw)))
            defines = [(m.start(), m.end(), m.group(1)) for m in _DEFINE().finditer(text)] if "define" in text else []
            for m in _CALL.finditer(text):
                c = m.group(1)
                k = bisect_right(defines, (m.start(), len(text) + 1, "")) - 1
                within = defines[k] if k >= 0 and m.start() < defines[k][1] else None
                if not (unknown(c) or c in relays) or (within is not None and within[2] == c and _HEAD().fullmatch(
                        text, within[0], m.start()) is not None):  # the macro's own name and parameters
                    continue
                own = macros.get(within[2], ((), ""))[0] if within is not None else ()
                for arg, at in zip(*arguments(text, m.end()), strict=True):
                    out += [(s.path, start + text.count("\n", 0, at + k), c, w, side)
                            for k, (w, side) in sorted(_edges(arg).items()) if w not in own]
    return tuple(out)


def _macros(sources: tuple[Source, ...], got: tuple[Source, ...]) -> dict[str, tuple[tuple[str, ...], str]]:
    """Per function-like macro of the files, its parameters ('...' as __VA_ARGS__) and its replacement list."""
    from models.loader import definitions
    from models.slicer import Kind

    return {n: ((*(p.strip().rstrip(".") or "__VA_ARGS__" for p in ds[0].params), "__VA_ARGS__"),
                ds[0].text.split(")", 1)[1] if ")" in ds[0].text else "")
            for n, ds in definitions(_once(sources, got)).items() if ds[0].kind is Kind.MACRO and ds[0].params}


def _relays(macros: dict[str, tuple[tuple[str, ...], str]], unknown: Callable[[str], bool]) -> frozenset[str]:
    """The macros of ``macros`` handing a parameter on, as an argument's first or last token, to a callee
    ``unknown`` says no file read defines, or to another such macro (to a fixed point)."""
    from harness.macroeffects import arguments

    out: set[str] = set()
    grown = True
    while grown:
        grown = False
        for n, (params, body) in macros.items():
            if n not in out and any((unknown(m.group(1)) or m.group(1) in out) and any(
                    w in params for a in arguments(body, m.end())[0] for w, _ in _edges(a).values())
                    for m in _CALL.finditer(body)):
                out.add(n)
                grown = True
    return frozenset(out)
