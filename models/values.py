"""Run-time values of compiled code: frames, variables, control signals, fresh objects and C conversions."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models.clayout import sizeof
from models.ctype import CHAR, VOID, Array, CType, Func, Incomplete, Int, Ptr, Struct
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.flexarrays import ArrayBlock, as_structs, assigned_flex, copied_flex, has_flex, tail_elements, with_elements
from models.machine import AddrPtr, ElemPtr, HeapBlock, Machine, Ref, StructObj, StrVal, UnsizedArray, as_element
from models.unknowns import Unknown as Unknown
from models.unknowns import store, whole


class _Uninit:
    def __repr__(self) -> str:
        return "<uninitialized>"


UNINIT = _Uninit()


class Frame:
    """One activation: the machine, the local variables by slot, and the cleanups of the open scopes."""

    __slots__ = ("defer", "m", "v")

    def __init__(self, m: Machine, v: dict[str, Any]) -> None:
        self.m = m
        self.v = v
        # (cleanup, where) pairs registered by declarations with __cleanup(), innermost last.
        self.defer: list[tuple[Callable[[Frame], Any], str]] = []


Fn = Callable[[Frame], Any]
Setter = Callable[[Frame, Any], None]
Stmt = Callable[[Frame], Any]


@dataclass
class Var:
    """A name in scope: where its value lives and its type."""

    slot: str
    ctype: CType
    storage: str  # "local" or "global"
    name: str
    readonly: int = 0  # what its declaration makes const, models.readonly.Const flags: gcc refuses a write to it
    returns: int = 0  # a function pointer's (or an array of them): the const flags of the pointer a call returns

    @property
    def function_static(self) -> bool:
        """A function's own static (``static DEFINE_MUTEX(m);`` in a body): static storage, but no file-scope
        object: its locks are not the file's of that name, and no init function can have set it up."""
        return self.slot.startswith(STATIC_SLOT)


STATIC_SLOT = "static:"  # the slot of a function's static: "static:FILE:LINE:name@COLUMN", one per declaration


def static_where(slot: str) -> str:
    """The ``path:line`` of the declaration of a function's static whose slot is ``slot`` (models.blocks)."""
    return slot[len(STATIC_SLOT):].rpartition(":")[0]


Scope = list[dict[str, Var]]


class Return:
    """The signal a ``return`` statement hands up through the statements that contain it."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


BREAK, CONTINUE = object(), object()


class Goto:
    """The signal a ``goto`` hands up until the block that holds its label (models.blocks.sequence)."""

    __slots__ = ("label", "where")

    def __init__(self, label: str, where: str) -> None:
        self.label = label
        self.where = where


class Escape(Exception):
    """A return, break or continue out of a statement expression, on its way to the enclosing statement."""

    def __init__(self, signal: Any) -> None:
        super().__init__()
        self.signal = signal


def read_var(v: Any, name: str, where: str) -> Any:
    """A variable's value, refusing one that was never set (reading it is undefined behaviour)."""
    if v is UNINIT:
        raise CRuntimeError(where, f"'{name}' is read before it is set")
    if v.__class__ is Unknown:
        if v.dead:
            raise CRuntimeError(where, f"'{name}' {v.why}")
        raise UnsupportedConstruct(where, f"reading '{name}': {v.why}" if v.plain else
                                   f"reading union member '{name}': {v.why}")
    return v


# Field values of a fresh struct of only scalar fields, by (id of the type, zeroed): copying beats rebuilding.
_TEMPLATES: dict[tuple[int, bool], tuple[Struct, dict[str, Any] | None]] = {}


