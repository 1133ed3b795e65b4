"""models.condeval: a helper a condition calls is worked out once per values of its parameters."""

from __future__ import annotations

import pytest

from models import condeval
from models.cload import load_program
from models.ctype import ULONG
from models.knownbits import Bits
from models.loader import EntryPoint, Source

CODE = """typedef unsigned long long u64;
static inline int is_odd(u64 fn)
{
	if (fn & 1)
		return 1;
	return 0;
}
static inline int pick(u64 fn, u64 ret)
{
	if (is_odd(fn) && ret == 3)
		return 2;
	return 0;
}"""


def test_a_helper_is_worked_out_once_per_argument_values(monkeypatch: pytest.MonkeyPatch) -> None:
    program = load_program((Source("a/p.h", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick"),))
    cond = program.functions["pick"].body.block_items[0].cond
    entered: list[object] = []
    real = condeval.Eval._returned

    def counting(self, items):  # type: ignore[no-untyped-def]
        entered.append(items)
        return real(self, items)

    monkeypatch.setattr(condeval.Eval, "_returned", counting)
    condeval._CALLS.clear()
    body = program.functions["is_odd"].body.block_items
    got = [condeval.Eval(program, {"fn": Bits.of(fn, ULONG), "ret": Bits.of(ret, ULONG)}).truth(cond)
           for fn in (1, 2) for ret in range(40)]
    assert got == [r == 3 for r in range(40)] + [False] * 40
    # is_odd(1) and is_odd(2), each worked out once (its body's statements entered once), not once per ret.
    assert sum(1 for items in entered if items is body) == 2


def test_a_genmask_input_check_is_worked_out_as_zero() -> None:
    # GENMASK_ULL()'s input check (the prelude's __sh_bug_on_const()) inside TDX_SEAMCALL_UD left the constant unknown:
    # 'err == TDX_SEAMCALL_UD' moved as '(err | 0x10) == (TDX_SEAMCALL_UD | 0x10)' got no answers next to UD, none ran
    # UD ^ 0x10 (where the two differ), and the moves rule passed on the matrix's answers alone.
    from models.neighbours import neighbour_values

    code = """typedef unsigned long long u64;
#define GM(h, l) (__sh_bug_on_const((l) > (h)) + (((~0ULL) - (1ULL << (l)) + 1) & (~0ULL >> (64 - 1 - (h)))))
#define UD ((1ULL << 63) | GM(47, 40) | 6)
static inline int f(u64 err)
{
	if ((err | 0x10) == (UD | 0x10))
		return 1;
	return 0;
}"""
    program = load_program((Source("a/p.h", ((1, tuple(code.split("\n"))),), True),), (EntryPoint("f"),))
    cond = program.functions["f"].body.block_items[0].cond
    assert condeval.exact(condeval.Eval(program), cond.right) == 0x8000FF0000000016
    assert 0x8000FF0000000006 in neighbour_values(program, cond)
    checked = cond.right.left.left.right.left  # __sh_bug_on_const(40 > 47)
    assert isinstance(checked, condeval.c_ast.FuncCall)
    failing = condeval.c_ast.FuncCall(checked.name, condeval.c_ast.ExprList([condeval.c_ast.Constant("int", "1")]))
    assert condeval.Eval(program).value(failing) is None  # a check that fails does not build
