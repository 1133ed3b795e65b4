"""What the value runs leave undecided: the changed conditions no run told apart, as the reports say them.

harness.valuecover runs the answers next to what a changed condition tests; a condition whose two forms agree on every
value tried (models.neighbours.same_truth), or whose differing answers all ran (models.decided), is decided; the rest
are said with each side's text and file:line and why (_undecided where nothing differs, _unshown where the comparison
differs already).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.matrixresult import MatrixResult
from harness.scriptenv import Start, start_of
from harness.valuecache import Found
from harness.valuereaders import line_text as _text
from harness.valueshown import leaf_why
from harness.variants import Variant
from models.record import record
from models.wordfind import BOUNDARY, CALL_AFTER, has_name

if TYPE_CHECKING:  # models.decided and models.neighbours import pycparser: imported where a condition is read
    from models.cload import Program
    from models.decided import Scope
    from models.neighbours import Changed, Decision

_SHOWN = 6  # answers named in a line; the rest counted


def _scripted(res: MatrixResult, positions: list[int]) -> set[int]:
    """The first answers the scripts of these scenarios give: values the runs that were compared took already."""
    scenarios = res.matrix.scenarios
    return {scenarios[p].script.answers[0].code for p in positions if scenarios[p].script.answers}


def _side(d: Decision | None, v: Variant) -> str:
    return f"none in {v.name}" if d is None else f"'{_text(v, d.where)}' ({d.where}) in {v.name}"


def _func(c: Changed, programs: tuple[Program, Program]) -> str:
    d, p = (c.a, programs[0]) if c.a is not None else (c.b, programs[1])
    return p.c_name(d.function) if d is not None else "?"


def _said(c: Changed, programs: tuple[Program, Program], sides: tuple[Variant, Variant], why: str) -> str:
    """A changed condition as the reports say it: its function, each side's text and file:line, and the helpers
    it calls whose code differs (what each returns where it first differs)."""
    through = "".join(f", through {name}(): '{_text(sides[0], wa)}' ({wa}) in {sides[0].name} -> "
                      f"'{_text(sides[1], wb)}' ({wb}) in {sides[1].name}" for name, wa, wb in c.via)
    reading = "".join(f", reading {name} of {va} in {sides[0].name} and {vb} in {sides[1].name}"
                      for name, va, vb in c.reads)
    return f"a condition of {_func(c, programs)}() changed, {_side(c.a, sides[0])} -> {_side(c.b, sides[1])}" \
        f"{through}{reading}: {why}"


# struct tdx_module_args' registers: a condition reading one of them after the call reads what the SEAMCALL wrote.
_REGISTERS = frozenset({"rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rbx", "rdi", "rsi"})


def _registers(c: Changed, programs: tuple[Program, Program]) -> str:
    """The registers of a SEAMCALL's arguments (``args->rcx``) the condition reads on either side, as the reports
    name them ('rcx', 'rcx or rdx'); '' for none. The values next to what it tests are run as the SEAMCALL's status
    (harness.valuecover._script), never in these. A local its function stores a register in (``rcx = args->rcx;``,
    ``u64 rcx = args->rcx;``) and the condition reads counts as that register: the condition reads it all the same."""
    from pycparser import c_ast

    from models.condeval import nodes
    from models.neighbours import free_names

    def walk(n: c_ast.Node) -> list[str]:
        here = [n.field.name] if isinstance(n, c_ast.StructRef) and isinstance(n.field, c_ast.ID) \
            and n.field.name in _REGISTERS else []
        return here + [r for _, child in n.children() for r in walk(child)]

    def held(func: c_ast.FuncDef) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for n in nodes(func.body):
            name, value = (n.name, n.init) if isinstance(n, c_ast.Decl) else \
                (n.lvalue.name, n.rvalue) if isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID) \
                else (None, None)
            if name and value is not None and (regs := walk(value)):
                out.setdefault(name, []).extend(regs)
        return out

    found: list[str] = []
    for d, p in ((c.a, programs[0]), (c.b, programs[1])):
        if d is None:
            continue
        found += walk(d.node)
        func = p.functions.get(d.function)
        stores = held(func) if func is not None else {}
        found += [r for name in sorted(free_names(d.node)) for r in stores.get(name, [])]
    return " or ".join(dict.fromkeys(found))


def _known(res: MatrixResult, values: list[int]) -> list[int]:
    return [*values, *res.matrix.leaves.values(), *(a.code for s in res.matrix.scripts for a in s.answers)]


def _refactor(res: MatrixResult, c: Changed, programs: tuple[Program, Program], values: list[int]) -> bool:
    """Whether the two forms agree on every value tried (those, the matrix's leaves and status codes, every bit
    alone: models.neighbours.same_truth), or disagree on every one: a test turned round with its two ways swapped
    (``if (err == TDX_SUCCESS) return 0;`` made ``if (err != TDX_SUCCESS) goto fail;``, or the error path put in
    the ``if``'s block). Either way the answers split as before, each way of it ran on each side (harness.linecover
    holds a changed line to that), and the runs compared what each side does in each part; a way that is not the
    other's, swapped, shows there as a difference."""
    from pycparser import c_ast

    from models.neighbours import same_truth

    if c.a is None or c.b is None:
        return False
    known = _known(res, values)
    if same_truth(programs[0], c.a, programs[1], c.b, known) is True:
        return True
    turned = replace(c.b, node=c_ast.UnaryOp("!", c.b.node, c.b.node.coord))
    return same_truth(programs[0], c.a, programs[1], turned, known) is True


