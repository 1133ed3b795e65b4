"""The moves check: what the patches of a variant that move or rename helpers do to the entry points reaching them."""

from __future__ import annotations

import re
from functools import partial

from harness.buildflags import state_flags_reason
from harness.comparison import Place, Reach
from harness.diffmodel import LineKind
from harness.findings import hunk_offsets
from harness.linecover import HINT, unrun_changes
from harness.macroargs import argument_changes
from harness.model import Patch
from harness.movecarried import carried_said
from harness.movefind import Move, examine_move, move_assumes, unreached_hint
from harness.moves import earlier_in, moved_definitions, rehomed, renamed_sources
from harness.nestedretry import nest_changes
from harness.patchplace import applied_patches, state_name
from harness.reach import unreached_places
from harness.renames import Rename, patch_renames, split_renames
from harness.rules import MovesCheck, Rule
from harness.sectionwords import section_changes
from harness.valuecover import value_runs
from harness.valueshown import value_run_words
from harness.variants import Variant
from harness.verdict import CheckContext, Evidence, Verdict, inconclusive, not_applicable, verdict
from reports.safe import counted


def _move_evidence(p: Patch, ctx: CheckContext) -> tuple[list[Evidence], list[str], str]:
    """Differences in the entry points that reach what the patch moves, what could not be compared, and what
    was (the states around the patch decide, not the variant judged: worked out once per patch)."""
    return ctx.once(("moves", id(p)), lambda: _moves_around(p, ctx))


def _states_around(p: Patch, ctx: CheckContext) -> tuple[Variant, Variant] | str:
    after = state_name(ctx.series, p.mail.subject.version, p.number + 1)
    before = state_name(ctx.series, p.mail.subject.version, p.number)
    after_v = ctx.variant(after) if after else None
    before_v = ctx.variant(before) if before else None
    if after_v is None or before_v is None:
        return f"{p.label}: the states around it ({before}, {after}) were not evaluated (add them with " \
               "--variant, or run gate)"
    return before_v, after_v


def _moves_around(p: Patch, ctx: CheckContext) -> tuple[list[Evidence], list[str], str]:
    states = _states_around(p, ctx)
    if isinstance(states, str):
        return [], [states], ""
    cmp = ctx.compare(states[0].name, states[1].name)
    move = examine_move(ctx.result, cmp, p, states, earlier_in(ctx.series, p), ctx.tree_names)
    label = p.label
    split = _split_start(p, states, move, ctx) if move is not None else None
    if split is not None:  # the move split in two, judged whole: from before the copy to after the removal
        states, label = (split[1], states[1]), f"{split[0].label} and {p.label} together"
        cmp = ctx.compare(states[0].name, states[1].name)
        move = examine_move(ctx.result, cmp, p, states, earlier_in(ctx.series, p), ctx.tree_names)
    if move is None or not move.entries:
        return [], [f"{label}: no entry point of the matrix reaches what it moves{unreached_hint(states[1])}"], ""
    basis = f"{label} {move.what}: {move.ran} scenarios of {', '.join(sorted(move.entries))} ran on both sides" \
        + "".join(f"; {u}" for u in move.unchecked) + move_assumes(states, move.entries, cmp)
    evidence = [Evidence(f"{label} {move.what} without changing behaviour", "; ".join(d.notes), d.scenario)
                for d in move.differences]
    gaps = [f"{label}: {g}" for g in move.gaps]
    undecided: tuple[str, ...] = ()
    if not evidence:  # the answers next to a condition the move changed, as eval's comparison runs them
        values = value_runs(ctx.result, states[0].name, states[1].name)
        evidence = [Evidence(f"{label} {move.what} without changing behaviour, {value_run_words(d.scenario)}",
                             "; ".join(d.notes or tuple(c.value for c in d.classes)), d.scenario)
                    for d in values.differences if d.scenario.entry.name in move.entries]
        # A changed condition or value no run told apart (the equivalence rule's words: '(err | 0x10) == (UD | 0x10)'
        # for 'err == UD' passed on answers that never hold bit 4), and a retry loop nested in another that the patch
        # touches (harness.nestedretry): runs driving one loop at a time agree whatever the nest does.
        # So do a macro evaluating an argument another number of times, and a function put in another section.
        names, sides = {r.old: r.new for r in move.renames}, (ctx.result, states[0].name, states[1].name)
        undecided = (*(u if u.startswith("a value of ") else f"a changed condition no run tells apart: {u}"
                       for u in values.undecided), *nest_changes(*sides),
                     *argument_changes(*sides, names), *section_changes(*sides, names))
    if not evidence:  # the same where both sides ran: but a changed line no run executed is not known the same
        gaps += [f"{label}: {u}" for u in undecided]
        unrun = unrun_changes(states[0], states[1], ctx.result, list(move.compared), stubs=True)
        gaps += [f"{label}: {place}" for place in unrun] + ([HINT] if unrun else [])
        unknown = [*(_unknown_reach(split[0], states, ctx, move.renames) if split is not None else []),
                   *_unknown_reach(p, states, ctx, move.renames)]
        gaps += [f"{label}: {u.text}, {u.reach.words}" for u in unknown[:6]]
        gaps += [f"{label}: {counted(len(unknown) - 6, 'more place')}"] if len(unknown) > 6 else []
        gaps += [] if move.ran else [f"{label}: no scenario of {', '.join(sorted(move.entries))} ran on both sides"]
        gaps += [f"{label}: {c}" for c in carried_said(move.carried)]
        # Runs alike on a side not run as kbuild builds it show nothing of gcc's build (harness.buildflags).
        gaps += [f"{label}: in {s.name}, a state compared, {said}" for s in states
                 if (said := state_flags_reason(s, ctx))]
    return evidence, gaps, basis


