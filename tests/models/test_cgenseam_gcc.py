"""The SEAMCALL-helper generator (tests/models/cgenseam.py) run by the mirror and by gcc.

The SEAMCALL-helper generator (tests/models/cgenseam.py) run by the mirror and by gcc: retry loops with unlikely(),
guard()/scoped_guard(), per-CPU variables, status-word printk formats, u64/s32 conversions, shifts near the width."""

from __future__ import annotations

import pytest

from models.native.run import find_compiler
from tests.models.cdiff import OK_CLASSES, UNDEFINED, run_program
from tests.models.cgenseam import generate

pytestmark = pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")


def test_a_fixed_sample_of_the_seamcall_helper_generator_agrees_with_gcc_and_is_defined() -> None:
    # 8 functions x 3 scripts, gcc trapping on all of -fsanitize=undefined: no disagreement, and no run either
    # stops on. `python -m tests.models.cdiff --generator cgenseam --seeds 0-99` runs a campaign.
    t = run_program(generate(11, 8, size=2), find_compiler(None), sanitize=UNDEFINED)
    bad = {k: n for k, n in t.classes.items() if k not in OK_CLASSES or k == "ub"}
    assert not bad, (bad, [c[:3] for c in t.cases[:5]])
    assert t.classes["agree"] >= 0.6 * sum(t.classes.values()), t.classes
