"""Kernel constants a variant's code reads from the mirror's prelude (mainline's values), not from its own files."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from harness.coverage import NO_TREE
from harness.memo import by_identity
from harness.prfmt import assumed_pr_fmt
from harness.runner import MatrixResult, variant_sources
from models.closure import closure
from models.loader import definitions
from models.prelude import ERRNO, KERNEL_CONSTANTS
from models.tdxerrno import HEADER as ERRNO_HEADER
from models.tdxerrno import TDX_ERRNO

if TYPE_CHECKING:
    from harness.matrix import Matrix
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
    lanes = [lane for n, lane in enumerate(result.lanes) if result.code_group(v.name, n) >= 0]
    ran = {result.matrix.scenarios[lane.positions[0]].unit.path for lane in lanes}
    pr_fmt = tuple(a[1] for path in _units(result.matrix) if path in ran and (a := assumed_pr_fmt(v, path)) is not None)
    return pr_fmt + assumed_constants(v, (lane.entry for lane in lanes))
