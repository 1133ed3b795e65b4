"""harness.takenback: a NAK is lifted only by words seamharness reads, or by a tag it can tell is not conditional."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import OLGA, RULE, _replies
from tests.harness.test_reply_language import _gate

TAG = "Reviewed-by: Olga Other <olga@example.org>"


@pytest.mark.parametrize(("words", "lifted"), [
    # "Once the loop is bounded, gladly:" Before: the tag lifted the NAK; the reply itself was not read (it blocked),
    # and once the user had read it, the gate passed (exit 0) on a NAK its sender put a condition on lifting.
    (f"Wenn die Schleife begrenzt ist, dann gerne:\n\n{TAG}", False),
    (f"With the loop bounded, feel free to add:\n\n{TAG}", False),  # as an English condition keeps it
    (f"Looks good now.\n\n{TAG}", True),
])
def test_a_tag_lifts_a_nak_only_where_its_words_are_read(tmp_path: Path, words: str, lifted: bool) -> None:
    mbox = _replies(tmp_path, ("o1@example.org", "> quoted\n\nNAK, the retry loop never ends.\n", OLGA, "patch"),
                    ("o2@example.org", f"> NAK\n\n{words}\n", OLGA, "o1@example.org"))
    status, doc = _gate(tmp_path, mbox, RULE + '[[read]]\nmsgid = "o2@example.org"\nsaid = "a tag, conditional"\n')
    found = doc["objections"]
    assert isinstance(found, list)
    assert [(o["kind"], o["msgid"]) for o in found] == ([] if lifted else [("nak", "o1@example.org")]), found
    assert status == (0 if lifted else 1), doc["verdict"]


ONE_SECOND = "Mon, 05 Jan 2026 10:00:00 +0000"


@pytest.mark.parametrize("order", [(0, 1, 2), (1, 0, 2), (2, 1, 0), (1, 2, 0)])
def test_a_withdrawal_of_the_naks_own_date_answering_it_not_takes_it_back_not(tmp_path: Path, order: tuple[int, ...]
                                                                             ) -> None:
    # Mae's NAK, her withdrawal and another NAK of hers, of one Date:, each answering the patch: all were taken back
    # (READY, exit 0), though which was sent last cannot be told. Now the NAKs stand, the withdrawal named.
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.test_gate_naks import MAE

    said = [("n1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch"),
            ("w1@example.org", "> quoted\n\nI withdraw my NAK.\n", MAE, "patch"),
            ("n2@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch")]
    mbox = _replies(tmp_path, *(said[i] for i in order), dates={m: ONE_SECOND for m, *_ in said})
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert g.exit_status == 1 and len(g.objections) == 1, g.objections
    assert {o.msgid for o in (g.objections[0], *g.objections[0].again)} == {"n1@example.org", "n2@example.org"}
    assert "a withdrawal <w1@example.org>" in g.objections[0].note and "own Date:" in g.objections[0].note


def test_a_withdrawal_answering_the_nak_in_the_same_second_takes_it_back(tmp_path: Path) -> None:
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.test_gate_naks import MAE

    mbox = _replies(tmp_path, ("n1@example.org", "> quoted\n\nNAK, this special-cases the loader.\n", MAE, "patch"),
                    ("w1@example.org", "> NAK\n\nI withdraw my NAK.\n", MAE, "n1@example.org"),
                    dates={"n1@example.org": ONE_SECOND, "w1@example.org": ONE_SECOND})
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


def test_a_nak_withdrawn_for_some_of_its_patches_stands_for_the_rest(tmp_path: Path) -> None:
    # Below the cover letter. Before: the NAK stood whole, on 02/3 and 03/3 (a withdrawal lifted a NAK only when it
    # named every patch the NAK was of).
    from harness.objections import ObjectionKind
    from tests.harness.test_gate_naks import MAE
    from tests.harness.test_thanksummary import _gate as _cover_gate
    nak, back = ("n1@example.org", "NAK for patch 2 and patch 3.\n", MAE), \
        ("n2@example.org", "I withdraw my NAK for patch 3.\n", MAE)
    g = _cover_gate(tmp_path, nak, back)
    assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.NAK, "v2 02/3")] and g.exit_status == 1
    assert not _cover_gate(tmp_path, nak, back, variant="v2:01").objections
    # Withdrawn first, NAKed after: the NAK stands whole.
    g = _cover_gate(tmp_path, ("n2@example.org", "I withdraw my NAK for patch 3.\n", MAE),
                    ("n1@example.org", "NAK for patch 2 and patch 3.\n", MAE))
    assert [o.target for o in g.objections] == ["v2 02/3, 03/3"]


@pytest.mark.parametrize(("nak_under", "back_under", "back", "stands"), [
    # Below the patch it names, or naming no patch below a patch the NAK is of (read only below the NAK's own message
    # before: the NAK stood whole, on 02/3 and 03/3).
    (0, 3, "I withdraw my NAK for patch 3.\n", "v2 02/3"),
    (0, 3, "I withdraw my NAK.\n", "v2 02/3"),
    (3, 2, "I withdraw my NAK for patch 2.\n", "v2 03/3"),
    (3, 0, "I withdraw my NAK for patch 2.\n", "v2 03/3"),
    (0, 3, "I withdraw my NAK of v1.\n", "v2 02/3, 03/3"),  # another revision's
])
def test_a_nak_withdrawn_in_part_below_another_message_stands_for_the_rest(
        tmp_path: Path, nak_under: int, back_under: int, back: str, stands: str) -> None:
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
    from tests.harness.test_gate_naks import MAE
    from tests.mailgen import message, write_mbox
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    out = [message(f"Re: {msgs[under]['Subject']}", msgid, words, sender=MAE, parent=ids[under],
                   refs=(ids[0], ids[under]) if under else (ids[0],), date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000")
           for n, (msgid, words, under) in enumerate((("n1@example.org", "NAK for patch 2 and patch 3.\n", nak_under),
                                                      ("w1@example.org", back, back_under)))]
    (tmp_path / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, *out])
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.target for o in g.objections] == [stands] and g.exit_status == 1, g.objections
