"""A name one file declares twice in ways gcc refuses together is a build failure, as gcc says.

A name one file declares twice in ways gcc refuses together (a static declaration after a non-static one, a
variable's non-static one after a static one, a typedef, variable or function given another type) is a build failure
at gcc's FILE:LINE with gcc's words; what gcc builds (compatible redeclarations, ``extern`` then a definition, a
typedef repeated alike, a static prototype then a definition with or without ``static``) runs, with gcc's value."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import PATH, gcc_returns, run
from tests.models.test_redefinition_gcc import ENTRY, KERNEL

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")

_PASTE = "#define NAME(n) n##_impl\n"

REFUSED = [  # (file-scope code, what f returns)
    ("static int x;\nint x;\n", "x"),
    ("static int x = 1;\nint x;\n", "x"),
    ("int x;\nstatic int x;\n", "x"),
    ("extern int x;\nstatic int x = 2;\n", "x"),
    ("static DEFINE_MUTEX(m);\nstruct mutex m;\n", "sizeof(m)"),
    ("int g(void);\nstatic int g(void) { return 1; }\n", "g()"),
    ("extern int g(void);\nstatic int g(void);\n", "0"),
    ("typedef int t;\ntypedef long t;\n", "sizeof(t)"),
    ("struct a;\nstruct b;\ntypedef struct a t;\ntypedef struct b t;\n", "sizeof(t *)"),
    ("int x;\nlong x;\n", "x"),
    ("u64 x;\nunsigned long x;\n", "x"),
    ("int x;\nextern unsigned int x;\n", "x"),
    ("const char *p;\nchar *p;\n", "0"),
    ("const int x;\nint x;\n", "x"),
    ("char *const p;\nchar *p;\n", "0"),
    ("int g(int a);\nint g(long a);\n", "0"),
    ("static int g(void);\nstatic long g(void) { return 1; }\n", "g()"),
    ("static int g(int a, u64 *b);\nstatic int g(int a, unsigned long *b) { return a; }\n", "g(1, 0)"),
    ("int x;\nint x(void);\n", "0"),
    ("typedef int t;\nint t;\n", "0"),
    ("int g(void);\ntypedef int g;\n", "0"),
    # gcc reports the line of the name: a function's below its return type, an enumerator's in the enum's body
    ("static int\n  x;\nint\n  x;\n", "x"),
    ("static int\ng(void)\n{\n\treturn 1;\n}\n\nstatic int\ng(void)\n{\n\treturn 1;\n}\n", "g()"),
    ("enum e {\n\tA,\n\tB\n};\nenum e2 {\n\tC,\n\tA\n};\n", "A"),
    ("typedef struct t {\n\tint a;\n} t;\ntypedef struct u {\n\tint a;\n} t;\n", "sizeof(t)"),
    # one declarator of several: the specifiers are each one's, a star its own
    ("int a, *b;\nlong a;\n", "a"),
    ("int a, *b;\nint b;\n", "b"),
    ("static u64 x = 1, y;\nint y;\n", "y"),
    ("static int a, b;\nint b;\n", "b"),
    ("extern int a, b;\nstatic int b;\n", "b"),
    ("const int a, b;\nint b;\n", "b"),
    ("int * const a, b;\nint b;\nint *a;\n", "b"),
    ("int volatile a, *b;\nint * volatile b;\n", "0"),
    ("int arr[3], c;\nlong c;\n", "c"),
    ("int a, b;\nlong b, c;\n", "b"),
    ("struct s { int q; };\nstruct s *p, q;\nstruct s q2, *p;\nint q;\n", "0"),
    # a declarator beside a pointer to a function, a typedef's declarators but the last, an array
    ("int (*fp)(void), q;\nlong q;\n", "q"),
    ("int q, (*fp)(void);\nstatic int q;\n", "q"),
    ("static int (*fp)(void), q;\nint (*fp)(void);\n", "q"),
    ("typedef int t1, *t2;\ntypedef long t1;\n", "sizeof(t1)"),
    ("typedef int (*t3)(void), t4;\ntypedef long t4;\n", "sizeof(t4)"),
    ("int (*fp)(void), q;\nlong (*fp)(void);\n", "q"),
    ("static u64 (*fp)(u64 fn, int *p);\nstatic u64 (*fp)(u64 fn, long *p);\n", "0"),
    ("int a[3], b;\nlong a[3];\n", "b"),
    ("int a[3], b;\nint a[4];\n", "b"),
    ("int a[2][3];\nint a[2][4];\n", "0"),
    ("const int a[3];\nint a[3];\n", "0"),
    ("int a[3];\nint *a;\n", "0"),
    ("int *a[3];\nint (*a)[3];\n", "0"),
    # a function whose name a macro spells, beside one its expansion names
    (_PASTE + "int NAME(a)(void);\nstatic int a_impl(void) { return 1; }\n", "a_impl()"),
    (_PASTE + "static int NAME(a)(void) { return 1; }\nint a_impl(void) { return 2; }\n", "a_impl()"),
    (_PASTE + "int NAME(a)(void);\nlong a_impl(void) { return 1; }\n", "a_impl()"),
    (_PASTE + "long a_impl(void);\nint NAME(a)(void) { return 1; }\n", "0"),
    (_PASTE + "int NAME(a)(void);\nint a_impl;\n", "0"),
    (_PASTE + "int a_impl;\nint NAME(a)(void) { return 1; }\n", "0"),
    (_PASTE + "static int\nNAME(a)(int x);\nstatic int a_impl(long x) { return x; }\n", "a_impl(1)"),
]

BUILT = [  # (file-scope code, what f returns)
    ("extern int x;\nint x = 1;\n", "x"),
    ("static int x;\nextern int x;\nstatic int x = 3;\n", "x"),
    ("static int g(void);\nstatic int g(void) { return 5; }\n", "g()"),
    ("static int g(void);\nint g(void) { return 6; }\n", "g()"),
    ("static int g(void);\nextern int g(void);\nint g(void) { return 7; }\n", "g()"),
    ("typedef int t;\ntypedef int t;\nt x = 2;\n", "x"),
    ("typedef u64 t;\ntypedef unsigned long long t;\n", "sizeof(t)"),
    ("unsigned x;\nunsigned int x = 4;\n", "x"),
    ("u64 x;\nunsigned long long x = 5;\n", "x"),
    ("const int f2(void);\nint f2(void) { return 8; }\n", "f2()"),
    ("int g(const int a);\nint g(int b) { return b; }\n", "g(9)"),
    ("int g();\nint g(int a) { return a; }\n", "g(3)"),
    ("int x[];\nint x[3] = { 1, 2, 3 };\n", "x[2]"),
    ("static int g(u64 fn, struct tdx_module_args *args);\n"
     "static int g(u64 op, struct tdx_module_args *a) { return op; }\n", "g(4, 0)"),
    ("typedef struct s {\n\tint a;\n} s_t;\ntypedef struct s s_t;\n", "sizeof(s_t)"),
    ("typedef struct {\n\tint a;\n} s_t;\nstatic s_t v;\nextern s_t v;\n", "sizeof(v)"),
    # a macro that makes a name or a body where the text reads as a function's name: no clash of that macro's name
    ("#define NAME(n) n##_impl\nstatic int NAME(a)(void) { return 1; }\nstatic int NAME(b)(void) { return 2; }\n", "0"),
    ("#define CTX(t) { t a; }\nstruct c1 CTX(int);\nstruct c2 CTX(long);\n", "0"),
    ("#define make(n) n##_get\nstatic long make(x)(void) { return 1; }\nstatic int make(y)(void) { return 2; }\n", "0"),
    ("int a, *b;\nint *b;\nint a = 3;\n", "a"),
    ("static u64 x = 1, y;\nstatic unsigned long long y = 4;\n", "x + y"),
    ("static u64 x = 1, y;\nextern u64 y;\n", "x"),
    ("int a, b;\nint a, b = 5;\n", "a + b"),
    ("unsigned int a, *b, **c;\nunsigned **c;\nunsigned int *b;\n", "a"),
    ("int arr[3], c;\nint c = 6;\n", "c + arr[0]"),
    ("const int a = 7, *b;\nconst int *b;\nextern const int a;\n", "a"),
    ("int (*fp)(void), q = 2;\n", "q"),
    ("int q, (*fp)(void);\nint q = 3;\n", "q"),
    ("typedef int t1, *t2;\nt1 x = 4;\nt2 p = &x;\n", "*p"),
    ("typedef int (*t3)(void), t4;\nt4 y = 5;\nt3 h;\n", "y"),
    ("typedef int t1, *t2;\ntypedef int t1;\ntypedef int *t2;\nt1 x = 6;\n", "x"),
    ("int (*fp)(void), q;\nint (*fp)();\nint q = 1;\n", "q"),
    ("static u64 (*fp)(u64 fn, int *p);\nstatic unsigned long long (*fp)(u64 op, int *);\n", "fp == 0"),
    ("int a[3], b;\nint a[];\nint a[3] = { 1, 2, 3 };\n", "a[2]"),
    ("int a[2][3], b = 4;\nint a[2][3];\nextern int a[][3];\n", "b + a[1][2]"),
    ("const int a[3] = { 1, 2, 5 };\nextern const int a[3];\n", "a[2]"),
    ("u64 a[2];\nunsigned long long a[2] = { 7, 8 };\n", "a[1]"),
    ("int *a[3], b = 9;\nint *a[3];\n", "b"),
    (_PASTE + "int a_impl(void);\nint NAME(a)(void) { return 3; }\n", "0"),
    (_PASTE + "static int NAME(a)(void);\nstatic int a_impl(void) { return 4; }\n", "a_impl()"),
    (_PASTE + "int NAME(a)(int x);\nint NAME(b)(long x);\nint a_impl(int y) { return y; }\n"
              "int b_impl(long y) { return 2 * y; }\n", "a_impl(1) + b_impl(2)"),
]


def _gcc(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    src = tmp_path / "decl.c"
    src.write_text(KERNEL + code)
    return subprocess.run([str(GCC), "-std=gnu11", "-fsyntax-only", str(src)], capture_output=True, text=True,
                          check=False, env={**os.environ, "LC_ALL": "C"})


@pytest.mark.parametrize(("code", "value"), REFUSED)
def test_a_declaration_gcc_refuses_beside_another_fails_the_build_as_in_gcc(tmp_path: Path, code: str,
                                                                            value: str) -> None:
    program = code + ENTRY % value
    res = _gcc(tmp_path, program)
    first = re.search(r"^\S*decl\.c:(\d+):\d+: error: (.*)$", res.stderr, re.MULTILINE)
    assert res.returncode != 0 and first is not None, res.stderr
    line, said = int(first[1]) - KERNEL.count("\n"), first[2]
    out = run(program)
    assert (out.status, str(out.error_kind)) == ("error", "build"), (out.status, out.error)
    # gcc's words, its type spelt as we resolve it where gcc names a typedef ("have 'u64' {aka ...}")
    words = said.split(";")[0] if "{aka" in said else said
    assert (out.error or "").startswith(f"{PATH}:{line}: {words}"), (out.error, said)


@pytest.mark.parametrize(("code", "value"), BUILT)
def test_what_gcc_builds_beside_another_declaration_runs_with_gccs_value(tmp_path: Path, code: str,
                                                                         value: str) -> None:
    program = code + ENTRY % value
    assert _gcc(tmp_path, program).returncode == 0, _gcc(tmp_path, program).stderr
    out = run(program)
    assert out.status == "ok", out.error
    assert [out.ret] == gcc_returns(tmp_path, KERNEL + program, [0], str(GCC))
