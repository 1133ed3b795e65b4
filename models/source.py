"""Facts about the patched code itself, read from pycparser's AST: calls, printers, where a variable is set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from pycparser import c_ast

from models.cload import Program
from models.cparse import NodeWalker, all_nodes, cleanup_call, param_list
from models.escapes import address_escapes
from models.facts import CodeFacts, RetryRole, RoleKind
from models.leafbits import bit63_facts
from models.leafflow import leaf_sites
from models.linecoord import file_line
from models.loader import EntryPoint, Source, definitions, sliced
from models.macrouse import macro_calls, macros_used
from models.mirror import cached_mirror
from models.passedon import assigning, handed, handed_on
from models.printsites import print_sites
from models.printwidth import Prototypes, narrow_prints
from models.retryloop import retry_role
from models.slicer import Kind


class _Calls(NodeWalker):
    def __init__(self, program: Program) -> None:
        self.program = program
        self.names: Counter[str] = Counter()
        self.ids: set[str] = set()
        self.first: dict[str, str] = {}  # callee -> file:line of its first call

    def visit_FuncCall(self, node: c_ast.FuncCall) -> None:
        if isinstance(node.name, c_ast.ID):
            self.names[node.name.name] += 1
            self.first.setdefault(node.name.name, self.program.where(node.coord))
        self.generic_visit(node)

    def visit_Decl(self, node: c_ast.Decl) -> None:
        self.generic_visit(node)
        _visit_cleanup(self, node)

    def visit_ID(self, node: c_ast.ID) -> None:
        self.ids.add(node.name)


def _visit_cleanup(walker: NodeWalker, decl: c_ast.Decl) -> None:
    """The call a cleanup variable's scope makes on its way out (``__free_name(&var)``, a guard's destructor:
    models.cparse.cleanup_call, as the mirror runs it), walked as a call of the function: a helper only such a
    destructor calls is code the function reaches."""
    cleanup = cleanup_call(decl)
    if cleanup is not None:
        walker.visit(cleanup)


def _prototypes(sources: tuple[Source, ...]) -> Prototypes:
    """The text of a function's prototype in ``sources`` (the first), looked for once a printed call needs it: gcc
    types a call of a function whose body is in a file not read by it (models.printwidth)."""
    found: dict[str, str | None] = {}

    def text(name: str) -> str | None:
        if name not in found:
            found[name] = next((d.text for src in sources for start, lines in src.pieces
                                for d in sliced(src.path, start, lines)
                                if d.kind is Kind.PROTOTYPE and d.name == name), None)
        return found[name]

    return text


def code_facts(sources: tuple[Source, ...], entries: tuple[EntryPoint, ...] = ()) -> CodeFacts:
    """Facts of every function the entry points reach (every function of the sources when none are given)."""
    if not entries:
        table = definitions(sources)
        entries = tuple(EntryPoint(n, ("fn",)) for n, ds in table.items() if ds[0].kind is Kind.FUNCTION)
    program: Program = cached_mirror(sources, entries).program
    names = tuple(n for n in program.functions if n not in program.entries.values())
    calls: dict[str, Counter[str]] = {}
    ids: dict[str, frozenset[str]] = {}
    where: dict[str, str] = {}
    call_where: dict[str, dict[str, str]] = {}
    for name in names:
        node = program.functions.get(name)
        if node is None:
            continue
        named, used, first = _calls_in(program, node)
        calls[name], ids[name], call_where[name] = Counter(named), used, dict(first)
        where[name] = file_line(program.where, node.coord)  # the file's line, a Definition's where
    _through_initialisers(program, calls, ids)
    table = definitions(sources)
    for name in ids:
        found = [d for d in table.get(name, []) if d.kind is Kind.FUNCTION]
        if found:
            ids[name] |= macros_used(found[0].identifiers(), table)
            calls[name].update(macro_calls(found[0].text, calls[name], table))
    sets = {n: {k: list(v) for k, v in _once(program, "sets", program.functions[n], _sets).items()} for n in calls}
    roles = {n: r for n in calls if (r := _role(program, program.functions[n])) is not None}
    # A macro entry point's code is its expansion in the wrapper that runs it: a retry loop there is the macro's own.
    roles.update({e: r for e, w in program.entries.items() if e not in roles and w in program.functions
                  and (r := _role(program, program.functions[w])) is not None})
    unread = {**program.dropped, **_settable_pointers(program, calls)}
    facts = CodeFacts(tuple(calls), calls, ids, sets, where, call_where, dict(sorted(unread.items())),
                      leaf_sites(program), retry_roles=roles, passed=_passed(program, calls, sets),
                      print_sites=print_sites(program, tuple(calls)),
                      narrow_prints=narrow_prints(program, tuple(calls), _prototypes(sources)))
    fixed, gains = bit63_facts(program)
    escapes, returned = address_escapes(program)
    return replace(facts, entry_reach={e: _entry_reach(program, w, facts) for e, w in sorted(program.entries.items())
                                       if w in program.functions}, bit63_fixed=fixed, bit63_gains=gains,
                   escapes=escapes, returned=returned)


def _through_initialisers(program: Program, calls: dict[str, Counter[str]], ids: dict[str, frozenset[str]]) -> None:
    """Add to each function's calls and names what the file-scope variables it uses are initialised with: a call
    through ``static void (*hook)(void) = dump_stack;`` or an ops table is a use of the function it names."""
    inits = _initialisers(program)
    for name in ids:
        own = _own_names(program.functions[name])
        ids[name] |= _through_variables(ids[name] - own, inits)
        for var, n in list(calls[name].items()):
            if var in inits and var not in own:  # hook(): a call of what the pointer is initialised with
                calls[name].update({f: n for f in _through_variables(frozenset({var}), inits) - inits.keys()})
        for (var, field), n in _once(program, "members", program.functions[name], _member_calls).items():
            if var in inits and var not in own:  # table.dbg(), ops->dbg(): what the table gives that member
                held = _member_of(program, var, field, inits)
                calls[name].update({f: n for f in _through_variables(held, inits) | held if f not in inits})


def _initialisers(program: Program) -> dict[str, frozenset[str]]:
    """The names each file-scope variable's initialiser uses (a function pointer, an ops table's members)."""
    out: dict[str, frozenset[str]] = {}
    for node in program.ast.ext:
        if isinstance(node, c_ast.Decl) and node.name and node.init is not None:
            seen = _Calls(program)
            seen.visit(node.init)
            out[node.name] = frozenset(seen.ids)
    return out


def _through_variables(names: frozenset[str], inits: dict[str, frozenset[str]]) -> frozenset[str]:
    """The names the initialisers of the file-scope variables among ``names`` use, and of those they name in turn."""
    found: set[str] = set()
    todo = [n for n in names if n in inits]
    while todo:
        var = todo.pop()
        for n in inits[var] - found:
            found.add(n)
            if n in inits:
                todo.append(n)
    return frozenset(found)


class _Members(NodeWalker):
    """Calls through a member of a variable: ``table.dbg()``, ``ops->dbg()`` (variable, member) -> count."""

    def __init__(self) -> None:
        self.found: Counter[tuple[str, str]] = Counter()

    def visit_FuncCall(self, node: c_ast.FuncCall) -> None:
        ref = node.name
        if isinstance(ref, c_ast.StructRef) and isinstance(ref.field, c_ast.ID):
            base = ref.name
            while isinstance(base, (c_ast.StructRef, c_ast.UnaryOp, c_ast.ArrayRef)):
                base = base.name if not isinstance(base, c_ast.UnaryOp) else base.expr
            if isinstance(base, c_ast.ID):
                self.found[(base.name, ref.field.name)] += 1
        self.generic_visit(node)


def _member_calls(func: c_ast.FuncDef) -> Counter[tuple[str, str]]:
    seen = _Members()
    seen.visit(func.body)
    return seen.found


def _member_of(program: Program, var: str, field: str, inits: dict[str, frozenset[str]]) -> frozenset[str]:
    """What a file-scope table (or a pointer to one) gives ``field``: its designated initialiser's names
    (``.dbg = dump_stack``), else everything the initialiser names (a member is not told from another)."""
    for node in program.ast.ext:
        if isinstance(node, c_ast.Decl) and node.name == var and isinstance(node.init, c_ast.InitList):
            named = [x for x in node.init.exprs if isinstance(x, c_ast.NamedInitializer)]
            if named and len(named) == len(node.init.exprs):
                seen = _Calls(program)
                for x in named:
                    if [getattr(n, "name", None) for n in x.name] == [field]:
                        seen.visit(x.expr)
                return frozenset(seen.ids)
    return inits.get(var, frozenset())


def _settable_pointers(program: Program, calls: dict[str, Counter[str]]) -> dict[str, str]:
    """The file-scope pointers to functions (``hook()``) and tables of them (``table.dbg()``, ``ops->dbg()``) the
    functions call through that are not const, each with why what it calls is not known: code may set it at run
    time (an init function no entry point reaches), past what its initialiser says."""
    members = {f: {v for v, _ in _once(program, "members", program.functions[f], _member_calls)} for f in calls}
    out: dict[str, str] = {}
    for node in program.ast.ext:
        if not isinstance(node, c_ast.Decl) or not isinstance(node.type, (c_ast.PtrDecl, c_ast.TypeDecl)) \
                or "const" in node.type.quals:
            continue
        pointer = isinstance(node.type, c_ast.PtrDecl)
        callers = [f for f in calls if ((pointer and calls[f][node.name]) or node.name in members[f])
                   and node.name not in _own_names(program.functions[f])]
        if callers:
            what = "a pointer to a function" if pointer and calls[callers[0]][node.name] else "a table of functions"
            out[node.name] = f"{what} ({program.where(node.coord)}), not const, which {callers[0]}() calls " \
                f"through: what code sets it to at run time is not followed"
    return out


def _own_names(func: c_ast.FuncDef) -> frozenset[str]:
    """A function's parameters and locals: a name of its own, not the file-scope variable it may shadow (read once
    per parsed definition, which the programs holding it share: they are the definition's alone)."""
    kept = _OWN.get(id(func))
    if kept is not None and kept[0] is func:
        return kept[1]
    found = frozenset(param_list(func)) | _locals(func)
    if len(_OWN) > 4096:
        _OWN.clear()
    _OWN[id(func)] = (func, found)
    return found


