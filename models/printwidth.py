"""gcc's -Wformat for a printk-family call's integer conversion narrower than its argument's type (``%#x`` of a u64)."""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import int_type
from models.ctype import INT, Int, literal_type, promote, usual
from models.errors import MirrorError
from models.facts import PRINTS
from models.literals import PR_FMT_MARK, string_bytes
from models.printk import conversions

# The conversions vsnprintf() reads an int or unsigned int for (lib/vsprintf.c: a qualifier of none, 'h' or 'hh'),
# and the type gcc names as the one each expects (printf's: the default argument promotions make 'h' an int).
_NARROW = {"": "unsigned int", "h": "int", "H": "int"}
_SIGNED = frozenset("dic")
_KEYWORDS = frozenset({"int", "long", "short", "char", "signed", "unsigned", "_Bool"})  # a lone one is no typedef


def _format_index(name: str) -> int:
    """Which argument of a printk-family call is its format: dev_*() and dev_printk() take the device first, a WARN()
    its condition (and WARN_TAINT() the taint): __warn_printk() is __printf(1, 2) as printk() is."""
    if name.startswith("WARN"):
        return 2 if name.startswith("WARN_TAINT") else 1
    return 2 if name == "dev_printk" else 1 if name.startswith("dev_") else 0


# gcc's names of the integer types, by conversion rank (models.ctype.Int): signed, unsigned
_GCC_NAMES = {5: ("long long int", "long long unsigned int"), 4: ("long int", "long unsigned int"),
              3: ("int", "unsigned int"), 2: ("short int", "short unsigned int"), 1: ("signed char", "unsigned char")}


def gcc_type(t: Int) -> str:
    """An integer type as gcc spells it in a diagnostic ('long long unsigned int', 'int')."""
    names = _GCC_NAMES.get(t.rank)
    return t.spelled if names is None else names[0 if t.signed else 1]


def _declared(fn: c_ast.FuncDef, program: Program, name: str) -> c_ast.Node | None:
    """The declaration of ``name`` a use in ``fn`` reads: a local or parameter, else a file-scope one (the last of
    each: a shadowing block's is not told apart, which the kernel's style has none of for a printed value)."""
    found: c_ast.Node | None = None
    params = fn.decl.type.args.params if isinstance(fn.decl.type, c_ast.FuncDecl) and fn.decl.type.args else []
    todo: list[c_ast.Node] = [*params, fn.body]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.Decl) and n.name == name:
            found = n
        todo.extend(child for _, child in n.children())
    if found is None:
        found = next((d for d in reversed(program.ast.ext) if isinstance(d, c_ast.Decl) and d.name == name), None)
    return found


_Typed = tuple[Int, str | None]  # an argument's type, and the typedef name gcc gives it (None: it spells the type)


def _typedef_name(node: c_ast.Node) -> str | None:
    """The typedef a declaration's type node names (``u64``), None for a type spelt in keywords."""
    named = [n for n in getattr(getattr(node, "type", None), "names", []) if n not in ("const", "volatile")]
    return named[0] if len(named) == 1 and named[0] not in _KEYWORDS else None


def _declared_type(program: Program, node: c_ast.Node | None) -> _Typed | None:
    if not isinstance(node, c_ast.TypeDecl):
        return None
    t = int_type(program, node)
    return None if t is None else (t, _typedef_name(node))


def _member(program: Program, fn: c_ast.FuncDef, ref: c_ast.StructRef) -> _Typed | None:
    """``p->m`` or ``s.m`` of a variable: the member's declared type, found by the struct's tag."""
    if not isinstance(ref.name, c_ast.ID) or not isinstance(ref.field, c_ast.ID):
        return None
    decl = _declared(fn, program, ref.name.name)
    t = decl.type if decl is not None else None
    if ref.type == "->" and isinstance(t, c_ast.PtrDecl):
        t = t.type
    tag = t.type.name if isinstance(t, c_ast.TypeDecl) and isinstance(t.type, c_ast.Struct) else None
    todo: list[c_ast.Node] = [program.ast]
    while tag is not None and todo:
        n = todo.pop()
        if isinstance(n, c_ast.Struct) and n.name == tag and n.decls:
            return next((_declared_type(program, d.type) for d in n.decls if d.name == ref.field.name), None)
        todo.extend(child for _, child in n.children())
    return None


