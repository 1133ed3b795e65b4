"""The sentence a NAK is cited by: a NAK standing alone is cited with its reason, the sentence after it."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import _SENTENCE_END, nak_citations, nak_sentence, nak_sentences, withdraws_nak
from harness.replywords import DOTTED_NAK
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import MAE, _objections, _replies, _thread


@pytest.mark.parametrize(("words", "said"), [
    ("NAK. The leaf bit check is wrong.", "NAK. The leaf bit check is wrong."),  # was "NAK"
    ("NAK.\nThe leaf bit check is wrong.\n\nThanks,\nMae", "NAK. The leaf bit check is wrong."),
    ("*NAK*! It spins.", "*NAK*! It spins."),
    ("NAK, the loop spins. It never ends.", "NAK, the loop spins"),  # a reason of its own
    ("NAK.\n\nThe leaf bit check is wrong.", "NAK"),  # another paragraph
    ("NAK.\nThanks, Mae", "NAK"),  # a sign-off, no reason
    ("NAK.\n-- \nMae", "NAK"),
    ("NAK. NAK for patch 3 too.", "NAK"),  # another NAK
    ("NAK.", "NAK."),
])
def test_a_nak_alone_is_cited_with_its_reason(words: str, said: str) -> None:
    assert nak_sentence(words) == said


def test_the_gate_cites_a_nak_alone_with_its_reason(tmp_path: Path) -> None:
    # Before: the objection's sentence was "NAK".
    mbox, rules = _thread(tmp_path, "NAK. The leaf bit check is wrong.")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.sentence for o in g.objections] == ["NAK. The leaf bit check is wrong."], g.objections


@pytest.mark.parametrize(("words", "said"), [
    # The reason's sentence goes on past a semicolon or a colon: it was cited cut there ("NAK. Scripts parse this
    # line;"), half a reason, the gate's objection line too.
    ("NAK. Scripts parse this line; changing it breaks them for no gain.",
     "NAK. Scripts parse this line; changing it breaks them for no gain."),
    ("NAK.\nTwo problems: the loop spins; nothing bounds it.\n\nThanks, Cy",
     "NAK. Two problems: the loop spins; nothing bounds it."),
    ("NAK. Scripts parse this line;\n\nThe rest is fine.", "NAK. Scripts parse this line;"),  # a paragraph ends it
    ("NAK. It spins; NAK for patch 3 too.", "NAK. It spins;"),  # another NAK is no part of the reason
    ("NAK. It spins; thanks, Cy", "NAK. It spins;"),  # nor a sign-off
])
def test_a_nak_alone_is_cited_with_its_whole_reason(words: str, said: str) -> None:
    assert nak_sentence(words) == said
    assert nak_sentences(words)[0] == "NAK"  # what is read for the patches it names stays the NAK alone


def test_the_gate_cites_a_reason_past_its_semicolon(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "NAK. Scripts parse this line; changing it breaks them.")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.sentence for o in g.objections] == ["NAK. Scripts parse this line; changing it breaks them."]


def test_each_nak_is_cited_as_the_first_is() -> None:
    # The second NAK alone is cited with its reason too (nak_sentences gave "NAK" for it); the sentences read for
    # the patches they name stay as written.
    words = "NAK. The leaf bit check is wrong.\n\nNAK! It spins.\n\nNAK.\n\nThanks, Mae"
    assert nak_citations(words) == ["NAK. The leaf bit check is wrong.", "NAK! It spins.", "NAK"]
    assert nak_citations(words)[0] == nak_sentence(words)
    assert nak_sentences(words) == ["NAK", "NAK", "NAK"]


def test_a_self_nack_is_cited_with_its_reason(tmp_path: Path) -> None:
    # "Self-NACK: the loop has no bound." was cited as "Self-NACK" (the gate's objection line too), where a lone
    # "NAK." is cited with the sentence after it.
    from tests.harness.test_gate_drops import _thread as _thread_from

    assert nak_sentence("Self-NAK. I sent the wrong base.") == "Self-NAK. I sent the wrong base."
    mbox, rules = _thread_from(tmp_path, "Self-NACK: the loop has no bound.\n", sender="Ann Author <ann@example.org>")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.exit_status == 1 and [o.sentence for o in g.objections] == ["Self-NACK: the loop has no bound."]


@pytest.mark.parametrize("words", ["I don't withdraw my NAK.", "I'm not withdrawing my NAK.",
                                   "I won't take my NAK back.", "Not withdrawing my NAK yet.",
                                   "I do not retract my NACK."])
def test_a_withdrawal_refused_is_a_nak_that_stands(tmp_path: Path, words: str) -> None:
    # Each was read as no NAK (the withdrawal negated, the NAK with it): below a reworked patch the gate passed.
    assert nak_sentence(words) == words
    mbox, rules = _thread(tmp_path, words)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.sentence) for o in g.objections] == [("nak", words)] and g.exit_status == 1


@pytest.mark.parametrize("words", ["I withdraw my NAK.", "No, I withdraw my NAK.", "Why not withdraw my NAK?"])
def test_a_withdrawal_or_a_question_about_one_is_no_nak(words: str) -> None:
    assert nak_sentence(words) is None


@pytest.mark.parametrize("words", ["Withdrawing my NAK would be wrong.", "Lifting the NAK is not an option.",
                                   "Taking my NAK back would be premature."])
def test_a_withdrawal_the_sentence_judges_takes_no_nak_back(tmp_path: Path, words: str) -> None:
    # Before: read as Mae taking her NAK back; the gate passed (READY, exit 0).
    mbox = _replies(tmp_path, ("m1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch"),
                    ("m2@example.org", f"> NAK, the loop never ends.\n\n{words}\n", MAE, "m1@example.org"))
    assert "m1@example.org" in [m for m, _ in _objections(tmp_path, mbox)]


@pytest.mark.parametrize("words", ["Withdrawing my NAK, the loop is bounded now.", "OK, withdrawing my NAK."])
def test_a_withdrawal_with_its_reason_still_takes_the_nak_back(words: str) -> None:
    assert withdraws_nak(words) and nak_sentence(words) is None


@pytest.mark.parametrize("words", ["NAK?", "NAK from me?", "*NAK*?", "NAK then?"])
def test_a_nak_asked_alone_is_a_question_not_a_nak(tmp_path: Path, words: str) -> None:
    # Before: each blocked the gate as Mae's NAK (NOT READY, exit 1).
    mbox, rules = _thread(tmp_path, words)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0, g.objections


@pytest.mark.parametrize(("words", "said"), [("NAK. Why not bound the loop?", "NAK. Why not bound the loop?"),
                                             ("NAK, why move it?", "NAK, why move it?")])
def test_a_nak_with_a_question_after_it_stays_a_nak(words: str, said: str) -> None:
    assert nak_sentence(words) == said


@pytest.mark.parametrize("words", ["I never withdrew my NAK.", "I haven't withdrawn my NAK.",
                                   "I never took my NAK back.", "I didn't retract my NAK."])
def test_a_withdrawal_denied_in_the_past_is_a_nak_that_stands(tmp_path: Path, words: str) -> None:
    # Before: "withdrew", "withdrawn", "took ... back" after "never" read as nothing: the gate passed (exit 0).
    mbox, rules = _thread(tmp_path, words)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.sentence) for o in g.objections] == [("nak", words)] and g.exit_status == 1


def test_one_long_line_of_sentences_takes_memory_by_its_length() -> None:
    # Before: each sentence kept a copy of the rest of its line, memory by the square of the line's length (a
    # reply of 100,000 sentences on a line of 600 KB was killed by the OOM killer; 5,000 here took ~75 MB).
    import tracemalloc

    text = "Fine. " * 5000 + "\nNAK, the loop is unbounded.\n\nNacked-by: Mae Maint <mae@example.org>\n"
    tracemalloc.start()
    try:
        said = nak_sentences(text + " ")  # a text no earlier call cached
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert said == ["NAK, the loop is unbounded", "Nacked-by: Mae Maint <mae@example.org>"], said
    assert peak < 16 * 2**20, f"{peak / 2**20:.0f} MiB"


# _SENTENCE_END as it was before its look-behinds were moved after the character they are about (a reference: each of
# them was tried at every place of the text, 0.59 s for a reply of one 2 MB line against 0.10 s now).
_GOES_ON_BEFORE = "".join(rf"(?<!\b{w})" for w in ("a", "an", "the", "my", "our", "your", "their", "his", "her", "its"))
_SENTENCE_END_BEFORE = re.compile(
    r"(?<!N\.A\.K)(?<!N\.A\.C\.K)([.!?;:])\s|\n\s*\n|(?<=。)|\n(?=[ \t]*[A-Za-z][\w-]*[-_]by[ \t]*:)"
    rf"|{_GOES_ON_BEFORE}\n(?=[ \t]*(?:NAK|NACK|{DOTTED_NAK})[^\w\n]*(?:\n|$))", re.I)


def test_sentences_split_where_the_pattern_with_its_look_behinds_first_split_them() -> None:
    words = ["a", "An", "the", "my", "its", "NAK", "nack", "N.A.K", "N.A.C.K", "n.a.k.", "Nacked-by", "Acked_by", "ok",
             "loop", "。", "x", "THE", "their", "ah"]
    seps = [" ", ".", ". ", "!", "?", ";", ":", "\n", "\n\n", " \n", "\n  ", "\t", "。", ".\n", " :", "?\t", ":\n"]
    rnd = random.Random(32)
    for _ in range(5_000):
        text = "".join(rnd.choice(words) + rnd.choice(seps) for _ in range(rnd.randint(1, 12)))
        want = [(m.start(), m.end(), m.group(1)) for m in _SENTENCE_END_BEFORE.finditer(text)]
        assert [(m.start(), m.end(), m.group(1)) for m in _SENTENCE_END.finditer(text)] == want, text


def test_a_nak_at_the_end_of_a_long_line_of_sentences_is_read() -> None:
    line = "The loop looks fine to me. " * 20_000 + "But my NAK stands. NAK, it spins."
    assert nak_sentences(f"On Mon, Ann wrote:\n> x\n\n{line}\nThanks.\n") == ["But my NAK stands", "NAK, it spins"]


@pytest.mark.parametrize("words", ["Scratch my NA\u212a.", "Un-NACKed.", "I withdraw my N.A.K.",
                                   "My nak no longer stands.", "Actually, scratch that, I was wrong, no NACK."])
def test_a_withdrawal_is_looked_for_only_where_a_nak_is_named_and_found_in_every_form(words: str) -> None:
    # A sentence naming no NAK is not searched for a withdrawal (one 10 MB line of words took 1.2 s a pattern); a
    # NAK of any case, dotted or with the Kelvin sign re.I reads as K, is still one.
    assert withdraws_nak(words)
    assert not withdraws_nak("Scratch my review." + " word" * 10_000)


@pytest.mark.parametrize(("words", "said"), [
    # A NAK in other words (before: none, and the gate passed the patch).
    ("This goes in over my dead body.", "This goes in over my dead body."),
    ("Over my dead body.", "Over my dead body."),
    ("Not on my watch, sorry.", "Not on my watch, sorry."),
    ("Over my dead body?", None),  # a question
    ("He said it would go in over his dead body.", None),  # another's words
])
def test_a_nak_in_other_words(words: str, said: str | None) -> None:
    assert nak_sentence(words) == said


def test_a_nak_in_other_words_blocks_the_patch_it_is_below(tmp_path: Path) -> None:
    # Before: 'v2: READY', exit 0.
    mbox, rules = _thread(tmp_path, "This goes in over my dead body.")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind.value, o.target, o.sentence) for o in g.objections] == [
        ("nak", "v2 02/3", "This goes in over my dead body.")] and g.exit_status == 1
