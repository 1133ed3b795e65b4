"""What bit 63 of the leaf (P-SEAMLDR or TDX module) fixes in a program: decisions it decides, code it keeps out.

A rule that compares the leaves of one component (``tdx-module-calls-unchanged``: TDX-module leaves only) has shown
a changed decision only if the compared runs took it both ways, unless no leaf of that component could take it the
other way. By the ABI, bit 63 of a leaf is set for every P-SEAMLDR leaf and clear for every TDX-module leaf
(models.machine.SEAMLDR_BIT); no other bit is the same for a whole component (a versioned TDX-module leaf has bits
16-23 set). So this module proves, for each value of bit 63, which decisions come out the same in every run whose
leaf has it, whatever the other bits and the SEAMCALL answers: ``is_seamldr_call(fn)``, ``fn & BIT_ULL(63)`` under
any name, but never ``fn >> 16`` nor ``fn & 0xff0000``.

How: the entry wrapper's leaf (models.cload: ``__sh_fn``) has that bit known and every other unknown
(models.knownbits); a parameter's known bits are what every direct call of its function passes there (a function
named as a value, called through a pointer with anything, knows none); a parameter the function stores into,
shadows or takes the address of knows none, nor does any other variable. A call of a function whose body is one
``return`` is evaluated with its arguments (``static inline bool is_seamldr_call(u64 fn)``). Code on the side of a
fixed decision not taken (the body of an ``if`` that comes out false, the right of ``0 && x``) cannot run: its
statements and decisions are listed as such, unless a label in it could be jumped to.
"""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.errors import MirrorError
from models.facts import DEAD, OTHER_BITS
from models.knownbits import Bits, Value, convert, join
from models.leafcode import LeafCode
from models.leafeval import LeafEval, passes
from models.leaftaint import locals_of
from models.leafwalks import Read, keep_walk, keeps, walked_before
from models.marks import decision_tag
from models.otherbits import carried_variables, other_bits, printed_other_bits
from models.pointercalls import callable_from
from models.typesys import TypeSystem

_LEAF_BIT = 63
_MAX_ROUNDS = 256  # rounds of the parameters' fixpoint (each round that changes loses a known bit)
Gains = dict[str, dict[str, dict[str, dict[str, str]]]]  # bit -> entry -> function -> coverage key -> value


def _param_bits(code: LeafCode, bit: int, seeds: set[str] | None = None, merged: list[str] | None = None
                ) -> dict[str, dict[str, Value]] | None:
    """Per function that some entry point reaches by direct calls, its parameters' known bits when the leaf's bit
    63 is ``bit`` (a parameter absent: nothing known); None when the fixpoint does not settle. ``seeds``: the entry
    wrappers whose runs count (default: every entry point's); ``merged`` is given each function whose calls passed
    it values that differ in bit 63 (what one of them knew of it is lost: an analysis of fewer entry points may
    know more)."""
    program = code.program
    wrappers = set(program.entries.values())
    state: dict[str, list[Value]] = {}
    for name in code.pointed if seeds is None else _callable(code, seeds):  # called through a pointer, with anything
        state[name] = [None] * len(code.params[name])
    for w in (wrappers if seeds is None else seeds) & program.functions.keys():
        t = code.params[w][0][1] if code.params[w] else None
        leaf = Bits(t, 1 << _LEAF_BIT, bit << _LEAF_BIT) if t is not None and t.bits > _LEAF_BIT else None
        state[w] = [leaf] + [None] * (len(code.params[w]) - 1)
    calls = code.calls
    # Each function's parameters as its calls were last read with: while they stay, its calls pass what they passed
    # (the values it was joined with already took those in: a join of them again changes nothing, and merged has
    # the callee if they ever disagreed in bit 63), so the function is not read again.
    read: dict[str, list[Value]] = {}
    for _ in range(_MAX_ROUNDS):
        changed = False
        for fn in list(state):
            if read.get(fn) is state[fn]:
                continue
            read[fn] = state[fn]
            ev = LeafEval(code, fn, _env(code, fn, state[fn]))
            for call in calls[fn]:
                callee = call.name.name
                if callee in wrappers or callee not in program.functions or callee in ev.local:
                    continue
                changed |= _pass(code, callee, [ev.value(a) for a in (call.args.exprs if call.args else [])], state,
                                 merged)
        if not changed:
            return {fn: _env(code, fn, values) for fn, values in state.items()}
    return None