@record
class Held:
    """The runs a changed condition is held to: their leaves and entry points, and the answers each leaf ran with."""

    scope: Scope
    covered: frozenset[int]


def _starts(res: MatrixResult, positions: list[int]) -> dict[tuple[str, Start], list[int]]:
    """The positions by leaf and start (CPU, context, CPU features and static keys: harness.scriptenv.start_of), in
    the order they come: each start of a leaf runs the values (harness.valuecover._plan), as a change that only an
    interrupt handler or a CPU with a feature takes ('if (in_interrupt())' around it) shows in that start alone."""
    out: dict[tuple[str, Start], list[int]] = {}
    for p in positions:
        s = res.matrix.scenarios[p]
        out.setdefault((s.leaf_name, start_of(s.script.cpu, s.script.context, s.script.features)), []).append(p)
    return out


def _held(res: MatrixResult, lanes: dict[int, list[int]], values: list[int]) -> Held:
    """The leaves of the scenarios compared, and the answers run under each: the values run (each leaf runs those
    its scripts do not answer first, in each start: _starts) and those the scripts of every leaf, in each of its
    starts, answer first."""
    scripted = [_scripted(res, at) for positions in lanes.values() for at in _starts(res, positions).values()]
    every = set.intersection(*scripted) if scripted else set()
    return Held(_scope(res, [p for at in lanes.values() for p in at]), frozenset(every | set(values)))


def _scope(res: MatrixResult, positions: list[int]) -> Scope:
    from models.decided import Scope

    scenarios = [res.matrix.scenarios[p] for p in positions]
    return Scope(tuple(sorted({s.leaf for s in scenarios})), frozenset(s.entry.name for s in scenarios))


def _decided(c: Changed, programs: tuple[Program, Program], held: Held, known: list[int]) -> bool:
    """Whether the runs decide a changed condition (models.decided): every answer at which its forms differ in
    scope ran, or, added or removed, it reads only the leaf and constants."""
    from models.decided import differing_answers, leaf_decided

    if c.a is None or c.b is None:
        d, p = (c.a, programs[0]) if c.a is not None else (c.b, programs[1])
        return d is not None and leaf_decided(p, d, held.scope)
    apart = differing_answers(programs[0], c.a, programs[1], c.b, held.scope, [*known, *held.covered])
    return apart is not None and apart <= held.covered


def _undecided(res: MatrixResult, changed: list[Changed], programs: tuple[Program, Program], values: list[int],
               sides: tuple[Variant, Variant], held: Held, cut: bool = False) -> tuple[str, ...]:
    """The changed conditions no run told apart, unless their two forms agree on every value tried or the runs
    decide them (_decided); ``cut``: some value runs were cut short by time (``values``: those that ran)."""
    tried = ", ".join(f"{v:#x}" for v in values[:_SHOWN]) + \
        (f" and {len(values) - _SHOWN} more" if len(values) > _SHOWN else "")
    why = f"neither the scenarios that ran nor the answers next to what it tests ({tried}) tell the two apart" \
        if values else "no scenario that ran tells the two apart (it tests no constant to take answers next to)"
    if cut:
        ran = f"; of those that ran ({tried}), none tells the two apart" if values else ""
        why = f"no scenario that ran tells the two apart ({_CUT}{ran})"
    from harness.countedalike import counted_alike  # pycparser's: asked where conditions changed, not from a cache

    known, out = _known(res, values), []
    # A loop's exit test with its counter spelt otherwise, the loops going round as many times (harness.countedalike).
    for c in (c for c in changed if not _refactor(res, c, programs, values) and not counted_alike(c, programs)):
        leaves = leaf_why(c, programs, held.scope)  # the runs decide a condition on the leaf for their leaves alone
        if leaves or not _decided(c, programs, held, known):
            regs = _registers(c, programs) if values and not leaves else ""
            out.append(_said(c, programs, sides, leaves or (why.replace(f"({tried})", f"({tried}, tried as the "
                                                                        f"SEAMCALL's status in RAX, not in {regs})")
                                                             if regs else why)))
    return tuple(dict.fromkeys(out))


