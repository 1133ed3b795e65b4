"""A function of the code named like a kernel primitive the mirror models (kfree(), kmalloc(), strlen()): refused.

The kernel's headers declare or define each (include/linux/slab.h ``void kfree(const void *objp)``, string.h's
strlen(), processor.h's static inline cpu_relax()), so gcc refuses a static definition of the name (a conflict with
the declaration, or a redefinition) and vmlinux's link a second global one; gcc below the crosscheck's prelude
(the primitives as macros or libc's declarations) refuses it too. Before, the mirror ran the code's function in place
of the kernel's, a value gcc never builds. gcc -O2 is the oracle (test_prelude_named_functions_gcc.gcc_value)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"
REFUSED = {
    "kfree": "static void kfree(const void *p)\n{\n}\n" + F % "(kfree(NULL), 3)",
    "kmalloc": "static void *kmalloc(size_t n, gfp_t g)\n{\n\treturn NULL;\n}\n" + F % "kmalloc(8, GFP_KERNEL) == NULL",
    "kzalloc": "void *kzalloc(size_t n, gfp_t g)\n{\n\treturn NULL;\n}\n" + F % "kzalloc(8, GFP_KERNEL) == NULL",
    "strlen": "static size_t strlen(const char *s)\n{\n\treturn 99;\n}\n" + F % "strlen(\"ab\")",
    "memcpy": "static void *memcpy(void *d, const void *s, size_t n)\n{\n\treturn d;\n}\n"
              + F % "({ int a = 1, b = 2; memcpy(&a, &b, sizeof(a)); a; })",
    "cpu_relax": "static void cpu_relax(void)\n{\n}\n" + F % "(cpu_relax(), 1)",
    # a value only its sign is modelled of (strcmp()): the definition is named, not that rule of the kernel's
    "strcmp": "static int strcmp(const char *a, const char *b)\n{\n\treturn 42;\n}\n" + F % "strcmp(\"a\", \"b\")",
    # taken as a value, not called
    "pointer": "static void kfree(const void *p)\n{\n}\n" + F % "(long long)(kfree != NULL)",
}


@needs_cc
@pytest.mark.parametrize("name", REFUSED)
def test_a_definition_named_like_a_primitive_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    code = REFUSED[name]
    assert gcc_value(tmp_path, code) is None  # gcc builds nothing
    out = run(code)
    shown = "kfree" if name == "pointer" else name
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'long long f(') + 2}: "), out.error  # its return
    assert f"{PATH}:1: {shown} is a kernel function the mirror models" in (out.error or ""), out.error


@needs_cc
def test_a_name_like_a_primitive_but_another_runs(tmp_path: Path) -> None:
    code = ("static void my_kfree(const void *p)\n{\n\tkfree(p);\n}\n"
            + F % "({ u32 *v = kmalloc(sizeof(*v), GFP_KERNEL); *v = 5; my_kfree(v); 5; })")
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error


@needs_cc
def test_a_primitive_macro_undefined_above_its_own_definition_runs_it(tmp_path: Path) -> None:
    # include/linux/compiler.h's likely() is a macro: "#undef likely" above the code's own likely() leaves gcc a
    # function of the code's to build and call, and so the mirror (before: refused as the kernel's function).
    code = "#undef likely\nstatic int likely(int x)\n{\n\treturn !x;\n}\n" + F % "likely(0) * 10 + likely(3)"
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)) == ("ok", 10), out.error
