"""The kernel prelude: types, compiler words, bit macros, errno and the SEAM constants the helpers use."""

from __future__ import annotations

import re
from functools import lru_cache

from models.atomic import LATE_TYPES
from models.cleanup import CLEANUP
from models.errnos import ERRNO
from models.literals import PR_FMT_MARK
from models.percpumacros import PERCPU, PERCPU_OPS, THIS_CPU_OPS
from models.preludeadded import ADDED
from models.tdxerrno import TDX_ERRNO

PRELUDE_PATH = "<prelude>"

# Types first: they are always emitted, before anything of the variant.
TYPES = """\
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef _Bool bool;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef unsigned long uintptr_t;
struct tdx_module_args {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
	u64 rbx;
	u64 rdi;
	u64 rsi;
};
struct __sh_guard {
	unsigned long long __sh_state;
};
struct __sh_spinlock {
	int __sh_magic;
};
typedef struct __sh_spinlock spinlock_t;
struct __sh_raw_spinlock { int __sh_magic; }; typedef struct __sh_raw_spinlock raw_spinlock_t;
struct mutex {
	int __sh_magic;
};
"""

# Macros the variant may define itself; each is emitted under #ifndef after the variant's own. They follow
# the kernel's own definitions where the mirror runs those as they are (cleanup.h, minmax.h, bitfield.h,
# bits.h, build_bug.h); names starting "__sh_" are the mirror's primitives and builtins (models.kernel,
# models.builtins), which the native harness defines for gcc (models/native/sh_native.h).
_COMPILER: tuple[tuple[str, str], ...] = (
    ("true", "1"),
    ("false", "0"),
    ("NULL", "((void *)0)"),
    *((word, "") for word in (
        "noinline", "noinstr", "notrace", "__must_check", "__maybe_unused", "__always_unused", "__used", "__cold",
        "__init", "__exit", "__ro_after_init", "__read_mostly", "__noreturn", "__extension__", "__force",
        "__user", "__iomem", "__percpu", "__rcu")),
    ("__always_inline", "inline"),
    # include/linux/compiler_attributes.h: a statement attribute for -Wimplicit-fallthrough; does nothing.
    ("fallthrough", "do {} while (0)"),
    ("__printf(a, b)", ""),
    ("__acquires(x)", ""),
    ("__releases(x)", ""),
    ("__must_hold(x)", ""),
    # include/linux/compiler_types.h (6.5+): bounds for the sanitizer and FORTIFY, which gcc before 15 ignores and
    # -O2 alone never checks: nothing in the layout or the code gcc builds (models.flexarrays.counted_by reads it)
    ("__counted_by(member)", ""),
    ("__counted_by_le(member)", ""),
    ("__counted_by_be(member)", ""),
    ("__packed", "__attribute__((__packed__))"),
    ("__aligned(x)", "__attribute__((__aligned__(x)))"),
    ("__stringify_1(x...)", "#x"),
    ("__stringify(x...)", "__stringify_1(x)"),
    ("___PASTE(a, b)", "a##b"),
    ("__PASTE(a, b)", "___PASTE(a, b)"),
    ("__UNIQUE_ID(prefix)", "__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)"),
    ("ARRAY_SIZE(arr)", "(sizeof(arr) / sizeof((arr)[0]) + __sh_must_be_array(arr))"),
    # include/asm-generic/rwonce.h: one CPU runs the code, so a "once" access is the access itself.
    # compiletime_assert_rwonce_type(): only 1, 2, 4 and 8-byte objects (include/asm-generic/rwonce.h).
    ("__sh_rwonce_size(x)", '_Static_assert(sizeof(x) == 1 || sizeof(x) == 2 || sizeof(x) == 4 || sizeof(x) == 8, '
                            '"Unsupported access size for {READ,WRITE}_ONCE().")'),
    ("READ_ONCE(x)", "({ __sh_rwonce_size(x); (x); })"),
    ("WRITE_ONCE(x, val)", "do { __sh_rwonce_size(x); (x) = (val); } while (0)"),
)
_MATH: tuple[tuple[str, str], ...] = (
    ("__same_type(a, b)", "__sh_same_type(a, b)"),
    ("check_add_overflow(a, b, d)", "__builtin_add_overflow(a, b, d)"),
    ("check_sub_overflow(a, b, d)", "__builtin_sub_overflow(a, b, d)"),
    ("check_mul_overflow(a, b, d)", "__builtin_mul_overflow(a, b, d)"),
    ("DIV_ROUND_UP(n, d)", "(((n) + (d) - 1) / (d))"),
    ("__round_mask(x, y)", "((__typeof__(x))((y) - 1))"),
    ("round_up(x, y)", "((((x) - 1) | __round_mask(x, y)) + 1)"),
    ("round_down(x, y)", "((x) & ~__round_mask(x, y))"),
    ("ALIGN(x, a)", "(((x) + ((typeof(x))(a) - 1)) & ~((typeof(x))(a) - 1))"),
    ("ALIGN_DOWN(x, a)", "ALIGN((x) - ((a) - 1), (a))"),
    ("IS_ALIGNED(x, a)", "(((x) & ((typeof(x))(a) - 1)) == 0)"),
    ("upper_32_bits(n)", "((u32)(((n) >> 16) >> 16))"),
    ("lower_32_bits(n)", "((u32)((n) & 0xffffffff))"),
    ("swap(a, b)", "do { typeof(a) __sh_tmp = (a); (a) = (b); (b) = __sh_tmp; } while (0)"),
    ("BITS_PER_BYTE", "8"),
    ("BITS_PER_LONG", "64"),
    ("BITS_PER_LONG_LONG", "64"),
    ("BITS_PER_TYPE(type)", "(sizeof(type) * BITS_PER_BYTE)"),
    ("U8_MAX", "((u8)~0U)"),
    ("U16_MAX", "((u16)~0U)"),
    ("U32_MAX", "((u32)~0U)"),
    ("U64_MAX", "((u64)~0ULL)"),
    ("S32_MAX", "((s32)(U32_MAX >> 1))"),
    ("S64_MAX", "((s64)(U64_MAX >> 1))"),
    ("INT_MAX", "((int)(~0U >> 1))"),
    ("INT_MIN", "(-INT_MAX - 1)"),
    ("UINT_MAX", "(~0U)"),
    ("LONG_MAX", "((long)(~0UL >> 1))"),
    ("ULONG_MAX", "(~0UL)"),
    # include/linux/bitops.h, log2.h, asm-generic/bitops (x86-64 results), arch/x86 page_types.h.
    # hweight8/16/32 are unsigned int, hweight64 and hweight_long unsigned long (asm-generic/bitops).
    ("hweight8(w)", "((unsigned int)__builtin_popcount((u8)(w)))"),
    ("hweight16(w)", "((unsigned int)__builtin_popcount((u16)(w)))"),
    ("hweight32(w)", "((unsigned int)__builtin_popcount((u32)(w)))"),
    ("hweight64(w)", "((unsigned long)__builtin_popcountll((u64)(w)))"),
    ("hweight_long(w)", "((unsigned long)__builtin_popcountl((unsigned long)(w)))"),
    ("fls(x)", "({ unsigned int __sh_x = (x); __sh_x ? 32 - __builtin_clz(__sh_x) : 0; })"),
    ("fls64(x)", "({ u64 __sh_x = (x); __sh_x ? 64 - __builtin_clzll(__sh_x) : 0; })"),
    ("fls_long(x)", "((unsigned int)fls64(x))"),
    ("__ffs(x)", "((unsigned long)__builtin_ctzl(x))"),
    ("__fls(x)", "((unsigned long)(63 - __builtin_clzl(x)))"),
    ("ffs(x)", "__builtin_ffs(x)"),
    ("is_power_of_2(n)", "({ unsigned long __sh_n = (n); (bool)(__sh_n != 0 && (__sh_n & (__sh_n - 1)) == 0); })"),
    ("roundup_pow_of_two(n)", "(1UL << fls_long((unsigned long)(n) - 1))"),
    ("rounddown_pow_of_two(n)", "(1UL << (fls_long(n) - 1))"),
    ("PAGE_SHIFT", "12"),
    ("PAGE_SIZE", "(_AC(1, UL) << PAGE_SHIFT)"),
    ("PAGE_MASK", "(~(PAGE_SIZE - 1))"),
    ("sizeof_field(TYPE, MEMBER)", "sizeof((((TYPE *)0)->MEMBER))"),
)
_BUILD_BUG: tuple[tuple[str, str], ...] = (
    ("BUILD_BUG_ON_MSG(cond, msg)", "do { __sh_build_bug_on(cond, msg); } while (0)"),  # models.builtins
    # include/asm-generic/bug.h, arch/x86/include/asm/bug.h: BUG() is a ud2, an oops ("kernel BUG at ...").
    ("BUG()", "__builtin_trap()"),
    ("BUG_ON(condition)", "do { if (unlikely(condition)) BUG(); } while (0)"),
    ("BUILD_BUG_ON(condition)", 'BUILD_BUG_ON_MSG(condition, "BUILD_BUG_ON failed: " #condition)'),
    ("BUILD_BUG()", 'do { __sh_build_bug("BUILD_BUG failed"); } while (0)'),  # models.builtins._build_bug
    ("BUILD_BUG_ON_ZERO(e)", "__sh_build_bug_on_zero(e)"),
    ("BUILD_BUG_ON_NOT_POWER_OF_2(n)", "BUILD_BUG_ON((n) == 0 || (((n) & ((n) - 1)) != 0))"),
    ("__BUILD_BUG_ON_NOT_POWER_OF_2(n)", "BUILD_BUG_ON(((n) & ((n) - 1)) != 0)"),
    ("static_assert(expr, ...)", "__static_assert(expr, ##__VA_ARGS__, #expr)"),
    ("__static_assert(expr, msg, ...)", "_Static_assert(expr, msg)"),
)
_BITS: tuple[tuple[str, str], ...] = (
    ("__AC(X, Y)", "(X##Y)"),
    ("_AC(X, Y)", "__AC(X, Y)"),
    ("_UL(x)", "(_AC(x, UL))"),
    ("_ULL(x)", "(_AC(x, ULL))"),
    ("_BITUL(x)", "(_UL(1) << (x))"),
    ("_BITULL(x)", "(_ULL(1) << (x))"),
    ("BIT(nr)", "(1UL << (nr))"),
    ("BIT_ULL(nr)", "(1ULL << (nr))"),
    ("BIT_TYPE(type, nr)", "((type)(__sh_bug_on_const((nr) >= 8 * sizeof(type)) + BIT_ULL(nr)))"),
    *((f"BIT_U{n}(nr)", f"BIT_TYPE(u{n}, nr)") for n in (8, 16, 32, 64)),
    ("GENMASK_INPUT_CHECK(h, l)", "__sh_bug_on_const((l) > (h))"),
    ("__GENMASK(h, l)", "(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (64 - 1 - (h))))"),
    ("__GENMASK_ULL(h, l)", "(((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (64 - 1 - (h))))"),
    ("GENMASK(h, l)", "(GENMASK_INPUT_CHECK(h, l) + __GENMASK(h, l))"),
    ("GENMASK_ULL(h, l)", "(GENMASK_INPUT_CHECK(h, l) + __GENMASK_ULL(h, l))"),
    ("GENMASK_TYPE(t, h, l)",
     "((t)(GENMASK_INPUT_CHECK(h, l) + ((t)~(t)0 << (l) & (t)~(t)0 >> (8 * sizeof(t) - 1 - (h)))))"),
    *((f"GENMASK_U{n}(h, l)", f"GENMASK_TYPE(u{n}, h, l)") for n in (8, 16, 32, 64)),
    ("__bf_shf(x)", "(__builtin_ffsll(x) - 1)"),
    ("__BF_FIELD_CHECK(_mask, _reg, _val, _pfx)", "__sh_bf_check(_mask, _reg, _val, _pfx)"),
    ("FIELD_PREP(_mask, _val)", '({ __BF_FIELD_CHECK(_mask, 0ULL, _val, "FIELD_PREP: "); '
                                "((typeof(_mask))(_val) << __bf_shf(_mask)) & (_mask); })"),
    ("FIELD_GET(_mask, _reg)", '({ __BF_FIELD_CHECK(_mask, _reg, 0U, "FIELD_GET: "); '
                               "(typeof(_mask))(((_reg) & (_mask)) >> __bf_shf(_mask)); })"),
    ("FIELD_MODIFY(_mask, _reg_p, _val)", '({ __BF_FIELD_CHECK(_mask, *(_reg_p), _val, "FIELD_MODIFY: "); '
                                          "*(_reg_p) &= ~(_mask); "
                                          "*(_reg_p) |= (((typeof(_mask))(_val) << __bf_shf(_mask)) & (_mask)); })"),
    ("FIELD_MAX(_mask)", '({ __BF_FIELD_CHECK(_mask, 0ULL, 0ULL, "FIELD_MAX: "); '
                         "(typeof(_mask))((_mask) >> __bf_shf(_mask)); })"),
    ("FIELD_FIT(_mask, _val)", '({ __BF_FIELD_CHECK(_mask, 0ULL, 0ULL, "FIELD_FIT: "); '
                               "!((((typeof(_mask))(_val)) << __bf_shf(_mask)) & ~(_mask)); })"),
)
_MINMAX: tuple[tuple[str, str], ...] = (
    ("__sh_careful_cmp(op, x, y, ux, uy, what)",
     "({ __auto_type ux = (x); __auto_type uy = (y); __sh_minmax_check(ux, x, uy, y, what); ux op uy ? ux : uy; })"),
    ("min(x, y)", '__sh_careful_cmp(<, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_), "min(" #x ", " #y ")")'),
    ("max(x, y)", '__sh_careful_cmp(>, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_), "max(" #x ", " #y ")")'),
    ("umin(x, y)", "min((x) + 0u + 0ul + 0ull, (y) + 0u + 0ul + 0ull)"),
    ("umax(x, y)", "max((x) + 0u + 0ul + 0ull, (y) + 0u + 0ul + 0ull)"),
    ("__sh_cmp_t(op, type, x, y, ux, uy)", "({ type ux = (x); type uy = (y); ux op uy ? ux : uy; })"),
    ("min_t(type, x, y)", "__sh_cmp_t(<, type, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))"),
    ("max_t(type, x, y)", "__sh_cmp_t(>, type, x, y, __UNIQUE_ID(x_), __UNIQUE_ID(y_))"),
    ("__sh_clamp(type, val, lo, hi, uv, ul, uh, what)",
     "({ type uv = (val); type ul = (lo); type uh = (hi); __sh_clamp_check(ul, lo, uh, hi, what); "
     "__sh_minmax_check(uv, val, ul, lo, uh, hi, what); uv >= uh ? uh : (uv <= ul ? ul : uv); })"),
    ("clamp(val, lo, hi)", "__sh_clamp(__auto_type, val, lo, hi, __UNIQUE_ID(v_), __UNIQUE_ID(l_), __UNIQUE_ID(h_),"
                           ' "clamp(" #val ", " #lo ", " #hi ")")'),
    ("clamp_t(type, val, lo, hi)", "__sh_clamp(type, val, lo, hi, __UNIQUE_ID(v_), __UNIQUE_ID(l_), "
                                   '__UNIQUE_ID(h_), "clamp_t(" #type ", " #val ", " #lo ", " #hi ")")'),
    ("clamp_val(val, lo, hi)", "clamp_t(typeof(val), val, lo, hi)"),
)
# include/linux/smp.h: a run is on one CPU, the script's (0 unless it says; docs/mirror.md); smp_processor_id()
# is debug_smp_processor_id() under CONFIG_DEBUG_PREEMPT (lib/smp_processor_id.c), with the same check.
_SMP: tuple[tuple[str, str], ...] = (
    ("raw_smp_processor_id()", "__sh_cpu()"),
    ("smp_processor_id()", '({ __sh_this_cpu_check("smp_processor_id"); __sh_cpu(); })'),
)
_LOCKING: tuple[tuple[str, str], ...] = (
    ("might_sleep_if(cond)", "do { if (cond) might_sleep(); } while (0)"),  # include/linux/kernel.h
    ("local_irq_save(flags)", "((flags) = __sh_irq_save())"),
    ("local_irq_restore(flags)", "__sh_irq_restore(flags)"),
    ("spin_lock_irqsave(lock, flags)", "((flags) = __sh_spin_lock_irqsave(lock))"),
    ("raw_spin_lock_irqsave(lock, flags)", "((flags) = __sh_raw_spin_lock_irqsave(lock))"),
    ("spin_trylock_irqsave(lock, flags)",
     "({ local_irq_save(flags); spin_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; }); })"),
    ("raw_spin_trylock_irqsave(lock, flags)",
     "({ local_irq_save(flags); raw_spin_trylock(lock) ? 1 : ({ local_irq_restore(flags); 0; }); })"),
    # The static initialisers: the lock's field holds models.locking.LOCK_MAGIC (the kernel's lock->magic).
    ("DEFINE_SPINLOCK(x)", "spinlock_t x = { 0x6c6f636b }"),
    ("DEFINE_RAW_SPINLOCK(x)", "raw_spinlock_t x = { 0x6c6f636b }"),
    ("DEFINE_MUTEX(x)", "struct mutex x = { 0x6c6f636b }"),
)
# include/linux/kern_levels.h: a printk() format starts with SOH and the level.
_LEVELS: tuple[tuple[str, str], ...] = (
    ("KERN_SOH", '"\\001"'),
    *((f"KERN_{name}", f'KERN_SOH "{n}"') for n, name in enumerate(
        ("EMERG", "ALERT", "CRIT", "ERR", "WARNING", "NOTICE", "INFO", "DEBUG"))),
    ("KERN_DEFAULT", '""'),
    ("KERN_CONT", 'KERN_SOH "c"'),
)
# include/linux/printk.h: pr_fmt(fmt) is the unit's definition where it is expanded (printk.h's default: fmt).
# The mirror expands every use, whoever defines it, to a mark the run replaces by the prefix of the literal's
# site (models.literals.PR_FMT_MARK; harness.prfmt reads the definitions), as it does for pr_<level>().
_PR_FMT: tuple[tuple[str, str], ...] = (("pr_fmt(fmt)", f'"{PR_FMT_MARK}" fmt'),)
# include/linux/printk.h: the printing macros hand their variadic arguments on as ", ##__VA_ARGS__", and
# an operand of ## is not expanded before substitution (C11 6.10.3.1): a __LINE__ among them is the line of
# the call's name (gcc), not its own. A macro named as itself keeps that rule (it is not expanded again
# inside itself) and leaves the call to the primitive (models.kernel).
_PRINTK: tuple[tuple[str, str], ...] = tuple(
    (f"{name}(fmt, ...)", f"{name}(fmt, ##__VA_ARGS__)") for name in (
        *(f"pr_{level}{form}" for level in ("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug")
          for form in ("", "_once", "_ratelimited")),
        "pr_cont", "pr_devel", "printk", "printk_deferred", "printk_once", "printk_ratelimited"))
