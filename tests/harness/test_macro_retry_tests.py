"""A retry wrapper written as a macro: its loop's untaken test keeps a bound from passing.

A retry wrapper written as a macro entry point: its loop's test that no run took both ways keeps a bound on the
SEAMCALLs from passing, as the same loop in a function does (gcc counts the calls the runs claim)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

LOOP = ("\tint left = 3;\n\tu64 r;\n\n\tdo {\n\t\tr = __seamcall(fn, args);\n\t} while (r == 0x10 && --left);\n")
FUNCTION = ("static int demo_busy_call(u64 fn, struct tdx_module_args *args)\n{\n" + LOOP
            + "\treturn r ? -EIO : 0;\n}\n")
# The same loop as a statement expression, each line ended by a backslash as a kernel macro's.
MACRO = "#define demo_busy_call(fn, args)\n({\n" + LOOP.replace("left", "__left").replace("r = ", "__r = ").replace(
    "u64 r;", "u64 __r;").replace("(r ==", "(__r ==") + "\t__r ? -EIO : 0;\n})\n"
MACRO = "".join(line + "\t\\\n" if i < MACRO.count("\n") - 1 else line + "\n"
                for i, line in enumerate(MACRO.split("\n")[:-1]))
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x10\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\npath = "d/a.c"\n'
          '[[entry]]\nname = "demo_busy_call"\nargs = ["fn", "args"]\n'
          '[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
BUSY = '[[script]]\nname = "busy"\nanswers = ["BUSY"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'
RULE = ('[[rule]]\nid = "one-call"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
        'kind = "behaviour"\nscenarios = { entry = "demo_busy_call", script = "bad" }\n'
        'expect = { calls_at_most = 1 }\n')


def _gate(tmp_path: Path, code: str, matrix: str) -> tuple[int, dict[str, str]]:
    body = patch_body("Add the busy retry.", diff("d/Makefile", "obj-y += y.o\n", "obj-y += a.o y.o\n")
                      + diff("d/a.c", None, "// demo\n\n" + code))
    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: retry a busy call", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(matrix)
    (tmp_path / "r.toml").write_text(RULE)
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v1", "--matrix", str(tmp_path / "m.toml"),
                                 "--rules", str(tmp_path / "r.toml"), "--jobs", "1", "--json", str(out)],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    (rule,) = json.loads(out.read_text())["rules"]
    return r.exit_code, rule


def _gcc_calls(tmp_path: Path, code: str, answers: list[int]) -> int:
    """How many SEAMCALLs gcc's build of the wrapper makes when they answer ``answers`` (the last repeating)."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    src = tmp_path / "calls.c"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\n"
                   f"static const u64 answers[] = {{{', '.join(map(str, answers))}}};\nstatic int calls;\n"
                   f"static u64 __seamcall(u64 fn, struct tdx_module_args *args)\n{{\n\tint i = calls++;\n\n"
                   f"\treturn answers[i < {len(answers)} ? i : {len(answers) - 1}];\n}}\n#define EIO 5\n{code}\n"
                   "int main(void)\n{\n\tstruct tdx_module_args a = { 0 };\n\tint ret = demo_busy_call(1, &a);\n\n"
                   "\tprintf(\"%d %d\\n\", calls, ret);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "calls"), str(src)], check=True, capture_output=True, timeout=60)
    return int(subprocess.run([str(tmp_path / "calls")], check=True, capture_output=True, text=True,
                              timeout=10).stdout.split()[0])


@pytest.mark.parametrize("form", ["function", "macro"])
def test_a_retry_no_run_made_keeps_a_bound_from_passing(tmp_path: Path, form: str) -> None:
    # Before: the function's loop made the rule inconclusive ('a test in demo_busy_call() ... always came out false'),
    # the macro's passed, exit 0: its loop, expanded in the entry point's own wrapper, was no function's.
    code = FUNCTION if form == "function" else MACRO
    assert _gcc_calls(tmp_path, code, [0x20]) == 1  # the bound holds for what the script answers...
    code_, rule = _gate(tmp_path, code, MATRIX)
    assert (code_, rule["verdict"]) == (1, "inconclusive"), rule  # ...but no run shows a retry stop
    assert "a test in demo_busy_call() at d/a.c:" in rule["note"] and "always came out false" in rule["note"], rule


@pytest.mark.parametrize("form", ["function", "macro"])
def test_a_retry_some_run_made_lets_the_bound_pass(tmp_path: Path, form: str) -> None:
    # A script answering BUSY every time takes the loop's test both ways (3 SEAMCALLs, its bound, as gcc's build
    # makes), and one answering OK the macro's last test ('__r ? -EIO : 0', at the same place in its expansion as the
    # loop's: every test of the expansion counts): the rule's scenario, answered BAD, shows the bound.
    code = FUNCTION if form == "function" else MACRO
    assert _gcc_calls(tmp_path, code, [0x10]) == 3
    code_, rule = _gate(tmp_path, code, MATRIX + BUSY)
    assert (code_, rule["verdict"]) == (0, "pass"), rule
