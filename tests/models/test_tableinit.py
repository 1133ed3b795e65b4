"""A const table's initialiser read as C places it (models.tableinit), checked against gcc.

A const table's initialiser read as C places it (models.tableinit): nested designators, elided braces, a typedef'd
struct, a table of pointers to tables; each entry checked against what gcc builds, and a refactor calling through
such an entry compared as the call it replaces (models.consttables)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pycparser import c_ast, c_parser

from models.cload import Program, load_program
from models.consttables import _number
from models.loader import EntryPoint, Source
from models.tableinit import flattened
from models.valueexprs import changed_values
from tests.models.test_consttables import OPS

TABLES = OPS + """typedef struct {
	call_t call;
	u64 (*check)(call_t call, u64 fn);
} ops_t;
static const struct ops nested[] = { [1].check = loose, [0].call = lo, [0].check = checked, [1].call = hi };
static const struct ops elided[2] = { lo, checked, hi, loose };
static const ops_t typed[] = { { lo, checked }, { hi, loose } };
static const struct ops *const tables[] = { &elided[1], nested };
static const struct ops overridden[] = { [0].call = hi, [0] = { .check = checked, .call = lo } };
static const struct ops mixed[] = { [0].call = lo, checked };
"""
F = """u64 f(u64 err, u64 fn, int i)
{
	return checked(lo, fn);
}"""
OLD = "\treturn checked(lo, fn);"


def _program(text: str) -> Program:
    return load_program((Source("a/f.h", ((1, tuple(text.split("\n"))),), True),), (EntryPoint("f"),))


def _changed(new: str) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(c.name, c.b_where, c.apart) for c in changed_values(
        _program(TABLES + F), _program(TABLES + F.replace(OLD, new)), [0x8000020300000000])]


@pytest.mark.parametrize("new", [
    "\treturn nested[0].check(nested[0].call, fn);",
    "\treturn elided[0].check(elided[0].call, fn);",
    "\treturn typed[0].check(typed[0].call, fn);",
    "\treturn tables[1]->check(tables[1]->call, fn);",
    "\tconst struct ops *ops = tables[1];\n\n\treturn ops->check(ops->call, fn);",
    "\treturn overridden[0].check(overridden[0].call, fn);",
])
def test_a_call_through_an_entry_read_as_c_places_it_is_the_call_it_replaces(new: str) -> None:
    # Before: [('', 'a/f.h:NN', ())]: nested designators, elided braces, a typedef'd struct and a table of pointers
    # were not read, so the refactor stayed "not worked out".
    assert _changed(new) == []


def test_an_entry_not_read_stays_not_worked_out() -> None:
    new = "\treturn mixed[0].check(mixed[0].call, fn);"  # a positional initialiser after a nested designator
    line = (TABLES + F.replace(OLD, new)).split("\n").index(new) + 1
    assert _changed(new) == [("", f"a/f.h:{line}", ())]


def test_another_entry_is_compared_as_its_call_written_out() -> None:
    # tables[0] points at elided[1]: loose(hi, fn), compared as that call written out is (checked()'s body against
    # loose()'s: a value found apart), never taken for the same.
    written = _changed("\treturn loose(hi, fn);")
    assert written and written[0][2]
    assert _changed("\treturn tables[0]->check(tables[0]->call, fn);") == written


_NAMES = ("lo", "hi", "checked", "loose")
_MAIN = """
u64 lo(u64 fn) { return fn; }
u64 hi(u64 fn) { return fn; }
#include <stdio.h>
#define SAY(t, i, m) printf("%s %d %s %s\\n", #t, i, #m, \\
	(void *)t[i].m == (void *)lo ? "lo" : (void *)t[i].m == (void *)hi ? "hi" : \\
	(void *)t[i].m == (void *)checked ? "checked" : (void *)t[i].m == (void *)loose ? "loose" : "0")
int main(void)
{
""" + "".join(f"\tSAY({t}, {i}, {m});\n" for t in ("nested", "elided", "typed", "overridden") for i in (0, 1)
              for m in ("call", "check")) + "\treturn 0;\n}\n"


def _flat_names(table: str) -> dict[tuple[int, str], str]:
    ast = c_parser.CParser().parse(TABLES)
    decl = next(d for d in ast.ext if isinstance(d, c_ast.Decl) and d.name == table)
    structs = {n.name: n for n in ast.ext if isinstance(n, c_ast.Decl) and isinstance(n.type, c_ast.Struct)
               for n in (n.type,) if n.name}
    typedefs = {t.name: t.type for t in ast.ext if isinstance(t, c_ast.Typedef)}
    flat = flattened(decl, structs, typedefs, _number)
    assert flat is not None, table
    return {(int(k[0]), str(k[1])): v.name for k, v in flat.items() if isinstance(v, c_ast.ID) and v.name in _NAMES}


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc")
def test_each_entry_is_what_gcc_builds(tmp_path: Path) -> None:
    src = tmp_path / "t.c"
    src.write_text(TABLES + _MAIN)
    subprocess.run(["gcc", "-O2", "-w", "-o", str(tmp_path / "t"), str(src)], check=True, timeout=120)
    lines = subprocess.run([str(tmp_path / "t")], capture_output=True, text=True, check=True, timeout=60).stdout
    for line in lines.splitlines():
        table, i, member, name = line.split()
        assert _flat_names(table).get((int(i), member), "0") == name, line
    assert len(lines.splitlines()) == 16
