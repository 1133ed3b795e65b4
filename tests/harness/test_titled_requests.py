"""Requests to drop and NAK withdrawals that name a patch by its title or number below the cover letter or nowhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from tests.gitoracle import mailinfo
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series, revision
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_earlier import CREATE, PREPARING, WRAPPING
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (the oracle of a patch's title) is missing")
runner = CliRunner()
# A reply: the message it answers (an index into the series, 0 the cover letter; None: one the input lacks) and words.
Said = tuple[int | None, str]


def _titles(tmp: Path) -> list[str]:
    """The titles of v2's three patches as git am commits them (git mailinfo's Subject)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    return [mailinfo(tmp, m.as_bytes()).subject for m in msgs[1:]]


def _mbox(tmp: Path, said: list[Said]) -> Path:
    """v2 (cover, 1/3, 2/3, 3/3) and Mae's replies ``said``, dated in order a minute apart (a withdrawal of a NAK's
    very Date: that answers it not is not known to come after it: harness.takenback)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    replies = []
    for i, (at, words) in enumerate(said):
        up = msgs[at]["Message-ID"].strip("<>") if at is not None else "gone@example.org"
        refs = (up,) if at in (0, None) else (cover, up)
        subject = f"Re: {msgs[at]['Subject']}" if at is not None else "Re: an old thread"  # placed by nothing
        replies.append(message(subject, f"m{i}@example.org", f"> quoted\n\n{words}\n",
                               sender=MAE, parent=up, refs=refs, date=f"Mon, 05 Jan 2026 10:{i:02d}:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    return write_mbox(tmp / "v2.mbox", [*msgs, *replies])


def _gate(tmp: Path, said: list[Said]) -> dict[str, tuple[int, list[str]]]:
    """The gate's exit status and objections for v2 and v2:02 (patch 3 left out)."""
    mbox = _mbox(tmp, said)
    out = {}
    for v in ("v2", "v2:02"):
        g = evaluate_gate(GateRequest((mbox,), v, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))
        out[v] = (g.exit_status, [o.title for o in g.objections])
    return out


DROPPED_3 = {"v2": (1, ["request to drop v2 03/3 by Mae Maint"]), "v2:02": (0, [])}


@pytest.mark.parametrize("form", ["Please drop '{t3}', the loader never calls it.", "{t3}: please drop.",
                                  "{t3}: please drop it.", "Please drop [PATCH v2 3/3] {t3_wrapped}.",
                                  "Patch 3: please drop.", "3/3: just drop."])
def test_a_request_to_drop_naming_a_patch_by_title_is_that_patchs(tmp_path: Path, form: str) -> None:
    # Before: no request at all (only 'drop patch 3', 'drop this patch' were read), v2 READY, exit 0.
    t3 = _titles(tmp_path)[2]
    words = form.format(t3=t3, t3_wrapped=t3.replace(" a ", " a\n", 1))
    assert _gate(tmp_path, [(0, words)]) == DROPPED_3, words


def test_the_request_is_cited_in_the_reviewers_words_through_the_cli(tmp_path: Path) -> None:
    t3 = _titles(tmp_path)[2]
    mbox = _mbox(tmp_path, [(0, f"Looks fine otherwise.\n\nPlease drop '{t3}', the loader never calls it.")])
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml"),
                            "--json", str(tmp_path / "g.json"), "--junit", str(tmp_path / "g.xml")])
    assert r.exit_code == 1, r.stdout
    [o] = json.loads((tmp_path / "g.json").read_text())["objections"]
    assert (o["kind"], o["target"], o["sentence"]) == ("drop", "v2 03/3",
                                                        f"Please drop '{t3}', the loader never calls it.")
    junit = (tmp_path / "g.xml").read_text()
    assert 'failures="1"' in junit and 'type="drop"' in junit and "m0@example.org" in junit


@pytest.mark.parametrize("words", ["Patch 3: the values drop.", "Patch 3: no, don't drop."])
def test_what_names_a_patch_but_asks_no_drop_is_none(tmp_path: Path, words: str) -> None:
    assert _gate(tmp_path, [(0, words)]) == {"v2": (0, []), "v2:02": (0, [])}, words


def test_a_change_asked_of_a_patch_named_below_the_cover_letter_is_a_point_on_it(tmp_path: Path) -> None:
    # No drop, but a change asked of 03/3 (harness.coverpoints): it passed the gate, said nowhere.
    assert _gate(tmp_path, [(0, "Patch 3: drop the comment above the loop.")]) == \
        {"v2": (1, ["review point on v2 03/3 by Mae Maint"]), "v2:02": (0, [])}


