"""What ``&`` takes the address of in the interpreter: one object, fixed when the address is taken (C11 6.5.3.2).

``&a[i]``, ``&s->x``, ``&p[i]``, ``&*E``, ``&(T){...}`` and ``&name`` (models.interp); models.lvalues reads the
object each names.
"""

from __future__ import annotations

from pycparser import c_ast

from models import unions
from models.clayout import is_bit_field
from models.ctype import Array, CType, Func, Incomplete, Int, Ptr, Struct
from models.errors import BuildFailure, CRuntimeError, UnsupportedConstruct
from models.hooks import CompilerHooks
from models.lvalues import deref_access, element_of, lvalue, member_of, pointer_parts, step_checked, via_pointer
from models.machine import ElemPtr, Ref, StructObj, StrVal, as_element
from models.unionptrs import Owner, array_holder, escaping, passing, union_owner
from models.values import Fn, Frame, Scope, read_var


def _pointer_address(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope, where: str) -> tuple[Fn, CType]:
    """``&p[i]``: a pointer to that element (one past the array's end too, which nothing may read), a struct
    element being its object; ``&p[0]`` of any other pointer is that pointer."""
    pf, idx, target = pointer_parts(c, node, scope, where)

    def address(f: Frame) -> object:
        p, i = pf(f), idx(f)
        p = as_element(p) if i else p  # &q[1] of q = &a[0] of an array of structs
        step_checked(p, i, target, where)
        if isinstance(p, ElemPtr):
            j = p.index + i
            if not 0 <= j <= len(p.elems):
                raise CRuntimeError(where, f"&{p.label}[{j}] is past the end of {p.label}[{len(p.elems)}] "
                                           "(undefined behaviour)")
            obj = p.elems[j] if j < len(p.elems) else None
            if isinstance(obj, StructObj):
                obj.element_of = (p.elems, j, p.label)  # p + 1 of it steps in the array (ptrarith)
                return obj
            return p.moved(j)
        if isinstance(p, StrVal) and 0 <= i <= len(p.data):
            return StrVal(p.data[i:])
        if i == 0:  # &p[0] is p + 0 (C11 6.5.3.2p3), NULL included
            return p
        raise UnsupportedConstruct(where, f"&p[{i}] of a pointer to a single object (pointer arithmetic is not "
                                          "modelled)")

    return address, Ptr(target)


def address_of(c: CompilerHooks, node: c_ast.Node, scope: Scope, where: str) -> tuple[Fn, CType]:
    """``&node`` compiled: the address (evaluated when called) and its pointer type; UnsupportedConstruct where it
    is not modelled, CRuntimeError past an array's end (C11 6.5.6p8)."""
    if isinstance(node, c_ast.ID) and c.lookup(node.name, scope) is None:
        return c.expr(node, scope)  # &function
    if isinstance(node, c_ast.CompoundLiteral):
        return _literal_address(c, node, scope, where)
    if isinstance(node, c_ast.UnaryOp) and node.op == "*":  # &*E is E, evaluated once (C11 6.5.3.2p3)
        pf, pt = c.expr(node.expr, scope)
        if isinstance(pt, Ptr) and isinstance(pt.target, Func | Incomplete):  # nothing read: no definition needed
            return pf, pt
        return pf, Ptr(deref_access(pf, pt, where)[2])
    # &a[i] and &s->x name one object, chosen when the address is taken (C11 6.5.3.2): a later change
    # of i or s does not move the pointer.
    owner = union_owner(c, node, scope)
    if isinstance(node, c_ast.ArrayRef) and via_pointer(c, node, scope):
        return _pointer_address(c, node, scope, where)
    found = _element_address(c, node, scope, where, owner) if isinstance(node, c_ast.ArrayRef) else \
        _member_address(c, node, scope, where, owner) if isinstance(node, c_ast.StructRef) else None
    return found if found is not None else _object_address(c, node, scope, where, owner)


def _element_address(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope, where: str,
                     owner: Owner | None) -> tuple[Fn, CType] | None:
    """``&a[i]`` of a scalar or array element; None for a struct element (``_object_address`` takes it)."""
    pos, name, et = element_of(c, node, scope, where)
    if owner is None and not isinstance(et, Struct | Array):
        # A pointer into the array, as the array's own value decays to (C11 6.5.2.1p2, 6.5.3.2p3): indexed
        # further, (&a[i])[1] is a[i + 1]; &a[n] is one past its end, as a + n.
        at_end = element_of(c, node, scope, where, one_past=True)[0]

        def into(f: Frame) -> ElemPtr:
            arr, i = at_end(f)
            return ElemPtr(arr, i, et, name)
        return into, Ptr(et)
    if isinstance(et, Struct):
        return None
    holder = array_holder(member_of(c, node.name, scope, where)) \
        if owner is not None and isinstance(node.name, c_ast.StructRef) else None

    def element(f: Frame) -> Ref:
        arr, i = pos(f)
        return passing(owner, f, Ref(lambda: read_var(arr[i], f"{name}[{i}]", where),
                                      lambda v: arr.__setitem__(i, v), f"{name}[{i}]", et,
                                      place=holder(f, i) if holder is not None else None))
    return element, Ptr(et)


