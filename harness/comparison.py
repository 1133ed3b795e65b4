"""A comparison of two variants as the reports read it: what differs, where each fact holds, what was not compared."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import field
from enum import Enum
from functools import cached_property

from harness.configwords import config_assumed, config_headline
from harness.coverage import ADDED_LATER, NOT_IN_CODE
from harness.explain import DiffClass, Difference
from harness.factpick import picked
from harness.matrix import Scenario
from harness.renamepair import Renamed
from harness.samecode import CodeIdentity
from models.lazyre import lazy
from models.record import record

# The matrix's leaves, and its scripts: every one, or per leaf those the leaf runs under (harness.compare), so that a
# leaf seeing every script it takes reads 'all scripts' (was a list for any leaf some script's ``leaves`` leave out).
Universe = tuple[frozenset[str], frozenset[str] | Mapping[str, frozenset[str]]]

_SERIES = re.compile(r"^(.*-x)(\d+)$")
# How harness.findings.not_applied ends what a patch did not change in the state after it (a hunk git apply refuses
# there), followed by that state's name: its change there never ran, and the verdict says so first.
NOT_APPLIED = "this patch's change there is not in"
# harness.compare's fact of an entry point added whose runs end cleanly: 'NAME() is new: WHO defines it' (or 'creates
# UNIT, its unit'; of two states 'B defines it, A does not'). With a tail (runs ending in an error, a rename not
# compared with its old self) it is no plain addition.
_ADDED = lazy(r"\w+\(\) is new: [^()]*(?:defines it|, its unit|does not)")

NEST = "a retry loop around another"  # how harness.nestedretry's undecided notes begin
CONVERSION = "a printk conversion changed"  # how harness.valueconv's undecided notes begin
ARGS = "a macro argument evaluated otherwise"  # how harness.macroargs' undecided notes begin
SECTION = "a function's section changed"  # how harness.sectionwords' undecided notes begin


_PROVIDED = (DiffClass.PROVIDED,)


def _all_added(differences: tuple[Difference, ...]) -> bool:
    """Whether each difference is an entry point provided on one side only whose every note is a plain addition
    (_ADDED): each tuple of notes matched once (the differences of an entry point added share one), the differences
    holding their tuples so that no id is reused meanwhile."""
    matched: set[int] = set()
    for d in differences:
        if d.classes != _PROVIDED:
            return False
        if id(d.notes) not in matched:
            if not all(map(_ADDED().fullmatch, d.notes)):
                return False
            matched.add(id(d.notes))
    return True


@record
class Gap:
    """Scenarios that could not be compared because a side did not run, grouped by the reason why."""

    entries: tuple[str, ...]
    scenarios: int
    reason: str
    # Not provided on either side, neither having the unit they run in (the tree lacks it and no patch creates it,
    # harness.coverage.missing_unit): no kernel built from either side has that code, so it shows nothing unchecked
    # of what changed between them (a move: harness.movefind); still said, since it is out of the scenarios compared.
    absent: bool = False

    @property
    def added_by(self) -> str | None:
        """The later patch that adds the entry points neither side has yet ('v1 03/3'), or None."""
        m = ADDED_LATER.search(self.reason)
        return m.group(1) if m is not None else None

    @property
    def said_once(self) -> str:
        """What a section says after this gap under the first patch it holds for, where it holds alike under each
        patch (entry points a later patch adds, in no file of any state, or run in a unit neither side has, which the
        tree lacks and no patch creates): '' for another gap."""
        if self.added_by is not None:
            return "not said again under the patches before it"
        return "not said again under the other patches" if self.absent or NOT_IN_CODE.search(self.reason) else ""

    def __str__(self) -> str:
        return (f"not compared: {', '.join(self.entries)} ({self.scenarios} scenario"
                f"{'s' if self.scenarios != 1 else ''}): {self.reason}")


@record
class Comparison:
    """Two variants over the whole matrix.

    Only scenarios that ran on both sides (``compared`` of ``total``) are compared; ``differences`` are
    among those, plus entry points a patch demonstrably adds or removes. The rest are ``gaps``. An entry point
    renamed between the two (``renamed``) is compared with its old self: each pair of scenarios counts once in
    ``total``, its difference under the new name's scenario.
    """

    view: str
    a: str
    b: str
    label: str
    msgid: str | None
    differences: tuple[Difference, ...]
    total: int
    universe: Universe = (frozenset(), frozenset())
    compared: int = 0
    gaps: tuple[Gap, ...] = ()
    ran_both: Mapping[str, int] = field(default_factory=dict)  # entry -> scenarios compared
    unreached: tuple[str, ...] = ()  # code the patch changes that no entry point reaches: not compared
    not_run: tuple[str, ...] = ()  # code the patch changes that only scenarios that could not run reach
    renamed: tuple[Renamed, ...] = ()
    # Files holding code compared here that only a CONFIG_-guarded Makefile line builds, the option taken as set
    # (harness.configonly.assumed_built): what is said holds for a kernel configured with it.
    assumed: tuple[str, ...] = ()
    # Conditions that differ between the sides which no scenario that ran, nor an answer next to what they test
    # (harness.valuecover), told apart: "no behaviour change" cannot stand over them.
    undecided: tuple[str, ...] = ()
    extra: tuple[Scenario, ...] = ()  # scenarios of ``differences`` the matrix lacks: those answers' runs
    # Two revisions: whether their files are the same blobs after applying (harness.samecode), said before what ran.
    code: CodeIdentity | None = None
    # Per entry point fed no leaf, the one leaf its differing runs issued on both sides, as said ('TDH_SYS_LP_INIT',
    # '0x20' where the matrix names none; harness.compare.with_own_leaves): 'its own leaf TDH_SYS_LP_INIT x ...'.
    own_leaves: Mapping[str, str] = field(default_factory=dict)
    # Static helpers one side alone defines whose callers ran on both sides (harness.helperruns): compared through
    # them, each said as new or gone, never a difference of its own.
    helpers: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.differences)

    @property
    def unchanged(self) -> bool:
        """Behaviour is the same in every scenario, every scenario ran on both sides, and every change the
        patch makes is in code they reach."""
        return not self.differences and self.compared == self.total and not self.unreached and not self.not_run \
            and not self.undecided

    @cached_property
    def adds_only(self) -> bool:
        """What differs is only entry points the second side adds, and every scenario of the entry points both sides
        have ran on both and agreed (nothing unreached, not run or undecided): the patch adds code, and no entry
        point that was there behaves otherwise. Worked out once: the report's headlines ask it of every patch, and a
        patch adding an entry point differs in each of its scenarios (10,000 at the bench's scale)."""
        return bool(self.differences) and self.compared + len(self.differences) == self.total and not self.gaps \
            and not self.unreached and not self.not_run and not self.undecided and _all_added(self.differences)

    @property
    def changer(self) -> str:
        """Whose change the comparison's second side holds, in words: 'the proposal', 'the patch', ..."""
        return self._changer

    @property
    def _changer(self) -> str:
        """Whose change the comparison's second side holds: a reviewer's proposal, else the patch (or patches)."""
        return {"proposal": "the proposal", "revision": "the revision", "against": "the variant"}.get(self.view,
                                                                                                  "the patch")

    def verdict(self) -> str:
        """What the comparison can honestly say when nothing differs (``(renamed a -> b)`` after it when an entry
        point was compared with its old self)."""
        said = self._verdict()
        shown = [str(r) for r in self.renamed if r.compared]
        return f"{said} (renamed {', '.join(shown)})" if shown and self.compared else said

    def _reaches(self) -> str:
        """'reaches', or 'is known to reach' when every unreached place is a function a hunk shows called from code
        known only in part (reach_words): no entry point is known to reach it, which is not that none does."""
        return "is known to reach" if all(reach_words(u) != NONE_REACHES for u in self.unreached) \
            else "reaches"

    @property
    def unapplied(self) -> tuple[str, ...]:
        """What of the patch did not apply in the second side (harness.findings.not_applied): file, hunk, why."""
        tail = f": {NOT_APPLIED} {self.b}"
        return tuple(n.removesuffix(tail) for n in self.not_run if n.endswith(tail))

    def _verdict(self) -> str:
        said, missed = self._ran_verdict(), self.unapplied
        return f"{self._changer} does not apply in {self.b} ({'; '.join(missed)}): {said}" if missed else said

    def _undecided_kind(self) -> str:
        """What the undecided are: conditions, or values computed otherwise (models.valueexprs), or both."""
        if all(u.startswith(NEST) for u in self.undecided):
            return "retry loop nested in another"
        if all(u.startswith(CONVERSION) for u in self.undecided):
            return "printk conversion"
        if all(u.startswith(ARGS) for u in self.undecided):
            return "macro argument's evaluation count"
        if all(u.startswith(SECTION) for u in self.undecided):
            return "function's section"
        values = sum(u.startswith("a value of ") for u in self.undecided)
        return "condition" if not values else "value" if values == len(self.undecided) else "condition and a value"

    def _ran_verdict(self) -> str:
        if not self.compared:
            return "nothing compared: no scenario ran on both sides"
        if self.unreached:
            return (f"no behaviour change in the {self.compared} of {self.total} scenarios that ran on both sides, "
                    f"but {self._changer} also changes code no entry point {self._reaches()}")
        if len(self.not_run) > len(self.unapplied):
            said = f"no behaviour change in the {self.compared} of {self.total} scenarios that ran on both sides"
            unrun = tuple(n for n in self.not_run if n.removesuffix(f": {NOT_APPLIED} {self.b}") not in
                          self.unapplied)
            if any(u.startswith(ARGS) for u in self.undecided):  # the finding first: a caller's 'i++' differs
                return f"{said}, but {self._changer} changes a macro argument's evaluation count that none of them " \
                       "tells apart, and some of the code it changes never ran"
            config = config_headline(said, self._changer, unrun, sum(config_assumed((n,)) is None for n in unrun))
            return config or f"{said}, but some of the code {self._changer} changes never ran"
        if self.undecided:
            return (f"no behaviour change in the {self.compared} of {self.total} scenarios that ran on both sides, "
                    f"but {self._changer} changes a {self._undecided_kind()} that none of them tells apart")
        if self.compared == self.total:
            return "no behaviour change"
        if self.compared:
            return f"no behaviour change in the {self.compared} of {self.total} scenarios that ran on both sides"
        return "nothing compared: no scenario ran on both sides"

    def facts(self, limit: int = 6, every: bool = True) -> list[Facts]:
        """Entry points that changed alike, with the facts harness.factpick.picked shows of each (up to ``limit``,
        each change once first; with ``every``, each conversion a log line changed even past it) and where each
        holds (worked out once per limit: the JSON, the page and the terminal each ask)."""
        if (limit, every) not in self._facts:
            self._facts[limit, every] = self._facts_of(limit, every)
        return self._facts[limit, every]

    @cached_property
    def _facts(self) -> dict[tuple[int, bool], list[Facts]]:
        return {}

    @cached_property
    def _by_entry(self) -> dict[str, tuple[Counter[str], list[Difference], dict[tuple[str, ...], list[int]]]]:
        """Per entry point: how often each note holds, its differing scenarios in order, and their indexes there by
        their notes (equal tuples of notes one list, in the order the first of each comes)."""
        # One pass that only appends, each difference's notes looked up by value (a tuple of strings hashes their kept
        # hashes in C; an id() is an audit event, read by the run recording's Python hook: 3,300 instructions). The
        # Counter is made from the groups in the order their first difference comes, each note counted as
        # many times as its group has differences: its first appearances, ties, and so most_common, come out as if
        # counted one difference at a time. Where a note holds is worked out only for the notes a summary shows.
        seen: dict[str, tuple[list[Difference], dict[tuple[str, ...], list[int]]]] = {}
        for d in self.differences:
            entry = d.scenario.entry.name
            diffs, alike = seen.get(entry) or seen.setdefault(entry, ([], {}))
            at = alike.get(d.notes)
            if at is None:
                at = alike[d.notes] = []
            at.append(len(diffs))
            diffs.append(d)
        out = {}
        for entry, (diffs, alike) in seen.items():
            counts: Counter[str] = Counter()
            for notes, at in alike.items():
                for n in notes:
                    counts[n] += len(at)
            out[entry] = (counts, diffs, alike)
        return out

    def _facts_of(self, limit: int, every: bool) -> list[Facts]:
        alike: dict[tuple[int, int, tuple[tuple[str, str], ...], int], list[str]] = {}
        extra = {id(s) for s in self.extra}  # the value runs' scenarios, which the differences hold
        for entry, (notes, diffs, by_notes) in self._by_entry.items():
            chosen, more = picked(notes, limit, every)
            top = tuple((n, self._where_seen(entry, n, diffs, by_notes)) for n in chosen)
            values = sum(id(d.scenario) in extra for d in diffs) if extra else 0
            alike.setdefault((len(diffs), values, top, more), []).append(entry)
        return [Facts(tuple(entries), count, top, more, values, tuple(self.ran_both.get(e, 0) for e in entries))
                for (count, values, top, more), entries in alike.items()]

    def _where_seen(self, entry: str, note: str, diffs: list[Difference], by_notes: dict[tuple[str, ...], list[int]]
                    ) -> str:
        """Where ``note`` holds among the entry point's differing scenarios (``diffs``, whose indexes ``by_notes``
        holds by their notes), worked out once."""
        key = f"{entry}\0{note}"
        if key not in self._where:
            at = sorted(i for notes, group in by_notes.items() if note in notes for i in group)  # in their order
            own = self.own_leaves.get(entry, "")
            self._where[key] = where_seen([diffs[i].scenario for i in at], self.universe, own)
        return self._where[key]

    @cached_property
    def _where(self) -> dict[str, str]:
        return {}

    def summary(self, limit: int = 4, context: bool = True) -> list[str]:
        """One line per group of entry points that changed alike: scenario count and the commonest facts."""
        lines = self.code_said() + ([] if self.differences else [self.verdict()])
        if self.differences:
            lines += [f"{r.new}: renamed from {r.old}, compared with its old self ({r.compared} scenario"
                      f"{'s' if r.compared != 1 else ''} ran on both sides)" for r in self.renamed]
        for f in self.facts(limit):
            shown = [f"{n} [{where}]" if context else n for n, where in f.notes]
            tail = f"; and {f.more} more" if f.more else ""
            lines.append(f"{', '.join(f.entries)}: {f.differing()}: " + "; ".join(shown) + tail)
        return lines + [str(g) for g in self.gaps] + self.uncovered() + self.assumptions()

    def code_said(self) -> list[str]:
        """Whether the two sides hold the same code (harness.samecode), as a line; none where it is seen to differ."""
        said = self.code.said() if self.code is not None else ""
        return [said] if said else []

    def assumptions(self) -> list[str]:
        """What the comparison rests on: a CONFIG_ option guarding a Makefile line the harness assumes set, and the
        new or gone static helpers compared through their callers (helpers)."""
        return [f"assumed built (the harness reads no .config): {a}" for a in self.assumed] + list(self.helpers)

    def uncovered(self) -> list[str]:
        """What the patch changes that no comparison covers: code no entry point reaches, and code that did
        not run (harness.reach, harness.linecover); one line each, as every report says it."""
        return [f"not compared: {u}, {reach_words(u)}" for u in self.unreached] \
            + [f"not compared: {u}" for u in self.not_run] + [f"not compared: {u}" for u in self.undecided]


# A place whose caller is known only from a hunk: no entry point is known to reach it, which is not to say none does.
SEEN_CALL = "in code the hunks do not show whole: give --tree"
# A line outside every definition the hunks show whole: it may be inside a function they show in part, which an entry
# point may reach.
NO_WHOLE = "in no definition the hunks show whole: give --tree"
# A definition the mail alone cannot say nothing calls: one the tree's other files may call (in a header, not static),
# or one in a file the hunks show only in part (harness.reach); no entry point is known to reach it.
UNSEEN_CALLERS = "from mail alone, callers in the tree are not seen: give --tree"
# The end of a line in a file a hunk git apply refused left unusable (harness.reach): none of its definitions is read,
# so what holds the line, and what reaches it, is not known.
UNUSABLE_END = ": see the apply findings)"


def reach_words(place: str) -> str:
    """What is known of how an unreached place is reached, as the reports end its line: "which no entry point
    reaches", or, for a function a hunk shows called from code known only in part (_seen_call), that none is known
    to (the caller's body, and so who calls it, is not read), as for a line in no definition the hunks show whole
    or in a file a refused hunk left unusable."""
    known = place.endswith((f"{SEEN_CALL})", f"({NO_WHOLE})", UNUSABLE_END, f"{UNSEEN_CALLERS})"))
    return "which no entry point is known to reach" if known else NONE_REACHES


NONE_REACHES = "which no entry point reaches"  # reach_words of code known whole that nothing reaches


class Reach(Enum):
    """What is known of who reaches a place no entry point is seen to reach (harness.reach.unreached_places): the
    rules decide on this, never on the words a place is said in (a rewording of them once turned a gap into none)."""

    NONE = "none"  # code known whole that nothing reaches
    SEEN_CALL = "seen-call"  # a function a hunk shows called from code known only in part: SEEN_CALL
    NOT_WHOLE = "not-whole"  # a line in no definition the hunks show whole: NO_WHOLE
    UNUSABLE = "unusable"  # in a file a hunk git apply refused left unusable: UNUSABLE_END
    UNSEEN = "unseen"  # from mail alone, a definition the tree's unseen lines may call: UNSEEN_CALLERS

    @property
    def words(self) -> str:
        """How a report ends the place's line (reach_words' for its text)."""
        return NONE_REACHES if self is Reach.NONE else "which no entry point is known to reach"


@record
class Place:
    """A place no entry point is seen to reach, as harness.reach finds it: ``text`` as the reports say it, ``owner``
    the definition holding it ('demo()', 'DEMO_X') or, outside every one, ``path:line`` (``path`` for a header no file
    includes), ``path`` its file on the side first seen, ``reach`` what is known of who reaches it."""

    text: str
    owner: str
    path: str
    reach: Reach


@record
class Facts:
    """Entry points that changed the same way: scenario count, (fact, where it holds) pairs, facts left out; of the
    count, the value runs (harness.valuecover: no scenarios of the matrix), and per entry point the scenarios that
    ran on both sides."""

    entries: tuple[str, ...]
    count: int
    notes: tuple[tuple[str, str], ...]
    more: int
    value_runs: int = 0
    ran: tuple[int, ...] = ()  # Comparison.ran_both of each entry point, in the order of ``entries``

    def differing(self) -> str:
        """"1 scenario differs", "64 scenarios differ", "4 value runs differ", "28 scenarios and 2 value runs
        differ", or for entry points that changed alike "64 scenarios differ in each" (the count is per entry point,
        so that it is never read as their total, nor as the scenarios that ran)."""
        scenarios = self.count - self.value_runs
        parts = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in ((scenarios, "scenario"),
                                                                       (self.value_runs, "value run")) if n]
        said = " and ".join(parts) + (" differs" if self.count == 1 else " differ")
        return said + (" in each" if len(self.entries) > 1 else "")

    def out_of(self) -> str:
        """What the scenarios that differ are a part of, said after differing() on the page: ', of the 35 that ran on
        both sides' (of each entry point's own, never the comparison's whole matrix: an entry point fed no leaf has
        half the scenarios of one fed it), or nothing where some differ without having run on both sides (an entry
        point a patch adds) or only value runs differ."""
        scenarios = self.count - self.value_runs
        if not scenarios or not self.ran or min(self.ran) < scenarios:
            return ""
        counts = " or ".join(map(str, sorted(set(self.ran))))
        return f", of the {counts} {'each' if len(self.entries) > 1 else 'that'} ran on both sides"


