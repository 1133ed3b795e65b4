"""A retry loop switching on an assignment of the call's answer, ``switch (err = op(fn, args))``, against gcc's build.

``switch (err = e) S`` is ``err = e; switch (err) S``: the controlling expression is evaluated once, before the jump
(C17 6.8.4.2p4), and an assignment's value is its left operand's after the store, in that operand's type (6.5.16p3).
Its case labels are decisions on ``err`` (models.neighbours.case_decisions), its loop read as the stored form's
(harness.switchform.hoisted), and the retry-count walk gives the assignment that value (models.retrycount). Before,
each form here was INCONCLUSIVE ('a changed condition no run tells apart': the case labels of a switch on
``err = op(fn, args)`` against those of ``switch (err)``, or the loop's exit test). gcc makes the same SEAMCALLs and
returns the same for 0 to 400 'no entropy' answers then success, another error or the next code; the twins with one
more try, or another code retried, fail; a ``volatile`` answer is not read so (INCONCLUSIVE)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_LOST
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_between

HEAD = RETRY_LOST[:RETRY_LOST.index(DECL)]
RETRIED = "\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tbreak;\n\t\tdefault:\n\t\t\treturn err;\n"
CONTINUED = "\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tif (--left)\n\t\t\t\tcontinue;\n\t\t\tbreak;\n\t\tdefault:\n" \
    "\t\t\tbreak;\n"
STORE = "\t\terr = op(fn, args);\n"


def _do(on: str, cases: str = RETRIED, test: str = "--left", store: str = "", decl: str = "\tu64 err;\n") -> str:
    """sc_retry() as ``do { STORE switch (ON) { CASES } } while (TEST); return err;``."""
    return HEAD + DECL + decl + f"\n\tdo {{\n{store}\t\tswitch ({on}) {{\n{cases}\t\t}}\n\t}} while ({test});\n" \
        "\treturn err;\n}\n"


def _endless(on: str, cases: str = CONTINUED, left: str = DECL) -> str:
    """sc_retry() as ``for (;;) { switch (ON) { CASES } break; } return err;``."""
    return HEAD + left + f"\tu64 err;\n\n\tfor (;;) {{\n\t\tswitch ({on}) {{\n{cases}\t\t}}\n\t\tbreak;\n\t}}\n" \
        "\treturn err;\n}\n"


ASSIGNED = "err = op(fn, args)"
CASES = {
    # The same behaviour: INCONCLUSIVE before.
    "from the if": (RETRY_LOST, _do(ASSIGNED), PASS),
    "from the switch on the stored answer": (_do("err", store=STORE), _do(ASSIGNED), PASS),
    "from the if, the case continuing": (RETRY_LOST, _endless(ASSIGNED), PASS),
    "from the switch on the stored answer, continuing": (_endless("err", CONTINUED).replace(
        "\t\tswitch (err)", STORE + "\t\tswitch (err)"), _endless(ASSIGNED), PASS),
    # Twins the runs show apart.
    "from the if, one more try": (RETRY_LOST, _do(ASSIGNED, test="left--"), FAIL),
    "from the stored switch, another code retried": (_do("err", store=STORE), _do(ASSIGNED, "\t\tcase 0x1234:\n"
                                                                                  + RETRIED), FAIL),
    "from the if, continuing, one more try": (RETRY_LOST, _endless(ASSIGNED, left=DECL.replace(
        "LOOPS;", "LOOPS + 1;")), FAIL),
    # Near miss gcc counts alike, not read: a volatile answer (a read after the store a device may see).
    "from the if, a volatile answer": (RETRY_LOST, _do(ASSIGNED, decl="\tvolatile u64 err;\n"), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_switch_on_the_answers_assignment_is_the_stored_answers_switch(tmp_path: Path, name: str) -> None:
    judged_between(tmp_path, CASES[name], name)
