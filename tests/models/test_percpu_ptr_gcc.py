"""this_cpu_ptr(), raw_cpu_ptr(), per_cpu_ptr() and per_cpu(), pinned to gcc's outcomes.

this_cpu_ptr(), raw_cpu_ptr(), per_cpu_ptr() and per_cpu() on per-CPU variables and structs, mixed with the
this_cpu_*() operations, run by the mirror and compiled by gcc: outcomes pinned to gcc's."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import run

# Counters a helper keeps per CPU: a struct reached through per_cpu_ptr() and this_cpu_ptr() and updated by
# this_cpu_inc()/this_cpu_add() of its members too, a signed s16 through raw_cpu_ptr(), a u64 by per_cpu(); read
# back with preemption off (this_cpu_ptr() in preemptible code is CONFIG_DEBUG_PREEMPT's report, below).
PCPU_H = """\
struct sl_pcpu { u64 calls; s32 last_err; u8 tries; bool busy; };
static DEFINE_PER_CPU(struct sl_pcpu, sl_pcpu);
static DEFINE_PER_CPU(s16, sl_delta);
static DEFINE_PER_CPU(u64, sl_total);

static u64 sl_call(u64 fn, struct tdx_module_args *args)
{
	struct sl_pcpu *p = per_cpu_ptr(&sl_pcpu, smp_processor_id());
	s16 *d = raw_cpu_ptr(&sl_delta);
	u64 ret;

	this_cpu_inc(sl_pcpu.calls);
	p->tries += 200;
	*d -= 3;
	ret = __seamcall(fn, args);
	p->busy = ret != 0;
	p->last_err = -(s32)(ret & 0xffff);
	this_cpu_add(sl_pcpu.last_err, 1);
	__this_cpu_add(sl_total, ret >> 32);
	per_cpu(sl_total, 0) += 5;
	return ret;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r1, r2;

	preempt_disable();
	r1 = sl_call(fn, args);
	r2 = sl_call(fn, args);
	pr_info("calls %llu tries %u delta %d err %d total %#llx busy %d\\n", this_cpu_read(sl_pcpu.calls),
		(u32)this_cpu_ptr(&sl_pcpu)->tries, this_cpu_read(sl_delta), raw_cpu_read(sl_pcpu.last_err),
		this_cpu_read(sl_total), this_cpu_ptr(&sl_pcpu)->busy);
	preempt_enable();
	return (long long)(r1 ^ r2) + this_cpu_read(sl_delta);
}
"""


def test_per_cpu_pointers_reach_what_the_operations_read_as_gcc_does(tmp_path: Path) -> None:
    result = header_result(tmp_path, "pc", "demo/pc.h", PCPU_H, 0x8000020300000042)
    big = result.outcome("pc", "busy/ONE/big/demo.c")
    assert big.status == "ok", big.error
    # gcc's: u8 tries 200 + 200 wraps to 144; last_err -0x42 + 1; sl_total (ret >> 32) + 5, twice
    assert [x.text for x in big.log] == ["calls 2 tries 144 delta -6 err -65 total 0x100000410 busy 1"]
    # a SEAMCALL sees the values the objects hold then, per_cpu()'s store to sl_total included
    assert [dict(c.percpu).get("sl_total") for c in big.calls] == [None, 0x80000208]
    assert dict(big.state)["sl_delta"] == "-6"
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["pc"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def test_another_cpus_copy_is_refused_with_file_and_line() -> None:
    out = run("static DEFINE_PER_CPU(u64, sl_n);\n\nint f(u64 fn, struct tdx_module_args *args)\n{\n"
              "\tu64 *p = per_cpu_ptr(&sl_n, 1);\n\n\treturn (int)*p;\n}\n")
    assert out.status == "error" and (out.error or "").startswith("test/prog.c:5: per-CPU data of CPU 1"), out.error


# include/linux/percpu-defs.h: under CONFIG_DEBUG_PREEMPT this_cpu_ptr() shifts its pointer by my_cpu_offset, which
# include/asm-generic/percpu.h makes per_cpu_offset(smp_processor_id()) (x86 defines only __my_cpu_offset): in
# preemptible code it is smp_processor_id()'s report, after the pointer; raw_cpu_ptr() and get_cpu_ptr() are not.
PTR_CHECK_H = """\
static DEFINE_PER_CPU(u64, pc_hits);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	u64 *p;

	*raw_cpu_ptr(&pc_hits) += 1;
	p = get_cpu_ptr(&pc_hits);
	*p += 10;
	put_cpu_ptr(&pc_hits);
	scoped_guard(irqsave)
		*this_cpu_ptr(&pc_hits) += 100;
	if (ret)
		*this_cpu_ptr(&pc_hits) += 1000;
	return this_cpu_read(pc_hits);
}
"""


def test_this_cpu_ptr_in_preemptible_code_is_reported_as_gcc_runs_it(tmp_path: Path) -> None:
    result = header_result(tmp_path, "pk", "demo/pk.h", PTR_CHECK_H, 0x8000020300000042)
    ok, big = (result.outcome("pk", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.status, ok.ret, big.ret) == ("ok", 111, 1111), (ok.error, big.error)
    reported = [(e.kind, e.detail, e.where.rsplit(":", 1)[-1]) for e in big.events if e.kind == "violation"]
    line = next(i for i, ln in enumerate(PTR_CHECK_H.split("\n"), 1) if "1000" in ln)
    assert reported == [("violation", "using smp_processor_id() in preemptible code", str(line))], big.events
    assert not [e for e in ok.events if e.kind == "violation"], ok.events
    r = crosscheck_result(result, find_compiler(None))
    assert r.raw_compared["pk"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
