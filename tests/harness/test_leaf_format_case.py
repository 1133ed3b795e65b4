"""leaf-format where one component prints '%llX' and the other '%llx'.

leaf-format where one component prints its leaf by '%llX' and the other by '%llx': the matrix's leaves have no hex
letter, so the lines alone do not show it; the formats tell the case (harness.hexcase), checked against gcc's printf
of a leaf with a letter."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_leaf_base_by_conversion import PRINT, _format_rule, _split

LOWER_TDX = PRINT.replace("(%llu)", "(%llx)")  # 'SEAMCALL (%llx) failed: %#016llx'


def _loader(fmt: str) -> str:
    return f'\t\tpr_err("P-SEAMLDR {fmt}\\n", fn, err);\n'


def _gcc_alike(tmp_path: Path, printing: str) -> bool:
    """Whether gcc's build prints a leaf of 0x2a alike in both branches of ``printing`` (glibc's printf: the case of
    '%x' and '%X' as lib/vsprintf.c prints it), the P-SEAMLDR's with bit 63 set."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "case.c", tmp_path / "case"
    src.write_text("#include <stdio.h>\ntypedef unsigned long long u64;\n#define SEAMLDR_LEAF_BIT (1ULL << 63)\n"
                   "#define pr_err(...) printf(__VA_ARGS__)\nstatic void seamcall_err(u64 fn, u64 err)\n{\n"
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
