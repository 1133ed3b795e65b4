"""Lvalues of the interpreter: what an assignment writes, and the objects ``&`` takes the address of (models.interp).

``&a[i]`` and ``&s->x`` name one object, fixed when the address is taken (C11 6.5.3.2); a member or element
access evaluates its object each time it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pycparser import c_ast

from models import unions
from models.clayout import incomplete
from models.ctype import Array, CType, Func, Incomplete, Int, Ptr, Struct, Void
from models.errors import CRuntimeError, UnstoredRead, UnsupportedConstruct
from models.flexarrays import counted_members, elements_checked, past_count
from models.hooks import CompilerHooks
from models.machine import AddrPtr, ElemPtr, Ref, StructObj
from models.unknowncall import unknown_identifier
from models.unknowns import Unknown, store
from models.values import Fn, Frame, Scope, Setter, array_pointer, deref, element, integer_index, read_var, through


def lvalue(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> tuple[Fn, Setter, CType]:
    where = c.where(node.coord)
    if isinstance(node, c_ast.ID):
        var = c.lookup(node.name, scope)
        if var is None:
            if node.name in c.program.dropped:  # defined, but refused: say why, not "unknown"
                raise UnsupportedConstruct(where, f"'{node.name}' is not available: "
                                                  f"{c.program.dropped[node.name]}")
            raise UnsupportedConstruct(where, f"assignment to unknown name '{node.name}'")
        return c.var_access(var, where)
    if isinstance(node, c_ast.StructRef):
        return _member(c, node, scope, where)
    if isinstance(node, c_ast.UnaryOp) and node.op == "*":
        return deref_access(*c.expr(node.expr, scope), where)
    if isinstance(node, c_ast.ArrayRef):
        if via_pointer(c, node, scope):
            ref, target = _pointer_element(c, node, scope, where)
            return (lambda f: ref(f).get()), (lambda f, v: ref(f).set(v)), target
        return _index(c, node, scope, where)
    raise UnsupportedConstruct(where, f"not an lvalue: {type(node).__name__}")


Located = Callable[[Frame], tuple[Callable[[], Any], Callable[[Any], None]]]


def pure(node: c_ast.Node) -> bool:
    """Whether evaluating ``node`` has no side effect: names, constants, members, ``*``, ``&``, casts and
    arithmetic of such (no call, assignment, ``++``, statement expression)."""
    if isinstance(node, c_ast.ID | c_ast.Constant):
        return True
    if isinstance(node, c_ast.StructRef):
        return pure(node.name)
    if isinstance(node, c_ast.ArrayRef):
        return pure(node.name) and pure(node.subscript)
    if isinstance(node, c_ast.UnaryOp) and node.op in ("*", "&", "-", "+", "~", "!"):
        return pure(node.expr)
    if isinstance(node, c_ast.Cast):
        return pure(node.expr)
    if isinstance(node, c_ast.BinaryOp):
        return pure(node.left) and pure(node.right)
    return False


def located(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> tuple[Located, CType]:
    """An lvalue whose location is evaluated once per call, giving its read and write (C11 6.5.16.2p3: ``E1 op= E2``
    and ``E1++`` evaluate E1 once): ``(*next())++``, ``p()->n += 1``, ``a[idx()] |= m`` call once, not once to
    read and again to write."""
    where = c.where(node.coord)
    if isinstance(node, c_ast.UnaryOp) and node.op == "*":
        pf, pt = c.expr(node.expr, scope)
        target = deref_access(pf, pt, where)[2]

        def pointee(f: Frame) -> tuple[Callable[[], Any], Callable[[Any], None]]:
            ref = through(deref(held(pf(f)), where), target, where)
            return ref.get, ref.set

        return pointee, target
    if isinstance(node, c_ast.StructRef):
        obj, field, ft, st = member_of(c, node, scope, where)
        if not isinstance(ft, Struct | Array):
            def member(f: Frame) -> tuple[Callable[[], Any], Callable[[Any], None]]:
                o = obj(f)
                if st.union:
                    return (lambda: read_var(unions.read_member(o, st, field), field, where)), \
                        (lambda v: unions.write_member(o, st, field, ft, v))
                return (lambda: read_var(o[field], field, where)), (lambda v: o.__setitem__(field, v))

            return member, ft
    if isinstance(node, c_ast.ArrayRef) and via_pointer(c, node, scope):
        ref, target = _pointer_element(c, node, scope, where)

        def pointed(f: Frame) -> tuple[Callable[[], Any], Callable[[Any], None]]:
            r = ref(f)
            return r.get, r.set

        return pointed, target
    if isinstance(node, c_ast.ArrayRef):
        pos, name, et = element_of(c, node, scope, where)

        def element(f: Frame) -> tuple[Callable[[], Any], Callable[[Any], None]]:
            arr, i = pos(f)
            return (lambda: read_var(arr[i], f"{name}[{i}]", where)), (lambda v: arr.__setitem__(i, v))

        return element, et
    get, put, t = lvalue(c, node, scope)
    return (lambda f: ((lambda: get(f)), (lambda v: put(f, v)))), t


def deref_access(pf: Fn, pt: CType, where: str) -> tuple[Fn, Setter, CType]:
    """``*p`` of a pointer ``pf`` of type ``pt``: the object it points at, read and written (``*arr``: its first
    element)."""
    if isinstance(pt, Array):
        pf, pt = array_pointer(pf, pt), Ptr(pt.elem)
    target = pt.target if isinstance(pt, Ptr) else None
    if target is None or isinstance(target, Func):
        raise UnsupportedConstruct(where, f"dereferencing {pt}")
    if isinstance(target, Incomplete):  # gcc: "invalid use of undefined type"
        raise incomplete(target, where, "what it points to")
    def get(f: Frame) -> Any:
        try:
            return through(deref(held(pf(f)), where), target, where).get()
        except UnstoredRead as e:  # *out read before the run stored it: said at this read (models.outstate)
            raise UnsupportedConstruct(where, e.message) from None

    return get, (lambda f, v: through(deref(held(pf(f)), where), target, where).set(v)), target


def held(p: Any) -> Any:
    """A pointer value; a struct or union inside a union (``*ps`` of ``ps = &u.s``) after the unions it lies in took
    their bytes from a member changed in place (models.unions.holders)."""
    if p.__class__ is StructObj and p.container is not None:
        unions.holders(p)
    return p


def _member(c: CompilerHooks, node: c_ast.StructRef, scope: Scope, where: str) -> tuple[Fn, Setter, CType]:
    obj, field, ft, st = member_of(c, node, scope, where)
    if st.union:
        return _union_member(obj, st, field, ft, where)

    def put(f: Frame, v: Any) -> None:
        o = obj(f)
        old = o.get(field)
        if old.__class__ is Unknown or old.__class__ is StructObj or old.__class__ is list:
            store(old, field, where)  # freed memory (models.heap): KASAN's use-after-free Write
        o[field] = v

    return (lambda f: read_var(obj(f)[field], field, where)), put, ft


def _union_member(obj: Fn, st: Struct, field: str, ft: CType, where: str) -> tuple[Fn, Setter, CType]:
    """A union member: writes keep the other members coherent (models.unions); using a struct or array member
    (which may then change in place) makes the others unknown."""
    def put(f: Frame, v: Any) -> None:
        unions.write_member(obj(f), st, field, ft, v)

    if isinstance(ft, Struct | Array):
        def get(f: Frame) -> Any:
            o = obj(f)
            v = read_var(o[field], field, where)
            unions.touch_member(o, st, field)
            return v

        return get, put, ft
    return (lambda f: read_var(unions.read_member(obj(f), st, field), field, where)), put, ft


def member_of(c: CompilerHooks, node: c_ast.StructRef, scope: Scope,
               where: str) -> tuple[Fn, str, CType, Struct]:
    """The struct object a member access reads (evaluated when called), the member's name and type, the
    struct's (or union's) type."""
    base, bt = c.expr(node.name, scope)
    st = bt.target if node.type == "->" and isinstance(bt, Ptr) else bt
    if isinstance(st, Incomplete):
        raise incomplete(st, where, f"its member '{node.field.name}'")
    if not isinstance(st, Struct):
        raise UnsupportedConstruct(where, f"member access on {bt}")
    field = node.field.name
    path = st.member_path(field)
    if path is None:
        raise UnsupportedConstruct(where, f"{st} has no member '{field}'")

    def direct(f: Frame) -> StructObj:
        o = base(f)
        if o is None:
            raise CRuntimeError(where, f"NULL pointer dereference reading '{field}'")
        if o.__class__ is ElemPtr:  # p->x of a pointer into an array of structs: its element's member
            o = element(o, 0, where).get()
            if not isinstance(o, StructObj):
                raise UnsupportedConstruct(where, f"'{field}' of an array element that is not a {st}")
        elif isinstance(o, AddrPtr):  # ERR_PTR(): an oops where read, an address where only &p->x is taken
            raise UnsupportedConstruct(where, f"'{field}' through the address {o.address:#x} (memory is not "
                                              "modelled)")
        elif not isinstance(o, StructObj):  # a scalar, a string literal, a function, through a cast pointer
            raise UnsupportedConstruct(where, f"'{field}' of an object that is not a {st} (its bytes as a struct are "
                                              "not modelled)")
        if o.container is not None:  # a struct inside a union, maybe reached through a pointer: its bytes now
            unions.holders(o)
        return o

    obj: Fn = direct
    for outer, anon, _ in path[:-1]:
        obj = _anonymous(obj, outer, anon, where)
    inner, _, ft = path[-1]
    return obj, field, ft, inner


def _anonymous(obj: Fn, outer: Struct, anon: str, where: str) -> Fn:
    """The object of an anonymous struct or union member (C11 6.7.2.1p13), as ``obj(f)`` holds it: a member of
    a union used in place (models.unions)."""
    def get(f: Frame) -> StructObj:
        o = obj(f)
        if outer.union:
            unions.touch_member(o, outer, anon)
        return read_var(o[anon], "(anonymous member)", where)  # type: ignore[no-any-return]

    return get


def _index(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope, where: str) -> tuple[Fn, Setter, CType]:
    pos, name, et = element_of(c, node, scope, where)

    def get(f: Frame) -> Any:
        arr, i = pos(f)
        return read_var(arr[i], f"{name}[{i}]", where)

    def put(f: Frame, v: Any) -> None:
        arr, i = pos(f)
        store(arr[i], f"{name}[{i}]", where)  # freed memory (models.heap): KASAN's use-after-free Write
        arr[i] = v

    return get, put, et


def element_of(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope, where: str, one_past: bool = False
             ) -> tuple[Fn, str, CType]:
    """(array, index) of an element access (evaluated when called), the array's name, the element type; with
    ``one_past``, the index one past the end too (``&a[n]``, C11 6.5.6p8, which nothing may read)."""
    get_arr, name, at = _array_of(c, node.name, scope, where)
    idx, it = c.expr(node.subscript, scope)
    integer_index(it, where)
    end = 1 if one_past else 0
    counted = _counter(c, node.name, at, scope) if at.length is None else None

    def pos(f: Frame) -> tuple[list[Any], int]:
        arr, i = get_arr(f), idx(f)
        if not 0 <= i < len(arr) + end:
            raise CRuntimeError(where, f"index {i} outside {name}[{len(arr)}]")
        if counted is not None and i >= (n := int(counted[0](f))) + end:
            raise past_count(name, i, n, counted[1], where)
        return arr, i

    return pos, name, at.elem


def _counter(c: CompilerHooks, node: c_ast.Node, at: Array, scope: Scope) -> tuple[Fn, str] | None:
    """The value of the member a flexible array member's __counted_by() names (``p->n`` of ``p->e``), and its name;
    None where it has none, or where reading it would evaluate the struct's expression again (a call in it)."""
    if not isinstance(node, c_ast.StructRef) or not _plain(node.name):
        return None
    if "<counted_by>" not in c.program.compiled:
        c.program.compiled["<counted_by>"] = counted_members(c.program.used)
    table = c.program.compiled["<counted_by>"]
    base = c.type_of(node.name, scope)
    t = base.target if isinstance(base, Ptr) else base
    counter = table.get((t.tag, node.field.name)) if isinstance(t, Struct) and isinstance(table, dict) else None
    if counter is None:
        return None
    return c.expr(c_ast.StructRef(node.name, node.type, c_ast.ID(counter), node.coord), scope)[0], counter


