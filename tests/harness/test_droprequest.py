"""A reviewer's request to drop the patch, in their own words, found; quoted words, code and changelogs are none."""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness.droprequest import drop_sentence, numbered_drop, unnamed_drop_sentence

ASKS = [
    "Please drop this patch.",
    "But, for now, drop this patch. We will assume the loader is fine.",
    "This patch should be dropped.",
    "I think this patch can just be dropped: nothing uses it.",
    "I'd like this patch dropped until the spec says more.",
    "Could you drop this patch from the series?",
    "Drop the whole series, please!",
    "Let's drop this\npatch for now.",  # wrapped by the mailer
    "Please don't apply this one, it should go.",  # asked not to be applied
    "Please do not merge this patch yet.",
    "Please don't merge this.",  # only a patch is merged: "this" alone is one
    "Please don't apply it yet, the loader breaks.",
    "Let's not merge this patch.",
    "I'd rather we didn't merge this.",  # a preference: these passed
    "I'd rather not take this patch as is.",
    "We'd prefer you did not apply this patch yet.",
    "This patch should not be merged.",
    "This patch shouldn't be merged until the spec is out.",
    "No, drop this patch.",  # a negation in another clause: these were none
    "Without a user, this patch should be dropped.",
    "Instead of fixing it, drop this patch.",
    "I'm not sure about v1, but please drop this patch.",
    "I don't see a user, drop this patch.",  # an earlier clause that says it all governs nothing
    "I don't agree, drop this patch.",  # an imperative is no complement of what one thinks
    "If you ask me, drop this patch.",  # a condition of its own clause: the request stands
    "If possible drop this patch.",
    "Andrew, please drop this from your tree.",  # the patch named by where it is carried
    "Please drop it from the series.",
    "Andrew, please drop this from mm-unstable.",
    "Andrew, please drop this from your tree, now that it is merged by mistake.",
    "Drop it from your queue, once v3 is merged it conflicts.",  # v3 lands, not this patch
    "You can drop this patch from your queue now.",  # no word of it landing: maybe not wanted at all
    "Please drop this patch if nothing uses it.",
    "Please remove this patch from the series.",  # other verbs for it: these passed
    "Please revert this patch, it breaks the loader.",
    "This patch has to go.",
    "This patch should go away.",
    "This patch must be removed.",
    "Why not just drop this patch?",  # a suggestion put as a question: these passed
    "There is no user and this patch should be dropped.",  # a negation before an "and" is its own clause's
    "Can we drop this patch for now?",
    "Could we simply drop this patch and revisit later?",
    "I don't want this merged.",  # not wanted in, or not ready: these passed the gate
    "I do not want this patch applied, the loader breaks.",
    "We really don't want this series merged yet.",
    "This is not ready to be merged.",
    "This patch isn't ready for inclusion yet.",
    "This needs more work before it can be merged.",  # these passed the gate too
    "I don't think this should be merged.",  # a doubt that is an objection
    "I don't think we should take this patch.",
    "I don't think this is ready to be merged.",
    "I'm opposed to this patch.",
    "Please wait before applying this.",  # each passed the gate (h247)
    "Wait with merging this patch until the spec is out.",
    "I don't think this is ready.",
    "I don't think this patch is ready yet.",
    "This is a no-go.",
    "Sorry, this patch is a non-starter for me.",
]
NOT_ASKED = [
    "Please drop this line.",
    "Drop the comment, it says what the code says.",
    "drop this hunk and keep the rest",
    "Dropped patch 3 (no longer needed).",  # an author's changelog
    "- Dropped the patch that added seamldr_err()",
    "No need to drop this patch.",
    "I don't think this patch should be dropped.",
    "This patch should not be dropped.",
    "Should we drop this patch?",  # asks the author's view
    "Why not drop this line?",
    "No need to drop this patch and its test.",
    "Can't we keep this patch?",
    "Why do we not drop this patch?",  # asks why not, suggests nothing
    "Please drop the patch's Fixes tag.",
    "Drop the patch title prefix, it is redundant.",
    "Rather than drop this patch, fix the retry.",
    "This can be dropped if we don't need seamldr_err().",  # a line or helper, not the patch
    "Please drop the patch 3, it is merged.",  # another patch, by number (numbered_drop)
    "Don't apply this patch without patch 2.",  # an order of applying, no drop
    "Please don't apply this patch on its own.",
    "Why don't you apply this patch?",
    "I never said don't apply this patch.",
    "Don't apply the patch's second hunk.",
    "Don't apply this suggestion blindly.",
    "Don't take this the wrong way.",
    "This patch should not be merged before patch 2.",
    "Why don't you merge this?",
    "Please don't apply it to stable, it needs the new loader.",  # a backport held back
    "Don't queue this patch for the 6.12-stable tree.",
    "I don't think, at this point, we should drop this patch.",  # the earlier clause says what one thinks
    "No need, IMO, to drop this patch.",
    "If you drop this patch, patch 4 breaks.",  # the words of a condition, not a request
    "When we drop this patch the build fails.",
    "Once you discard the patch, nothing calls seamldr_err().",
    "Once this lands, you can drop the patch from your tree.",  # a landed patch out of one's own tree
    "This patch should go in via the tip tree.",
    "Remove the commit hash from the message.",
    "You should revert the commit that broke it.",  # another commit
    "Remove the series of checks, one is enough.",
    "Feel free to drop this patch from your local branch once it's merged.",
    "Now that it is in mainline, drop the patch from your queue.",
    "After this patch is applied, you can drop it from your queue.",
    "Feel free to drop your local copy.",
    "I don't want this merged without patch 1.",  # an order of applying
    "I don't want it to be applied to stable.",  # a backport held back
    "I don't want this function to be used here.",
    "If you don't want this merged, say so.",
    "Why would anyone not want this merged?",
    "This hunk is not ready for merging.",
    "I don't think this needs more work.",
    "If it needs more work before it can be merged, say so.",  # a condition
    "I don't think we should take this approach.",  # another object
    "I don't think this should be merged before patch 2.",  # an order of applying
    "I don't think it can go in the loop.",  # code going somewhere
    "I don't think this is ready to use.",  # ready for another thing
    "I don't think this is ready for review, but it is fine.",
    "Not ready yet? fine by me.",  # a question
    "I don't think this is ready?",
    "If I don't think this is ready, I will say so.",  # a condition
    "Wait, I see it now.",  # no wait for applying
    "No need to wait before applying this.",
    "Should we wait before applying this?",
    "Please wait before applying this without patch 1.",  # an order of applying
    "Please wait before applying this to stable.",
    "Wait before applying the fix in patch 3.",  # another object
    "Is this a no-go?",
    "If this is a no-go, say so.",
    "Calling it from atomic context is a no-go.",  # a use, not the patch
    "This is a no-go to call here.",
    "This is not a no-go.",
    "I don't think this is a no-go.",
    "That is a no-go.",  # a suggestion's verdict, maybe the author's
]


