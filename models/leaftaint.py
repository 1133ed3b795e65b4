"""The leaf's taint state (which variables of which function hold it) and whether an expression reads it.

models.leafflow follows the leaf from an entry point's ``fn`` argument with a Flow and lists where it steers control;
a function's own names (parameters, every variable its body declares) are read here once per parsed definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pycparser import c_ast

from models.cload import Program
from models.cparse import all_nodes, param_list
from models.leafflowkeep import Typed
from models.outcome import SEAM_FUNCTIONS
from models.pointsat import pointing_at


@dataclass
class Flow:
    """The taint state of one entry point's analysis (functions by their program name)."""

    program: Program
    targets: frozenset[str]  # functions named as a value somewhere: what a call through a pointer may reach
    variables: frozenset[str]  # file-scope variables: a call of one by name is a call through a pointer
    tainted: dict[str, set[str]] = field(default_factory=dict)  # function -> its variables holding the leaf
    globals: set[str] = field(default_factory=set)
    returns: set[str] = field(default_factory=set)  # functions whose return value reads the leaf
    out_params: set[tuple[str, int]] = field(default_factory=set)  # (function, i): stores the leaf through *param i
    changed: bool = False
    pointer: bool = False  # a call through a pointer read the targets (else a flow holds in a program of others)
    itself: dict[tuple[str, str], bool] = field(default_factory=dict)  # _itself of (function, parameter), kept
    # (caller, call, argument, answer) of each call through a pointer _handed_whole asked the declared types of: a
    # flow kept is used again only where the program answers alike (models.leafflowkeep).
    typed: list[Typed] = field(default_factory=list)
    # locals _copied asked whether a file-scope variable is named so: a flow kept reads them as names (leafflowkeep)
    shadowing: set[str] = field(default_factory=set)
    aliased: bool = False  # read what a file-scope pointer points at, or which point at one (pointsat): not kept

    def taint(self, fn: str, name: str) -> None:
        own = self.tainted.setdefault(fn, set())
        if name in locals_of(self.program.functions[fn]):
            if name not in own:
                own.add(name)
                self.changed = True
        elif name not in self.globals:
            self.globals.add(name)
            self.changed = True
            self.aliased = True  # a file-scope pointer to it holds it too (models.pointsat): read outside
            for pointer in pointing_at(self.program, {name}):
                self.taint(fn, pointer)

    def reach(self, fn: str) -> None:
        if fn not in self.tainted:
            self.tainted[fn] = set()
            self.changed = True


def param_names(func: c_ast.FuncDef) -> frozenset[str]:
    """The names of the function's parameters (an unnamed one, ``void`` and ``...`` have none)."""
    return frozenset(p for p in param_list(func) if p)


def body_variables(func: c_ast.FuncDef) -> frozenset[str]:
    """Every variable the function's body declares, in any block (not the functions it declares)."""
    return frozenset(n.name for n in all_nodes(func.body)
                     if isinstance(n, c_ast.Decl) and n.name and not isinstance(n.type, c_ast.FuncDecl))


_LOCALS: dict[int, tuple[c_ast.FuncDef, frozenset[str]]] = {}


def locals_of(func: c_ast.FuncDef) -> frozenset[str]:
    """The function's parameters and every variable its body declares (any block)."""
    kept = _LOCALS.get(id(func))
    if kept is not None and kept[0] is func:
        return kept[1]
    found = param_names(func) | body_variables(func)
    if len(_LOCALS) > 4096:
        _LOCALS.clear()
    _LOCALS[id(func)] = (func, found)
    return found


class Reader:
    """Whether an expression reads the leaf, in one function of a Flow."""

    def __init__(self, flow: Flow, fn: str) -> None:
        self.flow, self.fn = flow, fn
        self.own = flow.tainted.get(fn, set())
        self.local = locals_of(flow.program.functions[fn])

    def reads(self, node: c_ast.Node | None) -> bool:
        if node is None:
            return False
        todo = [node]
        while todo:
            n = todo.pop()
            if isinstance(n, c_ast.ID):
                if n.name in self.own or (n.name not in self.local and n.name in self.flow.globals):
                    return True
            elif isinstance(n, c_ast.FuncCall):
                # Its value is the callee's: the arguments read the leaf only into it (_call_reads).
                if self._call_reads(n):
                    return True
                if not isinstance(n.name, c_ast.ID):
                    todo.append(n.name)
                continue
            elif isinstance(n, c_ast.StructRef):
                todo.append(n.name)  # the member's name is no variable
                continue
            todo.extend(n)
        return False

    def _call_reads(self, call: c_ast.FuncCall) -> bool:
        """A call whose value is the leaf's: a function of the code returning it, through a pointer any target
        that does, or a function the code does not define (a kernel helper) given it; never a SEAMCALL."""
        name = call.name.name if isinstance(call.name, c_ast.ID) else None
        if name in SEAM_FUNCTIONS:
            return False
        funcs = self.flow.program.functions
        if name is not None and name in funcs and name not in self.local:
            return name in self.flow.returns
        if name is None or name in self.local:
            self.flow.pointer = True
            return bool(self.flow.returns & self.flow.targets)
        args = call.args.exprs if call.args is not None else []
        return any(self.reads(a) for a in args)
