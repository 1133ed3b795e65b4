"""A tester's failure in other shapes (an error code, a bisection, a revert, a splat) is a report; one fixed is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.gate import GateRequest, GateResult, evaluate_gate
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
    # Held out while the forms were written (14 of 15 read; "After this, SEAMCALLs start failing ..." is not: "after
    # this" is as often a step of the code), then more of the kinds.
    'The update fails with -ENOSPC on my SPR test box.',
    'Bisecting the boot failure points to this patch.',
    'Reverting it on top of next-20261201 fixes the update.',
    'This triggers a KASAN splat in seamldr_install(), log attached below.',
    'tdx_module_update() returns -EFAULT since this series.',
    'Applying this series breaks kexec for me.',
    'First bad commit per git bisect is this one.',
    'I see a lockdep report with this in place, see below.',
    'Tested on EMR: TDX init errors out with -EINVAL.',
    'Sorry, no Tested-by from me: the loader update hangs on SPR with this.',
    'With this patch the update returns -EBUSY forever.',
    'This makes the update fail on every machine I tried.',
    'The whole series fails to update the module on EMR, log below.',
    'Our CI caught a WARN in tdx_init() after this went in.',
    'Tested on SPR with the series: kexec fails every time.',
    'With v2 the update returns -EBUSY forever on my box.',
    'On EMR, TDX init errors out with -EINVAL since this series.',
    'I bisected it: the first bad commit is this one.',
    'git bisect blames this patch.',
    'The bisect converged on this commit.',
    'Reverted it locally and the hang went away.',
    'Once I revert this, the update works again.',
    'kexec fails every time on my EMR box.',
    'TDX init fails with -ENOMEM on our SPR CI machines.',
    'tdx_sys_setup() times out on my SPR box.',
    "The update gets stuck at 'Waiting for P-SEAMLDR' on EMR.",
    'It returned -EIO on two of my three machines.',
    'This series makes kexec fail on EMR.',
    "I can't give a Tested-by, the update errors out with -EIO.",
    'No Tested-by from me yet: seamldr_install() returns -EBUSY every time.',
    'Since v2, the update fails with -EINVAL on my box.',
    'Tested on my EMR box: the update hangs.',
    'Booted it on SPR and TDX init fails with -EINVAL.',
    'After applying the series, every SEAMCALL returns TDX_SW_ERROR.',
    'The module update returns -EIO with this series on EMR.',
    'Reverting this patch on top of next fixes the WARN.',
    'When I revert this commit, kexec works again.',
    'This causes seamldr_install() to return -EFAULT on SPR.',
    'This makes TDX init error out on my EMR box.',
    'Our CI flags a KASAN use-after-free with this patch.',
    'lockdep reports a circular locking dependency with this series applied.',
    'dmesg shows a WARN in tdx_init() with this.',
    "The kernel log is flooded with 'seamcall failed' messages since this patch.",
    'Our nightly tests turned red with this series.',
    'Gave this a spin on Granite Rapids: TDH.SYS.UPDATE fails with -EIO.',
    'The P-SEAMLDR install hangs forever on my test system.',
    'Bisection result: this commit.',
    'git bisect good/bad leaves this patch as the first bad one.',
    'I can confirm the regression: tdx_module_update() errors out every time.',
    'Just tried the series, seamldr_install() returns -ENOMEM consistently.',
    'Reverting this one patch makes kexec work again on my box.',
    'After picking up this series our kexec tests started failing.',
    'We see TDX_SYS_BUSY on every update attempt with this series.',
    'A KASAN slab-out-of-bounds shows up in seamldr_install() with this patch.',
    'This breaks module updates on EMR for me.',
    'Update fails with -EINVAL 100% of the time on my GNR box.',
    'The loader times out every time on real hardware.',
    'Applied on top of 6.19-rc2: TDX module update returns -EBUSY every time.',
    'Sorry, no Tested-by: kexec hangs on our EMR machines.',
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
    # Objections of other kinds: a maintainer's drop by number (harness.droprequest), a tag taken back
    # (harness.tagwithdrawal); the first read as a report in this round's first change, the gate's kind changed.
    "I reverted 2/3 and my SPR box boots again.",
    "My Tested-by was premature, it fails on EMR.",
    # Held out while the forms were written, then more alike: a view, a known or shared failure, a supposition.
    'Tested on GNR: module update succeeds, no errors in dmesg.',
    'Git bisect points to a firmware commit, not this series.',
    'It failed with -EBUSY on v1; v2 works fine.',
    'Without the series, the loader hangs on EMR; with it, it completes.',
    'The new loop retries -EBUSY as designed, and the update goes through.',
    'Reverting this patch brings the -EIO back.',
    'Tested on SPR and EMR, no splats, no lockdep complaints.',
    'The update fails cleanly with -EINVAL when given a bad blob, good.',
    'Can you say what the update returns when the blob is too big?',
    'Returning -EBUSY here is what the caller expects.',
    'This makes tdx_sys_setup() return -EIO instead of hanging, which is better.',
    "I'd rather this returned -ENODEV when no loader is present.",
    "The log below is from the unpatched kernel; with this applied it's clean.",
    'Tested-by: Sam Tester <sam@example.org> # SPR, EMR',
    'My earlier report was a false alarm, it was my config.',
    'With this patch, tdx_sys_setup() returns -EBUSY to its caller, which retries.',
    'After applying this, the function returns -EINVAL for unaligned sizes.',
    'On SPR the loader returns -ENODEV, so the caller skips the update.',
    'seamldr_install() returns -ENODEV on SPR, which has no P-SEAMLDR.',
    'It returns -EBUSY every time the module is busy, and the loop retries.',
    'The update fails on my box too, even without the series.',
    'The update fails on my box for an unrelated reason (old BIOS).',
    'Tested on SPR: the negative test fails as expected.',
    'Tested on SPR: the update works, and the bad-signature case fails with -EINVAL.',
    'I tested the error paths: a truncated blob fails with -EINVAL and an oversized one with -E2BIG.',
    'Tested on SPR: TDX init fails without the series and works with it.',
    'Tested: it fails with -EPERM when not root.',
    'The update hangs on my box with v1; v2 is fine.',
    'Does it still fail on your box?',
    "If the update fails on my box, I'll let you know.",
    'Let me know if the update fails on SPR.',
    'Please check whether the update fails with -EINVAL on SPR.',
    'I worry that this hangs on SPR.',
    'The update should fail with -EINVAL on SPR.',
    'The update is supposed to fail on every boot without a loader.',
    'Make sure it fails with -EINVAL every time the blob is bad.',
    'It already fails with -EIO on my box with mainline.',
    'The update will fail on SPR, since it has no loader.',
    'This makes the update return -EBUSY while the module is busy.',
    'Tested on EMR: it used to fail with -EINVAL, now it works.',
    'Tested on SPR: before this series the update failed with -EIO; now it passes.',
    'seamldr_install() returned -EIO on my box before this patch.',
    'Without the series applied, the update hangs on SPR every time.',
    'Reverting this patch makes the update hang again.',
    'I reverted this and the hang came back, so this patch is the fix.',
    'Tested on SPR: no WARN, no -EBUSY, the update completes.',
    'Bisect says the culprit is in the firmware, not this patch.',
    'The first bad commit is not this one.',
    'git bisect says this commit is fine.',
    'Tested on SPR, EMR and GNR: works.',
    'The loop times out after 1s every time the module stays busy, by design.',
    'This makes seamldr_install() error out on a bad signature.',
    'The old loader hangs on my box; with this it completes.',
    'Gave this a spin on Granite Rapids: the update works.',
    'The P-SEAMLDR install no longer hangs on my test system.',
    'Bisection points at a BIOS change, this commit is fine.',
    'With the fix, tdx_module_update() no longer errors out.',
    'Just tried the series: seamldr_install() succeeds consistently.',
    'Reverting this one patch brings back the kexec hang.',
    'After picking up this series our kexec tests pass again.',
    "We used to see TDX_SYS_BUSY on every update attempt; with this series it's gone.",
    'No KASAN reports in seamldr_install() with this patch.',
    'The update fails with -EINVAL when the blob is truncated, as it should.',
    'The loader times out after 30s if the module never answers, which is the intent.',
    'seamldr_install() should return -ENOMEM if the allocation fails.',
    'Please make the update fail with -EINVAL on a bad header.',
    'Tested-by: Greta Tester <greta@example.org> # GNR',
    'Looks good to me, tested on EMR.',
    'tdx_sys_setup() returns -EIO on my reading of the spec, not -EBUSY.',
    'On my reading, the update fails with -EINVAL here.',
    'In my tests the error path returns -EINVAL as expected.',
    'On my machine it fails with -EPERM unless I run as root.',
    'The selftest fails on my box, but it does on mainline too.',
    'The update fails on my box, same as without the series.',
    'That test hangs on my box too, a known issue with the BMC.',
    'Tested on SPR: it fails with -EINVAL, but only because my blob was stale.',
    'Tested on SPR: fails with -EINVAL, my bad, wrong blob.',
    "See the error handling with this change, it's cleaner.",
    'See the -EINVAL with this change: the caller never checks it.',
    'In my opinion this is fine.',
    'For my part, the loop returning -EBUSY every time the module is busy is fine.',
    "Tested on SPR, all good. dmesg:\n[    3.100000] seamldr: update failed with -EBUSY, retrying\n"
    "[    3.200000] seamldr: update done",
    'I reran the test with this patch and it passes every time.',
    'With this patch the retry never fails on my box.',
    'Tested on EMR: zero failures in 100 runs.',
    'The first bad commit is in the firmware, not this series.',
    'Reverting it would fix the hang, but then the leak comes back.',
    'If reverting this fixes your boot, please tell us.',
    'Reverting this patch does not fix the hang.',
    'Got it, thanks: the update returns -EBUSY only while the module is busy.',
    'Got no errors with this series.',
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


def _below_cover(tmp: Path, words: str, variant: str) -> GateResult:
    """The gate of ``variant`` of v2 (3 patches) with ``words`` in a reply to its cover letter."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "t1@example.org", f"> quoted\n\n{words}\n", sender=REVIEWER,
                    parent=cover, refs=(cover,))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, reply])
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("words", [
    "The series breaks kexec on my EMR box.",
    "With the whole series applied the loader update fails with -EINVAL.",
    "Tested the series on SPR: the update fails with -EINVAL every time.",
])
@pytest.mark.parametrize("variant", ["v2", "v2:01", "v2:02"])
def test_a_failure_reported_below_the_cover_letter_blocks_every_variant(tmp_path: Path, words: str,
                                                                        variant: str) -> None:
    # The tester ran the series as posted, not knowing which patch broke it: each variant of it the gate runs (v2:01
    # stops after the first patch) is what the report is of. The third was read as nothing (READY) on each.
    g = _below_cover(tmp_path, words, variant)
    assert g.exit_status == 1 and [o.kind for o in g.objections] == [ObjectionKind.REGRESSION], g.headline()


@pytest.mark.parametrize("words", ["Patch 3 breaks kexec on my EMR box.", "git bisect says patch 3 is the culprit."])
def test_a_failure_naming_a_patch_below_the_cover_letter_blocks_the_variants_applying_it(tmp_path: Path,
                                                                                        words: str) -> None:
    for variant, blocks in (("v2", True), ("v2:02", False)):
        g = _below_cover(tmp_path, words, variant)
        assert (g.exit_status == 1) == blocks and len(g.objections) == blocks, (variant, g.headline())