@pytest.mark.parametrize("text", ASKS)
def test_a_request_to_drop_is_found_with_its_sentence(text: str) -> None:
    said = drop_sentence(text)
    words = r"drop|appl|merg|remov|revert|go\b|ready|take|oppos|starter"
    assert said is not None and re.search(words, said, re.I), said


@pytest.mark.parametrize("text", NOT_ASKED)
def test_what_is_no_request_to_drop_the_patch(text: str) -> None:
    assert drop_sentence(text) is None


@pytest.mark.parametrize(("text", "numbers"), [
    ("Please drop patch 3.", (3,)),
    ("Patches 2 and 3/5 should be dropped, the rest looks fine.", (2, 3)),
    ("I would drop patch #4.", (4,)),
    ("Could you drop patch 2?", (2,)),
    ("Please drop the patch 3, it is merged.", (3,)),  # the article of a non-native phrasing
    ("Drop this patch 2/5.", (2,)),
    ("Please drop patches 2-4.", (2, 3, 4)),  # a range: its end and middle were not seen
    ("Drop patches 1 through 3 and 5.", (1, 2, 3, 5)),
    ("Please drop 2/3, the rest is fine.", (2,)),  # the series' own form of a number
    ("Please drop [PATCH v2 3/3].", (3,)),
    ("Please drop the second patch.", (2,)),
    ("Please revert patch 3.", (3,)),
    # The patch named first, then "drop it": it was no request at all (not read, the gate passed).
    ("Patch 6: please drop it.", (6,)),
    ("For 6/26, drop this one for now.", (6,)),
    ("Patches 6 and 7: please drop them.", (6, 7)),
    # Asked by number not to be applied: these were no request (below the cover letter, the gate passed).
    ("Please don't apply patch 3.", (3,)),
    ("Thanks, please don't apply patches 2 and 3 yet.", (2, 3)),
    ("Patches 1-2 are fine, but please don't take 3/3.", (3,)),
    ("Patch 3 should not be merged.", (3,)),
    ("3/3 is not ready to be merged.", (3,)),
    ("I don't want 3/3 merged.", (3,)),
    ("Please hold off on patch 3.", (3,)),
    # Refused by number by the one who applies: read as nothing before (the gate passed the patch refused).
    ("I'd rather not take patch 3.", (3,)), ("I won't take 3/3.", (3,)),
    ("I'm not going to apply patch 3 as is.", (3,)),
    ("We would prefer not to merge patches 2 and 3 yet.", (2, 3)), ("Not applying 3/3 for now.", (3,)),
    ("I can't take patch 3 until Thomas acks it.", (3,)),
    # Left out, said to go, not going in, reverted from a tree: read as nothing before (the gate passed 3/3).
    ("Let's leave out patch 3 for now.", (3,)), ("Please leave 3/3 out.", (3,)), ("Patch 3 should go.", (3,)),
    ("3/3 isn't going in yet.", (3,)), ("I've reverted 3/3 from x86/tdx, it breaks boot.", (3,)),
    # Vetoed, a firm no, parked, taken out of a tree (read as nothing before: the gate passed 3/3).
    ("I veto patch 3.", (3,)), ("Patch 3 is a hard no from me.", (3,)),
    ("Parking 3/3 until the ABI discussion settles.", (3,)), ("I've taken 3/3 out of my queue.", (3,)),
    ("Backed 3/3 out of tip, it breaks the build.", (3,)),
])
def test_a_request_to_drop_patches_by_number_names_them(text: str, numbers: tuple[int, ...]) -> None:
    found = numbered_drop(text)
    assert found is not None and found[0] == numbers, found


