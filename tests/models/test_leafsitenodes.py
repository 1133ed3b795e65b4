"""models.leafsitenodes: the nodes leafflow's _sites reads, each with the statement holding it."""

from __future__ import annotations

from pycparser import c_parser

from models.leafsitenodes import site_nodes

CODE = """
void f(unsigned long fn)
{
	int k = 0;
	if (fn && k)
		k = g(fn + 1);
	switch (fn) { case 0: h(); }
}
"""


def test_each_site_node_with_the_statement_holding_it() -> None:
    body = c_parser.CParser().parse(CODE).ext[0].body
    found = {(type(n).__name__, getattr(n, "op", None), type(s).__name__ if s is not None else None)
             for n, s in site_nodes(body)}
    assert found == {("Decl", None, "Decl"), ("If", None, "If"), ("BinaryOp", "&&", "If"),
                     ("Assignment", "=", "Assignment"), ("FuncCall", None, "Assignment"),
                     ("Switch", None, "Switch"), ("FuncCall", None, "FuncCall")}
    assert not any(isinstance(n, type(body.block_items[1].iftrue.rvalue.args.exprs[0])) and n.op == "+"
                   for n, _ in site_nodes(body) if hasattr(n, "op"))  # an arithmetic BinaryOp is no site
