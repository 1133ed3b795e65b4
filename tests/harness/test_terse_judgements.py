"""A terse judgement of the patch in a reply blocks the gate (a -1, a comparison, a checker, a question, a sed).

What each is: a -1 with its owner, the code compared with what it replaced, a checker complaining, a question saying
an earlier point stands, a substitution whatever it holds.

Generated v2 of our own series, replies below its patch 2 (top-posted, and below a quoted line of its code). Each
sentence of BLOCKS marked "r65" passed the gate READY, exit 0, before round 65 (h658); every sentence is written for
this test.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, bundled_sender, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

CODE = "> +\twhile (tries-- > 0) {\n\n"
# Each blocks v2 02/3, top-posted and below CODE.
BLOCKS = [
    "-1 from me.", "-1 on this patch.", "-1 for this approach, sorry.",  # r65: the vote with its owner or object
    "\N{MINUS SIGN}1 from my side.",
    # r65: the code judged against what it replaced
    "This reads worse than before.", "The new condition is subtly different from the old one.",
    "This looks worse than v1.", "This is not equivalent to the old code.", "It's harder to follow now.",
    "The loop is no longer equivalent to the old one.", "tdx_call_busy() is now subtly different when tries is 0.",
    "This is much harder to read than what it replaces.", "Subtly different from the old one.", "Worse than before.",
    # r65: a checker named as complaining
    "Checkpatch complains.", "coccicheck complains about this.", "checkpatch.pl still gives two warnings here.",
    "There are checkpatch warnings.", "Kernel-doc complains about the missing Return: section.",
    "checkpatch --strict complains.", "Running checkpatch gives 3 warnings.",
    # r65: a question saying an earlier point still stands (a question alone, the author's answer lifted it)
    "Still not fixed?", "Did you miss my comment on v2?", "Not addressed yet?", "Have you seen my review of v1?",
    "Why did you ignore my comments on v1?", "Why is this still not fixed?",
    # r65: a substitution whatever it holds: spaces, a word of the patch's fate ("read"), another delimiter
    "s/tries-- > 0/--tries/", "Please s/tries-- > 0/--tries/", "s/misread/mis-read/", "s|tries-- > 0|--tries|",
    "Nit: s/read/reads/",
    # Read before round 65 as well
    "-1", "sparse warns about this.", "W=1 complains here.",
]
# None blocks: a vote for, praise, a checker clean or waved away, a question of the patch, a difference granted, the
# old code judged, a comparison denied; an "s" that is no substitution.
PASSES = [
    "+1", "This reads better now.", "Checkpatch is clean.", "Not different from v2, fine.",
    "-1 on the name, +1 on the rest.", "This is no worse than before.", "This isn't different.",
    "The old code reads worse than this.", "This reads worse than before, but it is fine.",
    "This is subtly different from the old one, which is intended.", "The situation is worse than before this patch.",
    "checkpatch doesn't complain.", "No checkpatch warnings.", "Checkpatch complains, but it's a false positive.",
    "checkpatch reports no warnings.", "Checkpatch no longer complains.", "No worse than before.",
    "Better than before.",
    "Still not fixed? Ah, it is, in patch 3.",
    "It's, as always, fine.", "s/he and/or they are fine.", "No need to s/tries/retries/.",
]

QUESTIONS = ["Did you see my reply to Olga?", "Still applies on -rc3?", "Is this still needed?"]


def _reply(msgs: list[EmailMessage], n: int, body: str) -> EmailMessage:
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    return message(f"Re: {msgs[2]['Subject']}", f"j{n}@example.net", body + "\n",
                   sender=f"Rev Iewer{n} <rev{n}@example.net>", parent=ids[2], refs=(ids[0], ids[2]),
                   date=f"Mon, 05 Jan 2026 1{n // 60 % 10}:{n % 60:02d}:00 +0000")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> tuple[GateResult, list[str]]:
    """One gate run over v2 with each sentence of both lists below its patch 2, top-posted and below CODE, each from a
    sender of its own; and the bodies, by the number their Message-ID holds."""
    tmp = tmp_path_factory.mktemp("judgements")
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    bodies = [*BLOCKS, *PASSES, *(CODE + s for s in BLOCKS + PASSES)]
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *(_reply(msgs, n, b) for n, b in enumerate(bodies))])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes())), bodies


def test_each_terse_judgement_blocks_its_patch(table: tuple[GateResult, list[str]]) -> None:
    g, bodies = table
    got = {o.msgid: o.target for o in g.objections}
    missed = [b for n, b in enumerate(bodies) if b.removeprefix(CODE) in BLOCKS and got.get(f"j{n}@example.net")
              != "v2 02/3"]
    assert not missed and g.exit_status == 1, missed


def test_no_near_miss_blocks(table: tuple[GateResult, list[str]]) -> None:
    g, bodies = table
    blocked = [(bodies[int(o.msgid[1:].split("@")[0])], o.sentence) for o in g.objections
               if bodies[int(o.msgid[1:].split("@")[0])].removeprefix(CODE) in PASSES]
    assert not blocked, blocked


def test_the_reader() -> None:
    # Each a point of the patch, read as the whole sentence; "-1" is a vote, harness.unnameddrop's.
    points = [s for s in BLOCKS if not s.startswith(("-1", "\N{MINUS SIGN}1")) and s not in ("sparse warns about this.",
                                                                          "W=1 complains here.")]
    assert [s for s in points if point_sentence(s) != s] == []
    assert [s for s in PASSES if point_sentence(s) is not None and not s.startswith("-1 on the name")] == []
    # Questions of the patch or of others' words: each a question alone, which the author's answer lifts.
    assert [s for s in QUESTIONS if point_sentence(s) is not None] == []


def _answered(tmp: Path, said: str) -> GateResult:
    """v2 with ``said`` below its patch 2 and its author's answer below that."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    point = message(f"Re: {msgs[2]['Subject']}", "p1@example.net", f"{CODE}{said}\n", sender="Rev <rev@example.net>",
                    parent=ids[2], refs=(ids[0], ids[2]), date="Mon, 05 Jan 2026 10:00:00 +0000")
    answer = message(f"Re: {msgs[2]['Subject']}", "a1@example.net", f"> {said}\n\nI will look at it for v3.\n",
                     sender=bundled_sender(), parent="p1@example.net", refs=(ids[0], ids[2], "p1@example.net"),
                     date="Mon, 05 Jan 2026 11:00:00 +0000")
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, point, answer])
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("said", ["Still not fixed?", "Did you miss my comment on v2?"])
def test_a_point_said_to_stand_is_not_lifted_by_the_authors_answer(tmp_path: Path, said: str) -> None:
    # A question alone is lifted by the author's answer (questionwords.answered); this one says an earlier point still
    # stands: it was lifted, READY, exit 0.
    g = _answered(tmp_path, said)
    assert [(o.kind, o.sentence) for o in g.objections] == [(ObjectionKind.POINT, said)], g.headline()
    assert g.exit_status == 1


def test_a_question_of_the_patch_is_lifted_by_the_authors_answer(tmp_path: Path) -> None:
    g = _answered(tmp_path, "Still applies on -rc3?")
    assert not g.objections and g.exit_status == 0, g.headline()
