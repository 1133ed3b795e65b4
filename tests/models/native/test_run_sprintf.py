"""The native build's sprintf()/snprintf()/scnprintf() write the kernel's text, or the run is not compared.

The native side took the C library's snprintf() for lib/vsprintf.c's: where the two print otherwise (``%#x`` of 0
is the kernel's ``0x0``, the C library's ``0``; a precision of 0 of 0; the ``%p`` family), gcc's run went on with
text no kernel writes, and the cross-check called the mirror's right answer a disagreement. Now such a run says so
and is not compared; one whose conversions the two print alike is compared as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.native.run import NOT_KERNEL_TEXT, find_compiler
from tests.harness.variantgen import header_result

# ``%#x`` of the answer's top nibble: 0 under ``ok`` (the kernel's "0x0", 3 bytes), 8 under ``big`` ("0x8", alike).
_WRITER = """\
static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 ret = __seamcall(fn, args);
	char buf[24], small[8];
	int n;

	n = %s;
	n = n * 100 + scnprintf(small, sizeof(small), "%%s|%%.0x", buf, (u32)(ret >> 60) + 1);
	pr_err("%%s %%s %%d\\n", buf, small, n);
	return n;
}
"""
_CALLS = {
    "sprintf": 'sprintf(buf, "%#x", (u32)(ret >> 60))',
    "snprintf": 'snprintf(buf, sizeof(buf), "%#x", (u32)(ret >> 60))',
    "scnprintf": 'scnprintf(buf, sizeof(buf), "%#x", (u32)(ret >> 60))',
}


@pytest.mark.parametrize("call", sorted(_CALLS))
@pytest.mark.parametrize("source", [ORIGINAL, "mirror"])
def test_a_buffer_the_c_library_writes_otherwise_is_not_compared(tmp_path: Path, call: str, source: str) -> None:
    result = header_result(tmp_path, "sp", "demo/sp.h", _WRITER % _CALLS[call], 0x8000020300000000)
    ok, big = (result.outcome("sp", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    # lib/vsprintf.c: "0x0" (3 bytes), then "0x0|1" (5)
    assert (ok.ret, [x.text for x in ok.log]) == (305, ["0x0 0x0|1 305"])
    assert (big.ret, [x.text for x in big.log]) == (305, ["0x8 0x8|9 305"])
    r = crosscheck_result(result, find_compiler(None), source=source)
    # Before: busy/ONE/ok was a disagreement (the native run's return 103: the C library's "0").
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
    assert r.compared["sp"] == 1 and r.agreed["sp"] == 1
    assert [w for w in r.not_compared["sp"] if NOT_KERNEL_TEXT in w and '"%#x"' in w] != [], r.not_compared
    assert source != ORIGINAL or r.raw_compared["sp"] == 1, r.fallback


def test_conversions_printed_alike_are_compared(tmp_path: Path) -> None:
    text = _WRITER.replace("%%.0x", "%%x") % 'snprintf(buf, sizeof(buf), "%llx-%5d", ret, -3)'
    result = header_result(tmp_path, "sq", "demo/sq.h", text, 0x8000020300000000)
    r = crosscheck_result(result, find_compiler(None))
    assert r.disagreements == [] and r.raw_compared["sq"] == 2, (r.not_compared, r.fallback)
