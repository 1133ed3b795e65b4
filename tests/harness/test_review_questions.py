"""A reviewer's question blocks the gate as a review point, a change asked until lifted, another until answered.

One asking a change blocks until its sender lifts it, one asking the author to explain until the author answers it;
pings, approvals and self-answered questions pass. Generated v2 of our own series, replies below its patch 2. Each
question passed the gate READY, exit 0, said nowhere, at c8d61157 (but "Why not cap the retries?", read as a suggestion
before). Every sentence is written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from harness.questionwords import open_question, rhetorical
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import AUTHOR
from tests.harness.test_gate_naks import MAE, OLGA, _replies

# Asking a change, put as a question, in several families: an imperative with a question mark, a negated modal or
# comparison, a why-not of the one asked.
CHANGES = [
    "Print the leaf in hex here too?", "Maybe cap the retries?", "Perhaps retry only on TDX_RND_NO_ENTROPY?",
    "Shouldn't this retry only on TDX_RND_NO_ENTROPY?", "Shouldn't we cap the retries?",
    "Shouldn't the leaf be printed in hex?", "Wouldn't it be better to cap the retries?",
    "Wouldn't %#llx be clearer here?", "Doesn't this need to be %#llx?", "Don't you need a bound here?",
    "Can't we just reuse seamcall_err()?", "Couldn't you reuse seamcall_err() here?", "Why not cap the retries?",
    "Why don't you cap the retries?", "Why don't we reuse seamcall_err()?", "Any reason not to cap the retries?",
    "Is there a reason you didn't use %#llx?",
    # Put politely, whatever the verb (each was a question that the author's "Sure, will do in v3." lifted):
    "Could you have that message show the leaf as hex instead?", "Could you show the leaf in hex there?",
    "Would you mind printing the leaf in hex?", "Could the message show the leaf in hex instead?",
    "Can we switch it to %#llx?",
    # Asking to explain where the patch says it: a change to the changelog or a comment.
    "Could you explain in the changelog why this is needed?", "Could you describe the retries in a comment?",
]
# Asking the author to explain: a point they must answer.
QUESTIONS = [
    "Why is this needed?", "Which one is this?", "What happens if the loader stays busy?",
    "Should we print the leaf in hex?", "Is this safe with preemption enabled?", "Doesn't this break the loader?",
    "But why does it matter?", "Shouldn't this be fine?", "Can't this fail?",
    "Could you clarify what the loader returns here?", "Can you say which answer the loader gives here?",
    # Put politely with a verb that also names a change to the changelog ("explain"): read as a change asked, which
    # the author's answer did not lift, until round 63.
    "Could you explain why this is needed?", "Can you please explain what happens when the loader stays busy?",
    "Would you elaborate on the retry count?", "Could you explain the loop?",
]
# Neither: a ping, whether it goes in (the one applying's to answer), surprise, approval, a question self-answered.
NONE = [
    "Why not, looks fine.", "Sure, why not?", "Ping?", "Any update on this?", "Can this go in for 6.20?",
    "Will you take it through tip?", "What?", "Why is this needed? Oh, I see, patch 3 uses it.",
    "Still broken on my box? No, it works now.",
]


def _gate(tmp: Path, *said: tuple[str, str, str, str]) -> GateResult:
    mbox = _replies(tmp, *said)
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


def test_the_readers() -> None:
    assert [s for s in CHANGES if point_sentence(s) != s] == []
    assert [s for s in QUESTIONS if point_sentence(s) is not None or open_question(s) != s] == []
    assert [s for s in NONE if point_sentence(s) is not None or open_question(s) is not None] == []


@pytest.mark.parametrize("words", CHANGES + QUESTIONS)
def test_a_question_blocks_as_a_review_point(tmp_path: Path, words: str) -> None:
    g = _gate(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, words)], g.headline()
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 review point no rule judges")
    [o] = g.objections
    assert ("question to the patch's author" in o.note) == (words in QUESTIONS), o.note


@pytest.mark.parametrize("words", NONE)
def test_a_ping_an_approval_or_a_self_answered_question_passes(tmp_path: Path, words: str) -> None:
    g = _gate(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    assert not g.objections and g.exit_status == 0, g.headline()


ANSWER = ("a1@example.org", "> Why is this needed?\n\nThe loader's callers need the leaf in hex.\n", AUTHOR,
          "q1@example.org")


@pytest.mark.parametrize("asked", ["Why is this needed?", "Could you explain why this is needed?"])
def test_the_authors_answer_lifts_a_question_and_says_so(tmp_path: Path, asked: str) -> None:
    g = _gate(tmp_path, ("q1@example.org", f"> quoted\n\n{asked}\n", MAE, "patch"), ANSWER)
    assert not g.objections and g.exit_status == 0, g.headline()
    [line] = g.lifted
    assert line.startswith("review point on v2 02/3 by Mae Maint <q1@example.org>") and \
        "lifted by the answer of the patch's author <a1@example.org>" in line, line
    # Asked again after the answer: the new question blocks until answered in turn.
    again = ("q2@example.org", "> The loader's callers need the leaf in hex.\n\nBut why does it matter?\n", MAE,
             "a1@example.org")
    g = _gate(tmp_path, ("q1@example.org", "> quoted\n\nWhy is this needed?\n", MAE, "patch"), ANSWER, again)
    assert [o.msgid for o in g.objections] == ["q2@example.org"], g.headline()


@pytest.mark.parametrize(("asked", "said"), [
    ("Shouldn't we cap the retries?", "No, the loader needs them all."),
    ("Could you have that message show the leaf as hex instead?", "Sure, will do in v3."),
    ("Would you mind printing the leaf in hex?", "I'd rather not."),
])
def test_the_authors_answer_alone_does_not_lift_a_change_asked(tmp_path: Path, asked: str, said: str) -> None:
    answer = ("a1@example.org", f"> {asked}\n\n{said}\n", AUTHOR, "q1@example.org")
    g = _gate(tmp_path, ("q1@example.org", f"> quoted\n\n{asked}\n", MAE, "patch"), answer)
    assert [(o.kind, o.msgid) for o in g.objections] == [(ObjectionKind.POINT, "q1@example.org")], g.headline()


def test_anothers_answer_does_not_lift_it_nor_is_a_question_to_another_reviewer_one(tmp_path: Path) -> None:
    other = ("o1@example.org", "> Why is this needed?\n\nFor the loader, I think.\n", OLGA, "q1@example.org")
    g = _gate(tmp_path, ("q1@example.org", "> quoted\n\nWhy is this needed?\n", MAE, "patch"), other)
    assert [o.msgid for o in g.objections] == ["q1@example.org"], g.headline()
    # Mae asking Olga about Olga's words asks the author nothing.
    olga = ("o1@example.org", "> quoted\n\nLooks fine to me.\n", OLGA, "patch")
    g = _gate(tmp_path, olga, ("q1@example.org", "> Looks fine to me.\n\nDid you test it on SPR?\n", MAE,
                               "o1@example.org"))
    assert not g.objections, g.headline()


# Rhetorical: the asker says the answer by asking, which may be a change asked (drop the check, reuse the helper).
RHETORICAL = [
    "Who would ever pass 0 here?", "Why would anyone call this twice?", "What's the point of this check?",
    "Why is this needed at all?", "Isn't this the same as before?", "Doesn't seamcall_err() already print this?",
    "Isn't this dead code?", "So, isn't this identical to seamcall_err()?",
]


def test_the_rhetorical_reader() -> None:
    assert [s for s in RHETORICAL if not rhetorical(s) or open_question(s) != s] == []
    assert [s for s in QUESTIONS + NONE if rhetorical(s)] == []


@pytest.mark.parametrize("asked", RHETORICAL)
def test_a_rhetorical_question_is_not_lifted_by_the_authors_answer(tmp_path: Path, asked: str) -> None:
    # "Who would ever pass 0 here?" blocked until the author answered ("Nobody, I think."), then passed: the answer
    # lifted what may be a change asked. No rule tells the two apart from the words, so it keeps blocking, and says
    # what lifts it.
    point = ("q1@example.org", f"> quoted\n\n{asked}\n", MAE, "patch")
    answer = ("a1@example.org", f"> {asked}\n\nNobody, I think.\n", AUTHOR, "q1@example.org")
    g = _gate(tmp_path, point, answer)
    [o] = g.objections
    assert (o.kind, o.sentence) == (ObjectionKind.POINT, asked) and g.exit_status == 1, g.headline()
    assert o.note.startswith("a question that reads as rhetorical: whether it asks for a change") and \
        "the author's answer alone does not lift it: cite the reply in a rule" in o.note, o.note
    # Its sender's assent below the answer lifts it, as it lifts a change asked.
    assent = ("q2@example.org", "> Nobody, I think.\n\nFair enough.\n", MAE, "a1@example.org")
    assert not _gate(tmp_path, point, answer, assent).objections
