"""The HTML report: self-contained, escapes hostile text, and works in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.console import Console

from harness.pipeline import EvalRequest, Evaluation, evaluate
from harness.report import report_model
from reports.html_report import render_html as _render
from reports.terminal import eval_summary
from tests.harness.variantgen import MATRIX
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, patch_body, write_mbox

if TYPE_CHECKING:
    from playwright.sync_api import Browser

HOSTILE = '<script>alert("x")</script> & "quoted" \x1b[31m'


def render_html(ev: Evaluation) -> str:
    return _render(report_model(ev))


def test_self_contained(corpus_eval: Evaluation) -> None:
    html = render_html(corpus_eval)
    assert "<script src" not in html and "<link" not in html and "@import" not in html
    assert "https://lore.kernel.org/r/20260123145645.90444-7-chao.gao@intel.com" in html
    assert "0912e03fabfe" in html and "256f71d6ca70" in html
    # Log lines that differ from the first group that ran are marked, e.g. gao-answer's hex leaf vs v3's.
    assert '<span class="changed">[err] seamldr: SEAMCALL (0x8000000000000001) failed' in html


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    body = patch_body("Log.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    msgs = [message(f"[PATCH 1/1] {HOSTILE}", "h@x", body, sender=f'"{HOSTILE}" <evil@example.org>')]
    write_mbox(tmp_path / "h.mbox", msgs)
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_err"'))
    ev = evaluate(EvalRequest((tmp_path / "h.mbox",), matrix=tmp_path / "m.toml"))
    html = render_html(ev)
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


def _differing_rows(ev: Evaluation) -> int:
    """Scenarios where the variants in which the entry point ran do not all behave the same."""
    rep = report_model(ev)
    count = 0
    for n, sc in enumerate(rep.scenarios):
        index = {name: i for i, g in enumerate(rep.groups[sc.id]) for name in g}
        seen = {index[v.variant.name] for j, v in enumerate(rep.variants) if rep.cell(j, n).outcome.ran}
        count += len(seen) > 1
    return count


def test_in_chromium(corpus_eval: Evaluation, tmp_path: Path, browser: Browser) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(corpus_eval))
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.as_uri())
        rows = page.locator("table.matrix tbody tr")
        differing = _differing_rows(corpus_eval)
        assert page.locator("#shown").inner_text() == f"{differing} of {rows.count()} scenarios shown"
        page.click("#pick-none")
        assert page.locator("table.matrix tbody tr:visible").count() == 0
        names = page.locator("input.pick").evaluate_all("els => els.map(e => e.parentElement.textContent.trim())")
        for name in ("v3:05", "v3:06"):
            page.locator("input.pick").nth(names.index(name)).check()
        assert page.locator("#shown").inner_text() == f"90 of {rows.count()} scenarios shown"
        page.uncheck("#only-diff")
        assert page.locator("table.matrix tbody tr:visible").count() == rows.count()
        link = page.locator("table.matrix tbody tr:visible a").first
        target = link.get_attribute("href")
        link.click()
        opened = page.locator(f"details{target}")
        assert opened.evaluate("d => d.open") and opened.locator(".group").first.is_visible()
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        assert problems == []
        assert [u for u in requests if not u.startswith("file://")] == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def v3_alone(corpus: Path) -> str:
    """The page of the corpus evaluated with v3 alone, once for the tests that read it."""
    return render_html(evaluate(EvalRequest((corpus,), variants=("v3",))))


def test_one_variant_claims_nothing_compared_and_shows_what_it_does(v3_alone: str) -> None:
    page = v3_alone
    assert "behave the same" not in page and "One variant: nothing is compared" in page
    assert "<li>seamcall: 1 SEAMCALL (TDX module), returns 0x0" in page
    assert 'id="only-diff" checked' not in page  # its matrix shows every scenario


def test_no_patch_compared_is_no_claim_that_none_changes_behaviour(v3_alone: str) -> None:
    # With v3 alone no patch of v3 is compared: the page said "No patch of v3 changes behaviour in what ran" (and
    # "1 variants"); the terminal says neither.
    page = v3_alone
    assert "changes behaviour in what ran" not in page
    assert "1 variant &times; 490 scenarios" in page


def test_a_code_move_that_changes_behaviour_is_not_followed_by_no_patch_does(corpus: Path) -> None:
    # v3 03/26 alone compared: its alarm says the move changes behaviour; "No patch of v3 changes behaviour" below it
    # contradicted it.
    page = render_html(evaluate(EvalRequest((corpus,), variants=("v3:02", "v3:03"))))
    assert "a code move that changes behaviour" in page
    assert "No patch of v3 changes" not in page and "No other patch of v3 changes behaviour in what ran." in page


def test_a_proposal_without_its_start_says_it_was_not_compared(corpus: Path) -> None:
    # yilun-either-code is compared with v3:02: evaluated without it, page and terminal said nothing of what it
    # changes (an empty "Revisions and reviewer proposals"), which reads as no change.
    rep = report_model(evaluate(EvalRequest((corpus,), variants=("v3:06", "yilun-either-code"))))
    line = ("yilun-either-code is compared with v3:02, which was not evaluated: nothing here says what it changes "
            "(add --variant v3:02, or --against NAME)")
    assert rep.uncompared == (line,)
    assert line in _render(rep)
    console = Console(width=400, record=True)
    console.print(eval_summary(rep))
    assert line in console.export_text()
    with_start = report_model(evaluate(EvalRequest((corpus,), variants=("v3:02", "yilun-either-code"))))
    assert with_start.uncompared == () and [c.view for c in with_start.across] == ["proposal"]


def test_a_revision_judged_only_in_its_states_has_their_verdicts(corpus: Path) -> None:
    rep = report_model(evaluate(EvalRequest((corpus,), variants=("v3:05", "v3:06"), against="v3:05")))
    assert rep.summaries[0].headline.startswith("v3:06: NOT READY")  # its rules ran on v3:06, not "none"


def test_bidi_controls_and_invisible_spaces_are_shown_not_obeyed(tmp_path: Path) -> None:
    # An RLO in a subject made the page (and the terminal) show "gnp.exe" as "exe.png" and reverse the text after
    # it; the page shows each such character as the terminal does, \uNNNN.
    from typer.testing import CliRunner

    from harness.cli import app

    evil = "demo: \u202egnp.exe\u202c \u2066x\u2069 a\u200bb"
    body = patch_body("Log.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    write_mbox(tmp_path / "h.mbox", [message(f"[PATCH 1/1] {evil}", "h@x", body, sender=f'"{evil}" <e@x.org>')])
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_err"'))
    html = render_html(evaluate(EvalRequest((tmp_path / "h.mbox",), matrix=tmp_path / "m.toml")))
    shown = "demo: \\u202egnp.exe\\u202c \\u2066x\\u2069 a\\u200bb"
    assert shown in html and not any(c in html for c in "\u202e\u202c\u2066\u2069\u200b")
    r = CliRunner().invoke(app, ["eval", str(tmp_path / "h.mbox"), "--matrix", str(tmp_path / "m.toml")],
                           env={"COLUMNS": "200"})
    assert r.exit_code == 0 and shown in r.stdout and "\u202e" not in r.stdout, r.stdout


def test_more_than_26_behaviours_in_a_row_get_distinct_letters(tmp_path: Path) -> None:
    # Group 26 was 'A' again, beside group 0: "equal letters in a row mean equal behaviour" said otherwise.
    from harness.reportview import group_letter

    assert [group_letter(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
    code = HELPER_V0.replace("static inline u64 demo_retry", "static inline u64 demo_call(u64 fn) { return 0; }\n"
                                                            "static inline u64 demo_retry")
    msgs = [message(f"[PATCH v{v}] demo: add helper", f"p{v}@x",  # 29 revisions, each returning its own value
                    patch_body("Add.", diff(HELPER_PATH, None, code.replace("\treturn ret;", f"\treturn ret + {v};"))))
            for v in range(2, 31)]
    write_mbox(tmp_path / "s.mbox", msgs)
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
                                     'name = "demo_retry"\nargs = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    ev = evaluate(EvalRequest((tmp_path / "s.mbox",), matrix=tmp_path / "m.toml",
                              variants=tuple(f"v{v}" for v in range(2, 31))))
    rep = report_model(ev)
    (detail,) = rep.details
    letters = [g.letter for g in detail.groups]
    assert len(letters) == 29 and len(set(letters)) == 29 and letters[26:] == ["AA", "AB", "AC"]
    page = render_html(ev)
    assert '"letters":["A","B",' in page and '"AC"]' in page


def test_a_subject_of_one_long_word_does_not_widen_the_page(tmp_path: Path, browser: Browser) -> None:
    # A 3,000-character subject stretched the title and every heading that quotes it past the window.
    body = patch_body("Log.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    write_mbox(tmp_path / "h.mbox", [message(f"[PATCH 1/1] demo: {'L' * 3000}", "h@x", body)])
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_err"'))
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(evaluate(EvalRequest((tmp_path / "h.mbox",), matrix=tmp_path / "m.toml"))))
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    finally:
        context.close()


def test_a_rule_cells_hover_text_says_what_it_read(tmp_path: Path) -> None:
    # Before: the cell's title was "v2: pass" alone: what a changelog rule read, and that it fails on the code its
    # review read, were in no report.
    import html as htmlmod

    from tests.harness.test_witness import _rules, _series

    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", _series("Print the function number in decimal."))
    ev = evaluate(EvalRequest((mbox,), rules=_rules(tmp_path, "(?i)change number"), matrix=tmp_path / "m.toml"))
    page = htmlmod.unescape(render_html(ev))
    title = next(t for t in page.split('title="')[1:] if t.startswith("v2: pass"))
    assert "read the commit message of v2 02/3 (trailers aside) in v2 (" in title.split('">')[0]
    assert "fails on v1:02" in title.split('">')[0], title[:400]


def test_a_fragment_of_source_says_its_last_line_too(corpus_eval: Evaluation) -> None:
    # 'lines 32–' and nothing after the dash: where the fragment ends was for the reader to count.
    from reports.html_sources import shown_sources

    rep = report_model(corpus_eval)
    html = _render(rep)
    pieces = [(start, text) for files in shown_sources(rep) for s in files if not s.file.complete and not s.same_as
              and not s.changed_from for start, text in s.file.pieces]
    assert pieces
    for start, text in pieces:
        end = start + text.count("\n")
        said = f"line {start}</p>" if end == start else f"lines {start}&ndash;{end}</p>"
        assert f'<p class="small meta">{said}' in html, said
    assert "&ndash;</p>" not in html


def test_a_counter_proposal_compared_twice_is_one_proposal_with_one_anchor(tmp_path: Path) -> None:
    # r2's diff on top of r1's diff is compared with its start (v2:02) and with r1's variant: two comparisons of one
    # variant. The verdicts' 'Reviewer proposals' listed it twice, and both sections had the same id.
    import re

    from tests.mailgen import HELPER_V2, demo_series, write_eml

    folder = tmp_path / "in"
    folder.mkdir()
    five = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    seven = diff(HELPER_PATH, HELPER_V2, HELPER_V2.replace("tries = 5;", "tries = 7;"))
    refs = ("cover-v2@example.org", "p2-v2@example.org")
    replies = [message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@x", f"How about:\n\n{five}\n",
                       sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org", refs=refs),
               message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r2@x", f"Then also:\n\n{seven}\n",
                       sender="Sam Second <sam@example.org>", parent="r1@x", refs=(*refs, "r1@x"))]
    for i, m in enumerate([*demo_series(), *replies]):
        write_eml(folder / f"{i}.eml", m)
    (tmp_path / "m.toml").write_text(MATRIX)
    page = render_html(evaluate(EvalRequest((folder,), matrix=tmp_path / "m.toml")))
    ids = re.findall(r'id="(proposal-[^"]+)"', page)
    assert len(ids) == len(set(ids)) and "proposal-v2:02+sam-second" in ids, ids
    listed = re.search(r"Reviewer proposals:</strong>(.*?)</p>", page, re.S)
    assert listed is not None
    names = re.findall(r'href="#proposal-([^"]+)"', listed.group(1))
    assert sorted(names) == ["v2:02+rita-reviewer", "v2:02+sam-second"], names


def test_one_scenario_and_one_run_are_said_in_the_singular(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The page said "(1 scenarios, of 6)" over a change seen in one scenario, and "1 runs", where the terminal says
    # "1 scenario" (harness.comparison.Facts.differing).
    from tests.harness.variantgen import HELPER, RETRY_C

    # The matrix's own count alone (harness.retrycounts would run the busy script at the bounds 3 and 4 too).
    monkeypatch.setattr("harness.retrycounts.with_bounds", lambda matrix, variants, cache: matrix)

    code = [RETRY_C.replace("TRIES", str(n)).replace("FMT", "%llu") for n in (3, 4)]
    write_mbox(tmp_path / "s.mbox", [
        message("[PATCH 1/2] demo: add the helper", "one-1@x", patch_body("Add.", diff(HELPER, None, code[0]))),
        message("[PATCH 2/2] demo: one more try", "one-2@x", patch_body("More.", diff(HELPER, code[0], code[1])),
                parent="one-1@x")])
    # One leaf; BUSY three times then OK: three tries give up, four do not. The run that differs is that one.
    (tmp_path / "m.toml").write_text(MATRIX.replace("BIG = 0x8000000000000002\n", "")
                                     .replace("repeat_first = [1, 5]", "repeat_first = [3]"))
    html = render_html(evaluate(EvalRequest((tmp_path / "s.mbox",), matrix=tmp_path / "m.toml", jobs=1)))
    # Of the entry point's own 3 that ran on both sides (was 'of 6 in this comparison', both entry points' scenarios).
    assert "(1 scenario differs, of the 3 that ran on both sides)" in html and "1 scenarios" not in html
    one = tmp_path / "one.mbox"  # one variant with the code, one entry point, one leaf, one script: 1 run
    retry = code[0].split("static inline int demo_prerr")[0]
    write_mbox(one, [message("[PATCH] demo: add the helper", "one@x", patch_body("Add.", diff(HELPER, None, retry)))])
    (tmp_path / "one.toml").write_text(MATRIX.replace("BIG = 0x8000000000000002\n", "").split("[[script]]")[0]
                                       .replace('[[entry]]\nname = "demo_prerr"\n', "")
                                       + '[[script]]\nname = "ok"\nanswers = ["OK"]\n')
    html = render_html(evaluate(EvalRequest((one,), matrix=tmp_path / "one.toml", jobs=1, cache=None)))
    assert "&middot; 1 run;" in html, html[html.find("&middot; 1 "):][:80]


def test_one_fact_left_out_is_said_in_the_singular() -> None:
    # The facts macro said "and 1 more facts"; rendered here from the page template's own text.
    from types import SimpleNamespace

    from harness.comparison import Facts
    from reports.pagecode import TEMPLATE, page_environment

    env = page_environment(None)
    assert env.loader is not None
    source = env.loader.get_source(env, TEMPLATE)[0]
    macro = source[source.index("{% macro facts(c) %}"):]
    macro = macro[:macro.index("{% endmacro %}") + len("{% endmacro %}")]

    def page(more: int) -> str:
        fact = Facts(("seamcall",), 2, (), more)
        comp = SimpleNamespace(changed=True, total=6, gaps=[], facts=lambda: [fact], uncovered=list, assumptions=list,
                               code_said=list)
        return env.from_string(macro + "{{ facts(c) }}").render(c=comp, gaps=lambda c: "")

    assert "and 1 more fact (see" in page(1) and "and 2 more facts (see" in page(2)


def test_the_page_in_pieces_is_jinja2s_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The file is written a piece at a time (reports.formats); jinja2's own render() of the same values is the page.
    import reports.html_report as page
    from reports.formats import EVAL_FORMATS
    from reports.pagecode import TEMPLATE, page_environment

    body = patch_body("Log.", diff(HELPER_PATH, HELPER_V0, HELPER_V1))
    write_mbox(tmp_path / "h.mbox", [message("[PATCH 1/1] log the error", "h@x", body)])
    (tmp_path / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', 'name = "demo_err"'))
    rep = report_model(evaluate(EvalRequest((tmp_path / "h.mbox",), matrix=tmp_path / "m.toml")))
    whole = page_environment(None).get_template(TEMPLATE).render(**page._page_values(rep))
    assert "".join(page.html_pieces(rep)) == whole == _render(rep)
    monkeypatch.setattr(page, "PIECE", 1000)
    pieces = list(EVAL_FORMATS["html"](rep))
    assert "".join(pieces) == whole
    assert len(pieces) > 5 and all(len(p) >= 1000 for p in pieces[:-1]) and len(pieces[-1]) > 0
