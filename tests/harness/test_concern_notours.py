"""harness.concernwords: a flaw its sender withdraws, says is not there, not this patch's, or intended is no point."""

from __future__ import annotations

from harness.concernwords import concern_stated
from harness.pointwords import point_sentence

# Each blocked as a review point before (v2 NOT READY, exit 1): a flaw word read as the reviewer's concern.
NOT_CONCERNS = [
    # The sender's own point withdrawn: its clause names the flaw it no longer claims.
    "Retracting my concern about the overflow, the value is bounded by the firmware ABI.",
    "Forget what I said about the memory leak in v2, the caller frees it.",
    "My previous NAK no longer applies after your explanation.",
    "I take back my comment about the race, the caller holds the lock.",
    "Withdrawing my remark on the double unlock; the error label only unlocks once.",
    "My earlier objection about the leak is withdrawn.",
    "Scratch my comment about the missing check, it is done in the caller.",
    # The flaw said not to be there.
    "The leak is not there.", "The race isn't real, the lock is held.",
    "The overflow isn't there, the length is checked first.",
    # Agreeing with the patch as it is.
    "I'm OK with keeping the open-coded loop here.", "I'm fine with the duplicated check for now.",
    # A failure not of this patch.
    "That splat is unrelated, it happens on mainline too.",
    "The kselftest failure is a known issue in the test itself, nothing to do with your change.",
    "That boot failure is a firmware problem on my box, unrelated to the patch.",
    "The lockdep warning is not caused by this series, I see it on v6.12 as well.",
    "This crash happens without your patch too.",
    "The oops on s390 is a known issue with the firmware, unrelated to this.",
    # A flaw's word told as intended.
    "The caller ignores errors on purpose: it is best effort.",
    "The return value is ignored deliberately, nothing can be done about it here.",
    "The missing break is intentional.",
    # An earlier version's flaw this one no longer has, or praise carried.
    "v1 leaked the page; v3 no longer does.", "v1 was fine. v3 still is.", "The warning is back to pr_warn, good.",
    "Is the hang back in this version?",
]

# Close to those, and still a concern (each a point before and after).
CONCERNS = [
    "Forget the locking, the leak is still there.",
    "Scratch my comment on the naming; the real problem is that this deadlocks in irq context.",
    "My earlier review was wrong about the lock, but the refcount is still dropped twice.",
    "I take back my comment about the race, but the leak on the error path is real.",
    "Ignore the nit, the use-after-free in teardown is the real problem.",
    "My concern about the overflow still stands.", "Withdrawing my NAK would be wrong.",
    "Forgetting my comment about the leak would be a mistake, it still leaks.",
    "The leak is still there.", "The leak is not there in v2 but it is back in v3.",
    "I'm OK with the rename, but the open-coded loop is ugly.",
    "I'm fine with it except for the leak in the error path.",
    "The splat is not unrelated, it is yours.",
    "Unrelated to the splat, the error path leaks the buffer.",
    "The splat is unrelated, but the leak in the error path is yours.",
    "Ignoring errors on purpose here is wrong, the caller must know the update failed.",
    "The caller ignores errors, on purpose or not, and the update silently fails.",
    "The return value is ignored, and that is not intentional.",
    "That splat is unrelated to the rename but caused by the new lock.",
    "The crash happens on mainline too, but much more often with this patch.",
    "That splat is unrelated, the leak though is yours.",
    "Retracting my concern about the overflow, the leak is real though.",
    "I'm fine with the approach, the implementation leaks though.", "the oops is yours.",
    "That warning comes from your patch.", "v1 leaked the page on error; v3 still does.",
    "The v2 version leaked the buffer, and this one still does.", "The compile failure is back in this version.",
    "The kmemleak report is not unrelated, it points at your new allocation.",
]


def test_a_withdrawn_absent_foreign_or_intended_flaw_is_no_concern() -> None:
    assert [s for s in NOT_CONCERNS if concern_stated(s) or point_sentence(s) is not None] == []


def test_a_concern_beside_those_words_still_is_one() -> None:
    assert [s for s in CONCERNS if point_sentence(s) is None] == []


# A part kept as it is: no change asked (each a review point before, NOT READY); and one refused, or with a change
# asked beside it, still a point ("You can't keep it like that" passed READY before: read as the patch's fate).
KEPT = ["Keep it as is.", "Fine to keep it as is.", "Let's keep the name as it is, renaming would only churn.",
        "Leave it like that, it's fine.", "Nothing to change, keep the ordering as you have it.",
        "I'd leave the loop alone.", "OK, let's keep it that way.", "You can keep the helper where it is."]
NOT_KEPT = ["Please don't keep it as is.", "You can't keep it like that, it overflows on 32-bit.",
            "Keep it as is, but add a comment.", "Keep the name as it is, the leak is the real problem.",
            "The leak is real; keep the rest as it is.", "This shouldn't stay as it is.",
            "Keep the name, but the check has to move before the dereference.",
            "Leaving it as it is means a NULL dereference on the error path."]


def test_a_part_kept_as_it_is_asks_no_change() -> None:
    assert [s for s in KEPT if point_sentence(s) is not None] == []
    assert [s for s in NOT_KEPT if point_sentence(s) is None] == []


def test_a_nak_said_based_on_a_misreading_is_taken_back() -> None:
    from harness.nakwords import withdraws_nak

    assert withdraws_nak("My earlier NAK was based on a misreading of the locking; withdrawn.")
    assert withdraws_nak("My NAK was based on a misunderstanding, sorry.")
    assert not withdraws_nak("My NAK was based on the leak, which is still there.")
    assert not withdraws_nak("I don't think my NAK was based on a misreading.")


def test_the_titles_a_thank_you_lists_ask_nothing() -> None:
    # The lines of b4's list joined in one sentence: "fix memory leak" read as a change asked (NOT READY before).
    listed = ("Applied to for-next: [1/3] x86/seamldr: fix memory leak on update failure [2/3] x86/seamldr: avoid "
              "use-after-free in teardown [3/3] x86/seamldr: fix oops on unsupported CPU Thanks!")
    assert point_sentence(listed) is None
    asked = ["Applied: [1/3] x86/a: b, but please fix the leak in 2/3.", "Applied [1/3] and [3/3], please fix [2/3].",
             "Applied: [1/3] x86/a: add foo please also fix the leak."]
    assert [s for s in asked if point_sentence(s) is None] == []
