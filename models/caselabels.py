"""A switch's case label as the switch compares it: converted to the promoted type of what it switches on."""

# models.neighbours reads each label as a decision 'cond == label'. C compares a label otherwise (C11 6.8.4.2p5): the
# label is converted to the promoted type of the controlling expression, while '==' converts both operands to their
# common type. They differ only for a label wider than that type: in 'switch (u32_fn(x))', 'case
# 0xffffffffffffffffULL' is taken at 0xffffffff (gcc warns, and converts), but 'u32_fn(x) == 0xffffffffffffffffULL'
# is never true. Such a label is read through a cast to the switched type; where that type is not known, through a
# cast to no type, so every reader (models.condeval, models.cutcond, models.condformula) says "not known", never a
# truth the switch does not have.

from __future__ import annotations

from pycparser import c_ast

from models.cload import Program
from models.condeval import Eval, int_type, nodes
from models.ctype import INT, Int, promote
from models.knownbits import Bits

NOT_KNOWN = "__switched_type_not_known"  # a type name no program declares: a cast to it is worked out by no reader


def as_switched(program: Program, function: str, tested: c_ast.Node, label: c_ast.Node) -> c_ast.Node:
    """``label`` as a switch of ``function`` on ``tested`` compares it: itself where its type is no wider than
    int (or not known: the readers then know its value no better), or than the promoted type ``tested`` has;
    else cast to that type (to NOT_KNOWN where that type is not known)."""
    own = Eval(program).value(label)
    if own is None or own.t.bits <= INT.bits:
        return label
    switched = _type_of(program, function, tested)
    to = promote(switched) if switched is not None else None
    if isinstance(to, Int) and to.bits >= own.t.bits:
        return label
    words = to.spelled.split() if isinstance(to, Int) else [NOT_KNOWN]
    typename = c_ast.Typename(None, [], None, c_ast.TypeDecl(None, [], None, c_ast.IdentifierType(words)))
    return c_ast.Cast(typename, label, label.coord)


def _type_of(program: Program, function: str, node: c_ast.Node) -> Int | None:
    """The integer type of an expression of ``function``: a call's that of the function the program defines, a
    cast's its own, else as the expression works out with each name it reads a zero of the type the function
    declares it with; None where a name is declared nowhere in the function or the value is not worked out."""
    if isinstance(node, c_ast.FuncCall):
        func = program.functions.get(node.name.name) if isinstance(node.name, c_ast.ID) else None
        return int_type(program, func.decl.type.type) if func is not None and isinstance(
            func.decl.type, c_ast.FuncDecl) else None
    if isinstance(node, c_ast.Cast):
        return int_type(program, node.to_type)
    func = program.functions.get(function)
    decls = {d.name: d for d in nodes(func) if isinstance(d, c_ast.Decl) and d.name} if func is not None else {}
    env = {}
    for n in nodes(node):
        if isinstance(n, c_ast.ID) and n.name not in program.functions:
            t = int_type(program, decls[n.name].type) if n.name in decls else None
            if t is None:
                return None
            env[n.name] = Bits.of(0, t)
    value = Eval(program, env).value(node)
    return value.t if value is not None else None
