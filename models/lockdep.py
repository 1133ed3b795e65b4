"""lockdep: its reports (debug_locks), lock classes and recursion, and the assertions of include/linux/lockdep.h."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.ctype import Struct
from models.errors import Deadlock, UnsupportedConstruct
from models.lockpaths import follow, lock_paths
from models.machine import Machine, StructObj
from models.onceunits import UNIT_COPY, in_header, mark_warned, once_key, running_unit, warned_before
from models.record import record
from models.values import STATIC_SLOT, static_where

DEBUG_LOCKS_OFF = "debug_locks_off"  # Machine.once key: the debug checks' first report turns them off
LOCKDEP_OFF = " (debug_locks_off(): lockdep off for the rest of the run)"


def debug_report(m: Machine, detail: str, where: str) -> None:
    """A report of lockdep or of the lock debugging checks (CONFIG_DEBUG_MUTEXES, _SPINLOCK, _PREEMPT's
    DEBUG_LOCKS_WARN_ON()): each prints only where debug_locks_off() (lib/debug_locks.c) turned debug_locks from 1
    to 0, so the first of a run only, a violation that says so; later ones say nothing. Not might_sleep()'s, nor
    CONFIG_DEBUG_PREEMPT's smp_processor_id() check, nor a WARN_ON_ONCE(): those do not read debug_locks."""
    if m.once.get(DEBUG_LOCKS_OFF):
        return
    m.once[DEBUG_LOCKS_OFF] = 1
    m.event("violation", detail + LOCKDEP_OFF, where)


def lock_class(m: Machine, name: str, obj: object, key: str | None) -> None:
    """Record lock ``name``'s lockdep class, once: a key of ``init@FILE:LINE`` for mutex_init() or spin_lock_init()
    there (include/linux/mutex.h, spinlock.h: a static lock_class_key in each expansion, so every lock initialised
    there shares it), ``own@NAME`` for a static initialiser (DEFINE_MUTEX(), DEFINE_SPINLOCK(): no key, so
    lockdep's register_lock_class() keys a static object by its address), None where an init function before the
    run chose it; with the struct tag, as a mutex and a spinlock never share a class."""
    tag = obj.ctype.tag if isinstance(obj, StructObj) and isinstance(obj.ctype, Struct) else None
    if (key is not None and key.startswith("init@")) or name not in m.lock_classes:
        m.lock_classes[name] = (tag, key)
        m.lock_units[name] = unit_mark(m, name, obj, key)


# What ends a class's key (or a lock's name, its key unknown) in run_deps() where the class is one translation
# unit's, then that unit's .c file ("" the scenario's unit): PER_UNIT where C makes it so, PER_TEXT where the lock is
# no file-scope object, named by the text that reached it, which two units may spell alike for two objects. A
# function's static lock, named by its text too, is its declaration's object: PER_OBJECT and the declaration's
# FILE:LINE (and a lock's C path in a static struct or array: ``.m``), then, in a header's function (one object per
# unit), PER_UNIT and the unit.
PER_UNIT, PER_TEXT, PER_OBJECT = "\x1d", "\x1c", "\x1b"


def unit_mark(m: Machine, name: str, obj: object, key: str | None) -> str:
    """Whose lock class lock ``name`` (object ``obj``) of ``key`` (lock_class()) is: "" one of the whole kernel,
    else PER_UNIT or PER_TEXT and the running unit (onceunits.running_unit()), or PER_OBJECT and where the object is
    declared. A mutex_init() line's key is a static in each expansion: one per unit in a header's code (compiled
    into each .c file including it), the kernel's one in a .c file's. A static initialiser's key, or one an init
    function chose, is the object's: a header's static object, or a static of a header's function, is one per unit
    (C11 6.2.2p3), any other file-scope object the kernel's one (an extern links to one definition), as is a static
    of a .c file's function; a function's static is told by its declaration, whatever text reached it, a lock in
    a member or element of one by its declaration and its C path there (``.m``: _function_static())."""
    unit = running_unit(m)
    if key is not None and key.startswith("init@"):
        if not in_header(key[len("init@"):]):
            return ""
        _key_copy(m, name, key, unit)
        return PER_UNIT + unit
    scopes = m.lock_scopes()
    if (path := name.partition(UNIT_COPY)[0]) in scopes:  # a header's static lock, or another unit's copy of it
        return PER_UNIT + unit if scopes[path] else ""
    found = _function_static(m, obj)
    if found is None:
        return PER_TEXT + unit
    slot, path = found
    where = static_where(slot := slot[slot.index(STATIC_SLOT):])
    return PER_OBJECT + where + _line_number(m, where, slot) + path + (PER_UNIT + unit if in_header(where) else "")


