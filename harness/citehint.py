"""Which rules judge the objections of the messages they cite, and why a cited objection was not judged.

A rule judges the objections of the messages it cites in one state, not one that does not apply there; for an objection
a rule cites that stands, this says which rule, and why it did not judge it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from harness.citing import cited_by
from harness.judge import RuleRow
from harness.objections import Objection, ReviewObjections
from harness.rules import Severity
from harness.verdict import VerdictStatus


def citing_rows(rows: Iterable[RuleRow], state: str
                ) -> tuple[frozenset[str], dict[str, tuple[str, ...]], frozenset[str]]:
    """cited_by of the rules that apply to ``state``: a rule that is n/a there (its entry point not provided, the
    variant stops before its patch) judged nothing of it, so a NAK of its message is not judged by it there. Third,
    the messages a warning that did not pass cites: their review points are that rule's, whose author made the point
    a warning (its FAIL is said as one); a NAK or a request to drop they cite still stands (_unheld)."""
    rows = list(rows)
    warned = frozenset(r.rule.msgid for r in rows if r.rule.msgid and not _na(r, state) and _unheld(r, state))
    whole, quoted = cited_by((r.rule.msgid, r.rule.quote, r.quote) for r in rows
                             if not _na(r, state) and not _unheld(r, state))
    return whole, quoted, warned


def hinted(review: ReviewObjections, rows: Iterable[RuleRow], state: str) -> ReviewObjections:
    """``review`` with each objection that stands though rules cite its message saying so in its note: each rule
    quotes another sentence ("NAK." then the point), or does not apply to ``state``; the author sees why and the fix."""
    citing: dict[str, list[RuleRow]] = {}
    for row in rows:
        if row.rule.msgid:
            citing.setdefault(row.rule.msgid, []).append(row)
    if not citing:
        return review
    return replace(review, standing=tuple(_hint(o, citing, state) for o in review.standing),
                   earlier=tuple(replace(e, objection=_hint(e.objection, citing, state)) for e in review.earlier))


def _na(row: RuleRow, state: str) -> bool:
    v = row.verdicts.get(state)
    return v is not None and v.status is VerdictStatus.NOT_APPLICABLE


def _unheld(row: RuleRow, state: str) -> bool:
    """A warning that did not pass on ``state``: it blocks nothing, so judging a NAK through it would let the gate
    pass what the NAK blocks (READY beside a failing rule); the NAK stands until such a rule passes."""
    v = row.verdicts.get(state)
    return row.rule.severity is Severity.WARNING and (v is None or v.status is not VerdictStatus.PASS)


def _hint(o: Objection, citing: Mapping[str, list[RuleRow]], state: str) -> Objection:
    rows = citing.get(o.msgid, [])
    said = [f"rule {r.rule.id} ({r.rule.where}) cites <{o.msgid}> but does not apply to {state}"
            + (f" ({r.verdicts[state].note})" if r.verdicts[state].note else "") + ": it judges nothing here"
            for r in rows if _na(r, state)]
    said += [f"rule {r.rule.id} ({r.rule.where}) cites <{o.msgid}> but is a warning that "
             f"{_status(r, state)} on {state}: a warning blocks nothing, so the objection stands until it passes "
             "(severity = \"error\" makes its failure block instead)"
             for r in rows if not _na(r, state) and _unheld(r, state)]
    held = [r for r in rows if not _na(r, state) and not _unheld(r, state)]
    said += [f'rule {r.rule.id} ({r.rule.where}) cites <{o.msgid}> with quote = "{r.rule.quote}", which is not in what '
             "the message says in its own words: it judges no sentence of it (a misspelt quote?); a rule whose quote "
             "finds this sentence, or one citing the message with no quote, judges it"
             for r in held if r.rule.quote and not r.quote]
    quoting = [r.rule for r in held if not (r.rule.quote and not r.quote)]
    if quoting:
        names = ", ".join(f"{r.id} ({r.where})" for r in quoting)
        quotes = ", ".join(f'quote = "{r.quote}"' for r in quoting if r.quote)
        many = len(quoting) > 1
        said.append(f"rule{'s' if many else ''} {names} cite{'' if many else 's'} <{o.msgid}> for another sentence "
                    f"({quotes}) and judge{'' if many else 's'} that point, not this one: a rule whose quote finds "
                    "this sentence, or one citing the message with no quote, judges it")
    if not said:
        return o
    return replace(o, note="; ".join([o.note, *said] if o.note else said))


def _status(row: RuleRow, state: str) -> str:
    v = row.verdicts.get(state)
    said = {VerdictStatus.FAIL: "fails", VerdictStatus.INCONCLUSIVE: "is inconclusive"}
    return "was not judged" if v is None else said.get(v.status, "did not pass")
