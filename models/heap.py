"""kmalloc() and its kin, kstrdup() and kfree() (include/linux/slab.h, mm/util.c): typed objects, freed once."""

# An allocation succeeds (GFP_KERNEL's small ones do not fail; a scripted failure is not modelled): a HeapBlock,
# whose object the first pointer type it is converted to makes (models.values.heap_typed). One that may sleep
# (__GFP_DIRECT_RECLAIM, as GFP_KERNEL) checks might_sleep() first, as might_alloc() does under
# CONFIG_DEBUG_ATOMIC_SLEEP. kfree() of NULL does nothing; of what kmalloc() did not give, or twice, it is KASAN's
# report, a run-time error; after it the object's scalars are dead, so that a read through a pointer left is one too.

from __future__ import annotations

from typing import Any

from models.clayout import sizeof
from models.ctype import CHAR, Array, CType, Int, Struct
from models.errors import CRuntimeError, UnsupportedConstruct
from models.flexarrays import ArrayBlock, flex_span, has_flex, with_elements
from models.lifetimes import bury
from models.locking import run_ops
from models.machine import MAX_ERRNO, AddrPtr, ElemPtr, HeapBlock, Machine, Ref, StructObj, StrVal
from models.unknowns import Unknown, whole
from models.values import copy_value, new_value

ZERO = 0x100  # __GFP_ZERO (include/linux/gfp_types.h)
RECLAIM = 0x400  # __GFP_DIRECT_RECLAIM: the allocation may sleep
SIZE_MAX = (1 << 64) - 1


# The largest allocation the kernel ever gives: kmalloc() past KMALLOC_MAX_SIZE asks the page allocator for an order
# past MAX_PAGE_ORDER (x86-64: 1 << (10 + PAGE_SHIFT)), kvmalloc() past INT_MAX is refused by mm/util.c itself; both
# give NULL with a warning unless __GFP_NOWARN, which the mirror does not model: such a run is refused, not given the
# memory (before: the code's NULL check never ran).
KMALLOC_MAX_SIZE = 1 << 22
KVMALLOC_MAX = (1 << 31) - 1


def _allocate(m: Machine, size: int, flags: int, zero: bool, where: str, what: str = "kmalloc()",
              limit: int = KMALLOC_MAX_SIZE, each: int = 0) -> HeapBlock | None:
    if flags & RECLAIM:
        run_ops(m, "Z", "", 0, where, None)  # might_alloc(): might_sleep_if(gfpflags_allow_blocking(flags))
    if size > SIZE_MAX:  # kcalloc()'s and kmalloc_array()'s n * size overflowed: NULL, no warning
        return None
    if size > limit:
        cap = "KMALLOC_MAX_SIZE, 4 MiB" if limit == KMALLOC_MAX_SIZE else "INT_MAX"
        raise UnsupportedConstruct(where, f"{what} of {size} bytes, more than the kernel ever gives ({cap}): it "
                                          "fails (NULL, with a warning unless __GFP_NOWARN), which is not modelled")
    if size == 0:
        raise UnsupportedConstruct(where, "kmalloc() of 0 bytes (ZERO_SIZE_PTR, which no access may use) is not "
                                          "modelled")
    zeroed = zero or bool(flags & ZERO)
    return ArrayBlock(size, zeroed, where, each) if each else HeapBlock(size, zeroed, where)


def _size(v: Any) -> int:
    return int(v) & SIZE_MAX  # a size_t parameter: kcalloc(-1, ...) asks for SIZE_MAX elements


def kmalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]), int(args[1]), False, where)


def kzalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]), int(args[1]), True, where, "kzalloc()")


def kmalloc_array(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]) * _size(args[1]), int(args[2]), False, where, "kmalloc_array()",
                     each=_size(args[1]))


def kcalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]) * _size(args[1]), int(args[2]), True, where, "kcalloc()", each=_size(args[1]))


# include/linux/slab.h: kvmalloc() and its kin try kmalloc() first, vmalloc() only where that fails, which the mirror
# does not model (an allocation up to INT_MAX succeeds): their memory is kmalloc()'s, and kvfree() is kfree() of it
def kvmalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]), int(args[1]), False, where, "kvmalloc()", KVMALLOC_MAX)


def kvzalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]), int(args[1]), True, where, "kvzalloc()", KVMALLOC_MAX)


def kvmalloc_array(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]) * _size(args[1]), int(args[2]), False, where, "kvmalloc_array()",
                     KVMALLOC_MAX, _size(args[1]))


def kvcalloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    return _allocate(m, _size(args[0]) * _size(args[1]), int(args[2]), True, where, "kvcalloc()", KVMALLOC_MAX,
                     _size(args[1]))


def krealloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    """include/linux/slab.h krealloc(): new memory holding the old one's bytes (as far as both reach), the rest unset,
    and the old one freed (a pointer left to it reads freed memory, as where the kernel moves it: KASAN's report)."""
    p, size, flags = args[0], _size(args[1]), int(args[2])
    if p is None:
        return _allocate(m, size, flags, False, where, "krealloc()")
    old = _freeable(m, p, "krealloc()", where)
    if flags & ZERO or size == 0:
        raise UnsupportedConstruct(where, "krealloc() with __GFP_ZERO (which zeroes only where each earlier "
                                          "allocation of the memory did) or to 0 bytes (ZERO_SIZE_PTR) is not modelled")
    new = _allocate(m, size, flags, False, where, "krealloc()")
    assert new is not None  # a size_t never overflows
    if old.obj is None and old.zero and size > old.size:
        raise UnsupportedConstruct(where, f"krealloc() of the zeroed memory kmalloc() gave at {old.where}, used as no "
                                          "type yet, to more bytes (zero, then unset: not modelled)")
    if old.obj is None:
        new.zero = old.zero
    else:
        _typed(m, new, old.elem, [old.obj] if isinstance(old.obj, StructObj) else old.obj.elems, where)
    kfree(m, [old], where, "krealloc()")
    return new


