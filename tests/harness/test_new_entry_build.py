"""A patch that adds an entry point whose unit does not build it (an #include forgotten) says so beside "is new",
rather than "seamldr_shutdown() is new: this patch defines it" alone over runs that never happened."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pipeline import EvalRequest, evaluate
from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, RETRY_SAFE, WRAPPER, Step, helpers, revision
from tests.mailgen import write_mbox

SHUTDOWN_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt
{include}
int seamldr_shutdown(void)
{{
\tstruct tdx_module_args args = {{}};

\treturn seamldr_prerr(0x8000000000000002ULL, &args);
}}
"""


@pytest.mark.parametrize("include", ['#include "seamcall_internal.h"\n', ""])
def test_a_new_entry_point_that_does_not_build_says_so(tmp_path: Path, include: str) -> None:
    base = helpers(RETRY_SAFE)
    msgs = revision(1, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Add a P-SEAMLDR shutdown call",
                             ((WRAPPER, None, SHUTDOWN_C.format(include=include)), BUILD_WRAPPER))])
    ev = evaluate(EvalRequest((write_mbox(tmp_path / "v1.mbox", msgs),), jobs=1))
    (added,) = [c for c in ev.comparison.per_patch if c.b == "v1:02"]
    text = " ".join(" ".join(added.summary(limit=50)).split())
    assert "seamldr_shutdown() is new: this patch defines it" in text, text
    if include:
        assert "does not build" not in text, text
    else:
        assert ("seamldr_shutdown() is new: this patch defines it, and its runs end in error: "
                f"{WRAPPER} does not build seamldr_shutdown(): ") in text, text
        assert f"are defined in {NEW_HOME}, which {WRAPPER} does not include" in text, text
