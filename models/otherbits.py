"""Whether a stored value is computed from bits of the leaf other than bit 63 (``codes[fn & 3]``), by known bits.

models.leafbits marks such a store (CodeFacts.bit63_fixed's OTHER_BITS under ``"=" + path:line:col``) for either
value of bit 63: the leaves of the matrix show only what theirs make of it, however often it ran (harness.leafsame).
The leaf is the one value models.leafbits knows in part (bit 63 alone); an operation on it whose result is known in
part, some bit below 63 among them, reads other bits of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pycparser import c_ast

from models.cparse import all_nodes as _nodes
from models.cparse import kept_nodes
from models.ctype import Int
from models.facts import PRINTS
from models.keptprints import buffer_print, kept_print
from models.knownbits import Value
from models.leafcode import POSITIONAL, LeafCode, stored_functions, uncast
from models.leafwalks import CARRIED, STORED, Read, called
from models.printhands import (
    INTO_BUFFER,
    address_of,
    format_at,
    lvalue_base,
    reads,
    set_from,
    va_format_holds,
    va_format_printed,
)


class _Eval(Protocol):
    """What of models.leafeval.LeafEval this module reads (a protocol: leafbits imports this module)."""

    code: LeafCode
    fn: str
    env: dict[str, Value]
    depth: int
    read: list[Read] | None
    local: frozenset[str]

    def __init__(self, code: LeafCode, fn: str, env: dict[str, Value], depth: int = 0,
                 read: list[Read] | None = None) -> None: ...

    def value(self, n: c_ast.Node | None) -> Value: ...

    def entered(self, call: c_ast.FuncCall) -> tuple[_Eval, c_ast.FuncDef, Int | None] | None: ...

_LEAF_BIT = 63


def other_bits(ev: _Eval, node: c_ast.Node) -> bool:
    """Whether an operation in ``node`` computes a value from bits of the leaf other than bit 63: an operator given a
    parameter only some of whose bits are known (the leaf: bit 63 alone) whose result is known in part, some bit
    below 63 among them (``fn & 3`` knows bits 2-63 alone; ``fn >> 63`` every bit), or an arithmetic one whose result
    is not known at all (``fn % 4``, ``fn * 2``: models.knownbits follows no such operator), here or in a ``return``
    of a helper it calls (``sc_code_for(fn)`` returning ``codes[fn & 3]``, its parameters known as the arguments are).
    The leaf itself, copied, converted or re-spelt (``fn & ~BIT_ULL(63)``), is no such operation: a test of it is one
    of the leaf (models.leafflow). A local every store to which copies the leaf (``u64 leaf = fn;``, or declared bare
    and set to it), never stepped nor its address taken, is read as the leaf, which models.leafbits knows of no
    local; an operator reading one that held the leaf otherwise (set again to another value, its address taken, or
    a pointer to it) counts as one on the leaf, whatever it computes."""
    if any(isinstance(x, c_ast.ID) and x.name in ev.local and x.name not in ev.env for x in _nodes(node)):
        copies, unsure = _leaf_locals(ev)
        if unsure and _reads_unsure(node, unsure):
            return True
        if copies:
            ev = type(ev)(ev.code, ev.fn, {**ev.env, **copies}, ev.depth, ev.read)
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.BinaryOp, c_ast.UnaryOp)) and n.op not in ("&&", "||", "sizeof") \
                and any(_part(ev.value(x)) for x in n if isinstance(uncast(x), c_ast.ID)) \
                and _computed(n.op, ev.value(n)):
            return True
        for direct in _callees(ev, n) if isinstance(n, c_ast.FuncCall) else ():
            if not (isinstance(direct.name, c_ast.ID) and (inner := ev.entered(direct)) is not None):
                continue
            if any(isinstance(r, c_ast.Return) and r.expr is not None and other_bits(inner[0], r.expr)
                   for r in _nodes(inner[1].body)):
                return True
        todo.extend(n)
    return False


def _callees(ev: _Eval, call: c_ast.FuncCall) -> list[c_ast.FuncCall]:
    """``call`` as calls of functions of the program by name: itself, called by name (or a name of no function nor
    pointer of the program); else one call of every function of the program stored anywhere in it to what it calls
    through, a pointer by its name (file-scope or local, its initialiser or a store at run time, ``sc_code_fn =
    sc_code_for;``) or a struct member by the member's name, whatever the struct (``.code = f``, ``ops->code = &f``),
    or by its place in any initialiser list (``{ sc_code_for }``: which member that is, is not read):
    ``sc_ops.code(fn)``, ``sc_opp->code(fn)``, ``(*sc_ops.code)(fn)``; none for a pointer nothing of the program is
    stored to."""
    callee = uncast(call.name)
    while isinstance(callee, c_ast.UnaryOp) and callee.op == "*":  # (*sc_ops.code)(fn) calls what it points to
        callee = uncast(callee.expr)
    if isinstance(callee, c_ast.ID) and callee.name in ev.code.program.functions and callee.name not in ev.local:
        direct = [call if callee is call.name else c_ast.FuncCall(callee, call.args, call.coord)]
        _read_calls(ev, direct)
        return direct
    names = _stored_callees(ev.code, callee, ev.read)
    if not names:
        found = [call] if isinstance(callee, c_ast.ID) and callee.name not in ev.local else []
    else:
        found = [c_ast.FuncCall(c_ast.ID(name, callee.coord), call.args, call.coord) for name in names]
    _read_calls(ev, found)
    return found


def _stored_callees(code: LeafCode, callee: c_ast.Node, read: list[Read] | None) -> tuple[str, ...]:
    """The functions of the program stored to what a call's ``callee`` (its ``*`` and casts taken off) calls
    through: a pointer by its name, a struct member by the member's name or its place in an initialiser list
    (leafcode.stored_functions); each key looked up noted in ``read`` (a walk kept is not reused where they change)."""
    key = callee.name if isinstance(callee, c_ast.ID) else "." + callee.field.name \
        if isinstance(callee, c_ast.StructRef) else None
    stored = stored_functions(code)
    keys = [] if key is None else [key, POSITIONAL] if key[:1] == "." else [key]
    if read is not None:
        read.extend((STORED, k, stored.get(k, ())) for k in keys)
    return tuple(sorted({name for k in keys for name in stored.get(k, ())}))


def _read_calls(ev: _Eval, calls: list[c_ast.FuncCall]) -> None:
    """Note, in a walk kept (models.leafwalks), each function ``calls`` name as the program has it or not, whatever
    is then read of it: a walk kept is not used again where a helper it looked at changed, or came to be."""
    if ev.read is not None:
        ev.read.extend(called(ev.code, c.name.name) for c in calls if isinstance(c.name, c_ast.ID))


_ARITHMETIC = ("%", "*", "/", "+", "-")  # operators models.knownbits knows nothing of the result of, given the leaf


def _computed(op: str, v: Value) -> bool:
    """Whether an operator given the leaf computed ``v`` from other bits of it than bit 63: known in part past bit 63,
    or an arithmetic result of which nothing is known (``fn % 4`` reads bits 0-1, ``fn * 2`` all but bit 63)."""
    return _part_past_bit_63(v) or (op in _ARITHMETIC and (v is None or v.known == 0))


def printed_other_bits(ev: _Eval, call: c_ast.FuncCall) -> c_ast.FuncCall | None:
    """The print whose format bits of the leaf other than bit 63 choose, as a call shows it: a pr_*() or printk()
    call with such a format (``pr_err(sc_fmts[fn & 3], fn, err)``, or a variable that carries one, _carries:
    ``pr_err(sc_m.fmt, ..)`` after ``sc_pick(fn)`` sets ``sc_m.fmt = sc_fmts[fn & 3]``), or, for a call of a
    function of the program handing such a value to a parameter that function prints as a pr_*() format
    (``seamcall_say(sc_fmts[fn & 3], fn, err)`` with ``pr_err(fmt, fn, err)``), that print; None for none. What a
    leaf whose bits no run had prints is not shown by the lines that ran (harness.consistency)."""
    args = call.args.exprs if call.args is not None else []
    if not args:
        return None
    name = call.name.name if isinstance(call.name, c_ast.ID) else ""
    at = format_at(name)
    if at is None:
        # a printer called by name or through a pointer or member some store of the program sets to it
        return next((printed for direct in _callees(ev, call) if isinstance(direct.name, c_ast.ID)
                     and (printed := _handed_format(ev, direct.name.name, args)) is not None), None)
    if at >= len(args) or not (_carries(ev, _format_of(args[at]), call) or (
            va_format_printed(args[at]) and any(_carries(ev, a, call) for a in args[at + 1:]))):
        return None
    # snprintf(buf, n, sc_fmts[fn & 3], ..) then pr_err("%s", buf): the print of the buffer
    return buffer_print(ev.code, ev.code.program.functions[ev.fn], call, ev.read) if name in INTO_BUFFER else call


def _format_of(arg: c_ast.Node) -> c_ast.Node:
    """The format a printk() format argument is made of: ``fmt`` of the prelude's dev_<level>()'s
    ``__sh_dev_prefixed(level, fmt)`` (models.printkstore.dev_format), else the argument itself."""
    if isinstance(arg, c_ast.FuncCall) and isinstance(arg.name, c_ast.ID) and arg.name.name == "__sh_dev_prefixed" \
            and arg.args is not None and len(arg.args.exprs) == 2:
        return arg.args.exprs[1]
    return arg


def _handed_format(ev: _Eval, name: str, args: list[c_ast.Node]) -> c_ast.FuncCall | None:
    """The pr_*() call of function ``name`` of the program whose format reads a parameter given a value computed from
    bits of the leaf other than bit 63 by ``args`` (the value itself, a local set to it, or the address of a local
    struct one of whose members is set to it), the parameter printed there or handed on again to another function
    of the program (``say(fmt)`` -> ``say2(fmt)`` -> ``pr_err(fmt)``; ``pr_err(m->fmt)``); None for none."""
    func = ev.code.program.functions.get(name)
    params = getattr(getattr(func.decl.type, "args", None), "params", None) if func is not None else None
    if func is None or name in ev.local or not params:
        return None
    # a variadic function's "..." (c_ast.EllipsisParam) has no name: the arguments it takes are no parameter's
    for p, a in zip(params, args, strict=False):
        if not isinstance(getattr(p, "name", None), str):
            continue
        # whether the parameter is printed as a format first: _carries may read much more
        printed, looked = ev.code.printing.get((name, p.name)) or _printed(ev.code, name, p.name)
        if ev.read is not None:  # every function it looked at, printing or not: as other_bits
            ev.read.extend(looked)
        if printed is not None and _carries(ev, a):
            return printed
    return None


def _printed(code: LeafCode, name: str, param: str) -> tuple[c_ast.FuncCall | None, tuple[Read, ...]]:
    """_printing(code, name, param) and what it looked up, kept in ``code.printing``."""
    looked: list[Read] = []
    found = code.printing[name, param] = _printing(code, name, param, [], looked), tuple(looked)
    return found


def _carries(ev: _Eval, arg: c_ast.Node, at: c_ast.Node | None = None) -> bool:
    """Whether ``arg`` hands on a value computed from other bits of the leaf: itself, or a variable, local or
    file-scope (or its address, a member or an element of it: ``sc_m.fmt``, ``m.inner.fmt``), some store to which is
    one (_stored_other_bits)."""
    if other_bits(ev, arg):
        return True
    name = lvalue_base(address_of(arg))
    if name is None:
        return False
    carried = ev.code.carried
    if name not in ev.local and name in ev.code.variables and carried is not None:
        if ev.read is not None:  # a walk kept is not reused where stores elsewhere set it otherwise
            ev.read.append((CARRIED, name, carried.get(name)))
        if name in carried:
            return True
    return _stored_other_bits(ev, frozenset({name}), frozenset(), [], _scope(ev, name, at))


def _scope(ev: _Eval, name: str, at: c_ast.Node | None) -> c_ast.Node:
    """Where the local ``name`` that ``at`` reads is in scope: the innermost block around ``at`` declaring it, where
    the function declares it more than once (each expansion of ``dev_err()`` declares its own ``__sh_dfmt``: one
    set from other bits of the leaf is no other's); else the function's body."""
    body = ev.code.program.functions[ev.fn].body
    blocks = [n for n in _nodes(body) if isinstance(n, c_ast.Compound)
              and any(isinstance(d, c_ast.Decl) and d.name == name for d in n.block_items or [])]
    if at is None or len(blocks) < 2:
        return body
    around = [b for b in blocks if any(x is at for x in _nodes(b))]
    return min(around, key=lambda b: sum(1 for _ in _nodes(b))) if around else body


def carried_variables(code: LeafCode, settled: list[dict[str, dict[str, Value]]],
                      make: Callable[[LeafCode, str, dict[str, Value]], _Eval]) -> dict[str, str]:
    """Each file-scope variable of the program that a store (``=``, to it or to a member or element of it) in a
    function some entry point reaches sets to a value computed from bits of the leaf other than bit 63, with the
    store's place ``path:line:col``: ``sc_m.fmt = sc_fmts[fn & 3];`` in a caller of the printer, or in an init the
    runs make before it; a print whose format reads the variable prints what such a leaf picks, whichever function
    it is in. ``settled``: per value of bit 63 analysed, each reached function's parameters' known bits
    (models.leafbits._param_bits); ``make``: models.leafeval.LeafEval. A function no entry point reaches knows
    nothing of the leaf: its stores are models.leafbits' and harness.printvars' (set outside the runs)."""
    found: dict[str, str] = {}
    for params in settled:
        for fn, env in params.items():
            if fn not in code.program.functions:
                continue
            ev, aliases = make(code, fn, env), None
            for n in kept_nodes(code.program.functions[fn].body):
                if not isinstance(n, c_ast.Assignment) or (name := lvalue_base(n.lvalue)) is None:
                    continue
                if name in ev.local:  # 'm->fmt = ..' with 'm = &sc_m' ('m = ..' stores into m alone)
                    if isinstance(uncast(n.lvalue), c_ast.ID):
                        continue
                    aliases = _aliases(ev, code.variables) if aliases is None else aliases
                    name = aliases.get(name, "")
                if name in code.variables and name not in found and other_bits(ev, n.rvalue):
                    found[name] = code.program.site(n.coord)
    return found


def _aliases(ev: _Eval, variables: frozenset[str]) -> dict[str, str]:
    """The locals of the function ``ev`` evaluates that some store or initialiser sets to the address of a
    file-scope variable of ``variables`` (or of a member or element of it), with that variable: ``struct sc_msg *m =
    &sc_m;`` stores through ``m`` into ``sc_m``."""
    found: dict[str, str] = {}
    for n in _nodes(ev.code.program.functions[ev.fn].body):
        local = n.name if isinstance(n, c_ast.Decl) else \
            lvalue_base(n.lvalue) if isinstance(n, c_ast.Assignment) else None
        value = uncast(n.init if isinstance(n, c_ast.Decl) else n.rvalue) if local is not None else None
        if isinstance(value, c_ast.UnaryOp) and value.op == "&" and isinstance(local, str) and local in ev.local \
                and (target := lvalue_base(value.expr)) in variables and target not in ev.local:
            found[local] = target
    return found


def _stored_other_bits(ev: _Eval, names: frozenset[str], pointed: frozenset[str], seen: list[str],
                       body: c_ast.Node | None = None) -> bool:
    """Whether a store in the function ``ev`` evaluates computes a value from other bits of the leaf into a variable
    of ``names`` (a local's initialiser, an ``=`` to it or to a member or element of it), or through a pointer
    parameter of ``pointed`` (``m->fmt = ..``, not ``m = ..``); or one in a function of the program it calls
    (followed with the arguments' known bits, each function once, ``seen``), into a file-scope variable of ``names``
    or through a parameter handed one of them or its address (``sc_pick(&m, fn)``). Where the stores are in the
    function is not read: one after the print counts as one before. ``body``: the part of the function read (where
    a local of ``names`` is in scope, _scope), by default all of it."""
    seen.append(ev.fn)
    body = ev.code.program.functions[ev.fn].body if body is None else body
    for n in _nodes(body):
        if isinstance(n, c_ast.Decl) and n.name in names and n.init is not None and other_bits(ev, n.init):
            return True
        if isinstance(n, c_ast.Assignment) and (lvalue_base(n.lvalue) in names or (
                lvalue_base(n.lvalue) in pointed and not isinstance(uncast(n.lvalue), c_ast.ID))) \
                and other_bits(ev, n.rvalue):
            return True
    shared = frozenset(x for x in names if x not in ev.local)  # file-scope: every function it calls sees them
    for call in (c for c in _nodes(body) if isinstance(c, c_ast.FuncCall)):
        if _written_by(ev, call, names | pointed):
            return True
        for direct in _callees(ev, call):
            name = direct.name.name if isinstance(direct.name, c_ast.ID) else ""
            args = direct.args.exprs if direct.args is not None else []
            handed = frozenset(p for (p, t), a in zip(ev.code.params.get(name, []), args, strict=False)
                               if p and t is None and lvalue_base(address_of(a)) in names | pointed)
            if name in seen or not (shared or handed) or (inner := ev.entered(direct)) is None:
                continue
            if _stored_other_bits(inner[0], shared - inner[0].local, handed, seen):
                return True
    return False


def _written_by(ev: _Eval, call: c_ast.FuncCall, names: frozenset[str]) -> bool:
    """Whether ``call``, of no function of the program, is handed first a variable of ``names`` (or its address, or
    a value read from it) and later a value computed from other bits of the leaf: the kernel's string and format
    functions write into their first argument from the others (lib/vsprintf.c ``snprintf(buf, size, fmt, ..)``,
    lib/string.c ``strscpy(dst, src, ..)``), as ``dev_err(dev, fmt, ..)`` does into the format it prints
    (models.prelude: include/linux/dev_printk.h)."""
    if not isinstance(call.name, c_ast.ID) or call.name.name in ev.code.program.functions or call.args is None \
            or call.name.name in PRINTS:  # a print reads its format
        return False
    first, *rest = call.args.exprs or [None]
    return first is not None and any(reads(first, x) for x in names) and any(other_bits(ev, a) for a in rest)


def _printing(code: LeafCode, name: str, param: str, seen: list[str], read: list[Read]) -> c_ast.FuncCall | None:
    """The pr_*() call of function ``name`` whose format reads parameter ``param``, or that of a function of the
    program it hands ``param`` on to, called by name, through a pointer or an ops member (_stored_callees), or
    through a file-scope object it stores ``param`` in (models.keptprints); ``seen``: the functions read, each once;
    ``read``: what was looked up (leafwalks.called, STORED), found or not."""
    seen.append(name)
    read.append(called(code, name))
    func = code.program.functions[name]
    for n in kept_nodes(func.body):  # a definition's body: walked once for every program holding it
        if not (isinstance(n, c_ast.FuncCall) and n.args is not None):
            continue
        args, at = n.args.exprs, format_at(n.name.name) if isinstance(n.name, c_ast.ID) else None
        if at is not None:
            if at < len(args) and (reads(args[at], param) or va_format_holds(func, args, at, param)):
                return buffer_print(code, func, n, read) if n.name.name in INTO_BUFFER else n
            continue
        callee = uncast(n.name)
        while isinstance(callee, c_ast.UnaryOp) and callee.op == "*":
            callee = uncast(callee.expr)
        named = callee.name if isinstance(callee, c_ast.ID) else None
        if named is not None:
            read.append(called(code, named))
        targets = (named,) if named is not None and named in code.program.functions else \
            _stored_callees(code, callee, read)
        for target in targets:
            read.append(called(code, target))
            params = getattr(getattr(code.program.functions[target].decl.type, "args", None), "params", None)
            for p, a in zip(params or [], args, strict=False):
                # handed on: the parameter, or a local struct set from it (``vaf.fmt = fmt; say(&vaf)``)
                if isinstance(getattr(p, "name", None), str) and target not in seen \
                        and (reads(a, param) or set_from(func, [a], param)) \
                        and (printed := _printing(code, target, p.name, seen, read)) is not None:
                    return printed
    return kept_print(code, func, param, read)


def _leaf_locals(ev: _Eval) -> tuple[dict[str, Value], set[str]]:
    """The locals of the function ``ev`` evaluates that copy the leaf (every store to them, declaration or ``=``, is
    the leaf: its known bits, bit 63 alone; never stepped, compound-assigned nor their address taken), with those
    known bits; and those that hold it otherwise (a store of the leaf among others, or their address taken), with
    every pointer local set to the address of one: what they hold is not followed."""
    stores: dict[str, list[c_ast.Node]] = {}
    stepped: set[str] = set()
    addressed: dict[str, set[str]] = {}  # name: the locals set to its address
    for n in _nodes(ev.code.program.functions[ev.fn].body):
        if isinstance(n, c_ast.Decl) and isinstance(n.name, str) and n.init is not None:
            stores.setdefault(n.name, []).append(n.init)
        elif isinstance(n, c_ast.Assignment) and isinstance(uncast(n.lvalue), c_ast.ID):
            stores.setdefault(uncast(n.lvalue).name, []).append(n.rvalue)
            if n.op != "=":
                stepped.add(uncast(n.lvalue).name)
        elif isinstance(n, c_ast.UnaryOp) and n.op in _STEPS and isinstance(uncast(n.expr), c_ast.ID):
            stepped.add(uncast(n.expr).name)
    for name, values in stores.items():
        for x in values:
            if isinstance(x, c_ast.UnaryOp) and x.op == "&" and isinstance(uncast(x.expr), c_ast.ID):
                addressed.setdefault(uncast(x.expr).name, set()).add(name)
    copies: dict[str, Value] = {}
    unsure: set[str] = set()
    for name, values in stores.items():
        leafy = [v for x in values if _part(v := ev.value(x)) and not _part_past_bit_63(v)]
        if name not in ev.local or not leafy:
            continue
        if len(leafy) == len(values) and name not in stepped and not _address_taken(ev, name):
            copies[name] = leafy[0]
        else:
            unsure |= {name, *addressed.get(name, set())}
    return copies, unsure


_STEPS = ("++", "--", "p++", "p--")


def _address_taken(ev: _Eval, name: str) -> bool:
    return any(isinstance(n, c_ast.UnaryOp) and n.op == "&" and isinstance(uncast(n.expr), c_ast.ID)
               and uncast(n.expr).name == name for n in _nodes(ev.code.program.functions[ev.fn].body))


def _reads_unsure(node: c_ast.Node, unsure: set[str]) -> bool:
    """Whether an operator in ``node`` (not ``&`` or ``*`` of one name alone) reads a local of ``unsure``."""
    for n in _nodes(node):
        if isinstance(n, (c_ast.BinaryOp, c_ast.UnaryOp)) and n.op not in ("&&", "||", "sizeof") and not (
                isinstance(n, c_ast.UnaryOp) and n.op in ("&", "*")) \
                and any(isinstance(x, c_ast.ID) and x.name in unsure for x in _nodes(n)):
            return True
    return False


def _part(v: Value) -> bool:
    return v is not None and 0 < v.known < v.t.mask


def _part_past_bit_63(v: Value) -> bool:
    """Known in part, some bit below 63 among those known: ``fn ^ BIT_ULL(63)`` or ``fn & ~BIT_ULL(63)`` carries
    every other bit of the leaf as the leaf does (the leaf re-spelt, as a copy is), ``fn & 3`` picks some."""
    return v is not None and 0 < v.known < v.t.mask and bool(v.known & ~(1 << _LEAF_BIT))
