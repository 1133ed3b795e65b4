"""What a variant's code takes from the mirror, not its own files: the prelude's constants, every CONFIG_ option set."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from harness.coverage import NO_TREE
from harness.kconfigbranch import _differing, _header_says, _options_around
from harness.memo import by_identity
from harness.prfmt import assumed_pr_fmt
from harness.runner import MatrixResult, variant_sources
from models.closure import closure
from models.errnos import ERRNO
from models.loader import definitions
from models.prelude import KERNEL_CONSTANTS
from models.slicer import blank_comments
from models.tdxerrno import HEADER as ERRNO_HEADER
from models.tdxerrno import TDX_ERRNO
from models.wordfind import BOUNDARY, has_name

if TYPE_CHECKING:
    from harness.matrix import Matrix
    from harness.matrixresult import Lane
    from harness.variants import Variant

# The mainline header each of the prelude's kernel constants mirrors, by prefix (models.prelude's _SEAM). The errno
# values are left out: uapi, the same in every tree.
_HEADERS = (("TDX_", "arch/x86/include/asm/tdx.h"), ("RDRAND_", "arch/x86/include/asm/archrandom.h"),
            ("X86_TRAP_", "arch/x86/include/asm/trapnr.h"))
CONSTANTS = {name: next((h for prefix, h in _HEADERS if name.startswith(prefix)), "kernel headers")
             for name in KERNEL_CONSTANTS - ERRNO.keys()} | dict.fromkeys((n for n, _ in TDX_ERRNO), ERRNO_HEADER)


def assumed_constants(v: Variant, entries: Iterable[str]) -> tuple[str, ...]:
    """What the code these entry points reach in a variant reads of the prelude's kernel constants (CONSTANTS)
    because none of its files (nor, with a tree, its headers) defines them: one line per mainline header, its
    constants named, said after the reports' "assumed: ". Only the names that code itself spells: a constant the
    prelude's own definition of another uses (TDX_SW_ERROR in TDX_SEAMCALL_VMFAILINVALID) comes with that one."""
    used = closure(definitions(variant_sources(v)), sorted(set(entries)))
    defined = {d.name for d in used}
    read = {n for d in used for n in d.names_used() if n in CONSTANTS and n not in defined}
    by_header: dict[str, list[str]] = {}
    for name in sorted(read):
        by_header.setdefault(CONSTANTS[name], []).append(name)
    # Without a tree, the user's own values are one --tree away; a tree that lacks them cannot say more.
    where, hint = ("the variant's files", "; give --tree for the tree's values") if v.base == NO_TREE else \
        ("the variant's files or the tree's headers", "")
    return tuple(f"{', '.join(names)} {'is' if len(names) == 1 else 'are'} not defined in {where}: "
                 f"the prelude's copy of mainline's {header} is used{hint}" for header, names in by_header.items())


def _units(matrix: Matrix) -> tuple[str, ...]:
    """The paths of the matrix's units, in the order its scenarios first name them: once per matrix, not per variant
    (the scale case's 640 variants read its 10,000 scenarios each, 6.4 million steps)."""
    return by_identity("matrix units", (matrix,), (),
                       lambda: tuple(dict.fromkeys(s.unit.path for s in matrix.scenarios)))


def variant_assumptions(result: MatrixResult, v: Variant) -> tuple[str, ...]:
    """What a variant's runs assume rather than read from its files: the pr_fmt of a unit where an entry point of it
    ran (harness.prfmt.assumed_pr_fmt: a pr_fmt nothing printed with is assumed of nothing), then the kernel
    constants that code read from the prelude (assumed_constants). What the eval's report and the gate say."""
    numbered = [(n, lane) for n, lane in enumerate(result.lanes) if result.code_group(v.name, n) >= 0]
    lanes = [lane for _, lane in numbered]
    unit_of = {n: result.matrix.scenarios[lane.positions[0]].unit.path for n, lane in numbered}
    ran = set(unit_of.values())
    pr_fmt = tuple(a[1] for path in _units(result.matrix) if path in ran and (a := assumed_pr_fmt(v, path)) is not None
                   and not _printed_elsewhere(result, v, path, [(n, ln) for n, ln in numbered if unit_of[n] == path]))
    entries = [lane.entry for lane in lanes]
    return pr_fmt + assumed_constants(v, entries) + assumed_options(v, entries)


def variant_untested(result: MatrixResult, v: Variant) -> tuple[str, ...]:
    """What of a variant's code the matrix leaves untested (harness.retrycounts: a retry loop on an answer no script
    gives first, a bound no script reaches or the code does not fix), said as untested, not as an assumption: the
    runs assumed nothing there, they never went that way; a bound not read is said with where the runs stopped,
    harness.unreadbounds), then each static key a script turns on or off that no code its runs reach names
    (harness.unreadkeys), then each function reaching a SEAMCALL that no run reaches and the matrix cannot
    feed (harness.unfeduntested)."""
    from harness.unfeduntested import unfed_untested
    from harness.unreadbounds import said
    from harness.unreadkeys import unread_keys

    own = tuple(note for name, note in result.matrix.notes if name == v.name)
    return own + said(result, v) + unread_keys(result, v) + unfed_untested(result, v)


