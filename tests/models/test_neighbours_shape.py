"""models.neighbours._shape: a condition as a comparable value, read from the children pycparser yields."""

from __future__ import annotations

import pytest
from pycparser import c_ast

from models.condeval import shape as _shape


def _named_shape(n: c_ast.Node) -> tuple[object, ...]:
    attrs = tuple(repr(getattr(n, a, None)) for a in n.attr_names)
    return (type(n).__name__, attrs, tuple(_named_shape(c) for _, c in n.children()))


def test_a_shape_is_read_without_children_named(monkeypatch: pytest.MonkeyPatch) -> None:
    # (err & ~(1ULL << 40)) == X: each node's children() made a named pair per child, which the shape dropped
    mask = c_ast.UnaryOp("~", c_ast.BinaryOp("<<", c_ast.Constant("unsigned long long", "1ULL"),
                                             c_ast.Constant("int", "40")))
    cond = c_ast.BinaryOp("==", c_ast.BinaryOp("&", c_ast.ID("err"), mask), c_ast.ID("X"))
    want = _named_shape(cond)
    assert want[:2] == ("BinaryOp", ("'=='",)) and want[2] == (_named_shape(cond.left), _named_shape(cond.right))

    def named(self: c_ast.Node) -> tuple[tuple[str, c_ast.Node], ...]:
        raise AssertionError(f"children() of {type(self).__name__}")

    for kind in (c_ast.BinaryOp, c_ast.UnaryOp, c_ast.ID, c_ast.Constant):
        monkeypatch.setattr(kind, "children", named)
    assert _shape(cond) == want
