"""The kernel primitives: one table, each entry with the effect it has on the machine's observable state."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from models import heap, libc, lockdep, locking, ratelimit, runcontext, sprintf, strcmp, varargs
from models.ctype import BOOL, CHAR, INT, LONG, UINT, ULLONG, ULONG, USHORT, VOID, Ptr, Struct
from models.errors import CRuntimeError, UnsupportedConstruct
from models.locking import GUARD_CLASSES, LOCK_OPS, GuardClass, GuardState, LockOp, locked, run_ops
from models.machine import MAX_ERRNO, AddrPtr, Machine, StructObj
from models.onceunits import mark_warned, once_key, warned_before
from models.percpuops import PERCPU_WRITERS, cpu_read, cpu_write, on_cpu, percpu_byte
from models.prfmt_forms import site_format, split_debug
from models.prfmt_site import site_pr_fmt
from models.primitive import Impl, Primitive
from models.printkargs import format_string, formatted_line, pr_fmt_arg
from models.printklog import level_prefix
from models.printkstore import dev_format
from models.printkstore import printk as _printk
from models.printkstore import store as _store
from models.seamregs import loaded_values
from models.values import UNINIT

_PR_LEVELS = (("emerg", "emerg"), ("alert", "alert"), ("crit", "crit"), ("err", "err"), ("warn", "warning"),
              ("notice", "notice"), ("info", "info"), ("debug", "debug"))
# include/linux/ratelimit_types.h: DEFAULT_RATELIMIT_BURST messages per DEFAULT_RATELIMIT_INTERVAL (5 s);
# a run of the mirror takes no time, so each call site prints its first burst and no more.
RATELIMIT_BURST = 10
# The value of a guard variable: the prelude declares it with this one field (models.prelude.TYPES).
GUARD_TYPE = Struct("__sh_guard", (("__sh_state", ULLONG),))


def _emit(m: Machine, level: str, args: list[Any], where: str) -> int:
    """pr_<level>() is printk(KERN_<LEVEL> pr_fmt(fmt), ...) (include/linux/printk.h): the prefix of the pr_fmt
    in force at the call is part of the format vsnprintf() reads (pr_cont() has none); printk()'s int."""
    prefix, names = site_format(m.pr_fmt, where, m.unit) if level != "cont" else (b"", ())
    if names:  # printk(KERN_<LEVEL> "..." fmt, __func__, args...): pr_fmt()'s arguments come first
        args = [args[0], *(pr_fmt_arg(m, name, where) for name in names), *args[1:]]
    text, fmt, inner = formatted_line(m, args, where, prefix=prefix)
    return _store(m, level_prefix(level) + text, (fmt, where, inner))


def _pr(level: str) -> Primitive:
    return Primitive(lambda m, a, w: _emit(m, level, a, w), INT,
                     f"log a '{level}' line: vsprintf of pr_fmt prefix + format; printk()'s length")


def _limited(level: str | None, limit: int) -> Impl:
    """pr_<level>_once / _ratelimited, printk_once / _ratelimited: the first ``limit`` calls of a site print."""
    def impl(m: Machine, args: list[Any], where: str) -> int:
        site, later = once_key(m, args[0]), args[1]
        count = m.once.get(site, 0)
        if count and limit > 1:
            ratelimit.no_time_passed(m, "a ratelimited printk() again", ratelimit.RATELIMIT_INTERVAL_NS, where)
        if count < limit:
            m.once[site] = count + 1
            rest = later()  # DO_ONCE_LITE_IF(), __ratelimit(): the arguments only where it prints
            if level is None:
                _printk(m, rest, where)
            else:
                _emit(m, level, rest, where)
        return 1
    return impl


