"""A print whose format leaf bits no scenario's leaf varies pick is no pass of a leaf-base rule; gcc the oracle.

``pr_err(sc_fmts[fn & 3], fn, err)`` printed in hex for every leaf of the matrix (33, 35, SEAMLDR_INFO,
SEAMLDR_INSTALL: indexes 1, 3, 0, 1); index 2 (TDX-module leaf 34) holds a decimal format. The print ran, so it was
"shown": leaf-in-hex-for-both and leaf-base-consistent passed (harness.leafsame, models.otherbits)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PRINTERS, RETRY_SAFE, helpers, preparing_series
from tests.mailgen import write_mbox

RULES = ("leaf-base-consistent", "leaf-in-hex-for-both")
OLD = '\tpr_err("SEAMCALL (%llu) failed: %#016llx\\n", fn, err);\n'
FORMATS = """\
static const char *const sc_fmts[4] = {
\t"SEAMCALL (%#llx) failed: %#016llx\\n", "SEAMCALL (%#llx) failed: %#016llx\\n",
\t"SEAMCALL (%llu) failed: %#016llx\\n", "SEAMCALL (%#llx) failed: %#016llx\\n",
};

"""
BY_TABLE = '\tpr_err(sc_fmts[fn & 3], fn, err);\n'
BY_LOCAL = '\tconst char *fmt = sc_fmts[fn & 3];\n\n\tpr_err(fmt, fn, err);\n'
# The format handed to a printer that prints its parameter.
SAY = "static void seamcall_say(const char *fmt, u64 fn, u64 err)\n{\n\tpr_err(fmt, fn, err);\n}\n\n"
BY_PARAMETER = '\tseamcall_say(sc_fmts[fn & 3], fn, err);\n'
# Handed on again: seamcall_say() hands its format to seamcall_say2(), which prints it.
SAY_TWICE = "static void seamcall_say2(const char *fmt, u64 fn, u64 err)\n{\n\tpr_err(fmt, fn, err);\n}\n\n" \
    "static void seamcall_say(const char *fmt, u64 fn, u64 err)\n{\n\tseamcall_say2(fmt, fn, err);\n}\n\n"
# Handed in a struct: a local initialised with the format, its address given to a printer of 'm->fmt'.
SAY_MEMBER = "struct sc_msg {\n\tconst char *fmt;\n};\n\n" \
    "static void seamcall_say(const struct sc_msg *m, u64 fn, u64 err)\n{\n\tpr_err(m->fmt, fn, err);\n}\n\n"
BY_MEMBER = '\tstruct sc_msg m = { .fmt = sc_fmts[fn & 3] };\n\n\tseamcall_say(&m, fn, err);\n'
# Handed in a file-scope struct's member set before the call; to a printer called through a pointer.
SAY_GLOBAL = SAY_MEMBER + "static struct sc_msg sc_m;\n\n"
BY_GLOBAL = '\tsc_m.fmt = sc_fmts[fn & 3];\n\tseamcall_say(&sc_m, fn, err);\n'
SAY_POINTER = SAY + "static void (*const say_fn)(const char *, u64, u64) = seamcall_say;\n\n"
BY_POINTER = '\tsay_fn(sc_fmts[fn & 3], fn, err);\n'
# Handed in a local set once to the format.
BY_LOCAL_PARAMETER = '\tconst char *fmt = sc_fmts[fn & 3];\n\n\tseamcall_say(fmt, fn, err);\n'

_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
#define pr_err printf
%sstatic void seamcall_err(u64 fn, u64 err)
{
%s}
int main(void)
{
\tseamcall_err(33, 0x8000020300000000ULL);
\tseamcall_err(34, 0x8000020300000000ULL);
\treturn 0;
}
"""


def _gcc(tmp_path: Path, body: str, formats: str = FORMATS) -> list[str]:
    """What the printer prints for TDX-module leaves 33 and 34, built by gcc."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "oracle.c", tmp_path / "oracle"
    src.write_text(_ORACLE % (formats, body))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-security", "-Wno-format-nonliteral", "-o", str(exe),
                    str(src)], check=True)
    return subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()


def _judge(tmp_path: Path, body: str, formats: str = FORMATS) -> dict[str, tuple[VerdictStatus, str]]:
    assert OLD in PRINTERS
    header = helpers(RETRY_SAFE).replace(OLD, body).replace("static inline void seamcall_err",
                                                            formats + "static inline void seamcall_err")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(header))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    return {v.rule.id: (v.status, v.note) for v in gate.verdicts if v.rule.id in RULES}


@pytest.mark.parametrize(("body", "formats"), [
    (BY_TABLE, FORMATS), (BY_LOCAL, FORMATS), (BY_PARAMETER, FORMATS + SAY), (BY_PARAMETER, FORMATS + SAY_TWICE),
    (BY_MEMBER, FORMATS + SAY_MEMBER), (BY_LOCAL_PARAMETER, FORMATS + SAY), (BY_GLOBAL, FORMATS + SAY_GLOBAL),
    (BY_POINTER, FORMATS + SAY_POINTER),
], ids=["table", "local", "handed-to-a-printer", "handed-on-twice", "handed-in-a-struct", "handed-from-a-local",
        "handed-in-a-file-scope-struct", "to-a-printer-through-a-pointer"])
def test_a_format_picked_by_leaf_bits_the_matrix_never_varies_is_not_a_pass(tmp_path: Path, body: str,
                                                                            formats: str) -> None:
    # gcc: leaf 33 in hex, leaf 34 in decimal. Was PASS on both rules.
    assert _gcc(tmp_path, body, formats) == ["SEAMCALL (0x21) failed: 0x8000020300000000",
                                             "SEAMCALL (34) failed: 0x8000020300000000"]
    for rule, (status, note) in _judge(tmp_path, body, formats).items():
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert "picks its format by bits of the leaf other than bit 63" in note, (rule, note)


def test_a_format_picked_by_bit_63_alone_keeps_its_pass(tmp_path: Path) -> None:
    body = BY_TABLE.replace("sc_fmts[fn & 3]", "sc_fmts[fn >> 63]")
    for rule, (status, note) in _judge(tmp_path, body).items():
        assert status is VerdictStatus.PASS, (rule, note)
