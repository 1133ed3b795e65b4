"""MatrixResult: the outcome of every variant x scenario, stored per code group, and its queries."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from harness.budgets import STEP_BUDGET, TIME_BUDGET
from harness.matrix import Matrix, Scenario
from harness.statenames import state_alias
from harness.variants import Variant
from models.outcome import NO_COVERAGE, NO_LOG_SOURCES, NOT_PROVIDED, Coverage, LogSource, LogSources, Outcome, RunDeps
from models.record import record

if TYPE_CHECKING:
    from harness.outcome_cache import OutcomeCache
    from models.facts import CodeFacts
    from models.loader import Source


@record
class Lane:
    """The scenarios of one entry point in one translation unit, by matrix position."""

    entry: str
    unit: str
    positions: tuple[int, ...]


@record
class MatrixResult:
    """Outcomes of every variant, built once by run_matrix and read through its queries.

    Storage: per lane, each variant points at a code group (-1: the entry point is not provided); a code
    group holds the outcomes of the lane's scenarios, shared by every variant whose code is the same.
    """

    variants: tuple[Variant, ...]
    matrix: Matrix
    lanes: tuple[Lane, ...]
    executed: int
    reused: int
    cached: int
    _groups: tuple[tuple[Outcome, ...], ...] = field(repr=False)
    _assign: Mapping[str, tuple[int, ...]] = field(repr=False)
    _load_errors: Mapping[str, str] = field(repr=False)
    replayed: int = 0  # of ``executed``: outcomes of an earlier run that looked at the same answers (Mirror.run)
    # Code facts (or why the code did not load) that worker processes read while the C was loaded there,
    # so that the rules need not parse it again in this one (harness.judge.FactsCache).
    facts: Mapping[tuple[Source, ...], CodeFacts | str] = field(default_factory=dict, repr=False)
    _coverage: Mapping[int, Coverage] = field(default_factory=dict, repr=False)  # per code group
    # The outcome cache the matrix ran with (None: none), where the comparisons keep what parsing the C found
    # beyond the matrix's runs (harness.valuecover): a rerun then parses none.
    store: OutcomeCache | None = field(default=None, repr=False, compare=False)
    # Per code group, what names its outcomes: its outcome-cache key (the code run, its pr_fmt, the scenarios, the
    # mirror; the entry's digest says what was kept there), or the error a group that does not run ends in. A group
    # without one (a run cut short by time, code that did not load, no cache) has outcomes nothing names: no
    # comparison over it is kept (harness.comparecache).
    keys: Mapping[int, str] = field(default_factory=dict, repr=False, compare=False)
    # The wall-clock seconds each piece of code had over a lane's scenarios (MatrixRequest.time_budget; 0: no limit):
    # the comparisons' value runs of each side's code of an entry point get as much (harness.valuecover).
    time_budget: float = field(default=TIME_BUDGET, repr=False, compare=False)
    # And the mirror steps (MatrixRequest.step_budget; 0: no limit), which they get likewise.
    step_budget: int = field(default=STEP_BUDGET, repr=False, compare=False)
    # Per code group, a number for each outcome (numbered()): equal numbers, one object. A key for what is worked out
    # per outcome object, where id() would raise an audit event a call (the run recording's Python hook reads each:
    # harness.auditlog, ~3,300 instructions). Empty: numbered here (numbered(merge=False)).
    numbers: tuple[tuple[int, ...], ...] = field(default=(), repr=False, compare=False)

    def coverage(self, variant: str) -> Coverage:
        """The statement coverage of every run of a variant (its code groups', runs that ran only)."""
        kept = self._covered.get(variant)
        if kept is None:
            kept = NO_COVERAGE
            for g in self._assign[variant]:
                kept = kept | self._coverage.get(g, NO_COVERAGE) if g >= 0 else kept
            self._covered[variant] = kept
        return kept

    def run_coverage(self, variant: str, position: int) -> frozenset[str]:
        """What the run of the scenario at matrix ``position`` executed for a variant (models.outcome.Coverage
        .runs); empty when it did not run or that is not known."""
        lane_of, local = self._where
        g = self._assign[variant][lane_of[position]]
        runs = self._coverage.get(g, NO_COVERAGE).runs if g >= 0 else ()
        return runs[local[position]] if local[position] < len(runs) else frozenset()

    def log_sources(self, group: int) -> LogSources:
        """Where the log lines of a code group's runs came from (models.outcome.LogSources); none known for -1."""
        return self._coverage.get(group, NO_COVERAGE).log if group >= 0 else NO_LOG_SOURCES

    def run_log_sources(self, variant: str, position: int) -> tuple[LogSource | None, ...]:
        """Where each log line of the run of the scenario at matrix ``position`` came from, for a variant
        (LogSources.of_run); empty when not known."""
        lane_of, local = self._where
        return self.log_sources(self._assign[variant][lane_of[position]]).of_run(local[position])

    def lock_deps(self, variant: str) -> list[tuple[str, str, RunDeps]]:
        """Each run of a variant that added lock-order dependencies or marked a lock class's IRQ usage
        (models.lockdep.run_deps()): its unit, its scenario id, and them."""
        out: list[tuple[str, str, RunDeps]] = []
        for lane, g in zip(self.lanes, self._assign[variant], strict=True):
            deps = self._coverage.get(g, NO_COVERAGE).deps if g >= 0 else ()
            out.extend((lane.unit, self.matrix.scenarios[p].id, d) for p, d in zip(lane.positions, deps, strict=False)
                       if d)
        return out

    @cached_property
    def _covered(self) -> dict[str, Coverage]:
        return {}

    @cached_property
    def _where(self) -> tuple[list[int], list[int]]:
        lane_of = [0] * len(self.matrix.scenarios)
        local = [0] * len(self.matrix.scenarios)
        for n, lane in enumerate(self.lanes):
            for i, p in enumerate(lane.positions):
                lane_of[p], local[p] = n, i
        return lane_of, local

    def at(self, variant: str, position: int) -> Outcome:
        """The outcome of the scenario at ``position`` of the matrix."""
        lane_of, local = self._where
        g = self._assign[variant][lane_of[position]]
        return NOT_PROVIDED if g < 0 else self._groups[g][local[position]]

    def outcome(self, variant: str, scenario: Scenario | str) -> Outcome:
        """The outcome of a scenario (or scenario id) for a variant."""
        sid = scenario if isinstance(scenario, str) else scenario.id
        return self.at(variant, self.matrix.position(sid))

    @cached_property
    def _classes(self) -> tuple[dict[str, int], tuple[tuple[int, ...], ...]]:
        rows: dict[tuple[int, ...], int] = {}
        of = {v.name: rows.setdefault(tuple(self._assign[v.name]), len(rows)) for v in self.variants}
        return of, tuple(rows)

    def outcome_class(self, variant: str) -> int:
        """Variants whose code groups are equal in every lane have the very same outcomes: one class, so
        that per-scenario work (tables, groups, reports) is done per class, not per variant."""
        return self._classes[0][variant]

    @property
    def class_count(self) -> int:
        return len(self._classes[1])

    def class_outcomes(self, cls: int) -> tuple[Outcome, ...]:
        """The outcome of every scenario, in matrix order, for the variants of an outcome class."""
        done = self._class_rows.get(cls)
        if done is None:
            row, out = self._classes[1][cls], [NOT_PROVIDED] * len(self.matrix.scenarios)
            for lane, g in zip(self.lanes, row, strict=True):
                if g >= 0:
                    for p, o in zip(lane.positions, self._groups[g], strict=True):
                        out[p] = o
            done = self._class_rows[cls] = tuple(out)
        return done

    @cached_property
    def _class_rows(self) -> dict[int, tuple[Outcome, ...]]:
        return {}

    def outcome_numbers(self, lane: int, group: int) -> tuple[int, ...]:
        """The number of each outcome of a code group in a lane, as group_outcomes gives them (NOT_PROVIDED's: -1):
        equal numbers, the very same outcome object (``numbers``)."""
        return self._numbered[group] if group >= 0 else (-1,) * len(self.lanes[lane].positions)

    def numbers_of(self, variant: str) -> tuple[int, ...]:
        """The number of every scenario's outcome, in matrix order, as outcomes_of gives them (outcome_numbers): for
        a loop that reads them by position, in C."""
        cls = self.outcome_class(variant)
        done = self._class_numbers.get(cls)
        if done is None:
            out = [-1] * len(self.matrix.scenarios)  # as class_outcomes: a cell no lane holds is NOT_PROVIDED
            for k, (lane, g) in enumerate(zip(self.lanes, self._classes[1][cls], strict=True)):
                for p, n in zip(lane.positions, self.outcome_numbers(k, g), strict=True):
                    out[p] = n
            done = self._class_numbers[cls] = tuple(out)
        return done

    @cached_property
    def _class_numbers(self) -> dict[int, tuple[int, ...]]:
        return {}

    @cached_property
    def _numbered(self) -> tuple[tuple[int, ...], ...]:
        return self.numbers or numbered(self._groups, merge=False)[1]

    def outcomes_of(self, variant: str) -> tuple[Outcome, ...]:
        """The outcome of every scenario, in matrix order (shared by the variants of one outcome class)."""
        return self.class_outcomes(self.outcome_class(variant))

    def code_group(self, variant: str, lane: int) -> int:
        """The code group a variant runs in a lane (equal groups: the very same outcomes); -1 if not provided."""
        return self._assign[variant][lane]

    def group_outcome(self, group: int, index: int) -> Outcome:
        """The outcome of a lane's ``index``-th scenario in a code group (-1: not provided)."""
        return NOT_PROVIDED if group < 0 else self._groups[group][index]

    def group_outcomes(self, lane: int, group: int) -> tuple[Outcome, ...]:
        """Every outcome of a code group in a lane, in the lane's order (-1: all not provided)."""
        return self._groups[group] if group >= 0 else (NOT_PROVIDED,) * len(self.lanes[lane].positions)

    def variant(self, name: str) -> Variant:
        """A variant of this result by name, ``vN:KK`` of a revision's last patch being ``vN`` when only that
        was run (harness.statenames.state_alias); KeyError for one that was not run."""
        found = self._by_name.get(name) or state_alias(self.variants, name)
        if found is None:
            raise KeyError(name)
        return found

    @cached_property
    def _by_name(self) -> dict[str, Variant]:
        # A state's other name (``base``: Variant.aliases) finds it too; its own name wins over another's alias.
        return {n: v for v in self.variants for n in (*v.aliases, v.name)}

    def load_error(self, variant: str) -> str | None:
        """Why the variant's C did not load, when it did not."""
        return self._load_errors.get(variant)

    @cached_property
    def memo(self) -> dict[tuple[Any, ...], Any]:
        """Room for what is worked out from pairs of this result's outcome objects or code groups (keys are
        ids, outcome numbers and indexes, which stay valid as long as the result lives)."""
        return {}

    @property
    def load_errors(self) -> Mapping[str, str]:
        return self._load_errors


def numbered(groups: Iterable[Iterable[Outcome]], merge: bool = True
             ) -> tuple[tuple[tuple[Outcome, ...], ...], tuple[tuple[int, ...], ...]]:
    """The outcomes of each code group, with (``merge``) equal outcomes that ran made one object (the first met), and a
    number for each (MatrixResult.numbers): equal numbers, the very same object; NOT_PROVIDED's -1, as
    outcome_numbers gives a lane no code group runs. An outcome that did not run stays itself (unsupported, out of
    time: the same only as itself, harness.explain.signature); equal ones are told apart with ``is`` (a lane whose
    code does not build holds one object in every scenario: harness.norun.error_group). What is worked out per
    outcome object (comparisons, tables, groups) is then worked out once per distinct outcome, across code groups
    too. Raises nothing; reads each outcome's kept hash (models.outcome)."""
    canon: dict[Outcome, tuple[Outcome, int]] = {}
    apart: dict[Outcome, list[tuple[Outcome, int]]] = {NOT_PROVIDED: [(NOT_PROVIDED, -1)]}
    made = itertools.count()

    def own(o: Outcome) -> tuple[Outcome, int]:
        alike = apart.setdefault(o, [])
        for kept in alike:
            if kept[0] is o:
                return kept
        alike.append(kept := (o, next(made)))
        return kept
    outs: list[tuple[Outcome, ...]] = []
    numbers: list[tuple[int, ...]] = []
    for g in groups:
        pairs = [canon.setdefault(o, (o, next(made))) if merge and o.ran else own(o) for o in g]
        outs.append(tuple([o for o, _ in pairs]))
        numbers.append(tuple([k for _, k in pairs]))
    return tuple(outs), tuple(numbers)
