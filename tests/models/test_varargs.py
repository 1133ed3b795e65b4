"""va_list, va_start(), va_end(), va_copy(), vprintk() and vsnprintf() in the mirror, against gcc."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.outcome import ErrorKind
from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import agrees_with_gcc, group_result

needs_gcc = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                               reason="needs a C compiler, the oracle")

# A __printf wrapper handing its format and arguments to vprintk(), as drivers write them.
PW_LOG = r"""
static __printf(1, 2) void pw_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
"""

WRAPPER = PW_LOG + r"""
static long long pw_va(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char c = 'x';
	short s = -3;

	pw_log(KERN_ERR "SEAMCALL (%#llx) failed: %#llx %c %d\n", fn, err, c, s);
	return (long long)(err & 0xff) + (long long)sizeof(va_list);
}
"""


@needs_gcc
def test_a_vprintk_wrapper_prints_what_gcc_prints(tmp_path: Path) -> None:
    # Before: "C the mirror does not parse (before: ap): 'va_list' is used as a type, and no typedef of it".
    result = group_result(tmp_path, "va", "demo/va.h", WRAPPER)
    out = result.outcome("va", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [(x.level, x.text) for x in out.log] == [("err", "SEAMCALL (0x1) failed: 0x8000020300000043 x -3")]
    assert out.ret == 0x43 + 24  # gcc's x86-64 va_list: one struct __va_list_tag of 24 bytes
    agrees_with_gcc(result, "va")


PASSED_ON = r"""
struct device { int id; };

static void pw_vlog(const char *fmt, va_list args)
{
	va_list again;

	va_copy(again, args);
	vprintk(fmt, args);
	vprintk(fmt, again);
	va_end(again);
}

static __printf(2, 3) int pw_fill(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, 12, fmt, ap);
	va_end(ap);
	return n;
}

static __printf(1, 2) void pw_log2(const char *fmt, ...)
{
	va_list ap;
	char buf[32];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_err("%d <%s>\n", n, buf);
	va_start(ap, fmt);
	pw_vlog(fmt, ap);
	va_end(ap);
}

static long long pw_va2(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 b = 0xf0;
	unsigned short us = 65535;
	char name[8] = "abc";
	char out[16];
	int n;

	pw_log2("leaf %llx err %llx b %d us %hu %s %u\n", fn, err, b, us, name, (u32)err);
	n = pw_fill(out, "%s-%llu", name, err);
	pr_info("%d [%s]\n", n, out);
	dev_dbg(NULL, "dbg %d\n", 1);
	dev_dbg_ratelimited(NULL, "dbg %d\n", 2);
	dev_printk(KERN_WARNING, NULL, "dp %llx\n", err);
	return (long long)(err & 0xff);
}
"""


@needs_gcc
def test_a_va_list_handed_on_copied_and_formatted_into_a_buffer_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # The extras after the default argument promotions (a u8 and an unsigned short as ints, a char array as a
    # pointer to its bytes); vsnprintf()/vscnprintf() into a char array; a va_list parameter; va_copy();
    # dev_dbg() off (no DEBUG); dev_printk() at the level given.
    result = group_result(tmp_path, "vb", "demo/vb.h", PASSED_ON)
    out = result.outcome("vb", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    line = "leaf 1 err 8000020300000043 b 240 us 65535 abc 67"
    assert [(x.level, x.text) for x in out.log] == [
        ("err", f"{len(line) + 1} <{line[:31]}>"), ("default", line), ("default", line), ("info", "11 [abc-9223374]"),
        ("warning", "(NULL device *): dp 8000020300000043")], out.log
    agrees_with_gcc(result, "vb")


_LOG = ("static __printf(1, 2) void lg(const char *fmt, ...)\n{\n\tva_list ap;\n\n\tva_start(ap, fmt);\n\tBODY\n}\n\n"
        "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tCALL\n\treturn 3;\n}\n")


def _run(body: str, call: str) -> tuple[str, object, str, list[str]]:
    code = _LOG.replace("BODY", body).replace("CALL", call)
    out = run(code)
    return out.status, out.error_kind, out.error or "", [x.text for x in out.log]


def test_vprintk_after_va_end_is_undefined() -> None:
    status, kind, error, _ = _run("va_end(ap);\n\tvprintk(fmt, ap);", 'lg("x %d\\n", 5);')
    assert (status, kind) == ("error", ErrorKind.RUNTIME), error
    assert f"{PATH}:7: vprintk() of a va_list that va_start() did not initialize" in error, error


def test_an_argument_the_mirror_cannot_pass_is_refused_only_where_read() -> None:
    status, _, error, _ = _run("va_end(ap);", 'lg("x\\n", (__int128)5);')
    assert status == "ok", error
    status, kind, error, _ = _run("vprintk(fmt, ap);\n\tva_end(ap);", 'lg("x %d\\n", (__int128)5);')
    assert (status, kind) == ("error", ErrorKind.UNSUPPORTED), error
    assert f"{PATH}:6: vprintk() reads an argument the mirror does not pass ({PATH}:12: a 128-bit integer" in error


def test_va_start_in_a_function_with_fixed_arguments_is_gccs_error() -> None:
    code = ("static void lg(const char *fmt)\n{\n\tva_list ap;\n\n\tva_start(ap, fmt);\n\tva_end(ap);\n}\n\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tlg(\"x\");\n\treturn 3;\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", ErrorKind.BUILD), out.error
    assert f"{PATH}:{line_of(code, 'va_start')}: 'va_start' used in function with fixed arguments" in (out.error or "")


@pytest.mark.parametrize("call", ["dev_dbg(NULL, \"x %d\\n\", 1)", "dev_dbg_ratelimited(NULL, \"x %d\\n\", 1)"])
def test_dev_dbg_prints_nothing_and_is_refused_where_debug_is_defined(call: str) -> None:
    # include/linux/dev_printk.h: with DEBUG, dev_dbg() prints, which the mirror does not model (as pr_debug());
    # without it (dynamic debug off until enabled), nothing, its arguments not evaluated. Before: "call to unknown
    # function dev_dbg()".
    from harness.filestate import full_file
    from harness.prfmt import pr_fmt_of
    from harness.variants import Variant

    unit = "drivers/virt/coco/tdx-host/tdx-host.c"
    code = f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\t{call};\n\treturn 3;\n}}\n"
    for define, where in (("#define DEBUG", f"{unit}:2"), ("", None)):
        v = Variant("v", "d", (full_file(unit, f"// SPDX-License-Identifier: GPL-2.0\n{define}\n", "test"),), (), (),
                    (), "t")
        out = run(code, pr_fmt=pr_fmt_of(v, unit))
        if where is None:
            assert (out.status, out.ret, out.log) == ("ok", 3, ()), out.error
        else:
            assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), out.error
            assert f"DEBUG is or may be defined ({where})" in (out.error or ""), out.error


KINDS = PW_LOG + r"""
static long long pw_kinds(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u8 bytes[4] = { 1, 2, 0xab, 0xcd };
	u32 words[2] = { 0x11223344, 0x55667788 };
	const char *none = NULL;
	long neg = -5;
	bool ok = err == 0;

	pw_log("%4ph|%*ph|%s|%ld|%d|%.3s|%5d|%-4u|\n", bytes, 8, words, none, neg, ok, "abcdef", (int)err, 7u);
	pw_log("%c%c%c\n", 'a', (char)98, 99);
	return (long long)(err & 0xff);
}
"""


@needs_gcc
def test_arguments_of_every_kind_reach_vprintk_as_printk_gets_them(tmp_path: Path) -> None:
    # arrays decayed (%ph reads their bytes), NULL, a long, a bool and a char promoted to int
    result = group_result(tmp_path, "vk", "demo/vk.h", KINDS)
    out = result.outcome("vk", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["01 02 ab cd|44 33 22 11 88 77 66 55|(null)|-5|0|abc|   67|7   |", "abc"]
    agrees_with_gcc(result, "vk")


VA_ARG = r"""
static long long pw_sum(int n, ...)
{
	va_list ap;
	long long total = 0;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		total += va_arg(ap, u64) * (i + 1);
	va_end(ap);
	return total;
}

