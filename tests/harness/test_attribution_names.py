"""The sender an attribution in another language names, as whose a quoted NAK is.

The sender an attribution of another language names without an address ("Am 01.12.26 um 10:00 schrieb Olga
Other:", "在 2026年12月1日 10:00, Olga Other 写道："): their name, not the whole line, as whose a quoted NAK is."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.attribution import shaped_name
from harness.gate import GateRequest, evaluate_gate
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

BOB, MAE = "Bob Other <bob@example.org>", "Mae Maint <mae@example.org>"


@pytest.mark.parametrize(("line", "name"), [
    ("Am 01.12.2026 um 10:00 schrieb Mae Maint:", "Mae Maint"),
    ("Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Mae Maint:", "Mae Maint"),
    ("在 2026年12月1日 10:00, Mae Maint 写道：", "Mae Maint"),
    ("Mae Maint 於 2026年12月1日 週一 上午10:00寫道：", "Mae Maint"),
    ("El lun, 1 dic 2026 a las 10:00, Mae Maint escribió:", "Mae Maint"),
    ("Le lun. 1 déc. 2026 à 10:00, Mae Maint a écrit :", "Mae Maint"),
    ("Den 1 dec. 2026 kl. 10:00 skrev Mae Maint:", "Mae Maint"),
    ("Il giorno lun 1 dic 2026 alle ore 10:00 Mae Maint ha scritto:", "Mae Maint"),
    ("Op ma 1 dec. 2026 om 10:00 schreef Mae Maint:", "Mae Maint"),
    # A perfect tense, its participle after the name (Dutch Apple Mail, German): the line as written before.
    ("Op 1 dec 2026, om 10:00 heeft Mae het volgende geschreven:", "Mae"),
    ("Am 01.12.2026 um 10:00 hat Mae Maint geschrieben:", "Mae Maint"),
    # Slavic verbs in either gender, Romanian's, Japanese Becky!'s (an ideographic comma after the time): the line as
    # written before.
    ("W dniu 1.12.2026 o 10:00, Mae Maint pisze:", "Mae Maint"),
    ("Dnia 1.12.2026 o 10:00, Mae Maint napisała:", "Mae Maint"),
    ("Dne 1. 12. 2026 10:00 napsal(a) Mae Maint:", "Mae Maint"),
    ("Dňa 1. 12. 2026 o 10:00 Mae Maint napísal(a):", "Mae Maint"),
    ("1 декабря 2026 г., в 10:00, Mae Maint пишет:", "Mae Maint"),
    ("Dana 1.12.2026. u 10:00, Mae Maint je napisao:", "Mae Maint"),
    ("În lun., 1 dec. 2026 la 10:00, Mae Maint a scris:", "Mae Maint"),
    ("2026/12/01 10:00、Mae Maint さんは書きました:", "Mae Maint"),
    # The name before the verb, a date and time after it (GMX, older Thunderbird): the line as written before.
    ("Mae Maint schrieb am 01.12.2026 um 10:00:", "Mae Maint"),
    # No verb known, or no name of words left: the line as written (as before).
    ("Tested on 2026-12-01 at 10:00 with the loader:", "Tested on 2026-12-01 at 10:00 with the loader:"),
])
def test_the_name_an_attribution_gives(line: str, name: str) -> None:
    assert shaped_name(line) == name


def _gate(tmp: Path, *replies: tuple[str, str, str]) -> list[tuple[str, str]]:
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch, cover = msgs[2]["Message-ID"].strip("<>"), msgs[0]["Message-ID"].strip("<>")
    out = [message(f"Re: {msgs[2]['Subject']}", msgid, body, sender=who, parent=patch, refs=(cover, patch))
           for msgid, body, who in replies]
    rules = tmp / "r.toml"
    rules.write_text(RULE)
    g = evaluate_gate(GateRequest((write_mbox(tmp / "v2.mbox", [*msgs, *out]),), "v2", jobs=1, rules=rules,
                                  cache=shared_outcomes()))
    return [(o.author, o.sentence) for o in g.objections]


@pytest.mark.parametrize("line", ["Am 01.12.2026 um 10:00 schrieb Mae Maint:",
                                  "在 2026年12月1日 10:00, Mae Maint 写道：",
                                  "W dniu 1.12.2026 o 10:00, Mae Maint pisze:"])
def test_a_quoted_nak_is_named_by_its_sender(tmp_path: Path, line: str) -> None:
    # Before: 'NAK of v2 02/3 by Am 01.12.2026 um 10:00 schrieb Mae Maint: (quoted by Bob Other)'.
    quoted = ("b1@example.org", f"{line}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    assert _gate(tmp_path, quoted) == [("Mae Maint (quoted by Bob Other)", "NAK, the retry is wrong.")]
    # Mae's own word taking it back, in the input, takes back the NAK Bob quotes.
    assert _gate(tmp_path, quoted, ("w1@example.org", "I withdraw my NAK, I misread the loop.\n", MAE)) == []


@pytest.mark.parametrize("lines", ["On Mon, Dec 1, 2026 at 10:00 AM Mae Maint\n<mae@example.org> wrote:",
                                   "On Mon, Dec 1, 2026 at 10:00 AM Mae Maint <mae@example.org>\nwrote:",
                                   "On Mon, Dec 1, 2026 at 10:00 AM Mae Maint <mae@example.org> wrote:"])
def test_a_quoted_nak_below_a_wrapped_gmail_attribution_keeps_its_senders_name(tmp_path: Path, lines: str) -> None:
    # Gmail wrapped the line before the address: the quote was 'mae@example.org''s, the name left on the line above
    # (read as Bob's own words), where the same attribution on one line gave 'Mae Maint <mae@example.org>'.
    quoted = ("b1@example.org", f"{lines}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    said = [("Mae Maint <mae@example.org> (quoted by Bob Other)", "NAK, the retry is wrong.")]
    assert _gate(tmp_path, quoted) == said


@pytest.mark.parametrize("lines", ["Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Mae Maint\n<mae@example.org>:",
                                   "Le lun. 1 déc. 2026 à 10:00, Mae Maint\n<mae@example.org> a écrit :",
                                   "在 2026年12月1日 10:00, Mae Maint\n<mae@example.org> 写道：",
                                   "Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Mae Maint <mae@example.org>:"])
def test_a_quoted_nak_below_a_wrapped_attribution_of_another_language_keeps_its_senders_name(
        tmp_path: Path, lines: str) -> None:
    # As the English one: the address alone ('NAK of v2 02/3 by mae@example.org (quoted by Bob Other)') where the
    # name beside it, read as shaped_name reads one with no address, is Mae Maint's.
    quoted = ("b1@example.org", f"{lines}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    said = [("Mae Maint <mae@example.org> (quoted by Bob Other)", "NAK, the retry is wrong.")]
    assert _gate(tmp_path, quoted) == said


@pytest.mark.parametrize("lines", ["Op ma 1 dec. 2026 om 10:00 schreef Mae Maint <mae@example.org>:",
                                   "Op ma 1 dec. 2026 om 10:00 schreef Mae Maint\n<mae@example.org>:",
                                   "Am Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Mae Maint\n<mae@example.org>:",
                                   "Le lun. 1 déc. 2026 à 10:00, Mae Maint\n<mae@example.org> a écrit :",
                                   "Op 1 dec. 2026 om 10:00 heeft Mae Maint <mae@example.org> het volgende\n"
                                   "geschreven:"])
def test_an_unquoted_copy_below_an_attribution_of_another_language_keeps_its_senders_name(
        tmp_path: Path, lines: str) -> None:
    # A top-post copying Mae's message without "> ": its NAK was 'mae@example.org''s (harness.attribution.top_posted
    # kept the address alone), where the same attribution over a "> " quote gave 'Mae Maint <mae@example.org>'.
    copied = ("b1@example.org", f"I agree.\n\n{lines}\n\nNAK, the retry is wrong.\n\nMae\n", BOB)
    [(who, said)] = _gate(tmp_path, copied)
    assert who == "Mae Maint <mae@example.org> (quoted by Bob Other)" and said.startswith("NAK, the retry"), who


@pytest.mark.parametrize("line", ["W dniu 2026-12-01 o 10:00, Mae Maint <mae@example.org> pisze:",
                                  "Dne 1. 12. 2026 v 10:00 Mae Maint <mae@example.org> napsal(a):",
                                  "1.12.2026 klo 10:00 Mae Maint <mae@example.org> kirjoittaa:",
                                  # a time with a dot after the word for "at" (Danish, Finnish Gmail's "(x@y)"): the
                                  # quote was an unnamed sender's, and Mae's withdrawal did not lift it
                                  "Den 1. dec. 2026 kl. 10.00 skrev Mae Maint <mae@example.org>:",
                                  "ma 1.12.2026 klo 10.00 Mae Maint (mae@example.org) kirjoitti:"])
def test_a_quoted_nak_below_an_address_and_a_verb_keeps_its_senders_name(tmp_path: Path, line: str) -> None:
    # The name before the address, a verb (known or not) after it: 'mae@example.org (quoted by Bob Other)'.
    quoted = ("b1@example.org", f"{line}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    said = [("Mae Maint <mae@example.org> (quoted by Bob Other)", "NAK, the retry is wrong.")]
    assert _gate(tmp_path, quoted) == said
    assert _gate(tmp_path, quoted, ("w1@example.org", "I withdraw my NAK, I misread the loop.\n", MAE)) == []


@pytest.mark.parametrize("line", ["* Mae Maint <mae@example.org> [2026-12-01 10:00:00 +0100]:",
                                  '* "Mae Maint" <mae@example.org> [2026-12-01 10:00:00 +0100]:',
                                  "Mae Maint <mae@example.org> ezt írta (időpont: 2026. dec. 1., K, 10:00):"])
def test_a_quoted_nak_below_a_name_first_attribution_keeps_its_senders_name(tmp_path: Path, line: str) -> None:
    # Mutt's attribution and Hungarian Gmail's put the name first, the date after the address: both were named by
    # the address alone ('mae@example.org (quoted by Bob Other)').
    quoted = ("b1@example.org", f"{line}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    said = [("Mae Maint <mae@example.org> (quoted by Bob Other)", "NAK, the retry is wrong.")]
    assert _gate(tmp_path, quoted) == said
    assert _gate(tmp_path, quoted, ("w1@example.org", "I withdraw my NAK, I misread the loop.\n", MAE)) == []


@pytest.mark.parametrize(("line", "who"), [
    ("On Mon, 1 Dec 2026 Mae Maint <mae@example.org> wrote:", "Mae Maint <mae@example.org>"),
    ("On Mon, Dec 1, 2026 Mae Maint <mae@example.org> wrote:", "Mae Maint <mae@example.org>"),
    ("On 2026-12-01 Mae Maint wrote:", "Mae Maint"),
    ("On 12/1/26 Mae Maint wrote:", "Mae Maint"),
])
def test_a_quoted_nak_below_a_dated_attribution_with_no_time_is_named_by_its_sender(
        tmp_path: Path, line: str, who: str) -> None:
    # The date's year or numbers were read as the name's first words: 'NAK of v2 02/3 by 2026 Mae Maint
    # <mae@example.org> (quoted by Bob Other)', 'On 2026-12-01 Mae Maint'.
    quoted = ("b1@example.org", f"{line}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    assert _gate(tmp_path, quoted) == [(f"{who} (quoted by Bob Other)", "NAK, the retry is wrong.")]


@pytest.mark.parametrize(("line", "who"), [
    ("Quoting Mae Maint (2026-12-01 10:00:00)", "Mae Maint"),
    ("Quoting Mae Maint <mae@example.org>:", "Mae Maint <mae@example.org>"),
    ("Excerpts from Mae Maint's message of December 1, 2026 10:00 am:", "Mae Maint"),
    ("Quoting the loader's spec:", None),  # no sender: the quote stays an unnamed sender's
])
def test_a_quoted_nak_below_a_horde_or_sup_attribution_is_named_by_its_sender(
        tmp_path: Path, line: str, who: str | None) -> None:
    # Horde/IMP's "Quoting X (date)" was no attribution ('an unnamed sender'), sup's "Excerpts from X's message of
    # ...:" named the whole line; Mae's withdrawal lifted neither.
    quoted = ("b1@example.org", f"{line}\n> NAK, the retry is wrong.\n\nI agree.\n", BOB)
    by = f"{who} (quoted by Bob Other)" if who else "an unnamed sender (quoted by Bob Other)"
    assert _gate(tmp_path, quoted) == [(by, "NAK, the retry is wrong.")]
    lifted = _gate(tmp_path, quoted, ("w1@example.org", "I withdraw my NAK, I misread the loop.\n", MAE))
    assert lifted == ([] if who else [(by, "NAK, the retry is wrong.")])
