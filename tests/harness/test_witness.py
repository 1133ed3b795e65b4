"""A rule's pass stands only where the rule fails on the code its cited review read (harness.witness)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.errors import InputError
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.judge import read_rules
from harness.verdict import ReadRole, VerdictStatus
from harness.witness import reviewed_state
from tests.harness.variantgen import MATRIX
from tests.mailgen import (
    HELPER_PATH,
    HELPER_V0,
    HELPER_V1,
    HELPER_V2,
    demo_series,
    diff,
    message,
    patch_body,
    write_mbox,
)
from tests.reportrows import reads

_REVIEW = "rev-1@example.org"


def _series(v2_log: str = "Change number 2.") -> list[EmailMessage]:
    """v1 and v2 of the demo series, a review of v1 2/3 by Rita, and v2 2/3's commit message ``v2_log``."""
    v1, v2 = demo_series(1), demo_series(2)
    v2[2].set_content(patch_body(v2_log, diff(HELPER_PATH, HELPER_V0, HELPER_V1), notes="v2:\n - reworded"))
    review = message("Re: [PATCH 2/3] demo: print fn in decimal", _REVIEW,
                     "> Change number 2.\n\nPlease do not number the changes in the changelog.\n",
                     sender="Rita Reviewer <rita@example.org>", parent="p2-v1@example.org",
                     refs=("cover-v1@example.org", "p2-v1@example.org"))
    return [*v1, review, *v2]


def _rules(tmp: Path, pattern: str, more: str = "") -> Path:
    rules = tmp / "rules.toml"
    rules.write_text(f'[[rule]]\nid = "no-numbers"\nreviewer = "Rita Reviewer"\nmsgid = "{_REVIEW}"\n'
                     'quote = "do not number"\nsummary = "s"\npatch = "print fn in decimal"\n'
                     f'{more}[rule.check]\nkind = "changelog"\nmust_not_match = "{pattern}"\n')
    return rules


def _gate(tmp: Path, pattern: str, v2_log: str = "Change number 2.", variant: str = "v2") -> GateResult:
    (tmp / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp / "s.mbox", _series(v2_log))
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=_rules(tmp, pattern), matrix=tmp / "m.toml"))


def test_the_reviewed_state_is_the_one_right_after_the_patch_the_reply_answers(tmp_path: Path) -> None:
    from harness.ingest import IngestRequest, parse_series

    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", _series()),)))
    assert reviewed_state(series, _REVIEW) == ("v1:02", "v1 02/3")
    assert reviewed_state(series, "p2-v1@example.org") == "<p2-v1@example.org> is a patch, not a review of one"
    assert reviewed_state(series, "gone@example.org") == "<gone@example.org> is not in the input"


@pytest.mark.parametrize("pattern", ["(?!)", "(?i)nothing anyone wrote"])
def test_a_rule_that_cannot_fail_on_the_reviewed_code_never_passes(tmp_path: Path, pattern: str) -> None:
    # Before: PASS (a pattern that matches no commit message passed every variant, found by fuzzing).
    g = _gate(tmp_path, pattern)
    [v] = g.verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, v
    assert f"rule no-numbers ({tmp_path / 'rules.toml'}:1) passes here, but it passes on v1:02, the commit " \
           f"message <{_REVIEW}> reviewed (v1 02/3), as well" in v.note, v.note
    assert g.exit_status == 1 and "1 error rule inconclusive" in g.headline()


def test_a_rule_that_fails_on_the_reviewed_code_passes_and_says_where(tmp_path: Path) -> None:
    g = _gate(tmp_path, "(?i)change number", v2_log="Print the function number in decimal.")
    [v] = g.verdicts
    assert v.status is VerdictStatus.PASS, v
    reviewed = [r for r in v.read if r.role is ReadRole.REVIEWED]
    assert [(r.state, r.how) for r in reviewed] == [("v1:02", f"the commit message <{_REVIEW}> reviewed (v1 02/3)")]
    assert reviewed[0].describe().startswith("fails on v1:02 (")
    # The commit message read, and where it is in the input.
    [judged] = [r for r in v.read if r.role is ReadRole.JUDGED]
    assert judged.state == "v2" and judged.where == f"{tmp_path / 's.mbox'}:{judged.where.rsplit(':', 1)[1]}"
    assert "v2 02/3" in judged.what


def test_the_rule_failing_on_the_reviewed_code_is_judged_anew_on_it(tmp_path: Path) -> None:
    # The reviewed state itself: the rule fails there, a failure (nothing to witness).
    g = _gate(tmp_path, "(?i)change number", variant="v1:02")
    [v] = g.verdicts
    assert v.status is VerdictStatus.FAIL and v.read and v.read[0].state == "v1:02"


def test_a_changelog_guard_is_refused_at_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_rules(_rules(tmp_path, "x", "guard = true\n"))
    assert str(err.value.where).endswith("rules.toml:8")
    assert "guard = true: a changelog rule is shown able to fail only on the commit message" in err.value.message