# include/linux/err.h. IS_ERR() is a primitive so that it needs no address of a valid object: an object
# is never in the error range.
_ERR: tuple[tuple[str, str], ...] = (
    ("MAX_ERRNO", "4095"),
    ("IS_ERR_VALUE(x)", "unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)"),
    ("ERR_PTR(error)", "((void *)(long)(error))"),
    ("PTR_ERR(ptr)", "((long)(ptr))"),
    ("ERR_CAST(ptr)", "((void *)(ptr))"),
    ("IS_ERR(ptr)", "((bool)__sh_is_err(ptr))"),
    ("IS_ERR_OR_NULL(ptr)", "((bool)__sh_is_err_or_null(ptr))"),
    ("PTR_ERR_OR_ZERO(ptr)", "__sh_ptr_err_or_zero(ptr, __UNIQUE_ID(ptr_))"),
    ("__sh_ptr_err_or_zero(ptr, p)", "({ __auto_type p = (ptr); (int)(IS_ERR(p) ? PTR_ERR(p) : 0); })"),
)
_SEAM: tuple[tuple[str, str], ...] = (
    ("X86_TRAP_UD", "6"),
    ("X86_TRAP_GP", "13"),
    ("TDX_SUCCESS", "0ULL"),
    ("TDX_ERROR", "_BITUL(63)"),
    ("TDX_NON_RECOVERABLE", "_BITUL(62)"),
    ("TDX_RND_NO_ENTROPY", "0x8000020300000000ULL"),
    ("TDX_SW_ERROR", "(TDX_ERROR | GENMASK_ULL(47, 40))"),
    ("TDX_SEAMCALL_VMFAILINVALID", "(TDX_SW_ERROR | _UL(0xFFFF0000))"),
    ("TDX_SEAMCALL_GP", "(TDX_SW_ERROR | X86_TRAP_GP)"),
    ("TDX_SEAMCALL_UD", "(TDX_SW_ERROR | X86_TRAP_UD)"),
    ("RDRAND_RETRY_LOOPS", "10"),
)
MACROS: tuple[tuple[str, str], ...] = (*_COMPILER, *_MATH, *_BUILD_BUG, *_BITS, *_MINMAX, *CLEANUP, *PERCPU,
                                       *PERCPU_OPS, *THIS_CPU_OPS, *_SMP, *_LOCKING, *_LEVELS, *_PR_FMT, *_PRINTK,
                                       *_ERR, *_SEAM)