def kvrealloc(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    """include/linux/slab.h kvrealloc(p, size, flags) of 6.12 and later (mm/util.c: krealloc() of kmalloc()'s
    memory, which every allocation here is, up to INT_MAX), as the prelude's headers declare it. Before 6.12 it was
    kvrealloc(p, oldsize, newsize, flags), which returned p itself unless it grew: a call of four arguments is that
    one, which these headers do not declare (gcc: too many arguments), and which the tree's are is not known."""
    if len(args) != 3:
        raise UnsupportedConstruct(where, f"kvrealloc() with {len(args)} arguments: the headers the mirror reads (6.12 "
                                          "and later) declare kvrealloc(p, size, flags); kvrealloc(p, oldsize, "
                                          "newsize, flags) is older kernels', which the tree may have (not known)")
    if args[0] is None:
        return _allocate(m, _size(args[1]), int(args[2]), False, where, "kvrealloc()", KVMALLOC_MAX)
    if _size(args[1]) > KVMALLOC_MAX:
        _allocate(m, _size(args[1]), int(args[2]), False, where, "kvrealloc()", KVMALLOC_MAX)  # refused there
    return krealloc(m, args, where)


def kmemdup(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    """include/linux/slab.h kmemdup(): kmalloc() of ``len`` bytes, then memcpy() of the source's into them: whole
    objects of one type (a struct, an integer, array elements), which the new memory is then made of."""
    src, size, flags = args[0], _size(args[1]), int(args[2])
    if src is None:
        raise CRuntimeError(where, "kmemdup(): NULL pointer (memcpy() from it: an oops)")
    t, values = _source(m, src, size, where)
    new = _allocate(m, size, flags, False, where, "kmemdup()")
    if new is not None:
        _typed(m, new, t, values, where)
    return new


def krealloc_array(m: Machine, args: list[Any], where: str) -> HeapBlock | None:
    """include/linux/slab.h krealloc_array(): krealloc() of ``n * size`` bytes; NULL where that overflows (the old
    memory kept)."""
    n, size = _size(args[1]), _size(args[2])
    if n * size > SIZE_MAX:
        return None
    return krealloc(m, [args[0], n * size, args[3]], where)


def _bytes(s: Any, n: int | None, nul: bool, what: str, where: str) -> list[int]:
    """The bytes of a string literal or a char array ``s`` points into: at most ``n`` of them (None: no bound), up to
    the NUL where ``nul`` (kmemdup_nul() copies a NUL as any byte); one past an array's end or never set is a run-time
    error (what gcc's build reads there is not known)."""
    if isinstance(s, list):  # a char array passed by name
        s = ElemPtr(s, 0, CHAR)
    if isinstance(s, StrVal):
        data: list[Any] = [*s.data, 0]
    elif isinstance(s, ElemPtr) and isinstance(s.ctype, Int) and s.ctype.bits == 8:
        data = s.synced()[s.index:]
    else:
        raise UnsupportedConstruct(where, f"{what}() of this pointer is not modelled (only a string literal or an "
                                          "array of bytes is)")
    out: list[int] = []
    while n is None or len(out) < n:
        if len(out) >= len(data):
            raise CRuntimeError(where, f"{what}(): reading past the end of the array")
        c = data[len(out)]
        if not isinstance(c, int):
            raise CRuntimeError(where, f"{what}(): byte {len(out)} of the string is read before it is set")
        if nul and c == 0:
            break
        out.append(c & 0xFF)
    return out


def _string(m: Machine, chars: list[int], flags: int, where: str) -> ElemPtr | None:
    """kmalloc() of the bytes and a NUL, filled with them: a char array (lib/string.c's copies)."""
    new = _allocate(m, len(chars) + 1, flags, False, where)
    if new is None:
        return None
    _typed(m, new, CHAR, [*chars, 0], where)
    assert isinstance(new.obj, ElemPtr)
    return new.obj


def kstrdup(m: Machine, args: list[Any], where: str) -> ElemPtr | None:
    """mm/util.c kstrdup(): NULL for NULL, else kmalloc() of the string's bytes and its NUL, a copy of them."""
    if args[0] is None:
        return None
    return _string(m, _bytes(args[0], None, True, "kstrdup", where), int(args[1]), where)


def kstrndup(m: Machine, args: list[Any], where: str) -> ElemPtr | None:
    """mm/util.c kstrndup(): NULL for NULL, else a copy of the bytes before the NUL, at most ``max`` (strnlen()),
    and a NUL."""
    if args[0] is None:
        return None
    return _string(m, _bytes(args[0], _size(args[1]), True, "kstrndup", where), int(args[2]), where)


def kmemdup_nul(m: Machine, args: list[Any], where: str) -> ElemPtr | None:
    """mm/util.c kmemdup_nul(): NULL for NULL, else a copy of exactly ``len`` bytes (a NUL among them too) and a
    NUL."""
    if args[0] is None:
        return None
    return _string(m, _bytes(args[0], _size(args[1]), False, "kmemdup_nul", where), int(args[2]), where)


def _source(m: Machine, src: Any, size: int, where: str) -> tuple[CType, list[Any]]:
    """The type and the values of the whole objects the ``size`` bytes at ``src`` are (kmemdup())."""
    if isinstance(src, ElemPtr):
        step = sizeof(src.ctype)
        elems = src.synced()
        if step and not size % step and src.index + size // step <= len(elems):
            values = elems[src.index:src.index + size // step]
            return src.ctype, [whole(x, src.label, where) for x in values]
        if step and not size % step:
            raise CRuntimeError(where, f"kmemdup() of {size} bytes from element {src.index} of {src.label}"
                                       f"[{len(elems)}]: past the array (undefined behaviour)")
    elif isinstance(src, StructObj) and size == sizeof(src.ctype):
        return src.ctype, [whole(src, src.ctype.name(), where)]
    elif isinstance(src, StructObj) and has_flex(src.ctype) and size > sizeof(src.ctype):
        # kmemdup(p, struct_size(p, e, n)): the struct and n elements, each within p's allocation (past it KASAN's
        # report, elements not in kmalloc() memory refused: flex_span); the copy holds as many (_flexed)
        flex_span(m, src, src.ctype, size, "kmemdup()", where)
        return src.ctype, [whole(src, src.ctype.name(), where)]
    elif isinstance(src, Ref) and src.ctype is not None and size == sizeof(src.ctype):
        return src.ctype, [src.get()]
    raise UnsupportedConstruct(where, f"kmemdup() of {size} bytes of that object (not whole objects of one type: "
                                      "their bytes are not modelled)")


def _typed(m: Machine, block: HeapBlock, t: CType, values: list[Any], where: str) -> None:
    """``block`` made of objects of type ``t`` at once, the first of them copies of ``values``, the rest unset."""
    step = sizeof(t)
    if has_flex(t) and 0 < step <= block.size and len(values) == 1:
        _flexed(m, block, t, values[0], where)  # krealloc() of a struct_size() allocation: its elements too
        return
    if not step or block.size % step:
        raise UnsupportedConstruct(where, f"{block.size} bytes as {t.name()} ({step} bytes each: part of an object "
                                          "is not modelled)")
    n = block.size // step
    elems = [copy_value(x) for x in values[:n]] + [new_value(t, False) for _ in range(n - min(n, len(values)))]
    block.elem = t
    if isinstance(t, Struct) and n == 1:
        block.obj = elems[0]
        m.heap[id(block.obj)] = block
    else:
        block.obj = ElemPtr(elems, 0, t, f"(kmalloc() at {block.where})")
        m.heap[id(elems)] = block


def _flexed(m: Machine, block: HeapBlock, t: Struct, old: Any, where: str) -> None:
    """``block`` made one struct ``t`` with a flexible array member (models.flexarrays), a copy of ``old``: its
    members, and as many of its elements as both hold (the rest unset)."""
    obj = with_elements(m, block, copy_value(old), t, lambda e: new_value(e, False), where)
    name = t.fields[-1][0]
    kept, made = old[name], obj[name]
    n = min(len(kept), len(made))
    made[:n] = [copy_value(x) for x in kept[:n]]
    block.elem, block.obj = t, obj
    m.heap[id(obj)] = block


def kfree(m: Machine, args: list[Any], where: str, what: str = "kfree()") -> None:
    p = args[0]
    if p is None:
        return
    block = _freeable(m, p, what, where)
    block.freed = where
    said = f"after kfree() at {where} of the memory kmalloc() gave at {block.where} (KASAN: slab-use-after-free"
    dead = Unknown(f"is read {said})", dead=True, written=f"is written {said} Write)")
    if isinstance(block.obj, StructObj):
        bury(block.obj, block.elem, dead)
    elif isinstance(block.obj, ElemPtr):
        bury(block.obj.elems, Array(block.elem, len(block.obj.elems)), dead)


def _freeable(m: Machine, p: Any, what: str, where: str) -> HeapBlock:
    """The live block ``p`` points to the start of, which ``what`` (kfree(), krealloc()) may free."""
    block = p if isinstance(p, HeapBlock) else _block_of(m, p)
    if block is None:
        raise CRuntimeError(where, f"{what} of memory kmalloc() did not give (KASAN: invalid-free)")
    if block.freed:
        raise CRuntimeError(where, f"{what} of the memory kmalloc() gave at {block.where}, freed at {block.freed} "
                                   "already (KASAN: double-free)")
    return block


def kvfree(m: Machine, args: list[Any], where: str) -> None:
    kfree(m, args, where, "kvfree()")


def kfree_sensitive(m: Machine, args: list[Any], where: str) -> None:
    kfree(m, args, where, "kfree_sensitive()")  # its memset() of the bytes first: none is read after the free


def _block_of(m: Machine, p: Any) -> HeapBlock | None:
    if isinstance(p, StructObj):
        return m.heap.get(id(p))
    if isinstance(p, ElemPtr) and p.index == 0:
        return m.heap.get(id(p.elems))
    return None



def free_kfree(m: Machine, args: list[Any], where: str, what: str = "kfree()") -> None:
    """include/linux/slab.h DEFINE_FREE(kfree, void *, if (!IS_ERR_OR_NULL(_T)) kfree(_T)): __free(kfree)'s cleanup,
    handed the variable's address; so is __free(kvfree)'s (``what``)."""
    ref = args[0]
    p = ref.get() if isinstance(ref, Ref) else None
    if isinstance(p, AddrPtr) and p.address & SIZE_MAX >= SIZE_MAX + 1 - MAX_ERRNO:
        return
    kfree(m, [p], where, what)
