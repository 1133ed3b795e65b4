"""A ``switch`` on a retry loop's answer read as the ``if (A) return R;`` it is, for harness.countedalike."""

# 'switch (err) { case TDX_RND_NO_ENTROPY: break; default: return err; }' leaves the switch for the codes it retries
# on and returns otherwise: it is 'if (err != TDX_RND_NO_ENTROPY) return err;'. A switch converts each case constant
# to the promoted type of what it tests (C17 6.8.4.2p5), where '==' converts both sides to their common type: alike
# where what it tests is of 64 bits, which every integer constant a case may hold converts to with its bits kept.

from __future__ import annotations

from collections.abc import Callable, Mapping

from pycparser import c_ast

from models.condeval import nodes
from models.condeval import shape as _shape
from models.deadstores import Tags, unread_store
from models.retryints import named_through, named_type
from models.valuecalls import pure_in

_Typedef = Callable[[str], c_ast.Node | None] | None  # a typedef name of the files -> its type (file_typedef)
_Go = tuple[c_ast.Node, tuple[c_ast.Node, ...]]  # a group's 'if (K) continue;' (or 'continue;'), the tests read
_Group = tuple[list[c_ast.Node | None], list[c_ast.Node]]  # (case constants, None for default; statements)


def unswitched(func: c_ast.FuncDef, sw: c_ast.Switch, last: bool = False, typedef: _Typedef = None
               ) -> tuple[c_ast.If, tuple[c_ast.Node, ...]] | None:
    """``sw`` as ``if (A) return R;`` and the case constants A tests, where its body is case groups each holding one
    ``break;`` or one ``return R;`` (the same R, no fall-through), some of each or a missing default breaking, on a
    local of ``func`` declared once with a 64-bit integer type, or a cast of one to a 64-bit integer type (the case
    constants converted to it compare its bits as ``==`` does: C17 6.8.4.2p5, 6.3.1.8); None otherwise. ``last``: the
    switch is the last statement of a loop's body, where a group's ``continue;`` goes round again as leaving the
    switch does (C17 6.8.6.2: to the end of the body), read as its ``break;``. ``typedef``: the files' typedefs (a
    local declared with one, _wide)."""
    groups = _groups(sw, last)
    tested = _wide(func, sw.cond, typedef)
    if groups is None or tested is None:
        return None
    returns = [stmts[0] for _, stmts in groups if isinstance(stmts[0], c_ast.Return)]
    if not returns or any(r.expr is None or _shape(r.expr) != _shape(returns[0].expr) for r in returns):
        return None
    leaving = [label for labels, stmts in groups if isinstance(stmts[0], c_ast.Return) for label in labels]
    staying = [label for labels, stmts in groups if isinstance(stmts[0], (c_ast.Break, c_ast.Continue))
               for label in labels]
    if None in leaving:  # the default returns: every constant but those that break
        test = _joined("&&", [c_ast.BinaryOp("!=", tested, c) for c in staying if c is not None])
    else:
        test = _joined("||", [c_ast.BinaryOp("==", tested, c) for c in leaving if c is not None])
    if test is None:
        return None
    return c_ast.If(test, c_ast.Return(returns[0].expr), None), tuple(c for c in leaving + staying if c is not None)


def hoisted(func: c_ast.FuncDef, items: list[c_ast.Node]) -> list[c_ast.Node]:
    """A loop body's statements with each ``switch (x = e) S`` read as ``x = e; switch (x) S``: the controlling
    expression is evaluated once, before the jump to a label (C17 6.8.4.2p4), and an assignment's value is its left
    operand's after the store, in that operand's type (6.5.16p3), which ``switch (x)`` reads; ``x`` a local of
    ``func`` declared once and not ``volatile`` (whose read after the store a device may see otherwise). The
    assignment and the switch's body are the code's own nodes; the switch is a new one around them."""
    out: list[c_ast.Node] = []
    for item in items:
        cond = item.cond if isinstance(item, c_ast.Switch) else None
        if isinstance(cond, c_ast.Assignment) and cond.op == "=" and isinstance(cond.lvalue, c_ast.ID):
            decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == cond.lvalue.name]
            if len(decls) == 1 and "volatile" not in decls[0].quals:
                out += [cond, c_ast.Switch(cond.lvalue, item.stmt, item.coord)]
                continue
        out.append(item)
    return out


