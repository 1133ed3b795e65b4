"""Review replies as other mail clients write them, each read as the copied sender's.

Review replies as other mail clients write them: a copy below a header block in French typography or Chinese and
Japanese Outlook's words, a Gmail attribution wrapped inside the sender's name, a withdrawal wrapped before its
"NAK.": each read as the copied sender's, or as the sender's own word, as a reader of the mail reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.attribution import shaped_name, top_posted
from harness.nakwords import nak_sentences, withdrawal_sentences
from tests.harness.test_attribution_names import BOB, _gate
from tests.harness.test_gate_naks import MAE, _objections, _replies

QUOTED = "Olga Other <olga@example.org> (quoted by Bob Other)"


@pytest.mark.parametrize("block", [
    # Outlook in French: a space before each colon, a no-break one too.
    "De : Olga Other <olga@example.org>\nEnvoyé : lundi 1 décembre 2026 10:00\nÀ : Ann Author <ann@example.org>\n"
    "Objet : Re: [PATCH]",
    "De\u00a0: Olga Other <olga@example.org>\nEnvoyé\u00a0: lundi 1 décembre 2026 10:00\nÀ\u00a0: Ann\n"
    "Objet\u00a0: Re: x",
    # Outlook in Chinese (simplified and traditional) and Japanese, a full-width colon too.
    "发件人: Olga Other <olga@example.org>\n发送时间: 2026年12月1日 10:00\n收件人: Ann Author <ann@example.org>\n"
    "主题: Re: [PATCH]",
    "寄件者： Olga Other <olga@example.org>\n寄件日期： 2026年12月1日 上午 10:00\n收件者： Ann\n主旨： Re: [PATCH]",
    "差出人: Olga Other <olga@example.org>\n送信日時: 2026年12月1日 10:00\n宛先: Ann Author <ann@example.org>\n"
    "件名: Re: [PATCH]",
    # Spanish Outlook's sent line is 'Enviado el:', Brazilian 'Enviada em:'; Polish, Russian, Korean Outlook.
    "De: Olga Other <olga@example.org>\nEnviado el: lunes, 1 de diciembre de 2026 10:00\nPara: Ann\nAsunto: Re: x",
    "De: Olga Other <olga@example.org>\nEnviada em: segunda-feira, 1 de dezembro de 2026 10:00\nPara: Ann\n"
    "Assunto: Re: x",
    "Od: Olga Other <olga@example.org>\nWysłano: poniedziałek, 1 grudnia 2026 10:00\nDo: Ann\nTemat: Re: x",
    "От: Olga Other <olga@example.org>\nОтправлено: 1 декабря 2026 г. 10:00\nКому: Ann\nТема: Re: x",
    "보낸 사람: Olga Other <olga@example.org>\n보낸 날짜: 2026년 12월 1일 월요일 오전 10:00\n받는 사람: Ann\n"
    "제목: Re: x",
    # Outlook for Mac: a date and a to line, in German and French as in English.
    "Von: Olga Other <olga@example.org>\nDatum: Montag, 1. Dezember 2026 um 10:00\nAn: Ann\nBetreff: Re: x",
    "De : Olga Other <olga@example.org>\nDate : lundi 1 décembre 2026 à 10:00\nÀ : Ann\nObjet : Re: x",
])
def test_a_copy_below_a_header_block_in_another_clients_words_is_the_copied_senders(tmp_path: Path, block: str) -> None:
    # Before: the copy was read as Bob's own words, its NAK 'Bob Other''s ('Sent:' and 'From:' in English, German,
    # Dutch ... only, the colon right after the word; 'Date:' and 'To:' in English only).
    lines = ["Looks fine to me.", "", *block.split("\n"), "", "NAK, the retry is wrong."]
    found = top_posted(list(enumerate(lines, 1)))
    assert found is not None and found[:2] == (2, "Olga Other <olga@example.org>"), found
    [(who, said)] = _gate(tmp_path, ("b1@example.org", "\n".join(lines) + "\n", BOB))
    assert who == QUOTED and said.startswith("NAK, the retry is wrong"), (who, said)


def test_a_reviewed_by_in_a_copy_below_a_chinese_outlook_header_lifts_no_nak(tmp_path: Path) -> None:
    # Mae NAKs, then top-posts a copy of the patch mail carrying her Reviewed-by from an earlier round. Before b9ed062
    # the copy was Mae's own words, its trailer her approval: it lifted her NAK and the gate passed (a false pass).
    copy = ("Still waiting for the loop fix.\n\n发件人: Ann Author <ann@example.org>\n发送时间: 2026年12月1日 10:00\n"
            "收件人: Mae\n主题: [PATCH v2 2/3] demo\n\nRetry five times.\n\nReviewed-by: Mae Maint <mae@example.org>\n"
            "Signed-off-by: Ann Author <ann@example.org>\n")
    mbox = _replies(tmp_path, ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch"),
                    ("r1@example.org", copy, MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("n1@example.org", "NAK, the loop never ends.")]


@pytest.mark.parametrize("block", [
    # Outlook's header block in Danish and Norwegian, Czech, Turkish, Finnish, Hungarian, Ukrainian, Greek, Hebrew,
    # Arabic, Romanian, Vietnamese, Indonesian, Thai, Croatian, Bulgarian and Catalan.
    "Fra: Ann Author <ann@example.org>\nSendt: 1. december 2026 10:00\nTil: Mae\nEmne: [PATCH v2 2/3] demo",
    "Od: Ann Author <ann@example.org>\nOdesláno: pondělí 1. prosince 2026 10:00\nKomu: Mae\nPředmět: [PATCH v2 2/3]",
    "Kimden: Ann Author <ann@example.org>\nGönderildi: 1 Aralık 2026 Pazartesi 10:00\nKime: Mae\nKonu: [PATCH v2 2/3]",
    "Lähettäjä: Ann Author <ann@example.org>\nLähetetty: maanantai 1. joulukuuta 2026 10.00\nVastaanottaja: Mae\n"
    "Aihe: [PATCH v2 2/3]",
    "Feladó: Ann Author <ann@example.org>\nElküldve: 2026. december 1., hétfő 10:00\nCímzett: Mae\nTárgy: x",
    "Від: Ann Author <ann@example.org>\nНадіслано: 1 грудня 2026 р. 10:00\nКому: Mae\nТема: [PATCH v2 2/3]",
    "Από: Ann Author <ann@example.org>\nΣτάλθηκε: Δευτέρα, 1 Δεκεμβρίου 2026 10:00 πμ\nΠρος: Mae\nΘέμα: [PATCH v2 2/3]",
    "מאת: Ann Author <ann@example.org>\nנשלח: יום שני 01 דצמבר 2026 10:00\nאל: Mae\nנושא: [PATCH v2 2/3]",
    "من: Ann Author <ann@example.org>\nتم الإرسال: الاثنين، 1 ديسمبر، 2026 10:00 ص\nإلى: Mae\nالموضوع: [PATCH v2 2/3]",
    "De la: Ann Author <ann@example.org>\nTrimis: luni, 1 decembrie 2026 10:00\nCătre: Mae\nSubiect: [PATCH v2 2/3]",
    "Từ: Ann Author <ann@example.org>\nĐã gửi: Thứ Hai, 1 tháng 12, 2026 10:00\nĐến: Mae\nChủ đề: [PATCH v2 2/3]",
    "Dari: Ann Author <ann@example.org>\nDikirim: Senin, 01 Desember 2026 10.00\nKepada: Mae\nSubjek: [PATCH v2 2/3]",
    "จาก: Ann Author <ann@example.org>\nส่ง: 1 ธันวาคม 2026 10:00\nถึง: Mae\nเรื่อง: [PATCH v2 2/3]",
    "Od: Ann Author <ann@example.org>\nPoslano: ponedjeljak, 1. prosinca 2026. 10:00\nPrima: Mae\nPredmet: x",
    "От: Ann Author <ann@example.org>\nИзпратено: 1 декември 2026 г. 10:00\nДо: Mae\nОтносно: [PATCH v2 2/3]",
    "De: Ann Author <ann@example.org>\nEnviat: dilluns, 1 de desembre de 2026 10:00\nPer a: Mae\nAssumpte: x",
])
def test_a_reviewed_by_in_a_copy_below_other_outlook_headers_lifts_no_nak(tmp_path: Path, block: str) -> None:
    # As the Chinese one above: before, the copy was Mae's own words and its Reviewed-by lifted her NAK (a false pass).
    copy = (f"Still waiting for the loop fix.\n\n{block}\n\nRetry five times.\n\n"
            "Reviewed-by: Mae Maint <mae@example.org>\nSigned-off-by: Ann Author <ann@example.org>\n")
    mbox = _replies(tmp_path, ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch"),
                    ("r1@example.org", copy, MAE, "patch"))
    assert _objections(tmp_path, mbox) == [("n1@example.org", "NAK, the loop never ends.")]


def test_git_in_body_headers_are_no_header_block() -> None:
    # A proposal's in-body From, Date and Subject (no To), in any language's words: no copy starts there.
    for block in ("From: Olga Other <olga@example.org>\nDate: Mon, 1 Dec 2026 10:00\nSubject: x",
                  "Von: Olga Other <olga@example.org>\nDatum: Mon, 1 Dec 2026 10:00\nBetreff: x"):
        assert top_posted(list(enumerate(["Try this:", "", *block.split("\n"), "", "NAK."], 1))) is None


@pytest.mark.parametrize("body", [
    # Gmail wrapped the line inside the name: 'Other <olga@example.org>' alone was read as the sender.
    "On Mon, Dec 1, 2026 at 10:00 AM Olga\nOther <olga@example.org> wrote:\n\n> NAK, the retry is wrong.\n",
    "On Mon, Dec 1, 2026 at 10:00 AM Olga\nOther <olga@example.org> wrote:\n\nNAK, the retry is wrong.\n",  # unquoted
    "On Mon, Dec 1, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:\n\n> NAK, the retry is wrong.\n",
])
def test_a_gmail_attribution_wrapped_inside_the_name_keeps_the_whole_name(tmp_path: Path, body: str) -> None:
    [(who, _)] = _gate(tmp_path, ("b1@example.org", f"Looks fine.\n\n{body}", BOB))
    assert who == QUOTED, who


@pytest.mark.parametrize("attribution", [
    "On 12/1/26 10:00 AM, Olga Other <olga@example.org> wrote:",  # Thunderbird; without the address it was 'AM Olga'
    "2026年12月1日(月) 10:00 Olga Other <olga@example.org>:",  # Japanese Gmail: no verb, the address alone before
    "пн, 1 дек. 2026 г. в 10:00, Olga Other <olga@example.org>:",  # Russian Gmail
    "2026년 12월 1일 (월) 오전 10:00, Olga Other <olga@example.org>님이 작성:",  # Korean Gmail
    "El lun, 1 dic 2026 a las 10:00, Olga Other (<olga@example.org>) escribió:",  # Spanish Gmail's parentheses
    "pon., 1 gru 2026 o 10:00 Olga Other <olga@example.org> napisał(a):",  # Polish Gmail
])
def test_an_attribution_of_another_clients_form_names_the_sender(tmp_path: Path, attribution: str) -> None:
    for below in ("> NAK, the retry is wrong.\n", "\nNAK, the retry is wrong.\n"):  # a quote, a copy
        [(who, _)] = _gate(tmp_path, ("b1@example.org", f"Looks fine.\n\n{attribution}\n{below}", BOB))
        assert who == QUOTED, (attribution, below, who)


def test_a_thunderbird_attribution_without_an_address_names_the_sender_not_the_time(tmp_path: Path) -> None:
    # Before: 'AM Olga Other (quoted by Bob Other)': the comma after the time was taken off before it was looked for.
    assert shaped_name("On 12/1/26 10:00 AM, Olga Other wrote:") == "Olga Other"
    body = "Looks fine.\n\nOn 12/1/26 10:00 AM, Olga Other wrote:\n> NAK, the retry is wrong.\n"
    assert [who for who, _ in _gate(tmp_path, ("b1@example.org", body, BOB))] == ["Olga Other (quoted by Bob Other)"]


def test_a_line_above_that_ends_a_sentence_is_no_wrapped_attribution(tmp_path: Path) -> None:
    # "On ..." prose ending in a full stop, then a one-line attribution: the attribution is read alone.
    body = ("On Mon, Dec 1, 2026 at 10:00 the loader hung.\nOlga Other <olga@example.org> wrote:\n"
            "> NAK, the retry is wrong.\n")
    [(who, _)] = _gate(tmp_path, ("b1@example.org", body, BOB))
    assert who == QUOTED, who


@pytest.mark.parametrize("words", ["OK, I withdraw my\nNAK.", "Scratch my\nNAK.", "I retract the\nNAK."])
def test_a_withdrawal_wrapped_before_its_nak_takes_it_back(tmp_path: Path, words: str) -> None:
    # Before: the line 'NAK.' stood as a verdict of its own, a new NAK, and the withdrawal went unread.
    assert not nak_sentences(words) and withdrawal_sentences(words), words
    mbox = _replies(tmp_path, ("n1@example.org", "> quoted\n\nNAK, the loop never ends.\n", MAE, "patch"),
                    ("w1@example.org", f"{words}\n", MAE, "n1@example.org"))
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize("words", ["This doesn't build on 32-bit\nNAK", "I don't like this\nNAK", "Here is my\nNAK."])
def test_a_verdict_line_below_a_finished_line_or_named_as_mine_still_naks(words: str) -> None:
    assert nak_sentences(words), words


_OUTLOOK_COPY = ["Comments inline.", "", "-----Original Message-----", "From: Olga Other <olga@example.org>",
                 "Sent: Monday, December 1, 2026 10:00 AM", "To: Ann", "Subject: Re: x", "",
                 "The loop retries on busy."]


@pytest.mark.parametrize(("mark", "found"), [
    ("[BO] ", ("Bob Other", "NAK, the retry is wrong.")),  # the replier's initials: his own words
    ("[Bob]: ", ("Bob Other", "NAK, the retry is wrong.")),
    ("[OO] ", (QUOTED, "[OO] NAK, the retry is wrong")),  # the copied sender's: hers, as the copy is
    ("[1] ", (QUOTED, "[1] NAK, the retry is wrong")),  # a reference, no one's mark
    ("", (QUOTED, "NAK, the retry is wrong")),
])
def test_an_answer_inline_in_an_outlook_copy_marked_with_the_repliers_initials_is_his(
        tmp_path: Path, mark: str, found: tuple[str, str]) -> None:
    # Before: '[BO] NAK, ...' inside the copy was Olga's, the copied sender's (quoted by Bob).
    lines = [*_OUTLOOK_COPY, f"{mark}NAK, the retry is wrong.", "", "It ends after ten tries."]
    assert _gate(tmp_path, ("b1@example.org", "\n".join(lines) + "\n", BOB)) == [found]
