"""An eval narrowed by --variant says when its verdict rests on fewer states than the gate's for the same variant."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from tests.harness.seriesgen import moving_series
from tests.mailgen import write_mbox

# A code move judged on the states around its patch: eval given v4 alone has neither.
RULES = """\
[[rule]]
id = "move-keeps-behaviour"
reviewer = "R"
summary = "A patch that moves helpers keeps what they do"
severity = "error"
[rule.check]
kind = "moves"
"""


def test_a_narrowed_eval_names_the_states_the_gate_judges_with(tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "s.mbox", moving_series(faithful=False))
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    gate = evaluate_gate(GateRequest((mbox,), "v4", jobs=1, rules=rules))
    (said,) = [v for v in gate.verdicts if v.rule.id == "move-keeps-behaviour"]
    assert said.status == "fail", said
    rep = report_model(evaluate(EvalRequest((mbox,), variants=("v4",), rules=rules, jobs=1)))
    v4 = next(s for s in rep.summaries if s.name == "v4")
    # Same input, same variant, another verdict: it said 'NOT READY: 1 error rule inconclusive' as if judged alike.
    assert "move-keeps-behaviour" in v4.inconclusive
    assert v4.headline.endswith("; judged without v4:00..v4:02, which seamharness gate --variant v4 evaluates too: "
                                "a rule that needs one is inconclusive here"), v4.headline
    whole = report_model(evaluate(EvalRequest((mbox,), rules=rules, jobs=1)))
    assert "judged without" not in next(s for s in whole.summaries if s.name == "v4").headline
    assert "move-keeps-behaviour" in next(s for s in whole.summaries if s.name == "v4").failing


def test_a_reviewer_variant_evaluated_alone_says_so_too(tmp_path: Path) -> None:
    # A reply's diff: its verdict line comes from the rules table (no revision summary judges it), and said
    # 'NOT READY: 1 error rule inconclusive' as the gate would, with nothing of what was left out.
    from tests.harness.test_replyvariants import ON_TOP, _thread
    from tests.harness.variantgen import MATRIX

    folder = _thread(tmp_path / "in", [("r1@x", "Rita Reviewer <rita@example.org>", ON_TOP)])
    (tmp_path / "m.toml").write_text(MATRIX)
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    name = "v2:02+rita-reviewer"
    rep = report_model(evaluate(EvalRequest((folder,), variants=(name,), matrix=tmp_path / "m.toml", rules=rules,
                                            jobs=1)))
    said = rep.headline_of(name)
    assert said is not None and said.startswith(f"{name}: ") and said.endswith(
        f"; judged without 5 variants: v2:00..v2:03, v2, which seamharness gate --variant {name} evaluates too: "
        "a rule that needs one is inconclusive here"), said
    # Flat: '(judged without v2:00..v2:03, v2 (5 variants), ...)' held one parenthesis in another.
    depth = 0
    for c in said:
        depth += {"(": 1, ")": -1}.get(c, 0)
        assert depth in (0, 1), said
