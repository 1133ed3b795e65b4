"""gcc's -Wformat for a printk-family call's integer conversion narrower than its argument's type (``%#x`` of a u64)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from pycparser import c_ast

from models.cload import Program
from models.condeval import int_type
from models.cparse import all_nodes
from models.ctype import INT, ULONG, Int, literal_type, promote, usual
from models.errors import MirrorError
from models.facts import PRINTS
from models.literals import PR_FMT_MARK, string_bytes
from models.printk import conversions

# The conversions vsnprintf() reads an int or unsigned int for (lib/vsprintf.c: a qualifier of none, 'h' or 'hh'),
# and the type gcc names as the one each expects (printf's: the default argument promotions make 'h' an int).
_NARROW = {"": "unsigned int", "h": "int", "H": "int"}
_SIGNED = frozenset("dic")
_KEYWORDS = frozenset({"int", "long", "short", "char", "signed", "unsigned", "_Bool"})  # a lone one is no typedef


def format_index(name: str) -> int:
    """Which argument of a printk-family call is its format: dev_*() and dev_printk() take the device first, a WARN()
    its condition (and WARN_TAINT() the taint): __warn_printk() is __printf(1, 2) as printk() is; the mirror's
    __sh_dev_log(level, fmt, ..), which a dev_<level>() expands to (models.prelude), its level."""
    if name.startswith("WARN"):
        return 2 if name.startswith("WARN_TAINT") else 1
    return 2 if name == "dev_printk" else 1 if name.startswith(("dev_", "__sh_dev_log")) else 0


# gcc's names of the integer types, by conversion rank (models.ctype.Int): signed, unsigned
_GCC_NAMES = {5: ("long long int", "long long unsigned int"), 4: ("long int", "long unsigned int"),
              3: ("int", "unsigned int"), 2: ("short int", "short unsigned int"), 1: ("signed char", "unsigned char")}


def gcc_type(t: Int) -> str:
    """An integer type as gcc spells it in a diagnostic ('long long unsigned int', 'int')."""
    names = _GCC_NAMES.get(t.rank)
    return t.spelled if names is None or ":" in t.spelled else names[0 if t.signed else 1]  # a bit-field's own


Seen = dict[str, c_ast.Node]  # the declarations a call sees by name: its function's parameters and locals in scope


def visible(fn: c_ast.FuncDef, call: c_ast.Node) -> Seen:
    """The parameters of ``fn`` and the locals declared before ``call`` in the blocks around it, the innermost of each
    name (C11 6.2.1p4: a block's declaration hides an outer one's until the block ends; a ``for`` loop's own is the
    loop's), as gcc types a name at ``call``; {} where ``call`` is not in ``fn``."""
    params = fn.decl.type.args.params if isinstance(fn.decl.type, c_ast.FuncDecl) and fn.decl.type.args else []
    outer: Seen = {p.name: p for p in params if isinstance(p, c_ast.Decl) and p.name}
    # (node, the names it sees, whether it is an item of a block or a for's declarations: a Decl there declares)
    todo: list[tuple[c_ast.Node, Seen, bool]] = [(fn.body, outer, False)]
    while todo:
        n, names, item = todo.pop()
        if n is call:
            return names
        if item and isinstance(n, c_ast.Decl) and n.name:
            names[n.name] = n  # the blocks' later items see it (they are popped after this one's children)
        if isinstance(n, c_ast.Compound):
            inner = dict(names)
            todo.extend((child, inner, True) for child in reversed(n.block_items or []))
        elif isinstance(n, c_ast.For):
            inner = dict(names)
            todo.extend((child, inner, isinstance(n.init, c_ast.DeclList) and child is n.init)
                        for child in reversed([n.init, n.cond, n.next, n.stmt]) if child is not None)
        elif isinstance(n, c_ast.DeclList) and item:
            todo.extend((d, names, True) for d in reversed(n.decls))
        elif isinstance(n, c_ast.Case | c_ast.Default) and item:  # a label's statements are the switch block's items
            todo.extend((child, names, True) for child in reversed(n.stmts or []))
            if isinstance(n, c_ast.Case):
                todo.append((n.expr, names, False))
        else:
            todo.extend((child, names, False) for _, child in reversed(list(n.children())))
    return {}


def _declared(fn: Seen, program: Program, name: str) -> c_ast.Node | None:
    """The declaration of ``name`` a use sees (``fn``: what is in scope there, visible()): a local or parameter,
    else a file-scope one (the last)."""
    found = fn.get(name)
    if found is None:
        found = next((d for d in reversed(program.ast.ext) if isinstance(d, c_ast.Decl) and d.name == name), None)
    return found


_Typed = tuple[Int, str | None]  # an argument's type, and the typedef name gcc gives it (None: it spells the type)
Prototypes = Callable[[str], str | None]  # a function's prototype text in the sources, None where there is none


def _NO_PROTOTYPES(name: str) -> str | None:
    return None


def _typedef_name(node: c_ast.Node) -> str | None:
    """The typedef a declaration's type node names (``u64``), None for a type spelt in keywords."""
    named = [n for n in getattr(getattr(node, "type", None), "names", []) if n not in ("const", "volatile")]
    return named[0] if len(named) == 1 and named[0] not in _KEYWORDS else None


def _declared_type(program: Program, node: c_ast.Node | None) -> _Typed | None:
    if not isinstance(node, c_ast.TypeDecl):
        return None
    t = int_type(program, node)
    return None if t is None else (t, _typedef_name(node))


def _unaliased(program: Program, node: c_ast.Node | None) -> c_ast.Node | None:
    """A declarator with the typedef names it is made of followed to their definitions (``regs_t *`` of ``typedef
    struct regs regs_t``: the struct), as far as a struct, a pointer, an array or a type of keywords."""
    for _ in range(16):
        names = [n for n in getattr(getattr(node, "type", None), "names", []) if n not in ("const", "volatile")]
        if not isinstance(node, c_ast.TypeDecl) or len(names) != 1 or names[0] in _KEYWORDS:
            return node
        node = next((d.type for d in reversed(program.ast.ext) if isinstance(d, c_ast.Typedef) and d.name == names[0]),
                    None)
    return node


def _target(program: Program, node: c_ast.Node | None) -> c_ast.Node | None:
    """What a pointer or an array declarator holds (``*p``, ``p[i]``, ``p->m``'s struct)."""
    node = _unaliased(program, node)
    return node.type if isinstance(node, c_ast.PtrDecl | c_ast.ArrayDecl) else None


def _field(program: Program, node: c_ast.Node | None, name: str) -> c_ast.Decl | None:
    """The declaration of member ``name`` of the struct or union ``node`` declares (by its members written there, or
    its tag's definition), an anonymous struct or union member's own members in its place."""
    node = _unaliased(program, node)
    s = node.type if isinstance(node, c_ast.TypeDecl) else node  # an anonymous member's Decl holds the struct
    if not isinstance(s, c_ast.Struct | c_ast.Union):
        return None
    decls = s.decls
    todo: list[c_ast.Node] = [program.ast] if decls is None and s.name else []
    while todo and decls is None:
        n = todo.pop()
        if isinstance(n, type(s)) and n.name == s.name and n.decls:
            decls = n.decls
        todo.extend(child for _, child in n.children())
    for d in decls or ():
        if d.name == name:
            return d if isinstance(d, c_ast.Decl) else None
        if d.name is None and (inner := _field(program, d.type, name)) is not None:
            return inner
    return None


def _member(program: Program, fn: Seen, node: c_ast.StructRef) -> c_ast.Decl | None:
    """The declaration of the member ``p->m`` or ``s.m`` names."""
    base = _place(program, fn, node.name)
    return _field(program, _target(program, base) if node.type == "->" else base, node.field.name)


def _place(program: Program, fn: Seen, node: c_ast.Node) -> c_ast.Node | None:
    """The declarator of the object an lvalue names: a variable, a member (``w->args.rcx``, ``r->rcx`` of a typedef's
    struct), an element (``regs[1]``, ``p[0]``), ``*p``, a compound literal; None for anything else."""
    if isinstance(node, c_ast.ID):
        decl = _declared(fn, program, node.name)
        return decl.type if isinstance(decl, c_ast.Decl) else None
    if isinstance(node, c_ast.StructRef) and isinstance(node.field, c_ast.ID):
        d = _member(program, fn, node)
        return d.type if d is not None else None
    if isinstance(node, c_ast.ArrayRef):
        return _target(program, _place(program, fn, node.name))
    if isinstance(node, c_ast.UnaryOp) and node.op == "*":
        return _target(program, _place(program, fn, node.expr))
    if isinstance(node, c_ast.Cast):  # ((struct regs *)p)->rcx
        return node.to_type.type
    if isinstance(node, c_ast.CompoundLiteral):  # (struct regs){ ... }.rcx
        return node.type.type
    return None


def _place_type(program: Program, fn: Seen, node: c_ast.Node, depth: int,
                protos: Prototypes) -> _Typed | None:
    """The integer type of the object ``node`` names; a ``typeof(expr)`` declaration's is ``expr``'s; a bit-field's
    (C11 6.3.1.1p2, as gcc types it): 32 bits or fewer an int, wider one of its own, between int and long long in
    rank, which gcc names by its width ('long unsigned int:40' of a u64 bit-field)."""
    if isinstance(node, c_ast.StructRef) and isinstance(node.field, c_ast.ID):
        d = _member(program, fn, node)
        if d is not None and d.bitsize is not None:
            return _bit_field(program, d)
    place = _place(program, fn, node)
    if isinstance(place, c_ast.TypeDecl) and isinstance(place.type, c_ast.TypeOf) \
            and not isinstance(place.type.expr, c_ast.Typename):
        return _arg_type(program, fn, place.type.expr, depth + 1, protos)
    return _declared_type(program, place)


def _returned(program: Program, name: str, protos: Prototypes) -> _Typed | None:
    """What a call of the function ``name`` returns, by its definition, or a prototype the sources hold (``protos``:
    the text of one, for a function whose body is in a file not read: gcc types the call by it)."""
    found = program.functions.get(name)
    decl = found.decl if found is not None else next(
        (d for d in program.ast.ext if isinstance(d, c_ast.Decl) and d.name == name), None)
    if decl is not None:  # a function, one a typedef of a function type declares (`seam_fn_t seam_leaf;`), a pointer
        f = _function_of(program, decl.type)
        return _declared_type(program, f.type) if f is not None else None
    text = protos(name)
    return _prototype_returns(program, name, text) if text is not None else None


def _function_of(program: Program, node: c_ast.Node | None) -> c_ast.FuncDecl | None:
    """The function type a declarator is or points at (``u64 (*fp)(u64)``, a typedef of either, ``sc_plain_t *``)."""
    for _ in range(8):
        node = _unaliased(program, node)
        if isinstance(node, c_ast.FuncDecl):
            return node
        if not isinstance(node, c_ast.PtrDecl):
            return None
        node = node.type
    return None


def _call_type(program: Program, fn: Seen, call: c_ast.FuncCall, protos: Prototypes) -> _Typed | None:
    """What a call returns: a function's by its name (its definition, declaration or prototype), one through a pointer
    (a parameter, a local, a member: ``func(fn)``, ``(*func)(fn)``, ``ops->call(fn)``) by the pointer's type."""
    callee = call.name
    while isinstance(callee, c_ast.UnaryOp) and callee.op == "*":  # (*fp)(x): the function fp points at
        callee = callee.expr
    if isinstance(callee, c_ast.ID) and callee.name not in fn:
        return _returned(program, callee.name, protos)
    f = _function_of(program, _place(program, fn, callee))
    return _declared_type(program, f.type) if f is not None else None


# Words before a prototype's name that are no part of its return type: storage classes, qualifiers of the value
# (gcc names a call's value without them) and the kernel's annotations without leading underscores.
_NOT_TYPE = frozenset({"static", "inline", "extern", "const", "volatile", "register", "noinline", "notrace", "noinstr",
                       "asmlinkage", "__always_inline"})


def _prototype_returns(program: Program, name: str, text: str) -> _Typed | None:
    """The integer type a prototype's text (``static u64 __must_check seam_leaf(void);``) gives its function's
    value: the words before the name, its attributes and annotations (``__`` words no typedef names) left out; None
    for a pointer or a word the program does not know as a type (a macro standing for one: not expanded here)."""
    head = re.split(rf"\b{re.escape(name)}\s*\(", text, maxsplit=1)[0]
    head = re.sub(r"\b__attribute__\s*\(\(.*?\)\)|\b\w+\s*\([^()]*\)", " ", head)
    if "*" in head or "(" in head:
        return None
    typedefs = {d.name for d in program.ast.ext if isinstance(d, c_ast.Typedef)}
    words = [w for w in re.findall(r"[A-Za-z_]\w*", head)
             if w not in _NOT_TYPE and (not w.startswith("__") or w in typedefs)]
    if not words:
        return None
    return _declared_type(program, c_ast.TypeDecl(None, [], None, c_ast.IdentifierType(words)))


def _same(a: Int, b: Int) -> bool:
    return (a.bits, a.signed, a.rank) == (b.bits, b.signed, b.rank)


def _common(a: _Typed, b: _Typed) -> _Typed:
    """The usual arithmetic conversions' type of two operands, named as gcc names it: an operand's typedef when the
    other was converted to its type (``fn & 0xff``), the spelt type when both had it under other names."""
    left, right = promote(a[0]), promote(b[0])
    t = usual(left, right)
    assert isinstance(t, Int) and isinstance(left, Int) and isinstance(right, Int)
    if _same(left, right):
        return t, a[1] if a[1] == b[1] else None
    return t, a[1] if _same(t, a[0]) else b[1] if _same(t, b[0]) else None


def _bit_field(program: Program, d: c_ast.Decl) -> _Typed | None:
    declared = _declared_type(program, d.type)
    width = d.bitsize.value if isinstance(d.bitsize, c_ast.Constant) else None
    try:
        bits = int(width.rstrip("uUlL"), 0) if width is not None else None
    except ValueError:
        bits = None
    if declared is None or bits is None:
        return None
    if bits <= 32 or declared[0].bits <= 32:
        return INT, None  # promoted to int (unsigned int for an unsigned one of 32 bits): no bits lost
    sign = "long int" if declared[0].signed else "long unsigned int"
    return Int(declared[0].bits, declared[0].signed, 4, f"{sign}:{bits}"), None


def _arg_type(program: Program, fn: Seen, arg: c_ast.Node, depth: int = 0,
              protos: Prototypes = _NO_PROTOTYPES) -> _Typed | None:
    """The integer type of a printed argument and the typedef gcc names it by: an object a variable, a member, an
    element or ``*p`` names, a cast, an integer constant, a call of a function the code defines, ``sizeof``, an
    assignment, ``x++``, a comma's or a statement expression's last value, and the arithmetic of them; None for any
    other expression (a macro's value the mirror provides, a function known by its prototype alone: not worked out
    here)."""
    if depth > 32:
        return None
    if isinstance(arg, c_ast.Cast):
        found = _declared_type(program, arg.to_type.type)
        return None if found is None else (found[0], None)  # gcc names a cast's result by its type alone
    if isinstance(arg, c_ast.ID | c_ast.StructRef | c_ast.ArrayRef | c_ast.CompoundLiteral) \
            or (isinstance(arg, c_ast.UnaryOp) and arg.op == "*"):
        return _place_type(program, fn, arg, depth, protos)
    if isinstance(arg, c_ast.FuncCall):
        return _call_type(program, fn, arg, protos)
    if isinstance(arg, c_ast.Constant) and arg.type not in ("string", "char", "float", "double"):
        try:
            return literal_type(arg.value)[1], None
        except MirrorError:
            return None
    if isinstance(arg, c_ast.UnaryOp) and arg.op in ("sizeof", "_Alignof", "alignof", "__alignof__"):
        return ULONG, None  # size_t: 'long unsigned int' to gcc
    if isinstance(arg, c_ast.UnaryOp) and arg.op in ("p++", "p--", "++", "--"):
        return _arg_type(program, fn, arg.expr, depth + 1, protos)
    if isinstance(arg, c_ast.Assignment):  # the left operand's type (C11 6.5.16p3)
        return _arg_type(program, fn, arg.lvalue, depth + 1, protos)
    if isinstance(arg, c_ast.ExprList) and arg.exprs:  # a comma's right operand
        return _arg_type(program, fn, arg.exprs[-1], depth + 1, protos)
    if isinstance(arg, c_ast.Compound) and arg.block_items:  # ({ ...; x; }): its last expression statement
        last = arg.block_items[-1]
        own: Seen = {**fn, **{d.name: d for d in arg.block_items if isinstance(d, c_ast.Decl) and d.name}}  # its own
        return None if isinstance(last, c_ast.Decl) else _arg_type(program, own, last, depth + 1, protos)
    if isinstance(arg, c_ast.UnaryOp) and arg.op in ("-", "~", "+"):
        inner = _arg_type(program, fn, arg.expr, depth + 1, protos)
        return None if inner is None else (inner[0], inner[1]) if inner[0].rank >= 3 else (INT, None)
    if isinstance(arg, c_ast.BinaryOp) and arg.op in ("<<", ">>"):
        inner = _arg_type(program, fn, arg.left, depth + 1, protos)
        return None if inner is None else (inner[0], inner[1]) if inner[0].rank >= 3 else (INT, None)
    if isinstance(arg, c_ast.BinaryOp | c_ast.TernaryOp) and getattr(arg, "op", "?") in _ARITH:
        a, b = (arg.left, arg.right) if isinstance(arg, c_ast.BinaryOp) else (arg.iftrue, arg.iffalse)
        ta, tb = _arg_type(program, fn, a, depth + 1, protos), _arg_type(program, fn, b, depth + 1, protos)
        return None if ta is None or tb is None else _common(ta, tb)
    return None


_ARITH = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "?"})