def _split_start(p: Patch, states: tuple[Variant, Variant], move: Move, ctx: CheckContext
                 ) -> tuple[Patch, Variant] | None:
    """(the patch right before ``p``, the state before it) where that patch only adds lines, among them the copies
    of what ``p`` removes (a move split in two, harness.moves.rehomed), and an entry point the move reaches runs
    before that patch and after ``p`` but not between them: both copies there, unlike, the mirror cannot tell
    which one a caller gets (h415). Judged from before the copy to after the removal, the two patches are the move
    and nothing else: no patch comes between, the first removes nothing and touches no file ``p`` does."""
    earlier = earlier_in(ctx.series, p)
    if not earlier or earlier[-1].number != p.number - 1 or not rehomed(p, earlier[-1:]):
        return None
    q = earlier[-1]
    if any(ln.kind is LineKind.REMOVED for f in q.files for h in f.hunks for ln in h.lines) or \
            any(f.is_deleted or f.is_rename for f in q.files) or {f.path for f in q.files} & {f.path for f in p.files}:
        return None  # its added lines stand where it put them after p too (harness.findings.hunk_offsets)
    name = state_name(ctx.series, q.mail.subject.version, q.number)
    start = ctx.variant(name) if name else None
    if start is None:
        return None

    def ran(v: Variant, entry: str) -> bool:
        return any(o.ran for _, o in ctx.outcomes(v.name, entry=entry))

    stuck = [e for e in move.entries if not ran(states[0], e) and ran(start, e) and ran(states[1], e)]
    return (q, start) if stuck else None


