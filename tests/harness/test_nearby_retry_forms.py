"""Retry loops a maintainer might write in the next revision, against gcc: the gate passes where gcc counts alike.

Each form is RETRY_SAFE's loop (``if (err != TDX_RND_NO_ENTROPY || !--left) break;``) spelt otherwise: a ``goto``
loop, a ``while`` with the test in its condition, a ``for (;;)`` leaving in an ``else``, ``unlikely()``, the answer
tested through an inline helper of the files, the answer's type a typedef of the files. gcc's build makes the same
SEAMCALLs and returns the same for 0 to 400 'no entropy' answers then another; the rules pass. Twins gcc counts
otherwise (one more try, one less, a code dropped) fail; forms gcc counts alike that the analysis does not read are
said (INCONCLUSIVE), never passed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts
from tests.harness.test_switch_continue import DEFAULT, GO_ON, _cased

CALL = "\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
LOOP = "\tfor (;;) {\n" + CALL + "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n\t}\n"
MORE = "\tint left = RDRAND_RETRY_LOOPS + 1;\n"
HELPER = "static inline bool sc_no_entropy(u64 e)\n{\n\treturn e == TDX_RND_NO_ENTROPY;\n}\n\n"
TYPEDEF = "typedef u64 sc_err_t;\n\n"


def _loop(body: str, count: str = DECL, head: str = "") -> str:
    """RETRY_SAFE with its loop made ``body`` (the counter declared by ``count``), ``head`` put before it all."""
    assert LOOP in RETRY_SAFE and DECL in RETRY_SAFE
    return head + RETRY_SAFE.replace(LOOP, body).replace(DECL, count)


GOTO = "retry:\n" + CALL.replace("\t\t", "\t") + "\tif (err == TDX_RND_NO_ENTROPY && --left)\n\t\tgoto retry;\n"
ELSE_IF = "\tfor (;;) {\n" + CALL + "\t\tif (err != TDX_RND_NO_ENTROPY)\n\t\t\tbreak;\n\t\telse if (!--left)\n" \
    "\t\t\tbreak;\n\t}\n"
SWAPPED = "\tfor (;;) {\n" + CALL + "\t\tif (!--left)\n\t\t\tbreak;\n\t\telse if (err != TDX_RND_NO_ENTROPY)\n" \
    "\t\t\tbreak;\n\t}\n"
ELSE = "\tfor (;;) {\n" + CALL + "\t\tif (err == TDX_RND_NO_ENTROPY && --left)\n\t\t\tcontinue;\n\t\telse\n" \
    "\t\t\tbreak;\n\t}\n"
WHILE = "\twhile ({test}) {{\n" + CALL + "\t\tif (err != TDX_RND_NO_ENTROPY)\n\t\t\tbreak;\n\t}}\n"
PEELED = CALL.replace("\t\t", "\t") + "\twhile (unlikely(err == TDX_RND_NO_ENTROPY) && --left) {\n" + CALL + "\t}\n"
DO = "\tdo {\n" + CALL + "\t} while (unlikely(err == TDX_RND_NO_ENTROPY) && --left);\n"
SWITCHED = _cased("\t\tcase TDX_RND_NO_ENTROPY:\n" + GO_ON + DEFAULT)
BY_HELPER = RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "!sc_no_entropy(err)")

CASES = {
    # gcc alike: passed.
    "goto retry": (_loop(GOTO), PASS),
    "an if leaving, an else if counting": (_loop(ELSE_IF), PASS),  # INCONCLUSIVE before h591
    "a continue, an else leaving": (_loop(ELSE), PASS),
    "while (left--), the answer tested inside": (_loop(WHILE.format(test="left--")), PASS),
    "while (unlikely(err == X) && --left), its first round before it": (_loop(PEELED), PASS),
    "do/while (unlikely(err == X) && --left)": (_loop(DO), PASS),
    "!unlikely(err == X)": (RETRY_SAFE.replace("err != TDX_RND_NO_ENTROPY", "!unlikely(err == TDX_RND_NO_ENTROPY)"),
                            PASS),
    "an inline helper of the files": (HELPER + BY_HELPER, PASS),
    "goto, an inline helper in unlikely()": (
        _loop(GOTO.replace("err == TDX_RND_NO_ENTROPY", "unlikely(sc_no_entropy(err))"), head=HELPER), PASS),
    "the helper's parameter a typedef of the files": (TYPEDEF + HELPER.replace("u64 e", "sc_err_t e") + BY_HELPER,
                                                      PASS),
    "goto, the answer a typedef of the files": (_loop(GOTO, head=TYPEDEF).replace("\tu64 err;", "\tsc_err_t err;"),
                                                PASS),
    # The answer a typedef of the files in a switch's loop (INCONCLUSIVE before h591).
    "a switch on a typedef'd answer": (TYPEDEF + SWITCHED.replace("\tu64 err;", "\tsc_err_t err;"), PASS),
    "a switch on an answer of a typedef of long": (
        TYPEDEF.replace("u64", "long") + SWITCHED.replace("\tu64 err;", "\tsc_err_t err;"), PASS),
    # Twins gcc counts otherwise: failed.
    "a switch on a typedef'd answer, one more try": (
        TYPEDEF + SWITCHED.replace("\tu64 err;", "\tsc_err_t err;").replace(DECL, MORE), FAIL),
    "a switch on a 32-bit typedef": (TYPEDEF.replace("u64", "unsigned int") + SWITCHED.replace(
        "\tu64 err;", "\tsc_err_t err;"), FAIL),
    "goto retry, one more try": (_loop(GOTO, MORE), FAIL),
    "an else if counting, one more try": (_loop(ELSE_IF, MORE), FAIL),
    "while (--left): one try less": (_loop(WHILE.format(test="--left")), FAIL),
    "an inline helper, one more try": (HELPER + BY_HELPER.replace(DECL, MORE), FAIL),
    "an inline helper of another code": (HELPER.replace("TDX_RND_NO_ENTROPY", "0x1234") + BY_HELPER, FAIL),
    # The counter tested first, the answer test calling and storing nothing (_returning_form's reading).
    "an if counting, an else if leaving": (_loop(SWAPPED), PASS),
    "an if counting, an else if leaving, one more try": (_loop(SWAPPED, MORE), FAIL),
    # gcc alike, not read (the answer test stores: 'err |= 0' is no pure test): said.
    "an if counting, an else if storing": (_loop(SWAPPED.replace("(err != TDX_RND_NO_ENTROPY)",
                                                                 "((err |= 0) != TDX_RND_NO_ENTROPY)")), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_retry_loop_spelt_otherwise_is_judged_as_gcc_counts_it(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    assert loop != RETRY_SAFE
    judged_as_gcc_counts(tmp_path, loop, want, name)
