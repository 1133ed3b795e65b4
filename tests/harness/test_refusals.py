"""A refusal to take the patch read by its grammar (harness.refusals): who refuses, a negated verb of taking, what."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import drop_sentence, request_in
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.heldback import held_note
from harness.objections import ObjectionKind
from harness.refusals import deferral, refusal
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import AUTHOR, _thread
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

# Each was read as nothing below the patch: 'v2: READY', exit 0.
REFUSED = [
    "This will never go in.",
    "Not going to take this.",
    "I will not be taking this patch.",
    "This is not going to be merged.",
    "This patch is not going anywhere.",
    "No way this goes in.",
    "There's no way I'm applying this.",
    "I won't be merging this.",
    "Hmm, no. I'm not going to take it.",
    "Consider this patch dropped.",
    "I'm afraid this can't be merged.",
    "I think we should not take this.",
    "Sorry, but I will not be able to take this patch for the reason below.",
    "I am afraid we cannot accept this patch in the current form.",
    "Unfortunately I cannot merge this series as it stands.",
    "Hmm, honestly this is never going to land.",
    "This patch will not be accepted upstream.",
    "I have no intention of applying this patch.",
    "I refuse to merge this.",
    "We're not picking this up.",
    "This series will never make it in.",
    "The loop has no bound, so I won't take this.",
    "No way in hell this series gets merged.",
    "It won't get merged like this.",
    "I'm NOT taking this.",
    "I am unable to merge this.",
    # Declined in the affirmative, not a thing one takes, a doubt of the one taking, an idiom.
    "From my side, this is not acceptable to merge.",
    "This will not be merged by me.",
    "I'm going to pass on this one.",
    "Sorry, I'll pass on this patch.",
    "Not something I'd merge.",
    "This isn't something we want upstream.",
    "I don't see this going in.",
    "I cannot see this going upstream.",
    "I'm not convinced this should go in at all.",
    "Let's not take this.",
    "Thanks, but no thanks.",
    "Rejected.",
    "Sorry, rejected: the loop is unbounded.",
    "I'm rejecting this patch.",
    "This patch is rejected.",
    "I don't think this will ever go in.",
    "I doubt this will ever be merged.",
    "This has zero chance of going in.",
    "I'll have to say no to this one.",
    "Sorry, from maintainer side this is not OK to merge.",
    "This patch is not OK for upstream.",
    "I can not agree to merge this.",
    "I do not agree with merging this patch.",
    "If this breaks boot, consider it dropped.",  # a condition on what is refused stays a refusal (as a NAK's)
]

# A question, a negated refusal, another complement, a condition on the taking, a route elsewhere, an order, code.
NOT_REFUSED = [
    "Why won't you take this?",
    "Would you consider this patch dropped?",
    "I'm not saying I won't take this, just that it needs a test.",
    "I never said I won't take this.",
    "I don't see why this can't go in.",
    "Nobody said this won't land.",
    "I won't take it personally.",
    "Don't worry, I won't take that into account.",
    "I won't apply this to the other loop, it's different.",
    "If I can't take this, nothing else in the series works.",
    "I can't take this, Andrew should take it via mm.",
    "I won't take this without patch 1, please resend together.",
    "Without the loop bound, this would never have landed.",
    "I won't be able to test this until Monday.",
    "The value won't go in RCX.",
    "This can't go in the loop; move it before.",
    "It won't land on the same CPU.",
    "We won't apply the workaround on SPR.",
    "No way to tell from the log.",
    "There's no way this loop spins forever, the caller bounds it.",
    "Consider it done.",
    "This will go in for 6.20.",
    "I won't be around next week, Dave will apply it.",
    "I'm not against merging this.",
    "Not taking sides, but the loop looks fine to me.",
    "I'm not taking any chances: tested on SPR and EMR, works.",
    "I would not apply this pattern elsewhere, but it's fine here.",
    "I'm not rejecting this patch.",
    "The module rejects it with BUSY.",
    "If the leaf is wrong, the call is rejected.",
    "It is rejected: the leaf bit is set.",
    "It was rejected by the loader, see the log.",
    "Was this rejected?",
    "I'll pass on your feedback to Dave.",
    "I'll pass this on to Dave.",
    "This is not acceptable behaviour for the loop, fix it.",
    "Not something I'd worry about.",
    "I don't see this going away.",
    "I'm not convinced this should go in the loop.",
    "I don't see it landing on CPU0.",
    "I reject the premise, the loop is fine.",
    "No thanks needed.",
    "This is not something we want to retry forever.",
    "I don't think it will land on CPU0.",
    "I doubt it can go in the loop.",
    "There is no chance of the loop spinning.",
    "I wouldn't say no to this.",
    "I'm not saying no to this patch.",
    "This is not OK, the loop spins.",  # of the code quoted as well as of the patch: placed elsewhere
    "I don't agree with taking this approach further.",
]


@pytest.mark.parametrize("said", REFUSED)
def test_a_refusal_by_its_grammar_is_read(said: str) -> None:
    assert refusal(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REFUSED)
def test_what_is_no_refusal_is_not_read_as_one(said: str) -> None:
    assert refusal(said, request_in) is None, said


def test_a_refusal_naming_the_patch_is_a_drop_sentence_and_a_pronoun_is_placed_by_its_quote() -> None:
    assert drop_sentence("I will not be taking this patch.") == "I will not be taking this patch."
    assert drop_sentence("I will not be taking this.") is None  # "this" may be the quoted code: harness.unnameddrop


@pytest.mark.parametrize("body", [
    "I will not be taking this patch.\n",
    "Hello,\n\nThank you for the patch. Unfortunately I cannot merge this series as it stands.\n\n"
    "Best Regards,\nTaro\n",
    "We will not take this series.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\n"
    "Sent: Monday, December 1, 2026 10:00 AM\nSubject: [PATCH v2 2/3] retry\n\nPlease apply this.\n",
    "> +\t} while (err == BUSY);\n\nThis will never go in, nothing bounds the loop.\n",  # below quoted code too
    "Not going to take this.\n\nOn Mon, 1 Dec 2026, Ann Author wrote:\n> +\t} while (err == BUSY);\n",  # top-posted
])
def test_a_refusal_blocks_the_gate(tmp_path: Path, body: str) -> None:
    # Before: 'v2: READY', exit 0.
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 request to drop no rule judges"), \
        g.headline()
    [o] = g.objections
    assert (o.kind, o.target) == (ObjectionKind.DROP, "v2 02/3")


@pytest.mark.parametrize(("body", "sender"), [
    ("> I won't take this patch.\n\nWhy not? It fixes a real bug.\n", "Mae Maint <mae@example.org>"),  # quoted
    ("I'm not saying I won't take this, just that it needs a test.\n", "Mae Maint <mae@example.org>"),
    ("Not applying this, the old form is clearer.\n", AUTHOR),  # the author declines a suggestion
])
def test_what_is_no_refusal_leaves_the_gate_to_the_rules(tmp_path: Path, body: str, sender: str) -> None:
    mbox, rules = _thread(tmp_path, body, sender)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()


@pytest.mark.parametrize(("said", "later"), [
    ("This won't go in until 6.20.", "until 6.20"),
    ("Please hold off until v3.", "until v3"),
    ("I'm not taking this for now.", "for now"),
    ("Not this cycle, sorry: I won't take this.", "this cycle"),
    ("I will not be taking this patch.", None),
    ("Please drop this patch.", None),
])
def test_a_deferral_is_told_from_a_refusal_for_good(said: str, later: str | None) -> None:
    assert deferral(said) == later


def test_a_deferral_blocks_and_the_gate_says_it_is_one(tmp_path: Path) -> None:
    # A READY revision may be applied now; its maintainer says it may not, until a time the gate cannot tell has come.
    assert held_note("This won't go in until 6.20.", "This won't go in until 6.20.").startswith(
        'put off, not refused for good, "until 6.20": a READY revision may be applied now')
    mbox, rules = _thread(tmp_path, "This won't go in until 6.20.\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.DROP and o.note.startswith("put off, not refused for good"), o


def _answering(tmp: Path, question: str, answer: str) -> GateResult:
    """v2 of our own series, a question below its patch 2 from its author, and Mae's answer to it."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    asked = message(f"Re: {msgs[2]['Subject']}", "ask@example.org", question, sender=AUTHOR, parent=ids[2],
                    refs=(ids[0], ids[2]), date="Mon, 05 Jan 2026 10:00:00 +0000")
    said = message(f"Re: {msgs[2]['Subject']}", "ans@example.org", answer, sender=MAE, parent="ask@example.org",
                   refs=(ids[0], ids[2], "ask@example.org"), date="Mon, 05 Jan 2026 11:00:00 +0000")
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, asked, said])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


