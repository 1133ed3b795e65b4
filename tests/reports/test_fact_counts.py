"""How many scenarios differ, and of how many, as the reports say it (harness.comparison.Facts).

Of the entry point's own scenarios that ran on both sides, never the comparison's whole matrix, and value runs counted
apart (no scenarios of the matrix)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.comparison import Facts
from harness.report import report_model
from reports.html_report import render_html
from reports.terminal import eval_summary

_NOTE = (("return -EIO -> 0", "all leaves x success"),)


@pytest.mark.parametrize(("facts", "differing", "out_of"), [
    (Facts(("a",), 28, _NOTE, 0, 0, (35,)), "28 scenarios differ", ", of the 35 that ran on both sides"),
    (Facts(("a", "b"), 28, _NOTE, 0, 0, (35, 70)), "28 scenarios differ in each",
     ", of the 35 or 70 each ran on both sides"),
    (Facts(("a",), 4, _NOTE, 0, 4, (35,)), "4 value runs differ", ""),
    (Facts(("a",), 3, _NOTE, 0, 1, (35,)), "2 scenarios and 1 value run differ", ", of the 35 that ran on both sides"),
    (Facts(("a",), 1, _NOTE, 0, 0, (35,)), "1 scenario differs", ", of the 35 that ran on both sides"),
    (Facts(("new",), 70, _NOTE, 0, 0, (0,)), "70 scenarios differ", ""),  # an entry point the patch adds
])
def test_the_counts_said(facts: Facts, differing: str, out_of: str) -> None:
    assert (facts.differing(), facts.out_of()) == (differing, out_of)


def test_the_page_counts_an_entry_points_own_scenarios_and_value_runs_apart(tmp_path: Path) -> None:
    # Was '(28 scenarios differ, of 700 in this comparison)' under an entry point fed no leaf, which has 35, and
    # '(4 scenarios differ, of 700 ...)' (the terminal: '(4 scenarios differ)') where all 4 were value runs, which
    # are no scenarios of the matrix.
    from rich.console import Console

    from harness.pipeline import EvalRequest, evaluate
    from tests.harness.seriesgen import INCLUDES_NEW_HOME, NEW_HOME, RETRY_SAFE, Step, helpers, revision
    from tests.mailgen import write_mbox

    caller = ("\nstatic inline int demo_sys_init(void)\n{\n\tstruct tdx_module_args args = {};\n\n"
              "\treturn seamcall_prerr(33, &args);\n}\n")
    one = helpers(RETRY_SAFE).replace("\n#endif\n", caller + "\n#endif\n")
    two = one.replace("err != TDX_RND_NO_ENTROPY ||", "(err != TDX_RND_NO_ENTROPY && err != TDX_OPERAND_BUSY) ||")
    three = two.replace("failed: %#016llx", "failed: %#018llx")
    assert one != two != three
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, [
        Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one), INCLUDES_NEW_HOME)),
        Step("x86/virt/tdx: Retry a busy operand", ((NEW_HOME, one, two),)),
        Step("x86/virt/tdx: Print all digits", ((NEW_HOME, two, three),))], cover="demo: three"))
    rep = report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))
    page = render_html(rep)
    assert "in this comparison" not in page
    (patch3,) = [c for c in rep.per_patch_newest_first if c.label.startswith("v1 03/3")]
    ran = patch3.ran_both["demo_sys_init"]
    assert 0 < ran < patch3.total, (ran, patch3.total)  # fed no leaf: half the scenarios of seamcall_prerr, per unit
    (leafless,) = [f for f in patch3.facts() if "demo_sys_init" in f.entries]
    assert f"({leafless.differing()}, of the {ran} that ran on both sides)" in page
    busy = [f for c in rep.per_patch_newest_first if c.label.startswith("v1 02/3") for f in c.facts()]
    assert busy and all(f.value_runs == f.count and f.out_of() == "" for f in busy), busy
    console = Console(width=2000, record=True, color_system=None)
    console.print(eval_summary(rep))
    said = console.export_text()
    assert f"({busy[0].differing()}):" in said and " value runs differ" in busy[0].differing(), said
