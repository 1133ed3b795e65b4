"""A pointer to a struct element reached by stepping is that element, against gcc.

A pointer to a struct element of an array reached by stepping (``h->a + 1``, ``p++`` of ``p = h->a``, ``l += 2``)
passed to a SEAMCALL or a lock primitive is that element, as ``&h->a[1]`` is (C11 6.5.6p8, 6.5.3.2p3), and an array
of them passed whole is its element 0 (6.3.2.1p3): gcc builds and runs each. The mirror refused the SEAMCALLs ('a
pointer into an array passed to __seamcall()', 'array used as a pointer') and the locks ('spin_lock() needs a
variable name'), and took a stepped lock pointer variable, or an array of locks, for a lock of its own named by its
text ('l acquired', then 'gh.locks[2] released while free')."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ELEMENTS = """\
struct se_holder { u64 pad; struct tdx_module_args a[3]; spinlock_t locks[3]; struct mutex m[2]; };
static struct se_holder se_g;

static long long pw_args_steps(u64 fn, struct tdx_module_args *args)
{
	struct se_holder *h = &se_g;
	struct tdx_module_args la[2] = {};
	struct tdx_module_args *p = h->a;
	u64 err = 0;

	h->a[1].rcx = 7;
	err += __seamcall_ret(fn, h->a + 1);
	p++;
	p++;
	p->rdx = 3;
	err += __seamcall_ret(fn, p);
	la[1].r8 = 9;
	err += __seamcall_ret(fn, la + 1);
	la[0].rcx = 2;
	err += __seamcall_ret(fn, la);
	p = la;
	err += __seamcall_ret(fn, p);
	return (long long)(err & 0xffff) + h->a[1].rcx * 3 + h->a[2].rdx * 5 + la[1].r8 * 7 + h->a[0].rcx + la[0].rcx;
}

static long long pw_lock_steps(u64 fn, struct tdx_module_args *args)
{
	struct se_holder *h = &se_g;
	spinlock_t *l = &h->locks[0];
	spinlock_t ls[2];
	int held = 0;

	spin_lock_init(&h->locks[1]);
	spin_lock_init(&h->locks[2]);
	spin_lock_init(&ls[1]);
	mutex_init(&h->m[1]);
	spin_lock(h->locks + 1);
	spin_unlock(&h->locks[1]);
	l += 2;
	spin_lock(l);
	held += spin_is_locked(&h->locks[2]);
	spin_unlock(&h->locks[2]);
	spin_lock(ls + 1);
	spin_unlock(&ls[1]);
	spin_lock_init(&ls[0]);
	spin_lock(ls);
	held += spin_is_locked(&ls[0]) * 2;
	spin_unlock(&ls[0]);
	mutex_lock(h->m + 1);
	mutex_unlock(&h->m[1]);
	return held * 10 + (fn & 3);
}
"""


def test_struct_elements_reached_by_steps_are_the_elements_as_gcc_runs_them(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "elements", "demo/se.h", ELEMENTS)


def test_a_stepped_pointer_to_a_scalar_is_still_refused_as_a_lock() -> None:
    # what an u64 array's element would be as a lock: not a lock object of the run
    out = run("static u64 words[2];\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tspin_lock((spinlock_t *)(words + 1));\n\treturn 0;\n}\n")
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:4: "), out.error


_THROUGH = """typedef u64 (*sc_t)(u64 fn, struct tdx_module_args *args);
static struct tdx_module_args sa[2];
static u64 words[2];
long long f(u64 fn, struct tdx_module_args *args)
{
	sc_t call = __seamcall_ret;
	u64 err = 0;
	int i;

	sa[1].rcx = 7;
	for (i = 0; i < 2; i++)
		err += call(fn, sa + i);
	err += call(fn, args);
	%s
	return err;
}
"""


def test_a_call_through_a_pointer_passes_struct_elements_every_time_and_refuses_the_rest() -> None:
    """The primitives a pointer reaches are looked up once per call site: each later call still passes a struct
    element as its struct and refuses an element of scalars, after the calls before it were made."""
    out = run(_THROUGH % "", script=(0, 1, 2))
    assert out.status == "ok" and [c.args for c in out.calls] == [(), (("rcx", 7),), ()], out.error
    assert [c.returned for c in out.calls] == [0, 1, 2] and out.ret == 3
    out = run(_THROUGH % "err += call(fn, (void *)(words + 1));")
    assert out.status == "error" and len(out.calls) == 3, out.error
    assert out.error == "test/prog.c:14: a pointer into an array passed to __seamcall_ret()"
