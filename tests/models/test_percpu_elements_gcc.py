"""Per-CPU operands with subscripts are that element, as gcc's build has it.

Per-CPU operands with subscripts (``this_cpu_inc(hits[2])``, ``this_cpu_write(st.a[1], v)``): an element of a
declared per-CPU array is that element, which this_cpu_ptr() reaches too, as gcc's build of the same C has it; the
mirror named it by its text only (a declared array's element was 'declared in no file', this_cpu_ptr(&hits[1])
read 0 after this_cpu_write(hits[1], 6)). A subscript that is not a constant is refused: the kernel evaluates the
operand once, the mirror never evaluated it (hits[next()] had no side effect) and named every element it reaches
by one text (hits[i] before and after i++ was one variable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc
from tests.models.cprog import PATH, line_of, run

ELEMENTS_H = """\
enum pe_kind { PE_A, PE_B, PE_C };
struct pe_stats { u32 n; u64 a[2]; };
DEFINE_PER_CPU(u64, pe_hits[3]);
DEFINE_PER_CPU(struct pe_stats, pe_st);
DEFINE_PER_CPU(struct pe_stats, pe_many[2]);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	long long r;
	u64 err;

	preempt_disable();
	this_cpu_write(pe_hits[PE_B], 5);
	this_cpu_inc(pe_hits[PE_B]);
	this_cpu_add(pe_hits[2], 3);
	this_cpu_write(pe_st.a[1], 7);
	this_cpu_inc(pe_many[1].n);
	err = __seamcall(fn, args);
	this_cpu_add(pe_many[1].a[0], err >> 32);
	r = this_cpu_read(pe_hits[1]) * 100000 + *this_cpu_ptr(&pe_hits[1]) * 10000 + pe_hits[2] * 1000
		+ *this_cpu_ptr(&pe_st.a[1]) * 100 + this_cpu_read(pe_many[1].n) * 10 + this_cpu_ptr(&pe_many[1])->a[0];
	preempt_enable();
	return r;
}
"""


def test_elements_of_declared_per_cpu_arrays_run_as_gcc_runs_them(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "pe", "demo/pe.h", ELEMENTS_H, 0x8000020300000043,
                             (663710, 663710 + 0x80000203))  # gcc's
    out = result.outcome("pe", "busy/ONE/ok/demo.c")
    # named by their text, as sh_native.c names them (#var)
    assert [c.percpu for c in out.calls] == [(("pe_hits[2]", 3), ("pe_hits[PE_B]", 6), ("pe_many[1].n", 1),
                                              ("pe_st.a[1]", 7))], out.calls


@pytest.mark.parametrize(("stmt", "operand"), [
    ("this_cpu_inc(pe_hits[pe_next()]);", "pe_hits[pe_next()]"), ("this_cpu_write(pe_hits[i], 1);", "pe_hits[i]"),
    ("this_cpu_add(pe_st.a[i], 2);", "pe_st.a[i]"), ("this_cpu_read(pe_many[i].n);", "pe_many[i].n"),
    ("this_cpu_inc(undeclared[i]);", "undeclared[i]"), ("__this_cpu_add(pe_hits[i + 1], 1);", "pe_hits[i+1]")])
def test_a_subscript_that_is_not_a_constant_is_refused(stmt: str, operand: str) -> None:
    code = ELEMENTS_H.split("static long long busy")[0] + (
        "static int pe_calls;\nstatic int pe_next(void)\n{\n\treturn pe_calls++;\n}\n"
        "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tint i = 1;\n\n\tpreempt_disable();\n"
        f"\t{stmt}\n\tpreempt_enable();\n\treturn pe_calls;\n}}\n")
    out = run(code)
    assert out.error_kind == "unsupported" and out.error == (
        f"{PATH}:{line_of(code, stmt)}: per-CPU variable {operand}: a subscript that is not a constant (the run "
        "names a per-CPU variable by its text, which names every element this reaches alike)"), out.error
