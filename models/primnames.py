"""The kernel primitives' names (models.kernel.PRIMITIVES), which name a variable, and likely()'s spelling."""

from __future__ import annotations

# Spelled out, not taken from models.kernel: that module imports the libc, sprintf, printk and per-CPU models
# (about 12 ms), and the checks that only ask whether a callee is modelled (harness.unreadcode, harness.discover,
# harness.sysheaders, harness.tuorder) or count likely() (harness.codechecks) run when every outcome is cached.
# tests/models/test_primnames.py holds this set equal to PRIMITIVES' keys.
_LEVELS = ("emerg", "alert", "crit", "err", "warn", "notice", "info")
_GUARDS = ("preempt", "preempt_notrace", "migrate", "irq", "irqsave", "rcu", "mutex", "mutex_try", "mutex_intr",
           *(f"{lock}{irq}{try_}" for lock in ("spinlock", "raw_spinlock") for irq in ("", "_irq", "_irqsave")
             for try_ in ("", "_try")))
_LOCK_OPS = (
    "preempt_disable", "preempt_enable", "preempt_disable_notrace", "preempt_enable_notrace",
    "preempt_enable_no_resched", "local_irq_disable", "local_irq_enable", "raw_local_irq_disable",
    "raw_local_irq_enable", "__sh_irq_save", "__sh_irq_restore", "__sh_save_flags", "might_sleep", "cond_resched",
    "might_resched", "rcu_read_lock", "rcu_read_unlock",
    "migrate_disable", "migrate_enable", "mutex_lock", "mutex_unlock", "mutex_trylock", "mutex_lock_interruptible",
    "mutex_lock_killable", "mutex_init", "mutex_is_locked", "mutex_lock_nested", "mutex_lock_interruptible_nested",
    "mutex_lock_killable_nested",
    *(f"{raw}{op}" for raw in ("", "raw_") for op in (
        "spin_lock", "spin_unlock", "spin_lock_irq", "spin_unlock_irq", "spin_unlock_irqrestore", "spin_trylock",
        "spin_trylock_irq", "spin_lock_init", "spin_is_locked", "spin_lock_nested")),
    "__sh_spin_lock_irqsave", "__sh_raw_spin_lock_irqsave", "__sh_spin_lock_irqsave_nested",
    "__sh_raw_spin_lock_irqsave_nested",
)
_LOCKDEP = ("preemption_disabled", "preemption_enabled", "irqs_disabled", "irqs_enabled", "in_irq", "in_softirq",
            "held", "held_once", "not_held")
_OTHERS = (
    "pr_cont", "pr_debug", "pr_debug_once", "pr_debug_ratelimited", "pr_devel",
    "printk", "printk_deferred", "printk_once", "printk_ratelimited", "printk_ratelimit",
    "__sh_guard_enter_once", "__sh_guard_once", "__sh_guard_ok", "__sh_guard_err", "__sh_guard_ptr",
    "__sh_guard_fail", "preempt_count", "kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "kfree", "__free_kfree",
    "kvmalloc", "kvzalloc", "kvcalloc", "kvmalloc_array", "krealloc", "krealloc_array", "kmemdup", "kstrdup",
    "kvrealloc", "kstrndup", "kmemdup_nul", "kvfree", "kfree_sensitive",
    "__free_kvfree",
    "memset", "memcpy", "memmove", "strlen", "strnlen", "strchr", "memchr",
    "strcmp", "strncmp", "memcmp", "snprintf", "scnprintf", "sprintf",
    "sized_strscpy", "irqs_disabled", "this_cpu_write", "raw_cpu_write", "this_cpu_read", "raw_cpu_read",
    "__sh_pcpu_byte", "__sh_on_cpu", "__sh_cpu", "__sh_cpu_feature", "__sh_this_cpu_check", "WARN_ON",
    "WARN_ON_ONCE", "WARN",
    "WARN_ONCE", "likely", "unlikely", "__builtin_expect", "__sh_is_err", "__sh_is_err_or_null", "__sh_dev_check",
    "__sh_dev_prefixed",
    "sysfs_emit", "__builtin_unreachable", "__builtin_trap", "__sh_asm", "__sh_answer", "__sh_config_value",
    "BUILD_BUG_ON", "___ratelimit", "__sh_hz", "cpu_relax", "ndelay", "udelay", "mdelay", "barrier", "__sh_sc_nop",
    "__sh_sc_ret0",
    "__seamcall", "__seamcall_ret", "__seamcall_saved_ret",
    "__builtin_bswap16", "__builtin_bswap32", "__builtin_bswap64", "vprintk", "vsnprintf", "vscnprintf",
)

PRIMITIVE_NAMES = frozenset({
    *_OTHERS, *_LOCK_OPS,
    *(f"pr_{lv}{kind}" for lv in _LEVELS for kind in ("", "_once", "_ratelimited")),
    *(f"class_{guard}_{end}" for guard in _GUARDS for end in ("constructor", "destructor")),
    *(f"lockdep_assert_{what}" for what in _LOCKDEP),
    *(f"__builtin_{op}{suffix}" for op in ("ffs", "popcount", "parity", "ctz", "clz") for suffix in ("", "l", "ll")),
})

# The primitives whose first argument is the source text naming a variable, not a value they read
# (Primitive.name_args == (0,)): the lock operations and lock guards' constructors, lockdep's assertions and the
# per-CPU reads and writes. Every other primitive's name_args are empty (tests/models/test_primnames.py).
NAME_FIRST = frozenset({
    *(op for op in _LOCK_OPS if "spin_" in op or "mutex_" in op),
    *(f"class_{guard}_constructor" for guard in _GUARDS if "spinlock" in guard or guard.startswith("mutex")),
    *(f"lockdep_assert_{what}" for what in ("held", "held_once", "not_held")),
    "this_cpu_write", "raw_cpu_write", "this_cpu_read", "raw_cpu_read",
})


# include/linux/compiler.h: "# define likely(x) __builtin_expect(!!(x), 1)", and unlikely(x) with 0. Code that
# calls __builtin_expect() has written one of them out: a rule about them counts it (harness.codechecks).
SPELLED_OUT = {"likely": "__builtin_expect", "unlikely": "__builtin_expect"}
