"""Preemption, IRQs, locks, RCU and the guard classes of include/linux/cleanup.h, as machine operations."""

# Every primitive here is a string of one-letter operations run in order, the order the kernel runs them
# (spin_lock_irqsave(): local_irq_save, preempt_disable, then the acquire, include/linux/spinlock_api_smp.h).
# The same strings drive the native harness (models/native), so both sides record the same events.
#
#   P/p  preempt_disable / preempt_enable         I/i  local_irq_disable / local_irq_enable
#   S/s  local_irq_save / local_irq_restore       L/l  acquire / release the named lock
#   T    try to acquire: on a held lock, undo the operations before it and fail
#   R/r  rcu_read_lock / rcu_read_unlock          M/m  migrate_disable / migrate_enable
#   Z    might_sleep(): CONFIG_DEBUG_ATOMIC_SLEEP's check (kernel/sched/core.c __might_resched())
#   N    initialise the named lock (mutex_init(), spin_lock_init()): free, reported first if it was held
#   W    the lock the operations after it take is a raw_spinlock_t (lockdep's LD_WAIT_SPIN; models.lockdep)

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from models import lockdep, preemptleak
from models.ctype import CType, Ptr, Struct
from models.errors import BuildFailure, UnsupportedConstruct
from models.lockdep import DEBUG_LOCKS_OFF, acquire_check, debug_report, lock_class
from models.machine import Machine, StructObj
from models.onceunits import UNIT_COPY

# Machine.once keys, not call sites (those are FILE:LINE:COL); models.outcome holds them with what reads them.
from models.outcome import BOGUS_RESTORE_ONCE, MIGHT_SLEEP_ONCE, MIGRATE_ENABLE_ONCE, RCU_UNLOCK_ONCE
from models.preemptfields import NMI_MASK
from models.ratelimit import PRINTK_RATELIMIT_BURST, RATELIMIT_INTERVAL_NS, THIS_CPU_RATELIMIT, no_time_passed
from models.record import record
from models.runcontext import nmi_refused
from models.values import STATIC_SLOT, Unknown, read_var

IRQ_FLAG = 0x200  # X86_EFLAGS_IF: what local_irq_save() keeps of the flags
X86_EFLAGS_FIXED = 0x2  # arch/x86/include/uapi/asm/processor-flags.h: always set in a saved image
_UNDO = {"P": "p", "I": "i", "S": "s", "L": "l", "R": "r", "M": "m"}


@record
class LockOp:
    """A lock primitive: its operations, whether argument 0 names a lock, and what it returns.

    ``returns``: "void", "flags" (the saved IRQ flags), "ok" (1 when acquired), "zero" (0, success) or "locked"
    (whether the lock is held, an ``int``; "locked_bool" a ``bool``);
    ``flags_arg``: the argument that holds the flags a restore puts back, or -1;
    ``subclass_arg``: the argument that holds the lockdep subclass of the acquire (spin_lock_nested()), or -1.
    """

    ops: str
    lock: bool = False
    returns: str = "void"
    flags_arg: int = -1
    subclass_arg: int = -1


def saved_flags(m: Machine) -> int:
    """What a save keeps of the flags: X86_EFLAGS_IF where IRQs are on, and bit 1 (always set in EFLAGS)."""
    return X86_EFLAGS_FIXED | (0 if m.irqs_disabled else IRQ_FLAG)


def _spin(prefix: str, raw: str = "") -> dict[str, LockOp]:
    return {
        f"{prefix}_lock": LockOp(raw + "PL", True), f"{prefix}_unlock": LockOp("lp", True),
        f"{prefix}_lock_irq": LockOp(raw + "IPL", True), f"{prefix}_unlock_irq": LockOp("lip", True),
        f"__sh_{prefix}_lock_irqsave": LockOp(raw + "SPL", True, "flags"),
        f"{prefix}_unlock_irqrestore": LockOp("lsp", True, flags_arg=1),
        f"{prefix}_trylock": LockOp(raw + "PT", True, "ok"), f"{prefix}_trylock_irq": LockOp(raw + "IPT", True, "ok"),
        # include/linux/spinlock.h with CONFIG_DEBUG_LOCK_ALLOC: the same operations, the acquire of a subclass
        f"{prefix}_lock_nested": LockOp(raw + "PL", True, subclass_arg=1),
        f"__sh_{prefix}_lock_irqsave_nested": LockOp(raw + "SPL", True, "flags", subclass_arg=1),
    }


