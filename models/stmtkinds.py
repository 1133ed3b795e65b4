"""The compiler's statements: a statement's site and kind, returns, jumps, declarations, loops and switches."""

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models import blocks, flow
from models.ctype import VOID, CType
from models.errors import BuildFailure
from models.initializers import initializer
from models.interp import ExprCompiler
from models.literals import string_value
from models.marks import branch, decided, decision_sites, discarding, recorded
from models.pragmas import pragma_statement
from models.values import (
    BREAK,
    CONTINUE,
    Escape,
    Fn,
    Frame,
    Goto,
    Return,
    Scope,
    Stmt,
    check_pointer_types,
    convert,
    is_constant,
    truth,
)


class StatementCompiler(ExprCompiler):
    """Compiles statements; models.statements.Compiler adds functions and calls, and sets these up."""

    # Per function compiled, the "file:line:column" of each of its statements (_site).
    starts: dict[str, set[str]]
    _compiling: list[str]
    # The calls whose value is discarded (VALUE_NOT_KNOWN): an expression statement's, a for statement's third
    # expression's, a comma operator's left operand's (C11 6.5.17p2, 6.8.5.3p1).
    _discarded: set[c_ast.Node]

    def stmt(self, node: c_ast.Node, scope: Scope) -> Stmt:
        if isinstance(node, c_ast.Compound):  # the block notes its own start with its statements': one call a run
            depth, site = len(self.escapes), self._site(node)
            return self._jumps_ended(blocks.compound(self, node, scope, site), depth)
        site, run = self.stmt_site(node, scope)
        return recorded(run, site)

    def stmt_site(self, node: c_ast.Node, scope: Scope) -> tuple[str, Stmt]:
        """The statement's start ("file:line:column", kept in ``starts``) and the statement, which does not note
        it: its block does (models.marks.marked_sequence), or stmt()."""
        site, run, value = self.block_part(node, scope)
        return site, discarding(run) if value else run

    def block_part(self, node: c_ast.Node, scope: Scope) -> tuple[str, Stmt, bool]:
        """stmt_site(), but an expression statement comes as its expression's closure, flagged True: a block
        drops the value itself (models.marks.marked_sequence), without a wrapper call per statement run."""
        depth = len(self.escapes)
        method = getattr(self, "s_" + type(node).__name__, None)
        if method is not None:
            result: Stmt = method(node, scope)
            value = False
        else:
            self._discard(node)
            result, value = self.expr(node, scope)[0], True
        if len(self.escapes) > depth:
            result, value = self._jumps_ended(discarding(result) if value else result, depth), False
        return self._site(node), result, value

    def _jumps_ended(self, run: Stmt, depth: int) -> Stmt:
        """``run``, where a statement expression in it jumps out of itself (escapes past ``depth``): the jump
        ends this statement."""
        if len(self.escapes) <= depth:
            return run
        del self.escapes[depth:]
        return _catching(run)

    def _discard(self, node: c_ast.Node) -> None:
        """Note the call(s) whose value ``node``, an expression whose value is discarded, discards."""
        node = discarded_call(node)
        if isinstance(node, c_ast.ExprList):
            for e in node.exprs:
                self._discard(e)
        else:
            self._discarded.add(node)

    def x_ExprList(self, node: c_ast.ExprList, scope: Scope) -> tuple[Fn, CType]:
        for e in node.exprs[:-1]:  # a comma operator's left operands: their values are discarded
            self._discard(e)
        return super().x_ExprList(node, scope)

    def _site(self, node: c_ast.Node) -> str:
        """Where a statement starts ("file:line:column"), which a run notes in its ``ran`` when it executes it;
        every compiled statement's start is kept in ``starts`` (statement coverage: harness.reach). The
        column tells apart two statements of one line (``if (c) return -16;``)."""
        where = self.program.site(node.coord)  # the file's line, below a #line too (models.linecoord)
        self.starts.setdefault(self._compiling[-1] if self._compiling else "", set()).add(where)
        return where

    def current_function(self) -> str:
        return self._compiling[-1] if self._compiling else ""

    def mark(self, node: c_ast.Node) -> Stmt:
        """A statement that does nothing but count as run where ``node`` starts (a case label entered)."""
        return recorded(_nothing, self._site(node))

    def decision(self, test: Fn, node: c_ast.Node) -> Fn:
        """``test``, noting in the run's ``ran`` whether it came out true or false ("?file:line:column:T" or
        ":F", decision coverage: harness.linecover); the site is kept in ``starts`` as ":D". A constant (a macro's
        'while (0)', scoped_guard()'s 'ok' of a guard that cannot fail) is none: it has no other way to come out."""
        if is_constant(test):
            return test
        return decided(test, *self._decision_sites(node))

    def _decision_sites(self, node: c_ast.Node) -> tuple[str, str]:
        return decision_sites(self.program.site(node.coord).rpartition(":")[0], node,
                              self.starts.setdefault(self.current_function(), set()))

    def s_StaticAssert(self, node: c_ast.StaticAssert, scope: Scope) -> Stmt:
        check_static_assert(self, node, scope)
        return _nothing

    def s_Compound(self, node: c_ast.Compound, scope: Scope) -> Stmt:
        return blocks.compound(self, node, scope)

    def s_EmptyStatement(self, node: c_ast.Node, scope: Scope) -> Stmt:
        return lambda f: None

    def s_Pragma(self, node: c_ast.Pragma, scope: Scope) -> Stmt:
        pragma_statement(node, self.where(node.coord))  # a build's messages, a loop's build: nothing runs
        return _nothing

    def s_Return(self, node: c_ast.Return, scope: Scope) -> Stmt:
        ret, where = self._current_ret(scope), self.where(node.coord)
        fn, t = self.expr(node.expr, scope) if node.expr is not None else (_nothing, VOID)
        if ret is not None and (ret == VOID) != (node.expr is None) and (ret == VOID) != (t == VOID):  # gcc's
            # -Wreturn-type, which kbuild makes an error (a void value returned from a non-void one: convert())
            raise BuildFailure(where, f"'return' with {'a' if ret == VOID else 'no'} value, in function returning "
                                      f"{'' if ret == VOID else 'non-'}void [-Werror=return-type]")
        if node.expr is None:
            return lambda f: Return(None)
        if ret is not None:
            check_pointer_types(t, ret, where, "return")
        value = convert(fn, t, ret, where) if ret is not None else fn
        return lambda f: Return(value(f))

    def _current_ret(self, scope: Scope) -> CType | None:
        var = scope[0].get("#ret")
        return var.ctype if var is not None else None

    def s_If(self, node: c_ast.If, scope: Scope) -> Stmt:
        cf, ct = self.expr(node.cond, scope)
        sites = self._decision_sites(node.cond)
        then, other = flow.if_branches(self, node, scope)
        return branch(truth(cf, ct, self.where(node.cond.coord)), sites, then, other)

    def s_Goto(self, node: c_ast.Goto, scope: Scope) -> Stmt:
        # A signal to the enclosing block that holds the label (models.blocks.sequence): the kernel's cleanup
        # idiom ("goto out;" ... "out: ... return ret;") and backward retries; anything else is refused there.
        signal = Goto(node.name, self.where(node.coord))
        return lambda f: signal

    def s_Case(self, node: c_ast.Case | c_ast.Default, scope: Scope) -> Stmt:
        """A case label inside a statement under one of its switch's labels (Duff's device: models.nestedcases),
        reached by falling through: its statement. Elsewhere (not in a switch's body) gcc refuses it."""
        if node not in self.nested_cases:
            raise BuildFailure(self.where(node.coord), "case label not within a switch statement")
        body = [self.stmt(s, scope) for s in node.stmts or []]
        return body[0] if len(body) == 1 else blocks.sequence(body, False)

    s_Default = s_Case

    def s_Label(self, node: c_ast.Label, scope: Scope) -> Stmt:
        return self.stmt(node.stmt, scope) if node.stmt is not None else (lambda f: None)

    def s_Break(self, node: c_ast.Node, scope: Scope) -> Stmt:
        return lambda f: BREAK

    def s_Continue(self, node: c_ast.Node, scope: Scope) -> Stmt:
        return lambda f: CONTINUE

    def s_Decl(self, node: c_ast.Decl, scope: Scope) -> Stmt:
        return blocks.declare(self, node, scope)

    def s_DeclList(self, node: c_ast.DeclList, scope: Scope) -> Stmt:
        parts = [self.stmt(d, scope) for d in node.decls]
        return lambda f: [p(f) for p in parts] and None

    def s_While(self, node: c_ast.While, scope: Scope) -> Stmt:
        if isinstance(node, c_ast.For) and node.next is not None:
            self._discard(node.next)
        return flow.loop(self, node, scope)

    s_DoWhile = s_While
    s_For = s_While

    def s_Switch(self, node: c_ast.Switch, scope: Scope) -> Stmt:
        return flow.switch(self, node, scope)

    def initializer(self, init: c_ast.Node | None, t: CType, scope: Scope, zero: bool = False) -> Fn:
        return initializer(self, init, t, scope, zero)


def _nothing(f: Frame) -> None:
    return None


def discarded_call(node: c_ast.Node) -> c_ast.Node:
    """The call an expression statement makes and discards the value of, ``(void)`` casts off (``(void)f();``)."""
    while isinstance(node, c_ast.Cast) and "void" in getattr(getattr(node.to_type.type, "type", None), "names", ()) \
            and isinstance(node.to_type.type, c_ast.TypeDecl):
        node = node.expr
    return node


def _catching(stmt: Stmt) -> Stmt:
    def run(f: Frame) -> Any:
        try:
            return stmt(f)
        except Escape as jump:
            return jump.signal

    return run


def check_static_assert(c: ExprCompiler, node: c_ast.StaticAssert, scope: Scope) -> None:
    """_Static_assert (and static_assert, BUILD_BUG_ON*): a false constant fails the build, as in gcc."""
    value, _ = c.const(node.cond, scope)
    if not value:
        msg = string_value(node.message.value) if isinstance(node.message, c_ast.Constant) else ""
        raise BuildFailure(c.where(node.coord), f"static assertion failed: {msg}" if msg else
                           "static assertion failed")
