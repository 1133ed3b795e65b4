"""The walks of parsed code iterate a node for its children: the same nodes, in the same order, as children()."""

from __future__ import annotations

import inspect
import re

import pytest
from pycparser import c_ast

from models.cparse import GnuParser, NodeWalker, all_nodes

_CLASSES = sorted((c for c in vars(c_ast).values() if isinstance(c, type) and issubclass(c, c_ast.Node)
                   and c is not c_ast.Node), key=lambda c: c.__name__)


def _filled(cls: type, list_items: int, plain: object) -> c_ast.Node:
    """A node of ``cls`` whose list fields hold ``list_items`` IDs and every other field ``plain`` (an ID named
    after the field, a string, None)."""
    lists = set(re.findall(r"enumerate\(self\.(\w+) or \[\]\)", inspect.getsource(cls.children)))
    node = object.__new__(cls)
    for name in cls.__slots__:
        if name == "__weakref__":
            continue
        if name in lists:
            value: object = [c_ast.ID(f"{name}{i}") for i in range(list_items)] if list_items >= 0 else None
        else:
            value = c_ast.ID(name) if plain == "node" else plain
        setattr(node, name, None if name == "coord" else value)
    return node


@pytest.mark.parametrize("cls", _CLASSES, ids=lambda c: c.__name__)
@pytest.mark.parametrize(("list_items", "plain"), [(3, "node"), (0, "text"), (-1, None)])
def test_iterating_a_node_gives_its_children(cls: type, list_items: int, plain: object) -> None:
    node = _filled(cls, list_items, plain)
    assert list(node) == [child for _, child in node.children()]


_C = """
struct s { int a; int b[2]; };
static int f(int x, struct s *p) {
    int i, t = 0;
    for (i = 0; i < 2; i++) { if (x > i && p->b[i]) t += p->b[i]; else continue; }
    switch (x) { case 1: t = -t; break; default: t = x ? t : f(t, p); }
    do { t--; } while (t > 10);
    return t + (int)sizeof(*p) + p->a;
}
"""


def test_walks_visit_what_childrens_walk_visits() -> None:
    ast = GnuParser().parse(_C, "<tu>")

    class Seen(NodeWalker):
        def __init__(self) -> None:
            self.seen: list[c_ast.Node] = []

        def visit(self, node: c_ast.Node) -> None:
            self.seen.append(node)
            super().visit(node)

    class Named(c_ast.NodeVisitor):  # type: ignore[misc]  # pycparser's own, through children()
        def __init__(self) -> None:
            self.seen: list[c_ast.Node] = []

        def visit(self, node: c_ast.Node) -> None:
            self.seen.append(node)
            super().visit(node)

    ours, theirs = Seen(), Named()
    ours.visit(ast)
    theirs.visit(ast)
    assert ours.seen == theirs.seen and len(ours.seen) > 80
    expected, todo = [], [ast]
    while todo:
        n = todo.pop()
        expected.append(n)
        todo.extend(child for _, child in n.children())
    assert all_nodes(ast) == expected


def test_per_body_walks_are_read_once_and_answer_each_body() -> None:
    """What a body's walk finds (lifetimes.address_taken, the sequencing's taken addresses) is kept per parsed body,
    shared by every program that has it: the same answer again, and another body's own."""
    from models.lifetimes import address_taken
    from models.seqflags import address_taken as taken_in

    g_text = "static int g(int y) { int q[2] = { 0 }; int *r = &y, *s = q; return s[0] + *r; }\n"
    ast = GnuParser().parse(_C + g_text, "<tu>")
    f, g = (n for n in ast.ext if isinstance(n, c_ast.FuncDef))
    assert address_taken(f.body) == frozenset() and address_taken(g.body) == {"q", "y"}
    assert address_taken(g.body) is address_taken(g.body) and taken_in(g) == {"y"} == taken_in(g)
