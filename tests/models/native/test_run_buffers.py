"""A %pE or %pb buffer longer than 64 bytes is recorded whole up to HEX_RECORD_MAX, against gcc.

models.native.run with sh_native.c put_hex_arg(): a %pE or %pb buffer longer than 64 bytes is recorded whole up
to HEX_RECORD_MAX bytes, and gcc's build prints what the mirror prints; past the bound the run is refused, saying
so, and not compared (before, 64 bytes were recorded and the native side printed a printk error)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from models.native.run import HEX_RECORD_MAX, find_compiler
from tests.models.probegroup import group_result, runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="gcc, the oracle, is not installed")

LONG = r"""
static long long pw_long(u64 fn, struct tdx_module_args *args)
{
	char buf[300];
	unsigned long bits[20];
	int i;

	for (i = 0; i < 300; i++)
		buf[i] = (char)(i * 7);
	for (i = 0; i < 20; i++)
		bits[i] = 0x8000000000000001UL >> (i % 3);
	pr_info("%*pE|\n", 300, buf);
	pr_info("%*pEhp|\n", 200, buf);
	pr_info("%*pb|\n", 1250, bits);
	pr_info("%*pbl|\n", 1280, bits);
	return 1;
}
"""


def test_buffers_past_64_bytes_print_as_gcc_builds_them(tmp_path: Path) -> None:
    result = runs_as_gcc(tmp_path, "lb", "demo/lb.h", LONG)
    text = [x.text for x in result.outcome("lb", "busy/ONE/ok/demo.c").log]
    assert len(text) == 4 and all(t.endswith("|") for t in text), text
    assert text[0].startswith("\\0\\a\\016\\025\\034#*18?FMT[bipw~\\205"), text[0]
    assert text[3].startswith("0,63,126,189,192,255,318"), text[3]


def test_a_buffer_past_the_bound_is_not_compared_and_says_why(tmp_path: Path) -> None:
    n = HEX_RECORD_MAX + 1
    code = ("static long long pw_huge(u64 fn, struct tdx_module_args *args)\n{\n"
            f"\tstatic char buf[{n}];\n\n\tbuf[{n - 1}] = 'z';\n\tpr_info(\"%*pE|\\n\", {n}, buf);\n\treturn 1;\n}}\n")
    result = group_result(tmp_path, "hg", "demo/hg.h", code)
    out = result.outcome("hg", "busy/ONE/ok/demo.c")
    assert out.status == "ok", out.error
    assert out.log[0].text.startswith("\\0\\0\\0")  # the mirror prints it (cut at the record's length)
    r = crosscheck_result(result, find_compiler(None))
    assert r.disagreements == []
    why = " ".join(r.not_compared.get("hg", []))
    assert f"reads {n:,} bytes of a buffer: the native build records at most {HEX_RECORD_MAX:,}" in why, \
        r.not_compared
