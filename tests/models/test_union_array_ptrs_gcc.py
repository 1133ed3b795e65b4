"""A pointer made from an array in a union's member reads the bytes the union holds now.

A pointer made from an array inside a union's member (``u8 *p = u.b``, ``u16 *p = u.q.h``, ``u8 *p = u.m[1]``)
reads and writes the bytes the union holds now: the mirror read the array's old contents after another member
changed in place (``u.w.lo = 5; p[0]``: 0 where gcc gives 5), and refused a union read after a write through
it ('members b, w all changed in place'). gcc builds and runs each (x86-64, little-endian)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ARRAYS = """\
union ap_u { u8 b[8]; struct { u32 lo, hi; } w; u64 full; u8 m[2][4]; struct { u16 h[4]; } q; };

static long long pw_ap_read_after_change(u64 fn, struct tdx_module_args *args)
{
	union ap_u u = { .full = 0x1122334455667788ULL + (fn & 1) };
	u8 *p = u.b, *r = u.m[1];
	u16 *h = u.q.h;

	u.w.lo = 5 + (fn & 2);
	return p[0] + p[4] * 1000 + h[0] * 1000000 + r[1] * 100;
}

static long long pw_ap_write_after_change(u64 fn, struct tdx_module_args *args)
{
	union ap_u u = { .full = 0x1122334455667788ULL };
	u8 *p = u.b;
	u16 *h = u.q.h;

	u.w.hi = 0x0a0b0c0d + (fn & 1);
	p[1] = 9;
	h[3] = 3;
	u.w.lo += 1;
	return (long long)(u.full >> 1) + p[1] + p[6];
}

static long long pw_ap_steps(u64 fn, struct tdx_module_args *args)
{
	union ap_u u = { .full = 0 };
	u8 *p = u.b + 4;
	long long s = 0;
	int i;

	for (i = 0; i < 4; i++) {
		u.w.hi += 0x01010101 + (fn & 1);
		s = s * 7 + p[i] + p[-1];
	}
	return s;
}
"""


def test_pointers_into_union_arrays_read_what_gcc_reads(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "ap", "demo/ap.h", ARRAYS)


PRE = "union ap2 { u8 b[8]; char c[8]; struct { u32 lo, hi; } w; u16 m[2][2]; };\n"


@pytest.mark.parametrize(("body", "gcc"), [
    ("u8 *p = u.b;\n\tu.w.lo = 5;\n\treturn p[0];", 5),  # the mirror: 0
    ("u16 *p = u.m[1];\n\tu.w.hi = 0x70008;\n\treturn p[1] * 10 + p[0];", 78),  # the mirror: 0
    ("u8 *p = u.b;\n\tu.w.lo = 5;\n\tp[0] = 0;\n\treturn u.w.lo;", 0),  # the mirror: refused
    ("char *p = u.c;\n\tu.w.lo = 0x434241;\n\treturn strlen(p);", 3),  # the mirror: 0
    ("char *p = u.c;\n\tchar buf[8];\n\n\tu.w.lo = 0x434241;\n\tsnprintf(buf, 8, \"%s\", p);\n\treturn buf[2];",
     67),  # the mirror: 'buf[2]' is read before it is set
    ("char *p = u.c;\n\tu.w.hi = 0x44;\n\tsprintf(p, \"%d\", 7);\n\treturn u.w.hi + u.w.lo;", 0x44 + 0x37),
])
def test_a_pointer_into_a_union_array_sees_another_members_change(body: str, gcc: int) -> None:
    out = run(PRE + "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tunion ap2 u = { .w = { 0, 0 } };\n"
              f"\t{body}\n}}\n")
    assert (out.status, out.ret) == ("ok", gcc), out.error