def narrowed(program: Program, fn: c_ast.FuncDef, call: c_ast.FuncCall,
             protos: Prototypes = _NO_PROTOTYPES) -> list[tuple[int, str]]:
    """(index of the argument in ``call``, gcc's warning) for each integer conversion of a printk-family call's literal
    format that reads 32 bits or fewer of a 64-bit argument: vsnprintf() prints its low bits (0x8000000000000021 by
    ``%#x`` as ``0x21``). A format that is no literal, or an argument whose type is not known here, gives none."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else ""
    args = call.args.exprs if call.args is not None else []
    at = format_index(name)
    if name not in PRINTS or len(args) <= at:
        return []
    fmt = args[at]
    if not isinstance(fmt, c_ast.Constant) or fmt.type != "string" or "*" in fmt.value:
        return []  # a '*' takes an argument conversions() does not show: the count would be off
    text = string_bytes(fmt.value.replace(PR_FMT_MARK, ""), b"").decode("utf-8", "surrogateescape")
    out = []
    seen = visible(fn, call)
    for i, spec in enumerate(conversions(text), start=at + 1):
        if i >= len(args) or spec.conv not in "diuoxXc" or spec.qualifier not in _NARROW:
            continue
        typed = _arg_type(program, seen, args[i], 0, protos)
        if typed is None or typed[0].bits != 64:
            continue
        written = {"H": "hh"}.get(spec.qualifier, spec.qualifier) + spec.conv
        expects = "int" if spec.conv in _SIGNED else _NARROW[spec.qualifier]
        number = i + 1 - (at if name.startswith("WARN") else 0)  # the printer's argument: __warn_printk(fmt, ...)
        out.append((i, f"format '%{written}' expects argument of type '{expects}', but argument {number} has type "
                       f"{_gcc_named(typed)} [-Wformat=]"))
    return out


def _gcc_named(typed: _Typed) -> str:
    canonical = gcc_type(typed[0])
    return f"'{typed[1]}' {{aka '{canonical}'}}" if typed[1] is not None else f"'{canonical}'"


def call_key(program: Program, call: c_ast.Node) -> str:
    """A call's place as models.leafflow names a printed argument's (``path:line:column``)."""
    return program.site(call.coord)


def narrow_prints(program: Program, functions: tuple[str, ...],
                  protos: Prototypes = _NO_PROTOTYPES) -> dict[str, list[list[str]]]:
    """Per function of ``functions`` with any: ``[call key, argument index, path:line, gcc's warning]`` for each
    conversion narrower than its argument (narrowed)."""
    out: dict[str, list[list[str]]] = {}
    for name in functions:
        fn = program.functions.get(name)
        if fn is None:
            continue
        found = [[call_key(program, n), str(i), program.where(n.coord), why]
                 for n in _printer_calls(fn.body) for i, why in narrowed(program, fn, n, protos)]
        if found:
            out[name] = sorted(found)
    return out


@lru_cache(maxsize=4096)
def _printer_calls(body: c_ast.Node) -> tuple[c_ast.FuncCall, ...]:
    """The calls of printk-family functions by name in a body (narrowed() reads no other call): found once per parsed
    body, which every program holding the definition shares, where each program's functions were walked whole."""
    return tuple(n for n in all_nodes(body)
                 if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID) and n.name.name in PRINTS)
