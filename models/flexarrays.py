"""A struct's flexible array member (``u64 e[];``) in kmalloc() memory: its elements, as far as the memory reaches."""

# kmalloc(struct_size(p, e, n)) gives the struct and, past its members, n elements of its flexible array member;
# KASAN lets the code reach every whole element the allocation holds (the request, not the slab's size). Before,
# indexing one was refused ("memory past the struct is not modelled") and such memory of a size that is a multiple
# of the struct's was made an array of structs. Now the heap's struct holds those elements (models.values.heap_typed),
# read and written in place, one past them a run-time error (KASAN: slab-out-of-bounds). A struct assignment
# copies sizeof() bytes (C11 6.7.2.1p18): the members, and the elements in its tail padding, no other.

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, TypeGuard

from models.clayout import field_offset, sizeof
from models.ctype import Array, CType, Struct
from models.errors import CRuntimeError, UnsupportedConstruct
from models.machine import HeapBlock, Machine
from models.slicer import Definition, Kind

_FLEX: dict[int, tuple[Struct, tuple[str, Array, int, int] | None]] = {}


def flex_member(t: Struct) -> tuple[str, Array, int, int] | None:
    """The flexible array member of ``t``: its name, type, byte offset, and how many of its elements lie in the
    struct's tail padding (copied by an assignment); None where ``t`` has none, or an element lies there only in
    part (neither copied nor left: not modelled)."""
    got = _FLEX.get(id(t))
    if got is None or got[0] is not t:
        got = (t, _flex(t))
        _FLEX[id(t)] = got
    return got[1]


def _flex(t: Struct) -> tuple[str, Array, int, int] | None:
    if t.union or not t.fields:
        return None
    name, ft = t.fields[-1]
    if not isinstance(ft, Array) or ft.length is not None:
        return None
    at = field_offset(t, name)
    size = sizeof(ft.elem)
    if at is None or size <= 0 or (sizeof(t) - at[0]) % size:
        return None
    return name, ft, at[0], (sizeof(t) - at[0]) // size


class ArrayBlock(HeapBlock):
    """Memory kmalloc_array(), kcalloc() and their kv kin gave: ``n`` objects of ``each`` bytes asked for. A struct of
    that size with a flexible array member is then ``n`` structs (``p[1]``), as before b10c43cc; kmalloc() of
    struct_size() one struct with its elements (heap_typed)."""

    __slots__ = ("each",)

    def __init__(self, size: int, zero: bool, where: str, each: int) -> None:
        super().__init__(size, zero, where)
        self.each = each


def as_structs(block: HeapBlock, t: CType) -> bool:
    """Whether ``block`` is an array of more than one ``t`` the code asked for by count and size (ArrayBlock)."""
    return isinstance(block, ArrayBlock) and block.each == sizeof(t) and block.size > block.each


def has_flex(t: CType) -> TypeGuard[Struct]:
    """Whether ``t`` is a struct (no union) whose last member is a flexible array member."""
    return isinstance(t, Struct) and not t.union and bool(t.fields) and isinstance(t.fields[-1][1], Array) \
        and t.fields[-1][1].length is None


