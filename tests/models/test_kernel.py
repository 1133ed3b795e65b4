"""Every kernel primitive's effect on observable state, and the SEAM responder."""

from __future__ import annotations

import pytest

from models.ctype import CHAR, VOID, Ptr
from models.kernel import PRIMITIVES
from models.lockdep import LOCKDEP_OFF
from tests.models.cprog import PATH, line_of, run

HEAD = "int f(u64 fn, struct tdx_module_args *args)\n{\n"


def body(text: str) -> str:
    return HEAD + text + "\n}\n"


def test_pr_levels_prefix_and_lines() -> None:
    code = body('\tpr_err("a %d\\n", 1);\n\tpr_warn("b\\nc\\n");\n\tpr_info("i");\n\tpr_debug("d");\n'
                '\tprintk("\\0013" "raw %s\\n", "x");\n\treturn 0;')
    out = run(code, pr_fmt="virt/tdx: ")
    # pr_debug() is no_printk() without DEBUG (include/linux/printk.h): nothing.
    assert [(x.level, x.text) for x in out.log] == [
        ("err", "virt/tdx: a 1"), ("warning", "virt/tdx: b"), ("warning", "c"), ("info", "virt/tdx: i"),
        ("err", "raw x")]


def test_pr_cont_continues_the_open_line() -> None:
    # pr_cont() is printk(KERN_CONT fmt): no pr_fmt, appended to a line left without its newline, at that
    # line's level (kernel/printk/printk.c); with no open line, a line of its own at the default level.
    code = body('\tpr_err("SEAMCALL %d:", 33);\n\tpr_cont(" status %#llx", 6ULL);\n\tpr_cont("\\n");\n'
                '\tpr_cont("alone\\n");\n\tpr_warn("w");\n\tprintk(KERN_CONT " more\\nnext");\n'
                '\tpr_info("new\\n");\n\treturn 0;')
    out = run(code, pr_fmt="virt/tdx: ")
    assert [(x.level, x.text) for x in out.log] == [
        ("err", "virt/tdx: SEAMCALL 33: status 0x6"), ("default", "alone"), ("warning", "virt/tdx: w more"),
        ("warning", "next"), ("info", "virt/tdx: new")]


def test_preempt_and_lockdep() -> None:
    code = body("\tlockdep_assert_preemption_disabled();\n\tpreempt_disable();\n"
                "\tlockdep_assert_preemption_disabled();\n\tpreempt_enable();\n\tpreempt_enable();\n\treturn 0;")
    out = run(code)
    kinds = [(e.kind, e.detail) for e in out.events]
    assert kinds == [("violation", "lockdep: preemption is enabled here"), ("preempt", "count 1"),
                     ("preempt", "count 0"),  # CONFIG_DEBUG_PREEMPT does not take it below 0
                     ("violation", "preempt_enable() without preempt_disable()" + LOCKDEP_OFF)]
    assert out.events[0].where == f"{PATH}:{line_of(code, 'lockdep_assert')}"


def test_percpu_write_read_and_seamcall_snapshot() -> None:
    code = body("\tthis_cpu_write(cache_state_incoherent, true);\n\tpreempt_disable();\n"
                "\tu64 r = __seamcall(fn, args);\n\tpreempt_enable();\n"
                "\treturn this_cpu_read(cache_state_incoherent) + (r == 5);")
    out = run(code, leaf=0x8000000000000000, script=(5,))
    assert out.ret == 2
    (call,) = out.calls
    assert (call.function, call.leaf, call.component, call.returned) == ("__seamcall", 1 << 63, "P-SEAMLDR", 5)
    assert call.preempt_count == 1 and call.percpu == (("cache_state_incoherent", 1),)
    assert ("percpu-write", "cache_state_incoherent = 1") in [(e.kind, e.detail) for e in out.events]


def test_seamcall_ret_writes_registers_and_script_repeats_last() -> None:
    from models.machine import Answer
    from models.mirror import RunRequest
    from tests.models.cprog import mirror_of

    code = body("\tu64 a = __seamcall_ret(fn, args);\n\tu64 b = __seamcall_saved_ret(fn, args);\n"
                "\tu64 c = __seamcall(fn, args);\n\treturn (a == 1) + (b == 2) + (c == 2);")
    m = mirror_of(code, "f")
    out = m.run(RunRequest("f", 33, (Answer(1, (("rcx", 0xAA),)), Answer(2, (("rdx", 0xBB),)))))
    assert out.ret == 3 and [c.component for c in out.calls] == ["TDX module"] * 3
    assert dict(out.regs_out) == {"rcx": 0xAA, "rdx": 0xBB}


