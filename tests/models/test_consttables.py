"""A value read from a static const table at a constant index is the table's entry (models.consttables)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.valueexprs import changed_values
from tests.harness.variantgen import agrees_with_gcc

# Two helpers, the callees they take and the ops struct naming both (tests/models/test_tableinit.py too).
OPS = """typedef unsigned long long u64;
typedef u64 (*call_t)(u64 fn);
u64 lo(u64 fn);
u64 hi(u64 fn);
static u64 checked(call_t call, u64 fn)
{
	return call(fn) & 0xff;
}
static u64 loose(call_t call, u64 fn)
{
	return call(fn);
}
struct ops {
	call_t call;
	u64 (*check)(call_t call, u64 fn);
};
"""
TABLE = OPS + """static const struct ops tbl[] = {
	{ .call = lo, .check = checked },
	[1] = { hi, loose },
};
static struct ops open_tbl[] = {
	{ .call = lo, .check = checked },
};
u64 f(u64 err, u64 fn, int i)
{
	return checked(lo, fn);
}"""
OLD = "\treturn checked(lo, fn);"


def _program(text: str) -> Program:
    return load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def _changed(new: str) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(c.name, c.b_where, c.apart) for c in changed_values(_program(TABLE), _program(TABLE.replace(OLD, new)),
                                                                 [0x8000020300000000])]


@pytest.mark.parametrize("new", [
    "\treturn tbl[0].check(tbl[0].call, fn);",
    "\tconst struct ops *ops = &tbl[0];\n\n\treturn ops->check(ops->call, fn);",
    "\treturn tbl->check(tbl->call, fn);",
    "\treturn (&tbl[1 - 1])->check(tbl[0].call, fn);",
])
def test_a_call_through_a_const_tables_entry_is_the_call_of_its_functions(new: str) -> None:
    # Before: [('', 'a/f.h:NN', ())]: a read through a member, said as not worked out ("whether it changes behaviour
    # is not known") of a refactor that calls the very functions it called.
    assert _changed(new) == []


@pytest.mark.parametrize("new", [
    "\treturn tbl[i].check(tbl[i].call, fn);",  # which entry is not known
    "\treturn open_tbl[0].check(open_tbl[0].call, fn);",  # not const: code not read may store another function
    "\tconst struct ops *ops = &tbl[0];\n\n\tops = &tbl[i];\n\treturn ops->check(ops->call, fn);",  # stored twice
])
def test_an_entry_not_known_stays_not_worked_out(new: str) -> None:
    assert _changed(new) == [("", "a/f.h:" + str(TABLE.replace(OLD, new).split("\n").index(new.split("\n")[-1]) + 1),
                              ())]


def test_the_other_entry_is_compared_as_the_call_written_out() -> None:
    # tbl[1] is loose(hi, fn), other functions than checked(lo, fn): never "the same", and compared as the call
    # written out is, checked()'s body against loose()'s (a value found apart). Before: only [("", "a/f.h:26", ())],
    # not worked out: the table's functions were not among the pairs compared (models.valueexprs._compared).
    written = _changed("\treturn loose(hi, fn);")
    assert written and written[0][2]
    assert _changed("\treturn tbl[1].check(tbl[1].call, fn);") == written


GCC_H = """\
typedef u64 (*tb_call_t)(u64 fn, struct tdx_module_args *args);

static u64 tb_checked(tb_call_t call, u64 fn, struct tdx_module_args *args)
{
	int left = 3;
	u64 ret;

	do {
		ret = call(fn, args);
	} while (ret == 0x42 && --left);
	return ret + left * 1000;
}

static u64 tb_loose(tb_call_t call, u64 fn, struct tdx_module_args *args)
{
	return call(fn, args) * 7;
}

struct tb_ops {
	tb_call_t call;
	u64 (*check)(tb_call_t call, u64 fn, struct tdx_module_args *args);
};

static const struct tb_ops tb_table[] = {
	{ .call = __seamcall, .check = tb_checked },
	[1] = { __seamcall_ret, tb_loose },
};

static long long busy(u64 fn, struct tdx_module_args *args)
{
	const struct tb_ops *ops = &tb_table[0];
	long long r = ops->check(ops->call, fn, args) * 3;

	r += tb_table[1].check(tb_table[1].call, fn, args);
	return r;
}
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs a C compiler")
def test_a_call_through_a_const_struct_table_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "tb", "demo/tb.h", GCC_H, 0x42, (9000, 660))  # gcc's
