"""Attributions and copies in a reply: who a quote is of, and where a top-posted copy of the message answered starts."""

from __future__ import annotations

import itertools
import re

from models.lazyre import lazy

QUOTE = re.compile(r"^((?:>[ \t]?)+)")
_ATTRIBUTION = re.compile(r"^(?:On .*?,\s*)?(.+?)\s+(?:<([^>]*)>\s+)?wr(?:ote|ites):\s*$")  # Gnus: "writes:"
_UP_TO_TIME = re.compile(r"^.*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[+-]\d{4})?,?\s+")
_ON_WROTE = re.compile(r"^On\s.*\swrote:$")
# "On <date> X wrote:" with no time ("On Mon, 5 Jan 2026 X <x@y> wrote:", "On 2026-01-05 X wrote:"): the sender follows
# the date's year or numbers, which were read as the name's first words ('2026 Olga Other', quoted by whom).
_UP_TO_DATE = lazy(r"^(?:On\s+)?.*?(?:(?<!\d)(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2})?"
                         r"|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?![\d./-])[,\s]+")
_ELISION = re.compile(r"^[\[<(]?\s*(?:\.{2,}|…|snip(?:ped)?|cut)\s*[\]>)]?$", re.I)  # "...", "[...]", "<snip>"
_SCISSORS_BYTES = (b">8", b"8<", b">%", b"%<")  # not U+2702: a patch proposed for git, never merged
_SCISSORS_MARK = re.compile(">8|8<|>%|%<")
# A forwarded message's separator too (Gmail's "---------- Forwarded message ---------", Thunderbird's "--------
# Forwarded Message --------" above Subject, Date, From: its From is not the block's first line; Apple Mail's "Begin
# forwarded message:"): what follows is the forwarded sender's words, not the reply's (a withdrawal of a NAK in it took
# back the forwarder's own NAK).
_ORIGINAL = re.compile(r"^-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|"
                       r"Messaggio originale|Oorspronkelijk bericht|Originalmeddelande|Forwarded message|"
                       r"Weitergeleitete Nachricht|Message transféré|Mensaje reenviado)\s*-{2,}$"
                       r"|^Begin forwarded message:$", re.I)
_HEAD_LINES = 6  # a separator's header block: its From among the lines after it (Thunderbird's is the third)
# A header block's names in a few languages, Chinese and Japanese Outlook's too ("发件人:", "差出人:"), the colon after
# a space as French writes it ("De : X", "Envoyé : ..."; a no-break space too) or full-width ("发件人：X"): such a copy
# was read as the reply's own words, its NAK the replier's. Its sent line, or its date and to lines (Outlook for Mac:
# "Von:", "Datum:", "An:"), in any of these languages, make it one.
# Outlook's other languages too (Czech, Slovak, Turkish, Finnish, Danish and Norwegian, Hungarian, Ukrainian, Greek,
# Hebrew, Arabic, Romanian, Vietnamese, Indonesian, Thai, Croatian and Slovenian, Bulgarian, Catalan): a copy below
# "Fra:/Sendt:/Til:" was the reply's own words, a Reviewed-by in it its sender's (lifting their NAK: a false pass).
_FROM = re.compile(r"^(?:From|Von|De|Da|Van|Från|Od|От|Kimden|Lähettäjä|Fra|Feladó|Від|Από|מאת|من|De\s+la|Từ|Dari|จาก|"
                   r"发件人|寄件者|差出人|보낸\s*사람)\s*[:：]\s*", re.I)
_HEADER = lazy(r"^(Sent|Gesendet|Envoyé|Enviado(?:\s+el)?|Enviada\s+em|Inviato|Verzonden|Skickat|Wysłano|Отправлено|"
               r"Odesláno|Odoslané|Gönderildi|Lähetetty|Sendt|Elküldve|Надіслано|Στάλθηκε|נשלח|تم\s+الإرسال|Trimis|"
               r"Đã\s+gửi|Dikirim|ส่ง|Poslano|Изпратено|Enviat|"
               r"Date|Datum|Fecha|Data|Дата|To|An|À|Para|A|Aan|Till|Do|Кому|Komu|Kime|Vastaanottaja|Til|Címzett|Προς|אל|"
               r"إلى|Către|Đến|Kepada|ถึง|Prima|Za|До|Per\s+a|"
               r"Subject|Betreff|Objet|Asunto|Assunto|Oggetto|Onderwerp|Ämne|Temat|Тема|Předmět|Predmet|Konu|Aihe|Emne|"
               r"Tárgy|Θέμα|נושא|الموضوع|Subiect|Chủ\s+đề|Subjek|เรื่อง|Zadeva|Относно|Assumpte|"
               r"发送时间|寄件日期|送信日時|보낸\s*날짜|收件人|宛先|받는\s*사람|主题|主旨|件名|제목)\s*[:：]", re.I)
