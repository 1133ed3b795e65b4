"""Object-like macros of the files that only give another name to one no file defines: read where they stand."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from harness.valuenames import Use
from models.loader import Source

# A macro's definition, then a replacement list of one identifier: '#define SC_PCPU_FLAG cache_state_incoherent'.
_ONE_NAME = re.compile(r"\s*#\s*define\s+[A-Za-z_]\w*[ \t]+([A-Za-z_]\w*)\s*")


def alias_targets(files: tuple[Source, ...], named: Callable[[str], bool]) -> dict[str, str]:
    """{macro: name} of each object-like macro of ``files`` whose every definition's replacement list is the one
    identifier ``name`` (through such macros in turn, 'SC_A' -> 'SC_B' -> name: cpp rescans each expansion, C11
    6.10.3.4), where ``named`` says no file nor the prelude defines ``name``. Wherever the macro stands, the
    preprocessor leaves that name (C11 6.10.3): a per-CPU primitive's name argument ('this_cpu_write(SC_PCPU_FLAG,
    1)') is that variable's as much as 'this_cpu_write(cache_state_incoherent, 1)' is; read as a value, it is the
    name read as a value. A cycle ('#define A B', '#define B A') is no alias. A replacement list may go on past a
    backslash-newline ('#define SC_PCPU_FLAG \\' then the name): gcc splices the lines before reading a token."""
    from models.loader import definitions
    from models.slicer import Kind
    from models.splice import spliced

    def head(text: str) -> re.Match[str] | None:  # its backslash-newlines removed first (C11 5.1.1.2p1, phase 2)
        joined = spliced(text)
        return _ONE_NAME.fullmatch(text if joined is None else joined.text)

    direct: dict[str, str] = {}
    for n, ds in definitions(files).items():
        heads = [head(d.text) if d.kind is Kind.MACRO and d.params is None else None for d in ds]
        names = {h.group(1) for h in heads if h is not None}
        if len(names) == 1 and None not in heads:
            direct[n] = names.pop()
    found = {}
    for n, target in direct.items():
        seen = {n}
        while target in direct and target not in seen:
            seen.add(target)
            target = direct[target]
        if target not in seen and not named(target):
            found[n] = target
    return found


def as_targets(found: Iterable[tuple[int, str, Use]], targets: Mapping[str, str], calls: bool
               ) -> list[tuple[int, str, Use]]:
    """``found`` (line, name, use: harness.valuenames.body_values) with each alias of ``targets`` in its name's
    place; one called ('SC_ALIAS(n)': the name it stands for called) kept a value where ``calls`` is False, as its
    replacement list read alone said before (harness.unknowncallees leaves calls out there)."""
    return [(at, targets[n], use if calls else Use.VALUE) if n in targets else (at, n, use) for at, n, use in found]
