"""kmalloc(), kzalloc(), kcalloc(), kmalloc_array() and kfree() (include/linux/slab.h): typed objects, freed once."""

# An allocation succeeds (GFP_KERNEL's small ones do not fail; a scripted failure is not modelled): a HeapBlock,
# whose object the first pointer type it is converted to makes (models.values.heap_typed). One that may sleep
# (__GFP_DIRECT_RECLAIM, as GFP_KERNEL) checks might_sleep() first, as might_alloc() does under
# CONFIG_DEBUG_ATOMIC_SLEEP. kfree() of NULL does nothing; of what kmalloc() did not give, or twice, it is KASAN's
# report, a run-time error; after it the object's scalars are dead, so that a read through a pointer left is one too.

from __future__ import annotations

from typing import Any

from models.ctype import Array
from models.errors import CRuntimeError, UnsupportedConstruct
from models.lifetimes import bury
from models.locking import run_ops
from models.machine import MAX_ERRNO, AddrPtr, ElemPtr, HeapBlock, Machine, Ref, StructObj
from models.values import Unknown

ZERO = 0x100  # __GFP_ZERO (include/linux/gfp_types.h)
RECLAIM = 0x400  # __GFP_DIRECT_RECLAIM: the allocation may sleep
SIZE_MAX = (1 << 64) - 1


def _allocate(m: Machine, size: int, flags: int, zero: bool, where: str) -> HeapBlock | None:
    if flags & RECLAIM:
        run_ops(m, "Z", "", 0, where, None)  # might_alloc(): might_sleep_if(gfpflags_allow_blocking(flags))
    if size > SIZE_MAX:  # kcalloc()'s and kmalloc_array()'s n * size overflowed: NULL
        return None
    if size == 0:
        raise UnsupportedConstruct(where, "kmalloc() of 0 bytes (ZERO_SIZE_PTR, which no access may use) is not "
                                          "modelled")
    return HeapBlock(size, zero or bool(flags & ZERO), where)


def kmalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, int(args[0]), int(args[1]), False, where)


def kzalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, int(args[0]), int(args[1]), True, where)


def kmalloc_array(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, int(args[0]) * int(args[1]), int(args[2]), False, where)


def kcalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, int(args[0]) * int(args[1]), int(args[2]), True, where)


def kfree(m: Machine, args: list[Any], where: str) -> None:
    p = args[0]
    if p is None:
        return
    block = p if isinstance(p, HeapBlock) else _block_of(m, p)
    if block is None:
        raise CRuntimeError(where, "kfree() of memory kmalloc() did not give (KASAN: invalid-free)")
    if block.freed:
        raise CRuntimeError(where, f"kfree() of the memory kmalloc() gave at {block.where}, freed at {block.freed} "
                                   "already (KASAN: double-free)")
    block.freed = where
    said = f"after kfree() at {where} of the memory kmalloc() gave at {block.where} (KASAN: slab-use-after-free"
    dead = Unknown(f"is read {said})", dead=True, written=f"is written {said} Write)")
    if isinstance(block.obj, StructObj):
        bury(block.obj, block.elem, dead)
    elif isinstance(block.obj, ElemPtr):
        bury(block.obj.elems, Array(block.elem, len(block.obj.elems)), dead)


def _block_of(m: Machine, p: Any) -> HeapBlock | None:
    if isinstance(p, StructObj):
        return m.heap.get(id(p))
    if isinstance(p, ElemPtr) and p.index == 0:
        return m.heap.get(id(p.elems))
    return None



def free_kfree(m: Machine, args: list[Any], where: str) -> None:
    """include/linux/slab.h DEFINE_FREE(kfree, void *, if (!IS_ERR_OR_NULL(_T)) kfree(_T)): __free(kfree)'s cleanup,
    handed the variable's address."""
    ref = args[0]
    p = ref.get() if isinstance(ref, Ref) else None
    if isinstance(p, AddrPtr) and p.address & SIZE_MAX >= SIZE_MAX + 1 - MAX_ERRNO:
        return
    kfree(m, [p], where)