_SENT = {"sent", "gesendet", "envoyé", "enviado", "enviado el", "enviada em", "inviato", "verzonden", "skickat",
         "wysłano", "отправлено", "odesláno", "odoslané", "gönderildi", "lähetetty", "sendt", "elküldve", "надіслано",
         "στάλθηκε", "נשלח", "تم الإرسال", "trimis", "đã gửi", "dikirim", "ส่ง", "poslano", "изпратено", "enviat",
         "发送时间", "寄件日期", "送信日時", "보낸 날짜"}
_DATES = {"date", "datum", "fecha", "data", "дата"}
_TOS = {"to", "an", "à", "para", "a", "aan", "till", "do", "кому", "komu", "kime", "vastaanottaja", "til", "címzett",
        "προς", "אל", "إلى", "către", "đến", "kepada", "ถึง", "prima", "za", "до", "per a",
        "收件人", "宛先", "받는 사람"}
_RULE = lazy(r"^_{10,}$")
# An attribution by its shape, in any language: one to three unquoted lines ending in a colon ("schrieb X <x@y>:",
# "X <x@y> a écrit :", "寫道：") with a date (a four-digit year, 1.12.26, 12/1/26, 2026-12-01) and a time in them.
# With an address in it the text below is a copy; without one only when the message answered holds that text.
# A time with a dot, as Danish, Norwegian, Finnish and Indonesian clients write it after their word for "at" ("kl.
# 10.00", "klo 10.00", "pukul 10.00"): a quote below "Den 1. dec. 2026 kl. 10.00 skrev X <x@y>:" was an unnamed
# sender's. Only after such a word: "v5.15" or "1.12" of a date is none. Compiled when a line has no "10:00".
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_DOTTED_TIME = lazy(r"(?<![\w.])(?:kl\.?|klo|kello|pukul|um|om|alle|ore|at|à)\s+(?:[01]?\d|2[0-3])\.[0-5]\d(?![\d.])",
                    re.I)
