"""Quotes and copies in review replies: a NAK a reply quotes from a message the input lacks, and copied lines."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Collection
from dataclasses import replace
from functools import cached_property

from harness.attribution import QUOTE
from harness.droprequest import drop_sentence, reports_only, request_in
from harness.keepwords import kept_after
from harness.memo import by_identity
from harness.model import LIST_REWRITTEN, Patch, Quote, Reply, Series
from harness.nakthreat import threatened_nak
from harness.nakwords import nak_sentence, names_nak, withdraws_nak
from harness.regressions import cleared, may_report, regression
from harness.replyorder import later_than
from harness.tagwithdrawal import carried_withdrawal, unplaced_withdrawal
from models.lazyre import lazy
from models.record import record


@record
class QuotedNak:
    """A NAK (or request to drop) a reply quotes, whose message the input lacks."""

    who: str  # the sender the attribution names ("": none does)
    sentence: str
    where: str  # path:line of the quote
    drop: bool = False  # a request to drop, not a NAK
    note: str = ""  # a withdrawal under the sender's name that was not matched (_unmatched)
    within: str = ""  # whose message held it, when a trailer there names another as the NAK's sender (``who``)
    # Of a request to drop, only a report that the patch breaks something ("This patch breaks boot."): a regression
    # report, the quoted sender's, as it would be read in their own message (it was read as a request to drop).
    report: bool = False


class Origins:
    """Every message's own words in the input (a reply's as harness.objections reads it), whitespace aside: where a
    quoted sentence was first said, if the input has that message. Worked out at the first quoted NAK."""

    def __init__(self, series: Series, replies: dict[str, Reply]) -> None:
        self._series, self._replies = series, replies

    @cached_property
    def _texts(self) -> list[str]:
        heads = [p for rev in self._series.revisions for p in ([rev.cover] if rev.cover else []) + list(rev.patches)]
        answers = (*(r for h in heads for r in h.replies), *self._series.orphans)
        said = [_whole(h) for h in heads] + [self._replies.get(r.mail.msgid, r).own_text for r in answers]
        return [" ".join(t.split()) for t in said]

    def hold(self, sentence: str) -> bool:
        return any(sentence in t for t in self._texts)

    @cached_property
    def senders(self) -> frozenset[tuple[str, str]]:
        """Every sender of the input's messages (input_senders)."""
        return input_senders(self._series)

    @cached_property
    def written(self) -> frozenset[tuple[str, str]]:
        """Every sender of the input's messages as their From: spells them (written_senders)."""
        return written_senders(self._series)

    def has(self, msgid: str) -> bool:
        """Whether the input has the message."""
        return self._series.find_message(msgid) is not None

    def carried_withdrawal(self, tagged: Reply, tag: str,
                           later: Callable[[Reply, Reply], bool]) -> tuple[Reply, str] | None:
        """The withdrawal of ``tagged``'s ``tag`` below any patch of the input carrying it (carried_withdrawal)."""
        return carried_withdrawal((p for rev in self._series.revisions for p in rev.patches), tagged, tag, later)

    def unplaced_withdrawal(self, tagged: Reply, tag: str,
                            later: Callable[[Reply, Reply], bool]) -> tuple[Reply, str] | None:
        """The withdrawal of ``tagged``'s ``tag`` in a reply placed below nothing (unplaced_withdrawal)."""
        return unplaced_withdrawal(self._series.orphans, tagged, tag, later)


def _whole(h: Patch) -> str:
    """A patch's or cover letter's words: its message, its notes below ``---`` and its diff's lines."""
    notes = [line for block in h.changelog for line in block.lines]
    code = [line.text for f in h.files for hunk in f.hunks for line in hunk.lines]
    return "\n".join([h.message, *notes, *code])


def quoted_nak(r: Reply, below: dict[str, str], replies: dict[str, Reply], origins: Origins,
               head: Patch) -> QuotedNak | None:
    """A NAK (or request to drop) the reply quotes whose message the input lacks (no message holds it as its own
    words): from the sender its attribution names, unless a reply below the same message shows them taking a NAK
    back; else a NAK no attribution line names a sender of (``who`` ""), which stands: whose it is, and whether it
    was taken back, cannot be told, and a gate does not pass unread words; so does such a report that the patch breaks
    something (_report). The quote is the input's word that it was given. Not read: the patch's author's own "drop" (a
    plan), nor an unattributed "drop" (it may be theirs)."""
    found = (_attributed(q, r, below, replies, origins, head) for q in r.quotes if q.who is not None)
    if (named := next((f for f in found if f is not None), None)) is not None:
        return named
    unnamed = [(q, _deeper(q) if q.who else _lines(q)) for q in r.quotes]
    return next((QuotedNak("", said, str(q.where)) for q, lines in unnamed
                 if (said := _unheld(lines, nak_sentence, names_nak, origins)) is not None), None) \
        or next((QuotedNak("", said, str(q.where), drop=True, report=True) for q, lines in unnamed
                 if (said := _unheld(lines, _report, _report, origins)) is not None), None)


