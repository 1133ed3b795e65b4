"""printhands: where a print's format is in a C function's syntax: format argument index, buffers, %pV structs."""

from __future__ import annotations

from functools import lru_cache

from pycparser import c_ast

from models.cparse import all_nodes as _nodes
from models.facts import PRINTS
from models.leafcode import uncast
from models.printwidth import format_index


def address_of(n: c_ast.Node) -> c_ast.Node:
    """``m`` of ``&m`` (or of ``m`` itself): what a call hands a pointer to."""
    n = uncast(n)
    return uncast(n.expr) if isinstance(n, c_ast.UnaryOp) and n.op == "&" else n


# Past the printk family (printwidth.format_index): snprintf(buf, n, fmt, ...) and its kin (models.sprintf,
# models.varargs) format it into buf, which a print then reads (into_buffer).
FORMAT_AT = {"snprintf": 2, "scnprintf": 2, "vsnprintf": 2, "vscnprintf": 2, "sprintf": 1}
INTO_BUFFER = frozenset({"snprintf", "scnprintf", "vsnprintf", "vscnprintf", "sprintf"})


def format_at(name: str) -> int | None:
    """The index of the format among the arguments of a call of ``name``; None where it takes none."""
    return format_index(name) if name in PRINTS else FORMAT_AT.get(name)


def into_buffer(func: c_ast.FuncDef, call: c_ast.FuncCall) -> c_ast.FuncCall:
    """The print of function ``func`` whose arguments read the buffer ``call`` (snprintf() and its kin) formats
    into (``pr_err("%s", buf)``): what it prints is what the format made; ``call`` itself where none does."""
    args = call.args.exprs if call.args is not None else []
    buffers = {n.name for n in _nodes(args[0]) if isinstance(n, c_ast.ID)} if args else set()
    for n in _nodes(func.body):
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name not in INTO_BUFFER \
                and format_at(n.name.name) is not None and n.args is not None \
                and any(reads(a, b) for a in n.args.exprs for b in buffers):
            return n
    return call


def va_format_printed(fmt: c_ast.Node) -> bool:
    """Whether a format is a string literal with a %pV (lib/vsprintf.c va_format(): the struct va_format an argument
    points at is printed there, its own format with its va_list's arguments)."""
    fmt = uncast(fmt)
    return isinstance(fmt, c_ast.Constant) and fmt.type == "string" and "%pV" in fmt.value


def va_format_holds(func: c_ast.FuncDef, args: list[c_ast.Node], at: int, param: str) -> bool:
    """Whether a print of ``func`` whose format (``args[at]``) has a %pV is handed ``param`` itself (a struct
    va_format pointer a caller handed on: ``say(&vaf)`` -> ``pr_err("%pV", v)``) or a variable some initialiser or
    store of ``func`` sets (or a member of it) from ``param``: ``struct va_format vaf = { .fmt = fmt, .va = &args }``
    or ``vaf.fmt = fmt``, then ``pr_err("%pV", &vaf)`` prints ``fmt`` (a wrapper's format parameter)."""
    if not va_format_printed(args[at]):
        return False
    return any(lvalue_base(address_of(a)) == param for a in args[at + 1:]) or set_from(func, args[at + 1:], param)


def set_from(func: c_ast.FuncDef, args: list[c_ast.Node], param: str) -> bool:
    """Whether some of ``args`` is (the address of) a variable some initialiser or store of ``func`` sets, or a
    member of it, from a value reading ``param``."""
    names = {b for a in args if (b := lvalue_base(address_of(a))) is not None and b != param}
    return bool(names) and bool(names & set_from_names(func, param))


@lru_cache(maxsize=4096)
def set_from_names(func: c_ast.FuncDef, param: str) -> frozenset[str]:
    """The variables some initialiser or store of ``func`` sets, or a member of them, from a value reading
    ``param`` (``param`` itself aside): what set_from looks for. Kept per definition (a parsed one is one object in
    every program holding it, models.cparse.kept_nodes) and parameter: each print and call of a function asks
    again (the corpus' eval walked 178 bodies for 46 pairs)."""
    found = {name for n in _nodes(func.body) if (name := n.name if isinstance(n, c_ast.Decl) and n.init is not None
                                                 and reads(n.init, param) else lvalue_base(n.lvalue)
                                                 if isinstance(n, c_ast.Assignment) and reads(n.rvalue, param)
                                                 else None) is not None and name != param}
    return frozenset(found)


def reads(node: c_ast.Node, name: str) -> bool:
    """Whether ``node`` reads the variable ``name`` (a member's name, ``m->name``, is none)."""
    if isinstance(node, c_ast.StructRef):
        return reads(node.name, name)
    return (isinstance(node, c_ast.ID) and node.name == name) or any(reads(c, name) for c in node)


def lvalue_base(n: c_ast.Node) -> str | None:
    """The variable an lvalue stores into or through: ``m`` of ``m.fmt``, ``m[1]``, ``m``, ``*m`` or ``m->fmt``;
    None for ``*(p + 1)`` and the like."""
    n = uncast(n)
    while isinstance(n, (c_ast.StructRef, c_ast.ArrayRef)) or (isinstance(n, c_ast.UnaryOp) and n.op == "*"):
        n = uncast(n.expr if isinstance(n, c_ast.UnaryOp) else n.name)
    return n.name if isinstance(n, c_ast.ID) else None
