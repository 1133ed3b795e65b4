"""A retry loop that goes round again for no answer: its tests never let it.

Its tests, read as sets of answers, never let it: a helper deciding the retry whose every path returns false, ``switch
(err) { case X: fallthrough; default: return false; }``.

A loop's tests (models.retryloop's steps: its condition, an ``if (T) break;``) are worked out for each answer they
tell apart: every constant the answer is compared with, every code of a helper handed the answer alone (read as a
set, models.retryset), and one answer that is none of those, which stands for all the others, since ``==``, ``!=``,
``!``, ``&&``, ``||``, likely()/unlikely() and a helper's set tell no two of those apart. Anything else in a test
(a counter, ``<``, a mask, a call not read) is not worked out: where it could decide, the loop may go round, and
nothing is claimed; nor is a loop with another if or switch of its body that jumps (a ``continue`` past the exit
test). ``&&`` with a part false for the answer is false whatever the rest reads (``--left``).

The answer is read as the local holding it holds it, in its declared integer type (``int err``: the low 32 bits,
sign-extended when compared with a 64-bit constant, C11 6.3.1.3 and 6.3.1.8 as gcc does on x86-64:
models.retryints), where every store in it is of a call's result uncast; a comparison converts both sides to their
common type. The answer standing for all the others is one whose stored value is none of the constants'. A helper is
not read for an answer held in a type narrower than 64 bits, or signed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pycparser import c_ast

from models.cparse import all_nodes
from models.errors import UnsupportedConstruct
from models.retryints import NotRead, binary, constant, converted, named_type
from models.retryloop import _EXPECT, _loops, _results, _spelt, _steps

if TYPE_CHECKING:
    from models.ctype import Int
    from models.retryset import Codes

# The set of answers a helper call handed the answer alone holds for (models.retryset.answer_codes), or None.
HelperSet = Callable[[c_ast.FuncCall, str], "Codes | None"]


def goes_round_for_none(func: c_ast.FuncDef, helper: HelperSet) -> tuple[str, tuple[object, ...]] | None:
    """Where every retry loop of ``func`` (a loop storing a call's result that its tests read) goes round again for
    no answer: (what says so, the coords of those tests); None where one may, or none is such a loop."""
    said: list[str] = []
    coords: list[object] = []
    named: set[str] = set()
    kept: set[str] = set()  # an answer held in a narrower or signed type, which decided
    for loop in _loops(func.body):
        held = frozenset(_results((*loop.body, *loop.tests)))
        steps = _steps(loop)
        if not held or not any(_reads(t, held) for t, _ in steps):
            continue
        if any(keep is None for _, keep in steps):
            return None  # an if or switch of the body that jumps (a continue past the exit test): not worked out
        ev = _Eval(held, helper, _held_types(func, held))
        if any(all(_may_go_on(ev, t, keep, a) for t, keep in steps) for a in ev.answers([t for t, _ in steps])):
            return None
        said.append(" / ".join(f"'{_spelt(t)}'" for t, _ in steps))
        coords += [t.coord for t, _ in steps]
        named |= ev.helpers
        kept |= {f"'{n}' keeps it as {t.spelled}" for n, t in ev.types.items() if t.bits != 64 or t.signed}
    if not said:
        return None
    notes = [*(f"{n}() is true for none" for n in sorted(named)), *sorted(kept)]
    why = f" ({', '.join(notes)})" if notes else ""
    return f"its test {'; '.join(said)} is false for every answer{why}", tuple(coords)


def _held_types(func: c_ast.FuncDef, held: frozenset[str]) -> dict[str, Int]:
    """The integer type of each local of ``held`` declared once, whose every store (its declaration's value too) is a
    call's result uncast (``err = op(fn, args);``); the others are read as holding the answer itself."""
    found: dict[str, Int] = {}
    decls = [n for n in all_nodes(func.body) if isinstance(n, c_ast.Decl) and n.name in held]
    stores = [n for n in all_nodes(func.body) if isinstance(n, (c_ast.Assignment, c_ast.UnaryOp))]
    for name in held:
        own = [d for d in decls if d.name == name]
        t = named_type(own[0].type) if len(own) == 1 and (own[0].init is None or isinstance(
            own[0].init, c_ast.FuncCall)) else None
        mine = [n for n in stores if isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID)
                and n.lvalue.name == name]
        stepped = any(isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") and
                      isinstance(n.expr, c_ast.ID) and n.expr.name == name for n in stores)
        if t is not None and not stepped and all(n.op == "=" and isinstance(n.rvalue, c_ast.FuncCall) for n in mine):
            found[name] = t
    return found


def _reads(test: c_ast.Node, held: frozenset[str]) -> bool:
    todo = [test]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.ID) and n.name in held:
            return True
        todo.extend(c for _, c in n.children())
    return False


