"""A name one file defines twice at file scope is a build failure at the second definition.

A name one file defines twice at file scope (two initializers of one object, two bodies of one function, a
DEFINE_MUTEX() or a helper-generating macro invoked twice, a struct or enum body twice, an enumerator again) is a
build failure at the second definition's FILE:LINE, as gcc makes it; what gcc builds (tentative definitions, repeated
declarations and prototypes, a macro #define'd again alike, a forward-declared struct) runs, with gcc's values."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import RunRequest, load_mirror
from tests.models.cprog import PATH, gcc_returns, run

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")

# What the code below takes from the kernel, for gcc: the kernel's expansions (include/linux/mutex.h,
# spinlock_types.h, percpu-defs.h: a per-CPU variable is a plain one in its own section, no initializer of its own).
KERNEL = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx, rdx; };
struct mutex { long owner; };
typedef struct { int lock; } spinlock_t;
#define DEFINE_MUTEX(x) struct mutex x = { 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = { 0 }
#define DEFINE_PER_CPU(type, name) __attribute__((section(".data..percpu"))) __typeof__(type) name
"""
ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"

REFUSED = [  # (file-scope code, what f returns, the line of the second definition)
    ("int x = 1;\nint x = 2;\n", "x", 2),
    ("static int x = 1;\nstatic int x = 1;\n", "x", 2),
    ("int a = 1, b;\nint c, a = 2;\n", "a + b + c", 2),
    ("static int g(void) { return 1; }\nstatic int g(void) { return 1; }\n", "g()", 2),
    ("int g = 1;\nint g(void) { return 1; }\n", "0", 2),
    ("static DEFINE_MUTEX(m);\nstatic int n;\nstatic DEFINE_MUTEX(m);\n", "sizeof(m) + n", 3),
    ("static DEFINE_SPINLOCK(sl);\nstatic DEFINE_SPINLOCK(sl);\n", "sizeof(sl)", 2),
    ("DEFINE_PER_CPU(int, pc) = 1;\nDEFINE_PER_CPU(int, pc) = 1;\n", "0", 2),
    ("#define MK(n) static int n(void) { return 5; }\nMK(h)\nMK(h)\n", "h()", 3),
    ("#define MV(n, v) static u64 n = v\nMV(k, 1);\nMV(k, 2);\n", "k", 3),
    ("struct s { int a; };\nstruct s { int a; };\n", "sizeof(struct s)", 2),
    ("union u { int a; };\nunion u { int a; };\n", "sizeof(union u)", 2),
    ("enum e { A };\nenum e { B };\n", "B", 2),
    ("enum e1 { A = 1 };\nenum e2 { A = 2 };\n", "A", 2),
    ("enum { A = 1 };\nint A = 2;\n", "0", 2),
    ("struct p { int q; } gx = { 1 };\nint gx = 2;\n", "gx", 2),
]

BUILT = [  # (file-scope code, what f returns)
    ("int x;\nint x = 1;\n", "x"),
    ("static int x;\nstatic int x = 2;\n", "x"),
    ("int x = 3;\nint x;\n", "x"),
    ("int a = 1, b;\nint b = 2, a;\n", "a * 10 + b"),
    ("extern int x;\nextern int x;\nint x = 4;\n", "x"),
    ("static int g(void);\nstatic int g(void);\nstatic int g(void) { return 5; }\n", "g()"),
    ("#define K 3\n#define K 3\n", "K"),
    ("struct s;\nstruct s { int a; };\nstruct s *p;\n", "sizeof(struct s)"),
    ("typedef int t;\ntypedef int t;\n", "sizeof(t)"),
    ("static DEFINE_PER_CPU(int, pc);\nstatic DEFINE_PER_CPU(int, pc);\n", "sizeof(pc)"),
    ("#ifdef __ASSEMBLY__\nint y = 1;\n#else\nint y = 2;\n#endif\n", "y"),
]


def _gcc_builds(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "redef.c"
    src.write_text(KERNEL + code)
    return subprocess.run([str(GCC), "-std=gnu11", "-fsyntax-only", str(src)], capture_output=True, text=True,
                          check=False)


@pytest.mark.parametrize(("code", "value", "line"), REFUSED)
def test_a_second_definition_in_one_file_fails_the_build_as_in_gcc(tmp_path: Path, code: str, value: str,
                                                                   line: int) -> None:
    program = code + ENTRY % value
    res = _gcc_builds(tmp_path, program)
    assert res.returncode != 0 and f"redef.c:{KERNEL.count(chr(10)) + line}:" in res.stderr, res.stderr
    out = run(program)
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line}: "), out.error


@pytest.mark.parametrize(("code", "value"), BUILT)
def test_what_gcc_builds_runs_with_gcc_value(tmp_path: Path, code: str, value: str) -> None:
    program = code + ENTRY % value
    assert _gcc_builds(tmp_path, program).returncode == 0
    out = run(program)
    assert out.status == "ok", out.error
    assert [out.ret] == gcc_returns(tmp_path, KERNEL + program, [0], str(GCC))


def test_a_header_defining_a_lock_twice_fails_the_build_of_the_code_that_reaches_it(tmp_path: Path) -> None:
    header = "static DEFINE_MUTEX(lk);\nstatic DEFINE_MUTEX(lk);\n"
    unit = '#include "lk.h"\n' + ENTRY % "sizeof(lk)"
    (tmp_path / "lk.h").write_text(KERNEL + header)
    res = subprocess.run([str(GCC), "-std=gnu11", "-fsyntax-only", "-x", "c", "-I", str(tmp_path), "-"],
                         input=unit, capture_output=True, text=True, check=False, env={**os.environ, "LC_ALL": "C"})
    assert res.returncode != 0 and "redefinition of 'lk'" in res.stderr, res.stderr
    sources = (Source("drv/lk.h", ((1, tuple(header.split("\n"))),), True),
               Source("drv/lk.c", ((1, tuple(unit.split("\n"))),), True))
    out = load_mirror(sources, (EntryPoint("f"),)).run(RunRequest("f", 0, (Answer(0),), ""))
    assert str(out.error_kind) == "build" and (out.error or "").startswith("drv/lk.h:2: "), out.error


def test_code_that_reaches_no_such_file_still_runs() -> None:
    # other.c's second definition stops other.c's build, which f's file is not known to need: f runs
    other = "static int g = 1;\nstatic int g = 2;\nint h(void) { return g; }\n"
    sources = (Source("drv/other.c", ((1, tuple(other.split("\n"))),), True),
               Source("drv/f.c", ((1, tuple((ENTRY % "7").split("\n"))),), True))
    mirror = load_mirror(sources, (EntryPoint("f"), EntryPoint("h", ())))
    assert mirror.run(RunRequest("f", 0, (Answer(0),), "")).ret == 7
    out = mirror.run(RunRequest("h", 0, (Answer(0),), ""))
    assert str(out.error_kind) == "build" and (out.error or "").startswith("drv/other.c:2: "), out.error


def test_an_extern_inline_body_then_the_functions_own_builds(tmp_path: Path) -> None:
    # gnu_inline: the first body is for inlining only, the second the function's one definition (which of the two a
    # call runs is gcc's choice): no build failure
    code = ("extern inline __attribute__((gnu_inline)) int gi(void) { return 1; }\nint gi(void) { return 1; }\n"
            + ENTRY % "gi()")
    assert _gcc_builds(tmp_path, code).returncode == 0
    out = run(code)
    assert (out.status, out.ret) == ("ok", 1), out.error
