"""The layout of the code's own struct tdx_module_args, which the native harness passes registers in."""

from __future__ import annotations

from models.ctype import Int, Struct
from models.errors import MirrorError
from models.mirror import Mirror

# The registers a SEAMCALL passes in struct tdx_module_args (arch/x86/include/asm/shared/tdx.h), in mainline's
# order; the native harness (sh_native.c) keeps a script's answers by them. A struct of the code's own may hold any
# of them in any order (models/native/child.py lays out its members as the mirror reads them).
ARGS_REGS = ("rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "rdi", "rsi")
_U64 = "an unsigned 64-bit integer"


def args_layout(mirror: Mirror) -> tuple[str, ...] | str:
    """The members of the struct tdx_module_args the mirror reads (the variant's own definition, a tree's header, or
    the prelude's), in order, when each is a u64 named for a register the harness passes; else why the native harness
    cannot follow it (said per entry point: nothing is compared)."""
    try:
        t = mirror.compiler.types.resolve_tag("tdx_module_args")
    except MirrorError:
        return "no definition of struct tdx_module_args is found, so the registers it passes are not known"
    if not isinstance(t, Struct) or not t.fields:
        return "no definition of struct tdx_module_args is found, so the registers it passes are not known"
    head = "its struct tdx_module_args cannot be passed as SEAMCALL registers by the native harness: "
    if t.union:
        return head + "it is a union"
    for name, width in ((n, w) for n, _, w in t.decl if w is not None):
        return head + f"member {name or '(unnamed)'} is a bit-field of {width} bits, not {_U64}"
    for name, ft in t.fields:
        if not (isinstance(ft, Int) and ft.bits == 64 and not ft.signed):
            return head + f"member {name} is {ft.name()}, not {_U64}"
        if name not in ARGS_REGS:
            return head + f"member {name} is no register the harness passes ({', '.join(ARGS_REGS)})"
    return tuple(name for name, _ in t.fields)


def layout_assert(layout: tuple[str, ...], why: str) -> str:
    """A C11 assertion that gcc's struct tdx_module_args is ``layout``: 8-byte u64 members one after another, as the
    child process passes them; ``why`` is its message, what gcc's error says."""
    checks = "".join(f" && __builtin_offsetof(struct tdx_module_args, {r}) == {8 * i} && __builtin_types_compatible_p("
                     f"__typeof__(((struct tdx_module_args *)0)->{r}), unsigned long long)"
                     for i, r in enumerate(layout))
    return f"_Static_assert(sizeof(struct tdx_module_args) == {8 * len(layout)}{checks}, \"{why}\");"


def layout_why(layout: tuple[str, ...]) -> str:
    """Why a unit whose struct tdx_module_args gcc lays out otherwise than ``layout`` is not built."""
    return (f"its struct tdx_module_args is not laid out as the mirror reads it ({len(layout)} u64 registers "
            f"{', '.join(layout)}, one after another) for gcc")
