"""Source checks (harness.codechecks) on a state whose C file could not be built: what it holds is not read."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import NEW_HOME, PREPARE, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

BASE = helpers(RETRY_SAFE)
PRINTER = "\nstatic inline void seamldr_note(u64 fn)\n{\n\tpr_info(\"P-SEAMLDR leaf %llx\\n\", fn);\n}\n"


def test_a_printer_in_a_file_that_could_not_be_built_is_no_pass(tmp_path: Path) -> None:
    # 'Prepare' adds a printer, its hunk's tabs turned into spaces by a mailer: git apply refuses it, the header
    # is not usable in v2, and the no-new-printer rule saw no printer there: it passed.
    create = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, BASE),))
    msgs = revision(2, [create, Step(PREPARE, ((NEW_HOME, BASE, BASE.replace("\n#endif\n", PRINTER + "\n#endif\n")),))])
    head, _, rest = msgs[2].get_content().partition("@@ ")
    msgs[2].set_content(head + "@@ " + rest.replace("\t", "        "))
    assert "+        pr_info(" in msgs[2].get_content()
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "v2.mbox", msgs),), "v2", jobs=1))
    found = next(v for v in g.verdicts if v.rule.id == "reuse-seamcall-err")
    assert found.status is VerdictStatus.INCONCLUSIVE, (found.status, found.note)
    assert found.note.startswith(f"{NEW_HOME} in v2 could not be built (see the apply findings)"), found.note
