"""models.condeval.nodes: every node below a node, each before its children, in children()'s order, however deep."""

from __future__ import annotations

import sys

from pycparser import c_ast

from models.cload import load_program
from models.condeval import nodes
from models.loader import EntryPoint, Source

CODE = """typedef unsigned long long u64;
struct s { u64 a; };
static inline int helper(u64 x) { return x == 3 ? 1 : 0; }
int pick(u64 fn, u64 ret, struct s *p)
{
	int left = 3;
	while (left-- > 0) {
		if (helper(ret) && (fn & (1ULL << 63)))
			continue;
		for (int i = 0; i < 2; i++)
			p->a += (u64)i;
		switch (ret) { case 1: return -1; default: break; }
	}
	do { ret >>= 1; } while (ret && !(ret & 1));
	return ret == 0x8000020300000000ULL ? (int)fn : helper(p->a);
}"""


def _preorder(n: c_ast.Node) -> list[c_ast.Node]:
    return [n, *(x for _, c in n.children() for x in _preorder(c))]


def test_nodes_come_each_before_its_children_in_their_order() -> None:
    program = load_program((Source("c/p.c", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick"),))
    assert len(list(nodes(program.functions["pick"]))) > 50
    for func in program.functions.values():
        want, got = _preorder(func), list(nodes(func))
        assert len(got) == len(want) and all(x is y for x, y in zip(got, want, strict=True))


def test_a_condition_nested_past_pythons_stack_is_walked() -> None:
    # ((((x + 1) + 1) ...) + 1): each level was a generator passing on every node below it, past the stack's depth
    depth = sys.getrecursionlimit() + 100
    deep: c_ast.Node = c_ast.ID("x")
    for _ in range(depth):
        deep = c_ast.BinaryOp("+", deep, c_ast.Constant("int", "1"))
    kinds = [type(x).__name__ for x in nodes(deep)]
    assert kinds == ["BinaryOp"] * depth + ["ID"] + ["Constant"] * depth
