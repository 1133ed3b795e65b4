"""A table of review replies, each judged by one gate run: which block and which do not.

A table of review replies, each judged by one gate run: those refusing, NAKing or reporting a breakage block the
revision, praise, questions, conditional acks and near misses do not (harness.refusals, harness.regressions,
harness.unnameddrop, harness.authorconfirms). Every sentence is written for this test."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, bundled_sender, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

AUTHOR = bundled_sender()
CODE = "> +\tif (WARN_ON(!fn))\n> +\t\treturn -EINVAL;\n\n"
PROSE = "> The loader retries each leaf on its own.\n\n"

# Each blocks v2: the reply below patch 2 (its patch 1 where the reply names it). Those marked "r35" were read as
# nothing at 00a84798 (v2 READY, exit 0).
BLOCKS: list[tuple[str, str]] = [
    ("Not gonna happen.", "02/3"),  # r35
    ("Thomas won't take this.", "02/3"),  # r35
    ("I won't ack this.", "02/3"),  # r35
    ("NAK.", "02/3"),
    ("Nack, the loop has no bound.", "02/3"),
    ("Nope, this is wrong.", "02/3"),  # r35
    ("This can't go in as is.", "02/3"),
    ("Please don't merge this.", "02/3"),
    ("I'd rather we not do this.", "02/3"),  # r35
    ("This breaks boot on my SPR box.", "02/3"),
    ("v2 oopses in tdx_init().", "02/3"),  # r35
    ("That's not going to happen, sorry.", "02/3"),  # r35
    ("I will not ack this patch.", "02/3"),  # r35
    ("I'm not going to ack this in its current form.", "02/3"),  # r35
    ("Linus won't merge this.", "02/3"),  # r35
    ("The x86 maintainers will not take this series.", "02/3"),  # r35
    ("He isn't going to apply this.", "02/3"),  # r35
    ("We shouldn't do this.", "02/3"),  # r35
    ("I'd prefer you didn't do this.", "02/3"),  # r35
    ("This patch is wrong.", "02/3"),  # r35
    ("With v2 my EMR box panics at boot.", "02/3"),  # r35
    ("This series hangs on my SPR machine.", "02/3"),  # r35
    ("I don't want this.", "02/3"),  # r35
    ("No.", "02/3"),  # r35
    ("Absolutely not.", "02/3"),  # r35
    ("This will never happen, I'm afraid.", "02/3"),  # r35
    ("I can't ack this.", "02/3"),  # r35
    ("Frankly, this is just broken.", "02/3"),  # r35
    ("I won't ack patch 1, but this one is fine.", "01/3"),  # r35
    ("Sorry, but Boris will not queue this.", "02/3"),  # r35
    ("v2 breaks the build on arm64.", "02/3"),  # r35
    (PROSE + "Not gonna happen.", "02/3"),  # r35: below the commit message quoted
    ("NAK, and I mean it.", "02/3"),
    ("I will not be taking this patch.", "02/3"),
    ("Hmm, v2 of this series crashes here right away.", "02/3"),  # r35
    ("NAK for v1 and this one too.", "02/3"),  # another revision named, and this one
    ("NAK for v1 and v2.", "02/3"),
    ("No.\n\nOn Mon, Ann wrote:\n> This adds a retry.", "02/3"),  # r35: top-posted above a quote of prose
    ("I won't ack this until the WARN is gone.", "02/3"),  # r35
    ("Without the WARN, this patch breaks boot.", "02/3"),
    # Those marked "r37" were read as nothing at 41c814f8 (v2 READY, exit 0): the patch not wanted or accepted, a
    # doubt that it should go in or is needed, and an objection said to stand (not addressed by this revision).
    ("I don't want this patch.", "02/3"),  # r37
    ("We don't want this series.", "02/3"),  # r37
    ("I do not want this patch in.", "02/3"),  # r37
    ("Don't want this patch, sorry.", "02/3"),  # r37
    ("I don't accept this patch.", "02/3"),  # r37
    ("This patch is not wanted.", "02/3"),  # r37
    ("I don't want this patch to go in.", "02/3"),  # r37
    ("Still not convinced this should go in.", "02/3"),  # r37
    ("I'm still not convinced this should go in.", "02/3"),  # r37
    ("I'm not convinced this patch is needed.", "02/3"),  # r37
    ("I am not convinced we need this patch.", "02/3"),  # r37
    ("Not convinced we should take this.", "02/3"),  # r37
    ("I'm still not convinced this is the right approach.", "02/3"),  # r37
    ("Still not convinced.", "02/3"),  # r37: the doubt alone, above every quote
    ("This doesn't address my feedback on v3.", "02/3"),  # r37
    ("v2 still doesn't address my comments on v1.", "02/3"),  # r37
    ("This version does not address my concerns.", "02/3"),  # r37
    ("My comments on v1 still stand.", "02/3"),  # r37
    ("My objections to v1 still apply.", "02/3"),  # r37
    ("My feedback on v1 was not addressed.", "02/3"),  # r37
    ("You ignored my feedback on v1.", "02/3"),  # r37
    ("I don't think this addresses my concerns from v1.", "02/3"),  # r37
    ("Doesn't address my review of patch 1.", "01/3"),  # r37: the objection to the patch it names
    # Those marked "r39" were read as nothing at ea1ce1e3 (v2 READY, exit 0): a no said tersely, with a sound, a repeat
    # or a plea; a verdict with its subject left out; an objection said as one; one of the sender's said to stand.
    ("Heh, no.", "02/3"),  # r39
    ("Again: No.", "02/3"),  # r39
    ("No, no, no.", "02/3"),  # r39
    ("No, just no.", "02/3"),  # r39
    ("What? No.", "02/3"),  # r39
    ("Please, no.", "02/3"),  # r39
    ("Please don't.", "02/3"),  # r39
    ("Not like this.", "02/3"),  # r39
    ("Not in this form, no.", "02/3"),  # r39
    ("Not a chance.", "02/3"),  # r39
    ("Unacceptable.", "02/3"),  # r39
    ("Not OK.", "02/3"),  # r39
    ("Still broken.", "02/3"),  # r39
    ("Nope, still wrong.", "02/3"),  # r39
    ("This is broken in multiple ways.", "02/3"),  # r39
    ("This is the wrong approach.", "02/3"),  # r39
    ("This is still not right.", "02/3"),  # r39
    ("That's not what I asked for.", "02/3"),  # r39
    ("This won't fly.", "02/3"),  # r39
    ("Needs more work.", "02/3"),  # r39
    ("Still needs another round.", "02/3"),  # r39
    ("Not ready for prime time.", "02/3"),  # r39
    ("Not applying, sorry.", "02/3"),  # r39
    ("I won't ack.", "02/3"),  # r39
    ("I object.", "02/3"),  # r39
    ("I still object to this.", "02/3"),  # r39
    ("I'm against this patch.", "02/3"),  # r39
    ("You've ignored my review.", "02/3"),  # r39
    ("You ignored what I said in v1.", "02/3"),  # r39
    ("None of my comments from v1 were addressed.", "02/3"),  # r39
    ("No, this is still wrong.", "02/3"),  # r39: the "no" opening it counted as its negation
    ("This isn't the right way to do it.", "02/3"),  # r39
    ("This can't work.", "02/3"),  # r39
    ("That's a no.", "02/3"),  # r39
    ("This is a hard no from me.", "02/3"),  # r39
    ("Not with my ack.", "02/3"),  # r39
    ("Gah, no.", "02/3"),  # r39
    ("Definitely not like this.", "02/3"),  # r39
    ("This is broken beyond repair.", "02/3"),  # r39
    ("v2 is still broken.", "02/3"),  # r39
    ("Same objection as for v1.", "02/3"),  # r39
    ("The same problem as in v1 is still there.", "02/3"),  # r39
    ("You didn't fix the bug I pointed out.", "02/3"),  # r39
    ("The bug I pointed out in v1 is still there.", "02/3"),  # r39
    ("I really don't like this.", "02/3"),  # r39: read as nothing at ef915852
    ("This is a horrible hack.", "02/3"),  # r39: read as nothing at ef915852
    ("This is really gross.", "02/3"),  # r39: read as nothing at ef915852
    ("Yuck.", "02/3"),  # r39: read as nothing at ef915852
    ("-1", "02/3"),  # r39: read as nothing at ef915852
    ("-ENOPE", "02/3"), ("Hard pass.", "02/3"), ("Not for me.", "02/3"), ("I object.", "02/3"),  # r63: read as nothing
    # r40: each read as nothing at e918a2cb (v2 READY, exit 0)
    ("Please rework this.", "02/3"),  # asked to be done again, the patch as a whole
    ("Please redo it.", "02/3"),
    ("Needs a rewrite.", "02/3"),
    ("This patch needs to be reworked before it can go in.", "02/3"),
    ("I told you before: no.", "02/3"),  # a bare no framed as said before or as the answer
    ("As I said, no.", "02/3"),
    ("My answer is still no.", "02/3"),
    ("Not like this, sorry.", "02/3"),
    ("Must not be applied.", "02/3"),  # a refusal, its subject left out
    ("Shouldn't go in as is.", "02/3"),
    # r41: each read as nothing at 2c17463e (v2 READY, exit 0): the patch labelled not for merging, its subject left
    # out or a pronoun, and a request not to merge it with its courtesy after it
    ("Not for merging.", "02/3"),
    ("Not for merge.", "02/3"),
    ("NOT FOR MERGE", "02/3"),
    ("This is not for merging yet.", "02/3"),
    ("Not meant for merging, just for discussion.", "02/3"),
    ("Not to be merged.", "02/3"),
    ("Don't merge yet, please.", "02/3"),
]
# None blocks: praise, questions, conditional acks, another's route, what cannot happen in the code, negated reports.
PASSES: list[str] = [
    "I won't object.",
    "I won't object to this going in.",
    "Not gonna lie, this looks good.",
    "Thomas will take this through tip.",
    "No, that's fine.",
    "This doesn't break anything I can see.",
    "> NAK\n\nI disagree with the NAK above, the loop is bounded.",
    "Why won't Thomas take this?",
    "Thomas won't take this personally, don't worry.",
    "It won't happen in practice, the caller checks.",
    "Not gonna happen in practice: the caller holds the lock.",
    CODE + "That's not going to happen.",  # the case the code tests cannot arise
    CODE + "Not gonna happen.",
    "I can't ack this, I'm not the maintainer, but it looks fine to me.",
    "I'd rather we not rename it, but it's your call.",
    "We shouldn't do this in the fast path, but here it is fine.",
    "If Thomas won't take this, Andrew can.",
    "This is wrong, but harmless.",
    "I don't think this is wrong.",
    "Does v2 crash on SPR?",
    "v1 broke boot, v2 is fine.",
    "v2 no longer crashes on SPR.",
    "The comment is wrong, s/retry/retries/.",
    "Nope, no further comments from me.",
    "I'll ack this once the comment is fixed.",
    "No objection to taking this.",
    "I won't be able to review this until Monday.",
    "That can't happen here, the caller holds the lock.",
    "I don't want this to hold up the series.",
    "I'd rather not do this in the caller, the helper is the right place.",
    "No way to tell from the log.",
    "Dave won't mind.",
    "Thomas won't take this, Andrew will.",
    "Looks good to me. Not gonna lie, I expected worse.",
    "Is this wrong?",
    "Great work, thanks!",
    "I can't reproduce the crash with this patch.",
    "It no longer hangs here with v2.",
    # A NAK of another revision only, this one said to answer it (each blocked v2 as its own NAK at 00a84798).
    "My NAK was for v1; this version is fine.",
    "NAK for v1 only, v2 is fine.",
    "I NAKed v1 for the unbounded loop, v2 fixes it.",
    # The sender yielding, a top-posted no answering a quoted question, another route or thing.
    "We shouldn't do this, IMO, but I won't block it.",
    "I'd rather we not do this. Your call, though.",
    "Nope, this is wrong. Not a blocker though.",
    "No.\n\nOn Mon, Ann wrote:\n> Should this go to stable?",
    "Sean isn't going to apply this to kvm-x86, it goes via tip.",
    "Greg won't take this into stable without a Fixes tag.",
    "Not gonna happen with the current firmware, so the WARN is fine.",
    # An ack withheld for a reason that is no objection.
    "I won't ack this: I have no way to test it. Looks sane though.",
    "I can't ack this. I don't have the hardware.",
    "I reverted it and it still crashes.",  # the failure without the patch
    # Near misses of the r37 rows: wanting something else of the patch, a doubt of something else, an objection
    # answered, a question, one yielded, the words below quoted code (of that code).
    "I don't want this patch to be delayed.",
    "I don't want this patch dropped.",
    "I don't want this patch to hold up the series.",
    "I don't want this patch backported without the fix.",
    "Not convinced this is wrong.",
    "I'm not convinced this can happen.",
    "I was not convinced at first, but now this looks right.",
    "If you're not convinced this should go in, say so.",
    "Are you still not convinced this should go in?",
    "I'm not convinced this patch is needed, but I won't block it.",
    "This addresses my feedback.",
    "v2 addresses all my comments, thanks.",
    "Does this address my feedback on v1?",
    "This doesn't just address my feedback, it also fixes the leak.",
    "This doesn't address my feedback on the name, but that can be a follow-up.",
    "My comments on v1 are all addressed now.",
    CODE + "Not convinced this is needed.",
    CODE + "I'm not convinced.",
    # Near misses of the r39 rows: a no that goes on, a sound before praise, a verdict yielded or of another thing, a
    # negated objection, one of a part, comments said addressed.
    "Not like this is new, though.",
    "Not a chance of deadlock here, the lock is held.",
    "Heh, nice catch.",
    "What? No idea, ask Thomas.",
    "Please, no more versions this week.",
    "Wrong, but harmless.",
    "Still broken on my box? No, it works now.",
    "Needs work on the comment, otherwise fine.",
    "Needs a look from Thomas.",
    "That's not what I asked for, but it's better.",
    "Not right now, I'm busy.",
    "I don't object.",
    "No objection.",
    "Not for me to say, looks fine.",
    "I wouldn't object to this.",
    "I'm not against this.",
    "I object to the name, but the rest is fine.",
    "I'm against this in principle, but I won't block it.",
    "I won't apply it to the other loop.",
    "None of my comments were ignored, thanks.",
    "You addressed what I said in v1, thanks.",
    CODE + "Still broken.",
    CODE + "Not OK.",
    CODE + "This can't work.",
    "No, nothing is wrong here.",
    "It's a no-op.",
    "That's a no brainer.",
    "It's a no from the firmware, it returns busy.",
    "This isn't right for AMD, but AMD has no TDX anyway.",
    "It doesn't work like that, the caller holds the lock.",
    "If this doesn't work, tell me.",
    "Same comment as for patch 1: s/retry/retries/.",
    "The same problem as in v1 was fixed, thanks.",
    "You fixed the bug I pointed out, thanks.",
    "v1 was broken, v2 is fine.",
    "Ew, a goto. Fine though.",
    "It isn't right now, but the next patch fixes it.",
    "I don't like this name, but the rest is fine.",
    "I don't like this, but I won't block it.",
    "This is a bit of a hack, but it works.",
    "That's terrible, thanks for fixing it.",
    "+1",
    "-1 on the name, +1 on the rest.",
    "Please rework this comment a bit, otherwise fine.",
    "Please rework this, otherwise fine.",
    "I'll rework this in v3.",
    "Should I rework this?",
    "I don't think this needs more work.",
    "The loop needs more work.",
    "I told you before: no need to resend.",
    "As I said before, no, the loader does not retry.",
    "Must not be applied to stable.",
    "Must this not be applied to stable?",
    "The two helpers look alike but should not be merged.",
    "Not for merging into stable.",
    "Not for merging?",
    "Is this not for merging?",
    "The debug print is not for merging, the rest is fine.",
    "I assume the selftest hack is not meant for merging.",
    "Don't merge the two helpers, please.",
    "Not to be merged with the loader's retry.",
    "Untested debug hack below, not for merging:",
    "I have a debug patch for this. Not for merging, of course.",
]


def _reply(msgs: list[EmailMessage], n: int, body: str, sender: str, parent: int = 2) -> EmailMessage:
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    return message(f"Re: {msgs[parent]['Subject']}", f"t{n}@example.net", body + "\n", sender=sender,
                   parent=ids[parent], refs=(ids[0], ids[parent]), date=f"Mon, 05 Jan 2026 10:{n % 60:02d}:00 +0000")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> GateResult:
    """One gate run over v2 with every reply of both lists below its patch 2, each from a sender of its own."""
    tmp = tmp_path_factory.mktemp("table")
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    said = [s for s, _ in BLOCKS] + PASSES
    replies = [_reply(msgs, n, s, f"Rev Iewer{n} <rev{n}@example.net>") for n, s in enumerate(said)]
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *replies])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


def test_each_refusal_nak_or_report_blocks_its_patch(table: GateResult) -> None:
    g = table
    got = {o.msgid: o.target for o in g.objections}
    missed = [(s, want, got.get(f"t{n}@example.net")) for n, (s, want) in enumerate(BLOCKS)
              if got.get(f"t{n}@example.net") != f"v2 {want}"]
    assert not missed and g.exit_status == 1, missed


def test_no_near_miss_blocks(table: GateResult) -> None:
    # None refuses the patch; those asking a change of it are review points (harness.pointwords), no refusal.
    g = table
    ids = {f"t{n}@example.net": s for n, s in enumerate(PASSES, start=len(BLOCKS))}
    blocked = [(ids[o.msgid], o.sentence) for o in g.objections if o.msgid in ids and o.kind is not ObjectionKind.POINT]
    assert not blocked, blocked
    points = [ids[o.msgid] for o in g.objections if o.msgid in ids and o.kind is ObjectionKind.POINT]
    # A verdict right below quoted code is of that code, no refusal of the patch, but a change asked of it: each of the
    # five below CODE passed the gate, said nowhere, before harness.pointwords.reply_point read them; so did each
    # question to the patch's author, theirs to answer (harness.questionwords).
    assert points == ["Does v2 crash on SPR?",
                      "The comment is wrong, s/retry/retries/.",
                      # An ack held back until a change: the change is asked (grantcondition).
                      "I'll ack this once the comment is fixed.",
                      "I'd rather not do this in the caller, the helper is the right place.",
                      "Is this wrong?", "Does this address my feedback on v1?",
                      *(CODE + s for s in ("Not convinced this is needed.", "I'm not convinced.")),
                      # A part asked in everyday words (harness.askedwords), as "Please rework this comment" is.
                      "Needs work on the comment, otherwise fine.",
                      *(CODE + s for s in ("Still broken.", "Not OK.", "This can't work.")),
                      "Same comment as for patch 1: s/retry/retries/.",
                      "Please rework this comment a bit, otherwise fine.",
                      "Please rework this, otherwise fine.", "Should I rework this?",
                      # What the code should not do, its object the code's ("merge" of two helpers, not of the patch).
                      "Don't merge the two helpers, please."], points


def test_a_report_is_titled_a_regression_not_a_request_to_drop(table: GateResult) -> None:
    g = table
    by = {o.msgid: o for o in g.objections}
    report = by[f"t{[s for s, _ in BLOCKS].index('v2 oopses in tdx_init().')}@example.net"]
    assert report.title == "regression reported in v2 02/3 by Rev Iewer10", report.title
    refusal = by[f"t{[s for s, _ in BLOCKS].index('Thomas won' + chr(39) + 't take this.')}@example.net"]
    assert refusal.title == "request to drop v2 02/3 by Rev Iewer1"


def test_an_objection_said_to_stand_is_said_as_one(table: GateResult) -> None:
    # "This doesn't address my feedback on v3." blocks as its sender's objection still standing. One meaning (round 67):
    # a review point still standing (harness.tersepoints.carried_over), not also a request to drop (it was both, the
    # gate titling it a request to drop); one naming another patch stays that patch's refusal ("... of patch 1.").
    by = {o.msgid: o for o in table.objections}
    o = by[f"t{[s for s, _ in BLOCKS].index('This doesn' + chr(39) + 't address my feedback on v3.')}@example.net"]
    assert o.kind is ObjectionKind.POINT and o.sentence == "This doesn't address my feedback on v3.", o
    named = by[f"t{[s for s, _ in BLOCKS].index('Doesn' + chr(39) + 't address my review of patch 1.')}@example.net"]
    assert named.kind is not ObjectionKind.POINT and named.target == "v2 01/3", named


def test_the_gate_cites_the_report_by_message_and_author(tmp_path: Path) -> None:
    # As a user runs it: exit 1 and an evidence line naming the message and its sender.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    replies = [_reply(msgs, 1, "v2 oopses in tdx_init().", "Rev Iewer <rev@example.net>"),
               _reply(msgs, 2, "Thomas won't take this.", "Mae Maint <mae@example.org>")]
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, *replies])
    r = CliRunner().invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml")])
    said = " ".join(r.stdout.split())
    assert r.exit_code == 1, said
    assert re.search(r"regression reported in v2 02/3 by Rev Iewer <t1@example\.net> \([^)]*\): \"v2 oopses in "
                     r"tdx_init\(\)\.\"", said), said
    assert re.search(r"request to drop v2 02/3 by Mae Maint <t2@example\.net> \([^)]*\): \"Thomas won't take "
                     r"this\.\"", said), said


def _thread(tmp: Path, replies: list[tuple[str, str, str, str]]) -> GateResult:
    """v2 and ``replies`` (Message-ID, the one answered: "p2" for patch 2 or another reply's id, sender, body)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    out = []
    for n, (msgid, parent, sender, body) in enumerate(replies):
        up = ids[2] if parent == "p2" else parent
        out.append(message(f"Re: {msgs[2]['Subject']}", msgid, body, sender=sender, parent=up,
                           refs=(ids[0], ids[2], *([up] if up != ids[2] else [])),
                           date=f"Mon, 05 Jan 2026 1{n // 60}:{n % 60:02d}:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *out])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


MAE = "Mae Maint <mae@example.org>"
UNREAD_REPORT = "> +\tdo {\n\nHmm, my SPR box is unhappy with this: an oops in tdx_init() on every boot.\n"


# (report, the author's answer to it, whether the answer blocks)
CONFIRMS = [
    # The report in words not read as one, its author's confirmation read: before, v2 READY, exit 0.
    (UNREAD_REPORT, "> an oops in tdx_init()\n\nYes, I can reproduce, will fix in v4.\n", True),
    (UNREAD_REPORT, "Reproduced here, thanks. Will send v4.\n", True),
    (UNREAD_REPORT, "I can't reproduce it here, which config do you use?\n", False),
    (UNREAD_REPORT, "Reproduced, but it was my stale config: the patch is fine.\n", False),
    ("> +\tdo {\n\nDoes this hang if the module stays busy?\n", "No, the loop is bounded; I can confirm that.\n",
     False),  # a question answered, no failure told of
    ("Please rename the helper.\n", "Yes, will do in v4.\n", False),
]


def test_the_authors_confirmation_of_a_breakage_blocks(tmp_path: Path) -> None:
    # One gate run, each report from a sender of its own and its answer from the patch's author.
    g = _thread(tmp_path, [x for n, (report, answer, _) in enumerate(CONFIRMS) for x in (
        (f"rep{n}@example.org", "p2", f"Rev Iewer{n} <rev{n}@example.org>", report),
        (f"ans{n}@example.org", f"rep{n}@example.org", AUTHOR, answer))])
    got = {o.msgid: o for o in g.objections if o.kind is not ObjectionKind.POINT}
    # "Please rename the helper." stands, a review point, whatever its author promises for v4 (harness.pointwords).
    assert [o.msgid for o in g.objections if o.kind is ObjectionKind.POINT] == ["rep5@example.org"]
    # The author's two confirmations are one objection, the later cited with the first ("also given in").
    cited = {*got, *(a.msgid for o in got.values() for a in o.again)}
    assert cited == {f"ans{n}@example.org" for n, (_, _, blocks) in enumerate(CONFIRMS) if blocks}, \
        [o.describe() for o in g.objections]
    o = got["ans0@example.org"]
    assert o.note == "the patch's author confirms the breakage Rev Iewer0 reported in <rep0@example.org>", o.note
    assert o.title.startswith("regression reported in v2 02/3 by ") and g.exit_status == 1


def test_a_nak_its_sender_withdrew_later_does_not_block(tmp_path: Path) -> None:
    g = _thread(tmp_path, [("n1@example.org", "p2", MAE, "NAK, the loop has no bound.\n"),
                           ("n2@example.org", "n1@example.org", MAE, "> NAK\n\nI withdraw my NAK, I misread the "
                                                                     "loop.\n")])
    assert not g.objections and g.exit_status == 0, [o.describe() for o in g.objections]


def test_a_refusal_quoted_or_answered_by_another_is_its_senders_alone(tmp_path: Path) -> None:
    # Mae's r37 refusals block as hers; the author's answers quoting them, and another reviewer's disagreeing, add
    # none (their own words refuse nothing), nor do the author's own words of wanting or feedback.
    said = ["I don't want this patch.", "Still not convinced this should go in.", "This doesn't address my feedback "
            "on v1."]
    replies = [(f"m{n}@example.org", "p2", MAE, f"{s}\n") for n, s in enumerate(said)]
    replies += [(f"a{n}@example.org", f"m{n}@example.org", AUTHOR, f"On Mon, Mae Maint wrote:\n> {s}\n\nThe numbers "
                 "in the cover letter show it halves the retries.\n") for n, s in enumerate(said)]
    replies += [(f"r{n}@example.org", f"m{n}@example.org", "Rev Iewer <rev@example.net>", f"On Mon, Mae Maint "
                 f"wrote:\n> {s}\n\nI disagree, it fixes a real bug.\n") for n, s in enumerate(said)]
    replies += [("own@example.org", "p2", AUTHOR, "I don't want this patch to be delayed by the rename, so v3 keeps "
                 "it.\n")]
    g = _thread(tmp_path, replies)
    got = {o.msgid for o in g.objections} | {a.msgid for o in g.objections for a in o.again}
    assert got == {f"m{n}@example.org" for n in range(len(said))}, [o.describe() for o in g.objections]
