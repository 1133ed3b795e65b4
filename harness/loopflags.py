"""Counted retry loops read apart (harness.countedalike): their form, and forms read as another loop's.

A flag set right before the test that reads it, a local named nowhere else, is the test it holds: the loop's test reads
the value stored that round. A head-tested loop whose first round is made right before it is a do/while. A
``continue`` ending the round goes round as the body's end does.
"""

from __future__ import annotations

from pycparser import c_ast

from models.condeval import nodes
from models.condeval import shape as _shape
from models.consteval import const_value
from models.cparse import cleanup_of
from models.deadstores import own_local
from models.errors import MirrorError
from models.fileenums import FileScopeEnv
from models.leaftaint import param_names
from models.record import record


@record
class Form:
    """A counted retry loop read apart: it goes round again after a round when its answer ``test`` is ``keeps`` and
    its counter test allows; ``rest``: its body but the exit test's ``if``; ``tests``: the conditions it is read
    from."""

    test: c_ast.Node
    keeps: bool
    rest: c_ast.Node
    tests: tuple[c_ast.Node, ...]
    # The counter test as one that ends the loop where it is true (``!K`` of a do/while's ``A && K``); None where
    # the loop's own start and step take part (a head-tested ``for``).
    stops: c_ast.Node | None = None


def split_test(n: c_ast.Node) -> tuple[str, c_ast.Node, c_ast.Node] | None:
    """``A || K`` or ``A && K`` as (operator, A, K)."""
    if isinstance(n, c_ast.BinaryOp) and n.op in ("||", "&&"):
        return n.op, n.left, n.right
    return None


def upright(form: Form) -> tuple[object, bool]:
    """A form's answer test as a comparable value with the way it goes on: the test it goes on for, a ``!`` taken in
    (``!(A || B)`` is ``!A && !B``, ``!(x == y)`` is ``x != y``: C17 6.5.3.3p5, 6.5.13, 6.5.14, the same operands
    evaluated in the same order), so ``err != X`` leaving the loop is ``err == X`` keeping it going, and
    ``err == A || err == B`` leaving it ``err != A && err != B`` keeping it going."""
    return _shape(_truth(form.test) if form.keeps else _negated(form.test)), True


def _truth(n: c_ast.Node) -> c_ast.Node:
    """A test with each ``!`` taken in as far as ``==``/``!=`` (operands of ``&&``/``||`` are tests too)."""
    if isinstance(n, c_ast.UnaryOp) and n.op == "!":
        return _negated(n.expr)
    if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
        return c_ast.BinaryOp(n.op, _truth(n.left), _truth(n.right))
    return n


def _negated(n: c_ast.Node) -> c_ast.Node:
    """``!n`` with the ``!`` taken in (_truth)."""
    if isinstance(n, c_ast.UnaryOp) and n.op == "!":
        return _truth(n.expr)
    if isinstance(n, c_ast.BinaryOp) and n.op in ("==", "!="):
        return c_ast.BinaryOp("!=" if n.op == "==" else "==", n.left, n.right)
    if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
        return c_ast.BinaryOp("||" if n.op == "&&" else "&&", _negated(n.left), _negated(n.right))
    return c_ast.UnaryOp("!", n)


def flagged(func: c_ast.FuncDef, items: list[c_ast.Node]) -> tuple[Form, c_ast.Node] | None:
    """An endless loop's body ending in ``flag = A && K; if (!flag) break;`` (``bool flag = ...`` there, or ``A || K``
    and ``if (flag) break;``) as the Form of ``if (!(A && K)) break;``: the flag a local of ``func`` named nowhere
    else (no address taken, not read after), so the test reads the value stored right before it, every round."""
    if len(items) < 2:
        return None
    store, last = items[-2], items[-1]
    cond, negated = (last.cond.expr, True) if isinstance(last.cond, c_ast.UnaryOp) and last.cond.op == "!" \
        else (last.cond, False)
    if (stored := _flag_store(store)) is None:
        return None
    name, value, uses = stored
    split = split_test(value)
    if not isinstance(cond, c_ast.ID) or cond.name != name or split is None or split[0] != ("&&" if negated else "||"):
        return None
    if own_local(func, name, uses) is None:
        return None
    stops = c_ast.UnaryOp("!", split[2]) if negated else split[2]
    return Form(split[1], negated, c_ast.Compound(items[:-2]), (last.cond, value), stops), split[2]


