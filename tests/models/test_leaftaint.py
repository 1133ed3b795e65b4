"""models.leaftaint: a function's own names, the leaf's taint state, and whether an expression reads the leaf.

What models.leafflow's fixpoint stands on, asked directly of one small program (models.cload parses it)."""

from __future__ import annotations

from functools import cache

from pycparser import CParser, c_ast

from models.cload import Program, load_program
from models.leaftaint import Flow, Reader, body_variables, locals_of, param_names
from models.loader import EntryPoint, Source

CODE = ("typedef unsigned long long u64;\nu64 sc_keep;\nu64 sc_other;\n\n"
        "static u64 pick(u64 fn, u64 *out, int)\n{\n\tu64 x = fn;\n\n\tif (x) {\n\t\tu64 y = x + 1;\n\n"
        "\t\tsc_keep = y;\n\t}\n\treturn sc_other + 2;\n}\n")


def _program() -> Program:
    return load_program((Source("t/p.h", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick", ("fn",)),))


@cache
def _parser() -> CParser:
    return CParser()


def _expr(text: str) -> c_ast.Node:
    """An expression over pick()'s names, as pycparser reads it."""
    unit = _parser().parse(f"typedef unsigned long long u64; u64 fn, x, y, sc_keep, sc_other; int e = {text};")
    decl = unit.ext[-1]
    assert isinstance(decl, c_ast.Decl)
    return decl.init


def test_a_functions_own_names_are_its_parameters_and_every_block_s_variables() -> None:
    func = _program().functions["pick"]
    assert param_names(func) == {"fn", "out"}  # the unnamed int has none
    assert body_variables(func) == {"x", "y"}  # y of an inner block too
    assert locals_of(func) == {"fn", "out", "x", "y"} and locals_of(func) is locals_of(func)


def test_a_local_taints_its_function_a_file_scope_variable_every_function() -> None:
    program = _program()
    flow = Flow(program, frozenset(), frozenset({"sc_keep", "sc_other"}))
    flow.taint("pick", "x")
    assert flow.tainted == {"pick": {"x"}} and flow.changed and not flow.globals and not flow.aliased
    flow.changed = False
    flow.taint("pick", "x")
    assert not flow.changed  # nothing new
    flow.taint("pick", "sc_keep")
    assert flow.globals == {"sc_keep"} and flow.changed and flow.aliased  # a pointer to it may hold it: read outside


def test_an_expression_reads_the_leaf_through_a_tainted_name_only() -> None:
    flow = Flow(_program(), frozenset(), frozenset({"sc_keep", "sc_other"}))
    flow.taint("pick", "x")
    r = Reader(flow, "pick")
    assert r.reads(_expr("x + 1")) and r.reads(_expr("(y ? x : 0)"))
    assert not r.reads(_expr("fn + y")) and not r.reads(_expr("sc_keep")) and not r.reads(None)
    flow.taint("pick", "sc_keep")
    assert Reader(flow, "pick").reads(_expr("sc_keep * 2"))
