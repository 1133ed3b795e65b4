"""A failure on the sender's machine, CI or test run, or seen with the patch, is a report (harness.regressions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.objections import ObjectionKind
from harness.regressions import regression
from tests.harness.test_gate_drops import REVIEWER
from tests.harness.test_regressions import _gate

# h656 (round 65): each read as nothing below the patch, 'v2: READY', exit 0.
REPORTED = ["After this patch, TDX fails to initialize on my EMR box.", "This triggers a lockdep splat on my machine.",
            "I see a KASAN report with this.", "Panics at boot for me.", "Oopses on my box.",
            "This locks up my test machine.", "I get -EIO from tdx_sys_setup() with this series.",
            "Our CI reports a TDX init failure with this patch.", "This kills TDX on my machine.",
            # The same kind in other words.
            "The kernel hangs on my SPR box.", "We hit a hung task warning with this series.", "It crashes on our CI.",
            "This causes a KASAN splat.", "Sadly, TDX init now fails to complete on our test box."]
NOT_REPORTED = ["The old code panics on my box.", "Without this patch, TDX fails to initialize on my box.",
                "With this, it no longer hangs on my box.", "This fixes the hang on my machine.",
                "I see no failure with this.", "Works for me.", "It boots fine on my box.",
                "Does this panic on your box?", "This gives a nicer error.", "I see the point of this.",
                "Tested on my EMR box, no problems.", "Our CI reports no failures with this patch.",
                "This never hangs on my machine.", "I get it now.", "This triggers a retry.",
                "It gives -EAGAIN to the caller.", "If the loop is bounded, nothing locks up my machine.",
                "It panics on my box without this patch too."]


@pytest.mark.parametrize("said", REPORTED)
def test_a_failure_on_the_senders_machine_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REPORTED)
def test_what_tells_of_no_failure_of_the_patch_is_not_read(said: str) -> None:
    assert regression(said, request_in) is None, said


@pytest.mark.parametrize("body", [
    "Panics at boot for me.\n",
    "On 1/5/26 10:00 AM, Ann Author wrote:\n> +\t} while (err == BUSY);\n\nThis locks up my test machine.\n",
    "Our CI reports a TDX init failure with this patch.\n\n-----Original Message-----\nFrom: Ann Author "
    "<ann@example.org>\nSent: Monday, January 5, 2026 10:00 AM\nSubject: [PATCH v2 2/3]\n\nSigned-off-by: Ann\n",
])
def test_a_failure_on_the_senders_machine_blocks_the_gate(tmp_path: Path, body: str) -> None:
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3")], g.headline()