LOCK_OPS: dict[str, LockOp] = {
    "preempt_disable": LockOp("P"), "preempt_enable": LockOp("p"),
    "preempt_disable_notrace": LockOp("P"), "preempt_enable_notrace": LockOp("p"),
    "preempt_enable_no_resched": LockOp("p"),
    "local_irq_disable": LockOp("I"), "local_irq_enable": LockOp("i"),
    # include/linux/irqflags.h: the raw_ forms skip the IRQ-state tracing, which the mirror does not model.
    "raw_local_irq_disable": LockOp("I"), "raw_local_irq_enable": LockOp("i"),
    "__sh_irq_save": LockOp("S", returns="flags"), "__sh_irq_restore": LockOp("s", flags_arg=0),
    **_spin("spin"), **_spin("raw_spin", "W"),
    # kernel/locking/mutex.c: the sleeping locks begin with might_sleep(); mutex_trylock() does not sleep.
    "mutex_lock": LockOp("ZL", True), "mutex_unlock": LockOp("l", True), "mutex_trylock": LockOp("T", True, "ok"),
    # No signal is ever pending in the mirror: an interruptible or killable lock is always taken.
    "mutex_lock_interruptible": LockOp("ZL", True, "zero"), "mutex_lock_killable": LockOp("ZL", True, "zero"),
    # include/linux/mutex.h with CONFIG_DEBUG_LOCK_ALLOC: mutex_lock() is mutex_lock_nested(lock, 0)
    "mutex_lock_nested": LockOp("ZL", True, subclass_arg=1),
    "mutex_lock_interruptible_nested": LockOp("ZL", True, "zero", subclass_arg=1),
    "mutex_lock_killable_nested": LockOp("ZL", True, "zero", subclass_arg=1),
    "might_sleep": LockOp("Z"),
    # include/linux/kernel.h, sched.h: cond_resched() is __might_resched() (the same check under
    # CONFIG_DEBUG_ATOMIC_SLEEP) then _cond_resched(), whose int (whether it scheduled) is not known: a use of it is
    # refused (models.statements VALUE_NOT_KNOWN); might_resched() checks nothing (a voluntary preemption point).
    # Where the task schedules it stays on the run's CPU, as a preemptible run does anywhere (docs/mirror.md).
    "cond_resched": LockOp("Z", returns="zero"), "might_resched": LockOp(""),
    # include/linux/mutex.h, spinlock.h: the run-time initialisers (DEFINE_MUTEX() and friends are the static ones,
    # models.prelude); see init_lock().
    "mutex_init": LockOp("N", True), "spin_lock_init": LockOp("N", True), "raw_spin_lock_init": LockOp("N", True),
    "rcu_read_lock": LockOp("R"), "rcu_read_unlock": LockOp("r"),
    "migrate_disable": LockOp("M"), "migrate_enable": LockOp("m"),
    # kernel/locking/mutex.c mutex_is_locked() (a bool: an owner), include/linux/spinlock.h spin_is_locked() and
    # raw_spin_is_locked() (an int): whether the lock is held, nothing changed (locked()).
    "mutex_is_locked": LockOp("", True, "locked_bool"), "spin_is_locked": LockOp("", True, "locked"),
    "raw_spin_is_locked": LockOp("", True, "locked"),
}


