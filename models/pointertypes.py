"""The parameter types a call through a pointer converts its arguments to, read from the called expression's type."""

# A call converts each argument to the parameter type of the function type it calls through (C17 6.5.2.2p7), not
# to the callee's own: 'static void (*const p)(bool, u64) = (void (*)(bool, u64))sc_log;' hands sc_log(u64 leaf, ...)
# a leaf of 0x21 as 1 (gcc; undefined in C17 6.5.2.2p9, and gcc's caller converts). models.leafflow asks here
# whether such a call hands the leaf on whole. Only declared types are read: a type not found is no answer (False).

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property, lru_cache

from pycparser import c_ast

from models.cload import Program
from models.cparse import all_nodes, param_decls
from models.leafitself import holds_low
from models.nodecopy import origin

_DEPTH = 8  # typedefs of typedefs, pointers to pointers: more is no type this reads


def converts_whole(program: Program, func: c_ast.FuncDef, call: c_ast.FuncCall, at: int) -> bool:
    """Whether a call in ``func`` through a pointer converts its argument ``at`` to a type that keeps the low 32
    bits of a u64 (models.leafitself.holds_low), in every function type its called expression is declared with:
    a cast's, a parameter's or variable's (local, else file-scope), a struct member's (every member of that name),
    an array's element, either arm of a ``?:``, through typedefs. Unprototyped, variadic at ``at``, or not found:
    False."""
    scope = _Scope(program, func)
    types = list(_types(scope, call.name, 0))
    return bool(types) and all(t is not None and _keeps(scope, _called(scope, t), at) for t in types)


class _Scope:
    """What a called expression's names are declared as: ``func``'s own declarations, then the file's."""

    def __init__(self, program: Program, func: c_ast.FuncDef) -> None:
        self.program, self.func = program, func

    @cached_property
    def file(self) -> _FileScope:
        # Read only for a name the function does not declare: a call through a parameter (sc_retry()'s op) needs no
        # walk of the whole translation unit.
        return _file_scope(self.program.ast)

    def declared(self, name: str) -> list[c_ast.Node]:
        own = [d.type for d in _own_decls(self.func) if d.name == name]
        if own:
            return own
        return [d.type for d in self.file.decls.get(name, ())]

    def members(self, name: str) -> list[c_ast.Node]:
        return [d.type for d in self.file.members.get(name, ())]

    def typedef(self, name: str) -> c_ast.Node | None:
        return _one_typedef(self.file, name)


def _types(scope: _Scope, node: c_ast.Node, depth: int) -> Iterator[c_ast.Node | None]:
    """The declared types ``node`` may have (None: one not found), typedefs resolved at the top."""
    if depth > _DEPTH:
        yield None
    elif isinstance(node, c_ast.ID):
        found = scope.declared(node.name)
        yield from (_resolved(scope, t) for t in found) if found else (None,)
    elif isinstance(node, c_ast.Cast):
        yield _resolved(scope, node.to_type.type)
    elif isinstance(node, c_ast.UnaryOp) and node.op == "*":  # '(*p)(...)': what p points to; '*f' of f is f
        yield from (_target(scope, t) for t in _types(scope, node.expr, depth + 1))
    elif isinstance(node, c_ast.ArrayRef):
        yield from (_target(scope, t) for t in _types(scope, node.name, depth + 1))
    elif isinstance(node, c_ast.StructRef) and isinstance(node.field, c_ast.ID):
        found = scope.members(node.field.name)
        yield from (_resolved(scope, t) for t in found) if found else (None,)
    elif isinstance(node, c_ast.TernaryOp):
        yield from _types(scope, node.iftrue, depth + 1)
        yield from _types(scope, node.iffalse, depth + 1)
    else:
        yield None


def _resolved(scope: _Scope, node: c_ast.Node | None) -> c_ast.Node | None:
    """``node`` with a typedef name it is spelled as replaced by the typedef's type (again, to _DEPTH)."""
    for _ in range(_DEPTH):
        names = getattr(getattr(node, "type", None), "names", None)
        if not isinstance(node, c_ast.TypeDecl) or names is None or len(names) != 1:
            return node
        node = scope.typedef(names[0])
    return None


def _target(scope: _Scope, node: c_ast.Node | None) -> c_ast.Node | None:
    """What a value of type ``node`` designates once dereferenced or indexed; a function type stays itself."""
    if isinstance(node, (c_ast.PtrDecl, c_ast.ArrayDecl)):
        return _resolved(scope, node.type)
    return node if isinstance(node, c_ast.FuncDecl) else None


def _called(scope: _Scope, node: c_ast.Node) -> c_ast.Node | None:
    """The function type a call through a value of type ``node`` calls: a pointer's target, or itself."""
    return _resolved(scope, node.type) if isinstance(node, c_ast.PtrDecl) else node