def _member_address(c: CompilerHooks, node: c_ast.StructRef, scope: Scope, where: str,
                    owner: Owner | None) -> tuple[Fn, CType] | None:
    """``&s.x`` of a scalar or array member; None for a struct member (``_object_address`` takes it)."""
    obj, field, ft, st = member_of(c, node, scope, where)
    if is_bit_field(st, field):
        raise BuildFailure(where, f"cannot take address of bit-field '{field}'")
    if isinstance(ft, Struct):
        return None

    def member(f: Frame) -> Ref:
        o = obj(f)
        if st.union:
            if not isinstance(ft, Int | Ptr):  # a scalar's reads and writes through it pass by the union
                unions.touch_member(o, st, field)
            return Ref(lambda: read_var(unions.read_member(o, st, field), field, where),
                       lambda v: unions.write_member(o, st, field, ft, v), f"(object).{field}", ft, o, field)
        return passing(owner, f, Ref(lambda: read_var(o[field], field, where),
                                      lambda v: o.__setitem__(field, v), f"(object).{field}", ft, o, field))
    return member, Ptr(ft)


def _object_address(c: CompilerHooks, node: c_ast.Node, scope: Scope, where: str,
                    owner: Owner | None) -> tuple[Fn, CType]:
    """The address of a struct element or member, or of a named object (its storage and slot)."""
    get, put, t = lvalue(c, node, scope)
    if isinstance(t, Struct) and owner is None and isinstance(node, c_ast.ArrayRef):
        pos, name = element_of(c, node, scope, where, one_past=True)[:2]  # which element, for p + 1 (ptrarith)

        def struct_element(f: Frame) -> object:
            arr, i = pos(f)  # the index evaluated once, as the element's own read would
            if i == len(arr):  # &sa[n]: one past the end, as sa + n
                return ElemPtr(arr, i, t, name)
            obj = arr[i]
            if isinstance(obj, StructObj):
                obj.element_of = (arr, i, name)
            return obj

        return struct_element, Ptr(t)
    if isinstance(t, Struct):
        if isinstance(node, c_ast.StructRef):  # &u.s: a struct member of the union itself
            obj, field, _, st = member_of(c, node, scope, where)
            owner = (obj, st, field) if st.union else owner
        if owner is not None:  # a pointer to a struct inside a union's member: writes through it pass it by
            u_get, ut, um = owner
            return escaping(get, u_get, ut, um), Ptr(t)
        return get, Ptr(t)
    label = node.name if isinstance(node, c_ast.ID) else "object"
    var = c.lookup(node.name, scope) if isinstance(node, c_ast.ID) else None
    if (slot := c.unit_slot(var)) is not None:  # the object of the unit taking the address, wherever it is used
        def unit_object(f: Frame) -> Ref:
            g, s = f.m.globals, slot(f)
            return Ref(lambda: g[s], lambda v: g.__setitem__(s, v), label, t, g, s)
        return unit_object, Ptr(t)
    if var is not None:  # a named object: its storage and slot say which (models.ptrequal: &tok == &tok)
        vslot, local = var.slot, var.storage == "local"
        return (lambda f: Ref(lambda: get(f), lambda v: put(f, v), label, t, f.v if local else f.m.globals,
                              vslot)), Ptr(t)
    return (lambda f: Ref(lambda: get(f), lambda v: put(f, v), label, t)), Ptr(t)


def _literal_address(c: CompilerHooks, node: c_ast.CompoundLiteral, scope: Scope, where: str) -> tuple[Fn, CType]:
    """``&(struct tdx_module_args){ .rcx = x }``: a compound literal is an lvalue (C11 6.5.2.5p4), and its address
    is that of the object made where it is evaluated (a fresh one each time, as models.interp makes it)."""
    make, t = c.expr(node, scope)
    if isinstance(t, Struct):
        return make, Ptr(t)  # a pointer to a struct is the object itself
    if isinstance(t, Array):
        raise UnsupportedConstruct(where, "the address of an array compound literal (a pointer to an array) is "
                                          "not modelled")

    def fresh(f: Frame) -> Ref:
        cell = [make(f)]
        return Ref(lambda: cell[0], lambda v: cell.__setitem__(0, v), "(compound literal)", t, cell, 0)

    return fresh, Ptr(t)