def _plain(node: c_ast.Node) -> bool:
    """A struct's expression with no side effect: a name, or members and elements of one by constant indexes."""
    while isinstance(node, c_ast.StructRef | c_ast.ArrayRef):
        if isinstance(node, c_ast.ArrayRef) and not isinstance(node.subscript, c_ast.Constant | c_ast.ID):
            return False
        node = node.name
    return isinstance(node, c_ast.ID)


def _array_of(c: CompilerHooks, node: c_ast.Node, scope: Scope, where: str) -> tuple[Fn, str, Array]:
    """The array an index applies to: a named one, a struct's member (``s->regs[2]``) or an element of an array
    of arrays (``a[i][j]``), with its length; anything else would be pointer arithmetic."""
    if isinstance(node, c_ast.ID):
        var = c.lookup(node.name, scope)
        if var is not None and isinstance(var.ctype, Array):
            return c.array_storage(var, where), var.name, var.ctype
        if var is None:  # an array defined but refused, or not known at all: say that, not "a pointer"
            why = c.program.dropped.get(node.name)
            raise UnsupportedConstruct(where, f"'{node.name}' is not available: {why}" if why is not None
                                       else unknown_identifier(node.name, c.program.not_found(node.name)))
    elif isinstance(node, c_ast.StructRef | c_ast.ArrayRef):
        get, _, t = lvalue(c, node, scope)
        if isinstance(t, Array):
            if t.length is None:  # a flexible array member: the elements kmalloc() memory holds (models.flexarrays)
                return elements_checked(get, where), array_label(node), t
            return get, array_label(node), t
    raise UnsupportedConstruct(where, "indexing a pointer (pointer arithmetic)")


