"""models.leafsitekeys: a leaf site's key by its form, and no leaf shape where two printers share a place."""

from __future__ import annotations

import copy

from pycparser import c_ast

from models.cload import Program
from models.facts import SITE_LEAF_SHAPE, SITE_PRINT
from models.leafsitekeys import keyed, site_key, site_nodes
from models.loader import EntryPoint, Source
from models.marks import decision_tag
from models.mirror import cached_mirror

CODE = """\
static void say(u64 fn)
{
	pr_info("a %llx\\n", fn);
	pr_info("b %llx\\n", fn);
}
"""


def _program_and_body() -> tuple[Program, c_ast.Node]:
    program = cached_mirror((Source("d/s.h", ((1, tuple(CODE.splitlines())),), True),),
                            (EntryPoint("say"),)).program
    return program, copy.deepcopy(program.functions["say"].body)  # a copy of its own: its coordinates are changed


def _calls(body: c_ast.Node) -> list[c_ast.FuncCall]:
    return [n for n, stmt in site_nodes(body) if isinstance(n, c_ast.FuncCall) and stmt is not None]


def test_each_form_of_key() -> None:
    program, body = _program_and_body()
    call = min(_calls(body), key=lambda c: c.coord.line)
    assert site_key(program, call, "") == "d/s.h:3:2"
    assert site_key(program, call, "@1") == "d/s.h:3:2@1"
    assert site_key(program, call, ":") == "d/s.h:3"
    assert site_key(program, call, "?") == f"?d/s.h:3:2~{decision_tag(call)}"


def test_a_leaf_shape_is_dropped_where_another_printer_shares_its_place() -> None:
    program, body = _program_and_body()
    first, second = sorted(_calls(body), key=lambda c: c.coord.line)
    placed = [(SITE_PRINT, first, ""), (SITE_LEAF_SHAPE, first, "@1"), (SITE_LEAF_SHAPE, second, "@1")]
    assert [k for _, k in keyed(program, body, placed)] == ["d/s.h:3:2", "d/s.h:3:2@1", "d/s.h:4:2@1"]
    second.coord = first.coord  # a macro's two printers, both at its use
    assert keyed(program, body, placed) == [(SITE_PRINT, "d/s.h:3:2")]
