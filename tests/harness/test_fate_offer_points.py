"""A change asked next to the patch's fate or an offer, or put as advice, is a review point.

h657 (round 65): "Feel free to add my Acked-by after addressing the off-by-one.", "It needs fixing before this goes
in.", "Keep it and add a comment.", "Consider keeping the pre-decrement.", "You probably want --tries here.": each
passed the gate READY, exit 0 (the fate or the offer read, the change beside it lost; the advice read as nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.pointwords import point_sentence
from tests.harness.test_gate_naks import MAE, _objections, _replies

# Each form with other wordings of it; each was read as no point before but "Ack once the bound is restored." (the
# form's past participle, kept here beside its gerund) and "Removing my Ack, please bound the loop." ("Remove my Ack,
# please bound the loop." was none: the gerund of a tag removed is the fate's now, so its comma turn must ask).
ASKS = [
    # An offer or a fate conditioned by a change, the change put as a gerund ("after addressing ...").
    "Feel free to add my Acked-by after addressing the off-by-one.",
    "You can add my Reviewed-by after fixing the typo.",
    "Happy to take it after restoring the pre-decrement.",
    "Ack once the bound is restored.",
    "Acked-by upon switching to %#llx.",
    # ... or by its noun, still to come.
    "Ack, pending the bound fix.",
    "You can add my Reviewed-by after the rename.",
    # A change asked, the fate waiting for it ("before this goes in").
    "It needs fixing before this goes in.",
    "This needs to be fixed before it can be merged.",
    "Please rename the macro before this is applied.",
    "Before I take it, the loop needs a bound.",
    # An imperative after "and" whose first half is the patch's fate, or an approval.
    "Keep it and add a comment.",
    "Keep this and print the leaf in hex.",
    "Take it and rename the macro.",
    "Looks good, and please add a comment.",
    "Looks good and please add a comment.",
    "I'll take it, and please fix the typo.",
    # ... or after a comma and "please" (READY before as well).
    "Keep it, please add a comment.",
    "Removing my Ack, please bound the loop.",
    "Applied, please fix the typo in a follow-up.",
    # "Consider V-ing".
    "Consider keeping the pre-decrement.",
    "Consider dropping the cast.",
    "Maybe consider using %#llx here.",
    "You might consider adding a cpu_relax() between tries.",
    "I'd consider renaming the macro.",
    "Consider not retrying forever.",
    "Maybe consider a cpu_relax() here.",
    # "You (probably|may|might) want X".
    "You probably want --tries here.",
    "You may want to keep the cast.",
    "You might want a cpu_relax() in the loop.",
    "You probably want to use %#llx here.",
    "You'll want a bound on the loop.",
    "You probably want to split this into two patches.",
    "You probably don't want to retry forever here.",
    "You don't want a magic number here.",
    "Keep it and you should add a comment.",
]

# The offer or the fate alone, the sender's own doing, the patch's fate under a condition, advice of no change.
NONE = [
    "Feel free to add my Acked-by.",
    "Feel free to add my Acked-by when you resend.",
    "Feel free to add my Acked-by after the merge window.",
    "I'll apply it once the merge window opens.",
    "I'll take it after testing it on SPR.",
    "I'll take it after fixing the typo myself.",
    "I'll take it and fix the typo myself.",
    "We'll take it and fix up the typo ourselves.",
    "I'll queue it and send it to Linus.",
    "Keep it and I'll queue it.",
    "Drop 2/3 and keep 3/3.",
    "Let me test it before this goes in.",
    "It needs an ack from Thomas before it goes in.",
    "I'll take it before the merge window.",
    "Consider this series applied.",
    "Consider it done.",
    "Consider me convinced.",
    "Consider everything above optional.",
    "Consider merging this for 6.20.",
    "You probably want to know that I tested it on SPR.",
    "You may want to wait for Thomas.",
    "You might want to have a look at v3.",
    "You might want to Cc the x86 maintainers.",
    "You probably want this in 6.20.",
    "Do you want a cpu_relax() here?",
    "If you want, I can take it.",
    "Looks good and works on SPR.",
    "Consider adding my Acked-by.",
    "Feel free to merge it after adding my Acked-by.",
    "I know you want a bound.",
    "You'll want to rebase on tip.",
    "Applied 1 and 3, thanks.",
    "Let me take it and fix the typo.",
    "This is fine after the change in patch 1.",
    "I'll queue it after the firmware fix.",
    "Fine, pending the change in patch 1.",
    "Please wait before applying this to stable.",
    "You don't want to respin just for this.",
    "If you don't want to respin, I can fix it up.",
    "I know you don't want a v3.",
    "Applied, please let me know if it breaks.",
    "Keep it, please.",
]


@pytest.mark.parametrize("said", ASKS)
def test_a_change_asked_beside_a_fate_or_an_offer_is_a_point(said: str) -> None:
    assert point_sentence(said) == said


@pytest.mark.parametrize("said", NONE)
def test_the_fate_or_the_offer_alone_or_the_senders_own_doing_is_no_point(said: str) -> None:
    assert point_sentence(said) is None


@pytest.mark.parametrize("said", ["Feel free to add my Acked-by after addressing the off-by-one.",
                                  "It needs fixing before this goes in.", "Keep it and add a comment.",
                                  "Consider keeping the pre-decrement.", "You probably want --tries here."])
def test_a_change_asked_beside_a_fate_or_an_offer_blocks_the_gate(tmp_path: Path, said: str) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{said}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("f1@example.org", said)]


@pytest.mark.parametrize("said", ["Feel free to add my Acked-by.", "I'll take it and fix the typo myself.",
                                  "Consider this series applied.",
                                  "You probably want to know that I tested it on SPR."])
def test_the_offer_or_the_fate_alone_leaves_the_gate_ready(tmp_path: Path, said: str) -> None:
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{said}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == []


def test_a_tag_below_an_offer_that_waits_for_a_change_lifts_nothing(tmp_path: Path) -> None:
    said = "Feel free to add my Acked-by after addressing the off-by-one."
    mbox = _replies(tmp_path, ("f1@example.org", f"> quoted\n\n{said}\n\nAcked-by: {MAE}\n", MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("f1@example.org", said)]
