"""The expression a call's value or a struct member's is, where C keeps it whole: for models.leafflow's leaf itself."""

# A P-SEAMLDR leaf printed through 'leaf_of(fn)' (u64 leaf_of(u64 fn) { return fn & ~SEAMLDR_LEAF_BIT; }) or through
# 'f.leaf' of 'struct sc_fail f = { .leaf = fn & ~SEAMLDR_LEAF_BIT };' is the leaf itself where the function's return
# type, its parameter's and the member's keep the low 32 bits, spelt so or through the file's typedefs (gcc prints 0x21
# as 33 through each; through a u8 member or return, 0x121 as 33 too). Each shape here is syntactic, and anything else
# is no answer.

from __future__ import annotations

from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.cparse import all_nodes, param_list
from models.leafitself import holds_low, initialised_once, returned_param
from models.pointertypes import file_typedef


def given_back(program: Program, func: c_ast.FuncDef, node: c_ast.Node, local: frozenset[str],
               variables: frozenset[str]) -> c_ast.Node | None:
    """The expression whose value ``node`` in ``func`` (a call, or a member of a local struct) has, its low 32 bits
    whole; None where it is not told so. ``local``: the names ``func`` declares,
    ``variables``: the file-scope ones (a call of either is a call through a pointer)."""
    if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID):
        callee = program.functions.get(node.name.name)
        if callee is None or node.name.name in local or node.name.name in variables:
            return None
        at = returned_param(callee, file_typedef(program, callee))
        args = node.args.exprs if node.args is not None else []
        return args[at] if at is not None and at < len(args) else None
    # A parameter of that name (a struct passed by value) is what a use outside the block of a variable hiding it reads
    if isinstance(node, c_ast.StructRef) and node.type == "." and isinstance(node.name, c_ast.ID) \
            and isinstance(node.field, c_ast.ID) and node.name.name in local and node.name.name not in variables \
            and node.name.name not in param_list(func):
        return _member_init(program, func, node.name.name, node.field.name)
    return None


def _member_init(program: Program, func: c_ast.FuncDef, name: str, field: str) -> c_ast.Node | None:
    """The initializer of member ``field`` of ``name``, a struct variable of ``body`` whose member keeps it whole:
    initialised once (models.leafitself.initialised_once: no store, address or jump), of a ``struct`` (not a union)
    the file defines once, the member of a type holds_low() takes, spelt so or through the file's typedefs (no
    bit-field), its initializer designated once or by position among named members; None otherwise."""
    ast, body = program.ast, func.body
    decl = initialised_once(body, name)
    if decl is None or not isinstance(decl.type, c_ast.TypeDecl) or not isinstance(decl.type.type, c_ast.Struct) \
            or not isinstance(decl.init, c_ast.InitList):
        return None
    members = _members(ast, body, decl.type.type)
    if members is None:
        return None
    member = next((m for m in members if m.name == field), None)
    if member is None or member.bitsize is not None or not holds_low(member, file_typedef(program, func)):
        return None
    exprs = decl.init.exprs
    named = [e for e in exprs if isinstance(e, c_ast.NamedInitializer)]
    if named and len(named) != len(exprs):
        return None  # designators and positions mixed: which one a position is, is not read here
    if named:
        if any(len(e.name) != 1 for e in named):
            return None  # '.a.b = ...', '.a[1] = ...': a member's own members
        found = [e.expr for e in named if isinstance(e.name[0], c_ast.ID) and e.name[0].name == field]
        return found[0] if len(found) == 1 else None  # designated twice: the last one counts (not read here)
    at = members.index(member)
    return exprs[at] if at < len(exprs) else None


def _members(ast: c_ast.FileAST, body: c_ast.Node, struct: c_ast.Struct) -> list[c_ast.Decl] | None:
    """The members of ``struct`` (its own list, or the file's one definition of its tag, which no definition in
    ``body`` hides), each a named declaration; None where not so found."""
    decls = struct.decls
    if decls is None:
        if struct.name is None or any(isinstance(n, (c_ast.Struct, c_ast.Union)) and n.name == struct.name
                                      and n.decls is not None for n in all_nodes(body)):
            return None
        found = [n for n in _definitions(ast) if n.name == struct.name]
        if len(found) != 1:
            return None
        decls = found[0].decls
    return decls if all(isinstance(d, c_ast.Decl) and d.name for d in decls or []) and decls else None


@lru_cache(maxsize=2)  # the program at hand's (a flow asks of one at a time)
def _definitions(ast: c_ast.FileAST) -> tuple[c_ast.Struct | c_ast.Union, ...]:
    """Every struct or union of the file that lists its members (a union of a tag too: a tag names one of them)."""
    return tuple(n for n in all_nodes(ast) if isinstance(n, (c_ast.Struct, c_ast.Union)) and n.decls is not None)