def _unshown(res: MatrixResult, changed: list[Changed], programs: tuple[Program, Program],
             sides: tuple[Variant, Variant], positions: list[int], ran: tuple[set[int], str]) -> tuple[str, ...]:
    """Where the comparison differs: the changed conditions that no answer the compared scenarios gave (nor the
    values run, ``ran``: with what their runs came to) takes differently on the two sides, as far as the answers at
    which they differ are worked out (models.decided) and what they differ in is given a call's return; else
    nothing that ran is known to tell them apart. Which condition made a difference is not worked out: one an
    answer given takes apart may be it, so it is not listed; nor is one a side adds or removes (its lines ran or
    not: harness.linecover)."""
    from models.decided import differing_answers

    scenarios = [res.matrix.scenarios[p] for p in positions]
    given = {a.code for s in scenarios for a in s.script.answers} | ran[0]
    scope = _scope(res, positions)
    out = []
    for c in changed:
        if c.a is None or c.b is None or _refactor(res, c, programs, []):
            continue
        apart = differing_answers(programs[0], c.a, programs[1], c.b, scope, [*_known(res, []), *given])
        if apart is None or not apart & given:
            # Not worked out (a counter, a local): the comparison differs, maybe by it; "no scenario is known to
            # tell the two apart" read as a denial of the differences listed above it.
            # One parenthesis: '(it tests more than ...) (it tests no constant ...)' read as two afterthoughts.
            # Nor is "none of those answers takes the two apart" said where that is not worked out: a context test
            # ('&& in_interrupt()') the differing runs came from was said so; what is not worked out is named.
            reads = _unworked(c, programs, sides)
            what = f"it tests {reads} too, which no answer decides" if reads else \
                "it tests more than what the SEAMCALLs answer"
            why = f"no answer the scenarios gave takes the two apart ({ran[1]})" if apart is not None else \
                f"whether the differences found come from it is not worked out ({what}; " \
                f"{ran[1].removesuffix(_NONE_APART)})"
            out.append(_said(c, programs, sides, why))
    return tuple(dict.fromkeys(out))


_CUT = "the runs of some answers next to what it tests were cut short by the budget"
_OTHERS = " (the differences listed come from other runs)"
_NONE_APART = ", but none of those answers takes the two apart"
_CALLED = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


def _unworked(c: Changed, programs: tuple[Program, Program], sides: tuple[Variant, Variant]) -> str:
    """The calls a changed condition makes, as written on either side ('in_interrupt()'), that reach a call of no
    function of the code (a kernel primitive the mirror answers from the run's start: preempt_count(), the CPU's
    features), which models.decided does not work out: 'in_interrupt()', 'a() or b()'; '' for none."""
    from pycparser import c_ast

    from models.condeval import nodes
    from models.prelude import prelude_bodies, prelude_closure

    pairs = [(d, p, v) for d, p, v in ((c.a, programs[0], sides[0]), (c.b, programs[1], sides[1])) if d is not None]
    called = {n.name.name for d, p, _ in pairs for n in nodes(d.node) if isinstance(n, c_ast.FuncCall)
              and isinstance(n.name, c_ast.ID) and n.name.name not in p.functions}
    bodies = prelude_bodies()
    found = []
    for d, p, v in pairs:
        line = _text(v, d.where)
        for m in _CALLED.finditer(line):
            name = m.group(1)
            texts = [p.macros[name].text] if name in p.macros else []
            texts += [bodies[k] for k in prelude_closure({name})]
            if name in called or any(has_name(t, f, BOUNDARY, CALL_AFTER) for t in texts for f in called):
                found.append(_call_at(line, m.start()))
    return " or ".join(dict.fromkeys(found))


def _call_at(line: str, start: int) -> str:
    """The call written at ``start`` of a line, to its closing parenthesis ('boot_cpu_has(X86_FEATURE_RDRAND)');
    'name()' when it does not close on the line."""
    depth, at = 0, line.index("(", start)
    for i in range(at, len(line)):
        depth += {"(": 1, ")": -1}.get(line[i], 0)
        if depth == 0:
            return line[start:i + 1]
    return line[start:at] + "()"


def _ran_words(found: list[Found], ran: set[int], cut: bool = False) -> str:
    """What the value runs came to, for a changed condition _unshown lists (``cut``: some were cut short by time)."""
    if found:
        return f"the runs of the answers next to what it tests differ{_NONE_APART}"
    # Said under the differences the comparison lists: 'none of their runs differs' read as denying them.
    if cut:
        return f"{_CUT}, and the others came out alike on both sides{_OTHERS}" if ran else _CUT
    if ran:
        return f"the answers next to what it tests ran too, and each came out alike on both sides{_OTHERS}"
    return "it tests no constant to take answers next to"