def _returned(program: Program, name: str) -> _Typed | None:
    """What a call of the function ``name`` returns, by its definition or a prototype the code holds (the mirror's
    program keeps definitions: a function known by its prototype alone is not typed)."""
    found = program.functions.get(name)
    decl = found.decl if found is not None else next(
        (d for d in program.ast.ext if isinstance(d, c_ast.Decl) and d.name == name), None)
    t = decl.type if decl is not None else None
    return _declared_type(program, t.type) if isinstance(t, c_ast.FuncDecl) else None


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


def _arg_type(program: Program, fn: c_ast.FuncDef, arg: c_ast.Node) -> _Typed | None:
    """The integer type of a printed argument and the typedef gcc names it by: a variable, a member of one, a cast,
    an integer constant, a call of a function the code defines, and the arithmetic of them; None for any other
    expression (a macro's value the mirror provides, an array element: not worked out here)."""
    if isinstance(arg, c_ast.Cast):
        found = _declared_type(program, arg.to_type.type)
        return None if found is None else (found[0], None)  # gcc names a cast's result by its type alone
    if isinstance(arg, c_ast.ID):
        decl = _declared(fn, program, arg.name)
        return _declared_type(program, decl.type if decl is not None else None)
    if isinstance(arg, c_ast.StructRef):
        return _member(program, fn, arg)
    if isinstance(arg, c_ast.FuncCall) and isinstance(arg.name, c_ast.ID):
        return _returned(program, arg.name.name)
    if isinstance(arg, c_ast.Constant) and arg.type not in ("string", "char", "float", "double"):
        try:
            return literal_type(arg.value)[1], None
        except MirrorError:
            return None
    if isinstance(arg, c_ast.UnaryOp) and arg.op in ("-", "~", "+"):
        inner = _arg_type(program, fn, arg.expr)
        return None if inner is None else (inner[0], inner[1]) if inner[0].rank >= 3 else (INT, None)
    if isinstance(arg, c_ast.BinaryOp) and arg.op in ("<<", ">>"):
        inner = _arg_type(program, fn, arg.left)
        return None if inner is None else (inner[0], inner[1]) if inner[0].rank >= 3 else (INT, None)
    if isinstance(arg, c_ast.BinaryOp | c_ast.TernaryOp) and getattr(arg, "op", "?") in _ARITH:
        a, b = (arg.left, arg.right) if isinstance(arg, c_ast.BinaryOp) else (arg.iftrue, arg.iffalse)
        ta, tb = _arg_type(program, fn, a), _arg_type(program, fn, b)
        return None if ta is None or tb is None else _common(ta, tb)
    return None


_ARITH = frozenset({"+", "-", "*", "/", "%", "&", "|", "^", "?"})


def narrowed(program: Program, fn: c_ast.FuncDef, call: c_ast.FuncCall) -> list[tuple[int, str]]:
    """(index of the argument in ``call``, gcc's warning) for each integer conversion of a printk-family call's literal
    format that reads 32 bits or fewer of a 64-bit argument: vsnprintf() prints its low bits (0x8000000000000021 by
    ``%#x`` as ``0x21``). A format that is no literal, or an argument whose type is not known here, gives none."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else ""
    args = call.args.exprs if call.args is not None else []
    at = _format_index(name)
    if name not in PRINTS or len(args) <= at:
        return []
    fmt = args[at]
    if not isinstance(fmt, c_ast.Constant) or fmt.type != "string" or "*" in fmt.value:
        return []  # a '*' takes an argument conversions() does not show: the count would be off
    text = string_bytes(fmt.value.replace(PR_FMT_MARK, ""), b"").decode("utf-8", "surrogateescape")
    out = []
    for i, spec in enumerate(conversions(text), start=at + 1):
        if i >= len(args) or spec.conv not in "diuoxXc" or spec.qualifier not in _NARROW:
            continue
        typed = _arg_type(program, fn, args[i])
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
    return f"{program.where(call.coord)}:{getattr(call.coord, 'column', 0) or 0}"


def narrow_prints(program: Program, functions: tuple[str, ...]) -> dict[str, list[list[str]]]:
    """Per function of ``functions`` with any: ``[call key, argument index, path:line, gcc's warning]`` for each
    conversion narrower than its argument (narrowed)."""
    out: dict[str, list[list[str]]] = {}
    for name in functions:
        fn = program.functions.get(name)
        if fn is None:
            continue
        found: list[list[str]] = []
        todo: list[c_ast.Node] = [fn.body]
        while todo:
            n = todo.pop()
            if isinstance(n, c_ast.FuncCall):
                found += [[call_key(program, n), str(i), program.where(n.coord), why]
                          for i, why in narrowed(program, fn, n)]
            todo.extend(child for _, child in n.children())
        if found:
            out[name] = sorted(found)
    return out