def new_struct(t: Struct, zero: bool) -> StructObj:
    """A struct object with every field zeroed (static storage) or unset (automatic storage)."""
    key = (id(t), zero)
    entry = _TEMPLATES.get(key)
    if entry is None or entry[0] is not t:
        flat = all(not isinstance(ft, Struct | Array) for _, ft in t.fields)
        entry = (t, {name: new_value(ft, zero) for name, ft in t.fields} if flat else None)
        _TEMPLATES[key] = entry
    template = entry[1]
    values = dict(template) if template is not None else {name: new_value(ft, zero) for name, ft in t.fields}
    if has_flex(t):
        tail_elements(values, t, zero, new_value)
    return StructObj(t, values)


def new_value(t: CType, zero: bool) -> Any:
    """A fresh object of type ``t``: zero (NULL for pointers) or unset."""
    if isinstance(t, Struct):
        return new_struct(t, zero)
    if isinstance(t, Array):
        return [new_value(t.elem, zero) for _ in range(t.length or 0)]
    if isinstance(t, Ptr):
        return None if zero else UNINIT
    return 0 if zero else UNINIT


def copy_value(v: Any) -> Any:
    """C assignment of a struct copies it, its array members element by element (a struct holding
    ``u64 regs[3]`` copied by ``b = a`` has regs of its own, C11 6.5.16.1); scalars are immutable already. A
    pointer member (or an array of pointers) is copied as the pointer: the copy points to the same object (a
    pointer to a struct is the object itself)."""
    if isinstance(v, StructObj):
        pointers, arrays = _pointer_members(v.ctype)
        copy = StructObj(v.ctype, {k: x if k in pointers else list(x) if k in arrays and isinstance(x, list)
                                   else copy_value(x) for k, x in v.items()})
        copy.union_bytes, copy.union_seen = v.union_bytes, v.union_seen
        if has_flex(v.ctype):
            copied_flex(copy, v.ctype)
        return copy
    if isinstance(v, list):
        return [copy_value(x) for x in v]
    return v


_POINTER_MEMBERS: dict[int, tuple[CType, frozenset[str], frozenset[str]]] = {}


def _pointer_members(t: CType) -> tuple[frozenset[str], frozenset[str]]:
    """The members of a struct type that hold a pointer, and those that are arrays of pointers, worked out once
    per type object."""
    got = _POINTER_MEMBERS.get(id(t))
    if got is None or got[0] is not t:
        fields = t.fields if isinstance(t, Struct) else ()
        got = (t, frozenset(n for n, ft in fields if isinstance(ft, Ptr)),
               frozenset(n for n, ft in fields if isinstance(ft, Array) and isinstance(ft.elem, Ptr)))
        _POINTER_MEMBERS[id(t)] = got
    return got[1], got[2]


def _assign_elements(dst: list[Any], src: list[Any]) -> None:
    """An array member's elements take ``src``'s in place: a pointer to one of them sees the new value."""
    for i, x in enumerate(src):
        if isinstance(x, StructObj) and isinstance(dst[i], StructObj):
            assign_into(dst[i], x)
        elif isinstance(x, list) and isinstance(dst[i], list) and len(dst[i]) == len(x):
            _assign_elements(dst[i], x)
        else:
            dst[i] = copy_value(x)


def assign_into(dst: StructObj, src: Any) -> StructObj:
    """``dst = src`` for a struct object: its members take the values in place, so that a pointer to it (the
    object itself, or a member's) sees them, and later changes to either stay apart (C11 6.5.16.1)."""
    pointers, arrays = _pointer_members(dst.ctype)
    t = dst.ctype
    flex = t.fields[-1][0] if has_flex(t) else None
    for k, x in src.items():
        if k == flex and has_flex(t) and assigned_flex(dst, src, t, copy_value):
            continue
        if k in pointers:
            dst[k] = x  # the pointer itself: dst now points where src does
        elif k in arrays and isinstance(x, list):
            dst[k][:] = x
        elif isinstance(x, StructObj) and isinstance(dst.get(k), StructObj):
            assign_into(dst[k], x)
        elif isinstance(x, list) and isinstance(dst.get(k), list) and len(dst[k]) == len(x):
            _assign_elements(dst[k], x)
        else:
            dst[k] = copy_value(x)
    dst.union_bytes = src.union_bytes if isinstance(src, StructObj) else None
    dst.union_seen = src.union_seen if isinstance(src, StructObj) else None
    dst.padding = "unspecified"
    return dst


