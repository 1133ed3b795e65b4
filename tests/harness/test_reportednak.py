"""harness.reportednak: a NAK a reply reports of another is theirs, blocks the gate, and their withdrawal lifts it."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.reportednak import person_named, reported_nak
from tests.harness.seriesgen import revision
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_earlier import CREATE, PREPARING, WRAPPING
from tests.harness.test_gate_naks import MAE, RULE, _replies
from tests.mailgen import message, write_mbox

THOMAS = "Thomas Tglx <tglx@example.org>"


@pytest.mark.parametrize(("words", "who"), [("Thomas already NAKed this.", "Thomas"), ("As Dave said, NAK.", "Dave"),
                                            ("This was NAKed by Thomas.", "Thomas"), ("He nacked it.", ""),
                                            ("Also NAKed by Thomas Tglx.", "Thomas Tglx"), ("Nacked.", None),
                                            ("NAKed by me.", None),
                                            ("Thomas NAKed this, and NAK from me too.", None),
                                            ("I NAKed this already.", None), ("NAK.", None)])
def test_a_nak_reported_of_another_names_them(words: str, who: str | None) -> None:
    found = reported_nak(words)
    assert (found.who if found is not None else None) == who


UNNAMED = "someone the reply does not name (reported by Mae Maint)"


@pytest.mark.parametrize(("words", "by"), [("Thomas already NAKed this.", "Thomas (reported by Mae Maint)"),
                                           ("As Dave said, NAK.", "Dave (reported by Mae Maint)"),
                                           ("He nacked it.", UNNAMED)])
def test_a_reported_nak_blocks_the_gate_under_its_givers_name(tmp_path: Path, words: str, by: str) -> None:
    # Before: "NAK of v2 02/3 by Mae Maint", the replier's own.
    mbox = _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert g.exit_status == 1 and [(o.author, o.sentence) for o in g.objections] == [(by, words)], g.objections


def test_the_reported_givers_withdrawal_lifts_it(tmp_path: Path) -> None:
    # Before: Thomas's withdrawal could not lift Mae's "own" NAK: NOT READY, exit 1.
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nThomas already NAKed this.\n", MAE, "patch"),
                    ("t1@example.org", "> Thomas already NAKed this.\n\nI withdraw my NAK, v2 is fine.\n", THOMAS,
                     "m1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


def test_the_repliers_own_withdrawal_lifts_no_reported_nak(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nThomas already NAKed this.\n", MAE, "patch"),
                    ("m2@example.org", "> Thomas already NAKed this.\n\nI withdraw my NAK.\n", MAE, "m1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert g.exit_status == 1 and [o.author for o in g.objections] == ["Thomas (reported by Mae Maint)"], g.objections


def test_a_report_of_a_nak_the_input_holds_is_that_nak_alone(tmp_path: Path) -> None:
    # Thomas's own NAK is in the thread: it is the objection (his withdrawal lifts it); Mae's report adds none.
    mbox = _replies(tmp_path, ("t1@example.org", "> quoted\n\nNAK, the loop never ends.\n", THOMAS, "patch"),
                    ("m1@example.org", "> NAK, the loop never ends.\n\nThomas already NAKed this.\n", MAE,
                     "t1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.msgid, o.author) for o in g.objections] == [("t1@example.org", "Thomas Tglx")], g.objections


def test_a_reported_nak_placed_below_nothing_is_theirs_too(tmp_path: Path) -> None:
    # Before: "NAK of v2 (placed below nothing: ...) by Mae Maint", and Mae's "Scratch my NAK." lifted it.
    from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
    from tests.harness.test_gate_naks import RULE
    from tests.mailgen import message, write_mbox

    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    reply = message("Re: the retry loop", "n9@example.org", "> quoted\n\nThomas already NAKed this.\n", sender=MAE)
    later = "Tue, 06 Jan 2026 10:00:00 +0000"
    mine = message("Re: the retry loop", "w9@example.org", "Scratch my NAK.\n", sender=MAE, date=later)
    his = message("Re: the retry loop", "t9@example.org", "I withdraw my NAK.\n", sender=THOMAS, date=later)
    (tmp_path / "rules.toml").write_text(RULE)

    def gate(*extra: object) -> list[str]:
        mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply, *extra])
        return [o.author for o in evaluate_gate(GateRequest((mbox,), "v2", jobs=1,
                                                            rules=tmp_path / "rules.toml",
                                                            cache=shared_outcomes())).objections]
    assert gate(mine) == ["Thomas (reported by Mae Maint)"]
    assert gate(his) == []


BORIS = "Borislav Petkov <bp@example.org>"


@pytest.mark.parametrize(("who", "name", "address"), [
    ("Boris", "Borislav Petkov", "bp@example.org"),  # the first name's beginning
    ("bp", "Borislav Petkov", "bp@example.org"),  # the address's local part
    ("tglx", "Thomas Gleixner", "tglx@example.org"),
    ("Dave", "David Hansen", "dave.hansen@example.org"),  # a familiar form
    ("Tom", "Thomas Lendacky", "thomas.lendacky@example.org"),
    ("Tom Lendacky", "Thomas Lendacky", "tl@example.org"),
    ("Petkov", "Borislav Petkov", "bp@example.org"),  # the last name
    ("Thomas Gleixner", "Thomas Gleixner", "tglx@example.org"),
])
def test_a_reported_name_names_its_sender_as_a_person_would(who: str, name: str, address: str) -> None:
    assert person_named(who, name, address)


@pytest.mark.parametrize(("who", "name", "address"), [
    ("Bo", "Borislav Petkov", "bp@example.org"),  # two letters: too little of the name
    ("Boris", "Thomas Gleixner", "tglx@example.org"),
    ("Thomas Lendacky", "Thomas Gleixner", "tglx@example.org"),
])
def test_a_reported_name_names_no_other(who: str, name: str, address: str) -> None:
    assert not person_named(who, name, address)


def _revisions(tmp: Path, *said: tuple[int, str, str, str]) -> tuple[int, list[tuple[str, str]]]:
    """v1 and v2 making the same change in their 2/3, replies below each 2/3 (revision, Message-ID, sender, words),
    dated in order; the v2 gate's exit status and (author, note) of its objections."""
    revs = {1: revision(1, [CREATE, PREPARING, WRAPPING]), 2: revision(2, [CREATE, PREPARING, WRAPPING])}
    out: dict[int, list[EmailMessage]] = {1: [], 2: []}
    for n, (rev, msgid, sender, words) in enumerate(said):
        to = revs[rev][2]
        up = to["Message-ID"].strip("<>")
        out[rev].append(message(f"Re: {to['Subject']}", msgid, f"> quoted line\n\n{words}\n", sender=sender, parent=up,
                                refs=(to["In-Reply-To"].strip("<>"), up),
                                date=f"Tue, 0{6 + n} Jan 2026 10:00:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest(tuple(write_mbox(tmp / f"v{v}.mbox", [*revs[v], *out[v]]) for v in (1, 2)), "v2",
                                  jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))
    return g.exit_status, [(o.author, o.note) for o in g.objections]


