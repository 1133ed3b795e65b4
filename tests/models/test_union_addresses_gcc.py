"""Taking the address of a union member reads nothing (C11 6.5.3.2), against gcc.

Taking the address of a union member reads nothing (C11 6.5.3.2): the mirror took ``&x.p`` of a pointer member for
a use of it (every other member unknown: 'p' was used last), ``&x.in`` of a nested union for a read of it ('reading
union member in: the bytes of union ... are not modelled') and, after a member whose bytes are not modelled was used,
took the others' unknown values for changes in place (a pointer member written through ``&x.p`` then read back:
refused). gcc builds and runs each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ADDRESSES = """\
union ua_p { u64 full; void *p; u32 h[2]; };
union ua_n { u64 full; union { u32 a; u16 b; } in; struct { void *p; u32 c; } s; };

static long long pw_ua_pointer_member(u64 fn, struct tdx_module_args *args)
{
	union ua_p x, y;
	void **pp = &x.p, **yp = &y.p;

	x.full = 3 + (fn & 1);
	*yp = 0;
	return x.full + (pp != 0) * 10 + (y.p == 0) * 100 + x.h[0] * 1000;
}

static long long pw_ua_nested(u64 fn, struct tdx_module_args *args)
{
	union ua_n x, y;
	typeof(x.in) *q;
	typeof(y.s) *s;

	x.full = 3;
	q = &x.in;
	q->a = 0x10005 + (fn & 1);
	y.full = 4;
	s = &y.s;
	s->c = 7;
	return q->a + q->b + s->c * 1000000;
}
"""


def test_addresses_of_union_members_read_nothing_as_gcc_runs_them(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "ua", "demo/ua.h", ADDRESSES)


def test_a_write_through_a_pointer_to_a_nested_union_is_read_back() -> None:
    # gcc returns 1: the low bytes 'q->a = 1' left (refused before: a nested union's bytes were not modelled)
    out = run("union nn { u64 full; union { u32 a; u16 b; } in; };\n"
              "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tunion nn x;\n\ttypeof(x.in) *q;\n\n"
              "\tx.full = 3;\n\tq = &x.in;\n\tq->a = 1;\n\treturn x.full;\n}\n")
    assert (out.status, out.ret) == ("ok", 1), out.error
