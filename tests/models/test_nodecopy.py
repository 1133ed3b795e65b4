"""models.nodecopy: a moved copy of a definition reads its node-free facts through the parsed one (origin)."""

from __future__ import annotations

from pycparser import c_ast, c_parser

from models import lifetimes
from models.cload import load_program
from models.loader import EntryPoint, Source
from models.nodecopy import moved, origin, remember_copies


def _parsed(text: str) -> tuple[c_ast.Node, ...]:
    return tuple(c_parser.CParser().parse(text, "m.c").ext)


def test_a_copy_and_its_body_name_the_parsed_nodes_and_nothing_else_does() -> None:
    nodes = _parsed("int x;\nint f(int a)\n{\n\tint *p = &a;\n\treturn *p;\n}\n")
    memo: dict[int, object] = {}
    copies = tuple(moved(n, 7, memo) for n in nodes)
    remember_copies(nodes, memo)
    func, copy = nodes[1], copies[1]
    assert isinstance(copy, c_ast.FuncDef) and copy is not func and copy.coord.line == func.coord.line + 7
    assert origin(copy) is func and origin(copy.body) is func.body
    assert origin(copies[0]) is copies[0]  # a declaration: no body to read facts of
    assert origin(copy.body.block_items[0]) is copy.body.block_items[0]  # a copy's own nodes stay its own
    assert origin(func) is func


def test_a_moved_definition_is_walked_once_for_its_addresses() -> None:
    """Two programs holding one definition at lines 300 apart: the second's copy (models.cload._moved_chunk) reads
    lifetimes.address_taken() of the first's body, and its nodes keep their own coordinates."""
    func = "static int f(int v)\n{\n\tint *p = &v;\n\n\n\n\n\n\n\n\treturn *p + 1;\n}\n"

    def loaded(blank: int) -> c_ast.FuncDef:
        lines = tuple(("\n" * blank + func).split("\n"))
        node = load_program((Source("m.c", ((1, lines),), True),), (EntryPoint("f", ("fn",)),)).functions["f"]
        assert isinstance(node, c_ast.FuncDef)
        return node

    near, far = loaded(5), loaded(305)
    assert far is not near and far.coord.line == near.coord.line + 300
    assert origin(far.body) is origin(near.body)
    lifetimes.address_taken.cache_clear()
    assert lifetimes.address_taken(origin(near.body)) == frozenset({"v"})
    assert lifetimes.address_taken(origin(far.body)) == frozenset({"v"})
    assert lifetimes.address_taken.cache_info().misses == 1