WHERE_PARTS = 4


def where_seen(scenarios: list[Scenario], universe: Universe, own: str = "") -> str:
    """Exactly the (leaf, script) pairs these scenarios cover, as products: leaves that saw the same scripts
    are one ``leaves x scripts`` part ('all leaves' / 'all scripts' when a part covers them all), parts
    joined by '; ' (at most WHERE_PARTS, then how many pairs are left). Scenarios of an entry point fed no leaf
    are said by their scripts alone: 'its own leaf x busy', or with ``own``, the leaf they issued, 'its own leaf
    TDH_SYS_INFO x busy' (_own_leaf)."""
    if scenarios and all(s.leafless for s in scenarios):
        return _own_leaf(scenarios, universe, own)
    by_leaf: dict[str, dict[str, None]] = {}  # in order of first appearance
    for s in scenarios:
        seen = by_leaf.get(s.leaf_name)  # not setdefault(leaf, {}): a dict made per scenario, 10,000 for one note
        if seen is None:
            seen = by_leaf[s.leaf_name] = {}
        seen[s.script.name] = None
    if universe[0] and universe[1] and set(by_leaf) == universe[0] \
            and all(set(seen) == _taken(universe[1], leaf) for leaf, seen in by_leaf.items()):
        return "all leaves x all scripts"  # each leaf under every script it takes, though those differ per leaf
    parts: dict[frozenset[str], tuple[list[str], list[str]]] = {}
    for leaf, seen in by_leaf.items():
        parts.setdefault(frozenset(seen), (list(seen), []))[1].append(leaf)
    shown = []
    for scripts, leaves in parts.values():
        every_leaf = len(parts) == 1 and universe[0] and set(leaves) == universe[0]
        named = "all leaves" if every_leaf else ", ".join(leaves)
        every_script = universe[1] and all(set(scripts) == _taken(universe[1], leaf) for leaf in leaves)
        shown.append(f"{named} x {'all scripts' if every_script else compact_scripts(scripts)}")
    if len(shown) > WHERE_PARTS:
        left = sum(len(s) * len(ls) for s, ls in list(parts.values())[WHERE_PARTS:])
        shown[WHERE_PARTS:] = [f"{left} more leaf x script pairs"]
    return "; ".join(shown)