_DATE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{1,2}[./-]\d{1,2}[./-]\d{2,4}(?!\d)")
_ADDRESS = lazy(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_COLON_END = re.compile(r"[:：]\s*$")
# An address in angle brackets, as a mailer wrapped it or not; Spanish Gmail's in parentheses too ("X (<x@y>)").
_BRACKETED = lazy(r"\(?<[^<>@]*@[^<>]*>\)?|\([^()<>\s@]+@[^()<>\s]+\)")  # Finnish Gmail's "X (x@y)" too
# The name right before an address that ends the attribution, after its time and comma, where no verb is written
# (Japanese Gmail's "2026年12月1日(月) 10:00 X <x@y>:", Russian Gmail's "пн, 1 дек. 2026 г. в 10:00, X <x@y>:").
# A verb of any language after the address ("X <x@y> pisze:", "X <x@y> napsal(a):") is left out: the address alone
# named the sender.
_NAME_BEFORE = lazy(r"([^\d,，<>()]*?)\s*\(?<[^<>@]*@[^<>]*>\)?(?:\s+[^\W\d_][^\d<>,，:：]{0,30})?\s*[:：]\s*$")
# The name right before an address that starts the attribution, the date and time after it: Mutt's "* X <x@y>
# [2026-12-01 10:00:00 +0100]:", Hungarian Gmail's "X <x@y> ezt írta (időpont: 2026. dec. 1., K, 10:00):" (its
# verb before the time, no name after it). Both were named by the address alone.
_NAME_FIRST = lazy(r"^(?:\*\s+)?\"?([^\d,，<>()\[\]*\"]+?)\"?\s*<[^<>@]*@[^<>]*>\s+\S")


# Horde and IMP's "Quoting X (2026-01-05 11:01:00)" (or "Quoting X <x@y>:"), and sup's "Excerpts from X's message of
# <date>:", as some kernel reviewers' mailers write them: a quote below either was an unnamed sender's, or named by the
# whole line, and its sender's withdrawal did not lift it.
_QUOTING = lazy(r"^Quoting\s+\"?([^\d<>()\"]+?)\"?(?:\s*<([^<>@\s]+@[^<>\s]+)>)?"
                r"(?:\s*\((?=[^()]*\d{1,2}:\d{2})[^()]*\))?\s*:?$")
_EXCERPTS = lazy(r"^Excerpts\s+from\s+\"?([^\d<>()\"]+?)\"?(?:\s*<([^<>@\s]+@[^<>\s]+)>)?['’]s\s+message\s+of\s+.*:$")


def _timed(text: str) -> bool:
    """Whether ``text`` holds a time (_TIME, else _DOTTED_TIME)."""
    return _TIME.search(text) is not None or _DOTTED_TIME().search(text) is not None


def attribution(line: str) -> str | None:
    """Who an "X wrote:" line ("On <date>, X <x@y> wrote:", Gnus' "X writes:", _QUOTING's) names; None when it is
    none."""
    text = line.strip()
    if text.startswith(("Quoting ", "Excerpts from ")):
        return _quoting(text)
    # The pattern ends in "wrote:" or "writes:": most lines are no attribution, told without running it.
    m = _ATTRIBUTION.match(text) if text.endswith(("wrote:", "writes:")) else None
    if m is None:
        return None
    # Gmail's "On Mon, Jan 5, 2026 at 10:00 AM X <x@y> wrote:": the sender follows the time.
    who = _UP_TO_TIME.sub("", m.group(1).strip()).strip('"')
    who = _UP_TO_DATE().sub("", who, count=1) if text.startswith("On ") and not _timed(text) else who
    return identity(who.split(",")[-1].strip() if "," in who else who, m.group(2) or "")


def _quoting(text: str) -> str | None:
    """Who a _QUOTING or _EXCERPTS line names: a name of words (one to four) with its address when it gives one, and
    a date and time or an address beside it ("Quoting the spec:" names no one)."""
    m = _QUOTING().match(text) or _EXCERPTS().match(text)
    if m is None or not _name_words(m.group(1).split()) or not (m.group(2) or _timed(text)):
        return None
    return identity(" ".join(m.group(1).split()), m.group(2) or "")


def wrapped_on(numbered: list[tuple[int, str]], i: int) -> bool:
    """Whether line ``i``, an "X <x@y> wrote:" line, ends an "On ..." attribution Gmail wrapped inside the name
    ("On Mon, Dec 1, 2026 at 10:00 AM Olga" then "Other <olga@example.org> wrote:"): the line above it with text is
    unquoted, begins with "On", holds a time and ends no sentence. The second line alone named 'Other <x@y>'."""
    if numbered[i][1].strip().startswith("On "):
        return False
    above = next((t for _, t in reversed(numbered[:i]) if t.strip()), None)
    return above is not None and not QUOTE.match(above) and above.strip().startswith("On ") \
        and _timed(above) and not above.rstrip().endswith((".", "!", "?"))


def identity(name: str, address: str) -> str:
    """A sender as an attribution or header names them: ``Name <x@y>`` with the address it gives (b4 and git tell
    senders by it: a name alone is no proof of one), the name or the address alone else. A Gmail attribution wrapped
    inside its address ("X <" then "x@y> wrote:") leaves the address alone."""
    name, address = name.strip().strip('"').strip(), address.strip()
    if not address and (bare := re.fullmatch(r"<?\s*([^<>\s]+@[^<>\s]+?)\s*>?", name)):
        return bare.group(1)
    return f"{name} <{address}>" if name and address else name or address


def shaped_attribution(numbered: list[tuple[int, str]], end: int, own: list[tuple[int, str]]) -> str | None:
    """Who an attribution of the shape _TIME describes, ending at line ``end`` right above a quote, names (its address,
    else its text): "Am 01.12.26 um 10:00 schrieb X <x@y>:"; its lines leave ``own``. None when there is none."""
    start = _attribution_start(numbered, end)  # cheap for most lines: no colon at their end
    after = _next_text(numbered, end, skip_elisions=False) if start is not None else None
    if after is None or not QUOTE.match(after):
        return None
    assert start is not None
    said = " ".join(t.strip() for _, t in numbered[start : end + 1])
    while own and own[-1][0] >= numbered[start][0]:
        own.pop()
    return _shaped_sender(said)


def _shaped_sender(said: str) -> str:
    """Who an attribution of the shape _TIME describes names, its lines joined (``said``): ``Name <x@y>`` with the
    address it gives, the address alone when no name is found beside it, else its name (shaped_name)."""
    # Gmail's "On <date> X" then "<x@y> wrote:" (or "X <x@y>" then "wrote:"): read whole, as attribution() reads it
    # on one line, so that the sender keeps the name beside the address.
    if (whole := attribution(said)) is not None and ("<" in said or said.startswith(("Quoting ", "Excerpts from "))):
        return whole
    address = _ADDRESS().search(said)
    if address is None:
        return shaped_name(said)
    # "schrieb X" then "<x@y>:", "X" then "<x@y> a écrit :": the name beside the address, read as one with none.
    bare = _BRACKETED().sub(" ", said)
    name = shaped_name(bare)
    for shape in (_NAME_BEFORE().search(said), _NAME_FIRST().match(said)):
        if name == bare and shape is not None and _name_words(shape.group(1).split()):
            name = " ".join(shape.group(1).split())
    return identity(name, address.group(0)) if name != bare else address.group(0)


def inline_sender(said: str) -> str | None:
    """Who the words introducing a quote inline name ("Mae Maint schrieb:", "Mae Maint <mae@x.org> a écrit :", "On
    Monday Mae Maint wrote:"), as an attribution's lines are read (_shaped_sender); None when they name no one ("Du
    schriebst:", "Zitat:")."""
    who = _shaped_sender(said)
    return None if who == said else who


# The verb of an attribution in another language: the sender's name is right after it ("Am 01.12.26 um 10:00 schrieb
# X:", "Den ... skrev X:") or right before it, after the date and time ("Le ..., 10:00, X a écrit :", "在 ... 10:00, X
# 写道：") or before them ("X 於 2026年12月1日 ... 寫道：").
# Slavic verbs in either gender ("napsal(a)", "napisała", "пишет", "je napisao"), Romanian's "a scris",
# Japanese Becky!'s "さんは書きました": a quote below "W dniu ..., X pisze:" was named by the whole line.
_VERB = lazy(r"(?<!\w)(?:schrieb|wrote|writes|a\s+écrit|escribió|ha\s+scritto|schreef|skrev|"
                   r"(?:je\s+)?napisa(?:ł|l|o)(?:a|\(a\))?|napsal(?:a|\(a\))?|napísal(?:a|\(a\))?|pisze|"
                   r"kirjoitti|írta|escreveu|va\s+escriure|a\s+scris|kirjutas|rakstīja|rašė|έγραψε|"
                   r"написал[аи]?|написа(?:в|ла)?|пишет|пише|писал(?:а|\(а\))?|heeft|hat)(?!\w)|"
                   r"[写寫]道|[來来]信|님이\s*작성|(?:さん)?は?書きました", re.I)
# The participle closing a perfect tense whose auxiliary stands before the name (Dutch Apple Mail's "Op ... om 10:00
# heeft X het volgende geschreven:", German "Am ... hat X geschrieben:"): not part of the name.
_PARTICIPLE = re.compile(r"\s+(?:het\s+volgende\s+)?(?:geschreven|geschrieben)$", re.I)
_LINK = lazy(r"^(?:[在于於]|on|am|le|el)$", re.I)  # a word joining the name to the date


def shaped_name(said: str) -> str:
    """The sender's name in an attribution of another language with no address, "Am 01.12.26 um 10:00 schrieb Olga
    Other:" or "在 2026年12月1日 10:00, Olga Other 写道：" (_VERB): one to four words of letters; else the attribution's
    text, as written."""
    # An ideographic comma ends the date and time as a comma does ("2026/12/01 10:00、X さんは書きました:").
    text = _PARTICIPLE.sub("", said.strip().rstrip(":：").strip()).replace("、", ", ")
    verb = _VERB().search(text)
    if verb is None:
        return said
    after = text[verb.end():].split()
    # A comma ends the date and time before the name ("On 12/1/26 10:00 AM, X wrote:" was 'AM X''s): kept but on the
    # word right before the verb.
    raw = text[: verb.start()].split()
    before = [*raw[:-1], raw[-1].rstrip(",，")] if raw else []
    # The date after the verb, a word joining it ("X schrieb am 01.12.2026 um 10:00:"): the name is before the verb.
    if after and (_name_words(after) or not before or not _LINK().match(after[0])):
        words = after
    elif before and not re.search(r"\d", before[-1]):
        words = list(itertools.takewhile(lambda w: not re.search(r"[\d,，]", w), reversed(before)))[::-1]
    else:  # the name first: "X 於 <date> <time>寫道"
        words = [w.rstrip(",，") for w in itertools.takewhile(lambda w: not re.search(r"\d", w)
                                                              and not _LINK().match(w), before)]
    return " ".join(words) if _name_words(words) else said


def _name_words(words: list[str]) -> bool:
    """Whether words may be a sender's name: one to four words of letters."""
    return 1 <= len(words) <= 4 and all(re.fullmatch(r"[^\W\d_][\w'’.-]*", w) for w in words)


def quoted_header(run: list[str]) -> str | None:
    """The sender a quote's own header block names ("> From: X" then "> Sent: ..."), as top_posted reads one."""
    at = next((i for i in range(min(2, len(run))) if _header_block(list(enumerate(run)), i)), None)
    if at is None:
        return None
    return _from_identity(run[at]) or None


def _from_identity(line: str) -> str:
    """The sender a header block's ``From:`` line names, with the address it gives (identity)."""
    said = _FROM.sub("", line.strip())
    address = _ADDRESS().search(said)  # "X <x@y>", Outlook's older "X [mailto:x@y]", or "x@y" alone
    name = re.split(r"[<\[]", said)[0]
    return identity("" if address and name.strip() == address.group(0) else name, address.group(0) if address else "")


def is_scissors(line: str) -> bool:
    """A scissors line, as git mailinfo's is_scissors_line reads one (``git am --scissors`` cuts there): ``-- >8 --``,
    ``---8<---``, ``- - >8 - - cut here - - >8 - -``, ``>%`` or ``%<`` for the scissors; at least 8 bytes from its
    first to its last visible byte (the last scissors' second byte not counted), its dashes, scissors and blanks
    among them more than a third of those bytes, the blanks among them less than half. What follows is meant to be
    applied."""
    if _SCISSORS_MARK.search(line) is None:  # most lines: no scissors at all
        return False
    data = line.encode("utf-8", "surrogateescape")
    scissors = gap = perforation = 0
    in_perforation, first, last, i = False, -1, -1, 0
    while i < len(data):
        c = data[i : i + 1]
        if c in b" \t\n\r":  # git's isspace
            perforation, gap, i = perforation + in_perforation, gap + in_perforation, i + 1
            continue
        last, first = i, i if first < 0 else first
        mark = 1 if c == b"-" else next((len(m) for m in _SCISSORS_BYTES if data.startswith(m, i)), 0)
        in_perforation, perforation, scissors = mark > 0, perforation + mark, scissors + (mark if c != b"-" else 0)
        i += max(mark, 1)
    visible = last - first + 1 if first >= 0 else 0
    return bool(scissors) and 8 <= visible < perforation * 3 and gap * 2 < perforation


def top_posted(numbered: list[tuple[int, str]]) -> tuple[int, str | None, int | None] | None:
    """Where a top-posted reply's unquoted copy of the message it answers starts, and who wrote that: a
    mail client's separator (``-----Original Message-----``, ``-----Ursprüngliche Nachricht-----``, ...),
    or its header block (``From:`` then ``Sent:``, or ``Date:`` and ``To:``, in a few languages), with or
    without a line of underscores before it; None when there is none. git's in-body headers after a
    scissors line (From, Date, Subject: no To) are not such a block. The third: the attribution line's index,
    when it is one (the message answered may show the lines below to be no copy: harness.objections)."""
    for i, (_, line) in enumerate(numbered):
        if line.startswith(">"):  # quoted: no copy, attribution, separator or header block starts there
            continue
        text = line.strip()
        if _unquoted_copy(numbered, i):
            return i, attribution(text), i
        start = _attribution_start(numbered, i)
        if start is not None and _copy_follows(numbered, i):
            said = " ".join(t.strip() for _, t in numbered[start : i + 1])
            if _ADDRESS().search(said) is not None:  # the sender with the name beside the address, as over a quote
                return start, _shaped_sender(said), i
        if _ORIGINAL.match(text) or _header_block(numbered, i):
            head = next((t for _, t in numbered[i : i + _HEAD_LINES] if _FROM.match(t.strip())), None)
            who = _from_identity(head) if head else None
            start = i - 1 if i > 0 and _RULE().match(numbered[i - 1][1].strip()) else i
            return start, who or None, None
    return None


def words_above(numbered: list[tuple[int, str]], start: int) -> bool:
    """Whether the reply has words of its own (unquoted text, no snipping mark) above line ``start``."""
    return any(t.strip() and not QUOTE.match(t) and not _ELISION.match(t.strip()) for _, t in numbered[:start])


def lines_below(numbered: list[tuple[int, str]], end: int) -> tuple[str, ...]:
    """The first three lines with text below an attribution ending at ``end``, up to a quoted one."""
    below = (t.strip() for _, t in itertools.islice(numbered, end + 1, None))
    texts = (t for t in below if t and not _ELISION.match(t))
    return tuple(itertools.islice(itertools.takewhile(lambda t: QUOTE.match(t) is None, texts), 3))


def _unquoted_copy(numbered: list[tuple[int, str]], i: int) -> bool:
    """An "On <date>, <who> wrote:" line, unquoted, whose next line with text is unquoted too: a mailer that
    copies the message it answers without "> " (what follows is that message, not the reply's words)."""
    line = numbered[i][1]
    if QUOTE.match(line) or not _ON_WROTE.match(line.strip()) or attribution(line) is None:
        return False
    return _copy_follows(numbered, i)


def _copy_follows(numbered: list[tuple[int, str]], i: int) -> bool:
    """Whether the next line with text after line ``i`` is unquoted; a snipping mark ("...", "[...]", "<snip>")
    before a quote is no copied line."""
    after = _next_text(numbered, i, skip_elisions=True)
    return after is not None and QUOTE.match(after) is None


def _next_text(numbered: list[tuple[int, str]], i: int, skip_elisions: bool) -> str | None:
    """The next line with text after line ``i`` (passing snipping marks when ``skip_elisions``), read in place:
    a copy of the rest of the reply for each line asked about made a 20 MB reply quadratic."""
    for k in range(i + 1, len(numbered)):
        t = numbered[k][1]
        s = t.strip()
        if s and not (skip_elisions and _ELISION.match(s)):
            return t
    return None


def shaped_end(numbered: list[tuple[int, str]], end: int) -> bool:
    """Whether line ``end`` ends an attribution of the shape _TIME describes (_attribution_start), whatever is below:
    "Am 05.01.26 um 10:00 schrieb X <x@y>:", Lotus Notes' "X <x@y> wrote on 01/05/2026 10:00:00 AM:"."""
    return _attribution_start(numbered, end) is not None


def _attribution_start(numbered: list[tuple[int, str]], end: int) -> int | None:
    """Where the attribution ending at line ``end`` starts (see _TIME): the fewest unquoted lines with text, up
    to three (a mailer wraps it), that end there in a colon and hold a date and a time; None when none does."""
    if not _COLON_END.search(numbered[end][1]) or QUOTE.match(numbered[end][1]):
        return None
    for start in range(end, max(end - 3, -1), -1):
        lines = [t.strip() for _, t in numbered[start : end + 1]]
        if not lines[0] or QUOTE.match(numbered[start][1]):
            return None
        joined = " ".join(lines)
        if len(joined) <= 250 and _DATE.search(joined) and _timed(joined):
            return start
    return None


def unsure_copy(numbered: list[tuple[int, str]]) -> tuple[int, tuple[str, ...], str] | None:
    """The first attribution of the shape _TIME describes that names no address and has unquoted text below:
    where it starts, the first three lines with text below it (to compare with the message it names) and its text."""
    for i in range(len(numbered)):
        start = _attribution_start(numbered, i)
        if start is None or not _copy_follows(numbered, i):
            continue
        return start, lines_below(numbered, i), " ".join(t for _, t in numbered[start : i + 1])
    return None


def _header_block(numbered: list[tuple[int, str]], i: int) -> bool:
    if not _FROM.match(numbered[i][1].strip()) or (i > 0 and is_scissors(numbered[i - 1][1])):
        return False
    keys = {" ".join(m.group(1).lower().split())
            for _, t in numbered[i + 1 : i + 5] if (m := _HEADER().match(t.strip()))}
    return bool(keys & _SENT) or bool(keys & _DATES and keys & _TOS)
