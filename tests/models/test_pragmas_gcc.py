"""``#pragma`` and ``_Pragma("...")`` in a function body, against gcc building and running the same function.

Every pragma in a body was refused ("construct 'Pragma' is not modelled"), the kernel's ``__diag_push()`` /
``_Pragma("GCC diagnostic ...")`` and a loop's ``GCC unroll`` too. Now a pragma that changes nothing a run sees runs
as gcc builds it, ``GCC error`` is gcc's build failure, and the rest (and a loop pragma gcc refuses) is refused at
its line. gcc (-Wall, no -Werror: kbuild's default) is the oracle: where it builds, the mirror gives its value or
refuses naming the line; where it does not, the mirror never runs the function."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from models.pragmas import pragma_text
from tests.models.cprog import GCC, run

HEAD = "long long f{k}(u64 fn, struct tdx_module_args *args)\n{{\n\tint a = 1;\n"
BODIES = (
    '#pragma GCC diagnostic push\n#pragma GCC diagnostic ignored "-Wunused-variable"\n\tint u;\n'
    "#pragma GCC diagnostic pop\n\ta += 2;\n",
    '\t_Pragma("GCC diagnostic push") a += 4; _Pragma("GCC diagnostic pop")\n',
    '#pragma GCC diagnostic warning "-Wunused-variable"\n\ta += 8;\n',
    '#pragma message "built"\n\ta += 16;\n',
    '#pragma GCC warning "careful"\n\ta += 32;\n',
    "#pragma GCC unroll 4\n\tfor (int i = 0; i < 3; i++)\n\t\ta += 10;\n",
    '\t_Pragma("GCC unroll 2") while (a < 50)\n\t\ta += 7;\n',
    "#pragma GCC ivdep\n#pragma GCC unroll 8\n\tdo\n\t\ta *= 3;\n\twhile (a < 100);\n",
    "\tif (a)\n#pragma GCC diagnostic push\n\t\ta += 64;\n",
    "#define SH_Q(x) _Pragma(#x)\n\tSH_Q(GCC diagnostic push) a += 128;\n",
    # gcc refuses these: never run
    '#pragma GCC error "no"\n\ta += 1;\n',
    "#pragma GCC unroll 4\n\ta += 1;\n",
    "#pragma GCC unroll 4\n\tfor (;;)\n\t\tbreak;\n",
    "#pragma GCC unroll 70000\n\twhile (a < 9)\n\t\ta++;\n",
    '#pragma GCC optimize("O2")\n\ta += 1;\n',
    "#pragma GCC unroll 4\n#pragma GCC diagnostic push\n\twhile (a < 9)\n\t\ta++;\n",
    # gcc builds these; the mirror refuses them (they may change the build, or are not modelled)
    "#pragma pack(1)\n\ta += 1;\n",
    "#pragma omp parallel\n\ta += 1;\n",
)
_SHIM = "#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\n"


def _program(k: int) -> str:
    return HEAD.format(k=k) + BODIES[k] + "\treturn a;\n}\n"


def _gcc(tmp_path: Path, k: int) -> int | None:
    """What gcc's build of f<k> returns; None where gcc does not build it."""
    assert GCC is not None
    src, exe = tmp_path / f"p{k}.c", tmp_path / f"p{k}"
    src.write_text(_SHIM + _program(k) + f'int main(void) {{ printf("%lld\\n", f{k}(0, 0)); return 0; }}\n')
    if subprocess.run([GCC, "-Wall", "-o", str(exe), str(src)], capture_output=True, check=False).returncode:
        return None
    return int(subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout)


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_a_pragma_in_a_body_runs_as_gcc_builds_it_or_is_refused_at_its_line(tmp_path: Path) -> None:
    ran = []
    for k in range(len(BODIES)):
        want, out = _gcc(tmp_path, k), run(_program(k), entry=f"f{k}")
        if out.status == "ok":
            assert want is not None and out.ret == want, (BODIES[k], out.ret, want)
            ran.append(k)
        else:
            assert out.ret is None and "test/prog.c:" in (out.error or "") and "pragma" in (out.error or ""), \
                (BODIES[k], out.error)
    assert ran == list(range(10)), ran  # the first ten, which change nothing a run sees, all run


def test_gcc_error_is_a_build_failure_and_the_rest_are_said_at_their_line() -> None:
    said = {k: run(_program(k), entry=f"f{k}").error or "" for k in (10, 11, 16)}
    assert 'test/prog.c:4: #pragma GCC error "no": gcc stops the build here' in said[10]
    assert "test/prog.c:4: '#pragma GCC unroll 4' not before a while, do or for loop" in said[11]
    assert "test/prog.c:4: '#pragma pack(1)' in a function body is not modelled" in said[16]


def test_a_pragma_operator_is_read_as_its_destringized_text() -> None:
    from pycparser import c_ast
    assert pragma_text(c_ast.Pragma(c_ast.Constant("string", '"GCC diagnostic ignored \\"-Wx\\""'))) == \
        'GCC diagnostic ignored "-Wx"'
    assert pragma_text(c_ast.Pragma(" GCC unroll 4 ")) == "GCC unroll 4"
