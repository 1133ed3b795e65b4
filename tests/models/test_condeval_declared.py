"""models.condeval: the integer types a function's names are declared with, read once per function."""

from __future__ import annotations

import pytest

from models import condeval
from models.cload import load_program
from models.ctype import ULONG
from models.loader import EntryPoint, Source

CODE = """typedef unsigned int u32;
typedef unsigned long long u64;
static inline u64 pick(u64 fn, int flag)
{
	u32 small = 3;
	if (flag)
		return fn;
	return small;
}"""


def _program():  # type: ignore[no-untyped-def]
    return load_program((Source("a/p.h", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick"),))


def test_each_name_gets_its_declared_type_and_unknown_names_u64() -> None:
    program = _program()
    got = {n: condeval.declared(program, "pick", n) for n in ("fn", "flag", "small", "nothere")}
    assert (got["flag"].bits, got["flag"].signed) == (32, True)
    assert (got["small"].bits, got["small"].signed) == (32, False)
    assert got["fn"].bits == 64 and got["nothere"] == ULONG
    assert condeval.declared(program, "absent_function", "fn") == ULONG


def test_a_function_is_walked_once_however_often_it_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    program = _program()
    walked: list[object] = []
    real = condeval.nodes

    def counting(n):  # type: ignore[no-untyped-def]
        walked.append(n)
        return real(n)

    monkeypatch.setattr(condeval, "nodes", counting)
    condeval._DECLS.clear()
    for _ in range(50):
        for name in ("fn", "flag", "small"):
            condeval.declared(program, "pick", name)
    # One walk of the function, not one per question (nodes() walks a whole tree in one call).
    assert walked == [program.functions["pick"]]


def test_a_type_node_is_resolved_once_and_a_constant_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from pycparser import c_ast

    from models.typesys import TypeSystem

    program = _program()
    resolved: list[object] = []
    real = TypeSystem.resolve

    def counting(self, node, *a, **k):  # type: ignore[no-untyped-def]
        resolved.append(node)
        return real(self, node, *a, **k)

    monkeypatch.setattr(TypeSystem, "resolve", counting)
    condeval._INT_TYPES.clear()
    node = program.functions["pick"].decl.type.type
    types = {condeval.int_type(program, node) for _ in range(20)}
    assert len(types) == 1 and next(iter(types)).bits == 64
    assert resolved.count(node) == 1
    one, two = c_ast.Constant("int", "0x21ULL"), c_ast.Constant("int", "0x21ULL")
    assert condeval.constant(one) is condeval.constant(two)
    assert condeval.constant(one).exact() == 0x21  # type: ignore[union-attr]
