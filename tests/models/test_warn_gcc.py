"""WARN() and friends: the message a WARN() prints is a log record, on both sides.

WARN() and friends: the message a WARN() prints is a log record (kernel/panic.c __warn_printk(): vprintk() of the
format between the "cut here" and "WARNING:" lines), so changing its text is a log difference; on both sides."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from harness.explain import DiffClass, classify
from models.native.run import find_compiler
from models.outcome import Outcome
from tests.harness.variantgen import header_result
from tests.models.cprog import run


def _one(text: str, pr_fmt: str = "") -> Outcome:
    out = run("long f(u64 fn, struct tdx_module_args *args)\n{\n" + text + "\n\treturn 0;\n}\n", pr_fmt=pr_fmt)
    assert out.status == "ok", out.error
    return out


def test_a_warn_message_is_a_log_record_at_its_own_level_without_pr_fmt() -> None:
    out = _one('\tint i;\n\tWARN(1, "SEAMCALL %#llx failed\\n", 0x21ULL);\n\tWARN(1, KERN_ERR "bad %d", 3);\n'
               '\tfor (i = 0; i < 2; i++)\n\t\tWARN_ONCE(fn == 0, "once %d", i);')
    assert [(x.level, x.text) for x in out.log] == [("default", "SEAMCALL 0x21 failed"), ("err", "bad 3"),
                                                    ("default", "once 0")]
    assert [e.detail for e in out.events] == ["WARN", "WARN", "WARN"]
    assert not out.log_open


def test_changing_a_warn_message_is_a_log_difference() -> None:
    a = _one('\tWARN(fn == 0, "seamcall %llu failed\\n", fn);')
    b = _one('\tWARN(fn == 0, "SEAMCALL %llu failed\\n", fn);')
    assert classify(a, b) == (DiffClass.LOG,)
    # WARN_ON() prints no message of the code's: the same log as none, the event differs.
    c, d = _one("\tWARN_ON(fn == 0);"), _one("")
    assert classify(c, d) == (DiffClass.SIDE_EFFECTS,)


def test_the_kernels_warn_lines_end_an_open_record() -> None:
    # pr_err() without a newline leaves its record open; the "cut here" line a WARN prints finalizes it, so a
    # pr_cont() after the WARN starts a record of its own, and the WARN's message never continues a line.
    out = _one('\tpr_err("failed");\n\tWARN_ON(1);\n\tpr_cont("!\\n");')
    assert [(x.level, x.text) for x in out.log] == [("err", "failed"), ("default", "!")]
    out = _one('\tpr_err("failed");\n\tWARN(1, KERN_CONT "more");\n\tpr_cont(" and\\n");')
    assert [(x.level, x.text) for x in out.log] == [("err", "failed"), ("default", "more"), ("default", " and")]
    assert not out.log_open


WARN_H = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	pr_err("SEAMCALL %llu", fn);
	if (WARN(err & 1, "SEAMCALL %#llx failed: %016llx\\n", fn, err))
		pr_cont(" after\\n");
	for (int i = 0; i < 2; i++)
		WARN_ONCE(err, KERN_INFO "code %llu %d", err >> 32, i);
	return WARN_ON(err & 2) + 10 * WARN_ON_ONCE(err & 4);
}
"""


