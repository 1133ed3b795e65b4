"""models.deadstores: a store into a local that nothing reads, read from parsed C."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_parser

from models.condeval import nodes
from models.deadstores import live, own_local, unread_store

_HEAD = "typedef unsigned long long u64;\nu64 op(void);\nvoid use(int *p);\nstruct s { int n; };\n"


def _body(body: str, param: str = "void") -> tuple[c_ast.FuncDef, list[c_ast.Node]]:
    """``u64 f(PARAM) { BODY }`` parsed, and the statements of its body's first loop (or of the body)."""
    func = c_parser.CParser().parse(_HEAD + f"u64 f({param})\n{{\n{body}\n}}\n").ext[-1]
    assert isinstance(func, c_ast.FuncDef)
    loops = [x for x in func.body.block_items or [] if isinstance(x, (c_ast.For, c_ast.While, c_ast.DoWhile))]
    items = loops[0].stmt.block_items if loops else func.body.block_items
    return func, list(items or [])


@pytest.mark.parametrize("body", [
    "int tries = 0; for (;;) { tries++; if (op()) break; } return 0;",
    "unsigned int tries = 3; for (;;) { --tries; tries += 2; if (op()) break; } return 0;",
    "int seen; for (;;) { seen = 1; if (op()) break; } return 0;",  # set, never read: no value read unset
    "int tries = 0; for (;;) { switch (op()) { case 1: tries++; continue; } break; } return 0;",
    "int tries = 0; for (;;) { if (op()) tries++; else break; } return 0;",
    # h604: a for's start and step, a member of a local struct whose declaration lists its members (C11 6.7.9p21:
    # the members an initializer leaves out are zero; one never initialized only set)
    "int tries = 0; for (;;) { tries++; if (op()) break; } for (tries = 1;; tries++) ; return 0;",
    "struct { int n; long m; } st = { 0 }; for (;;) { st.n++; st.m += 2; if (op()) break; } return 0;",
    "struct { int n; struct { int k; } r; } st = { .n = 1 }; for (;;) { st.r.k--; if (op()) break; } return 0;",
    "struct { int n; } st; for (;;) { st.n = 1; if (op()) break; } return 0;",
])
def test_a_store_nothing_reads_is_left_out(body: str) -> None:
    func, items = _body(body)
    stores = [x for x in nodes(func.body) if isinstance(x, (c_ast.UnaryOp, c_ast.Assignment))]
    assert stores and all(unread_store(func, x) for x in stores)
    assert live(func, items) == [x for x in items if not any(x is y for y in stores)]


@pytest.mark.parametrize("body", [
    # h613: a comma of such stores, each operand's value discarded (C17 6.5.17p2), in a statement or a for's step
    "int tries = 0, n = 0; for (;;) { tries++, n += 2; if (op()) break; } return 0;",
    "int tries = 0, n = 0; for (;;) { (void)(tries++, (n--, n = 1)); if (op()) break; } return 0;",
    "int tries = 0, n = 0; for (;; tries++, n++) { if (op()) break; } return 0;",
])
def test_a_comma_of_stores_nothing_reads_is_left_out(body: str) -> None:
    func, items = _body(body)
    loop = next(x for x in func.body.block_items or [] if isinstance(x, c_ast.For))
    commas = [x for x in [*items, loop.next] if isinstance(x, (c_ast.ExprList, c_ast.Cast))]
    assert commas and all(unread_store(func, x) for x in commas)
    assert live(func, items) == [x for x in items if isinstance(x, c_ast.If)]


@pytest.mark.parametrize("body, read", [
    # h613: a struct declared by a tag defined at file scope, its members looked up there
    ("struct s st = { 0 }; for (;;) { st.n++; if (op()) break; } return 0;", True),
    ("struct s st = { 0 }; for (;;) { st.n++; if (op()) break; } return st.n;", False),  # returned
    ("struct s st; for (;;) { st.n++; if (op()) break; } return 0;", False),  # an unset member read
    # a tag the function defines itself (in an inner block here) is not the file's
    ("struct s st = { 0 }; for (;;) { st.n++; if (op()) break; } { struct s { long n; } o; } return 0;", False),
])
def test_a_member_of_a_struct_of_a_file_scope_tag_is_read_through_the_tag(body: str, read: bool) -> None:
    func, items = _body(body)
    head = c_parser.CParser().parse(_HEAD).ext
    members = {d.type.name: tuple(d.type.decls) for d in head if isinstance(d, c_ast.Decl) and
               isinstance(d.type, c_ast.Struct)}
    step = items[0]
    assert unread_store(func, step, members.get) is read
    assert not unread_store(func, step)  # no tags given: not read


