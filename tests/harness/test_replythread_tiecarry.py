"""thread_replies: a review of a tied posting's patch is carried by patch-id to another revision, as b4 -v N does.

Ann's v1 (2/2 the decimal change), her two v2 postings A (2/2 the decimal change) and B (3/3 the same diff) of one
Date: (a tie: neither read), her v3 (2/2 the same diff again). Rae reviews A's 2/2, Bo acks B's 3/3. b4 0.16 am -v 1
and -v 3 give both trailers to that revision's 2/2 (b4/__init__.py's trailer_map takes any follow-up of a patch mail of
another revision by its git patch-id, whichever posting of it). Before, replythread left both orphans (a tie's replies
went to nothing before their patch-id was looked at): v1's and v3's 2/2 collected none. Their lines still name them as
not read with a v2 posting, which stays true."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from pathlib import Path

import pytest

from reports.series_view import series_to_dict
from tests.harness.test_followups_carried import RAE, _b4, _ours, _v1
from tests.harness.test_replythread_samechange import A, B, _posting, _reply, _v3
from tests.readmail import read_in_order

BO = "Bo Bee <bo@example.org>"


def _bo() -> EmailMessage:
    m = _reply("r3@x", "p3-b@x", f"Re: [PATCH v2 3/3] {B[2][1]}", f"Acked-by: {BO}\n")
    m.replace_header("From", BO)
    return m


def _groups() -> list[list[EmailMessage]]:
    """v1, A, B (A's Date:), Rae's review of A's 2/2, Bo's ack of B's 3/3, v3."""
    rae = _reply("r2@x", "p2-a@x", f"Re: [PATCH v2 2/2] {A[1][1]}")
    return [_v1(), _posting("a", 5, A), _posting("b", 5, B), [rae], [_bo()], _v3()]


@pytest.mark.parametrize("version", [1, 3])
@pytest.mark.parametrize("order", list(itertools.permutations(range(6)))[::239], ids=lambda o: "".join(map(str, o)))
def test_b4_carries_the_reviews_of_a_tie_to_the_same_change_of_another_revision(
        tmp_path: Path, version: int, order: tuple[int, ...]) -> None:
    groups = [_groups()[i] for i in order]
    s = read_in_order(tmp_path, groups, range(len(groups)))
    assert s.revision(2) is None and s.orphans == ()  # neither posting read; both reviews placed
    ours = _ours(series_to_dict(s, []), version)
    assert ours == _b4(tmp_path, [m for g in groups for m in g], version)
    rae, bo = f"Reviewed-by: {RAE}", f"Acked-by: {BO}"
    p2 = "p2-o1@x" if version == 1 else "p2-c@x"
    assert ours[p2] == ([rae, bo] if order.index(3) < order.index(4) else [bo, rae])  # as the input has them