# The patch named as _report needs it (refusals._NOUN less numbers): most quotes, of code, name none.
_NAMED = re.compile(r"\b(?:(?:this|the|that|your|these|those)\s+(?:\w+\s+)?(?:patch|series|commit)|v\d+)", re.I)


@functools.lru_cache(maxsize=1024)  # a reply's quotes are read again for each state judged
def _report(text: str) -> str | None:
    """The sentence of quoted words no attribution names a sender of reporting that the patch, named, breaks something
    and asking nothing (droprequest.reports_only): a report is no plan of the patch's author, as an unattributed "drop"
    may be, so it stands as a NAK no one is named for does; it was read as nothing, and the gate passed."""
    if _NAMED.search(text) is None or not may_report(text):  # no patch named: no form compiled for it
        return None
    said = regression(text, request_in) if reports_only(text) else None
    return said.sentence if said is not None and said.named and not said.numbers else None


def _deeper(q: Quote) -> list[str]:
    """A copy's own "> " lines (an Outlook copy of a message that quoted a NAK): not the copied sender's words, and no
    attribution line names whose (they passed unread: the gate passed on a NAK quoted in a copy)."""
    return [QUOTE.sub("", t) for t in q.lines if QUOTE.match(t)]


def _lines(q: Quote) -> list[str]:
    # A copy's own "> " lines are a deeper quote's, not words of the sender it names.
    return [t for t in q.lines if not QUOTE.match(t)]


def _unheld(lines: list[str], sentence: Callable[[str], str | None], alone: Callable[[str], object],
            origins: Origins) -> str | None:
    """The sentence ``sentence`` finds in the quoted lines, when no message of the input holds it (nor a line of it
    that ``alone`` says it in: the attribution or header lines above may have joined the sentence)."""
    said = sentence("\n".join(lines))
    if said is None or origins.hold(said):
        return None
    line = next((n for t in lines if (n := " ".join(t.split())) and alone(t)), "")
    return None if line and origins.hold(line) else said


def _attributed(q: Quote, r: Reply, below: dict[str, str], replies: dict[str, Reply], origins: Origins,
                head: Patch) -> QuotedNak | None:
    """The NAK (or request to drop) of the sender quote ``q``'s attribution names (quoted_nak)."""
    who = q.who or ""
    lines = _lines(q)
    said, drop = _unheld(lines, nak_sentence, names_nak, origins), False
    if said is None and nak_sentence("\n".join(lines)) is None and not names(who.lower(), head):
        # A NAK promised if the patch stays as it is, no NAK (harness.nakthreat), asks to drop it as it is.
        said, drop = _unheld(lines, drop_sentence, drop_sentence, origins) \
            or _unheld(lines, threatened_nak, threatened_nak, origins), True
    if said is None:
        return None
    within, who = _trailer_sender(said, who) if not drop else ("", who)
    report = drop and reports_only("\n".join(lines))
    if drop:
        return None if _kept(who, r, below, replies, origins, report) else \
            QuotedNak(who, said, str(q.where), drop, report=report)
    withdrawals = [w for m, w in replies.items() if "NAK-withdrawn" in w.verdicts and below[m] == below[r.mail.msgid]]
    if not any(withdrawer(who.lower(), w, origins.senders) for w in withdrawals):
        return QuotedNak(who, said, str(q.where), drop, _unmatched(who, withdrawals, origins.senders), within)
    return None


