"""A NAK that stands though a rule cites its message (for another sentence) says which rule and how to judge it."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, GateResult, evaluate_gate
from tests.harness.variantgen import MATRIX
from tests.mailgen import demo_series, message, write_mbox

_NAK = "nak-1@example.org"


def _gate(tmp: Path, quote: str) -> GateResult:
    """v1 of the demo series, Rita's 'NAK.' then, a paragraph below (74ee1cd cites a lone NAK with the sentence after it
    in its paragraph), her point below 2/3, one changelog rule citing it with ``quote``."""
    nak = message("Re: [PATCH 2/3] demo: print fn in decimal", _NAK,
                  "> Change number 2.\n\nNAK.\n\nPlease do not number the changes in the changelog.\n",
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


def test_a_rule_that_does_not_apply_judges_no_objection_of_the_message_it_cites(tmp_path: Path) -> None:
    # Before: the rule (no quote) cited the NAK's message, was n/a on v1 (its entry point not provided) and the NAK of
    # v1 02/3, a patch v1 applies, counted as judged: 'v1: READY: 0 warnings, 0 passed, 1 not applicable', exit 0.
    nak = message("Re: [PATCH 2/3] demo: print fn in decimal", _NAK, "> Change number 2.\n\nNAK, keep it in hex.\n",
                  sender="Rita Reviewer <rita@example.org>", parent="p2-v1@example.org",
                  refs=("cover-v1@example.org", "p2-v1@example.org"))
    (tmp_path / "m.toml").write_text(MATRIX)
    rules = tmp_path / "rules.toml"
    rules.write_text(f'[[rule]]\nid = "hex"\nreviewer = "Rita Reviewer"\nmsgid = "{_NAK}"\nsummary = "s"\n'
                     'requires_entry = "demo_prerr"\n[rule.check]\nkind = "behaviour"\n'
                     'scenarios = { entry = "demo_prerr" }\nexpect = { log_match = ["DEMO \\\\(0x"] }\n')
    mbox = write_mbox(tmp_path / "s.mbox", [*demo_series(1), nak])
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, rules=rules, matrix=tmp_path / "m.toml"))
    [v] = g.verdicts
    assert v.status.value == "n/a", v
    [o] = g.objections
    assert o.note.startswith(f"rule hex ({rules}:1) cites <{_NAK}> but does not apply to v1 ("), o.note
    assert o.note.endswith("): it judges nothing here"), o.note
    assert g.exit_status == 1 and "1 NAK no rule judges" in g.headline()


def test_a_warning_that_fails_judges_no_nak_of_the_message_it_cites(tmp_path: Path) -> None:
    # Before: the warning cited the NAK's message as a whole, failed on v1 and blocked nothing, and the NAK counted as
    # judged by it: 'v1: READY: 1 warning', exit 0, beside the NAK of a patch v1 applies.
    g = _gate(tmp_path, 'severity = "warning"\n')
    [v] = g.verdicts
    assert v.status.value == "fail", v
    [o] = g.objections
    assert o.kind.value == "nak" and f"rule no-numbers ({tmp_path / 'rules.toml'}:1) cites <{_NAK}> but is a " \
        "warning that fails on v1: a warning blocks nothing, so the objection stands until it passes" in o.note, o
    assert g.exit_status == 1 and "1 NAK no rule judges" in g.headline(), g.headline()


def test_a_quote_its_message_does_not_hold_judges_no_objection_of_it(tmp_path: Path) -> None:
    # Before: a quote the cited message does not hold ('do not numbr', a slip) found no sentence, and the rule was
    # taken to cite the message as a whole: it judged the NAK, which no longer blocked; with the rule passing (or
    # --allow-inconclusive) the gate said READY, exit 0, beside a NAK of a patch the variant applies.
    g = _gate(tmp_path, 'quote = "do not numbr"\n')
    [o] = g.objections
    assert o.note == (f"rule no-numbers ({tmp_path / 'rules.toml'}:1) cites <{_NAK}> with quote = \"do not numbr\", "
                      "which is not in what the message says in its own words: it judges no sentence of it (a "
                      "misspelt quote?); a rule whose quote finds this sentence, or one citing the message with no "
                      "quote, judges it"), o.note
    assert "1 NAK no rule judges" in g.headline() and g.exit_status == 1
