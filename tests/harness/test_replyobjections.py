"""harness.replyobjections: a NAK or a withdrawal in words seamharness does not read is read as neither, and blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness.test_gate_naks import MAE, OLGA, RULE, _replies
from tests.harness.test_reply_language import _gate

OLGAS_NAK = ("o1@example.org", "> quoted\n\nNAK, the retry loop never ends.\n", OLGA, "patch")
READ_O2 = RULE + '[[read]]\nmsgid = "o2@example.org"\nsaid = "no"\n'


def _objections(doc: dict[str, object]) -> list[dict[str, str]]:
    found = doc["objections"]
    assert isinstance(found, list)
    return found


def _kinds(doc: dict[str, object]) -> list[tuple[str, str]]:
    return [(o["kind"], o["msgid"]) for o in _objections(doc)]


def test_a_withdrawal_in_another_language_is_no_nak_but_words_not_read(tmp_path: Path) -> None:
    # Before: "Ich ziehe mein NAK zurück." ("I withdraw my NAK") was read as a NAK of its own, the sentence cited.
    mbox = _replies(tmp_path, OLGAS_NAK, ("o2@example.org", "> NAK\n\nIch ziehe mein NAK zurück.\n", OLGA,
                                          "o1@example.org"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 1 and _kinds(doc) == [("nak", "o1@example.org"), ("unread", "o2@example.org")], doc["objections"]
    unread = _objections(doc)[1]
    assert unread["sentence"].startswith("its words cannot be read: written in a language"), unread
    # Read by the user, it takes nothing back: seamharness did not read a withdrawal, and the first NAK stands; nor is
    # it lifted itself, as a NAK is not (a rule citing it judges it).
    status, doc = _gate(tmp_path, mbox, READ_O2)
    assert status == 1 and _kinds(doc) == [("nak", "o1@example.org"), ("unread", "o2@example.org")], doc["objections"]


def test_a_nak_among_words_not_read_blocks_though_the_user_read_the_reply(tmp_path: Path) -> None:
    # "NAK, this is wrong.": a NAK read before, which a [[read]] table does not lift; read as words not read, it must
    # not be lifted by one either (it was: the gate passed, exit 0).
    mbox = _replies(tmp_path, ("o2@example.org", "> quoted\n\nNAK, das ist falsch.\n", OLGA, "patch"))
    status, doc = _gate(tmp_path, mbox, READ_O2)
    assert status == 1 and _kinds(doc) == [("unread", "o2@example.org")], doc["objections"]
    assert "its words hold a NAK" in _objections(doc)[0]["note"], doc["objections"]


@pytest.mark.parametrize("words", ["Ich withdraw my NAK nicht.", "I withdraw my NAK nicht."])
def test_an_english_look_alike_in_another_language_takes_no_nak_back(tmp_path: Path, words: str) -> None:
    # Each is "I do not withdraw my NAK". Before: read as English (by its "my", then by three quarters of its words
    # English's), its withdrawal took the NAK back; once the user had read the reply, the gate passed (exit 0) on a NAK
    # that stands.
    mbox = _replies(tmp_path, OLGAS_NAK, ("o2@example.org", f"> NAK\n\n{words}\n", OLGA, "o1@example.org"))
    status, doc = _gate(tmp_path, mbox, READ_O2)
    assert status == 1 and _kinds(doc) == [("nak", "o1@example.org")], doc["objections"]


@pytest.mark.parametrize("words", [
    "Nein. NAK.\n",  # a NAK alone in its sentence reads in any language
    "Bitte nicht übernehmen.\n\nNacked-by: Mae Maint <mae@example.org>\n",  # and so does the trailer
])
def test_a_nak_that_reads_in_any_language_stays_a_nak(tmp_path: Path, words: str) -> None:
    mbox = _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}", MAE, "patch"))
    status, doc = _gate(tmp_path, mbox)
    assert status == 1 and _kinds(doc) == [("nak", "m1@example.org")], doc["objections"]


@pytest.mark.parametrize(("words", "said"), [
    ("Sorry, this isn't ready yet, I sent it by mistake.\n", "Sorry, this isn't ready yet, I sent it by mistake."),
    ("Please hold off, I found a bug in the retry.\n", "Please hold off, I found a bug in the retry."),
])
def test_the_authors_own_unnamed_hold_withdraws_the_patch(tmp_path: Path, words: str, said: str) -> None:
    # Before: 'v2: READY', exit 0: only the author's named hold ("Please don't apply this one") withdrew the patch.
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.test_gate_drops import AUTHOR, _thread

    mbox, rules = _thread(tmp_path, words, AUTHOR)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules))
    assert [(o.kind.value, o.target, o.sentence) for o in g.objections] == [("drop", "v2 02/3", said)]
    mbox, rules = _thread(tmp_path, "Please drop this.\n", AUTHOR)  # their "drop this": a plan, as before
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules)).objections


def test_many_messages_placed_below_none_are_read_in_linear_time(tmp_path: Path) -> None:
    # 100,000 generated one-line messages of no thread: eval ran past 15 minutes; unplaced() listed the input's
    # withdrawals anew for each such message (922a131f^: 12,000 of them, some 9 s of CPU a call). Listed once now.
    # Counted, not timed: harness.replyobjections' lines for n such messages, and twice as many, grow some twice.
    from dataclasses import replace

    import harness.replyobjections
    from harness.ingest import IngestRequest, parse_series
    from harness.model import Reply
    from harness.unplaced import unplaced
    from tests.linesrun import lines_at
    from tests.mailgen import demo_series, write_mbox

    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    with mbox.open("ab") as fh:
        for i in range(3):
            fh.write(b"From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: a@b\nSubject: hi\nMessage-ID: <t%d@x>\n\n"
                     b"hi\n\n" % i)
    series = parse_series(IngestRequest((mbox,)))

    def nth(first: Reply, i: int) -> Reply:  # the i-th such message, 7 lines a message below the first
        where = replace(first.mail.where, line=first.mail.where.line + 7 * i, msgid=f"t{i}@x")
        said = first.mail.subject_where  # its Subject: line, as far below the first's
        said = replace(said, line=said.line + 7 * i, msgid=f"t{i}@x") if said is not None else None
        return replace(first, mail=replace(first.mail, msgid=f"t{i}@x", where=where, subject_where=said),
                       own_at=tuple((at, line + 7 * i) for at, line in first.own_at))

    # The messages made from the first as parse_series reads them (its second and third are so made), not read.
    assert [nth(series.orphans[0], i) for i in range(3)] == list(series.orphans)

    def run(n: int) -> None:
        assert unplaced(replace(series, orphans=tuple(nth(series.orphans[0], i) for i in range(n))), 2,
                        frozenset()) == ()

    small, big = lines_at(run, (500, 1_000), harness.replyobjections)
    assert 0 < big <= 2.2 * small, (small, big)


def test_a_replys_objection_is_read_again_only_for_the_patches_it_reads(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Each reply was read again for each list of applied patches: a prefix of a revision (v2:02, then v2) read every
    # reply below the patches both apply again. A reply reading none of them (a review, a NAK of its own patch) is
    # read once; one naming patches by number is read again where they are other objects, and gives those.
    from dataclasses import replace

    import harness.replyobjections as replyobjections
    from harness.ingest import IngestRequest, parse_series
    from tests.harness.test_gate_naks import MAE, OLGA, _replies

    mbox = _replies(tmp_path, ("o1@example.org", "> quoted\n\nNAK, and the same for patch 1.\n", OLGA, "patch"),
                    ("m1@example.org", "> quoted\n\nLooks fine to me, one nit below.\n", MAE, "patch"))
    series = parse_series(IngestRequest((mbox,)))
    rev = series.revisions[-1]
    applied = list(rev.patches)
    assert len(applied) == 3 and applied[1].number == 2
    read: list[str] = []
    plain = replyobjections._read_one

    def counted(r: Any, *rest: Any) -> Any:
        read.append(r.mail.msgid)
        return plain(r, *rest)

    monkeypatch.setattr(replyobjections, "_read_one", counted)
    other_first = [replace(applied[0]), *applied[1:]]  # differs in the patch the NAK names
    found = [replyobjections.found(series, rev.version, a, frozenset()) for a in (applied[:2], applied, other_first)]
    assert sorted(read) == ["m1@example.org", "o1@example.org", "o1@example.org", "o1@example.org"], read
    assert found[0] == found[1] == found[2]
    naks = [next(f for f in each if f.objection.msgid == "o1@example.org") for each in found]
    assert [len(f.of) for f in naks] == [2, 2, 2], naks
    assert naks[0].of[0] is applied[0] and naks[2].of[0] is other_first[0]
