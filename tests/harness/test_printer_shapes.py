"""'No new error printer' (no_new_printers) on printers in shapes the review never saw: each must fail, or be
inconclusive where what a call does is not in the input, never pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.mailgen import write_mbox

OLD_MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
NEW_MACRO = "#define seamldr_prerr(_fn, _args)\tsl_retry_prerr(__seamcall, (_fn), (_args))\n"
# The 'Prepare' patch gives the P-SEAMLDR its own retry-and-report helper; PRINT is how it reports.
OWN_PRERR = """\
static __always_inline int sl_retry_prerr(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(op, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	PRINT
	return -EIO;
}

"""
MSG = '"SEAMCALL (%llx) failed: %#016llx\\n", fn, err'


def _verdict(tmp_path: Path, printing: str, defs: str = "") -> tuple[VerdictStatus, str]:
    printers = PRINTERS.replace(OLD_MACRO, NEW_MACRO).replace(
        "#define seamcall(_fn", defs + OWN_PRERR.replace("PRINT", printing) + "#define seamcall(_fn")
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + RETRY_SAFE + "\n" + printers + TAIL))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v2", jobs=1)).verdicts}
    return found["reuse-seamcall-err"].status, found["reuse-seamcall-err"].note


@pytest.mark.parametrize("printing", [
    f"WARN(1, {MSG});",  # a WARN() with the message prints it (passed: only pr_*() counted in the patch's state)
    f"WARN_RATELIMIT(1, {MSG});",
    f"dev_err(seamldr_dev, {MSG});",  # include/linux/dev_printk.h (passed: not a printer)
    f"pr_devel({MSG});",
    f"printk_deferred_once(KERN_ERR {MSG});",
])
def test_a_new_printer_of_any_printk_family_fails(tmp_path: Path, printing: str) -> None:
    status, note = _verdict(tmp_path, printing)
    assert status is VerdictStatus.FAIL, (status, note)


def test_a_printer_through_a_local_wrapper_macro_fails(tmp_path: Path) -> None:
    wrapper = '#define sl_log(fmt, ...) printk(KERN_ERR "seamldr: " fmt, ##__VA_ARGS__)\n\n'
    assert _verdict(tmp_path, f"sl_log({MSG});", wrapper)[0] is VerdictStatus.FAIL


def test_a_call_of_a_function_no_line_defines_is_inconclusive(tmp_path: Path) -> None:
    # seamldr_report() may print: the input declares it, its body is elsewhere (passed before).
    status, note = _verdict(tmp_path, "seamldr_report(fn, err);", "void seamldr_report(u64 fn, u64 err);\n\n")
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "sl_retry_prerr()" in note, note
    assert "calls seamldr_report(), which the lines read declare but do not define" in note, note


def test_reusing_the_existing_printer_passes(tmp_path: Path) -> None:
    # The point met: the new helper reports through seamcall_err(), as the reviewer asked.
    status, note = _verdict(tmp_path, "seamcall_err(fn, err, args);")
    assert status is VerdictStatus.PASS, (status, note)
