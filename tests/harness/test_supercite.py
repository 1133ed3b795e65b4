"""Supercite's quotes ("Mae> NAK", "MM> text") are quotes of the mail answered, not the replier's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.supercite import as_quotes, cited_lines, marked_inline
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_copy_quotes import ANN
from tests.harness.test_gate_drops import _thread
from tests.harness.test_gate_naks import MAE, OLGA, _objections, _replies

WRITES = "Mae Maint <mae@example.org> writes:\n\n"


def _read(text: str) -> list[str]:
    return [t for _, t in as_quotes(list(enumerate(text.split("\n"))))]


@pytest.mark.parametrize(("text", "quoted"), [
    (WRITES + "Mae> NAK\n\nI disagree.", ["> NAK"]),  # her first name, on one line
    (WRITES + "mm> NAK\n\nI disagree.", ["> NAK"]),  # her initials
    (WRITES + " MM> NAK, the loop spins.\n MM>\n MM> It never ends.\n\nNo.", ["> NAK, the loop spins.", "> ",
                                                                            "> It never ends."]),
    ("MM> NAK, the loop spins.\nMM> It never ends.\n\nNo.", ["> NAK, the loop spins.", "> It never ends."]),  # a run
])
def test_a_supercite_quote_is_a_quote(text: str, quoted: list[str]) -> None:
    assert [t for t in _read(text) if t.startswith(">")] == quoted


@pytest.mark.parametrize("text", [
    "Olga Other <olga@example.org> writes:\n\nMM> NAK\nI agree.",  # one line, not the author's mark
    "if (a > b)\n  x>y;\nb> c",  # C
    "a> b\nNAK",
    "gdb> bt\ngdb> p x\nNAK",  # a prompt, lower case
    "NAK. With x>\n2 it spins.",
])
def test_what_is_no_supercite_quote_stays_as_written(text: str) -> None:
    assert _read(text) == text.split("\n")


def test_a_supercite_quoted_nak_is_the_quoted_authors(tmp_path: Path) -> None:
    # Before: the NAK was Olga's own (she disagrees with it), cited as hers.
    mbox, rules = _thread(tmp_path, WRITES + "MM> NAK, the loop spins.\nMM> It never ends.\n\nI disagree, it is "
                          "bounded.\n", sender="Olga Other <olga@example.org>")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.objections and all(o.author.startswith("Mae Maint") for o in g.objections), g.objections


def test_an_inline_answer_is_marked_with_the_senders_initials_or_first_name() -> None:
    lines = list(enumerate(["[BO] NAK", "[Bob]: see", "[bob] no", "[Other] no", "[PATCH] no", "x [BO] no"], 1))
    own, rest = marked_inline(lines, "Bob Other <bob@example.org>")
    assert [t for _, t in own if t] == ["NAK", "see"] and [n for n, _ in rest] == [3, 4, 5, 6]
    assert marked_inline([(1, "[PATCH] x")], "Patch Bot <p@example.org>")[0] == []  # a tag, not his mark


def test_a_supercite_line_inside_a_quote_is_a_quote_one_deeper() -> None:
    # "> Mae> NAK": Kai's reply quoted Mae as supercite does, quoted in turn. Before, it stayed a line of Kai's.
    text = "Kai Kind <kai@example.org> writes:\n> Mae> NAK, the loop spins.\n> I agree.\n\nFixed."
    lines, marks = cited_lines(list(enumerate(text.split("\n"), 1)))
    assert [t for _, t in lines][1:3] == ["> > NAK, the loop spins.", "> I agree."] and marks == {2: "Mae"}
    assert _read("> if (a> b)\n> x> y\n\nNo.") == ["> if (a> b)", "> x> y", "", "No."]  # C, a lower-case prompt


def test_a_nak_quoted_by_supercite_inside_a_quote_is_its_own_senders_and_falls_with_it(tmp_path: Path) -> None:
    # Mae NAKs, Olga answers quoting her as supercite does ("Mae> NAK, ..."), Mae takes the NAK back, and Ann
    # answers Olga quoting her ("> Mae> NAK, ..."). Before: 'v2: NOT READY: 1 NAK', Olga's (quoted by Ann Author),
    # "Mae> NAK, the loop never ends", a sentence no message held, so Mae's withdrawal never reached it.
    nak = "NAK, the loop never ends.\n"
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\n" + nak, MAE, "patch"),
                    ("o1@example.org", WRITES + "Mae> " + nak + "\nI agree.\n", OLGA, "m1@example.org"),
                    ("w1@example.org", "> bounded now\n\nRight, I withdraw my NAK.\n", MAE, "m1@example.org"),
                    ("a1@example.org", "Olga Other <olga@example.org> writes:\n> Mae> " + nak + ">\n> I agree.\n\n"
                     "It is bounded in v3.\n", ANN, "o1@example.org"))
    assert _objections(tmp_path, mbox) == []
    mbox = _replies(tmp_path, ("a1@example.org", "Olga Other <olga@example.org> writes:\n> Mae> " + nak + ">\n> I "
                               "agree.\n\nIt is bounded in v3.\n", ANN, "patch"))  # Mae's mail not given: hers
    [o] = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml",
                                    cache=shared_outcomes())).objections
    assert (o.author, o.sentence) == ("Mae (quoted by Ann Author)", "NAK, the loop never ends."), o


def test_an_inline_answer_runs_on_to_the_line_ending_its_sentence() -> None:
    lines = list(enumerate(["[BO] This patch should not be", "merged, it spins.", "The copy goes on", "", "[BO] NAK.",
                            "The copy's line.", "[BO] Agreed", "Signed-off-by: A <a@x>"], 1))
    own, rest = marked_inline(lines, "Bob Other <bob@example.org>")
    assert [t for _, t in own if t] == ["This patch should not be", "merged, it spins.", "NAK.", "Agreed"]
    assert [n for n, _ in rest] == [3, 4, 6, 8]


def test_an_outlook_inline_answer_wrapped_onto_unmarked_lines_is_read_whole(tmp_path: Path) -> None:
    # Before: 'v2: READY', exit 0: "merged, ..." stayed in the copy of Ann's patch, and "This patch should not be" alone
    # asked nothing.
    copy = ("Comments inline.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\nSent: Monday, "
            "January 5, 2026 10:00 AM\nTo: Bob\nSubject: [PATCH v2 2/3] x86/virt/tdx: Prepare\n\nOur own changelog.\n"
            "[BO] This patch should not be\nmerged, the loop never ends.\n\nSigned-off-by: Ann Author "
            "<ann@example.org>\n")
    mbox, rules = _thread(tmp_path, copy, sender="Bob Other <bob@example.org>")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.author, o.sentence) for o in g.objections] == [
        ("drop", "Bob Other", "This patch should not be merged, the loop never ends.")] and g.exit_status == 1


def test_an_inline_answer_of_one_word_or_before_a_sentence_of_the_copy_is_whole(tmp_path: Path) -> None:
    # Before: "[BO] NAK" took in the copied line below it (no blank line between): "Withdrawn the old loop ..." made
    # it "NAK Withdrawn ...", a NAK taken back, and the gate passed (READY, exit 0); "Our own changelog." was cited
    # as "NAK Our own changelog.".
    lines = list(enumerate(["[BO] NAK", "The copy's line.", "[BO] NAK from me", "Withdrawn the old loop.",
                            "[BO] It breaks", "SEAMCALL retries."], 1))
    own, rest = marked_inline(lines, "Bob Other <bob@example.org>")
    assert [t for _, t in own if t] == ["NAK", "NAK from me", "It breaks", "SEAMCALL retries."]
    assert [n for n, _ in rest] == [2, 4]
    copy = ("Comments inline.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\nSent: Monday, "
            "January 5, 2026 10:00 AM\nTo: Bob\nSubject: [PATCH v2 2/3] x86/virt/tdx: Prepare\n\n[BO] NAK\n"
            "Withdrawn the old loop in favour of sc_retry().\n\nSigned-off-by: Ann Author <ann@example.org>\n")
    mbox, rules = _thread(tmp_path, copy, sender="Bob Other <bob@example.org>")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.sentence) for o in g.objections] == [("nak", "NAK")] and g.exit_status == 1


@pytest.mark.parametrize(("below", "said"), [
    # Before, the NAK ran on into the copy's lines below it: "NAK from me because the loop never ends and the copy
    # goes on." (the copy's words cited as Bob's reason), "NACK from me since 2019 this code spins.".
    ("[BO] NAK from me\nbecause the loop never ends and\nthe copy goes on.\n", "NAK from me"),
    ("[BO] NACK from me\nsince 2019 this code spins.\n", "NACK from me"),
    ("[BO] NAK, the loop\nnever ends.\n", "NAK, the loop"),
    # A colon or a dash opens the NAK's reason: it runs on to its sentence's end.
    ("[BO] NAK: the loop never ends\nbecause it retries.\ncopy line\n", "NAK: the loop never ends because it retries."),
    ("[BO] NAK - the loop\nnever ends.\n", "NAK - the loop never ends."),
])
def test_an_inline_nak_is_whole_on_its_line_but_for_a_reason_it_opens(tmp_path: Path, below: str, said: str) -> None:
    copy = ("Comments inline.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\nSent: Monday, "
            f"January 5, 2026 10:00 AM\nTo: Bob\nSubject: [PATCH v2 2/3] x86/virt/tdx: Prepare\n\n{below}\n"
            "Signed-off-by: Ann Author <ann@example.org>\n")
    mbox, rules = _thread(tmp_path, copy, sender="Bob Other <bob@example.org>")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.author, o.sentence) for o in g.objections] == [("nak", "Bob Other", said)], g.objections
    assert g.exit_status == 1


@pytest.mark.parametrize("quoted", [
    "BO> XY> NAK, the loop never ends.\n",  # one line: the reply's own words, its NAK Mae's
    "bo> xy> NAK, the loop never ends.\nbo> xy> It spins.\n",  # lower case: the same
    "> BO> XY> NAK, the loop never ends.\n",  # BO's NAK (quoted by Mae): it is XY's
])
def test_a_nak_in_a_nested_supercite_quote_is_never_the_repliers(tmp_path: Path, quoted: str) -> None:
    mbox, rules = _thread(tmp_path, f"{quoted}\nI agree with the cleanup.\n", sender=MAE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    [o] = g.objections
    inner = "xy" if quoted.startswith("bo") else "XY"
    assert (o.kind.value, o.author) == ("nak", f"{inner} (quoted by Mae Maint)"), o
    assert o.sentence.startswith("NAK, the loop never ends"), o


@pytest.mark.parametrize("mark", ["[Bob Other]", "[bo]"])
def test_an_inline_answer_marked_with_the_whole_name_or_lower_case_initials_is_the_repliers(tmp_path: Path,
                                                                                          mark: str) -> None:
    # Before: the line stayed in the copy of Ann's patch, its NAK read as Ann's, quoted by Bob: his withdrawal would
    # never lift it.
    copy = ("Comments inline.\n\n-----Original Message-----\nFrom: Ann Author <ann@example.org>\nSent: Monday, "
            f"January 5, 2026 10:00 AM\nTo: Bob\nSubject: [PATCH v2 2/3] x86/virt/tdx: Prepare\n\n{mark} NAK, the loop "
            "never ends.\n\nSigned-off-by: Ann Author <ann@example.org>\n")
    mbox, rules = _thread(tmp_path, copy, sender="Bob Other <bob@example.org>")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.author, o.sentence) for o in g.objections] == [
        ("nak", "Bob Other", "NAK, the loop never ends.")], g.objections
