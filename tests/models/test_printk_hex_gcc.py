"""printk's %*ph, %*phC, %*phD and %*phN (lib/vsprintf.c hex_string()).

printk's %*ph, %*phC, %*phD and %*phN (lib/vsprintf.c hex_string()): a buffer's bytes in hex, the field width their
number, were refused ("%ph prints a hex buffer, which the mirror does not model"). They print as the kernel prints
them from what the mirror knows of the bytes: a char or u8 array from the element passed on (a union's too), a struct
or union of integers, an integer; the native build records the bytes it read (models/native/sh_native.c
put_hex_arg), so gcc's runs print through the same hex_string(). Past 64 bytes (256 in later kernels), past the
object and bytes of what the mirror does not model are refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from models.printk import Pointer, vsnprintf
from models.printkhex import Chars
from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

HEX = r"""
struct ph_regs { u32 lo; u16 cls; u8 sub, flags; };

static long long pw_printk_ph(u64 fn, struct tdx_module_args *args)
{
	u8 raw[6] = { 1, 2, 0xab, 4, 5, 6 };
	struct ph_regs s = { 0x01020304, 0x0506, 7, 8 };
	char name[8] = "seam";
	u64 err = __seamcall(fn, args);
	int n = (int)(err & 3) + 1;

	raw[1] = (u8)err;
	pr_info("raw %*ph|\n", 4, raw);
	pr_info("all %*phN %*phC %*phD %ph\n", (int)sizeof(raw), raw, 3, raw, 2, raw + 1, raw);
	pr_info("n %*ph s %*phN\n", n, raw, (int)sizeof(s), &s);
	pr_info("neg %*ph zero %*ph| null %*ph %4ph name %*ph\n", -3, raw, 0, raw, 2, NULL, raw, 8, name);
	return (long long)err;
}
"""


def test_hex_buffers_print_as_the_kernel_prints_them_from_gccs_bytes(tmp_path: Path) -> None:
    result = runs_as_gcc(tmp_path, "ph", "demo/ph.h", HEX)
    log = [line.text for line in result.outcome("ph", "busy/ONE/big/demo.c").log]
    assert "all 0143ab040506 01:43:ab 43-ab 01" in log, log


WIDE = r"""
struct ph_wide { u16 cls[3]; };
union ph_view { u64 whole; u32 halves[2]; };

static long long pw_printk_wide(u64 fn, struct tdx_module_args *args)
{
	u32 regs[3] = { 0x01020304, 0, 0xa0b0c0d0 };
	u64 words[2] = { 0x1122334455667788ULL, 9 };
	struct ph_wide w = { { 0x0102, 0x0304, 0xfffe } };
	union ph_view v;
	u64 err = __seamcall(fn, args);

	regs[1] = (u32)err;
	v.whole = err ^ 0x0123456789abcdefULL;
	pr_info("regs %*ph words %*phN\n", (int)sizeof(regs), regs, 16, words);
	pr_info("cls %*phC halves %*phD\n", (int)sizeof(w.cls), w.cls, 8, v.halves);
	return (long long)err;
}
"""


def test_integer_arrays_passed_by_name_print_their_bytes_in_memory_order(tmp_path: Path) -> None:
    # An array of u32/u64/u16 named as %*ph's argument decays to a pointer to its element 0 (C11 6.3.2.1p3), and
    # hex_string() prints the bytes there: little-endian on x86-64 (was refused: "array used as a pointer").
    result = runs_as_gcc(tmp_path, "wide", "demo/wide.h", WIDE)
    log = [line.text for line in result.outcome("wide", "busy/ONE/ok/demo.c").log]
    assert "cls 02:01:04:03:fe:ff halves ef-cd-ab-89-67-45-23-01" in log, log
    assert "regs 04 03 02 01 00 00 00 00 d0 c0 b0 a0 words 88776655443322110900000000000000" in log, log


BUF = bytes(range(0x3f, -1, -1))[::-1]  # 00 01 ... 3f, Documentation/core-api/printk-formats.rst's example


@pytest.mark.parametrize(("fmt", "width", "want"), [
    (b"%*ph", 3, b"00 01 02"), (b"%*phC", 3, b"00:01:02"), (b"%*phD", 3, b"00-01-02"), (b"%*phN", 3, b"000102"),
    (b"%ph", None, b"00"), (b"%*ph", 0, b""), (b"%*ph", -2, b"00 01"), (b"%*phN", 64, BUF.hex().encode()),
])
def test_hex_string_as_lib_vsprintf_writes_it(fmt: bytes, width: int | None, want: bytes) -> None:
    args = ([] if width is None else [width]) + [Pointer(None, "an object", BUF)]
    assert vsnprintf(fmt, args).text == want


@pytest.mark.parametrize(("body", "says"), [
    ("u8 b[80] = {};\n\n\tpr_info(\"%*ph\\n\", 65, b);", "of 65 bytes: lib/vsprintf.c prints at most 64"),
    ("u8 b[4] = {};\n\n\tpr_info(\"%*ph\\n\", 5, b);", "of 5 bytes where 4 are known"),
    ("u8 b[4];\n\n\tb[0] = 1;\n\tpr_info(\"%*ph\\n\", 2, b);", "of 2 bytes where 1 are known"),
    ("struct { u64 a; void *p; } s = {};\n\n\tpr_info(\"%*ph\\n\", 2, &s);", "its bytes are not modelled"),
])
def test_what_hex_string_would_read_unknown_is_refused(body: str, says: str) -> None:
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\t" + body + "\n\treturn 0;\n}\n")
    assert (out.status, says in (out.error or "")) == ("error", True), out.error


def test_two_char_arrays_of_one_string_print_their_own_bytes() -> None:
    # vsnprintf()'s results are kept per format and arguments: the bytes past the NUL are part of the key
    assert vsnprintf(b"%s %*ph", [Chars(b"ab", b"ab\0\x01"), 4, Chars(b"ab", b"ab\0\x01")]).text == b"ab 61 62 00 01"
    out = run("long long f(u64 fn, struct tdx_module_args *args)\n{\n\tchar x[4] = \"ab\", y[4] = \"ab\";\n\n"
              "\tx[3] = 1;\n\ty[3] = 2;\n\tpr_info(\"%*ph\\n\", 4, x);\n\tpr_info(\"%*ph\\n\", 4, y);\n"
              "\treturn 0;\n}\n")
    assert [line.text for line in out.log] == ["61 62 00 01", "61 62 00 02"], out.error
