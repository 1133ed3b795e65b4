"""Where the leaf decides or is printed in the code an entry point reaches (tests, stores, calls, prints of it).

"The leaf chooses nothing" (a behaviour rule's ``same_across_leaves``) is shown by runs only where the code
that reads the leaf ran: a retry code picked by ``fn >> 63`` inside a branch no script takes issues as many
SEAMCALLs for every leaf in every run, yet chooses by leaf. This module follows the leaf from each entry
point's ``fn`` argument (the wrapper models.cload builds passes it as ``__sh_fn``) through assignments,
declarations, calls (by argument position, into function-pointer targets too: every function the code names
as a value), return values, stores through a pointer parameter, globals and per-CPU variables, and lists each
place where it steers control:

- a decision (the condition of an if, a loop or a ``?:``, an operand of ``&&`` or ``||``) that reads it,
  keyed as models.statements.Compiler.decision records it (``?path:line:column~size``: pycparser places
  ``a && b`` and its ``a`` at one column, the size tells them apart; a run adds ``:T``/``:F``);
- each case label of a ``switch`` on it, keyed as the statement start a picked label records;
- a statement that calls through a function chosen by it (``ops[fn >> 63](...)``), by its start;
- a statement that stores a value read from it (``busy = codes[fn >> 63];``, ``this_cpu_write(v, fn >> 63)``),
  by its start: a test of that variable shows nothing of a store that never ran, nor a run of a per-CPU value
  written by leaf that it was not;
- a printk-family call given it (models.facts.PRINTS: ``pr_*()``, ``printk()``, ``dev_*()``), by its statement's
  start, and a ``WARN()`` whose message is given it, by the call's ``path:line`` (its warning event's place):
  how a line prints the leaf is known only from a run that printed it.

It errs towards more places: a variable is tainted wherever in the function it is set from the leaf
(flow-insensitive), a struct or array stored into taints its whole variable. A SEAMCALL's answer is the
script's, the same for every leaf, so a SEAM function's return value is not the leaf's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.cparse import cleanup_call, param_list, param_nodes
from models.facts import FORMAT_FIRST, PRINTS, SITE_LEAF_ARG, SITE_LEAF_ITSELF, SITE_LEAF_SHAPE, SITE_PRINT, SITE_WARN
from models.leafflowkeep import flowed_before, keep_flow
from models.leafitself import holds_low, initialised_once, kept_whole, stripped
from models.leafsitenodes import site_nodes
from models.leafsources import given_back
from models.leaftaint import Flow, Reader, locals_of
from models.loader import FEED_EXPRESSIONS
from models.marks import decision_tag
from models.nodecopy import origin
from models.outcome import SEAM_FUNCTIONS
from models.pointees import _named_as_values, file_variables
from models.pointertypes import converts_whole, file_typedef
from models.pointsat import UNKNOWN, pointees
from models.pointsat import stored_base as _base

DECISION = "decision"  # the site must come out both true and false
CASE = "case"  # the label must be picked
CALL = "call"  # the statement must run
STORE = "store"  # a value read from the leaf stored in a variable: the statement must run
PRINT = SITE_PRINT  # a printk-family call given the leaf: the statement must run
WARNS = SITE_WARN  # a WARN() whose message is given the leaf: it must fire (key: the call's path:line)
# An argument of a printk-family call that reads the leaf (key: the call's path:line:column, '@', its 0-based index):
# no run needs it; harness.consistency holds it to the conversion that prints it (models.printwidth).
LEAF_ARG = SITE_LEAF_ARG
# Such an argument that is the leaf itself, whatever the leaf (its low 32 bits whole): same key.
LEAF_ITSELF = SITE_LEAF_ITSELF
# Such a call's shape, where its format is the literal it takes first and no other printer shares its place
# (key: the call's path:line:column, '@', how many arguments follow the format).
LEAF_SHAPE = SITE_LEAF_SHAPE
# include/linux/percpu-defs.h: (variable, value)
_PERCPU_WRITES = frozenset({"this_cpu_write", "raw_cpu_write", "__this_cpu_write", "this_cpu_xchg", "raw_cpu_xchg"})
_WARNS = frozenset({"WARN", "WARN_ONCE", "WARN_TAINT", "WARN_TAINT_ONCE", "WARN_RATELIMIT"})

_LEAF = FEED_EXPRESSIONS["fn"]


def _callees(flow: Flow, call: c_ast.FuncCall, local: frozenset[str]) -> list[str]:
    """The functions of the code a call may enter: the one it names, or every target of a pointer."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else None
    funcs = flow.program.functions
    if name is not None and name not in local and name not in flow.variables:
        return [name] if name in funcs else []
    flow.pointer = True
    return sorted(flow.targets)


