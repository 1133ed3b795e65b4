"""Loop tests a rewrite turns inside out: ``do { ... } while (C);`` made ``for (;;) { ...; if (!C) break; }``.

A ``while`` whose body stands right before it (``B; while (C) { B; }``) tests after each run of the body, as a
``do``/``while``; so does ``again: B; if (C) goto again;`` (its label the only target of that goto, no ``break`` or
``continue`` between): each is a tail test, true to go on.

The two loops run the same statements in the same order, and leave at the same point, when one's test is the
other's negation at the same end of the body, and the body holds no ``continue`` (in a ``do``/``while`` it goes to
the test, in ``for (;;)`` past it). models.neighbours pairs the two tests as one changed condition; read as they are,
they come out opposite for every value (one says go on, the other stop), and no run could ever tell them apart:
the rewrite read as a changed condition none of the runs decides. Here the exit test is turned into the test to go
on by De Morgan's laws (C11 6.5.3.3, 6.5.13, 6.5.14: in a test only truth counts, so ``!x`` turned is ``x``), and
where it is then the other's test, shape for shape, the two are the same decision. ``likely(E)``, ``unlikely(E)``
(include/linux/compiler.h: ``__builtin_expect(!!(E), 1)``, 0), ``__builtin_expect(E, c)`` and ``!!E`` have E's
truth (gcc's __builtin_expect returns its first argument), so in a test they are read as E: ``while
(unlikely(err == X))`` is the test ``err == X``, as ``while (err == X)`` on the other side is, rewritten or not (a
test reading a counter, ``--left``, is no condition models.neighbours can work out both ways: it read as changed).
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import nodes
from models.condeval import shape as _shape

_FLIPPED = {"==": "!=", "!=": "==", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_SAME = {("tail", "break-tail"), ("head", "break-head"), ("goto-tail", "break-tail")}
_EXPECT = {"likely": 1, "unlikely": 1, "__builtin_expect": 2}  # name -> its arguments; the test is the first


def _continues(body: c_ast.Node | None) -> bool:
    return body is not None and any(isinstance(x, c_ast.Continue) for x in nodes(body))


def _breaks(s: c_ast.Node) -> bool:
    """Whether a statement is ``if (E) break;`` (braced or not), nothing else."""
    then = s.iftrue if isinstance(s, c_ast.If) and s.iffalse is None else None
    if isinstance(then, c_ast.Compound):
        then = then.block_items[0] if then.block_items and len(then.block_items) == 1 else None
    return isinstance(then, c_ast.Break)


def _forever(n: c_ast.Node) -> bool:
    """``for (;;)`` or ``while (1)``: a loop only a statement of its body leaves."""
    if isinstance(n, c_ast.For):
        return n.init is None and n.cond is None and n.next is None
    return isinstance(n, c_ast.While) and isinstance(n.cond, c_ast.Constant) and n.cond.value not in ("0", "0U")


def _roles(func: c_ast.FuncDef) -> dict[int, str]:
    """Each loop test of the function (by its node's id) whose loop has no ``continue``, by where it is and what it
    says: 'tail' (``do``/``while``'s, true to go on), 'head' (``while``'s), 'break-tail' and 'break-head' (``if (E)
    break;`` last or first in the body of ``for (;;)`` or ``while (1)``, true to stop)."""
    out: dict[int, str] = {}
    for n in nodes(func.body):
        if not isinstance(n, (c_ast.DoWhile, c_ast.While, c_ast.For)) or _continues(n.stmt):
            continue
        if isinstance(n, c_ast.DoWhile):
            out[id(n.cond)] = "tail"
        elif isinstance(n, c_ast.While) and not _forever(n):
            out[id(n.cond)] = "tail" if _peeled(func, n) else "head"
        elif _forever(n) and isinstance(n.stmt, c_ast.Compound) and n.stmt.block_items:
            items = n.stmt.block_items
            out.update({id(items[0].cond): "break-head"} if _breaks(items[0]) else {})
            out.update({id(items[-1].cond): "break-tail"} if _breaks(items[-1]) and len(items) > 1 else {})
    out.update(_goto_tails(func))
    return out


def _peeled(func: c_ast.FuncDef, loop: c_ast.While) -> bool:
    """Whether a ``while`` loop's body stands, statement for statement, right before it in its block (``B; while (C)
    { B; }``): the body runs once before the test, which then comes after each run of it, as a ``do``/``while``'s."""
    body = loop.stmt.block_items if isinstance(loop.stmt, c_ast.Compound) else [loop.stmt]
    for block in (n for n in nodes(func.body) if isinstance(n, c_ast.Compound) and n.block_items):
        items = block.block_items
        at = next((i for i, x in enumerate(items) if x is loop), None)
        if at is not None:
            return bool(body) and at >= len(body) and \
                [_shape(x) for x in items[at - len(body):at]] == [_shape(x) for x in body]
    return False


def _goto_tails(func: c_ast.FuncDef) -> dict[int, str]:
    """Each ``if (E) goto L;`` whose label L starts an earlier statement of the same block, with no other ``goto L``
    in the function and no ``break``, ``continue`` or label between (``again: B; if (E) goto again;``): a
    ``do { B } while (E);`` written with a label, 'goto-tail', true to go on."""
    return {id(s.cond): "goto-tail" for s, nested in _tail_gotos(func) if nested is None}


