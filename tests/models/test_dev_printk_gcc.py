"""dev_err() and its kin: a NULL device's message as __dev_printk() prints it, against gcc.

dev_err() and its kin (include/linux/dev_printk.h): a NULL device's message is printed as drivers/base/core.c
__dev_printk() prints it, "(NULL device *): " and the text at the level, run as gcc runs the same text; another
device's is refused where it is called (its driver and name are not known), and a run not reaching it goes on."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import agrees_with_gcc, group_result

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
struct device { int id; };

static long long pw_dev_null(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct device *dev = NULL;

	dev_err(dev, "SEAMCALL failed: %#llx\n", err);
	dev_warn(NULL, "warn %d\n", 2);
	dev_info(dev, "info\n");
	return (long long)(err & 0xff);
}

static long long pw_sysfs_unreached(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char buf[16];

	if (err == 1)
		return sysfs_emit(buf, "%llu\n", err);
	return 5;
}
"""


def test_a_null_device_prints_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before: "call to unknown function dev_err()".
    result = group_result(tmp_path, "dv", "demo/dv.h", PIECES)
    out = result.outcome("dv", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [(x.level, x.text) for x in out.log] == [
        ("err", "(NULL device *): SEAMCALL failed: 0x8000020300000043"), ("warning", "(NULL device *): warn 2"),
        ("info", "(NULL device *): info")], out.log
    agrees_with_gcc(result, "dv")


def test_a_device_the_mirror_cannot_name_is_refused_where_reached() -> None:
    code = ("struct device { int id; };\nstatic struct device d;\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tif (fn == 7)\n"
            "\t\tdev_err(&d, \"bad\\n\");\n\treturn 3;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 3), out.error
    code = code.replace("fn == 7", "fn == 0")
    out = run(code)
    assert (out.status, str(out.error_kind)) == ("error", "unsupported"), out.error
    assert f"{PATH}:{line_of(code, 'dev_err')}: dev_<level>() of a device" in (out.error or ""), out.error


def test_sysfs_emit_is_refused_where_reached() -> None:
    # Before: "call to unknown function sysfs_emit()" for every run of the function.
    code = ("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tchar buf[16];\n\n\tif (fn == 7)\n"
            "\t\treturn sysfs_emit(buf, \"%d\\n\", 1);\n\treturn 3;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 3), out.error
    out = run(code.replace("fn == 7", "fn == 0"))
    assert (out.status, str(out.error_kind)) == ("error", "unsupported"), out.error
    assert f"{PATH}:{line_of(code, 'sysfs_emit')}: sysfs_emit(): it writes only into a buffer at the start of a page" \
        in (out.error or ""), out.error


RATELIMITED = r"""
static long long pw_dev_limited(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int i;

	for (i = 0; i < 12; i++)
		dev_err_ratelimited(NULL, "SEAMCALL (%#llx) failed: %#llx, try %d\n", fn, err, i);
	dev_warn_ratelimited(NULL, "leaf %llu\n", fn);
	return (long long)(err & 0xff);
}
"""


def test_dev_level_ratelimited_prints_a_bursts_worth_as_gcc_runs_it(tmp_path: Path) -> None:
    # include/linux/dev_printk.h dev_level_ratelimited(): a state per call site, DEFAULT_RATELIMIT_BURST (10) lines
    # in DEFAULT_RATELIMIT_INTERVAL; a run takes no time, so tries 10 and 11 print nothing. Before: "call to
    # unknown function dev_err_ratelimited()".
    result = group_result(tmp_path, "dr", "demo/dr.h", RATELIMITED)
    out = result.outcome("dr", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    texts = [(x.level, x.text) for x in out.log]
    assert texts == [("err", f"(NULL device *): SEAMCALL (0x1) failed: 0x8000020300000043, try {i}")
                     for i in range(10)] + [("warning", "(NULL device *): leaf 1")], texts
    agrees_with_gcc(result, "dr")


HELD = r"""
struct pw_ops { const char *fmt; };
static const struct pw_ops pw_ops = { .fmt = "SEAMCALL (%#llx) failed: %#llx\n" };
static const struct pw_ops *const pw_opsp = &pw_ops;

static long long pw_dev_held(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	const char *fmt = "leaf %llu\n";

	dev_err(NULL, pw_opsp->fmt, fn, err);
	dev_warn(NULL, fmt, fn);
	return (long long)(err & 0xff);
}
"""


def test_a_format_a_variable_holds_prints_as_gcc_runs_it(tmp_path: Path) -> None:
    # include/linux/dev_printk.h hands dev_fmt(fmt) to _dev_err(), which takes any format (drivers/base/core.c
    # __dev_printk(): "%s(NULL device *): %pV"). Before: "C the mirror does not parse" (a literal concatenated to it).
    result = group_result(tmp_path, "dh", "demo/dh.h", HELD)
    out = result.outcome("dh", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [(x.level, x.text) for x in out.log] == [
        ("err", "(NULL device *): SEAMCALL (0x1) failed: 0x8000020300000043"), ("warning", "(NULL device *): leaf 1")]
    agrees_with_gcc(result, "dh")


LONG = r"""
static long long pw_dev_long(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char fmt[5000];

	memset(fmt, 'a', sizeof(fmt));
	fmt[4990] = '%';
	fmt[4991] = 'd';
	fmt[4992] = 0;
	dev_err(NULL, fmt, 7);
	dev_printk(KERN_INFO, NULL, "%s", fmt + 4980);
	return (long long)(err & 0xff);
}
"""


def test_a_format_of_any_length_is_joined_to_the_prefix_whole(tmp_path: Path) -> None:
    # drivers/base/core.c __dev_printk(): printk("%s(NULL device *): %pV", level, &vaf) formats the whole format.
    # Before: the prefix and the format were joined in a 4096-byte array (snprintf()), which cut a longer one (the
    # record's 1024 bytes, kernel/printk/printk.c, hide that cut in what is printed); now models.printkstore joins them.
    result = group_result(tmp_path, "dl", "demo/dl.h", LONG)
    out = result.outcome("dl", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [(x.level, len(x.text), x.text[:20]) for x in out.log] == [
        ("err", 1021, "(NULL device *): aaa"), ("info", len("(NULL device *): ") + 10 + 2, "(NULL device *): aaa")]
    assert out.log[1].text.endswith("aaaaaaaaaa%d"), out.log
    agrees_with_gcc(result, "dl")


COMMA = r"""
#define dev_fmt(fmt) "%s: " fmt, __func__
struct device { int id; };

static long long pw_dev_comma(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	dev_err(NULL, "SEAMCALL failed: %#llx\n", err);
	dev_warn(NULL, "no argument\n");
	return (long long)(err & 0xff);
}
"""

# include/linux/dev_printk.h's shape: dev_<level>() hands dev_fmt(fmt) and its arguments to a variadic function
# (_dev_err()), which drivers/base/core.c prints after a NULL device's prefix.
KERNEL_SHAPED = r"""
#include <stdarg.h>
#include <stdio.h>
#define dev_fmt(fmt) "%s: " fmt, __func__
#define dev_err(dev, fmt, ...) _dev_err(dev, dev_fmt(fmt), ##__VA_ARGS__)

static void _dev_err(void *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("(NULL device *): ");
	vprintf(fmt, ap);
	va_end(ap);
}

static void pw_dev_comma(void)
{
	dev_err(NULL, "SEAMCALL failed: %#llx\n", 0x8000020300000043ULL);
	dev_err(NULL, "no argument\n");
}

int main(void)
{
	pw_dev_comma();
	return 0;
}
"""


def _gcc_prints(tmp_path: Path, program: str) -> list[str]:
    """The lines ``program`` (a whole C program) prints, built by gcc with the kernel's -Werror."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    assert gcc is not None
    (tmp_path / "k.c").write_text(program)
    subprocess.run([gcc, "-std=gnu11", "-Wall", "-Werror", "-o", str(tmp_path / "k"), str(tmp_path / "k.c")],
                   check=True, capture_output=True)
    return subprocess.run([str(tmp_path / "k")], check=True, capture_output=True, text=True).stdout.splitlines()


def test_a_dev_fmt_with_a_comma_prints_as_gcc_runs_the_kernels_expansion(tmp_path: Path) -> None:
    # dev_fmt(fmt) "%s: " fmt, __func__ gives _dev_err() its format and a first argument. Before: the mirror's
    # __sh_dev_prefixed() took "%s: " fmt and __func__ as its own arguments and printk() got none of __func__:
    # "printk: %s of a pointer to memory the mirror does not model", and with no argument "too few arguments".
    native = _gcc_prints(tmp_path, KERNEL_SHAPED)
    result = group_result(tmp_path, "dc", "demo/dc.h", COMMA)
    out = result.outcome("dc", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == native == [
        "(NULL device *): pw_dev_comma: SEAMCALL failed: 0x8000020300000043",
        "(NULL device *): pw_dev_comma: no argument"]
    assert [x.level for x in out.log] == ["err", "warning"]
    agrees_with_gcc(result, "dc")


ONCE = r"""
static long long pw_dev_once(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int i, n = 0;

	for (i = 0; i < 2; i++)
		dev_err_once(NULL, "SEAMCALL failed: %#llx, try %d, n %d\n", err, i, n++);
	dev_err_once(NULL, "other site %d\n", n);
	dev_dbg_once(NULL, "debug %d\n", n++);
	return (long long)(err & 0xff) * 100 + n;
}
"""

# include/linux/dev_printk.h's shape under CONFIG_PRINTK, without DEBUG: dev_level_once() keeps a static bool per
# call site and only the first time the site runs evaluates the arguments and prints; dev_dbg() prints nothing.
KERNEL_ONCE = r"""
#include <stdio.h>
#include <stdbool.h>
#define dev_err(dev, fmt, ...) printf("(NULL device *): " fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...) do { if (0) printf(fmt, ##__VA_ARGS__); } while (0)
#define dev_level_once(dev_level, dev, fmt, ...) \
do { static bool __print_once; if (!__print_once) { __print_once = true; dev_level(dev, fmt, ##__VA_ARGS__); } } \
while (0)
#define dev_err_once(dev, fmt, ...) dev_level_once(dev_err, dev, fmt, ##__VA_ARGS__)
#define dev_dbg_once(dev, fmt, ...) dev_level_once(dev_dbg, dev, fmt, ##__VA_ARGS__)

static long long pw_dev_once(unsigned long long err)
{
	int i, n = 0;

	for (i = 0; i < 2; i++)
		dev_err_once(NULL, "SEAMCALL failed: %#llx, try %d, n %d\n", err, i, n++);
	dev_err_once(NULL, "other site %d\n", n);
	dev_dbg_once(NULL, "debug %d\n", n++);
	return (long long)(err & 0xff) * 100 + n;
}

int main(void)
{
	printf("%lld\n", pw_dev_once(0x8000020300000043ULL));
	return 0;
}
"""


def test_dev_level_once_prints_once_per_call_site_as_gcc_runs_it(tmp_path: Path) -> None:
    # include/linux/dev_printk.h dev_level_once(): a static bool per call site; the loop's site prints its first
    # pass only (its n++ evaluated once), the second site prints, dev_dbg_once() prints nothing (dev_dbg()'s
    # if (0): its n++ is not evaluated) but sets its static.
    # Before: "call to unknown function dev_err_once()".
    native = _gcc_prints(tmp_path, KERNEL_ONCE)
    result = group_result(tmp_path, "do", "demo/do.h", ONCE)
    out = result.outcome("do", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] + [str(out.ret)] == native == [
        "(NULL device *): SEAMCALL failed: 0x8000020300000043, try 0, n 0", "(NULL device *): other site 1",
        str(0x43 * 100 + 1)], (out.log, out.ret, native)
    assert [x.level for x in out.log] == ["err", "err"]
    assert [x for x in out.state if "__print_once" in x[0]] == [
        (f"pw_dev_once::__print_once#{i}", "1") for i in (1, 2, 3)], out.state
    agrees_with_gcc(result, "do")


TWICE = r"""
#define BOTH_ONCE(i, n) do { dev_err_once(NULL, "a %d\n", i); dev_err_once(NULL, "b %d\n", n++); } while (0)

static long long pw_dev_twice(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int i, n = 0;

	for (i = 0; i < 3; i++) {
		if (i & 1) dev_err_once(NULL, "odd %d, n %d\n", i, n++); else dev_err_once(NULL, "even %d, n %d\n", i, n++);
	}
	for (i = 0; i < 2; i++)
		BOTH_ONCE(i, n);
	return (long long)(err & 0xff) * 100 + n;
}
"""


def test_two_dev_level_once_sites_on_one_line_keep_a_static_each_as_gcc_runs_them(tmp_path: Path) -> None:
    # Two dev_err_once() on one line (and two in one expansion of the file's macro) are four statics (C11 6.2.4p3):
    # each site prints once. Before: one static per line and name, so the odd site and "b" never printed (gcc
    # prints them), and every site's state was named "pw_dev_twice::__print_once".
    head = KERNEL_ONCE[:KERNEL_ONCE.index("static long long pw_dev_once")]
    body = TWICE.replace("(u64 fn, struct tdx_module_args *args)", "(unsigned long long err)").replace(
        "\tu64 err = __seamcall(fn, args);\n", "")
    native = _gcc_prints(tmp_path, head + body + "int main(void)\n{\n\tprintf(\"%lld\\n\", "
                         "pw_dev_twice(0x8000020300000043ULL));\n\treturn 0;\n}\n")
    result = group_result(tmp_path, "dt", "demo/dt.h", TWICE)
    out = result.outcome("dt", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] + [str(out.ret)] == native == [
        "(NULL device *): even 0, n 0", "(NULL device *): odd 1, n 1", "(NULL device *): a 0",
        "(NULL device *): b 2", str(0x43 * 100 + 3)], (out.log, out.ret, native)
    assert [x for x in out.state if "__print_once" in x[0]] == [
        (f"pw_dev_twice::__print_once#{i}", "1") for i in (1, 2, 3, 4)], out.state
    agrees_with_gcc(result, "dt")