def test_a_guard_without_the_review_it_keeps_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nid = "g"\nreviewer = "r"\nsummary = "s"\nguard = true\n[rule.check]\n'
                     'kind = "moves"\n')
    with pytest.raises(InputError) as err:
        read_rules(rules)
    assert str(err.value.where).endswith("rules.toml:5") and "needs the 'msgid'" in err.value.message



def _seam_series() -> list[EmailMessage]:
    """v1 of the demo series with its helper issuing a SEAMCALL (3 tries; 3/3 makes it 5), and Rita's review of 2/3."""
    seam = [t.replace("ret = demo_call(fn);", "ret = __seamcall(fn, &args);").replace(
        "\tu64 ret;\n", "\tstruct tdx_module_args args = {};\n\tu64 ret;\n") for t in (HELPER_V0, HELPER_V1, HELPER_V2)]
    msgs = demo_series(1)
    for n, (old, new) in enumerate(((None, seam[0]), (seam[0], seam[1]), (seam[1], seam[2])), start=1):
        msgs[n].set_content(patch_body(f"Change number {n}.", diff(HELPER_PATH, old, new)))
    return [*msgs, _series()[4]]


def _guard_gate(tmp: Path, script: str, calls: int) -> GateResult:
    """A guard citing the review of v1 2/3 (reviewed state v1:02, 3 tries), judged on v1 (3/3 tries five times)."""
    (tmp / "m.toml").write_text(MATRIX)
    rules = tmp / "rules.toml"
    rules.write_text(f'[[rule]]\nid = "keep-tries"\nreviewer = "Rita Reviewer"\nmsgid = "{_REVIEW}"\n'
                     'quote = "do not number"\nsummary = "s"\nguard = true\n[rule.check]\nkind = "behaviour"\n'
                     f'scenarios = {{ entry = "demo_retry", script = "{script}" }}\nexpect = {{ calls = {calls} }}\n')
    mbox = write_mbox(tmp / "s.mbox", _seam_series())
    return evaluate_gate(GateRequest((mbox,), "v1", jobs=1, rules=rules, matrix=tmp / "m.toml"))


def test_a_guard_is_judged_on_the_code_it_keeps(tmp_path: Path) -> None:
    # Before: PASS, '= kept as it was (not an objection addressed) on v1:02', v1:02 never judged (it tries 3 times).
    g = _guard_gate(tmp_path, "busy-x5", 5)
    [v] = g.verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, v
    assert v.note.startswith(f"rule keep-tries ({tmp_path / 'rules.toml'}:1) passes here, but it fails on v1:02 ("), \
        v.note
    assert f"the code <{_REVIEW}> reviewed (v1 02/3): guard = true ({tmp_path / 'rules.toml'}:7) says" in v.note
    assert g.exit_status == 1


def test_a_guard_that_holds_on_the_code_it_keeps_passes_and_says_so(tmp_path: Path) -> None:
    g = _guard_gate(tmp_path, "ok", 1)
    [v] = g.verdicts
    assert v.status is VerdictStatus.PASS, v
    [kept] = [r for r in v.read if r.role is ReadRole.REVIEWED]
    assert kept.describe().startswith(f"passes (kept as it was, not an objection addressed) on v1:02, the code "
                                      f"<{_REVIEW}> reviewed (v1 02/3); guard = true at "), kept
    assert g.exit_status == 0


def test_evals_json_says_what_each_verdict_read_as_the_gates_does(tmp_path: Path) -> None:
    # Before: eval's rules[] had only "verdicts" (variant -> pass/...); what a verdict rested on was in the gate's JSON.
    import json

    import jsonschema
    from typer.testing import CliRunner

    from harness.cli import app

    (tmp_path / "m.toml").write_text(MATRIX)
    rules = _rules(tmp_path, "(?i)change number")
    mbox = write_mbox(tmp_path / "s.mbox", _series("Print the function number in decimal."))
    out = tmp_path / "r.json"
    res = CliRunner().invoke(app, ["eval", str(mbox), "--rules", str(rules), "--matrix", str(tmp_path / "m.toml"),
                                   "--json", str(out), "--jobs", "1"])
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(out.read_text())
    jsonschema.validate(doc, json.loads((Path(__file__).resolve().parents[2] / "reports" / "eval.schema.json")
                                        .read_text()))
    [row] = doc["rules"]
    assert row["verdicts"]["v2"] == "pass" and row["verdicts"]["v1:02"] == "fail"
    read = reads(doc, row)
    roles = {x["role"]: x for x in read["v2"]}
    assert "v2 02/3" in roles["judged"]["what"] and roles["judged"]["state"] == "v2"
    assert (roles["reviewed"]["what"], roles["reviewed"]["state"]) == ("fails", "v1:02")
    assert [x["role"] for x in read["v1:02"]] == ["judged"]
    assert set(row["read"]) <= set(row["verdicts"])