def _printed_elsewhere(result: MatrixResult, v: Variant, path: str, lanes: list[tuple[int, Lane]]) -> bool:
    """Whether the runs of these lanes (one unit's) printed, and every line they printed came from a call in
    another .c file, which prints with that file's own pr_fmt, not the unit's (a function the matrix places in a
    unit the series does not have, defined in tdx.c): the unit's assumed pr_fmt then shaped no line. A line of
    unknown source, or of a header's call (it prints with the unit's pr_fmt), keeps the assumption said."""
    printed = False
    for n, lane in lanes:
        sources = result.log_sources(result.code_group(v.name, n))
        for i, position in enumerate(lane.positions):
            if not result.at(v.name, position).log:
                continue
            printed = True
            sites = sources.of_run(i)
            if not sites or any(x is None or not x.site.split(":", 1)[0].endswith(".c")
                                or x.site.split(":", 1)[0] == path for x in sites):
                return False
    return printed


# The word size is no choice: the mirror is x86-64 (harness.configonly says the same).
_WORD_SIZE = frozenset({"CONFIG_X86_64", "CONFIG_64BIT", "CONFIG_X86_32", "CONFIG_32BIT"})


def assumed_options(v: Variant, entries: Iterable[str]) -> tuple[str, ...]:
    """The CONFIG_ options the code these entry points reach in a variant rests on, as the mirror took them (set):
    one line per option whose ``#if``/``#ifdef``/``#ifndef`` (or a C ``IS_ENABLED()``) decides a line of a reached
    definition differently with it unset, naming the first such test and the definition, said after the reports'
    "assumed: " ('CONFIG_Q is taken as set, as the mirror builds every CONFIG_ option: #ifdef CONFIG_Q (x/a.c:3)
    decides what f() runs, and a kernel built without it runs other code'). A difference or a "no behaviour change"
    of that code holds for such a kernel alone."""
    sources = variant_sources(v)
    used = closure(definitions(sources), sorted(set(entries)))
    spans: dict[str, list[tuple[str, range]]] = {}
    for d in used:
        spans.setdefault(d.path, []).append((d.name, range(d.line, d.line + d.text.count("\n") + 1)))
    found: dict[str, str] = {}
    where: dict[str, str] = {}
    for s in sources:
        for start, piece in s.pieces if s.path in spans and "CONFIG_" in "".join(p for _, ls in s.pieces for p in ls) \
                else ():
            lines = blank_comments(list(piece))
            around = _options_around(s.path, piece, start)
            tested = {o for _, r in spans[s.path] for n in r for o in around.get(n, ())} - _WORD_SIZE - found.keys()
            for option in sorted(tested):
                other: set[int] = set()
                places = _differing(s.path, piece, frozenset({option}), start, other)
                hit = next(((name, places[n]) for name, r in spans[s.path] if _chosen(name, r, places, other, lines,
                                                                                      start)
                            for n in r if n in places), None)
                if hit is not None:
                    found[option] = f"{hit[1][0]} decides what {hit[0]}() runs"
                    where[option] = s.path
    # One the tree's Kconfig lets no x86-64 build set is not taken: the code resting on it did not run (kconfigbranch).
    refused = {o for _, why in v.headers.misread for o in re.findall(r"\bCONFIG_\w+", why)}
    found = {o: why for o, why in found.items() if o not in refused and not _header_defines(v, where[o], o)}
    hint = "; give --tree to read the tree's Kconfig" if v.base == NO_TREE else ""
    return tuple(f"{o} is taken as set, as the mirror builds every CONFIG_ option: {why}, and a kernel built without "
                 f"it runs other code{hint}" for o, why in sorted(found.items()))


def _header_defines(v: Variant, path: str, option: str) -> bool:
    """Whether a header ``path`` includes (of the variant's files or the tree's) defines ``option`` in every build
    (harness.kconfigbranch._header_says): gcc builds with it whatever the .config, as the mirror does."""
    files = {f.path: f for f in (*v.headers.read, *(h.state for h in v.headers.headers), *v.files)}
    return path in files and _header_says(path, files).get(option, (None, ""))[0] is True


def _chosen(name: str, span: range, places: dict[int, tuple[str, str]], other: set[int], lines: list[str],
            start: int) -> bool:
    """Whether the option chooses between two codes of ``name``: a line inside its definition is built one way and
    not the other (its head is not), or the definition is all in one branch and a line of the other (``other``: the
    lines only a kernel without the option builds) names it.
    A definition that only a kernel with the option has, with no other, is no choice: without the option no code
    runs it, and nothing is said of such a kernel."""
    if span[0] not in places:
        return any(n in places for n in span)
    return any(has_name(lines[n - start], name, BOUNDARY, BOUNDARY) for n in other if 0 <= n - start < len(lines))
