"""Arithmetic that drops bits in a tested operand names the bits it drops (models.neighbours).

Arithmetic that drops bits in a tested operand (a multiply by an even constant, a divide by a power of two)
names the bits it drops, so models.neighbours tries the values that tell ``fn * 2 == K * 2`` from ``fn == K``."""

from __future__ import annotations

import pytest
from pycparser import c_ast

from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.neighbours import Decision, neighbour_values, same_truth

HEAD = "typedef unsigned long long u64;\n#define UD 0x8000000000000016ULL\n"


def _decision(cond: str) -> tuple[Program, Decision]:
    code = HEAD + "static int pick(u64 fn)\n{\n\tif (" + cond + ")\n\t\treturn 1;\n\treturn 0;\n}\n"
    program = load_program((Source("n/p.h", ((1, tuple(code.split("\n"))),), True),), (EntryPoint("pick", ("fn",)),))
    found = next(s for s in program.functions["pick"].body.block_items if isinstance(s, c_ast.If))
    return program, Decision("pick", "n/p.h:5", (), found.cond)


def _values(*sides: tuple[Program, Decision]) -> list[int]:
    return sorted({v for p, d in sides for v in neighbour_values(p, d.node)})


@pytest.mark.parametrize(("changed", "apart"), [
    ("fn * 2 == UD * 2", 0x16),  # the multiply drops bit 63: UD without it takes the branch too
    ("fn * 12 == UD * 12", 0x16 | 1 << 62),  # 12 = 3 << 2: bits 62 and 63 dropped
    ("fn / 4 == UD / 4", 0x8000000000000014),  # the divide drops bits 0 and 1
])
def test_arithmetic_dropping_bits_is_told_apart(changed: str, apart: int) -> None:
    # Before: the values tried were UD's neighbours in the low 32 bits and each bit alone; none told them apart,
    # so a move rewriting 'fn == UD' this way was said to keep its condition (gate READY).
    a, b = _decision("fn == UD"), _decision(changed)
    values = _values(a, b)
    assert apart in values, [hex(v) for v in values]
    assert same_truth(a[0], a[1], b[0], b[1], values) is False


@pytest.mark.parametrize("same", ["fn * 3 == UD * 3", "fn * 1 == UD", "fn / 1 == UD"])
def test_arithmetic_keeping_every_bit_stays_the_same(same: str) -> None:
    a, b = _decision("fn == UD"), _decision(same)
    assert same_truth(a[0], a[1], b[0], b[1], _values(a, b)) is True
