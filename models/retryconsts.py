"""The constants of a file's scope the retry-count walk folds (models.retrycount): enumerators, consts, struct tags."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from pycparser import c_ast

from models.errors import FLOATING_POINT
from models.retrycount import Consts, Unknown, _Walk, returns_key
from models.retryints import converted, floating_type, named_type
from models.structlocals import tag_members


def file_constants(ast: c_ast.FileAST, where: Callable[[object], str]) -> Consts:
    """Name -> value of each enumerator and each ``const`` integer of file scope with a constant initialiser; a
    variable of file scope otherwise -> why its value is not fixed (str); ``struct TAG`` -> the members of a tag's one
    definition outside the functions (models.structlocals.tag_members; why not read, str, for one defined twice);
    ``name()`` (returns_key) -> a function's declaration, its definition's where it has one."""
    out: Consts = {}
    walker = _Walk(out, frozenset(), 0, frozenset(), "")
    for ext in ast.ext:
        for en in _enums(ext, out):
            value = -1
            for e in (en.values.enumerators if en.values is not None else []):
                try:
                    value = walker.value(e.value) if e.value is not None else value + 1
                except (Unknown, ArithmeticError, ValueError):
                    out[e.name] = f"the enumerator {e.name} ({where(e.coord)}) is not read"
                    continue
                out[e.name] = value
        if isinstance(ext, c_ast.Decl) and ext.name and not isinstance(ext.type, c_ast.FuncDecl):
            out.setdefault(ext.name, _global(ext, walker, where))
        elif isinstance(ext, c_ast.FuncDef) and ext.decl.name:  # its definition's return type, over a prototype's
            out[returns_key(ext.decl.name)] = (ext.decl,)
        elif isinstance(ext, c_ast.Decl) and ext.name:
            out.setdefault(returns_key(ext.name), (ext,))
    return out


def constant_value(node: c_ast.Node, consts: Mapping[str, int],
                   typedef: Callable[[str], c_ast.Node | None] | None = None) -> int | None:
    """The value of an integer constant expression as gcc computes it (of its C type: models.retryints.Typed, a name
    of ``consts`` its value there, a cast's typedef name of the files followed by ``typedef``); None where it is not
    read (another name, a call, an overflow, a division by zero)."""
    walk = _Walk(dict(consts), frozenset(), 0, frozenset(), "")
    walk.typedef = typedef
    try:
        return walk.value(node)
    except (Unknown, ArithmeticError, ValueError):
        return None


def _global(decl: c_ast.Decl, walker: _Walk, where: Callable[[object], str]) -> int | str:
    at = where(decl.coord)
    if (fp := floating_type(decl.type)) is not None:
        return f"'{decl.name}' ({at}) is a {fp}: {FLOATING_POINT}"
    if "const" in (decl.quals or []) and isinstance(decl.type, c_ast.TypeDecl) and decl.init is not None:
        try:
            return converted(walker.value(decl.init), named_type(decl.type))
        except (Unknown, ArithmeticError, ValueError):
            pass
    return f"'{decl.name}' ({at}) is a variable of file scope: its value at run time (set by the code, or a " \
        "module parameter given at load time) is not a constant"


def _enums(node: c_ast.Node, out: Consts) -> Iterator[c_ast.Enum]:
    """The enums ``node`` defines; each struct tag it defines put in ``out`` as file_constants says."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.Enum) and n.values is not None:
            yield n
        if isinstance(n, c_ast.Struct) and n.name and n.decls is not None:
            key = f"struct {n.name}"
            members = tag_members(n) if key not in out else None
            out[key] = members if members is not None else f"'{key}' is defined twice, or not read"
        todo.extend(c for _, c in n.children() if not isinstance(c, c_ast.FuncDef))
