"""Why a lane's code does not run in a state: no unit to build it in, a build that stops, code no build links."""

from __future__ import annotations

from harness.kconfigbranch import misread_problems
from harness.linkproblems import BUILD_ERROR, build_break, link_problems, unit_problem
from harness.matrix import EntryKind, Matrix
from harness.matrixresult import Lane
from harness.rununits import hidden_from, private_elsewhere, unit_absent
from harness.variants import Variant
from harness.weakdefs import weak_problems
from models.loader import EntryPoint, Source, definitions
from models.outcome import ErrorKind, Outcome, OutcomeStatus


def unbuilt_entries(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]
                    ) -> dict[str, tuple[ErrorKind, str]]:
    """The entry points of ``v`` whose code no kernel build links as the mirror runs it, with why."""
    unbuilt = link_problems(v, sources, entries)  # code in a created .c file no Makefile builds, or may not
    # Code reaching a weak default of the state that the tree overrides: ld links the other one.
    unbuilt = {**weak_problems(v, sources, entries), **unbuilt}
    # Code the mirror would build with a CONFIG_ option the tree's x86-64 builds cannot set.
    return {**misread_problems(v, sources, entries), **unbuilt}


def unincluded_entries(sources: tuple[Source, ...], matrix: Matrix) -> dict[str, tuple[ErrorKind, str]]:
    """The entry points, found in the code (harness.discover) or the matrix's own, defined, in this state, in a header
    no unit includes (Matrix.unincluded: header, how it is known; harness.headerunits): no build compiles their code,
    so nothing is claimed of it (ErrorKind.UNSUPPORTED), with why. (Before, the matrix's own ran in the .c files it
    places them in, which do not see the header: a pass on code gcc never builds.) One the matrix places in units the
    state does not hold whole runs as it says (_in_files)."""
    if not matrix.unincluded:
        return {}
    how = dict(matrix.unincluded)
    table = definitions(sources)
    held = frozenset(s.path for s in sources if s.complete and s.only is None)
    out: dict[str, tuple[ErrorKind, str]] = {}
    for e in matrix.entries:
        home = next((d.path for d in table.get(e.name, [])[:1]), None)
        if home in how and (e.kind in (EntryKind.DISCOVERED, EntryKind.CHANGED) or _in_files(e.units, matrix, held)):
            out[e.name] = (ErrorKind.UNSUPPORTED, f"not run: no unit includes {home}, where {e.name}() is defined "
                           f"({how[home]}): no build compiles it")
    return out


def _in_files(units: tuple[str, ...], matrix: Matrix, held: frozenset[str]) -> bool:
    """Whether the matrix places its own entry point in .c files this state holds whole (the bundled matrix's tdx.c,
    from a tree), which do not include the header: their builds never see it. A unit the state does not hold (from
    mail alone), or of the user's own naming (no file), runs the code as the matrix says."""
    paths = {u.name: u.path for u in matrix.units}
    return all(paths.get(u, "") in held for u in units)


def no_run(ids: dict[tuple[int, str, str], int], broken: dict[int, list[Outcome]], v: Variant,
           sources: tuple[Source, ...], at: tuple[int, Lane], unit: str, tu: tuple[str, frozenset[str] | None],
           stops: tuple[ErrorKind, str] | None,
           unbuilt: dict[str, tuple[ErrorKind, str]], seen: dict[tuple[str, str], tuple[ErrorKind, str] | None]
           ) -> int | None:
    """Lane ``at``'s group in ``v`` when its code does not run there, as harness.runner._plan's row has it: -1 when it
    has no run at all, an error group (in ``ids``, its outcomes in ``broken``) when the build or the unit stops it;
    None when it runs."""
    n, lane = at
    if unit_absent(v, tu[0]):  # no unit to build it in (the tree lacks it here): not provided either
        return -1
    if private_elsewhere(sources, lane.entry, unit) is not None:
        return -1  # the scenario's unit cannot call it: no run of its code from there
    if stops is not None:
        return error_group(ids, broken, (n, "\0stops", stops[1]), stops[1], stops[0], len(lane.positions))
    if (link := unbuilt.get(lane.entry) or unit_problem(v, lane.entry, tu[0])) is not None:
        return error_group(ids, broken, (n, "\0link", link[1]), link[1], link[0], len(lane.positions))
    if (hid := hidden_from(v, sources, lane.entry, tu, seen)) is not None:
        return error_group(ids, broken, (n, "\0hidden", hid[1]), hid[1], hid[0], len(lane.positions))
    return None


def build_stops(v: Variant) -> tuple[ErrorKind, str] | None:
    """Why nothing of ``v`` builds (harness.linkproblems.build_break: ErrorKind.BUILD); where a patch of ``v`` does not
    apply on its base, not known (ErrorKind.UNSUPPORTED): git am stops at that patch, so the files that did apply
    (a rename whose Makefile hunk failed) are no state of the kernel's, and a build it breaks is no claim on it."""
    stops = build_break(v)
    failed = next((f for f in v.findings if not f.note), None) if stops is not None else None
    if stops is None or failed is None:
        return None if stops is None else (ErrorKind.BUILD, stops)
    return ErrorKind.UNSUPPORTED, (f"not known to build: {stops.removeprefix(BUILD_ERROR)}; but a patch of this state "
                                   f"does not apply on its base ({failed.path}: {failed.reason}): git am stops there, "
                                   "so the files that did apply are no state it makes")


def error_group(ids: dict[tuple[int, str, str], int], broken: dict[int, list[Outcome]], key: tuple[int, str, str],
                why: str, kind: ErrorKind, count: int) -> int:
    """The code group of a lane whose ``count`` scenarios all end in the same error, made once (its outcomes in
    ``broken``)."""
    if key not in ids:
        ids[key] = len(ids)
        broken[ids[key]] = [Outcome(OutcomeStatus.ERROR, error=why, error_kind=kind)] * count
    return ids[key]
