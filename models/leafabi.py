"""A SEAMCALL leaf as the ABI lays out RAX: the leaf number, its version, the component; which leaf a call is."""

from __future__ import annotations

# The TDX module ABI puts the leaf number in RAX[15:0] and the leaf's version in RAX[23:16]: the kernel's
# arch/x86/virt/vmx/tdx/tdx.h says so above TDX_VERSION_SHIFT (16), and tdx.c's tdh_vp_init() issues
# ``TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT)`` for version 1 of leaf 22. Bit 63 tells a P-SEAMLDR leaf from a TDX
# module one (models.machine.SEAMLDR_BIT) and stays part of the leaf.
VERSION_SHIFT = 16
VERSION_MASK = 0xFF << VERSION_SHIFT


def leaf_id(leaf: int) -> int:
    """The leaf a call of ``leaf`` is, its version aside: a call of one leaf with another version is that leaf
    again (a retry of it, the leaf its scenario's script is meant for), a call of another number is not."""
    return leaf & ~VERSION_MASK


def leaf_version(leaf: int) -> int:
    """The version a call of ``leaf`` asks for (RAX[23:16]); 0 for the first one."""
    return (leaf & VERSION_MASK) >> VERSION_SHIFT


def same_leaf(a: int, b: int) -> bool:
    """Whether two calls are of one leaf, whatever versions they ask for."""
    return not (a ^ b) & ~VERSION_MASK


def leaf_shown(leaf: int, named: int, name: str) -> str:
    """A call's leaf for a reader: ``name`` when it is ``named``, the name and the version (``SEAMLDR_INFO v1``) when
    it is ``named`` with another version, else its exact value in hex."""
    if name and same_leaf(leaf, named):
        return name if leaf == named else f"{name} v{leaf_version(leaf)}"
    return f"{leaf:#x}"
