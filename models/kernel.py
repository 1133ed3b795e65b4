"""The kernel primitives: one table, each entry with the effect it has on the machine's observable state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models.ctype import INT, ULLONG, ULONG, VOID, CType
from models.errors import CRuntimeError, UnsupportedConstruct
from models.machine import LogLine, Machine, StrVal
from models.printk import PrintkError, format_printk

Impl = Callable[[Machine, list[Any], str], Any]
_LEVELS = {"0": "emerg", "1": "alert", "2": "crit", "3": "err", "4": "warning", "5": "notice", "6": "info",
           "7": "debug", "c": "cont"}


@dataclass(frozen=True)
class Primitive:
    """A kernel function or macro the mirror models: what it returns and what it does."""

    impl: Impl
    ret: CType
    effect: str
    name_args: tuple[int, ...] = ()


def _fmt(m: Machine, args: list[Any], where: str, first: int = 0) -> str:
    fmt = args[first]
    if not isinstance(fmt, StrVal):
        raise CRuntimeError(where, "printk format is not a string literal")
    values = [a.text if isinstance(a, StrVal) else a for a in args[first + 1 :]]
    try:
        return format_printk(fmt.text, *values)
    except PrintkError as exc:
        raise CRuntimeError(where, f"printk: {exc}") from exc


def log_lines(level: str, text: str, prefix: str) -> list[LogLine]:
    """The log lines one pr_*() call leaves: the pr_fmt prefix, then one line per newline-ended piece."""
    body = prefix + text
    return [LogLine(level, line) for line in body.rstrip("\n").split("\n")] if body else []


def printk_lines(text: str) -> list[LogLine]:
    """printk(): a KERN_<level> prefix ("\\001" and a digit) sets the level; no pr_fmt."""
    level = "default"
    if text[:1] == "\x01" and len(text) > 1:
        level, text = _LEVELS.get(text[1], "default"), text[2:]
    return log_lines(level, text, "")


def _emit(m: Machine, level: str, text: str, prefix: bool = True) -> None:
    m.log.extend(log_lines(level, text, m.pr_fmt if prefix else ""))


def _pr(level: str) -> Primitive:
    return Primitive(lambda m, a, w: _emit(m, level, _fmt(m, a, w)), VOID,
                     f"log a '{level}' line: pr_fmt prefix + vsprintf-formatted text")


def _printk(m: Machine, args: list[Any], where: str) -> int:
    text = _fmt(m, args, where)
    m.log.extend(printk_lines(text))
    return len(text)


def _preempt(delta: int) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> None:
        m.preempt += delta
        m.event("preempt", f"count {m.preempt}", where)
        if m.preempt < 0:
            m.event("violation", "preempt_enable() without preempt_disable()", where)
    return impl


def _assert_preempt_off(m: Machine, args: list[Any], where: str) -> None:
    if m.preempt == 0 and not m.irqs_disabled:
        m.event("violation", "lockdep: preemption is enabled here", where)


def _assert_irqs_off(m: Machine, args: list[Any], where: str) -> None:
    if not m.irqs_disabled:
        m.event("violation", "lockdep: interrupts are enabled here", where)


def _cpu_write(m: Machine, args: list[Any], where: str) -> None:
    # Per-CPU storage is modelled as 64-bit unsigned, as the native harness keeps it.
    name, value = args[0], int(args[1]) & ((1 << 64) - 1)
    m.percpu[name] = value
    m.event("percpu-write", f"{name} = {value}", where)


def _cpu_read(m: Machine, args: list[Any], where: str) -> int:
    return int(m.percpu.get(args[0], 0))


def _warn(once: bool, with_fmt: bool) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> int:
        cond = 1 if args[0] else 0
        if cond and not (once and where in m.warned):
            m.warned.add(where)
            text = _fmt(m, args, where, first=1) if with_fmt else ""
            m.event("warning", text.rstrip("\n") or "WARN_ON", where)
        return cond
    return impl


def _irq_save(m: Machine, args: list[Any], where: str) -> int:
    flags = 0 if m.irqs_disabled else 0x200
    m.irqs_disabled = True
    m.event("irq", "disabled (saved)", where)
    return flags


def _irq_restore(m: Machine, args: list[Any], where: str) -> None:
    m.irqs_disabled = not (int(args[0]) & 0x200)
    m.event("irq", "restored " + ("disabled" if m.irqs_disabled else "enabled"), where)


def _irq_set(disabled: bool) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> None:
        m.irqs_disabled = disabled
        m.event("irq", "disabled" if disabled else "enabled", where)
    return impl


def _lock(delta: int, irq: bool = False) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> Any:
        name = args[0]
        held = m.locks.get(name, 0) + delta
        if held < 0 or held > 1:
            m.event("violation", f"lock {name} {'released while free' if held < 0 else 'taken twice'}", where)
        m.locks[name] = max(0, min(1, held))
        m.event("lock", f"{name} {'acquired' if delta > 0 else 'released'}", where)
        if irq:
            return _irq_save(m, args, where) if delta > 0 else _irq_restore(m, args[1:], where)
        return None
    return impl


def _guard(enter: bool) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> int:
        kind = args[0].text if isinstance(args[0], StrVal) else str(args[0])
        m.event("guard", f"{kind} {'entered' if enter else 'left'}", where)
        if kind in ("irq", "irqsave"):
            m.irqs_disabled = enter
        elif kind == "preempt":
            m.preempt += 1 if enter else -1
        return 1 if enter else 0
    return impl


def _seam(function: str) -> Impl:
    def impl(m: Machine, args: list[Any], where: str) -> int:
        return m.seamcall(function, int(args[0]), args[1] if len(args) > 1 else None, where)
    return impl


def _asm(m: Machine, args: list[Any], where: str) -> None:
    raise UnsupportedConstruct(where, "inline asm is not modelled")


def _first_answer(m: Machine, args: list[Any], where: str) -> int:
    """The status code of the script's first answer, without using it up (feeds a discovered entry's status)."""
    return m.script[0].code if m.script else 0


def _nothing(m: Machine, args: list[Any], where: str) -> None:
    return None


def _truth(m: Machine, args: list[Any], where: str) -> int:
    return 1 if args[0] else 0


PRIMITIVES: dict[str, Primitive] = {
    **{f"pr_{lv}": _pr(level) for lv, level in (
        ("emerg", "emerg"), ("alert", "alert"), ("crit", "crit"), ("err", "err"), ("warn", "warning"),
        ("notice", "notice"), ("info", "info"), ("debug", "debug"), ("cont", "cont"))},
    "printk": Primitive(_printk, INT, "log a line; a KERN_<level> prefix sets the level, no pr_fmt"),
    "preempt_disable": Primitive(_preempt(+1), VOID, "preempt count + 1"),
    "preempt_enable": Primitive(_preempt(-1), VOID, "preempt count - 1 (violation below 0)"),
    "preempt_count": Primitive(lambda m, a, w: m.preempt, INT, "the preempt count"),
    "lockdep_assert_preemption_disabled": Primitive(_assert_preempt_off, VOID,
                                                    "violation event when preemption is enabled"),
    "lockdep_assert_irqs_disabled": Primitive(_assert_irqs_off, VOID, "violation event when IRQs are enabled"),
    "this_cpu_write": Primitive(_cpu_write, VOID, "write the per-CPU variable (event)", (0,)),
    "__this_cpu_write": Primitive(_cpu_write, VOID, "write the per-CPU variable (event)", (0,)),
    "raw_cpu_write": Primitive(_cpu_write, VOID, "write the per-CPU variable (event)", (0,)),
    "this_cpu_read": Primitive(_cpu_read, ULLONG, "read the per-CPU variable", (0,)),
    "__this_cpu_read": Primitive(_cpu_read, ULLONG, "read the per-CPU variable", (0,)),
    "WARN_ON": Primitive(_warn(False, False), INT, "warning event when true; returns the condition"),
    "WARN_ON_ONCE": Primitive(_warn(True, False), INT, "warning event the first time true at this place"),
    "WARN": Primitive(_warn(False, True), INT, "warning event with a formatted message when true"),
    "WARN_ONCE": Primitive(_warn(True, True), INT, "formatted warning event, once per place"),
    "__sh_irq_save": Primitive(_irq_save, ULONG, "local_irq_save(): IRQs off, returns the old flags"),
    "__sh_irq_restore": Primitive(_irq_restore, VOID, "local_irq_restore(): IRQs as the flags say"),
    "local_irq_disable": Primitive(_irq_set(True), VOID, "IRQs off"),
    "local_irq_enable": Primitive(_irq_set(False), VOID, "IRQs on"),
    "irqs_disabled": Primitive(lambda m, a, w: int(m.irqs_disabled), INT, "whether IRQs are off"),
    "spin_lock": Primitive(_lock(+1), VOID, "lock acquired (violation if held)", (0,)),
    "spin_unlock": Primitive(_lock(-1), VOID, "lock released (violation if free)", (0,)),
    "raw_spin_lock": Primitive(_lock(+1), VOID, "lock acquired", (0,)),
    "raw_spin_unlock": Primitive(_lock(-1), VOID, "lock released", (0,)),
    "mutex_lock": Primitive(_lock(+1), VOID, "mutex acquired", (0,)),
    "mutex_unlock": Primitive(_lock(-1), VOID, "mutex released", (0,)),
    "__sh_guard_enter": Primitive(_guard(True), INT, "scoped_guard(): enter the guarded state"),
    "__sh_guard_exit": Primitive(_guard(False), INT, "scoped_guard(): leave the guarded state"),
    "likely": Primitive(_truth, INT, "!!x"),
    "unlikely": Primitive(_truth, INT, "!!x"),
    "__builtin_expect": Primitive(lambda m, a, w: a[0], ULLONG, "its first argument"),
    "__sh_asm": Primitive(_asm, VOID, "inline asm: the run stops here (UnsupportedConstruct with file:line)"),
    "__sh_answer": Primitive(_first_answer, ULLONG, "the script's first status code (an entry's status parameter)"),
    "BUILD_BUG_ON": Primitive(_nothing, VOID, "nothing at run time"),
    "might_sleep": Primitive(_nothing, VOID, "nothing"),
    "cpu_relax": Primitive(_nothing, VOID, "nothing"),
    "barrier": Primitive(_nothing, VOID, "nothing"),
    "__seamcall": Primitive(_seam("__seamcall"), ULLONG, "SEAMCALL: next scripted answer, call recorded"),
    "__seamcall_ret": Primitive(_seam("__seamcall_ret"), ULLONG,
                                "SEAMCALL: next scripted answer, output registers written"),
    "__seamcall_saved_ret": Primitive(_seam("__seamcall_saved_ret"), ULLONG,
                                      "SEAMCALL: next scripted answer, output registers written"),
}

def responder_primitive(name: str) -> Primitive:
    """A function the scenario maps onto the scripted responder, like __seamcall."""
    return Primitive(_seam(name), ULLONG, "mapped onto the scripted responder")

