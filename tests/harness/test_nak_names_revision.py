"""A NAK given below an earlier revision that names a later one as NAKed too ("NAK, and v2 too") blocks that one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.nakrevisions import naked_revisions
from tests.harness.seriesgen import Step, revision
from tests.harness.test_gate_earlier import (
    CHANGED,
    CREATE,
    MAE,
    NAK,
    NOTES,
    PREPARING,
    WRAPPING,
    _gate,
    _git_patch_id,
    _inputs,
    _reply,
)
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

NAMING = ["NAK, and v2 too.", "NAK for v1 and v2.", "NAK. This applies to v2 as well.", "NAK. Same for v2.",
          "NAK (v1 and v2).", "NAK for v1-v3.", "NAK, version 2 too.",
          # no number: the revision after v1 (it was a note on v2, and v2 passed)
          "NAK, and the next version too.", "NAK for this and the next revision."]


@pytest.mark.parametrize("words", NAMING)
def test_a_nak_naming_the_later_revision_blocks_its_changed_patch(tmp_path: Path, words: str) -> None:
    # v2 changed the patch (git: another patch-id): the NAK was a note on v2, "not judged", and the gate passed,
    # though Mae's words NAK v2 as well.
    _, _, one, two = _inputs(tmp_path, [CREATE, CHANGED, WRAPPING], words)
    assert _git_patch_id(tmp_path, one[2]) != _git_patch_id(tmp_path, two[2])
    g = _gate(tmp_path)
    assert [o.target for o in g.objections] == ["v2 02/3 (as v1 02/3: its words name v2 as NAKed too, and 02/3 has "
                                                "its title)"] and not g.earlier and g.exit_status == 1, g.objections
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--variant", "v2",
                                 "--rules", str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json")])
    assert r.exit_code == 1, r.stdout
    assert [o["msgid"] for o in json.loads((tmp_path / "g.json").read_text())["objections"]] == [NAK]


@pytest.mark.parametrize("words", ["NAK, v2 fixes this.", "NAK. v2 is fine.", "I won't NAK v2.",
                                   "NAK, the next version fixes this."])
def test_a_nak_saying_the_later_revision_answers_it_stays_a_note(tmp_path: Path, words: str) -> None:
    _inputs(tmp_path, [CREATE, CHANGED, WRAPPING], words)
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 0, g.objections
    assert [e.objection.msgid for e in g.earlier] == ([NAK] if "NAK," in words or "NAK." in words else []), g.earlier
    assert not any(e.changed for e in g.earlier), g.earlier


@pytest.mark.parametrize("words", ["NAK for v1.", "NAK. Same for v3."])
def test_a_nak_not_naming_the_changed_later_revision_blocks_as_not_judged(tmp_path: Path, words: str) -> None:
    # Not of v2 in its words, nor said answered by it: whether v2's change answers it is not known (a note, READY,
    # before: a pass on a NAK no rule judged).
    _inputs(tmp_path, [CREATE, CHANGED, WRAPPING], words)
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 1, g.objections
    assert [(e.objection.msgid, e.changed) for e in g.earlier] == [(NAK, True)], g.earlier


def test_no_patch_under_its_title_makes_it_a_nak_of_the_whole_revision(tmp_path: Path) -> None:
    # Retitled and changed: which patch of v2 it means cannot be told, so it is every variant's of v2.
    retitled = Step("x86/virt/tdx: Ready the helpers", CHANGED.changes)
    _inputs(tmp_path, [CREATE, NOTES, retitled, WRAPPING], "NAK, and v2 too.")
    for variant in ("v2", "v2:01"):
        g = _gate(tmp_path, variant)
        assert [o.target for o in g.objections] == ["v2 (as v1 02/3: its words name v2 as NAKed too, and which patch "
                                                    "of it is meant cannot be told)"] and g.exit_status == 1, variant


def test_a_nak_of_the_cover_letter_naming_the_later_revision_blocks_it(tmp_path: Path) -> None:
    one, two = revision(1, [CREATE, CHANGED, WRAPPING]), revision(2, [CREATE, CHANGED, WRAPPING])
    up = one[0]["Message-ID"].strip("<>")
    nak = message(f"Re: {one[0]['Subject']}", NAK, "NAK for v1 and v2: the loader must not be special-cased.\n",
                  sender=MAE, parent=up, refs=(up,), date="Tue, 06 Jan 2026 10:00:00 +0000")
    (tmp_path / "rules.toml").write_text(RULE)
    write_mbox(tmp_path / "v1.mbox", [*one, nak])
    write_mbox(tmp_path / "v2.mbox", two)
    g = _gate(tmp_path)
    assert [o.msgid for o in g.objections] == [NAK] and g.exit_status == 1, (g.objections, g.earlier)


def test_taken_back_below_the_later_revision_it_is_none(tmp_path: Path) -> None:
    _inputs(tmp_path, [CREATE, CHANGED, WRAPPING], "NAK, and v2 too.", later=(2, "I withdraw my NAK."))
    g = _gate(tmp_path)
    assert not g.objections and not g.earlier and g.exit_status == 0, (g.objections, g.earlier)


def test_the_revisions_a_nak_names() -> None:
    assert naked_revisions("NAK for v2-v4.") == {2, 3, 4}
    assert naked_revisions("NAK for v2..4 and v7.") == {2, 3, 4, 7}
    assert naked_revisions("Same for v3.") == set()  # no NAK in the reply: nothing carried
    assert naked_revisions("NAK.\n\nSame for v3, v5.\n") == {3, 5}
    assert naked_revisions("NAK.\n\nv3 fixes this, too.\n") == set()
    assert naked_revisions("NAK, and the next version too.", 2) == {3}
    assert naked_revisions("NAK, and the next version too.") == set()  # below what, unknown


@pytest.mark.parametrize("words", ["NAK, and v1 too.", "NAK for v1 and v2.", "NAK. Same problem as in v1."])
def test_a_nak_below_a_later_revision_naming_an_earlier_one_blocks_it(tmp_path: Path, words: str) -> None:
    # Below v2 02/3, naming v1: the v1 gate read only v1's threads and passed.
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, CHANGED, WRAPPING])
    (tmp_path / "rules.toml").write_text(RULE)
    write_mbox(tmp_path / "v1.mbox", one)
    write_mbox(tmp_path / "v2.mbox", [*two, _reply(two[2], NAK, words)])
    g = _gate(tmp_path, "v1")
    assert [o.target for o in g.objections] == ["v1 02/3 (as v2 02/3: its words name v1 as NAKed too, and 02/3 has "
                                                "its title)"] and g.exit_status == 1, g.objections


@pytest.mark.parametrize("words", ["NAK, v1 was better.", "NAK, unlike v1.", "NAK."])
def test_one_not_naming_the_earlier_revision_as_naked_leaves_it(tmp_path: Path, words: str) -> None:
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, CHANGED, WRAPPING])
    (tmp_path / "rules.toml").write_text(RULE)
    write_mbox(tmp_path / "v1.mbox", one)
    write_mbox(tmp_path / "v2.mbox", [*two, _reply(two[2], NAK, words)])
    g = _gate(tmp_path, "v1")
    assert not g.objections and not g.earlier and g.exit_status == 0, g.objections


@pytest.mark.parametrize(("words", "named"), [("NAK, and v5 too.", "v5"), ("NAK for v2 and v5.", "v5"),
                                              ("NAK, and the next version too.", "v3"),
                                              ("NAK for v2-v4.", "v3, v4")])
def test_a_nak_naming_a_revision_the_input_does_not_hold_says_so(tmp_path: Path, words: str, named: str) -> None:
    # Below v2 with v1 and v2 read: the NAK of v2 stood, and the revision it named besides was dropped unsaid.
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, CHANGED, WRAPPING])
    (tmp_path / "rules.toml").write_text(RULE)
    write_mbox(tmp_path / "v1.mbox", one)
    write_mbox(tmp_path / "v2.mbox", [*two, _reply(two[2], NAK, words)])
    [o] = _gate(tmp_path, "v2").objections
    said = (f"the NAK names {named} as NAKed too, which the input does not contain: not judged here (give {named}'s "
            "mail)")
    assert o.msgid == NAK and o.note == said, o
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--variant", "v2",
                                 "--rules", str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json")])
    assert r.exit_code == 1 and said in " ".join(r.stdout.split()), r.stdout
    assert [x["note"] for x in json.loads((tmp_path / "g.json").read_text())["objections"]] == [said]


@pytest.mark.parametrize("words", ["NAK.", "NAK, and v1 too.", "NAK, v5 fixes this."])
def test_a_nak_naming_only_revisions_read_has_no_such_note(tmp_path: Path, words: str) -> None:
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, CHANGED, WRAPPING])
    (tmp_path / "rules.toml").write_text(RULE)
    write_mbox(tmp_path / "v1.mbox", one)
    write_mbox(tmp_path / "v2.mbox", [*two, _reply(two[2], NAK, words)])
    [o] = _gate(tmp_path, "v2").objections
    assert o.note == "", o


@pytest.mark.parametrize(("words", "note"), [
    ("NAK on v1.", True),  # v1 named below v2: before, a NAK of v2 with nothing said of v1
    ("NAK, my NAK on v1 stands.", True),
    ("NAK for v1 and v2.", False),  # v2 named as well: its own NAK
    ("NAK.", False),
])
def test_a_nak_naming_an_earlier_revision_below_a_later_one_says_what_it_judged(tmp_path: Path, words: str,
                                                                              note: bool) -> None:
    # Below v2's patch, naming v1 only, not saying v2 answers it: it blocks v2 (the revision its sender answered), and
    # says that it is read so.
    _inputs(tmp_path, [CREATE, CHANGED, WRAPPING], "Looks fine to me.", later=(2, words))
    g = _gate(tmp_path)
    assert [(o.msgid, o.target) for o in g.objections] == [("later@example.org", "v2 02/3")] \
        and g.exit_status == 1, g.objections
    said = ("its words NAK v1, not v2, which it answers, nor say v2 answers the NAK: read as a NAK of v2 as well, "
            "until its sender says v2 is fine or takes it back")
    assert (said in g.objections[0].describe()) == note and (g.objections[0].note == said) == note, \
        g.objections[0].describe()


def test_a_nak_of_an_earlier_revision_that_this_one_answers_does_not_block(tmp_path: Path) -> None:
    _inputs(tmp_path, [CREATE, CHANGED, WRAPPING], "Looks fine to me.", later=(2, "NAK on v1; v2 fixes it."))
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 0, g.objections
