"""A VLA parameter (``u32 a[n]``, ``a[*]`` in a prototype) is a pointer to its element, as gcc passes it.

C11 6.7.6.3p7 adjusts a parameter of array type to a pointer to its element, whether its length is a constant or
not: ``long long sum(int n, u32 a[n])`` takes a ``u32 *`` (``sizeof(a)`` is 8). The mirror worked the length out as
a constant expression, and refused the function ("not an integer constant expression: 'n'"). A length with a side
effect, which gcc works out on entry (6.9.1p10), and a pointer to a VLA (``u32 a[n][m]``) stay refused at their
line. gcc -O2 is the oracle."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, mirror_returns, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

CODE = """\
struct vp_pair { u32 lo; u32 hi; };

static long long vp_sum(int n, const u32 a[n]);
static long long vp_last(int n, u32 a[*]);

static long long vp_sum(int n, const u32 a[n])
{
	long long s = 0;
	int i;

	for (i = 0; i < n; i++)
		s = s * 3 + a[i];
	return s + (long long)sizeof(a);
}

static long long vp_last(int n, u32 a[n + 1])
{
	a[n] += 5;
	return a[n];
}

static long long vp_pairs(unsigned int n, struct vp_pair p[n], u64 fn)
{
	p[n - 1].hi = (u32)(fn >> 4);
	return p[0].lo + p[n - 1].hi * 7;
}

long long f(u64 fn, struct tdx_module_args *args)
{
	u32 v[4] = { (u32)fn, (u32)(fn >> 8), 7, 9 };
	struct vp_pair ps[2] = { { 1, 2 }, { 3, 4 } };
	int n = (int)(fn & 3) + 1;
	long long r = vp_sum(n, v) * 100;

	r += vp_last(n - 1, v) * 10;
	r += vp_pairs(2, ps, fn);
	return r + v[n - 1];
}
"""


@needs_cc
@pytest.mark.parametrize("fn", [0x0, 0x1234, 0xfe, 0x2a3])
def test_a_vla_parameter_runs_as_gcc_runs_it(tmp_path: Path, fn: int) -> None:
    want = gcc_value(tmp_path, CODE.replace("long long f(u64 fn,", "static long long h(u64 fn,")
                     + f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn h({fn:#x}ULL, args);\n}}\n")
    assert mirror_returns(CODE, fn, "h") == want


@pytest.mark.parametrize(("params", "use", "says"), [
    ("int n, u32 a[n++]", "a[0]", "a VLA parameter's length with a side effect"),
    ("int n, int m, u32 a[n][m]", "a[0][0]", "not an integer constant expression: 'm'"),
])
def test_what_is_not_modelled_of_them_is_refused_at_its_line(params: str, use: str, says: str) -> None:
    code = (f"static long long vp_g({params})\n{{\n\treturn {use};\n}}\n\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tu32 v[2][2] = { { 1, 2 }, { 3, 4 } };\n\n"
            f"\treturn vp_g({'2, 2, v' if 'm' in params else '2, v[0]'});\n}}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.ret, out.error)
    assert f"{PATH}:{line_of(code, 'static long long vp_g(')}: " in (out.error or "") and says in (out.error or "")
