"""What value runs and rules read of parsed code they meet again is worked out once per node.

What the value runs and the rules read of parsed code they meet again (a condition's shape, a function's locals, the
names a condition reads) is worked out once per node, and reads as it did when worked out each time."""

from __future__ import annotations

import copy
import random

import pytest
from pycparser import c_ast, c_parser

import models.cutcond as cutcond
import models.source as source
from models.cload import Program, load_program
from models.condeval import nodes, shape
from models.loader import EntryPoint, Source

CODE = """typedef unsigned long long u64;
struct s { u64 a; };
static inline int helper(u64 x) { int y = 2; { u64 z = x; y += (int)z; } return x == 3 ? y : 0; }
int pick(u64 fn, u64 ret, struct s *p)
{
	int left = 3;
	while (left-- > 0) {
		u64 seen = ret;
		if (helper(seen) && (fn & (1ULL << 63)))
			continue;
		for (int i = 0; i < 2; i++)
			p->a += (u64)i;
	}
	return ret == 0x8000020300000000ULL ? (int)fn : helper(p->a);
}"""


def _plain_shape(n: c_ast.Node) -> tuple[object, ...]:
    """shape() as it was worked out each time: the oracle of the kept one."""
    return type(n).__name__, tuple([repr(getattr(n, a, None)) for a in n.attr_names]), tuple(map(_plain_shape, n))


def _plain_declared(node: c_ast.Node) -> set[str]:
    found = {n.name for n in node if isinstance(n, c_ast.Decl) and n.name}
    return found.union(*(_plain_declared(n) for n in node))


def _program() -> Program:
    return load_program((Source("c/once.c", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick"),))


def test_a_nodes_shape_is_worked_out_once_and_is_what_it_was() -> None:
    func = _program().functions["pick"]
    for n in nodes(func):
        assert shape(n) == _plain_shape(n)
        assert shape(n) is shape(n)  # kept, not made again
    # A copy changed where a rewrite changes it (models.condeval.rebuilt) is another node: its own shape.
    cond = next(n for n in nodes(func) if isinstance(n, c_ast.BinaryOp) and n.op == "==")
    changed = copy.copy(cond)
    changed.right = c_ast.Constant("int", "4")
    assert shape(changed) == _plain_shape(changed) != shape(cond)


def test_a_functions_locals_are_read_once_and_are_every_declaration_below(monkeypatch: pytest.MonkeyPatch) -> None:
    program = _program()
    for func in program.functions.values():
        for n in nodes(func):
            assert source._declared(n) == _plain_declared(n)
    assert source._declared(program.functions["helper"].body) == {"y", "z"}
    # code_facts reads each function's locals for its own names and for its call sites: once per parsed definition.
    read: list[c_ast.Node] = []
    plain = source._declared

    def counted(node: c_ast.Node) -> set[str]:
        read.append(node)
        return plain(node)

    monkeypatch.setattr(source, "_declared", counted)
    fresh = _program()  # parsed again: nodes no earlier test read
    for func in fresh.functions.values():
        source._READ.clear()
        source._OWN.pop(id(func), None)
        getattr(source, "_LOCALS", {}).pop(id(func), None)  # (none before it was kept)
        source._own_names(func)
        source._sites_of(func)
    assert len(read) == len(fresh.functions), read


def test_the_names_a_condition_reads_are_read_once_a_side(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "typedef unsigned long long u64;\nstatic int a(u64 fn, u64 code)\n{\n\tif (fn == 3 && code != 1)\n" \
           "\t\treturn 1;\n\treturn 0;\n}\nstatic int b(u64 fn, u64 code)\n{\n\tif (code != 1 && fn == 3)\n" \
           "\t\treturn 1;\n\treturn 0;\n}\n"
    ast = c_parser.CParser().parse(text, "once.c")
    functions = {f.decl.name: f for f in ast.ext if isinstance(f, c_ast.FuncDef)}
    program = Program("read-once", ast, functions, {}, (), (), {}, [], {})
    sides = tuple((program, name, functions[name].body.block_items[0].cond) for name in ("a", "b"))
    asked: list[c_ast.Node] = []
    plain = cutcond._read

    def counted(node: c_ast.Node) -> set[str]:
        asked.append(node)
        return plain(node)

    monkeypatch.setattr(cutcond, "_read", counted)
    rng = random.Random(5)
    for _ in range(20):
        point = (("code", rng.choice((0, 1, 2))), ("fn", rng.choice((2, 3))), ("other", 7))
        p, q = cutcond._run(sides, point)  # type: ignore[arg-type]
        fn, code = dict(point)["fn"], dict(point)["code"]
        assert p is q is (fn == 3 and code != 1)
    assert len(asked) == 2 * 20, len(asked)
