"""models.reachable: whether a jump may enter a statement (a label in it, or a case label of no switch inside it)."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_parser

from models.cparse import all_nodes
from models.reachable import _entered


def _walked_twice(node: c_ast.Node) -> bool:
    """_entered as it was: the labels and case labels outside the switches inside, then every label again."""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, c_ast.Label | c_ast.Case | c_ast.Default):
            return True
        todo.extend(child for name, child in n.children() if not (isinstance(n, c_ast.Switch) and name == "stmt"))
    return any(isinstance(n, c_ast.Label) for n in all_nodes(node))


BODIES = {
    "plain": ("a = 1; if (x) a = 2;", False),
    "label": ("a = 1; l: a = 2;", True),
    "cases of a switch inside": ("switch (x) { case 1: a = 1; default: break; }", False),
    "label inside a switch": ("switch (x) { case 1: l2: a = 1; break; }", True),
    "case of a switch outside": ("if (x) { case 3: a = 2; }", True),
    "nested switches": ("switch (x) { case 1: switch (a) { default: break; } }", False),
    "default in a loop": ("while (x) { if (a) { default: ; } }", True),
}


@pytest.mark.parametrize("name", BODIES)
def test_a_statement_is_entered_where_a_label_or_a_case_of_no_switch_inside_is(name: str) -> None:
    text, entered = BODIES[name]
    func = c_parser.CParser().parse(f"void f(int x) {{ int a; {text} }}").ext[0]
    assert _entered(func.body) is entered
    for node in all_nodes(func.body):  # every statement and expression below, as the two walks read them
        assert _entered(node) is _walked_twice(node), node
