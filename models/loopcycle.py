"""Whether a loop past the step budget or recursion past the depth limit never ends: a state it was in seen again."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from pycparser import c_ast

from models.ctype import CType
from models.errors import BudgetExceeded, StepsUnknown
from models.machine import RUN_BUDGETS, Ref, UnsizedArray

if TYPE_CHECKING:
    from models.machine import Machine
    from models.values import Frame

# Loop heads compared after the budget (a cycle of up to some 500 passes is found), and the objects one snapshot may
# hold; a run still going EXTRA_STEPS past the budget (models.machine) is not known to end or not, and stops, saying so
# (StepsUnknown), never as a fact about the C.
CHECKS = 1024
MAX_NODES = 20_000
# The calls of a function already running are kept from this many levels above the depth limit on (deep_call).
RECURSION_WATCH = 8

# The machine's fields that are no state a run goes on from: what it recorded (calls, log lines, events, the lines
# it ran), its counters and limits, and what never changes within a run. The SEAMCALL answers are state only by
# how many were taken (Watch.snapshot).
_NOT_STATE = frozenset({
    "script", "pr_fmt", "budget", "max_depth", "seam_functions", "features", "once_sites", "static_lines",
    "lock_scopes", "flag_members", "max_records", "deadline", "stop", "calls", "log", "log_src", "events", "warned",
    "initial", "steps", "depth", "units", "functions", "sites", "read", "ran", "seq_effects", "seq_outputs",
    "seq_reads", "seq_memory", "seq_counters", "seq_named", "seq_stack", "past", "watch", "recursion", "limit",
    "loops", "one_copy", "inlined", "percpu_watch"})

_PLAIN = (int, str, bytes, bool, float, type(None), Enum)


def _state_names(cls: type) -> tuple[str, ...]:
    """The slots of a machine class that hold state, its bases' too (models.machinestate), bases' first; worked out
    once a class."""
    names = _STATE_NAMES.get(cls)
    if names is None:
        names = _STATE_NAMES[cls] = tuple(n for klass in reversed(cls.__mro__) for n in getattr(klass, "__slots__", ())
                                          if n not in _NOT_STATE)
    return names


_STATE_NAMES: dict[type, tuple[str, ...]] = {}


class _TooBig(Exception):
    """A snapshot past MAX_NODES objects, or a pointer that could not be read: no cycle is looked for."""


def endless(node: c_ast.Node) -> bool:
    """A loop with no way out: its condition a constant that is not 0 (or none: ``for (;;)``) and its body with no
    ``return``, no ``goto`` and no ``break`` of its own. Past the budget it is still running whatever its state."""
    cond = getattr(node, "cond", None)
    if cond is not None and not _nonzero(cond):
        return False
    return not _exits(node.stmt, own=True)


def _nonzero(cond: c_ast.Node) -> bool:
    if isinstance(cond, c_ast.Constant) and cond.type in ("int", "unsigned int", "long int", "long long int"):
        digits = cond.value.rstrip("uUlL")
        try:
            return int(digits, 0) != 0 if digits not in ("0",) else False
        except ValueError:
            return False
    return isinstance(cond, c_ast.ID) and cond.name == "true"


def _exits(node: c_ast.Node | None, own: bool) -> bool:
    """Whether ``node`` holds a return or goto, or a break that leaves the loop (``own``: not inside a loop or switch
    of its own)."""
    if node is None:
        return False
    if isinstance(node, (c_ast.Return, c_ast.Goto)):
        return True
    if isinstance(node, c_ast.Break):
        return own
    inner = own and not isinstance(node, (c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Switch))
    return any(_exits(child, inner) for _, child in node.children())


class Watch:
    """Brent's cycle search over one loop's heads in one activation (its frame), after the step budget: the state
    at a head equal to one seen at an earlier head of that loop in that frame repeats for ever, as the mirror is
    deterministic and a head's continuation is the same each time."""

    __slots__ = ("checks", "frame", "lam", "power", "saved", "token")

    def __init__(self) -> None:
        self.token: object = None
        self.frame: Frame | None = None
        self.saved: object = None
        self.power = 1
        self.lam = 0
        self.checks = 0

    def visit(self, m: Machine, token: object, f: Frame, where: str, no_way_out: bool) -> None:
        """A head of a loop (``token``) reached past the budget: raises BudgetExceeded where the loop never ends;
        after CHECKS heads with no state seen twice, looks no more (the run goes on to its last EXTRA_STEPS)."""
        if no_way_out:
            raise BudgetExceeded(where, f"loop still running after a budget of {m.budget} steps")
        if self.token is None:
            self.token, self.frame = token, f
        elif token is not self.token or f is not self.frame:
            return  # another loop (an inner one, or the same code in another call): the first one watched decides
        if self.checks >= CHECKS:
            return  # no state seen twice: the loop may yet end before the run's last EXTRA_STEPS (past_budget)
        self.checks += 1
        try:
            now = snapshot(m, f)
        except _TooBig:
            self.checks = CHECKS
            return
        if self.saved is not None and now == self.saved:
            raise BudgetExceeded(where, f"loop still running after a budget of {m.budget} steps")
        self.lam += 1
        if self.saved is None or self.lam == self.power:
            self.saved, self.lam = now, 0
            self.power *= 2


    def left(self, token: object, f: Frame) -> None:
        """A loop ended: when it is the one watched, the next loop head reached is watched instead."""
        if token is self.token and f is self.frame:
            self.token = self.frame = self.saved = None
            self.power, self.lam, self.checks = 1, 0, 0