def _kept(who: str, r: Reply, below: dict[str, str], replies: dict[str, Reply], origins: Origins, report: bool) -> bool:
    """Whether the sender ``who`` names took back the request to drop ``r`` quotes of theirs, in a reply of their own
    below the same message with no NAK or request to drop in it: "Never mind, keep it." (keepwords.kept_after), or of
    a report "False alarm, it was my config." (regressions.cleared), as their own request or report is lifted
    (dropstands.drop_kept), after the quote (answering it, or dated after it: an earlier word may be of something
    else). A quoted NAK was lifted by its sender's withdrawal, these never (the gate blocked)."""
    at = below.get(r.mail.msgid)
    return any(w is not r and below.get(m) == at and "NAK" not in w.verdicts and "drop-patch" not in w.verdicts
               and withdrawer(who.lower(), w, origins.senders) and later_than(w, r, replies)
               and (kept_after(w.own_text) is not None or (report and cleared(w.own_text) is not None))
               for m, w in replies.items())


# A quoted trailer giving the NAK: its value names who gave it, as b4 reads a trailer's person.
_NAK_TRAILER = lazy(r"^\s*(?:Nack(?:ed)?|Nak(?:ed)?|NAC?K(?:ed)?)[-_]by\s*:\s*(\S.*?)\s*$", re.I)


def _trailer_sender(said: str, who: str) -> tuple[str, str]:
    """(whose message held it, who gave it) for a quoted NAK: a "Nacked-by: Someone <q@x>" trailer in Max's message
    is Someone's NAK (b4 reads the trailer's person), not Max's; ("", ``who``) for any other NAK, or a trailer naming
    the attribution's sender (by address, else by name)."""
    m = _NAK_TRAILER().match(said)
    if m is None:
        return "", who
    person, attribution = m.group(1), who.lower()
    addresses = [a.lower() for a in _ADDRESS.findall(person)]
    name = " ".join(re.sub(r"<[^>]*>", " ", person).split()).strip("\"'").lower()
    if any(a in attribution for a in addresses) or (not addresses and len(name) > 2 and name in attribution):
        return "", who
    return who, person


def _unmatched(who: str, withdrawals: list[Reply], senders: Collection[tuple[str, str]]) -> str:
    """Why a withdrawal under the name a name-only attribution gives did not take its quoted NAK back (QuotedNak.note):
    the input has that name at more than one address, and which of them gave the NAK the attribution does not say."""
    return "; ".join(f'a withdrawal from "{w.mail.author} <{w.mail.author_email}>" was seen (<{w.mail.msgid}>, '
                     f'{w.mail.where}) and not matched: the attribution "{who}" gives no address, and the input has '
                     f"that name at {', '.join(others)} too: whose NAK it was cannot be told"
                     for w in withdrawals if (others := name_only_others(who.lower(), w, senders)))


def without_copy(r: Reply, replies: dict[str, Reply], heads: dict[str, Patch]) -> Reply:
    """The reply with the unquoted lines below an attribution line read as the input decides: a copy when a message
    of the sender the attribution names holds them (each a part of its text, whitespace aside: a mailer may wrap
    them anew), the reply's own words when none does; with no message of that sender in the input, as the
    attribution's shape says (Reply.unsure_copy)."""
    copy = r.unsure_copy
    if copy is None or not copy.lines:
        return r
    said = copy.attribution.lower()
    texts = [[m.own_text, *("\n".join(q.lines) for q in m.quotes)] for m in replies.values()
             if m.mail.msgid != r.mail.msgid and names(said, m)]
    texts += [[h.message] for h in heads.values() if names(said, h)]
    if not texts:
        return r
    flats = [" ".join(" ".join(t).split()) for t in texts]
    held = any(all(" ".join(line.split()) in flat for line in copy.lines) for flat in flats)
    if held != copy.copy:
        return replace(r, own_text=copy.own_text, verdicts=copy.verdicts, unsure_copy=None)
    return r


_HELD_LINES = 3  # lines a message of the sender must hold for a quote to be a copy of it