def _keeps(scope: _Scope, node: c_ast.Node | None, at: int) -> bool:
    """Whether a call through a function of type ``node`` converts argument ``at`` to a type holds_low() takes,
    spelt so or through the file's typedefs (``typedef u64 leaf_t;``: none of that name declared in the function,
    whose own would hide it)."""
    if not isinstance(node, c_ast.FuncDecl) or node.args is None:
        return False
    params = node.args.params
    if at >= len(params) or isinstance(params[at], c_ast.EllipsisParam):
        return False
    return holds_low(params[at], file_typedef(scope.program, scope.func))


def file_typedef(program: Program, func: c_ast.FuncDef) -> Callable[[str], c_ast.Node | None]:
    """For models.leafitself.holds_low(): the type node a typedef name of ``program``'s file stands for, where the
    file declares it once and ``func`` declares no typedef of that name itself (a block's own hides the file's, and
    which one a declaration in the body reads is not told here); None otherwise."""
    scope = _Scope(program, func)
    own = _own_typedefs(origin(func.body))
    return lambda name: None if name in own else scope.typedef(name)


def scope_typedef(program: Program) -> Callable[[str], c_ast.Node | None]:
    """file_typedef() outside the functions: the type node a typedef name ``program``'s file declares once stands
    for (a declaration of file scope declared with one), None otherwise."""
    return lambda name: _one_typedef(_file_scope(program.ast), name)


@lru_cache(maxsize=4096)  # a parsed definition is shared by every program whose code has it (models.cload)
def _own_typedefs(body: c_ast.Node) -> frozenset[str]:
    """The names ``body`` declares typedefs of, in any block: asked of each function a leaf flows through, in each
    program (965 walks of the corpus' eval, of a few dozen bodies)."""
    return frozenset(n.name for n in all_nodes(body) if isinstance(n, c_ast.Typedef))


# id(definition) -> (it, its declarations): a parsed definition is one object in every program that holds it
# (models.cload), and each call through a pointer in it asks again.
_OWN: dict[int, tuple[c_ast.FuncDef, list[c_ast.Decl]]] = {}
_OWN_MAX = 4096


def _own_decls(func: c_ast.FuncDef) -> list[c_ast.Decl]:
    """The function's parameters and every declaration in its body (any block)."""
    kept = _OWN.get(id(func))
    if kept is not None and kept[0] is func:
        return kept[1]
    if len(_OWN) >= _OWN_MAX:
        _OWN.clear()
    found = param_decls(func) + [n for n in all_nodes(func.body) if isinstance(n, c_ast.Decl) and n.name]
    _OWN[id(func)] = (func, found)
    return found


class _FileScope:
    """A translation unit's file-scope declarations by name, its typedefs, and every struct or union member."""

    def __init__(self, ast: c_ast.FileAST) -> None:
        self.ast = ast
        self.decls: dict[str, list[c_ast.Decl]] = {}
        self.typedefs: dict[str, list[c_ast.Typedef]] = {}
        self.members: dict[str, list[c_ast.Decl]] = {}
        for e in ast.ext:
            if isinstance(e, c_ast.Decl) and e.name:
                self.decls.setdefault(e.name, []).append(e)
            elif isinstance(e, c_ast.FuncDef):
                self.decls.setdefault(e.decl.name, []).append(e.decl)
            elif isinstance(e, c_ast.Typedef):
                self.typedefs.setdefault(e.name, []).append(e)
        # all_nodes(ast)'s order: a stack's, the last definition's nodes first, each definition's as all_nodes(it)
        for e in reversed(ast.ext or []):
            for name, d in _members(e):
                self.members.setdefault(name, []).append(d)


@lru_cache(maxsize=8192)  # a parsed definition is shared by every program whose code has it (models.cload)
def _members(node: c_ast.Node) -> tuple[tuple[str, c_ast.Decl], ...]:
    """Each named member of every struct or union in ``node`` (one file-scope definition), in all_nodes()'s order:
    each program's file scope asks again of the definitions they share (a walk of every node of the program)."""
    return tuple((d.name, d) for n in all_nodes(node) if isinstance(n, (c_ast.Struct, c_ast.Union))
                 for d in n.decls or [] if isinstance(d, c_ast.Decl) and d.name)


_FILES: list[_FileScope] = []  # the last translation unit's (a program's flows ask of one at a time)


def _one_typedef(scope: _FileScope, name: str) -> c_ast.Node | None:
    """The type a typedef name of file scope stands for, where declared once (a block's own typedef is not read)."""
    found = scope.typedefs.get(name, ())
    return found[0].type if len(found) == 1 else None


def _file_scope(ast: c_ast.FileAST) -> _FileScope:
    kept = next(iter(_FILES), None)  # one read: another thread may replace it
    if kept is not None and kept.ast is ast:
        return kept
    found = _FileScope(ast)
    _FILES[:] = [found]
    return found
