"""harness.failshapes: a log flooded by the patch, and a failure on a place named by its shape, not its case."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from harness.regressions import regression
from tests.harness.test_gate_drops import REVIEWER
from tests.harness.test_regressions import _gate

# h686 (round 68): each read as nothing below the patch ('v2: READY', exit 0): a log the patch floods is a regression
# (the kernel's log is what every user reads, its spam a bug report), however it is said: the patch flooding it, the
# log full of lines now or with the patch, a line repeated thousands of times.
FLOODED = [
    "dmesg is now full of these warnings.",
    "The journal is flooded with these messages after applying this.",
    "This generates thousands of 'P-SEAMLDR: retry' messages per second.",
    "This makes the kernel log explode with 'tdx: busy' lines.",
    "Boot log is now full of 'seamldr: not ready' errors.",
    "With this series my console is swamped with 'tdx: module busy' lines.",
    "Since this patch the ring buffer fills up with SEAMCALL errors within a minute.",
    "The kernel log gets spammed with one warning per vCPU now.",
    "This prints 'seamldr: retrying' thousands of times during boot.",
    "Log spam: 'tdx: TDH.SYS.INIT failed' repeated 10000 times.",
    "It floods dmesg with backtraces on every module update.",
    "With this applied, syslog is unusable: the same error every millisecond.",
]
# The same words of a flood gone, of the kernel without the patch, stopped by it, or supposed.
NOT_FLOODED = [
    "The flood of messages from v2 is gone.",
    "The log spam I reported on v1 is gone with this version.",
    "No more log spam with v3, thanks.",
    "Without this patch dmesg is full of these warnings.",
    "This patch fixes the flood of 'SEAMCALL failed' messages.",
    "With this series the warning no longer floods dmesg.",
    "The old code spammed the log on every boot; this patch fixes it.",
    "Boot log is clean now, no more warnings.",
    "If the firmware is too old, this would flood the log.",
    "This adds hundreds of lines of code for a corner case.",
    "Mainline floods dmesg with these warnings; this series silences them.",
    "Could this spam the log when the module is busy?",
    "The rate limit keeps dmesg from filling up with these.",
    "dmesg is now full of useful information about the update.",
    "Your patch generates hundreds of lines of assembly for this loop.",
]

# A failure on a place named by its shape: a day's tree is one ("fails on Monday's linux-next"); an error code or a
# constant after "fails on" is the case the code fails on, not a place ("it fails on EAGAIN, which the caller retries").
FAILS_ON = [
    "This fails on today's linux-next.",
    "Still fails on Friday's next-20261204.",
    "Fails on yesterday's tip/master as well.",
    "Fails on next-20261201 with the same oops.",
    "It fails on EPYC Milan.",  # a platform in capitals that is no error code
    "This fails on CONFIG_KVM_INTEL=n.",  # a config set, not a constant
]
NOT_FAILS_ON = [
    "This fails on purpose.",
    "It fails on EAGAIN, which the caller retries.",
    "It fails on ENXIO, which the caller handles.",
    "tdx_seamldr_install() fails on EOVERFLOW, and the loader falls back.",
    "The call fails on TDX_SW_ERROR by design.",
    "It fails on U64_MAX, the caller checks first.",
    "The parse fails on SIGKILL, which is fine.",
]


@pytest.mark.parametrize("said", FLOODED + FAILS_ON)
def test_a_log_flooded_or_a_failure_on_a_tree_is_a_regression(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_FLOODED + NOT_FAILS_ON)
def test_a_flood_gone_supposed_or_a_case_failed_on_is_none(said: str) -> None:
    assert regression(said, request_in) is None, said


@pytest.mark.parametrize("body", ["dmesg is now full of these warnings.\n", "This fails on today's linux-next.\n"])
def test_a_flood_blocks_the_gate_as_a_regression(tmp_path: Path, body: str) -> None:
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3")], g.headline()


def test_the_flood_gone_leaves_the_gate_ready(tmp_path: Path) -> None:
    g = _gate(tmp_path, [("The flood of messages from v2 is gone.\n", REVIEWER, None)])
    assert g.exit_status == 0, g.headline()


# A test's or a warning's failure by design, a flood stopped, a failure as it should be: no review point either (each
# NOT READY as one before); the flaw said beside them still is.
NO_POINT = [
    "The warning fires on purpose when the firmware is too old.",
    "The selftest fails on purpose to check the error path.",
    "Good, this finally stops the log spam on every boot.",
    "tdx_init() fails on ENODEV, as it should on a machine without TDX.",
]
STILL_POINTS = [
    "This stops the log spam but leaks the buffer.",
    "It deliberately ignores the error, which is wrong.",
    "The buffer should be freed here, as it should on every error path.",
    "The warning fires on purpose, but its text is misleading.",
]


@pytest.mark.parametrize("said", NO_POINT)
def test_a_failure_by_design_or_a_flood_stopped_is_no_point(said: str) -> None:
    assert point_sentence(said) is None, said


@pytest.mark.parametrize("said", STILL_POINTS)
def test_a_flaw_beside_it_still_is(said: str) -> None:
    assert point_sentence(said) is not None, said
