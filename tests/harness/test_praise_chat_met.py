"""A reply with no objection to the patch passes: praise told with a flaw's word, chat, a request this revision met.

Each harmless sentence below blocked the gate (v2 NOT READY, "1 review point no rule judges") at 92018483: the flaw
word of the bug the patch fixes ("broken", "bug", "forever") read as the reviewer's concern, an off-topic question to
the list read as one the author must answer, a point the reviewer says this version meets read as asked, a nit waived
before a tag read as the tag's condition. The close objections beside them block before and after. Every sentence is
written for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.pointwords import point_sentence
from harness.questionwords import open_question
from harness.tagcondition import change_awaited
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _replies

# The bug the patch fixes, told as the sender's own past with it or as how long it has lasted.
OLD_FLAWS = [
    "I wonder how long this has been broken.", "That code has been broken since the conversion, I think.",
    "This has been broken forever and nobody noticed.", "That's been racy since 5.10 I think.",
    "The driver has been buggy for years.", "Hah, I've hit exactly this bug last week and spent a day on it.",
    "Haha, I hit this bug yesterday.", "I ran into this bug on my laptop too.",
    "Ugh, I remember chasing this bug two years ago and giving up.", "This has been on my TODO list forever.",
    "Great, one less item on my todo list.", "Good catch, this must have been broken for ages.",
    "Finally! This bug has annoyed me for years.", "The leak has bitten us since 6.1.",
    "Oh, that explains the broken suspend I saw last month.", "Ah, this explains the lockups we had in CI.",
]
# A request this revision meets, said so.
MET = [
    "I agree with Andrew here, the helper belongs in the core, and that's what v3 does now.",
    "The missing documentation I pointed out is now in v3.", "The missing Fixes tag is now there, thanks.",
    "Missing from v3 was the changelog, now it's there, thanks.",
]
# Close, and a point still: the flaw is this patch's, still there, or the request unmet.
STILL_POINTS = [
    "This has been broken since v2 of your series.", "This has been racy since you moved the lock.",
    "This has been broken for years and this patch makes it worse.",
    "I hit this bug too, and with your patch I still hit it.", "With your series I hit this bug again.",
    "I've hit this bug on v3 as well.", "There's a TODO left in the error path, please finish it.",
    "This has been on my TODO list, but the patch leaks the buffer.",
    "I agree with Andrew, the helper belongs in the core.",
    "The changelog was missing from v3 and it is still missing here.",
    "The missing check is still missing.", "The helper belongs in the core, which is not what v3 does.",
    "This is still broken on 32-bit.", "This has been broken since this patch.",
    "The loop has to spin for years on a busy machine.", "This must have been broken by your rework.",
    "The leak has bitten us since you moved the put.", "This has been racy since the lock is dropped early.",
    "The code has a race since the lock is dropped before the walk.",
    "Missing from v3 was the changelog, now it's there, but it is empty.", "Missing a changelog, and now it's worse.",
    "Oh, this explains why the loop is racy.",
    "But the fix is incomplete: the same bug is in the resume path.",
    "The fix is wrong, the bug is still there.",
]


# A nit its sender labels optional asks nothing (as "feel free to ignore" does); one asked outright stays a point.
@pytest.mark.parametrize("words", ["Nit, optional: use BIT(2).", "Nit (optional): rename tmp to val.",
                                   "Nitpick, take it or leave it: rename tmp to val.", "Optional nit: use BIT(2)."])
def test_an_optional_nit_asks_nothing(words: str) -> None:
    assert point_sentence(words) is None


@pytest.mark.parametrize("words", ["Nit: use BIT(2).", "Nit, not optional: use BIT(2).",
                                   "Use BIT(2), it's not optional.",
                                   "Nit (optional): use BIT(2). But the leak must be fixed.",
                                   "The optional argument needs a check."])
def test_a_nit_asked_is_a_point(words: str) -> None:
    assert point_sentence(words) is not None


@pytest.mark.parametrize("words", OLD_FLAWS + MET)
def test_an_old_flaw_or_a_met_request_is_no_point(words: str) -> None:
    assert point_sentence(words) is None


@pytest.mark.parametrize("words", STILL_POINTS)
def test_a_flaw_of_this_patch_or_an_unmet_request_is_a_point(words: str) -> None:
    assert point_sentence(words) == words


# Chat: a question to the list, or one its sender labels as not about the patch.
CHAT = [
    "Off-topic, but is anyone going to Plumbers this year?", "Anybody else seeing the mail delays on vger today?",
    "Slightly off-topic: does anyone know if the LSF/MM schedule is out yet?",
    "Unrelated to this patch, but is lore down for anyone else right now?",
    "Side note, not about this series: who is hosting the BoF in Vienna?",
    "OT: has anyone tried the new b4 release yet?", "Is anybody else getting bounces from the list today?",
    "Off-topic, but does anyone have a working qemu recipe for TDX guests?",
    "Is anyone else having trouble reaching kernel.org today?",
]
# Close, and a question the author must answer: it names the patch's code or asks why.
ASKED = [
    "Why is this needed?", "Does anyone know why this needs the lock?", "Is anyone else seeing this warning?",
    "Has anybody tested this on arm64?", "Off-topic, but why does the loop spin?",
    "Slightly off-topic: is tdx_retry() meant to be called from irq context?", "Anybody seen the TDX module hang?",
    "Is anyone else seeing the loop spin on boot?",
]


# A question whose answer its sender says does not matter: an approval given either way right after it.
MOOT = ["Out of curiosity, did you find this with syzkaller? Either way, good fix.",
        "Just wondering, was this found by KASAN? Anyway, LGTM."]
MOOT_NOT = ["Did you test this on arm64? Either way, it leaks on error.",
            "Why is this needed? Anyway, please add a comment.",
            "Did you find this with syzkaller? Good fix, but the loop still spins."]


@pytest.mark.parametrize("words", MOOT)
def test_a_question_approved_either_way_is_not_asked(words: str) -> None:
    assert open_question(words) is None


@pytest.mark.parametrize("words", MOOT_NOT)
def test_a_question_with_no_approval_after_it_is_asked(words: str) -> None:
    assert open_question(words) is not None or point_sentence(words) is not None


@pytest.mark.parametrize("words", ["Would be nice to discuss the folio conversion of this driver in person.",
                                   "It would be good to talk about the bigger picture at LPC."])
def test_a_talk_wished_for_asks_no_change(words: str) -> None:
    assert point_sentence(words) is None


@pytest.mark.parametrize("words", ["Would be nice to rename it.", "It would be good to discuss this in the changelog."])
def test_a_change_wished_for_is_asked(words: str) -> None:
    assert point_sentence(words) is not None


@pytest.mark.parametrize("words", CHAT)
def test_chat_asks_the_author_nothing(words: str) -> None:
    assert open_question(words) is None


@pytest.mark.parametrize("words", ASKED)
def test_a_question_of_the_patch_is_asked(words: str) -> None:
    assert open_question(words) == words


WAIVED_NIT = [
    'Nit (feel free to ignore): the comment could say "ms" explicitly. Otherwise:',
    "Nit, not worth a respin: the blank line before the return. With or without that:",
    "Minor nit, optional: I'd call it nr_pages. Otherwise:",
]
ASKED_NIT = ["With the typo fixed:", "Otherwise, once the loop is bounded:", "Nit, not optional: say ms. Otherwise:"]


@pytest.mark.parametrize("words", WAIVED_NIT)
def test_a_tag_below_a_waived_nit_awaits_nothing(words: str) -> None:
    assert not change_awaited(f"> quoted\n\n{words}\n\nReviewed-by: Mae <mae@example.org>\n", "Reviewed-by",
                              "Mae <mae@example.org>")


@pytest.mark.parametrize("words", ASKED_NIT)
def test_a_tag_below_a_change_still_to_come_awaits_it(words: str) -> None:
    assert change_awaited(f"> quoted\n\n{words}\n\nReviewed-by: Mae <mae@example.org>\n", "Reviewed-by",
                          "Mae <mae@example.org>")


@pytest.mark.parametrize(("words", "ready"), [
    ("Good catch! I wonder how long this has been broken.\n\nReviewed-by: Mae <mae@example.org>", True),
    ("Off-topic, but is anyone going to Plumbers this year?", True),
    ('Nit (feel free to ignore): the comment could say "ms". Otherwise:\n\nReviewed-by: Mae <mae@example.org>', True),
    ("Good catch, but this is still broken on 32-bit.", False),
    ("Off-topic: is anyone going to Plumbers? Also, this leaks on error.", False),
    # A nit asked above a tag given outright is the tag's sender's to weigh: it passes, as it did before.
    ("Nit: please fix the typo.\n\nReviewed-by: Mae <mae@example.org>", True),
    ("Nit: please fix the typo.", False),
])
def test_the_gate(tmp_path: Path, words: str, ready: bool) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert (g.exit_status == 0) == ready, g.headline()