PING = "Ping. Can this go in for 6.20?\n"


@pytest.mark.parametrize("answer", ["I won't take this.\n", "Dropped.\n", "Not going to take it, sorry.\n",
                                    f"> {PING}\nNo.\n", f"> {PING}\nNope, not this cycle.\n",
                                    f"> {PING}\nNo, this won't go in for 6.20.\n"])
def test_an_answer_refusing_the_patch_to_a_question_of_its_fate_blocks(tmp_path: Path, answer: str) -> None:
    # Before: each answered the author's message, not the patch, and the gate passed (v2 READY, exit 0).
    g = _answering(tmp_path, PING, answer)
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3")] and g.exit_status == 1


@pytest.mark.parametrize(("question", "answer"), [
    (PING, f"> {PING}\nYes, queued.\n"),
    (PING, f"> {PING}\nNo objection from me.\n"),
    ("Should I resend with the comment fixed?\n", "> Should I resend with the comment fixed?\n\nNo.\n"),
    ("Can the loop spin forever?\n", "> Can the loop spin forever?\n\nNo.\n"),
    ("I could retry in the caller instead.\n", "It's a no-go, the caller holds a lock.\n"),  # the author's plan
])
def test_an_answer_to_another_question_judges_no_patch(tmp_path: Path, question: str, answer: str) -> None:
    g = _answering(tmp_path, question, answer)
    assert not g.objections and g.exit_status == 0, g.objections


