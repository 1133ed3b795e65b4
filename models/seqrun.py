"""Unsequenced operands as they run: what each call did, counted while a node is checked, and the node refused.

A node is refused after it ran where what its operands' calls did makes their order matter (models.sequencing plans
which nodes are checked, and refuses those whose order matters whatever their calls do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.errors import UnsupportedConstruct
from models.seqaccess import ANY_COUNTER, Plan
from models.seqflags import OVERFLOW_BUILTINS

if TYPE_CHECKING:
    from models.machine import Machine
    from models.primitive import Impl
    from models.values import Fn, Frame

# Primitives that read nothing but their arguments, and those that only read the machine's state (a preempt count,
# a per-CPU variable, a string): counted() counts the latter's reads, and neither's effects (they have none).
# per_cpu_ptr()'s __sh_on_cpu(cpu) compares cpu with the run's CPU, which no code changes (models.percpuops.on_cpu).
PURE = frozenset({"likely", "unlikely", "BUILD_BUG_ON", "barrier", "cpu_relax", "__sh_is_err", "__sh_is_err_or_null",
                   "__sh_on_cpu"})
_READS = frozenset({"preempt_count", "irqs_disabled", "this_cpu_read", "raw_cpu_read", "__sh_cpu", "__sh_answer",
                    "strlen", "strnlen", "strcmp", "strncmp", "memcmp", "__sh_guard_ok", "__sh_guard_err",
                    "__sh_guard_ptr"})
STORES = frozenset({"memset", "memcpy", "memmove", "snprintf", "scnprintf", "sprintf", "sized_strscpy", "vsnprintf",
                    "vscnprintf"})
# __builtin_va_arg(ap, T) moves ap past the argument it reads (models.varargs)
EFFECTFUL_BUILTINS = frozenset({"__builtin_trap", "__builtin_unreachable", "__builtin_va_arg"}) | OVERFLOW_BUILTINS


def counted(name: str, impl: Impl) -> Impl:
    """A primitive's implementation, counting in the run's ``seq_reads``, ``seq_outputs`` and ``seq_effects`` what
    it did: every one reads; an output is a SEAMCALL, a log record or an event, which a check that passes
    (lockdep_assert_held(), WARN_ON(0)) does not make; a store changes memory or state code reads: memset(),
    memcpy(), a SEAMCALL that writes registers back, a per-CPU variable, a lock, preemption, IRQs, a _once or
    ratelimit static, time, an open printk record. Only while an unsequenced node is being checked (the run's
    ``seq_stack`` holds one): outside one no operand is measured, and the counts would go unread."""
    if name in PURE or (name.startswith("__builtin_") and name not in EFFECTFUL_BUILTINS):
        return impl
    if name in _READS:
        def reads(m: Machine, args: list[Any], where: str) -> Any:
            m.seq_reads += 1
            return impl(m, args, where)
        return reads

    def acts(m: Machine, args: list[Any], where: str) -> Any:
        if not m.seq_stack:  # no unsequenced node is being checked: what the call does is looked at by none
            return impl(m, args, where)
        if name in m.seam_functions:
            _seen_before(m, where)
        before, state, percpu = _outputs(m), _state(m), tuple(m.percpu.items())
        try:
            return impl(m, args, where)
        finally:
            m.seq_reads += 1
            m.seq_outputs += _outputs(m) != before
            memory = name in STORES or (name in m.seam_functions and name != "__seamcall") \
                or tuple(m.percpu.items()) != percpu
            m.seq_memory += memory
            m.seq_effects += memory or _state(m) != state
    return acts


def _seen_before(m: Machine, where: str) -> None:
    """What a SEAMCALL looks at first, done before its effects are measured: the per-CPU stores the code made before
    it (through this_cpu_ptr(), a kept pointer: models.percpuwatch), their percpu-write events and their values in
    Machine.percpu, are no per-CPU write of the SEAMCALL's own (beside this_cpu_read() of that variable, gcc's
    either order reads the same); a register the answer writes into a per-CPU object still is."""
    if m.percpu_watch is not None:
        m.percpu_watch.flush(m, where)
    m.percpu_listed()


def _outputs(m: Machine) -> tuple[int, ...]:
    return m.calls.seen, m.log.seen, m.events.seen


def _state(m: Machine) -> tuple[object, ...]:
    return (tuple(m.locks.items()), tuple(m.nesting.items()), tuple(m.once.items()), m.preempt, m.irqs_disabled,
            m.delayed_ns, m.log_open)


_NONE: frozenset[str] = frozenset()



def refused(where: str, why: str) -> Fn:
    """Code that raises UnsupportedConstruct(where, why) where it runs: gcc builds it, so code that never reaches it
    still runs (models.sequencing.Sequencing.wrap)."""
    def run(f: Frame) -> Any:
        raise UnsupportedConstruct(where, why)
    return run


def checked(fn: Fn, plan: Plan, key: int) -> Fn:
    """``fn``, refused after it ran if what its operands' calls did makes their order matter; an operand not
    measured (compiled as an lvalue) counts as having done everything."""
    n = len(plan.static)

    def run(f: Frame) -> Any:
        stacks = f.m.seq_stack
        stack = stacks.setdefault(key, [])
        stack.append([(True, True, True, True, ANY_COUNTER, _NONE)] * n)
        try:
            v = fn(f)
        finally:
            ran = stack.pop()
            if not stack:  # none left open: counted() skips its measuring while no node is checked
                del stacks[key]
                if not stacks:  # no operand is being measured: the counters' and objects' names are read by none
                    f.m.seq_counters.clear()
                    f.m.seq_named.clear()
        why = plan.check(ran)
        if why is not None:
            raise UnsupportedConstruct(plan.where, why)
        return v
    return run


def measured(fn: Fn, key: int, i: int) -> Fn:
    """``fn``, noting for operand ``i`` of the unsequenced node ``key`` whether its calls stored (to memory or the
    kernel's state), added to the outcome, read, stored to memory the code can load, which functions counting in
    statics of their own they ran, and which file-scope objects they stored to by name."""
    def run(f: Frame) -> Any:
        m = f.m
        effects, outputs, reads, memory = m.seq_effects, m.seq_outputs, m.seq_reads, m.seq_memory
        counters, named = len(m.seq_counters), len(m.seq_named)
        v = fn(f)
        stack = m.seq_stack.get(key)
        if stack:
            stack[-1][i] = (m.seq_effects != effects, m.seq_outputs != outputs, m.seq_reads != reads,
                            m.seq_memory != memory,
                            frozenset(m.seq_counters[counters:]) if len(m.seq_counters) != counters else _NONE,
                            frozenset(m.seq_named[named:]) if len(m.seq_named) != named else _NONE)
        return v
    return run
