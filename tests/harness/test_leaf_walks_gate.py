"""A bit-63 walk kept from a state whose helper was absent is not the gate's for a state that has it; gcc the oracle.

models.leafwalks keeps the marks of a walk of a function across the programs of one process (a parsed definition
is shared by every state whose code has it). seamcall_err() prints ``sc_fmts[sc_slot(fn)]``; at v2:01 sc_slot() is
only declared, and the 'Prepare' patch defines it below, ``f & 3``, leaving seamcall_err()'s text and place as they
were. Judged after v2:01 in one process, v2 took v2:01's walk, which never looked sc_slot() up, and lost the mark
that its format is picked by leaf bits no scenario varies (ffb1a8b9): leaf-base-consistent and leaf-in-hex-for-both
PASSed where gcc prints TDX-module leaf 34 in decimal beside 33 in hex.
"""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from models import leafwalks
from tests.harness.seriesgen import RETRY_SAFE, TAIL, helpers, preparing_series
from tests.harness.test_leaf_format_by_bits import FORMATS, OLD, RULES, _gcc
from tests.mailgen import write_mbox

SLOT = "static inline int sc_slot(u64 f)\n{\n\treturn f & 3;\n}\n"
BODY = "\tpr_err(sc_fmts[sc_slot(fn)], fn, err);\n"
DECLARED = "static inline int sc_slot(u64 f);\n\n"


def _series(tmp_path: Path) -> Path:
    """v2: the helper header declaring sc_slot() (v2:01), the 'Prepare' patch defining it at the header's end."""
    base = helpers(RETRY_SAFE).replace(OLD, BODY).replace("static inline void seamcall_err",
                                                          FORMATS + DECLARED + "static inline void seamcall_err")
    assert base.endswith(TAIL)
    return write_mbox(tmp_path / "v2.mbox", preparing_series(base.removesuffix(TAIL) + "\n" + SLOT + TAIL, base=base))


def _judged(mbox: Path, target: str) -> dict[str, tuple[VerdictStatus, str]]:
    gate = evaluate_gate(GateRequest((mbox,), target, jobs=1, cache=None))
    return {v.rule.id: (v.status, v.note) for v in gate.verdicts if v.rule.id in RULES}


def test_a_walk_of_a_state_without_the_helper_is_not_the_gates_where_the_helper_picks_the_format(
        tmp_path: Path) -> None:
    assert _gcc(tmp_path, BODY, FORMATS + SLOT + "\n") == ["SEAMCALL (0x21) failed: 0x8000020300000000",
                                                           "SEAMCALL (34) failed: 0x8000020300000000"]
    mbox = _series(tmp_path)
    leafwalks._WALKS.clear()
    _judged(mbox, "v2:01")  # walks seamcall_err() where sc_slot() is absent, and keeps the walk
    after = _judged(mbox, "v2")
    for rule, (status, note) in after.items():
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)  # was PASS
        assert "picks its format by bits of the leaf other than bit 63" in note, (rule, note)
    leafwalks._WALKS.clear()
    assert _judged(mbox, "v2") == after  # as a process that judged nothing before