_ACTS = (c_ast.Assignment, c_ast.Decl, c_ast.Return, c_ast.FuncCall)


@lru_cache(maxsize=4096)
def _acts(body: c_ast.Node) -> tuple[c_ast.Node, ...]:
    """The nodes of a function's body that _visit reads, in the order of a walk of the whole body: found once per
    body, where a flow visits each function again in every round, for every entry point."""
    out = []
    todo: list[c_ast.Node] = [body]
    while todo:
        n = todo.pop()
        todo.extend(n)
        if isinstance(n, _ACTS):
            out.append(n)
            cleanup = cleanup_call(n)  # f(&var) at the end of its scope: the leaf the variable holds goes on too
            if cleanup is not None:
                out.append(cleanup)
    return tuple(out)


def _visit(flow: Flow, fn: str) -> None:
    """One pass over a function: what its statements taint, and what its calls pass on."""
    func = flow.program.functions[fn]
    r = Reader(flow, fn)
    params = param_list(func)
    for n in _acts(func.body):
        if isinstance(n, c_ast.Assignment) and r.reads(n.rvalue):
            _stored(flow, fn, *_base(n.lvalue), params)
        elif isinstance(n, c_ast.Decl) and n.name and n.init is not None and r.reads(n.init):
            flow.taint(fn, n.name)
        elif isinstance(n, c_ast.Return) and r.reads(n.expr) and fn not in flow.returns:
            flow.returns.add(fn)
            flow.changed = True
        elif isinstance(n, c_ast.FuncCall):
            _pass_on(flow, fn, n, r)
            _written_into(flow, fn, n, r, params)


def _stored(flow: Flow, fn: str, name: str | None, through: bool, params: list[str]) -> None:
    """A store of the leaf into ``name`` (``through``: where it points): the variable, a caller's the parameter is
    handed, and every file-scope variable it may point at (models.pointsat: ``*sc_pp = &vaf`` with ``sc_pp =
    &sc_keep``; all of them where that is not known: ``*(sc_pp + 1) = ..``). A flow that read what a file-scope
    pointer points at is not kept (models.leafflowkeep reads the functions it reached alone)."""
    if name is not None:
        flow.taint(fn, name)
    if not through:
        return
    if name is not None and name in params:
        flow.out_params.add((fn, params.index(name)))
        return
    # '*(sc_pp + 1) = ..', '*sc_get_pp() = ..': where it points is not known
    targets, outside = (frozenset({UNKNOWN}), True) if name is None else \
        pointees(flow.program, flow.program.functions[fn], name)
    flow.aliased = flow.aliased or outside
    for target in flow.variables if UNKNOWN in targets else targets:
        flow.taint(fn, target)


def _written_into(flow: Flow, fn: str, call: c_ast.FuncCall, r: Reader, params: list[str]) -> None:
    """A call of no function of the program (nor a print, a WARN(), a SEAMCALL) given the leaf after its first
    argument writes it into what that argument points at, as the kernel's copying and formatting functions do
    (lib/string.c ``memcpy(dst, src, n)``, ``memmove()``, ``strscpy()``; lib/vsprintf.c ``snprintf(buf, size, fmt,
    ..)``, whose buffer the prelude hands as ``__sh_char_buf(buf)``; a format that reads it, ``sc_fmts[fn & 3]``,
    counts): a print of it (``pr_err("%pV", &sc_keep)``, ``pr_err("%s", buf)``) prints the leaf."""
    args = call.args.exprs if call.args is not None else []
    name = call.name.name if isinstance(call.name, c_ast.ID) else None
    if name is None or len(args) < 2 or name in flow.program.functions or name in r.local or name in flow.variables \
            or name in PRINTS or name in _WARNS or name in SEAM_FUNCTIONS or name in _PERCPU_WRITES \
            or not any(r.reads(a) for a in args[1:]):
        return
    buf = args[0]
    if isinstance(buf, c_ast.FuncCall) and isinstance(buf.name, c_ast.ID) and buf.args is not None \
            and buf.name.name == "__sh_char_buf" and buf.args.exprs:
        buf = buf.args.exprs[0]
    # memcpy(&sc_keep, ..) writes sc_keep itself (memcpy(&p->m, ..) where p points); memcpy(dst, ..) where dst points
    name, through = _base(buf)
    _stored(flow, fn, name, through or not (isinstance(buf, c_ast.UnaryOp) and buf.op == "&"), params)