# The macros added since (models.preludeadded.ADDED) come after every older line, the errno values too.

# The kernel's constants the prelude assumes mainline's values for (asm/tdx.h, asm/shared/tdx_errno.h,
# asm/archrandom.h, asm/trapnr.h, the errno headers): a tree's own headers define them, and with --tree their
# definition wins (gcc builds with the tree's), unlike the primitives and macros the mirror models, which a
# header never replaces.
KERNEL_CONSTANTS = frozenset(name for name, _ in (*_SEAM, *TDX_ERRNO)) | frozenset(ERRNO)

# The pr_fmt() prefix of the translation units the helpers are included from.
PR_FMT: dict[str, str] = {
    "arch/x86/virt/vmx/tdx/tdx.c": "virt/tdx: ",
    "arch/x86/virt/vmx/tdx/seamldr.c": "seamldr: ",
}


def prelude_text() -> str:
    """The whole prelude as C: the types, then each fallback macro on its own line (``<prelude>:N``), then the
    types added since (from ``late_types_line()``)."""
    return TYPES + "".join(f"#define {name}{params} {body}\n" for name, params, body in macro_lines()) + LATE_TYPES


def late_types_line() -> int:
    """The line of ``prelude_text()`` where LATE_TYPES start."""
    return TYPES.count("\n") + len(macro_lines()) + 1


