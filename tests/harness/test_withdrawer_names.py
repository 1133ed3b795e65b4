"""A withdrawal takes back a quoted or carried NAK only from the sender the attribution or trailer names."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_gate_naks import OLGA, _objections, _replies

QUOTED = "{attribution}\n> NAK, the loop never ends.\n\nI agree with the concern.\n"
WITH_ADDRESS = "On Mon, 5 Jan 2026 at 10:00, Yan Zhao <yan.y.zhao@example.com> wrote:"
NAME_ONLY = "Yan Zhao wrote:"


def _gate(tmp: Path, attribution: str, withdrawer: str) -> list[tuple[str, str]]:
    """Olga quotes Yan's NAK (whose mail the input lacks), then ``withdrawer`` withdraws a NAK below the patch."""
    mbox = _replies(tmp, ("q1@example.org", QUOTED.format(attribution=attribution), OLGA, "patch"),
                    ("w1@example.org", "I withdraw my NAK.\n", withdrawer, "patch"))
    return _objections(tmp, mbox)


@pytest.mark.parametrize(("attribution", "withdrawer"), [
    (WITH_ADDRESS, "Yan <yan@example.net>"),  # a name inside the attribution's: another sender
    (NAME_ONLY, "Yan <yan@example.net>"),
    (NAME_ONLY, "Yan Zha <yz@example.net>"),
])
def test_a_withdrawal_by_another_sender_leaves_the_quoted_nak_standing(tmp_path: Path, attribution: str,
                                                                       withdrawer: str) -> None:
    # Before: names() matched a name or address inside the attribution's text: the NAK was taken back, exit 0.
    assert _gate(tmp_path, attribution, withdrawer) == [("q1@example.org", "NAK, the loop never ends.")]


@pytest.mark.parametrize(("attribution", "withdrawer"), [
    (WITH_ADDRESS, "Yan Zhao <yan.y.zhao@example.com>"), (NAME_ONLY, "Yan Zhao <yz@example.net>")])
def test_a_withdrawal_by_the_named_sender_takes_it_back(tmp_path: Path, attribution: str, withdrawer: str) -> None:
    assert _gate(tmp_path, attribution, withdrawer) == []