def test_warn_messages_as_gcc_runs_them(tmp_path: Path) -> None:
    result = header_result(tmp_path, "wn", "demo/wn.h", WARN_H, 0x8000020300000043)
    ok, big = (result.outcome("wn", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert [(x.level, x.text) for x in big.log] == [
        ("err", "SEAMCALL 1"), ("default", "SEAMCALL 0x1 failed: 8000020300000043"), ("default", " after"),
        ("info", "code 2147484163 0")], big.log
    assert [x.text for x in ok.log] == ["SEAMCALL 1"] and ok.log_open and not big.log_open
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["wn"] == 2, r.raw_compared


WARN_ARRAY_H = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	static const char fmt[] = "SEAMCALL %#llx failed: %016llx\\n";
	u64 err = __seamcall(fn, args);

	return WARN(err & 1, fmt, fn, err);
}
"""


def test_a_warn_message_of_a_format_array_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before: refused ('a printk format that is not a string literal'); the array's bytes are the format.
    result = header_result(tmp_path, "wa", "demo/wa.h", WARN_ARRAY_H, 0x8000020300000043)
    big = result.outcome("wa", "busy/ONE/big/demo.c")
    assert [(x.level, x.text) for x in big.log] == [("default", "SEAMCALL 0x1 failed: 8000020300000043")], big.log
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["wa"] == 2, r.raw_compared


def test_every_report_of_the_kernel_ends_an_open_record() -> None:
    # lockdep's report (a WARN_ON() of lockdep_assert_held()) and vsprintf.c's WARN_ONCE() are printed lines too.
    out = _one('\tstruct mutex m = {};\n\n\tmutex_init(&m);\n\tpr_err("failed");\n\tlockdep_assert_held(&m);\n'
               '\tpr_cont("!\\n");')
    assert [(x.level, x.text) for x in out.log] == [("err", "failed"), ("default", "!")], out.log
    out = _one('\tpr_err("failed");\n\tpr_cont(" %jd\\n", 1LL);')
    assert [x.text for x in out.log] == ["failed", "Please remove unsupported %j in format string", " "] \
        and [e.kind for e in out.events] == ["warning"], out.log


REPORTS_H = """\
static DEFINE_MUTEX(rp_lock);

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	pr_err("SEAMCALL %llu", fn);
	if (err & 1)
		lockdep_assert_held(&rp_lock);
	pr_cont(" failed: %#llx\\n", err);
	pr_warn("again");
	if (err & 2)
		scoped_guard(preempt)
			might_sleep();
	pr_cont(" and again\\n");
	return 0;
}
"""


def test_reports_end_open_records_as_gcc_runs_them(tmp_path: Path) -> None:
    result = header_result(tmp_path, "rp", "demo/rp.h", REPORTS_H, 0x8000020300000043)
    ok, big = (result.outcome("rp", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert [x.text for x in ok.log] == ["SEAMCALL 1 failed: 0x0", "again and again"], (ok.error, ok.log)
    assert [x.text for x in big.log][:2] == ["SEAMCALL 1", " failed: 0x8000020300000043"], (big.error, big.log)
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["rp"] == 2, r.raw_compared


# The value of WARN_ON() and friends is unlikely(__ret_warn_on) (include/asm-generic/bug.h), that of pr_err_once()
# and printk_once() DO_ONCE_LITE_IF()'s unlikely(true) (include/linux/once_lite.h): __builtin_expect()'s long, so
# it stays signed against an unsigned int and is 8 bytes. The shim below has that shape and no more.
WARN_TYPE_SHIM = """\
#include <stdio.h>
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
#define WARN_ON(c) ({ int r_ = !!(c); __builtin_expect(!!(r_), 0); })
#define WARN_ON_ONCE(c) WARN_ON(c)
#define WARN(c, ...) WARN_ON(c)
#define WARN_ONCE(c, ...) WARN_ON(c)
#define pr_err_once(...) ({ _Bool once_ = 1; __builtin_expect(!!(once_), 0); })
#define printk_once(...) pr_err_once()
"""
WARN_TYPE = """\
long long f(u64 err, struct tdx_module_args *args)
{
	u64 a = WARN_ON(err >> 63) - 2U;
	u64 b = WARN_ONCE(err & 1, "odd %llx", err) - 1U;
	__typeof__(WARN_ON_ONCE(0)) t = -1;
	__typeof__(pr_err_once("e")) o = -1;
	long long once = (pr_err_once("x %llx", err) - 2U > 0) * 1000000;

	return once + (long long)(a >> 40) + (long long)(b >> 50) * 3 + (t < 0) * 7 +
		(sizeof(WARN_ON(0)) + sizeof(WARN(err, "x"))) * 100 + (WARN(err == 5, "five") - 1U > 0) * 10000 +
		(o < 0) * 100000 + sizeof(printk_once("y")) * 10000000;
}
"""


def test_the_value_of_warn_on_is_a_long_as_gcc_types_unlikely(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    for err in (0, 1, 5, 0x8000020300000042):
        src, exe = tmp_path / "w.c", tmp_path / "w"
        src.write_text(WARN_TYPE_SHIM + WARN_TYPE + f'int main(void)\n{{\n\tprintf("%lld\\n", f({err:#x}ULL, 0));\n'
                       "\treturn 0;\n}\n")
        subprocess.run([gcc, "-std=gnu11", "-fwrapv", "-O1", "-o", str(exe), str(src)], check=True,
                       capture_output=True)
        want = int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)
        code = WARN_TYPE.replace("long long f(u64 err,", "static long long g(u64 err,") + (
            f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn g({err:#x}ULL, args);\n}}\n")
        out = run(code)
        assert (out.status, out.ret) == ("ok", want), (err, out.error)


def test_the_value_of_warn_on_is_a_long_under_crosscheck(tmp_path: Path) -> None:
    code = WARN_TYPE.replace("long long f(u64 err, struct tdx_module_args *args)\n{\n",
                             "static long long busy(u64 fn, struct tdx_module_args *args)\n{\n"
                             "\tu64 err = __seamcall(fn, args);\n")
    result = header_result(tmp_path, "wt", "demo/wt.h", code, 0x8000020300000042)
    ok = result.outcome("wt", "busy/ONE/ok/demo.c")
    assert (ok.status, ok.ret) == ("ok", 0xFFFFFF + 3 * 0x3FFF + 7 + 1600 + 100000 + 80000000), ok.error
    r = crosscheck_result(result, find_compiler(None), source=ORIGINAL)
    assert r.compared["wt"] == 2 and r.disagreements == [], [d.divergence for d in r.disagreements]