_OWN: dict[int, tuple[c_ast.FuncDef, frozenset[str]]] = {}


def _locals(func: c_ast.FuncDef) -> frozenset[str]:
    """The names every declaration in a function's body declares, read once per parsed definition (_own_names and
    the call sites' reading both ask)."""
    kept = _LOCALS.get(id(func))
    if kept is None or kept[0] is not func:
        if len(_LOCALS) > 4096:
            _LOCALS.clear()
        kept = _LOCALS[id(func)] = (func, frozenset(_declared(func.body)))
    return kept[1]


_LOCALS: dict[int, tuple[c_ast.FuncDef, frozenset[str]]] = {}


_T = TypeVar("_T")
# What code_facts reads of one function alone (its calls, the variables it sets, its retry role, the arguments its
# calls pass), by the parsed definition: one is shared by every program whose code has it (models.cload's parse
# cache), and the facts of a series' variants are read program by program. Kept with the node, so that an id is
# never another node's; only for programs whose places are the coordinates' own (Program.origin empty: all of them).
_READ: dict[tuple[str, int], tuple[c_ast.Node, Any]] = {}


def _once(program: Program, kind: str, func: c_ast.FuncDef, read: Callable[[c_ast.FuncDef], _T]) -> _T:
    """``read(func)``, kept per function (_READ) when the program's places do not depend on it."""
    if program.origin:
        return read(func)
    kept = _READ.get((kind, id(func)))
    if kept is not None and kept[0] is func:
        return kept[1]  # type: ignore[no-any-return]
    found = read(func)
    if len(_READ) > 8192:
        _READ.clear()
    _READ[(kind, id(func))] = (func, found)
    return found


