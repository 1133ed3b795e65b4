"""A gap the same under several patches of a section is said once in the terminal.

A gap the same under several patches of a section is said once in the terminal and referred to after
(reports.terminal.gap_key); one of functions in neither state of each patch alike (a later patch adds them, or no
file has them) is said under the first patch only: golden of a generated series (tests/reports/golden/
gap_said_once.txt)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from harness.reportview import EvalReport
from reports.terminal import eval_summary
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.harness.test_retrycounts import OWN_LOOP
from tests.mailgen import write_mbox
from tests.reports.test_reviewer_verdicts import _golden


def _three_patches(tmp_path: Path) -> EvalReport:
    """The report of a v4 whose 01/3 adds the helpers, 02/3 changes the retry count and 03/3 adds a P-SEAMLDR
    wrapper: entry points that neither state of 01/3 or 02/3 defines."""
    one = helpers(RETRY_SAFE)
    two = helpers(RETRY_SAFE.replace("RDRAND_RETRY_LOOPS", "RDRAND_RETRY_LOOPS + 1"))
    three = two.replace("\n#endif\n", OWN_LOOP + "\n#endif\n")
    mbox = write_mbox(tmp_path / "s.mbox", revision(4, [
        Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
        Step("x86/virt/tdx: One more try", ((NEW_HOME, one, two),)),
        Step("x86/virt/tdx: Add a P-SEAMLDR wrapper", ((NEW_HOME, two, three),))], cover="demo: three"))
    return report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))


def test_gap_said_once(tmp_path: Path) -> None:
    # Before: under 01/3 and 02/3 alike, 'not compared: seamldr_again, seamldr_call (504 scenarios): neither v4:00
    # nor v4:01 defines ...; v4 03/3 adds them later ...', then the same with v4:01 and v4:02, a paragraph each; the
    # corpus' v3 said its two such gaps under five patches. Then 'for the reason said under v4 01/3' under each patch
    # before 03/3, for entry points in neither of its states: now said once, under 01/3, saying it is not said again;
    # so is the matrix's seamcall_saved_ret(), in no file of any state (every C file known whole).
    rep = _three_patches(tmp_path)
    console = Console(width=200, record=True, color_system=None)
    console.print(eval_summary(rep))
    lines = console.export_text().splitlines()
    section = lines[lines.index("Per patch"):]
    # labels, gaps, verdicts (a wrapped one goes on 4 in): not the facts, '    - ...' items going on 6 in
    kept = [ln.rstrip() for ln in section if not ln.startswith(("    - ", "      "))]
    _golden("gap_said_once", "".join(f"{ln}\n" for ln in kept))


def test_a_gap_alone_in_its_section_is_not_said_to_be_left_out_elsewhere(tmp_path: Path) -> None:
    # 'v1 -> v2', the one comparison of its section, ended its gap of the matrix's seamcall_saved_ret() (in no file of
    # either revision) with '; not said again under the other patches', as though some patch there left it out.
    from tests.reports.test_left_out import _summary

    add = Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    said = _summary(tmp_path, [add])
    gaps = [line for line in said if line.startswith("  not compared: ")]
    assert any("seamcall_saved_ret" in line for line in gaps), said
    assert not any("not said again" in line for line in said), said


def test_a_unit_no_state_has_is_said_under_the_first_patch_alone() -> None:
    # The bundled matrix's seamldr_prerr() runs in seamldr.c, which my tree lacks and no patch creates: said under the
    # first patch, then 'for the reason said under v1 01/3' under every other patch of the section.
    from harness.comparison import Comparison, Gap
    from reports.terminal import _section

    def patch(n: int) -> Comparison:
        why = f"seamldr_prerr() runs in x/seamldr.c, which neither v1:0{n - 1} nor v1:0{n} has (not in linux at 0123)"
        return Comparison("patch", f"v1:0{n - 1}", f"v1:0{n}", f"v1 0{n}/3: demo", None, (), 70, compared=0,
                          gaps=(Gap(("seamldr_prerr",), 70, why, absent=True),))
    console = Console(width=300, record=True, color_system=None)
    console.print(*_section("Per patch", (patch(1), patch(2), patch(3))))
    lines = console.export_text().splitlines()
    assert [ln for ln in lines if "seamldr_prerr" in ln] == [
        "  not compared: seamldr_prerr (70 scenarios): seamldr_prerr() runs in x/seamldr.c, which neither v1:00 nor "
        "v1:01 has (not in linux at 0123); not said again under the other patches"], lines


def test_the_page_says_each_gap_once_too(tmp_path: Path) -> None:
    # The page said every gap again under every patch ('not compared: seamldr_again, seamldr_call ...' under 01/3 and
    # 02/3, the matrix's seamcall_saved_ret() under all three; 35 paragraphs of the corpus' v3) where the terminal
    # said each once: both now read reports.gapsaid.
    import re

    from reports.html_report import render_html

    page = render_html(_three_patches(tmp_path))
    gaps = re.findall(r'<p class="gap small">(not compared: .*?)</p>', page)
    assert sum(g.startswith("not compared: seamldr_again, seamldr_call ") for g in gaps) == 1, gaps
    assert sum(g.startswith("not compared: seamcall_saved_ret, seamcall_prerr_ret ") for g in gaps) == 1, gaps


def test_a_gap_said_under_an_earlier_patch_links_to_it_on_the_page() -> None:
    # A gap that is not alike under each patch (the mirror could not run the code on one side) is said in full under
    # the first patch and referred to under the others; on the page the reference is a link to that patch.
    from types import SimpleNamespace
    from typing import cast

    from harness.comparison import Comparison, Gap
    from harness.reportview import EvalReport
    from reports.html_report import _gaps_html

    def why(n: int) -> str:
        return f"the mirror cannot run f() in v1:0{n - 1} or v1:0{n}: x.c:3: inline asm is not modelled (vmptrst)"

    def patch(n: int) -> Comparison:
        return Comparison("patch", f"v1:0{n - 1}", f"v1:0{n}", f"v1 0{n}/3: demo", None, (), 70, compared=0,
                          gaps=(Gap(("f",), 70, why(n)),))
    rows = (patch(1), patch(2), patch(3))
    gaps = _gaps_html(cast(EvalReport, SimpleNamespace(per_patch_newest_first=rows, proposals=(), across=())))
    assert str(gaps(rows[0])) == f'<p class="gap small">not compared: f (70 scenarios): {why(1)}</p>'
    assert str(gaps(rows[2])) == ('<p class="gap small">not compared: f (70 scenarios): for the reason said under '
                                  '<a href="#patch-v1-01">v1 01/3</a></p>')