def _warn(once: bool, with_fmt: bool) -> Impl:
    """WARN_ON(), WARN_ON_ONCE(), WARN(), WARN_ONCE(): when true, what the kernel prints (kernel/panic.c): WARN()'s
    message is a log record of its own, at the level its KERN_<level> prefix gives or the default one (vprintk(),
    no pr_fmt), after a "cut here" line and before the "WARNING: CPU: ... at FILE:LINE" line and the backtrace,
    which are the warning event (their PID, addresses and registers are not the mirror's to know). Those lines
    finalize a record left open, so the message never continues one, and nothing continues the message; the value
    is !!cond."""
    def impl(m: Machine, args: list[Any], where: str) -> int:
        site, args = once_key(m, args[0]) if once else args[0], args[1:]
        cond = 1 if args[0] else 0
        # WARN_ONCE() keeps a C static (DO_ONCE_LITE_IF()), WARN_ON_ONCE() a flag per copy of the code (onceunits)
        if cond and not (once and (m.once.get(site) if with_fmt else warned_before(m, site, where))):
            if once and with_fmt:  # WARN_ON() keeps no static: nothing a later call sees
                m.once[site] = 1
            elif once:
                mark_warned(m, site, where)
            m.log_open = 0  # pr_warn(CUT_HERE) (__warn_printk(), report_bug())
            if with_fmt:  # __WARN_printf(): the format's arguments only where the condition holds
                call = [args[0], *args[1]()]
                call[1] = format_string(call[1], where)  # a char array's bytes are the format too
                text, fmt, inner = formatted_line(m, call, where, first=1)
                _store(m, text, (fmt, where, inner))
            m.log_open = 0  # the WARNING: line (__warn()) follows the message
            m.event("warning", "WARN" if with_fmt else "WARN_ON", where)
        return cond
    return impl


def _lock_primitive(op: LockOp) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> Any:
        flags = int(args[op.flags_arg]) if op.flags_arg >= 0 else 0
        lock, obj = args[0] if op.lock else ("", None)
        if op.returns.startswith("locked"):
            return locked(m, lock, obj, where)
        # lockdep's subclass is an unsigned int (include/linux/lockdep.h lock_acquire())
        subclass = int(args[op.subclass_arg]) & 0xFFFFFFFF if op.subclass_arg >= 0 else 0
        ok, saved = run_ops(m, op.ops, lock, flags, where, obj, subclass)
        return {"flags": saved, "ok": int(ok), "zero": 0}.get(op.returns)
    return impl


_LOCK_RET = {"void": VOID, "flags": ULONG, "ok": INT, "zero": INT, "locked": INT, "locked_bool": BOOL}


def _constructor(kind: str, cls: GuardClass) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> GuardState:
        lock, target = args[0] if cls.lock else ("", None)
        ok, flags = run_ops(m, cls.enter, lock, 0, where, target)
        g = GuardState(kind, lock, flags, ok)
        g.target = target
        return g
    return impl


def _destructor(cls: GuardClass) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> None:
        g = _guard(args[0], where)
        if g.ok:
            run_ops(m, cls.exit, g.lock, g.flags, where)
    return impl


def _guard(v: Any, where: str) -> GuardState:
    if not isinstance(v, GuardState):
        raise CRuntimeError(where, "a guard variable that holds no guard")
    return v


def _guard_primitives() -> dict[str, Primitive]:
    out: dict[str, Primitive] = {}
    for kind, cls in GUARD_CLASSES.items():
        what = f"guard({kind}): {cls.enter} on entry, {cls.exit} on every way out of the scope (models.locking)"
        out[f"class_{kind}_constructor"] = Primitive(_constructor(kind, cls), GUARD_TYPE, what,
                                                     (0,) if cls.lock else (), keeps_lock=cls.lock)
        out[f"class_{kind}_destructor"] = Primitive(_destructor(cls), VOID, f"the exit of {what}")
    return out


EBUSY = 16  # include/uapi/asm-generic/errno-base.h


def _guard_fail(m: Machine, args: list[Any], where: str) -> Any:
    """ERR_PTR(_RET) of a conditional guard that did not acquire (cleanup.h DEFINE_GUARD_COND()): NULL for 0, an
    error pointer for -1..-MAX_ERRNO; any other value is not an error pointer, so the kernel's destructor would
    unlock through it: refused."""
    ret = int(args[0])
    if ret == 0:
        return None
    if -MAX_ERRNO <= ret < 0:
        return AddrPtr(ret & ((1 << 64) - 1))
    raise UnsupportedConstruct(where, f"a conditional guard that fails with {ret}, which is neither 0 nor an error "
                                      "code: its destructor would unlock through that value")