def with_elements(m: Machine, block: HeapBlock, obj: Any, t: Struct, make: Any, where: str) -> Any:
    """The heap's struct ``obj`` in ``block`` given the elements of its flexible array member that the memory
    holds whole (``make(elem_type)``: a new element), where ``t`` has one; refused where an element would lie in the
    struct's tail padding only in part."""
    flex = flex_member(t)
    if flex is None:
        raise UnsupportedConstruct(where, f"{t.name()}'s flexible array member {t.fields[-1][0]} begins in the "
                                          "struct's tail padding with an element only partly there (not modelled)")
    name, ft, at, _ = flex
    obj[name] = [make(ft.elem) for _ in range((block.size - at) // sizeof(ft.elem))]
    # The elements kmalloc() memory holds, told from any other object's (a local, a static, a copy: only its tail
    # padding; a union's bytes the code overlays it on), whose are not indexed: what lies past them is not known.
    # Under the negative of the list's id: no object's id, so no pointer finds the block by it (kfree() of p->e).
    m.heap[-id(obj[name])] = block
    return obj


def tail_elements(values: dict[str, Any], t: Struct, zero: bool, make: Any) -> None:
    """A new struct's ``values`` given the elements of its flexible array member that lie in its tail padding, the
    object's own bytes (``make(elem_type, zero)``: a new element): memset() of sizeof() bytes sets them, an assignment
    copies them."""
    flex = flex_member(t)
    if flex is not None and flex[3]:
        values[flex[0]] = [make(flex[1].elem, zero) for _ in range(flex[3])]


def elements_checked(get: Any, where: str) -> Any:
    """``get`` (a flexible array member's elements) refused where the object holds none: a struct not in memory
    sized for them (a local, a static, one the code overlays on bytes of its own), which is not modelled."""
    def run(f: Any) -> Any:
        arr = get(f)
        if -id(arr) not in f.m.heap:
            raise UnsupportedConstruct(where, "indexing a flexible array member of a struct not in kmalloc() "
                                              "memory sized for its elements (memory past the struct is not modelled)")
        return arr

    return run


def copied_flex(copy: Any, t: Struct) -> None:
    """A struct's copy (``copy``, made from a whole one) keeps of its flexible array member only the elements in the
    tail padding, the bytes sizeof() covers (C11 6.7.2.1p18): the copy is no kmalloc() memory sized for more."""
    flex = flex_member(t)
    if flex is not None and isinstance(copy.get(flex[0]), list):
        del copy[flex[0]][flex[3]:]


def assigned_flex(dst: Any, src: Any, t: Struct, copy: Any) -> bool:
    """``dst = src`` for the flexible array member of ``t``: only the elements in the tail padding are copied, each
    object keeps its others (C11 6.7.2.1p18). False where ``t`` has none (the caller assigns as any member)."""
    flex = flex_member(t)
    if flex is None:
        return False
    have, give = dst.get(flex[0]), src.get(flex[0])
    if isinstance(have, list) and isinstance(give, list):
        n = min(flex[3], len(have), len(give))
        have[:n] = [copy(x) for x in give[:n]]
    return True


def flex_span(m: Machine, obj: Any, t: Struct, size: int, what: str, where: str) -> tuple[list[Any], int, int]:
    """(the elements, the first, how many) ``size`` bytes from the start of the heap's struct ``obj`` cover past its
    own (sizeof(), the tail-padding elements among them): whole elements of those kmalloc() memory holds, past them a
    run-time error (KASAN: slab-out-of-bounds); refused where the elements are no kmalloc() memory's or a part of one
    is covered (``memset(p, 0, struct_size(p, e, n))``)."""
    flex = flex_member(t)
    elems = obj.get(flex[0]) if flex is not None else None
    past = size - sizeof(t)
    if flex is None or not isinstance(elems, list) or -id(elems) not in m.heap or past % sizeof(flex[1].elem):
        raise UnsupportedConstruct(where, f"{what} of {size} bytes at 0 of a {sizeof(t)}-byte {t}: past its "
                                          "members, into its flexible array member's elements (not modelled)")
    count = past // sizeof(flex[1].elem)
    if flex[3] + count > len(elems):
        raise CRuntimeError(where, f"{what} of {size} bytes of a {t} whose memory holds {len(elems)} elements of "
                                   f"{flex[0]}: past the allocation (KASAN: slab-out-of-bounds)")
    return elems, flex[3], count


# include/linux/compiler_types.h's __counted_by(member) on a flexible array member (6.5+), and its _le/_be forms
_COUNTED = re.compile(r"\b(\w+)\s*\[\s*\]\s*__counted_by(?:_le|_be)?\s*\(\s*(\w+)\s*\)")
_TAG = re.compile(r"\b(?:struct|union)\s+(\w+)\s*\{")


def counted_members(used: Iterable[Definition]) -> dict[tuple[str, str], str]:
    """(struct tag, flexible array member) -> the member __counted_by() names, of the structs the code defines."""
    out: dict[tuple[str, str], str] = {}
    for d in used:
        if d.kind in (Kind.STRUCT, Kind.TYPEDEF) and "__counted_by" in d.text:
            tag = _TAG.search(d.text)
            for member, counter in _COUNTED.findall(d.text):
                out[(tag.group(1) if tag else d.name, member)] = counter
    return out


def past_count(name: str, i: int, n: int, counter: str, where: str) -> UnsupportedConstruct:
    """Index ``i`` of a flexible array member at or past its __counted_by() counter's value ``n`` (inside the
    allocation): a kernel built by gcc 15+ or clang 18+ with CONFIG_UBSAN_BOUNDS reports it (array-index-out-of-
    bounds), and FORTIFY's checks of a copy into it use the count too; one built otherwise does not. Which, the mirror
    does not know: refused, never run as either."""
    return UnsupportedConstruct(where, f"index {i} of {name}, whose __counted_by({counter}) is {n}: a kernel built "
                                       "with CONFIG_UBSAN_BOUNDS by gcc 15+ or clang 18+ reports it "
                                       "(array-index-out-of-bounds), one built otherwise does not, and which this "
                                       "is, is not known")


def fixed_part(t: Struct) -> Struct:
    """Struct ``t`` without its flexible array member: the members a memset() of the whole allocation fills byte by
    byte (its elements are filled apart), laid out where they are in ``t`` (the member is last, so no offset moves)."""
    flex = t.fields[-1][0]
    return Struct(t.tag, t.fields[:-1], t.union, tuple(d for d in t.decl if d[0] != flex), t.partial, t.packed)
