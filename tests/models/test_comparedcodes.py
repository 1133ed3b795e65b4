"""The codes a function compares a SEAMCALL's answer with (models.comparedcodes), read from the AST."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_parser

from models.comparedcodes import compared_codes


def _codes(body: str) -> set[int]:
    ast = c_parser.CParser().parse("typedef unsigned long long u64;\n"
                                   f"u64 f(u64 (*op)(u64), u64 fn) {{ {body} }}\n")
    func = next(e for e in ast.ext if isinstance(e, c_ast.FuncDef))
    return compared_codes(func, frozenset({"op"}))


@pytest.mark.parametrize("body, want", [
    ("u64 err = op(fn); if (err == 0x8000020300000000ULL) return 1; return err;", {0x8000020300000000}),
    ("u64 err; err = op(fn); if (0x10 != err) return 1; return (u64)err == 017;", {0x10, 0o17}),
    ("u64 err; err = op(fn); return (err & 0xFFFF0000ULL) == 0x80000000ULL;", {0x80000000}),  # status bits
    ("return op(fn) == 0x20 || op(fn) == 'a';", {0x20}),  # a call's answer too; a character is no code
    ("u64 other = fn; return other == 5;", set()),  # no answer stored in it
    # A switch on an answer: its own case labels (models.retryswitch walks it), not those of a switch inside.
    ("u64 err = op(fn); switch (err) { case 0x10: case 'a': return 1; case 0x20: switch (fn) { case 7: return 2; }"
     " default: return 3; }", {0x10, 0x20}),
    ("switch ((u64)op(fn) & 0xFF00ULL) { case 0x100: return 1; } return 0;", {0x100}),
    ("switch (fn) { case 0x30: return 1; } return 0;", set()),  # no answer
])
def test_the_constants_an_answer_is_compared_with(body: str, want: set[int]) -> None:
    assert _codes(body) == want