def _line_number(m: Machine, where: str, slot: str) -> str:
    """``#N`` where several functions' statics are declared at ``where`` (FILE:LINE; two ``static DEFINE_MUTEX()``
    on one line, or from one expansion of a macro): the static of ``slot`` is the Nth there by column, as
    models.blocks.static_label numbers a function's statics of one name; "" where it is the line's only one. Each
    is its own object, so its own class (kernel/locking/lockdep.c register_lock_class() keys a static object by
    its address)."""
    on_line = m.static_lines.get(where, {})
    if len(on_line) < 2 or slot not in on_line:
        return ""
    return f"#{sorted(on_line, key=on_line.__getitem__).index(slot) + 1}"


def _function_static(m: Machine, obj: object) -> tuple[str, str] | None:
    """The slot of the function's static that is lock object ``obj`` or holds it (a member, an element, walked as
    lockpaths.lock_paths() walks a file-scope object), and the lock's C path within it ("", ``.m``, ``[1].m``);
    None where no function's static does."""
    for slot, v in m.globals.items():
        if STATIC_SLOT not in slot:
            continue
        if v is obj:
            return slot, ""
        if isinstance(v, StructObj | list) and slot in m.initial:
            path = next((p for p, steps in lock_paths("", m.initial[slot][1]) if follow(v, steps) is obj), None)
            if path is not None:
                return slot, path
    return None


KEY_COPY = "::__key"  # in a run's state name, a header's mutex_init() key static (include/linux/mutex.h: __key)


def _key_copy(m: Machine, name: str, key: str, unit: str) -> None:
    """Note lock ``name`` set up at a header's init line (``key``, init@FILE:LINE) in ``unit``, where the run reached
    that line from another unit first: in Machine.lock_key_copies, under its state name (key_copies())."""
    if m.once_units.setdefault(key, unit) == unit:
        return
    label = f"{m.functions[-1] if m.functions else '?'}{KEY_COPY}{UNIT_COPY}{unit or 'the entry point'}"
    names = m.lock_key_copies.setdefault(label, [])
    if name not in names:
        names.append(name)


def key_copies(m: Machine) -> list[tuple[str, str]]:
    """(name, locks) of each key static of a header's mutex_init() or spin_lock_init() line that the run used in a
    unit other than the first to reach the line: ``function::__key in the unit of FILE.c`` and the locks it keyed,
    in order. Each unit's copy of the header's function has its own (C11 6.2.2p3), so its own lockdep class
    (kernel/locking/lockdep.c keys a class by the lock_class_key's address); the native cross-check build holds one
    copy, and harness.crosscheck does not compare a run that names one (models.mirror.changed_state() lists them)."""
    return [(label, ", ".join(names)) for label, names in m.lock_key_copies.items()]


# What a held lock is, in Machine.locks (models.locking._lock()), and lockdep's wait type of its class
# (include/linux/lockdep_types.h): a spinlock_t LD_WAIT_CONFIG, a mutex LD_WAIT_SLEEP, a raw_spinlock_t LD_WAIT_SPIN.
SPIN, SLEEP, RAW = 1, 2, 3
_KIND = {SPIN: "spinlock", SLEEP: "mutex", RAW: "raw spinlock"}


