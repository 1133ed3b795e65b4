"""models.cparse's parameter readers: one reading of a definition's parameter list for every module that asks."""

from __future__ import annotations

import pytest
from pycparser import c_ast

import models.cparse as cparse
from models.cparse import GnuParser, param_decls, param_list, param_nodes

_C = """
int named(int a, unsigned long b) { return a; }
int unnamed(int a, long, char *c) { return a; }
int variadic(const char *fmt, ...) { return 0; }
int nothing(void) { return 0; }
int open() { return 0; }
int pointer(int (*fn)(int), int n) { return n; }
"""


def _defs() -> dict[str, c_ast.FuncDef]:
    ast = GnuParser().parse(_C, "<tu>")
    return {ext.decl.name: ext for ext in ast.ext if isinstance(ext, c_ast.FuncDef)}


@pytest.mark.parametrize(("name", "names", "kinds"), [
    ("named", ["a", "b"], ["Decl", "Decl"]),
    ("unnamed", ["a", "", "c"], ["Decl", "Typename", "Decl"]),
    ("variadic", ["fmt", ""], ["Decl", "EllipsisParam"]),
    ("nothing", [""], ["Typename"]),
    ("open", [], []),
    ("pointer", ["fn", "n"], ["Decl", "Decl"]),
])
def test_positions_kinds_and_named_decls(name: str, names: list[str], kinds: list[str]) -> None:
    func = _defs()[name]
    assert param_list(func) == names  # by position: a call's argument i meets names[i]
    assert [type(p).__name__ for p in param_nodes(func)] == kinds
    assert [d.name for d in param_decls(func)] == [n for n in names if n]


def test_kept_nodes_are_the_walk_of_a_definition_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A parsed definition is one object in every program holding it: each program's compile asks again.
    body = _defs()["pointer"].body
    walks: list[c_ast.Node] = []
    real = cparse.all_nodes

    def counting(node: c_ast.Node) -> list[c_ast.Node]:
        walks.append(node)
        return real(node)

    monkeypatch.setattr(cparse, "all_nodes", counting)
    cparse.kept_nodes.cache_clear()
    assert cparse.kept_nodes(body) == tuple(real(body))
    assert cparse.kept_nodes(body) is cparse.kept_nodes(body)
    assert walks == [body]
