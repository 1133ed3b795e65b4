"""snprintf(), scnprintf(), sprintf() and strscpy() into a char array, against gcc.

snprintf(), scnprintf(), sprintf() and strscpy() into a char array, run as gcc runs the same text: the lengths
lib/vsprintf.c and lib/string.c return (the would-be length, the written length, -E2BIG on a cut) and the bytes
left in the array, printed and returned. Writing past the array is a run-time error; what is not modelled is
refused with file:line. no_printk() (include/linux/printk.h) prints and evaluates nothing and is 0."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import find_compiler
from tests.harness.variantgen import header_result
from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import group_header, runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"

PIECES = r"""
static long long pw_snprintf_lengths(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char buf[8];
	char big[40];
	int a, b, c, d;

	a = snprintf(buf, sizeof(buf), "err %llx!", err);
	pr_info("cut '%s' %d\n", buf, a);
	b = scnprintf(buf, sizeof(buf), "%d-%s", (int)(err & 7), "abcdef");
	pr_info("cut '%s' %d\n", buf, b);
	c = snprintf(big, sizeof(big), "%s:%u", "seam", (unsigned int)(err >> 32));
	d = scnprintf(big, 0, "%d", 12345) + snprintf(buf, 0, "%d", 12345) * 10;
	pr_info("'%s' %d %d\n", big, c, d);
	return a * 1000000LL + b * 10000 + c * 100 + d + buf[1] + big[2];
}

static long long pw_sprintf_whole(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char buf[32];
	int n = sprintf(buf, "%08x|%s", (unsigned int)err, err ? "bad" : "ok");

	pr_info("%s %d %d\n", buf, n, (int)strlen(buf));
	return n * 1000 + buf[0] + buf[n - 1];
}

static long long pw_strscpy_results(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char name[6];
	char src[12] = "tdx-module";
	long a, b, c, e;

	a = strscpy(name, "seam");
	pr_info("'%s' %ld\n", name, a);
	b = strscpy(name, src);
	pr_info("'%s' %ld\n", name, b);
	c = strscpy(name, err ? "abcdefgh" : "ab", 4);
	pr_info("'%s' %ld\n", name, c);
	e = strscpy(name, "x", 0);
	return a * 1000000 + b * 10000 + c * 100 + e + name[0] + name[3];
}
"""


FORMAT_ARRAYS = r"""
static long long pw_format_arrays(u64 fn, struct tdx_module_args *args)
{
	static const char fmt[] = "leaf %#llx err %llu";
	const char local[] = "%s|%d";
	u64 err = __seamcall(fn, args);
	char buf[48];
	int a = snprintf(buf, sizeof(buf), fmt, fn, err >> 32);

	pr_info("%s %d\n", buf, a);
	a += sprintf(buf, local, "x", (int)(err & 7));
	pr_info("%s %d\n", buf, a);
	return a + buf[0];
}
"""


def test_a_char_array_as_the_format_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before: refused ('a printk format that is not a string literal'), as printk(fmt, ...) was until 22cf419d.
    runs_as_gcc(tmp_path, "fa", "demo/fa.h", FORMAT_ARRAYS)


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before, each stopped: "unknown identifier 'snprintf'" (scnprintf, sprintf, strscpy).
    runs_as_gcc(tmp_path, "sp", "demo/sp.h", PIECES)


def test_the_lengths_are_the_kernels() -> None:
    code = ENTRY + ("\tchar b[4];\n\tlong r = snprintf(b, 4, \"%s\", \"abcdef\") * 1000;\n\n"
                    "\tr += scnprintf(b, 4, \"%s\", \"abcdef\") * 100;\n\tr += strscpy(b, \"abcdef\") + 50;\n"
                    "\tpr_info(\"%s\\n\", b);\n\treturn r;\n}\n")
    out = run(code)
    assert (out.status, out.ret, [x.text for x in out.log]) == ("ok", 6000 + 300 - 7 + 50, ["abc"]), out.error


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("\tchar b[4];\n\n\treturn sprintf(b, \"%d\", 12345);\n", "runtime", "past its end"),
    ("\tchar b[4];\n\n\treturn snprintf(b, 8, \"%d\", 12345);\n", "runtime", "past its end"),
    ("\tu64 b[4];\n\n\treturn snprintf((char *)b, 8, \"%d\", 1);\n", "unsupported", "char array"),
    ("\tchar b[4];\n\tchar *p = NULL;\n\n\treturn snprintf(p, 4, \"%d\", 1) + b[0];\n", "unsupported", "NULL"),
    ("\tchar b[4];\n\tchar s[2] = { 'a', 'b' };\n\n\treturn strscpy(b, s);\n", "runtime", "no NUL"),
])
def test_what_gcc_leaves_undefined_is_a_run_time_error_and_the_rest_refused(body: str, kind: str, says: str) -> None:
    code = ENTRY + body + "}\n"
    out = run(code)
    assert out.status == "error", (out.status, out.ret)
    assert (str(out.error_kind), says in (out.error or "")) == (kind, True), (out.error_kind, out.error)
    assert f"{PATH}:{line_of(code, 'return')}" in (out.error or ""), out.error


NO_PRINTK = r"""
static long long pw_no_printk(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int k = 1;
	int r = no_printk("never %d %llx\n", k++, err);

	r += no_printk(KERN_ERR "never\n");
	pr_info("after %d\n", k);
	return r * 100 + k + (long long)(err & 0xf);
}
"""


def test_no_printk_prints_and_evaluates_nothing_as_gcc_runs_it(tmp_path: Path) -> None:
    # Before: "call to unknown function no_printk()".
    result = header_result(tmp_path, "np", "demo/np.h", group_header(NO_PRINTK), 0x8000020300000043)
    for s in ("ok", "big"):
        out = result.outcome("np", f"busy/ONE/{s}/demo.c")
        assert out.status == "ok", out.error
        assert [x.text for x in out.log] == ["after 1"], out.log
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["np"] == 2, r.raw_compared