def locked(m: Machine, lock: str, obj: Any, where: str) -> int:
    """Whether ``lock`` is held, as mutex_is_locked() and spin_is_locked() read it. A zeroed lock (static storage)
    is free; an automatic one never initialised holds indeterminate bytes: refused, as check_initialised() does."""
    if isinstance(obj, StructObj) and not isinstance(magic := obj.get("__sh_magic", LOCK_MAGIC), int):
        gone(magic, lock, where)
        raise UnsupportedConstruct(where, f"lock {lock} is read before it is initialised: an automatic object's lock "
                                          "holds indeterminate bytes, so whether it is held is not known")
    return int(bool(m.locks.get(lock, 0)))


@record
class GuardClass:
    """A guard class of cleanup.h: operations on entry and on exit, whether it takes a lock, and whether the
    kernel's class is conditional (DEFINE_GUARD_COND: a _try, or an _intr a signal may interrupt) though the
    mirror's entry never fails (no scenario sends a signal)."""

    enter: str
    exit: str
    lock: bool
    conditional: bool = False

    @property
    def may_fail(self) -> bool:
        """Whether scoped_guard() may skip its body: a trylock ("T") in the entry, or a conditional class."""
        return self.conditional or "T" in self.enter


def _lock_classes(prefix: str, lock: str, unlock: str, raw: str = "") -> dict[str, GuardClass]:
    """A spinlock-like class (DEFINE_LOCK_GUARD_1) and its _irq, _irqsave and _try variants."""
    out = {}
    for suffix, enter, leave in (("", "P", "p"), ("_irq", "IP", "ip"), ("_irqsave", "SP", "sp")):
        out[prefix + suffix] = GuardClass(raw + enter + lock, unlock + leave, True)
        out[prefix + suffix + "_try"] = GuardClass(raw + enter + "T", unlock + leave, True)
    return out


# Each lock primitive and guard class takes one kind (include/linux/spinlock.h, mutex.h, and their cleanup.h
# classes): a raw_spinlock_t for spin_lock() or guard(spinlock) is an incompatible pointer, which the kernel's
# -Werror=incompatible-pointer-types refuses. By the name's start, after class_ and __sh_ (raw_spin before spin).
LOCK_KINDS = (("raw_spin", "__sh_raw_spinlock", "raw_spinlock_t"), ("spin", "__sh_spinlock", "spinlock_t"),
              ("mutex", "mutex", "struct mutex"))


def lock_kind(name: str) -> tuple[str, str] | None:
    """The struct tag and the C name of the lock type a lock primitive or guard constructor takes, or None."""
    bare = name.removeprefix("class_").removeprefix("__sh_")
    return next(((tag, c) for start, tag, c in LOCK_KINDS if bare.startswith(start)), None)


def check_lock_kind(name: str, t: CType, where: str) -> None:
    """Refuse a pointer to another lock type (or struct) than the one ``name`` takes, as gcc does (BuildFailure)."""
    kind = lock_kind(name)
    if kind is None or not isinstance(t, Ptr) or not isinstance(t.target, Struct) or t.target.tag == kind[0]:
        return
    what = name.removesuffix("_constructor").replace("class_", "guard(", 1) + ")" if name.startswith("class_") \
        else f"{name}()"
    given = next((f"{c} *" for _, tag, c in LOCK_KINDS if tag == t.target.tag), str(t))
    raise BuildFailure(where, f"passing argument 1 of {what} from incompatible pointer type: {given} for {kind[1]} * "
                              "(-Werror=incompatible-pointer-types)")


def lock_name(m: Machine, target: Any, text: str, known: Iterable[tuple[str, Any]]) -> str:
    """The name of the lock object ``target``: its C path when a file-scope object is or holds it (``known``:
    path and object), else the text that first named it in the run (``p->lock``; another object first named by
    the same text is ``p->lock#2``), so that one object is one lock however it is reached and two are two.
    models/native/sh_native.c sh_lock_name() names by address alike."""
    if not isinstance(target, StructObj):
        return text  # not an object of the run (a NULL or integer pointer): its text, as before
    seen = m.lock_names.get(id(target))
    if seen is not None and seen[0] is target:
        return seen[1]
    name = next((n for n, obj in known if obj is target), None)
    if name is None:
        used = {n for _, n in m.lock_names.values()} | {n for n, _ in known}
        name, k = text, 2
        while name in used:
            name, k = f"{text}#{k}", k + 1
    m.lock_names[id(target)] = (target, name)
    return name