def macro_line(name: str) -> int:
    """The line of ``prelude_text()`` that defines a fallback macro."""
    return _MACRO_LINES[name]


@lru_cache(maxsize=1)
def macro_lines() -> tuple[tuple[str, str, str], ...]:
    """(name, parameters, body) of every fallback macro, errno values included."""
    out = []
    for head, body in MACROS:
        name = head.split("(", 1)[0]
        out.append((name, head[len(name):], body))
    out.extend((name, "", str(value)) for name, value in ERRNO.items())
    out.extend((head.split("(", 1)[0], head[len(head.split("(", 1)[0]):], body) for head, body in ADDED)
    return tuple(out)


_MACRO_LINES = {name: TYPES.count("\n") + 1 + i for i, (name, _, _) in enumerate(macro_lines())}


@lru_cache(maxsize=1)
def prelude_bodies() -> dict[str, str]:
    """Each prelude macro's body, by name (do not change the dict: it is shared)."""
    return {name: body for name, _, body in macro_lines()}


@lru_cache(maxsize=1)
def _prelude_uses() -> dict[str, tuple[str, ...]]:
    """Per prelude macro, the prelude macros its body names."""
    table = prelude_bodies()
    names = re.compile(r"[A-Za-z_]\w*").findall  # once, not looked up in re's cache per macro (630 of them)
    return {name: tuple(t for t in names(body) if t in table) for name, body in table.items()}


def prelude_closure(names: set[str]) -> set[str]:
    """The prelude macros these names need, transitively."""
    uses = _prelude_uses()
    todo, seen = sorted(names & uses.keys()), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(uses[name])
    return seen


@lru_cache(maxsize=1)
def prelude_pasters() -> frozenset[str]:
    """The prelude macros whose expansion reaches a ``##`` (in their body or a body they need, transitively)."""
    bodies = prelude_bodies()
    return frozenset(n for n in bodies if any("##" in bodies[m] for m in prelude_closure({n})))
