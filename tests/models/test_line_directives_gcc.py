"""``#line`` in a body with a comment or a backslash-newline running on past its line; ``#line`` at file scope.

gcc reads a comment as one space before it reads directives (C11 5.1.1.2p1 phase 3): a ``/* ... */`` running on
past a ``#line N`` line (after its number, inside it, after a backslash-newline, one comment after another) is part
of the directive, and the line after the comment's last is N. The slicer blanked comments to their line breaks, so
the directive ended on its first line and every line below was numbered one late per line of the comment (and ``#line
/* a`` newline ``*/ 100`` was "unexpected end of file"); a backslash-newline before an empty line or a comment alone
did the same in the preprocessor (the last token's line taken for the directive's last). gcc, compiling and running
the same functions, is the oracle. A ``#line N`` at file scope renumbers the definitions below it, which the mirror
follows as gcc does (before, nothing ran); another form (a file name, flags, a macro) runs nothing, saying why."""

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


# A file-scope directive (each head with each tail) above a variable, a macro, and functions: one with blank lines
# past which pcpp writes a marker of its own, one with a #line of its own below a second file-scope one.
_FILE_FUNCS = ("top", "f0", "f1", "f2", "f3")
_FILE_TAILS = ("", " /* a */", " /* a\n b */", " /* a */ \\\n", " // c")


def _file_case(head: str, tail: str) -> str:
    return ("static long long top(void)\n{\n\treturn __LINE__;\n}\n"
            f"{head}{tail}\nstatic const int at = __LINE__;\n#define HERE (__LINE__ * 1000)\n"
            "long long f0(u64 fn, struct tdx_module_args *args)\n{\n\treturn __LINE__ + top() * 100000;\n}\n"
            "long long f1(u64 fn, struct tdx_module_args *args)\n{\n\tint q = at;\n" + "\n" * 8
            + "\treturn HERE + q;\n}\n# 200 /* c\n d */\n"
            "long long f2(u64 fn, struct tdx_module_args *args)\n{\n\tint q = at;\n#line 500\n"
            "\treturn __LINE__ + q;\n}\n"
            "long long f3(u64 fn, struct tdx_module_args *args)\n{\n\treturn __LINE__;\n}\n")


# the file's own path (as cprog's mirror and gcc below are given it): gcc renumbers and still says this file
_OWN_HEADS = ('#line 100 "test/prog.c"', '# 100 "test/prog.c"')
_FILE_CASES = [_file_case(h, t) for h, t in itertools.product(_HEADS + _OWN_HEADS, _FILE_TAILS)]


def _gcc_file_output(tmp_path: Path, code: str, calls: str) -> str:
    """What gcc's build of ``code`` as test/prog.c (the mirror's path: cprog) prints doing ``calls`` in main."""
    assert GCC is not None
    (tmp_path / "test").mkdir(exist_ok=True)
    (tmp_path / "test" / "prog.c").write_text(_SHIM + "#line 1\n" + code
                                               + f"int main(void)\n{{\n{calls}\treturn 0;\n}}\n")
    subprocess.run([GCC, "-w", "-o", "filelines", "test/prog.c"], check=True, capture_output=True, cwd=tmp_path)
    return subprocess.run([str(tmp_path / "filelines")], check=True, capture_output=True, text=True).stdout


def _gcc_file_values(tmp_path: Path, code: str) -> list[int]:
    calls = "".join(f'\tprintf("%lld\\n", (long long){f}({"" if f == "top" else "0, 0"}));\n' for f in _FILE_FUNCS)
    return [int(x) for x in _gcc_file_output(tmp_path, code, calls).split()]


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("code", _FILE_CASES, ids=[f"case{k}" for k in range(len(_FILE_CASES))])
def test_a_line_directive_at_file_scope_numbers_the_definitions_below_it_as_gcc(tmp_path: Path, code: str) -> None:
    # Before: nothing ran ("'#line 100' at file scope ...: not run"); where it ran, __LINE__ was the file's line.
    want = _gcc_file_values(tmp_path, code)
    top = code.replace("static long long top(void)", "long long top(u64 fn, struct tdx_module_args *args)")
    got = [run(top if f == "top" else code, entry=f) for f in _FILE_FUNCS]
    assert [(o.status, o.error) for o in got] == [("ok", None)] * len(got)
    assert [o.ret for o in got] == want


@pytest.mark.parametrize("directive", ['#line 100 "other.c"', "# 100 \"test/prog.c\" 1", "#line 0x10",
                                       "#line 2147483648", "#line SH_AT", "#line 10 \\\n 20"])