def via_pointer(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope) -> bool:
    """Whether ``a[i]`` indexes through a pointer: a pointer, a string literal, a compound literal or a call's value,
    anything but a named array, an array member or an element of an array of arrays (_array_of)."""
    if isinstance(node.name, c_ast.ID | c_ast.StructRef | c_ast.ArrayRef):
        t = c.type_of(node.name, scope) if not isinstance(node.name, c_ast.ID) or c.lookup(node.name.name, scope) \
            else None
        return isinstance(t, Ptr)
    return True


def pointer_parts(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope, where: str) -> tuple[Fn, Fn, CType]:
    """The pointer ``p[i]`` indexes (an array operand decays to one: C11 6.5.2.1p2), the index, the element type."""
    pf, pt = c.expr(node.name, scope)
    if isinstance(node.name, c_ast.Constant):  # "abc"[1]: an array of char, which is unsigned (-funsigned-char)
        pt = c.type_of(node.name, scope)
    if isinstance(pt, Array):
        pf, pt = array_pointer(pf, pt), Ptr(pt.elem)
    if not isinstance(pt, Ptr) or isinstance(pt.target, Func | Void):
        raise UnsupportedConstruct(where, f"indexing {pt}")
    idx, it = c.expr(node.subscript, scope)
    integer_index(it, where)
    return pf, idx, pt.target