def _groups(sw: c_ast.Switch, last: bool) -> list[_Group] | None:
    """The switch's case groups: labels with no statement of their own join the next; each group one ``break;`` or
    ``return`` (or, ``last``, ``continue;``); no statement before the first label, no label elsewhere (the last
    group's jump may not be left out)."""
    jumps = (c_ast.Break, c_ast.Return, c_ast.Continue) if last else (c_ast.Break, c_ast.Return)
    items = sw.stmt.block_items or [] if isinstance(sw.stmt, c_ast.Compound) else None
    if not items:
        return None
    groups: list[_Group] = []
    labels: list[c_ast.Node | None] = []
    for item in items:
        if not isinstance(item, (c_ast.Case, c_ast.Default)):
            return None
        labels.append(item.expr if isinstance(item, c_ast.Case) else None)
        stmts = item.stmts or []
        if not stmts:
            continue
        if len(stmts) != 1 or not isinstance(stmts[0], jumps) or \
                any(isinstance(x, (c_ast.Case, c_ast.Default)) for x in nodes(stmts[0])):
            return None
        groups.append((labels, stmts))
        labels = []
    return groups if not labels else None


def _wide(func: c_ast.FuncDef, cond: c_ast.Node, typedef: _Typedef = None) -> c_ast.ID | None:
    """The local of ``func`` declared once, of a 64-bit integer type (u64, unsigned long ..., or a typedef of the files
    standing for one, ``typedef``: models.retryints.named_through), that ``cond`` is, or is
    cast to such a type (``(s64)err``: its bits kept, C17 6.3.1.3); None for another (a narrower cast's case constants
    are converted to it, and ``==`` would not: not read here, the runs tell such a switch apart)."""
    if isinstance(cond, c_ast.Cast):
        to = named_type(getattr(cond.to_type, "type", None))
        if to is None or to.bits != 64:
            return None
        cond = cond.expr
    if not isinstance(cond, c_ast.ID):
        return None
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl) and d.name == cond.name]
    t = named_through(decls[0].type, typedef) if len(decls) == 1 else None
    return cond if t is not None and t.bits == 64 else None


def _joined(op: str, parts: list[c_ast.Node]) -> c_ast.Node | None:
    out = parts[0] if parts else None
    for part in parts[1:]:
        out = c_ast.BinaryOp(op, out, part)
    return out


