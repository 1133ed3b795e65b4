"""A void, struct or union operand, or a subscript of no integer type, is gcc's build failure at its FILE:LINE.

An operand of arithmetic, a relation, a compound assignment or a unary operator, in gcc's words: the mirror took such
an operand for a pointer ("pointer arithmetic (+)", not run) and an index of void reached Python's comparison of None
(an internal error).

A pr_<level>_ratelimited() is a statement expression ending in an if: its value is void, so that
``n += pr_warn_ratelimited(...)`` is gcc's build error, now the mirror's too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import run

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
PRE = "struct s { int a; };\nunion u { int a; };\nstatic void v(void)\n{\n}\nstatic struct s gs;\nstatic union u gu;\n"
HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tlong long r = 0, a[2] = { 0 }, *p = a;\n\n"
CASES = [
    "\tr = 3 + v();\n",
    "\tr = fn * v();\n",
    "\tr = v() < 1;\n",
    "\tr = 1 ^ v();\n",
    "\tr += v();\n",
    "\tr <<= v();\n",
    "\tr = ({ if (fn) r++; }) * 10;\n",
    "\tr = -v();\n",
    "\tr = ~v();\n",
    "\tr = +v();\n",
    "\tr = a[v()];\n",
    "\tr = a[gs];\n",
    "\tr = p[v()];\n",
    "\tr = p[p];\n",
    "\tr = gs + 1;\n",
    "\tr = 1 < gs;\n",
    "\tr += gs;\n",
    "\tr = gs == gs;\n",
    "\tr = gu * 2;\n",
    "\tr = p - gs;\n",
    "\tr = -gs;\n",
    "\tr = ~gu;\n",
    "\tr = +gs;\n",
]


def _gcc(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "void.c"
    src.write_text("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n" + PRE + HEAD + body
                   + "\treturn r;\n}\n")
    return subprocess.run([str(GCC), "-fsyntax-only", str(src)], capture_output=True, text=True, check=False)


def _first_error(stderr: str) -> tuple[int, str]:
    """gcc's first error: its line in the mirror's numbering (the mirror's text lacks the two typedef lines), its
    message (without the operands' types gcc adds to "invalid operands to binary +": the mirror says none)."""
    first = next(ln for ln in stderr.splitlines() if ": error: " in ln)
    return int(first.split(":")[1]) - 2, first.split(": error: ", 1)[1].split(" (have ")[0]


@pytest.mark.parametrize("body", CASES)
def test_a_void_or_struct_operand_or_a_non_integer_subscript_fails_the_build_as_gcc_does(tmp_path: Path,
                                                                                       body: str) -> None:
    res = _gcc(tmp_path, body)
    assert res.returncode != 0, "gcc built it"
    line, says = _first_error(res.stderr)
    out = run(PRE + HEAD + body + "\treturn r;\n}\n")
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.ret, out.error)
    assert out.error == f"test/prog.c:{line}: {says}", (out.error, res.stderr)


@pytest.mark.parametrize(("body", "ret"), [
    ("\tr = 3 + (v(), 4);\n", 7), ("\tr = a[(v(), 1)] + p[(long)!fn];\n", 0), ("\tv();\n\tr = (fn, 5) * 2;\n", 10),
    ("\tr = -gs.a + ~gu.a + (gs, 2);\n", 1),
])
def test_a_void_value_discarded_or_a_member_still_runs(tmp_path: Path, body: str, ret: int) -> None:
    assert _gcc(tmp_path, body).returncode == 0
    out = run(PRE + HEAD + body + "\treturn r;\n}\n")
    assert (out.status, out.ret) == ("ok", ret), out.error
