"""Pointer steps into arrays and arrays of structs (C11 6.5.2.4, 6.5.16.2), against gcc.

``p++``, ``p--``, ``p += n``, ``p -= n`` of a pointer into an array (C11 6.5.2.4, 6.5.16.2: ``p = p + n``), and
``&sa[i]`` of an array of structs stepped or indexed further (``p = &sa[1]; p[1].x``, ``(p + 1)->x``): gcc builds
and runs each; the mirror refused them ('p++ on unsigned long long *', 'element 1 of a pointer to a single
object'). A struct element's pointer still is the struct where nothing steps it: a SEAMCALL's args. A ``void *``
steps by bytes (GNU C: sizeof(void) is 1), over the elements of the array it points into."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

STEPS = """\
struct ps_s { u32 x; u64 y; };
static struct ps_s ps_g[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };

static long long ps_sum(const u64 *p, const u64 *end)
{
	long long r = 0;

	while (p != end)
		r = r * 10 + *p++;
	return r;
}

static long long pw_scalar_steps(u64 fn, struct tdx_module_args *args)
{
	u64 a[4] = { 1, 2, 3, 4 };
	u64 *p = a, *q;
	long long r = 0;

	p++;
	r = r * 10 + *p;
	p += 2;
	r = r * 10 + *p;
	q = p--;
	r = r * 10 + *p + (q - p) * 100;
	p -= 2;
	r = r * 10 + *p + (p == a);
	++p;
	--p;
	*++p = fn & 7;
	*p-- += 1;
	r = r * 10 + a[1] + (p == &a[0]);
	r = r * 100000 + ps_sum(a, a + 4);
	return r;
}

static long long pw_struct_steps(u64 fn, struct tdx_module_args *args)
{
	struct ps_s sa[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };
	struct ps_s *p = &sa[1], *q = &ps_g[0];
	long long r = 0;

	r = r * 10 + p[1].x;
	r = r * 10 + (p + 1)->x;
	r = r * 10 + (p - 1)->y;
	p++;
	r = r * 10 + p->x + (p == &sa[2]);
	p -= 2;
	p->x = fn & 7;
	r = r * 10 + sa[0].x + (p == sa);
	q += 2;
	r = r * 10 + q->y + (q - ps_g);
	r = r * 10 + (&q[-1])->x;
	return r;
}

static long long pw_void_steps(u64 fn, struct tdx_module_args *args)
{
	u32 w[4] = { 1, 2, 3, 4 };
	u8 b[6] = { 9, 8, 7, 6, 5, 4 };
	void *p = w, *e = &w[3];
	const void *c = b;
	long long r = 0;

	r = r * 10 + *(u32 *)(p + 4);
	p += 8;
	r = r * 10 + *(u32 *)p + (e - p) * 100;
	p -= 4 * (fn & 1);
	r = r * 10 + *(u32 *)p + (p < e) + (p >= (void *)w) * 2;
	c++;
	r = r * 10 + *(const u8 *)(c + 2) + (c - (const void *)b);
	return r;
}

static long long pw_args_element(u64 fn, struct tdx_module_args *args)
{
	struct tdx_module_args two[2] = {};
	struct tdx_module_args *one = &two[1];
	u64 err;

	one->rcx = 5;
	err = __seamcall(fn, one);
	return (long long)(err & 0xff) + two[1].rcx * 1000 + (one == &two[1]);
}
"""


def test_pointers_step_through_arrays_as_gcc_runs_them(tmp_path: Path) -> None:
    result = runs_as_gcc(tmp_path, "steps", "demo/ps.h", STEPS)
    assert result.outcome("steps", "busy/ONE/ok/demo.c").status == "ok"


def test_a_step_past_the_array_is_a_run_time_error() -> None:
    # gcc: undefined behaviour (C11 6.5.6p8), which the mirror stops at
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tu64 a[2] = { 1, 2 };\n\tu64 *p = a;\n\n"
              "\tp += 3;\n\treturn 0;\n}\n")
    assert (out.status, (out.error or "").split(": ")[0]) == ("error", "test/prog.c:6"), out.error


def test_a_void_pointer_step_into_an_element_is_refused() -> None:
    # gcc reads part of an element's bytes, which the mirror does not model: refused where it steps, never guessed
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tu32 a[2] = { 1, 2 };\n\tvoid *p = a;\n\n"
              "\treturn *(u8 *)(p + 2);\n}\n")
    said = "test/prog.c:6: pointer arithmetic (+) of 2 bytes on a void * into an array of unsigned int"
    assert out.status == "error" and (out.error or "").startswith(said), out.error