def check_pointer_types(src: CType, dst: CType, where: str, what: str) -> None:
    """Refuse, as the kernel's -Werror=incompatible-pointer-types does, an implicit conversion (``what``:
    "assignment", "initialization", "return", "passing argument N") of a pointer to one integer type into a
    pointer to another (``long *`` for ``s64 *``, an ``int`` array for ``u8 *``; C11 6.5.16.1p1, 6.5.2.2p2,
    6.8.6.4p3). Only signedness may differ (``u32 *`` for ``int *``: -Wpointer-sign, which the kernel turns
    off); a cast converts freely. So is one of a pointer to a struct or union into a pointer to another (``struct a *``
    for ``struct b *``, either of them never defined), and one of a pointer to a pointer into a pointer to an array or
    the reverse (``&args`` of a va_list parameter, a ``__va_list_tag **``, for struct va_format's ``va_list *``: C11
    6.7.6.1p2, 6.7.6.2p6). Raises BuildFailure."""
    if isinstance(src, Array):
        src = Ptr(src.elem)
    if not isinstance(src, Ptr) or not isinstance(dst, Ptr):
        return
    a, b = src.target, dst.target
    if (isinstance(a, Int) and isinstance(b, Int) and (a.bits, a.rank) != (b.bits, b.rank)) or (
            isinstance(a, Struct | Incomplete) and isinstance(b, Struct | Incomplete)
            and (a.tag, a.union) != (b.tag, b.union)) or (  # two struct tags, defined or not: distinct types
            isinstance(a, Ptr | Array) and isinstance(b, Ptr | Array) and type(a) is not type(b)):
        raise BuildFailure(where, f"{what} from incompatible pointer type: {src} for {dst} "
                                  "(-Werror=incompatible-pointer-types)")


# Closures that return one int whatever the frame: literals, enumerators, sizeof, build checks, and what the pure
# arithmetic and integer conversions of those make (folded()). Keyed by the closure, which keeps it alive.
_CONSTANT: weakref.WeakKeyDictionary[Fn, int] = weakref.WeakKeyDictionary()


def constant(value: int) -> Fn:
    """The closure of an integer constant."""
    def fn(f: Frame) -> int:
        return value

    _CONSTANT[fn] = value
    return fn


def is_constant(fn: Fn) -> bool:
    """Whether ``fn`` returns one int whatever the frame (constant, folded)."""
    return fn in _CONSTANT


def folded(fn: Fn, *operands: Fn) -> Fn:
    """``fn``, an operation on ``operands`` that reads nothing but their values, worked out once when every operand
    is a constant: a macro's constant expression (GENMASK(), BIT_ULL(), a status code) is computed when compiled,
    as gcc folds it, not at every run. An operation that fails (a shift past the width) is kept, to fail where it
    runs; one whose value is not an int (a pointer) too."""
    if not operands or not all(op in _CONSTANT for op in operands):
        return fn
    try:
        value = fn(None)  # type: ignore[arg-type]  # the operands are constants: no frame is read
    except Exception:  # whatever it raises, it raises where it runs, as before
        return fn
    return constant(value) if type(value) is int else fn


