"""A goto forward past a declaration, against gcc.

C11 6.8.6.1 allows a jump into a variable's scope past its declaration (but for a variably modified type): the
variable exists (its lifetime began with the block, 6.2.4p6), its initializer does not run. The mirror refused every
such goto (the variant "not run"); now the variable is unset (a read before a store is a run-time error) unless this
entry of the block ran the declaration already (a goto back above it and forward again keeps its value), a static's
initial value is the program's, and an array, a struct or a variable whose address is taken is there to be stored
to. A cleanup variable jumped past stays refused (its cleanup would run on an unset value; clang refuses it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
static long long pw_skip_scalar(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int r = 1;

	if (err)
		goto out;
	int k = 5;

	r += k;
out:
	k = (int)(err & 0xff);
	return r * 1000 + k;
}

static long long pw_skip_aggregates(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err >> 60)
		goto fill;
	u64 a[3] = { 1, 2, 3 };
	struct tdx_module_args s = { .rcx = 9 };
	int *p = NULL, x = 4;

	p = &x;
fill:
	a[0] = err & 7;
	a[1] = 10;
	a[2] = a[0] + a[1];
	s.rcx = a[2];
	s.rdx = 3;
	p = &x;
	x = 6;
	return (long long)(a[0] + a[1] * 3 + a[2] * 5 + s.rcx * 7 + s.rdx + *p);
}

static long long pw_skip_static(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err != 1)
		goto out;
	static int calls = 40;

	calls += 100;
out:
	calls++;
	return calls;
}

static long long pw_skip_kept(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int n = 0;

again:
	if (n++ == 3)
		goto out;
	int k = n * 10 + (int)(err & 1);

	goto again;
out:
	return k + n;
}

static long long pw_skip_in_loop(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i & 1)
			goto next;
		int t = i * 3;

		r += t;
next:
		t = i + (int)(err >> 62);
		r = r * 10 + t;
	}
	return r;
}
"""


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before, each stopped: "goto out jumps over a declaration, which the mirror does not model".
    runs_as_gcc(tmp_path, "gd", "demo/gd.h", PIECES)


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "kind", "says"), [
    # The skipped variable is indeterminate (gcc reads what its stack slot held): read before a store, an error.
    ("\tint r = 1;\n\n\tgoto out;\n\tint k = 5;\nout:\n\treturn r + k;\n", "runtime", "'k' is read before it is set"),
    ("\tgoto out;\n\tu64 a[2] = { 1, 2 };\nout:\n\ta[0] = 1;\n\treturn a[1];\n", "runtime", "read before it is set"),
    # Left by a jump out of its own initializer: never set either.
    ("\tint r = ({ goto out; 1; });\nout:\n\treturn r;\n", "runtime", "'r' is read before it is set"),
    # Into a block's later entry: the declaration ran on the earlier one, whose value is gone (6.2.4p6).
    ("\tint i, r = 0;\n\n\tfor (i = 0; i < 2; i++) {\n\t\tif (i)\n\t\t\tgoto next;\n\t\tint t = 7;\n\n"
     "\t\tr += t;\nnext:\n\t\tr += t;\n\t}\n\treturn r;\n", "runtime", "'t' is read before it is set"),
    ("\tstatic int m;\n\n\tgoto out;\n\tint v __cleanup(put) = 1;\nout:\n\treturn m;\n", "unsupported",
     "goto out jumps over the declaration of 'v', which has a cleanup"),
])
def test_what_gcc_leaves_indeterminate_is_a_run_time_error(body: str, kind: str, says: str) -> None:
    code = "static void put(int *p)\n{\n}\n" + ENTRY + body + "}\n"
    out = run(code)
    assert (out.status, out.error_kind, says in (out.error or "")) == ("error", kind, True), out.error