def test_a_reported_nak_carried_to_a_later_revision_is_lifted_by_the_person_named(tmp_path: Path) -> None:
    # Before: "Boris" matched "Borislav Petkov" only written whole, and his withdrawal below v2 lifted nothing.
    one = (1, "m1@example.org", MAE, "Boris NAKed this, the loader is special-cased again.")
    assert _revisions(tmp_path, one)[0] == 1
    back = (2, "b2@example.org", BORIS, "I withdraw my NAK, v2 is fine.")
    assert _revisions(tmp_path, one, back) == (0, [])
    by_handle = (1, "m1@example.org", MAE, "bp NAKed this, the loader is special-cased again.")
    assert _revisions(tmp_path, by_handle, back) == (0, [])


def test_a_reported_name_two_senders_share_is_said_to_be_ambiguous(tmp_path: Path) -> None:
    # Two Thomases: the withdrawal of one lifts nothing, and the objection says why rather than guessing.
    one = (1, "m1@example.org", MAE, "Thomas NAKed this, the loader is special-cased again.")
    other = (1, "t0@example.org", "Thomas Lendacky <thomas.lendacky@example.org>", "Looks fine to me.")
    back = (2, "t2@example.org", THOMAS, "I withdraw my NAK, v2 is fine.")
    status, found = _revisions(tmp_path, other, one, back)
    assert status == 1 and [a for a, _ in found] == ["Thomas (reported by Mae Maint)"], found
    note = found[0][1]
    assert note.startswith('"Thomas" may name Thomas Tglx <tglx@example.org> or Thomas Lendacky '
                           "<thomas.lendacky@example.org>: whose NAK it reports cannot be told"), note
    assert _revisions(tmp_path, one, back) == (0, [])  # one Thomas: his


def test_an_ambiguous_name_is_shown_as_its_senders_spell_it(tmp_path: Path) -> None:
    # Before: "Thomas Mctglx <tglx@example.org> or Thomas Von Lendacky <...>": the names title-cased, not the mail's.
    one = (1, "m1@example.org", MAE, "Thomas NAKed this, the loader is special-cased again.")
    other = (1, "t0@example.org", "Thomas von Lendacky <thomas.lendacky@example.org>", "Looks fine to me.")
    mc = (1, "t1@example.org", "Thomas McTglx <tglx@example.org>", "Looks fine to me as well.")
    status, found = _revisions(tmp_path, other, mc, one)
    assert status == 1 and found[0][1].startswith('"Thomas" may name Thomas McTglx <tglx@example.org> or Thomas von '
                                                  "Lendacky <thomas.lendacky@example.org>: "), found


DAVE = "Dave Hansen <dave@example.org>"


