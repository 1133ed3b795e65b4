"""A maintainer's word that a patch left their tree blocks the gate as a request to drop.

A maintainer's word that a patch left their tree or queue ("Dropped from my tree", "I'll drop this from my
queue", "Please don't apply.") blocks the gate as a request to drop does; "Applied, thanks" and "Queued" do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.droprequest import drop_sentence, unnamed_drop_sentence
from harness.gate import GateRequest, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import AUTHOR, REVIEWER, _thread

DROPPED = [
    "Thanks, I'll drop this from my queue.",
    "Dropped from my tree, since it breaks the build.",
    "I've dropped this patch from my tree.",
    "I'm dropping this one for now.",
    "Dropped for now, please resend.",
    "I've removed it from x86/tdx.",
    "Unqueued the series, sorry.",
    "I went ahead and dropped it from my queue.",
    "Dropped again from kvm-x86/next.",
    "I'm dropping the series until the ABI is settled.",
    "I'll drop it and wait for v3.",
    "Dropped.",
    "Now dropped, thanks.",
    "Please don't apply.",
    "Please don't merge yet.",
    # A queue's notice that it left, for a reason (it passed): "... removed from the -mm tree ... because ...".
    "This patch was dropped because an updated version will be issued.",
    "This patch was dropped because of outstanding review comments.",
    # The reason after a comma (before: read as nothing, 'v2: READY', exit 0).
    "I'm dropping this, it breaks the 32-bit build.",
    "Dropped this patch, it breaks the build.",
    # Taken out (before: read as nothing, 'v2: READY', exit 0).
    "I've taken this out of my queue.",
    "I've taken the patch out, it breaks the build.",
    "Backing this out of tip, it breaks the build.",
    # Reverted, with its reason or with what that fixed, whoever sends it: from the one applying, the patch left their
    # tree; from a tester, a report that it breaks boot (each read as nothing: 'v2: READY', exit 0).
    "Reverted, it breaks boot on my SPR box.",
    "I reverted this patch and the machine boots again.",
    "I dropped this patch locally and the warning is gone.",
    "Pulled from linux-next.",
    "I've pulled this from my tree, it breaks the build.",
]

# Applied or queued, what went while applying, a revert that fixed nothing, another's drop, one's own copy, a condition.
KEPT = [
    "Applied, thanks.",
    "Queued, thanks!",
    "Queued for 6.20.",
    "Applied to x86/tdx, thanks.",
    "Thanks, applied to my tree.",
    "Applied, thanks. I dropped the Fixes tag.",
    "Applied to x86/tdx with the stray newline dropped.",
    "Applied, but dropped the Cc: stable line.",
    "You dropped this patch from the series in v2, why is it back?",
    "I removed it from arch/x86/virt/vmx/tdx/tdx.c in my fix.",
    "I removed it from tdx.c.",
    "Once it's merged upstream, I'll drop it from my tree.",
    "I haven't dropped it from my tree.",
    "If I drop this from my queue, patch 4 breaks.",
    "Should I drop it from my queue?",
    "Dropped the retry, good.",
    # A throughput fallen ("Performance dropped from 10 to 3 with this patch.") is a report (harness.failshapes).
    "The error count dropped from 10 to 3 with this patch.",
    "Not dropped.",
    "This patch was dropped because it was merged into mainline.",
    "This patch was dropped because it was merged into the mm-stable branch.",
    "I took it out of context.",
    "I backed it out of the loop.",
    "I reverted it and it still fails.",
    "I reverted it to compare the numbers.",
    "I pulled it from linux-next and it boots fine.",  # fetched
    "Pulled from tip to test, works.",
]


@pytest.mark.parametrize("said", DROPPED)
def test_a_maintainer_dropping_the_patch_blocks_the_gate(tmp_path: Path, said: str) -> None:
    # Before: each but the first and "please don't apply this" forms was read as nothing: 'v2: READY', exit 0.
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 request to drop no rule judges"), \
        g.headline()
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", said)


@pytest.mark.parametrize("said", KEPT)
def test_applied_queued_or_another_drop_leaves_the_gate_to_the_rules(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()


@pytest.mark.parametrize("body", [
    "> +\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\nDropped.\n",  # the quoted line, dropped while applying
    "Dropped from my tree.\n",  # the patch's author: their plan, a later revision is their word
])
def test_below_code_or_by_the_author_it_is_no_drop_of_the_patch(tmp_path: Path, body: str) -> None:
    mbox, rules = _thread(tmp_path, body, AUTHOR if "tree" in body else REVIEWER)
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections


def test_the_sentences_as_read() -> None:
    assert all((drop_sentence(s) or unnamed_drop_sentence(s)) == s for s in DROPPED)
    assert not any(drop_sentence(s) or unnamed_drop_sentence(s) for s in KEPT)


@pytest.mark.parametrize(("body", "kind"), [
    ("Looks fine.\n\n-- \nMae\n\nNAK.\n", ObjectionKind.NAK),
    ("Looks fine.\n\n-- \nMae\n\nPlease drop this patch.\n", ObjectionKind.DROP),
    ("Thanks.\n\n-- \nMae\n\nDropped from my tree.\n", ObjectionKind.DROP),
    ("Thanks.\n\n-- \nMae Maint\nKernel Team, Example Corp\n", None),  # a signature: name, title
])
def test_a_nak_or_drop_below_the_signature_is_read(tmp_path: Path, body: str, kind: ObjectionKind | None) -> None:
    # Before: the words below '-- ' were the signature and unread: READY, exit 0 (only a Nacked-by: line was read).
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.kind for o in g.objections] == ([kind] if kind else []) and g.exit_status == (1 if kind else 0)


REFUSED = [
    "I won't apply this.",
    "Not applying this.",
    "I'm not going to take this patch.",
    "I will not merge this series.",
    "Not taking this one, sorry.",
    "I'm not applying this until the ABI is settled.",
    "I won't take it as is.",
    "Hold off on applying this.",
    "Please hold off on this one.",
    "Don't pick this up yet.",
    "We can't take this in its current form.",
]
NOT_REFUSED = [
    "I can't take this through my tree, it should go via net.",
    "I can't take this, Andrew should.",
    "I won't apply this without patch 2.",  # an order of applying
    "I won't take this to stable.",
    "Why won't you apply this?",
    "I can't take this suggestion.",
    "Not taking this as a NAK, just a question.",
    "I would not take it that way.",
    "I am not taking this personally.",
    "No objection, I will apply this.",
]


def test_the_authors_refusal_of_a_suggestion_is_no_drop(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "Not applying this, the old form is clearer.\n", AUTHOR)
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections


def test_one_who_applies_refusing_below_the_patchs_own_code_holds_the_patch(tmp_path: Path) -> None:
    # Below a quoted line of the patch in a reply to it, "this" may be the line or the patch; the gate takes the
    # patch (1848a95: such a verdict judges the patch), since reading it as the line alone would pass a patch its
    # maintainer refused. Before 1848a95 this was read as nothing.
    body = "> +\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\nI can't take this as is.\n"
    mbox, rules = _thread(tmp_path, body, REVIEWER)
    found = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections
    assert [(o.kind, o.target, o.sentence) for o in found] == [
        (ObjectionKind.DROP, "v2 02/3", "I can't take this as is.")]


NOT_TO_GO_IN = [
    "I object to this patch.",
    "I'm against merging this series.",
    "This patch must not be merged.",
    "This patch can't be merged as is.",  # "can't" was read as "cann't": none
    "This patch should not land until the ABI is settled.",
    "This series can't go into x86/tdx yet.",
    "This can't go in.",  # "this" alone: placed by the quote above it
    "This must not be merged.",
    "This cannot go upstream as is.",
    "Please don't take this.",
    # The maintainer's "won't", and the progressive (before: read as nothing, 'v2: READY', exit 0).
    "Nope, this isn't going in.", "This patch is not going into x86/tdx as is.", "This won't go in.",
    # A veto or a firm no (before: read as nothing, 'v2: READY', exit 0).
    "I'm vetoing this.", "I hereby veto this patch.", "Hard no from me on this one.", "That's a hard no.",
    # Parked by the one applying (before: read as nothing, 'v2: READY', exit 0).
    "Parking this one until the ABI discussion settles.", "I'm holding this back for now.",
]
GOES_IN = [
    "I don't object to this patch.",
    "I object to this patch's title.",
    "I am not against this patch.",
    "It can't go in the loop, the lock is held.",
    "This must not be merged with patch 3.",
    "This patch must not be merged without patch 2.",
    "This should not be taken as a NAK.",
    "This can't be applied to stable.",
    "It cannot go upstream before patch 2.",
    "This isn't going in the right direction.", "It won't go into the fast path, the lock is held.",
    "This is a hard no-op.", "Is that a hard no?", "I wouldn't say it's a hard no.", "I'm vetoing the patch title.",
    "Hold it until the lock is taken.",
]


@pytest.mark.parametrize("said", REFUSED + NOT_TO_GO_IN)
def test_a_refusal_to_apply_or_a_patch_said_not_to_go_in_blocks_the_gate(tmp_path: Path, said: str) -> None:
    # Before: each was read as nothing: 'v2: READY', exit 0.
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.DROP, said)] and g.exit_status == 1


@pytest.mark.parametrize("said", NOT_REFUSED + GOES_IN)
def test_routing_an_order_a_part_another_object_or_a_negation_is_no_objection(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    # No refusal; a flaw the sentence states of the patch is a review point (harness.concernwords).
    points = [o.sentence for o in g.objections if o.kind is ObjectionKind.POINT]
    assert points == ([said] if said in JUDGED_NOT_REFUSED else []), g.objections
    assert len(g.objections) == len(points) and g.exit_status == (1 if points else 0), g.objections


# Of those, what states a flaw of the patch, not its fate: a review point.
JUDGED_NOT_REFUSED = ("This isn't going in the right direction.",)


@pytest.mark.parametrize(("said", "sender", "blocks"), [
    ("Please ignore this patch, I sent the wrong version.", AUTHOR, True),  # the author withdrawing the posting
    ("Please disregard this one, v3 follows.", AUTHOR, True),
    ("Ignore this version.", AUTHOR, True),
    ("Please ignore this patch, it was sent by mistake.", REVIEWER, True),
    ("Oops, ignore this one, I misread the loop.", REVIEWER, False),  # a reviewer taking back their comment
    ("Please ignore this warning, it is harmless.", AUTHOR, False),
    ("Please ignore the noise in this patch.", AUTHOR, False),
    ("Please ignore this patch's changelog.", REVIEWER, False),
])
def test_a_patch_to_be_ignored_blocks(tmp_path: Path, said: str, sender: str, blocks: bool) -> None:
    # Before: each was read as nothing, and the gate passed a posting its author withdrew.
    mbox, rules = _thread(tmp_path, said + "\n", sender)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.sentence) for o in g.objections] == ([(ObjectionKind.DROP, said)] if blocks else [])
    assert g.exit_status == int(blocks)


MON, TUE = "Mon, 01 Dec 2026 10:00:00 +0000", "Tue, 02 Dec 2026 10:00:00 +0000"


def _two(tmp: Path, first: str, second: str, dates: tuple[str, str] | None = None, answers: bool = True) -> int:
    """Mae's two replies below patch 2 (the second answering the first, or the patch), with their Dates: the gate's
    exit status."""
    from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
    from tests.harness.test_gate_naks import RULE
    from tests.mailgen import message, write_mbox

    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch, cover = msgs[2]["Message-ID"].strip("<>"), msgs[0]["Message-ID"].strip("<>")
    one = message(f"Re: {msgs[2]['Subject']}", "m1@example.org", first + "\n", sender=REVIEWER, parent=patch,
                  refs=(cover, patch))
    up = "m1@example.org" if answers else patch
    two = message(f"Re: {msgs[2]['Subject']}", "m2@example.org", second + "\n", sender=REVIEWER, parent=up,
                  refs=(cover, patch, *(("m1@example.org",) if answers else ())))
    for m, d in zip((one, two), dates or (), strict=False):
        m.replace_header("Date", d) if "Date" in m else m.__setitem__("Date", d)
    rules = tmp / "r.toml"
    rules.write_text(RULE)
    return evaluate_gate(GateRequest((write_mbox(tmp / "v2.mbox", [*msgs, one, two]),), "v2", jobs=1,
                                     rules=rules, cache=shared_outcomes())).exit_status


@pytest.mark.parametrize(("first", "second", "dates", "answers", "status"), [
    # Dropped, then applied after all (answering, or dated later): the patch is in the tree. Before: NOT READY.
    ("Dropped from my tree.", "Applied again, thanks.", None, True, 0),
    ("I won't apply this.", "Re-applied.", (MON, TUE), False, 0),
    # Applied, then dropped; the same Date or none, not answering: the drop stands.
    ("Applied, thanks.", "Dropped from my tree, it breaks the build.", None, True, 1),
    ("Dropped from my tree.", "Applied, thanks.", (TUE, MON), False, 1),
    ("Dropped from my tree.", "Applied, thanks.", (MON, MON), False, 1),
    ("Dropped from my tree.", "Not applied.", None, True, 1),
])
def test_a_drop_then_applied_by_its_sender_no_longer_blocks(tmp_path: Path, first: str, second: str,
                                                           dates: tuple[str, str] | None, answers: bool,
                                                           status: int) -> None:
    assert _two(tmp_path, first, second, dates, answers) == status


@pytest.mark.parametrize("said", ["Dropped 2/3, thanks.", "I've dropped patch 2 for now.", "Unqueued 2/3.",
                                  "Queued 1/3 and 3/3, dropped 2/3.", "Dropping 2/3 from my queue.",
                                  "Please revert 2/3.", "I've reverted 2/3 from x86/tdx, it breaks boot.",
                                  "Reverted patch 2 from my tree.",
                                  # A revert with what it fixed, whoever sends it: the patch breaks that, a
                                  # regression report (each read as nothing: 'v2: READY', exit 0).
                                  "I reverted 2/3, and it boots.", "I reverted 2/3 and my SPR box boots again."])
def test_a_maintainer_dropping_the_patch_by_number_blocks_the_gate(tmp_path: Path, said: str) -> None:
    # Before: each was read as nothing ('v2: READY', exit 0), as "Dropped this patch." no longer was.
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3", said)]
    assert g.exit_status == 1


@pytest.mark.parametrize("said", ["I reverted 2/3 and it still hangs.", "You dropped patch 2 in v2.",
                                  "I haven't dropped 2/3.", "Dropped 2/3 of the checks.", "Have you dropped 2/3?"])
def test_a_patch_by_number_dropped_by_another_or_for_a_test_blocks_nothing(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()


@pytest.mark.parametrize("said", ["This is dropped from tip.", "Consider it dropped.",
                                  "This patch is dropped from my queue.", "The series has been dropped from tip.",
                                  "OK, this is dropped from my tree again."])
def test_a_patch_said_dropped_from_its_holder_blocks_the_gate(tmp_path: Path, said: str) -> None:
    # Before: each passive was read as nothing ('v2: READY', exit 0), though "Dropped from tip." was one.
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3", said)]


@pytest.mark.parametrize("said", ["It was dropped in v2.", "This patch was dropped in v2.", "It is dropped.",
                                  "The check is dropped from the loop.", "This patch is not dropped from my queue.",
                                  "If this is dropped from tip, the build breaks.",
                                  "This patch was dropped from arch/x86."])
def test_a_patch_said_dropped_elsewhere_or_not_blocks_nothing(tmp_path: Path, said: str) -> None:
    mbox, rules = _thread(tmp_path, said + "\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.headline()
