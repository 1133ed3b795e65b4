"""A request to drop patches by number, taken back by its sender, is lifted on every state.

A request to drop patches by number ("Please drop 1/3 and 2/3.") taken back by its own sender ("Never mind, keep
it."): lifted on every state that applies them, the patch it is below or not, and only that request."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.droprequest import numbered_drop
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.keepwords import kept_after
from harness.naknumbers import nak_numbers
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, OLGA, RULE
from tests.mailgen import message, write_mbox

ASKED = "Please drop 1/3 and 2/3."


@pytest.mark.parametrize(("words", "numbers"), [
    ("Please drop 3/5 and 4/5.", (3, 4)),  # 4/5 went unread: (3,)
    ("please drop 3/5, 4/5 and 5/5", (3, 4, 5)),
    ("Please drop 2-3/5.", (2, 3)),
    ("Please drop 3/5.", (3,)),
    ("Please drop [PATCH v2 3/3].", (3,)),
    # Each read 3 alone, or nothing: "and patch 4/5", "+ 4/5", "both", "as well as", "#3 and #4", the passive, and
    # the list named first.
    ("Please drop patch 3/5 and patch 4/5.", (3, 4)),
    ("Please drop 3/5 + 4/5.", (3, 4)),
    ("Please drop both 3/5 and 4/5.", (3, 4)),
    ("Please discard 3/5 as well as 4/5.", (3, 4)),
    ("Please drop #3 and #4.", (3, 4)),
    ("3/5 and 4/5 should be dropped.", (3, 4)),
    ("For 3/5 and 4/5, please drop them.", (3, 4)),
])
def test_patches_of_the_series_form_listed_are_each_asked(words: str, numbers: tuple[int, ...]) -> None:
    assert numbered_drop(words) == (numbers, words)


def test_a_nak_naming_patches_reads_the_same_lists() -> None:
    assert nak_numbers("NAK for patch 3 and patch 4.", "") == (3, 4)  # was (3,)
    assert nak_numbers("NAK for patch 3, patch 2 is fine.", "") == (3,)  # the second a sentence of its own


@pytest.mark.parametrize("words", ["Please drop 3/5 and 4/5 of v1.", "Drop 1/2 of the retries."])
def test_numbers_of_something_else_ask_nothing(words: str) -> None:
    assert numbered_drop(words) is None


def test_a_keep_after_a_request_by_number_in_the_same_words_takes_it_back() -> None:
    assert kept_after(f"{ASKED} Never mind, keep it.") == "Never mind, keep it."
    # The request comes after: it stands (the keep was read as the last word before).
    assert kept_after("Never mind, keep it. Please drop patch 2.") is None


def _gate(tmp: Path, variant: str, *said: tuple[str, str, str, str | None]) -> GateResult:
    """v2 of our own series (3 patches) and replies below its patch 3 (Message-ID, words, sender, the Message-ID
    answered or None for the patch), dated in order."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover, patch = msgs[0]["Message-ID"].strip("<>"), msgs[3]["Message-ID"].strip("<>")
    refs: dict[str, tuple[str, ...]] = {patch: (cover,)}
    out: list[EmailMessage] = []
    for n, (msgid, words, sender, parent) in enumerate(said):
        up = parent or patch
        refs[msgid] = (*refs[up], up)
        out.append(message(f"Re: {msgs[3]['Subject']}", msgid, words, sender=sender, parent=up, refs=refs[msgid],
                           date=f"Mon, 05 Jan 2026 1{n}:00:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "v2.mbox", [*msgs, *out])
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


DROP = ("d1@example.org", f"> quoted\n\n{ASKED}\n", MAE, None)


@pytest.mark.parametrize("variant", ["v2", "v2:02"])
def test_a_request_by_number_its_sender_takes_back_blocks_nothing(tmp_path: Path, variant: str) -> None:
    # Before, on v2:02 (patch 3, the one the request is below, not applied): NOT READY on the request, the keep unread.
    keep = ("k1@example.org", f"> {ASKED}\n\nNever mind, keep it.\n", MAE, "d1@example.org")
    g = _gate(tmp_path, variant, DROP, keep)
    assert not g.objections and g.exit_status == 0, g.objections
    [line] = g.lifted
    assert line.startswith("request to drop v2 01/3, 02/3 by Mae Maint <d1@example.org>") and \
        line.endswith('lifted by its sender <k1@example.org> (' + line.rsplit("(", 1)[1]), line
    assert '"Never mind, keep it."' in line, line


@pytest.mark.parametrize("variant", ["v2", "v2:02"])
def test_a_request_by_number_taken_back_in_its_own_words_blocks_nothing(tmp_path: Path, variant: str) -> None:
    g = _gate(tmp_path, variant, ("d1@example.org", f"> quoted\n\n{ASKED} Never mind, keep it, I misread.\n", MAE,
                                  None))
    assert not g.objections and "in the same message" in " ".join(g.lifted), (g.objections, g.lifted)


@pytest.mark.parametrize("variant", ["v2", "v2:02"])
def test_another_senders_keep_lifts_nothing(tmp_path: Path, variant: str) -> None:
    g = _gate(tmp_path, variant, DROP, ("k1@example.org", "Never mind, keep it.\n", OLGA, "d1@example.org"))
    assert [(o.msgid, o.target) for o in g.objections] == [("d1@example.org", "v2 01/3, 02/3")], g.objections


def test_a_keep_answering_another_request_of_the_sender_lifts_that_one_alone(tmp_path: Path) -> None:
    # Mae asks to drop 1/3 and 2/3, then, apart, patch 3; her "Never mind, keep it." answers the second. Before, it
    # lifted both, and the gate passed on v2 with 1/3 and 2/3 still asked to be dropped.
    g = _gate(tmp_path, "v2", DROP, ("d2@example.org", "> quoted\n\nPlease drop this patch.\n", MAE, None),
              ("k1@example.org", "> Please drop this patch.\n\nNever mind, keep it.\n", MAE, "d2@example.org"))
    assert [(o.msgid, o.target) for o in g.objections] == [("d1@example.org", "v2 01/3, 02/3")], g.objections
    assert [line.split(" (")[0] for line in g.lifted] == ["request to drop v2 03/3 by Mae Maint <d2@example.org>"]
    g = _gate(tmp_path, "v2:02", DROP, ("d2@example.org", "> quoted\n\nPlease drop this patch.\n", MAE, None),
              ("k1@example.org", "> Please drop this patch.\n\nNever mind, keep it.\n", MAE, "d2@example.org"))
    assert [(o.msgid, o.target) for o in g.objections] == [("d1@example.org", "v2 01/3, 02/3")], g.objections


@pytest.mark.parametrize(("keep", "stands"), [
    ("Never mind, keep 2/3.", True),  # lifted the whole request before, 1/3 too: the gate passed on it
    ("Never mind, keep 1/3 and 2/3.", False),
    ("Never mind, keep patches 1-2.", False),
    ("Never mind, keep it.", False),
])
def test_a_keep_naming_patches_lifts_a_request_only_when_it_names_all_it_asked(tmp_path: Path, keep: str,
                                                                             stands: bool) -> None:
    g = _gate(tmp_path, "v2", DROP, ("k1@example.org", f"{keep}\n", MAE, "d1@example.org"))
    assert [o.msgid for o in g.objections] == (["d1@example.org"] if stands else []), g.objections
    assert len(g.lifted) == (0 if stands else 1), g.lifted


@pytest.mark.parametrize("keep", ["Keep 2/3.", "Please keep patch 2.", "2/3 is fine, keep it.", "OK, keep 2/3 then.",
                                  "Patch 2: keep it.", "Don't drop 2/3 after all.", "Let's keep [PATCH v2 2/3]."])
def test_a_later_keep_naming_the_patch_by_number_lifts_its_request(tmp_path: Path, keep: str) -> None:
    # Each was read as no keep: "Drop 2/3." stood, and the gate blocked on a request its sender had taken back.
    g = _gate(tmp_path, "v2", ("d1@example.org", "> quoted\n\nDrop 2/3.\n", MAE, None),
              ("k1@example.org", f"> Drop 2/3.\n\n{keep}\n", MAE, "d1@example.org"))
    assert not g.objections and len(g.lifted) == 1, (g.objections, g.lifted)


@pytest.mark.parametrize("keep", ["Keep 3/3.", "Keep 2/3 of the retries.", "Keep 2/3 if the loop is bounded.",
                                  "Don't keep 2/3.", "Keep 2/3?",
                                  # Another revision's or another's series' version kept, not this one (the comma
                                  # forms lifted the request: the gate passed 2/3).
                                  "Keep patch 2, as in Olga's v1.", "Keep 2/3, as it was in v1.",
                                  "Keep 2/3, from Olga's series.", "Never mind, keep it, as in v1."])
def test_a_keep_of_another_patch_or_thing_by_number_leaves_the_request(tmp_path: Path, keep: str) -> None:
    g = _gate(tmp_path, "v2", ("d1@example.org", "> quoted\n\nDrop 2/3.\n", MAE, None),
              ("k1@example.org", f"> Drop 2/3.\n\n{keep}\n", MAE, "d1@example.org"))
    assert [(o.msgid, o.target) for o in g.objections if o.kind is ObjectionKind.DROP] == [("d1@example.org",
                                                                                           "v2 02/3")], g.objections
    # A keep under a condition naming a change asks that change: a review point (harness.pointwords).
    assert [o.msgid for o in g.objections if o.kind is not ObjectionKind.DROP] == \
        (["k1@example.org"] if " if " in keep else []), g.objections


CODE = '> +\tpr_err("retry\\n");\n'


@pytest.mark.parametrize(("keep", "answers", "stands"), [
    # Below a quote of 3/3's code (the patch the keep is below), "this one" is 3/3: it lifted "Please drop patch 2."
    (f"{CODE}\nActually, keep this one.\n", None, True),
    (f"{CODE}\nActually, keep this one.\n", "d1@example.org", True),
    (f"{CODE}\nNever mind, keep it.\n", None, True),
    # Below a quote of the request, or answering it with no quote, it takes the request back.
    ("> Please drop patch 2.\n\nActually, keep it.\n", "d1@example.org", False),
    ("Never mind, keep it.\n", "d1@example.org", False),
    # Naming the request, wherever it stands.
    (f"{CODE}\nPlease disregard my request to drop it.\n", None, False),
])
def test_a_keep_naming_no_patch_is_of_what_it_quotes(tmp_path: Path, keep: str, answers: str | None,
                                                     stands: bool) -> None:
    g = _gate(tmp_path, "v2", ("d1@example.org", "> quoted\n\nPlease drop patch 2.\n", MAE, None),
              ("k1@example.org", keep, MAE, answers))
    assert [o.msgid for o in g.objections] == (["d1@example.org"] if stands else []), (g.objections, g.lifted)


@pytest.mark.parametrize(("asked", "keep"), [
    # Each keep was read as a request to drop of its own (its "drop this patch", "drop patch 2"): the gate blocked on
    # the words taking the request back.
    ("Please drop this patch.", "Please disregard my request to drop this patch."),
    ("Please drop this patch.", "I withdraw my request to drop this patch."),
    ("Please drop patch 2.", "Scratch my request to drop patch 2."),
    ("Please drop 2/3.", "Ignore my earlier suggestion to drop 2/3."),
    ("Please drop this patch.", "Let's keep it."),  # read as no keep
])
def test_a_request_named_as_taken_back_is_no_request(tmp_path: Path, asked: str, keep: str) -> None:
    g = _gate(tmp_path, "v2", ("d1@example.org", f"> quoted\n\n{asked}\n", MAE, None),
              ("k1@example.org", f"> {asked}\n\n{keep}\n", MAE, "d1@example.org"))
    assert not g.objections and len(g.lifted) == 1, (g.objections, g.lifted)


def test_a_request_repeated_still_asks(tmp_path: Path) -> None:
    g = _gate(tmp_path, "v2", ("k1@example.org", "> quoted\n\nI repeat my request to drop this patch.\n", MAE, None))
    assert [(o.msgid, o.target) for o in g.objections] == [("k1@example.org", "v2 03/3")], g.objections
