"""models.caselabels: a case decision holds where gcc's build takes the case, a label wider than the switch too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pycparser import c_ast, c_parser

from models.cload import Program
from models.condeval import truth_at
from models.neighbours import case_decisions

TYPES = ("typedef unsigned long long u64;\ntypedef unsigned int u32;\ntypedef unsigned char u8;\n"
         "typedef long long s64;\n")
HELPERS = ("static u32 narrow(u64 fn)\n{\n\treturn fn;\n}\n\nstatic int small(u64 fn)\n{\n\treturn fn;\n}\n\n"
           "static u8 byte(u64 fn)\n{\n\treturn fn;\n}\n\n")
# Each function returns the number of the case taken (1, 2, ...), 0 for none: the gcc side of each decision.
SWITCHES = {
    "on_call": ("narrow(fn)", ("0xffffffffffffffffULL", "0x100000005ULL", "7")),
    "on_int_call": ("small(fn)", ("0x100000005LL", "-1LL", "0x1fffffffeULL")),
    "on_local": ("x", ("0xffffffffffffffffULL", "0x1000000000000007LL", "-2")),
    "on_cast": ("(u32)fn", ("0xfffffffffffffffeULL", "5")),
    "on_byte": ("byte(fn)", ("0x100", "0xffffffffffffffffULL", "255")),
    "on_wide": ("fn", ("0xffffffffffffffffULL", "0xffffffff", "5")),
}
_NAME = {"on_local": "x"}  # the name the switch reads, given the value (u32 x = fn: the value it holds)
VALUES = (0, 5, 7, 0xfe, 0xff, 0x100, 0xfffffffe, 0xffffffff, 0x100000005, 0xffffffffffffffff)


def _code() -> str:
    out = [TYPES, HELPERS]
    for name, (on, labels) in SWITCHES.items():
        local = "\tu32 x = fn;\n" if on == "x" else ""
        cases = "".join(f"\tcase {label}:\n\t\treturn {k};\n" for k, label in enumerate(labels, 1))
        out.append(f"s64 {name}(u64 fn)\n{{\n{local}\tswitch ({on}) {{\n{cases}\t}}\n\treturn 0;\n}}\n\n")
    return "".join(out)


def _mirror() -> dict[tuple[str, int], int]:
    """(function, value of fn) -> the number of the one case decision that holds there, 0 for none."""
    ast = c_parser.CParser().parse(_code(), "s.c")
    functions = {f.decl.name: f for f in ast.ext if isinstance(f, c_ast.FuncDef)}
    program = Program("caselabels", ast, functions, {}, (), (), {}, [], {})
    out = {}
    for name in SWITCHES:
        for v in VALUES:
            held = [k for k, d in enumerate(case_decisions(program, name), 1)
                    if truth_at(program, name, d.node, ((_NAME.get(name, "fn"), v),))]
            assert len(held) <= 1, (name, v, held)
            out[name, v] = held[0] if held else 0
    return out


def test_a_case_decision_holds_where_gcc_takes_the_case(tmp_path: Path) -> None:
    # Before: a label wider than the switched type was compared as '==' compares, in the label's width: in a switch
    # on a u32 call, 'case 0xffffffffffffffffULL' never held, though gcc takes it at 0xffffffff.
    got = _mirror()
    assert got["on_call", 0xffffffff] == 1 and got["on_int_call", 5] == 1 and got["on_local", 0xffffffff] == 1
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    calls = "".join(f'\tprintf("%lld\\n", {name}({v}ULL));\n' for name in SWITCHES for v in VALUES)
    (tmp_path / "s.c").write_text("#include <stdio.h>\n" + _code() + f"int main(void)\n{{\n{calls}\treturn 0;\n}}\n")
    subprocess.run(["gcc", "-w", "-o", str(tmp_path / "s"), str(tmp_path / "s.c")], check=True, timeout=60)
    out = subprocess.run([str(tmp_path / "s")], capture_output=True, text=True, check=True, timeout=60).stdout
    want = dict(zip(((name, v) for name in SWITCHES for v in VALUES), map(int, out.split()), strict=True))
    assert got == want
