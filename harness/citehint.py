"""What to do about an objection of a message a rule cites for another sentence: say which rule, and how to judge it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from harness.objections import Objection, ReviewObjections
from harness.rules import Rule


def hinted(review: ReviewObjections, rules: Iterable[Rule]) -> ReviewObjections:
    """``review`` with each objection that stands though rules cite its message (each quoting another sentence: "NAK."
    then the point) saying so in its note: the rule author sees why their rule did not judge it, and the fix."""
    citing: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.msgid:
            citing.setdefault(rule.msgid, []).append(rule)
    if not citing:
        return review
    return replace(review, standing=tuple(_hint(o, citing) for o in review.standing),
                   earlier=tuple(replace(e, objection=_hint(e.objection, citing)) for e in review.earlier))


def _hint(o: Objection, citing: dict[str, list[Rule]]) -> Objection:
    rules = citing.get(o.msgid)
    if not rules:
        return o
    names = ", ".join(f"{r.id} ({r.where})" for r in rules)
    quotes = ", ".join(f'quote = "{r.quote}"' for r in rules if r.quote)
    said = (f"rule{'s' if len(rules) > 1 else ''} {names} cite{'' if len(rules) > 1 else 's'} <{o.msgid}> for "
            f"another sentence ({quotes}) and judge{'' if len(rules) > 1 else 's'} that point, not this one: a rule "
            "whose quote finds this sentence, or one citing the message with no quote, judges it")
    return replace(o, note=f"{o.note}; {said}" if o.note else said)
