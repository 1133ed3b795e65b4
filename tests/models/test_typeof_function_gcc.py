"""``typeof(func) *fp = func;`` and calls through it, against gcc.

``typeof(func) *fp = func;``: a function pointer declared through typeof of a function (one the code defines, or a
kernel primitive) and calls through it. The mirror typed a function's name as the pointer it decays to, so
``typeof(func) *`` was a pointer to a pointer ("calling something of type ... * *"); typeof of a function designator
is the function's type (C11 6.3.2.1p4: no decay under typeof). gcc builds and runs each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

TYPEOF = r"""
static u64 tf_twice(u64 fn, struct tdx_module_args *args)
{
	return __seamcall(fn, args) * 2;
}

static u64 tf_apply(typeof(tf_twice) *op, u64 fn, struct tdx_module_args *args)
{
	return op(fn, args) + 1;
}

static long long pw_typeof_fp(u64 fn, struct tdx_module_args *args)
{
	typeof(tf_twice) *fp = tf_twice;
	typeof(__seamcall) *sp = __seamcall;
	typeof(&tf_twice) gp = fp;
	u64 r = fp(fn, args);

	r = r * 3 + (*fp)(fn, args);
	r = r * 5 + sp(fn, args);
	r = r * 7 + gp(fn, args) + (fp == tf_twice) + (gp == fp) * 2;
	r = r * 11 + tf_apply(tf_twice, fn, args);
	r += __builtin_types_compatible_p(typeof(tf_twice), typeof(tf_apply)) * 100;
	return (long long)r;
}
"""


def test_a_function_pointer_declared_by_typeof_of_a_function_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "tf", "demo/tf.h", TYPEOF)


def test_sizeof_a_function_is_refused_not_guessed() -> None:
    # gcc gives 1 for a function type (a -Wpointer-arith warning); the mirror said 8, a pointer's size
    out = run("static int g(void) { return 1; }\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\treturn sizeof(g) + sizeof(typeof(g) *);\n}\n")
    assert (out.status, "sizeof of a function is not modelled" in (out.error or "")) == ("error", True), out.error
