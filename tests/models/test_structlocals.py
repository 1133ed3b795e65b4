"""Members of a local struct as names of their own (models.structlocals): which declarations are read, and how."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_generator, c_parser

from models.structlocals import assigned, member_decls, member_key


def _body(text: str) -> list[c_ast.Node]:
    func = c_parser.CParser().parse(f"typedef unsigned char u8;\nstruct tag {{ int a; }};\nvoid f(void) {{ {text} }}")
    return list(func.ext[-1].body.block_items or [])


@pytest.mark.parametrize("decl, want", [
    ("struct { int a; u8 b; } s = { 1, 2 };", {"s.a": "1", "s.b": "2"}),
    ("struct { int a; u8 b; } s = { 7 };", {"s.a": "7", "s.b": "0"}),
    ("struct { int a; u8 b; } s = { .b = 4 };", {"s.a": "0", "s.b": "4"}),
    ("struct { int a; u8 b; } s;", {"s.a": None, "s.b": None}),
])
def test_each_member_is_initialized_as_c_does(decl: str, want: dict[str, str | None]) -> None:
    got = member_decls(_body(decl)[0])
    assert got is not None
    gen = c_generator.CGenerator()
    assert {d.name: gen.visit(d.init) if d.init is not None else None for d in got} == want


@pytest.mark.parametrize("decl", [
    "struct tag s = { 1 };",  # members listed elsewhere: not looked up
    "struct { int a[2]; } s = { { 1, 2 } };",
    "struct { int a : 3; } s = { 1 };",
    "struct { int *p; } s = { 0 };",
    "struct { int a; int b; } s = { 1, .b = 2 };",  # positions and designators mixed
    "struct { int a; } s = { .a = 1, .a = 2 };",
    "struct { int a; } s = { 1, 2 };",
    "struct { int a; } s = { .c = 1 };",
    "union { int a; } s = { 1 };",
    "int s = 1;",
])
def test_a_declaration_not_read_gives_no_members(decl: str) -> None:
    assert member_decls(_body(decl)[0]) is None


def test_stores_are_named_as_the_walk_names_them() -> None:
    stmts = _body("int x; struct { int a; } s, *p; x = 1; s.a++; --s.a; s = s; p->a = 2; s.a += 1;")
    assert assigned(c_ast.Compound(stmts)) == {"x", "s.a", "s"}
    ref = c_parser.CParser().parse("void f(void) { s.a.b; }").ext[0].body.block_items[0]
    assert member_key(ref) is None and member_key(ref.name) == "s.a"