def _own_leaf(scenarios: list[Scenario], universe: Universe, own: str = "") -> str:
    """Where a fact of an entry point fed no leaf holds: 'its own leaf x SCRIPTS', 'its own leaf TDH_SYS_INFO x
    SCRIPTS' where its runs issued that one leaf (``own``). It issues the leaf it chooses whichever leaf its run
    stands for (harness.matrix._expand runs it once per kind of leaf), so its runs differ by their scripts alone:
    naming the leaves they stood for ('as for TDH_SYS_INIT, ...' of a wrapper issuing SEAMLDR_INFO) read as though
    those leaves had been issued."""
    scripts = list(dict.fromkeys(s.script.name for s in scenarios))
    known = universe[1]
    every = known if isinstance(known, frozenset) else frozenset().union(*known.values())
    said = "all scripts" if every and set(scripts) == every else compact_scripts(scripts)
    return f"its own leaf {own} x {said}" if own else f"its own leaf x {said}"


def _taken(scripts: frozenset[str] | Mapping[str, frozenset[str]], leaf: str) -> frozenset[str]:
    """The scripts ``leaf`` runs under: all of them, or its own where the universe says per leaf (a script with
    ``leaves`` runs under those alone: 'all scripts' of a leaf are those it takes)."""
    return scripts if isinstance(scripts, frozenset) else scripts.get(leaf, frozenset())


def compact_scripts(names: list[str]) -> str:
    """Script names with their repeat counts folded: tdx-no-entropy-x9, -x10, -x11 -> tdx-no-entropy-x9/10/11."""
    out: list[str] = []
    runs: dict[str, int] = {}
    for name in names:
        m = _SERIES.match(name)
        if m is not None and m.group(1) in runs:
            out[runs[m.group(1)]] += "/" + m.group(2)
            continue
        if m is not None:
            runs[m.group(1)] = len(out)
        out.append(name)
    return ", ".join(out)
