"""A per-CPU variable with an initializer starts from it, as gcc's build has it.

``DEFINE_PER_CPU(int, x) = 3;`` gives every CPU's copy the value 3 (include/linux/percpu-defs.h: the definition is
the template in .data..percpu that each CPU's area is copied from): the first read sees it, converted to the
variable's type as an initializer is (C11 6.7.9p11). The mirror refused any such variable where first used."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import run

INIT_H = """\
DEFINE_PER_CPU(int, pi_x) = 3;
DEFINE_PER_CPU(u8, pi_b) = 300;
DEFINE_PER_CPU(s16, pi_neg) = -2;
DEFINE_PER_CPU(u64, pi_last) = 0x8000000000000001ULL;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long a, b, c, d;
	u64 err;

	this_cpu_inc(pi_x);
	err = __seamcall(fn, args);
	if (err)
		this_cpu_write(pi_last, err);
	this_cpu_add(pi_neg, 1);
	a = this_cpu_read(pi_x);
	b = this_cpu_read(pi_b);
	c = *this_cpu_ptr(&pi_neg);
	d = this_cpu_read(pi_last) & 0xfff;
	return a * 1000000 + b * 1000 + c * 100 + d;
}
"""


def test_per_cpu_variables_with_initializers_run_as_gcc_runs_them(tmp_path: Path) -> None:
    # gcc's: 4 (3, incremented), 44 (300 as u8), -1 (-2 plus 1), the last word's low bits (the initializer's 1
    # where the call succeeds)
    agrees_with_gcc(tmp_path, "pi", "demo/pi.h", INIT_H, 0x8000020300000042, (4044000 - 100 + 1, 4044000 - 100 + 0x42))


def test_an_initialized_per_cpu_variable_is_read_before_any_write() -> None:
    code = ("DEFINE_PER_CPU(unsigned int, pi_hits) = 7;\nlong f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\treturn this_cpu_read(pi_hits);\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 7), out.error


def test_an_initialized_per_cpu_struct_starts_from_its_members() -> None:
    code = ("struct pi_st { u32 n; u64 last; };\nDEFINE_PER_CPU(struct pi_st, pi_st) = { .n = 2, .last = 9 };\n"
            "long f(u64 fn, struct tdx_module_args *args)\n{\n\tthis_cpu_inc(pi_st.n);\n"
            "\treturn this_cpu_read(pi_st.n) * 10 + this_cpu_ptr(&pi_st)->last;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 39), out.error
