"""A name set by a call of one helper on both sides, the later side's helper given as a parameter a constant local."""

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import shape
from models.cparse import param_decls
from models.handedon import _constant, _locals
from models.stores import written


def _call(p: Program, function: str, name: str) -> c_ast.FuncCall | None:
    """The one store to ``name`` in ``function``, where it is a direct call of a function the program defines."""
    func = p.functions.get(function)
    stores = written(func).get(name, []) if func is not None else []
    call = stores[0] if len(stores) == 1 else None
    if not isinstance(call, c_ast.FuncCall) or not isinstance(call.name, c_ast.ID) or \
            call.name.name not in p.functions:
        return None
    return call


def _without(body: c_ast.Compound, names: set[str]) -> c_ast.Compound:
    """The body without its top-level declarations of ``names``."""
    items = [x for x in body.block_items or [] if not (isinstance(x, c_ast.Decl) and x.name in names)]
    return c_ast.Compound(items, body.coord)


def same_call(programs: tuple[Program, Program], function: str, name: str) -> bool:
    """Whether ``name`` in ``function`` is set once on each side by a call of one helper g both define, the calls'
    arguments alike but for constants the later call gives for parameters the later g adds, each a local the earlier
    g declared once with that name, type and initializer ('int left = 5;' become the parameter 'int left', its callers
    passing 5), and the two bodies of g alike but for those locals: g computes the same value of the same arguments
    (handedon's rule for a wrapper, for a call in place), so what ``name`` holds is unchanged. (C11 6.5.2.2p4: a
    parameter is a local initialised with its argument.)"""
    a, b = programs
    ca, cb = _call(a, function, name), _call(b, function, name)
    if ca is None or cb is None or not isinstance(ca.name, c_ast.ID) or not isinstance(cb.name, c_ast.ID) or \
            ca.name.name != cb.name.name:
        return False
    ga, gb = a.functions[ca.name.name], b.functions[cb.name.name]
    pa, pb = param_decls(ga), param_decls(gb)
    args_a = list(ca.args.exprs) if ca.args is not None else []
    args_b = list(cb.args.exprs) if cb.args is not None else []
    if len(pa) != len(args_a) or len(pb) != len(args_b) or len(pb) <= len(pa):
        return False
    old = {p.name: (shape(p.type), shape(x)) for p, x in zip(pa, args_a, strict=True)}
    before = _locals(ga)
    added: set[str] = set()
    for p, x in zip(pb, args_b, strict=True):
        if p.name in old:
            if old[p.name] != (shape(p.type), shape(x)):
                return False
        elif p.name is None or not _constant(x) or before.get(p.name) != (shape(p.type), shape(x)):
            return False
        else:
            added.add(p.name)
    if len(old) + len(added) != len(pb) or any(n is None for n in old):
        return False
    return shape(_without(ga.body, added)) == shape(gb.body)