def with_own_tail(r: Reply, replies: dict[str, Reply], heads: dict[str, Patch]) -> Reply:
    """The reply with the lines below a copy of a message the input holds (an Outlook ``-----Original Message-----``
    block, which runs to the end of the mail) read as its own words, when no message of the copied sender holds
    them: written below the copy, they are the reply's (a NAK there is its sender's, not the copied author's,
    and so is a NAK taken back there). A copy is one of which that sender's messages hold three lines or more."""
    for i, q in enumerate(r.quotes):
        said = (q.who or "").lower()
        texts = [[m.own_text, *("\n".join(x.lines) for x in m.quotes)] for m in replies.values()
                 if said and m.mail.msgid != r.mail.msgid and names(said, m)]
        texts += [[_whole(h)] for h in heads.values() if said and names(said, h)]
        flats = [" ".join(" ".join(t).split()) for t in texts]
        held = [bool(n) and any(n in f for f in flats) for n in (" ".join(t.split()) for t in q.lines)]
        if sum(held) < _HELD_LINES:
            continue
        last = max(k for k, h in enumerate(held) if h)
        tail = [t for t in q.lines[last + 1:] if not QUOTE.match(t)]
        if not any(t.strip() for t in tail):
            continue
        own = "\n".join([r.own_text, *tail]).strip("\n")
        found = [*(v for v in r.verdicts if v.endswith("-by")), *(["NAK"] if nak_sentence(own) is not None else []),
                 *(["drop-patch"] if r.drop_said or drop_sentence(own) is not None else []),
                 *(["NAK-withdrawn"] if withdraws_nak(own) else [])]
        quotes = (*r.quotes[:i], replace(q, lines=q.lines[:last + 1]), *r.quotes[i + 1:])
        return replace(r, own_text=own, verdicts=tuple(dict.fromkeys(found)), quotes=quotes)
    return r


def names(attribution: str, m: Reply | Patch) -> bool:
    """Whether an attribution (lower case) names the sender of ``m``, by address or name."""
    address, name = m.mail.author_email.lower(), m.mail.author.lower()
    return bool(address and address in attribution) or bool(len(name) > 2 and name in attribution)


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def withdrawer(who: str, m: Reply | Patch, senders: Collection[tuple[str, str]] = ()) -> bool:
    """Whether ``who`` (an attribution or a trailer's value, lower case) names the sender of ``m`` as one whose
    NAK ``m`` can take back: by address when it gives one (as b4 and git match senders: the same name at another
    address is another sender), else by ``m``'s whole name as words of it, a one-word name only as all of it, and
    only when no other of the input's ``senders`` (input_senders) has that name at another address: then whose NAK
    it was cannot be told, and it stands. names() alone took a quoted NAK of "Yan Zhao <yan.y.zhao@...>" back on a
    withdrawal from "Yan <yan@other>", a name inside another's."""
    # "X via List <list@...>": a From: a list rewrote, its name and address the list's (as Mail.own_address), so
    # "Mae via List" below a later revision is no proof of Mae: matched to no one, errs to blocking.
    if LIST_REWRITTEN.search(who):
        return False
    addresses = [a.lower() for a in _ADDRESS.findall(who)]
    if addresses:
        return m.mail.author_email.lower() in addresses
    own = m.mail.author_email.lower()
    return _named(who, m.mail.author) and not any(a != own and _named(who, n) for n, a in senders)


def name_only_others(who: str, m: Reply | Patch, senders: Collection[tuple[str, str]]) -> list[str]:
    """The other addresses the input shows the name a name-only ``who`` gives at, when ``m``'s sender has it too:
    why a withdrawal of ``m``'s was not matched (withdrawer)."""
    if _ADDRESS.search(who) or not _named(who, m.mail.author):
        return []
    own = m.mail.author_email.lower()
    return sorted({a for n, a in senders if a != own and _named(who, n)})


def _named(who: str, author: str) -> bool:
    """Whether ``who`` names ``author`` as words of it (withdrawer)."""
    name, said = " ".join(author.lower().split()), " ".join(who.lower().strip().split())
    if len(name) <= 2 or "@" in name:
        return False
    return name == said if " " not in name else re.search(rf"(?<!\w){re.escape(name)}(?!\w)", said) is not None


def input_senders(series: Series) -> frozenset[tuple[str, str]]:
    """Every sender of the input's messages: (name, address, lower case)."""
    def make() -> frozenset[tuple[str, str]]:
        return frozenset((n.lower(), a.lower()) for n, a in written_senders(series))
    return by_identity("input-senders", (series,), (), make)


def written_senders(series: Series) -> frozenset[tuple[str, str]]:
    """Every sender of the input's messages: (name, address) as their From: spells them, for what a note shows
    (a name title-cased, "Thomas Mctglx" for "Thomas McTglx", is not the sender's)."""
    def make() -> frozenset[tuple[str, str]]:
        found = [*(series.find_message(m) for m in series.message_ids()), *series.orphans]
        return frozenset((x.mail.author, x.mail.author_email) for x in found if x is not None)
    return by_identity("written-senders", (series,), (), make)