@pytest.mark.parametrize("body, param", [
    ("int tries = 0; for (;;) { tries++; if (op()) break; } return tries;", "void"),  # returned
    ("int tries = 0; for (;;) { tries++; if (tries > 3 || op()) break; } return 0;", "void"),  # tested
    ("int tries = 0; for (;;) { tries++; if (op()) break; } use(&tries); return 0;", "void"),  # its address
    ("int tries; for (;;) { tries++; if (op()) break; } return 0;", "void"),  # an unset value read
    ("volatile int tries = 0; for (;;) { tries++; if (op()) break; } return 0;", "void"),
    ("static int tries = 0; for (;;) { tries++; if (op()) break; } return 0;", "void"),
    ("for (;;) { tries++; if (op()) break; } return 0;", "int tries"),  # a parameter
    ("int tries = 0; for (;;) { tries++; if (op()) break; } { int tries = 1; } return 0;", "void"),  # twice
    ("int tries = 0; for (;;) { tries++; if (op()) break; } for (;; tries++) if (tries) ; return 0;", "void"),
    ("int tries = 0; for (;;) { (void)tries++; tries++; if (op()) break; } return tries;", "void"),
    ("int *p = 0; for (;;) { p++; if (op()) break; } return 0;", "void"),  # a pointer
    ("struct s st = { 0 }; for (;;) { st.n++; if (op()) break; } return 0;", "void"),  # its tag's members: not read
    ("struct { int n; } st; for (;;) { st.n++; if (op()) break; } return 0;", "void"),  # an unset member read
    ("struct { int n; } st = { 0 }; for (;;) { st.n++; if (op()) break; } return st.n;", "void"),  # returned
    ("struct { int n; } st = { 0 }, o; for (;;) { st.n++; if (op()) break; } o = st; return 0;", "void"),  # copied
    ("volatile struct { int n; } st = { 0 }; for (;;) { st.n++; if (op()) break; } return 0;", "void"),
    ("struct { volatile int n; } st = { 0 }; for (;;) { st.n++; if (op()) break; } return 0;", "void"),
    ("struct { int *p; } st = { 0 }; for (;;) { st.p++; if (op()) break; } return 0;", "void"),  # a pointer
    ("struct { int n; } st = { 0 }, *q = &st; for (;;) { q->n++; if (op()) break; } return 0;", "void"),
    ("struct { int n; } st = { op() }; for (;;) { st.n++; if (op()) break; } return 0;", "void"),  # set by a call
    ("int tries = op(); for (;;) { tries++; if (op()) break; } return 0;", "void"),  # set by a call
    ("u64 err = 0; for (;;) { err = op(); if (err) break; } return 0;", "void"),  # a call's value stored
    # a comma with an operand that is no such store, or reads one: not read as a whole
    ("int tries = 0, n = 0; for (;;) { tries++, op(); if (op()) break; } return 0;", "void"),
    ("int tries = 0, n = 0; for (;;) { tries++, n = tries; if (op()) break; } return 0;", "void"),
    ("int tries = 0, n = 0; for (;;) { tries++, n++; if (op()) break; } return n;", "void"),
])
def test_any_other_store_is_not(body: str, param: str) -> None:
    func, items = _body(body, param)
    assert not any(unread_store(func, x) for x in items)


def test_own_local_counts_every_name() -> None:
    func, _ = _body("int tries = 0; for (;;) { tries++; if (op()) break; } return 0;")
    assert own_local(func, "tries", 1) is not None
    assert own_local(func, "tries", 2) is None
    assert own_local(func, "other", 0) is None


def test_a_store_cast_to_void_is_one_too() -> None:
    func, items = _body("int tries = 0; for (;;) { (void)tries++; (void)(tries = 2); if (op()) break; } return 0;")
    assert all(unread_store(func, x) for x in items[:2]) and live(func, items) == items[2:]
    func, items = _body("int tries = 0; for (;;) { (long)tries++; if (op()) break; } return 0;")
    assert not unread_store(func, items[0])  # a cast to another type: not read here
