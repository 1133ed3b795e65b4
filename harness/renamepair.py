"""Comparisons across a rename: the renames between two states, a renamed entry point paired with its old self.

A comparison of two states (a patch's before and after, a revision and the next, a reviewer variant and its
start, a rule's reference and the variant judged) follows the helpers renamed between them (harness.renames),
as ``git diff -M`` follows a renamed file: a matrix entry point renamed is compared with its old self, each
scenario of the old name on one side against the one of the new name on the other with the same leaf,
script and unit; and the state a static local leaves (``function::name``, models.mirror.changed_state) is
named after the function's new name. A rename is followed only where a change between the two states shows
it (a patch the later state applies and the earlier does not, read from the states around it when they were
run; the later revision against the earlier one; a reviewer variant's own diffs against its start): one not
shown is never guessed, and the comparison stays as it would be without it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field, replace
from typing import TypeVar

from harness.matrixresult import MatrixResult
from harness.model import Patch, Series
from harness.moves import earlier_in
from harness.patchplace import state_name
from harness.renames import Rename, Renames, patch_renames, proposal_renames, revision_renames, split_renames
from harness.runner import variant_sources
from harness.unitpair import unit_moves
from harness.variants import Variant
from models.loader import definitions
from models.outcome import Outcome
from models.record import record
from models.slicer import Kind

T = TypeVar("T")


@record
class Chain:
    """One helper followed through the renames between two states (one rename, or several in turn)."""

    renames: tuple[Rename, ...]

    @property
    def old(self) -> str:
        return self.renames[0].old

    @property
    def new(self) -> str:
        return self.renames[-1].new

    def note(self) -> str:
        """``followed seamldr_prerr -> seamldr_call_prerr, renamed in v4 04/4, body 100% the same``."""
        return "followed " + "; then ".join(r.describe() for r in self.renames)


@record
class Pairing:
    """The renames a comparison of two states follows: ``chains``, every helper renamed between them (a static
    local's state follows its function); ``entries``, those that are entry points of the matrix compared with
    their old selves, through ``lanes`` (the old name's lane, the new name's lane: one translation unit, the
    same scenarios in the same order)."""

    chains: tuple[Chain, ...] = ()
    entries: tuple[Chain, ...] = ()
    lanes: tuple[tuple[int, int], ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)  # old -> new of every chain

    @property
    def key(self) -> tuple[tuple[str, str], ...]:
        """The renames as a memo key (comparisons under other renames classify other pairs of outcomes)."""
        return tuple(sorted(self.names.items()))


NO_PAIRING = Pairing()


@record
class Renamed:
    """A matrix entry point renamed between the two sides of a comparison, compared with its old self:
    ``compared`` of its scenarios ran on both sides; ``note`` says where the rename is shown."""

    old: str
    new: str
    compared: int
    note: str

    def __str__(self) -> str:
        return f"{self.old} -> {self.new}"


def _once(result: MatrixResult, key: tuple[object, ...], make: Callable[[], T]) -> T:
    if key not in result.memo:
        result.memo[key] = make()
    found: T = result.memo[key]
    return found


def _variant(result: MatrixResult, name: str | None) -> Variant | None:
    try:
        return result.variant(name) if name is not None else None
    except KeyError:
        return None


def _applied(series: Series, v: Variant, after: int = 0) -> list[Patch]:
    """The patches of the variant's own revision that it applies, in order; ``after``: past its first sources."""
    out = []
    for msgid, _ in v.sources[after:]:
        found = series.find_message(msgid)
        if isinstance(found, Patch) and found.mail.subject.version == v.revision:
            out.append(found)
    return out


def _patch_change(result: MatrixResult, series: Series, p: Patch) -> Renames:
    """What a patch renames, from the states around it when they were run (nothing shown otherwise)."""
    version = p.mail.subject.version
    before = _variant(result, state_name(series, version, p.number))
    after = _variant(result, state_name(series, version, p.number + 1))
    if before is None or after is None:
        return Renames()
    return _once(result, ("patch-renames", p.mail.msgid, before.name, after.name),
                 lambda: _with_split(patch_renames(p, before, after), p, series, (before, after)))


def _with_split(found: Renames, p: Patch, series: Series, states: tuple[Variant, Variant]) -> Renames:
    """A patch's renames and those it ends that an earlier patch of its revision began (harness.renames.
    split_renames: the copy under its new name added before, the old one removed here): the old body's static
    locals and once states then go on under the new name, as across a rename made in one patch."""
    had = {x.old for x in found.found}
    split = tuple(r for r in split_renames(p, states, earlier_in(series, p)) if r.old not in had)
    olds = {r.old for r in split}
    return Renames(found.found + split, tuple(u for u in found.undecided if u.old not in olds)) if split else found


def changes_between(result: MatrixResult, series: Series, a: Variant, b: Variant) -> list[Renames]:
    """The renames each change from ``a`` to ``b`` shows, in order: ``b``'s revision against ``a``'s when they
    differ (harness.renames.revision_renames), else each patch ``b`` applies that ``a`` does not; then, for a
    reviewer variant, its own diffs against its start (harness.renames.proposal_renames)."""
    out: list[Renames] = []
    if a.revision is not None and b.revision is not None and a.revision != b.revision:
        out.append(_once(result, ("revision-renames", b.name), lambda: revision_renames(series, b)))
    elif b.revision is not None:
        had = dict(a.sources)
        # The state before a patch is its prefix (v3:05 -> v3:06): only what b applies past it is looked up.
        past = len(a.sources) if b.sources[:len(a.sources)] == a.sources else 0
        out += [_patch_change(result, series, p) for p in _applied(series, b, past) if p.mail.msgid not in had]
    start = _variant(result, b.start) if b.proposed else None
    if start is not None and b.name != a.name:
        out.append(_once(result, ("proposal-renames", b.name), lambda: proposal_renames(start, b)))
    return out


def chains_of(changes: list[Renames]) -> list[Chain]:
    """The renames of successive changes joined where one goes on from where another ended (each change renames
    a name once: two helpers that swap names in one change are two renames, never a chain back); a chain that
    comes back to its first name is no rename."""
    chains: list[list[Rename]] = []
    for change in changes:
        ends = {c[-1].new: c for c in chains}
        for r in change.found:
            going = ends.pop(r.old, None)
            if going is not None:
                going.append(r)
            else:
                chains.append([r])
    return [Chain(tuple(c)) for c in chains if c[0].old != c[-1].new]


def _defined(v: Variant) -> set[str]:
    return {n for n, ds in definitions(variant_sources(v)).items() if any(d.kind in (Kind.FUNCTION, Kind.MACRO)
                                                                          for d in ds)}


def _lane_pairs(result: MatrixResult, a: str, b: str, old: str, new: str) -> list[tuple[int, int]]:
    """(old's lane, new's lane) per translation unit, when ``a`` provides only the old name, ``b`` only the new
    one, and both names have the same scenarios in every unit (a renamed entry runs with its old units and
    arguments, harness.discover); none otherwise."""
    lanes = result.lanes
    olds = {lane.unit: n for n, lane in enumerate(lanes) if lane.entry == old}
    news = {lane.unit: n for n, lane in enumerate(lanes) if lane.entry == new}
    if not olds or olds.keys() != news.keys():
        return []
    if any(result.code_group(b, n) >= 0 for n in olds.values()) or \
            any(result.code_group(a, n) >= 0 for n in news.values()):
        return []  # a side has both names: each is compared with itself

    def cells(n: int) -> list[tuple[str, str]]:
        return [(result.matrix.scenarios[p].leaf_name, result.matrix.scenarios[p].script.name)
                for p in lanes[n].positions]
    if any(cells(olds[u]) != cells(news[u]) for u in olds):
        return []
    return [(olds[u], news[u]) for u in sorted(olds)]


def rename_pairing(result: MatrixResult, series: Series, a: Variant, b: Variant) -> Pairing:
    """The renames a comparison of ``b`` against ``a`` follows (see the module doc): the chains whose first name
    ``a`` defines and whose last ``b`` does, and of those the matrix entry points ``a`` provides only under the
    old name and ``b`` only under the new one. Worked out once per pair of states."""
    return _once(result, ("rename-pairing", a.name, b.name), lambda: _pairing(result, series, a, b))


def _pairing(result: MatrixResult, series: Series, a: Variant, b: Variant) -> Pairing:
    moved = unit_moves(result, a, b)  # a found entry point moved into a .c file created: one helper, two units
    chains = chains_of(changes_between(result, series, a, b))
    da, db = (_defined(a), _defined(b)) if chains else (set(), set())
    kept = tuple(c for c in chains if c.old in da and c.new in db)
    if not kept:
        return Pairing(lanes=tuple(moved)) if moved else NO_PAIRING
    entries = {e.name for e in result.matrix.entries}
    paired: list[Chain] = []
    lanes: list[tuple[int, int]] = []
    for c in kept:
        found = _lane_pairs(result, a.name, b.name, c.old, c.new) if c.old in entries and c.new in entries else []
        if found:
            paired.append(c)
            lanes += found
    taken = {n for pair in lanes for n in pair}
    lanes += [pair for pair in moved if not taken & set(pair)]
    return Pairing(kept, tuple(paired), tuple(lanes), {c.old: c.new for c in kept})


def renamed_state(o: Outcome, names: Mapping[str, str]) -> Outcome:
    """The outcome with each static local of a renamed function (``old::x``, and the once states ``old::
    pr_err_once()``) under the function's new name, so that a rename alone leaves the same state behind."""
    if not o.state or not names:
        return o
    moved = []
    for name, value in o.state:
        func, sep, rest = name.partition("::")
        moved.append((f"{names[func]}{sep}{rest}" if sep and func in names else name, value))
    state = tuple(sorted(moved))
    return o if state == o.state else replace(o, state=state)


def paired_positions(result: MatrixResult, pairing: Pairing) -> dict[int, int]:
    """Matrix position of each scenario of a renamed entry point's old name -> that of its new name's twin."""
    lanes = result.lanes
    return {p: q for a, b in pairing.lanes for p, q in zip(lanes[a].positions, lanes[b].positions, strict=True)}
