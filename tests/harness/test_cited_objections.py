"""A rule citing a message judges the objection in the sentence it quotes, not all of them.

A rule citing a reviewer's message judges the objection in the sentence it quotes, not every one the message holds:
a NAK in another sentence of a message cited for one point stands and blocks the gate."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.citing import cited_by, judged
from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.test_gate_drops import _thread

POINT = "Please retry TDX calls on lack of entropy.\n\n"


def _cited(tmp: Path, body: str, quote: str | None) -> tuple[Path, Path]:
    mbox, rules = _thread(tmp, body, cited=True)
    if quote is not None:
        text = rules.read_text()
        assert 'msgid = "drop-1@example.org"\n' in text
        rules.write_text(text.replace('msgid = "drop-1@example.org"\n',
                                      f'msgid = "drop-1@example.org"\nquote = "{quote}"\n'))
    return mbox, rules


@pytest.mark.parametrize(("body", "kind", "sentence"), [
    (POINT + "Separately: NAK, the leaf check is wrong.\n", ObjectionKind.NAK, "NAK, the leaf check is wrong."),
    (POINT + "Please drop this patch anyway.\n", ObjectionKind.DROP, "Please drop this patch anyway."),
])
def test_an_objection_beside_the_quoted_point_stands(tmp_path: Path, body: str, kind: ObjectionKind,
                                                     sentence: str) -> None:
    # Before: the whole message was taken as judged by the rule: 'v2: READY', exit 0.
    mbox, rules = _cited(tmp_path, body, "retry TDX calls")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    assert [(o.kind, o.sentence) for o in g.objections] == [(kind, sentence)] and g.exit_status == 1
    assert g.quotes == {"tdx-calls-retry": "Please retry TDX calls on lack of entropy."}
    r = CliRunner().invoke(app, ["eval", str(mbox), "--rules", str(rules)])  # eval's headline is the gate's
    assert g.headline() in " ".join(r.stdout.split()), r.stdout


@pytest.mark.parametrize(("body", "quote"), [
    ("Please drop this patch, it should retry.\n", "drop this patch"),  # the objection is the point quoted
    (POINT + "Separately: NAK, the leaf check is wrong.\n", None),  # no quote: the message as a whole
])
def test_the_objection_a_rule_quotes_or_cites_whole_is_judged_by_it(tmp_path: Path, body: str,
                                                                    quote: str | None) -> None:
    mbox, rules = _cited(tmp_path, body, quote)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    assert not g.objections, g.objections
    # What blocks is the rule: it passes on v2:02, the code the message was given on, too, so it cannot show the
    # objection addressed (harness.witness; exit 0 before).
    assert g.headline().startswith("v2: NOT READY: 1 error rule inconclusive,"), g.headline()


def test_cited_by_and_judged() -> None:
    cited, quoted = cited_by([("a", "drop", "Please drop this patch."), ("b", "", None), ("b", "x", "X y."),
                              ("c", "gone", None), (None, "", None)])
    # c's quote found no sentence (a slip): it judges none of c's objections, never the whole message (9bec5ba).
    assert cited == {"a", "b", "c"} and quoted == {"a": ("drop", "Please drop this patch."), "c": ()}
    assert not judged("c", "NAK.", quoted)
    assert judged("a", "Please  drop this PATCH.", quoted) and not judged("a", "NAK", quoted)
    assert not judged("a", "NAK", {"a": ("The snake is long.",)})  # as words only
