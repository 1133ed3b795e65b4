"""Whether a variable of one function still holds the leaf it was given, its low 32 bits whole (for leafflow)."""

# models.leafflow follows what *reads* the leaf: 'fn & 1' does, and for the masked P-SEAMLDR leaves a matrix
# holds (0 and 1) it even prints them; yet a leaf of 0x21 prints as 1. A base told from the conversion that
# printed the leaf (harness.leafconv) needs the argument to be the leaf itself, whatever the leaf: these are the
# syntactic shapes that keep it so, and nothing else is taken.

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from pycparser import c_ast

from models.consteval import const_value
from models.cparse import all_nodes, param_list, param_nodes
from models.errors import MirrorError
from models.fileenums import FileScopeEnv
from models.nodecopy import origin

# Integer types of 64 bits on x86-64 (the kernel's LP64): a cast to one keeps every bit of a u64 leaf.
_WIDE = frozenset({"u64", "s64", "__u64", "__s64", "uint64_t", "int64_t", "long", "long long", "unsigned long",
                   "unsigned long long", "long int", "long long int", "unsigned long int", "unsigned long long int",
                   "signed long", "signed long long"})
# Integer types of 32 bits: a parameter or variable of one holds the low 32 bits of the u64 leaf it is given
# (C17 6.3.1.3; gcc keeps them), where a bool holds 0 or 1 and a u8 the low 8 (a leaf of 0x21 prints as 1 or 33).
_HALF = frozenset({"u32", "s32", "__u32", "__s32", "uint32_t", "int32_t", "int", "unsigned", "unsigned int",
                   "signed", "signed int"})
_LOW = (1 << 32) - 1


def stripped(node: c_ast.Node) -> c_ast.Node:
    """``node`` without the casts to a 64-bit integer type around it and the masks ``& K`` that keep its low 32 bits
    (``fn & ~SEAMLDR_SEAMCALL_MASK``; parentheses are no node in pycparser)."""
    while True:
        if isinstance(node, c_ast.Cast) and _wide(node.to_type):
            node = node.expr
        elif isinstance(node, c_ast.BinaryOp) and node.op == "&" and _keeps(node.right):
            node = node.left
        elif isinstance(node, c_ast.BinaryOp) and node.op == "&" and _keeps(node.left):
            node = node.right
        else:
            return node


def _keeps(node: c_ast.Node) -> bool:
    """Whether ``node`` is an integer constant expression (models.consteval, C's types and conversions; no enum
    or type name known) whose low 32 bits are all set: ``x & node`` keeps them."""
    try:
        mask = const_value(node, FileScopeEnv({}))[0]
    except (MirrorError, ArithmeticError, ValueError):
        return False
    return mask & _LOW == _LOW


def _wide(typename: c_ast.Node) -> bool:
    return _spelled(getattr(typename, "type", None)) in _WIDE


def holds_low(decl: c_ast.Node, typedef: Callable[[str], c_ast.Node | None] | None = None) -> bool:
    """Whether a declaration's type (a parameter's, a variable's) is an integer type of 32 or 64 bits, spelled as
    one, or a typedef name ``typedef`` (name -> the typedef's type node, None: not followed) takes to one, a typedef
    of a typedef too (``typedef u64 seam_leaf_t;``): a u64 leaf converted to it keeps its low 32 bits (C17
    6.3.1.3; a typedef is its type, 6.7.8p3). Any other typedef, an enum, a pointer: not taken."""
    t = getattr(decl, "type", None)
    for _ in range(16):
        spelt = _spelled(t)
        if spelt in _WIDE | _HALF:
            return True
        if typedef is None or spelt is None or " " in spelt:
            return False
        t = typedef(spelt)
    return False


def _spelled(decl: c_ast.Node | None) -> str | None:
    names = getattr(getattr(decl, "type", None), "names", None)
    return " ".join(names) if isinstance(decl, c_ast.TypeDecl) and names is not None else None


@lru_cache(maxsize=4096)  # a parsed definition is one object in every program that holds it (models.cload)
def kept_whole(body: c_ast.Node, name: str) -> bool:
    """Whether ``name`` (a parameter) keeps the low 32 bits it was given through ``body``: no other variable of
    that name is declared, its address is never taken, it is never incremented, and every store into it is
    ``name &= K`` with K a constant whose low 32 bits are all set (``fn &= ~SEAMLDR_SEAMCALL_MASK``)."""
    decls, changed = _stores(body, name)
    return not decls and not changed


