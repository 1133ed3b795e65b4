"""Why an entry point runs on one side of a comparison and not the other, or on neither.

A patch defining, removing or creating its unit, two states differing, a .c file keeping it private, or a gap (the words
of harness.compare).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from harness.coverage import (
    NO_TREE,
    absence_known,
    absence_read,
    absent_from_home,
    later_reason,
    missing_reason,
    missing_unit,
    named_anywhere,
    neither_reason,
    not_run_reason,
    unit_gap,
)
from harness.coverage import UNKNOWN_FUNCTION as _UNKNOWN
from harness.explain import describe
from harness.model import Patch
from harness.moves import defined_by
from harness.runner import variant_sources
from harness.rununits import private_elsewhere
from harness.unitmoves import unit_at
from harness.variants import Variant
from models.loader import definitions
from models.outcome import Outcome, OutcomeStatus, idle_sides
from models.record import record

_PATCH_LABEL = re.compile(r"v\d+ \d+/\d+")


@record
class Sides:
    """The two variants of a comparison, and what a patch between them defines and removes."""

    a: Variant
    b: Variant
    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    created: frozenset[str] = frozenset()  # paths a patch between them creates (a translation unit, maybe)
    # With several patches between them, which one defines, removes or creates each name or path ('v3 04/4'):
    # "this patch" names none of them.
    by: tuple[tuple[str, str], ...] = ()
    # No patch lies between them (two revisions, a proposal and its start): what one side provides and the other
    # lacks where its code is known whole is a fact of the two states (harness.coverage.absence_known).
    states: bool = False


def sides_between(a: Variant, b: Variant, patches: tuple[Patch, ...], name_each: bool = True) -> Sides:
    """The Sides of state ``a`` and a later ``b`` with ``patches`` between them (none: two states, no patch between).
    ``name_each``: each name or path is said with the patch that defines, removes or creates it ('v3 04/4'), else
    "this patch" (a line under that patch's own heading)."""
    added, removed, created = set[str](), set[str](), set[str]()
    by: dict[str, str] = {}
    for p in patches:
        more, less = defined_by(p)
        added, removed = (added - less) | more, (removed - more) | less
        made = {f.path for f in p.files if f.is_new and missing_unit((a,), f.path)}  # a file the tree lacked
        created |= made
        if name_each:
            by.update(dict.fromkeys(more | less | made, f"v{p.mail.subject.version} {p.label}"))
    return Sides(a, b, frozenset(added), frozenset(removed), frozenset(created), tuple(by.items()), not patches)


def gap_reason(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str = "", origin: str | None = None) -> str:
    """Why ``entry`` (found in the code at ``origin``, if it was) ran on neither side or on one alone."""
    if (moved := moved_into_created(sides, entry, oa, ob, unit)) is not None:
        return moved
    if (why := unit_gap(((sides.a, oa), (sides.b, ob)), entry, unit)) is not None:
        return why
    if oa.status is OutcomeStatus.NOT_PROVIDED and ob.status is OutcomeStatus.NOT_PROVIDED:
        return _private_on_both(sides, entry, oa, ob, unit) or _home_lacks(sides, entry, origin) \
            or neither_reason(sides.a, sides.b, entry)
    if (new := _new_unrun(sides, entry, oa, ob, unit)) is not None:
        return new
    if (unseen := _unseen_unit(sides, entry, oa, ob, unit)) is not None:
        return unseen
    if (alone := _one_state_only(sides, entry, oa, ob, unit)) is not None:
        return alone
    ma, mb = _UNKNOWN.search(oa.error or ""), _UNKNOWN.search(ob.error or "")
    if ma is not None and mb is not None and ma.group(1) == mb.group(1):
        return neither_reason(sides.a, sides.b, ma.group(1))
    idle = idle_sides(oa, ob)
    if all(idle) and (oa.status, oa.error_kind, oa.error) == (ob.status, ob.error_kind, ob.error):
        return not_run_reason(sides.a, entry, oa, also=sides.b)  # one sentence naming both sides
    reasons = [not_run_reason(v, entry, o) for v, o, i in ((sides.a, oa, idle[0]), (sides.b, ob, idle[1])) if i]
    return "; ".join(dict.fromkeys(reasons))


def _home_lacks(sides: Sides, entry: str, origin: str | None) -> str | None:
    """Of an entry point found in another state's code, which both sides lack where it is defined there (each holds
    that file whole without it, or lacks the file yet: coverage.absent_from_home): said so, once per section. Was
    'neither v3:00 nor v3:01 defines seamcall_checked() ...: give --tree', of a wrapper v4 adds to a file v3 creates,
    which no tree could give v3."""
    if later_reason((sides.a, sides.b), entry) or not all(absent_from_home(v, entry, origin)
                                                          for v in (sides.a, sides.b)):
        return None  # "v4 05/24 adds it later" says more
    return f"neither {sides.a.name} nor {sides.b.name} defines {entry}(); another state of the input does, in a file " \
        "these lack or hold known whole: the name is not in this code"


def _new_unrun(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """An entry point the patch compared adds, whose runs on its side did not run: said as new, then why it did not
    run. The side before lacks it because of this patch; its own reason ("v3 07/26 adds it later") read, under
    v3 07/26 itself, as if another patch were to add it."""
    if oa.status is not OutcomeStatus.NOT_PROVIDED or ob.ran or ob.status is OutcomeStatus.NOT_PROVIDED \
            or not (entry in sides.added or unit in sides.created):
        return None
    which = dict(sides.by).get(entry if entry in sides.added else unit, "this patch")
    said = f"{entry}() is new: {which} {'defines it' if entry in sides.added else f'creates {unit}, its unit'}"
    return f"{said}; {not_run_reason(sides.b, entry, ob)}"


def _home_before(sides: Sides, entry: str, oa: Outcome, unit: str) -> str | None:
    """Where the side before a patch creating ``unit`` defines ``entry``, not provided there, in another .c file
    (``a static function of FILE:LINE``): the patch moves it into the unit, which did not exist to run it in. Not
    new code: said new, a move that changes no token of a static helper read as the patch changing behaviour."""
    if unit not in sides.created or entry in sides.added or oa.status is not OutcomeStatus.NOT_PROVIDED:
        return None
    sources = variant_sources(sides.a)
    found = definitions(sources).get(entry)
    if not found or not found[0].path.endswith(".c") or found[0].path == unit:
        return None
    return private_elsewhere(sources, entry, unit) or f"a function of {found[0].where}"


def moved_into_created(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """A gap, for an entry point a patch moves into the unit it creates (_home_before): no scenario ran it in both
    places, so what the move does to it is not compared here (the code reaching it is, as the move's finding says).
    The one sentence of that fact: eval's comparison and the gate's equivalence rule say it alike (the rule said
    'is new to', eval 'moves into', of one helper)."""
    if (where := _home_before(sides, entry, oa, unit)) is None:
        return None
    which = dict(sides.by).get(unit, "this patch")
    said = f"{entry}() moves into {unit}, which {which} creates: in {sides.a.name} it is {where}, where no " \
           "scenario of the matrix runs it"
    return said if ob.ran else f"{said}; {not_run_reason(sides.b, entry, ob)}"


def _one_state_only(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """Two states (no patch between them) of which one ran ``entry`` and the other, read with a tree, lacks it in
    all the code read (absence_read; not known absent: a header the include search did not reach may hold it):
    said as gone from or new in the later, with why the other lacks it, and not compared. Was the lacking side's
    reason alone, 'v5 does not define seamldr_install() ... (every C file it touches is known whole: the name is not
    in this code)', which read as if no side had it. A state lacking it only for now (a later patch adds it), or
    read in part, keeps its own reason."""
    if not sides.states:
        return None
    if oa.ran and ob.status is OutcomeStatus.NOT_PROVIDED:
        lacks, said = sides.b, f"{entry}() is gone from {sides.b.name} (only {sides.a.name} defines it)"
    elif ob.ran and oa.status is OutcomeStatus.NOT_PROVIDED:
        lacks, said = sides.a, f"{entry}() is new in {sides.b.name} (only {sides.b.name} defines it)"
    else:
        return None
    if lacks.base == NO_TREE or not absence_read(lacks, entry, unit):
        return None
    why = missing_reason(lacks, entry)
    return f"{said}, nothing to compare it with: {why}"


def provided_change(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str = "") -> str | None:
    """A patch visibly defining (or removing) an entry point, or creating its unit a tree lacked: a fact, not a gap."""
    by = dict(sides.by)
    if _home_before(sides, entry, oa, unit) is not None:
        return None  # moved into the unit the patch creates: a gap (moved_into_created)
    if oa.status is OutcomeStatus.NOT_PROVIDED and ob.ran and (entry in sides.added or unit in sides.created):
        which = by.get(entry if entry in sides.added else unit, "this patch")
        said = f"{entry}() is new: {which} {'defines it' if entry in sides.added else f'creates {unit}, its unit'}"
        # A new entry point whose unit does not build it (an #include forgotten), or whose runs stop in undefined
        # behaviour, is no working new code: said here, since no other line of the patch's comparison names it.
        return said if ob.status is OutcomeStatus.OK else f"{said}, and its runs end in {describe(ob)}"
    if ob.status is OutcomeStatus.NOT_PROVIDED and oa.ran and entry in sides.removed:
        return f"{entry}() is gone: {by.get(entry, 'this patch')} removes it"
    return unit_sees(sides, entry, oa, ob, unit) or _state_change(sides, entry, oa, ob, unit)


def _state_change(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """An entry point one of two states provides and the other, known whole, does not (a next revision dropping
    seamcall_ret(), a proposal adding a wrapper): a difference of the two, never a gap under 'no behaviour change'."""
    if not sides.states:
        return None
    if oa.status is OutcomeStatus.NOT_PROVIDED and ob.ran:
        # Known absent from all of a's code, or from the file b defines it in (then the patch of b whose line it is).
        by = "" if absence_known(sides.a, entry, unit) else whole_without(sides.a, sides.b, entry)
        if by is not None:
            said = f"{entry}() is new: {by or sides.b.name} defines it, {sides.a.name} does not"
            return said if ob.status is OutcomeStatus.OK else f"{said}, and its runs end in {describe(ob)}"
    if ob.status is OutcomeStatus.NOT_PROVIDED and oa.ran and (
            absence_known(sides.b, entry, unit) or whole_without(sides.b, sides.a, entry) is not None):
        return f"{entry}() is gone: {sides.b.name} does not define it ({sides.a.name} does)"
    return None


def whole_without(lacks: Variant, has: Variant, entry: str) -> str | None:
    """Whether ``lacks`` surely lacks ``entry`` because the file ``has`` defines it in is known whole in ``lacks``
    (a patch creates it, or a tree gave it) and holds no such name, nor does any code of ``lacks`` name it (a call
    would put a body elsewhere): the patch of ``has`` whose line defines it ('v4 06/24'), or "" when no patch's
    line does. Else None. A v4 adding a wrapper to a header v3 creates was 'not compared: v3 does not define it
    ...: give --tree', though no tree could give v3 what its own whole file lacks. A later patch adding it (_later)
    or a file in part keeps the reason it has."""
    found = definitions(variant_sources(has)).get(entry)
    if not found or named_anywhere(lacks, entry) or later_reason((lacks,), entry):
        return None
    mine, theirs = lacks.file(found[0].path), has.file(found[0].path)
    if mine is None or not mine.complete or mine.absent or not mine.usable or theirs is None:
        return None
    origin = theirs.lines.get(found[0].line, ("", ""))[1].split(" <", 1)[0]
    return origin if _PATCH_LABEL.fullmatch(origin) else ""


def _private_on_both(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """Why neither side runs ``entry`` in ``unit`` when a side keeps it private to another .c file (static, or a
    macro there: harness.rununits.private_elsewhere), with the other side's reason if it does not; else None."""
    where = [private_elsewhere(variant_sources(v), entry, unit_at(v.moved, unit)) for v in (sides.a, sides.b)]
    if where == [None, None]:
        return None
    if where[0] == where[1]:
        return f"{entry}() does not run in {unit}: in {sides.a.name} and {sides.b.name} it is {where[0]}, which " \
               f"{unit} cannot call"
    said = [f"in {v.name} it is {w}" if w is not None else not_run_reason(v, entry, o)
            for v, o, w in ((sides.a, oa, where[0]), (sides.b, ob, where[1]))]
    return f"{entry}() does not run in {unit}: {'; '.join(said)}, which {unit} cannot call" if where[1] is not None \
        else f"{entry}() does not run in {unit}: {said[0]}, which {unit} cannot call; {said[1]}"


def _private_sides(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str
                   ) -> Iterator[tuple[Variant, Variant, str, str]]:
    """Each (side lacking ``entry`` in ``unit``, side that ran it there, where the lacking side keeps it private,
    verb): an entry point one side keeps private to another .c file (harness.rununits.private_elsewhere: static, or
    a macro there) and the other ran in ``unit`` (a header it includes)."""
    for lacks, ran, o, idle, verb in ((sides.a, sides.b, ob, oa, "is new to"),
                                      (sides.b, sides.a, oa, ob, "is gone from")):
        if o.ran and idle.status is OutcomeStatus.NOT_PROVIDED and \
                (where := private_elsewhere(variant_sources(lacks), entry, unit_at(lacks.moved, unit))) is not None:
            yield lacks, ran, where, verb


def _unseen_unit(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """unit_sees where the side that ran ``entry`` in ``unit`` does not hold the unit's file (mail alone): a gap."""
    for lacks, ran, where, _ in _private_sides(sides, entry, oa, ob, unit):
        if ran.file(unit_at(ran.moved, unit)) is None:
            return f"{entry}() runs in {unit} in {ran.name} only if that file, which the mail does not show, " \
                   f"includes where {ran.name} defines it (in {lacks.name} it is {where}, which {unit} cannot " \
                   "call); give --tree"
    return None


def unit_sees(sides: Sides, entry: str, oa: Outcome, ob: Outcome, unit: str) -> str | None:
    """An entry point one side keeps private to another .c file and the other lets ``unit`` call (_private_sides): a
    fact of what the unit sees, where that side holds the unit's file. One the input does not show at all (mail
    alone, no patch touching it) may not include that header, or not be there: the run of the header's code in it is
    no fact of the kernel (a helper moved from tdx.c into tdx.h was said 'new to seamldr.c', its patch changing
    behaviour, of a tree with no seamldr.c): _unseen_unit's gap."""
    for lacks, ran, where, verb in _private_sides(sides, entry, oa, ob, unit):
        if ran.file(unit_at(ran.moved, unit)) is not None:
            return f"{entry}() {verb} {unit}: in {lacks.name} it is {where}, which {unit} cannot call"
    return None
