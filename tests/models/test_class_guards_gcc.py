"""scoped_guard() and scoped_cond_guard() of a class that is not a guard, against gcc.

scoped_guard() and scoped_cond_guard() of a class that is not a guard (DEFINE_CLASS(), EXTEND_CLASS()): cleanup.h's
scoped guards ask the class for its lock pointer (class_<name>_lock_ptr()), which only guard classes and the
DEFINE_CLASS_IS_GUARD(), _IS_COND_GUARD() and _IS_UNCONDITIONAL() markers define, so gcc refuses the build; with a
marker it runs. scoped_class() runs its body once with the class's variable. gcc runs a cleanup.h written here from
the header's documented semantics (the scoped guards' for loop whose increment jumps to a break), not the prelude's."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import line_of, run

GCC = shutil.which("gcc")

# What the kernel's cleanup.h does for these classes, in a few lines of our own.
CLEANUP_H = r"""
#include <stdio.h>
#include <stdbool.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
#define __cleanup(f) __attribute__((__cleanup__(f)))
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define DEFINE_CLASS(_name, _type, _exit, _init, _args...) typedef _type class_##_name##_t; \
	static inline void class_##_name##_destructor(_type *p) { _type _T = *p; _exit; } \
	static inline _type class_##_name##_constructor(_args) { _type t = _init; return t; }
#define CLASS(_name, var) class_##_name##_t var __cleanup(class_##_name##_destructor) = class_##_name##_constructor
#define DEFINE_CLASS_IS_UNCONDITIONAL(_name) static const bool class_##_name##_is_conditional = false; \
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T) { return (void *)1; }
#define DEFINE_CLASS_IS_GUARD(_name) static const bool class_##_name##_is_conditional = false; \
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T) { return (void *)(unsigned long)*_T; }
#define DEFINE_CLASS_IS_COND_GUARD(_name) static const bool class_##_name##_is_conditional = true; \
	static inline void *class_##_name##_lock_ptr(class_##_name##_t *_T) { return (void *)(unsigned long)*_T; }
#define __scoped_guard(_name, _label, args...) \
	for (CLASS(_name, scope)(args); class_##_name##_lock_ptr(&scope) || !class_##_name##_is_conditional; \
		({ goto _label; })) if (0) { _label: break; } else
#define scoped_guard(_name, args...) __scoped_guard(_name, CAT(l_, __COUNTER__), args)
#define __scoped_cond_guard(_name, _fail, _label, args...) \
	for (CLASS(_name, scope)(args); true; ({ goto _label; })) \
		if (!class_##_name##_lock_ptr(&scope)) { _fail; _label: break; } else
#define scoped_cond_guard(_name, _fail, args...) __scoped_cond_guard(_name, _fail, CAT(l_, __COUNTER__), args)
#define __scoped_class(_name, var, _label, args...) \
	for (CLASS(_name, var)(args); ; ({ goto _label; })) if (0) { _label: break; } else
#define scoped_class(_name, var, args...) __scoped_class(_name, var, CAT(l_, __COUNTER__), args)
"""

CLASS = "static int g;\nDEFINE_CLASS(val, int, g = g * 10 + _T, ({ x * 2; }), int x)\n"
ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


def _gcc(tmp_path: Path, code: str) -> int | None:
    """What f(0, 0) returns, built as the kernel builds (implicit declarations are errors); None if gcc refuses."""
    assert GCC is not None
    src, exe = tmp_path / "p.c", tmp_path / "p"
    src.write_text(CLEANUP_H + code + 'int main(void) { printf("%lld\\n", f(0, 0)); return 0; }\n')
    built = subprocess.run([GCC, "-std=gnu11", "-Werror=implicit-function-declaration", "-o", str(exe), str(src)],
                           capture_output=True, text=True)
    if built.returncode:
        return None
    return int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)


REFUSED = {
    "scoped_guard": "\tscoped_guard(val, 3)\n\t\tg += 1;\n\treturn g;\n}\n",
    "scoped_cond_guard": "\tscoped_cond_guard(val, return -1, 3)\n\t\tg += 1;\n\treturn g;\n}\n",
}


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("use", sorted(REFUSED))
def test_a_scoped_guard_of_a_class_that_is_no_guard_fails_the_build_as_gcc_fails_it(tmp_path: Path, use: str) -> None:
    code = CLASS + ENTRY + REFUSED[use]
    assert _gcc(tmp_path, code) is None
    out = run(code)
    assert out.status == "error" and out.error_kind == "build", (out.status, out.error)
    assert f"test/prog.c:{line_of(code, use + '(')}:" in (out.error or "") and "class_val_lock_ptr" in (out.error or "")


MARKED = {
    # a marker makes the class a guard: unconditional (entered), or conditional on its value (0: not entered)
    "unconditional": ("DEFINE_CLASS_IS_UNCONDITIONAL(val)\n", "\tscoped_guard(val, 3)\n\t\tg += 1;\n\treturn g;\n}\n"),
    "guard": ("DEFINE_CLASS_IS_GUARD(val)\n", "\tscoped_guard(val, 0)\n\t\tg += 1;\n\treturn g;\n}\n"),
    "cond_guard": ("DEFINE_CLASS_IS_COND_GUARD(val)\n",
                   "\tscoped_guard(val, 0)\n\t\tg += 1;\n\tscoped_cond_guard(val, g += 50, 0)\n\t\tg += 7;\n"
                   "\tscoped_cond_guard(val, return -1, 4)\n\t\tg += 300;\n\treturn g;\n}\n"),
    # scoped_class(): the body once with the variable, break and continue leave it, the destructor on the way out
    "scoped_class": ("", "\tfor (int i = 0; i < 3; i++) {\n\t\tscoped_class(val, v, i + 1) {\n"
                         "\t\t\tif (i == 1)\n\t\t\t\tcontinue;\n\t\t\tg += v * 100;\n\t\t\tif (i == 2)\n"
                         "\t\t\t\tbreak;\n\t\t}\n\t\tg += 1;\n\t}\n\treturn g;\n}\n"),
}


@pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")
@pytest.mark.parametrize("use", sorted(MARKED))
def test_a_class_made_a_guard_runs_its_scoped_guards_as_gcc_runs_them(tmp_path: Path, use: str) -> None:
    marker, body = MARKED[use]
    code = CLASS + marker + ENTRY + body
    want = _gcc(tmp_path, code)
    assert want is not None
    out = run(code)
    assert (out.status, out.ret) == ("ok", want), out.error