def _pass_on(flow: Flow, fn: str, call: c_ast.FuncCall, r: Reader) -> None:
    """A call's arguments that read the leaf taint the callee's parameters at their positions; a callee that
    stores the leaf through a pointer parameter taints the variable the caller passed there; a per-CPU write
    of it taints the per-CPU variable (what this_cpu_read() of it gives is the leaf's)."""
    args = call.args.exprs if call.args is not None else []
    if isinstance(call.name, c_ast.ID) and call.name.name in _PERCPU_WRITES and len(args) > 1 and r.reads(args[1]):
        base, _ = _base(args[0])
        if base is not None:
            flow.taint(fn, base)
    for callee in _callees(flow, call, r.local):
        flow.reach(callee)
        names = param_list(flow.program.functions[callee])
        for i, a in enumerate(args):
            if i < len(names) and names[i] and r.reads(a):
                flow.taint(callee, str(names[i]))
            if (callee, i) in flow.out_params:
                base, _ = _base(a)
                if base is not None:
                    flow.taint(fn, base)


def _sites(flow: Flow, fn: str) -> list[tuple[str, str]]:
    """(kind, key) of each place in ``fn`` where the leaf steers control (see the module doc)."""
    program = flow.program
    if not flow.tainted.get(fn) and not flow.globals and not flow.returns:
        return []  # no variable of it, no global and no call's value holds the leaf: nothing in it reads the leaf
    r = Reader(flow, fn)
    out: list[tuple[str, str]] = []

    def key(node: c_ast.Node) -> str:
        return program.site(node.coord)

    def decide(node: c_ast.Node | None) -> None:
        if node is not None and r.reads(node):
            out.append((DECISION, f"?{key(node)}~{decision_tag(node)}"))

    for n, stmt in site_nodes(program.functions[fn].body):
        if isinstance(n, (c_ast.If, c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.TernaryOp)):
            decide(n.cond)
        elif isinstance(n, c_ast.BinaryOp) and n.op in ("&&", "||"):
            decide(n.left)
            decide(n.right)
        elif isinstance(n, c_ast.Switch) and r.reads(n.cond) and isinstance(n.stmt, c_ast.Compound):
            out.extend((CASE, key(item)) for item in n.stmt.block_items or []
                       if isinstance(item, (c_ast.Case, c_ast.Default)))
        elif isinstance(n, c_ast.FuncCall) and stmt is not None:
            out.extend(_call_site(n, stmt, r, key))
        elif stmt is not None and ((isinstance(n, c_ast.Assignment) and r.reads(n.rvalue))
                                   or (isinstance(n, c_ast.Decl) and n.init is not None and r.reads(n.init))):
            out.append((STORE, key(stmt)))
    # Each call's key is its own: the file's line of its name (models.linecoord: below a #line too) and its column in
    # the preprocessed text, where a macro's expansion lays every call it makes out on the use's one line; so two
    # printers a macro makes are told apart by place (tests/models/test_leafflow.py).
    return out


def _call_site(call: c_ast.FuncCall, stmt: c_ast.Node, r: Reader, key: Callable[[c_ast.Node], str]
               ) -> list[tuple[str, str]]:
    """A call's leaf site: through a function the leaf picks (CALL), or a printer given the leaf (PRINT, WARNS)."""
    if not isinstance(call.name, c_ast.ID):
        return [(CALL, key(stmt))] if r.reads(call.name) else []
    args = call.args.exprs if call.args is not None else []
    if call.name.name in _PERCPU_WRITES and len(args) > 1 and r.reads(args[1]):
        return [(STORE, key(stmt))]  # a per-CPU value the leaf gives: a side effect that differs by leaf
    if call.name.name in _WARNS and (read := [i for i, a in enumerate(args) if i and r.reads(a)]):
        return [(WARNS, r.flow.program.where(call.coord)), *((LEAF_ARG, f"{key(call)}@{i}") for i in read)]
    if call.name.name in PRINTS and (read := [i for i, a in enumerate(args) if r.reads(a)]):
        itself = [(LEAF_ITSELF, f"{key(call)}@{i}") for i in read if _itself(r.flow, r.fn, args[i], frozenset())]
        literal = call.name.name in FORMAT_FIRST and isinstance(args[0], c_ast.Constant) and args[0].type == "string"
        shape = [(LEAF_SHAPE, f"{key(call)}@{len(args) - 1}")] if literal else []
        return [(PRINT, key(stmt)), *((LEAF_ARG, f"{key(call)}@{i}") for i in read), *itself, *shape]
    return []


