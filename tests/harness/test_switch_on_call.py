"""A retry loop switching on a call's answer directly, ``switch (sc_mark_dirty(op, fn, args))``, against gcc's build.

``do { preempt_disable(); switch (sc_mark_dirty(op, fn, args)) { case TDX_RND_NO_ENTROPY: ...; break; case 0: ...;
return 0; default: ...; return 1; } } while (--left); return 2;`` with its counter spelt otherwise: the loops go
round as often where the retry-count walk (models.retrycount) counts the same SEAMCALLs for every code compared. The
walk now gives a held call's answer the 64-bit type its function returns (sc_mark_dirty()'s u64), so the switch jumps
where gcc's does (C17 6.8.4.2p5); before, it refused the switch ('the type of the value it switches on is not
known') and each form here was INCONCLUSIVE ('a changed condition no run tells apart'). gcc makes the same SEAMCALLs
and returns the same for 0 to 400 'no entropy' answers then success, another error or the next code; the twins with
one more try fail; a function returning a narrower type (part of the answer) is not read so: INCONCLUSIVE."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_between

HEAD = RETRY_SAFE[:RETRY_SAFE.index(DECL)]
ON = "\t\t\tpreempt_enable();\n"
CASES_OF = f"\t\tcase TDX_RND_NO_ENTROPY:\n{ON}\t\t\tbreak;\n\t\tcase 0:\n{ON}\t\t\treturn 0;\n\t\tdefault:\n{ON}" \
    "\t\t\treturn 1;\n"
U8 = "\tu8 left = RDRAND_RETRY_LOOPS{};\n"


def _on_call(test: str = "--left", counter: str = DECL) -> str:
    """sc_retry() as ``do { preempt_disable(); switch (sc_mark_dirty(op, fn, args)) { CASES_OF } } while (TEST);
    return 2;``, its counter declared by ``counter``."""
    return HEAD + counter + "\n\tdo {\n\t\tpreempt_disable();\n\t\tswitch (sc_mark_dirty(op, fn, args)) {\n" + \
        CASES_OF + f"\t\t}}\n\t}} while ({test});\n\treturn 2;\n}}\n"


def _narrow(loop: str) -> str:
    """The loop with sc_mark_dirty() returning an unsigned int, the switch seeing the answer's low half (its 'case 0'
    made 'case 1': TDX_RND_NO_ENTROPY converted to an unsigned int is 0 already)."""
    return loop.replace("static __always_inline u64 sc_mark_dirty(", "static __always_inline unsigned int "
                        "sc_mark_dirty(").replace("\t\tcase 0:\n", "\t\tcase 1:\n")


BASE = _on_call()
CASES = {
    # The same behaviour: INCONCLUSIVE before.
    "counted at the test's end": (BASE, _on_call("left-- > 1"), PASS),
    "a u8 counter": (BASE, _on_call(counter=U8.format("")), PASS),
    "a u8 counter of 266": (BASE, _on_call(counter=U8.format(" + 256")), PASS),  # wraps to 10 (gcc alike)
    # Twins the runs show apart: one more try.
    "one more try": (BASE, _on_call("left-- > 0"), FAIL),
    "a u8 counter of 267": (BASE, _on_call(counter=U8.format(" + 257")), FAIL),  # wraps to 11
    # Near miss gcc counts alike, not read: the function returns part of the answer.
    "a narrower answer, counted at the test's end": (_narrow(BASE), _narrow(_on_call("left-- > 1")), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_switch_on_a_calls_answer_is_counted_in_the_type_its_function_returns(tmp_path: Path, name: str) -> None:
    judged_between(tmp_path, CASES[name], name)