GUARD_CLASSES: dict[str, GuardClass] = {
    "preempt": GuardClass("P", "p", False), "preempt_notrace": GuardClass("P", "p", False),
    "migrate": GuardClass("M", "m", False), "irq": GuardClass("I", "i", False),
    "irqsave": GuardClass("S", "s", False), "rcu": GuardClass("R", "r", False),
    **_lock_classes("spinlock", "L", "l"), **_lock_classes("raw_spinlock", "L", "l", "W"),
    "mutex": GuardClass("ZL", "l", True), "mutex_try": GuardClass("T", "l", True),
    "mutex_intr": GuardClass("ZL", "l", True, conditional=True),
}


class GuardState:
    """The value of a guard variable (``struct __sh_guard``): its class, lock, saved flags, and state."""

    __slots__ = ("done", "flags", "kind", "lock", "ok", "target")

    def __init__(self, kind: str, lock: str, flags: int, ok: bool) -> None:
        self.kind, self.lock, self.flags, self.ok, self.done = kind, lock, flags, ok, False
        self.target: Any = None  # the lock object (__guard_ptr()), None when the code does not declare it

    def __repr__(self) -> str:
        return f"<guard {self.kind}{' ' + self.lock if self.lock else ''}>"


def run_ops(m: Machine, ops: str, lock: str, flags: int, where: str, obj: Any = None,
            subclass: int = 0) -> tuple[bool, int]:
    """Run a string of operations; (acquired, flags saved by 'S'). ``obj``: the lock object, whose initialisation
    an acquire or release checks (check_initialised()), None where the code does not declare it. An acquire
    ('L', not a trylock's) is lockdep's to check first (acquire_check(), of lockdep ``subclass``): a lock the task
    holds is a Deadlock."""
    if m.preempt & NMI_MASK:
        nmi_refused(ops, where)
    done: list[str] = []
    for op in ops:
        if op == "W":
            continue  # read by the acquire below (_held())
        tried = op == "T"
        if tried:
            if m.locks.get(lock, 0):
                for back in reversed(done):
                    if back in _UNDO:
                        _apply(m, _UNDO[back], lock, flags, where)
                return False, flags
            op = "L"
        if op in "LlN" and isinstance(obj, StructObj):
            check_initialised(m, obj, lock, op == "N", where)
        if op == "N":
            lock_class(m, lock, obj, f"init@{where}")
        elif op == "L" and not tried:
            acquire_check(m, lock, where, _held(ops, done), subclass)
        flags = _apply(m, op, lock, flags, where, _held(ops, done) if op == "L" else 0)
        if op == "L":
            lockdep.taken(m, lock, tried, subclass, where)
        elif op == "l":
            lockdep.released(m, lock)
        done.append(op)
    return True, flags


def _held(ops: str, done: list[str]) -> int:
    """What an acquire in ``ops`` takes (models.lockdep SPIN, SLEEP, RAW): a mutex's primitive disables no
    preemption before it, a raw_spinlock_t's is marked 'W'."""
    if "P" not in done:
        return lockdep.SLEEP
    return lockdep.RAW if "W" in ops else lockdep.SPIN


# What DEFINE_MUTEX(), DEFINE_SPINLOCK() and the run-time initialisers leave in a lock's one field (the prelude's
# struct mutex and spinlock_t); a lock of static storage declared without them holds 0, an automatic one nothing.
LOCK_MAGIC = 0x6C6F636B