def step_checked(p: object, i: int, target: CType, where: str) -> None:
    """Refuse ``p[i]`` past element 0 through a type of another size than the array's elements (the bytes it
    reads would be another element's part, not modelled)."""
    obj = p.ctype if isinstance(p, ElemPtr) else None
    if i == 0 or obj is None or obj == target:
        return
    if isinstance(obj, Int) and isinstance(target, Int) and obj.bits == target.bits:
        return
    raise UnsupportedConstruct(where, f"indexing an array of {obj} through a pointer to {target}: its bytes as "
                                      "another type are not modelled")


def _pointer_element(c: CompilerHooks, node: c_ast.ArrayRef, scope: Scope,
                     where: str) -> tuple[Callable[[Frame], Ref], CType]:
    """``p[i]``: the object it names, as an lvalue of the pointer's target type, found each time it is evaluated."""
    pf, idx, target = pointer_parts(c, node, scope, where)

    def ref(f: Frame) -> Ref:
        p, i = pf(f), idx(f)
        step_checked(p, i, target, where)
        return through(element(p, i, where), target, where)

    return ref, target


def array_label(node: c_ast.Node) -> str:
    """How an array expression is named in a message (``s->regs``, ``w.arr``, ``a[]``)."""
    if isinstance(node, c_ast.ID):
        return str(node.name)
    if isinstance(node, c_ast.StructRef):
        return f"{array_label(node.name)}{node.type}{node.field.name}"
    if isinstance(node, c_ast.ArrayRef):
        return f"{array_label(node.name)}[]"
    return "(array)"


def char_array(c: CompilerHooks, node: c_ast.Node, scope: Scope) -> Fn | None:
    """A char array passed to a kernel primitive (``pr_info("%s", name)`` of ``char name[] = "..."``, strlen()):
    it decays to a pointer to its bytes, which the primitive reads (models.printkargs.printk_args); None for any other
    argument."""
    if isinstance(node, c_ast.ID):
        var = c.lookup(node.name, scope)
        if var is None or not isinstance(var.ctype, Array):
            return None
    elif not isinstance(node, c_ast.StructRef):
        return None
    get, _, t = lvalue(c, node, scope)
    return get if isinstance(t, Array) and isinstance(t.elem, Int) and t.elem.bits == 8 else None