def _env(code: LeafCode, fn: str, values: list[Value]) -> dict[str, Value]:
    return {p: v for (p, _), v in zip(code.params[fn], values, strict=True) if p and p not in code.unusable[fn]}


def _pass(code: LeafCode, callee: str, args: list[Value], state: dict[str, list[Value]],
          merged: list[str] | None = None) -> bool:
    """Join one call's arguments (converted to the parameters' types) into the callee's; whether that changed it."""
    params = code.params[callee]
    given = [convert(a, t) if t is not None and i < len(args) and passes(code, callee, len(args)) else None
             for i, ((_, t), a) in enumerate(zip(params, args + [None] * len(params), strict=False))]
    old = state.get(callee)
    if merged is not None and old is not None and any(_knows(a) != _knows(b) for a, b in zip(old, given, strict=True)):
        merged.append(callee)
    new = given if old is None else [join(a, b) if a is not None and b is not None and a.t == b.t else None
                                     for a, b in zip(old, given, strict=True)]
    if new == old:
        return False
    state[callee] = new
    return True


def _knows(v: Value) -> int | None:
    """Bit 63 of a value where it is known, else None."""
    if v is None or v.t.bits <= _LEAF_BIT or not v.known >> _LEAF_BIT & 1:
        return None
    return v.value >> _LEAF_BIT & 1


class _Marks:
    """Coverage keys of one value of bit 63: each decision's value ("T", "F": the same in every run; None: not),
    each statement or decision that cannot run (DEAD), and each one that can (a key two nodes share counts as
    fixed only when every node with it is, the same way: a macro's expansions share their place)."""

    def __init__(self, code: LeafCode) -> None:
        self.program, self.keys, self.tags = code.program, code.keys, code.tags
        self.seen: dict[str, set[str | None]] = {}
        self.fn = ""  # the function walked
        self.log: list[tuple[str, str | None]] | None = None  # what put() was given, while a walk is kept (_marked)
        self.owner: dict[str, set[str]] = {}  # key -> the functions it was marked in (a macro's place: several)
        self.bare = False  # walking code that cannot run and holds no label

    def key(self, node: c_ast.Node) -> str:
        key = self.keys.get(id(node))
        if key is None:
            key = self.keys[id(node)] = self.program.site(node.coord)
        return key

    def put(self, key: str, value: str | None) -> None:
        if self.log is not None:
            self.log.append((key, value))
        seen = self.seen.get(key)
        if seen is None:  # a key's first mark: its sets made here, not an empty one made and dropped at every mark
            self.seen[key], self.owner[key] = {value}, {self.fn}
        else:
            seen.add(value)
            self.owner[key].add(self.fn)

    def fixed(self) -> dict[str, str]:
        return {k: v for k, vs in sorted(self.seen.items()) if len(vs) == 1 and (v := next(iter(vs))) is not None}

    def walk(self, ev: LeafEval, node: c_ast.Node | None, dead: bool) -> None:
        """Mark ``node`` and what it holds; ``dead``: it cannot run."""
        if node is None:
            return
        if dead and not self.bare:
            if _labelled(node):
                dead = False  # a goto or a switch may enter it
            else:  # nor any node in it: not searched again at each of them (quadratic in its depth)
                self.bare = True
                try:
                    self.walk(ev, node, dead)
                finally:
                    self.bare = False
                return
        if getattr(node, "coord", None) is not None:
            self.put(self.key(node), DEAD if dead else None)
        if isinstance(node, (c_ast.If, c_ast.TernaryOp)):
            truth = self.decide(ev, node.cond, dead)
            self.walk(ev, node.iftrue, dead or truth is False)
            self.walk(ev, node.iffalse, dead or truth is True)
        elif isinstance(node, (c_ast.While, c_ast.For)):
            self.walk(ev, getattr(node, "init", None), dead)
            truth = self.decide(ev, node.cond, dead) if node.cond is not None else None
            self.walk(ev, node.stmt, dead or truth is False)
            self.walk(ev, getattr(node, "next", None), dead or truth is False)
        elif isinstance(node, c_ast.DoWhile):
            self.walk(ev, node.stmt, dead)
            self.decide(ev, node.cond, dead)
        elif isinstance(node, c_ast.BinaryOp) and node.op in ("&&", "||"):
            left = self.decide(ev, node.left, dead)
            self.decide(ev, node.right, dead or left is (node.op == "||"))
        else:
            stored = node.rvalue if isinstance(node, c_ast.Assignment) else \
                node.init if isinstance(node, c_ast.Decl) and isinstance(node.init, c_ast.Node) else None
            printed = printed_other_bits(ev, node) if not dead and isinstance(node, c_ast.FuncCall) else None
            if not dead and stored is not None and other_bits(ev, stored):
                self.put("=" + self.key(node), OTHER_BITS)
            if printed is not None:  # the call, or the print of a helper it hands such a format
                self.put("=" + self.key(printed), OTHER_BITS)
            for child in node:
                self.walk(ev, child, dead)

    def decide(self, ev: LeafEval, cond: c_ast.Node, dead: bool) -> bool | None:
        """Mark a decision (its ``?place~size`` key) and what it holds; its value in every run, or None."""
        truth = None if dead else ev.truth(cond)
        tag = self.tags.get(id(cond))
        if tag is None:
            tag = self.tags[id(cond)] = f"?{self.key(cond)}~{decision_tag(cond)}"
        self.put(tag, DEAD if dead else None if truth is None else "T" if truth else "F")
        if isinstance(cond, c_ast.BinaryOp) and cond.op in ("&&", "||"):
            self.walk(ev, cond, dead)  # its operands are decisions of their own
        else:
            for child in cond:
                self.walk(ev, child, dead)
        return truth


