"""The printing macros evaluate their format's arguments only where they print.

The printing macros evaluate their format's arguments only where they print: WARN(cond, fmt, args) and
WARN_ONCE() when the condition holds (the first time), pr_<level>_once() / printk_once() the first time,
_ratelimited the first ten times, pr_debug() / pr_devel() never (no_printk(): if (0) printk(...)). The mirror
evaluated every argument at every call, so a call or a SEAMCALL among them ran where the kernel never runs it.
Outcomes pinned to gcc's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

LAZY_H = """\
static int la_n;

static int la_count(void)
{
	return ++la_n;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	int i, c = 0;

	WARN(err, "warn %d\\n", la_count());
	for (i = 0; i < 3; i++) {
		WARN_ONCE(err, "once %d\\n", la_count());
		pr_err_once("err once %d\\n", la_count());
		printk_once(KERN_INFO "printk once %d\\n", la_count());
		pr_debug("debug %llx\\n", __seamcall(fn, args));
		pr_devel("devel %d\\n", la_count());
		pr_debug_once("debug once %d\\n", la_count());
		c += WARN_ON_ONCE(err && la_count());
	}
	for (i = 0; i < 12; i++)
		pr_info_ratelimited("limited %d\\n", la_count());
	return la_n * 100 + c;
}
"""


def test_the_arguments_of_a_message_not_printed_are_not_evaluated(tmp_path: Path) -> None:
    result = agrees_with_gcc(tmp_path, "la", "demo/la.h", LAZY_H, 0x8000020300000043, (1200, 1703))  # gcc's
    ok = result.outcome("la", "busy/ONE/ok/demo.c")
    assert len(ok.calls) == 1  # pr_debug()'s SEAMCALL never runs
    assert [x.text for x in ok.log][:3] == ["err once 1", "printk once 2", "limited 3"]