def _calls_in(program: Program, func: c_ast.FuncDef) -> tuple[Counter[str], frozenset[str], dict[str, str]]:
    """The function's direct calls counted, the names its body uses, each callee's first call (not to be changed)."""
    def read(f: c_ast.FuncDef) -> tuple[Counter[str], frozenset[str], dict[str, str]]:
        v = _Calls(program)
        v.visit(f.body)
        return v.names, frozenset(v.ids), v.first
    return _once(program, "calls", func, read)


def _role(program: Program, func: c_ast.FuncDef) -> RetryRole | None:
    # The sets table code_facts keeps (read-only here): read per function once, not again for its role.
    sets = _once(program, "sets", func, _sets)
    role = _once(program, "role", func, lambda f: _retry_role(program, f, sets))
    if role is not None and role.kind is RoleKind.UNKNOWN:
        # A helper the loop hands its answer to is read in this program, its table too: what the function's own code
        # shares with other programs (_once) does not decide it, so it is read here each time.
        role = _retry_role(program, func, sets, helpers=True)
    return _idle(program, func, role)


def _idle(program: Program, func: c_ast.FuncDef, role: RetryRole | None) -> RetryRole | None:
    """The role, with where its loops go round again for no answer (models.idleloop), helpers read in ``program``."""
    if role is None:
        return None
    from models.idleloop import goes_round_for_none
    from models.retryset import answer_codes

    found = goes_round_for_none(func, lambda call, answer: answer_codes(program, func, call, answer))
    if found is None:
        return role
    return replace(role, idle=found[0], idle_at=tuple(dict.fromkeys(program.where(c) for c in found[1])))


