"""no_retry on a wrapper with a fixed leaf says what its runs issued instead.

no_retry on a wrapper with a fixed leaf (``int f(void)``): its runs never issue the scenario's leaf, and the
verdict says what they issued instead, rather than "nothing shows how one is issued" or "0 scenarios checked"."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import BUILD_WRAPPER, NEW_HOME, RETRY_SAFE, WRAPPER, Step, helpers, revision
from tests.mailgen import write_mbox

SHUTDOWN_C = """\
// SPDX-License-Identifier: GPL-2.0
#define pr_fmt(fmt) "seamldr-ops: " fmt

#include "seamcall_internal.h"

int seamldr_shutdown(void)
{
\tstruct tdx_module_args args = {};

\treturn seamldr_prerr(0x8000000000000002ULL, &args);
}
"""


@pytest.mark.parametrize(("script", "status"), [
    ("seamldr-no-entropy-*", VerdictStatus.INCONCLUSIVE),  # the loop retries no P-SEAMLDR answer: no retry seen
    ("tdx-no-entropy-*", VerdictStatus.FAIL),  # it retries the module's code, whatever the leaf: a retry seen
])
def test_a_fixed_leaf_wrapper_says_what_it_issued(tmp_path: Path, script: str, status: VerdictStatus) -> None:
    base = helpers(RETRY_SAFE)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/tdx: Add a P-SEAMLDR shutdown call", ((WRAPPER, None, SHUTDOWN_C),
                                                                           BUILD_WRAPPER))])
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "r"\nreviewer = "r"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
                     f'kind = "behaviour"\nscenarios = {{ entry = "seamldr_shutdown", script = "{script}" }}\n'
                     'expect = { no_retry = true }\n')
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", rules=rules, jobs=1))
    (got,) = g.verdicts
    assert got.status is status, (got.status, got.note)
    assert "seamldr_shutdown() issues 0x8000000000000002 whatever the scenario's leaf" in got.note, got.note
