"""A NAK that stands though a rule cites its message (for another sentence) says which rule and how to judge it."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, GateResult, evaluate_gate
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, message, write_mbox

_NAK = "nak-1@example.org"


def _gate(tmp: Path, quote: str) -> GateResult:
    """v1 of the demo series, Rita's 'NAK.' then her point below 2/3, one changelog rule citing it with ``quote``."""
    nak = message("Re: [PATCH 2/3] demo: print fn in decimal", _NAK,
                  "> Change number 2.\n\nNAK.  Please do not number the changes in the changelog.\n",
                  sender="Rita Reviewer <rita@example.org>", parent="p2-v1@example.org",
                  refs=("cover-v1@example.org", "p2-v1@example.org"))
    (tmp / "m.toml").write_text(MATRIX)
    rules = tmp / "rules.toml"
    rules.write_text(f'[[rule]]\nid = "no-numbers"\nreviewer = "Rita Reviewer"\nmsgid = "{_NAK}"\n{quote}'
                     'summary = "s"\npatch = "print fn in decimal"\n[rule.check]\nkind = "changelog"\n'
                     'must_not_match = "(?i)change number"\n')
    mbox = write_mbox(tmp / "s.mbox", [*demo_series(1), nak])
    return evaluate_gate(GateRequest((mbox,), "v1", jobs=1, rules=rules, matrix=tmp / "m.toml"))


def test_a_nak_a_rule_cites_for_another_sentence_says_which_rule_and_what_judges_it(tmp_path: Path) -> None:
    # Before: '- NAK of v1 02/3 by Rita Reviewer <nak-1@example.org> (...): "NAK."' and nothing more: the rule author
    # had cited that very message and was not told why it did not count, nor what would.
    g = _gate(tmp_path, 'quote = "do not number"\n')
    [o] = g.objections
    assert o.note == (f"rule no-numbers ({tmp_path / 'rules.toml'}:1) cites <{_NAK}> for another sentence "
                      '(quote = "do not number") and judges that point, not this one: a rule whose quote finds this '
                      "sentence, or one citing the message with no quote, judges it"), o.note
    assert "1 NAK no rule judges" in g.headline()


def test_a_rule_citing_the_message_with_no_quote_judges_the_nak(tmp_path: Path) -> None:
    g = _gate(tmp_path, "")
    assert not g.objections and "NAK" not in g.headline()
