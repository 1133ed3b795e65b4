"""One boot's lockdep over a variant's runs: every unit's runs joined, each class one unit's named by that unit."""

# lockdep's lock-order graph and its usage bits are global in a boot (kernel/locking/lockdep.c: every dependency and
# bit any task added stays), and a boot runs the code of every translation unit: an A -> B order one unit's runs add
# and a B -> A another's close a cycle there. Each run of the mirror is a fresh boot; its classes say which are one
# unit's (models.lockdep.unit_mark(): a header's static lock, a header's mutex_init() line), named here by the unit,
# and which are the kernel's one (a .c file's static lock, one of external linkage, a .c file's mutex_init() line).

from __future__ import annotations

from collections.abc import Collection

from harness.findings import FindingKind, ReportFinding
from harness.irqorder import unsafe_orders
from harness.irqusage import inconsistent, may_clash
from harness.lockcycles import Edge, cycle_text, cycles, unknown_classes
from harness.matrixresult import MatrixResult
from harness.variants import Variant
from models.lockdep import PER_TEXT, PER_UNIT
from models.outcome import LockDep

Runs = list[tuple[str, tuple[LockDep, ...]]]
Report = tuple[str, str, str, str]  # what lockdep checks (CYCLE, USAGE, ORDER), its report, where, the scenario
CYCLE, USAGE, ORDER = "cycle", "usage", "order"


def boot_runs(result: MatrixResult, variant: str, picked: Collection[str] | None = None) -> tuple[Runs, list[str]]:
    """The runs of ``variant`` that added lock-order dependencies or usage bits (MatrixResult.lock_deps()), of the
    scenarios ``picked`` (ids; None: all), each class one unit's ending with that unit's .c file (the scenario's
    unit's where the run's code named none), in matrix order; and the units they ran in."""
    paths = {u.name: u.path for u in result.matrix.units}
    runs: Runs = []
    units: list[str] = []
    for unit, sid, deps in result.lock_deps(variant):
        if picked is None or sid in picked:
            own = paths.get(unit, unit)
            runs.append((sid, tuple((_of(a, own), _of(b, own), h, t, w) for a, b, h, t, w in deps)))
            units += [] if unit in units else [unit]
    return runs, units


def _of(cls: str, unit: str) -> str:
    """Class text ``cls`` with a unit mark naming no unit (models.lockdep.unit_mark(): the scenario's) naming
    ``unit``."""
    return cls + unit if cls.endswith((PER_UNIT, PER_TEXT)) else cls


def reports(runs: Runs) -> list[Report]:
    """What lockdep reports in a boot running all the runs that no run reported alone: each lock-order cycle their
    dependencies close (harness.lockcycles), each inconsistent IRQ usage of a class (harness.irqusage), each
    IRQ-safe -> IRQ-unsafe lock order (harness.irqorder)."""
    found = [(CYCLE, cycle_text(c), c[0][2], c[0][3]) for c in cycles(runs)]
    found += [(USAGE, text, where, sid) for text, where, sid in inconsistent(runs)]
    return found + [(ORDER, text, where, sid) for text, where, sid in unsafe_orders(runs)]


def may_report(runs: Runs) -> list[tuple[str, str, str]]:
    """What lockdep may report that reports() does not find: what (``a cycle``), why it is not known, and the
    report. Cycles and IRQ-safe -> IRQ-unsafe orders that locks an init function set up before the runs would make
    if they shared a class (harness.lockcycles.unknown_classes(), and harness.irqusage.may_clash() for the usage),
    and any report that two units' locks that are no static objects would make if, named alike, they were one
    object (models.lockdep PER_TEXT)."""
    known = {text for _, text, _, _ in reports(runs)}
    init = "locks an init function set up before the run share a lock class"
    out = [("an inconsistent IRQ usage", init, c) for c in may_clash(runs)]
    text = ("locks named alike in two units that are no static objects (automatic ones, reached through a pointer) "
            "are one object")
    for why, joined, kinds in ((init, unknown_classes(runs), (CYCLE, ORDER)),
                               (text, shared_text(runs), (CYCLE, USAGE, ORDER))):
        for kind, said, _, _ in reports(joined):
            if said not in known and kind in kinds:
                known.add(said)
                out.append((_WHAT[kind], why, said))
    return out


_WHAT = {CYCLE: "a cycle", USAGE: "an inconsistent IRQ usage", ORDER: "an IRQ-safe -> IRQ-unsafe lock order"}


def shared_text(runs: Runs) -> Runs:
    """The runs with each lock that is no static object (models.lockdep PER_TEXT) one class by its name alone,
    whatever unit took it."""
    def one(c: str) -> str:
        at = c.find(PER_TEXT)
        return c if at < 0 else c[:at]
    return [(sid, tuple((one(a), one(b), h, t, w) for a, b, h, t, w in deps)) for sid, deps in runs]


def _text(chain: list[Edge]) -> str:
    held, taken, where, sid = chain[0]
    back = ", ".join(f"{a} -> {b} at {w} ({s})" for a, b, w, s in chain[1:])
    return (f"lockdep: possible circular locking dependency detected across runs: lock {taken} taken while the task "
            f"holds lock {held} at {where} ({sid}), and back through dependencies the runs added ({back}): each run "
            "is a fresh boot, but lockdep's lock-order graph is global in a boot, which reports this in one that "
            "runs them all")


def lockdep_findings(result: MatrixResult, variants: tuple[Variant, ...]) -> list[ReportFinding]:
    """Each report lockdep makes in a boot running all the runs of one variant, every unit's (boot_runs()): each
    cycle, inconsistent IRQ usage and IRQ-safe -> IRQ-unsafe order (reports()), once with every variant it holds in
    (a series' later states share most of their code)."""
    said: dict[tuple[str, str], list[str]] = {}
    for v in variants:
        if result.load_error(v.name) is not None:
            continue
        runs = boot_runs(result, v.name)[0]
        found = [(_text(c), c[0][2]) for c in cycles(runs)]
        for text, where in found + [(t, w) for t, w, _ in (*inconsistent(runs), *unsafe_orders(runs))]:
            said.setdefault((text, where), []).append(v.name)
    out = []
    for (text, where), names in said.items():
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        out.append(ReportFinding(FindingKind.LOCKDEP, shown, text, where))
    return out