MAX_LOCKDEP_SUBCLASSES = 8  # include/linux/lockdep_types.h


def acquire_check(m: Machine, name: str, where: str, kind: int, subclass: int = 0) -> None:
    """lockdep's check_deadlock() (kernel/locking/lockdep.c __lock_acquire(), not for a trylock) of lock ``name``,
    a ``kind`` (SPIN, SLEEP, RAW) of lock, then the lock itself. The task holding it takes it again: lockdep's
    "possible recursive locking detected" (debug_report()), then the task spins (a spinlock) or sleeps (a mutex) for
    ever: Deadlock. Another lock of a class a held one has (two locks initialised at one mutex_init()): lockdep's
    report alone, the locks are two; a header's init line has a key in each unit's copy of its function, so locks
    it set up in two units are two classes (unit_mark()). Then its lock-order graph (order_check()).

    A class is its key's and the acquire's ``subclass`` (spin_lock_nested(): look_up_lock_class() keys it
    ``lock->key->subkeys + subclass``): a held lock of the key under another subclass is another class, no report
    (taken again, the lock still never comes free: Deadlock). A subclass past MAX_LOCKDEP_SUBCLASSES is "BUG:
    looking up invalid subclass" first, and lockdep is off (debug_locks_off()); the lock is taken all the same.
    check_wait_context()'s "BUG: Invalid wait context" comes next (wait_context_report()).

    Raises UnsupportedConstruct where the classes are not known (locks an init function before the run set up, or
    a header's init line reached in the entry point's unknown unit and in another) and may be one, while lockdep
    still reports: whether it does is not known."""
    if subclass >= MAX_LOCKDEP_SUBCLASSES:
        debug_report(m, f"lockdep: BUG: looking up invalid subclass: {subclass} (lock {name})", where)
    if not m.once.get(DEBUG_LOCKS_OFF):
        wait_context_report(m, name, where, kind)
    tag, key = m.lock_classes.get(name, (None, None))
    if m.locks.get(name, 0):
        if held_subclass(m, name) == subclass:
            debug_report(m, f"lockdep: possible recursive locking detected: lock {name} taken again by the task "
                            "that holds it", where)
        how = "sleeps" if kind == SLEEP else "spins"
        raise Deadlock(where, f"deadlock: lock {name} is taken again by the task that holds it, which {how} there "
                              "for ever: the call never returns")
    if m.once.get(DEBUG_LOCKS_OFF):
        return
    for held, n in m.locks.items():
        if not n:
            continue
        htag, hkey = m.lock_classes.get(held, (None, None))
        if (tag and htag and tag != htag) or "own@" in f"{key}{hkey}" or held_subclass(m, held) != subclass:
            continue  # another kind of lock, a statically initialised one or another subclass: another class
        if key is None or hkey is None:
            raise UnsupportedConstruct(where, f"lock {name} taken while the task holds lock {held}: whether lockdep "
                                              "reports possible recursive locking depends on whether the two share "
                                              "a lock class, which the init function that set them up before the "
                                              "run chose: not known")
        if key == hkey and _one_key(m, name, held, key, where):
            debug_report(m, f"lockdep: possible recursive locking detected: lock {name} taken while the task holds "
                            f"lock {held} of its class", where)
            return
    order_check(m, name, where, subclass)


def _one_key(m: Machine, name: str, held: str, key: str, where: str) -> bool:
    """Whether locks ``name`` and ``held``, both set up at one init line (``key``), share its key: a header's line has
    one in each unit's copy of its function (unit_mark()). Raises UnsupportedConstruct where one was set up in the
    entry point's unit, which the run does not know, and the other in another unit, which may be it."""
    units = {m.lock_units.get(name, ""), m.lock_units.get(held, "")}
    if PER_UNIT in units and len(units) > 1:
        raise UnsupportedConstruct(where, f"lock {name} taken while the task holds lock {held}, each set up at "
                                          f"{key.removeprefix('init@')}, one in the entry point's unit and one in "
                                          f"{max(units).removeprefix(PER_UNIT)}'s, which may be one: whether they "
                                          "share the line's lock class (lockdep's possible recursive locking) is "
                                          "not known")
    return len(units) == 1