def convert(fn: Fn, src: CType, dst: CType, where: str) -> Fn:
    """C conversion of a value of type ``src`` to ``dst`` (assignment, argument passing, cast); of a void value to
    anything but void gcc's build error (C11 6.3.2.2)."""
    if src == VOID and dst != VOID:
        raise BuildFailure(where, "void value not ignored as it ought to be")
    if isinstance(dst, Int):
        if dst.rank == 0:
            return folded(lambda f: 1 if fn(f) else 0, fn)
        if isinstance(src, Int) and src == dst:
            return fn
        if isinstance(src, Int):
            wrap = dst.wrap
            return folded(lambda f: wrap(fn(f)), fn)
        if isinstance(src, Ptr | Func | Array):
            return lambda f: pointer_as_int(fn(f), dst, where)
        raise UnsupportedConstruct(where, f"conversion from {src} to {dst}")
    if dst == VOID:
        return lambda f: (fn(f), None)[1]
    if isinstance(dst, Ptr) and isinstance(src, Int):
        return lambda f: int_as_pointer(fn(f), where)
    if isinstance(dst, Ptr) and isinstance(src, Array):
        return array_pointer(fn, src)
    if isinstance(dst, Struct):  # a struct is passed and returned by value: the callee's is its own copy
        name = dst.name()
        return lambda f: copy_value(whole(fn(f), name, where))
    if isinstance(dst, Ptr) and src == Ptr(VOID) and dst.target != VOID and not isinstance(dst.target, Func):
        target = dst.target  # kmalloc()'s memory takes the type of the first pointer it is converted to

        def typed(f: Frame) -> Any:
            v = fn(f)
            return heap_typed(f.m, v, target, where) if v.__class__ is HeapBlock or v.__class__ is ArrayBlock else v

        return typed
    return fn


def heap_typed(m: Machine, block: HeapBlock, t: CType, where: str) -> Any:
    """kmalloc()'s memory (models.heap) as objects of type ``t``: one struct, or a list of elements (a pointer to
    the first), zeroed or unset; made once, at the first conversion to a pointer type, which every later one must
    share (its bytes as another type are not modelled)."""
    if block.obj is not None:
        if block.elem != t:
            raise UnsupportedConstruct(where, f"the memory kmalloc() gave at {block.where}, used as "
                                              f"{block.elem.name()}, used as {t.name()} too (its bytes are not "
                                              "modelled)")
        return block.obj
    if block.freed:
        raise CRuntimeError(where, f"a pointer to the memory kmalloc() gave at {block.where} used after kfree() at "
                                   f"{block.freed} (KASAN: slab-use-after-free)")
    size = sizeof(t)
    if has_flex(t) and 0 < size <= block.size and not as_structs(block, t):  # struct_size(): one struct, its elements
        block.obj = with_elements(m, block, new_struct(t, block.zero), t, lambda e: new_value(e, block.zero), where)
        m.heap[id(block.obj)] = block
        block.elem = t
        return block.obj
    if size == 0 or isinstance(t, Incomplete) or block.size % size:
        raise UnsupportedConstruct(where, f"the {block.size} bytes kmalloc() gave at {block.where} as {t.name()} "
                                          f"({size} bytes each: part of an object is not modelled)")
    n = block.size // size
    if isinstance(t, Struct) and n == 1:
        block.obj = new_struct(t, block.zero)
        m.heap[id(block.obj)] = block
    else:
        elems = [new_value(t, block.zero) for _ in range(n)]
        block.obj = ElemPtr(elems, 0, t, f"(kmalloc() at {block.where})")
        m.heap[id(elems)] = block
    block.elem = t
    return block.obj


def array_pointer(fn: Fn, t: Array, label: str = "(array)") -> Fn:
    """An array's value (its list of elements) as a pointer to its first element (C11 6.3.2.1p3)."""
    elem = t.elem

    def run(f: Frame) -> Any:
        v = fn(f)
        return ElemPtr(v, 0, elem, label) if v.__class__ is list else v

    return run


def decayed(fn: Fn, t: CType) -> tuple[Fn, CType]:
    """A value as C takes it where an array or a function does not stay one (a comma operator's result, a statement
    expression's, ``__auto_type``'s initializer): an array a pointer to its first element, a function a pointer to
    it (C11 6.3.2.1p3-4); sizeof, typeof and __same_type() of it see the pointer, as gcc's do."""
    if isinstance(t, Array):
        return array_pointer(fn, t), Ptr(t.elem)
    if isinstance(t, Func):
        return fn, Ptr(t)
    return fn, t


