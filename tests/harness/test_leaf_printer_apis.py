"""The leaf rules on prints through dev_*_ratelimited() and __printf() wrappers: the verdict gcc's output gives."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_leaf_format_by_bits import PV_PR_ERR
from tests.harness.test_printvars import RULES, _judge

_HEX = '"SEAMLDR (%#llx) failed: %#016llx\\n"'
_DEC = '"SEAMLDR (%llu) failed: %#016llx\\n"'
_PRINTS = "\nstatic inline void seamldr_err(u64 fn, u64 err)\n{{\n\t{call};\n}}\n"
# A variadic function with the format attribute (include/linux/compiler_attributes.h): it prints a note of its own.
_NOTE = "\nstatic __printf(1, 2) void seamldr_note(const char *fmt, ...)\n{\n\tpr_err(\"seamldr: failed\\n\");\n}\n"
_VLOG = ("\nstatic __printf(1, 2) void seamldr_log(const char *fmt, ...)\n{\n\tva_list ap;\n\n\tva_start(ap, fmt);\n"
         "\tvprintk(fmt, ap);\n\tva_end(ap);\n}\n")
_VTEXT = ("\nstatic __printf(1, 2) void seamldr_text(const char *fmt, ...)\n{\n\tchar buf[80];\n\tva_list ap;\n\n"
          "\tva_start(ap, fmt);\n\tvsnprintf(buf, sizeof(buf), fmt, ap);\n\tva_end(ap);\n\tpr_err(\"%s\", buf);\n}\n")
# %pV of a struct va_format holding the format and the va_list (lib/vsprintf.c va_format()).
_VAF = ("\nstatic __printf(1, 2) void seamldr_vaf(const char *fmt, ...)\n{\n\tstruct va_format vaf;\n\tva_list ap;\n\n"
        "\tva_start(ap, fmt);\n\tvaf.fmt = fmt;\n\tvaf.va = &ap;\n\tpr_err(\"%pV\", &vaf);\n\tva_end(ap);\n}\n")
# Each with the P-SEAMLDR's leaf in hex or in decimal, the TDX module's in hex (tests/harness/test_printvars._header).
FORMS = {
    "dev_err_ratelimited": _PRINTS.format(call="dev_err_ratelimited(NULL, FMT, fn, err)"),
    "dev_warn_ratelimited": _PRINTS.format(call="dev_warn_ratelimited(NULL, FMT, fn, err)"),
    "dev_info_ratelimited": _PRINTS.format(call="dev_info_ratelimited(NULL, FMT, fn, err)"),
    # a format a variable holds (an ops table nothing stores to) handed to dev_err()
    "dev_err of a held format": "struct seamldr_ops { const char *fmt; };\n"
    "static const struct seamldr_ops seamldr_ops = { .fmt = FMT };\n"
    "static const struct seamldr_ops *const ops = &seamldr_ops;\n"
    + _PRINTS.format(call="dev_err(NULL, ops->fmt, fn, err)"),
    "__printf wrapper": _NOTE + _PRINTS.format(call="seamldr_note(\"%d\", 1);\n\tpr_err(FMT, fn, err)"),
    # the format and arguments handed on through a va_list (include/linux/stdarg.h, kernel/printk/printk.c)
    "vprintk wrapper": _VLOG + _PRINTS.format(call="seamldr_log(KERN_ERR FMT, fn, err)"),
    "vsnprintf wrapper": _VTEXT + _PRINTS.format(call="seamldr_text(FMT, fn, err)"),
    "dev_printk": _PRINTS.format(call="dev_printk(KERN_ERR, NULL, FMT, fn, err)"),
    "%pV wrapper": _VAF + _PRINTS.format(call="seamldr_vaf(FMT, fn, err)"),
}
# gcc: what each prints for the P-SEAMLDR's leaf; the ratelimited forms and the device prefix as
# include/linux/dev_printk.h and drivers/base/core.c __dev_printk() give them for a NULL device.
_ORACLE = """\
#include <stdarg.h>
#include <stdio.h>
typedef unsigned long long u64;
#define KERN_ERR ""
#define vprintk vprintf
#define dev_printk(level, dev, fmt, ...) printf(level "(NULL device *): " fmt, ##__VA_ARGS__)
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define pr_err printf
#define dev_err_ratelimited(dev, fmt, ...) printf("(NULL device *): " fmt, ##__VA_ARGS__)
#define dev_warn_ratelimited dev_err_ratelimited
#define dev_info_ratelimited dev_err_ratelimited
#define dev_err(dev, fmt, ...) printf("(NULL device *): "), printf(fmt, ##__VA_ARGS__)
%s
int main(void)
{
	seamldr_err(0x8000000000000000ULL, 0x8000020300000000ULL);
	return 0;
}
"""


def _gcc_leaf(tmp_path: Path, printer: str) -> str:
    """The P-SEAMLDR's leaf as gcc prints it through ``printer``."""
    src, exe = tmp_path / "p.c", tmp_path / "p"
    oracle = _ORACLE.replace("#define pr_err printf\n", PV_PR_ERR) if "%pV" in printer else _ORACLE
    src.write_text(oracle % printer.replace("static inline", "static"))
    subprocess.run(["gcc", "-O1", "-Wall", "-Werror", "-Wno-unused-function", "-o", str(exe), str(src)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    return out.split("SEAMLDR (", 1)[1].split(")", 1)[0]


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc (the C oracle) is not installed")
@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize(("fmt", "printed", "want"), [(_HEX, "0x8000000000000000", VerdictStatus.PASS),
                                                     (_DEC, "9223372036854775808", VerdictStatus.FAIL)])
def test_a_leaf_printed_through_a_kernel_printer_api_gets_the_verdict_gcc_gives(
        tmp_path: Path, form: str, fmt: str, printed: str, want: VerdictStatus) -> None:
    # Before: INCONCLUSIVE, "dev_err_ratelimited() ... defined in none of them" (not in the prelude) and
    # "seamldr_note() ... defined in none of them" (the slicer took __printf for the function's name).
    printer = FORMS[form].replace("FMT", fmt)
    assert _gcc_leaf(tmp_path, printer) == printed
    verdicts = _judge(tmp_path, printer)
    assert {rule: status for rule, (status, _) in verdicts.items()} == dict.fromkeys(RULES, want), verdicts