def entered(m: Machine) -> None:
    """A loop starts running (``left`` when it stops): an outermost one has a step budget of its own, from here, so
    that two long loops that each end within it both run; the run's steps stay bounded by RUN_BUDGETS budgets in
    all (past the budget of the one running, its heads are watched, Watch)."""
    if not m.loops:
        m.limit = min(m.steps + m.budget, m.budget * RUN_BUDGETS)
        m.past = m.steps > m.limit
        m.watch = None
    m.loops += 1


def left(m: Machine) -> None:
    """A loop stopped running."""
    m.loops -= 1


def visit(m: Machine, token: object, f: Frame, where: str, no_way_out: bool) -> None:
    """A loop's head reached past the step budget (``m.past``): watched from the first one on (Watch.visit)."""
    if m.watch is None:
        m.watch = Watch()
    m.watch.visit(m, token, f, where, no_way_out)


def snapshot(m: Machine, f: Frame) -> object:
    """Everything a run goes on from at a loop head: the frame's locals and cleanups, the machine's state, and how
    far into the script the SEAMCALLs are (past its end, its last answer repeats)."""
    seen: dict[int, int] = {}
    keep: list[object] = []  # the objects numbered in ``seen``, kept alive while their ids are
    walk = _Walker(m, seen, keep)
    taken = min(m.calls.seen, max(len(m.script) - 1, 0))
    fields = tuple((name, walk.freeze(getattr(m, name))) for name in _state_names(type(m)))
    return taken, fields, walk.freeze(f.v), walk.freeze(f.defer)


class _Walker:
    __slots__ = ("keep", "m", "seen")

    def __init__(self, m: Machine, seen: dict[int, int], keep: list[object]) -> None:
        self.m, self.seen, self.keep = m, seen, keep

    def freeze(self, x: Any) -> Any:
        """``x`` as nested tuples that compare equal where the objects hold the same values (shared objects and
        cycles numbered in the order first met; a function or type by its identity, which a run never changes)."""
        if isinstance(x, _PLAIN):
            return x
        if isinstance(x, CType) or (callable(x) and not isinstance(x, Ref)):
            return ("id", id(x))
        if x is self.m:
            return ("machine",)
        known = self.seen.get(id(x))
        if known is not None:
            return ("@", known)
        self.seen[id(x)] = len(self.seen)
        self.keep.append(x)
        if len(self.seen) > MAX_NODES:
            raise _TooBig
        return self._inside(x)

    def _inside(self, x: Any) -> Any:
        if isinstance(x, UnsizedArray):
            return ("unsized", x.slot)
        if isinstance(x, Ref):  # what it points to: its owner (a frame's or the globals' slots), else read
            if x.owner is not None:
                return ("ref", x.label, self.freeze(x.key), self.freeze(x.owner), self.freeze(x.place))
            try:
                value = x.get()
            except Exception as exc:  # an uninitialized object, a union not read: not compared
                raise _TooBig from exc
            return ("ref", x.label, self.freeze(value))
        parts: list[Any] = [type(x).__name__]
        if isinstance(x, dict):
            parts.append(tuple([(self.freeze(k), self.freeze(v)) for k, v in x.items()]))
        elif isinstance(x, (list, tuple)):
            parts.append(tuple([self.freeze(v) for v in x]))
        elif isinstance(x, (set, frozenset)):
            parts.append(tuple(sorted([repr(self.freeze(v)) for v in x])))
        for name in _attributes(x):
            parts.append((name, self.freeze(getattr(x, name, None))))
        return tuple(parts)


def _attributes(x: Any) -> list[str]:
    names = [n for klass in type(x).__mro__ for n in getattr(klass, "__slots__", ())]
    return sorted({*names, *getattr(x, "__dict__", {})})


def deep_call(m: Machine, name: str, args: list[Any], where: str) -> None:
    """A call of a function already running, within RECURSION_WATCH levels of the depth limit: one made with the
    arguments and state of a call of it still running makes that same call again for ever (BudgetExceeded); past
    the limit with none, the recursion is not known to end or not (StepsUnknown, never a fact about the C)."""
    try:
        now: object = (name, _call_state(m, args))
    except _TooBig:
        now = None
    while m.recursion and m.recursion[-1][0] >= m.depth:  # calls that have returned since
        m.recursion.pop()
    if now is not None and any(seen == now for _, seen in m.recursion):
        raise BudgetExceeded(where, f"calls nested deeper than {m.max_depth} (runaway recursion in {name}())")
    if m.depth > m.max_depth:
        raise StepsUnknown(where, f"calls nested deeper than {m.max_depth} in {name}(), which calls itself, none "
                                  "with the arguments and state of a call still running: whether the recursion "
                                  "ends is not known (not modelled)")
    m.recursion.append((m.depth, now))


def _call_state(m: Machine, args: list[Any]) -> object:
    walk = _Walker(m, {}, [])
    taken = min(m.calls.seen, max(len(m.script) - 1, 0))
    fields = tuple((n, walk.freeze(getattr(m, n))) for n in _state_names(type(m)))
    return taken, fields, walk.freeze(args)
