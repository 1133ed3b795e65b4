"""The prelude's macros added since its first lines, defined after every older one (models.prelude)."""

from __future__ import annotations

from models.atomic import ATOMICS
from models.attributemacros import ATTRIBUTE_MACROS
from models.bitfieldmacros import TYPED_BITFIELDS
from models.cleanup import BUILTIN_GUARDS, CLEANUP_ADDED, COND_GUARDS, GUARD_PTRS, USER_GUARDS
from models.cmpxchg import CMPXCHG
from models.gfpflags import GFP_MACROS
from models.headermacros import HEADER_MACROS, LIMITS
from models.percpumacros import BYTE, OP_T
from models.preemptfields import PREEMPT_FIELDS
from models.ratelimit import DEV_RATELIMITED
from models.ratelimit import MACROS as RATELIMIT
from models.runcontext import CPU_FEATURE_MACROS
from models.statickeys import MACROS as STATIC_KEYS
from models.tdxerrno import TDX_ERRNO
from models.valist import DEV_DBG
from models.valist import MACROS as STDARG

# include/linux/bitops.h: rol64() ... ror8(), each a macro (head, body).
ROTATES: tuple[tuple[str, str], ...] = tuple(
    (f"{name}{n}(word, shift)",
     f"({{ u{n} __sh_rot_w = (word); unsigned int __sh_rot_s = (shift); "
     f"(u{n})((__sh_rot_w {a} (__sh_rot_s & {n - 1})) | (__sh_rot_w {b} (-__sh_rot_s & {n - 1}))); }})")
    for n in (64, 32, 16, 8) for name, a, b in (("rol", "<<", ">>"), ("ror", ">>", "<<")))

