"""Integers with their C type for the retry-count walk (models.retrycount): a bound as gcc computes it on x86-64."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from pycparser import c_ast

from models.ctype import INT, ULONG, Int, int_type, literal_type, promote, usual
from models.errors import FLOAT_TYPES
from models.prelude import TYPES


class Typed(int):
    """A value of a known integer type ``t`` (a plain int: one the walk does not type, an answer or an enumerator)."""

    t: Int

    def __new__(cls, value: int, t: Int) -> Typed:
        obj = super().__new__(cls, t.wrap(value))
        obj.t = t
        return obj


class NotRead(Exception):
    """A value the walk does not compute as gcc does (a signed side an unsigned operation converts, a wrap)."""


@lru_cache(maxsize=1)
def _kernel_types() -> dict[str, Int]:
    """The prelude's integer typedefs (u8 ... size_t: include/linux/types.h's, fixed on x86-64), by name."""
    found = {}
    for words, name in re.findall(r"typedef ([\w ]+?) (\w+);", TYPES):
        t = int_type(words.split())
        if t is not None:
            found[name] = t
    return found


def named_type(node: c_ast.Node | None) -> Int | None:
    """The integer type a declaration's or type name's ``type`` names (``unsigned int``, ``u8``), None for another."""
    if not isinstance(node, c_ast.TypeDecl) or not isinstance(node.type, c_ast.IdentifierType):
        return None
    names = node.type.names
    if len(names) == 1 and names[0] in _kernel_types():
        return _kernel_types()[names[0]]
    return None if names == ["char"] else int_type(names)  # plain char: signed or not by -f(un)signed-char


def floating_type(node: c_ast.Node | None) -> str | None:
    """The floating type a declaration's ``type`` names (``double``, ``long double``), spelt; None for another: the
    mirror refuses code holding one (models.errors.FLOATING_POINT), so no count rests on it."""
    if isinstance(node, c_ast.TypeDecl) and isinstance(node.type, c_ast.IdentifierType) and \
            FLOAT_TYPES.intersection(node.type.names):
        return " ".join(node.type.names)
    return None


def named_through(node: c_ast.Node | None, typedef: Callable[[str], c_ast.Node | None] | None) -> Int | None:
    """named_type(), a typedef name of the files followed to the type it stands for (``typedef u64 sc_err_t;``: a
    typedef is its type, C17 6.7.8p3) by ``typedef`` (name -> the typedef's type node, None where not followed:
    models.pointertypes.file_typedef), a typedef of a typedef too, 8 deep at most; None for another type."""
    for _ in range(8):
        t = named_type(node)
        names = getattr(getattr(node, "type", None), "names", None)
        if t is not None or typedef is None or not isinstance(node, c_ast.TypeDecl) or names is None or len(names) != 1:
            return t
        node = typedef(names[0])
    return None


def size_of(node: c_ast.Node) -> Typed | None:
    """``sizeof`` of a type name (an integer type's size or a pointer's, 8), a size_t; None for what else it names."""
    if not isinstance(node, c_ast.Typename):
        return None
    if isinstance(node.type, c_ast.PtrDecl):
        return Typed(8, ULONG)
    if isinstance(node.type, c_ast.TypeDecl) and getattr(node.type.type, "names", None) == ["char"]:
        return Typed(1, ULONG)
    t = named_type(node.type)
    return None if t is None or t.rank == 0 else Typed(t.bits // 8, ULONG)


def constant(text: str) -> int:
    """An integer constant's value, typed as C11 6.4.4.1 types it (``10U`` unsigned int, ``0xffffffff`` too)."""
    value, t = literal_type(text)
    return Typed(value, t) if t.bits <= 64 else value


def converted(value: int, t: Int | None) -> int:
    """``value`` converted to type ``t`` (None: a type the walk does not know, the value kept)."""
    return value if t is None else Typed(value, t)


def unknown_integer(node: c_ast.Node) -> str | None:
    """The name of the type a declaration's ``type`` names where it may be an integer type the walk does not know
    (a typedef of the file's, plain ``char``): a value stored in it may wrap otherwise; None for another."""
    if isinstance(node, c_ast.TypeDecl) and isinstance(node.type, c_ast.IdentifierType) and named_type(node) is None:
        return " ".join(node.type.names)
    return None


def binary(op: str, a: int, b: int, compute: Callable[[int, int], int]) -> int:
    """``a op b`` (``compute`` its mathematical value) as C computes it where an operand is typed: both converted to
    their common type first; raises NotRead where a typed unsigned side meets an untyped negative one, or an
    untyped side makes the result's type unknown and the result leaves the unsigned one's range."""
    ta, tb = (x.t if isinstance(x, Typed) else None for x in (a, b))
    if ta is None and tb is None:
        return compute(a, b)
    if op in ("<<", ">>"):  # of the left operand's promoted type, whatever the right's
        t = promote(ta) if ta is not None else None
        return compute(a, b) if t is None else _fits(compute(a, b), t)  # type: ignore[arg-type]
    if ta is not None and tb is not None:
        t = usual(ta, tb)
        assert isinstance(t, Int)
        result = compute(t.wrap(a), t.wrap(b))
        return Typed(result, INT) if op in _COMPARISONS else _fits(result, t)
    known = promote(ta or tb)  # type: ignore[arg-type]
    assert isinstance(known, Int)
    if not known.signed and (a < 0 or b < 0):
        raise NotRead("a signed value beside an unsigned one of a type not known")
    result = compute(a, b)
    if op in _COMPARISONS or known.signed:
        return result
    if not known.fits(result):
        raise NotRead("an unsigned result that wraps, beside a value of a type not known")
    return result


_COMPARISONS = frozenset(("==", "!=", "<", ">", "<=", ">="))


def _fits(result: int, t: Int) -> int:
    """``result`` in type ``t``: wrapped if unsigned; a signed overflow (undefined) raises NotRead."""
    if t.signed and not t.fits(result):
        raise NotRead(f"a {t.spelled} overflows")
    return Typed(result, t)


def unary(op: str, value: int) -> int:
    """``op value`` for ``-``, ``+`` and ``~``, as C computes it on a typed value (promoted; unsigned wraps)."""
    result = {"-": -value, "+": value, "~": ~value}[op]
    if not isinstance(value, Typed):
        return result
    t = promote(value.t)
    assert isinstance(t, Int)
    return _fits(result, t)
