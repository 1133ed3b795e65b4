"""Retry loops that retry through a ``switch`` of other shapes, against gcc's build of both loops.

A case that ``continue``s, a switch inside ``for (;;)`` that is not the loop's last statement (the counter tested
after it, or before it), a switch on the answer converted to a narrower type (C17 6.8.4.2p5: each case constant is
converted to the promoted type of what the switch tests): read as the ``if (A) return R;`` each is
(harness.switchform), where gcc's build makes the same SEAMCALLs and returns the same as the series' own loop for 0
to 400 'no entropy' answers then success, another error or the next code; where it does not, the runs show it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts
from tests.harness.test_head_flag_loop import LOOP
from tests.harness.test_switch_retry_loop import CASES_OF, _switch

CALL = "\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
COUNT = "\t\tif (!--left)\n\t\t\tbreak;\n"


def _endless(body: str, head: str = "for (;;)") -> str:
    """RETRY_SAFE with its loop made ``for (;;) { <the call> body }``."""
    assert LOOP in RETRY_SAFE
    return RETRY_SAFE.replace(LOOP, f"\t{head} {{\n{CALL}{body}\t}}\n")


def _sw(cases: str = CASES_OF, cond: str = "err") -> str:
    return f"\t\tswitch ({cond}) {{\n{cases}\t\t}}\n"


CONTINUES = CASES_OF.replace("\t\t\tbreak;\n", "\t\t\tcontinue;\n")
CASES = {
    # The same behaviour (gcc): INCONCLUSIVE before ('a changed condition no run tells apart').
    "a case that continues": (_switch(CONTINUES), PASS),
    "in for (;;), the counter after it": (_endless(_sw() + COUNT), PASS),
    "in while (1), the counter after it": (_endless(_sw() + COUNT, "while (1)"), PASS),
    "in for (;;), the counter before it, a case that continues": (_endless(COUNT + _sw(CONTINUES)), PASS),
    "in for (;;), the counter before it": (_endless(COUNT + _sw()), PASS),
    # Twins the runs show apart: one more try; a narrower switch retries success too (0x8000020300000000 as a u32
    # or an int is 0: the answer 0 matches it).
    "in for (;;), one more try": (_endless(_sw() + COUNT.replace("!--left", "left-- == 0")), FAIL),
    "a case that continues, another value returned": (_switch(CONTINUES.replace("return err;", "return 0;")), FAIL),
    "switch on an unsigned int of the answer": (_switch(cond="(unsigned int)err"), FAIL),
    "switch on an int of the answer": (_switch(cond="(int)err"), FAIL),
    "a continue that skips the counter test": (_endless(_sw(CONTINUES) + COUNT), FAIL),  # retries without end
    # A cast to a 64-bit type, signed too: its bits are the answer's, and so are the case constant's converted to it.
    "switch on a long long of the answer": (_switch(cond="(long long)err"), PASS),
    # A near miss, not read: a statement between the switch and the counter test.
    "in for (;;), a statement between": (_endless(_sw() + "\t\terr |= 0;\n" + COUNT), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_switch_of_another_shape_is_the_same_test_where_gcc_counts_alike(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)
