"""A witness fail on a reviewed state the mirror did not run as kbuild builds it shows nothing; make and gcc oracles."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import ReadRole, Verdict, VerdictStatus
from tests.gitoracle import init_repo
from tests.harness.test_kbuilddefs import AFTER, BEFORE, _gcc_calls, _make_flags
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

# v2's demo_retry(): one SEAMCALL, no loop.
_LOOP = "\tdo {\n\t\tret = __seamcall(fn, args);\n\t} while (ret == DEMO_BUSY && --tries);\n"
_ONCE = BEFORE.replace("\tint tries = 3;\n", "").replace(_LOOP, "\tret = __seamcall(fn, args);\n")
_OTHER = '#include "h.h"\nint other;\n'
_RULE = ('[[rule]]\nid = "busy-not-retried"\nreviewer = "Rev Iewer"\nmsgid = "r1@x"\nsummary = "s"\n'
         'severity = "error"\npatch = "demo: tries"\n[rule.check]\nkind = "behaviour"\n'
         'scenarios = { entry = ["demo_retry"], script = "busy-x1" }\nexpect = { calls = 1 }\n')


def _gate(tmp: Path, makefile: str) -> Verdict:
    """gate --tree of v2 (demo_retry() calls once) against the rule 'a busy answer is not retried', citing a review
    of v1, whose patch gives h.h's tries DEMO_TRIES (3 unless the build says) and touches other.c, a second unit
    including h.h: the rule's verdict."""
    assert "tries" not in _ONCE
    tree = init_repo(tmp / "tree", {"demo/h.h": BEFORE, "demo/demo.c": '#include "h.h"\n', "demo/other.c": _OTHER,
                                    "demo/Makefile": makefile})
    v1 = write_mbox(tmp / "v1.mbox", [
        message("[PATCH] demo: tries", "t1@x", patch_body("Tries.", diff("demo/h.h", BEFORE, AFTER)
                                                          + diff("demo/other.c", _OTHER, _OTHER + "int more;\n"))),
        message("Re: [PATCH] demo: tries", "r1@x", "> Tries.\n\nDo not retry a busy answer.\n",
                sender="Rev Iewer <rev@example.org>", parent="t1@x", date="Mon, 05 Jan 2026 11:00:00 +0000")])
    v2 = write_mbox(tmp / "v2.mbox", [message("[PATCH v2] demo: tries", "t2@x", patch_body(
        "Tries.", diff("demo/h.h", BEFORE, _ONCE)), date="Tue, 06 Jan 2026 10:00:00 +0000")])
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(_RULE)
    g = evaluate_gate(GateRequest((v1, v2), "v2", jobs=1, cache=None, tree=tree, base="HEAD", matrix=tmp / "m.toml",
                                  rules=tmp / "r.toml"))
    [v] = g.verdicts
    return v


def _calls_once_busy(tmp: Path, header: str, makefile: str) -> int:
    """gcc's SEAMCALLs of demo.o's demo_retry() answered busy once, built with make's flags for ``makefile``."""
    return int(_gcc_calls(tmp, header, _make_flags(tmp, makefile))[1].split(":")[0])


def test_a_witness_fail_on_a_state_not_run_as_built_is_inconclusive(tmp_path: Path) -> None:
    # v1's demo.o is built with -DDEMO_TRIES=1: gcc calls once, so the rule passes on the code reviewed. The mirror
    # ran v1 without the flag (other.c, a unit too, reads h.h without it): 2 calls, a fail, which the gate took as
    # the witness of v2's pass (PASS). The fail is the mirror's build, not kbuild's.
    makefile = "obj-y += demo.o other.o\nCFLAGS_demo.o += -DDEMO_TRIES=1\n"
    assert _calls_once_busy(tmp_path, AFTER, makefile) == 1 == _calls_once_busy(tmp_path, _ONCE, makefile)
    v = _gate(tmp_path / "gate", makefile)
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert "it fails on v1 as the mirror ran it, but in v1 'CFLAGS_demo.o += -DDEMO_TRIES=1' (demo/Makefile:2" \
        in v.note, v.note


@pytest.mark.parametrize("makefile", ["obj-y += demo.o other.o\n",
                                      "obj-y += demo.o other.o\nCFLAGS_other.o += -DOTHER_KNOB=1\n"])
def test_a_witness_fail_on_a_state_run_as_built_keeps_the_pass(tmp_path: Path, makefile: str) -> None:
    # gcc: v1's demo.o calls twice on one busy answer (3 tries), the rule fails on the code reviewed; v2 calls once.
    assert _calls_once_busy(tmp_path, AFTER, makefile) == 2
    assert _calls_once_busy(tmp_path, _ONCE, makefile) == 1
    v = _gate(tmp_path / "gate", makefile)
    assert v.status is VerdictStatus.PASS, v.note
    assert [(r.role, r.what, r.state) for r in v.read if r.role is ReadRole.REVIEWED] == \
        [(ReadRole.REVIEWED, "fails", "v1")]
