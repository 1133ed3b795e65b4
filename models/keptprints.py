"""keptprints: a print of a file-scope object a function stores a wrapper's format (or its struct va_format) in."""

from __future__ import annotations

from functools import lru_cache

from pycparser import c_ast

from models.cparse import all_nodes as _nodes
from models.cparse import kept_nodes, param_list
from models.facts import PRINTS
from models.leafcode import LeafCode, uncast
from models.leafwalks import POINTS, Read, called
from models.pointsat import UNKNOWN, file_targets, local_names, pointees, pointing_at, stored_base
from models.printhands import (
    INTO_BUFFER,
    address_of,
    format_at,
    into_buffer,
    lvalue_base,
    reads,
    set_from_names,
    va_format_printed,
)


def kept_print(code: LeafCode, func: c_ast.FuncDef, param: str, read: list[Read]) -> c_ast.FuncCall | None:
    """A print of any function of the program whose format, or a %pV's struct va_format, is a file-scope object
    ``func`` stores (a member of) from ``param`` (``sc_vaf.fmt = fmt; sc_vaf.va = &ap; sc_pv_kept();`` then
    ``pr_err("%pV", &sc_vaf)``), or a value naming a local ``func`` sets from it (``vaf.fmt = fmt; sc_keep = &vaf;``
    then ``pr_err("%pV", sc_keep)``; ``sc_keep = vaf;``, ``sc_keep = sc_id(&vaf);``: what a call gives back is not
    followed), into the object or where a pointer points at it (_file_stores: ``memcpy(&sc_keep, &vaf, ..)``,
    ``*sc_pp = &vaf;``, ``sc_copy(&sc_keep, &vaf)``), printed directly, through a local copied from it or through
    a file-scope pointer that may point at it (_print_of): which function prints it and when is not followed, so any
    such print counts. ``read``: what was looked up (leafwalks.called, POINTS)."""
    stores = _file_stores(code, func)
    if not stores:
        return None
    sources, copies = set_from_names(func, param), _copies(func)
    # the variables set from it, and the locals holding one's address or value (``p = &vaf; q = p;``)
    held = sources | _copied(copies, {name for name, value in copies if lvalue_base(address_of(value)) in sources})
    kept: set[str] = set()
    outside = False  # whether what a file-scope pointer points at decided them
    for objects, pointed, values in stores:  # a value naming one: ``sc_keep = &vaf``, ``sc_keep = sc_id(&vaf)``
        if any(reads(v, param) or any(isinstance(x, c_ast.ID) and x.name in held for x in _nodes(v)) for v in values):
            kept, outside = kept | objects, outside or pointed
    if kept or outside:
        read.append((POINTS, "", file_targets(code.program)))
    if not kept:
        return None
    kept |= pointing_at(code.program, kept)  # or a file-scope pointer to one (``pr_err("%pV", *sc_pp)``)
    read.extend(called(code, f) for f in code.program.functions)  # a print of it may be added anywhere
    return _print_of(code, kept)


def buffer_print(code: LeafCode, func: c_ast.FuncDef, call: c_ast.FuncCall, read: list[Read] | None
                 ) -> c_ast.FuncCall:
    """The print of what ``call`` of ``func``, snprintf() or its kin, formats into its buffer: one of ``func`` reading
    it (printhands.into_buffer), else, where the buffer is a file-scope one (or may be one: a pointer to it), a
    print of any function of the program some argument of which reads it (``vsnprintf(sc_buf, .., fmt, ap);`` then
    ``pr_err("%s", sc_buf)`` in another function, _print_of); ``call`` itself where none does. ``read``: what was
    looked up, where kept (leafwalks.called, POINTS)."""
    found = into_buffer(func, call)
    if found is not call or call.args is None or not call.args.exprs:
        return found
    buf = uncast(call.args.exprs[0])
    if isinstance(buf, c_ast.FuncCall) and buf.args is not None and buf.args.exprs:  # __sh_char_buf(buf)
        buf = buf.args.exprs[0]
    objects, outside = _objects(code, func, buf, local_names(func), True)
    if read is not None and (objects or outside):
        read.append((POINTS, "", file_targets(code.program)))
        read.extend(called(code, f) for f in code.program.functions)  # a print of it may be added anywhere
    return (_print_of(code, objects | pointing_at(code.program, objects), True) if objects else None) or call


def _print_of(code: LeafCode, kept: set[str], every: bool = False) -> c_ast.FuncCall | None:
    """A print of any function of the program whose format, or an argument of a %pV in it (``every``: any of its
    arguments), reads a variable of ``kept`` anywhere in it (``READ_ONCE(sc_keep)``, ``*sc_pp``), a local of that
    function copied from one (``v = sc_keep; pr_err(.., v)``), or calls a function of the program that gives one
    back (_getters: ``sc_get()`` returning ``sc_keep``); None for none."""
    getters = _getters(code, kept)
    for other in code.program.functions.values():
        names = _copied(_copies(other), kept)
        for n in kept_nodes(other.body):
            if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.args is not None \
                    and (at := format_at(n.name.name)) is not None and at < len(args := n.args.exprs) \
                    and any(_names(x, names, getters) for x in (
                        args[at:] if every or va_format_printed(args[at]) else args[at:at + 1])):
                return into_buffer(other, n) if n.name.name in INTO_BUFFER else n
    return None


