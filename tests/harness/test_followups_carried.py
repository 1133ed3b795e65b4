"""followups.collected: the trailers b4 0.16 carries by ``git patch-id --stable`` from another revision's patch.

b4 am -v N adds to each patch of vN the trailers of the replies to a patch of any other revision (earlier or later)
that is the same change (b4/__init__.py's trailer_map, ``if pmsg.revision != revision``), after the patch's own and
before the cover letter's. The mail (tests.mailgen, the postings of tests/harness/test_replythread_samechange.py):
Ann's v1 (1/2 add helper, 2/2 the decimal change), her v2 posting A (refused) and B (read, its 3/3 the decimal change),
her v3 (2/2 the decimal change); Al acks v1's 2/2, Rae reviews A's 2/2 (harness.replythread places it below v3's 2/2,
the newest other revision's same change). b4 am -v 1 and -v 3 of the mbox are the oracle: v1's 2/2 gets Al's and
Rae's, v3's 2/2 Rae's and Al's. Before, neither: each revision's replies only, and Rae's, below a mail not read, none.
"""

from __future__ import annotations

import itertools
import mailbox
import os
import shutil
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from reports.series_view import series_to_dict
from tests.harness.test_replythread_samechange import A, B, _mails, _posting, _reply, _v3
from tests.mailgen import write_mbox
from tests.readmail import read_in_order

KEYS = ("Reviewed-by", "Acked-by", "Tested-by")
AL, RAE = "Al Acker <al@example.org>", "Rae Viewer <rae@example.org>"


def _v1() -> list[EmailMessage]:
    """Ann's v1 (the 4th): 1/2 add helper, 2/2 the decimal change; Message-IDs ``c-o1@x``, ``p<n>-o1@x``."""
    out = _posting("o1", 4, [A[0], (2, B[2][1], *B[2][2:])])
    for m in out:
        m.replace_header("Subject", str(m["Subject"]).replace("v2", "v1"))
        m.replace_header("Date", "Sun, 04 Jan 2026 10:00:00 +0000")
    return out


def _ack() -> list[EmailMessage]:
    m = _reply("ack@x", "p2-o1@x", "Re: [PATCH v1 2/2] demo: helper prints fn in decimal", f"Acked-by: {AL}\n")
    m.replace_header("From", AL)
    return [m]


def _groups() -> list[list[EmailMessage]]:
    return [_v1(), *_mails(), _v3(), _ack()]


def _ours(series_json: dict[str, Any], version: int) -> dict[str, list[str]]:
    """Each patch of ``version`` (its Message-ID) with the follow-up trailers ``series --json`` lists, in order."""
    (rev,) = [r for r in series_json["revisions"] if r["version"] == version]
    return {p["msgid"]: [f"{t['key']}: {t['value']}" for t in p["followup_trailers"]] for p in rev["patches"]}


def _b4(tmp_path: Path, mails: list[EmailMessage], version: int) -> dict[str, list[str]]:
    """Each patch ``b4 am -m`` of ``mails`` (``-v version``, offline) writes, with its review trailers in order; the
    test is skipped without b4."""
    b4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if b4 is None:
        pytest.skip("b4 is not installed (pip install -e '.[test]')")
    mbox, out = write_mbox(tmp_path / "b4.mbox", mails), tmp_path / f"b4-v{version}"
    subprocess.run([b4, "-n", "--offline-mode", "am", "-m", str(mbox), "-v", str(version), "-o", str(out)],
                   cwd=tmp_path, env={**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path)},
                   capture_output=True, timeout=120, check=True)
    (mbx,) = out.glob("*.mbx")
    return {str(m["Message-ID"]).strip("<>"): [line for line in str(m.get_payload(decode=True), "utf-8").splitlines()
                                               if line.startswith(KEYS)] for m in mailbox.mbox(str(mbx))}


@pytest.mark.parametrize("version", [1, 3])
@pytest.mark.parametrize("order", [tuple(range(7)), (6, 4, 5, 1, 3, 2, 0)], ids=lambda o: "".join(map(str, o)))
def test_b4_carries_a_review_to_the_same_change_of_every_other_revision(
        tmp_path: Path, version: int, order: tuple[int, ...]) -> None:
    # The oracle: b4 am of the mbox, -v 1 and -v 3, against `series --json`'s followup_trailers: a patch's own
    # first, then those carried, in input order (b4's trailer_map lists them as its follow-ups come).
    groups = [_groups()[i] for i in order]
    ours = _ours(series_to_dict(read_in_order(tmp_path, groups, range(len(groups))), []), version)
    assert ours == _b4(tmp_path, [m for g in groups for m in g], version)
    first, then = (f"Reviewed-by: {RAE}", f"Acked-by: {AL}") if order.index(6) > order.index(3) else \
        (f"Acked-by: {AL}", f"Reviewed-by: {RAE}")  # Al's ack (group 6) read before Rae's review (group 3) or after
    assert ours == ({"p1-o1@x": [], "p2-o1@x": [f"Acked-by: {AL}", f"Reviewed-by: {RAE}"]} if version == 1 else
                    {"p1-c@x": [], "p2-c@x": [first, then]})


@pytest.mark.parametrize("order", list(itertools.permutations(range(7)))[::701], ids=lambda o: "".join(map(str, o)))
def test_what_each_revision_collects_whatever_the_input_order(tmp_path: Path, order: tuple[int, ...]) -> None:
    # v2's read 3/3 (the same change) gets Al's, from v1, never Rae's: her review answers v2's refused posting, and
    # b4 carries a review by patch-id only to another revision (h585's oracle test, without v1: b4 am -v 2 of this
    # mbox with v1 in it checks v1 first as a partial reroll, and its trailer_map, kept from that pass, carries Rae's
    # to v2 too: a leak of b4's state, not its rule). Rae's Tested-by-less reply r2r gives nothing (no trailer of
    # its sender's: b4 leaves Ty's out without -S).
    s = series_to_dict(read_in_order(tmp_path, _groups(), order), [])
    assert _ours(s, 1)["p2-o1@x"] == [f"Acked-by: {AL}", f"Reviewed-by: {RAE}"]  # its own first
    assert _ours(s, 2) == {"p1-b@x": [], "p2-b@x": [], "p3-b@x": [f"Acked-by: {AL}"]}
    assert sorted(_ours(s, 3)["p2-c@x"]) == [f"Acked-by: {AL}", f"Reviewed-by: {RAE}"]
    (v1,) = [r for r in s["revisions"] if r["version"] == 1]
    (p2,) = [p for p in v1["patches"] if p["msgid"] == "p2-o1@x"]
    assert [t["key"] for t in p2["followup_mismatches"]] == ["Tested-by"]  # Ty's, in Rae's reply: left out as b4 does