def pointer_as_int(v: Any, dst: Int, where: str) -> int:
    """A pointer converted to an integer: NULL is 0, an address made from an integer is that integer."""
    if v is None:
        return 0
    if isinstance(v, AddrPtr):
        return dst.wrap(v.address)
    raise UnsupportedConstruct(where, f"converting a pointer to {dst} (addresses of objects are not modelled)")


def int_as_pointer(v: int, where: str) -> Any:
    """An integer converted to a pointer: 0 is NULL, anything else an address known but never dereferenced."""
    address = v & ((1 << 64) - 1)
    return None if address == 0 else AddrPtr(address)


def truth(fn: Fn, t: CType, where: str) -> Fn:
    """The closure that tests a scalar value for non-zero (pointers: non-NULL); a void or struct/union value has
    no truth value, a build failure in gcc's words (C11 6.8.4.1p1, 6.5.13p2: a condition is of scalar type)."""
    if isinstance(t, Int):
        return fn
    scalar_required(t, where)
    return lambda f: fn(f) is not None


def scalar_operands(op: str, where: str, *types: CType) -> None:
    """gcc's build errors where a binary operator (or its compound assignment) has a void operand (C11 6.3.2.2: a
    void expression's value may not be used) or one of struct or union type (C11 6.5.5-6.5.14: each needs
    arithmetic or pointer operands); the mirror took either for a pointer."""
    if VOID in types:
        raise BuildFailure(where, "void value not ignored as it ought to be")
    if any(isinstance(t, Struct) for t in types):
        raise BuildFailure(where, f"invalid operands to binary {op}")


def integer_index(t: CType, where: str) -> None:
    """gcc's build error for a subscript that is no integer (void, a struct, a pointer: C11 6.5.2.1p1)."""
    if not isinstance(t, Int):
        raise BuildFailure(where, "array subscript is not an integer")


def scalar_required(t: CType, where: str) -> None:
    """BuildFailure where a value of type ``t`` is tested as a truth value and ``t`` is not scalar."""
    if isinstance(t, Struct):
        raise BuildFailure(where, f"used {'union' if t.union else 'struct'} type value where scalar is required")
    if t == VOID:
        raise BuildFailure(where, "void value not ignored as it ought to be")


def deref(p: Any, where: str) -> Ref:
    """The object a pointer value points to, or why it cannot be reached."""
    if p is None:
        raise CRuntimeError(where, "NULL pointer dereference")
    if isinstance(p, Ref):
        return p
    if isinstance(p, StructObj):  # a pointer to a struct is the object: *p reads it whole, *p = v writes it
        return Ref(lambda: p, lambda v: (store(p, p.ctype.name(), where), assign_into(p, v), None)[2], "struct",
                   p.ctype)
    if isinstance(p, ElemPtr | StrVal):
        return element(p, 0, where)
    if isinstance(p, AddrPtr):
        if p.is_error or p.address < 4096:
            raise CRuntimeError(where, f"dereferencing the bad pointer {p.address:#x} (an oops in the kernel)")
        raise UnsupportedConstruct(where, f"dereferencing the address {p.address:#x} (memory is not modelled)")
    if isinstance(p, UnsizedArray):  # its elements are not known
        raise UnsupportedConstruct(where, p.why)
    raise UnsupportedConstruct(where, f"dereferencing {type(p).__name__}")


