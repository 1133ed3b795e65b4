"""inline_quotes: words a colon opens between »…«, «…» or „…“ in a reply's own text are a quote of whom they name.

Bob writes "Mae Maint schrieb: »NAK, the retry is wrong.« I agree." Before, the NAK was Bob's own: it blocked as his,
and Mae's withdrawal did not lift it; Bob quoting Mae's "»I withdraw my NAK.«" so took his own NAK back (a false pass).
b4 reads no trailer inside such a span (its trailer pattern wants a word at the line's start). A reply whose prose is
German or French is refused as unread (harness.language) whatever it quotes: the marks matter in English prose."""

from __future__ import annotations

from pathlib import Path

import b4
import pytest

from harness.errors import Where
from harness.inlinequote import inline_quotes
from tests.harness.test_attribution_names import BOB, MAE, _gate
from tests.harness.test_gate_naks import _objections, _replies

NAK = "NAK, the retry is wrong."


@pytest.mark.parametrize("words", [
    f"Mae Maint wrote: »{NAK}« I agree.\n",
    f"Mae Maint wrote : « {NAK} »\n\nI agree.\n",
    "Mae Maint wrote :\n« NAK, the retry\nis wrong. »\n\nI agree.\n",  # on the line above
    "Mae Maint wrote:\n»NAK, the retry is wrong.«\n\nI agree.\n",  # one read as an attribution line
    f"Mae Maint <mae@example.org> wrote: „{NAK}“ I agree.\n",
])
def test_a_nak_quoted_inline_is_the_named_senders(tmp_path: Path, words: str) -> None:
    quoted = ("b1@example.org", words, BOB)
    [(who, said)] = _gate(tmp_path, quoted)
    assert who.startswith("Mae Maint") and who.endswith("(quoted by Bob Other)") and said.startswith("NAK, the"), who
    # Mae taking it back lifts it; Bob cannot.
    assert _gate(tmp_path, quoted, ("w1@example.org", "I withdraw my NAK, I misread the loop.\n", MAE)) == []
    assert len(_gate(tmp_path, quoted, ("w1@example.org", "I withdraw my NAK, I misread the loop.\n", BOB))) == 1


@pytest.mark.parametrize("words", [
    "Someone said: »NAK, the retry is wrong.« I agree.\n",  # no sender named: an unnamed sender's, it blocks
    "Do not use »NAK« as a verb. NAK, the retry is wrong.\n",  # no colon opens it: Bob's own
])
def test_a_nak_quoted_inline_no_one_named_or_a_span_no_colon_opens_still_blocks(tmp_path: Path, words: str) -> None:
    assert len(_gate(tmp_path, ("b1@example.org", words, BOB))) == 1


def test_a_withdrawal_quoted_inline_does_not_take_back_the_repliers_nak(tmp_path: Path) -> None:
    said = [("b1@example.org", f"{NAK}\n", BOB, "patch"),
            ("m1@example.org", "I withdraw my NAK.\n", MAE, "b1@example.org"),
            ("b2@example.org", "Mae Maint wrote: »I withdraw my NAK.« I don't.\n", BOB, "m1@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == [("b1@example.org", NAK)]


def test_spans_are_blanked_in_place_and_unclosed_or_wordless_ones_kept() -> None:
    lines = ["Mae schrieb: »a« und »b«.", "Olga a écrit :", "« c", "d »", "Bitte »foo« nicht.", "Zitat: »e", "",
             "f«", "Leer: »  «"]
    out, quotes = inline_quotes(list(enumerate(lines, 1)), Where("t.mbox"))
    assert [t for _, t in out] == ["Mae schrieb:     und »b«.", "Olga a écrit :", "   ", "   ", "Bitte »foo« nicht.",
                                   "Zitat: »e", "", "f«", "Leer: »  «"]
    assert [(q.who, q.lines, q.where.line) for q in quotes] == [("Mae", ("a",), 1), ("Olga", ("c", "d"), 3)]
    # b4 reads no trailer inside a span either.
    assert b4.LoreMessage.find_trailers("Mae schrieb: »Reviewed-by: Mae <mae@example.org>«\n", followup=True)[0] == []