@pytest.mark.parametrize("text", ["Dropped patch 3 (merged upstream).", "No need to drop patch 3.",
                                  "Should we drop patch 3?", "Please drop this patch.", "Patch 3 looks fine.",
                                  "Drop 2/3 of the lines.", "Drop the first one.", "Drop the second patch's hunk.",
                                  "Drop patch 3's comment.", "Patch 6: don't drop it.", "Patch 6: drop this line.",
                                  "Patch 6: if you drop it, 7 breaks.", "Patch 6: should we drop it?",
                                  "Patch 6 looks fine; drop it if you like.",
                                  "Please don't apply patch 3 without patch 2.",
                                  "Please don't apply patch 3 to stable.",
                                  "I never said don't apply patch 3.", "Don't take 3/3 the wrong way, it's fine.",
                                  "Patch 3 should not be merged before patch 2.",
                                  "Patch 3 can't go in via my tree, Andrew should take it.", "Please apply patch 3.",
                                  "I can't take patch 3, it should go via the net tree.",
                                  "I won't apply patch 3 before patch 2.", "I'm not taking patch 3 personally.",
                                  "I'm not sure I'd rather not take patch 3.", "Patch 3 should go in.",
                                  "Patch 3 should go first.", "Patch 3 should go through the KVM tree.",
                                  "I reverted 3/3 and it still hangs.", "Leave patch 3 as it is.",
                                  "Patch 3 is a hard no-op.", "I parked patch 3 in the wrong directory.",
                                  "Took 3/3 out of context."])
def test_what_asks_to_drop_no_patch_by_number(text: str) -> None:
    assert numbered_drop(text) is None


def test_a_refusal_is_read_once_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # A reply's objection, its drop requests and its numbered ones each ask (the corpus' eval: 93 asks of 63 texts).
    import harness.droprequest as droprequest
    from harness.refusals import refusal

    read: list[str] = []

    def counted(text: str, *rest: Any) -> Any:
        read.append(text)
        return refusal(text, *rest)

    monkeypatch.setattr(droprequest, "refusal", counted)
    droprequest.refused_or_broken.cache_clear()  # none kept from before the count
    text = "The loop has no bound. I will not be taking patch 2."
    first = droprequest.refused_or_broken(text)
    assert first is not None and first.numbers == (2,)
    assert droprequest.refused_or_broken(text) == first and read == [text]
    droprequest.refused_or_broken.cache_clear()  # what the count's refusal read is not kept for another test


# The sender's own item of their list dropped (round 70: each blocked as a request to drop the patch); a drop asked
# beside it, or a maintainer's with no list of theirs named, is still read.
@pytest.mark.parametrize(("words", "said"), [
    ("Thanks, this was on my todo list too, happy to drop it now.", None),
    ("Thanks for doing this, it has been on my list for ages and I can drop it now.", None),
    ("This was on my TODO list for a while, I'll drop it from there.", None),
    ("This was on my todo list too, happy to drop it now.\n\nOn second thought, please drop it.",
     "On second thought, please drop it."),
    ("v2 is out, happy to drop it now.", "v2 is out, happy to drop it now."),
    ("Please drop it.", "Please drop it."),
])
def test_the_senders_own_list_item_dropped_is_no_drop_asked(words: str, said: str | None) -> None:
    assert unnamed_drop_sentence(words) == said
