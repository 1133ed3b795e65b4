"""A 128-bit value is never judged by its low 64 bits alone in changed conditions.

A 128-bit value is never judged by its low 64 bits alone in the comparisons of changed conditions
(models.neighbours.same_truth, models.decided.differing_answers) nor in what bit 63 of the leaf fixes
(models.leafbits): ``x == 5`` and ``(u64)x == 5`` of a ``u128 x`` differ at ``5 + 2**64``."""

from __future__ import annotations

import pytest
from pycparser import c_ast

from models.cload import Program, load_program
from models.decided import Scope, differing_answers
from models.loader import EntryPoint, Source
from models.neighbours import Decision, same_truth, wide_values
from tests.models.test_leafbits import _fixed

HEAD = "typedef unsigned long long u64;\ntypedef unsigned __int128 u128;\nu128 wide(u64 v);\nu64 narrow(u64 v);\n"
SCOPE = Scope((1,), frozenset({"pick"}))


def _decision(cond: str, decl: str) -> tuple[Program, Decision]:
    code = HEAD + "static int pick(u64 fn)\n{\n\t" + decl + "\n\tif (" + cond + ")\n\t\treturn 1;\n\treturn 0;\n}\n"
    program = load_program((Source("n/p.h", ((1, tuple(code.split("\n"))),), True),), (EntryPoint("pick", ("fn",)),))
    found = next(s for s in program.functions["pick"].body.block_items if isinstance(s, c_ast.If))
    return program, Decision("pick", "n/p.h:8", (), found.cond)


WIDE = "u128 x = wide(fn);"


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("x == 5", "(u64)x == 5", 5 << 64 | 5),
    ("x != 0", "(u64)x != 0", 1 << 64),
    ("x > 7", "(x & 0xffffffffffffffffULL) > 7", 1 << 64),
])
def test_conditions_a_128_bit_variable_tells_apart_in_its_high_half_are_not_the_same(a: str, b: str, apart: int
                                                                                     ) -> None:
    # Before: same_truth True (every value tried was of 64 bits) and differing_answers set(): the runs 'decided' it.
    pa, da = _decision(a, WIDE)
    pb, db = _decision(b, WIDE)
    assert same_truth(pa, da, pb, db, [5]) is False
    found = differing_answers(pa, da, pb, db, SCOPE, [5])
    assert found is not None and apart in found and all(v >> 64 for v in found), found


def test_a_64_bit_variable_is_tried_as_before() -> None:
    pa, da = _decision("x == 5", "u64 x = narrow(fn);")
    pb, db = _decision("(u64)x == 5", "u64 x = narrow(fn);")
    assert same_truth(pa, da, pb, db, [5]) is True and differing_answers(pa, da, pb, db, SCOPE, [5]) == set()
    # the same 128-bit condition on both sides is still the same
    pa, da = _decision("x == 5", WIDE)
    assert same_truth(pa, da, pa, da, [5]) is True


def test_wide_values_put_every_value_in_the_high_half_too() -> None:
    got = set(wide_values([0, 3]))
    assert {0, 3, 3 << 64, 3 << 64 | 3, 1 << 64, 1 << 127, (1 << 128) - 1} <= got and len(got) == 3 + 2 + 64 + 1 - 1


@pytest.mark.parametrize(("test", "tdx", "ldr"), [
    ("((u128)fn << 64) & BIT_ULL(63)", {"F"}, {"F"}),  # bit 63 moved to 127: what is left at 63 is a 0
    ("((u128)fn << 64) >> 127", {"F"}, {"T"}),
    ("(u64)((u128)fn << 64) != 0", {"F"}, {"F"}),
    ("((u128)fn << 1) >> 64", {"F"}, {"T"}),
    ("((u128)fn | ((u128)1 << 100)) & BIT_ULL(63)", {"F"}, {"T"}),
    ("(s128)((u128)fn << 64) < 0", None, None),  # known bits do not compare signed values: not fixed, not guessed
])
def test_bit_63_of_the_leaf_is_followed_through_128_bit_values(test: str, tdx: set[str] | None,
                                                                ldr: set[str] | None) -> None:
    got_tdx, got_ldr = _fixed(f"\tif ({test})\n\t\tleft = 5;\n")
    assert (got_tdx.get(1), got_ldr.get(1)) == (tdx, ldr)
