"""The values a condition's names hold: file-scope and local names worked out from their declarations and stores.

A ``static``, a ``const``, an enumerator or a local (set from one of those by one assignment) whose value is a
constant; a name stepped, whose address is taken or declared twice holds no one value (harness.valuereaders reads
conditions over them).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from models.record import record

if TYPE_CHECKING:  # pycparser: imported where a body is read
    from pycparser import c_ast

    from models.cload import Program
    from models.ctype import Int

_STORES = ("++", "--", "p++", "p--", "&")  # a name stepped or whose address is taken holds no one value


@record
class Known:
    """A name a condition may read: its value where worked out (None: not) in its type, the values its every store
    gives where each is a constant (a local set to one of two codes under a test), where it is defined, its
    definition as compared between the sides (its type and the parsed text of what sets it) and the names that reads."""

    value: int | None
    t: Int | None
    where: str
    shape: tuple[object, ...]
    reads: frozenset[str]
    values: frozenset[int] | None = None


Names = dict[str, Known]


def _stored(n: c_ast.Node) -> str | None:
    """The name a node stores to other than by a plain ``=`` (stepped, compound-assigned, its address taken)."""
    from pycparser import c_ast

    if isinstance(n, c_ast.UnaryOp) and n.op in _STORES and isinstance(n.expr, c_ast.ID):
        return str(n.expr.name)
    if isinstance(n, c_ast.Assignment) and n.op != "=" and isinstance(n.lvalue, c_ast.ID):
        return str(n.lvalue.name)
    return None


def _known(program: Program, env: Names, decl_type: c_ast.Node, exprs: list[c_ast.Node], where: str,
           fixed: bool) -> Known:
    """A name set by ``exprs``: where ``fixed`` (no other store), the value of each that reads only known names and
    calls nothing, and its value when that is the one store."""
    from pycparser import c_ast

    from models.condeval import Eval, int_type, nodes
    from models.condeval import shape as _shape
    from models.knownbits import Bits
    from models.neighbours import free_names

    t = int_type(program, decl_type)
    reads = frozenset(x for e in exprs for x in free_names(e))
    values: set[int | None] = {None}
    known = {r: env[r] for r in reads if r in env and env[r].value is not None and env[r].t is not None}
    each: list[int | None] = [None] * len(exprs)
    if t is not None and exprs:
        e = Eval(program, {r: Bits.of(k.value or 0, k.t) for r, k in known.items() if k.t is not None})
        found = [None if any(isinstance(y, c_ast.FuncCall) for y in nodes(x)) or free_names(x) - known.keys() else
                 e.value(x) for x in exprs]
        each = [t.wrap(n) if (n := v.exact() if v is not None else None) is not None else None for v in found]
        if fixed and len(known) == len(reads):
            values = set(each)
    # A store of a value worked out is that value (``int left = tries;``, tries a const set to RDRAND_RETRY_LOOPS, is
    # ``int left = 10;``): a local stepped too keeps its definition where what it starts from is the same.
    shape = (_shape(decl_type), tuple(("value", v) if v is not None else _stored_shape(x) for x, v in zip(
        exprs, each, strict=True)))
    if None in values:
        return Known(None, t, where, shape, reads)
    fixed_values = frozenset(v for v in values if v is not None)
    return Known(next(iter(fixed_values)) if len(exprs) == 1 else None, t, where, shape, reads, fixed_values)


def _stored_shape(n: c_ast.Node) -> tuple[object, ...]:
    """A stored expression as models.neighbours._shape compares it, but a call by any name the same call: what a
    call returns, each run makes (a callee renamed, 'err = sc_retry(...)' made 'err = seamcall_retry(...)', changes
    no value a run does not show; the callee's own conditions are compared where it is defined); its arguments count."""
    from pycparser import c_ast

    if isinstance(n, c_ast.FuncCall) and isinstance(n.name, c_ast.ID):
        return "FuncCall", (), (n.args and _stored_shape(n.args),)
    return type(n).__name__, tuple([repr(getattr(n, a, None)) for a in n.attr_names]), tuple(map(_stored_shape, n))


# By program key (and the names set from outside it): each program is a side of several comparisons (the corpus'
# eval reads 21 pairs of programs).
_FILE: dict[tuple[str, frozenset[str]], Names] = {}
_LOCAL: dict[tuple[str, str, frozenset[str]], Names] = {}
# What a module parameter's variable is stored to as, by the loader or sysfs (a value no run reads): its shape then
# differs from the same variable's where no parameter sets it.
SET_OUTSIDE = "set outside the runs"
# Each side's variables that code no run executes may store to (harness.outsidewrites): name and what does.
Outside = tuple[tuple[str, str], ...]


def file_names(program: Program, outside: frozenset[str] = frozenset()) -> Names:
    """The file-scope scalar variables (their initial value, if no function stores to them and none of ``outside``,
    the variables code no run executes may set, is among them) and enumerators."""
    key = (program.key, outside)
    if key not in _FILE:
        if len(_FILE) > 256:
            _FILE.clear()
        _FILE[key] = _file_names(program, outside)
    return _FILE[key]


def _file_names(program: Program, outside: frozenset[str]) -> Names:
    from pycparser import c_ast

    from models.condeval import nodes
    from models.ctype import INT
    from models.linecoord import file_line

    written = set[str]().union(*(_scan(f.body).written for f in program.functions.values()))
    out: Names = {}
    int_decl = c_ast.TypeDecl(None, [], None, c_ast.IdentifierType(["int"]))
    for ext in program.ast.ext:
        if isinstance(ext, c_ast.FuncDef) or not isinstance(ext, (c_ast.Decl, c_ast.Typedef)):
            continue
        for en in (x for x in nodes(ext) if isinstance(x, c_ast.Enum) and x.values is not None):
            last: int | None = -1
            for e in en.values.enumerators:
                k = _known(program, out, int_decl, [e.value] if e.value is not None else [],
                           file_line(program.where, e.coord), True)
                value = k.value if e.value is not None else (last + 1 if last is not None else None)
                v = INT.wrap(value) if value is not None else None
                out[e.name] = Known(v, INT, k.where, k.shape, k.reads, frozenset({v}) if v is not None else None)
                last = value
        if isinstance(ext, c_ast.Decl) and ext.name and isinstance(ext.type, c_ast.TypeDecl):
            exprs = [ext.init] if ext.init is not None and not isinstance(ext.init, c_ast.InitList) else []
            known = _known(program, out, ext.type, exprs, file_line(program.where, ext.coord),
                           ext.name not in written | outside and bool(exprs))
            # Set at load time or through sysfs as well ('modprobe demo demo_limit=9'): no run reads that value.
            out[ext.name] = replace(known, shape=(*known.shape, SET_OUTSIDE)) if ext.name in outside else known
    return out


def local_names(program: Program, function: str, outside: frozenset[str] = frozenset()) -> Names:
    """A function's scalar locals, over the file's names (file_names): the value of each store where every store's
    is worked out (a local stepped or whose address is taken is not known)."""
    key = (program.key, function, outside)
    if key not in _LOCAL:
        if len(_LOCAL) > 4096:
            _LOCAL.clear()
        _LOCAL[key] = _local_names(program, function, file_names(program, outside))
    return _LOCAL[key]


def _local_names(program: Program, function: str, env: Names) -> Names:
    from models.linecoord import file_line

    func = program.functions.get(function)
    out = dict(env)
    if func is None:
        return out
    scan = _scan(func.body)
    for name, decl in scan.decls.items():
        exprs = scan.sets.get(name, [])
        out[name] = _known(program, out, decl.type, exprs, file_line(program.where, decl.coord),
                           name not in scan.stepped)
    return out


@record
class _Scan:
    """What a function body stores (read-only, shared): its scalar locals' first declarations, the expressions stored
    to each name (an initializer, a plain ``=``), the names stored otherwise or declared twice (``stepped``) and every
    name assigned or stored to (``written``)."""

    decls: dict[str, c_ast.Decl]
    sets: dict[str, list[c_ast.Node]]
    stepped: frozenset[str]
    written: frozenset[str]


# By function body, the body held with its scan (so that its id is no other's meanwhile): the programs of a run share
# the parsed definitions no patch changed (models.cload: 115 distinct bodies of the corpus eval's 233), and each
# program's names were read from every body again.
_SCANS: dict[int, tuple[c_ast.Node, _Scan]] = {}


def _scan(body: c_ast.Node) -> _Scan:
    kept = _SCANS.get(id(body))
    if kept is not None and kept[0] is body:
        return kept[1]
    if len(_SCANS) > 4096:
        _SCANS.clear()
    found = _scanned(body)
    _SCANS[id(body)] = (body, found)
    return found


def _scanned(body: c_ast.Node) -> _Scan:
    from pycparser import c_ast

    from models.condeval import nodes

    decls: dict[str, c_ast.Decl] = {}
    sets: dict[str, list[c_ast.Node]] = {}
    stepped: set[str] = set()
    written: set[str] = set()
    for n in nodes(body):
        if isinstance(n, c_ast.Decl) and n.name and isinstance(n.type, c_ast.TypeDecl):
            if n.name in decls:
                stepped.add(n.name)  # declared twice (blocks of their own): which one a condition reads is not told
            decls.setdefault(n.name, n)
            if n.init is not None:
                sets.setdefault(n.name, []).append(n.init)
        elif isinstance(n, c_ast.Assignment) and isinstance(n.lvalue, c_ast.ID):
            sets.setdefault(n.lvalue.name, []).append(n.rvalue)
            written.add(n.lvalue.name)
        if (s := _stored(n)) is not None:
            stepped.add(s)
            written.add(s)
    return _Scan(decls, sets, frozenset(stepped), frozenset(written))
