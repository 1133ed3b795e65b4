"""A tester's failure in other shapes (an error code, a bisection, a revert, a splat) is a report; one fixed is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from harness.regressions import regression
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import REVIEWER
from tests.harness.test_gate_naks import RULE
from tests.harness.test_regressions import _gate
from tests.mailgen import message, write_mbox

# h670 (round 66): each read as nothing below the patch ('v2: READY', exit 0) or as a review point only.
REPORTED = [
    "Tested on SPR: the update fails with -EINVAL every time.",
    "On my box this makes tdx_sys_setup() return -EIO.",
    "Since this patch, dmesg fills with 'SEAMCALL failed' lines.",
    "git bisect says this commit is the culprit.",
    "The loader update returns -EBUSY now with this applied.",
    "After applying this, tdx_module_init() returns -ENODEV on EMR.",
    "seamldr_install() errors out with -EIO on my SPR machine.",
    "Reverting this on top of -rc3 makes the update work again.",
    "Reverting this commit makes the WARN go away.",
    "If I revert this patch, the hang goes away.",
    "This trips a lockdep warning on boot, splat below.",
    "KASAN reports a use-after-free in tdx_init() with this series applied.",
    "Got an oops in seamldr_update() with this, full log below.",
    "Sorry, I can't give a Tested-by: the update fails on my EMR box.",
    "The P-SEAMLDR update fails every time now.",
    "The update now fails with -EINVAL on SPR.",
    "Tested v2 on EMR: tdx_sys_setup() returns -EBUSY every time.",
    "Tried this on GNR and the module update returns -EINVAL.",
    "With the series applied, kexec into the new kernel fails.",
    "This makes every SEAMCALL return TDX_SW_ERROR here.",
    "This causes tdx_cpu_enable() to fail on the second CPU.",
    "Since this commit the module update never completes.",
    "Our nightly run went red with this series: the seamldr test fails.",
    "dmesg has a WARN from seamcall_err() after applying this.",
    # Read before as well; kept beside the new ones.
    "Bisect lands on this commit.",
    "I bisected the kexec failure down to this one.",
    "The update errors out here with this patch.",
    "Hit this BUG with the patch:\n\n[    3.141592] BUG: kernel NULL pointer dereference, address: 0000000000000008",
    "I can't give my Tested-by for this one, TDX init fails with it.",
    "kexec is broken with this series on my EMR box.",
]
# Each none before, kept none: a failure the patch fixes, expects, or that is not its own; a question; a request.
NOT_REPORTED = [
    "Tested on SPR: the update works.",
    "bisect points elsewhere, not at this patch.",
    "It used to fail with -EINVAL; with this it works.",
    "Without this patch it fails with -EBUSY.",
    "The module returns -EBUSY and the new loop retries it, as intended.",
    "Reverting this brings back the hang.",
    "Tested on EMR: no failures, the update completes.",
    "The update fails with -EINVAL if the image is corrupt, which is what we want.",
    "Bisect pointed at an earlier commit, not this one.",
    "I bisected it and it's not this patch.",
    "With this applied the update no longer fails.",
    "Before this patch, tdx_sys_setup() returned -EIO; now it succeeds.",
    "Reverting this makes the update fail again.",
    "No lockdep warnings with this on SPR.",
    "No KASAN reports with the series applied.",
    "This fixes the WARN in seamcall_err() I reported.",
    "Tested-by: Tom Tester <tom@example.org>",
    "Happy to give my Tested-by: the update works on EMR.",
    "The update returns -EINVAL on a bad image, as it should.",
    "Does the update fail with -EINVAL if the module is busy?",
    "What happens if tdx_sys_setup() returns -EIO here?",
    "Should this return -EBUSY instead of -EINVAL?",
    "Please return -EINVAL here rather than -EIO.",
    "This should fail with -ENODEV when the loader is missing.",
    "The old code errors out with -EIO on my box; this fixes it.",
    "Before this series kexec was broken on my EMR box; now it works.",
    "I see no WARN with this applied.",
    "Even without this patch, the update fails on SPR, so it's not this.",
    "The failure predates this series: bisect lands on 6.18.",
    "If the module returns -EBUSY, the caller retries.",
    # The patch's design, told of a bad input or a case.
    "Tested the error path: loading a truncated blob returns -EINVAL.",
    "This makes seamldr_install() return -EINVAL for an oversized blob.",
    "With this change, it returns -EBUSY when the module is busy.",
]


@pytest.mark.parametrize("said", REPORTED)
def test_a_failure_report_of_another_shape_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REPORTED)
def test_a_failure_fixed_expected_or_not_the_patchs_is_not_read(said: str) -> None:
    assert regression(said, request_in) is None, said


@pytest.mark.parametrize("body", [
    "Tested on SPR: the update fails with -EINVAL every time.\n",
    "> +\t} while (err == BUSY);\n\nOn my box this makes tdx_sys_setup() return -EIO.\n",
    "Since this patch, dmesg fills with 'SEAMCALL failed' lines.\n",
    "I get a WARN in seamcall_err() with this on EMR, log below.\n\n[   12.345678] WARNING: CPU: 3 PID: 1 at "
    "arch/x86/virt/vmx/tdx/tdx.c:123 seamcall_err+0x4f/0x60\n[   12.345700] Call Trace:\n",
])
def test_a_failure_report_of_another_shape_blocks_the_gate(tmp_path: Path, body: str) -> None:
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3")], g.headline()


@pytest.mark.parametrize("words", [
    "The series breaks kexec on my EMR box.",
    "With the whole series applied the loader update fails with -EINVAL.",
    "Tested the series on SPR: the update fails with -EINVAL every time.",
])
def test_a_failure_reported_below_the_cover_letter_blocks_every_variant(tmp_path: Path, words: str) -> None:
    # The tester ran the series as posted: any variant of it the gate runs (v2:01 stops before the patch the
    # reviewer answered elsewhere) is what the report is of.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "t1@example.org", f"> quoted\n\n{words}\n", sender=REVIEWER,
                    parent=cover, refs=(cover,))
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    for variant in ("v2", "v2:01", "v2:02"):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml",
                                      cache=shared_outcomes()))
        assert g.exit_status == 1 and [o.kind for o in g.objections] == [ObjectionKind.REGRESSION], \
            (variant, g.headline())