def break_flagged(func: c_ast.FuncDef, items: list[c_ast.Node]) -> tuple[Form, c_ast.Node] | None:
    """An endless loop's body ending in ``flag = A; if (!(flag && K)) break;`` (``bool flag = A;`` there, or
    ``if (flag || K) break;`` for a flag of the stop's sense) as the Form of ``if (!(A && K)) break;``: the flag a
    local of ``func`` named nowhere else, so the test reads the value stored right before it, every round."""
    if len(items) < 2:
        return None
    store, last = items[-2], items[-1]
    negated = isinstance(last.cond, c_ast.UnaryOp) and last.cond.op == "!"
    split = split_test(last.cond.expr if negated else last.cond)
    if (stored := _flag_store(store)) is None:
        return None
    name, value, uses = stored
    if split is None or split[0] != ("&&" if negated else "||") or not isinstance(split[1], c_ast.ID) or \
            split[1].name != name or own_local(func, name, uses) is None:
        return None
    stops = c_ast.UnaryOp("!", split[2]) if negated else split[2]
    return Form(value, negated, c_ast.Compound(items[:-2]), (last.cond, value), stops), split[2]


def head_flagged(func: c_ast.FuncDef, loop: c_ast.While, items: list[c_ast.Node]) -> tuple[Form, c_ast.Node] | None:
    """``while (flag) { ...; flag = A && K; }``, the flag declared once in the block that holds the loop, before it,
    with a constant that is not zero (``while (!flag)``: zero, and ``A || K``), as the Form of ``do { ... } while
    (A && K);``: the first round runs, and each later one where the store right before the test let it. The flag a
    local of ``func`` named nowhere else, no ``goto`` in ``func`` (the caller refuses a ``continue``, which would
    skip the store and test the old value)."""
    negated = isinstance(loop.cond, c_ast.UnaryOp) and loop.cond.op == "!"
    cond = loop.cond.expr if negated else loop.cond
    last = items[-1] if items else None
    if not isinstance(cond, c_ast.ID) or not isinstance(last, c_ast.Assignment) or last.op != "=" or \
            not isinstance(last.lvalue, c_ast.ID) or last.lvalue.name != cond.name:
        return None
    split, name = split_test(last.rvalue), cond.name
    if split is None or split[0] != ("||" if negated else "&&") or \
            any(isinstance(x, (c_ast.Goto, c_ast.Label)) for x in nodes(func.body)):
        return None
    decl = own_local(func, name, 2)
    if decl is None or not isinstance(decl.type, c_ast.TypeDecl) or not _before(func.body, decl, loop):
        return None
    try:
        start = const_value(decl.init, FileScopeEnv({}))[0] if decl.init is not None else None
    except (MirrorError, ArithmeticError, ValueError):
        return None
    if start is None or bool(start) is negated:
        return None
    stops = split[2] if negated else c_ast.UnaryOp("!", split[2])
    return Form(split[1], not negated, c_ast.Compound(items[:-1]), (loop.cond, last.rvalue), stops), split[2]


def tail_flagged(func: c_ast.FuncDef, loop: c_ast.DoWhile, items: list[c_ast.Node]) -> tuple[Form, c_ast.Node] | None:
    """``do { ...; flag = A; } while (flag && K);`` (``!flag && K`` for a flag of the other sense) as the Form of
    ``do { ... } while (A && K);``: the flag a local of ``func`` named nowhere else but in that store and that test
    (no address taken, not read after), no ``goto`` in ``func``, so the test reads the value stored right before it,
    every round (the caller refuses a ``continue``, which would skip the store). Statements may follow the store in
    the round where A reads the same after them (_unchanged): ``flag = A; pr_debug(...);`` tests what A tests."""
    split = split_test(loop.cond)
    if split is None or split[0] != "&&":
        return None
    negated = isinstance(split[1], c_ast.UnaryOp) and split[1].op == "!"
    flag = split[1].expr if negated else split[1]
    at = next((i for i in range(len(items) - 1, -1, -1) if _stores(items[i], flag)), None)
    if at is None or own_local(func, flag.name, 2) is None or \
            any(isinstance(x, (c_ast.Goto, c_ast.Label)) for x in nodes(func.body)):
        return None
    last = items[at]
    if at < len(items) - 1 and not _unchanged(func, last.rvalue, items[at + 1:]):
        return None
    test = c_ast.UnaryOp("!", last.rvalue) if negated else last.rvalue
    rest = c_ast.Compound(items[:at] + items[at + 1:])
    return Form(test, True, rest, (loop.cond, last.rvalue), c_ast.UnaryOp("!", split[2])), split[2]


def _stores(item: c_ast.Node, flag: c_ast.Node) -> bool:
    """Whether ``item`` is the statement ``flag = ...;`` (``flag`` an identifier)."""
    return isinstance(flag, c_ast.ID) and isinstance(item, c_ast.Assignment) and item.op == "=" and \
        isinstance(item.lvalue, c_ast.ID) and item.lvalue.name == flag.name


