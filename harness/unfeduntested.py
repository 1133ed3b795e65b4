"""Functions that reach a SEAMCALL that no run reaches and whose parameters the matrix cannot feed: untested code."""

from __future__ import annotations

from harness.matrixresult import MatrixResult
from harness.memo import by_identity
from harness.runner import variant_sources
from harness.variants import Variant
from models.slicer import Kind


def unfed_untested(result: MatrixResult, v: Variant) -> tuple[str, ...]:
    """Each function of the variant's own files that reaches a SEAMCALL, is no entry point, is reached by no entry
    point that ran, and has a parameter the matrix cannot feed (harness.discover.unfed: ``u64 *value``): said with
    where it is, as the reports' ``untested:``. Before, eval listed the entry points found and was silent of it:
    a reader took the SEAMCALL code listed for all of it."""
    from harness.discover import reaches_seam, unfed
    from models.closure import closure
    from models.loader import definitions

    table = definitions(variant_sources(v))
    seam = by_identity("reaches seam", (table,), (), lambda: frozenset(reaches_seam(table)))
    entries = {e.name for e in result.matrix.entries}
    ran = {s.entry.name for s, o in zip(result.matrix.scenarios, result.outcomes_of(v.name), strict=True) if o.ran}
    left = sorted(seam - entries)
    reached = {d.name for d in closure(table, sorted(ran))} if left else set()
    out = []
    for name in left:
        d = table[name][0]
        if name in reached or d.kind is not Kind.FUNCTION or v.file(d.path) is None:
            continue
        why = unfed(d, result.matrix)
        if why is not None:  # every parameter fed: an entry point of its own, or a head not read
            # Its file, not its line: a patch above it moves the line, and said once per line, one function's
            # note was four notes in an eval of four patches.
            out.append(f"{name}() ({d.path}) reaches a SEAMCALL, but no entry point that ran reaches it and {why}: "
                       "what it does never ran (a [params] feed or an [[entry]] runs it: docs/matrix.md)")
    return tuple(out)