def test_warn_variants() -> None:
    code = body('\tint i;\n\tfor (i = 0; i < 3; i++) {\n\t\tWARN_ON_ONCE(1);\n\t\tWARN_ON(i == 2);\n\t}\n'
                '\tWARN(fn == 0, "bad fn %llu", fn);\n\tWARN_ONCE(0, "never");\n\treturn WARN_ON(0);')
    out = run(code)
    assert [(e.kind, e.detail) for e in out.events] == [
        ("warning", "WARN_ON"), ("warning", "WARN_ON"), ("warning", "WARN")]
    # WARN()'s message is a log record of its own (vprintk(): the default level, no pr_fmt), never left open.
    assert [(x.level, x.text) for x in out.log] == [("default", "bad fn 0")] and not out.log_open


def test_irq_save_restore_and_guards() -> None:
    code = body("\tunsigned long flags;\n\tlocal_irq_save(flags);\n\tint off = irqs_disabled();\n"
                "\tlocal_irq_restore(flags);\n\t{\n\t\tguard(irqsave)();\n\t\toff += irqs_disabled();\n\t}\n"
                "\tscoped_guard(preempt) {\n\t\toff += preempt_count();\n\t}\n"
                "\treturn off * 10 + irqs_disabled() + preempt_count();")
    out = run(code)
    assert out.ret == 30
    # A guard does what its class's lock and unlock calls do (include/linux/cleanup.h): same events.
    assert [(e.kind, e.detail) for e in out.events] == [
        ("irq", "disabled (saved)"), ("irq", "restored enabled"), ("irq", "disabled (saved)"),
        ("irq", "restored enabled"), ("preempt", "count 1"), ("preempt", "count 0")]


def test_locks() -> None:
    code = body("\tspin_lock(&tdx_lock);\n\tspin_unlock(&tdx_lock);\n\tmutex_unlock(&m);\n\tmutex_unlock(&m);\n"
                "\treturn 0;")
    out = run(code)
    # spin_lock() disables preemption before it acquires; spin_unlock() enables it after releasing
    # (include/linux/spinlock_api_smp.h); a mutex leaves preemption alone. A release of a free lock is lockdep's
    # "bad unlock balance", which turns lockdep off: the second says nothing.
    assert [(e.kind, e.detail) for e in out.events] == [
        ("preempt", "count 1"), ("lock", "tdx_lock acquired"), ("lock", "tdx_lock released"), ("preempt", "count 0"),
        ("violation", "lock m released while free" + LOCKDEP_OFF), ("lock", "m released"), ("lock", "m released")]


def test_likely_and_no_ops() -> None:
    code = body("\tBUILD_BUG_ON(0);\n\tmight_sleep();\n\tcpu_relax();\n\tbarrier();\n"
                "\treturn likely(fn) * 10 + unlikely(!fn) + __builtin_expect(5, 1) * 100;")
    assert run(code, leaf=7).ret == 510


def test_every_primitive_is_documented() -> None:
    assert all(p.effect for p in PRIMITIVES.values())


def test_per_cpu_variables_have_their_declared_type() -> None:
    # include/linux/percpu-defs.h: this_cpu_read() has the variable's type and this_cpu_write() converts to
    # it, as an assignment does; without a declaration in the code, unsigned long long. (BIT_ULL(40) alone to the
    # bool is refused: x86's two builds of this_cpu_write() differ there, test_percpu_ops_gcc.py.)
    decls = "DEFINE_PER_CPU(int, last);\nstatic DEFINE_PER_CPU(bool, failed);\nDEFINE_PER_CPU(u32, low);\n"
    code = decls + body("\tthis_cpu_write(last, -EIO);\n\tthis_cpu_write(failed, BIT_ULL(40) | 2);\n"
                        "\tthis_cpu_write(low, 0x8000ff0000000006ULL);\n\tthis_cpu_write(other, -1);\n"
                        "\treturn (this_cpu_read(last) < 0) * 1000 + this_cpu_read(failed) * 100\n"
                        "\t\t+ (this_cpu_read(low) == 6) * 10 + (this_cpu_read(other) > 0);")
    out = run(code)
    assert out.status == "ok" and out.ret == 1111, out.error


