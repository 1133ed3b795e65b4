"""leaf-format where one component prints '%llX' and the other '%llx'.

leaf-format where one component prints its leaf by '%llX' and the other by '%llx': the matrix's leaves have no hex
letter, so the lines alone do not show it; the formats tell the case (harness.hexcase), checked against gcc's printf
of a leaf with a letter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import preparing_series
from tests.harness.test_leaf_base_by_conversion import ERR, FORMAT_RULE, HEADER, PRINT, _format_rule, _split
from tests.mailgen import write_mbox

LOWER_TDX = PRINT.replace("(%llu)", "(%llx)")  # 'SEAMCALL (%llx) failed: %#016llx'


def _loader(fmt: str) -> str:
    return f'\t\tpr_err("P-SEAMLDR {fmt}\\n", fn, err);\n'


def _gcc_alike(tmp_path: Path, printing: str, before: str = "") -> bool:
    """Whether gcc's build prints a leaf of 0x2a alike in both branches of ``printing`` (glibc's printf: the case of
    '%x' and '%X' as lib/vsprintf.c prints it), the P-SEAMLDR's with bit 63 set; ``before``: C above seamcall_err()."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "case.c", tmp_path / "case"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\n#define SEAMLDR_LEAF_BIT (1ULL << 63)\n"
                   "#define pr_err(...) printf(__VA_ARGS__)\n" + before
                   + "static void seamcall_err(u64 fn, u64 err)\n{\n"
                   + printing + "}\nint main(void)\n{\n\tseamcall_err(0x2a, 0);\n\tprintf(\"--\\n\");\n"
                   "\tseamcall_err(0x800000000000002aULL, 0);\n\treturn 0;\n}\n")
    subprocess.run(["gcc", "-Wall", "-Werror", "-o", str(exe), str(src)], check=True)
    tdx, loader = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split("--\n")
    return ("2a" in tdx) == ("2a" in loader) and ("2A" in tdx) == ("2A" in loader)


@pytest.mark.parametrize(("loader", "tdx", "want"), [
    # Before: PASS ('hex, not zero-padded' for both): gcc prints a leaf of 0x2a as 2a and 2A.
    ("(%llX) failed: %#016llX", LOWER_TDX, VerdictStatus.FAIL),
    ("(%llX) failed: %016llx", LOWER_TDX, VerdictStatus.INCONCLUSIVE),  # the line's formats are of both cases
    # Near misses: one case (PASS before and after), a prefix that shows the case (FAIL before and after).
    ("(%llx) failed: %#016llx", LOWER_TDX, VerdictStatus.PASS),
    ("(%llX) failed: %#016llX", LOWER_TDX.replace("%llx", "%llX").replace("%#016llx", "%#016llX"),
     VerdictStatus.PASS),
    ("(%#llX) failed: %016llx", LOWER_TDX.replace("(%llx)", "(%#llx)"), VerdictStatus.FAIL),
], ids=["upper beside lower", "both cases in a line", "lower for both", "upper for both", "0X beside 0x"])
def test_a_hex_leaf_with_no_letter_is_told_its_case_by_its_format(tmp_path: Path, loader: str, tdx: str,
                                                                 want: VerdictStatus) -> None:
    printing = _split(_loader(loader), tdx)
    assert _gcc_alike(tmp_path, printing) is (want is VerdictStatus.PASS)
    status, note = _format_rule(tmp_path, printing)
    assert status is want, note
    if want is VerdictStatus.INCONCLUSIVE:
        assert "hex digits with no letter, by a format whose conversions do not tell their case" in note, note


UPPER_TDX = PRINT.replace("(%llu) failed: %#016llx", "(%llX) failed: %#016llX")
# A __printf wrapper handing its format to pr_err() in a struct va_format (OUTER: pr_err()'s format and arguments,
# the %pV first), as include/linux/printk.h's callers build one.
_VAF = ("static __printf(1, 2) void seamldr_vaf(const char *fmt, ...)\n{\n\tstruct va_format vaf;\n\tva_list ap;\n\n"
        "\tva_start(ap, fmt);\n\tvaf.fmt = fmt;\n\tvaf.va = &ap;\n\tpr_err(OUTER);\n\tva_end(ap);\n}\n\n")
# gcc's stand-in for lib/vsprintf.c's %pV at the start of a format: the struct's format with its va_list, then the
# rest of the format with the call's other arguments.
_PV_SHIM = r"""#include <stdarg.h>
#include <string.h>
#define __printf(a, b) __attribute__((format(printf, a, b)))
struct va_format { const char *fmt; va_list *va; };
static void pv_err(const char *fmt, ...)
{
	va_list ap, inner;

	va_start(ap, fmt);
	if (!strncmp(fmt, "%pV", 3)) {
		struct va_format *vaf = va_arg(ap, struct va_format *);

		va_copy(inner, *vaf->va);
		vprintf(vaf->fmt, inner);
		va_end(inner);
		fmt += 3;
	}
	vprintf(fmt, ap);
	va_end(ap);
}
"""


@pytest.mark.parametrize(("outer", "inner", "tdx", "want"), [
    # Before: INCONCLUSIVE, the line's format read as "%pV" (no conversion telling the case); gcc 2a beside 2A.
    ('"%pV\\n", &vaf', "(%llx) failed: %#016llx", UPPER_TDX, VerdictStatus.FAIL),
    # Before: INCONCLUSIVE the same way; gcc prints both in lower case.
    ('"%pV\\n", &vaf', "(%llx) failed: %#016llx", LOWER_TDX, VerdictStatus.PASS),
    # Before: PASS, the case told by the call's own '%llX' (a value that is no leaf); the leaf's is the struct's.
    ('"%pV [%llX]\\n", &vaf, 0x777ULL', "(%llx) failed: %#016llx", UPPER_TDX, VerdictStatus.INCONCLUSIVE),
    ('"%pV [%llx]\\n", &vaf, 0x777ULL', "(%llX) failed: %#016llX", LOWER_TDX, VerdictStatus.INCONCLUSIVE),
], ids=["lower inside beside upper", "lower inside beside lower", "upper outside", "lower outside"])
def test_a_leaf_printed_through_pv_is_told_its_case_by_the_struct_format(tmp_path: Path, outer: str, inner: str,
                                                                        tdx: str, want: VerdictStatus) -> None:
    wrapper = _VAF.replace("OUTER", outer)
    loader = f'\t\tseamldr_vaf("P-SEAMLDR {inner}", fn, err);\n'
    printing = _split(loader, tdx)
    alike = _gcc_alike(tmp_path, printing, _PV_SHIM + wrapper.replace("pr_err(", "pv_err("))
    assert alike is (want is VerdictStatus.PASS)
    (tmp_path / "rules.toml").write_text(FORMAT_RULE)
    header = HEADER.replace(PRINT, printing).replace(ERR, wrapper + ERR)
    box = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    (found,) = evaluate_gate(GateRequest((box,), "v2", jobs=1, rules=tmp_path / "rules.toml")).verdicts
    assert found.status is want, found.note
    if want is VerdictStatus.INCONCLUSIVE:
        assert "hex digits with no letter, by a format whose conversions do not tell their case" in found.note
