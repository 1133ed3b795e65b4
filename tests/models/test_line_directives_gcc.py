"""``#line`` in a body with a comment or a backslash-newline running on past its line; ``#line`` at file scope.

gcc reads a comment as one space before it reads directives (C11 5.1.1.2p1 phase 3): a ``/* ... */`` running on
past a ``#line N`` line (after its number, inside it, after a backslash-newline, one comment after another) is part
of the directive, and the line after the comment's last is N. The slicer blanked comments to their line breaks, so
the directive ended on its first line and every line below was numbered one late per line of the comment (and ``#line
/* a`` newline ``*/ 100`` was "unexpected end of file"); a backslash-newline before an empty line or a comment alone
did the same in the preprocessor (the last token's line taken for the directive's last). gcc, compiling and running
the same functions, is the oracle. A ``#line`` at file scope renumbers the definitions below it, which the mirror
does not follow: nothing runs, saying so, where the numbers would have been the file's."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import GCC, run

_HEADS = ("#line 100", "# 100", "#line /* a\n */ 100", "#  line 100")
_TAILS = ("", " /* a */", " /* a\n b */", " /* a\n\n b */ ", " /* a */ \\\n", " \\\n /* a\n */", " // c",
          " /* a\n b */ /* c\n d */")
_AFTERS = ("", "/* z\n */\n", "\n", "#define SH_M(x) x\n")
# f<k>'s body: a comment of its own above the directive, the directive, what follows it, a return of __LINE__
_CASES = [(f"long long f{k}(u64 fn, struct tdx_module_args *args)\n{{\n\tint q = 1; /* x\n y */\n{h}{t}\n{a}"
           "\treturn __LINE__ * 10 + q;\n}\n")
          for k, (h, t, a) in enumerate(itertools.product(_HEADS, _TAILS, _AFTERS))]
_SHIM = "#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\n"


def _gcc_values(tmp_path: Path) -> list[int]:
    assert GCC is not None
    src, exe = tmp_path / "lines.c", tmp_path / "lines"
    calls = "".join(f'\tprintf("%lld\\n", f{k}(0, 0));\n' for k in range(len(_CASES)))
    src.write_text(_SHIM + "".join(_CASES) + f"int main(void)\n{{\n{calls}\treturn 0;\n}}\n")
    subprocess.run([GCC, "-w", "-o", str(exe), str(src)], check=True, capture_output=True)
    return [int(x) for x in subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()]


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_a_line_directive_a_comment_or_splice_runs_on_from_numbers_the_lines_as_gcc(tmp_path: Path) -> None:
    want = _gcc_values(tmp_path)
    got = []
    for k, case in enumerate(_CASES):  # each on its own (what follows a #line in it is numbered from there)
        out = run(case, entry=f"f{k}")
        assert out.status == "ok", (case, out.error)
        got.append(out.ret)
    wrong = [(c, g, w) for c, g, w in zip(_CASES, got, want, strict=True) if g != w]
    assert not wrong, wrong[:3]


def test_a_comment_past_a_line_directive_is_one_of_its_spaces() -> None:
    # the directive's last line is the comment's: before, 101 (the blanked comment's line one of the code's)
    code = "long long f(u64 fn, struct tdx_module_args *args)\n{\n#line 100 /* a\n b */\n\treturn __LINE__;\n}\n"
    assert (run(code).status, run(code).ret) == ("ok", 100)


@pytest.mark.parametrize("directive", ["#line 100", "# 100", "#line 100 /* a\n b */"])
def test_a_line_directive_at_file_scope_runs_nothing_and_says_why(directive: str) -> None:
    # gcc: 102 (the #line renumbers the function below it); the mirror gave the file's line, 4
    code = f"{directive}\nlong long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn __LINE__;\n}}\n"
    out = run(code)
    assert out.status == "error" and out.ret is None, out
    assert "test/prog.c:1: '#line 100' at file scope" in (out.error or "") or \
        "test/prog.c:1: '# 100' at file scope" in (out.error or ""), out.error
    assert run(code.replace(directive, "/* no directive */")).ret == 4