def _unknown_reach(p: Patch, states: tuple[Variant, Variant], ctx: CheckContext, renames: tuple[Rename, ...]
                   ) -> list[Place]:
    """The lines the patch adds that no entry point is known to reach: in code the hunks show in part (a caller's line
    a rename changes, 'sc_retry(func, fn, args)' become 'seamcall_retry(func, fn + 1, args)'), which may well be
    reached and no run shows; eval's code-move finding says them (cmp.unreached). A line that is a line the hunk
    removes with the helpers the patch renames spelt the new way ('seamcall_retry(func, fn, args)') is the rename
    itself, and code known whole that nothing reaches (the old name kept as a wrapper no code calls) changes nothing
    that runs."""
    new_name = {r.old: r.new for r in renames}
    spell = re.compile(r"\b(" + "|".join(map(re.escape, new_name)) + r")\b") if new_name else None
    refused = {f.path for f in states[1].base_problems if f.where.msgid == p.mail.msgid}
    offsets = hunk_offsets(p.mail.msgid, states[1])
    lines = []
    for f in p.files:
        if not f.path.endswith((".c", ".h")) or f.path in refused:
            continue
        for h in f.hunks:
            gone = {spell.sub(lambda m: new_name[m.group(1)], ln.text) if spell else ln.text
                    for ln in h.lines if ln.kind is LineKind.REMOVED}
            lines += [(1, f.path, ln.target_no + offsets.get((f.path, h.header), 0), ln.text) for ln in h.lines
                      if ln.kind is LineKind.ADDED and ln.target_no is not None and ln.text not in gone]
    # A definition from mail alone that nothing the mail shows calls (Reach.UNSEEN) is read as none reaching it here.
    return [u for u in unreached_places(lines, states, ctx.result) if u.reach not in (Reach.NONE, Reach.UNSEEN)]


def _moves_code(p: Patch, ctx: CheckContext) -> bool:
    """Whether a patch moves code: definitions its hunks remove and add elsewhere, a C file it renames, or a
    helper it moves and renames, or renames in place (harness.renames; helpers swapping names too), read from the
    states around it; or definitions it removes whose copy an earlier patch added elsewhere (a move split in two)."""
    if moved_definitions(p) or renamed_sources(p) or rehomed(p, earlier_in(ctx.series, p)):
        return True
    states = _states_around(p, ctx)
    return not isinstance(states, str) and bool(patch_renames(p, *states, broken=True).found
                                                or split_renames(p, states, earlier_in(ctx.series, p)))


def _unreadable(p: Patch, ctx: CheckContext) -> str:
    """Why what the patch moves or renames cannot be read: a C file it touches is not usable in the state after it
    (a hunk of it, or of an earlier patch, that git apply refuses), so the states around it show no rename; '' if
    none."""
    states = _states_around(p, ctx)
    if isinstance(states, str):
        return ""
    paths = {q for f in p.files for q in (f.path, f.source_path) if q and q.endswith((".c", ".h"))}
    refused = [f for f in states[1].base_problems if f.path in paths]
    return f"{p.label}: whether it moves or renames code is not known: {refused[0]}" if refused else ""


def _unfollowed(p: Patch, ctx: CheckContext) -> tuple[str, ...]:
    """The helpers the patch removes that may have become one it adds, not followed (harness.renames.Undecided: two
    candidates, or a caller left calling the old name): a move and rename the rule cannot judge as one. Taken for
    no move at all, the rule was n/a and the gate READY on 'sc_retry() moved into a new header as seamcall_retry()'
    with sc_retry_prerr() still calling sc_retry() (gcc: implicit declaration)."""
    states = _states_around(p, ctx)
    if isinstance(states, str):
        return ()
    return tuple(f"{p.label}: {u.describe()}" for u in patch_renames(p, *states, broken=True).undecided)


def check_moves(rule: Rule, spec: MovesCheck, v: Variant, ctx: CheckContext) -> Verdict:
    applied = applied_patches(v, ctx.series)
    moving = [p for p in applied if ctx.once(("moved", id(p)), partial(_moves_code, p, ctx))]
    unread = [why for p in applied if p not in moving for why in (_unreadable(p, ctx), *_unfollowed(p, ctx)) if why]
    if not moving and not unread:
        return not_applicable(rule, v, "no patch of this variant moves code")
    evidence: list[Evidence] = []
    gaps: list[str] = [*unread]
    basis: list[str] = []
    for p in moving:
        found, missing, rested = _move_evidence(p, ctx)
        evidence += found
        gaps += missing
        basis += [rested] if rested else []
    if gaps and not evidence:
        return inconclusive(rule, v, "; ".join(gaps))
    # A pass says what it rests on (the moves compared), as eval's code-move finding does.
    return verdict(rule, v, evidence, "; ".join(gaps if evidence else basis))