# Macros added since: after every older line (the errno values too), so that the <prelude>:N reports cite for
# those stays put.
ADDED: tuple[tuple[str, str], ...] = (
    ("__ffs64(x)", "((unsigned long)__builtin_ctzll((u64)(x)))"),  # include/linux/bitops.h, 64-bit
    # include/linux/irqflags.h: the untraced forms (the IRQ-state tracing is not modelled)
    ("raw_local_irq_save(flags)", "((flags) = __sh_irq_save())"),
    ("raw_local_irq_restore(flags)", "__sh_irq_restore(flags)"),
    *USER_GUARDS, *BUILTIN_GUARDS,
    # include/linux/percpu-defs.h: the copy of a per-CPU variable of the run's CPU is the variable itself;
    # this_cpu_ptr() under CONFIG_DEBUG_PREEMPT shifts the pointer by my_cpu_offset, per_cpu_offset(smp_processor_id())
    # (include/asm-generic/percpu.h; x86 defines only __my_cpu_offset): checked as smp_processor_id(), after the pointer
    ("this_cpu_ptr(ptr)", '({ __auto_type __sh_pcp = (ptr); __sh_this_cpu_check("smp_processor_id"); __sh_pcp; })'),
    ("raw_cpu_ptr(ptr)", "(ptr)"),
    ("per_cpu_ptr(ptr, cpu)", "({ __sh_on_cpu(cpu); (ptr); })"),
    ("per_cpu(var, cpu)", "(*per_cpu_ptr(&(var), cpu))"),
    # arch/x86/include/asm/percpu.h percpu_cmpxchg_op(): oval, then nval, evaluated (always) and cut to the
    # variable's size before the cmpxchg compares (a u32 variable holding 0x42 matches an oval of
    # 0x8000020300000042); the old value; the new one stored where the old was oval
    *((f"{p}cmpxchg(pcp, oval, nval)", (f"({{ {OP_T} __sh_oval = (oval), __sh_nval = (nval); "
       f"__typeof__({p}read(pcp)) __sh_old = {p}read(pcp); if (__sh_old == __sh_oval) {p}write(pcp, "
       + BYTE.replace("RESULT", "__sh_nval") + "); __sh_old; })").replace("READ", f"{p}read"))
      for p in ("this_cpu_", "raw_cpu_")),
    ("__this_cpu_cmpxchg(pcp, oval, nval)",
     '({ __sh_this_cpu_check("__this_cpu_cmpxchg"); raw_cpu_cmpxchg(pcp, oval, nval); })'),
    *COND_GUARDS, *GUARD_PTRS,
    *ATOMICS,
    # include/linux/mutex.h, spinlock_types.h: the static initialisers DEFINE_MUTEX() and friends expand to
    ("__MUTEX_INITIALIZER(lockname)", "{ 0x6c6f636b }"),
    ("__SPIN_LOCK_UNLOCKED(lockname)", "{ 0x6c6f636b }"),
    ("__RAW_SPIN_LOCK_UNLOCKED(lockname)", "{ 0x6c6f636b }"),
    # include/linux/smp.h: get_cpu() reads __smp_processor_id(), unchecked, once preemption is off;
    # include/linux/percpu-defs.h's get_cpu_var()/get_cpu_ptr() give this CPU's copy likewise; the put_ forms
    # enable preemption again
    ("get_cpu()", "({ preempt_disable(); __sh_cpu(); })"),
    ("put_cpu()", "preempt_enable()"),
    ("get_cpu_var(var)", "(*({ preempt_disable(); this_cpu_ptr(&var); }))"),
    ("put_cpu_var(var)", "do { (void)&(var); preempt_enable(); } while (0)"),
    ("get_cpu_ptr(var)", "({ preempt_disable(); this_cpu_ptr(var); })"),
    ("put_cpu_ptr(var)", "do { (void)(var); preempt_enable(); } while (0)"),
    # include/linux/math.h abs(): by the argument's type, signed or unsigned, the signed type of its width and rank
    # (long long, long, int, short, char) holds it and gives its absolute value (-fwrapv: abs(INT_MIN) is INT_MIN;
    # short and char ones promoted to int), plain char's cast back to char; any other type (bool, a pointer) void
    ("__sh_abs_choose(x, type, other)", "__builtin_choose_expr(__sh_same_type(x, (signed type)0) || "
                                        "__sh_same_type(x, (unsigned type)0), "
                                        "({ signed type __x = (x); __x < 0 ? -__x : __x; }), other)"),
    ("abs(x)", "__sh_abs_choose(x, long long, __sh_abs_choose(x, long, __sh_abs_choose(x, int, "
               "__sh_abs_choose(x, short, __sh_abs_choose(x, char, __builtin_choose_expr(__sh_same_type(x, (char)0), "
               "(char)({ signed char __x = (x); __x < 0 ? -__x : __x; }), ((void)0)))))))"),
    # include/linux/log2.h ilog2(): models.builtins (gcc: models/native/sh_native.h)
    ("ilog2(n)", "__sh_ilog2(n)"),
    # include/linux/preempt.h: the preempt count's fields and the context tests reading them (models.preemptfields)
    *PREEMPT_FIELDS,
    *CPU_FEATURE_MACROS,
    # include/linux/container_of.h: the struct the pointer's member lies in (models.containerof).
    ("container_of(ptr, type, member)", "((type *)__sh_container_of(ptr, (type *)0, #member, ((type *)0)->member, "
                                        "offsetof(type, member)))"),
    # include/linux/minmax.h __careful_op3(): each operand once, one signedness check of the three, then
    # op(ux, op(uy, uz)) with the type the three operands' conversions give.
    ("__sh_careful_op3(op, x, y, z, ux, uy, uz, what)",
     "({ __auto_type ux = (x); __auto_type uy = (y); __auto_type uz = (z); "
     "__sh_minmax_check(ux, x, uy, y, uz, z, what); ux op (uy op uz ? uy : uz) ? ux : (uy op uz ? uy : uz); })"),
    ("min3(x, y, z)", "__sh_careful_op3(<, x, y, z, __UNIQUE_ID(x_), __UNIQUE_ID(y_), __UNIQUE_ID(z_), "
                      '"min3(" #x ", " #y ", " #z ")")'),
    ("max3(x, y, z)", "__sh_careful_op3(>, x, y, z, __UNIQUE_ID(x_), __UNIQUE_ID(y_), __UNIQUE_ID(z_), "
                      '"max3(" #x ", " #y ", " #z ")")'),
    # include/linux/string.h: strscpy(dst, src) copies into the array dst (its size), strscpy(dst, src, size)
    # into size bytes; both are sized_strscpy() (models.sprintf).
    ("__sh_arg3(a, b, c, ...)", "c"),
    ("strscpy(dst, src, ...)", "sized_strscpy(__sh_char_buf(dst), __sh_char_buf(src), __sh_arg3(0, ##__VA_ARGS__, "
                               "__VA_ARGS__, sizeof(dst) + __sh_must_be_array(dst)))"),
    # lib/vsprintf.c: the buffer as the char pointer the function takes (models.sprintf)
    ("snprintf(buf, size, fmt, ...)", "snprintf(__sh_char_buf(buf), size, fmt, ##__VA_ARGS__)"),
    ("scnprintf(buf, size, fmt, ...)", "scnprintf(__sh_char_buf(buf), size, fmt, ##__VA_ARGS__)"),
    ("sprintf(buf, fmt, ...)", "sprintf(__sh_char_buf(buf), fmt, ##__VA_ARGS__)"),
    # include/linux/printk.h: no_printk() prints nothing and evaluates nothing (if (0) printk(...)), an int 0;
    # gcc still checks the format against the arguments.
    ("no_printk(fmt, ...)", "({ if (0) printk(fmt, ##__VA_ARGS__); 0; })"),
    # include/linux/dev_printk.h, drivers/base/core.c __dev_printk(): a NULL device's message is
    # "(NULL device *): " and the text; another device's starts with its driver and name, which the mirror
    # does not know: __sh_dev_check() refuses it (models.kernel). The format may be any string (_dev_err() takes a
    # pointer), so the prefix is joined to it at run time (models.printkstore.dev_format).
    ("dev_fmt(fmt)", "fmt"),
    # The header hands dev_fmt(fmt) to _dev_err(), a variadic function: one with a comma ("%s: " fmt, __func__)
    # gives its format and its first arguments. dev_fmt(fmt) is an argument of __sh_dev_printk_fmt(), whose body
    # hands what it expands to on to __sh_dev_printk_args(), which gcc splits at that comma.
    ("__sh_dev_printk(level, dev, fmt, ...)", "__sh_dev_printk_fmt(level, dev, dev_fmt(fmt), ##__VA_ARGS__)"),
    ("__sh_dev_printk_fmt(level, dev, fmt, ...)", "__sh_dev_printk_args(level, dev, fmt, ##__VA_ARGS__)"),
    ("__sh_dev_printk_args(level, dev, fmt, ...)",
     "do { __sh_dev_check(dev); printk(__sh_dev_prefixed(level, fmt), ##__VA_ARGS__); } while (0)"),
    *((f"dev_{name}(dev, fmt, ...)", f"__sh_dev_printk(KERN_{level}, dev, fmt, ##__VA_ARGS__)")
      for name, level in (("emerg", "EMERG"), ("alert", "ALERT"), ("crit", "CRIT"), ("err", "ERR"),
                          ("warn", "WARNING"), ("notice", "NOTICE"), ("info", "INFO"))),
    # include/linux/dev_printk.h dev_level_once(): a static bool per call site, set the first time the site runs;
    # only then are the message's arguments evaluated and printed (dev_dbg_once(): nothing printed, as dev_dbg()).
    ("dev_level_once(dev_level, dev, fmt, ...)",
     "do { static bool __print_once __read_mostly; if (!__print_once) { __print_once = true; "
     "dev_level(dev, fmt, ##__VA_ARGS__); } } while (0)"),
    *((f"dev_{level}_once(dev, fmt, ...)", f"dev_level_once(dev_{level}, dev, fmt, ##__VA_ARGS__)")
      for level in ("emerg", "alert", "crit", "err", "warn", "notice", "info", "dbg")),
    # include/linux/instrumentation.h: annotations for objtool around the instrumentable part of noinstr code (with
    # CONFIG_NOINSTR_VALIDATION an asm that emits a section entry and no instruction): nothing runs.
    ("instrumentation_begin()", "do { } while (0)"),
    ("instrumentation_end()", "do { } while (0)"),
    *TYPED_BITFIELDS,
    *CMPXCHG,
    *RATELIMIT,
    # include/linux/sched.h under CONFIG_DEBUG_ATOMIC_SLEEP (set, as every option: whatever CONFIG_PREEMPT_RCU says)
    ("cond_resched_rcu()", "do { rcu_read_unlock(); cond_resched(); rcu_read_lock(); } while (0)"),
    ("upper_16_bits(n)", "((u16)((n) >> 16))"),  # include/linux/wordpart.h
    ("lower_16_bits(n)", "((u16)((n) & 0xffff))"),
    ("offsetofend(TYPE, MEMBER)", "(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))"),  # include/linux/stddef.h
    *HEADER_MACROS,
    ("__weak", "__attribute__((__weak__))"),  # include/linux/compiler_attributes.h
    *TDX_ERRNO,
    # include/linux/compiler.h (objtool's annotation left out): a path that reaches it is undefined
    ("unreachable()", "do { __builtin_unreachable(); } while (0)"),
    # include/linux/compiler.h: the branch hints without the branch profiler, __builtin_expect(!!(x), 1 or 0), which
    # likely() and unlikely() are; gcc's hint with a probability is __builtin_expect() for what the code computes.
    ("likely_notrace(x)", "likely(x)"),
    ("unlikely_notrace(x)", "unlikely(x)"),
    ("__builtin_expect_with_probability(x, c, p)", "__builtin_expect(x, c)"),
    *LIMITS,
    *CLEANUP_ADDED,
    # arch/x86/include/asm/irqflags.h: the flags as local_irq_save() keeps them (X86_EFLAGS_IF where IRQs are on),
    # read without a change; a test of their X86_EFLAGS_IF
    ("local_save_flags(flags)", "((flags) = __sh_save_flags())"),
    ("raw_local_save_flags(flags)", "local_save_flags(flags)"),
    ("irqs_disabled_flags(flags)", "(!((flags) & 0x200))"),
    ("raw_irqs_disabled_flags(flags)", "irqs_disabled_flags(flags)"),
    # arch/x86/include/asm/irqflags.h, uapi/asm/processor-flags.h: the test irqs_disabled_flags() is, and its bit
    ("arch_irqs_disabled_flags(flags)", "irqs_disabled_flags(flags)"),
    ("X86_EFLAGS_IF_BIT", "9"),
    ("X86_EFLAGS_IF", "_BITUL(X86_EFLAGS_IF_BIT)"),
    # include/linux/lockdep.h: the subclass of a lock taken inside another of its class; include/linux/spinlock.h
    # with CONFIG_DEBUG_LOCK_ALLOC: the irqsave forms that take one (models.locking)
    ("SINGLE_DEPTH_NESTING", "1"),
    ("spin_lock_irqsave_nested(lock, flags, subclass)", "((flags) = __sh_spin_lock_irqsave_nested(lock, subclass))"),
    ("raw_spin_lock_irqsave_nested(lock, flags, subclass)",
     "((flags) = __sh_raw_spin_lock_irqsave_nested(lock, subclass))"),
    *STATIC_KEYS,  # include/linux/jump_label.h (models.statickeys)
    *DEV_RATELIMITED,  # include/linux/dev_printk.h (models.ratelimit)
    *STDARG, *DEV_DBG,  # include/linux/stdarg.h, dev_printk.h (models.valist)
    *ATTRIBUTE_MACROS,  # include/linux/compiler_attributes.h (models.attributemacros)
    # include/linux/bitops.h rol64() ... ror8(): static inline functions taking (__uN word, unsigned int shift), so
    # each argument converted as a parameter is; both shifts masked by the width less one (a shift of 0 or of the
    # width is the word itself, never a shift by the width), the result the word's type.
    *ROTATES,
    *GFP_MACROS,  # include/linux/gfp_types.h (models.gfpflags; the allocator: models.heap)
)