def held_subclass(m: Machine, name: str) -> int:
    """The subclass the task took held lock ``name`` under (the latest acquire of it on the stack), 0 if none."""
    return next((sub for held, _, sub in reversed(_order(m).held) if held == name), 0)


def wait_context_report(m: Machine, name: str, where: str, kind: int) -> None:
    """CONFIG_PROVE_LOCKING's check_wait_context() (kernel/locking/lockdep.c): a lock whose wait type is more than
    a held one allows is "BUG: Invalid wait context", debug_locks_off() first. A mutex (LD_WAIT_SLEEP) inside a
    spinlock_t or raw_spinlock_t (LD_WAIT_CONFIG, LD_WAIT_SPIN) or rcu_read_lock()'s rcu_lock_map (LD_WAIT_CONFIG,
    kernel/rcu/update.c); a spinlock_t inside a raw_spinlock_t, which CONFIG_PROVE_RAW_LOCK_NESTING checks
    (lib/Kconfig.debug: on with PROVE_LOCKING where the architecture supports PREEMPT_RT, as x86 does; there
    LD_WAIT_CONFIG is a sleeping lock: Documentation/locking/locktypes.rst). Not for a trylock; preempt_disable()
    and IRQs off hold no lock, might_sleep() alone says those."""
    if kind == SLEEP:
        spin = next((held for held, n in m.locks.items() if n in (SPIN, RAW)), None)
        if spin is not None or m.nesting.get("rcu", 0) > 0:
            inside = f"while the task holds spinlock {spin}" if spin is not None else "in an RCU read-side section"
            debug_report(m, f"lockdep: BUG: Invalid wait context: mutex {name} taken {inside}", where)
    elif kind == SPIN:
        raw = next((held for held, n in m.locks.items() if n == RAW), None)
        if raw is not None:
            debug_report(m, f"lockdep: BUG: Invalid wait context: spinlock {name} taken while the task holds raw "
                            f"spinlock {raw}", where)


ClassId = tuple[str | None, ...]
Dep = tuple[str, str, str]  # a dependency's held lock, the lock taken, and FILE:LINE where it was taken


@dataclass(frozen=True)
class LockOrder:
    """lockdep's held-lock stack (curr->held_locks: each lock and whether a trylock took it, in the order taken)
    and its lock-order graph: per class, the classes taken while it was held, each with the two locks' names and
    where the second was taken (lockdep's lock_list keeps that path's stack trace, save_trace())."""

    held: list[tuple[str, bool, int]] = field(default_factory=list)  # lock, whether a trylock took it, subclass
    after: dict[ClassId, dict[ClassId, Dep]] = field(default_factory=dict)
    usage: dict[tuple[ClassId, str], Dep] = field(default_factory=dict)  # (class, usage bit): its first acquire


def _order(m: Machine) -> LockOrder:
    if m.lock_order is None:
        m.lock_order = LockOrder()
    return m.lock_order  # type: ignore[no-any-return]


def taken(m: Machine, name: str, trylock: bool, subclass: int = 0, where: str = "") -> None:
    """Lock ``name`` acquired (a trylock's too) under lockdep ``subclass``, at ``where``: on the held-lock stack,
    and its class's IRQ usage marked (mark_usage(), while lockdep is on)."""
    order = _order(m)
    order.held.append((name, trylock, subclass))
    if not m.once.get(DEBUG_LOCKS_OFF):
        c = _class_id(m, name, subclass)
        for bit in usage_bits(m, trylock):
            order.usage.setdefault((c, bit), (name, name, where))