def check_initialised(m: Machine, obj: StructObj, lock: str, init: bool, where: str) -> None:
    """CONFIG_DEBUG_MUTEXES / CONFIG_DEBUG_SPINLOCK: a lock used without its initialiser (DEFINE_MUTEX(),
    mutex_init(), ...) fails the magic check of its lock or unlock (kernel/locking/mutex.c
    DEBUG_LOCKS_WARN_ON(lock->magic != lock), spinlock_debug.c spin_bug(lock, "bad magic")), reported once: the
    report turns the debug checks off (debug_locks_off()), and the zeroed lock works as a free one. A lock of a
    file-scope object may have been initialised by an init function before the entry point, which the mirror
    cannot tell: it is taken as initialised, said with a ``lock`` event, once per lock. An automatic object's
    lock never initialised holds indeterminate bytes: whether it is free is not known, refused."""
    magic = obj.get("__sh_magic", LOCK_MAGIC)
    if init or magic == LOCK_MAGIC:
        obj["__sh_magic"] = LOCK_MAGIC
        # a static initialiser's, unless mutex_init() and friends set it; a unit's copy of a header's static lock is
        # keyed as the object in its unit (unit_mark()), the same in any run whichever unit reached it first
        lock_class(m, lock, obj, f"own@{lock.partition(UNIT_COPY)[0]}")
        return
    mutex = isinstance(obj.ctype, Struct) and obj.ctype.tag == "mutex"
    how = "DEFINE_MUTEX() or mutex_init()" if mutex else "DEFINE_SPINLOCK() or spin_lock_init()"
    if not isinstance(magic, int):
        gone(magic, lock, where)
        raise UnsupportedConstruct(where, f"lock {lock} is used before {how.partition(' or ')[2]}: an automatic "
                                          "object's lock holds indeterminate bytes, so whether it is free is not "
                                          "known (CONFIG_DEBUG_LOCK_ALLOC reports its key)")
    if _in_static_storage(m, obj):
        obj["__sh_magic"] = LOCK_MAGIC
        lock_class(m, lock, obj, None)
        m.event("lock", f"{lock} taken as initialised (no {how} in the run: an init function may have run before)",
                where)
        return
    debug_report(m, f"lock {lock} used uninitialised (no {how}): "
                 + ("DEBUG_LOCKS_WARN_ON(lock->magic != lock)" if mutex else "spinlock bad magic"), where)


def gone(magic: Any, lock: str, where: str) -> None:
    """A lock whose state is no automatic object's indeterminate bytes: one of an object whose lifetime ended (a
    pointer outliving its block: CRuntimeError, as a read of any of its scalars), or of an extern object defined in
    no file the mirror has (UnsupportedConstruct, saying so: another unit initialised it, or not, and may hold it)."""
    if isinstance(magic, Unknown):
        read_var(magic, f"lock {lock}", where)


def _in_static_storage(m: Machine, obj: StructObj) -> bool:
    """Whether a file-scope object is or holds ``obj`` (models/native/sh_native.c: a lock sh_lock_global() named)."""
    # A function's own static is no file-scope object: no init function can have set it up (sh_native.c does not
    # register it either); a fresh run is a fresh boot, where its first use is its first.
    todo: list[Any] = [v for slot, v in m.globals.items() if STATIC_SLOT not in slot]  # a unit's copy: "u.c>static:"
    while todo:
        v = todo.pop()
        if v is obj:
            return True
        if isinstance(v, StructObj):
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
    return False


def _apply(m: Machine, op: str, lock: str, flags: int, where: str, held: int = 0) -> int:
    if op in "Pp":
        if op == "p" and m.preempt == m.preempt_base:  # its preempt_count() & PREEMPT_MASK is 0
            _preempt_underflow(m, where)
            return flags
        m.preempt += 1 if op == "P" else -1
        if op == "P":
            preemptleak.disabled(m, where)
        else:
            preemptleak.enabled(m)
        m.event("preempt", f"count {m.preempt}", where)
    elif op in "IiS":
        saved = saved_flags(m)
        m.irqs_disabled = op != "i"
        m.event("irq", {"I": "disabled", "i": "enabled", "S": "disabled (saved)"}[op], where)
        return saved if op == "S" else flags
    elif op == "s":
        _restore(m, flags, where)
    elif op in "Ll":
        _lock(m, lock, op == "L", where, held)
    elif op == "Z":
        might_sleep(m, where)
    elif op == "N":
        init_lock(m, lock, where)
    else:
        _nesting(m, op, where)
    return flags