def _itself(flow: Flow, fn: str, node: c_ast.Node, seen: frozenset[str]) -> bool:
    """Whether ``node`` in ``fn`` is the leaf the entry point was given, whatever it was: the wrapper's own, a
    parameter models.leafitself finds kept whole, which every call the flow reached passes such an argument, or a
    local variable initialised with such a value and kept whole, or a call or struct member that gives back such a
    value (models.leafsources)."""
    node = stripped(node)
    if isinstance(node, (c_ast.FuncCall, c_ast.StructRef)):
        back = _asked(flow.program, flow.variables, fn, node, -1)
        flow.typed.append((fn, node, -1, back))
        key = f"{fn}:{id(back)}"  # an expression that gives back itself, as far as a walk can tell
        return isinstance(back, c_ast.Node) and key not in seen and _itself(flow, fn, back, seen | {key})
    if not isinstance(node, c_ast.ID):
        return False
    kept = flow.itself.get((fn, node.name))
    if kept is not None:
        return kept
    func = flow.program.functions[fn]
    names = param_list(func)
    if node.name not in names:
        return _copied(flow, fn, node.name, seen)
    if fn in seen or not kept_whole(origin(func.body), node.name) or \
            not _holds(flow, fn, param_nodes(func)[names.index(node.name)]):
        return False
    if node.name == _LEAF:
        return True  # the wrapper's parameter (models.cload): the scenario's leaf
    found = _handed_whole(flow, fn, names.index(node.name), seen | {fn})
    if found or not seen:  # a False that cut a cycle (seen) may be True asked afresh
        flow.itself[(fn, node.name)] = found
    return found


def _copied(flow: Flow, fn: str, name: str, seen: frozenset[str]) -> bool:
    """Whether ``name``, a local variable of ``fn`` (no file-scope one: a use outside its block would be that),
    was initialised with the leaf itself and kept whole since (models.leafitself.initialised_once), its type one that
    keeps the leaf's low 32 bits, spelt so or through the file's typedefs (holds_low)."""
    key = f"{fn}.{name}"  # a variable initialised from itself, as far as a walk can tell
    flow.shadowing.add(name)
    func = flow.program.functions[fn]
    decl = None if key in seen or name in flow.variables else initialised_once(func.body, name)
    if decl is None or isinstance(decl.init, c_ast.InitList) or not _holds(flow, fn, decl):
        return False
    return _itself(flow, fn, decl.init, seen | {key})


def _handed_whole(flow: Flow, fn: str, at: int, inner: frozenset[str]) -> bool:
    """Whether every call of ``fn`` the flow reached (one or more) hands argument ``at`` the leaf itself."""
    calls = 0
    for caller in list(flow.tainted):
        local = locals_of(flow.program.functions[caller])
        for n in _acts(flow.program.functions[caller].body):
            if isinstance(n, c_ast.FuncCall) and fn in _callees(flow, n, local):
                args = n.args.exprs if n.args is not None else []
                if at >= len(args) or not _itself(flow, caller, args[at], inner) \
                        or not _converted_whole(flow, caller, n, fn, at):
                    return False
                calls += 1
    return calls > 0


