"""Where a variant's patches change a function no entry point reaches: the line eval names under the patch."""

from __future__ import annotations

from harness.comparison import Place, Reach
from harness.patchplace import state_name
from harness.reach import unreached_change_places
from harness.runner import variant_sources
from harness.variants import Variant
from harness.verdict import CheckContext
from models.loader import definitions
from models.slicer import Kind


def changed_place(fn: str, v: Variant, ctx: CheckContext) -> tuple[Place, str] | None:
    """The place where the last patch of ``v`` that changes ``fn()`` outside everything the entry points reach
    changes it ('sc_retry() (path:24)', harness.reach), with that patch and what it does ('v2 02/2 changes', 'v2
    01/2 adds'): eval's finding of the patch
    says that place under "not compared", so a rule that cannot read the function points at the same line, not at
    its definition. None for a variant that is no state of a revision (a reviewer's proposal), or where no patch of
    it changes the function (or the states around the patch were not built)."""
    if v.revision is None or v.start is not None:
        return None
    return ctx.once(("idle-change", fn, v.name), lambda: _last_change(fn, v, ctx))


def _last_change(fn: str, v: Variant, ctx: CheckContext) -> tuple[Place, str] | None:
    rev = ctx.series.revision(v.revision or 0)
    if rev is None:
        return None
    owner = f"{fn}()"
    for patch in reversed(rev.between(-1, v.prefix if v.prefix is not None else rev.total)):
        if not any(f.path.endswith((".c", ".h")) for f in patch.files):
            continue
        names = (state_name(ctx.series, rev.version, patch.number), state_name(ctx.series, rev.version,
                                                                              patch.number + 1))
        before, after = (ctx.variant(n) if n is not None else None for n in names)
        if before is None or after is None:
            return None
        place = next((p for p in unreached_change_places(patch, (before, after), ctx.result) if p.owner == owner),
                     None)
        if place is not None:
            new = not any(d.kind is Kind.FUNCTION for d in definitions(variant_sources(before)).get(fn, []))
            return place, f"v{rev.version} {patch.label} {'adds' if new else 'changes'}"
    return None


def lift_hint(v: Variant, path: str, reach: Reach = Reach.NONE) -> str:
    """What would let a check read a function no entry point reaches, defined in ``path``: an entry point that
    calls it, or first --tree where the file is known only from the hunks (its callers may be in lines not read)."""
    partial = any(src.path == path and not src.complete for src in variant_sources(v))
    if partial or reach is not Reach.NONE:
        return "give --tree (who calls it is not in what the mail shows), or the matrix an entry point that calls it"
    return "give the matrix an entry point that calls it (docs/matrix.md)"
