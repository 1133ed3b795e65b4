"""A retry loop that retries through a ``switch`` on the answer, against gcc's build of both loops.

``do { ...; switch (err) { case TDX_RND_NO_ENTROPY: break; default: return err; } } while (--left); return err;`` is
v2:01's ``for (;;) { ... if (err != TDX_RND_NO_ENTROPY || !--left) break; } return err;`` (harness.switchform,
harness.countedalike._switch_form): gcc makes the same SEAMCALLs and returns the same for 0 to 400 'no entropy'
answers then success, another error or the next code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts
from tests.harness.test_head_flag_loop import LOOP

CASES_OF = "\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tbreak;\n\t\tdefault:\n\t\t\treturn err;\n"


def _switch(cases: str = CASES_OF, cond: str = "err", test: str = "--left", after: str = "") -> str:
    """RETRY_SAFE with its loop made a do/while ending in ``switch (cond) { cases }`` (``after`` below it)."""
    assert LOOP in RETRY_SAFE
    return RETRY_SAFE.replace(LOOP, "\tdo {\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n"
                                    f"\t\tpreempt_enable();\n\t\tswitch ({cond}) {{\n{cases}\t\t}}\n{after}"
                                    f"\t}} while ({test});\n")


CASES = {
    # The same behaviour: INCONCLUSIVE before ('a condition of sc_retry() changed, 'if (err != TDX_RND_NO_ENTROPY ||
    # !--left)' ... -> 'case TDX_RND_NO_ENTROPY:' ...: neither the scenarios that ran nor the answers next to what
    # it tests tell the two apart').
    "default returns": (_switch(), PASS),
    "a case and the default return": (_switch("\t\tcase TDX_RND_NO_ENTROPY:\n\t\t\tbreak;\n\t\tcase 0:\n"
                                              "\t\t\treturn err;\n\t\tdefault:\n\t\t\treturn err;\n"), PASS),
    # Twins the runs show apart.
    "one more try": (_switch(test="left--"), FAIL),
    "another value returned": (_switch(CASES_OF.replace("return err;", "return 0;")), FAIL),
    "a fall-through that stops early": (_switch(CASES_OF.replace("\t\t\tbreak;\n", "\t\t\tif (left > 2)\n\t\t\t\t"
                                                                "break;\n\t\t\t/* fall through */\n")), FAIL),
    "another answer retried": (_switch("\t\tcase TDX_RND_NO_ENTROPY:\n\t\tcase 0x1234:\n" + CASES_OF.split("\n", 2)[2]),
                               FAIL),
    # A cast to a 64-bit type keeps the answer's bits (INCONCLUSIVE before h494; tests/harness/test_switch_shapes.py).
    "a cast": (_switch(cond="(u64)err"), PASS),
    # Near misses gcc counts alike, not read: a statement beside the return, a statement after it.
    "two statements": (_switch(CASES_OF.replace("\t\t\treturn err;", "\t\t\terr |= 0;\n\t\t\treturn err;")),
                       INCONCLUSIVE),
    "a statement after": (_switch(after="\t\terr |= 0;\n"), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_switch_that_retries_one_answer_and_returns_the_rest_is_the_same_test(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)