def test_a_line_directive_at_file_scope_the_mirror_does_not_follow_runs_nothing_and_says_why(directive: str) -> None:
    # gcc numbers the lines below as it says (another file's name, a macro, flags), or refuses the build: never
    # run with the file's numbers, as it was with '#line 100' before it was followed
    code = f"#define SH_AT 100\n{directive}\nlong long f(u64 fn, struct tdx_module_args *args)\n" \
        "{\n\treturn __LINE__;\n}\n"
    out = run(code)
    assert out.status == "error" and out.ret is None, out
    assert f"test/prog.c:2: '{' '.join(directive.replace(chr(92) + chr(10), ' ').split())}' at file scope" in \
        (out.error or ""), out.error
    assert run(code.replace(directive, "/* no directive */")).ret == 5


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("head", _OWN_HEADS)
def test_a_line_directive_naming_the_files_own_path_at_file_scope_prints_what_gcc_prints(tmp_path: Path,
                                                                                           head: str) -> None:
    # Before: not run ("'#line 100 "test/prog.c"' at file scope ...: not run"), though gcc says the same file
    code = (f"{head}\nlong long f(u64 fn, struct tdx_module_args *args)\n{{\n"
            '\tpr_err("%s:%d\\n", __FILE__, __LINE__);\n\treturn __LINE__;\n}\n')
    shim = '#define pr_err(fmt, ...) printf(fmt, ##__VA_ARGS__)\n'
    want = _gcc_file_output(tmp_path, shim + code, '\tprintf("%lld\\n", f(0, 0));\n').split()
    out = run(code)
    assert (out.status, out.error) == ("ok", None)
    assert [line.text for line in out.log] + [str(out.ret)] == want == ["test/prog.c:102", "103"]


# the file's own path spelled with escapes, which gcc decodes (an octal '/', a hex 'o', an unknown escape it warns
# about and keeps): the same file, __FILE__ as gcc -E writes it
_ESCAPED_HEADS = ('#line 100 "test\\057prog.c"', '# 100 "test/pr\\x6fg.c"', '#line 100 "te\\163t/prog\\.c"')


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("head", _ESCAPED_HEADS)
@pytest.mark.parametrize("where", ["file", "body"])
def test_a_line_directive_spelling_the_files_own_path_with_escapes_is_followed_as_gcc(tmp_path: Path, head: str,
                                                                                        where: str) -> None:
    # Before: at file scope not run (an escape was never followed), in a body refused ("naming ..., not this file")
    body = f"{head}\n" if where == "body" else ""
    code = (f"{'' if body else head + chr(10)}long long f(u64 fn, struct tdx_module_args *args)\n{{\n{body}"
            '\tpr_err("%s:%d\\n", __FILE__, __LINE__);\n\treturn __LINE__;\n}\n')
    shim = '#define pr_err(fmt, ...) printf(fmt, ##__VA_ARGS__)\n'
    want = _gcc_file_output(tmp_path, shim + code, '\tprintf("%lld\\n", f(0, 0));\n').split()
    out = run(code)
    assert (out.status, out.error) == ("ok", None)
    n = 100 if body else 102
    assert [line.text for line in out.log] + [str(out.ret)] == want == [f"test/prog.c:{n}", str(n + 1)]


@pytest.mark.parametrize(("directive", "why"), [
    ('#line 100 "test/prog.c\\\\"', 'naming "test/prog.c\\\\", not this file'),
    ('#line 100 "test/prog\\x"', "\\x used with no following hex digits: gcc stops the build here")])
def test_a_line_directive_whose_escapes_spell_another_name_or_that_gcc_refuses_is_not_run(directive: str,
                                                                                         why: str) -> None:
    code = f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n{directive}\n\treturn __LINE__;\n}}\n"
    out = run(code)
    assert out.status != "ok" and why in (out.error or ""), out
    assert "at file scope" in (run(f"{directive}\n{code}").error or "")


_BELOW = ("long long g(u64 fn, struct tdx_module_args *args)\n{\n#line 500\n\treturn __LINE__;\n}\n"
          "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn __LINE__ * 1000 + g(fn, args);\n}\n")


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
def test_a_line_directive_in_a_body_numbers_the_definitions_below_it_too(tmp_path: Path) -> None:
    # gcc: f's return is line 504 (the directive holds to the end of the file); before, the file's line 8
    src, exe = tmp_path / "below.c", tmp_path / "below"
    src.write_text(_SHIM + "#line 1\n" + _BELOW + 'int main(void)\n{\n\tprintf("%lld\\n", f(0, 0));\n}\n')
    subprocess.run([GCC or "gcc", "-w", "-o", str(exe), str(src)], check=True, capture_output=True)
    want = int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)
    assert want == 504 * 1000 + 500
    assert (run(_BELOW).status, run(_BELOW).ret) == ("ok", want)


def test_a_definition_below_a_body_line_directive_the_mirror_follows_only_there_is_not_run() -> None:
    # '#line 0500' numbers g's own lines (models.cpphooks), and f's too for gcc: f is not run on a guess
    code = _BELOW.replace("#line 500", "#line 0500")
    assert (run(code, entry="g").status, run(code, entry="g").ret) == ("ok", 500)
    out = run(code)
    assert out.status == "error" and out.ret is None, out
    assert "gcc numbers the lines below '#line 0500' (test/prog.c:3, in g) as it says" in (out.error or ""), out.error
    own = _BELOW.replace("#line 500", '#line 500 "test/prog.c"')  # the file's own path: followed below it too
    assert (run(own).status, run(own).ret) == ("ok", 504500)