@pytest.mark.parametrize("form", ["Please drop patch 3.", "Please drop '{t3}'."])
def test_a_request_to_drop_by_number_or_title_placed_below_nothing_is_every_variants(tmp_path: Path,
                                                                                       form: str) -> None:
    # Before: only 'drop this patch' was read in a reply the input places below nothing; this passed the gate.
    words = form.format(t3=_titles(tmp_path)[2])
    where = "v2 (placed below nothing: it answers <gone@example.org>, not in the input)"
    assert _gate(tmp_path, [(None, words)]) == {v: (1, [f"request to drop {where} by Mae Maint"])
                                                for v in ("v2", "v2:02")}, words


def test_a_withdrawal_naming_another_patch_leaves_a_nak_standing(tmp_path: Path) -> None:
    # Before: any withdrawal below the cover letter took back every NAK of its sender there, whatever patch each
    # named: both passed.
    _, t2, t3 = _titles(tmp_path)
    nak2 = {v: (1, ["NAK of v2 02/3 by Mae Maint"]) for v in ("v2", "v2:02")}
    assert _gate(tmp_path, [(0, "NAK for patch 2."), (0, "I withdraw my NAK of patch 3.")]) == nak2
    assert _gate(tmp_path, [(0, f"NAK for '{t2}'."), (0, f"I withdraw my NAK of '{t3}'.")]) == nak2
    # A NAK of the series is not taken back by one naming a patch.
    assert _gate(tmp_path, [(0, "NAK, wrong idea."), (0, "I withdraw my NAK of patch 3.")]) == {
        v: (1, ["NAK of v2 cover letter by Mae Maint"]) for v in ("v2", "v2:02")}


def test_a_withdrawal_naming_the_patch_by_title_takes_its_nak_back(tmp_path: Path) -> None:
    # Before: a title named no patch in a withdrawal, and the NAK below patch 2 stood (exit 1).
    _, t2, _ = _titles(tmp_path)
    clean = {"v2": (0, []), "v2:02": (0, [])}
    assert _gate(tmp_path, [(2, "NAK."), (0, f"I withdraw my NAK of '{t2}'.")]) == clean
    assert _gate(tmp_path, [(0, f"NAK for '{t2}'."), (0, f"I withdraw my NAK of '{t2}'.")]) == clean
    assert _gate(tmp_path, [(0, "NAK for patches 2 and 3."), (0, "I withdraw my NAK of patches 2 and 3.")]) \
        == clean


def _later(tmp: Path, at: int, words: str) -> tuple[int, list[str]]:
    """Mae's NAK below v1 3/3, v2 carrying the patch unchanged, and Mae's later ``words`` below v2's message ``at``
    (0 the cover letter): the gate's exit status and objections on v2."""
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, PREPARING, WRAPPING])
    (tmp / "rules.toml").write_text(RULE)
    up1, up2 = (m["Message-ID"].strip("<>") for m in (one[3], two[at]))
    nak = message(f"Re: {one[3]['Subject']}", "nak-v1@example.org", "> quoted\n\nNAK.\n", sender=MAE, parent=up1,
                  refs=(one[0]["Message-ID"].strip("<>"), up1))
    later = message(f"Re: {two[at]['Subject']}", "later@example.org", f"> quoted\n\n{words}\n", sender=MAE,
                    parent=up2, refs=(two[0]["Message-ID"].strip("<>"), up2)[-1 if at == 0 else 0:],
                    date="Wed, 07 Jan 2026 10:00:00 +0000")
    mboxes = (write_mbox(tmp / "v1.mbox", [*one, nak]), write_mbox(tmp / "v2.mbox", [*two, later]))
    g = evaluate_gate(GateRequest(mboxes, "v2", jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))
    return g.exit_status, [o.title for o in g.objections]


def test_a_withdrawal_below_a_later_revision_takes_back_only_the_nak_of_the_patch_it_names(tmp_path: Path) -> None:
    # Before: any withdrawal below v2 3/3 took back v1 3/3's NAK, the one naming patch 2 too (v2 passed); one below
    # v2's cover letter naming the patch took back none.
    standing = (1, ["NAK of v2 03/3 (as v1 03/3: the same change by git patch-id) by Mae Maint"])
    assert _later(tmp_path, 3, "I withdraw my NAK of patch 2.") == standing
    assert _later(tmp_path, 0, "I withdraw my NAK of patch 2.") == standing
    assert _later(tmp_path, 0, "I withdraw my NAK.") == standing  # below the cover letter, of no patch
    for at, words in [(3, "I withdraw my NAK."), (3, "I withdraw my NAK of patch 3."), (0, "Retract my NAK of 3/3."),
                      (0, f"I withdraw my NAK of '{WRAPPING.title}'.")]:
        assert _later(tmp_path, at, words) == (0, []), words
