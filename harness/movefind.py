"""Code moves: what a patch that moves helpers, or moves and renames them, does to the entry points reaching them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.assumedconsts import assumed_constants
from harness.comparison import reach_words
from harness.configwords import WHY as CONFIG_WHY
from harness.coverage import NO_TREE
from harness.explain import DiffClass, Difference
from harness.findings import FindingKind, ReportFinding
from harness.helperruns import helper_names
from harness.inlined import Inline, inlines, stayed
from harness.linecover import carried_one_way, unrun_changes
from harness.matrixresult import MatrixResult
from harness.model import Patch
from harness.movecarried import carried_changes, carried_said
from harness.moveseen import borrowed_units, unseen_homes
from harness.reach import moved_by
from harness.renames import Rename, patch_renames, split_renames
from harness.renamescore import similarity, token_list
from harness.runner import variant_sources
from harness.strandedusers import stranded_users
from harness.variants import Variant
from models.loader import definitions, reachable
from models.outcome import OutcomeStatus
from models.record import record

if TYPE_CHECKING:
    from harness.comparison import Comparison  # compare runs this module's findings: no import back at run time
    from harness.treenames import TreeSearch


@record
class Move:
    """What one patch moves and renames, the entry points that reach it, and how they compare across it.

    ``differences`` are those of the entry points reaching the moved code (an entry point the patch renames is
    compared with its old self: its old scenarios before, its new ones after); ``ran`` counts the scenarios
    compared; ``gaps`` say what was not compared and why."""

    what: str
    entries: frozenset[str]
    differences: tuple[Difference, ...]
    ran: int
    gaps: tuple[str, ...]
    compared: tuple[str, ...] = ()  # the entry points compared (a renamed one by both names): their lines ran?
    renames: tuple[Rename, ...] = ()
    carried: tuple[str, ...] = ()  # file-scope data changed in the move (harness.movecarried)
    unchecked: tuple[str, ...] = ()  # from mail alone, the tree's other users of what it takes away (strandedusers)


def _what(moved: dict[str, tuple[str, str]], renames: tuple[Rename, ...], changed: dict[str, str],
          inlined: tuple[Inline, ...] = ()) -> str:
    """``moves a, b (x.h -> y.h)``; a rename reads ``sc_retry -> seamcall_retry (body 96% the same)``, and a helper
    moved under its name whose text changed on the way ``sc_retry (body 97% the same: changed in the move)`` (or
    what alone changed, _changed); a helper inlined, ``inlines h into f, g (...)`` (Inline.said)."""
    said = [i.said() for i in inlined]
    if not moved and not renames:
        return "; ".join(said)
    names = [*(f"{n} ({changed[n]})" if n in changed else n for n in sorted(moved)),
             *(f"{r.old} -> {r.new} ({changed.get(f'{r.old} -> {r.new}', f'body {r.similarity}% the same')})"
               for r in renames)]
    paths = [(a, b) for a, b in moved.values()]
    paths += [(r.old_where.rsplit(":", 1)[0], r.new_where.rsplit(":", 1)[0]) for r in renames]
    places = sorted({f"{a} -> {b}" if a != b else a for a, b in paths})
    verb = "moves" if moved or any(r.moved for r in renames) else "renames"
    return "; ".join([f"{verb} {', '.join(names)} ({'; '.join(places)})", *said])


def move_differences(result: MatrixResult, cmp: Comparison, entries: set[str] | frozenset[str], before: Variant
                     ) -> list[Difference]:
    """The differences of a moving patch's comparison in the entry points that reach what it moves, but for an
    entry point the patch adds besides the move: that is no change to what the moved code does (one it removes
    is)."""
    row = result.outcomes_of(before.name)
    added = {s.id for s, o in zip(result.matrix.scenarios, row, strict=True) if o.status is OutcomeStatus.NOT_PROVIDED}
    return [d for d in cmp.differences if d.scenario.entry.name in entries
            and not (d.classes == (DiffClass.PROVIDED,) and d.scenario.id in added)]


def examine_move(result: MatrixResult, cmp: Comparison, patch: Patch, states: tuple[Variant, Variant],
                 earlier: tuple[Patch, ...] = (), tree: TreeSearch | None = None) -> Move | None:
    """The move a patch makes (harness.reach.moved_by, with the patches of its revision before it, ``earlier``,
    for a move split in two; and harness.renames.patch_renames: a helper moved and renamed at once is a move, and
    so are helpers that swap names in place, each rewritten under its own name), or None when it moves nothing."""
    moved = moved_by(patch, states[1], earlier, states[0])
    renames = patch_renames(patch, *states, broken=True).found
    renames += tuple(r for r in split_renames(patch, states, earlier) if r.old not in {x.old for x in renames})
    # A function rewritten where it stood moved nothing (git's hunks may pair its first line with another's); a helper
    # put in place of its calls did (harness.inlined).
    moved = {n: p for n, p in moved.items() if n not in stayed(moved, states)}
    inlined = inlines(states, {*moved, *(r.old for r in renames)}) if patch.files else ()
    if not moved and not renames and not inlined:
        return None
    names = set(moved) | {r.old for r in renames} | {r.new for r in renames} | {i.helper for i in inlined}
    reach = [variant_sources(v) for v in states]
    # A static helper one side alone has, compared through its callers (harness.helperruns), is no entry point of
    # the move: it ran on that side alone.
    entries = {e.name for e in result.matrix.entries if any(reachable(src, e.name) & names for src in reach)} \
        - helper_names(cmp)
    # A renamed entry point is compared with its old self by the comparison (harness.renamepair): its scenarios
    # are counted under the new name alone.
    olds = {r.old for r in cmp.renamed}
    touched = move_differences(result, cmp, entries, states[0])
    ran = sum(cmp.ran_both.get(e, 0) for e in entries - olds)
    # Cells of a unit neither state has (Gap.absent) are no code of either kernel: nothing of the move goes unchecked.
    gaps = [str(g) for g in cmp.gaps if set(g.entries) & entries and not g.absent]
    # An entry point under a name the patch gives a helper, not paired with its old self (other parameters, say),
    # shows only as new: its scenarios compared nothing, and the move is not shown to keep what it does.
    paired = {r.new for r in cmp.renamed}
    gaps += [f"{r.new}() was not compared with its old self {r.old}()" for r in renames
             if r.new in entries and r.new not in paired and not cmp.ran_both.get(r.new)]
    # From mail alone, the code left in the .c file a helper leaves for a header is not shown to see it there.
    homes = [*((n, a, b) for n, (a, b) in moved.items()),
             *((r.new, r.old_where.rsplit(":", 1)[0], r.new_where.rsplit(":", 1)[0]) for r in renames)]
    gaps += unseen_homes(homes, states[1])
    # The tree's files no patch touches may use what the patch takes out of a file (harness.strandedusers).
    gone = [*((n, a) for n, (a, b) in moved.items() if a != b), *((r.old, r.old_where.rsplit(":", 1)[0])
                                                                    for r in renames if not r.kept)]
    stranded, unchecked = stranded_users(gone, states, tree)
    gaps += stranded
    # A helper moved into a unit the patch creates ran there before the patch too, with the pr_fmt it has after it.
    gaps += borrowed_units(result, homes, entries, states)
    compared = [e for e in sorted(entries) if cmp.ran_both.get(e)]
    changed = _changed(moved, states, {r.old: r.new for r in renames}) | _redeclared(renames, states)
    pairs = [*moved.values(), *((r.old_where.rsplit(":", 1)[0], r.new_where.rsplit(":", 1)[0]) for r in renames)]
    carried = carried_changes(patch, pairs, states, entries) if entries else ()
    return Move(_what(moved, renames, changed, inlined), frozenset(entries), tuple(touched), ran, tuple(gaps),
                tuple(compared), renames, carried, tuple(unchecked))


def _changed(moved: dict[str, tuple[str, str]], states: tuple[Variant, Variant], names: dict[str, str]
             ) -> dict[str, str]:
    """The helpers moved under their own name whose C tokens differ between where they were and where they went,
    helpers the patch renames (``names``, old -> new) spelt the new way, with how much is the same
    (harness.renames.similarity): what the mail shows of a move, said even where no run compares it ('--left'
    become 'left--' on the way). One whose tokens from its name on are the same changed only its declaration's
    words before the name (``static`` become ``static inline`` for a header): said as that, not as a body changed."""
    tables = [definitions(variant_sources(v)) for v in states]
    out: dict[str, str] = {}
    for name, (src, dst) in moved.items():
        old = next((d.text for d in tables[0].get(name, []) if d.path == src), None)
        new = next((d.text for d in tables[1].get(name, []) if d.path == dst), None)
        if old is None or new is None:
            continue
        was, now = [names.get(x, x) for x in token_list(old)], token_list(new)
        if was == now:
            continue
        head = _declared(name, was, now)
        out[name] = head or f"body {similarity(old, new, names)}% the same: changed in the move"
    return out


def _redeclared(renames: tuple[Rename, ...], states: tuple[Variant, Variant]) -> dict[str, str]:
    """``old -> new``: ``declared 'static inline', was 'static': its body the same`` of each rename whose tokens, the
    patch's new names put in the old text, differ only in the words declaring it (a helper moved to a header made
    ``static inline`` on the way): said as that, not as a body some per cent the same."""
    tables = [definitions(variant_sources(v)) for v in states]
    names = {r.old: r.new for r in renames}
    out: dict[str, str] = {}
    for r in renames:
        old = next((d.text for d in tables[0].get(r.old, []) if d.where == r.old_where), None)
        new = next((d.text for d in tables[1].get(r.new, []) if d.where == r.new_where), None)
        was, now = ([names.get(x, x) for x in token_list(old)], token_list(new)) if old is not None and \
            new is not None else ([], [])
        head = _declared(r.new, was, now) if was != now else None  # the same tokens: 'body 100% the same' says it
        if head is not None:
            out[f"{r.old} -> {r.new}"] = head
    return out


def _declared(name: str, was: list[str], now: list[str]) -> str | None:
    """``declared 'static inline', was 'static': its body the same`` when two definitions' tokens differ only before
    the first ``name`` (the words declaring it), else None."""
    if name not in was or name not in now:
        return None
    a, b = was.index(name), now.index(name)
    if was[a:] != now[b:]:
        return None
    return f"declared '{' '.join(now[:b])}', was '{' '.join(was[:a])}': its body the same"


def move_finding(result: MatrixResult, cmp: Comparison, patch: Patch, states: tuple[Variant, Variant],
                 earlier: tuple[Patch, ...] = (), tree: TreeSearch | None = None) -> ReportFinding | None:
    """What a patch that moves definitions does to the entry points that reach them, claimed only as far as
    they ran on both sides (``earlier``: the patches of its revision before it, examine_move)."""
    move = examine_move(result, cmp, patch, states, earlier, tree)
    if move is None:
        return None
    what, entries, where = move.what, move.entries, str(patch.mail.where)
    if cmp.unapplied:  # git am applies a patch whole or not at all: what its applied part does is no state of it
        return ReportFinding(FindingKind.CODE_MOVE_NOT_COMPARED, cmp.label,
                             f"{what}: not compared: the patch does not apply in {cmp.b} ({'; '.join(cmp.unapplied)})"
                             ": git am stops there, and what the files that did apply do is no state git am makes",
                             where)
    if move.differences:
        sub = replace(cmp, differences=move.differences, gaps=(), unreached=(), not_run=())
        return ReportFinding(FindingKind.CODE_MOVE_CHANGED, cmp.label,
                             f"{what} and changes behaviour: " + " | ".join(sub.summary()), where)
    if not entries:
        return ReportFinding(FindingKind.CODE_MOVE_NOT_COMPARED, cmp.label,
                             f"{what}: not compared: no entry point of the matrix reaches them"
                             + unreached_hint(states[1]), where)
    # The lines that never ran are worked out for a comparison without differences; one whose only differences
    # are entry points the patch adds besides the move has them worked out here.
    not_run = cmp.not_run if not cmp.changed else tuple(unrun_changes(states[0], states[1], result,
                                                                      list(move.compared), stubs=True))
    if not cmp.changed:  # an #else stub the move brings counts for a move alone (harness.configonly.unbuilt_reached)
        not_run += tuple(p for p in unrun_changes(states[0], states[1], result, list(move.compared), stubs=True)
                         if p not in not_run and p.endswith(CONFIG_WHY))
    # What the patch changes did not all run, or is not reached: the move is not shown to keep behaviour.
    # So does a retry loop nested in another that the patch touches (harness.nestedretry): runs driving one loop at a
    # time agree whatever the nest does; and so does a condition or value it changed that no run told apart
    # (harness.valuecover: 'err == UD' moved as '(err | 0x10) == (UD | 0x10)' takes UD ^ 0x10 too, which no script
    # answers), as eval's comparison of the patch says it.
    undecided = list(cmp.undecided)
    if move.gaps or not_run or cmp.unreached or not move.ran or move.carried or undecided:
        head = f"{what}: no behaviour change in the {move.ran} scenarios that ran on both sides" if move.ran else what
        idle = [f"{u}, {reach_words(u)}" for u in cmp.unreached]
        said = [*move.gaps, *not_run, *idle, *carried_said(move.carried), *undecided] or \
            ["no scenario of them ran on both sides"]
        return ReportFinding(FindingKind.CODE_MOVE_NOT_COMPARED, cmp.label, f"{head}; " + "; ".join(said), where)
    # A test the move carries unchanged that came out one way alone on both sides (an assertion that never fired) is
    # the same code on both, but no run showed what it decides the other way: said, not hidden in the clean move.
    same = carried_one_way(states[0], states[1], result, list(move.compared))
    return ReportFinding(FindingKind.CODE_MOVE, cmp.label,
                         f"{what} without changing behaviour ({move.ran} scenarios of {', '.join(sorted(entries))} "
                         "ran on both sides)" + "".join(f"; {s}" for s in (*same, *move.unchecked))
                         + move_assumes(states, entries, cmp),
                         where)


def unreached_hint(after: Variant) -> str:
    """What would compare a move no entry point of the matrix reaches: an entry point that calls what it moves, and,
    from mail alone, the tree, whose lines no hunk shows may hold a caller (a macro of the matrix's)."""
    tree = "; from mail alone a caller may sit in lines no hunk shows: give --tree" if after.base == NO_TREE else ""
    return f": an [[entry]] in the matrix that calls them would decide (docs/matrix.md){tree}"


def move_assumes(states: tuple[Variant, Variant], entries: Iterable[str], cmp: Comparison | None = None) -> str:
    """What a move found the same rests on that the runs assumed rather than read from the two sides' files, as
    '; it rests on ...' (or ""): the kernel constants the code ``entries`` reach reads from the mirror's prelude,
    mainline's values (harness.assumedconsts.assumed_constants; per side where the two differ: the move may have
    left a definition behind), and the files compared that only a CONFIG_-guarded Makefile line builds, the option
    taken as set (``cmp.assumed``). A tree's own values may differ: the same values on both sides show nothing of
    a constant the new home gets from elsewhere."""
    names = sorted(entries)
    said = [assumed_constants(v, names) for v in states]
    built = [f"built only with {a}" for a in (cmp.assumed if cmp is not None else ())]
    sides = ((states[0], said[0], said[1]), (states[1], said[1], said[0]))
    assumed = [*(f"on both sides, {s}" for s in said[0] if s in said[1]),
               *(f"in {v.name}, {s}" for v, side, other in sides for s in side if s not in other), *built]
    return f"; it rests on what the runs assumed: {'; '.join(assumed)}" if assumed else ""