_PLAIN = (c_ast.ID, c_ast.Constant, c_ast.BinaryOp, c_ast.UnaryOp, c_ast.Cast, c_ast.TypeDecl, c_ast.Typename,
          c_ast.IdentifierType, c_ast.PtrDecl)


def _unchanged(func: c_ast.FuncDef, value: c_ast.Node, after: list[c_ast.Node]) -> bool:
    """Whether ``value`` (what the flag stores) reads the same after ``after``, the statements of the round past the
    store: it reads locals of ``func`` and constants alone (no call, member, element or dereference, nothing
    ``++``/``--`` or ``&`` of), whose address ``func`` never takes, and ``after`` assigns none of them, steps none,
    and holds no jump (``break``, ``return``, ``goto``) that would leave the round before its test."""
    if any(not isinstance(x, _PLAIN) or (isinstance(x, c_ast.UnaryOp) and x.op in _WRITES_OR_REFS)
           for x in nodes(value)):
        return False
    names = {x.name for x in nodes(value) if isinstance(x, c_ast.ID)}
    if any(_local(func, n) is None for n in names) or any(
            isinstance(x, c_ast.UnaryOp) and x.op == "&" and isinstance(x.expr, c_ast.ID) and x.expr.name in names
            for x in nodes(func.body)):
        return False
    for x in (y for item in after for y in nodes(item)):
        if isinstance(x, (c_ast.Break, c_ast.Return, c_ast.Goto, c_ast.Label, c_ast.Continue)) or \
                (isinstance(x, c_ast.Assignment) and _named(x.lvalue) & names) or \
                (isinstance(x, c_ast.UnaryOp) and x.op in _WRITES_OR_REFS and _named(x.expr) & names):
            return False
    return True


_WRITES_OR_REFS = ("++", "--", "p++", "p--", "&", "*")


def _named(n: c_ast.Node) -> set[str]:
    return {x.name for x in nodes(n) if isinstance(x, c_ast.ID)}


def _local(func: c_ast.FuncDef, name: str) -> c_ast.Decl | None:
    """The declaration of ``name`` where it is a local of ``func`` declared once, not static; else None."""
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == name]
    return decls[0] if name not in param_names(func) and len(decls) == 1 and not decls[0].storage else None


def breaks(n: c_ast.Node | None) -> bool:
    """Whether a statement is ``break;`` or a block holding it alone."""
    if isinstance(n, c_ast.Compound) and n.block_items and len(n.block_items) == 1:
        n = n.block_items[0]
    return isinstance(n, c_ast.Break)


def else_broken(last: c_ast.Node | None) -> tuple[c_ast.Node, c_ast.Node] | None:
    """(A, K) of ``if (A) break; else if (K) break;`` (the inner ``if`` with no ``else``): ``if (A || K) break;``,
    K asked only where A is false as ``||`` asks it (C17 6.5.14p4); None for another statement."""
    inner = last.iffalse if isinstance(last, c_ast.If) else None
    if isinstance(inner, c_ast.Compound) and inner.block_items and len(inner.block_items) == 1:
        inner = inner.block_items[0]
    if not isinstance(last, c_ast.If) or not isinstance(inner, c_ast.If) or inner.iffalse is not None or \
            not breaks(last.iftrue) or not breaks(inner.iftrue):
        return None
    return last.cond, inner.cond


def do_broken(loop: c_ast.DoWhile, items: list[c_ast.Node]) -> tuple[Form, c_ast.Node] | None:
    """``do { ...; if (A) break; } while (K);`` (K no ``&&`` or ``||`` of its own, which the caller reads otherwise) as
    the Form of ``for (;;) { ...; if (A || !K) break; }``: the round ends leaving where A holds, else the loop's test
    asks K, as ``||`` asks it only where A is false. The caller refuses a ``continue`` (which would go to K past A)."""
    last = items[-1] if items else None
    go = last.iftrue.block_items if isinstance(last, c_ast.If) and isinstance(last.iftrue, c_ast.Compound) else \
        [last.iftrue] if isinstance(last, c_ast.If) else []
    if split_test(loop.cond) is not None or not isinstance(last, c_ast.If) or last.iffalse is not None or \
            len(go or []) != 1 or not isinstance(go[0], c_ast.Break):
        return None
    return Form(last.cond, False, c_ast.Compound(items[:-1]), (last.cond, loop.cond), c_ast.UnaryOp("!", loop.cond)), \
        loop.cond


