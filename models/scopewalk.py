"""models.scopes' Uses of one definition, read from its pycparser AST: parameters and locals by block (C11 6.2.1)."""

from __future__ import annotations

import re
from functools import lru_cache

from pycparser import c_ast, c_parser

from models.cparselimit import parse_chunk
from models.errors import MirrorError
from models.lazyre import lazy
from models.scopes import Amp, Uses


@lru_cache(maxsize=4096)
def read_uses(text: str, typedefs: tuple[str, ...]) -> Uses | None:
    """The Uses of ``text`` as models.scopes.prepared() gives it, its ``typedefs`` declared; None when pycparser
    cannot read it (a macro or type of a header not read, a GNU extension it lacks)."""
    try:
        nodes = parse_chunk(text, typedefs)
    except (c_parser.ParseError, MirrorError, RecursionError, TypeError, AssertionError):
        return None
    walk = _Walk(text, len(typedefs) + 1)
    for n in nodes:
        walk.visit(n)
    return Uses(frozenset(walk.stores), tuple(walk.amps), tuple(walk.values), frozenset(walk.refs))


def _root(e: c_ast.Node) -> c_ast.Node:
    """The object an lvalue is part of, through '.' and subscripts (not '->': what a pointer points to)."""
    while isinstance(e, (c_ast.StructRef, c_ast.ArrayRef)) and getattr(e, "type", ".") != "->":
        e = e.name
    return e


_CLOSES = lazy(r"\s*\)")
_STEPS = ("++", "--", "p++", "p--")
# Operands whose name is no value use of it: sizeof's (not evaluated), '*'s and a subscript's (an element read).
_NOT_DECAYED = ("sizeof", "*", "_Alignof")


class _Walk:
    """One walk of a definition's nodes, its parameters and locals in scopes, block by block."""

    def __init__(self, text: str, first: int) -> None:
        self.text, self.first = text, first  # pycparser's line of the text's first
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]  # where each line starts
        self.scopes: list[set[str]] = []  # none at file scope: a definition's own name is no local
        self.stores: set[str] = set()
        self.amps: list[Amp] = []
        self.values: list[tuple[str, int]] = []
        self.refs: set[tuple[str, int]] = set()

    def visit(self, n: c_ast.Node, value: bool = True) -> None:
        """Walk ``n``; ``value``: an ID here is used as a value (not subscripted, dereferenced or sized)."""
        if isinstance(n, c_ast.FuncDef):
            args = getattr(n.decl.type, "args", None)
            self._block([n.body], {getattr(p, "name", None) or "" for p in (args.params if args else [])})
        elif isinstance(n, (c_ast.Compound, c_ast.For)):
            self._block(list(n), set())
        elif isinstance(n, c_ast.Decl):
            self._decl(n)
        elif isinstance(n, c_ast.ID):
            self._id(n, value)
        elif isinstance(n, (c_ast.Assignment, c_ast.UnaryOp, c_ast.BinaryOp)):
            self._operator(n)
        elif isinstance(n, c_ast.ArrayRef):
            self.visit(n.name, False)
            self.visit(n.subscript)
        elif isinstance(n, c_ast.StructRef):
            self.visit(n.name)  # its field is a member's name, no variable's
        elif isinstance(n, c_ast.FuncCall):
            self._call(n)
        elif isinstance(n, (c_ast.Cast, c_ast.NamedInitializer)):
            self.visit(n.expr)  # a type, a designator: no variable's names
        elif not isinstance(n, (c_ast.Typedef, c_ast.Typename)):
            for child in n:
                self.visit(child)

    def _block(self, items: list[c_ast.Node], names: set[str]) -> None:
        self.scopes.append(names)
        for item in items:
            self.visit(item)
        self.scopes.pop()

    def _decl(self, d: c_ast.Decl) -> None:
        """A declaration: a local in scope from its declarator on (C11 6.2.1p7), its enumerators too; its
        initializer and array sizes read. A prototype's parameters are in no block (prototype scope)."""
        if self.scopes:
            if d.name:
                self.scopes[-1].add(d.name)
            t = d.type
            while isinstance(t, (c_ast.TypeDecl, c_ast.PtrDecl, c_ast.ArrayDecl)):
                t = t.type
            if isinstance(t, c_ast.Enum) and t.values is not None:
                self.scopes[-1].update(e.name for e in t.values.enumerators)
        t = d.type
        while isinstance(t, (c_ast.ArrayDecl, c_ast.PtrDecl)):
            if isinstance(t, c_ast.ArrayDecl) and t.dim is not None:
                self.visit(t.dim)
            t = t.type
        if d.init is not None:
            self.visit(d.init)

    def _file_scope(self, n: c_ast.Node) -> str | None:
        """The name of file scope ``n`` is, None when it is no name or a parameter or local in scope hides it."""
        if not isinstance(n, c_ast.ID) or any(n.name in s for s in self.scopes):
            return None
        return str(n.name)

    def _line(self, n: c_ast.Node) -> int:
        return int(n.coord.line) - self.first

    def _id(self, n: c_ast.ID, value: bool) -> None:
        name = self._file_scope(n)
        if name is not None:
            self.refs.add((name, self._line(n)))
            if value:
                self.values.append((name, self._line(n)))

    def _operator(self, n: c_ast.Node) -> None:
        if isinstance(n, c_ast.Assignment) or (isinstance(n, c_ast.UnaryOp) and n.op in _STEPS):
            target = n.lvalue if isinstance(n, c_ast.Assignment) else n.expr
            name = self._file_scope(_root(target))
            if name is not None:
                self.stores.add(name)
        elif isinstance(n, c_ast.UnaryOp) and n.op == "&":
            name = self._file_scope(_root(n.expr))
            if name is not None:
                self.amps.append(Amp(name, self._line(n.expr)))
        elif isinstance(n, c_ast.BinaryOp) and n.op == "&" and self._parenthesized(n.left):
            name = self._file_scope(_root(n.right))
            if name is not None:
                self.amps.append(Amp(name, self._line(n.right), n.left.name, self._file_scope(n.left) is None))
        if isinstance(n, c_ast.UnaryOp) and n.op in ("sizeof", "_Alignof"):
            return  # not evaluated: no use
        for child in n:
            self.visit(child, not (isinstance(n, c_ast.UnaryOp) and n.op in _NOT_DECAYED))

    def _parenthesized(self, n: c_ast.Node) -> bool:
        """Whether ``n`` is a name alone in parentheses in the text, '(n)', as a cast's type is."""
        if not isinstance(n, c_ast.ID) or n.coord is None or not n.coord.column:
            return False
        at = self.starts[self._line(n)] + int(n.coord.column) - 1
        before = at - 1
        while before >= 0 and self.text[before].isspace():
            before -= 1
        return before >= 0 and self.text[before] == "(" and _CLOSES().match(self.text, at + len(n.name)) is not None

    def _call(self, n: c_ast.FuncCall) -> None:
        if isinstance(n.name, c_ast.ID) and n.name.name == "ARRAY_SIZE":
            return  # sizeof's: the array's name is not evaluated
        self.visit(n.name, False)
        if n.args is not None:
            self.visit(n.args)
