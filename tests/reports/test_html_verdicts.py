"""The page's rules table: each cell's hover says why, a failure included, and the table reads as words."""

from __future__ import annotations

import html as htmlmod
import re

from markupsafe import escape

from harness.pipeline import Evaluation
from harness.report import report_model
from harness.verdict import Evidence, Verdict, VerdictStatus
from reports.html_report import render_html, verdict_title


def _cells(page: str, rule: str) -> dict[str, tuple[str, str]]:
    i = page.index(f'id="rule-{rule}"')
    row = page[i:page.index("</tr>", i)]
    return {htmlmod.unescape(t).split(":")[0]: (shown, htmlmod.unescape(t))
            for t, shown in re.findall(r'<td class="v [^"]*" title="([^"]*)">([^<]*)</td>', row)}


def test_a_failing_cell_says_why(corpus_eval: Evaluation) -> None:
    # It said 'v3: fail' and nothing more: the page gave no reason for any failure (the gate does).
    page = render_html(report_model(corpus_eval))
    shown, title = _cells(page, "leaf-base-consistent")["v3"]
    assert shown == "fail" and title.startswith("v3: fail: seamcall_prerr/"), title
    assert "expected the same base for every component; got TDX module decimal" in title, title
    # The rule's name and its severity are two words, not one ('leaf-base-consistent(error; Dave Hansen)').
    assert re.search(r'>leaf-base-consistent</a> <span class="small meta">\(error; ', page)


def test_the_rest_of_a_failures_evidence_is_counted(corpus_eval: Evaluation) -> None:
    from dataclasses import replace

    assert corpus_eval.judgement is not None
    rule = corpus_eval.judgement.rows[0].verdicts["v3"].rule
    v = Verdict(rule, "v3", VerdictStatus.FAIL, (Evidence("a", "b", None, "x.c:1"), Evidence("c", "d")), more=2)
    assert verdict_title("v3", v) == ("v3: fail: x.c:1: expected a; got b (and 3 more failures: seamharness gate "
                                      "--variant v3 lists them)")
    assert verdict_title("v3", replace(v, evidence=v.evidence[:1], more=0, note="n")) == \
        "v3: fail: n; x.c:1: expected a; got b"
    assert verdict_title("v3", None) == "v3: n/a"
    assert verdict_title("v3", replace(v, status=VerdictStatus.PASS, evidence=())) == "v3: pass"


def test_an_inconclusive_rule_says_why_as_the_terminal_does(corpus_eval: Evaluation) -> None:
    # The terminal said 'inconclusive leaf-base-consistent: P-SEAMLDR prints the leaf as digits ...' under v2's
    # verdict; the page listed the rule's name alone (the reason only in a rules-table cell's hover).
    rep = report_model(corpus_eval)
    page = render_html(rep)
    summary = page[page.index('id="summary"'):page.index("</section>", page.index('id="summary"'))]
    whys = [why for r in (*rep.summaries, *rep.reviewers) for why in r.why_inconclusive]
    assert whys
    for why in whys:
        assert f'<span class="inconclusive">inconclusive</span> {escape(why)}</p>' in summary, why
