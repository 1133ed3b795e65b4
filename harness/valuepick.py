"""Which answers the value runs give: those next to what the changed conditions test (harness.valuecover)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pycparser, models.decided and models.neighbours: imported where a condition is read
    from pycparser import c_ast

    from models.cload import Program
    from models.decided import Scope
    from models.neighbours import Changed, Decision

# Values run per comparison past those next to its conditions' constants (each, at most models.neighbours.MAX_VALUES
# a condition, runs under every leaf compared): a value not run leaves a condition it would decide undecided. The
# corpus takes 6 at most.
VALUES_MAX = 48


def values_to_run(changed: list[Changed], programs: tuple[Program, Program], scope: Scope) -> list[int]:
    """Every value next to what the changed conditions test, less those at which every one of them is known to
    come out alike on both sides, unless one decides between statements that differ too (_guards_changed): which
    scripts answer already is left to each leaf (harness.valuecover._plan). A local the leaf or constants set
    (``ret == retry_code``) is read at each value it can hold in ``scope`` (models.decided)."""
    from models.decided import known_values
    from models.neighbours import neighbour_values

    changed = [c for c in changed if not _leaf_only(c, programs, scope)]
    sides = [(d, p) for c in changed for d, p in ((c.a, programs[0]), (c.b, programs[1])) if d is not None]
    found = {v for d, p in sides for v in neighbour_values(p, d.node)}
    for d, p in sides:  # then those at the values the leaf and the locals it sets hold, while VALUES_MAX allows
        for env in known_values(p, d, scope):
            more = set(neighbour_values(p, d.node, env)) - found
            if len(found) + len(more) > VALUES_MAX:
                break
            found |= more
    found |= _solved(changed, programs, found, scope)
    if any(_guards_changed(c, programs) for c in changed):  # each value may take the changed statements
        return sorted(found)
    return sorted(v for v in found if not all(_alike(c, programs, v) for c in changed))


def _solved(changed: list[Changed], programs: tuple[Program, Program], values: set[int], scope: Scope) -> set[int]:
    """A value at which the two forms of a changed condition differ where none next to their constants (nor a bit
    alone) does, found by the solver: over the one name read (models.neighbours.judged: ``(err + 7) % 1000003 == (UD
    + 7) % 1000003`` for ``err == UD``), else over the answer with the leaf and constant locals at what they hold in
    ``scope`` (models.decided.differing_answers: ``is_ud(err, fn)`` testing ``err % 65537`` for P-SEAMLDR leaves).
    Run, it shows what the change does there."""
    from models.condeval import MASK64
    from models.decided import differing_answers
    from models.neighbours import judged

    tried = {*values, 0, MASK64, *(1 << i for i in range(64))}
    out: set[int] = set()
    for c in changed:
        if c.a is None or c.b is None:
            continue
        same, value = judged(programs[0], c.a, programs[1], c.b, values)
        if same is False and value is not None:
            out.add(value)
        elif same is None:
            out |= (differing_answers(programs[0], c.a, programs[1], c.b, scope, values) or set()) - tried
    return out


def _leaf_only(c: Changed, programs: tuple[Program, Program], scope: Scope) -> bool:
    """Whether each form of a changed condition is worked out from the leaf and constants alone under every leaf
    compared (``if (unlikely(is_seamldr_call(fn)))`` added): no answer takes it another way, so the values next to
    its constants (the leaves' neighbours, as answers) test nothing of it, and it keeps no value for another
    (an added condition agrees with none). Its two ways are each leaf's scenarios'."""
    from models.decided import leaf_decided

    return all(leaf_decided(p, d, scope) for d, p in ((c.a, programs[0]), (c.b, programs[1])) if d is not None)


def reads_more(changed: list[Changed], programs: tuple[Program, Program], scope: Scope) -> bool:
    """Whether a changed condition may read more than the answer, the leaf and constants (models.decided.answer_only;
    or one side adds or removes it): an input register (``args->rdx``), which runs starting with the inputs of the
    matrix's scripts may take another way. One of those alone comes out alike whatever the inputs: its runs from
    all 0 tell it apart as well."""
    from models.decided import answer_only

    return any(c.a is None or c.b is None or not answer_only(programs[0], c.a, programs[1], c.b, scope)
               for c in changed if not _leaf_only(c, programs, scope))


def _alike(c: Changed, programs: tuple[Program, Program], value: int) -> bool:
    """Whether the two forms of a changed condition are known to come out alike when what they differ in reads
    ``value``: no run with it as the answer could tell them apart (models.neighbours.agree_on)."""
    from models.neighbours import agree_on

    return c.a is not None and c.b is not None and agree_on(programs[0], c.a, programs[1], c.b, [value]) is True


def _guards_changed(c: Changed, programs: tuple[Program, Program]) -> bool:
    """Whether the statements a changed condition decides between (an if's branches, a loop's body, the arms of a
    ``?:``) differ between the two sides: a condition rewritten to the same truth whose branch now prints another
    conversion (``%llx`` -> ``%llu``) shows it only at the answers that take that branch and print apart (0x1f, not
    the 5 a script gives), which are the values next to what the condition tests, alike or not."""
    from models.condeval import shape as _shape

    if c.a is None or c.b is None:
        return False
    return [_shape(n) for n in _guarded(programs[0], c.a)] != [_shape(n) for n in _guarded(programs[1], c.b)]


def _guarded(program: Program, d: Decision) -> list[c_ast.Node]:
    """The statements the decision's condition chooses between, in its function."""
    from pycparser import c_ast

    func = program.functions.get(d.function)
    todo: list[c_ast.Node] = [func.body] if func is not None else []
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp)) and n.cond is d.node:
            return [x for x in (getattr(n, k, None) for k in ("iftrue", "iffalse", "stmt")) if x is not None]
        todo.extend(n)
    return []
