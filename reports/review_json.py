"""The JSON records of the objections no rule judges, as the gate's and eval's documents both write them."""

from __future__ import annotations

from typing import Any

from harness.objections import EarlierObjection, Objection


def objection_dict(o: Objection) -> dict[str, Any]:
    """A NAK or request to drop: who, of what, the sentence, where; ``also``: the same sender's same objection to
    the same change in other messages (another revision's patch, by git patch-id), cited rather than listed again;
    ``note``: why it is read as it is (None when plain, as every absent value in these documents)."""
    return {"kind": o.kind.value, "msgid": o.msgid, "author": o.author, "target": o.target, "sentence": o.sentence,
            "where": o.where, "note": o.note or None,
            "also": [{"msgid": a.msgid, "target": a.target, "sentence": a.sentence, "where": a.where}
                     for a in o.again]}


def earlier_dict(e: EarlierObjection) -> dict[str, Any]:
    """An objection to an earlier revision's patch changed since: the objection's record and ``why``."""
    return {**objection_dict(e.objection), "why": e.why}