def _tail_gotos(func: c_ast.FuncDef) -> list[tuple[c_ast.If, c_ast.If | None]]:
    """The ``if`` of each goto tail (_goto_tails), or of each ``if (A) { if (K) goto L; }`` that is one (no ``else``,
    nothing else in either block: ``if (A && K) goto L;``, K tested only where A holds, C17 6.5.13p4) with its
    inner ``if``."""
    out: list[tuple[c_ast.If, c_ast.If | None]] = []
    gotos = [x.name for x in nodes(func.body) if isinstance(x, c_ast.Goto)]
    for block in (n for n in nodes(func.body) if isinstance(n, c_ast.Compound) and n.block_items):
        items = block.block_items
        for i, s in enumerate(items):
            then = _sole(s.iftrue) if isinstance(s, c_ast.If) and s.iffalse is None else None
            inner = then if isinstance(then, c_ast.If) and then.iffalse is None else None
            then = _sole(inner.iftrue) if inner is not None else then
            if not isinstance(then, c_ast.Goto) or gotos.count(then.name) != 1:
                continue
            start = next((j for j in range(i) if isinstance(items[j], c_ast.Label) and items[j].name == then.name),
                         None)
            between = items[start:i] if start is not None else []
            if between and not any(isinstance(x, (c_ast.Break, c_ast.Continue)) or
                                   (isinstance(x, c_ast.Label) and x is not items[start])
                                   for b in between for x in nodes(b)):
                out.append((s, inner))
    return out


def _sole(n: c_ast.Node | None) -> c_ast.Node | None:
    """A statement, or the one statement of a block holding one."""
    if isinstance(n, c_ast.Compound):
        return n.block_items[0] if n.block_items and len(n.block_items) == 1 else None
    return n


def same_nested_goto(pa: Program, fa: str, a: list[c_ast.Node], pb: Program, fb: str, b: list[c_ast.Node]) -> bool:
    """Whether the conditions one side replaced by others are one loop test: one side's ``if (A) { if (K) goto L;
    }``'s two tests, A then K, against the other's one loop test (same_loop_test's rule) where ``A && K`` is that
    loop's tail test, true to go on (_tail_gotos), as its ``if (A && K) goto L;`` would be."""
    for (p1, f1, one), (p2, f2, two) in (((pa, fa, a), (pb, fb, b)), ((pb, fb, b), (pa, fa, a))):
        func = p2.functions.get(f2)
        if len(one) != 1 or len(two) != 2 or func is None:
            continue
        tail = next((s for s, inner in _tail_gotos(func) if inner is not None and s.cond is two[0]
                     and inner.cond is two[1]), None)
        other = p1.functions.get(f1)
        if tail is None or other is None:
            continue
        merged = c_ast.BinaryOp("&&", two[0], two[1], two[0].coord)
        role = _roles(other).get(id(one[0]))
        if role == "break-tail" and _shape(_truth(one[0], p1)) == _shape(_truth(_negated(_truth(merged, p2)), p2)):
            return True
        if role == "goto-tail" and _shape(_truth(one[0], p1)) == _shape(_truth(merged, p2)):
            return True
    return False


def _negated(n: c_ast.Node) -> c_ast.Node:
    """A test's negation as C's rules write it (De Morgan, a comparison flipped, ``!x`` as ``x``): for a test's
    truth only."""
    if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
        return c_ast.BinaryOp("||" if n.op == "&&" else "&&", _negated(n.left), _negated(n.right), n.coord)
    if isinstance(n, c_ast.BinaryOp) and n.op in _FLIPPED:
        return c_ast.BinaryOp(_FLIPPED[n.op], n.left, n.right, n.coord)
    if isinstance(n, c_ast.UnaryOp) and n.op == "!":
        return n.expr
    return c_ast.UnaryOp("!", n, n.coord)


def _truth(n: c_ast.Node, program: Program) -> c_ast.Node:
    """A test as its truth reads it: likely()/unlikely()/__builtin_expect() (unless the program defines the name)
    and ``!!`` taken off, in the operands of ``&&``, ``||`` and ``!`` too (a test's truth only)."""
    while True:
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None and \
                len(n.args.exprs) == _EXPECT.get(n.name.name, -1) and n.name.name not in program.functions:
            n = n.args.exprs[0]
        elif isinstance(n, c_ast.UnaryOp) and n.op == "!" and isinstance(n.expr, c_ast.UnaryOp) and n.expr.op == "!":
            n = n.expr.expr
        else:
            break
    if isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
        return c_ast.BinaryOp(n.op, _truth(n.left, program), _truth(n.right, program), n.coord)
    if isinstance(n, c_ast.UnaryOp) and n.op == "!":
        return c_ast.UnaryOp("!", _truth(n.expr, program), n.coord)
    return n


def same_loop_test(pa: Program, fa: str, a: c_ast.Node, pb: Program, fb: str, b: c_ast.Node) -> bool:
    """Whether test ``a`` of ``fa`` and ``b`` of ``fb`` are one test: the same once likely()/unlikely() are taken
    off (``while (unlikely(ret == X))`` and ``while (ret == X)``: any decision, each a test's truth), or one loop's
    test turned inside out (the module's rule): a ``do``/``while`` test against the negation of the last ``if (...)
    break;`` of a ``for (;;)``, or a ``while`` test against the first one's, either way round."""
    fx, fy = pa.functions.get(fa), pb.functions.get(fb)
    if fx is None or fy is None:
        return False
    if _shape(_truth(a, pa)) == _shape(_truth(b, pb)):
        return True  # the same test, in likely()/unlikely() on one side only (or in other ones)
    ra, rb = _roles(fx).get(id(a)), _roles(fy).get(id(b))
    if (ra, rb) in _SAME:
        return _shape(_truth(a, pa)) == _shape(_truth(_negated(_truth(b, pb)), pb))
    if (rb, ra) in _SAME:
        return _shape(_truth(b, pb)) == _shape(_truth(_negated(_truth(a, pa)), pa))
    return False
