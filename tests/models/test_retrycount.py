"""The SEAMCALLs a retry loop makes when every answer is one it retries on (models.retrycount), read from the AST."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_parser

from models.retryconsts import file_constants
from models.retrycount import Unknown, count_calls

NO_ENTROPY = 0x8000020300000000
HEAD = "typedef unsigned long long u64;\n"
# sc_retry()'s loop in the shapes a series writes it: each makes 10 SEAMCALLs answered "no entropy" every time.
LOOP = {
    "do": "int left = 10; u64 err; do { err = op(fn); } while (err == 0x8000020300000000ULL && --left); return err;",
    "while": "int left = 10; u64 err = op(fn); while (err == 0x8000020300000000ULL && --left) err = op(fn); "
             "return err;",
    "for-break": "int left = 10; u64 err; for (;;) { err = op(fn); if (err != 0x8000020300000000ULL || !--left) "
                 "break; } return err;",
    "goto": "int left = 10; u64 err; again: err = op(fn); if (err == 0x8000020300000000ULL && --left) goto again; "
            "return err;",
    "counted-up": "int i; u64 err; for (i = 0; i < 10; i++) { err = op(fn); if (err != 0x8000020300000000ULL) "
                  "break; } return err;",
    "post-decrement": "int left = 9; u64 err; do { err = op(fn); } while (err == 0x8000020300000000ULL && left--); "
                      "return err;",
    # a code chosen by the leaf, and a helper deciding: taken the way that goes on retrying
    "by-leaf": "int left = 10; u64 busy = 1; u64 err; if (fn >> 63) busy = 2; do { err = op(fn); } "
               "while (err == busy && --left); return err;",
    "helper": "int left = 10; u64 err; do { err = op(fn); } while (need_retry(fn, err) && --left); return err;",
}


_PARSER: list[c_parser.CParser] = []  # one parser: building its tables takes seconds


def _func(body: str, head: str = "") -> tuple[c_ast.FuncDef, dict[str, int | str]]:
    if not _PARSER:
        _PARSER.append(c_parser.CParser())
    ast = _PARSER[0].parse(f"{HEAD}{head}\nu64 f(u64 (*op)(u64), u64 fn) {{ {body} }}\n")
    func = next(e for e in ast.ext if isinstance(e, c_ast.FuncDef))
    return func, file_constants(ast, lambda coord: f"x.c:{getattr(coord, 'line', 0)}")


@pytest.mark.parametrize("shape", sorted(LOOP))
def test_each_shape_of_ten_tries_makes_ten_calls(shape: str) -> None:
    func, consts = _func(LOOP[shape])
    assert count_calls(func, frozenset({"op"}), NO_ENTROPY, consts) == ["op"] * 10


@pytest.mark.parametrize("head, init", [
    ("enum { A = 4, TRIES = A * 4 };", "TRIES"),
    ("static const int tries = 16;", "tries"),
    ("", "(8 << 1)"),
])
def test_a_bound_is_folded_through_enumerators_and_constants(head: str, init: str) -> None:
    func, consts = _func(LOOP["do"].replace("left = 10", f"left = {init}"), head)
    assert len(count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)) == 16


def test_another_answer_is_not_retried() -> None:
    func, consts = _func(LOOP["for-break"])
    assert count_calls(func, frozenset({"op"}), 0x5, consts) == ["op"]


@pytest.mark.parametrize("head, init, said", [
    ("static int tries = 13;", "tries", "'tries' (x.c:2) is a variable of file scope"),
    ("static const int tries[2] = { 3, 4 };", "tries[fn >> 63]", "'tries[fn >> 63]' reads a table at run time"),
    ("", "fn", "'fn' is a parameter of f(): its callers choose it"),
    ("", "count()", "'left' holds what count() returns"),
])
def test_a_bound_the_code_does_not_fix_is_said(head: str, init: str, said: str) -> None:
    func, consts = _func(LOOP["do"].replace("left = 10", f"left = {init}"), head)
    with pytest.raises(Unknown, match="not decided") as exc:
        count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)
    assert said in str(exc.value), exc.value


def test_a_loop_with_no_bound_is_said() -> None:
    func, consts = _func("u64 err; do { err = op(fn); } while (err == 0x8000020300000000ULL); return err;")
    with pytest.raises(Unknown, match="no bound within 1,000 calls"):
        count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)


MEMBER = LOOP["for-break"].replace("int left = 10;", "struct { int tries; u8 left; } st = INIT;").replace(
    "!--left", "!--st.left")


@pytest.mark.parametrize("init, calls", [
    ("{ 0, 10 }", 10), ("{ .left = 12 }", 12), ("{ .tries = 3, .left = 266 }", 10), ("{ .tries = 1 }", 256)])
def test_a_counter_in_a_local_struct_is_counted_in_its_members_type(init: str, calls: int) -> None:
    """A member's start is its initializer, 0 where the list leaves it out (C11 6.7.9p21), kept in its type (a u8:
    266 is 10, 0 less one is 255)."""
    func, consts = _func(MEMBER.replace("INIT", init), "typedef unsigned char u8;")
    assert len(count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)) == calls


@pytest.mark.parametrize("init, between, said", [
    ("", "", "'st.left' is not set"),
    ("{ 0, 10 }", "st = get();", "'st.left' is stored as part of 'st'"),
    ("{ 0, 10 }", "if (fn) st.left = 3;", "'st.left' is set under 'fn'"),
    ("{ { 0 }, 10 }", "", "'st.left' is not read"),
])
def test_a_member_the_walk_does_not_know_is_said(init: str, between: str, said: str) -> None:
    body = MEMBER.replace(" = INIT", f" = {init}" if init else "").replace("u64 err;", f"u64 err; {between}")
    func, consts = _func(body, "typedef unsigned char u8;")
    with pytest.raises(Unknown, match="not decided") as exc:
        count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)
    assert said in str(exc.value), exc.value


TAGGED = "typedef unsigned char u8;\nstruct sc_left { int tries; u8 left; };"


@pytest.mark.parametrize("decl, test, calls", [
    ("struct sc_left st = { 0, 266 };", "!--st.left", 10),  # the tag's members at file scope, in their types
    ("struct { int tries; struct sc_left in; } st = { 0, { 0, 12 } };", "!--st.in.left", 12),
    ("struct { struct { u8 left; } in; } st = { .in = { 3 } };", "!--st.in.left", 3),
    ("struct sc_left st = { .left = 10 }, *p = &st;", "!--p->left", 10),  # p stands for st
])
def test_a_member_of_a_tag_a_nested_struct_or_through_a_pointer_is_counted(decl: str, test: str, calls: int) -> None:
    func, consts = _func(MEMBER.replace("struct { int tries; u8 left; } st = INIT;", decl).replace("!--st.left", test),
                         TAGGED)
    assert len(count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)) == calls


@pytest.mark.parametrize("decl, between, said", [
    # a pointer stored to or stepped after: it no longer stands for st
    ("struct sc_left st = { 0, 10 }, *p = &st;", "p = get();", "'p->left' is not read"),
    ("struct sc_left st = { 0, 10 }, *p = &st;", "p++;", "'p->left' is not read"),
    # a tag the function defines itself: the file's not looked up
    ("struct sc_left { int left; }; struct sc_left st = { 10 }, *p = &st;", "", "'p->left' is not read"),
    # a tag defined twice at file scope
    ("struct sc_twice st = { 10 }, *p = &st;", "", "'p->left' is not read"),
])
def test_a_pointer_or_tag_the_walk_does_not_read_is_said(decl: str, between: str, said: str) -> None:
    body = MEMBER.replace("struct { int tries; u8 left; } st = INIT;", decl).replace("!--st.left", "!--p->left")
    twice = "struct sc_twice { int left; };\nstruct sc_twice { int left; };"
    func, consts = _func(body.replace("u64 err;", f"u64 err; {between}"), TAGGED + twice)
    with pytest.raises(Unknown, match="not decided") as exc:
        count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)
    assert said in str(exc.value), exc.value
    assert consts["struct sc_left"] != consts["struct sc_twice"] and isinstance(consts["struct sc_twice"], str)


@pytest.mark.parametrize("body, head, name", [
    (LOOP["do"].replace("int left", "double left"), "", "'left' is a double"),
    (LOOP["counted-up"].replace("i < 10", "i < 10.0"), "", "'10.0' is a floating constant"),
    (LOOP["do"].replace("left = 10", "left = TRIES"), "static const double TRIES = 10;", "'TRIES' (x.c:2) is a double"),
])
def test_floating_point_is_no_count(body: str, head: str, name: str) -> None:
    # Before: 'left' 'is of type double, which the count does not know (a value it holds may wrap)', and a static
    # const double of 10 read as 10 tries.
    func, consts = _func(body, head)
    with pytest.raises(Unknown) as got:
        count_calls(func, frozenset({"op"}), NO_ENTROPY, consts)
    assert f"{name}: floating point not modelled (kernel code cannot use FP without kernel_fpu_begin)" in str(got.value)
