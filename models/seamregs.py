"""The registers of struct tdx_module_args a SEAMCALL function hands over, and their values in a call's args."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

# The registers of struct tdx_module_args each SEAMCALL function hands the TDX module or P-SEAMLDR: RCX, RDX and
# R8-R11, and for __seamcall_saved_ret R12-R15, RBX, RDI and RSI too (TDX_MODULE_CALL,
# arch/x86/virt/vmx/tdx/tdxcall.S). A function not listed (a matrix's own) hands every member.
LOADED_REGS: dict[str, frozenset[str]] = {
    "__seamcall": frozenset({"rcx", "rdx", "r8", "r9", "r10", "r11"}),
    "__seamcall_ret": frozenset({"rcx", "rdx", "r8", "r9", "r10", "r11"}),
}


def loaded(function: str, args: Any) -> tuple[str, ...]:
    """The members of ``args`` a call of ``function`` hands over (LOADED_REGS), in the struct's order; worked out
    once per function and struct layout (_LOADED)."""
    key = (function, tuple(args))
    found = _LOADED.get(key)
    if found is None:
        regs = LOADED_REGS.get(function)
        found = _LOADED[key] = key[1] if regs is None else tuple([k for k in key[1] if k in regs])
    return found


_LOADED: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}


def loaded_values(function: str, args: Any) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """loaded()'s members and their values in ``args``, read in C by an itemgetter made once per function and
    struct layout: every SEAMCALL reads them twice (what is unset, what is passed), a dozen registers each."""
    key = (function, tuple(args))
    found = _GETTERS.get(key)
    if found is None:
        members = loaded(function, args)
        get = itemgetter(*members) if len(members) > 1 else lambda a: tuple([a[k] for k in members])
        found = _GETTERS[key] = (members, get)
    return found[0], found[1](args)


_GETTERS: dict[tuple[str, tuple[str, ...]], tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}
