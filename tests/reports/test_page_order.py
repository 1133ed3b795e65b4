"""The page's first screen is the verdicts, and what they rest on comes right after them.

What they rest on: the assumed and untested lines, the entry points found, what the reports' words stand for (the
terminal, read from its end, says those first)."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from reports.html_report import render_html
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox


def test_the_verdicts_come_before_what_they_rest_on(tmp_path: Path) -> None:
    # Was: seven 'assumed:' lines, the entry points and the word notes above the verdicts, which started half way down
    # the corpus' first screen (and below it for a series with more to assume).
    caller = ("\nstatic inline int demo_sys_init(void)\n{\n\tstruct tdx_module_args args = {};\n\n"
              "\treturn seamcall_prerr(33, &args);\n}\n")
    one = helpers(RETRY_SAFE).replace("\n#endif\n", caller + "\n#endif\n")
    two = one.replace("failed: %#016llx", "failed: %#018llx")
    assert two != one
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, [
        Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
        Step("x86/virt/tdx: Print all digits", ((NEW_HOME, one, two),))], cover="demo: two"))
    rep = report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))
    page = render_html(rep)
    verdicts = page.index('<section id="summary">')
    rests = [page.index(f'<p class="meta small">{start}') for start in ("assumed: ", "entry points found in the code: ",
                                                                         "its own leaf: ")]
    assert rep.assumptions and all(verdicts < at for at in rests), (verdicts, rests)
    assert page.index("</section>", verdicts) < min(rests) < page.index('<h2 id="patches">')
