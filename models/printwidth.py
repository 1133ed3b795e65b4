"""gcc's -Wformat for a printk-family call's integer conversion narrower than its argument's type (``%#x`` of a u64)."""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import int_type
from models.ctype import Int
from models.facts import PRINTK
from models.literals import PR_FMT_MARK, string_bytes
from models.printk import conversions

# The conversions vsnprintf() reads an int or unsigned int for (lib/vsprintf.c: a qualifier of none, 'h' or 'hh'),
# and the type gcc names as the one each expects (printf's: the default argument promotions make 'h' an int).
_NARROW = {"": "unsigned int", "h": "int", "H": "int"}
_SIGNED = frozenset("dic")
_KEYWORDS = frozenset({"int", "long", "short", "char", "signed", "unsigned", "_Bool"})  # a lone one is no typedef


def _format_index(name: str) -> int:
    """Which argument of a printk-family call is its format: dev_*() and dev_printk() take the device first."""
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


def _arg_type(program: Program, fn: c_ast.FuncDef, arg: c_ast.Node) -> tuple[Int, str] | None:
    """The integer type of a printed argument and how gcc names it (a variable's typedef with its 'aka'), where the
    argument is a variable or a cast; None for any other expression (its type is not worked out here)."""
    node: c_ast.Node | None = None
    if isinstance(arg, c_ast.Cast):
        node = arg.to_type.type
    elif isinstance(arg, c_ast.ID):
        decl = _declared(fn, program, arg.name)
        node = decl.type if decl is not None else None
    if not isinstance(node, c_ast.TypeDecl):
        return None
    t = int_type(program, node)
    if t is None:
        return None
    names = getattr(node.type, "names", [])
    named = [n for n in names if n not in ("const", "volatile")]
    canonical = gcc_type(t)
    # gcc names a variable's typedef with what it stands for, and a cast's result by its type alone
    if isinstance(arg, c_ast.ID) and len(named) == 1 and named[0] not in _KEYWORDS:
        return t, f"'{named[0]}' {{aka '{canonical}'}}"
    return t, f"'{canonical}'"


def narrowed(program: Program, fn: c_ast.FuncDef, call: c_ast.FuncCall) -> list[tuple[int, str]]:
    """(index of the argument in ``call``, gcc's warning) for each integer conversion of a printk-family call's literal
    format that reads 32 bits or fewer of a 64-bit argument: vsnprintf() prints its low bits (0x8000000000000021 by
    ``%#x`` as ``0x21``). A format that is no literal, or an argument whose type is not known here, gives none."""
    name = call.name.name if isinstance(call.name, c_ast.ID) else ""
    args = call.args.exprs if call.args is not None else []
    at = _format_index(name)
    if name not in PRINTK or len(args) <= at:
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
        if typed is None or typed[0].bits <= 32:
            continue
        written = {"H": "hh"}.get(spec.qualifier, spec.qualifier) + spec.conv
        expects = "int" if spec.conv in _SIGNED else _NARROW[spec.qualifier]
        out.append((i, f"format '%{written}' expects argument of type '{expects}', but argument {i + 1} has type "
                       f"{typed[1]} [-Wformat=]"))
    return out


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
