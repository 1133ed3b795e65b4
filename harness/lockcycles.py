"""lockdep's lock-order graph over a variant's runs: a cycle that dependencies of two runs close together."""

# Each run is a fresh boot (models.lockdep): a cycle within it is reported there. lockdep's graph is global in a boot
# (kernel/locking/lockdep.c: every dependency any task added stays, check_noncircular() walks them all), so two
# entry points or two SEAMCALL answers taking two locks in opposite orders are its "possible circular locking
# dependency detected" in a boot that runs both, which no single run shows. Within one translation unit only: a
# static lock, and the lock_class_key of a mutex_init() line, are the unit's own objects.

from __future__ import annotations

from collections import deque

from harness.findings import FindingKind, ReportFinding
from harness.irqusage import inconsistent
from harness.matrixresult import MatrixResult
from harness.variants import Variant
from models.lockdep import USAGE
from models.outcome import LockDep

# A dependency as the graph keeps it: the held lock's name, the taken one's, where it was taken, and the scenario.
_Edge = tuple[str, str, str, str]
_Graph = dict[str, dict[str, _Edge]]


def cycles(runs: list[tuple[str, tuple[LockDep, ...]]]) -> list[list[_Edge]]:
    """The cycles the runs' dependencies (``runs``: each run's scenario id and models.lockdep.run_deps()) close
    together, each once, as the chain of its dependencies in the order lockdep would name them: the dependency a
    later run added that a path of the others' leads back to, then that path, breadth first (lockdep's __bfs())."""
    graph: _Graph = {}
    found: list[list[_Edge]] = []
    seen: set[frozenset[tuple[str, str]]] = set()
    for sid, deps in runs:
        for old, new, held, taken, where in deps:
            if new.startswith(USAGE):
                continue  # a usage bit (harness.irqusage), no dependency
            back = _path(graph, new, old)
            if back is not None:
                chain = [(held, taken, where, sid), *(e for _, _, e in back)]
                key = frozenset({(old, new), *((a, b) for a, b, _ in back)})
                if key not in seen:
                    seen.add(key)
                    found.append(chain)
                continue  # a run's own dependencies close no cycle (it reported one there), others' may
            graph.setdefault(old, {}).setdefault(new, (held, taken, where, sid))
    return found


def unknown_classes(runs: list[tuple[str, tuple[LockDep, ...]]]) -> list[tuple[str, tuple[LockDep, ...]]]:
    """The runs with every class an init function chose before the run (models.lockdep: key unknown, ``?``) made
    one per subclass, as if all of them shared a class (lockdep's _may_be() within a run): cycles() on them finds
    what may be a cycle; one it finds that cycles() on ``runs`` does not rests on classes no run knows."""
    def one(c: str) -> str:
        parts = c.split("\x1f")
        return f"{parts[0]}\x1f?" if len(parts) == 4 and parts[2] == "?" else c
    return [(sid, tuple((one(a), one(b), held, taken, where) for a, b, held, taken, where in deps))
            for sid, deps in runs]


def cycle_text(chain: list[_Edge]) -> str:
    """A cycle's dependencies, the later run's first: ``lock b taken while holding a at FILE:LINE (scenario)``."""
    return "; ".join(f"lock {b} taken while holding {a} at {w} ({s})" for a, b, w, s in chain)


def _path(graph: _Graph, start: str, goal: str) -> list[tuple[str, str, _Edge]] | None:
    """The shortest chain of dependencies from class ``start`` to class ``goal``, each with its two classes."""
    todo: deque[tuple[str, list[tuple[str, str, _Edge]]]] = deque([(start, [])])
    visited = {start}
    while todo:
        node, chain = todo.popleft()
        for nxt, edge in graph.get(node, {}).items():
            step = [*chain, (node, nxt, edge)]
            if nxt == goal:
                return step
            if nxt not in visited:
                visited.add(nxt)
                todo.append((nxt, step))
    return None


def _text(chain: list[_Edge]) -> str:
    held, taken, where, sid = chain[0]
    back = ", ".join(f"{a} -> {b} at {w} ({s})" for a, b, w, s in chain[1:])
    return (f"lockdep: possible circular locking dependency detected across runs: lock {taken} taken while the task "
            f"holds lock {held} at {where} ({sid}), and back through dependencies the runs added ({back}): each run "
            "is a fresh boot, but lockdep's lock-order graph is global in a boot, which reports this in one that "
            "runs them all")


def lockdep_findings(result: MatrixResult, variants: tuple[Variant, ...]) -> list[ReportFinding]:
    """Each cycle the runs of one variant close across runs, per translation unit, and each inconsistent IRQ usage
    of a lock class they make (harness.irqusage), once with every variant it holds in (a series' later states share
    most of their code)."""
    said: dict[tuple[str, str], list[str]] = {}
    for v in variants:
        if result.load_error(v.name) is not None:
            continue
        units: dict[str, list[tuple[str, tuple[LockDep, ...]]]] = {}
        for unit, sid, deps in result.lock_deps(v.name):
            units.setdefault(unit, []).append((sid, deps))
        for runs in units.values():
            for chain in cycles(runs):
                said.setdefault((_text(chain), chain[0][2]), []).append(v.name)
            for text, where, _ in inconsistent(runs):
                said.setdefault((text, where), []).append(v.name)
    out = []
    for (text, where), names in said.items():
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        out.append(ReportFinding(FindingKind.LOCKDEP, shown, text, where))
    return out
