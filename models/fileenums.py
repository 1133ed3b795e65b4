"""The enumerators of a program's file scope whose values are ints: names a changed value may read as constants."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pycparser import c_ast

from models.consteval import NotConstant, const_value
from models.ctype import CType, Int
from models.errors import MirrorError

INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1  # an enumerator's type is int where all are in this range


class FileScopeEnv:
    """models.consteval's view of file scope: the enumerators read so far, no type names (a cast or ``sizeof`` of
    one is not worked out here: the enumerator stays unknown)."""

    def __init__(self, enums: dict[str, int]) -> None:
        self.enums = enums
        self.wide_enums: dict[str, str] = {}
        self.typed_enums: dict[str, tuple[int, Int]] = {}

    def where(self, coord: object) -> str:
        return str(coord or "")

    def resolve(self, node: c_ast.Node) -> CType:
        raise NotConstant("", "a type name is not resolved here")


def _enums(ext: c_ast.Node) -> Iterator[c_ast.Enum]:
    """The enum definitions of a file-scope declaration, in source order (a typedef's, a struct member's); none of
    a function, whose enums are its own."""
    if isinstance(ext, c_ast.FuncDef):
        return
    todo = [ext]
    while todo:
        n = todo.pop(0)
        if isinstance(n, c_ast.Enum) and n.values is not None:
            yield n
        todo[:0] = [child for _, child in n.children()]


def _values(en: c_ast.Enum, known: dict[str, int]) -> dict[str, int] | None:
    """Name -> value of each enumerator of ``en`` (C11 6.7.2.2: 0 first, else one more than the last); None when one
    is not an integer constant expression worked out here, or past int's range: the enum's type is then wider (GCC),
    or what it reads is not known here."""
    out: dict[str, int] = {}
    last = -1
    for e in en.values.enumerators:
        if e.value is None:
            value = last + 1
        else:
            try:
                value = const_value(e.value, FileScopeEnv({**known, **out}))[0]
            except (MirrorError, ArithmeticError, ValueError):
                return None
        if not INT_MIN <= value <= INT_MAX:
            return None
        out[e.name] = last = value
    return out


def int_enumerators(ast: c_ast.FileAST) -> dict[str, int]:
    """Name -> value of each enumerator of file scope whose enum's enumerators are all ints worked out here; a name
    two enums give different values, or a variable or function of file scope has too (two files' own), is left out:
    which one a unit reads is not known here."""
    known: dict[str, int] = {}
    clash = {d.name for d in ast.ext if isinstance(d, c_ast.Decl) and d.name}
    for ext in ast.ext:
        for en in _enums(ext):
            for name, value in (_values(en, known) or {}).items():
                if known.setdefault(name, value) != value:
                    clash.add(name)
    return {k: v for k, v in known.items() if k not in clash}


def as_int(value: int) -> c_ast.Node:
    """An int-typed expression of ``value``, as C reads the enumerator: ``(int)5``, ``(int)-5LL`` (a long long
    negated, so that INT_MIN is one too)."""
    lit: c_ast.Node = c_ast.Constant("int", str(value))
    if value < 0:
        lit = c_ast.UnaryOp("-", c_ast.Constant("long long", f"{-value}LL"))
    name = c_ast.Typename(None, [], None, c_ast.TypeDecl(None, [], None, c_ast.IdentifierType(["int"])))
    return c_ast.Cast(name, lit)


def wide_enumerators(ast: c_ast.FileAST, typed: dict[str, tuple[int, Int]]) -> dict[str, c_ast.Node]:
    """Name -> an expression of its value in its type (``(unsigned long)0x8000020300000000ULL``) of each enumerator of
    ``typed`` (models.condeval.typed_enumerators: past int, the enum's type) file scope names once: none other of
    that name, no variable or function (two files' own: which one a unit reads is not known here)."""
    named = Counter(e.name for ext in ast.ext for en in _enums(ext) for e in en.values.enumerators)
    named.update(d.name for d in ast.ext if isinstance(d, c_ast.Decl) and d.name)
    out: dict[str, c_ast.Node] = {}
    for name, (value, t) in typed.items():
        if named[name] == 1:
            lit = c_ast.Constant("unsigned long long int", f"{value & ((1 << 64) - 1):#x}ULL")
            kind = c_ast.TypeDecl(None, [], None, c_ast.IdentifierType(t.spelled.split()))
            out[name] = c_ast.Cast(c_ast.Typename(None, [], None, kind), lit)
    return out