def _sites_of(func: c_ast.FuncDef) -> tuple[dict[str, list[list[str]]], frozenset[str]]:
    """_Sites.read() of one function: the arguments of its direct calls by callee, the names it uses as values."""
    sites = _Sites()
    sites.read(func)
    return sites.args, frozenset(sites.values)


class _Sites(NodeWalker):
    """Every direct call's arguments by callee, and the names used other than as a called name."""

    def __init__(self) -> None:
        self.args: dict[str, list[list[str]]] = {}  # a function's name where passed, "" for anything else
        self.values: set[str] = set()
        self.own: set[str] = set()  # the parameters and locals of the function being read: no function's name
        self.name, self.params = "", set[str]()  # the function being read, its parameters no local hides

    def read(self, func: c_ast.FuncDef) -> None:
        local = _locals(func)
        self.own = set(param_list(func)) | local
        self.name, self.params = func.decl.name, set(param_list(func)) - local - {""}
        self.visit(func.body)

    def _arg(self, a: c_ast.Node) -> str:
        """A function's name, a parameter of the function read handed on (models.passedon), or ""."""
        if not isinstance(a, c_ast.ID):
            return ""
        return a.name if a.name not in self.own else handed_on(self.name, a.name) if a.name in self.params else ""

    def visit_FuncCall(self, node: c_ast.FuncCall) -> None:
        if isinstance(node.name, c_ast.ID):
            self.args.setdefault(node.name.name, []).append([self._arg(a) for a in (node.args.exprs if node.args
                                                                                      else [])])
        else:
            self.visit(node.name)
        if node.args is not None:
            self.visit(node.args)

    def visit_Decl(self, node: c_ast.Decl) -> None:
        self.generic_visit(node)
        _visit_cleanup(self, node)

    def visit_ID(self, node: c_ast.ID) -> None:
        self.values.add(node.name)


def _declared(node: c_ast.Node) -> set[str]:
    """The names every declaration under a node declares (the node itself aside)."""
    return {n.name for n in all_nodes(node)[1:] if isinstance(n, c_ast.Decl) and n.name}


def _passed(program: Program, calls: dict[str, Counter[str]], sets: dict[str, dict[str, list[int]]]
            ) -> dict[str, dict[str, list[str]]]:
    """CodeFacts.passed: per function, per parameter it calls, what the direct calls in the whole program (entry
    wrappers included, where a macro entry point expands) pass there. A function some code names as a value may be
    called through a pointer with anything: "" then, as for an argument that is not a function's name, and for a
    parameter the function assigns (what it calls is no longer what was passed)."""
    sites, assigns = _Sites(), assigning(sets)
    for func in program.functions.values():
        args, values = _once(program, "sites", func, _sites_of)
        for callee, passed in args.items():
            sites.args.setdefault(callee, []).extend(passed)
        sites.values |= values
    out: dict[str, dict[str, list[str]]] = {}
    for name, counted in calls.items():
        params = param_list(program.functions[name])
        called = [(i, p) for i, p in enumerate(params) if p and p in counted]
        if not called or name not in sites.args:
            continue
        out[name] = {}
        for i, param in called:
            found = handed(name, i, sites.args, sites.values,
                           lambda f: param_list(program.functions[f]) if f in program.functions else None, assigns)
            if assigns(name, param):
                found.add("")
            out[name][param] = sorted(found)
    return out