@lru_cache(maxsize=4096)
def initialised_once(body: c_ast.Node, name: str) -> c_ast.Decl | None:
    """The declaration of ``name`` where it is a local variable of ``body`` declared once, in a block, automatic, with
    an initializer, its address never taken, never stored into (nor a member or element of it) but as kept_whole()
    allows, and no ``goto`` in the body nor case label after it in its block (a jump past the initialization leaves
    the variable indeterminate, C17 6.8.6.1); None otherwise."""
    decls, changed = _stores(body, name)
    if len(decls) != 1 or changed:
        return None
    decl = decls[0]
    if decl.init is None or decl.storage:
        return None
    blocks: list[c_ast.Compound] = []
    todo: list[c_ast.Node] = [body]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.Goto):
            return None
        if isinstance(n, c_ast.Compound) and any(item is decl for item in n.block_items or []):
            blocks.append(n)
        todo.extend(n)
    if not blocks:
        return None  # a 'for' clause's, or one a case owns (no block of its own)
    items = blocks[0].block_items or []
    return None if _labelled(items[[id(item) for item in items].index(id(decl)) + 1:]) else decl


def returned_param(func: c_ast.FuncDef, typedef: Callable[[str], c_ast.Node | None] | None = None) -> int | None:
    """The index of the parameter a function gives back whole: its declared return type and that parameter's are
    ones holds_low() takes (through ``typedef``, as holds_low() follows it), the parameter is kept_whole(), every
    ``return`` of the body gives it (stripped()), and the body ends in one (no path runs off its end, whose value C
    leaves undefined). None otherwise."""
    at = _returned(func)
    if at is None or not holds_low(func.decl.type, typedef) or not holds_low(param_nodes(func)[at], typedef):
        return None
    return at


@lru_cache(maxsize=4096)
def _returned(func: c_ast.FuncDef) -> int | None:
    """returned_param() but for the types (which a typedef of the program at hand may decide)."""
    items = func.body.block_items or []
    if not items or not isinstance(items[-1], c_ast.Return):
        return None
    names = param_list(func)
    found: set[str] = set()
    for n in all_nodes(func.body):
        if isinstance(n, c_ast.Return):
            value = stripped(n.expr) if n.expr is not None else None
            if not isinstance(value, c_ast.ID) or value.name not in names:
                return None
            found.add(value.name)
    if len(found) != 1:
        return None
    name = found.pop()
    return names.index(name) if kept_whole(origin(func.body), name) else None


def _labelled(items: list[c_ast.Node]) -> bool:
    """Whether a case or default label of the switch these statements are in (if any) lies among them."""
    todo = list(items)
    while todo:
        n = todo.pop()
        if isinstance(n, (c_ast.Case, c_ast.Default)):
            return True
        if not isinstance(n, c_ast.Switch):  # a nested switch's labels jump within it only
            todo.extend(n)
    return False


def _stores(body: c_ast.Node, name: str) -> tuple[list[c_ast.Decl], bool]:
    """The declarations of ``name`` in ``body``, and whether it is changed otherwise than kept_whole() allows."""
    decls: list[c_ast.Decl] = []
    todo: list[c_ast.Node] = [body]
    while todo:
        n = todo.pop()
        todo.extend(n)
        if isinstance(n, c_ast.Decl) and n.name == name:
            decls.append(n)
        if isinstance(n, c_ast.UnaryOp) and _is(n.expr, name) and n.op in ("&", "++", "--", "p++", "p--"):
            return decls, True
        if isinstance(n, c_ast.Assignment) and _is(n.lvalue, name) and (n.op != "&=" or not _keeps(n.rvalue)):
            return decls, True
    return decls, False


def _is(node: c_ast.Node, name: str) -> bool:
    """Whether ``node`` is ``name``, or a member or element of it (``v.leaf``, ``v.a[i]``: a store into it changes
    ``v``; not ``p->f``, stored through the pointer, which a variable of the leaf cannot be)."""
    while isinstance(node, c_ast.ArrayRef) or (isinstance(node, c_ast.StructRef) and node.type == "."):
        node = node.name
    return isinstance(node, c_ast.ID) and node.name == name
