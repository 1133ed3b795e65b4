"""A retry loop's exit test whose counter is spelt otherwise ('!--left' made 'tries == 10'): the same decision where
both loops go round as many times."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pycparser import c_ast

from models.condeval import nodes
from models.condeval import shape as _shape

if TYPE_CHECKING:
    from models.cload import Program
    from models.neighbours import Changed

_LOOPS = (c_ast.For, c_ast.While, c_ast.DoWhile)


def counted_alike(c: Changed, programs: tuple[Program, Program]) -> bool:
    """Whether a changed condition is one loop's exit test on both sides, ``A || K`` (or ``A && K``) with the same
    ``A`` and a counter part ``K`` reading only counters (_counters), in loops whose bodies are otherwise the same, and
    the two functions make as many SEAMCALLs answered each code they compare an answer with every time
    (harness.retrycounts.loop_counts, models.retrycount's walk in gcc's types). A counter is read and stepped nowhere
    but there, so K's value at each round is the same whatever the answers: it stops the loop at the round it does when
    every answer is retried, the count; with A the same, the two tests then come out alike at every round of every
    run. Anything else (a counter read elsewhere, printed or returned; a loop inside another; a 'continue'; a count
    not read) is not worked out here."""
    if c.a is None or c.b is None or c.via or c.reads:
        return False
    pa, pb = programs
    fa, fb = pa.functions.get(c.a.function), pb.functions.get(c.b.function)
    if fa is None or fb is None:
        return False
    sa, sb = _split(c.a.node), _split(c.b.node)
    la, lb = _exit_loop(fa, c.a.node), _exit_loop(fb, c.b.node)
    if sa is None or sb is None or la is None or lb is None or sa[0] != sb[0] or _shape(sa[1]) != _shape(sb[1]) or \
            la[0] != lb[0] or _shape(la[2]) != _shape(lb[2]):
        return False
    if not _counters(fa, la[1], sa[2]) or not _counters(fb, lb[1], sb[2]):
        return False
    return _same_counts(pa, fa, pb, fb)


def _split(n: c_ast.Node) -> tuple[str, c_ast.Node, c_ast.Node] | None:
    """``A || K`` or ``A && K`` as (operator, A, K)."""
    if isinstance(n, c_ast.BinaryOp) and n.op in ("||", "&&"):
        return n.op, n.left, n.right
    return None


def _exit_loop(func: c_ast.FuncDef, cond: c_ast.Node) -> tuple[str, c_ast.Node, c_ast.Node] | None:
    """The loop whose test ``cond`` is, with its role ('tail': a do/while's; 'break-tail': an ``if (cond) break;``
    last in a loop with no test of its own) and the rest of its body (its statements but that ``if``): a loop in no
    other loop, with no ``continue`` (which in a ``for`` steps the counter past the test)."""
    for loop in _outer_loops(func.body):
        if any(isinstance(x, c_ast.Continue) for x in nodes(loop.stmt)):
            continue
        items = loop.stmt.block_items or [] if isinstance(loop.stmt, c_ast.Compound) else [loop.stmt]
        if isinstance(loop, c_ast.DoWhile) and loop.cond is cond:
            return "tail", loop, c_ast.Compound(items)
        last = items[-1] if items else None
        if isinstance(last, c_ast.If) and last.cond is cond and last.iffalse is None and _breaks(last.iftrue) and \
                getattr(loop, "cond", None) is None:
            return "break-tail", loop, c_ast.Compound(items[:-1])
    return None


def _outer_loops(body: c_ast.Node) -> list[c_ast.Node]:
    """The loops of a body that no other loop holds."""
    out: list[c_ast.Node] = []
    todo = [body]
    while todo:
        n = todo.pop()
        if isinstance(n, _LOOPS):
            out.append(n)
            continue
        todo.extend(n)
    return out


def _breaks(n: c_ast.Node | None) -> bool:
    if isinstance(n, c_ast.Compound) and n.block_items and len(n.block_items) == 1:
        n = n.block_items[0]
    return isinstance(n, c_ast.Break)


def _counters(func: c_ast.FuncDef, loop: c_ast.Node, k: c_ast.Node) -> bool:
    """Whether ``k`` reads only counters: locals of ``func`` (of a named type, declared once, not static), set by a
    constant where declared if at all, and named nowhere in the function but in ``k`` and the loop's ``for`` start
    and step (which name only counters too): no address taken, nothing else reading or setting them. ``k``, the
    start and the step call nothing."""
    steps = [p for p in (getattr(loop, "init", None), getattr(loop, "next", None)) if p is not None]
    parts = [k, *steps]
    names = {x.name for p in parts for x in nodes(p) if isinstance(x, c_ast.ID)}
    if not any(isinstance(x, c_ast.ID) for x in nodes(k)) or \
            any(isinstance(x, c_ast.FuncCall) for p in parts for x in nodes(p)):
        return False
    inside = [x.name for p in parts for x in nodes(p) if isinstance(x, c_ast.ID)]
    everywhere = [x.name for x in nodes(func.body) if isinstance(x, c_ast.ID)]
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl)]
    for name in names:
        own = [d for d in decls if d.name == name]
        if len(own) != 1 or "static" in own[0].storage or not isinstance(own[0].type, c_ast.TypeDecl) or \
                not isinstance(own[0].type.type, c_ast.IdentifierType) or everywhere.count(name) != inside.count(name):
            return False
        if own[0].init is not None and any(isinstance(x, (c_ast.ID, c_ast.FuncCall)) for x in nodes(own[0].init)):
            return False
    return True


def _same_counts(pa: Program, fa: c_ast.FuncDef, pb: Program, fb: c_ast.FuncDef) -> bool:
    """Whether the two functions make as many SEAMCALLs answered, every time, each code either compares an answer
    with, more than one for some (the loop goes round), each count read on both sides."""
    from harness.retrycounts import loop_counts
    from models.leafflow import param_names
    from models.retrycount import compared_codes

    def called(f: c_ast.FuncDef) -> frozenset[str]:
        return frozenset(x.name.name for x in nodes(f.body) if isinstance(x, c_ast.FuncCall)
                         and isinstance(x.name, c_ast.ID)) | param_names(f)

    codes = sorted(compared_codes(fa, called(fa)) | compared_codes(fb, called(fb)))
    if not codes:
        return False
    na, nb = str(fa.decl.name), str(fb.decl.name)
    got_a = {x.code: x.calls for x in loop_counts(pa, codes) if x.function == na and not x.why}
    got_b = {x.code: x.calls for x in loop_counts(pb, codes) if x.function == nb and not x.why}
    if any(got_a.get(code) is None or got_a.get(code) != got_b.get(code) for code in codes):
        return False
    return any((got_a[code] or 0) > 1 for code in codes)
