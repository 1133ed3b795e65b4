"""IS_ERR() and IS_ERR_OR_NULL() of a pointer into an array, or an array, are false.

IS_ERR() and IS_ERR_OR_NULL() of a pointer into an array, or of an array itself, are false: include/linux/err.h
IS_ERR_VALUE() asks whether the address is in the last page of the address space, where no object is (x86-64's
kernel data lies below it). The mirror refused them ("a pointer into an array passed to __sh_is_err()"); an error
pointer and NULL beside them are still told apart. Both builds run the same C."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import agrees_with_gcc

IS_ERR_H = """\
static int ie_table[4];

static int *ie_pick(u64 ret, int *local)
{
	if (ret & 1)
		return ERR_PTR(-EIO);
	return ret & 2 ? local + 1 : &ie_table[2];
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	int mine[3] = { 1, 2, 3 };
	int *p = ie_pick(ret, mine);

	return IS_ERR(p) * 1000 + IS_ERR_OR_NULL(&ie_table[1]) * 100 + IS_ERR(ie_table) * 10
		+ IS_ERR_OR_NULL(mine) + (p == &ie_table[2]) * 10000;
}
"""


def test_a_pointer_into_an_array_is_never_an_error_pointer_as_gcc_runs_it(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ie", "demo/ie.h", IS_ERR_H, 0x8000020300000043, (10000, 1000))
