"""#undef __LINE__ / __COUNTER__ leaves the identifier, as gcc building the same file does.

``#undef __LINE__`` and ``#undef __COUNTER__`` above a function: gcc leaves the name an identifier from there on
(an undeclared one, so the unit does not build, unless the code defines it again). The mirror's preprocessor
expanded both whatever the #undef said, so a function using __LINE__ below it ran with a line number gcc never
gives. The oracle is gcc building the same file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import gcc_returns, run

GCC = shutil.which("gcc")
F = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn RET;\n}\n"
SHIM = "#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\n#line 1\n"  # the code from line 1


def _gcc_builds(tmp_path: Path, code: str) -> bool:
    src = tmp_path / "u.c"
    src.write_text(SHIM + code)
    assert GCC is not None
    return subprocess.run([GCC, "-fsyntax-only", "-std=gnu11", str(src)], capture_output=True).returncode == 0


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("code", [
    "#undef __LINE__\n" + F.replace("RET", "__LINE__"),
    "#define L __LINE__\n#undef __LINE__\n" + F.replace("RET", "L"),
    "#undef __COUNTER__\n" + F.replace("RET", "__COUNTER__"),
    "#undef __LINE__\n#define __LINE__ 42\n" + F.replace("RET", "__LINE__"),
    "#define L __LINE__\n#undef __LINE__\n#define __LINE__ 7\n" + F.replace("RET", "L * 10"),
    F.replace("RET", "__LINE__") + "#undef __LINE__\n",
    "#undef __COUNTER__\n#define __COUNTER__ 5\n" + F.replace("RET", "__COUNTER__ + __COUNTER__"),
])
def test_an_undefined_line_or_counter_is_what_gcc_builds(tmp_path: Path, code: str) -> None:
    assert GCC is not None
    out = run(code)
    if not _gcc_builds(tmp_path, code):  # '__LINE__' undeclared: no value to run with
        assert (out.status, str(out.error_kind)) == ("error", "unsupported"), (out.ret, code)
        assert "prog.c:" in (out.error or "")
        return
    [want] = gcc_returns(tmp_path, SHIM + code, [0], GCC)
    assert (out.status, out.ret) == ("ok", want), (out.error, code)