@pytest.mark.parametrize(("words", "who"), [
    ("Thomas and Dave NAKed it.", "Thomas and Dave"),  # was "Dave": his withdrawal lifted Thomas's NAK too
    ("Both Thomas and Boris NAKed v1.", "Thomas and Boris"),
    ("tglx, bp and Dave NACKed it.", "tglx, bp and Dave"),
    ("This was NAKed by Thomas and Dave.", "Thomas and Dave"),  # was "Thomas"
    ("This was NAKed by Thomas, and rightly so.", "Thomas"),
    ("The code is broken and Dave NACKed v2.", "Dave"),
    ("FWIW Thomas NAKed this on v1.", "Thomas"),  # was "FWIW Thomas"
    ("Still NAKed.", None),  # was "Still": the sender's own, said again
    ("NAK from Thomas too, see his reply on v1.", "Thomas"),  # was the sender's
    ("There was a NAK from tglx on v1.", "tglx"),
    ("NAK from him.", ""),
    ("NAK from Intel side.", None),  # the sender's, for the company
    ("NAK from me.", None),
])
def test_the_names_a_report_gives_are_each_named(words: str, who: str | None) -> None:
    found = reported_nak(words)
    assert (found.who if found is not None else None) == who, found


def test_a_nak_reported_of_two_is_lifted_by_neither_alone(tmp_path: Path) -> None:
    # Before: the report was Dave's alone, his withdrawal lifted it and the gate passed with Thomas's NAK unsaid.
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nThomas and Dave NAKed this.\n", MAE, "patch"),
                    ("d1@example.org", "> Thomas and Dave NAKed this.\n\nI withdraw my NAK.\n", DAVE, "m1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert g.exit_status == 1 and [o.author for o in g.objections] == ["Thomas and Dave (reported by Mae Maint)"], \
        g.objections


def test_a_senders_nak_said_again_is_theirs_to_take_back(tmp_path: Path) -> None:
    # Before: "Still NAKed." was a NAK reported of "Still", which Mae's withdrawal could not lift: NOT READY.
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nStill NAKed.\n", MAE, "patch"),
                    ("m2@example.org", "> Still NAKed.\n\nScratch my NAK, I misread the loop.\n", MAE,
                     "m1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


@pytest.mark.parametrize(("words", "who"), [
    ("v1 was NAKed.", ""), ("This was already NAKed before.", ""), ("The previous version got NACKed.", ""),
    ("It has been NAKed twice.", ""), ("v1 was NAKed by the x86 maintainers.", ""),
    ("v1 was NAKed by me.", None), ("This is NAKed.", None), ("NAKed.", None), ("v1 was NAKed, NAK again.", None),
])
def test_a_nak_in_the_passive_with_no_one_named_is_no_nak_of_the_senders(words: str, who: str | None) -> None:
    # Round 30 read "v1 was NAKed." as the sender's own NAK: the words say only that someone NAKed it.
    found = reported_nak(words)
    assert (found.who if found is not None else None) == who


def test_a_passive_nak_blocks_as_no_ones_named_and_the_senders_withdrawal_lifts_it_not(tmp_path: Path) -> None:
    # Before: "NAK of v2 02/3 by Mae Maint", hers, which her own "I withdraw my NAK." lifted.
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nv1 was NAKed.\n", MAE, "patch"),
                    ("m2@example.org", "> v1 was NAKed.\n\nI withdraw my NAK.\n", MAE, "m1@example.org"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert g.exit_status == 1 and [(o.author, o.sentence) for o in g.objections] == [(UNNAMED, "v1 was NAKed.")], \
        g.objections


def test_a_nacked_by_trailer_naming_another_is_theirs_relayed(tmp_path: Path) -> None:
    # Before: 'NAK of v2 02/3 by Mae Maint' for Mae's 'Nacked-by: Thomas Tglx <...>' (b4 reads the trailer's person,
    # and leaves it out from Mae as a mismatch), and Thomas's withdrawal could not lift it.
    relayed = ("m1@example.org", f"> quoted\n\nNacked-by: {THOMAS}\n", MAE, "patch")
    g = evaluate_gate(GateRequest((_replies(tmp_path, relayed),), "v2", jobs=1, rules=tmp_path / "rules.toml",
                                  cache=shared_outcomes()))
    assert [(o.author, o.sentence) for o in g.objections] == \
        [("Thomas Tglx (reported by Mae Maint)", f"Nacked-by: {THOMAS}")], g.objections
    for words, sender, lifted in (("I withdraw my NAK, v2 is fine.", THOMAS, True), ("I withdraw my NAK.", MAE, False)):
        mbox = _replies(tmp_path, relayed, ("w1@example.org", f"{words}\n", sender, "m1@example.org"))
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert (not g.objections) == lifted, (words, sender, g.objections)
    # Her own Nacked-by, or one beside a NAK sentence of her own, stays hers.
    for words in (f"Nacked-by: {MAE}", f"NAK, the loop never ends.\n\nNacked-by: {THOMAS}"):
        mbox = _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch"))
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert [o.author for o in g.objections] == ["Mae Maint"], (words, g.objections)
