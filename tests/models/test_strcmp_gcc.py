"""strcmp(), strncmp() and memcmp(): their sign tested against 0, as gcc computes it.

strcmp(), strncmp() and memcmp() (models/strcmp.py): their sign, tested against 0, as gcc computes it (its
builtins and libc's functions), and through `seamharness crosscheck`; any other use of the value refused at its line.
strnlen() (models/libc.py) beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL
from models.native.run import find_compiler
from tests.models.cprog import PATH, busy_agrees_with_gcc, gcc_returns, line_of, mirror_returns, run

SHIM = """\
#include <stdio.h>
#include <string.h>
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef _Bool bool;
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
struct tdx_module_args { u64 rcx; };
"""

# Each use tests the sign alone: ==, !=, <, >, <=, >= against 0 (0 on either side), !, a condition, && and ||.
# Bytes past 0x7f compare as unsigned char; a u64's bytes compare from the lowest (x86-64 is little-endian); a
# count of 0, a count stopping before a difference, a NUL stopping strncmp() early, a string literal's NUL.
CODE = """\
struct pair { u32 lo; u32 hi; };
static const char names[3][8] = { "seamldr", "seam", "tdx" };

long long f(u64 fn, struct tdx_module_args *args)
{
	char buf[8] = "seam";
	char hi[4] = { (char)0x80, 0 };
	char ab[2] = { 'a', 'b' };
	u64 a[2] = { fn, 2 }, b[2] = { 0x100, 2 };
	struct pair p = { (u32)fn, 7 }, q = { 5, 7 };
	const char *s = names[fn % 3];
	long long r = 0;

	r = r * 3 + (strcmp(buf, s) == 0);
	r = r * 3 + (strcmp(buf, s) < 0);
	r = r * 3 + (0 > strcmp(s, "seamx"));
	r = r * 3 + (strcmp(s, "") > 0);
	r = r * 3 + !strcmp("", "");
	r = r * 3 + (strcmp(hi, "a") > 0);
	r = r * 3 + (strncmp(s, "seamcall", 4) == 0);
	r = r * 3 + (strncmp(s, "seamcall", fn % 9) != 0);
	r = r * 3 + (strncmp(buf, "seam", 100) == 0);
	r = r * 3 + (strncmp(hi, "z", 0) == 0);
	r = r * 3 + (memcmp(a, b, sizeof(a)) < 0);
	r = r * 3 + (memcmp(a, b, 8) >= 0);
	r = r * 3 + (memcmp(a, b, 0) == 0);
	r = r * 3 + (memcmp(&p, &q, sizeof(p)) <= 0);
	r = r * 3 + (memcmp(buf, "seam", 5) == 0);
	if (strcmp(s, "tdx"))
		r = r * 3 + 1;
	r = r * 3 + (fn && !memcmp(&p.hi, &q.hi, 4));
	r = r * 3 + (strcmp(s, "tdx") ? 2 : 1);
	r = r * 3 + (bool)strncmp(s, "seam", 5);
	r = r * 10 + strnlen(s, fn % 9);
	r = r * 10 + strnlen(buf, 8) + strnlen("seam", 2) * 3 + strnlen(hi, 0) * 5 + strnlen(ab, 2) * 7;
	r = r * 3 + (_Bool)memcmp(buf, s, 2);
	if (unlikely(strcmp(buf, s)))
		r = r * 3 + 2;
	if (likely(!memcmp(&q, &p, sizeof(q))))
		r = r * 3 + 1;
	return r;
}
"""

ARGS = (0, 1, 2, 3, 4, 5, 8, 0xFF, 0x100, 0x101, 0xFFFFFFFF, 0xFFFFFFFFFFFFFFFF)


def test_the_sign_is_what_gcc_computes(tmp_path: Path) -> None:
    mirror = [mirror_returns(CODE, a) for a in ARGS]
    assert mirror == gcc_returns(tmp_path, SHIM + CODE, ARGS, find_compiler(None))


@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_the_sign_agrees_with_gcc_under_crosscheck(tmp_path: Path, source: str) -> None:
    busy_agrees_with_gcc(tmp_path, CODE, 40, ("sc", "demo/sc.h"), 0x0000030000000000, source)


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "needle", "kind", "says"), [
    # the value itself: -1 in lib/string.c, 25 from gcc's inline expansion of strcmp(a, "ab") with a "z"
    ("\treturn strcmp(\"z\", \"ab\");\n", "return", "unsupported", "the value of strcmp() past its sign"),
    ("\tint d = memcmp(\"b\", \"a\", 1);\n\n\treturn d < 0;\n", "int d", "unsupported", "the value of memcmp()"),
    ("\treturn strncmp(\"b\", \"a\", 1) == 1;\n", "return", "unsupported", "the value of strncmp()"),
    ("\treturn (u8)strcmp(\"b\", \"a\");\n", "return", "unsupported", "the value of strcmp()"),
    ("\tu64 x = 1;\n\tvoid *p = &x;\n\n\treturn memcmp(&p, &p, 8) == 0;\n", "memcmp", "unsupported",
     "memcmp() of 8 bytes at &p (its layout is not modelled)"),  # a pointer's bytes
    ("\tchar a[2] = { 'a', 'b' };\n\n\treturn strcmp(a, \"abc\") == 0;\n", "strcmp", "runtime", "no NUL"),
    ("\tchar a[4];\n\n\treturn strcmp(a, \"abc\") == 0;\n", "strcmp", "runtime", "never set"),
    ("\tchar a[2] = { 'a', 'b' };\n\n\treturn strnlen(a, 3);\n", "strnlen", "runtime", "no NUL in the array"),
])
def test_what_is_not_modelled_is_refused_at_its_line(body: str, needle: str, kind: str, says: str) -> None:
    code = ENTRY + body + "}\n"
    out = run(code)
    assert (out.status, out.error_kind) == ("error", kind), (out.status, out.ret, out.error)
    assert f"{PATH}:{line_of(code, needle)}: " in (out.error or "") and says in (out.error or ""), out.error


def test_a_variants_own_strcmp_is_refused_naming_its_definition() -> None:
    # include/linux/string.h declares strcmp(): gcc refuses a static definition after it, and the model of the
    # kernel's does not stand for the code's either (models.preludeclash.primitive_clashes, as for kmalloc()); the
    # refusal names the definition, not the sign-only rule of the kernel's strcmp() it no longer calls.
    code = ("static int strcmp(const char *a, const char *b)\n{\n\treturn 42;\n}\n\n" + ENTRY
            + "\treturn strcmp(\"a\", \"b\");\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert f"{PATH}:1: strcmp is a kernel function the mirror models" in (out.error or ""), out.error
