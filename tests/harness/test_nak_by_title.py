"""A NAK below the cover letter that names a patch by its title is that patch's, as one naming its number is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.gitoracle import mailinfo
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, RULE
from tests.mailgen import message, write_mbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git (the oracle of a patch's title) is missing")


def _titles(tmp: Path) -> list[str]:
    """The titles of v2's three patches as git am commits them (git mailinfo's Subject)."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    return [mailinfo(tmp, m.as_bytes()).subject for m in msgs[1:]]


def _gate(tmp: Path, words: str) -> dict[str, list[str]]:
    """The objections' titles the gate gives v2 and v2:02 (patch 3 left out) with ``words`` below the cover letter."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "t3@example.org", f"> quoted\n\n{words}\n", sender=MAE,
                    parent=cover, refs=(cover,))
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, reply])
    (tmp / "rules.toml").write_text(RULE)
    return {v: [o.title for o in evaluate_gate(GateRequest((mbox,), v, jobs=1, rules=tmp / "rules.toml",
                                                           cache=shared_outcomes())).objections]
            for v in ("v2", "v2:02")}


@pytest.mark.parametrize("form", ["NAK for '{t3}', the rest is fine.", "{t3}: NAK.", 'NAK on "{t3}".',
                                  "NAK to [PATCH v2 3/3] {t3_wrapped}", "NAK for “{t3_bare}”: it loops."])
def test_a_nak_naming_a_patch_by_title_is_that_patchs(tmp_path: Path, form: str) -> None:
    # It was a NAK of the cover letter: v2:02, which stops before patch 3, was blocked by it.
    t3 = _titles(tmp_path)[2]
    words = form.format(t3=t3, t3_wrapped=t3.replace(" a ", " a\n", 1), t3_bare=t3.split(": ", 1)[1])
    assert _gate(tmp_path, words) == {"v2": ["NAK of v2 03/3 by Mae Maint"], "v2:02": []}, words


def test_a_nak_naming_two_titles_is_theirs_and_one_naming_none_the_cover_letters(tmp_path: Path) -> None:
    t1, _, t3 = _titles(tmp_path)
    assert _gate(tmp_path, f"NAK for '{t1}' and '{t3}'.") == {
        "v2": ["NAK of v2 01/3, 03/3 by Mae Maint"], "v2:02": ["NAK of v2 01/3 by Mae Maint"]}
    # A title's words unquoted and without its prefix name no patch: the whole revision's.
    bare = t3.split(": ", 1)[1]
    assert _gate(tmp_path, f"NAK, {bare} is the wrong idea.") == {
        "v2": ["NAK of v2 cover letter by Mae Maint"], "v2:02": ["NAK of v2 cover letter by Mae Maint"]}
