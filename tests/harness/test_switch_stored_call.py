"""A switch on the local a call's answer was stored in, made a switch on the call itself, against gcc's build.

``err = sc_mark_dirty(op, fn, args); switch (err) { ... }`` made ``switch (sc_mark_dirty(op, fn, args)) { ... }``
(err declared with the type sc_mark_dirty() returns, u64): each label jumps for the same answers (C17 6.8.4.2p5,
6.5.16.1p2), so the labels read as ``err == X`` and ``sc_mark_dirty(op, fn, args) == X`` are one decision
(models.switchheads). Before, each such pair was 'a changed condition no run tells apart' (INCONCLUSIVE). gcc makes
the same SEAMCALLs and returns the same for 0 to 400 'no entropy' answers then success, another error or the next
code; the twins with one more try, or another code retried, fail; a local of a signedness other than the function's
return, or a statement between the store and the switch, are not read so (INCONCLUSIVE), though gcc counts alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_between

HEAD = RETRY_SAFE[:RETRY_SAFE.index(DECL)]
CALL = "sc_mark_dirty(op, fn, args)"
ON = "\t\t\tpreempt_enable();\n"
CASES_OF = f"\t\tcase TDX_RND_NO_ENTROPY:\n{ON}\t\t\tcontinue;\n\t\tcase 0:\n{ON}\t\t\treturn 0;\n\t\tdefault:\n{ON}" \
    "\t\t\treturn 1;\n"
STORED = f"\t\terr = {CALL};\n"


def _loop(on: str, decl: str = "\tu64 err;\n", store: str = STORED, cases: str = CASES_OF, counter: str = DECL) -> str:
    """sc_retry() as ``do { preempt_disable(); STORE switch (ON) { CASES } } while (--left); return 2;``."""
    return HEAD + counter + decl + "\n\tdo {\n\t\tpreempt_disable();\n" + store + f"\t\tswitch ({on}) {{\n" + \
        cases + "\t\t}\n\t} while (--left);\n\treturn 2;\n}\n"


CALLED = _loop(CALL, decl="", store="")
CASES = {
    # The same behaviour: INCONCLUSIVE before.
    "stored, then switched on the call": (_loop("err"), CALLED, PASS),
    "switched on the call, then stored": (CALLED, _loop("err"), PASS),
    "declared with the answer, then switched on the call": (_loop("err", decl="", store=f"\t\tu64 err = {CALL};\n"),
                                                            CALLED, PASS),
    # Twins the runs show apart.
    "one more try": (_loop("err"), _loop(CALL, decl="", store="", counter=DECL.replace("LOOPS;", "LOOPS + 1;")),
                     FAIL),
    "another code retried": (_loop("err"), _loop(CALL, decl="", store="", cases="\t\tcase 0x1234:\n" + CASES_OF),
                             FAIL),
    # Near misses gcc counts alike, not read: a signed local of the u64's width; a statement between.
    "a signed local": (_loop("err", decl="\tlong err;\n"), CALLED, INCONCLUSIVE),
    "a statement between": (_loop("err", store=STORED + "\t\tcpu_relax();\n"), CALLED, INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_switch_on_a_calls_answer_is_the_switch_on_the_local_it_was_stored_in(tmp_path: Path, name: str) -> None:
    judged_between(tmp_path, CASES[name], name)