@pytest.mark.parametrize(("said", "target"), [
    ("I will not be taking patch 2.", "v2 02/3"),
    ("Patch 2 will never go in.", "v2 02/3"),
    ("No way patch 2 goes in.", "v2 02/3"),
    ("I'm going to pass on patch 2.", "v2 02/3"),
    ("Patch 2 is rejected.", "v2 02/3"),
    ("I don't see patch 2 going in.", "v2 02/3"),
    ("Consider patch 2 dropped.", "v2 02/3"),
    ("I won't take 2/3 and 3/3.", "v2 02/3, 03/3"),
])
def test_a_refusal_naming_patches_by_number_below_the_cover_letter_blocks_them(tmp_path: Path, said: str,
                                                                               target: str) -> None:
    # Before: each was read as nothing below the cover letter (v2 READY, exit 0).
    from tests.harness.test_thanksummary import _gate as _cover_gate
    g = _cover_gate(tmp_path, ("c1@example.org", said + "\n", MAE))
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, target)] and g.exit_status == 1


@pytest.mark.parametrize("said", ["Patch 2 will go in for 6.20.", "I'm not saying I won't take patch 2."])
def test_what_refuses_no_patch_by_number_leaves_the_cover_letter_to_the_rules(tmp_path: Path, said: str) -> None:
    from tests.harness.test_thanksummary import _gate as _cover_gate
    assert not _cover_gate(tmp_path, ("c1@example.org", said + "\n", MAE)).objections


@pytest.mark.parametrize("yields", ["I don't feel strongly", "I can live with it", "no strong opinion either way",
                                    "it's not a big deal", "I don't want to block it", "it's your call"])
def test_a_doubt_yielded_in_the_words_unnameddrop_reads_as_a_yield_is_no_refusal(yields: str) -> None:
    # one definition of the yielding words (harness.refusals.YIELDING): before, a doubt ending in "but I don't feel
    # strongly" was a refusal, while the same words made harness.unnameddrop read no drop
    doubt = "I'm not convinced this patch is needed"
    assert refusal(f"{doubt}.", request_in) is not None
    assert refusal(f"{doubt}, but {yields}.", request_in) is None
