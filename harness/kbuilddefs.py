"""The macros kbuild hands a variant's units on gcc's command line: -D/-U of ccflags-y, subdir-ccflags-y, CFLAGS_x.o.

kbuild compiles ``dir/x.c`` with ``$(KBUILD_CFLAGS) $(ccflags-y) $(CFLAGS_x.o)`` (scripts/Makefile.lib
``_c_flags``), where KBUILD_CFLAGS has gained the ``subdir-ccflags-y`` of each folder from the top down to ``dir``
(scripts/Makefile.build descends with it exported), and ccflags-y and CFLAGS_x.o are those of ``dir``'s own Kbuild
file (``Kbuild``, else ``Makefile``: scripts/Makefile.build ``kbuild-file``). gcc takes -D and -U in command-line
order, before the unit's first line (gcc manual, "Preprocessor Options"). The files are the variant's own where it
holds them whole, else the tree's (Variant.kbuild); the arch's Makefile and the top one are the build's own flags,
which the prelude models.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from functools import lru_cache

from harness.kbuildread import (
    PREPROCESSOR_FLAG,
    Flag,
    KbuildFile,
    Unread,
    folders_above,
    kbuild_path,
    malformed,
    read_kbuild,
)
from harness.tuorder import on_include_path, unit_order
from harness.variants import Variant
from models.conditional import DEFINED, NOT_DEFINED
from models.lazyre import lazy
from models.record import record
from models.splice import spliced_lines

COMMAND_LINE = "<command line>"  # the Source the mirror reads the applied macros from (gcc's own name for them)
_WORD = lazy(r"[A-Za-z_]\w*")


@record
class BuildDefines:
    """What the variant's units are built with: ``defines`` (name, body) the mirror applies to every file, in
    command-line order: every unit's, or where units differ, each macro as the units naming it have it (_merged);
    ``read`` the lines (path, line) read exactly whose every macro the code names, all applied; ``unread`` the lines
    of the units' Kbuild files not read; ``why`` what keeps a read line from being applied (units built with
    different macros one file may read, a line not read)."""

    defines: tuple[tuple[str, str], ...] = ()
    read: frozenset[tuple[str, int]] = frozenset()
    unread: tuple[Unread, ...] = ()
    why: str = ""
    units: tuple[tuple[str, str], ...] = ()  # (macro, the .c units built with it) of one not every unit has alike


NO_DEFINES = BuildDefines()


def build_defines(v: Variant) -> BuildDefines:
    """The command-line macros of the variant's units (see the module doc), worked out once per variant. Raises
    harness.errors.InputError (exit status 2) at a line handing a unit a flag gcc refuses (``-D9X``)."""
    return v.kept("build-defines", lambda: _build_defines(v))


def _files(v: Variant, units: list[str]) -> dict[str, KbuildFile]:
    tree = dict(v.kbuild)
    out: dict[str, KbuildFile] = {}
    for folder in {d for u in units for d in folders_above(posixpath.dirname(u))}:
        path = kbuild_path(folder, lambda p: p in tree or ((f := v.file(p)) is not None and not f.absent))
        held = v.file(path) if path is not None else None
        if path is None or (held is not None and held.absent):
            continue
        if held is not None and held.text is None:  # known from hunks: its flag lines are not read
            out[folder] = KbuildFile(path, (), tuple(
                Unread(path, fr.start + i, ln.strip(), "the file is known from the patches' hunks only (give --tree)")
                for fr in held.fragments() for i, ln in enumerate(fr.lines) if PREPROCESSOR_FLAG.search(ln)))
        elif (text := held.text if held is not None else tree.get(path)) and PREPROCESSOR_FLAG.search(text):
            out[folder] = read_kbuild(path, text)
    return out


def _unit(unit: str, files: dict[str, KbuildFile]) -> tuple[list[Flag], list[tuple[str, int]], list[Unread]]:
    """The -D/-U a unit is built with in order, the lines giving them, and the unread lines that may apply to it."""
    own = posixpath.dirname(unit)
    mine = ("ccflags-y", f"CFLAGS_{posixpath.basename(unit)[:-2]}.o")
    flags: list[Flag] = []
    lines: list[tuple[str, int]] = []
    unread: list[Unread] = []
    for folder in reversed(folders_above(own)):
        k = files.get(folder)
        if k is None:
            continue
        wanted = ("subdir-ccflags-y", *mine) if folder == own else ("subdir-ccflags-y",)
        unread += [u for u in k.unread if not u.variable or u.variable in wanted]
        for variable in wanted:
            value: list[Flag] = []
            for a in k.assignments:
                if a.variable == variable:
                    value = [*value, *a.flags] if a.op == "+=" else list(a.flags)
                    lines.append((a.path, a.line))
            flags += value
    return flags, lines, unread


def _build_defines(v: Variant) -> BuildDefines:
    # c_files is picked once per variant; _files looks each folder's Kbuild/Makefile up by path (a bisect), so no
    # stage walks the variant's files again for this (tests/harness/test_coverage_scale.py counts the walks).
    units = sorted(f.path for f in v.c_files if f.path.endswith(".c") and f.usable and not f.absent)
    files = _files(v, units) if units else {}
    if not files:
        return NO_DEFINES
    per = {u: _unit(u, files) for u in units}
    unread = tuple(dict.fromkeys(u for _, _, us in per.values() for u in us))
    malformed(unread)
    words = _code_words(v)
    nets: dict[str, tuple[tuple[str, str], ...]] = {}
    read: set[tuple[str, int]] = set()
    why = [f"'{u.text}' ({u.path}:{u.line}) is not read: {u.why}" for u in unread
           if not u.names or any(_matters(n, words) for n in u.names)]
    by_line = {(a.path, a.line): a for k in files.values() for a in k.assignments}
    for unit, (flags, lines, _) in per.items():
        net: dict[str, str] = {}
        for f in flags:
            if _reserved(f.name) and _matters(f.name, words):
                why.append(f"{unit} is built with -{'U' if f.undefine else 'D'}{f.name}, a macro the mirror's "
                           "prelude or configuration sets, which is not read")
            if f.undefine:
                net.pop(f.name, None)
            elif f.name in words:
                net[f.name] = f.body
        nets[unit] = tuple(net.items())
        read |= {(p, n) for p, first in lines if all(f.name in words for f in by_line[p, first].flags)
                 for n in range(first, max(first, by_line[p, first].last) + 1)}
    used = {ln for _, lines, _ in per.values() for ln in lines}
    read |= {(a.path, n) for k in files.values() for a in k.assignments if (a.path, a.line) not in used
             for n in range(a.line, max(a.line, a.last) + 1)}  # read, and handed to no unit of the variant
    merged, apart, only = _merged(v, nets) if len(set(nets.values())) > 1 else (next(iter(nets.values()), ()), "", ())
    if apart:
        why.append("the units are built with different macros: " + "; ".join(
            f"{u}: {' '.join(f'{n}={b}' for n, b in d) or 'none'}" for u, d in nets.items()) + f" ({apart})")
    if why:
        return BuildDefines((), frozenset(), unread, "; ".join(dict.fromkeys(why)))
    return BuildDefines(merged, frozenset(read), unread, units=only)


def _logical(lines: Sequence[str]) -> list[str]:
    """``lines`` as gcc reads them after phase 2 (C11 5.1.1.2p1): 'DEMO_\\' then 'TRIES' is one word
    (models.splice.spliced_lines)."""
    return [text for _, text in spliced_lines(list(enumerate(lines)))]


def _merged(v: Variant, nets: dict[str, tuple[tuple[str, str], ...]]
            ) -> tuple[tuple[tuple[str, str], ...], str, tuple[tuple[str, str], ...]]:
    """One command line for units whose macros differ, "" (or why there is none), and the units built with each macro
    not every unit has alike (BuildDefines.units): a macro every unit has alike, and each other one as the .c units
    naming it have it (alike), where no other file names it (but a header only units having it alike read, in the
    order gcc reads each unit: _readers), no file includes those units and none pastes tokens ('##'): a unit not
    naming a macro, nor reading a header that does, builds alike with or without it (gcc reads a -D only where the
    unit's text names it), so every unit is then built as kbuild builds it (scripts/Makefile.lib ``_c_flags``)."""
    maps = {u: dict(net) for u, net in nets.items()}
    names = list(dict.fromkeys(n for net in nets.values() for n, _ in net))
    words = {f.path: frozenset(w for fr in f.fragments() for ln in _logical(fr.lines) for w in _WORD().findall(ln))
             for f in v.c_files}
    heads = frozenset(w for h in v.headers.headers for _, lines in h.source().pieces for ln in _logical(lines)
                      for w in _WORD().findall(ln))
    included = {posixpath.basename(name) for f in v.c_files for bracket, name in f.includes.values() if bracket}
    # '##' (C17 6.10.3.3) spells a name no text holds: 'CAT(N_, X)' reads N_X
    pasting = [f.path for f in v.c_files if any("##" in ln for fr in f.fragments() for ln in fr.lines)] + (
        ["a <...> header"] if any("##" in ln for h in v.headers.headers for _, lines in h.source().pieces
                                  for ln in lines) else [])
    out: list[tuple[str, str]] = []
    units: list[tuple[str, str]] = []
    for name in names:
        values = {m.get(name) for m in maps.values()}
        if len(values) == 1:
            out.append((name, maps[next(iter(maps))][name]))
            continue
        headers = [p for p, w in words.items() if name in w and p not in maps]
        readers = _readers(v, headers, maps)
        other = [p for p in headers if p not in readers] + (["a <...> header"] if name in heads else [])
        if other:
            return (), f"{name} is named by {', '.join(other)}, which more than one unit may read", ()
        if pasting:
            return (), f"{', '.join(pasting)} pastes tokens, which may spell {name} without naming it", ()
        naming = [u for u in maps if name in words.get(u, ()) or any(u in readers[p] for p in headers)]
        if any(posixpath.basename(u) in included for u in naming):
            return (), f"a file includes {', '.join(naming)}, which names {name}", ()
        if len({maps[u].get(name) for u in naming}) > 1:
            read = f" or read {', '.join(readers)}, which names it" if readers else ""
            return (), f"{name} differs between {', '.join(naming)}, which name it{read}", ()
        if naming and (body := maps[naming[0]].get(name)) is not None:
            out.append((name, body))
            units.append((name, ", ".join(u for u in maps if maps[u].get(name) == body)))
    return tuple(out), "", tuple(units)


def _readers(v: Variant, headers: list[str], maps: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """The .c units reading each of ``headers`` (harness.tuorder.unit_order: the order gcc reads a unit, every file
    on the way known whole), for those some unit reads and whose every reader is known, none on the include path
    (an ``#include <...>`` of a header the variant lacks may read it: unit_order does not follow those); a header left
    out is said as one more than one unit may read (its code's macro would be a unit's it is not known to be)."""
    orders = {u: unit_order(v.files, u) for u in maps} if headers else {}
    if any(order is None for order in orders.values()):
        return {}
    found = {p: [u for u, order in orders.items() if order is not None and (p, 1) in order] for p in headers
             if not on_include_path(p)}  # a kernel header a unit may read through one the variant lacks
    return {p: units for p, units in found.items() if units}


def _reserved(name: str) -> bool:
    """A macro the prelude or the configuration the mirror models gives a meaning of its own (models.conditional)."""
    return name in DEFINED or name in NOT_DEFINED or name.startswith(("CONFIG_", "__")) or name in _prelude_words()


def _matters(name: str, words: frozenset[str]) -> bool:
    """Whether a macro changes what the mirror runs: the code names it, or the prelude or its configuration does."""
    return name in words or name in DEFINED or name in NOT_DEFINED or name in _prelude_words()


@lru_cache(maxsize=1)
def _prelude_words() -> frozenset[str]:
    from models.prelude import prelude_text

    return frozenset(_WORD().findall(prelude_text()))


def _code_words(v: Variant) -> frozenset[str]:
    """The names the variant's C names: its .c and .h files (what hunks show of them too) and the tree's headers."""
    texts: Iterable[str] = (ln for f in v.c_files for fr in f.fragments() for ln in fr.lines)
    heads = (ln for h in v.headers.headers for _, lines in h.source().pieces for ln in lines)
    return frozenset(w for text in (*texts, *heads) for w in _WORD().findall(text))
