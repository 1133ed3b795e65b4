"""A name a header defines and the including .c file defines again is the unit's build failure.

A name a header defines and the .c file that includes it defines again (a DEFINE_MUTEX(), a variable's
initializer, a static inline function), or declares in a way gcc refuses beside the header's (static after extern,
another type), is the unit's build failure at gcc's FILE:LINE with gcc's words, as one file's redefinition is; what
gcc builds across the two (extern then the definition, a typedef repeated alike, a static prototype then the
function) runs. gcc -fsyntax-only on the same two files decides every case."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.gitoracle import init_repo
from tests.mailgen import diff, message, patch_body, write_mbox

pytestmark = [pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle, is not installed"),
              pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")]

HEADER, UNIT = "drivers/demo/demo.h", "drivers/demo/probe.c"
MATRIX = (f'[codes]\nOK = 0\nBAD = 7\n[leaves]\nONE = 1\n[[unit]]\nname = "probe.c"\npath = "{UNIT}"\n'
          '[[entry]]\nname = "probe"\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')
# What the kernel's headers give the unit, for gcc (the mirror's prelude has them).
PRE = ("typedef unsigned long long u64;\nstruct tdx_module_args { u64 rcx; };\nstruct mutex { long owner; };\n"
       "#define DEFINE_MUTEX(x) struct mutex x = { 0 }\nu64 __seamcall(u64 fn, struct tdx_module_args *args);\n")
PROBE = "int probe(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args) ? -5 : %s;\n}\n"

CASES = [  # (the header's declarations, the unit's, what probe returns where it builds)
    ("static DEFINE_MUTEX(lk);\n", "static DEFINE_MUTEX(lk);\n", "(int)sizeof(lk)"),
    ("static int y = 3;\n", "static int y = 3;\n", "y"),
    ("static inline int g(void)\n{\n\treturn 1;\n}\n", "static int g(void)\n{\n\treturn 1;\n}\n", "g()"),
    ("extern int z;\n", "static int z;\n", "z"),
    ("static int z;\n", "int z;\n", "z"),
    ("int g(void);\n", "static int g(void)\n{\n\treturn 2;\n}\n", "g()"),
    ("typedef int t;\n", "typedef long t;\n", "(int)sizeof(t)"),
    ("extern u64 z;\n", "unsigned long z;\n", "(int)z"),
    ("int g(int a);\n", "int g(long a)\n{\n\treturn a;\n}\n", "g(1)"),
    ("extern int z;\n", "int z = 4;\n", "z"),
    ("typedef int t;\n", "typedef int t;\nt z = 5;\n", "z"),
    ("static int g(void);\n", "int g(void)\n{\n\treturn 6;\n}\n", "g()"),
    ("static inline int g(void);\n", "static inline int g(void)\n{\n\treturn 7;\n}\n", "g()"),
    ("extern u64 z;\n", "unsigned long long z = 8;\n", "(int)z"),
    ("static int y;\n", "static int y = 9;\n", "y"),
    # one declarator of several (models.declconflict)
    ("static int x, y;\n", "int y;\n", "y"),
    ("extern u64 z, *w;\n", "long z;\n", "(int)z"),
    ("extern u64 z, *w;\n", "u64 *w;\nunsigned long long z = 10;\n", "(int)z"),
    # a function whose name a macro spells (models.macronames), beside the one its expansion names
    ("#define NAME(n) n##_impl\nint NAME(a)(void);\n", "long a_impl(void)\n{\n\treturn 1;\n}\n", "(int)a_impl()"),
    ("#define NAME(n) n##_impl\nint NAME(a)(void);\n", "int a_impl;\n", "a_impl"),
    ("#define NAME(n) n##_impl\nint NAME(a)(void);\n", "int a_impl(void)\n{\n\treturn 11;\n}\n", "a_impl()"),
]


def _files(header: str, unit: str, value: str) -> dict[str, str]:
    return {HEADER: f"#ifndef DEMO_H\n#define DEMO_H\n{header}#endif\n",
            UNIT: f'#include "demo.h"\n{unit}' + PROBE % value}


def _gcc_error(tmp_path: Path, files: dict[str, str]) -> tuple[str, str] | None:
    """gcc's first error on the unit, FILE:LINE and its words; None when it builds."""
    root = tmp_path / "gcc"
    for path, text in {**files, "pre.h": PRE}.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    done = subprocess.run(["gcc", "-std=gnu11", "-fsyntax-only", "-include", "pre.h", UNIT], cwd=root,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "LC_ALL": "C"})
    if done.returncode == 0:
        return None
    first = re.search(r"^(\S+?):(\d+):\d+: error: (.*)$", done.stderr, re.MULTILINE)
    assert first is not None, done.stderr
    return f"{first[1]}:{first[2]}", first[3]


@pytest.mark.parametrize(("header", "unit", "value"), CASES)
def test_a_header_and_its_includer_build_as_gcc_builds_them(tmp_path: Path, header: str, unit: str,
                                                           value: str) -> None:
    files, before = _files(header, unit, value), _files("", "", "0")
    init_repo(tmp_path / "linux", before)
    body = patch_body("Change the demo driver.", "".join(diff(p, before[p], t) for p, t in files.items()))
    mbox = write_mbox(tmp_path / "p.mbox", [message("[PATCH] demo: change it", "p1@example.org", body)])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), tree=tmp_path / "linux", matrix=tmp_path / "m.toml", jobs=1, cache=None))
    out = ev.result.outcome("v1", "probe/ONE/bad/probe.c")
    gcc = _gcc_error(tmp_path, files)
    if gcc is None:
        assert out.status == "ok" and out.ret == -5, out
        return
    where, said = gcc
    assert (out.status, str(out.error_kind)) == ("error", "build"), out.error
    # "FILE:LINE: words", harness.tuorder.static_conflict's for functions as harness.unitclash's for the rest
    assert (out.error or "").startswith(f"{where}: {said}"), (out.error, gcc)
