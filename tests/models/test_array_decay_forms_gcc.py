"""An array (or a function) a comma operator, a statement expression or ``__auto_type`` takes decays as gcc's does.

C converts an array used as a value to a pointer to its first element, and a function to a pointer to it (C11
6.3.2.1p3-4): a comma operator's result, a GNU statement expression's value and the initializer ``__auto_type``
takes its type from are such values. The mirror's runs read and wrote through them as pointers, but typed them as
the arrays: ``sizeof((0, a))``, ``sizeof(({ a; }))`` and ``sizeof(p)`` after ``__auto_type p = a`` were the
array's size (32 of a ``u64 a[4]``) where gcc's are the pointer's (8), and typeof() of them an array: a silent wrong
value (``memset(p, 0, sizeof(p))`` cleared the whole array in the mirror, 8 bytes in the kernel)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

DECAYS = r"""
struct pw_dm { u32 v[3]; };

static int pw_dm_twice(int v)
{
	return v * 2;
}

static long long pw_dm_comma(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 a[4] = { 1, 2, 3, 4 };
	char buf[16];
	typeof((err, a)) p = a;

	(err, a)[1] = 20;
	return sizeof((0, a)) + sizeof((err, buf)) * 100 + sizeof(p) * 10000 + p[1] * 1000000
		+ ((0, a) == a) * 7 + (err != 0);
}

static long long pw_dm_statement(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 a[4] = { 1, 2, 3, 4 };
	u64 *q = ({ a; }) + 2;

	*q = 30;
	return sizeof(({ a; })) + a[2] * 100 + (err != 0);
}

static long long pw_dm_auto(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u64 a[4] = { 1, 2, 3, 4 };
	char buf[12] = "xyz";
	__auto_type p = a;
	__auto_type b = buf;
	__auto_type s = "abcdef";
	__auto_type g = pw_dm_twice;

	p[0] = 9;
	b[0] = 'q';
	memset(p, 0, sizeof(p));
	return sizeof(p) + sizeof(b) * 100 + sizeof(s) * 10000 + sizeof(g) * 1000000 + g(3) * 100000000LL
		+ a[0] + a[1] * 3 + buf[0] * 7 + (err != 0);
}

static long long pw_dm_member(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct pw_dm m = { { 1, 2, 3 } };
	__auto_type p = m.v;

	p[1] = 7;
	return sizeof(p) * 1000 + sizeof((0, m.v)) * 100 + m.v[1] + sizeof(({ m.v; })) * 10000 + (err != 0);
}
"""


def test_an_array_a_comma_a_statement_expression_or_auto_type_takes_decays_as_gcc_s(tmp_path: Path) -> None:
    # Before, the mirror's sizeof of each was the array's: gcc's build disagreed on every piece, both scripts.
    runs_as_gcc(tmp_path, "dm", "demo/dm.h", DECAYS)
