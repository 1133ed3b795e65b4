"""Variable length arrays (C11 6.7.6.2p4): a block's array whose length is worked out each time its declaration runs."""

# The kernel builds with -Wvla, a warning: gcc builds such an array. Its object is a list of that many elements,
# which indexing, decay and the lifetime machinery take as any array's; sizeof of it, by its name, is read at run
# time. gcc refuses a jump into its scope (a goto or a switch's label past its declaration) and an initializer.

from __future__ import annotations

from typing import Any

from pycparser import c_ast

from models.clayout import sizeof
from models.consteval import NotConstant
from models.ctype import Array, CType, Int
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.lifetimes import end_of_life
from models.typesys import MAX_ARRAY_LENGTH
from models.values import Fn, Frame, Scope, Stmt, Var, new_value


def vla_length(c: CompilerHooks, node: c_ast.Decl, scope: Scope) -> c_ast.Node | None:
    """The length of ``node``, a block's automatic ``T name[n];`` whose ``n`` is not an integer constant expression;
    None for any other declaration."""
    t = node.type
    if not isinstance(t, c_ast.ArrayDecl) or t.dim is None or set(node.storage or ()) & {"static", "extern"}:
        return None
    try:
        c.const(t.dim, scope)
    except NotConstant:
        return t.dim
    return None


def declare_vla(c: CompilerHooks, node: c_ast.Decl, dim: c_ast.Node, scope: Scope, var: tuple[int, int]) -> Stmt:
    """A VLA's declaration: its length worked out, checked above 0 (C11 6.7.6.2p5: undefined otherwise), the
    elements unset (``var``: what models.readonly says of the variable)."""
    where = c.where(node.coord)
    if node.init is not None:
        raise BuildFailure(where, "variable-sized object may not be initialized")
    if isinstance(node.type.type, c_ast.ArrayDecl):
        raise UnsupportedConstruct(where, f"'{node.name}': a variable length array of arrays is not modelled")
    elem = c.resolve(node.type.type, scope)
    length, lt = c.expr(dim, scope)
    if not isinstance(lt, Int):
        raise BuildFailure(where, f"size of array '{node.name}' has non-integer type")
    t = Array(elem, None, vla=True)
    slot, name = c.new_slot(node.name), node.name
    scope[-1][name] = Var(slot, t, "local", name, *var)
    entry = (end_of_life(name, slot, t, where), where) if c.addressed and name in c.addressed[-1] else None

    def run(f: Frame) -> None:
        n = length(f)
        if n <= 0:
            raise CRuntimeError(where, f"the length of the variable length array '{name}' is {n}, not above 0 "
                                       "(C11 6.7.6.2p5: undefined)")
        if n > MAX_ARRAY_LENGTH:
            raise UnsupportedConstruct(where, f"a variable length array of {n} elements (the mirror holds up to "
                                              f"{MAX_ARRAY_LENGTH:,})")
        f.v[slot] = [new_value(elem, False) for _ in range(n)]
        if entry is not None:
            f.defer.append(entry)

    return run


def runtime_size(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> Fn | None:
    """``sizeof`` of a VLA by its name, read from its object; None where ``node`` is not one."""
    if not isinstance(node, c_ast.ID):
        return None
    var = c.lookup(node.name, scope)
    if var is None or not isinstance(var.ctype, Array) or not var.ctype.vla:
        return None
    slot, size = var.slot, sizeof(var.ctype.elem)

    def run(f: Frame) -> Any:
        return len(f.v[slot]) * size

    return run


def declares_vla(item: c_ast.Node, scope: Scope) -> bool:
    """Whether block item ``item``, compiled in ``scope``, declares a VLA."""
    var = scope[-1].get(item.name) if isinstance(item, c_ast.Decl) and item.name else None
    return isinstance(var, Var) and is_vla(var.ctype)


def is_vla(t: CType) -> bool:
    return isinstance(t, Array) and t.vla


def jumps_into_vla(c: CompilerHooks, items: list[c_ast.Node], scope: Scope) -> None:
    """BuildFailure, as gcc says it, where a goto before a VLA's declaration among a block's ``items`` (declared in
    ``scope[-1]``) goes to a label of the block after it."""
    names = [i for i, item in enumerate(items) if declares_vla(item, scope)]
    if not names:
        return
    labels: dict[str, int] = {}
    for i, item in enumerate(items):
        while isinstance(item, c_ast.Label):
            labels[item.name] = i
            item = item.stmt
    for d in names:
        for node in _gotos(items[:d]):
            if labels.get(node.name, -1) > d:
                raise BuildFailure(c.where(node.coord), "jump into scope of identifier with variably modified type")


def _gotos(nodes: list[c_ast.Node]) -> list[c_ast.Goto]:
    out: list[c_ast.Goto] = []
    todo = list(nodes)
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.Goto):
            out.append(n)
        todo.extend(n)
    return out
