"""An earlier patch's change a build flag hid from the mirror is not taken for none (harness.earlierchange); gcc."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import Verdict, VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.test_kbuilddefs import AFTER, BEFORE, _gcc_calls, _make_flags
from tests.harness.variantgen import tree_gate_verdict
from tests.mailgen import diff, message, patch_body, write_mbox

_OTHER = '#include "h.h"\nint other;\n'
_FLAGGED = "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_TRIES=1\n"


def _gate(tmp: Path, makefile: str) -> Verdict:
    """gate --tree of v1, no earlier revision: 01/2 makes h.h's tries 3 outright (DEMO_TRIES, 3 unless the build
    says, before), 02/2 tidies h.h and touches other.c, a second unit reading h.h; 'demo: tidy changes nothing'
    against before:patch: its verdict."""
    tidied = BEFORE + "/* tidied */\n"
    tree = init_repo(tmp / "tree", {"demo/h.h": AFTER, "demo/demo.c": '#include "h.h"\n', "demo/other.c": _OTHER,
                                    "demo/Makefile": makefile})
    mbox = write_mbox(tmp / "v1.mbox", [
        message("[PATCH 1/2] demo: fixed tries", "t1@x", patch_body("Fixed.", diff("demo/h.h", AFTER, BEFORE))),
        message("[PATCH 2/2] demo: tidy", "t2@x", patch_body("Tidy.", diff("demo/h.h", BEFORE, tidied) + diff(
            "demo/other.c", _OTHER, _OTHER + "int more;\n")), parent="t1@x")])
    return tree_gate_verdict(tmp, tree, mbox, '[[rule]]\nid = "tidy-changes-nothing"\nreviewer = "R"\nsummary = "s"\n'
                             'patch = "demo: tidy"\n[rule.check]\nkind = "equivalence"\n'
                             'reference = "before:patch"\n')


def test_an_earlier_patch_s_change_a_flag_hid_leaves_the_pass_inconclusive(tmp_path: Path) -> None:
    # gcc: 01/2 takes demo.o from 1 call (-DDEMO_TRIES=1) to 3 on busy answers, a change before the rule's patch
    # that no earlier revision tells apart from a part of it. The mirror ran v1:00 without the flag (other.c, a
    # unit too, reads h.h): 3 and 3, no change, and the rule was PASS.
    built = _make_flags(tmp_path, _FLAGGED)
    assert _gcc_calls(tmp_path, AFTER, built) != _gcc_calls(tmp_path, BEFORE, built)
    v = _gate(tmp_path / "gate", _FLAGGED)
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert "v1 01/2: inconclusive there (in v1:00, a state compared, 'CFLAGS_demo.o += -DDEMO_TRIES=1'" in v.note, \
        v.note


@pytest.mark.parametrize("makefile", ["obj-y += demo.o other.o\n",
                                      "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_UNUSED=1\n"])
def test_an_earlier_patch_changing_nothing_as_built_keeps_the_pass(tmp_path: Path, makefile: str) -> None:
    built = _make_flags(tmp_path, makefile)
    assert _gcc_calls(tmp_path, AFTER, built) == _gcc_calls(tmp_path, BEFORE, built)
    v = _gate(tmp_path / "gate", makefile)
    assert v.status is VerdictStatus.PASS, v.note
