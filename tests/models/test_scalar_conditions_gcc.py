"""A condition of void or struct/union type is a build failure at its FILE:LINE, as gcc makes it.

A condition (if, while, do, for, ?:, ?: of GNU C, &&, ||, !) of void or struct/union type is a build failure at
its FILE:LINE, as gcc makes it: the mirror took every value that is not an integer for a pointer, so that
``if (void_call())`` ran as false and ``if (a_struct)`` as true."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import run

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
PRE = "struct s { int a; };\nunion u { int a; };\nstatic void v(void)\n{\n}\nstatic struct s gs;\nstatic union u gu;\n"
HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tlong long r = 0;\n\n"
VOID, STRUCT, UNION = ("void value not ignored", "used struct type value where scalar", "used union type value where "
                       "scalar")
CASES = [
    ("\tif (v())\n\t\tr = 1;\n", VOID),
    ("\twhile (gs)\n\t\tbreak;\n", STRUCT),
    ("\tdo {\n\t} while (v());\n", VOID),
    ("\tfor (; gu;)\n\t\tbreak;\n", UNION),
    ("\tr = gs ? 1 : 2;\n", STRUCT),
    ("\tr = v() && fn;\n", VOID),
    ("\tr = fn || gu;\n", UNION),
    ("\tr = !gs;\n", STRUCT),
    ("\tr = (gs ?: gs).a;\n", STRUCT),
]


def _gcc(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "cond.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n" + PRE + HEAD + body
                   + "\treturn r;\n}\n")
    return subprocess.run([str(GCC), "-fsyntax-only", str(src)], capture_output=True, text=True, check=False)


def _line(stderr: str) -> int:
    """The line of gcc's first error, in the mirror's numbering (the mirror's text lacks the two typedef lines)."""
    first = next(ln for ln in stderr.splitlines() if ": error: " in ln)
    return int(first.split(":")[1]) - 2


@pytest.mark.parametrize(("body", "says"), CASES)
def test_a_condition_of_no_scalar_type_fails_the_build_where_gcc_fails_it(tmp_path: Path, body: str, says: str) -> None:
    res = _gcc(tmp_path, body)
    assert res.returncode != 0, "gcc built it"
    out = run(PRE + HEAD + body + "\treturn r;\n}\n")
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.ret)
    assert (out.error or "").startswith(f"test/prog.c:{_line(res.stderr)}: {says}"), (out.error, res.stderr)


@pytest.mark.parametrize("body", ["\tif (gs.a || &gs)\n\t\tr = 1;\n", "\tr = !v && (long)&gu;\n",
                                  "\tr = (gs.a ?: 4) + !!args;\n"])
def test_conditions_of_scalar_type_still_run(tmp_path: Path, body: str) -> None:
    assert _gcc(tmp_path, body).returncode == 0
    out = run(PRE + HEAD + body + "\treturn r;\n}\n")
    assert out.status == "ok", out.error