def _restore(m: Machine, flags: int, where: str) -> None:
    """local_irq_restore() on x86 (arch/x86/include/asm/irqflags.h arch_local_irq_restore(), no popf since v5.12):
    IRQs enabled where ``flags`` holds X86_EFLAGS_IF, nothing done otherwise, so flags saved with IRQs off restored
    while they are on leave them on. Before it, CONFIG_DEBUG_IRQFLAGS' raw_check_bogus_irq_restore()
    (include/linux/irqflags.h) warns where IRQs are on, once a boot (kernel/locking/irqflag-debug.c WARN_ONCE)."""
    if not m.irqs_disabled and not m.once.get(BOGUS_RESTORE_ONCE):
        m.once[BOGUS_RESTORE_ONCE] = 1
        m.event("violation", "raw_local_irq_restore() called with IRQs enabled", where)
    if flags & IRQ_FLAG:
        m.irqs_disabled = False
    m.event("irq", "restored " + ("disabled" if m.irqs_disabled else "enabled"), where)


def _preempt_underflow(m: Machine, where: str) -> None:
    """preempt_enable() at count 0 under CONFIG_DEBUG_PREEMPT (kernel/sched/core.c preempt_count_sub()):
    DEBUG_LOCKS_WARN_ON(val > preempt_count()) returns, the count stays 0; it reports only while debug_locks is on,
    the first of the debug-lock checks' reports (debug_locks_off(), as check_initialised()'s)."""
    debug_report(m, "preempt_enable() without preempt_disable()", where)


def might_sleep(m: Machine, where: str) -> None:
    """CONFIG_DEBUG_ATOMIC_SLEEP (kernel/sched/core.c __might_resched()): sleeping with a preempt count, in an RCU
    read-side section or with IRQs off is reported, as a violation; the report is rate-limited to one a second
    (``prev_jiffy``), and a run takes no time: the first of a run only."""
    nested = m.preempt + m.nesting.get("rcu", 0)  # preempt_count() + rcu_preempt_depth()
    if nested == 0 and not m.irqs_disabled:
        return
    if m.once.get(MIGHT_SLEEP_ONCE):
        no_time_passed(m, "a second sleep in atomic context (__might_resched())", MIGHT_RESCHED_INTERVAL_NS, where)
        return
    m.once[MIGHT_SLEEP_ONCE] = 1
    m.event("violation", f"sleeping function called from invalid context (preempt count {m.preempt}, "
                         f"RCU depth {m.nesting.get('rcu', 0)}, IRQs {'off' if m.irqs_disabled else 'on'})", where)


MIGHT_RESCHED_INTERVAL_NS = 1_000_000_000  # kernel/sched/core.c __might_resched(): prev_jiffy + HZ


def this_cpu_check(m: Machine, what: str, where: str) -> None:
    """CONFIG_DEBUG_PREEMPT (lib/smp_processor_id.c check_preemption_disabled()): ``what()`` (``__this_cpu_read``,
    ``smp_processor_id``) where the task may move to another CPU (preempt count 0, IRQs on, migration enabled) is
    reported, as a violation, rate-limited by printk_ratelimit(): the first 10 of a run.

    Raises UnsupportedConstruct inside an RCU read-side section with preemption on: whether rcu_read_lock()
    pins the task there depends on CONFIG_PREEMPT_RCU.
    """
    if m.preempt or m.irqs_disabled or m.nesting.get("migrate", 0) > 0:
        return
    if m.nesting.get("rcu", 0) > 0:
        raise UnsupportedConstruct(where, f"{what}() in an RCU read-side section with preemption enabled: "
                                          "whether CONFIG_DEBUG_PREEMPT reports it depends on CONFIG_PREEMPT_RCU")
    count = m.once.get(THIS_CPU_RATELIMIT, 0)
    if count:
        no_time_passed(m, f"{what}() reported again (printk_ratelimit())", RATELIMIT_INTERVAL_NS, where)
    if count < PRINTK_RATELIMIT_BURST:
        m.once[THIS_CPU_RATELIMIT] = count + 1
        m.event("violation", f"using {what}() in preemptible code", where)