def _retry_role(program: Program, func: c_ast.FuncDef, sets: dict[str, list[int]], helpers: bool = False
                ) -> RetryRole | None:
    """models.retryloop's role, with where each top-level statement that sets its variable is; ``helpers``: a
    helper handed the answer alone is read in ``program`` (models.retryset)."""
    def helper(call: c_ast.FuncCall, answer: str) -> frozenset[int] | None:
        from models.retryset import answer_codes

        codes = answer_codes(program, func, call, answer)  # the codes of a const table, say: no variable holds them
        return codes.codes if codes is not None and not codes.rest else None

    role = retry_role(func, program.where, helper if helpers else None)
    if role is None or role.kind is not RoleKind.VARIABLE:
        return role
    items = func.body.block_items or []
    return replace(role, sets=tuple(program.where(items[i].coord) for i in sets.get(role.variable, [])))


def _entry_reach(program: Program, wrapper: str, facts: CodeFacts) -> list[str]:
    """The functions an entry point reaches: what its wrapper calls or names (a macro entry expands there), and
    what those reach (CodeFacts.reach)."""
    named, used, _ = _calls_in(program, program.functions[wrapper])
    order: list[str] = []
    for name in sorted(set(named) | used):
        order += [f for f in facts.reach(name) if f not in order]
    return order


def _assigned(node: c_ast.Node) -> set[str]:
    """The variables a statement sets (a declaration with initializer, an assignment, or a branch, loop or switch
    whose body does)."""
    if isinstance(node, c_ast.Decl):
        return {node.name} if node.name and node.init is not None else set()
    if isinstance(node, c_ast.Assignment):
        return {node.lvalue.name} if isinstance(node.lvalue, c_ast.ID) else set()
    if isinstance(node, c_ast.If):
        return set().union(*(_assigned(b) for b in (node.iftrue, node.iffalse) if b is not None))
    if isinstance(node, c_ast.Compound):
        return set().union(*(_assigned(s) for s in node.block_items or []))
    if isinstance(node, (c_ast.While, c_ast.DoWhile, c_ast.For, c_ast.Switch, c_ast.Label)):
        # A loop's or a switch's body sets what it sets (a for's init and step too): an override in the retry
        # loop is a place the variable is set, never "not set".
        parts = (node.stmt, getattr(node, "init", None), getattr(node, "next", None))
        return set().union(*(_assigned(p) for p in parts if p is not None))
    if isinstance(node, (c_ast.Case, c_ast.Default)):
        return set().union(*(_assigned(s) for s in node.stmts or []))
    if isinstance(node, c_ast.DeclList):
        return set().union(*(_assigned(d) for d in node.decls))
    return set()


def _writes(node: c_ast.Node) -> set[str]:
    """What a statement writes anywhere in it, expressions included: ``(x = a)`` in a condition, ``x++``, and
    the variables whose address it takes (``&x``: set through the pointer wherever it goes, which no check
    follows), as ``"&x"``."""
    out: set[str] = set()
    for n in all_nodes(node):
        if isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID):
            out.add(n.lvalue.name)
        elif isinstance(n, c_ast.UnaryOp) and isinstance(n.expr, c_ast.ID) and n.op in ("++", "--", "p++", "p--", "&"):
            out.add(("&" if n.op == "&" else "") + n.expr.name)
    return out


def _sets(func: c_ast.FuncDef) -> dict[str, list[int]]:
    """Per variable, the indexes of the function body's top-level statements that set it; per ``"&x"``, those
    that take the address of ``x``."""
    out: dict[str, list[int]] = {}
    for i, stmt in enumerate(func.body.block_items or []):
        for var in sorted(_assigned(stmt) | _writes(stmt)):
            out.setdefault(var, []).append(i)
    return out
