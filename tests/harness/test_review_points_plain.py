"""A change asked in everyday words below quoted code blocks the gate as a review point (harness.askedwords).

A reviewer's request put with a C name as subject, a need, a wish, a "let's", a verdict on the code or a "too many":
13 of 15 such phrasings passed the gate READY, exit 0, the request said nowhere (found by a new user's thread).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.askedwords import _NEED
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import AUTHOR, _thread
from tests.harness.test_gate_naks import MAE, _replies

CODE = "On Mon, Ann wrote:\n> +\tpr_err(\"seamldr: retry failed\\n\");\n\n"

# Each passed the gate before (READY, exit 0).
ASKS = ["tdx_call_busy() should warn once.", "tdx_call_busy should warn once when it gives up.",
        "seamcall_busy() must warn once when it gives up.", "TDX_BUSY_TRIES should be 8, not 16.",
        "There should be a warning when the loop gives up.", "Please don't silently return the busy status.",
        "This needs a pr_warn_once() when the loop gives up.", "The loop needs a warning when it gives up.",
        "Needs a warning when it runs out of tries.", "This wants a pr_warn_once() when the loop gives up.",
        "This is missing a warning when the loop gives up.", "Missing a pr_warn_once() when the loop gives up.",
        "I'd like tdx_call_busy() to say so in dmesg, once, when it runs out of tries.",
        "I would like a warning here when it gives up.", "I want a pr_warn_once() when the loop gives up.",
        "We really want a warning when this gives up.", "A warning when the loop gives up would be good.",
        "A pr_warn_once() when the loop gives up would help.", "It'd be nice to warn once when the loop gives up.",
        "Let's warn once when the loop gives up.", "Let's not retry forever.",
        "I think a pr_warn_once() is warranted when the loop gives up.",
        "Silently returning the busy status is not acceptable.", "16 is too many; 8 is plenty.",
        "The retry count looks excessive.", "I'd really rather just see the comment reworded.",
        "That's better than what was there before, but this is still pretty silly.",
        "Or, it should be said in the changelog.",
        # h644 (round 63): a change verb the imperative list lacked, and a fate verb ("take", "apply", "merge") whose
        # object is the code, not the patch: each passed READY.
        "Please increase the number of tries to 16.", "Please lower TDX_BUSY_RETRIES to 4.",
        "Reduce the retries to 4.", "Please align the backslashes.", "Please introduce a helper instead of the macro.",
        "Please insert a cpu_relax() between tries.", "This should take the number of tries as a parameter.",
        "Could you take the count as a macro argument?", "The macro should apply only to TDX_OPERAND_BUSY.",
        "Please merge the two do/while loops into one."]

# Descriptions, approvals, the sender's own doing, the series' fate, negations, questions: no change asked.
NONE = ["This returns the busy status.", "This should work.", "Thanks, that would be great.",
        "That would help, thanks.", "This would help debugging a lot.", "I'd like to thank you for doing this.",
        "I want to test this on my machine first.", "I need more time to look at this.",
        "I'd love to see this merged.", "It would be good to get this into 6.20.", "Let's see what Dave says.",
        "Let's keep it as is.", "We don't need a warning here.", "This needs no change.", "That is not wrong.",
        "I don't think it's wrong.", "The old code was wrong, this fixes it.", "The check is needed for P-SEAMLDR.",
        "Is this needed?", "Would a warning help?", "3 needs more work, see my reply there.",
        "This needs another round.", "This needs an ack from Thomas.", "Needs a Reviewed-by from the loader folks.",
        # Another person asked to review (held back, harness.heldback; test_appliedsome): no change of the code.
        "I'd like Thomas to look at this first.", "I'd like someone from x86 to ack it.",
        "Applied, thanks.", "I'll take it through tip.", "Queued for 6.20.", "Picked up, thanks.",
        "Please take this through the tdx tree.", "Correct, that is the intent.",
        # The sender's own objection dropped: a withdrawal (it lifts the NAK), no change asked.
        "Drop my NAK.", "Please drop my NAK.", "Fair enough, drop my NAK.", "Please drop my earlier comment."]


# What the code needs, wants or lacks, its subject the code quoted or left out (harness.defectwords' _NEEDS until round
# 64, now the terse form of askedwords._NEED): each passed the gate READY before round 63.
TERSE_NEEDS = ["This needs a comment.", "This still needs a bound.", "Needs a Fixes: tag.", "It deserves a comment.",
               "This lacks a comment.", "This wants a WARN_ON_ONCE().", "This wants to be hex.",
               "This wants to be %#llx.", "This needs to be unsigned.", "This wants to be a helper.",
               "Also, this needs fixing.", "Needs a respin with the old bound.",
               "Needs a new version that keeps the bound.",
               "This needs more testing.", "Need a comment here.",
               "These need a comment.", "This needs a Fixes: tag to get it into stable.",
               # A Cc: stable asked (read as the patch's Cc, its fate, before: READY).
               "Needs a Cc: stable.", "This wants Cc: stable@vger.kernel.org."]
# Another's review or tag wanted, nothing needed, a view after "to be", the sender's own need, more work (harness.
# heldback's), a question: no need of the code, no point.
NO_NEED = ["This needs an ack from Thomas.", "This needs no change.", "This needs review from Thomas.",
           "It needs to be fine.", "That wants to be reviewed by Thomas.", "I need to look at this more.",
           "This needs more work.", "This needs more work on the test side, but the patch itself is fine.",
           "Needs testing?", "This needs a respin.",
           # h645 (round 64): read as points by the any-subject form before (a false block).
           "Needs more eyes.", "Needs a second pair of eyes.", "Missing the point.", "You're missing the point here.",
           "This misses the point entirely."]
# Neither does the terse form read these, but the form of any subject (and _WISH) does: points still, a false block on
# the safer side ("Needs a rewrite.", "It needs another revision.": harness.heldback reads them too).
READ_BY_ANY_SUBJECT = ["The loader needs the leaf in hex.", "We need this for the loader.",
                       "The answer is missing from my notes, sorry.", "Needs a rewrite.", "It needs another revision."]


def test_a_need_of_the_code_is_a_point_and_the_terse_form_reads_only_the_codes() -> None:
    assert [s for s in [*TERSE_NEEDS, "The Fixes: tag is missing.", "The comment is still missing here."]
            if point_sentence(s) != s] == []
    assert [s for s in TERSE_NEEDS if not ((m := _NEED().match(s)) and m.group("terse"))] == []
    assert [s for s in [*NO_NEED, *READ_BY_ANY_SUBJECT] if (m := _NEED().match(s)) and m.group("terse")
            and not s.endswith("?")] == []
    assert [s for s in NO_NEED if point_sentence(s) is not None] == []
    assert [s for s in READ_BY_ANY_SUBJECT if point_sentence(s) != s] == []


def test_everyday_wordings_of_a_change_are_points() -> None:
    assert [s for s in ASKS if point_sentence(s) is None] == []


def test_what_asks_no_change_is_no_point() -> None:
    assert [s for s in NONE if point_sentence(s) is not None] == []


def _gate(mbox: Path, rules: Path) -> GateResult:
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))


@pytest.mark.parametrize("said", ["tdx_call_busy() should warn once.", "There should be a warning when it gives up.",
                                  "I'd like tdx_call_busy() to say so in dmesg, once, when it runs out of\ntries.",
                                  "This needs a pr_warn_once() when the loop gives up.",
                                  "It'd be nice to warn once when the loop gives up.",
                                  "Silently returning the busy status is not acceptable.",
                                  "16 is too many, 8 is plenty."])
def test_a_change_in_everyday_words_below_code_blocks_the_gate(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, CODE + "When it stays busy, nobody finds out why. " + said + "\n")
    g = _gate(mbox, rules)
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.POINT, "v2 02/3", " ".join(said.split())), o
    assert g.exit_status == 1, g.headline()


def test_the_authors_own_wish_passes(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, CODE + "I'd like tdx_call_busy() to warn once; I'll do it in v3.\n", AUTHOR)
    g = _gate(mbox, rules)
    assert not g.objections and g.exit_status == 0, g.headline()



@pytest.mark.parametrize("back", ["Drop my NAK.", "Please drop my NAK.", "Fair enough, drop my NAK.",
                                  "You're right, no objection from me then."])
def test_dropping_ones_own_nak_lifts_it_and_asks_nothing(tmp_path: Path, back: str) -> None:
    # Before: the NAK lifted, but "Drop my NAK." blocked as a change asked of the patch; "no objection from me then"
    # below the author's answer lifted nothing.
    nak = ("n1@example.org", "> quoted\n\nNAK, this retries forever.\n", MAE, "patch")
    answer = ("a1@example.org", "> NAK, this retries forever.\n\nNo, it stops after 16 tries.\n", AUTHOR,
              "n1@example.org")
    mind = ("m1@example.org", f"> No, it stops after 16 tries.\n\n{back}\n", MAE, "a1@example.org")
    g = _gate(_replies(tmp_path, nak, answer, mind), tmp_path / "rules.toml")
    assert not g.objections and g.exit_status == 0, (back, g.headline(), g.objections)
    [line] = g.lifted
    assert "<m1@example.org>" in line, line


def test_fine_by_me_names_no_nak_and_lifts_none(tmp_path: Path) -> None:
    nak = ("n1@example.org", "> quoted\n\nNAK, this retries forever.\n", MAE, "patch")
    answer = ("a1@example.org", "> NAK, this retries forever.\n\nNo, it stops after 16 tries.\n", AUTHOR,
              "n1@example.org")
    mind = ("m1@example.org", "> No, it stops after 16 tries.\n\nOK, fine by me then.\n", MAE, "a1@example.org")
    g = _gate(_replies(tmp_path, nak, answer, mind), tmp_path / "rules.toml")
    assert [o.kind for o in g.objections] == [ObjectionKind.NAK] and g.exit_status == 1, g.headline()


# What the sender does not want in the code (round 64): each passed the gate READY, exit 0.
UNWANTED = ["I don't want a silent failure here.", "We don't want to spin forever.",
            "I wouldn't want a magic number here.", "I really don't want a magic number here.",
            "We do not want to retry forever.", "I don't want to see a magic number here.",
            "I don't want this loop to spin forever.", "I don't want you to retry forever.",
            "We don't want to keep retrying forever.", "We don't want the loop unbounded.",
            "I'd rather not see a magic number here."]
# The sender's own part or the patch's fate, not a change: no point.
NOT_UNWANTED = ["I don't want to block this.", "I don't want to hold this up.", "I don't want to nitpick.",
                "I don't want to see this merged before 6.20.", "I don't want a v3 just for this.",
                "I don't want you to respin just for this.", "I don't want to delay this series.",
                "I don't want to bikeshed.", "I don't want to repeat myself.", "I don't want it merged yet.",
                "I don't want to hold this up any longer.", "I don't want to stand in the way.",
                "I don't want to derail this thread.", "If we don't want to spin, the loop is fine."]


def test_what_the_sender_does_not_want_is_a_point() -> None:
    assert [s for s in UNWANTED if point_sentence(s) != s] == []
    assert [s for s in NOT_UNWANTED if point_sentence(s) is not None] == []


@pytest.mark.parametrize("said", ["I don't want a silent failure here.", "We don't want to spin forever.",
                                  "I'd rather not see a magic number here."])
def test_what_the_sender_does_not_want_below_code_blocks_the_gate(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, CODE + said + "\n")
    g = _gate(mbox, rules)
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.POINT, "v2 02/3", said), o
    assert g.exit_status == 1, g.headline()


@pytest.mark.parametrize("said", ["I don't want to block this.", "I don't want to hold this up."])
def test_not_wanting_to_hold_the_patch_up_passes(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, CODE + said + "\n")
    g = _gate(mbox, rules)
    assert not g.objections and g.exit_status == 0, g.headline()