def _guard_ptr(m: Machine, args: list[Any], where: str) -> Any:
    """__guard_ptr(class)(&scope) of a table class, class_<class>_lock_ptr() (include/linux/cleanup.h
    __DEFINE_GUARD_LOCK_PTR()): NULL where a conditional class did not acquire; else the lock (DEFINE_GUARD(mutex,
    ...), DEFINE_LOCK_GUARD_1(spinlock, ...): the pointer to it), or (void *)1 for a class without one
    (DEFINE_LOCK_GUARD_0(preempt, ...) sets its lock so)."""
    g = _guard(args[0], where)
    if not g.ok:
        return None
    if not GUARD_CLASSES[g.kind].lock:
        return AddrPtr(1)
    if g.target is None:
        raise UnsupportedConstruct(where, f"__guard_ptr({g.kind}) of lock {g.lock}, which the code names but does "
                                          "not declare: its address is not modelled")
    return g.target


def _scope_once(require_ok: bool) -> Impl:
    """The condition of the scoped_guard() loop: true once (and only if acquired, for scoped_guard)."""
    def impl(m: Machine, args: list[Any], where: str) -> int:
        g = _guard(args[0], where)
        if g.done or (require_ok and not g.ok):
            return 0
        g.done = True
        return 1
    return impl


def _bits(name: str, width: int, fn: Callable[[int], int], undefined_at_zero: bool = False) -> Primitive:
    def impl(m: Machine, args: list[Any], where: str) -> int:
        v = int(args[0]) & ((1 << width) - 1)
        if undefined_at_zero and v == 0:
            raise CRuntimeError(where, f"{name}(0) is undefined")
        return fn(v)
    return Primitive(impl, INT, f"gcc's {name}() on a {width}-bit argument")


def _builtin_bits() -> dict[str, Primitive]:
    out: dict[str, Primitive] = {}
    for suffix, width in (("", 32), ("l", 64), ("ll", 64)):
        out[f"__builtin_ffs{suffix}"] = _bits(f"__builtin_ffs{suffix}", width, lambda v: (v & -v).bit_length())
        out[f"__builtin_popcount{suffix}"] = _bits(f"__builtin_popcount{suffix}", width, lambda v: bin(v).count("1"))
        out[f"__builtin_parity{suffix}"] = _bits(f"__builtin_parity{suffix}", width, lambda v: bin(v).count("1") & 1)
        out[f"__builtin_ctz{suffix}"] = _bits(f"__builtin_ctz{suffix}", width, lambda v: (v & -v).bit_length() - 1,
                                              True)
        out[f"__builtin_clz{suffix}"] = _bits(f"__builtin_clz{suffix}", width, _leading_zeros(width), True)
    for width in (16, 32, 64):
        out[f"__builtin_bswap{width}"] = Primitive(_bswap(width), {16: USHORT, 32: UINT, 64: ULLONG}[width],
                                                   f"gcc's __builtin_bswap{width}()")
    return out