# kernel/locking/lockdep.c mark_usage() of a write acquire, as lockdep prints the states (lockdep_states.h, "-W"):
# in hardirq context (lockdep_hardirq_context()) or serving softirqs (curr->softirq_context), not for a trylock; with
# IRQs on (!hlock->hardirqs_off), and softirqs enabled then too (curr->softirqs_enabled: no softirq count).
IN_HARDIRQ, HARDIRQ_ON, IN_SOFTIRQ, SOFTIRQ_ON = "IN-HARDIRQ-W", "HARDIRQ-ON-W", "IN-SOFTIRQ-W", "SOFTIRQ-ON-W"
USAGE = "\x1e"  # what starts the second class of a run_deps() entry that is a usage bit, not a dependency


def usage_bits(m: Machine, trylock: bool) -> list[str]:
    """The usage bits an acquire marks on its lock's class in the run's state (preempt count, IRQs)."""
    bits = []
    if not trylock and m.preempt & _HARDIRQ:
        bits.append(IN_HARDIRQ)
    elif not trylock and m.preempt & 0x100:  # SOFTIRQ_OFFSET: serving softirqs
        bits.append(IN_SOFTIRQ)
    if not m.irqs_disabled:
        bits.append(HARDIRQ_ON)
        if not m.preempt & _SOFTIRQ:
            bits.append(SOFTIRQ_ON)
    return bits


def released(m: Machine, name: str) -> None:
    """Lock ``name`` released: off the stack (lockdep's lock_release() finds it wherever it lies)."""
    held = _order(m).held
    at = next((i for i in range(len(held) - 1, -1, -1) if held[i][0] == name), None)
    if at is not None:
        del held[at]


def _class_id(m: Machine, name: str, subclass: int) -> ClassId:
    """A lock's class in the graph: (subclass, tag, key), or (subclass, tag, None, name) where an init function
    chose the key (unknown), each ending with its unit mark (unit_mark()); a .c file's function's static lock is
    its declaration's (PER_OBJECT), whatever text named it in the run."""
    tag, key = m.lock_classes.get(name, (None, None))
    mark = m.lock_units.get(name, "")
    if mark.startswith(PER_OBJECT):  # the object's key (own@), or its name where the key is not known
        key, name = None if key is None else "own@", ""
    return (str(subclass), tag, key + mark) if key is not None else (str(subclass), tag, None, name + mark)


def order_check(m: Machine, name: str, where: str, subclass: int = 0) -> None:
    """lockdep's check_prevs_add() (kernel/locking/lockdep.c validate_chain(), not for a trylock): for the held
    lock on top of the stack (and below it through those a trylock took, down to the first another took), the
    dependency held -> ``name``: where the graph already leads from ``name``'s class to the held one's,
    check_noncircular()'s "possible circular locking dependency detected" (the first such, once: debug_report()),
    else the dependency is added. The run goes on: one task alone never waits for itself there. The report's
    detail names the orders by lock (a patch moving lines changes no behaviour); its place names where each
    dependency of the other order was taken too, as lockdep prints both paths' stacks (print_circular_bug()).


    Raises UnsupportedConstruct where the graph leads there only if two locks whose classes an init function
    before the run chose share one: whether lockdep reports is not known."""
    order = _order(m)
    new = _class_id(m, name, subclass)
    for prev, trylock, sub in reversed(order.held):
        old = _class_id(m, prev, sub)
        chain = _path(order.after, new, old, _same)
        if chain is not None:
            said = ", ".join(f"{a} -> {b}" for a, b, _ in chain)
            at = ", ".join(f"{a} -> {b} at {w}" for a, b, w in chain)
            debug_report(m, f"lockdep: possible circular locking dependency detected: lock {name} taken while the "
                            f"task holds lock {prev}, which the run took after it before ({said})", f"{where} ({at})")
            return
        if _path(order.after, new, old, _may_be) is not None:
            raise UnsupportedConstruct(where, f"lock {name} taken while the task holds lock {prev}: whether lockdep "
                                              "reports a circular locking dependency depends on whether locks an "
                                              "init function set up before the run share a lock class: not known")
        order.after.setdefault(old, {}).setdefault(new, (prev, name, where))
        if not trylock:
            return


