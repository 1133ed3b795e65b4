"""models/typesys.py: what it refuses, named at the struct's own line."""

from __future__ import annotations

import pytest

from tests.models.cprog import run

HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("types", "tag"), [
    ("struct n { int v; struct n *next; };\n", "n"),
    ("struct a; struct b { struct a *pa; int v; }; struct a { struct b *pb; int v; };\n", "a"),
])
def test_a_struct_pointing_to_itself_is_refused_at_its_line(types: str, tag: str) -> None:
    # A Struct value holds its members' types: one that reaches itself again cannot be made. Before, the
    # resolution recursed until Python's limit ("f(): Python recursion limit reached", as if the C recursed).
    out = run(types + HEAD + f"\tstruct {tag} x = {{ .v = 3 }};\n\n\treturn x.v;\n}}\n")
    assert out.status == "error"
    assert (out.error or "").startswith(f"test/prog.c:1: struct {tag} is reached again through its own members"), \
        out.error