def case_continued(func: c_ast.FuncDef, sw: c_ast.Switch, defined: Mapping[str, c_ast.FuncDef],
                   typedef: _Typedef = None, tags: Tags = None) -> tuple[c_ast.If, tuple[c_ast.Node, ...]] | None:
    """``switch (err) { case X: if (K) continue; break; default: break; }`` as ``if (err == X && K) continue;`` and
    the nodes that test is read from (every case constant, K): one case group holds ``if (K) continue; break;``,
    every other group ``break;`` alone, so the switch goes on past its end but where ``err`` is one of the group's
    constants and K holds (K asked only there, as ``&&`` asks it). Where that group is the default's (``case S:
    break; default: if (K) continue; break;``), its test is that ``err`` is none of the other groups' constants
    (``err != S && K``; its own cases are among those it takes anyway). A group of ``continue;`` alone is
    ``if (err == X) continue;`` (a do/while's: its ``continue`` goes to the loop's test, C17 6.8.6.2). Statements
    before the group's ``if``/``continue``, or before the ``continue`` in the ``if``'s block (``if (K) {
    cpu_relax(); continue; }``), that do nothing a run sees (_inert: ``cpu_relax();``; ``defined``: the program's
    functions; ``tags``: the struct tags at file scope, for a member of a struct one declares) are left out. On a
    64-bit local or a cast of one to a 64-bit type (_wide: each constant compares as ``==`` does, C17 6.8.4.2p5);
    None for any other switch."""
    items = sw.stmt.block_items or [] if isinstance(sw.stmt, c_ast.Compound) else []
    tested = _wide(func, sw.cond, typedef)
    if not items or tested is None or any(not isinstance(x, (c_ast.Case, c_ast.Default)) for x in items):
        return None
    groups: list[_Group] = []
    labels: list[c_ast.Node | None] = []
    for item in items:
        labels.append(item.expr if isinstance(item, c_ast.Case) else None)
        if item.stmts:
            groups.append((labels, list(item.stmts)))
            labels = []
    going = [g for g in groups if _going(g[1], defined, func, tags) is not None]
    if labels or len(going) != 1 or any(
            len(stmts) != 1 or not isinstance(stmts[0], c_ast.Break) for g in groups if g is not going[0]
            for stmts in (g[1],)):
        return None
    cond = going[0][0]
    read = _going(going[0][1], defined, func, tags)
    assert read is not None  # going's test
    go, tests = read
    if None in cond:  # the default's group: taken where no other group's constant is the answer (C17 6.8.4.2p5)
        others = [c for g in groups if g is not going[0] for c in g[0] if c is not None]
        test = _joined("&&", [c_ast.BinaryOp("!=", tested, c) for c in others])
    else:
        test = _joined("||", [c_ast.BinaryOp("==", tested, c) for c in cond if c is not None])
    constants = tuple(c for g in groups for c in g[0] if c is not None)
    if isinstance(go, c_ast.Continue):
        return (c_ast.If(test, c_ast.Continue(), None), constants) if test is not None else None
    # 'if (K) { cpu_relax(); continue; }': what runs before the 'continue' does nothing a run sees (_inert)
    body = go.iftrue.block_items or [] if isinstance(go.iftrue, c_ast.Compound) else [go.iftrue]
    if go.iffalse is not None or not body or not isinstance(body[-1], c_ast.Continue) or test is None or \
            not all(_inert(x, defined, func, tags) for x in body[:-1]) or \
            any(isinstance(x, (c_ast.Case, c_ast.Default)) for x in nodes(go)):
        return None
    return c_ast.If(_and_after(test, go.cond, defined), c_ast.Continue(), None), (*constants, *tests)


def _and_after(test: c_ast.Node, cond: c_ast.Node, defined: Mapping[str, c_ast.FuncDef]) -> c_ast.Node:
    """``test && cond`` with ``cond``'s own ``&&`` operands joined left to right after ``test`` (``S && (A && K)`` as
    ``(S && A) && K``): ``&&`` evaluates its operands left to right and stops at the first false one (C17 6.5.13p4),
    so the grouping changes neither the value nor what is evaluated; the last operand (a counter test) stands
    alone. A last operand that stores nothing and calls only functions of ``defined`` that return a value of their
    parameters (models.valuecalls.pure_in) after one that does (``--left && !(err != X)``, ``--left &&
    !!sc_no_entropy(err)``, the counter tested first) is put before it: where it is false the group breaks and the
    loop ends, the step it skips then seen by nothing where that operand is a counter's test read nowhere else, which
    harness.countedalike._counters asks of the last operand (the loop is not read otherwise)."""
    def operands(n: c_ast.Node) -> list[c_ast.Node]:
        if isinstance(n, c_ast.BinaryOp) and n.op == "&&":
            return operands(n.left) + operands(n.right)
        return [n]

    parts = operands(cond)
    if len(parts) >= 2 and pure_in(parts[-1], defined) and not pure_in(parts[-2], defined):
        parts[-2:] = parts[-1], parts[-2]
    out = test
    for part in parts:
        out = c_ast.BinaryOp("&&", out, part)
    return out


