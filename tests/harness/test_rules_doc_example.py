"""docs/rules.md's consistency example, run as it is written.

docs/rules.md's consistency example, run as it is written: the block under '### `consistency`' is the rules file
of a gate on a generated series, and judges both of its states (the oracle: which base each printer's format takes,
'%llu' and '%llx', read in the code the test writes)."""

from __future__ import annotations

import re
from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
MACRO = "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n"
HEX = """static inline int seamldr_prerr(u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(__seamcall, fn, args);

	if (err)
		pr_err("P-SEAMLDR (%llx) failed: %#016llx\\n", fn, err);
	return err ? -EIO : 0;
}
"""


def _example() -> str:
    section = DOC.read_text().split("### `consistency`\n", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.DOTALL)
    assert len(blocks) == 1 and 'kind = "consistency"' in blocks[0], blocks
    return str(blocks[0])


def test_the_consistency_example_runs_as_written(tmp_path: Path) -> None:
    # Before: docs/rules.md had no TOML example of a consistency rule (only its keys in prose).
    one = helpers(RETRY_SAFE)
    assert MACRO in one and '"SEAMCALL (%llu) failed' in one  # both components print through seamcall_err()
    hexed = one.replace(MACRO, HEX)
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [
        Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
        Step("x86/virt/tdx: Print P-SEAMLDR leaves in hex", ((NEW_HOME, one, hexed),))], cover="demo: leaves"))
    (tmp_path / "rules.toml").write_text(_example())
    got = {}
    for name in ("v4:01", "v4"):
        g = evaluate_gate(GateRequest((mbox,), name, rules=tmp_path / "rules.toml", jobs=1, time_budget=0))
        (v,) = g.verdicts
        got[name] = (v.rule.id, v.status, " ".join(e.actual for e in v.evidence))
    assert got["v4:01"][:2] == ("leaf-base-consistent", VerdictStatus.PASS), got
    assert got["v4"][:2] == ("leaf-base-consistent", VerdictStatus.FAIL), got
    assert "TDX module decimal" in got["v4"][2] and "P-SEAMLDR hex without 0x" in got["v4"][2], got