def element(p: Any, i: int, where: str) -> Ref:
    """``p[i]`` of a pointer value, as an object of its own type (what ``through`` reads as the pointer's): an
    element of the array an ElemPtr points into, within its bounds (past them is undefined behaviour: a run-time
    error), a byte of a string literal (its NUL too; writing one is undefined behaviour), ``*p`` of any other
    pointer; anything else past it is pointer arithmetic, not modelled."""
    if i and p.__class__ is StructObj:
        p = as_element(p)  # q[1] of q = &a[1] of an array of structs
    if p.__class__ is ElemPtr:
        elems, j = p.elems, p.index + i
        if not 0 <= j < len(elems):
            raise CRuntimeError(where, f"element {j} of {p.label}[{len(elems)}] is read or written: past the array "
                                       "(undefined behaviour)")
        obj = elems[j]
        if isinstance(obj, StructObj) and p.sync is not None:  # in a union's member: its bytes taken (in place)
            return Ref(lambda: (p.synced(), obj)[1], lambda v: (p.synced(), assign_into(obj, v), None)[2],
                       f"{p.label}[{j}]", obj.ctype)
        label = f"{p.label}[{j}]"
        if isinstance(obj, StructObj):  # a pointer to a struct is the object: *p reads it whole, *p = v in place
            return Ref(lambda: obj, lambda v: (store(obj, label, where), assign_into(obj, v), None)[2], label,
                       obj.ctype)
        if p.sync is not None:  # an array in a union's member: its bytes as the union now holds them
            return Ref(lambda: read_var(p.synced()[j], label, where),
                       lambda v: p.synced().__setitem__(j, v), label, p.ctype)
        return Ref(lambda: read_var(elems[j], label, where),
                   lambda v: (store(elems[j], label, where), elems.__setitem__(j, v), None)[2], label, p.ctype)
    if isinstance(p, StrVal):
        data = p.data + b"\0"
        if not 0 <= i < len(data):
            raise CRuntimeError(where, f"byte {i} of a {len(data)}-byte string literal is read: past it (undefined "
                                       "behaviour)")

        def write(v: Any) -> None:
            raise CRuntimeError(where, "writing to a string literal (undefined behaviour; the kernel's are "
                                       "read-only)")

        return Ref(lambda: data[i], write, "(string literal)", CHAR)
    if i == 0:
        return deref(p, where)
    if p is None:
        raise CRuntimeError(where, "NULL pointer dereference")
    if isinstance(p, UnsizedArray):  # its elements are not known
        raise UnsupportedConstruct(where, p.why)
    raise UnsupportedConstruct(where, f"element {i} of a pointer to a single object (pointer arithmetic is not "
                                      "modelled)")


def through(ref: Ref, target: CType, where: str) -> Ref:
    """The object ``ref`` points to as an lvalue of ``target``, the type of the pointer it is reached through.

    The kernel builds with -fno-strict-aliasing, so gcc reads the object's bytes as ``target`` (x86-64 is
    little-endian): through a narrower integer type, its low bytes (``*(u32 *)&u64_var``; a write changes only
    them), through one of its width, the same bits read with that signedness. What else another type would
    read (wider than the object: bytes past it; an integer as a pointer, a struct as a scalar) is memory the
    mirror does not model: UnsupportedConstruct. A Ref whose object's type is not known is left as it is.
    """
    obj = ref.ctype
    if obj is None or obj is target:
        return ref
    if isinstance(obj, Int) and isinstance(target, Int) and obj.rank and target.rank:
        if obj.bits == target.bits and obj.signed == target.signed:
            return ref  # u32 and unsigned int: one type under two names
        if target.bits <= obj.bits:
            low = target.mask
            return Ref(lambda: target.wrap(ref.get() & low),
                       lambda v: ref.set(obj.wrap((ref.get() & ~low) | (v & low))), ref.label, target)
    elif type(obj) is type(target) and not isinstance(obj, Int):
        return ref  # pointer to pointer, struct to the same struct: what the rest of the mirror checks
    raise UnsupportedConstruct(where, f"{ref.label} ({obj}) read or written through a pointer to {target}: its "
                                      "bytes as another type are not modelled (only an integer's low bytes "
                                      "through a narrower integer type)")
