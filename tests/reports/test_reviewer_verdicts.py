"""Reviewer variants' verdicts in the eval summary, the page and the JSON (golden files).

Reviewer variants' verdicts in the eval summary, the page and the JSON, and the per-patch section when no patch
was compared: golden files of generated threads (tests/reports/golden/<case>.txt)."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from harness.reportview import EvalReport
from reports.html_report import render_html
from reports.json_report import eval_json
from reports.terminal import eval_summary
from tests.harness.variantgen import HELPER, MATRIX, RETRY_C
from tests.mailgen import diff, message, patch_body, write_eml

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # reply variants
GOLDEN = Path(__file__).parent / "golden"
# An error rule the reviewers' five tries break.
RULES = """\
[[rule]]
id = "at-most-three-tries"
reviewer = "Rita Reviewer"
summary = "the busy code is tried at most three times"
severity = "error"
[rule.check]
kind = "behaviour"
scenarios = { script = "busy-x5" }
expect = { calls_at_most = 3 }
"""


def _helper(tries: int, fmt: str) -> str:
    return RETRY_C.replace("TRIES", str(tries)).replace("FMT", fmt)


def _case(tmp: Path) -> tuple[Path, Path, Path]:
    """A two-patch series (1/2 adds the helper, 2/2 prints the leaf in hex) and two replies to 2/2 that try the busy
    code five times: one on top of 2/2, one in its place."""
    folder = tmp / "in"
    folder.mkdir(parents=True)
    one, two = _helper(3, "%llu"), _helper(3, "0x%llx")
    cover = "cover@example.org"
    mails = [message("[PATCH 0/2] demo: helper", cover, "Two patches.\n"),
             message("[PATCH 1/2] demo: add helper", "p1@example.org", patch_body("Add.", diff(HELPER, None, one)),
                     parent=cover, refs=(cover,)),
             message("[PATCH 2/2] demo: print the leaf in hex", "p2@example.org",
                     patch_body("Hex.", diff(HELPER, one, two)), parent=cover, refs=(cover,))]
    refs = (cover, "p2@example.org")
    replies = [("r1@x", "Rita Reviewer <rita@example.org>", diff(HELPER, two, _helper(5, "0x%llx"))),
               ("r2@x", "Jörg Rödel <joro@example.org>", diff(HELPER, one, _helper(5, "0x%llx")))]
    mails += [message("Re: [PATCH 2/2] demo: print the leaf in hex", m, f"How about:\n\n{text}\n", sender=s,
                      parent=refs[1], refs=refs) for m, s, text in replies]
    for i, m in enumerate(mails):
        write_eml(folder / f"{i}.eml", m)
    (tmp / "m.toml").write_text(MATRIX)
    (tmp / "r.toml").write_text(RULES)
    return folder, tmp / "m.toml", tmp / "r.toml"


def _report(tmp: Path, *variants: str) -> EvalReport:
    folder, matrix, rules = _case(tmp)
    return report_model(evaluate(EvalRequest((folder,), variants=variants, matrix=matrix, rules=rules, jobs=1)))


def _summary(rep: EvalReport, tmp: Path) -> str:
    console = Console(width=100, record=True, color_system=None)
    console.print(eval_summary(rep))
    return "".join(f"{line.rstrip()}\n" for line in console.export_text().replace(str(tmp), "TMP").splitlines())


def _golden(case: str, text: str) -> None:
    path = GOLDEN / f"{case}.txt"
    if os.environ.get("SEAMHARNESS_GOLDEN") == "write":
        path.write_text(text)
    assert text == path.read_text(), f"{path} differs (SEAMHARNESS_GOLDEN=write rewrites it)"


def test_reviewer_verdicts(tmp_path: Path) -> None:
    # The summary showed the revisions' verdicts only: a reviewer variant's was in the page's rules table and the
    # JSON's rules[].verdicts, never in the terminal.
    folder, matrix, rules = _case(tmp_path)
    rep = report_model(evaluate(EvalRequest((folder,), matrix=matrix, rules=rules, jobs=1)))
    names = [r.name for r in rep.reviewers]
    assert names == ["v1:02+rita-reviewer", "v1:02~jorg-rodel"]
    text = _summary(rep, tmp_path)
    _golden("reviewer_verdicts", text)
    data = json.loads(eval_json(rep))
    page = render_html(rep)
    for r in rep.reviewers:
        failing = [row["id"] for row in data["rules"] if row["verdicts"][r.name] == "fail"]
        assert list(r.failing) == failing == ["at-most-three-tries"]
        assert r.headline in text
        assert f'id="verdict-{r.name}">{r.headline}</p>' in page
        gate = evaluate_gate(GateRequest((folder,), r.name, jobs=1, matrix=matrix, rules=rules))
        assert gate.headline() == r.headline  # the gate's verdict, word for word
    assert "<h2>Verdicts, newest revision first, then reviewer variants</h2>" in page
    # Its last line says every verdict again, each as its headline says it (hundreds of lines may stand between).
    recap = " ".join(text.rstrip().split("\n")[-2:])
    assert recap.startswith("in short: ")
    for r in (*rep.summaries, *rep.reviewers):
        word = "NOT READY" if "NOT READY" in r.headline else "READY"
        assert (f"{r.name} {word}" in recap) if r in rep.summaries else (r.name in recap and word in recap)


def test_no_patch_compared(tmp_path: Path) -> None:
    # An empty "What each patch changes" heading when no two states of a revision were evaluated.
    rep = _report(tmp_path, "v1:02", "v1:02+rita-reviewer")
    assert rep.per_patch == ()
    _golden("no_patch_compared", _summary(rep, tmp_path))
    page = render_html(rep)
    alone = render_html(_report(tmp_path / "alone", "v1:02+rita-reviewer"))
    assert "<h2>Verdicts of reviewer variants</h2>" in alone  # not "newest revision first" over none
    section = page[page.index('<h2 id="patches">'):page.index('<h2 id="proposals">')]
    assert re.sub(r"\s+", " ", section) == (
        '<h2 id="patches">What each patch changes</h2> <p class="nochange">No patch was compared: a patch is '
        "compared with the state before it, and no two states of one revision were evaluated (v1:02); add the state "
        "before one with --variant (e.g. --variant v1:01 for v1:02), or leave out --variant to evaluate every "
        "state</p> ")


def test_nothing_compared_across(tmp_path: Path) -> None:
    rep = _report(tmp_path, "v1:01", "v1:02")
    page = render_html(rep)
    section = page[page.index('<h2 id="proposals">'):page.index('<h2 id="findings">')]
    assert "Nothing was compared across revisions or with a reviewer variant" in section
    assert rep.no_patch_compared == "" and rep.per_patch


def test_a_nak_of_a_patch_a_reviewer_variant_applies_is_in_its_verdict_everywhere(tmp_path: Path) -> None:
    # As the gate counts it: a NAK of 2/2 that no rule cites blocks v1:02+rita-reviewer (built on 2/2) too.
    folder, matrix, rules = _case(tmp_path)
    nak = message("Re: [PATCH 2/2] demo: print the leaf in hex", "nak@x", "NAK, the leaf must stay decimal.\n",
                  sender="Nora Nak <nora@example.org>", parent="p2@example.org", refs=("cover@example.org",
                                                                                       "p2@example.org"))
    write_eml(folder / "9.eml", nak)
    rep = report_model(evaluate(EvalRequest((folder,), matrix=matrix, rules=rules, jobs=1)))
    [rita] = [r for r in rep.reviewers if r.name == "v1:02+rita-reviewer"]
    gate = evaluate_gate(GateRequest((folder,), rita.name, jobs=1, matrix=matrix, rules=rules))
    assert gate.headline() == rita.headline and "1 NAK no rule judges" in rita.headline
    assert [o.msgid for o in rita.review.standing] == ["nak@x"] and rita.alarms
    assert [o.msgid for o in gate.objections] == ["nak@x"]
    assert {(o["variant"], o["msgid"]) for o in json.loads(eval_json(rep))["objections"]} >= {(rita.name, "nak@x")}
    said = f"! {rita.alarms[0]}".replace(str(tmp_path), "TMP")
    assert said in " ".join(_summary(rep, tmp_path).split())
    [jorg] = [r for r in rep.reviewers if r.name == "v1:02~jorg-rodel"]
    assert not jorg.review.standing  # in 2/2's place: the NAK is of a patch it does not apply


def test_the_state_before_is_named_as_the_series_names_it_past_a_missing_patch(tmp_path: Path) -> None:
    # 2/3 missing: the state before v1:03 is v1:01 (there is no v1:02 to add, and --variant v1:02 was suggested).
    from tests.mailgen import demo_series, write_mbox

    box = write_mbox(tmp_path / "s.mbox", [m for m in demo_series(version=1, total=3) if "2/3" not in m["Subject"]])
    (tmp_path / "m.toml").write_text(MATRIX)
    rep = report_model(evaluate(EvalRequest((box,), variants=("v1:03",), matrix=tmp_path / "m.toml", jobs=1)))
    assert "(e.g. --variant v1:01 for v1:03)" in rep.no_patch_compared, rep.no_patch_compared