def test_a_per_cpu_pointer_is_refused_not_a_crash() -> None:
    code = "DEFINE_PER_CPU(struct tdx_module_args *, last);\n" + body("\tthis_cpu_write(last, args);\n\treturn 0;")
    out = run(code)
    assert out.status == "error" and "per-CPU variable last has type struct tdx_module_args *: only integers" \
        in (out.error or "")


def test_a_failure_inside_the_mirror_is_one_runs_error_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the mirror trips on (a bug, C it does not model that passed its checks), the other runs go on
    # and this one claims nothing: an error outcome saying where in the mirror.
    import models.kernel

    def broken(m: object, args: list[object], where: str) -> None:
        raise TypeError("int() argument must be a string, not 'StructObj'")

    monkeypatch.setitem(PRIMITIVES, "cpu_relax", models.kernel.Primitive(broken, models.kernel.VOID, "x"))
    out = run(body("\tcpu_relax();\n\treturn 0;"))
    assert out.status == "error" and out.error_kind == "unsupported"
    assert "the mirror cannot run f(): TypeError: int() argument" in (out.error or "")
    assert "(at models/test_kernel.py:" in (out.error or "")


def test_a_per_cpu_initializer_is_read_not_zero() -> None:
    # Refused until 03bdcb14 modelled it (each CPU's copy starts as the definition's; tests/models/test_percpu_init_gcc
    # pins it to gcc): read as 0 it would have been a wrong answer, never a run.
    out = run("static DEFINE_PER_CPU(int, x) = 5;\n" + body("\treturn this_cpu_read(x);"))
    assert out.status == "ok" and out.ret == 5, out


def test_a_per_cpu_variable_declared_in_no_file_is_refused_where_read_before_written() -> None:
    # Declared in a header the mirror does not have, it is defined (maybe initialised, maybe set) elsewhere: the value
    # a read gets is not known (it was 0); once the run wrote it, it is the run's.
    out = run(body("\tthis_cpu_inc(lp_count);\n\treturn this_cpu_read(lp_count);"))
    assert out.status == "error" and out.error == (
        f"{PATH}:3: per-CPU variable lp_count is declared in no file the mirror has and the run has not written it: "
        "the value it holds is not known"), out.error
    out = run(body("\tthis_cpu_write(lp_count, 4);\n\tthis_cpu_inc(lp_count);\n\treturn this_cpu_read(lp_count);"))
    assert (out.status, out.ret) == ("ok", 5), out.error


def test_per_cpu_read_modify_write_operations() -> None:
    # percpu-defs.h's inc/add/xchg/..._return, in the variable's type: a u8 at 255 wraps to 0.
    code = "DEFINE_PER_CPU(u8, n);\nDEFINE_PER_CPU(int, k);\n" + body(
        "\tthis_cpu_write(n, 254);\n\tthis_cpu_inc(n);\n\tthis_cpu_inc(n);\n\tthis_cpu_add(k, -7);\n"
        "\tint old = this_cpu_xchg(k, 3);\n\tint inc = this_cpu_inc_return(k);\n"
        "\treturn this_cpu_read(n) * 1000 + old * 10 + inc;")
    out = run(code)
    assert out.status == "ok" and out.ret == -70 + 4, out.error


def test_every_event_the_mirror_records_is_an_event_kind_rules_can_name() -> None:
    # Rules name event kinds in expect.no_events, which refuses any other: a kind made here but missing from
    # EventKind could never be named, and Machine.event refuses one missing there.
    import re
    from pathlib import Path

    from models.machine import EVENT_KINDS

    text = "".join(p.read_text() for p in (Path(__file__).parents[2] / "models").glob("*.py"))
    made = set(re.findall(r'\.event\(\s*"([^"]+)"', text))
    assert made and made <= EVENT_KINDS, made - EVENT_KINDS