def _labelled(node: c_ast.Node) -> bool:
    """Whether a label, a case or a default is in ``node``: a jump may enter it whatever decided around it."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.Label, c_ast.Case, c_ast.Default)):
            return True
        todo.extend(n)
    return False


def _marked(code: LeafCode, params: dict[str, dict[str, Value]] | None) -> _Marks | None:
    """The marks of every function of ``params`` (_param_bits; None: the analysis did not settle, or cannot read
    the code)."""
    try:
        if params is None:
            return None
        if code.carried is None:  # what stores anywhere set from other bits of the leaf, read by the walks' prints
            settled = [p for b in (0, 1) if (p := _settled(code, b)) is not None]
            code.carried = carried_variables(code, settled, LeafEval)
        marks = _Marks(code)
        for fn, func in code.program.functions.items():
            if fn in params:  # a function no entry point calls never runs: nothing to say of it
                marks.fn = fn
                env = params[fn]
                key = (fn, tuple(env.items()))
                kept = code.walked.get(key)
                if kept is None:  # walked once per known bits of its parameters (LeafCode.walked), and across
                    kept = walked_before(code, func, key[1])  # programs where it read the same (models.leafwalks)
                if kept is None:
                    read: list[Read] | None = [] if keeps(code) else None
                    marks.log = []
                    marks.walk(LeafEval(code, fn, env, 0, read), func.body, False)
                    code.walked[key], marks.log = marks.log, None
                    if read is not None:
                        keep_walk(func, key[1], read, code.walked[key])
                else:
                    code.walked[key] = kept
                    for mark, value in kept:
                        marks.put(mark, value)
    except (RecursionError, MirrorError):  # code nested past Python's stack, or not modelled: nothing proven
        return None
    return marks


def _code(program: Program) -> LeafCode | None:
    try:
        return LeafCode(program, TypeSystem(program.ast, program.where, program.dropped, program.partial))
    except (MirrorError, KeyError, AttributeError, RecursionError):
        return None


def bit63_facts(program: Program) -> tuple[dict[str, dict[str, str]], Gains]:
    """component_fixed and entry_gains, the program read once for both."""
    code = _code(program)
    if code is None:
        return {}, {}
    fixed = component_fixed(program, code)
    return fixed, entry_gains(program, fixed, code)


def component_fixed(program: Program, code: LeafCode | None = None) -> dict[str, dict[str, str]]:
    """Per value of the leaf's bit 63 ("0": TDX-module leaves, "1": P-SEAMLDR leaves), coverage keys as
    models.statements records them: a decision (``?path:line:col~size``) that comes out the same in every run of
    every entry point given such a leaf ("T" or "F"), and a statement (``path:line:col``) or decision that cannot
    run in them (DEAD). Empty for a value whose analysis does not settle, or when the types cannot be read."""
    code = code or _code(program)
    if code is None:
        return {}
    out: dict[str, dict[str, str]] = {}
    for bit in (0, 1):
        marks = _marked(code, _settled(code, bit))
        if marks is not None:
            out[str(bit)] = marks.fixed()
    return out


def _settled(code: LeafCode, bit: int, seeds: set[str] | None = None, merged: list[str] | None = None
             ) -> dict[str, dict[str, Value]] | None:
    key = (bit, None if seeds is None else frozenset(seeds))
    if key not in code.settled:  # worked out once per program (LeafCode.settled)
        found: list[str] = []
        try:
            code.settled[key] = _param_bits(code, bit, seeds, found), tuple(found)
        except (RecursionError, MirrorError):
            code.settled[key] = None, tuple(found)
    params, was_merged = code.settled[key]
    if merged is not None:
        merged.extend(was_merged)
    return params


def entry_gains(program: Program, fixed: dict[str, dict[str, str]], code: LeafCode | None = None) -> Gains:
    """Per value of bit 63 and per entry point, what the runs of that entry point alone fix beyond ``fixed``
    (component_fixed), by function: every function its runs can reach is listed (with nothing, when it gains
    nothing), so that a function absent is one those runs never enter. A helper another entry point calls with a
    constant leaf of the other component (``seamldr_get_info()`` passing a P-SEAMLDR leaf) knows no bit 63 for
    every entry point together, yet it does for the runs of one that passes its own leaf; a rule comparing only
    those runs reads fixed_for() of its entry points. A value of bit 63 is absent when no call lost what another
    knew of bit 63, or there is one entry point: nothing to gain."""
    wrappers = {e: w for e, w in program.entries.items() if w in program.functions}
    code = (code or _code(program)) if len(wrappers) > 1 else None
    if code is None:
        return {}
    out: Gains = {}
    for bit, known in fixed.items():
        merged: list[str] = []
        every = _settled(code, int(bit), None, merged)
        if not merged or every is None:  # no call lost what another knew of bit 63: no entry point knows more
            continue
        per: dict[str, dict[str, dict[str, str]]] = {}
        for entry, wrapper in sorted(wrappers.items()):
            enters = _enters(code, wrapper)
            if enters.isdisjoint(merged):  # its runs enter no function whose calls disagree: nothing gained
                per[entry] = {fn: {} for fn in sorted(enters)}
                continue
            params = _settled(code, int(bit), {wrapper})
            if params is None:
                continue
            reached: dict[str, dict[str, str]] = {fn: {} for fn in params}
            if all(every.get(fn) == env for fn, env in params.items()):
                per[entry] = reached  # its functions know what they know for every entry point: nothing gained
                continue
            marks = _marked(code, params)
            if marks is None:
                continue
            for key, value in marks.fixed().items():
                for fn in marks.owner[key] if key not in known else ():
                    reached[fn][key] = value
            per[entry] = reached
        out[bit] = per
    return out


def _enters(code: LeafCode, wrapper: str) -> set[str]:
    """The functions the runs of one entry point can enter, as _param_bits reaches them: its wrapper, what it calls
    directly, functions named as values (called through a pointer) and what those call, in turn."""
    program = code.program
    wrappers = set(program.entries.values())
    todo = [wrapper, *sorted(_callable(code, {wrapper}))]
    found: set[str] = set()
    while todo:
        fn = todo.pop()
        if fn in found or fn not in program.functions:
            continue
        found.add(fn)
        local = locals_of(program.functions[fn])
        todo += [c.name.name for c in code.calls[fn] if c.name.name not in wrappers and c.name.name not in local]
    return found


def _callable(code: LeafCode, seeds: set[str]) -> frozenset[str]:
    """models.pointercalls.callable_from for ``seeds``, once per program and seeds."""
    key = frozenset(seeds)
    if key not in code.callable:
        code.callable[key] = callable_from(code.program, key, code.pointed, code.calls, code.variables)
    return code.callable[key]