def test_a_cited_reply_whose_patch_the_input_lacks_is_read_and_said_to_answer_it(tmp_path: Path) -> None:
    # v2 and Rita's review of v1 2/3, without v1: the reply is in the input, placed below no patch. Before: 'the cited
    # message <rev-1@example.org> is not in the input: no sentence to show' and '... not shown to fail on the code its
    # cited message reviewed: <rev-1@example.org> is not in the input', both false; a wrong reviewer passed unchecked.
    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", _series("Print the function number in decimal.")[4:])
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=_rules(tmp_path, "(?i)change number"),
                                  matrix=tmp_path / "m.toml"))
    [v] = g.verdicts
    assert g.quotes["no-numbers"] == "Please do not number the changes in the changelog."
    assert "no-numbers" not in g.citations
    assert v.note.endswith(f"not shown to fail on the code its cited message reviewed: <{_REVIEW}> answers "
                           "<p2-v1@example.org>, which is not in the input"), v.note
    wrong = _rules(tmp_path, "(?i)change number").read_text().replace('"Rita Reviewer"', '"Ann Author"')
    (tmp_path / "rules.toml").write_text(wrong)
    with pytest.raises(InputError, match=r"reviewer 'Ann Author', but <rev-1@example\.org> is from Rita Reviewer"):
        evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", matrix=tmp_path / "m.toml"))


def test_a_reviewed_state_eval_did_not_evaluate_is_said_as_such_not_as_a_vacuous_rule(tmp_path: Path) -> None:
    # Before: 'reference v1:02 was not evaluated (...): a check that does not fail on the code the reviewer objected
    # to cannot show the objection was addressed (a pattern that matches nothing, a name in no code?); make it fail
    # there, or mark the rule guard = true ...': v1:02 is no reference, and the rule, failing there, was not at fault.
    from typer.testing import CliRunner

    from harness.cli import app

    (tmp_path / "m.toml").write_text(MATRIX)
    rules = _rules(tmp_path, "(?i)change number")
    mbox = write_mbox(tmp_path / "s.mbox", _series("Print the function number in decimal."))
    res = CliRunner().invoke(app, ["eval", str(mbox), "--variant", "v2", "--rules", str(rules), "--matrix",
                                   str(tmp_path / "m.toml"), "--jobs", "1"], env={"COLUMNS": "400"})
    text = " ".join(res.output.split())
    assert f"rule no-numbers ({rules}:1) passes here, but whether it fails on the commit message <{_REVIEW}> " \
           "reviewed (v1 02/3), as a pass needs, is not known: v1:02 was not evaluated (add it with --variant, or " \
           "run gate, which evaluates what rules refer to)" in text, text
    assert "make it fail there" not in text and "reference v1:02" not in text


def test_the_reviewed_state_judged_already_is_not_judged_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    # Before: eval judged the rule on v1:02 for its row, then again for v2's witness (each check of the corpus's
    # reviewed state twice); the verdicts are those of one check.
    from collections import Counter
    from typing import Any

    from harness import checks
    from harness.pipeline import EvalRequest, evaluate

    asked: Counter[tuple[str, str]] = Counter()
    real = checks._run_check

    def counted(rule: Any, v: Any, ctx: Any) -> Any:
        asked[(rule.id, v.name)] += 1
        return real(rule, v, ctx)

    monkeypatch.setattr(checks, "_run_check", counted)
    (tmp_path / "m.toml").write_text(MATRIX)
    mbox = write_mbox(tmp_path / "s.mbox", _series("Print the function number in decimal."))
    ev = evaluate(EvalRequest((mbox,), jobs=1, rules=_rules(tmp_path, "(?i)change number"), matrix=tmp_path / "m.toml"))
    assert ev.judgement is not None
    [row] = ev.judgement.rows
    assert row.verdicts["v2"].status is VerdictStatus.PASS and row.verdicts["v1:02"].status is VerdictStatus.FAIL
    assert asked[("no-numbers", "v1:02")] == 1 and max(asked.values()) == 1, asked


def test_a_moves_rule_s_reviewed_state_comes_with_the_states_before_it(tmp_path: Path) -> None:
    # h651 B2: judged on the state its review read (v1:02), a moves rule compares each patch there with the state
    # before it; the gate evaluated v1:02 alone and said "the states around it (v1:01, v1:02) were not evaluated
    # (add them with --variant, or run gate)" of itself. A changelog rule reads the reviewed state alone.
    from harness.ingest import IngestRequest, parse_series
    from harness.witness import reviewed_names

    series = parse_series(IngestRequest((write_mbox(tmp_path / "s.mbox", _series()),)))
    moves = tmp_path / "moves.toml"
    moves.write_text(f'[[rule]]\nid = "m"\nreviewer = "Rita Reviewer"\nmsgid = "{_REVIEW}"\nsummary = "s"\n'
                     'guard = true\n[rule.check]\nkind = "moves"\n')
    assert reviewed_names(series, read_rules(moves)) == {"v1:00", "v1:01", "v1:02"}
    assert reviewed_names(series, read_rules(_rules(tmp_path, "x"))) == {"v1:02"}