def _lock(m: Machine, name: str, acquire: bool, where: str, held: int) -> None:
    """Take or release a lock (a held one is never taken again: acquire_check() stopped the run): held, what it is
    (models.lockdep SPIN, SLEEP, RAW: 1 a spinlock_t, 2 a mutex, 3 a raw_spinlock_t). A release of a free one is
    lockdep's "bad unlock balance detected" (kernel/locking/lockdep.c print_unlock_imbalance_bug())."""
    if not acquire and not m.locks.get(name, 0):
        debug_report(m, f"lock {name} released while free", where)
    m.locks[name] = held if acquire else 0
    m.event("lock", f"{name} {'acquired' if acquire else 'released'}", where)


def init_lock(m: Machine, name: str, where: str) -> None:
    """mutex_init(), spin_lock_init(), raw_spin_lock_init(): the lock is free after it (kernel/locking/mutex.c
    __mutex_init(), spinlock_debug.c __raw_spin_lock_init()). Under CONFIG_DEBUG_LOCK_ALLOC (lockdep) both first
    call debug_check_no_locks_freed() on the lock's bytes, which reports a lock the task holds there ("held lock
    freed!"): a violation. A use before it is check_initialised()'s."""
    if m.locks.get(name, 0):  # lockdep's print_freed_lock_bug(): "held lock freed!"
        debug_report(m, f"lock {name} initialised while held", where)
    m.locks[name] = 0
    m.event("lock", f"{name} initialised", where)


def _nesting(m: Machine, op: str, where: str) -> None:
    """rcu_read_lock() and migrate_disable() nest: a depth; rcu_read_unlock() takes it below zero, as
    CONFIG_PREEMPT_RCU's __rcu_read_unlock() does (_rcu_underflow()); migrate_enable() does not."""
    what = "rcu" if op in "Rr" else "migrate"
    depth = m.nesting.get(what, 0) + (1 if op in "RM" else -1)
    if op == "m" and depth < 0:
        # kernel/sched/core.c (include/linux/sched.h since v6.17) migrate_enable(): WARN_ON_ONCE() of a depth <= 0
        # returns, the depth stays 0; once a run (one site)
        if not m.once.get(MIGRATE_ENABLE_ONCE):
            m.once[MIGRATE_ENABLE_ONCE] = 1
            m.event("violation", "migrate_enable() without migrate_disable()", where)
        return
    m.nesting[what] = depth
    m.event(what, f"depth {depth}", where)
    if depth < 0 and not m.once.get(RCU_UNLOCK_ONCE):
        _rcu_underflow(m, where)




def _rcu_underflow(m: Machine, where: str) -> None:
    """rcu_read_unlock() outside a read-side section: CONFIG_PREEMPT_RCU's __rcu_read_unlock() WARN_ON_ONCE()s a
    depth below 0 (kernel/rcu/tree_plugin.h), once a run; its rcu_lock_release() is lockdep's "bad unlock balance
    detected" on rcu_lock_map, which turns debug_locks off (lockdep.debug_report()) where it was on."""
    m.once[RCU_UNLOCK_ONCE] = 1
    detail = "rcu_read_unlock() without rcu_read_lock()"
    if m.once.get(DEBUG_LOCKS_OFF):
        m.event("violation", detail, where)
    else:
        debug_report(m, detail, where)
