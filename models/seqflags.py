"""What a function's own body does for C's sequencing rules (models.sequencing): its stores, reads, named objects."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from pycparser import c_ast

from models.cparse import all_nodes
from models.nodecopy import origin
from models.record import record

if TYPE_CHECKING:
    from models.cload import Program
    from models.values import Scope, Var

OVERFLOW_BUILTINS = frozenset({"__builtin_add_overflow", "__builtin_sub_overflow", "__builtin_mul_overflow"})


class Names(Protocol):
    """What the analysis asks of the compiler (models.interp.ExprCompiler)."""

    program: Program

    def lookup(self, name: str, scope: Scope) -> Var | None: ...

    def global_var(self, name: str) -> Var | None: ...

    def current_function(self) -> str: ...


@record
class Flags:
    """What a function's own body does (not its callees'): stores outside its own locals (but ``named``), reads
    memory; ``private``: stores to a static of its own whose address it never takes (a counter), which no other code
    reaches; ``named``: the slots of the file-scope objects it stores to by name (``gx += 100``, ``gs.n = 1``), which
    no other named object shares (C11 6.5p2: ``bump() + gy`` of a ``bump()`` storing to ``gx`` is defined)."""

    stores: bool
    reads: bool
    private: bool = False
    named: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)  # a parsed definition is shared by every program whose code has it (models.cload)
def address_taken(fn: c_ast.Node) -> frozenset[str]:
    out: set[str] = set()
    for node in all_nodes(fn):
        if isinstance(node, c_ast.UnaryOp) and node.op == "&":
            root = node.expr
            while isinstance(root, c_ast.StructRef | c_ast.ArrayRef) and getattr(root, "type", ".") == ".":
                root = root.name  # `&p->m` takes the address of what p points to, not of p
            if isinstance(root, c_ast.ID):
                out.add(root.name)
    return frozenset(out)


def body_flags(c: Names, fn: c_ast.FuncDef) -> Flags:
    """What ``fn``'s own body does (Flags), its file-scope names looked up through ``c``."""
    params = fn.decl.type.args.params if getattr(fn.decl.type, "args", None) else []
    own = {p.name for p in params if isinstance(p, c_ast.Decl) and p.name}
    decls = [n for n in all_nodes(fn.body) if isinstance(n, c_ast.Decl) and n.name]
    own |= {n.name for n in decls if "static" not in n.storage and "extern" not in n.storage}
    private = _private_statics(c, fn, decls)
    declared = own | {n.name for n in decls}
    stores = reads = mine = False
    named: set[str] = set()
    for node in all_nodes(fn.body):
        target = node.lvalue if isinstance(node, c_ast.Assignment) else \
            node.expr if isinstance(node, c_ast.UnaryOp) and node.op in ("++", "--", "p++", "p--") else \
            _overflow_target(node)
        while isinstance(target, c_ast.StructRef) and target.type == ".":
            target = target.name
        if isinstance(target, c_ast.ID) and target.name in private:
            mine = True
            continue
        glob = c.global_var(target.name) if isinstance(target, c_ast.ID) and target.name not in declared else None
        if glob is not None:  # the whole object: a member stored is a store to it (meet() sees 'gs' in 'gs.n')
            named.add(glob.slot)
            continue
        stores = stores or (target is not None and not (isinstance(target, c_ast.ID) and target.name in own))
        reads = reads or isinstance(node, c_ast.ArrayRef) or (isinstance(node, c_ast.UnaryOp) and node.op == "*") \
            or (isinstance(node, c_ast.StructRef) and node.type == "->") \
            or (isinstance(node, c_ast.ID) and node.name not in own and c.global_var(node.name) is not None)
    return Flags(stores, reads, mine, frozenset(named))


def _overflow_target(node: c_ast.Node) -> c_ast.Node | None:
    """What ``__builtin_add_overflow(a, b, &r)`` (sub, mul; check_add_overflow() and its kin expand to them) stores to:
    ``r``, or the pointer it is given (a store through it); None for any other node. gcc's own builtins run inline,
    where no primitive counts their stores (counted()): a callee's ``gx + ov()`` was said 6 where gcc says 108."""
    if not (isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID)
            and node.name.name in OVERFLOW_BUILTINS and node.args is not None and len(node.args.exprs) == 3):
        return None
    out = node.args.exprs[2]
    return out.expr if isinstance(out, c_ast.UnaryOp) and out.op == "&" else c_ast.UnaryOp("*", out, out.coord)


def _private_statics(c: Names, fn: c_ast.FuncDef, decls: list[c_ast.Decl]) -> frozenset[str]:
    """The function's own statics no other code reaches: declared once in it, no file-scope object of that name (a
    use of the name may be the global's), no array (it decays to a pointer unseen), address never taken."""
    names = [n.name for n in decls]
    return frozenset(n.name for n in decls if "static" in n.storage and names.count(n.name) == 1
                     and not isinstance(n.type, c_ast.ArrayDecl | c_ast.FuncDecl)
                     and c.global_var(n.name) is None and n.name not in address_taken(origin(fn)))
