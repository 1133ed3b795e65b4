"""A retry loop whose exit test reads a flag the answer was stored in at the end of each round, against gcc.

The same in an endless loop: ``busy = err == X; if (!(busy && left--)) break;`` (harness.loopflags.break_flagged);
and ``ROUND; while (err == X && left--) { ROUND }``, the first round made before a head-tested loop (peeled).

``do { ...; busy = err == X; } while (busy && left--);`` is ``do { ... } while (err == X && left--);``
(harness.loopflags.tail_flagged), and its counter counted otherwise (``unsigned int left = 9``, stepped after the test)
stops it at the round where v2:01's ``for (;;) { ... if (err != X || !--left) break; }`` stops: the SEAMCALLs the two
make answered 'no entropy' every time, walked in gcc's types (harness.retrycounts.walked_counts), and gcc's build makes
the same SEAMCALLs and return for 0 to 400 'no entropy' answers then success, another error or the next code."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts

LOOP = ("\tfor (;;) {\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
        "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n\t\t\tbreak;\n\t}\n")
STORE = "\t\tbusy = err == TDX_RND_NO_ENTROPY;\n"
RETURN = "\treturn err;\n}"
NINE = "\tunsigned int left = RDRAND_RETRY_LOOPS - 1;\n"


def _tail(store: str = STORE, decl: str = "\tbool busy;\n", test: str = "busy && left--", count: str = NINE) -> str:
    """RETRY_SAFE with its counter declared by ``count`` and its loop made ``do { ... store } while (test);``, the
    flag declared by ``decl`` beside ``err``."""
    assert LOOP in RETRY_SAFE and DECL in RETRY_SAFE
    return RETRY_SAFE.replace(DECL, count).replace("\tu64 err;\n", "\tu64 err;\n" + decl).replace(
        LOOP, f"\tdo {{\n\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"
              f"{store}\t}} while ({test});\n")


def _early(count: str = NINE, after: str = "\t\tpreempt_enable();\n") -> str:
    """_tail() with the flag stored before the round's last statement, ``after`` (h519's list: not read before)."""
    call = "\t\terr = sc_mark_dirty(op, fn, args);\n"
    return _tail("", count=count).replace(call + "\t\tpreempt_enable();\n", call + STORE + after)


CASES = {
    # The same behaviour: INCONCLUSIVE before ('a changed condition no run tells apart: a condition of sc_retry()
    # changed, 'if (err != TDX_RND_NO_ENTROPY || !--left)' ... -> '} while (busy && left--);' ...'; h511).
    "flag, unsigned counter from 9": (_tail(), PASS),
    "flag, int counter from 9": (_tail(count="\tint left = RDRAND_RETRY_LOOPS - 1;\n"), PASS),
    "flag, the counter as before": (_tail(count=DECL, test="busy && --left"), PASS),
    "flag of the other sense": (_tail("\t\tidle = err != TDX_RND_NO_ENTROPY;\n", "\tbool idle;\n", "!idle && left--"),
                                PASS),
    # Twins the runs show apart: one more try; a u8 counter of 300 (44 tries, gcc).
    "one more try": (_tail(count="\tunsigned int left = RDRAND_RETRY_LOOPS;\n"), FAIL),
    "u8 counter of 300": (_tail(count="\tu8 left = 300;\n", test="busy && --left"), FAIL),
    # Near misses gcc counts alike, not read: the flag read after the loop or in the round before its store, a
    # store to what it stored after it, a goto in the function. (A static flag is a difference already: the runs leave
    # it in another state.)
    "flag read after": (_tail().replace(RETURN, "\treturn busy ? err : err;\n}"), INCONCLUSIVE),
    "flag read before the store": (_tail("\t\terr |= busy ? 0 : 0;\n" + STORE, "\tbool busy = false;\n"),
                                   INCONCLUSIVE),
    # The store before the round's last statement, which writes nothing the store read: the test reads the same value
    # (INCONCLUSIVE before, h529).
    "stored before preempt_enable()": (_early(), PASS),
    "stored before preempt_enable(), one more try": (_early("\tunsigned int left = RDRAND_RETRY_LOOPS;\n"), FAIL),
    # One that writes what it stored, or leaves the round: not read (gcc counts the first alike).
    "a store to what it stored after it": (_early(after="\t\tpreempt_enable();\n\t\terr |= 0;\n"), INCONCLUSIVE),
    "a return after the store": (_early(after="\t\tpreempt_enable();\n\t\tif (err == 7)\n\t\t\treturn err;\n"),
                                 INCONCLUSIVE),
    "statement after the store": (_tail(STORE + "\t\terr |= 0;\n"), INCONCLUSIVE),
    "goto": (_tail().replace(RETURN, "\tgoto out;\nout:\n" + RETURN), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_an_exit_test_reading_a_flag_stored_at_the_end_of_the_round_is_the_same_test(tmp_path: Path,
                                                                                    name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)


def _broken(store: str = STORE, decl: str = "\tbool busy;\n", test: str = "!(busy && left--)", count: str = NINE
            ) -> str:
    """RETRY_SAFE with its counter declared by ``count`` and its exit test made ``store`` then ``if (test) break;``,
    the flag declared by ``decl`` beside ``err``."""
    assert LOOP in RETRY_SAFE and DECL in RETRY_SAFE
    return RETRY_SAFE.replace(DECL, count).replace("\tu64 err;\n", "\tu64 err;\n" + decl).replace(
        "\t\tif (err != TDX_RND_NO_ENTROPY || !--left)\n", f"{store}\t\tif ({test})\n")


BREAK_CASES = {
    # The same behaviour: INCONCLUSIVE before ('a changed condition no run tells apart: ... -> 'if (!(busy &&
    # left--))' ...').
    "flag, unsigned counter from 9": (_broken(), PASS),
    "flag of the stop's sense": (_broken("\t\tdone = err != TDX_RND_NO_ENTROPY;\n", "\tbool done;\n",
                                         "done || !left--"), PASS),
    "flag declared where it is stored": (_broken("\t\tbool busy = err == TDX_RND_NO_ENTROPY;\n\n", ""), PASS),
    # A twin the runs show apart, and a near miss not read (the flag read after the loop).
    "one more try": (_broken(count="\tunsigned int left = RDRAND_RETRY_LOOPS;\n"), FAIL),
    "flag read after": (_broken().replace(RETURN, "\treturn busy ? err : err;\n}"), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(BREAK_CASES))
def test_an_endless_loop_breaking_on_a_flag_stored_before_its_test_is_the_same_test(tmp_path: Path, name: str) -> None:
    loop, want = BREAK_CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)


MORE = "\tsc_trace_first(fn, err);\n"
TRACE = "static __always_inline void sc_trace_first(u64 fn, u64 err)\n{\n}\n\n"
ROUND = "\t\tpreempt_disable();\n\t\terr = sc_mark_dirty(op, fn, args);\n\t\tpreempt_enable();\n"


def _peeled(count: str = NINE, test: str = "err == TDX_RND_NO_ENTROPY && left--", first: str | None = None,
            more: str = "") -> str:
    """RETRY_SAFE with its counter declared by ``count`` and its loop made ``first`` (its round, by default) then
    ``while (test) { round }``, ``more`` written above sc_retry()."""
    assert LOOP in RETRY_SAFE and DECL in RETRY_SAFE
    first = ROUND.replace("\t\t", "\t") if first is None else first
    return RETRY_SAFE.replace(DECL, count).replace(LOOP, f"{first}\twhile ({test}) {{\n{ROUND}\t}}\n").replace(
        "static __always_inline u64 sc_retry(", more + "static __always_inline u64 sc_retry(", 1)


PEELED_CASES = {
    # The same behaviour: INCONCLUSIVE before ('... -> 'while (err == TDX_RND_NO_ENTROPY && left--) {' ...').
    "first round before the loop, unsigned counter from 9": (_peeled(), PASS),
    "first round before the loop, --left from 10": (_peeled(DECL, "err == TDX_RND_NO_ENTROPY && --left"), PASS),
    # A twin the runs show apart, and a near miss not read (a statement more before the loop than in it).
    "one more try": (_peeled("\tunsigned int left = RDRAND_RETRY_LOOPS;\n"), FAIL),
    "a statement more before it": (_peeled(first=ROUND.replace("\t\t", "\t") + "\terr |= 0;\n"), INCONCLUSIVE),
    # A statement more after the first round that writes nothing the test reads (INCONCLUSIVE before, h529): the
    # first test reads what it read right after the round. One more try with it shows apart.
    "a statement more before it that the test does not read": (_peeled(first=ROUND.replace("\t\t", "\t") + MORE,
                                                                       more=TRACE), PASS),
    "a statement more before it, one more try": (_peeled("\tunsigned int left = RDRAND_RETRY_LOOPS;\n",
                                                         first=ROUND.replace("\t\t", "\t") + MORE, more=TRACE), FAIL),
    "a statement more before it, a declaration": (_peeled(first=ROUND.replace("\t\t", "\t") + "\tu64 seen = err;\n"
                                                          + MORE, more=TRACE), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(PEELED_CASES))
def test_a_head_tested_loop_with_its_first_round_made_before_it_is_the_same_test(tmp_path: Path, name: str) -> None:
    loop, want = PEELED_CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)
