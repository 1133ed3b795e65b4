"""bar_quotes: a run of ``| ``-marked lines (mutt's indent_string "| "), ``: `` or indented ``  > `` ones, is a quote.

Bob NAKs patch 2; Mae writes "I withdraw my NAK." (of her own, she gave none); Bob answers her quoting it with "| ".
Before, the quoted line was Bob's own words: it took his NAK back and the gate passed (a false pass); with ``>`` the
same reply kept his NAK. Now both read alike; so do ``: `` and an indented ``  > ``. git mailinfo and b4 give these
marks no meaning: b4 reads no trailer on a ``| Reviewed-by:`` line, nor does harness.followups, before this reading or
after."""

from __future__ import annotations

from pathlib import Path

import b4
import pytest

from harness.barquote import bar_quotes
from harness.errors import Where
from harness.followups import reply_trailers
from tests.harness.test_attribution_names import BOB, _gate
from tests.harness.test_gate_naks import MAE, OLGA, _objections, _replies

# ": " (old news readers' and some mailers' indent) and ">" after blanks (a quote its client indented) read as "| ".
MARKS = ["| ", "> ", ": ", "  > ", " > "]


@pytest.mark.parametrize("mark", MARKS)
def test_a_withdrawal_quoted_with_a_bar_does_not_take_back_the_senders_nak(tmp_path: Path, mark: str) -> None:
    # Each answers the one before: Bob's NAK of patch 2, Mae's words below it, Bob's answer quoting them.
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", "I withdraw my NAK.\n", MAE, "b1@example.org"),
            ("b2@example.org", f"Mae Maint wrote:\n{mark}I withdraw my NAK.\n\nNoted.\n", BOB, "m1@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == [("b1@example.org", "NAK, the retry is wrong.")]


@pytest.mark.parametrize("mark", MARKS)
def test_a_nak_quoted_with_a_bar_is_the_quoted_senders(tmp_path: Path, mark: str) -> None:
    quoting = ("b2@example.org", f"On Mon, Mae Maint <mae@example.org> wrote:\n\n{mark}NAK, the retry is wrong.\n"
                                 "\nI agree with the change.\n", BOB)
    assert _gate(tmp_path, quoting) == [("Mae Maint <mae@example.org> (quoted by Bob Other)",
                                     "NAK, the retry is wrong.")]


def test_only_a_run_right_below_an_attribution_is_a_quote_and_places_are_kept() -> None:
    lines = ["| patch | verdict |", "Mae Maint wrote:", "", "| a", "| | b", "|", "c", "> Olga wrote:", "> | d",
             "| e"]
    out = bar_quotes(list(enumerate(lines, 1)))
    assert [t for _, t in out] == ["| patch | verdict |", "Mae Maint wrote:", "", "> a", "> > b", ">", "c",
                                   "> Olga wrote:", "> > d", "| e"]
    assert [len(t) for _, t in out] == [len(t) for t in lines]
    plain = list(enumerate(["Looks fine.", "", "| x |"], 1))
    assert bar_quotes(plain) == plain


@pytest.mark.parametrize("mark", ["| ", ": ", "  > "])
def test_a_reviewed_by_below_a_bar_is_no_trailer_either_way(mark: str) -> None:
    said = ["Ann Author wrote:", f"{mark}Reviewed-by: Rae Viewer <rae@example.org>", "", "Thanks."]
    lines = list(enumerate(said, 1))
    assert reply_trailers(lines, Where("t.mbox")) == reply_trailers(bar_quotes(lines), Where("t.mbox")) == ()
    # b4's own reading of the follow-up: no trailer on such a line (its pattern wants a word after the blanks).
    assert b4.LoreMessage.find_trailers("\n".join(said) + "\n", followup=True)[0] == []


def test_colon_and_indented_runs_below_an_attribution_are_quotes_and_places_are_kept() -> None:
    lines = ["Mae Maint wrote:", ": a", ":: b", ": : c", ":", "d", "Olga wrote:", "  > e", "  >> f", "\t> g", "h",
             "Thanks :)", ":-) and", "  > i"]
    out = bar_quotes(list(enumerate(lines, 1)))
    assert [t for _, t in out] == ["Mae Maint wrote:", "> a", "> >b", "> > c", ">", "d", "Olga wrote:", ">   e",
                                   "> >  f", ">  g", "h", "Thanks :)", ":-) and", "  > i"]
    assert [len(t) for _, t in out] == [len(t) for t in lines]
    held = bar_quotes(list(enumerate(["  > I withdraw", "  > my NAK.", "", ": mine"], 1)),
                      lambda words: words == "I withdraw my NAK.")
    assert [t for _, t in held] == [">   I withdraw", ">   my NAK.", "", ": mine"]


@pytest.mark.parametrize(("mae", "objections"), [
    # Mae's mail holds the words Bob marks with "|" (no attribution above them): a quote, his NAK stands.
    ("I withdraw my\nNAK.\n", [("b1@example.org", "NAK, the retry is wrong.")]),
    # The twin: Mae's mail does not hold them, so the "|" line is Bob's own and takes his NAK back.
    ("Thanks for looking.\n", []),
])
def test_a_bar_run_without_attribution_is_a_quote_when_the_mail_answered_holds_it(
        tmp_path: Path, mae: str, objections: list[tuple[str, str]]) -> None:
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", mae, MAE, "b1@example.org"),
            ("b2@example.org", "| I withdraw my NAK.\n\nNoted.\n", BOB, "m1@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == objections


def test_a_bar_run_an_earlier_mail_of_the_thread_holds_is_a_quote(tmp_path: Path) -> None:
    # Mae's words two mails up, Bob quoting them below Olga's answer, which quoted them with ">".
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", "I withdraw my NAK.\n", MAE, "b1@example.org"),
            ("o1@example.org", "Looks right to me.\n", OLGA, "m1@example.org"),
            ("b2@example.org", "|   I withdraw my NAK.\n\nNoted.\n", BOB, "o1@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == [("b1@example.org", "NAK, the retry is wrong.")]


def test_held_runs_are_quotes_and_a_table_of_the_senders_own_stays_theirs() -> None:
    thread = " " + " ".join("> | patch | verdict |\nNAK, see\n  the retry.\n".replace(">", "").split()) + " "
    lines = ["| patch | verdict |", "", "| 2 | NAK |", "> | d", "", "| NAK, see the", "|   retry.", "|"]
    out = bar_quotes(list(enumerate(lines, 1)), lambda words: f" {words} " in thread)
    assert [t for _, t in out] == ["> patch | verdict |", "", "| 2 | NAK |", "> | d", "", "> NAK, see the",
                                   ">   retry.", ">"]
    assert [len(t) for _, t in out] == [len(t) for t in lines]
    assert bar_quotes(list(enumerate(lines, 1)), lambda words: False) == list(enumerate(lines, 1))


@pytest.mark.parametrize(("mae_at", "objections"), [
    # Mae's withdrawal (an answer to the patch, not up Bob's chain) came before Bob's answer to Olga: a quote of hers.
    ("Mon, 05 Jan 2026 10:30:00 +0000", [("b1@example.org", "NAK, the retry is wrong.")]),
    # The twin: dated after Bob's answer, Mae's mail cannot be what he quoted; the "|" line is his own withdrawal.
    ("Tue, 06 Jan 2026 10:00:00 +0000", []),
])
def test_a_bar_run_an_earlier_mail_beside_the_chain_holds_is_a_quote(
        tmp_path: Path, mae_at: str, objections: list[tuple[str, str]]) -> None:
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", "I withdraw my NAK.\n", MAE, "patch"),
            ("o1@example.org", "Agreed with Bob.\n", OLGA, "b1@example.org"),
            ("b2@example.org", "| I withdraw my NAK.\n\nNoted.\n", BOB, "o1@example.org")]
    mbox = _replies(tmp_path, *said, dates={"m1@example.org": mae_at})
    assert _objections(tmp_path, mbox) == objections


def test_each_mail_of_the_thread_is_read_once_for_every_bar_run(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Three "|" runs no attribution names in each of two replies: every mail up the chain is flattened once, not
    # once per run asked (a thread of many such replies would read every earlier mail again for each run).
    import harness.barquote as barquote

    reads: list[bytes] = []
    real = barquote.body_lines
    monkeypatch.setattr(barquote, "body_lines", lambda raw: reads.append(raw.data) or real(raw))
    bars = "| I withdraw\n\nNo.\n\n| my\n\nStill no.\n\n| NAK.\n\nNoted.\n"
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", "I withdraw my NAK.\n", MAE, "b1@example.org"),
            ("b2@example.org", bars, BOB, "m1@example.org"),
            ("b3@example.org", bars, BOB, "b2@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == [("b1@example.org", "NAK, the retry is wrong.")]
    assert reads and len(reads) == len(set(reads))


def test_a_bar_and_angle_run_is_a_quote_of_one_depth_a_mark_each() -> None:
    # "|> " (trn's and tin's indent) below an attribution or held by the thread: one ">" per "|", the length kept.
    lines = ["Mae Maint wrote:", "|> a", "|>b", "|> |> c", "|>", "d"]
    out = bar_quotes(list(enumerate(lines, 1)))
    assert [t for _, t in out] == ["Mae Maint wrote:", ">  a", "> b", "> >   c", "> ", "d"]
    assert [len(t) for _, t in out] == [len(t) for t in lines]
    held = bar_quotes(list(enumerate(["|> I withdraw", "|> my NAK.", "", "|> mine"], 1)),
                      lambda words: words == "I withdraw my NAK.")
    assert [t for _, t in held] == [">  I withdraw", ">  my NAK.", "", "|> mine"]


@pytest.mark.parametrize(("mae", "held"), [("I withdraw my NAK.\n", True), ("Thanks for looking.\n", False)])
@pytest.mark.parametrize("attributed", [True, False])
def test_a_withdrawal_quoted_with_bar_and_angle_does_not_take_back_the_senders_nak(
        tmp_path: Path, mae: str, held: bool, attributed: bool) -> None:
    # Before, "|> I withdraw my NAK." was Bob's own words either way: the gate passed on his NAK (exit 0). Now it is a
    # quote below an attribution, or where Mae's mail holds it; the twin (neither) is Bob's own withdrawal.
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", mae, MAE, "b1@example.org"),
            ("b2@example.org", "Mae Maint wrote:\n" * attributed + "|> I withdraw my NAK.\n\nNoted.\n", BOB,
             "m1@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == ([("b1@example.org", "NAK, the retry is wrong.")]
                                                                if held or attributed else [])


@pytest.mark.parametrize("undated", ["m1@example.org", "b2@example.org"])
@pytest.mark.parametrize("date", ["", "the day after"])
def test_a_bar_run_beside_the_chain_is_a_quote_where_a_date_is_not_read(tmp_path: Path, undated: str,
                                                                          date: str) -> None:
    # Mae's withdrawal answers the patch; Bob quotes it with "|" below Olga's answer to his NAK. One of the two mails
    # has no Date: read, so which came first cannot be told. Before, Mae's mail was then never "earlier": the "|"
    # line was Bob's own withdrawal and the gate passed (exit 0). Read as the quote it may be, the NAK stands.
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", "I withdraw my NAK.\n", MAE, "patch"),
            ("o1@example.org", "Agreed with Bob.\n", OLGA, "b1@example.org"),
            ("b2@example.org", "| I withdraw my NAK.\n\nNoted.\n", BOB, "o1@example.org")]
    mbox = _replies(tmp_path, *said, dates={undated: date})
    assert _objections(tmp_path, mbox) == [("b1@example.org", "NAK, the retry is wrong.")]


def test_an_undated_mail_below_the_reply_quoting_it_is_no_source_of_its_words(tmp_path: Path) -> None:
    # The twin: Mae's undated mail answers Bob's reply and quotes his "|" line; it cannot be what he quoted (it is
    # below his mail), so the line stays his own withdrawal of his NAK.
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("o1@example.org", "Agreed with Bob.\n", OLGA, "b1@example.org"),
            ("b2@example.org", "| I withdraw my NAK.\n\nNoted.\n", BOB, "o1@example.org"),
            ("m1@example.org", "> | I withdraw my NAK.\n\nGood.\n", MAE, "b2@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said, dates={"m1@example.org": ""})) == []


@pytest.mark.parametrize("above", [
    "Mae Maint <mae@example.org> wrote on 01/05/2026 11:00:00 AM:",  # Lotus Notes
    "Am 05.01.26 um 11:00 schrieb Mae Maint <mae@example.org>:",
    "Le lun. 5 janv. 2026 à 11:00, Mae Maint a écrit :",
])
def test_a_bar_run_below_an_attribution_of_another_shape_is_a_quote(tmp_path: Path, above: str) -> None:
    # Mae's mail does not hold the words: only the attribution above tells the run is a quote. Before, only an English
    # "X wrote:" line did: below these the "|" line was Bob's own withdrawal, and the gate passed on his NAK (exit 0).
    said = [("b1@example.org", "NAK, the retry is wrong.\n", BOB, "patch"),
            ("m1@example.org", "Thanks, will look.\n", MAE, "b1@example.org"),
            ("b2@example.org", f"Noted.\n\n{above}\n| I withdraw my NAK.\n", BOB, "m1@example.org")]
    assert _objections(tmp_path, _replies(tmp_path, *said)) == [("b1@example.org", "NAK, the retry is wrong.")]


@pytest.mark.parametrize("above", ["Ran it on 05.01.26 at 11:00 twice.",
                                   "Ran v5.15 on 05.01.26:", "Ran 10.00 and 1.12 on 05.01.26:"])  # a dot is no time
def test_a_bar_run_below_a_line_with_a_date_and_time_but_no_colon_stays_the_senders(above: str) -> None:
    lines = list(enumerate([above, "| a | b |"], 1))
    assert bar_quotes(lines) == lines


def test_inside_a_quote_a_bar_run_below_an_attribution_of_another_shape_is_one_level_deeper() -> None:
    # Olga's mail, quoted by Bob, quoting Mae with "|" below her German attribution: Mae's words, a quote within the
    # quote. Before, the shape was read at the top only: the run stayed Olga's words.
    lines = ["> Am 05.01.26 um 11:00 schrieb Mae Maint <mae@example.org>:", "> | I withdraw my NAK.", "> Fine by me.",
             "> Ran it on 05.01.26 at 11:00 twice.", "> | a | b |"]
    assert [t for _, t in bar_quotes(list(enumerate(lines, 1)))] == [
        lines[0], "> > I withdraw my NAK.", lines[2], lines[3], lines[4]]
