"""Coverage of code below a ``#line`` in a body names the lines the file holds; messages and __LINE__ say gcc's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from models.machine import Answer
from models.mirror import RunRequest
from models.prfmt_site import per_file_pr_fmt
from tests.models.cprog import GCC, PATH, mirror_of, run

CODE = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint q = 1;\n#line 100\n\tq += 2;\n\treturn q;\n}\n"
# below the directive: a decision, eight blank lines (pcpp writes a marker of its own after them), a return
FAR = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint q = 1;\n#line 100\n\tif (q == fn)\n\t\tq = 5;\n"
       + "\n" * 8 + "\treturn q + __LINE__ * 10;\n}\n")


def _lines(ran: frozenset[str] | set[str]) -> set[int]:
    return {int(w.lstrip("?").split(":")[1]) for w in ran if w.lstrip("?").startswith(f"{PATH}:")}


def test_the_lines_a_run_covers_are_lines_of_the_file() -> None:
    # gcc numbers the two statements below the directive 100 and 101 (__LINE__, diagnostics); the file holds 8
    # lines: coverage naming 100 would count a patched line 100 of a longer file as run (harness.codechecks._ran)
    m = mirror_of(CODE, "f")
    out = m.run(RunRequest("f", 0, (Answer(0),), ""))
    assert (out.status, out.ret) == ("ok", 3), out.error
    assert _lines(m.ran) == {2, 3, 5, 6}, sorted(m.ran)  # the body's block starts on line 2


def test_decisions_and_statements_past_a_marker_below_the_directive_are_the_files_lines() -> None:
    m = mirror_of(FAR, "f")
    out = m.run(RunRequest("f", 1, (Answer(0),), ""))
    # gcc (-w, run): 1105, the return on line 110 (the directive's next line is 100); the file holds it on line 15
    assert (out.status, out.ret) == ("ok", 5 + 1100), out.error
    assert _lines(m.ran) == {2, 3, 5, 6, 15}, sorted(m.ran)
    assert any(w.startswith(f"?{PATH}:5:") and w.endswith(":T") for w in m.ran), sorted(m.ran)
    starts = {s for found in m.compiler.starts.values() for s in found}
    assert _lines({s.rsplit(":", 1)[0] if s.endswith(":D") else s for s in starts}) <= set(range(1, 18))


def test_a_message_below_the_directive_says_gccs_line() -> None:
    # what gcc's diagnostics and WARN()'s "at FILE:LINE" say: the directive's numbers
    code = CODE.replace("\treturn q;", "\tsh_nothing_defines_this();\n\treturn q;")
    out = mirror_of(code, "f").run(RunRequest("f", 0, (Answer(0),), ""))
    assert out.status != "ok" and f"{PATH}:101" in out.error, out.error


def test_below_a_file_scope_line_directive_coverage_names_the_files_lines_and_messages_gccs() -> None:
    # gcc numbers f's lines 101-104 (the directive's next line is 100); the file holds them on lines 2-5
    code = "#line 100\n" + CODE.replace("#line 100\n", "").replace("\treturn q;", "\treturn q + __LINE__ * 10;")
    m = mirror_of(code, "f")
    out = m.run(RunRequest("f", 0, (Answer(0),), ""))
    assert (out.status, out.ret) == ("ok", 3 + 1040), out.error
    assert _lines(m.ran) == {3, 4, 5, 6}, sorted(m.ran)
    missing = code.replace("\treturn q +", "\tsh_nothing_defines_this();\n\treturn q +")
    out = mirror_of(missing, "f").run(RunRequest("f", 0, (Answer(0),), ""))
    assert out.status != "ok" and f"{PATH}:104" in out.error, out.error


# pr_err() above '#undef pr_fmt' / '#define pr_fmt(fmt) "late: " fmt' in the file, numbered 102 by the #line: gcc
# (the same text compiled) prints 'unit: x' and 'late: y'. Before, the call's place was gcc's 102, past the #define's
# line 8, and the mirror printed 'late: x'.
_PR_FMT = ("#line 100\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"x\\n\");\n\treturn 0;\n}\n"
           "#undef pr_fmt\n#define pr_fmt(fmt) \"late: \" fmt\n"
           "long long g(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"y\\n\");\n\treturn 0;\n}\n")


def test_the_pr_fmt_a_call_below_a_line_directive_sees_is_the_one_defined_above_it_in_the_file(tmp_path: Path) -> None:
    fmt = per_file_pr_fmt("unit: ", {PATH: [(8, "late: ")]}, PATH)  # as harness.prfmt lists the #define at line 8
    got = [run(_PR_FMT, entry=e, pr_fmt=fmt) for e in ("f", "g")]
    assert [(o.status, [x.text for x in o.log]) for o in got] == [("ok", ["unit: x"]), ("ok", ["late: y"])]
    if GCC is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "prfmt.c", tmp_path / "prfmt"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args;\n"
                   "#define pr_fmt(fmt) \"unit: \" fmt\n#define pr_err(fmt, ...) printf(pr_fmt(fmt), ##__VA_ARGS__)\n"
                   + _PR_FMT + "int main(void)\n{\n\tf(0, 0);\n\tg(0, 0);\n\treturn 0;\n}\n")
    subprocess.run([GCC, "-w", "-o", str(exe), str(src)], check=True, capture_output=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines() == \
        ["unit: x", "late: y"]