def test_bug_on_is_an_oops_where_its_condition_holds() -> None:
    # arch/x86/include/asm/bug.h: BUG() is a ud2; BUG_ON(c) is BUG() when c holds.
    code = body("\tu64 r = __seamcall(fn, args);\n\tBUG_ON(r == 5);\n\tif (r == 7)\n\t\tBUG();\n\treturn 1;")
    assert run(code, script=(0,)).ret == 1
    for answer, needle in ((5, "BUG_ON"), (7, "BUG();")):
        out = run(code, script=(answer,))
        assert out.status == "error" and out.error_kind == "runtime", out.error
        assert (out.error or "").startswith(f"{PATH}:{line_of(code, needle)}:") and "oops" in (out.error or "")


def test_once_and_ratelimit_sites_that_fired_are_state_a_later_call_sees() -> None:
    # pr_err_once() keeps a static the next call reads (include/linux/once_lite.h): it is state the run leaves,
    # named by its function (a moved line keeps the name), numbered when a function has several.
    code = body("\tfor (int i = 0; i < 3; i++) {\n\t\tpr_err_once(\"a\\n\");\n\t\tpr_warn_ratelimited(\"b\\n\");\n"
                "\t\tWARN_ON(1);\n\t}\n\tif (fn)\n\t\tpr_err_once(\"c\\n\");\n\tWARN_ON_ONCE(fn == 7);\n\treturn 0;")
    out = run(code, leaf=1)
    assert out.status == "ok", out.error
    assert out.state == (("f::pr_err_once()#1", "1"), ("f::pr_err_once()#2", "1"), ("f::pr_warn_ratelimited()", "3"))
    plain = run(code.replace("pr_err_once", "pr_err").replace("ratelimited", "once"), leaf=0)
    assert [x.text for x in plain.log] == ["a", "b", "a", "a"]
    assert plain.state == (("f::pr_warn_once()", "1"),)


def test_only_the_final_newline_ends_a_record_and_an_empty_record_is_a_line() -> None:
    # kernel/printk/printk.c: printk_sprint() takes one final newline off; vprintk_store() stores an empty text
    # as a record too, which a pr_cont() continues at its level.
    code = body("\tpr_err(\"failed\\n\\n\");\n\tpr_err(\"a\");\n\tpr_info(\"%s\", \"\");\n\tpr_cont(\"b\\n\");\n"
                "\tpr_notice(\"\");\n\treturn 0;")
    out = run(code)
    assert out.status == "ok", out.error
    assert [(x.level, x.text) for x in out.log] == [("err", "failed"), ("err", ""), ("err", "a"), ("info", "b"),
                                                     ("notice", "")]


def test_delays_busy_wait_and_only_a_rate_limit_they_could_end_is_refused() -> None:
    # include/linux/delay.h: udelay() and friends busy-wait; the run's time only matters to a rate limit, whose
    # interval (5 s, counted in jiffies) they could end: then the run stops, refused, with its line.
    loop = ("\tint tries = 3;\n\tu64 r;\n\tdo {\n\t\tr = __seamcall(fn, args);\n\t\tpr_err_ratelimited(\"retry\\n\");\n"
            "\t\tDELAY;\n\t} while (r && --tries);\n\treturn tries;")
    short = run(body(loop.replace("DELAY", "udelay(10); ndelay(5); mdelay(1)")), script=(5,))
    assert short.status == "ok" and short.ret == 0 and len(short.log) == 3, short.error
    code = body(loop.replace("DELAY", "mdelay(2600)"))
    long = run(code, script=(5,))
    assert long.status == "error" and "5000 ms interval: time is not modelled" in (long.error or "")
    assert (long.error or "").startswith(f"{PATH}:{line_of(code, 'pr_err_ratelimited')}:")


def test_the_primitives_that_return_pointers_return_void_pointers() -> None:
    # models.readonly.callee_returns takes a primitive's result for a pointer to what is not const (memset(),
    # memcpy(), __guard_ptr() return void *, strchr() char *): one returning a pointer to const would need its const
    # there
    pointers = {name: p.ret for name, p in PRIMITIVES.items() if isinstance(p.ret, Ptr)}
    assert pointers and all(t in (Ptr(VOID), Ptr(CHAR)) for t in pointers.values()), pointers
