"""Typedef names a function's leaf flow reads through its file (models.pointertypes.file_typedef)."""

from __future__ import annotations

import pytest
from pycparser import c_ast

import models.pointertypes as pt
from models.cload import Program, load_program
from models.cparse import all_nodes
from models.loader import EntryPoint, Source

CODE = """\
typedef unsigned int low_t;
typedef unsigned long wide_t;

static u64 call(u64 fn)
{
\ttypedef unsigned char wide_t;
\tlow_t a = fn;
\twide_t b = fn;

\treturn a + b;
}
"""


def _program() -> Program:
    return load_program((Source("d/h.c", ((1, tuple(CODE.splitlines())),), True),), (EntryPoint("call"),))


def test_a_typedef_of_the_body_hides_the_files_and_the_others_are_the_files() -> None:
    program = _program()
    typedef = pt.file_typedef(program, program.functions["call"])
    assert typedef("wide_t") is None  # the body's own: which one a declaration reads is not told here
    assert typedef("low_t") is not None
    assert typedef("none_t") is None


def test_a_body_is_walked_for_its_typedefs_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each function a leaf flows through is asked again per program and per call through a pointer: the body, one
    # parsed object every program shares, is read once.
    program = _program()
    walked: list[object] = []
    real = all_nodes

    def counting(node: c_ast.Node) -> list[c_ast.Node]:
        walked.append(node)
        return real(node)

    monkeypatch.setattr(pt, "all_nodes", counting)
    pt._own_typedefs.cache_clear()
    func = program.functions["call"]
    for _ in range(3):
        assert pt.file_typedef(program, func)("wide_t") is None
    assert walked.count(func.body) == 1


MEMBERS = """\
struct outer { int a; struct inner { int b, c; } in; union { u64 a; u32 d; } u; };
struct later { int a; };

static u64 call(u64 fn)
{
\tstruct local { int b; } l = { 1 };
\tstruct outer o = { 0 };
\tstruct later z = { 2 };

\treturn fn + l.b + o.a + o.in.b + z.a;
}
"""


def test_file_scope_members_are_every_struct_and_unions_in_the_walks_order() -> None:
    # Each member name's declarations, as a walk of the whole translation unit finds them (the first is read).
    program = load_program((Source("d/h.c", ((1, tuple(MEMBERS.splitlines())),), True),), (EntryPoint("call"),))
    walked: dict[str, list[c_ast.Decl]] = {}
    for n in all_nodes(program.ast):
        if isinstance(n, (c_ast.Struct, c_ast.Union)):
            for d in n.decls or []:
                if isinstance(d, c_ast.Decl) and d.name:
                    walked.setdefault(d.name, []).append(d)
    members = pt._FileScope(program.ast).members
    assert members == walked
    assert [len(members[name]) for name in ("a", "b", "c", "d")] == [3, 2, 1, 1]
