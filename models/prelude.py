"""The kernel prelude: types, compiler words, bit macros, errno and the SEAM constants the helpers use."""

from __future__ import annotations

from functools import lru_cache

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
"""

# Macros the variant may define itself; each is emitted under #ifndef after the variant's own.
MACROS: tuple[tuple[str, str], ...] = (
    ("true", "1"),
    ("false", "0"),
    ("NULL", "((void *)0)"),
    ("__always_inline", "inline"),
    ("noinline", ""),
    ("noinstr", ""),
    ("notrace", ""),
    ("__must_check", ""),
    ("__maybe_unused", ""),
    ("__init", ""),
    ("__ro_after_init", ""),
    ("__read_mostly", ""),
    ("__AC(X, Y)", "(X##Y)"),
    ("_AC(X, Y)", "__AC(X, Y)"),
    ("_UL(x)", "(_AC(x, UL))"),
    ("_ULL(x)", "(_AC(x, ULL))"),
    ("_BITUL(x)", "(_UL(1) << (x))"),
    ("_BITULL(x)", "(_ULL(1) << (x))"),
    ("BIT(nr)", "(1UL << (nr))"),
    ("BIT_ULL(nr)", "(1ULL << (nr))"),
    ("GENMASK(h, l)", "(((~0UL) - (1UL << (l)) + 1) & (~0UL >> (64 - 1 - (h))))"),
    ("GENMASK_ULL(h, l)", "(((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (64 - 1 - (h))))"),
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
    ("SEAMLDR_RND_NO_ENTROPY", "0x8000000000030001ULL"),
    ("local_irq_save(flags)", "((flags) = __sh_irq_save())"),
    ("local_irq_restore(flags)", "__sh_irq_restore(flags)"),
    ("guard(name)", "__sh_guard(#name)"),
    ("scoped_guard(name, ...)",
     "for (int __sh_scope = __sh_guard_enter(#name); __sh_scope; __sh_scope = __sh_guard_exit(#name))"),
)

ERRNO: dict[str, int] = {
    "EPERM": 1, "ENOENT": 2, "EINTR": 4, "EIO": 5, "ENXIO": 6, "E2BIG": 7, "EAGAIN": 11, "ENOMEM": 12,
    "EACCES": 13, "EFAULT": 14, "EBUSY": 16, "EEXIST": 17, "ENODEV": 19, "EINVAL": 22, "ENOSPC": 28,
    "ERANGE": 34, "ENOSYS": 38, "EOPNOTSUPP": 95, "ETIMEDOUT": 110,
}
ERRNO_NAMES = {v: k for k, v in ERRNO.items()}

# The pr_fmt() prefix of the translation units the helpers are included from.
PR_FMT: dict[str, str] = {
    "arch/x86/virt/vmx/tdx/tdx.c": "virt/tdx: ",
    "arch/x86/virt/vmx/tdx/seamldr.c": "seamldr: ",
}


def prelude_text() -> str:
    """The whole prelude as C: the types, then each fallback macro on its own line (``<prelude>:N``)."""
    return TYPES + "".join(f"#define {name}{params} {body}\n" for name, params, body in macro_lines())


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
    return tuple(out)


_MACRO_LINES = {name: TYPES.count("\n") + 1 + i for i, (name, _, _) in enumerate(macro_lines())}
