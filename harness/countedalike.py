"""Retry loops counted alike though spelt otherwise: the same decision where both go round as often.

A counter spelt otherwise ('!--left' made 'tries == 10'), or moved into a loop of another shape (a do/while's test made
a ``for (;;)``'s break, or a head-tested ``for`` counting the tries), gives the same decision where both loops go round
as many times.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from pycparser import c_ast

from harness.loopflags import (
    Form,
    break_flagged,
    breaks,
    continued,
    do_broken,
    else_broken,
    flagged,
    head_flagged,
    peeled,
    split_test,
    tail_flagged,
    upright,
)
from harness.memo import by_identity
from harness.retrycounts import same_counts
from harness.switchform import case_continued, hoisted, unswitched
from models.condeval import nodes
from models.condeval import shape as _shape
from models.deadstores import live
from models.leaftaint import param_names
from models.pointertypes import file_typedef
from models.structlocals import Members, alias_of, body_tags, member_decls
from models.valuecalls import pure_in

if TYPE_CHECKING:
    from harness.valuereaders import Unknown
    from models.cload import Program
    from models.neighbours import Changed
    from models.retryset import Codes

_LOOPS = (c_ast.For, c_ast.While, c_ast.DoWhile)
_Defined = Mapping[str, c_ast.FuncDef]  # a program's functions (Program.functions)
_Typedef = Callable[[str], c_ast.Node | None] | None  # a typedef name of the files -> its type (file_typedef)
_Files = tuple[_Defined, _Typedef]
_Tags = Callable[[str], "Members | None"]  # a struct tag -> its members at file scope (models.structlocals)


def _no_tags(_: str) -> Members | None:
    return None


def counted_alike(c: Changed, programs: tuple[Program, Program]) -> bool:
    """Whether a changed condition is one loop's exit test on both sides, ``A || K`` (or ``A && K``) with the same
    ``A`` and a counter part ``K`` reading only counters (_counters), in loops whose bodies are otherwise the same, and
    the two functions make as many SEAMCALLs answered each code they compare an answer with every time
    (harness.retrycounts.loop_counts, models.retrycount's walk in gcc's types). A counter is read and stepped nowhere
    but there, so K's value at each round is the same whatever the answers: it stops the loop at the round it does when
    every answer is retried, the count; with A the same, the two tests then come out alike at every round of every
    run. The same holds between loops of other shapes (_form: the answer test and the counter test read apart, the
    answer test going on the same way): a do/while's ``A && K`` made ``if (!A || K) break;``, or a counter tested at
    the head, ``for (tries = 1; tries <= N; tries++) { ... if (!A) break; }``; a test one side adds or removes (the
    ``for``'s) is that loop's counter test. Anything else (a counter read elsewhere, printed or returned; a loop inside
    another; a 'continue' but one ending the round; a count not read) is not worked out here."""
    if c.via or c.reads or (c.a is None and c.b is None):
        return False
    pa, pb = programs
    d = c.a if c.a is not None else c.b
    assert d is not None
    fa = pa.functions.get(c.a.function if c.a is not None else d.function)
    fb = pb.functions.get(c.b.function if c.b is not None else d.function)
    if fa is None or fb is None:
        return False
    if c.a is not None and c.b is not None and _same_role(c.a.node, fa, c.b.node, fb, (_tags(pa), _tags(pb))):
        return same_counts(pa, fa, pb, fb)
    node_a, node_b = (c.a.node if c.a is not None else None), (c.b.node if c.b is not None else None)
    form_a = _form(fa, node_a, _fixed(pa), _tags(pa), (pa.functions, file_typedef(pa, fa)))
    form_b = _form(fb, node_b, _fixed(pb), _tags(pb), (pb.functions, file_typedef(pb, fb)))
    if form_a is None or form_b is None or _rest(fa, form_a.rest, _tags(pa)) != _rest(fb, form_b.rest, _tags(pb)):
        return False
    if upright(form_a) == upright(form_b):
        return same_counts(pa, fa, pb, fb) or _same_loop(pa, fa, form_a, pb, fb, form_b)
    going = _going_on(pa, fa, form_a), _going_on(pb, fb, form_b)
    # Tests spelt apart that hold for the same answers (models.retryset): the loops go on alike where their counts
    # do, for those answers (the walk takes a helper it does not read the way that goes on, right for them alone),
    # or where they stop on the same counter test (_same_loop: the same loop, the answer test read as its set).
    if going[0] is None or going[0] != going[1]:
        return False
    return (not going[0].rest and same_counts(pa, fa, pb, fb, going[0].codes)) or \
        _same_loop(pa, fa, form_a, pb, fb, form_b, read=True)


def counters_alike(u: Unknown, programs: tuple[Program, Program]) -> bool:
    """Whether a condition of the same text over names whose values changed and are not worked out (the counter is
    stepped) is one loop's exit test on both sides whose changed names are its counters alone: ``int left = 10;``
    made ``u8 left = 10;`` under ``if (err != X || !--left) break;``. The counter part's value at each round does not
    depend on the answers (_counters: read and stepped nowhere else), so where the two functions make as many
    SEAMCALLs answered each code they compare with (_same_counts, gcc's types) it stops both loops at the same round,
    and the two tests come out alike at every round of every run, as counted_alike() argues for a counter spelt
    otherwise. A name set outside the runs (a module parameter), or any other name, is not worked out here."""
    pa, pb = programs
    fa, fb = pa.functions.get(u.a.function), pb.functions.get(u.b.function)
    if u.parameters or fa is None or fb is None or not _same_role(u.a.node, fa, u.b.node, fb, (_tags(pa), _tags(pb))):
        return False
    counters = {x.name for k in (_counter_part(u.a.node), _counter_part(u.b.node)) for x in nodes(k)
                if isinstance(x, c_ast.ID)}
    return {name for name, _, _ in u.reads} <= counters and same_counts(pa, fa, pb, fb)


def _going_on(program: Program, func: c_ast.FuncDef, form: Form) -> Codes | None:
    """The answers the loop goes on for (models.retryset), read in the one variable its body stores a call's
    result in and its answer test reads; None where not read."""
    from models.retryset import answer_codes

    stored = {x.lvalue.name for x in nodes(form.rest) if isinstance(x, c_ast.Assignment) and x.op == "="
              and isinstance(x.lvalue, c_ast.ID) and isinstance(x.rvalue, c_ast.FuncCall)}
    read = stored & {x.name for x in nodes(form.test) if isinstance(x, c_ast.ID)}
    if len(read) != 1:
        return None
    codes = answer_codes(program, func, form.test, read.pop())
    return None if codes is None else codes if form.keeps else codes.negated()


def _same_role(a: c_ast.Node, fa: c_ast.FuncDef, b: c_ast.Node, fb: c_ast.FuncDef,
               tags: tuple[_Tags, _Tags] = (_no_tags, _no_tags)) -> bool:
    """Both tests ``A || K`` (or ``A && K``) with the same ``A``, or both ``K`` alone (the answer tested in the body,
    ``do { ...; switch (err) { ... } } while (--left);``), the exit tests of loops of one role whose bodies are
    otherwise the same, ``K`` reading only counters."""
    la, lb = _exit_loop(fa, a), _exit_loop(fb, b)
    if la is None or lb is None or la[0] != lb[0] or _rest(fa, la[2], tags[0]) != _rest(fb, lb[2], tags[1]):
        return False
    ka, kb = _counter_part(a), _counter_part(b)
    sa, sb = split_test(a), split_test(b)
    if (sa is None) != (sb is None) or (sa is not None and sb is not None and (
            sa[0] != sb[0] or _shape(sa[1]) != _shape(sb[1]))):
        return False
    return _counters(fa, la[1], ka, tags=tags[0]) and _counters(fb, lb[1], kb, tags=tags[1])


def _counter_part(test: c_ast.Node) -> c_ast.Node:
    """``K`` of an exit test ``A || K`` (``A && K``: loopflags.split_test), the test itself where it is no such."""
    split = split_test(test)
    return test if split is None else split[2]


def _rest(func: c_ast.FuncDef, rest: c_ast.Node, tags: _Tags = _no_tags) -> object:
    """A loop's other statements as a comparable value (models.condeval.shape), the stores into a local nothing
    reads left out (models.deadstores: a run shows nothing of them)."""
    return _shape(c_ast.Compound(live(func, rest.block_items or [], tags)) if isinstance(rest, c_ast.Compound) else
                  rest)


def _fixed(program: Program) -> frozenset[str]:
    """The names of file scope a counter test may read besides counters: enumerators and ``const`` integers with a
    constant value (models.retryconsts.file_constants), which nothing changes at run time. Once per program: it walks
    every declaration of the unit, the prelude's too, and each changed condition of each comparison and rule asks."""
    from models.retryconsts import file_constants

    return by_identity("countedalike.fixed", (program,), (), lambda: frozenset(
        n for n, v in file_constants(program.ast, program.where).items() if isinstance(v, int)))


def _tags(program: Program) -> _Tags:
    """A struct tag's members at file scope (models.retryconsts.file_constants' ``struct TAG``), the program's tags
    worked out at the first one asked (a counter in a struct declared by a tag alone)."""
    def members(tag: str) -> Members | None:
        from models.retryconsts import file_constants

        found = by_identity("countedalike.tags", (program,), (), lambda: {
            k: v for k, v in file_constants(program.ast, program.where).items() if isinstance(v, tuple)})
        return found.get(f"struct {tag}")

    return members


def _form(func: c_ast.FuncDef, cond: c_ast.Node | None, fixed: frozenset[str], tags: _Tags, files: _Files
          ) -> Form | None:
    """The form of the loop of ``func`` that ``cond`` is a test of (None: of the one loop ``func`` has, in no other,
    none other beside it), its counter test reading only counters (_counters); ``files``: the program's functions
    and typedefs (models.pointertypes.file_typedef, an answer a switch tests declared with one)."""
    defined, typedef = files
    loops = _outer_loops(func.body)
    if cond is None and len(loops) != 1:
        return None
    for loop in loops:
        after = _after(func.body, loop)
        found = _loop_form(loop, func, defined, typedef, tags) or _returning_form(func, loop, after, files) or \
            _switch_form(func, loop, after, typedef)
        # A case label's decision is 'cond == constant' made of the switch's own nodes (models.neighbours)
        if found is not None and (cond is None or any(t is cond or (isinstance(cond, c_ast.BinaryOp) and cond.op ==
                                                                    "==" and cond.right is t) for t in found[0].tests)):
            return found[0] if _counters(func, loop, found[1], fixed, tags) else None
    return None


def _loop_form(loop: c_ast.Node, func: c_ast.FuncDef, defined: _Defined, typedef: _Typedef = None,
               tags: _Tags = _no_tags) -> tuple[Form, c_ast.Node] | None:
    """A loop with no ``continue`` read as a Form and its counter test: ``do { } while (A && K);``, ``for (;;)``
    (``while (1)``) ending in ``if (A || K) break;`` (or in a flag set to such a test right before it, flagged, or
    to its answer test, break_flagged), ``for (...; K; ...)`` (``while (K)``) ending in ``if (A) break;``, a flag
    tested at the head (head_flagged) or at the tail (tail_flagged: ``do { ...; flag = A; } while (flag && K);``),
    a ``while (A && K)`` whose first round is made right before it (peeled), an endless loop (``do { } while (1)``
    too) ending in ``if (A && K) continue; break;`` (continued: its one ``continue``; or a switch that is that if,
    _case_continued), or ``do { ...; if (A) break; } while (K);`` (do_broken)."""
    items = hoisted(func, loop.stmt.block_items or [] if isinstance(loop.stmt, c_ast.Compound) else [loop.stmt])
    # An endless do/while's 'continue' goes to a test that holds: round again, as an endless for's does
    through = None if _endless(loop) else loop
    if (_endless(loop) or isinstance(loop, c_ast.DoWhile)) and (
            found := continued(func, items, through) or _case_continued(func, items, through, (defined, typedef), tags)
    ) is not None:
        return found
    if any(isinstance(x, c_ast.Continue) for x in nodes(loop.stmt)):
        return None
    if isinstance(loop, c_ast.While) and (found := head_flagged(func, loop, items) or peeled(func, loop, items)):
        return found
    if isinstance(loop, c_ast.DoWhile) and (found := tail_flagged(func, loop, items) or do_broken(loop, items)):
        return found
    if isinstance(loop, c_ast.DoWhile):
        split = split_test(loop.cond)
        return (Form(split[1], True, c_ast.Compound(items), (loop.cond,), c_ast.UnaryOp("!", split[2])), split[2]) \
            if split is not None and split[0] == "&&" else None
    last = items[-1] if items else None
    if _endless(loop) and (tests := else_broken(last)) is not None:  # 'if (A) break; else if (K) break;'
        a, k = tests[::-1] if pure_in(tests[1], defined) else tests  # the counter first, as _returning_form reads
        return Form(a, False, c_ast.Compound(items[:-1]), tests, k), k
    if not isinstance(last, c_ast.If) or last.iffalse is not None or not breaks(last.iftrue):
        return None
    rest = c_ast.Compound(items[:-1])
    if _endless(loop):
        split = split_test(last.cond)
        if (found := break_flagged(func, items)) is not None:  # its A a flag stored right before
            return found
        return (Form(split[1], False, rest, (last.cond,), split[2]), split[2]) \
            if split is not None and split[0] == "||" else flagged(func, items)
    return Form(last.cond, False, rest, (loop.cond, last.cond)), loop.cond


def _case_continued(func: c_ast.FuncDef, items: list[c_ast.Node], loop: c_ast.Node | None, files: _Files,
                    tags: _Tags = _no_tags) -> tuple[Form, c_ast.Node] | None:
    """An endless loop's body ending in ``switch (err) { case X: if (K) continue; break; default: break; } break;``
    read as ``if (err == X && K) continue; break;`` (harness.switchform.case_continued), loopflags.continued's form,
    its tests the case constants and K too; a do/while's ``loop`` (``while (K)``) ending in ``switch (err) { case X:
    continue; default: break; } break;`` as ``if (err == X) continue; break;``, continued's do/while form."""
    sw = items[-2] if len(items) >= 2 else None
    read = case_continued(func, sw, files[0], files[1], tags) if isinstance(sw, c_ast.Switch) else None
    found = continued(func, [*items[:-2], read[0], items[-1]], loop) if read is not None else None
    return None if found is None or read is None else (replace(found[0], tests=(*found[0].tests, *read[1])), found[1])


def _returning_form(func: c_ast.FuncDef, loop: c_ast.Node, after: c_ast.Node | None, files: _Files = ({}, None)
                    ) -> tuple[Form, c_ast.Node] | None:
    """A ``for (;;)`` (``while (1)``) with no ``continue`` ending in ``if (A) return R; if (K) break;`` right above
    ``return R;`` (the same R) as its Form and counter test: the break returns R as the early return does, in the
    same state (no statement between, no declaration of the body left), so the loop is ``if (A || K) break;``'s, K
    asked only where A is false. So is ``if (K) break; if (A) return R;`` where A changes nothing, calling at most
    helpers of ``files`` returning a value of their parameters (models.valuecalls.pure_in): K steps counters read
    nowhere else (_counters), so a step in the round A ends is seen by nothing; each round before it stepped as
    ``A || K`` steps, and either way the loop leaves returning R in the first round where A or K holds.
    Either ``if`` may be a ``switch`` on the answer (harness.switchform; the last, one whose case ``continue``s)."""
    defined, typedef = files
    if after is None or not isinstance(loop, (c_ast.For, c_ast.While)) or not isinstance(loop.stmt, c_ast.Compound):
        return None
    if not _endless(loop) or (isinstance(loop, c_ast.For) and (loop.init is not None or loop.next is not None)):
        return None
    items, cases = _unswitched_tail(func, hoisted(func, loop.stmt.block_items or []), typedef)
    if any(isinstance(x, c_ast.Continue) for item in items for x in nodes(item)):
        return None
    # A declaration of the body (a guard()'s) ends its scope before 'return R' past the loop reads R, not after.
    if len(items) < 2 or not all(isinstance(x, c_ast.If) and x.iffalse is None for x in items[-2:]) or \
            any(isinstance(x, c_ast.Decl) for x in items):
        return None
    early, stop = items[-2], items[-1]
    if breaks(early.iftrue) and pure_in(stop.cond, defined):  # the counter tested first
        early, stop = stop, early
    ret = _only(early.iftrue)
    if not breaks(stop.iftrue) or not isinstance(ret, c_ast.Return) or not isinstance(after, c_ast.Return) or \
            ret.expr is None or after.expr is None or _shape(ret.expr) != _shape(after.expr):
        return None
    return Form(early.cond, False, c_ast.Compound(items[:-2]), (early.cond, stop.cond, *cases), stop.cond), stop.cond


def _unswitched_tail(func: c_ast.FuncDef, items: list[c_ast.Node], typedef: _Typedef
                     ) -> tuple[list[c_ast.Node], tuple[c_ast.Node, ...]]:
    """A loop body's statements with a ``switch`` among its last two read as the ``if (A) return R;`` it is
    (harness.switchform: the last one's ``continue`` goes round again as its end does), and the case constants read;
    a switch not read stays, as do the statements before."""
    out, cases = list(items), ()
    for i in range(max(0, len(items) - 2), len(items)):
        read = unswitched(func, items[i], i == len(items) - 1, typedef) if isinstance(items[i], c_ast.Switch) else None
        if read is not None:
            out[i], cases = read[0], (*cases, *read[1])
    return out, cases


def _switch_form(func: c_ast.FuncDef, loop: c_ast.Node, after: c_ast.Node | None, typedef: _Typedef = None
                 ) -> tuple[Form, c_ast.Node] | None:
    """``do { ...; switch (err) { case X: break; default: return R; } } while (K);`` right above ``return R;`` as
    its Form and counter test: the switch is ``if (A) return R;`` (harness.switchform), and the loop
    ``for (;;) { ...; if (A) return R; if (!K) break; }``, _returning_form's: no ``continue`` but a case's, no
    declaration in the body, the same R."""
    if not isinstance(loop, c_ast.DoWhile) or not isinstance(loop.stmt, c_ast.Compound) or \
            not isinstance(after, c_ast.Return):
        return None
    items = hoisted(func, loop.stmt.block_items or [])
    last = items[-1] if items else None
    # A case's 'continue' goes to the test as leaving the last statement does; one anywhere else is not read.
    if any(isinstance(x, c_ast.Continue) for item in items[:-1] for x in nodes(item)):
        return None
    read = unswitched(func, last, True, typedef) if isinstance(last, c_ast.Switch) else None
    if read is None or any(isinstance(x, c_ast.Decl) for x in items) or after.expr is None:
        return None
    early, cases = read
    if _shape(early.iftrue.expr) != _shape(after.expr):
        return None
    return Form(early.cond, False, c_ast.Compound(items[:-1]), (loop.cond, *cases), c_ast.UnaryOp("!", loop.cond)), \
        loop.cond


def _same_loop(pa: Program, fa: c_ast.FuncDef, form_a: Form, pb: Program, fb: c_ast.FuncDef, form_b: Form,
               read: bool = False) -> bool:
    """Whether two loops of the same answer test and rest (checked by the caller) stop on the same counter test, its
    counters declared alike, and call functions defined alike: the same loop, going round as many times for every
    answers, where a count of one is not read (a flag the test reads, harness.retrycounts knows no such loop).
    ``read``: the answer tests were read as the same set of answers (models.retryset.answer_codes, which reads only
    tests and helpers that change nothing: ``==``/``!=`` of constants, a helper returning one), so only the functions
    the rest calls need be defined alike (a helper one side adds, ``sc_no_entropy(err)``, is read there)."""
    if form_a.stops is None or form_b.stops is None or _bare_test(form_a.stops) != _bare_test(form_b.stops):
        return False
    names = {x.name for x in nodes(form_a.stops) if isinstance(x, c_ast.ID)}
    for name in names:
        da = [d for d in nodes(fa.body) if isinstance(d, c_ast.Decl) and d.name == name]
        db = [d for d in nodes(fb.body) if isinstance(d, c_ast.Decl) and d.name == name]
        if len(da) != 1 or len(db) != 1 or _shape(da[0]) != _shape(db[0]):
            return False
    if read:
        return called_alike(pa, pb, (form_a.rest,), (form_b.rest,))
    return called_alike(pa, pb, (form_a.rest, form_a.test), (form_b.rest, form_b.test))


def _bare_test(n: c_ast.Node) -> tuple[bool, object]:
    """A test as (negated, its shape without the ``!``s): ``!(--left)`` and ``!--left`` alike."""
    negated = False
    while isinstance(n, c_ast.UnaryOp) and n.op == "!":
        n, negated = n.expr, not negated
    return negated, _shape(n)


def called_alike(pa: Program, pb: Program, a: tuple[c_ast.Node, ...], b: tuple[c_ast.Node, ...]) -> bool:
    """Whether the functions the nodes call by name, and those they call in turn, are defined alike in both programs
    (or in neither: the kernel's)."""
    def called(ns: tuple[c_ast.Node, ...]) -> set[str]:
        return {x.name.name for n in ns for x in nodes(n)
                if isinstance(x, c_ast.FuncCall) and isinstance(x.name, c_ast.ID)}

    todo, seen = sorted(called(a) | called(b)), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        da, db = pa.functions.get(name), pb.functions.get(name)
        if (da is None) != (db is None) or (da is not None and db is not None and _shape(da) != _shape(db)):
            return False
        todo += sorted(called((da,)) - seen) if da is not None else []
    return True


def _endless(loop: c_ast.Node) -> bool:
    """Whether a loop has no test of its own: ``for (;;)``, or a constant that is not zero (``while (1)``)."""
    cond = loop.cond
    return cond is None or (isinstance(cond, c_ast.Constant) and cond.value not in ("0", "0U", "0u"))


def _only(n: c_ast.Node | None) -> c_ast.Node | None:
    """A statement, or the one statement of a block holding one."""
    if isinstance(n, c_ast.Compound):
        return n.block_items[0] if n.block_items and len(n.block_items) == 1 else None
    return n


def _after(body: c_ast.Node, loop: c_ast.Node) -> c_ast.Node | None:
    """The statement right after ``loop`` in the block that holds it, None where it is the last or in no block."""
    for n in nodes(body):
        items = n.block_items or [] if isinstance(n, c_ast.Compound) else []
        at = next((i for i, x in enumerate(items) if x is loop), None)
        if at is not None:
            return items[at + 1] if at + 1 < len(items) else None
    return None


def _exit_loop(func: c_ast.FuncDef, cond: c_ast.Node) -> tuple[str, c_ast.Node, c_ast.Node] | None:
    """The loop whose test ``cond`` is, with its role ('tail': a do/while's; 'break-tail': an ``if (cond) break;``
    last in a loop with no test of its own) and the rest of its body (its statements but that ``if``): a loop in no
    other loop, with no ``continue`` (which in a ``for`` steps the counter past the test)."""
    for loop in _outer_loops(func.body):
        if any(isinstance(x, c_ast.Continue) for x in nodes(loop.stmt)):
            continue
        items = hoisted(func, loop.stmt.block_items or [] if isinstance(loop.stmt, c_ast.Compound) else [loop.stmt])
        if isinstance(loop, c_ast.DoWhile) and loop.cond is cond:
            return "tail", loop, c_ast.Compound(items)
        last = items[-1] if items else None
        if isinstance(last, c_ast.If) and last.cond is cond and last.iffalse is None and breaks(last.iftrue) and \
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


def _counters(func: c_ast.FuncDef, loop: c_ast.Node, k: c_ast.Node, fixed: frozenset[str] = frozenset(),
              tags: _Tags = _no_tags) -> bool:
    """Whether ``k`` reads only counters: locals of ``func`` (of a named type, declared once, not static), set by a
    constant where declared if at all, and named nowhere in the function but in ``k`` and the loop's ``for`` start
    and step (which name only counters too): no address taken, nothing else reading or setting them. ``k``, the
    start and the step call nothing. A local struct (models.structlocals: its members listed where declared, or by its
    tag's one definition at file scope, ``tags``) is such a counter by each member; so is a local pointer declared
    ``T *p = &st;`` to one, ``st`` named nowhere else (``p->left`` is ``st.left``)."""
    steps = [p for p in (getattr(loop, "init", None), getattr(loop, "next", None)) if p is not None]
    parts = [k, *steps]
    inside = [name for p in parts for name in _named(p)]
    if not _named(k) or any(isinstance(x, c_ast.FuncCall) for p in parts for x in nodes(p)):
        return False
    everywhere = _named(func.body)
    decls = [d for d in nodes(func.body) if isinstance(d, c_ast.Decl)]
    params = param_names(func)
    seen = body_tags(func, tags)
    for name in set(inside):
        own = [d for d in decls if d.name == name]
        if not own and name in fixed and name not in params:
            continue
        if len(own) != 1 or "static" in own[0].storage or everywhere.count(name) != inside.count(name):
            return False
        decl = own[0]
        if (held := alias_of(decl)) is not None:  # the pointer's struct: named only where the pointer is set
            pointed = [d for d in decls if d.name == held]
            if len(pointed) != 1 or "static" in pointed[0].storage or everywhere.count(held) != 1 or \
                    not _same_struct(decl.type.type, pointed[0].type):
                return False
            decl = pointed[0]
        # A local struct whose members the declaration lists and sets (models.structlocals): each member a counter
        members = member_decls(decl, seen)
        if not isinstance(decl.type, c_ast.TypeDecl) or not (
                isinstance(decl.type.type, c_ast.IdentifierType) or members is not None):
            return False
        if any(isinstance(x, c_ast.FuncCall) or (isinstance(x, c_ast.ID) and (x.name not in fixed or x.name in params
                                                                              or any(d.name == x.name for d in decls)))
               for init in [m.init for m in members or [decl] if m.init is not None] for x in nodes(init)):
            return False
    return True


def _same_struct(a: c_ast.Node, b: c_ast.Node) -> bool:
    """Whether two declared types are the one struct: the same node (``struct { } st, *p``) or the same tag."""
    sa, sb = (t.type if isinstance(t, c_ast.TypeDecl) else None for t in (a, b))
    return isinstance(sa, c_ast.Struct) and isinstance(sb, c_ast.Struct) and (
        sa is sb or (sa.name is not None and sa.name == sb.name))


def _named(n: c_ast.Node) -> list[str]:
    """The names ``n`` reads or stores in, once per use: a member's name (``left`` of ``st.left``) is none."""
    fields = {id(x.field) for x in nodes(n) if isinstance(x, c_ast.StructRef)}
    return [x.name for x in nodes(n) if isinstance(x, c_ast.ID) and id(x) not in fields]
