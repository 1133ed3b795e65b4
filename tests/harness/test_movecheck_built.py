"""A moves rule's pass across a state the mirror did not run as kbuild builds it is inconclusive; make, gcc oracles."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import Verdict, VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.test_kbuilddefs import AFTER, BEFORE, _gcc_calls, _make_flags
from tests.harness.variantgen import tree_gate_verdict
from tests.mailgen import diff, message, patch_body, write_mbox

_BUSY = "#define DEMO_BUSY 0x8000000000000010ULL\n"
_OTHER = '#include "h.h"\nint other;\n'
_DEMO = '#include "h.h"\n'
_MOVED = _DEMO + BEFORE.replace(_BUSY, "")  # the helpers in demo.c, their tries 3 outright
_FLAGGED = "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_TRIES=1\n"


def _gate(tmp: Path, makefile: str) -> Verdict:
    """gate --tree of v1: 01/2 gives h.h's tries DEMO_TRIES (3 unless the build says) and touches other.c, a second
    unit reading h.h; 02/2 moves the helpers to demo.c with 3 tries: the moves rule's verdict."""
    tree = init_repo(tmp / "tree", {"demo/h.h": BEFORE, "demo/demo.c": _DEMO, "demo/other.c": _OTHER,
                                    "demo/Makefile": makefile})
    mbox = write_mbox(tmp / "v1.mbox", [
        message("[PATCH 1/2] demo: tunable tries", "t1@x", patch_body(
            "Tries.", diff("demo/h.h", BEFORE, AFTER) + diff("demo/other.c", _OTHER, _OTHER + "int more;\n"))),
        message("[PATCH 2/2] demo: move the helpers to demo.c", "t2@x", patch_body(
            "Move.", diff("demo/h.h", AFTER, _BUSY) + diff("demo/demo.c", _DEMO, _MOVED)), parent="t1@x")])
    return tree_gate_verdict(tmp, tree, mbox,
                             '[[rule]]\nid = "move"\nreviewer = "R"\nsummary = "s"\n[rule.check]\nkind = "moves"\n')


def test_a_move_across_a_state_not_run_as_built_is_inconclusive(tmp_path: Path) -> None:
    # gcc: demo.o calls once on busy answers before the move (-DDEMO_TRIES=1), up to 3 times after. The mirror ran
    # v1:01 without the flag (other.c, a unit too, reads h.h): 3 tries on both sides, and the rule was PASS.
    built = _make_flags(tmp_path, _FLAGGED)
    assert _gcc_calls(tmp_path, AFTER, built) != _gcc_calls(tmp_path, BEFORE, built)
    v = _gate(tmp_path / "gate", _FLAGGED)
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert "02/2: in v1:01, a state compared, 'CFLAGS_demo.o += -DDEMO_TRIES=1' (demo/Makefile:2" in v.note, v.note


@pytest.mark.parametrize("makefile", ["obj-y += demo.o other.o\n",
                                      "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_UNUSED=1\n"])
def test_a_move_across_states_run_as_built_keeps_the_pass(tmp_path: Path, makefile: str) -> None:
    built = _make_flags(tmp_path, makefile)
    assert _gcc_calls(tmp_path, AFTER, built) == _gcc_calls(tmp_path, BEFORE, built)
    v = _gate(tmp_path / "gate", makefile)
    assert v.status is VerdictStatus.PASS, v.note
