"""Whether a created .c file built only with a CONFIG_ option is called from a .c file built without it.

``obj-$(CONFIG_X) += helpers.o`` takes helpers.c's functions as built, CONFIG_X taken as set (harness.linking,
harness.configonly.assumed_built). When another .c file of the state, which kbuild builds without CONFIG_X, calls
one of them (a helper moved out of an always-built file into one built only with an option), a kernel with CONFIG_X
unset builds the caller and not the callee: an undefined reference, the kernel does not link. A result resting on
that code says so, beside the option it takes as set (the words join the created file's UnitLink.why), unless
Kconfig sets CONFIG_X wherever the caller is built (a ``select``, not read here).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import replace

from harness.activeincludes import quoted_includes
from harness.filestate import FileState
from harness.linking import Link, UnitLink, _makefiles, _own_link
from models.loader import Source, definitions
from models.slicer import Kind

_OPTION = re.compile(r"\bCONFIG_\w+")


def with_callers(links: tuple[UnitLink, ...], state: Mapping[str, FileState], changed: set[str],
                 read: Callable[[str], FileState | None] | None) -> tuple[UnitLink, ...]:
    """``links`` with, for each created file LINKED only with CONFIG_ options, the first other .c file of ``state``
    (by path) that calls one of its functions not ``static`` and that kbuild builds without one of those options,
    said in its ``why`` ('; x/tdx.c, built without CONFIG_SEAM (x/Makefile:1 names tdx.o), calls seam_retry(): a
    kernel with it unset does not link, unless Kconfig sets it wherever x/tdx.c is built')."""
    out = []
    for u in links:
        if u.status is Link.LINKED and u.assumes and (said := _caller(u, state, changed, read)):
            u = replace(u, why=f"{u.why}; {said}")
        out.append(u)
    return tuple(out)


def _caller(u: UnitLink, state: Mapping[str, FileState], changed: set[str],
            read: Callable[[str], FileState | None] | None) -> str:
    f = state.get(u.path)
    if f is None or f.absent or not f.usable:
        return ""
    table = definitions((Source(u.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete),))
    names = sorted(n for n, ds in table.items() if any(
        d.kind is Kind.FUNCTION and "static" not in re.findall(r"\w+", d.text.split(n, 1)[0]) for d in ds))
    if not names:
        return ""
    calls = re.compile(rf"\b({'|'.join(map(re.escape, names))})\s*\(")
    needs = set(_OPTION.findall(u.assumes))
    for path, g in sorted(state.items()):
        if path == u.path or not path.endswith(".c") or g.absent or not g.usable:
            continue
        hit = _calls(g, calls) or next((c for h in _headers(path, g, state) if (c := _calls(h, calls))), "")
        if not hit:
            continue
        link = _own_link(path, _makefiles(posixpath.splitext(path)[0] + ".o", state, read), state, changed, read)
        lacks = sorted(needs - set(_OPTION.findall(link.assumes)))
        if link.status is Link.LINKED and lacks:
            words = " and ".join(lacks)
            return (f"{path}, built without {words} ({link.why}), calls {hit}(): a kernel with "
                    f"{'it' if len(lacks) == 1 else 'them'} unset does not link, unless Kconfig sets "
                    f"{'it' if len(lacks) == 1 else 'them'} wherever {path} is built")
    return ""


def _calls(f: FileState, calls: re.Pattern[str]) -> str:
    """The first of the names ``calls`` matches that a line of ``f`` calls, or ""."""
    return next((m.group(1) for t, _ in f.lines.values() if (m := calls.search(t)) is not None), "")


def _headers(path: str, f: FileState, state: Mapping[str, FileState]) -> list[FileState]:
    """The headers of ``state`` the .c file ``path`` includes with ``#include "..."`` (beside it), one level: a
    wrapper there (``static inline``) is compiled into ``path``'s object."""
    out = []
    for _, name, _ in quoted_includes(f):
        h = state.get(posixpath.normpath(posixpath.join(posixpath.dirname(path), name)))
        if h is not None and not h.absent and h.usable:
            out.append(h)
    return out
