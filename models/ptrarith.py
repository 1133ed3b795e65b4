"""Pointer arithmetic on pointers into arrays (C11 6.5.6p8-9, 6.5.8p5).

``p + n``, ``n + p``, ``p - n``, ``p - q``, and ``p++``, ``p--``, ``p += n``, ``p -= n`` (6.5.2.4, 6.5.16.2); ``p < q``
and the other relations of two (6.5.8p5). A ``void *`` steps by bytes, as GNU C has it (sizeof(void) is 1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from models.clayout import incomplete, sizeof
from models.ctype import INT, LONG, Array, CType, Func, Incomplete, Int, Ptr, Void
from models.errors import CRuntimeError, UnsupportedConstruct
from models.machine import ElemPtr, StrVal, UnsizedArray, as_element
from models.values import Fn, array_pointer


def pointer_binop(op: str, lf: Fn, lt: CType, rf: Fn, rt: CType, where: str) -> tuple[Fn, CType]:
    """``+`` or ``-`` with a pointer operand (an array's value as the pointer to its first element): what it
    points to is decided as it runs; a pointer into an array (``&a[i] + 1``, ``a + 2``) steps within it, up to one
    past its end, the bounds C gives (past them is undefined behaviour: a run-time error); a pointer to a single
    object, a struct or NULL moved is memory the mirror does not model, refused where it runs."""
    if isinstance(lt, Array):
        lf, lt = array_pointer(lf, lt), Ptr(lt.elem)
    if isinstance(rt, Array):
        rf, rt = array_pointer(rf, rt), Ptr(rt.elem)
    if op == "+" and isinstance(lt, Int) and isinstance(rt, Ptr):
        lf, lt, rf, rt = rf, rt, lf, lt
    if isinstance(lt, Ptr) and isinstance(rt, Int) and op in ("+", "-") and _steps(lt.target):
        target, sign = lt.target, (1 if op == "+" else -1)
        return (lambda f: step(lf(f), sign * rf(f), target, op, where)), lt
    if op == "-" and isinstance(lt, Ptr) and isinstance(rt, Ptr) and _steps(lt.target) and _steps(rt.target):
        if isinstance(lt.target, Void):  # GNU C: how many bytes apart
            return (lambda f: _bytes_apart(lf(f), rf(f), where)), LONG
        return (lambda f: difference(lf(f), rf(f), where)), LONG
    if op in _RELATIONS and isinstance(lt, Ptr) and isinstance(rt, Ptr) and _steps(lt.target) and _steps(rt.target):
        # 'for (p = sa; p < sa + n; p++)': two pointers into one array compare as their indices; into two
        # arrays (undefined) or to single objects (their order in memory is not modelled) refused as p - q is.
        holds = _RELATIONS[op]
        return (lambda f: 1 if holds(difference(lf(f), rf(f), where, op)) else 0), INT
    opaque = next((t.target for t in (lt, rt) if isinstance(t, Ptr) and isinstance(t.target, Incomplete)), None)
    if opaque is not None:  # gcc: "arithmetic on pointer to an incomplete type"
        raise incomplete(opaque, where, f"pointer arithmetic ({op})")
    raise UnsupportedConstruct(where, f"pointer arithmetic ({op})")


def moves(t: CType) -> bool:
    """Whether ``p++``, ``p += n`` of a ``t`` step a pointer (models.interp): a pointer to an object type."""
    return isinstance(t, Ptr) and _steps(t.target)


def moved(t: Ptr, op: str, where: str) -> Callable[[Any, int], Any]:
    """How ``op`` (``++``, ``p--``, ``+=``, ``-=``...) moves a pointer of type ``t`` by ``n``: as ``p + n``."""
    sign = -1 if "-" in op else 1
    return lambda p, n: step(p, sign * n, t.target, op, where)


def unchanged(v: Any) -> Any:
    """A moved pointer as it is (what wraps an integer's new value)."""
    return v


def incdec(t: Ptr, op: str, get: Callable[[Any], Any] | None, put: Callable[[Any, Any], None] | None,
           loc: Callable[[Any], Any] | None, where: str) -> Fn:
    """``p++``, ``++p``, ``p--``, ``--p`` of a pointer: read at ``get`` and written at ``put``, or at the location
    ``loc`` gives (evaluated once); the old value for a postfix, the new one else."""
    move, post = moved(t, op, where), op.startswith("p")

    def run(f: Any) -> Any:
        read, write = loc(f) if loc is not None else (lambda: get(f), lambda v: put(f, v))  # type: ignore[misc]
        old = read()
        new = move(old, 1)
        write(new)
        return old if post else new

    return run


def _steps(t: CType) -> bool:
    """Whether a pointer to ``t`` steps: by an object's size, or a byte for void (GNU C); not a function's (GNU C's
    bytes of code, which the mirror has none of), nor a struct's never defined (its size is not known)."""
    return not isinstance(t, Func | Incomplete)


def _elements(p: ElemPtr, target: CType, n: int, op: str, where: str) -> int:
    """The elements of ``p``'s array ``n`` steps of a pointer to ``target`` go over: ``n`` bytes for void (GNU C),
    refused where they land inside an element (its bytes as part of one are not modelled)."""
    if not isinstance(target, Void):
        _same_size(p, target, op, where)
        return n
    size = sizeof(p.ctype)
    if n % size:
        unit = "byte" if abs(n) == 1 else "bytes"
        raise UnsupportedConstruct(where, f"pointer arithmetic ({op}) of {n} {unit} on a void * into an array of "
                                          f"{p.ctype}: it lands inside an element, whose bytes are not modelled")
    return n // size


def step(p: Any, n: int, target: CType, op: str, where: str) -> Any:
    """``p + n`` of a pointer ``p`` to ``target``."""
    if n == 0:
        return p  # p + 0 is p (C11 6.5.6p8), NULL too
    p = as_element(p)
    if isinstance(p, ElemPtr):
        j = p.index + _elements(p, target, n, op, where)
        if not 0 <= j <= len(p.elems):
            raise CRuntimeError(where, f"&{p.label}[{j}] is outside {p.label}[{len(p.elems)}] (undefined "
                                       "behaviour)")
        return p.moved(j)
    if isinstance(p, StrVal) and 0 < n <= len(p.data):
        return StrVal(p.data[n:])
    if p is None:
        raise UnsupportedConstruct(where, f"pointer arithmetic ({op}) on NULL")
    if isinstance(p, UnsizedArray):  # where its end is is not known
        raise UnsupportedConstruct(where, p.why)
    raise UnsupportedConstruct(where, f"pointer arithmetic ({op}) on a pointer to a single object")


_RELATIONS: dict[str, Callable[[int], bool]] = {"<": lambda d: d < 0, "<=": lambda d: d <= 0, ">": lambda d: d > 0,
                                                ">=": lambda d: d >= 0}


def difference(p: Any, q: Any, where: str, op: str = "-") -> int:
    """``p - q`` of two pointers into one array: how many elements apart (a ``ptrdiff_t``); ``&sa[1]`` of an array
    of structs is its struct, which remembers its place (as_element), as ``step`` reads it."""
    p, q = as_element(p), as_element(q)
    if p.__class__ is ElemPtr and q.__class__ is ElemPtr and p.elems is q.elems:
        return int(p.index - q.index)
    raise UnsupportedConstruct(where, f"pointer arithmetic ({op}) of pointers not into one array")


def _bytes_apart(p: Any, q: Any, where: str) -> int:
    """``p - q`` of two ``void *`` into one array (GNU C): how many bytes apart."""
    n = difference(p, q, where)
    return n * sizeof(as_element(p).ctype) if n else 0


def _same_size(p: ElemPtr, target: CType, op: str, where: str) -> None:
    """Refuse a step through a type of another size than the array's elements (it would land in a part of one)."""
    obj = p.ctype
    if obj == target or (isinstance(obj, Int) and isinstance(target, Int) and obj.bits == target.bits):
        return
    raise UnsupportedConstruct(where, f"pointer arithmetic ({op}) on an array of {obj} through a pointer to "
                                      f"{target}: its bytes as another type are not modelled")