def continued(func: c_ast.FuncDef, items: list[c_ast.Node], loop: c_ast.Node | None = None
              ) -> tuple[Form, c_ast.Node] | None:
    """An endless loop's body ending in ``if (A && K) continue; break;`` as the Form of ``if (!(A && K)) break;``:
    the ``continue`` goes to the end of the loop body (C11 6.8.6.2), where the round ends anyway, and the ``break``
    right after the ``if`` runs where its test is false. A do/while's ``loop`` (K its test, no ``&&`` or ``||`` of
    its own) ending in ``if (A) continue; break;`` is do_broken's ``if (!A) break;``: the ``continue`` goes to the
    loop's test. No other ``continue`` in the body (a round left early, before the test, is not read here); ``func``
    has no ``goto`` or label (a jump past the test)."""
    if len(items) < 2 or not isinstance(items[-1], c_ast.Break):
        return None
    last = items[-2]
    go = last.iftrue.block_items if isinstance(last, c_ast.If) and isinstance(last.iftrue, c_ast.Compound) else \
        [last.iftrue] if isinstance(last, c_ast.If) else []
    if not isinstance(last, c_ast.If) or last.iffalse is not None or len(go or []) != 1 or \
            not isinstance(go[0], c_ast.Continue):
        return None
    if any(isinstance(x, c_ast.Continue) for item in items[:-2] for x in nodes(item)) or \
            any(isinstance(x, (c_ast.Goto, c_ast.Label)) for x in nodes(func.body)):
        return None
    if isinstance(loop, c_ast.DoWhile):
        return None if split_test(loop.cond) is not None else (Form(
            last.cond, True, c_ast.Compound(items[:-2]), (last.cond, loop.cond), c_ast.UnaryOp("!", loop.cond)),
            loop.cond)
    split = split_test(last.cond)
    if split is None or split[0] != "&&":
        return None
    return Form(split[1], True, c_ast.Compound(items[:-2]), (last.cond,), c_ast.UnaryOp("!", split[2])), split[2]


def peeled(func: c_ast.FuncDef, loop: c_ast.While, items: list[c_ast.Node]) -> tuple[Form, c_ast.Node] | None:
    """``ROUND; while (A && K) { ROUND }``, the loop's body the very statements right before it in the block that
    holds it (its first round made before it), as the Form of ``do { ROUND } while (A && K);``: the same statements
    run, then the same test, round after round. No jump, label or declaration in ROUND (a declaration would be of
    another scope before the loop). Statements may follow the first round, before the loop, where A reads the same
    after them (_unchanged: ``ROUND; trace(err); while (A && K) { ROUND }``) and they declare nothing: the first
    test reads what it would have read right after the round (K's counters are named nowhere else, _counters)."""
    from models.condeval import shape

    split = split_test(loop.cond)
    if split is None or split[0] != "&&" or not items or any(
            isinstance(x, (c_ast.Break, c_ast.Continue, c_ast.Return, c_ast.Goto, c_ast.Label, c_ast.Decl))
            for item in items for x in nodes(item)):
        return None
    block = _preceding(func.body, loop)
    want = [shape(x) for x in items]
    for more in range(len(block) - len(items) + 1):
        before, after = block[len(block) - more - len(items):len(block) - more], block[len(block) - more:]
        if [shape(x) for x in before] == want and (not after or (not any(
                isinstance(x, c_ast.Decl) for y in after for x in nodes(y)) and _unchanged(func, split[1], after))):
            return Form(split[1], True, c_ast.Compound(items), (loop.cond,), c_ast.UnaryOp("!", split[2])), split[2]
    return None


def _preceding(body: c_ast.Node, loop: c_ast.Node) -> list[c_ast.Node]:
    """The statements before ``loop`` in the block that holds it."""
    for n in nodes(body):
        items = n.block_items or [] if isinstance(n, c_ast.Compound) else []
        at = next((i for i, x in enumerate(items) if x is loop), None)
        if at is not None:
            return list(items[:at])
    return []


def _before(body: c_ast.Node, decl: c_ast.Decl, loop: c_ast.Node) -> bool:
    """Whether ``decl`` is a statement of the block that holds ``loop``, before it."""
    for n in nodes(body):
        items = n.block_items or [] if isinstance(n, c_ast.Compound) else []
        at = next((i for i, x in enumerate(items) if x is loop), None)
        if at is not None:
            return any(x is decl for x in items[:at])
    return False


def _flag_store(store: c_ast.Node) -> tuple[str, c_ast.Node, int] | None:
    """(name, value, how often the function names it as an identifier, the declaration aside: own_local's
    ``uses``) of ``flag = A;`` (2: the store and the test) or ``bool flag = A;`` without a cleanup (1: the test);
    None for any other statement."""
    if isinstance(store, c_ast.Assignment) and store.op == "=" and isinstance(store.lvalue, c_ast.ID):
        return store.lvalue.name, store.rvalue, 2
    if isinstance(store, c_ast.Decl) and store.init is not None and cleanup_of(store) is None:
        return store.name, store.init, 1
    return None
