"""A store to a per-CPU object however made (this_cpu_ptr(), a pointer kept, per_cpu()) is a percpu-write, as in gcc's.

A store through this_cpu_ptr(&v) changes the object this_cpu_write() changes (include/linux/percpu-defs.h), but it
made no event: a variant writing per-CPU state so and one using this_cpu_write() compared as different, and a
missed write was unseen. Now the mirror and gcc's builds (from the text, from the mirror's expansion) look at the
code's per-CPU objects at the same points (models/percpuwatch.py, sh_native.c sh_percpu_leaf())."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.crossraw import MIRROR, ORIGINAL
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import run

# A helper keeping per-CPU state every way the kernel reaches the run's CPU's copy: a member and a whole u64 through
# this_cpu_ptr(), a pointer kept in a local, per_cpu() and raw_cpu_ptr(); a this_cpu_write() in between; a store of
# the value already held, and two stores with no event, printk record or SEAMCALL between them.
WATCH_H = """\
struct pw_stats { u64 calls; s16 last; u8 flags[2]; };
static DEFINE_PER_CPU(struct pw_stats, pw_stats);
static DEFINE_PER_CPU(u32, pw_hits);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct pw_stats *p;
	u64 ret;

	preempt_disable();
	p = this_cpu_ptr(&pw_stats);
	this_cpu_ptr(&pw_stats)->calls = 1;
	*this_cpu_ptr(&pw_hits) = 7;
	this_cpu_write(pw_hits, 8);
	p->last = -2;
	pr_info("start\\n");
	ret = __seamcall(fn, args);
	p->last = -2;
	p->flags[1] = ret ? 3 : 0;
	per_cpu(pw_hits, 0) = 9;
	per_cpu(pw_hits, 0) = 10;
	*raw_cpu_ptr(&pw_hits) += ret >> 60;
	preempt_enable();
	return (long long)this_cpu_read(pw_stats.calls) + p->flags[1];
}
"""


@pytest.mark.parametrize("source", [ORIGINAL, MIRROR])
def test_stores_to_per_cpu_objects_are_percpu_writes_as_gcc_runs_them(tmp_path: Path, source: str) -> None:
    result = header_result(tmp_path, "pw", "demo/pw.h", WATCH_H, 0x8000020300000042)
    ok, big = (result.outcome("pw", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.status, ok.ret, big.ret) == ("ok", 1, 4), (ok.error, big.error)
    writes = [e.detail for e in big.events if e.kind == "percpu-write"]
    # Before: only "pw_hits = 8" (this_cpu_write()'s). The stores before this_cpu_write() are seen before it (in the
    # leaves' order: the variables' names, then their members'), the rest at the printk and at preempt_enable()'s
    # event; -2 stored again, 9 overwritten before a look, and 0 in flags[1] (under "ok") make none.
    assert writes == ["pw_hits = 7", "pw_stats.calls = 1", "pw_hits = 8", "pw_stats.last = -2", "pw_hits = 18",
                      "pw_stats.flags[1] = 3"], big.events
    assert [e.detail for e in ok.events if e.kind == "percpu-write"][3:] == ["pw_stats.last = -2", "pw_hits = 10"]
    # the SEAMCALL sees every leaf written before it, by its name
    assert dict(big.calls[0].percpu) == {"pw_stats.calls": 1, "pw_hits": 8, "pw_stats.last": (1 << 64) - 2}
    r = crosscheck_result(result, find_compiler(None), source=source)
    assert r.compared["pw"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
    if source == ORIGINAL:
        assert r.raw_compared["pw"] == 2


_FORMS = {
    "write": "this_cpu_write(pe_v.n, r & 0xff);\n\tthis_cpu_write(pe_w, 3);",
    "pointer": "this_cpu_ptr(&pe_v)->n = r & 0xff;\n\t*this_cpu_ptr(&pe_w) = 3;",
    "kept": "struct pe_s *p = this_cpu_ptr(&pe_v);\n\n\tp->n = r & 0xff;\n\tper_cpu(pe_w, smp_processor_id()) = 3;",
}


def test_a_pointer_store_and_this_cpu_write_make_the_same_outcome() -> None:
    code = ("struct pe_s { u32 n; };\nstatic DEFINE_PER_CPU(struct pe_s, pe_v);\nstatic DEFINE_PER_CPU(u64, pe_w);\n"
            "long f(u64 fn, struct tdx_module_args *args)\n{\n\tu64 r;\n\n\tpreempt_disable();\n"
            "\tr = __seamcall(fn, args);\n\t{\n\t%s\n\t}\n\t__seamcall(fn, args);\n\tpreempt_enable();\n"
            "\treturn 0;\n}\n")
    outs = {name: run(code.replace("%s", form), script=(0x42,)) for name, form in _FORMS.items()}
    seen = {name: ([(e.kind, e.detail) for e in o.events], [c.percpu for c in o.calls], o.state)
            for name, o in outs.items()}
    assert all(o.status == "ok" for o in outs.values()), {n: o.error for n, o in outs.items()}
    # Before: the pointer forms made no percpu-write event and listed nothing in the second SEAMCALL's record.
    assert seen["pointer"] == seen["write"] == seen["kept"], seen
    assert ("percpu-write", "pe_v.n = 66") in seen["write"][0] and seen["write"][1][1] == (("pe_v.n", 66), ("pe_w", 3))


# A SEAMCALL in a sum beside this_cpu_read() of a per-CPU variable a store through a pointer changed before it (FORM:
# the store's look pending at the SEAMCALL, or made at put_cpu_var()'s event; the SEAMCALL in a helper).
_SUM_H = """\
static DEFINE_PER_CPU(u64, ps_calls);
static u64 ps_call(u64 fn, struct tdx_module_args *args)
{
	return __seamcall(fn, args);
}
static long long busy(u64 fn, struct tdx_module_args *args)
{
	FORM
	return SUM;
}
"""
_STORES = {"pending": "this_cpu_ptr(&ps_calls)[0] += 5;",
           "seen": "u64 *c = &get_cpu_var(ps_calls);\n\n\t*c += 5;\n\t(*c)++;\n\tput_cpu_var(ps_calls);"}
_SUMS = {"after": "this_cpu_read(ps_calls) * 10 + (__seamcall(fn, args) != 0)",
         "before": "(__seamcall(fn, args) != 0) + this_cpu_read(ps_calls) * 10",
         "helper": "this_cpu_read(ps_calls) * 10 + (ps_call(fn, args) >> 63)"}


@pytest.mark.parametrize("form", sorted(_STORES))
@pytest.mark.parametrize("total", sorted(_SUMS))
def test_a_seamcall_beside_this_cpu_read_of_a_variable_a_pointer_changed_runs_as_gcc_runs_it(
        tmp_path: Path, form: str, total: str) -> None:
    # Before: refused, 'the order in which the operands of '+' are evaluated is unspecified ... one has a side
    # effect another depends on': the SEAMCALL's look at the per-CPU objects (its percpu-write, and the value it lists)
    # was measured as a per-CPU write of its own. gcc's build runs it, either order reading the stored value.
    code = _SUM_H.replace("FORM", _STORES[form]).replace("SUM", _SUMS[total])
    stored = 5 if form == "pending" else 6
    result = header_result(tmp_path, "ps", "demo/ps.h", code, 0x8000020300000042)
    ok, big = (result.outcome("ps", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.status, ok.ret, big.ret) == ("ok", stored * 10, stored * 10 + 1), (ok.error, big.error)
    assert [e.detail for e in big.events if e.kind == "percpu-write"] == [f"ps_calls = {stored}"], big.events
    assert dict(big.calls[0].percpu) == {"ps_calls": stored}
    for source in (ORIGINAL, MIRROR):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.compared["ps"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]


def test_a_seamcall_writing_registers_into_a_per_cpu_object_read_beside_it_is_still_refused() -> None:
    # __seamcall_ret() writes the answer's registers into the per-CPU args the other operand reads: order matters.
    code = ("static DEFINE_PER_CPU(struct tdx_module_args, pr_args);\nlong long f(u64 fn, struct tdx_module_args *args)"
            "\n{\n\tthis_cpu_ptr(&pr_args)->rcx = 1;\n\treturn this_cpu_read(pr_args.rdx) + "
            "__seamcall_ret(fn, this_cpu_ptr(&pr_args));\n}\n")
    out = run(code, script=(0,))
    assert out.status == "error" and "operands of '+' are evaluated is unspecified" in (out.error or ""), out.error