def _bswap(width: int) -> Impl:
    return lambda m, a, w: int.from_bytes((int(a[0]) & ((1 << width) - 1)).to_bytes(width // 8, "little"), "big")


def _leading_zeros(width: int) -> Callable[[int], int]:
    return lambda v: width - v.bit_length()


def _is_err(or_null: bool) -> Impl:
    """IS_ERR() / IS_ERR_OR_NULL(): the error range (IS_ERR_VALUE) holds no object, so objects are not errors."""
    def impl(m: Machine, args: list[Any], where: str) -> int:
        p = args[0]
        if p is None or (isinstance(p, int) and p == 0):
            return int(or_null)
        address = p.address if isinstance(p, AddrPtr) else p if isinstance(p, int) else None
        return int(address is not None and address & ((1 << 64) - 1) >= (1 << 64) - MAX_ERRNO)
    return impl


def _seam(function: str) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> int:
        if m.nesting.get("rcu", 0) > 0:  # the record's preempt count would be one kernel's: refused, as _preempt_count
            raise UnsupportedConstruct(where, f"{function}() in an RCU read-side section: the preempt count it runs "
                                              "with is one more without CONFIG_PREEMPT_RCU (rcu_read_lock() is "
                                              "preempt_disable() there) than with it, which is not modelled")
        regs = args[1] if len(args) > 1 else None
        passed = None
        if isinstance(regs, StructObj):
            passed = loaded_values(function, regs)
            # The module reads them: what it gets is whatever the stack held (``in`` asks identity first, in C).
            unset = [k for k, v in zip(*passed, strict=True) if v is UNINIT] if UNINIT in passed[1] else []
            if unset:
                verb = "is" if len(unset) == 1 else "are"
                raise CRuntimeError(where, f"{function}() hands over {', '.join(unset)}, which {verb} never set "
                                           "(arch/x86/virt/vmx/tdx/tdxcall.S loads it)")
        return m.seamcall(function, int(args[0]), regs, where, passed)
    return impl


def _asm(m: Machine, args: list[Any], where: str) -> None:
    """An asm statement the run reaches (models.asmstub): what its instruction does is the CPU's, not modelled."""
    insn = args[0].data.decode("latin-1") if args and hasattr(args[0], "data") else ""
    raise UnsupportedConstruct(where, f"inline asm is not modelled{f' ({insn})' if insn else ''}: the runs reaching "
                                      "it stop; an [[entry]] runs the code it wraps (docs/matrix.md)")


def _first_answer(m: Machine, args: list[Any], where: str) -> int:
    """The status code of the script's first answer, without using it up (feeds a discovered entry's status)."""
    return m.answer(0).code


def _dev_check(m: Machine, args: list[Any], where: str) -> None:
    if args[0] is not None:
        raise UnsupportedConstruct(where, "dev_<level>() of a device: the kernel prints its driver and name first "
                                          "(dev_driver_string(), dev_name()), which the mirror does not know")


def _sysfs_emit(m: Machine, args: list[Any], where: str) -> None:
    raise UnsupportedConstruct(where, "sysfs_emit(): it writes only into a buffer at the start of a page (else it "
                                      "warns and returns 0: offset_in_page()), and addresses are not modelled")


def _unreachable(m: Machine, args: list[Any], where: str) -> None:
    raise CRuntimeError(where, "__builtin_unreachable() was reached")


def _trap(m: Machine, args: list[Any], where: str) -> None:
    raise CRuntimeError(where, "__builtin_trap() was reached (ud2: an oops in the kernel)")


def _config_value(m: Machine, args: list[Any], where: str) -> int:
    name = args[0].data.decode() if hasattr(args[0], "data") else "a CONFIG_ option"
    raise UnsupportedConstruct(where, f"{name}'s value is not known: the mirror models options as set (=y), not "
                                      "their values")


def _nothing(m: Machine, args: list[Any], where: str) -> None:
    return None


def _delay(unit_ns: int) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> None:
        m.delayed_ns += max(0, int(args[0])) * unit_ns
    return impl


def _no_printk(m: Machine, args: list[Any], where: str) -> int:
    debug = split_debug(site_pr_fmt(m.pr_fmt, where, m.unit))[1]
    if debug is not None:
        raise UnsupportedConstruct(where, f"DEBUG is or may be defined ({debug}): pr_debug() prints then "
                                          "(include/linux/printk.h), which the mirror does not model")
    return 0


# include/linux/printk.h: without DEBUG defined, pr_debug() and its _once/_ratelimited forms are no_printk()
# (and with CONFIG_DYNAMIC_DEBUG, off until enabled at run time): nothing is logged; pr_devel() likewise.
_DEBUG_OFF = Primitive(_no_printk, INT, "nothing: no_printk() (DEBUG is not defined; dynamic debug is off)",
                       lazy_from=0)  # if (0) printk(...): the arguments are never evaluated

VOID_PTR = Ptr(VOID)


def _preempt_count(m: Machine, args: list[Any], where: str) -> int:
    """The preempt count; inside an RCU read-side section it is not known: rcu_read_lock() is preempt_disable()
    without CONFIG_PREEMPT_RCU (include/linux/rcupdate.h __rcu_read_lock()), one more than with it."""
    if m.nesting.get("rcu", 0) > 0:
        raise UnsupportedConstruct(where, "preempt_count() in an RCU read-side section: rcu_read_lock() adds one to "
                                          "it without CONFIG_PREEMPT_RCU and nothing with it, which is not modelled")
    return m.preempt


# The primitives that are functions of the kernel's own by their name (arch/x86/virt/vmx/tdx/seamcall.S's
# SYM_FUNC_START()s): kallsyms names them so, as %ps of a pointer to one prints (models.printkptr).
KERNEL_SYMBOLS = frozenset({"__seamcall", "__seamcall_ret", "__seamcall_saved_ret"})

PRIMITIVES: dict[str, Primitive] = {
    **{f"pr_{lv}": _pr(level) for lv, level in (*_PR_LEVELS, ("cont", "cont")) if lv != "debug"},
    # _once: include/linux/once_lite.h DO_ONCE_LITE_IF() gives unlikely(true) back, a long 1, at every call
    **{f"pr_{lv}_once": Primitive(_limited(level, 1), LONG, f"pr_{lv}() the first time this site runs", (), True,
                                  lazy_from=1) for lv, level in _PR_LEVELS if lv != "debug"},
    **{f"pr_{lv}_ratelimited": Primitive(_limited(level, RATELIMIT_BURST), VOID,
                                         f"pr_{lv}() the first {RATELIMIT_BURST} times this site runs", (), True,
                                         lazy_from=1) for lv, level in _PR_LEVELS if lv != "debug"},
    **dict.fromkeys(("pr_debug", "pr_debug_once", "pr_debug_ratelimited", "pr_devel"), _DEBUG_OFF),
    "printk": Primitive(_printk, INT, "log a line; a KERN_<level> prefix sets the level, no pr_fmt"),
    "printk_deferred": Primitive(_printk, INT, "printk(), with the console output deferred: the same log line"),
    "printk_once": Primitive(_limited(None, 1), LONG, "printk() the first time this site runs", (), True,
                             lazy_from=1),
    "printk_ratelimited": Primitive(_limited(None, RATELIMIT_BURST), VOID,
                                    f"printk() the first {RATELIMIT_BURST} times this site runs", (), True,
                                    lazy_from=1),
    **{name: Primitive(_lock_primitive(op), _LOCK_RET[op.returns],
                       f"operations {op.ops} (models.locking)" if op.ops else "whether it is held (models.locking)",
                       (0,) if op.lock else (), keeps_lock=op.lock) for name, op in LOCK_OPS.items()},
    **_guard_primitives(),
    **varargs.PRIMITIVES,
    "__sh_guard_enter_once": Primitive(_scope_once(True), INT, "scoped_guard(): enter the body once, if acquired"),
    "__sh_guard_once": Primitive(_scope_once(False), INT, "scoped_cond_guard(): enter the body once"),
    "__sh_guard_ok": Primitive(lambda m, a, w: int(_guard(a[0], w).ok), INT, "whether a guard was acquired"),
    "__sh_guard_err": Primitive(lambda m, a, w: 0 if _guard(a[0], w).ok else -EBUSY, INT,
                                "ACQUIRE_ERR() of a table class: 0 when acquired, else -EBUSY (a _try that failed)"),
    "__sh_guard_ptr": Primitive(_guard_ptr, VOID_PTR, "__guard_ptr() of a table class: the lock, (void *)1 or NULL"),
    "__sh_guard_fail": Primitive(_guard_fail, VOID_PTR, "a conditional guard's ERR_PTR(_RET): 0 or an error code"),
    "preempt_count": Primitive(_preempt_count, INT, "the preempt count (not known in an RCU read-side section)"),
    **{name: Primitive(getattr(heap, name), VOID_PTR, f"{name}(): memory the first pointer type taking it makes "
                                                        "objects of (models.heap)")
       for name in ("kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "kvmalloc", "kvzalloc", "kvcalloc",
                    "kvmalloc_array", "krealloc", "krealloc_array", "kmemdup", "kvrealloc")},
    **{name: Primitive(getattr(heap, name), Ptr(CHAR), f"{name}(): a string's copy in kmalloc()'s memory (models.heap)")
       for name in ("kstrdup", "kstrndup", "kmemdup_nul")},
    **{name: Primitive(getattr(heap, name), VOID, f"{name}(): free what kmalloc() gave, once (models.heap)")
       for name in ("kfree", "kvfree", "kfree_sensitive")},
    **{f"__free_{name}": Primitive(partial(heap.free_kfree, what=f"{name}()"), VOID,
                                   f"__free({name}): {name}() the variable unless NULL or an error")
       for name in ("kfree", "kvfree")},
    "memset": Primitive(libc.memset, VOID_PTR, "clear a whole struct (models.libc)"),
    "memcpy": Primitive(libc.memcpy, VOID_PTR, "copy a whole struct (models.libc)"),
    "memmove": Primitive(libc.memmove, VOID_PTR, "memcpy() of bytes that may overlap (models.libc)"),
    "strlen": Primitive(libc.strlen, ULONG, "the length of a string (models.libc)"),
    "strnlen": Primitive(libc.strnlen, ULONG, "the length of a string, at most a count (models.libc)"),
    "strchr": Primitive(libc.strchr, Ptr(CHAR), "the first of a string's bytes equal to a char, or NULL (models.libc)"),
    "memchr": Primitive(libc.memchr, VOID_PTR, "the first of n bytes equal to a byte, or NULL (models.libc)"),
    **{name: Primitive(getattr(strcmp, name), INT, f"the sign of {name}() (models.strcmp)")
       for name in strcmp.SIGN_ONLY},
    "snprintf": Primitive(sprintf.snprintf, INT, "format into a char array; the would-be length (models.sprintf)"),
    "scnprintf": Primitive(sprintf.scnprintf, INT, "format into a char array; the length written (models.sprintf)"),
    "sprintf": Primitive(sprintf.sprintf, INT, "format into a char array, unbounded; its length (models.sprintf)"),
    "sized_strscpy": Primitive(sprintf.strscpy, LONG, "copy a string cut to size: length or -E2BIG (models.sprintf)"),
    **{name: Primitive(check.impl, VOID, f"violation event {check.doc} (models.locking)", check.name_args,
                       check.once) for name, check in lockdep.LOCKDEP_ASSERTS.items()},
    "irqs_disabled": Primitive(lambda m, a, w: int(m.irqs_disabled), INT, "whether IRQs are off"),
    # arch/x86/include/asm/irqflags.h arch_local_save_flags() (local_save_flags()): the flags as local_irq_save()
    # keeps them, X86_EFLAGS_IF where IRQs are on, nothing changed; any other bit is not known (models.eflags)
    "__sh_save_flags": Primitive(lambda m, a, w: locking.saved_flags(m), ULONG,
                                 "local_save_flags(): X86_EFLAGS_IF where IRQs are on, bit 1 set (models.eflags)"),
    **dict.fromkeys(PERCPU_WRITERS, Primitive(
        cpu_write, VOID, "write the per-CPU variable, as its declared type (event)", (0,), typed_by=0)),
    **dict.fromkeys(("this_cpu_read", "raw_cpu_read"), Primitive(
        cpu_read, ULLONG, "read the per-CPU variable, as its declared type", (0,), typed_by=0)),
    "__sh_pcpu_byte": Primitive(percpu_byte, INT, "a per-CPU bool's byte after an x86 byte instruction: 0 or 1, "
                                "else the run stops"),
    "__sh_on_cpu": Primitive(on_cpu, VOID, "per_cpu_ptr()'s CPU: the run's, else the run stops (not modelled)"),
    "__sh_cpu": Primitive(lambda m, a, w: m.cpu, INT, "the CPU the run is on (the matrix script's cpu, else 0)"),
    "__sh_cpu_feature": Primitive(runcontext.cpu_feature, INT, "boot_cpu_has(): the script's cpu_has, cpu_lacks"),
    "printk_ratelimit": Primitive(ratelimit.printk_ratelimit, INT, "1 for the first 10 calls of a run, with "
                                  "CONFIG_DEBUG_PREEMPT's reports (printk_ratelimit_state), then 0"),
    "__sh_this_cpu_check": Primitive(lambda m, a, w: locking.this_cpu_check(m, a[0].data.decode(), w), VOID,
                                     "__this_cpu_*(): CONFIG_DEBUG_PREEMPT's check (models.locking)"),
    # A long, as include/asm-generic/bug.h gives unlikely(__ret_warn_on) (__builtin_expect()) back
    "WARN_ON": Primitive(_warn(False, False), LONG, "warning event when true; returns the condition", (), True,
                         decides=True),
    "WARN_ON_ONCE": Primitive(_warn(True, False), LONG, "warning event the first time true at this site", (), True,
                              decides=True),
    "WARN": Primitive(_warn(False, True), LONG, "when true, its message logged and a warning event", (),
                      True, lazy_from=2, decides=True),
    "WARN_ONCE": Primitive(_warn(True, True), LONG, "WARN() the first time true at this site", (), True,
                           lazy_from=2, decides=True),
    **_builtin_bits(),
    # Primitives, not macros, so that source checks (series rules) see them; the value: __builtin_expect(!!(x), 1)
    "likely": Primitive(lambda m, a, w: 1 if a[0] else 0, LONG, "!!x, as a long (__builtin_expect)"),
    "unlikely": Primitive(lambda m, a, w: 1 if a[0] else 0, LONG, "!!x, as a long (__builtin_expect)"),
    "__builtin_expect": Primitive(lambda m, a, w: LONG.wrap(int(a[0])), LONG, "its first argument, as a long"),
    "__sh_is_err": Primitive(_is_err(False), INT, "IS_ERR(): whether the pointer is in the error range"),
    "__sh_is_err_or_null": Primitive(_is_err(True), INT, "IS_ERR_OR_NULL(): NULL or in the error range"),
    "__sh_dev_check": Primitive(_dev_check, VOID, "dev_<level>(): a NULL device, else the run stops (not known)"),
    "__sh_dev_prefixed": Primitive(dev_format, Ptr(CHAR), "dev_<level>() of a NULL device: its level and prefix, "
                                   "then the format, one string (models.printkstore)"),
    "sysfs_emit": Primitive(_sysfs_emit, INT, "the run stops (whether buf starts a page is not known)"),
    "__builtin_unreachable": Primitive(_unreachable, VOID, "reaching it is undefined: a run-time error"),
    "__builtin_trap": Primitive(_trap, VOID, "an invalid-opcode trap: the run stops with a run-time error"),
    "__sh_asm": Primitive(_asm, VOID, "inline asm: the run stops here (UnsupportedConstruct with file:line)"),
    "__sh_answer": Primitive(_first_answer, ULLONG, "the script's first status code (an entry's status parameter)"),
    "__sh_config_value": Primitive(_config_value, LONG, "a CONFIG_ option used as a value: not known, the run stops"),
    "BUILD_BUG_ON": Primitive(_nothing, VOID, "nothing at run time"),
    "___ratelimit": Primitive(ratelimit.ratelimit, INT, "__ratelimit(): 1 for the first burst calls on the state, "
                              "then 0; no time passes (models.ratelimit)"),
    ratelimit.HZ_CALL: Primitive(lambda m, a, w: ratelimit.hz_value(w), INT,
                                 "HZ: CONFIG_HZ's value is not known, the run stops (models.ratelimit)"),


    "cpu_relax": Primitive(_nothing, VOID, "nothing"),
    **{name: Primitive(_delay(ns), VOID, f"busy-wait (include/linux/delay.h): {ns} ns a unit, time only rate "
                                          "limits see (models.ratelimit.no_time_passed)")
       for name, ns in (("ndelay", 1), ("udelay", 1000), ("mdelay", 1000_000))},
    "barrier": Primitive(_nothing, VOID, "nothing"),
    # include/linux/static_call.h's targets of a key that has none of the code's (models/headermacros.py): the
    # call site x86 patches to a NOP for static_call_cond() of a NULL key, to `xor %eax, %eax` for
    # DEFINE_STATIC_CALL_RET0() (__static_call_return0()); the arguments are evaluated, and nothing else happens.
    "__sh_sc_nop": Primitive(_nothing, VOID, "nothing: static_call_cond() of a NULL target"),
    "__sh_sc_ret0": Primitive(lambda m, a, w: 0, LONG, "0: __static_call_return0()"),
    "__seamcall": Primitive(_seam("__seamcall"), ULLONG, "SEAMCALL: next scripted answer, call recorded"),
    "__seamcall_ret": Primitive(_seam("__seamcall_ret"), ULLONG,
                                "SEAMCALL: next scripted answer, output registers written"),
    "__seamcall_saved_ret": Primitive(_seam("__seamcall_saved_ret"), ULLONG,
                                      "SEAMCALL: next scripted answer, output registers written"),
}


# Primitives whose value the kernel computes from what the mirror does not model: a call of one is run only as a
# statement of its own (models.statements), a use of its value is refused where it is.
VALUE_NOT_KNOWN = {
    "cond_resched": "the value of cond_resched() (whether it scheduled: _cond_resched(), include/linux/sched.h) "
                    "depends on the scheduler and the preemption model, which are not modelled",
}


def responder_primitive(name: str) -> Primitive:
    """A function the scenario maps onto the scripted responder, like __seamcall."""
    return Primitive(_seam(name), ULLONG, "mapped onto the scripted responder")