def _getters(code: LeafCode, kept: set[str]) -> set[str]:
    """The functions of the program some ``return`` of which reads a file-scope variable of ``kept`` (not a local of
    its own of that name) or calls such a function, through any number of them."""
    found: set[str] = set()
    grew = True
    while grew:
        grew = False
        for name, func in code.program.functions.items():
            if name not in found and any(isinstance(r, c_ast.Return) and r.expr is not None and _names(
                    r.expr, kept - local_names(func), found) for r in kept_nodes(func.body)):
                found.add(name)
                grew = True
    return found


def _names(node: c_ast.Node, names: set[str], calls: set[str]) -> bool:
    """Whether ``node`` reads a variable of ``names`` (a member's name is none) or calls a function of ``calls``."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.ID) and n.name in names:
            return True
        if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in calls:
            return True
        todo.extend([n.name] if isinstance(n, c_ast.StructRef) else n)
    return False


def _file_stores(code: LeafCode, func: c_ast.FuncDef) -> list[tuple[set[str], bool, list[c_ast.Node]]]:
    """Each store of ``func`` that may write a file-scope variable, as (those variables, whether what a file-scope
    pointer points at decided them, the values stored): an ``=`` to one (or a member or element of it), or through
    a pointer that may point at it (models.pointsat: ``*sc_pp = &vaf;`` with ``sc_pp = &sc_keep``), every
    file-scope variable where that is not known; and a call other than a print handed the variable (its address,
    or a pointer that may point at it) and the values: a function of the program may store any argument through
    any other (``sc_copy(&sc_keep, &vaf)``), one of no function of the program (lib/string.c ``memcpy(dst, src,
    n)``, ``memmove()``) into its first from the others."""
    local = local_names(func)
    found: list[tuple[set[str], bool, list[c_ast.Node]]] = []
    for n in _stores(func.body):
        if isinstance(n, c_ast.Assignment):
            objects, outside = _objects(code, func, n.lvalue, local)
            if objects:
                found.append((objects, outside, [n.rvalue]))
        elif isinstance(n, c_ast.FuncCall) and n.args is not None and isinstance(n.name, c_ast.ID):
            args = n.args.exprs
            for a in args if n.name.name in code.program.functions else args[:1]:
                objects, outside = _objects(code, func, a, local, True)
                if objects:
                    found.append((objects, outside, [v for v in args if v is not a]))
    return found


@lru_cache(maxsize=4096)
def _stores(body: c_ast.Node) -> tuple[c_ast.Node, ...]:
    """The assignments of a body, and its calls of two arguments or more other than prints: once per body, which
    every program holding the definition shares."""
    return tuple(n for n in kept_nodes(body) if isinstance(n, c_ast.Assignment) or (
        isinstance(n, c_ast.FuncCall) and n.args is not None and isinstance(n.name, c_ast.ID)
        and n.name.name not in PRINTS and format_at(n.name.name) is None and len(n.args.exprs) > 1))


def _objects(code: LeafCode, func: c_ast.FuncDef, lvalue: c_ast.Node, local: frozenset[str], handed: bool = False
             ) -> tuple[set[str], bool]:
    """The file-scope variables a store into ``lvalue`` (``handed``: into what a call's argument points at, an
    address ``&x`` the variable itself) may write: the variable it names, a file-scope one, and those it may point at
    where it stores through it (every one where not known, as through a parameter no store of ``func`` sets); none
    for a local's own store. With whether what a
    file-scope pointer points at decided them (models.pointsat.pointees)."""
    name, through = stored_base(lvalue)
    if handed:
        lvalue = uncast(lvalue)
        through = through or not (isinstance(lvalue, c_ast.UnaryOp) and lvalue.op == "&")
    if name is None:  # '*(p + 1) = ..', 'memcpy(sc_arr + 1, ..)': not known; 'sizeof(vaf)', '0': nothing
        return set() if isinstance(lvalue, c_ast.Constant) or (isinstance(lvalue, c_ast.UnaryOp) and lvalue.op
                                                                == "sizeof") or not (through or handed) \
            else set(code.variables), False
    own = {name} if name in code.variables and name not in local else set()
    if not through:
        return own, False
    targets, outside = pointees(code.program, func, name)
    if not targets and name in param_list(func):  # what its callers hand it ('*out = &vaf'): not followed, any
        targets = frozenset({UNKNOWN})
    return own | (set(code.variables) if UNKNOWN in targets else set(targets)), outside


def _copies(func: c_ast.FuncDef) -> list[tuple[str, c_ast.Node]]:
    """Each variable ``func`` stores a whole value into (an initialiser, an ``=`` to its name), with the value."""
    return [(n.name, n.init) for n in _nodes(func.body) if isinstance(n, c_ast.Decl) and n.init is not None] + [
        (b, n.rvalue) for n in _nodes(func.body) if isinstance(n, c_ast.Assignment) and n.op == "="
        and isinstance(uncast(n.lvalue), c_ast.ID) and (b := lvalue_base(n.lvalue)) is not None]


def _copied(copies: list[tuple[str, c_ast.Node]], held: set[str]) -> set[str]:
    """``held`` and the variables of ``copies`` set to one of them, its address or a member of it, through any
    number of copies (``v = sc_keep; w = v;``)."""
    grew = True
    while grew:
        new = {name for name, value in copies if name not in held and lvalue_base(address_of(value)) in held}
        grew, held = bool(new), held | new
    return held
