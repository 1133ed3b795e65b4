"""Variable length arrays (C11 6.7.6.2p4), against gcc.

The kernel builds with -Wvla, a warning: gcc builds 'u64 buf[n];'. The mirror refused it ("not an integer constant
expression: 'n'"), so the variant was "not run"; now each run of the declaration makes an array of that many unset
elements: indexed within its bounds, passed as a pointer, cleared by memset(), sizeof and ARRAY_SIZE() read at run
time. A length not above 0 (undefined) is a run-time error; an initializer and a jump into its scope (goto, switch)
fail the build as in gcc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
static u64 pw_vla_sum(const u64 *v, int n)
{
	u64 s = 0;
	int i;

	for (i = 0; i < n; i++)
		s = s * 31 + v[i];
	return s;
}

static long long pw_vla_basic(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int n = (int)(err & 7) + 2, i;
	u64 buf[n];
	long long r = sizeof(buf) * 1000 + ARRAY_SIZE(buf) * 10;

	for (i = 0; i < n; i++)
		buf[i] = err >> i;
	buf[n - 1] += 5;
	return r + (long long)pw_vla_sum(buf, n) + sizeof(buf[0]);
}

struct pw_pair { u32 a; u16 b; };

static long long pw_vla_kinds(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 k = (u8)(err >> 4) % 5 + 1;
	char name[k + 3];
	struct pw_pair ps[k];
	u16 h[(err & 1) + 1];
	long long r = 0;
	int i;

	memset(name, 'x', sizeof(name));
	name[sizeof(name) - 1] = 0;
	for (i = 0; i < k; i++) {
		ps[i].a = i * 3;
		ps[i].b = (u16)err;
	}
	h[0] = 7;
	r = sizeof(name) * 100 + strlen(name) * 10 + sizeof(ps) + sizeof(h) * 1000;
	for (i = 0; i < k; i++)
		r = r * 7 + ps[i].a + ps[i].b;
	return r + h[0];
}

static long long pw_vla_loop(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	long long r = 0;
	int j;

	for (j = 1; j < 5; j++) {
		u32 row[j * 2];
		int i;

		for (i = 0; i < j * 2; i++)
			row[i] = (u32)(err >> (i + j));
		r = r * 13 + sizeof(row) + row[j];
	}
	return r;
}
"""


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before, each stopped: "not an integer constant expression: 'n'".
    runs_as_gcc(tmp_path, "vl", "demo/vl.h", PIECES)


ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint n = (int)__seamcall(fn, args);\n"


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("\tu64 a[n - 5];\n\n\treturn sizeof(a);\n", "runtime", "the length of the variable length array 'a' is 0"),
    ("\tu64 a[n - 6];\n\n\treturn sizeof(a);\n", "runtime", "is -1, not above 0"),
    ("\tu64 a[n];\n\n\ta[0] = 1;\n\treturn a[1];\n", "runtime", "read before it is set"),
    ("\tu64 a[n];\n\n\ta[5] = 1;\n\treturn 0;\n", "runtime", "index 5 outside a[5]"),
    ("\tu64 a[n] = {};\n\n\treturn 0;\n", "build", "variable-sized object may not be initialized"),
    ("\tif (n)\n\t\tgoto out;\n\tu64 a[n];\n\n\ta[0] = 1;\nout:\n\treturn 0;\n", "build",
     "jump into scope of identifier with variably modified type"),
    ("\tswitch (n) {\n\tcase 0:\n\t\t;\n\t\tu64 a[n];\n\tcase 5:\n\t\treturn 1;\n\t}\n\treturn 0;\n", "build",
     "switch jumps into scope of identifier with variably modified type"),
    ("\tu64 a[n][2];\n\n\treturn 0;\n", "unsupported", "a variable length array of arrays"),
    ("\tu64 a[n];\n\n\treturn sizeof(*&a);\n", "unsupported", "sizeof of a variable length array other than"),
    # It was 'index 0 outside x[0]', a run-time error where gcc makes x as long as a.
    ("\tu64 a[n];\n\ttypeof(a) x;\n\n\tx[0] = 1;\n\treturn x[0];\n", "unsupported",
     "'x' declared with the type of a variable length array (typeof) is not modelled"),
])
def test_what_gcc_refuses_or_leaves_undefined(body: str, kind: str, says: str) -> None:
    out = run(ENTRY + body + "}\n", script=(5,))
    assert (out.status, out.error_kind, says in (out.error or "")) == ("error", kind, True), out.error