def _going(stmts: list[c_ast.Node], defined: Mapping[str, c_ast.FuncDef], func: c_ast.FuncDef, tags: Tags = None
           ) -> _Go | None:
    """A case group's ``if (K) continue;`` before its closing ``break;``, or its closing lone ``continue;``, where
    every statement before it is _inert (in ``func``), and the group's own condition nodes it tests; None for another
    group. Read as that ``if`` too: ``if (T) break; continue;``, the group leaving where T holds and going on where it
    does not, as ``if (!T) continue; break;`` (``!`` taken in through ``||``: ``!(A || K)`` is ``!A && !K``,
    evaluating A first and K only where A is false either way, C17 6.5.13p4, 6.5.14p4; ``!!K`` tested as K), and
    ``if (P) { if (K) continue; } break;`` as ``if (P && K) continue; break;`` (K asked only where P holds)."""
    if len(stmts) >= 2 and isinstance(stmts[-2], c_ast.If) and stmts[-2].iffalse is None and \
            _jumps(stmts[-2].iftrue, c_ast.Break) and isinstance(stmts[-1], c_ast.Continue):
        tested = stmts[-2].cond
        go: _Go = (c_ast.If(_not(tested), c_ast.Compound([c_ast.Continue()]), None), (tested,))
        before = stmts[:-2]
    elif stmts and isinstance(stmts[-1], c_ast.Continue):
        go, before = (stmts[-1], ()), stmts[:-1]
    elif len(stmts) >= 2 and isinstance(stmts[-2], c_ast.If) and isinstance(stmts[-1], c_ast.Break):
        go, before = _nested(stmts[-2]), stmts[:-2]
    else:
        return None
    return go if all(_inert(x, defined, func, tags) for x in before) else None


def _nested(go: c_ast.If) -> _Go:
    """``if (P) { if (K) continue; }`` (no ``else``, nothing else in the block) as ``if (P && K) continue;``, with
    the conditions it tests."""
    inner = go.iftrue.block_items or [] if isinstance(go.iftrue, c_ast.Compound) else [go.iftrue]
    if go.iffalse is not None or len(inner) != 1 or not isinstance(inner[0], c_ast.If) or inner[0].iffalse is not None:
        return go, (go.cond,)
    return c_ast.If(c_ast.BinaryOp("&&", go.cond, inner[0].cond), inner[0].iftrue, None), (go.cond, inner[0].cond)


def _jumps(n: c_ast.Node | None, jump: type) -> bool:
    """Whether a statement is the jump ``jump``, alone or the one statement of a block."""
    items = n.block_items or [] if isinstance(n, c_ast.Compound) else [n]
    return len(items) == 1 and isinstance(items[0], jump)


def _not(n: c_ast.Node) -> c_ast.Node:
    """``!n`` in a truth test: ``!(A || B)`` as ``!A && !B`` (the same operands evaluated, C17 6.5.13p4, 6.5.14p4),
    ``!!K`` as K."""
    if isinstance(n, c_ast.BinaryOp) and n.op == "||":
        return c_ast.BinaryOp("&&", _not(n.left), _not(n.right))
    if isinstance(n, c_ast.UnaryOp) and n.op == "!":
        return n.expr
    return c_ast.UnaryOp("!", n)


def _inert(stmt: c_ast.Node, defined: Mapping[str, c_ast.FuncDef], func: c_ast.FuncDef, tags: Tags = None,
           seen: frozenset[str] = frozenset()) -> bool:
    """Whether a statement of ``func`` does nothing a run sees, so a loop reads the same without it: an empty one, a
    store into a local nothing reads (models.deadstores.unread_store: ``tries++;``), or a call (cast to void or
    not), its arguments constants, of a primitive with no effect (models.seqrun.PURE: ``cpu_relax()``,
    ``barrier()``; the mirror's and the kernel's do nothing a SEAMCALL, a print, a store or a return shows) that no
    file defines, or of a function of ``defined`` (the program's) whose body holds only such statements (and a bare
    ``return;``; one it calls again, ``seen``, is not). A store, a call of anything else (a SEAMCALL, a printk,
    udelay()'s time), any other store, is not."""
    from models.seqrun import PURE

    while isinstance(stmt, c_ast.Cast):
        stmt = stmt.expr
    if isinstance(stmt, c_ast.EmptyStatement) or (isinstance(stmt, c_ast.Return) and stmt.expr is None) or \
            unread_store(func, stmt, tags):
        return True
    if not isinstance(stmt, c_ast.FuncCall) or not isinstance(stmt.name, c_ast.ID) or stmt.name.name in seen or \
            any(not isinstance(a, c_ast.Constant) for a in (stmt.args.exprs if stmt.args is not None else [])):
        return False
    callee = defined.get(stmt.name.name)
    if callee is None:
        return stmt.name.name in PURE
    items = callee.body.block_items or [] if isinstance(callee.body, c_ast.Compound) else [callee.body]
    return all(_inert(x, defined, callee, tags, seen | {stmt.name.name}) for x in items)
