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


def test_a_keep_in_the_requests_own_message_takes_it_back_only_when_it_says_so(tmp_path: Path) -> None:
    # Below 3/3: "Please drop patch 2." then "Keep this one." keeps 3/3; it lifted the request to drop 2/3, and the
    # gate passed (READY, exit 0). "Never mind, keep it." there still takes the request back.
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
    from tests.harness.test_gate_naks import MAE
    from tests.mailgen import message, write_mbox

    def gate(words: str) -> list[tuple[str, str]]:
        msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
        p3, cover = msgs[3]["Message-ID"].strip("<>"), msgs[0]["Message-ID"].strip("<>")
        reply = message(f"Re: {msgs[3]['Subject']}", "k1@example.org", f"> quoted\n\n{words}\n", sender=MAE,
                        parent=p3, refs=(cover, p3))
        mbox = write_mbox(tmp_path / "t.mbox", [*msgs, reply])
        (tmp_path / "rules.toml").write_text(RULE)
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
        return [(o.target, o.sentence) for o in g.objections]

    assert gate("Please drop patch 2.\n\nKeep this one.") == [("v2 02/3", "Please drop patch 2.")]
    assert gate("Please drop patch 2.\n\nNever mind, keep it.") == []


def test_a_later_keep_naming_no_patch_lifts_a_numbered_request_only_below_that_patch(tmp_path: Path) -> None:
    # "Please drop patch 2." below 3/3, then in a later reply below 3/3 "Keep this one." (3/3): it lifted the request
    # to drop 2/3 and the gate passed (READY, exit 0). Below 2/3 it keeps what was asked; "Never mind, keep it." takes
    # the request back wherever it is.
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
    from tests.harness.test_gate_naks import MAE
    from tests.mailgen import message, write_mbox

    def gate(below: int, words: str) -> list[tuple[str, str]]:
        msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
        p, cover = msgs[below]["Message-ID"].strip("<>"), msgs[0]["Message-ID"].strip("<>")
        drop = message(f"Re: {msgs[below]['Subject']}", "k1@example.org", "> quoted\n\nPlease drop patch 2.\n",
                       sender=MAE, parent=p, refs=(cover, p))
        keep = message(f"Re: {msgs[below]['Subject']}", "k2@example.org", f"> Please drop patch 2.\n\n{words}\n",
                       sender=MAE, parent="k1@example.org", refs=(cover, p, "k1@example.org"),
                       date="Mon, 05 Jan 2026 11:00:00 +0000")
        mbox = write_mbox(tmp_path / "t.mbox", [*msgs, drop, keep])
        (tmp_path / "rules.toml").write_text(RULE)
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml"))
        return [(o.target, o.sentence) for o in g.objections]

    assert gate(3, "Keep this one.") == [("v2 02/3", "Please drop patch 2.")]
    assert gate(2, "Keep this one.") == []
    assert gate(3, "Never mind, keep it.") == []
