"""lockdep's lock-order graph over a variant's runs: a cycle that dependencies of two runs close together."""

# Each run is a fresh boot (models.lockdep): a cycle within it is reported there. lockdep's graph is global in a boot
# (kernel/locking/lockdep.c: every dependency any task added stays, check_noncircular() walks them all), so two
# entry points or two SEAMCALL answers taking two locks in opposite orders are its "possible circular locking
# dependency detected" in a boot that runs both, which no single run shows. The runs of every unit are joined
# (harness.lockboot: a class one unit's own, a header's static lock or mutex_init() line, named by its unit).

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from models.lockdep import USAGE
from models.outcome import LockDep

# A dependency as the graph keeps it: the held lock's name, the taken one's, where it was taken, and the scenario.
Edge = tuple[str, str, str, str]
Graph = dict[str, dict[str, Edge]]


def cycles(runs: list[tuple[str, tuple[LockDep, ...]]]) -> list[list[Edge]]:
    """The cycles the runs' dependencies (``runs``: each run's scenario id and models.lockdep.run_deps()) close
    together, each once, as the chain of its dependencies in the order lockdep would name them: the dependency a
    later run added that a path of the others' leads back to, then that path, breadth first (lockdep's __bfs())."""
    graph: Graph = {}
    found: list[list[Edge]] = []
    seen: set[frozenset[tuple[str, str]]] = set()
    for sid, deps in runs:
        for old, new, held, taken, where in deps:
            if new.startswith(USAGE):
                continue  # a usage bit (harness.irqusage), no dependency
            back = path(graph, new, old.__eq__)
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


def cycle_text(chain: list[Edge]) -> str:
    """A cycle's dependencies, the later run's first: ``lock b taken while holding a at FILE:LINE (scenario)``."""
    return "; ".join(f"lock {b} taken while holding {a} at {w} ({s})" for a, b, w, s in chain)


def graph_of(runs: list[tuple[str, tuple[LockDep, ...]]]) -> Graph:
    """The lock-order graph the runs' dependencies make together (``runs`` as for cycles()): per class, the classes
    taken while it was held, each with the first dependency that said so."""
    graph: Graph = {}
    for sid, deps in runs:
        for old, new, held, taken, where in deps:
            if not new.startswith(USAGE):
                graph.setdefault(old, {}).setdefault(new, (held, taken, where, sid))
    return graph


def path(graph: Graph, start: str, goal: Callable[[str], bool]) -> list[tuple[str, str, Edge]] | None:
    """The shortest chain of dependencies from class ``start`` to a class ``goal`` holds for (not ``start`` itself
    but by a cycle), breadth first as lockdep's __bfs() walks, each with its two classes; None if there is none."""
    todo: deque[tuple[str, list[tuple[str, str, Edge]]]] = deque([(start, [])])
    visited = {start}
    while todo:
        node, chain = todo.popleft()
        for nxt, edge in graph.get(node, {}).items():
            step = [*chain, (node, nxt, edge)]
            if goal(nxt):
                return step
            if nxt not in visited:
                visited.add(nxt)
                todo.append((nxt, step))
    return None
