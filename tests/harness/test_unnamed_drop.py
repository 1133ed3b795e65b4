"""A request to drop that names no patch ("Please drop this."): the patch's by the quote above it, not the code's."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from harness.droprequest import unnamed_drop_sentence
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import _thread
from tests.mailgen import message, write_mbox

CODE = '> +\tpr_err("seamldr: retry failed\\n");\n'


@pytest.mark.parametrize(("body", "said"), [
    ("Please drop this.\n", "Please drop this."),  # top level, no quote
    ("Please drop this.\n\n" + CODE, "Please drop this."),  # above every quote: a top-post
    ("> x86/virt/tdx: Prepare the helpers\n\nDrop this one.\n", "Drop this one."),  # below the quoted subject
    ("> The loader retries each leaf on its own.\n\nThis should be dropped, the loader never runs out.\n",
     "This should be dropped, the loader never runs out."),  # below the quoted commit message
    ("> Changes in v2:\n> - Dropped the retry (Sean)\n\nI'd drop this, please.\n", "I'd drop this, please."),
    (CODE + "\nNot needed.\n\n> The loader retries each leaf.\n\nPlease drop this.\n", "Please drop this."),
    # A courtesy is no condition, and the verb's object may be left out: before, each read as no request.
    ("Drop this if possible.\n", "Drop this if possible."),
    ("> The loader retries each leaf on its own.\n\nPlease drop it.\n", "Please drop it."),
    ("I'd drop this one, please.\n\n" + CODE, "I'd drop this one, please."),
    ("Drop, please.\n", "Drop, please."),
    ("> x86/virt/tdx: Prepare the helpers\n\nPlease drop.\n", "Please drop."),
    ("Drop it if you can.\n", "Drop it if you can."),
])
def test_an_unnamed_request_to_drop_the_patch_blocks(tmp_path: Path, body: str, said: str) -> None:
    # Before: 'v2: READY', exit 0: only "drop this patch" (the patch named) was a request to drop it.
    _blocks_as_drop(tmp_path, body, said)


@pytest.mark.parametrize("body", [
    CODE + "\nPlease drop this.\n",  # below a quoted line of code: drop that line, a proposal
    '> + pr_err("retry failed\\n");\n\nPlease drop this.\n',
    "> @@ -1,3 +1,4 @@\n> \tint x;\n\nDrop this one, it is dead code.\n",
    "> +#define SEAMLDR_RETRIES 5\n>\n\nThis can be dropped.\n",
    "> Cc: stable@vger.kernel.org\n\nPlease drop this.\n",  # below a tag: the tag
    ">  \tif (!err)\n>  \t\treturn 0;\n\nDrop this one.\n",  # a diff's context line, its leading space kept
    CODE + "> [...]\n\nPlease drop this.\n",  # a mark of a cut is no line of its own
    "Please drop this check.\n",  # a thing named that is no patch
    "I don't think this should be dropped.\n",
    "If you drop this, patch 3 breaks.\n",
    "Should we drop this?\n",
    CODE + "\nDrop this if possible.\n",  # the forms read now, below code: that code, still
    CODE + "\nDrop, please.\n",
    CODE + "\nPlease drop it.\n",
    "I would not drop this.\n",
    "I would not drop, please.\n",
    "Should we drop?\n",
    "Drop this if it breaks the build.\n",  # a real condition
    "Don't drop, please.\n",
    CODE + "\nPlease rework this.\n",  # asked to be redone below quoted code: that code, a review comment
    "> Should the loop retry forever?\n\nAs I said, no.\n",  # a bare no answering a question quoted
    "Please rework this comment a bit, otherwise fine.\n\nReviewed-by: Mae Maint <mae@example.org>\n",
    "> no.\n\nLooks fine.\n",  # a no quoted is not the reply's
    "> Not for merging.\n\nLooks fine to me.\n",  # quoted: not the reply's
])
def test_one_under_quoted_code_or_naming_something_else_is_none(tmp_path: Path, body: str) -> None:
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    _points_alone(g)


def _points_alone(g: GateResult) -> None:
    """No NAK or request to drop read: what it asks of the code it quotes ("Please drop this." below a quoted line),
    if anything, is a review point no rule judges (harness.pointwords), which blocks as one, never as a drop."""
    assert all(o.kind is ObjectionKind.POINT for o in g.objections), (g.objections, g.headline())
    assert g.exit_status == (1 if g.objections else 0) and "request" not in g.headline(), g.headline()


def test_the_unnamed_requests_read() -> None:
    asks = ["Please drop this.", "Drop this one.", "This should be dropped.", "This can simply be dropped.",
            "Drop it, it is unused.", "Can we drop this?", "Drop this one, please."]
    assert [unnamed_drop_sentence(s) for s in asks] == asks
    assert [unnamed_drop_sentence(s) for s in ["drop this check", "Why drop this?", "This should not be dropped.",
                                               "We drop it before calling foo().", "It was dropped."]] == [None] * 5
    courteous = ["Drop this if possible.", "Drop, please.", "Please drop.", "Just drop.", "Drop it if you can.",
                 "Drop if possible.", "I'd drop this one, if that's ok."]
    assert [unnamed_drop_sentence(s) for s in courteous] == courteous
    assert [unnamed_drop_sentence(s) for s in ["The values drop.", "Drop this if it breaks.", "Prices drop, please.",
                                               "Why drop?", "We drop, then retry."]] == [None] * 5
    # A word to wait first, a reason after a comma: before, neither asked anything (the gate passed).
    held = ["Please don't apply, I found a bug.", "Hold on, please don't merge yet.", "Wait, don't apply this yet."]
    assert [unnamed_drop_sentence(s) for s in held] == held
    assert [unnamed_drop_sentence(s) for s in ["Don't merge, rebase onto tip.", "Please don't apply, merge instead.",
                                               "Hold on, I don't merge often."]] == [None] * 3


OTHER = "Rae Viewer <rae@example.org>"
LOG = "Our own changelog for x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs."  # patch 2's (seriesgen)


def _answer_to_a_review(tmp: Path, body: str) -> tuple[Path, Path]:
    """``_thread``'s series with another reviewer's review of patch 2 ("> LOG" then their words), and the
    maintainer's reply to that review (``body``)."""
    mbox, rules = _thread(tmp, "> " + LOG + "\n\nThe helper has no user yet; maybe later.\n", sender=OTHER)
    answer = message("Re: [PATCH v2 2/3] x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs", "drop-2@example.org",
                     body, sender="Mae Maint <mae@example.org>", parent="drop-1@example.org",
                     refs=("drop-1@example.org",), date="Tue, 06 Jan 2026 10:00:00 +0000")
    with mbox.open("a") as fh:
        fh.write(write_mbox(tmp / "answer.mbox", [answer]).read_text())
    return mbox, rules


