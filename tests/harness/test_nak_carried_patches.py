"""A NAK that names one patch and carries on to another ("NAK for patch 3, and 2 too") is of both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

runner = CliRunner()


def _gate(tmp: Path, below: int, *said: tuple[str, str], variant: str = "v2:02") -> list[str]:
    """`seamharness gate` of ``variant`` (v2:02 applies patches 1 and 2) with Mae's replies below the cover letter
    (``below`` 0) or patch ``below``: the objections' titles its JSON lists."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, up = msgs[0]["Message-ID"].strip("<>"), msgs[below]["Message-ID"].strip("<>")
    replies = [message(f"Re: {msgs[below]['Subject']}", msgid, f"> quoted\n\n{words}\n", sender=MAE, parent=up,
                       refs=(cover, up) if below else (cover,), date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000")
               for n, (msgid, words) in enumerate(said)]
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *replies])
    r = runner.invoke(app, ["gate", str(mbox), "--variant", variant, "--rules", str(tmp / "rules.toml"), "--json",
                            str(tmp / "g.json")])
    titles = [f"{o['kind']} {o['target']}" for o in json.loads((tmp / "g.json").read_text())["objections"]]
    assert r.exit_code == (1 if titles else 0), r.stdout
    return titles


CARRIED = ["NAK for patch 3 (and 2).", "NAK for patch 3, and 2 too.", "NAK for patch 3. Same for patch 2.",
           "NAK for patch 3. Patch 2 too.", "NAK for patch 3 and also patch 2.", "NAK for patch 3; patch 2 as well.",
           "NAK for 3/3 and 2/3 too."]


@pytest.mark.parametrize("words", CARRIED)
def test_below_the_cover_letter_the_carried_patch_is_naked(tmp_path: Path, words: str) -> None:
    # Read as a NAK of patch 3 alone: v2:02, which stops before it, passed.
    assert _gate(tmp_path, 0, ("n1@example.org", words)) == ["nak v2 02/3"]


@pytest.mark.parametrize("words", ["NAK, and patch 2 too.", "NAK. Same for patch 2.", "NAK for this and patch 2.",
                                   "NAK, this one and 2/3.", "NAK. Patch 2 has the same problem.",
                                   "NAK (and patch 2)."])
def test_below_a_patch_the_carried_patch_is_naked(tmp_path: Path, words: str) -> None:
    # Below 3/3, which v2:02 does not apply: read as a NAK of 3/3 alone, and v2:02 passed.
    assert _gate(tmp_path, 3, ("n1@example.org", words)) == ["nak v2 02/3"]


@pytest.mark.parametrize("words", ["NAK for patch 3; patch 2 is fine too.", "NAK for patch 3 but not 2.",
                                   "NAK for patch 3, it breaks 32-bit too.", "Patches 1-2 look fine. NAK to patch 3."])
def test_a_patch_named_as_fine_or_a_number_that_is_none_is_not_naked(tmp_path: Path, words: str) -> None:
    assert _gate(tmp_path, 0, ("n1@example.org", words)) == []


def test_a_withdrawal_of_the_named_patchs_nak_leaves_the_carried_one(tmp_path: Path) -> None:
    said = ("n1@example.org", "NAK for patch 3, and 2 too.")
    assert _gate(tmp_path, 0, said, ("w1@example.org", "I withdraw my NAK of patch 3.")) == ["nak v2 02/3"]
    assert _gate(tmp_path, 0, said, ("w1@example.org", "I withdraw my NAK.")) == []


@pytest.mark.parametrize(("below", "words", "variant", "titles"), [
    # Before: the first two were NAKs of 1/3 too ("patch 1" read as carried): v2:01 blocked by a NAK of what follows
    # it. The last two read no patch below 3/3, and v2:02 passed.
    (0, "NAK to everything after patch 1.", "v2:01", []),
    (0, "NAK for the patches following 1/3.", "v2:01", []),
    (3, "NAK. Same for the second patch.", "v2:02", ["nak v2 02/3"]),
    (3, "NAK, and patch 2 onwards too.", "v2:02", ["nak v2 02/3"]),
])
def test_patches_named_by_place_or_run_are_carried_as_numbers(tmp_path: Path, below: int, words: str, variant: str,
                                                              titles: list[str]) -> None:
    assert _gate(tmp_path, below, ("n1@example.org", words), variant=variant) == titles


@pytest.mark.parametrize(("words", "on_v2", "on_prefix"), [
    # Before: a NAK of the cover letter, every patch: v2:02, which stops before patch 3, was blocked too.
    ("Nacked-by: Mae Maint <mae@example.org> # for patch 3", ["nak v2 03/3"], []),
    ("Nacked-by: Mae Maint <mae@example.org> # 3/3 only", ["nak v2 03/3"], []),
    # A comment saying more than the patches: of the message still (every patch).
    ("Nacked-by: Mae Maint <mae@example.org> # patch 3, and the approach in general", ["nak v2 cover letter"],
     ["nak v2 cover letter"]),
])
def test_a_nak_trailer_whose_comment_names_patches_is_of_those(tmp_path: Path, words: str, on_v2: list[str],
                                                                on_prefix: list[str]) -> None:
    assert _gate(tmp_path, 0, ("n1@example.org", words), variant="v2") == on_v2
    assert _gate(tmp_path, 0, ("n1@example.org", words), variant="v2:02") == on_prefix
