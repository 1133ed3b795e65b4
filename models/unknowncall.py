"""Why a call the mirror cannot make is refused.

A definition a variant dropped, a guard or cleanup class not modelled, or a function neither the variant's files nor the
kernel primitives (models/kernel.py) define.
"""

from __future__ import annotations

import re
from collections.abc import Container

_GUARD_CALL = re.compile(r"class_(\w+)_(?:constructor|destructor)$")


# Kernel functions left out on purpose: what they do is not the code's to decide (the clock, the heap).
_POLLS = "polls until its condition holds or its time runs out (include/linux/iopoll.h): how many polls run depends " \
         "on the clock, which the mirror does not model"
# A code address's symbol (what %pS and %ps print of it): which function holds it and at what offset is the kernel
# build's (inlining folds a static helper into its caller, a tail call returns to the caller's caller, the layout
# gives the offset), so no value the mirror could give is honest.
_CODE_ADDRESS = ("which function and offset that is (what %pS or %ps prints of it) is the kernel build's (inlining, "
                 "tail calls, code layout), which the mirror does not model")
_RETURN_ADDRESS = "gives the address the function returns to (_RET_IP_): " + _CODE_ADDRESS
# arch/x86/include/asm/cpufeature.h: a bit of the capabilities of the CPU whose cpuinfo it is handed, which may be
# another CPU's: boot_cpu_has() and its kin read the script's cpu_has and cpu_lacks (models.runcontext).
_CPU_FEATURE = ("tells whether the CPU has a feature or bug bit (X86_FEATURE_*, X86_BUG_*) in the cpuinfo it is "
                "handed, which the mirror does not model (a script's cpu_has and cpu_lacks give boot_cpu_has() and "
                "its kin)")
# A run stays in the context its script gives (models.runcontext: task, softirq, hardirq or nmi), which sets the preempt
# count's fields and lockdep's hardirq_context for the whole run: what enters or leaves a context changes them.
_CONTEXT = ("enters or leaves interrupt context (include/linux/hardirq.h): a run stays in the context its script gives "
            "(a task unless it says: docs/matrix.md), and the mirror does not model a change of it (the preempt "
            "count's fields, lockdep's IRQ state)")
_BH = ("disables or enables softirqs (include/linux/bottom_half.h), which the mirror does not model: a run stays in "
       "the context its script gives, and the preempt count's softirq field changes with it alone")
NOT_MODELLED = {"__builtin_return_address": _RETURN_ADDRESS,
                "__builtin_extract_return_addr": _RETURN_ADDRESS,
                "__builtin_frame_address": "gives a stack frame's address, which the mirror does not model",
                # declared __noreturn: models.reachable ends a path at it (no -Wreturn-type past it) all the same
                "panic": "stops the kernel (kernel/panic.c: 'Kernel panic - not syncing: ...', a backtrace, then a "
                         "halt or a reboot), an end of the run the mirror does not model (BUG()'s oops it does)",
                **dict.fromkeys(("read_poll_timeout", "read_poll_timeout_atomic", "readx_poll_timeout",
                                 "readx_poll_timeout_atomic", "poll_timeout_us", "poll_timeout_us_atomic"), _POLLS),
                # kmalloc() and its kin, krealloc(), kvrealloc(), kmemdup(), kfree() and kvfree() run (models.heap)
                **dict.fromkeys(("cpu_has", "cpu_has_bug"), _CPU_FEATURE),
                **dict.fromkeys(("irq_enter", "irq_exit", "irq_enter_rcu", "irq_exit_rcu", "__irq_enter",
                                 "__irq_enter_raw", "__irq_exit", "__irq_exit_raw", "nmi_enter", "nmi_exit",
                                 "__nmi_enter", "__nmi_exit"), _CONTEXT),
                **dict.fromkeys(("local_bh_disable", "local_bh_enable", "local_bh_enable_ip", "spin_lock_bh",
                                 "spin_unlock_bh", "spin_trylock_bh", "raw_spin_lock_bh", "raw_spin_unlock_bh",
                                 "raw_spin_trylock_bh"), _BH),
                **dict.fromkeys(("preempt_count_add", "preempt_count_sub", "__preempt_count_add",
                                 "__preempt_count_sub"),
                                "changes the preempt count by a value of its caller's (irq_enter() enters hardirq "
                                "context so, by HARDIRQ_OFFSET): the mirror's count moves by preempt_disable() and "
                                "preempt_enable() alone, a run staying in its script's context")}


# include/linux/instruction_pointer.h's macros, where no file the mirror reads defines them
_IDENTIFIERS = {
    "_RET_IP_": "_RET_IP_ (__builtin_return_address(0)) is the address the function returns to: " + _CODE_ADDRESS,
    "_THIS_IP_": "_THIS_IP_ is the address of the code where it is written (a label's, &&label): " + _CODE_ADDRESS,
}


def unknown_identifier(name: str, searched: str) -> str:
    """Why a name the code uses is not known (``searched``: where it was looked for, models.cload.Program.not_found):
    the instruction-pointer macros say why they are not modelled."""
    return _IDENTIFIERS.get(name, f"unknown identifier '{name}'{searched}")


def unknown_call(name: str, dropped: dict[str, str]) -> str:
    """Why a call cannot be made: the definition was dropped, is a guard class not modelled, or is missing."""
    if name in dropped:
        return f"{name}() is not available: {dropped[name]}"
    m = _GUARD_CALL.match(name)
    if m is not None:
        return f"guard class '{m.group(1)}' is not modelled (models.locking lists the classes that are)"
    if name in NOT_MODELLED:
        return f"{name}() {NOT_MODELLED[name]}"
    if name.startswith("__free_") and name[7:] in NOT_MODELLED:
        return f"cleanup class __free({name[7:]}): {name[7:]}() {NOT_MODELLED[name[7:]]}"
    if name.startswith("__free_"):
        return f"cleanup class __free({name[7:]}) is not defined (no DEFINE_FREE({name[7:]}, ...) in these files)"
    return f"call to unknown function {name}(): not defined in this variant's files (or only part of it is known " \
           "from hunks), nor a kernel function the mirror models (models/kernel.py lists them)"


SCOPE_OK = "__sh_scope_ok_"  # the prelude's scoped_guard() asks a class whether its scope is entered (models.cleanup)


def not_a_guard(name: str, functions: Container[str]) -> str | None:
    """Why gcc refuses a scoped_guard() or scoped_cond_guard() of a class that is no guard (a DEFINE_CLASS() or
    EXTEND_CLASS() one, ``functions`` holding its constructor): cleanup.h's scoped guards call the class's
    class_<name>_lock_ptr(), which only guard classes define (a build failure since conditional guards came, long
    before the SEAMCALL helpers); None for any other name."""
    cls = name.removeprefix(SCOPE_OK)
    if cls == name or f"class_{cls}_constructor" not in functions:
        return None
    return (f"implicit declaration of function 'class_{cls}_lock_ptr' (-Werror=implicit-function-declaration): "
            f"'{cls}' is a class, not a guard (no DEFINE_CLASS_IS_GUARD({cls}) or the like), and scoped_guard() "
            "and scoped_cond_guard() ask a guard for its lock pointer")