@pytest.mark.parametrize("body", [
    "> The helper has no user yet; maybe later.\n\nPlease drop this.\n",  # under the other reviewer's words
    "> > " + LOG + "\n> The helper has no user yet; maybe later.\n\nDrop this one.\n",
    "Please drop this.\n\n> The helper has no user yet; maybe later.\n",  # above the quote of a review
])
def test_one_answering_another_reviewers_words_is_none(tmp_path: Path, body: str) -> None:
    # Before: 'v2: NOT READY: 1 request to drop no rule judges', exit 1: "drop this" there asks to drop what the review
    # says (its "maybe later"), read as a request to drop the patch.
    mbox, rules = _answer_to_a_review(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    _points_alone(g)


@pytest.mark.parametrize("body", [
    "> > " + LOG + "\n\nPlease drop this.\n",  # the patch's commit message, quoted in the review
    "> > x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs\n\nThis should be dropped.\n",  # its subject
    "> > Our own changelog for x86/virt/tdx: Prepare to support\n> > P-SEAMLDR SEAMCALLs.\n\nPlease drop this.\n",
])
def test_one_under_the_patchs_own_words_in_a_reply_to_a_review_blocks(tmp_path: Path, body: str) -> None:
    mbox, rules = _answer_to_a_review(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.exit_status == 1, g.headline()
    [o] = g.objections
    assert (o.kind, o.target, o.msgid) == (ObjectionKind.DROP, "v2 02/3", "drop-2@example.org"), o


@pytest.mark.parametrize(("body", "said"), [
    ("This isn't ready yet.\n", "This isn't ready yet."),
    ("Thanks for the respin.\n\nIt's a no-go.\n", "It's a no-go."),
    (CODE + "\nIt's a no-go.\n", "It's a no-go."),  # below the patch's own code, in a reply to the patch
    ("> " + LOG + "\n\nNot ready yet, the loop never ends.\n", "Not ready yet, the loop never ends."),
    ("That's a non-starter for me.\n", "That's a non-starter for me."),
    ("The loader could spin forever. It's a no-go.\n", "It's a no-go."),  # a thing's doing, no suggestion
    (CODE + "\nThis isn't ready yet: nothing bounds the loop.\n", "This isn't ready yet: nothing bounds the loop."),
    # Drawn from what the sentence said first: each passed (READY, exit 0), read only opening a sentence.
    ("The loop has no bound, so it's a no-go.\n", "The loop has no bound, so it's a no-go."),
    ("Given the above, this isn't ready yet.\n", "Given the above, this isn't ready yet."),
    ("The loop has no bound, therefore it is not ready.\n", "The loop has no bound, therefore it is not ready."),
])
def test_an_unnamed_verdict_on_the_patch_blocks(tmp_path: Path, body: str, said: str) -> None:
    # Before: 'v2: READY', exit 0: "ready" and "no-go" were read only with the patch named or "this" as the subject.
    _blocks_as_drop(tmp_path, body, said)


@pytest.mark.parametrize("body", [
    "You could retry in the caller instead.\n\nIt's a no-go though, the caller holds a lock.\n",  # its own suggestion
    "How about a bounded loop? That's a no-go, the leaf never returns.\n",
    "I have a cleanup for this. It isn't ready yet.\n",  # its own work
    "I don't think it's a no-go.\n",
    "It's a no-go to call it here.\n",  # another thing named after it
    "Is it a no-go?\n",
    "It isn't ready to use.\n",
    "> Cc: stable@vger.kernel.org\n\nNot ready yet.\n",  # below a tag: the tag's
    "The loop is bounded, so I don't think it's a no-go.\n",
    "You could retry in the caller. The loop is fine, so it's a no-go though.\n",  # the suggestion's
])
def test_an_unnamed_verdict_of_something_else_is_none(tmp_path: Path, body: str) -> None:
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    _points_alone(g)


def test_an_unnamed_verdict_is_placed_by_what_it_quotes_in_a_reply_to_a_review(tmp_path: Path) -> None:
    # Under the other reviewer's suggestion it judges the suggestion; under the patch's own words, the patch.
    mbox, rules = _answer_to_a_review(tmp_path, "> The helper has no user yet; maybe later.\n\nIt's a no-go.\n")
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections
    mbox, rules = _answer_to_a_review(tmp_path, "> > " + LOG + "\n\nThis isn't ready yet.\n")
    [o] = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections
    assert (o.kind, o.msgid, o.sentence) == (ObjectionKind.DROP, "drop-2@example.org", "This isn't ready yet."), o


@pytest.mark.parametrize(("body", "said"), [
    (CODE + "\nNope, this can't go in like that.\n", "Nope, this can't go in like that."),  # below the patch's code
    (CODE + "\nI'd rather we didn't merge this.\n", "I'd rather we didn't merge this."),
    ("> " + LOG + "\n\nI'd rather we didn't take this patch at all.\n", "I'd rather we didn't take this patch at all."),
    ("> " + LOG + "\n\nPlease hold off.\n", "Please hold off."),
    ("Nope, hold off for now, I'm still testing it.\n", "Nope, hold off for now, I'm still testing it."),
])
def test_a_reviewers_hold_in_other_words_blocks(tmp_path: Path, body: str, said: str) -> None:
    # Before: 'v2: READY', exit 0 for each: a hold below quoted code was read as of that code, "Nope," led no hold,
    # "like that" ended none, "I'd rather we didn't" and a bare "hold off" asked nothing.
    _blocks_as_drop(tmp_path, body, said)


@pytest.mark.parametrize("body", [
    "Hold off on the rename, the rest is fine.\n",  # a thing named
    "I don't think we should hold off.\n",
    "I'd rather you didn't take it personally.\n",
    "I'd rather not merge this without patch 1.\n",  # an order
    CODE + "\nPlease drop this.\n",  # still: below code, "drop this" drops the code
])
def test_what_holds_nothing_still_passes(tmp_path: Path, body: str) -> None:
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    _points_alone(g)


def _blocks_as_drop(tmp_path: Path, body: str, said: str) -> None:
    """The gate below v2 02/3 with ``body`` is NOT READY, exit 1, on one request to drop 02/3 citing ``said``."""
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.exit_status == 1, g.headline()
    [o] = g.objections
    assert (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", said), o


@pytest.mark.parametrize(("body", "said"), [
    ("Let's not do this.\n", "Let's not do this."),
    ("Thanks for the respin.\n\nLet's not do this, it breaks the loader.\n",
     "Let's not do this, it breaks the loader."),
    ("> " + LOG + "\n\nPlease don't do this.\n", "Please don't do this."),  # below the patch's own words
])
def test_asked_not_to_do_it_blocks_as_a_request_to_drop(tmp_path: Path, body: str, said: str) -> None:
    # Before: 'v2: READY', exit 0.
    _blocks_as_drop(tmp_path, body, said)


@pytest.mark.parametrize("body", [
    CODE + "\nLet's not do this, use a bounded loop.\n",  # of the code it quotes
    "You could retry in the caller. Let's not do this, though.\n",  # of the suggestion
    "Let's not do this in the caller.\n",  # another thing named
    "Why don't you do this?\n",
])
def test_asked_not_to_do_something_else_blocks_nothing(tmp_path: Path, body: str) -> None:
    # No request to drop; "use a bounded loop" after the comma is a change asked, a review point (harness.pointwords).
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    _points_alone(g)


@pytest.mark.parametrize(("body", "said"), [
    ("Not this one for now, sorry.\n", "Not this one for now, sorry."),
    ("I'll take this one later, once Thomas acks it.\n", "I'll take this one later, once Thomas acks it."),
    ("> " + LOG + "\n\nI'll apply it once Thomas acks it.\n", "I'll apply it once Thomas acks it."),
    ("Thanks. Not this one yet.\n", "Not this one yet."),
    ("I will pick it up once the prerequisite lands.\n", "I will pick it up once the prerequisite lands."),
    # A time of the calendar and something else: held (harness.scheduled reads the calendar alone).
    ("I'll apply it after -rc1 once Thomas acks it.\n", "I'll apply it after -rc1 once Thomas acks it."),
    ("I'll take it after the merge window if the leak is fixed.\n",
     "I'll take it after the merge window if the leak is fixed."),
])
def test_held_for_later_by_the_one_applying_blocks(tmp_path: Path, body: str, said: str) -> None:
    # Before: 'v2: READY', exit 0: not applied now, read as nothing.
    _blocks_as_drop(tmp_path, body, said)


@pytest.mark.parametrize("body", [
    "You could retry in the caller. I'll take this one later.\n",  # of the suggestion
    "Not this one, the next one has the bug.\n",  # pointing elsewhere
    "I'll look at this one later.\n",
    # A time of the release calendar alone: accepted, applied then (before: a request to drop, NOT READY, exit 1).
    "I'll pick this up once the merge window is over.\n", "I'll pick it up after the merge window closes.\n",
    "Thanks, I'll apply it after -rc1 is out.\n", "Once 6.14-rc1 is tagged, I'll queue it.\n",
    "We'll take it for the next cycle, thanks.\n",
])
def test_what_holds_nothing_for_later_passes(tmp_path: Path, body: str) -> None:
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, (g.objections, g.headline())


def test_the_quote_above_each_line_is_the_last_one_starting_before_it_in_any_order() -> None:
    # As each line found it by looking at every quote (the greatest index of a quote starting before it), for quotes
    # in any order (a forwarded message's quote is added last) and several on one line.
    from harness.errors import Where
    from harness.model import Quote
    from harness.unnameddrop import _last_quote_above

    rng = random.Random(7)
    for _ in range(300):
        starts = [rng.randrange(12) for _ in range(rng.randrange(8))]
        above = _last_quote_above([Quote(1, None, ("x",), Where("t.mbox", s)) for s in starts])
        for number in range(14):
            assert above(number) == max((i for i, s in enumerate(starts) if s < number), default=-1)


def test_a_reply_of_many_quotes_and_lines_is_read_in_linear_time() -> None:
    # Each own line looked at every quote for the one above it (24ed3685^): 20,000 quotes and 20,000 lines below them
    # took 28 s of CPU at a load of 8. Counted, not timed: the module's lines run for n quotes and lines, and for
    # twice as many, grow some twice (the scan of every quote: four times).
    import harness.unnameddrop
    from harness.errors import Where
    from harness.model import Quote
    from harness.unnameddrop import unnamed_drop
    from tests.linesrun import lines_at

    def run(n: int) -> None:
        quotes = [Quote(1, None, (f"The loader retries leaf {i}.",), Where("t.mbox", i + 1)) for i in range(n)]
        assert unnamed_drop([(n + 1 + i, f"Noted {i}.") for i in range(n)], quotes) is None

    small, big = lines_at(run, (500, 1000), harness.unnameddrop)
    assert 0 < big <= 2.2 * small, (small, big)
