"""Calls through a const table written as kernel code writes them, read as gcc reads them (models.consttables).

``(*t[k].m)(...)``, an entry written ``&f``, a member of a nested struct ``t[k].inner.m(...)`` and a table
designated and indexed by an enumerator: each entry checked against what gcc builds, and a call through it compared
as the call it replaces."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.consttables import flat_table
from models.valueexprs import changed_values
from tests.models.test_tableinit import OLD, F, _program
from tests.models.test_tableinit import TABLES as BASE_TABLES

TABLES = """enum tdx_op { OP_LO, OP_HI, OP_NR };
struct inner_ops {
	u64 (*check)(call_t call, u64 fn);
};
struct outer {
	call_t call;
	struct inner_ops inner;
};
static const struct ops amp[] = { { .call = &lo, .check = &checked }, { &hi, &loose } };
static const struct outer nest[] = { { lo, { checked } }, { .call = hi, .inner.check = loose } };
static const struct ops by_enum[OP_NR] = { [OP_HI] = { hi, loose }, [OP_LO] = { .call = lo, .check = checked } };
"""


def _changed(new: str) -> list[tuple[str, str, tuple[int, ...]]]:
    text = BASE_TABLES + TABLES + F
    return [(c.name, c.b_where, c.apart) for c in changed_values(
        _program(text), _program(text.replace(OLD, new)), [0x8000020300000000])]


@pytest.mark.parametrize("new", [
    "\treturn (*amp[0].check)(amp[0].call, fn);",
    "\treturn amp[0].check(amp[0].call, fn);",
    "\treturn nest[0].inner.check(nest[0].call, fn);",
    "\treturn by_enum[OP_LO].check(by_enum[OP_LO].call, fn);",
    "\treturn (*by_enum[OP_LO].check)(by_enum[OP_LO].call, fn);",
    "\tconst struct outer *o = &nest[0];\n\n\treturn o->inner.check(o->call, fn);",
])
def test_a_call_through_a_table_as_kernel_code_writes_it_is_the_call_it_replaces(new: str) -> None:
    # Before: [('', 'a/f.h:NN', ())], "not worked out": the deref, the '&f' entry, the nested member and the
    # enumerator index were not read.
    assert _changed(new) == []


@pytest.mark.parametrize("new", [
    "\treturn (*amp[1].check)(amp[1].call, fn);",
    "\treturn nest[1].inner.check(nest[1].call, fn);",
    "\treturn by_enum[OP_HI].check(by_enum[OP_HI].call, fn);",
])
def test_the_other_entry_is_the_other_call_written_out(new: str) -> None:
    written = _changed("\treturn loose(hi, fn);")
    assert written and written[0][2]
    assert _changed(new) == written


def test_an_index_not_constant_stays_not_worked_out() -> None:
    new = "\treturn (*amp[i].check)(amp[i].call, fn);"
    assert _changed(new) and not _changed(new)[0][2]


_NAMES = ("lo", "hi", "checked", "loose")
PLACES = (("amp", 0, ("call",)), ("amp", 0, ("check",)), ("amp", 1, ("call",)), ("amp", 1, ("check",)),
          ("nest", 0, ("call",)), ("nest", 0, ("inner", "check")), ("nest", 1, ("call",)),
          ("nest", 1, ("inner", "check")), ("by_enum", 0, ("call",)), ("by_enum", 0, ("check",)),
          ("by_enum", 1, ("call",)), ("by_enum", 1, ("check",)))


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_each_entry_is_what_gcc_builds(tmp_path: Path) -> None:
    body = "".join(f'\tSAY({t}, {i}, {".".join(m)});\n' for t, i, m in PLACES)
    main = """
u64 lo(u64 fn) { return fn; }
u64 hi(u64 fn) { return fn; }
#include <stdio.h>
#define SAY(t, i, m) printf("%s %d %s %s\\n", #t, i, #m, \\
	(void *)t[i].m == (void *)lo ? "lo" : (void *)t[i].m == (void *)hi ? "hi" : \\
	(void *)t[i].m == (void *)checked ? "checked" : (void *)t[i].m == (void *)loose ? "loose" : "0")
int main(void)
{
""" + body + "\treturn 0;\n}\n"
    src = tmp_path / "t.c"
    src.write_text(BASE_TABLES + TABLES + main)
    subprocess.run(["gcc", "-O2", "-w", "-o", str(tmp_path / "t"), str(src)], check=True, timeout=120)
    lines = subprocess.run([str(tmp_path / "t")], capture_output=True, text=True, check=True, timeout=60).stdout
    # f reads each table, so the program (sliced from f) holds them.
    program = _program(BASE_TABLES + TABLES + F.replace(OLD, "\treturn amp[0].call(fn) + nest[0].call(fn) + "
                                                                "by_enum[0].call(fn);"))
    for line in lines.splitlines():
        table, i, member, name = line.split()
        got = flat_table(program, "f", table, int(i), tuple(member.split(".")))
        assert (got or "0") == name, line
    assert len(lines.splitlines()) == len(PLACES)
