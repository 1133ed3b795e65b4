"""A withdrawal takes back a quoted or carried NAK only from the sender the attribution or trailer names."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from tests.gitoracle import mailinfo
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import OLGA, _objections, _replies
from tests.mailgen import message

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


# The same attribution as each mail client writes it, naming Yan at her address.
CLIENTS = [
    "On Mon, 5 Jan 2026 at 10:00, Yan Zhao <yan.y.zhao@example.com> wrote:",  # mutt, git send-email
    "On Mon, Jan 5, 2026 at 10:00 AM Yan Zhao <yan.y.zhao@example.com> wrote:",  # Gmail
    "On Mon, Jan 5, 2026 at 10:00 AM Yan Zhao\n<yan.y.zhao@example.com> wrote:",  # Gmail, wrapped
    "On Mon, Jan 5, 2026 at 10:00 AM Yan Zhao <\nyan.y.zhao@example.com> wrote:",  # Gmail, wrapped in the address
    "On 5 Jan 2026, at 10:00, Yan Zhao <yan.y.zhao@example.com> wrote:",  # Apple Mail
    '"Yan Zhao" <yan.y.zhao@example.com> wrote:',
    "Yan Zhao <yan.y.zhao@example.com> writes:",  # Gnus
    "Am 05.01.26 um 10:00 schrieb Yan Zhao <yan.y.zhao@example.com>:",  # Thunderbird, German
]
OUTLOOK = ("I agree with the concern.\n\n{rule}\nFrom: Yan Zhao {address}\nSent: Monday, January 5, 2026 10:00 AM\n"
           "To: Olga Other\nSubject: RE: the loop\n\nNAK, the loop never ends.\n")


@pytest.mark.parametrize("attribution", CLIENTS)
def test_a_withdrawal_under_the_attributions_name_from_another_address_leaves_it_standing(
        tmp_path: Path, attribution: str) -> None:
    # The attribution's address was dropped and its name matched: "Yan Zhao <yz@example.net>" (another sender by
    # address, as b4 and git tell senders) took Yan's NAK back and the gate passed. git mailinfo reads the
    # withdrawal's sender at another address than the attribution gives.
    other = "Yan Zhao <yz@example.net>"
    assert mailinfo(tmp_path, bytes(message("Re: x", "w@example.org", "I withdraw my NAK.\n", sender=other))).email \
        == "yz@example.net"
    assert _gate(tmp_path, attribution, other) == [("q1@example.org", "NAK, the loop never ends.")]
    assert _gate(tmp_path, attribution, "Yan Zhao <yan.y.zhao@example.com>") == []


@pytest.mark.parametrize(("rule", "address"), [("-----Original Message-----", "<yan.y.zhao@example.com>"),
                                               ("________________________________", "<yan.y.zhao@example.com>"),
                                               ("-----Original Message-----", "[mailto:yan.y.zhao@example.com]")])
def test_an_outlook_copys_sender_is_told_by_address(tmp_path: Path, rule: str, address: str) -> None:
    words = OUTLOOK.format(rule=rule, address=address)
    for sender, standing in (("Yan Zhao <yz@example.net>", True), ("Yan Zhao <yan.y.zhao@example.com>", False)):
        mbox = _replies(tmp_path, ("q1@example.org", words, OLGA, "patch"),
                        ("w1@example.org", "I withdraw my NAK.\n", sender, "patch"))
        assert bool(_objections(tmp_path, mbox)) is standing, (sender, words)


def test_a_name_only_attribution_the_input_shows_at_two_addresses_stands(tmp_path: Path) -> None:
    # "Yan Zhao wrote:" names no address; the input has a Yan Zhao at two: whose NAK it was cannot be told, so a
    # withdrawal from either leaves it standing, and the gate says what it saw.
    mbox = _replies(tmp_path, ("q1@example.org", QUOTED.format(attribution=NAME_ONLY), OLGA, "patch"),
                    ("y1@example.org", "The loop is fine by me.\n", "Yan Zhao <yan.y.zhao@example.com>", "patch"),
                    ("w1@example.org", "I withdraw my NAK.\n", "Yan Zhao <yz@example.net>", "patch"))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    [o] = g.objections
    assert o.msgid == "q1@example.org" and g.exit_status == 1, o
    assert o.note.startswith('a withdrawal from "Yan Zhao <yz@example.net>" was seen (<w1@example.org>, '), o.note
    assert o.note.endswith('not matched: the attribution "Yan Zhao" gives no address, and the input has that name at '
                           "yan.y.zhao@example.com too: whose NAK it was cannot be told"), o.note


def test_a_name_only_attribution_is_taken_back_by_the_one_sender_of_that_name(tmp_path: Path) -> None:
    mbox = _replies(tmp_path, ("q1@example.org", QUOTED.format(attribution=NAME_ONLY), OLGA, "patch"),
                    ("y1@example.org", "The loop is fine by me.\n", "Yan Zhao <yz@example.net>", "patch"),
                    ("w1@example.org", "I withdraw my NAK.\n", "Yan Zhao <yz@example.net>", "patch"))
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize("above", ["", "I agree with the concern.\n\nSent from my iPhone\n\n"])
def test_apple_mails_attribution_inside_the_quote_names_its_sender(tmp_path: Path, above: str) -> None:
    # "> On ..., X <x@y> wrote:" heads the quote it names, at its depth: the NAK was read as no one's, and stood
    # when Yan took it back.
    words = (f"{above}> On Jan 5, 2026, at 10:00, Yan Zhao <yan.y.zhao@example.com> wrote:\n>\n"
             "> NAK, the loop never ends.\n\nI agree with the concern.\n")
    for sender, standing in (("Yan Zhao <yan.y.zhao@example.com>", False), ("Yan Zhao <yz@example.net>", True)):
        mbox = _replies(tmp_path, ("q1@example.org", words, OLGA, "patch"),
                        ("w1@example.org", "I withdraw my NAK.\n", sender, "patch"))
        assert bool(_objections(tmp_path, mbox)) is standing, sender