static __printf(2, 3) void pw_tagged(int tag, const char *fmt, ...)
{
	va_list ap;
	unsigned int first;
	const char *name;

	va_start(ap, fmt);
	first = va_arg(ap, unsigned int);
	name = va_arg(ap, const char *);
	pr_err("%u %s\n", first, name);
	va_end(ap);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

static void pw_rest(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)va_arg(ap, int);
	vprintk(fmt, ap);
	va_end(ap);
}

static long long pw_varg(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char name[6] = "seam";

	pw_tagged(1, "%u %s!\n", (u32)err, name);
	pw_rest("rest %llx\n", 5, err);
	return pw_sum(3, err, fn, (u64)7) & 0xffff;
}
"""


@needs_gcc
def test_va_arg_takes_the_arguments_in_turn_and_vprintk_the_rest(tmp_path: Path) -> None:
    # Before: "call to unknown function __builtin_va_arg()".
    result = group_result(tmp_path, "vg", "demo/vg.h", VA_ARG)
    out = result.outcome("vg", "busy/ONE/big/demo.c")
    assert (out.status, out.ret) == ("ok", 0x43 + 2 + 21), out.error
    assert [x.text for x in out.log] == ["67 seam", "67 seam!", "rest 8000020300000043"]
    agrees_with_gcc(result, "vg")


@pytest.mark.parametrize(("body", "call", "kind", "message"), [
    ("(void)va_arg(ap, int);", 'lg("x", fn);', ErrorKind.RUNTIME, "va_arg() of int where the call passed a 64-bit"),
    ("(void)va_arg(ap, u64);", 'lg("x", 5);', ErrorKind.RUNTIME, "of unsigned long long where the call passed a 32-"),
    ("(void)va_arg(ap, char);", 'lg("x", 5);', ErrorKind.RUNTIME, "gcc builds a trap there"),
    ("(void)va_arg(ap, int);", 'lg("x");', ErrorKind.RUNTIME, "va_arg() past the 0 argument(s) passed"),
    ("(void)va_arg(ap, void *);", 'lg("x", 0);', ErrorKind.RUNTIME, "of void * where the call passed a 32-bit"),
    # gcc may take the second argument first (C11 6.5.2.2p10)
    ('pr_err("%d %d\\n", va_arg(ap, int), va_arg(ap, int));', 'lg("x", 1, 2);', ErrorKind.UNSUPPORTED,
     "the order in which the arguments of pr_err() are evaluated is unspecified"),
])
def test_va_arg_of_another_type_than_the_one_passed_is_undefined(body: str, call: str, kind: ErrorKind,
                                                                  message: str) -> None:
    code = ("static void lg(const char *fmt, ...)\n{\n\tva_list ap;\n\n\tva_start(ap, fmt);\n\t" + body
            + "\n\tva_end(ap);\n}\n\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + call
            + "\n\treturn 3;\n}\n")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", kind), out.error
    assert f"{PATH}:6: " in (out.error or "") and message in (out.error or ""), out.error