def _converted_whole(flow: Flow, caller: str, call: c_ast.FuncCall, fn: str, at: int) -> bool:
    """Whether ``call`` (which may enter ``fn``) hands argument ``at`` on whole: by ``fn``'s own name, or through a
    pointer whose declared type keeps its low 32 bits there (models.pointertypes; ``void (*)(bool, u64)``: 0 or 1)."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else None
    if name == fn and name not in locals_of(flow.program.functions[caller]) and name not in flow.variables:
        return True
    found = converts_whole(flow.program, flow.program.functions[caller], call, at)
    flow.typed.append((caller, call, at, found))
    return found


_HOLDS = -2  # _asked's question whether a declaration's type keeps the leaf's low 32 bits (models.leafitself)


def _holds(flow: Flow, fn: str, decl: c_ast.Node) -> bool:
    """Whether ``decl`` (a parameter or local of ``fn``) has a type that keeps the leaf's low 32 bits, spelt so or
    through the file's typedefs, which a flow kept for a program of other typedefs must not answer (Typed)."""
    found = _asked(flow.program, flow.variables, fn, decl, _HOLDS)
    flow.typed.append((fn, decl, _HOLDS, found))
    return found is True


def _asked(program: Program, variables: frozenset[str], fn: str, node: c_ast.Node, at: int) -> object:
    """What a flow asks of the program beyond the definitions it reads: whether a call through a pointer in ``fn``
    hands argument ``at`` on whole (models.pointertypes), or (``at`` -1) the expression a call or a struct member
    gives back (models.leafsources: a struct's definition, out of any function, decides it), or (``at`` _HOLDS)
    whether a declaration of ``fn`` has a type that keeps the leaf's low 32 bits, through the file's typedefs."""
    func = program.functions[fn]
    if at == _HOLDS:
        return holds_low(node, file_typedef(program, func))
    if at >= 0:
        return converts_whole(program, func, node, at) if isinstance(node, c_ast.FuncCall) else None
    return given_back(program, func, node, locals_of(func), variables)


def leaf_sites(program: Program) -> dict[str, list[list[str]]]:
    """Per entry point of the program: ``[function, kind, key]`` for each place the leaf steers control or is
    printed in what it reaches (kind DECISION, CASE, CALL, STORE, PRINT or WARNS; see the module doc), the function by
    its name in the C. An entry whose code does not take the leaf has none."""
    targets, variables = _named_as_values(program), file_variables(program)
    out: dict[str, list[list[str]]] = {}
    for entry, wrapper in sorted(program.entries.items()):
        if wrapper not in program.functions:
            continue
        kept = flowed_before(program, (entry, wrapper), targets, variables, _asked)
        if kept is not None:
            out[entry] = [list(site) for site in kept]
            continue
        flow = Flow(program, targets, variables)
        flow.taint(wrapper, _LEAF)
        flow.changed = True
        # What a visit reads, by size (each set only grows), when each function was last visited: a visit of the same
        # adds what it added before, nothing; it is skipped.
        read: dict[str, tuple[int, int, int, int]] = {}
        while flow.changed:
            flow.changed = False
            for fn in list(flow.tainted):
                state = (len(flow.tainted[fn]), len(flow.globals), len(flow.returns), len(flow.out_params))
                if read.get(fn) != state:
                    read[fn] = state
                    _visit(flow, fn)
        found: dict[tuple[str, str, str], None] = {}
        for fn in sorted(flow.tainted):
            label = entry if fn == wrapper else program.c_name(fn)
            found.update(dict.fromkeys((label, kind, k) for kind, k in _sites(flow, fn)))
        out[entry] = [list(site) for site in found]
        _keep_flow(flow, entry, wrapper, tuple(found))
    return out


def _keep_flow(flow: Flow, entry: str, wrapper: str, sites: tuple[tuple[str, str, str], ...]) -> None:
    """Keep a flow's sites with what it read of its program (models.leafflowkeep): the functions it reached and the
    names they call, its targets where a call through a pointer read them, and what it asked beyond them; not where
    it read what a file-scope pointer points at (_stored)."""
    if flow.aliased:
        return
    names = set(flow.tainted) | flow.shadowing
    for fn in flow.tainted:
        names.update(_called_names(origin(flow.program.functions[fn].body)))
    keep_flow(flow.program, (entry, wrapper), flow.variables, (names, flow.targets if flow.pointer else None,
                                                                tuple(flow.typed)), sites)


@lru_cache(maxsize=4096)
def _called_names(body: c_ast.Node) -> frozenset[str]:
    """The names the calls of a body call by name (a cleanup variable's ``f(&var)`` among them): what a flow through
    it asks the program's functions of (models.leaftaint Reader._call_reads, _callees)."""
    return frozenset(n.name.name for n in _acts(body) if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID))
