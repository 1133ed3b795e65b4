"""The reports explain 'its own leaf' and 'value runs' where they use them.

The reports say what 'its own leaf' and 'value runs' stand for where they use them (harness.wordnotes): both were
explained in docs/matrix.md alone, and an entry point fed no leaf counted 35 scenarios beside 70 without a word."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from harness.comparison import Comparison
from harness.wordnotes import own_leaf_line, value_runs_line
from tests.harness.test_where_leafless import _matrix


def test_an_entry_fed_no_leaf_beside_one_fed_it_is_explained(tmp_path: Path) -> None:
    m = _matrix(tmp_path)
    line = own_leaf_line(m.scenarios)
    assert line is not None
    # demo_enable() runs each script once per kind of leaf (3 scripts + loader-busy once: 2 x 2 + 1), demo_prerr()
    # under each of the four leaves (2 x 4 + 2).
    assert line.startswith("its own leaf: demo_enable() is fed no leaf (the SEAMCALL leaf is the code's own choice), "
                           "so each script runs once per kind of leaf, the TDX module's and the P-SEAMLDR's (5 "
                           "scenarios), where an entry point fed the leaf runs it under each leaf of the matrix (10 "
                           "scenarios)"), line


def test_no_line_where_every_entry_is_fed_alike(tmp_path: Path) -> None:
    m = _matrix(tmp_path)
    assert own_leaf_line([s for s in m.scenarios if s.entry.name == "demo_prerr"]) is None
    assert own_leaf_line([s for s in m.scenarios if s.entry.name == "demo_enable"]) is None


def test_value_runs_are_explained_where_a_comparison_has_them(tmp_path: Path) -> None:
    m = _matrix(tmp_path)
    plain = Comparison("patch", "v1:00", "v1:01", "v1 01/1: demo", None, (), 10, compared=10)
    assert value_runs_line([plain]) is None
    run = m.scenarios[0]
    name = "neighbour-0x8000000000000011"
    probe = replace(run, id=f"x/{name}", script=replace(run.script, name=name))
    line = value_runs_line([plain, replace(plain, extra=(probe,))])
    assert line is not None and line.startswith(f"value runs: {name} is no script of the matrix"), line
    # Code said to have run only in value runs names them too, with no fact under one.
    said = replace(plain, not_run=("demo_retry() (demo/demo.c:12) ran only in value runs in v1:01",))
    assert (value_runs_line([said]) or "").startswith("value runs: they are no script of the matrix")


def test_the_terminal_and_the_page_say_them(tmp_path: Path) -> None:
    # A generated series: a fixed-leaf caller beside the bundled entry points, and a patch that makes the retry loop
    # retry a busy operand too (its value runs: 'neighbour-0x...' scripts in the facts).
    from rich.console import Console

    from harness.pipeline import EvalRequest, evaluate
    from harness.report import report_model
    from reports.html_report import render_html
    from reports.terminal import eval_summary
    from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
    from tests.mailgen import write_mbox

    caller = ("\nstatic inline int demo_sys_init(void)\n{\n\tstruct tdx_module_args args = {};\n\n"
              "\treturn seamcall_prerr(33, &args);\n}\n")
    one = helpers(RETRY_SAFE).replace("\n#endif\n", caller + "\n#endif\n")
    two = one.replace("err != TDX_RND_NO_ENTROPY ||", "(err != TDX_RND_NO_ENTROPY && err != TDX_OPERAND_BUSY) ||")
    assert two != one
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, [
        Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
        Step("x86/virt/tdx: Retry a busy operand", ((NEW_HOME, one, two),))], cover="demo: two"))
    rep = report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))
    console = Console(width=2000, record=True, color_system=None)
    console.print(eval_summary(rep))
    said = console.export_text()
    page = render_html(rep)
    for start in ("its own leaf: demo_sys_init() is fed no leaf", "value runs: neighbour-0x"):
        assert any(line.startswith(start) for line in said.splitlines()), said
        assert f'<p class="meta small">{start}' in page
