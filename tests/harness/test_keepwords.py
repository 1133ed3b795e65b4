"""harness.keepwords: a request to drop taken back in words seamharness does not read is not taken back."""

from __future__ import annotations

from pathlib import Path

from harness.keepwords import kept_after
from tests.harness.test_gate_naks import OLGA, RULE, _replies
from tests.harness.test_reply_language import _gate


def test_a_keep_in_another_language_keeps_nothing() -> None:
    assert kept_after("Never mind, keep it.") == "Never mind, keep it."
    # "Do not keep it": before, read as its English look-alike, which takes the request back.
    assert kept_after("Never mind, keep it nicht.") is None


def test_a_request_to_drop_stands_after_a_look_alike_keep_the_user_read(tmp_path: Path) -> None:
    # Before: the look-alike took the request back; the reply itself was not read (it blocked), and once the user had
    # read it, the gate passed (exit 0) on a request to drop that stands.
    mbox = _replies(tmp_path, ("o1@example.org", "> quoted\n\nPlease drop this patch.\n", OLGA, "patch"),
                    ("o2@example.org", "> Please drop this patch.\n\nNever mind, keep it nicht.\n", OLGA,
                     "o1@example.org"))
    status, doc = _gate(tmp_path, mbox, RULE + '[[read]]\nmsgid = "o2@example.org"\nsaid = "no"\n')
    found = doc["objections"]
    assert isinstance(found, list)
    assert status == 1 and [(o["kind"], o["msgid"]) for o in found] == [("drop", "o1@example.org")], found


def test_a_keep_led_by_taking_the_request_back_or_a_go_ahead_keeps() -> None:
    # Each left the request to drop or the hold standing (a false block): only "Never mind" and assent led a keep.
    for said in ("Scratch that, keep it.", "On second thought, keep it.", "OK, go ahead and apply it.",
                 "Never mind, feel free to apply it."):
        assert kept_after(said) == said, said
    for said in ("Feel free to take this one.", "Go ahead and apply it if the loop is bounded.", "Don't apply it.",
                 "OK, go ahead and apply it on top of patch 3?"):
        assert kept_after(said) is None, said


def test_a_hold_taken_back_by_a_go_ahead_no_longer_blocks(tmp_path: Path) -> None:
    from tests.harness.test_gate_naks import MAE, _objections

    hold = ("n1@example.org", "> quoted\n\nPlease hold off.\n", MAE, "patch")
    mbox = _replies(tmp_path, hold, ("r1@example.org", "OK, go ahead and apply it.\n", MAE, "n1@example.org"))
    assert _objections(tmp_path, mbox) == []
