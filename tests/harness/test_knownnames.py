"""harness.knownnames: the values a condition's names hold, worked out from declarations and stores, or not.

gcc is the oracle of the values worked out (each printed by a program built from the same code); a name the code
stores otherwise (stepped, its address taken) or that code no run executes may set holds none."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.knownnames import SET_OUTSIDE, file_names, local_names
from models.cload import Program, load_program
from models.loader import EntryPoint, Source

CODE = ("typedef unsigned long long u64;\nenum demo_code { DEMO_A = 3, DEMO_B, DEMO_C = DEMO_B * 4 };\n"
        "static int demo_limit = 4 + 2;\nstatic const u64 demo_mask = 0xff00ULL >> 4;\nstatic int demo_count;\n"
        "static int demo_seen = 1;\n\nstatic void demo_bump(void)\n{\n\tdemo_seen++;\n}\n\n"
        "int pick(u64 fn)\n{\n\tint once = DEMO_B + 1;\n\tunsigned char small = 300;\n\tint stepped = 2;\n"
        "\tint *p = &once;\n\n\tstepped++;\n\tdemo_bump();\n"
        "\treturn once + small + stepped + *p + demo_count + demo_limit + demo_mask + demo_seen;\n}\n")


def _program() -> Program:
    return load_program((Source("k/p.c", ((1, tuple(CODE.split("\n"))),), True),), (EntryPoint("pick", ("fn",)),))


def _gcc(tmp_path: Path, exprs: list[str]) -> list[int]:
    body = "".join(f'\tprintf("%lld\\n", (long long)({e}));\n' for e in exprs)
    src = tmp_path / "k.c"
    src.write_text("#include <stdio.h>\n" + CODE + "int main(void)\n{\n\tint once = DEMO_B + 1;\n"
                   "\tunsigned char small = 300;\n" + body + "\treturn 0;\n}\n")
    subprocess.run(["gcc", "-w", "-o", str(tmp_path / "k"), str(src)], check=True)
    out = subprocess.run([str(tmp_path / "k")], check=True, capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle of C's values, is not installed")
def test_the_values_worked_out_are_gccs(tmp_path: Path) -> None:
    program = _program()
    names = local_names(program, "pick")
    known = ["DEMO_A", "DEMO_B", "DEMO_C", "demo_limit", "demo_mask", "small"]  # small: 300 stored in 8 bits
    assert [names[n].value for n in known] == _gcc(tmp_path, known)


def test_a_name_stored_otherwise_or_set_outside_holds_no_one_value() -> None:
    program = _program()
    names = local_names(program, "pick")
    assert names["stepped"].value is None  # stepped after its initializer
    assert names["once"].value is None  # its address taken: stored through p, for all this reads
    assert names["demo_seen"].value is None  # a function steps it
    outside = file_names(program, frozenset({"demo_limit"}))
    assert outside["demo_limit"].value is None and file_names(program)["demo_limit"].value == 6
    assert SET_OUTSIDE in outside["demo_limit"].shape and SET_OUTSIDE not in file_names(program)["demo_limit"].shape
