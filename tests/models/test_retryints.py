"""models.retryints.named_through: a declared type's integer type, a typedef of the files followed to its type."""

from __future__ import annotations

from pycparser import c_ast, c_parser

from models.retryints import named_through


def _types(text: str) -> dict[str, c_ast.Node]:
    """Each declaration's type node of ``text`` by name (a typedef's too)."""
    return {d.name: d.type for d in c_parser.CParser().parse(text).ext if isinstance(d, (c_ast.Decl, c_ast.Typedef))}


def test_a_typedef_is_followed_to_the_type_it_stands_for() -> None:
    found = _types("typedef long sc_base_t;\ntypedef sc_base_t sc_err_t;\ntypedef struct s sc_s_t;\n"
                   "typedef int sc_loop_t;\nsc_err_t a;\nunsigned int b;\nsc_s_t c;\nsc_loop_t d;\n")
    wide = named_through(found["a"], found.get)
    assert wide is not None and (wide.bits, wide.signed) == (64, True)
    plain = named_through(found["b"], found.get)
    assert plain is not None and (plain.bits, plain.signed) == (32, False)
    assert named_through(found["a"], None) is None  # not followed
    assert named_through(found["c"], found.get) is None  # a struct
    assert named_through(found["d"], {"sc_loop_t": found["d"]}.get) is None  # itself again: 8 deep at most
