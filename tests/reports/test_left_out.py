"""Two revisions compared: the patches of the first the second lacks are said first.

Two revisions compared: the terminal says which patches of the first the second has no patch titled as, before
what differs between them (harness.reportview.EvalReport.left_out)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from harness.reportview import EvalReport
from reports.html_report import render_html
from reports.json_report import eval_json
from reports.terminal import eval_summary
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, Step, helpers, revision
from tests.mailgen import write_mbox

SENDER = "Pat Maintainer <pat@example.org>"  # not the bundled series' author: no manifest, no rules


def _report(tmp_path: Path, second: list[Step], total: int | None = None) -> EvalReport:
    one = helpers(RETRY_SAFE)
    two = helpers(RETRY_SAFE.replace("RDRAND_RETRY_LOOPS", "RDRAND_RETRY_LOOPS + 1"))
    first = [Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
             Step("x86/virt/tdx: One more try", ((NEW_HOME, one, two),))]
    msgs = revision(1, first, cover="demo: helpers", sender=SENDER) + \
        revision(2, second, total=total, cover="demo: helpers", sender=SENDER)
    mbox = write_mbox(tmp_path / "s.mbox", msgs)
    return report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))


def _summary(tmp_path: Path, second: list[Step], total: int | None = None) -> list[str]:
    rep = _report(tmp_path, second, total)
    console = Console(width=200, record=True, color_system=None)
    console.print(eval_summary(rep))
    lines = console.export_text().splitlines()
    return lines[lines.index("v1 -> v2"):]


def test_a_patch_the_next_revision_drops_is_said(tmp_path: Path) -> None:
    # Before: 'v1 -> v2' listed what differs (the retry count back to 10), never that v2 left out v1 02/2.
    add = Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    said = _summary(tmp_path, [add])
    assert said[1] == "  v2 has no patch titled as v1 02/2: x86/virt/tdx: One more try", said
    assert not any("v1 01/2" in line for line in said), said


def test_the_json_and_the_page_say_it_too(tmp_path: Path) -> None:
    # Before: the terminal alone said it; report.json and report.html showed only what differs.
    add = Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    rep = _report(tmp_path, [add])
    said = "v2 has no patch titled as v1 02/2: x86/virt/tdx: One more try"
    across = {c["label"]: c for c in json.loads(eval_json(rep))["differences"]}
    assert across["v1 -> v2"]["left_out"] == [said], across["v1 -> v2"]
    assert all(c["left_out"] == [] for label, c in across.items() if label != "v1 -> v2")
    page = render_html(rep)
    at = page.index('<h3 id="revision-v1-v2">')
    assert said in page[at:page.index("<h3", at + 1)], page[at:at + 600]


def test_nothing_is_said_where_the_revision_is_not_all_there(tmp_path: Path) -> None:
    # v2 1/3 alone: its 2/3 and 3/3 may hold the title; the input does not say.
    add = Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    said = _summary(tmp_path, [add], total=3)
    assert not any("has no patch titled" in line for line in said), said


def test_the_recap_of_verdicts_no_rule_judged_says_what_would(tmp_path: Path) -> None:
    # Before: 'in short: v2 not judged; v1 not judged (each verdict's rules and what changed: above)', of verdicts
    # that have no rules.
    add = Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
    said = _summary(tmp_path, [add])
    assert said[-1] == ("in short: v2 not judged; v1 not judged (no review rules: gate --rules FILE judges them; what "
                        "changed: above)"), said


def test_a_whole_revision_whose_cover_letter_says_the_patch_was_dropped_says_so(tmp_path: Path) -> None:
    # v2 whole, its cover letter saying 'Dropped "One more try"': the line said the title was missing and no more,
    # so that a dropped patch and one lost (retitled, or forgotten) read alike; where v2 lacked patches of its own the
    # same line already said '(v2's cover letter says it was dropped)'.
    one = helpers(RETRY_SAFE)
    two = helpers(RETRY_SAFE.replace("RDRAND_RETRY_LOOPS", "RDRAND_RETRY_LOOPS + 1"))
    first = [Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
             Step("x86/virt/tdx: One more try", ((NEW_HOME, one, two),))]
    second = revision(2, [first[0]], cover="demo: helpers", sender=SENDER)
    second[0].set_content('Changes since v1:\n- Dropped "One more try" (the count stays).\n')
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, first, cover="demo: helpers", sender=SENDER) + second)
    rep = report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))
    cmp = next(c for c in rep.across if c.view == "revision")
    assert rep.left_out(cmp) == ("v2 has no patch titled as v1 02/2: x86/virt/tdx: One more try (v2's cover letter "
                                 "says it was dropped)",), rep.left_out(cmp)


B4_COVER = """A blurb of our own.

---
Changes in v2:
- Dropped "One more try": the count stays, as asked
  in review.
- Link to v1: https://lore.kernel.org/r/gen-cover-v1@example.org

---
Pat Maintainer (1):
      x86/virt/tdx: Add helpers

 arch/x86/virt/vmx/tdx/seamcall.h | 1 +
 1 file changed, 1 insertion(+)
---
base-commit: 0123456789abcdef0123456789abcdef01234567
change-id: 20260105-helpers-0123456789ab

Best regards,
--\x20
Pat Maintainer <pat@example.org>
"""


def test_a_b4_cover_letter_saying_the_patch_was_dropped_below_its_rule_says_so(tmp_path: Path) -> None:
    # b4 prep writes "Changes in v2:" below a '---' line, where git am's commit message ends: before, the line said
    # the title was missing and no more ('... One more try'), the cover letter's words below '---' not read.
    one = helpers(RETRY_SAFE)
    two = helpers(RETRY_SAFE.replace("RDRAND_RETRY_LOOPS", "RDRAND_RETRY_LOOPS + 1"))
    first = [Step("x86/virt/tdx: Add helpers", ((NEW_HOME, None, one),)),
             Step("x86/virt/tdx: One more try", ((NEW_HOME, one, two),))]
    second = revision(2, [first[0]], cover="demo: helpers", sender=SENDER)
    second[0].set_content(B4_COVER)
    mbox = write_mbox(tmp_path / "s.mbox", revision(1, first, cover="demo: helpers", sender=SENDER) + second)
    rep = report_model(evaluate(EvalRequest((mbox,), jobs=1, cache=None, time_budget=0)))
    cmp = next(c for c in rep.across if c.view == "revision")
    assert rep.left_out(cmp) == ("v2 has no patch titled as v1 02/2: x86/virt/tdx: One more try (v2's cover letter "
                                 "says it was dropped)",), rep.left_out(cmp)