def run_deps(m: Machine | None) -> tuple[tuple[str, str, str, str, str], ...]:
    """The dependencies a run's lock-order graph gained while lockdep was on, for harness.lockcycles to join with
    other runs' (lockdep's graph is global in a boot): each the two classes as text, the two locks' names, and
    where the second was taken; then each usage bit a class gained (taken()), as its class, USAGE and the bit, the
    lock's name twice and where it was first taken so, for harness.irqusage (lockdep's usage bits are a boot's)."""
    order = m.lock_order if m is not None else None
    if not isinstance(order, LockOrder):
        return ()
    return (*((_class_text(old), _class_text(new), *dep) for old, deps in order.after.items()
              for new, dep in deps.items()),
            *((_class_text(c), USAGE + bit, *dep) for (c, bit), dep in order.usage.items()))


def _class_text(c: ClassId) -> str:
    """A class as one string: its subclass, struct tag and key, or ``?`` and the lock's name where the key is not
    known (a lock of a file-scope object an init function set up: its name is its C path, the same in every run)."""
    return "\x1f".join(x if x is not None else "?" for x in c)


def _same(a: ClassId, b: ClassId) -> bool:
    return a == b


def _may_be(a: ClassId, b: ClassId) -> bool:
    """Whether two classes may be one: the same, or both chosen before the run, for locks of one kind."""
    return a == b or (len(a) == len(b) == 4 and a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1]))


def _path(after: dict[ClassId, dict[ClassId, Dep]], start: ClassId, goal: ClassId,
          same: Callable[[ClassId, ClassId], bool]) -> list[Dep] | None:
    """The shortest chain of dependencies (lock names) from ``start`` to ``goal``, breadth first as lockdep's
    __bfs() walks, each class's dependencies in the order added; ``same`` says which classes may be one."""
    todo: deque[tuple[ClassId, list[Dep]]] = deque([(start, [])])
    seen = {start}
    while todo:
        node, chain = todo.popleft()
        for at in [c for c in after if same(c, node)]:
            for nxt, names in after[at].items():
                if same(nxt, goal):
                    return [*chain, names]
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append((nxt, [*chain, names]))
    return None


@record
class LockdepAssert:
    """A lockdep_assert_*() of include/linux/lockdep.h: ``impl(m, args, where)``, what it reports, whether it is
    WARN_ON_ONCE() (once per call site: ``args[0]`` is the site) or WARN_ON() (every time), lock argument."""

    impl: Callable[[Machine, list[Any], str], None]
    doc: str
    once: bool
    name_args: tuple[int, ...] = ()


def _state_assert(bad: Callable[[Machine], bool], detail: str,
                  reads_count: bool = False) -> Callable[[Machine, list[Any], str], None]:
    """``reads_count``: the assertion tests preempt_count(), which is not known inside an RCU read-side section
    with preemption and IRQs on (_preempt_count_unknown())."""
    def impl(m: Machine, args: list[Any], where: str) -> None:
        if m.once.get(DEBUG_LOCKS_OFF):
            return  # WARN_ON_ONCE(__lockdep_enabled && ...): debug_locks is 0
        unknown = reads_count and _preempt_count_unknown(m)
        if (unknown or bad(m)) and not warned_before(m, site := once_key(m, args[0]), where):
            if unknown:  # one kernel warns here, the other does not (a site that fired before is silent in both)
                raise UnsupportedConstruct(where, "a preemption assertion in an RCU read-side section with preemption "
                                                  "on: rcu_read_lock() adds one to preempt_count() without "
                                                  "CONFIG_PREEMPT_RCU and nothing with it, so one kernel warns here "
                                                  "and the other does not, which is not modelled")
            mark_warned(m, site, where)
            m.event("violation", f"lockdep: {detail} here", where)
    return impl


