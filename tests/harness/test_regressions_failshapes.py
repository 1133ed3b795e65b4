"""A failure report in shapes of its own (harness.failshapes): a slowdown, a splat, a bot's mail, a "me too"."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.objections import ObjectionKind
from harness.regressions import regression
from tests.harness.test_gate_drops import REVIEWER
from tests.harness.test_regressions import _gate

# h677 (round 67): each read as nothing below the patch ('v2: READY', exit 0), or as a review point only.
REPORTED = [
    'Lockdep splat with this applied, see below.',
    'lockdep complains about the new lock order with this applied.',
    'The update now takes minutes instead of seconds.',
    'Boot is 10x slower with the series.',
    'This will break the build with CONFIG_KVM_INTEL=n.',
    'syzbot hits this with the series applied:\n\nWARNING: CPU: 1 PID: 5123 at net/core/dev.c:10921 '
    'foo+0x9f1/0x1b90\n...',
    'Tested on i.MX8MP EVK: the display stays black after resume with this patch, without it resume '
    'works fine. So no Tested-by from me, sorry.',
    'Same here, fails on EMR.',
    'I reverted it and the hang went away.',
    'After this, the module update fails every time.',
    'Boot time went from 4.2s to 9.8s with this series.',
    'hackbench is 12% slower with this patch on my SPR box.',
    'With this applied, fio randread IOPS drop from 620k to 410k.',
    'selftests: kvm: tdx_vm_tests: not ok 3 tdx_vm_init # FAIL with this applied.',
    'The tdx selftest fails with this: FAIL: seamldr_update returned -5',
    'Got this on boot:\n\n[    2.000123] BUG: unable to handle page fault for address: ffff888100000000',
    'KASAN splat on boot:\n\nBUG: KASAN: slab-out-of-bounds in seamldr_install+0x1a/0x80',
    'UBSAN: shift-out-of-bounds in arch/x86/virt/vmx/tdx/seamldr.c:88:20 with this series.',
    'This breaks kexec.',
    'Breaks S3 resume on Meteor Lake.',
    'Suspend to idle no longer works on my Framework laptop after this.',
    'The NIC no longer comes up after resume with this applied on my Raspberry Pi 4.',
    'Hangs on Rockchip RK3588 during boot with the series.',
    "On Ampere Altra the kernel panics right after 'Booting secondary CPUs' with v2.",
    'Same problem here on Lunar Lake.',
    '+1, I see the same hang on my Granite Rapids box.',
    'Can confirm, it hangs on Sierra Forest as well.',
    'Hello,\n\nkernel test robot noticed a -15.3% regression of stress-ng.fork.ops_per_sec on:\n\ncommit: '
    '1234abcd ("x86/virt/tdx: Add P-SEAMLDR update")',
    'Hi,\n\nkernel test robot noticed "BUG:kernel_NULL_pointer_dereference,address" on:\n\ncommit: abcdef01 '
    '("x86/virt/tdx: Add P-SEAMLDR update")',
    'syzbot found the following issue on:\n\nHEAD commit: 1a2b3c4d\n\nKASAN: use-after-free Read in seamldr_release',
    "0day reports a build error with this on arm64 allmodconfig:\n\nerror: 'tdx_sysinfo' undeclared",
    'This introduces a 20% performance regression in netperf TCP_RR on my EMR host.',
    'Memory usage grows by 2 GB with this series.',
    'The patch makes module load take 40 seconds here.',
    "Sorry, can't give my Tested-by: the guest dies with a triple fault on Zen 3.",
    'Withholding my Tested-by, the update corrupts the module image on EMR.',
    'The screen goes black on resume since this patch.',
    'Network stops working after this series.',
    'ath11k firmware crashes with this on my QCA6390.',
    'This broke audio on my laptop.',
    'sched_ext selftests: FAIL: 3, PASS: 55 with this series (all passed before).',
    '# FAIL: tdx_seamldr_test.update_twice after this patch',
    'xfstests generic/475 now fails with this applied.',
    "I'm getting an RCU stall on Power10 with this.",
    'BUG: sleeping function called from invalid context at kernel/locking/mutex.c:580 when this is applied.',
    'Perf drops 30% on Milan with the series.',
    'The series makes the build 5 minutes slower.',
    'It breaks the ABI for QEMU: the ioctl now returns -ENOTTY.',
    "Build fails with clang-18 after this patch:\n\nerror: variable 'ret' is uninitialized",
    'This patch breaks my Intel NUC 13.',
    'Ditto here: same lockdep splat on a Xeon 6 box.',
    'Confirmed on Emerald Rapids too, same -EIO.',
    'Hi,\n\nFYI, we noticed a -22.1% regression of will-it-scale.per_process_ops due to commit 1234abcd '
    '("x86/virt/tdx: Add P-SEAMLDR update")',
    'With your patch the hackbench numbers regress by 5%.',
    'Loading the module now takes 12s, up from 0.3s, with this applied.',
    'The series regresses boot on my Pi 5.',
    'Tested on Alder Lake-N: the i915 display is garbled after this. No Tested-by.',
    "The boot now stops at 'Loading initial ramdisk' with this.",
    'Booting this on a Snapdragon X Elite gives a black screen.',
    'Userspace tdx-tools no longer work with this.',
    'dmesg is full of warnings with this applied.',
    # A platform by its shape, no list (harness.regressions' _OFTEN named SPR, EMR, GNR, SRF, CWF, ICX only).
    "The update fails with -EINVAL on a Kunpeng 920.", "seamldr_install() errors out with -EIO on Turin.",
    "The module update hangs on i.MX8MP.", "TDX init fails on Granite Rapids-D.",
    # h677's second held-out list, missed at its first measure (17 of 21 read).
    "No Tested-by from me then: the update bricks the module on GNR-AP.",
    "KCSAN fires on tdx_module_status with the series applied.",
    "It now takes 2 minutes to load the module where it used to take 3 seconds.",
    "Reproduced on Alder Lake-P, the same WARN fires on every resume.",
    # h677's third held-out list, missed at its only measure (18 of 20 read).
    "Resume from S3 takes 40 seconds on my T14s with this, it was 2 seconds before.",
    "Ditto on Zen 5, the guest never boots with this.",
]
# The same words of a failure fixed, of the kernel without the patch, another tree, none, or asked about.
NOT_REPORTED = [
    'This fixes the lockdep splat I reported last week.',
    'With this applied, the hang on resume is gone.',
    'The hang I saw was my config, sorry for the noise.',
    'No splat with this applied.',
    'selftests: tdx: PASS 58, SKIP 2, FAIL 0.',
    '# Totals: pass:58 fail:0 xfail:0 xpass:0 skip:2 error:0',
    'Is the boot still 10x slower with the series?',
    'Boot used to take minutes; with this it takes seconds.',
    'hackbench is 12% faster with this patch on my SPR box.',
    'Hi,\n\nkernel test robot noticed a 48.2% improvement of will-it-scale.per_process_ops on:\n\ncommit: '
    '1234abcd ("x86/virt/tdx: Add P-SEAMLDR update")',
    'This regression is in linux-next and not caused by your patch.',
    'syzbot hit a WARNING in net/core/dev.c on mainline; unrelated to this series.',
    'Same here, works on EMR.',
    'Without this patch my box hangs on resume; with it, it resumes fine.',
    'This will not break the build with CONFIG_KVM_INTEL=n since the stub is there.',
    'Could this break the build with CONFIG_KVM_INTEL=n?',
    'The kexec breakage on Zen 4 is fixed by this.',
    'Fixes a boot hang on Rockchip RK3588.',
    'The oops on s390 is a known issue with the firmware, unrelated to this.',
    'kdump was broken before this series and works now.',
    'USB works again on Jetson Orin with this series.',
    'The performance regression kernel test robot reported on v1 is gone in v2.',
    'No measurable slowdown with this on EMR.',
    '0day reported a build error on v1; v2 builds cleanly for me.',
    "xfstests generic/475 fails on my box without this patch too, so it's not this.",
    'That RCU stall on Power10 happens on mainline too.',
    'I think the WARN reported on the other thread is in the net tree, not this one.',
    'The regression Boris mentioned is in the drm tree, not here.',
    'Did the splat go away with v2?',
    'Not seeing the hang on my Granite Rapids box with this.',
    'Tested on Ampere Altra: boots fine, no warnings.\n\nTested-by: Foo Bar <foo@example.com>',
    'LTP fsstress passes with this series.',
    'With this applied, fio randread IOPS go from 410k to 620k.',
    "This doesn't regress hackbench or netperf on my EMR host.",
    'This patch makes the build work with clang-18 again.',
    "The 'tdx: SEAMCALL failed' messages in dmesg are gone with this applied.",
    'dmesg is clean with this applied.',
    'Without the series I get:\n\nBUG: KASAN: slab-out-of-bounds in seamldr_install+0x1a/0x80\n\nWith it, nothing.',
    'Me too, works fine on Zen 4.',
    'Same result here: boots fine on BeaglePlay with this.',
    'Can confirm this fixes the hang on Sierra Forest.',
    'The test failure you saw is from an old selftest binary; rebuild the tools and it passes.',
    'selftests: kvm: tdx_vm_tests: ok 3 tdx_vm_init with this applied.',
    'The perf regression on Milan is caused by the scheduler change in -rc3, not this series.',
    'The kernel test robot build error was for a config with CONFIG_KVM_INTEL=n; fixed in v2.',
    'Does the tdx_guest module still fail to load on Granite Rapids-D?',
    'Would this slow down boot on big machines?',
    'With this applied, the box no longer hangs on SPR.',
    'It no longer hangs on Zen 4 with this.',
    "With this, my laptop doesn't freeze on resume.",
    'The old code hangs on SPR.',
    'On mainline the kernel panics too.',
    'It fails on NULL input, which is what we want.',
    'This breaks the loop on Zen 4 when the module is busy.',
    'Boot is 10x faster with the series.',
    'With this series, hackbench is 5% faster.',
    'Memory usage drops by 2 GB with this series.',
    'The update takes seconds instead of minutes now.',
    'Breaks out of the loop on SPR.',
    'Same here, no issues on EMR.',
    'Me too, I like this.',
    '+1 to the rename.',
    'Same issue in patch 3: the comment is stale.',
    'Confirmed that the hang is gone with v2.',
    "I'd expect this to fail on EMR if the module is missing.",
    'Tests pass: PASS 12, FAIL 0.',
    'not ok 3 tdx_vm_init # SKIP no TDX',
    'The kernel test robot report was for a different tree.',
    'Boot time went from 9.8s to 4.2s with this applied.',
    'Throughput goes from 410k to 620k with this.',
    'If this breaks the build on arm64, 0day will tell us.',
    'Without this patch, the screen goes black on resume.',
    'The screen went black on resume before this patch.',
    'The KASAN splat in seamldr_install() is fixed with this applied.',
    'The loop stops at the first error with this patch.',
    'The hang is gone with this applied, thanks.',
    'lockdep no longer complains with this applied.',
    'lockdep complained about this before the patch; with it, all quiet.',
    "It fails with -EINVAL on NULL input.", "The update fails on linux-next too.",
    "The update fails with -EINVAL on Monday builds.", "The old code fails with -EIO on EMR.",
    "It returns -EINVAL on a bad blob on EMR, as designed.", "The update fails on EMR because it has no loader.",
    "kmemleak reports nothing after this patch.",
    "It now takes 3 seconds to load the module where it used to take 2 minutes.",
    "The update now takes seconds instead of minutes.",
    "The module load takes 0.3s now, down from 12s, with this applied.",
    "KCSAN no longer fires with the series applied.",
    "Resume from S3 takes 2 seconds on my T14s with this, it was 40 seconds before.",
    "Ditto on Zen 5, the guest boots fine with this.", "With this, the guest never hangs on Zen 5.",
]


@pytest.mark.parametrize("said", REPORTED)
def test_a_failure_in_a_shape_of_its_own_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REPORTED)
def test_the_same_words_of_no_failure_of_the_patch_are_not_read(said: str) -> None:
    assert regression(said, request_in) is None, said


@pytest.mark.parametrize("body", [
    "Lockdep splat with this applied, see below.\n",
    'syzbot hits this with the series applied:\n\nWARNING: CPU: 1 PID: 5123 at net/core/dev.c:10921 '
    'foo+0x9f1/0x1b90\n',
    "Tested on i.MX8MP EVK: the display stays black after resume with this patch, without it resume works fine. So no "
    "Tested-by from me, sorry.\n",
    "Boot is 10x slower with the series.\n",
])
def test_a_failure_in_a_shape_of_its_own_blocks_the_gate(tmp_path: Path, body: str) -> None:
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3")], g.headline()


@pytest.mark.parametrize("body", [
    "Boot is 10x faster with the series.\n", "No splat with this applied.\n",
    "Can't reproduce the lockdep splat on Arrow Lake with this applied.\n",
])
def test_the_same_words_of_no_failure_leave_the_gate_ready(tmp_path: Path, body: str) -> None:
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 0, g.headline()
