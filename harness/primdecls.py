"""A kernel function the mirror models, declared by the tree's headers (or the state's own) with another parameter list.

The mirror runs a kernel function such as kvrealloc() by one kernel's signature, the one its native header
(models/native/sh_native.h) spells: kvrealloc(p, size, flags), 6.12's. A tree whose include/linux/slab.h declares the
older kvrealloc(p, oldsize, newsize, flags) builds no three-argument call (gcc: too few arguments), so a run of one is
no run of that tree's code. The declaration gcc reads decides: where one the state's units include (or one of the
state's own headers) takes another number of parameters than the mirror's, the name is refused at its calls, naming
both places (models.cload puts it among the dropped names). ``#define kvrealloc(...)
alloc_hooks(kvrealloc_noprof(__VA_ARGS__))`` is the function it forwards to. Parameter counts only: the types are not
compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from harness.filestate import FileState
from harness.sysheaders import BaseReader, Lookup, resolve_header, system_includes
from models.brackets import closing_paren
from models.loader import Source, definitions, prototypes
from models.primnames import PRIMITIVE_NAMES
from models.slicer import Definition, Kind, split_top_level

_NATIVE = Path(__file__).resolve().parent.parent / "models" / "native" / "sh_native.h"
_NATIVE_SHOWN = "models/native/sh_native.h"
_DEFINE = re.compile(r"#define\s+([a-z]\w*)\(([^)]*)\)")
_FORWARD = re.compile(r"\b([A-Za-z_]\w*)\s*\(\s*__VA_ARGS__\s*\)")


@lru_cache(maxsize=1)
def mirror_forms() -> dict[str, tuple[int, str, str]]:
    """name -> (parameters, where, as spelt) of each kernel function the mirror models with a fixed parameter list in
    its native header: ``kvrealloc`` -> (3, "models/native/sh_native.h:39", "kvrealloc(p, size, flags)")."""
    out: dict[str, tuple[int, str, str]] = {}
    for n, line in enumerate(_NATIVE.read_text().splitlines(), start=1):
        m = _DEFINE.match(line)
        if m is None or m.group(1) not in PRIMITIVE_NAMES or "..." in m.group(2):
            continue
        params = [p.strip() for p in m.group(2).split(",") if p.strip()]
        out.setdefault(m.group(1), (len(params), f"{_NATIVE_SHOWN}:{n}", f"{m.group(1)}({', '.join(params)})"))
    return out


def _parameters(d: Definition) -> tuple[int, str] | None:
    """(how many parameters, the list as written) of a prototype's or definition's head; None for one not read or
    variadic (any count builds)."""
    at = re.search(rf"\b{re.escape(d.name)}\s*\(", d.text)
    if at is None:
        return None
    end = closing_paren(d.text, at.end() - 1)
    if end is None or end < 0:
        return None
    inner = " ".join(d.text[at.end():end].split())
    parts = [p.strip() for p in split_top_level(inner, ",") if p.strip()]
    if "..." in parts:
        return None
    return (0 if parts in ([], ["void"]) else len(parts)), inner


def _declared(table: dict[str, list[Definition]], name: str, depth: int = 0) -> tuple[int, str, str] | None:
    """(parameters, where, as written) of ``name``'s declaration in one file's table: a prototype, a definition, a
    function-like macro, or a variadic macro forwarding its arguments to a function declared there."""
    for d in table.get(name, []):
        if d.kind in (Kind.PROTOTYPE, Kind.FUNCTION) and (got := _parameters(d)) is not None:
            return got[0], d.where, f"{name}({got[1]})"
        if d.kind is Kind.MACRO and d.params is not None:
            if "..." not in d.params:
                return len(d.params), d.where, f"{name}({', '.join(d.params)})"
            forward = _FORWARD.search(d.text.partition(")")[2])
            if forward is not None and depth < 2 and forward.group(1) != name:
                return _declared(table, forward.group(1), depth + 1)
    return None


def disagreements(headers: Iterable[FileState], called: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """(name, why) of each kernel function the mirror models and the code calls whose declaration in ``headers``
    (the first that has one, in order) takes another number of parameters than the mirror's: refused at its calls."""
    forms = mirror_forms()
    left = sorted(n for n in set(called) if n in forms)
    out: dict[str, str] = {}
    for f in headers:
        if not left or not f.complete or not f.usable or f.absent or not f.text:
            continue
        text = f.text
        names = [n for n in left if n in text]
        if not names:
            continue
        src = (Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), True),)
        table = dict(definitions(src))
        for d in prototypes(src):  # a name only declared is in no table (models.loader.prototypes)
            table[d.name] = [d, *table.get(d.name, [])]
        for name in names:
            got = _declared(table, name)
            if got is None:
                continue
            left.remove(name)
            count, where, spelt = got
            mine, at, own = forms[name]
            if count != mine:
                out[name] = (f"{where} declares {spelt}, {count} parameter{'s' if count != 1 else ''}; the mirror "
                             f"runs {own} ({at}), {mine}: the tree's declaration is the one gcc builds the code "
                             f"with, and its {name}() is not modelled")
    return tuple(sorted(out.items()))


def checked_headers(files: dict[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                    lookup: Lookup) -> Lookup:
    """``lookup`` with the state's calls refused (Lookup.refused) of kernel functions the mirror models whose
    declaration gcc reads takes another number of parameters (disagreements): in the state's own headers, the
    tree's headers its files include themselves (``#include <linux/slab.h>``), then those read for other names."""
    own = [f for f in files.values() if f.path.endswith((".c", ".h")) and f.usable and not f.absent]
    table = definitions(tuple(Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete)
                              for f in own))
    called = set().union(*(d.identifiers() for ds in table.values() for d in ds)) & mirror_forms().keys()
    if not called:
        return lookup
    direct: list[FileState] = []
    for f in sorted(own, key=lambda f: f.path):
        for _, written in system_includes(f):
            got = resolve_header(written, base, read, files)[0]
            if got is not None and got not in direct:
                direct.append(got)
    headers = [f for f in own if f.path.endswith(".h")] + direct + list(lookup.read)
    refused = disagreements(headers, called)
    return replace(lookup, refused=refused) if refused else lookup