def _preempt_count_unknown(m: Machine) -> bool:
    """Whether a test of preempt_count() == 0 is one kernel's (include/linux/rcupdate.h __rcu_read_lock(): a
    preempt_disable() without CONFIG_PREEMPT_RCU): inside an RCU read-side section, the count 0 and IRQs on."""
    return m.nesting.get("rcu", 0) > 0 and _preempt_on(m)


def _held_assert(want: bool, once: bool) -> Callable[[Machine, list[Any], str], None]:
    def impl(m: Machine, args: list[Any], where: str) -> None:
        lock = args[-1]
        if m.once.get(DEBUG_LOCKS_OFF) or m.preempt & _NMI:
            return  # lock_is_held_type() gives LOCK_STATE_UNKNOWN once lockdep is off (!lockdep_enabled()), and in
            # NMI context, where __nmi_enter()'s lockdep_off() turns it off for the task
        if bool(m.locks.get(lock, 0)) != want and not (once and warned_before(m, site := once_key(m, args[0]), where)):
            if once:
                mark_warned(m, site, where)
            m.event("violation", f"lockdep: lock {lock} is {'not ' if want else ''}held here", where)
    return impl


# include/linux/preempt.h's HARDIRQ_MASK, SOFTIRQ_MASK, and NMI_MASK | HARDIRQ_MASK (models.preemptfields)
_HARDIRQ, _SOFTIRQ, _HARDIRQ_NMI, _NMI = 0xF0000, 0xFF00, 0xFF0000, 0xF00000


def _preempt_on(m: Machine) -> bool:
    return m.preempt == 0 and not m.irqs_disabled


# The IRQ and preemption assertions are WARN_ON_ONCE(), lockdep_assert_held() and _not_held() lockdep_assert(),
# a WARN_ON(), lockdep_assert_held_once() a WARN_ON_ONCE().
LOCKDEP_ASSERTS: dict[str, LockdepAssert] = {
    "lockdep_assert_preemption_disabled": LockdepAssert(
        _state_assert(_preempt_on, "preemption is enabled", True), "the first time preemption is enabled here", True),
    "lockdep_assert_preemption_enabled": LockdepAssert(
        _state_assert(lambda m: not _preempt_on(m), "preemption is disabled", True),
        "the first time preemption is disabled here", True),
    "lockdep_assert_irqs_disabled": LockdepAssert(
        _state_assert(lambda m: not m.irqs_disabled, "interrupts are enabled"),
        "the first time IRQs are enabled here", True),
    "lockdep_assert_irqs_enabled": LockdepAssert(
        _state_assert(lambda m: m.irqs_disabled, "interrupts are disabled"),
        "the first time IRQs are disabled here", True),
    # lockdep's per-CPU hardirq_context, which irq_enter() sets (refused in a run: its script's context stays), and
    # !in_softirq() || in_irq() || in_nmi() of the preempt count
    "lockdep_assert_in_irq": LockdepAssert(_state_assert(lambda m: not m.preempt & _HARDIRQ, "not in hardirq context"),
                                           "the first time it runs outside hardirq context", True),
    "lockdep_assert_in_softirq": LockdepAssert(
        _state_assert(lambda m: not m.preempt & _SOFTIRQ or bool(m.preempt & _HARDIRQ_NMI), "not in softirq context"),
        "the first time it runs outside softirq context", True),
    "lockdep_assert_held": LockdepAssert(_held_assert(True, False), "when the lock is not held", False, (0,)),
    "lockdep_assert_held_once": LockdepAssert(_held_assert(True, True), "the first time the lock is not held here",
                                              True, (0,)),
    "lockdep_assert_not_held": LockdepAssert(_held_assert(False, False), "when the lock is held", False, (0,)),
}
