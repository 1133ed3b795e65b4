"""Members of a local struct as names of their own (models.structlocals): which declarations are read, and how."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_generator, c_parser

from models.structlocals import Members, alias_of, assigned, body_tags, member_decls, member_key, tag_members


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
    "struct tag s = { 1 };",  # members listed elsewhere: not looked up without the file's tags
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
    assert assigned(c_ast.Compound(stmts), {"p": "s"}) == {"x", "s.a", "s"}
    assert assigned(c_ast.Compound(_body("int *q; q->a = 1; (*q).a = 2; q = 0;")), {"p": "s"}) == {"q"}
    ref = c_parser.CParser().parse("void f(void) { s.a.b; p->a; q->a; }").ext[0].body.block_items
    assert member_key(ref[0]) == "s.a.b" and member_key(ref[0].name) == "s.a"
    assert member_key(ref[1], {"p": "s"}) == "s.a" and member_key(ref[1]) is None
    assert member_key(ref[2], {"p": "s"}) is None


def _tags(name: str) -> Members | None:
    """The tags of _body's file: ``struct tag { int a; }``."""
    found = _body("struct tag { int a; } t;")[0].type.type.decls
    return tuple(found) if name == "tag" else None


@pytest.mark.parametrize("decl, want", [
    ("struct tag s = { 5 };", {"s.a": "5"}),
    ("struct { struct tag in; int b; } s = { { 5 }, 6 };", {"s.in.a": "5", "s.b": "6"}),
    ("struct { int b; struct { u8 c; int d; } in; } s = { .in = { .d = 7 } };",
     {"s.b": "0", "s.in.c": "0", "s.in.d": "7"}),
    ("struct { int b; struct tag in; } s = { 1 };", {"s.b": "1", "s.in.a": "0"}),  # left out: zero, its members too
    ("struct { int b; struct tag in; } s;", {"s.b": None, "s.in.a": None}),
])
def test_a_tag_and_nested_members_are_read(decl: str, want: dict[str, str | None]) -> None:
    got = member_decls(_body(decl)[0], _tags)
    assert got is not None
    gen = c_generator.CGenerator()
    assert {d.name: gen.visit(d.init) if d.init is not None else None for d in got} == want


@pytest.mark.parametrize("decl", [
    "struct other s = { 1 };",  # no such tag at file scope
    "struct { struct tag in; int b; } s = { 5, 6 };",  # the nested member's braces elided (C11 6.7.9p20)
    "struct { int b; } s = { { 1 } };",  # a scalar's braced value
    "struct { struct tag in; } s = { .in.a = 1 };",  # a designator of two levels
    "struct { union { int a; } u; } s = { { 1 } };",
])
def test_a_tag_or_nested_member_not_read_gives_no_members(decl: str) -> None:
    assert member_decls(_body(decl)[0], _tags) is None


def test_a_tag_the_function_defines_hides_the_files() -> None:
    func = c_parser.CParser().parse("struct tag { int a; };\nvoid f(void) { struct tag { char a; } x; }").ext[-1]
    assert body_tags(func, _tags)("tag") is None and body_tags(func, _tags)("other") is None
    assert tag_members(func.body.block_items[0].type.type) is not None


def test_a_pointer_set_to_a_local_is_its_alias() -> None:
    decls = _body("struct tag s, *p = &s, *q = 0, *r; int *i = &s.a;")
    assert [alias_of(d) for d in decls] == [None, "s", None, None, None]
