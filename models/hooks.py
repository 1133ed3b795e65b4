"""The compiler's contract with the modules that compile pieces of C for it (blocks, builtins, guards)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pycparser import c_ast

from models.cload import Program
from models.consteval import ConstEnv, TypeOf
from models.ctype import CType, Int
from models.readonly import Seen
from models.typesys import TypeSystem
from models.values import Fn, Frame, Scope, Setter, Stmt, Var


class CompilerHooks(Protocol):
    """What a piece of the compiler may ask of the whole: types, names, and compiling sub-nodes.

    models.statements.Compiler is the one implementation; mypy checks it against this protocol wherever
    it is passed to a function that takes CompilerHooks.
    """

    program: Program
    types: TypeSystem
    global_decls: dict[str, c_ast.Decl]
    # Per label of a function's static (``f::name``), the slot of each declaration of it and its (line, column):
    # several in one function are numbered in source order (models.blocks.static_label).
    static_sites: dict[str, dict[str, tuple[int, int]]]
    # Per declaration line of functions' statics (``FILE:LINE``), the slot of each declared there and its column:
    # several statics on one line are several objects, each its own lockdep class (models.lockdep.unit_mark).
    static_lines: dict[str, dict[str, int]]
    # Per statement being compiled, the jumps ("return", "break", "continue") that statement expressions
    # inside it make out of themselves: the statement turns them back into signals (models.blocks).
    escapes: list[frozenset[str]]
    # Inside how many branches constant folding removes (models.flow.if_branches; BUILD_BUG() there builds).
    folded_away: int
    # Per function being compiled, the names of its locals whose address it takes (``&x``, ``&s.m``, ``&a[i]``):
    # their lifetime ends where their block is left, which pointers to them may outlive (models.lifetimes).
    addressed: list[frozenset[str]]
    # The case labels a switch has inside a statement under one of its labels (models.nestedcases).
    nested_cases: set[c_ast.Node]

    def where(self, coord: object) -> str:
        """``file:line`` of a pycparser coord."""
        ...

    def expr(self, node: c_ast.Node, scope: Scope) -> tuple[Fn, CType]:
        """A closure computing the value of an expression, and the expression's C type."""
        ...

    def lvalue(self, node: c_ast.Node, scope: Scope) -> tuple[Fn, Setter, CType]:
        """Read and write closures of an lvalue, and its type."""
        ...

    def stmt(self, node: c_ast.Node, scope: Scope) -> Stmt:
        """A closure running a statement; it returns None, BREAK, CONTINUE or a Return."""
        ...

    def stmt_site(self, node: c_ast.Node, scope: Scope) -> tuple[str, Stmt]:
        """Where a statement starts (kept for coverage) and a closure running it that does not note its start."""
        ...

    def block_part(self, node: c_ast.Node, scope: Scope) -> tuple[str, Stmt, bool]:
        """stmt_site(), an expression statement as its expression's closure, flagged True (its value is dropped)."""
        ...

    def mark(self, node: c_ast.Node) -> Stmt:
        """A statement that does nothing but count as run where ``node`` starts (statement coverage)."""
        ...

    def decision(self, test: Fn, node: c_ast.Node) -> Fn:
        """``test``, noting each time whether it came out true or false where ``node`` starts."""
        ...

    def var_access(self, var: Var, where: str) -> tuple[Fn, Setter, CType]:
        """How to read and write a variable (locals in the frame, globals in the machine)."""
        ...

    def array_storage(self, var: Var, where: str | None = None) -> Fn:
        """The list holding a named array's elements (``where``: the use, where an extern one not known is refused)."""
        ...

    def lookup(self, name: str, scope: Scope) -> Var | None:
        """The variable a name refers to in this scope (locals first, then globals)."""
        ...

    def unit_slot(self, var: Var | None) -> Callable[[Frame], str] | None:
        """Where ``var`` is one object per translation unit (a header's static), its slot in the running unit."""
        ...

    def new_slot(self, name: str) -> str:
        """A frame slot no other local variable of the program uses."""
        ...

    def seen(self, scope: Scope) -> Seen:
        """What the const checks (models.readonly) see of the code at this scope."""
        ...

    def type_of(self, node: c_ast.Node, scope: Scope) -> CType:
        """The type of an expression as sizeof and typeof see it: arrays do not decay, nothing runs."""
        ...

    def const(self, node: c_ast.Node, scope: Scope) -> tuple[int, Int]:
        """Value and type of an integer constant expression (raises models.consteval.NotConstant)."""
        ...

    def const_env(self, scope: Scope) -> ConstEnv:
        """What models.consteval needs to evaluate constants in this scope."""
        ...

    def typer(self, scope: Scope) -> TypeOf:
        """type_of bound to a scope."""
        ...

    def resolve(self, node: c_ast.Node, scope: Scope) -> CType:
        """The C type a declaration or type name denotes; ``typeof(expr)`` is typed in ``scope``."""
        ...
