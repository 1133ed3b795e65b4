"""A typedef of the code naming a kernel type (u8, bool, size_t) with another type: refused, as gcc refuses it.

The kernel's headers (include/linux/types.h, as the prelude gives them) define u8 as unsigned char: a file that
says ``typedef unsigned int u8;`` below them is a build error ("conflicting types for 'u8'"). Before, the mirror ran
the code with the code's type standing (``u8 x = 300`` gave 300). Now every entry point whose code reaches the
file is refused, naming the typedef's file:line and both types. The same type spelt another way builds, as gcc
builds it, and so does a macro that renames the type (``#define u64 int``): the headers are read before it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.models.cprog import PATH, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"

CLASHES = {
    "u8": ("typedef unsigned int u8;\n" + F % "({ u8 x = 300; x; })", "u8", "unsigned int", "unsigned char"),
    "bool": ("typedef int bool;\n" + F % "({ bool x = 3; x; })", "bool", "int", "_Bool"),
    "signedness": ("typedef signed char u8;\n" + F % "({ u8 x = 200; x; })", "u8", "signed char", "unsigned char"),
    "size_t": ("typedef int size_t;\n" + F % "sizeof(size_t)", "size_t", "int", "long unsigned int"),
    "u64": ("typedef unsigned long u64;\n" + F % "7", "u64", "long unsigned int", "long long unsigned int"),
    "s16": ("typedef int s16;\n" + F % "({ s16 x = 70000; x; })", "s16", "int", "short int"),
    # not used by the entry point's code at all: the file it is in does not build either
    "unused": ("typedef u32 phys_addr_t;\n" + F % "9", "phys_addr_t", "unsigned int", "long long unsigned int"),
    # a derived type of any base: never the kernel's arithmetic one (before: ran, the base's type not told)
    "function-pointer": ("typedef int (*u8)(void);\n" + F % "1", "u8", "a pointer, array or function type",
                         "unsigned char"),
    "array": ("typedef u8 u32[4];\n" + F % "1", "u32", "a pointer, array or function type", "unsigned int"),
    "pointer": ("typedef unsigned char *u8;\n" + F % "1", "u8", "unsigned char *", "unsigned char"),
    "const": ("typedef const unsigned char u8;\n" + F % "1", "u8", "const unsigned char", "unsigned char"),
    "second": ("typedef int myint;\n\ntypedef unsigned int u16, *u16p;\n" + F % "(myint)3", "u16",
               "unsigned int", "short unsigned int"),
}


@needs_cc
@pytest.mark.parametrize("name", CLASHES)
def test_a_typedef_clashing_with_the_kernels_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    code, typ, have, kernel = CLASHES[name]
    assert gcc_value(tmp_path, code) is None  # "conflicting types"
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    at = next(n for n, ln in enumerate(code.split("\n"), start=1)
              if ln.startswith("typedef") and re.search(rf"\b{typ}\b", ln))
    assert (out.error or "").startswith(f"{PATH}:{at}: conflicting types for '{typ}'; have '{have}'"), out.error
    assert f"'{kernel}'" in (out.error or ""), out.error


BUILT = {
    "same": "typedef unsigned char u8;\n" + F % "({ u8 x = 300; x; })",
    "spelt": "typedef unsigned long long u64;\n" + F % "({ u64 x = 3; x; })",
    "spelt-other-order": "typedef long long unsigned int u64;\n" + F % "({ u64 x = 3; x; })",
    "bool": "typedef _Bool bool;\n" + F % "({ bool x = 3; x; })",
    "via-kernel-type": "typedef __u32 u32;\n" + F % "({ u32 x = -1; x; })",
    "own-name": "typedef unsigned int my_u8;\n" + F % "({ my_u8 x = 300; x; })",
    "parenthesized": "typedef unsigned char (u8);\n" + F % "({ u8 x = 300; x; })",
    "pointer-to-it": "typedef unsigned short u16, *u16p;\n" + F % "1",
    "shadowed": "static int g(void)\n{\n\tint u8 = 300;\n\n\treturn u8;\n}\n" + F % "g()",
    "macro": "#define u64 int\n" + F % "({ u64 x = 1ULL << 40; x + 1; })",
    "macro-u8": "#define u8 signed char\n" + F % "({ u8 x = 200; x; })",
    "macro-bool": "#define bool int\n" + F % "({ bool x = 3; x; })",
}


@needs_cc
@pytest.mark.parametrize("name", BUILT)
def test_one_gcc_builds_runs_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    code = BUILT[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error