def _may_go_on(ev: _Eval, test: c_ast.Node, keep: bool | None, answer: int) -> bool:
    v = ev.value(test, answer)
    return v is None or bool(v) == keep


class _Eval:
    """Tests of the answer held in ``held``, worked out for one answer at a time."""

    def __init__(self, held: frozenset[str], helper: HelperSet, types: dict[str, Int] | None = None) -> None:
        self.held, self.helper, self.types = held, helper, types or {}
        self.sets: dict[int, Codes | None] = {}
        self.helpers: set[str] = set()  # the helpers whose set some test read

    def answers(self, tests: list[c_ast.Node]) -> set[int]:
        """The answers the tests tell apart, and one that is none of them."""
        found: set[int] = set()
        todo = list(tests)
        while todo:
            n = todo.pop()
            if (c := self._constant(n)) is not None:
                found.add(c)
            elif (s := self._set(n)) is not None:
                found |= s.codes
            todo.extend(c for _, c in n.children())
        other = max(found, default=0) + 1
        for _ in range(len(found) + 1):  # its stored value none of the constants' (each step moves it by one)
            if not any(self._stored(other, t) in {self._stored(c, t) for c in found} for t in self.types.values()):
                break
            other += 1
        return found | {other}

    @staticmethod
    def _stored(answer: int, t: Int) -> int:
        return int(converted(answer, t))

    def _set(self, n: c_ast.Node) -> Codes | None:
        """The set of answers a helper call handed the answer alone holds for (read once per call)."""
        if not isinstance(n, c_ast.FuncCall) or not isinstance(n.name, c_ast.ID) or n.name.name in _EXPECT:
            return None
        args = n.args.exprs if n.args is not None else []
        if len(args) != 1 or not isinstance(args[0], c_ast.ID) or args[0].name not in self.held:
            return None
        t = self.types.get(args[0].name)
        if t is not None and (t.bits != 64 or t.signed):  # the helper reads what the narrower local kept
            return None
        if id(n) not in self.sets:
            self.sets[id(n)] = self.helper(n, args[0].name)
        return self.sets[id(n)]

    @staticmethod
    def _constant(n: c_ast.Node) -> int | None:
        """An integer constant's value, of the type C gives it (models.retryints.constant)."""
        if not isinstance(n, c_ast.Constant) or n.type not in ("int", "unsigned int", "long int", "unsigned long int",
                                                               "long long int", "unsigned long long int"):
            return None
        try:
            int(n.value.rstrip("uUlL"), 0) if n.value.rstrip("uUlL") not in ("", "0") else 0  # what is read
            return constant(n.value)
        except (ValueError, UnsupportedConstruct):
            return None

    def value(self, n: c_ast.Node, answer: int) -> int | None:
        """The test's value for ``answer``; None where it reads more than ==, !=, !, &&, || and helpers' sets."""
        if isinstance(n, c_ast.ID) and n.name in self.held:
            return converted(answer, self.types.get(n.name))
        if (c := self._constant(n)) is not None:
            return c
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in _EXPECT:
            return self.value(n.args.exprs[0], answer) if n.args is not None and n.args.exprs else None
        if (s := self._set(n)) is not None:
            assert isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID)
            self.helpers.add(n.name.name)
            return int((answer in s.codes) != s.rest)
        if isinstance(n, c_ast.UnaryOp) and n.op == "!":
            v = self.value(n.expr, answer)
            return None if v is None else int(not v)
        if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            a, b = self.value(n.left, answer), self.value(n.right, answer)
            decided = 0 if n.op == "&&" else 1
            if decided in (None if a is None else int(bool(a)), None if b is None else int(bool(b))):
                return decided
            return None if a is None or b is None else int(bool(a) and bool(b) if n.op == "&&" else bool(a) or bool(b))
        if isinstance(n, c_ast.BinaryOp) and n.op in ("==", "!="):
            a, b = self.value(n.left, answer), self.value(n.right, answer)
            if a is None or b is None:
                return None
            try:  # both sides converted to their common type (C11 6.3.1.8)
                return int(binary(n.op, a, b, lambda x, y: int((x == y) == (n.op == "=="))))
            except NotRead:
                return None
        return None
