"""Quotes marked with ``| ``, ``: `` or an indented ``  > ``: ``>`` quotes below an attribution or of the thread.

A reply that quotes a message as ``| I withdraw my NAK.`` below ``Mae Maint wrote:`` quotes Mae: read as its sender's
own words, the withdrawal lifted the sender's NAK (a false pass). So with the other marks some clients and news readers
quote with: ``: `` (``::`` nested) and ``>`` after blanks (``  > NAK``, a quote its client indented; a NAK so quoted
was the replier's, and its writer's withdrawal did not lift it). git mailinfo and b4 give none of them a meaning (b4
reads no trailer on such a line: its trailer pattern wants a word first after the blanks), so only a run right below
an attribution line (harness.attribution.attribution) is taken for a quote, and a run whose words an earlier mail of
the thread holds (thread_holds: the parent, the ancestors its References: name, a mail of the thread dated before,
quote marks and whitespace aside): a table's ``| a | b |`` lines of the sender's own stay the reply's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

from harness.attribution import attribution, shaped_end
from harness.message import body_lines
from harness.model import Mail
from harness.replyorder import mail_date
from harness.sources import RawMessage
from harness.supercite import quote_marks as _rest

# "| ", "| | ", "|" alone (a quoted blank line), and "|> " ("|>text"), the form of old news readers (trn's, tin's);
# ": ", ": : ", "::" (a colon before a blank, another colon or the line's end: ":)" and ":-)" are none); ">" after up
# to eight blanks ("  > ", "  >> ", an indented quote; "> " at the line's start is QUOTE's own).
_BARS = re.compile(r"^(?:(?:\|(?:>[ \t]?|[ \t]|$))+|(?::(?=[ \t:]|$)[ \t]?)+|[ \t]{1,8}(?:>[ \t]?)+)")


def _marked(bars: str) -> str:
    """``bars`` (what _BARS matched) as ``>`` marks, one for each ``|`` (or ``:``, or ``>`` after blanks), padded with
    blanks to its length: "|> " is "> " and a blank, "  > " is ">" and three blanks."""
    marks = " ".join(">" * (bars.count("|") or bars.count(":") or bars.count(">")))
    return marks + " " * (len(bars) - len(marks))


def bar_quotes(numbered: list[tuple[int, str]], held: Callable[[str], bool] | None = None) -> list[tuple[int, str]]:
    """``numbered`` (a reply's lines, as harness.message.body_lines numbers them) with each run of ``|``-marked lines
    (or ``:``-marked, or ``>``-marked after blanks: _BARS) right below an attribution line (a blank line between them
    allowed; at the top, one of any language by its shape too: harness.attribution.shaped_end), at the top or inside a
    ``>`` quote of the same depth, marked with ``>`` instead, one for each mark: the same length, so the places of
    words are kept. ``held`` (thread_holds): whether the thread's earlier mail holds a run's words (joined by single
    spaces, its marks left out); a run it holds is a quote too, wherever it stands."""
    if not any(_BARS.match(_rest(t)[1]) for _, t in numbered):  # most replies: one pass, no change
        return numbered
    out = list(numbered)
    for i, (_, line) in enumerate(numbered):
        prefix, rest = _rest(line)
        if attribution(rest) is None and not shaped_end(window := _depth(numbered, i, prefix), len(window) - 1):
            continue
        k = i + 1
        if k < len(out) and not _rest(out[k][1])[1].strip() and _rest(out[k][1])[0] == prefix:
            k += 1  # one blank line below the attribution
        while k < len(out) and (at := _rest(out[k][1]))[0] == prefix and (m := _BARS.match(at[1])) is not None:
            out[k] = (out[k][0], prefix + _marked(m.group(0)) + at[1][m.end():])
            k += 1
    return out if held is None else _held_runs(out, held)


def _depth(numbered: list[tuple[int, str]], i: int, prefix: str) -> list[tuple[int, str]]:
    """The lines up to ``i`` an attribution ending there may span (three above it), at the top as they are, inside a
    ``>`` quote (``prefix``) without its marks, up to the nearest one of another depth."""
    lines = numbered[max(0, i - 3):i + 1]
    if not prefix:
        return lines
    k = len(lines)
    while k > 0 and _rest(lines[k - 1][1])[0] == prefix:
        k -= 1
    return [(n, _rest(t)[1]) for n, t in lines[k:]]


def _held_runs(out: list[tuple[int, str]], held: Callable[[str], bool]) -> list[tuple[int, str]]:
    """``out`` with each run of ``|``-marked lines of one quote depth that bar_quotes left whose words ``held`` says
    the earlier mail holds marked with ``>`` as bar_quotes marks them."""
    i = 0
    while i < len(out):
        prefix = _rest(out[i][1])[0]
        k = i
        while k < len(out) and (at := _rest(out[k][1]))[0] == prefix and _BARS.match(at[1]) is not None:
            k += 1
        words = _flat(_BARS.sub("", _rest(t)[1]) for _, t in out[i:k])
        if words and held(words):
            for j in range(i, k):
                at = _rest(out[j][1])
                m = _BARS.match(at[1])
                assert m is not None
                out[j] = (out[j][0], prefix + _marked(m.group(0)) + at[1][m.end():])
        i = max(k, i + 1)
    return out


def _flat(lines: Iterable[str]) -> str:
    """The lines' words joined by single spaces (whitespace, line breaks included, counts as one space)."""
    return " ".join(" ".join(lines).split())


def thread_holds(mail: Mail, mails: Mapping[str, tuple[RawMessage, Mail]]) -> Callable[[str], bool]:
    """Whether words (as bar_quotes passes them) are in the text of a message of ``mail``'s thread before it: the one
    it answers (In-Reply-To:), one its References: name, else one of the same thread (the same first References:
    entry) dated before it (Date:, RFC 5322), or not below it where either has no date read (which was sent first
    cannot be told: read as the quote it may be, a withdrawal quoted so lifts nothing). ``mails``: Message-ID ->
    (message, its header facts). Each line's ``>`` marks are left out and whitespace read as _flat reads it, whole
    words only ("d" is not in "verdict"). The mails are read only when asked (a ``|`` run no attribution names)."""
    def holds(words: str) -> bool:
        up = dict.fromkeys([*mail.references, *([mail.in_reply_to] if mail.in_reply_to else [])])
        ups = [mails[m][0] for m in up if m in mails]
        when, root = _when(mail), _root(mail)
        before = [raw for raw, m in mails.values() if m.msgid not in up and m.msgid != mail.msgid
                  and _root(m) == root and _maybe_before(m, mail.msgid, when, mails)]
        return any(f" {words} " in _flat_body(raw) for raw in ups + before)
    return holds


_FLAT: dict[bytes, str] = {}  # a message's flattened body by its bytes: each mail is read once, not once per `|` run


def _flat_body(raw: RawMessage) -> str:
    """``raw``'s body lines without their ``>`` marks, flattened as _flat does, between single spaces."""
    done = _FLAT.get(raw.data)
    if done is None:
        if len(_FLAT) >= 4096:
            _FLAT.clear()
        done = _FLAT[raw.data] = f" {_flat(_rest(t)[1] for _, t in body_lines(raw))} "
    return done


def _maybe_before(m: Mail, msgid: str, when: datetime | None, mails: Mapping[str, tuple[RawMessage, Mail]]) -> bool:
    """Whether ``m`` may have been sent before the message ``msgid`` sent ``when``: dated before it, or, where either
    date is not read, not below it (_below)."""
    w = _when(m)
    return w < when if w is not None and when is not None else not _below(m, msgid, mails)


def _below(m: Mail, msgid: str, mails: Mapping[str, tuple[RawMessage, Mail]]) -> bool:
    """Whether ``m`` answers the message ``msgid``, directly or through others: its References: name it, or one up
    its In-Reply-To: chain (through ``mails``) is it."""
    seen: set[str] = set()
    while m.msgid not in seen:
        if msgid in m.references or m.in_reply_to == msgid:
            return True
        seen.add(m.msgid)
        up = mails.get(m.in_reply_to or "")
        if up is None:
            return False
        m = up[1]
    return False


def _root(mail: Mail) -> str:
    """The first message of ``mail``'s thread it names (its first References: entry, else In-Reply-To:), else its
    own Message-ID."""
    return mail.references[0] if mail.references else mail.in_reply_to or mail.msgid


def _when(mail: Mail) -> datetime | None:
    """``mail``'s Date: (harness.replyorder.mail_date; one with no zone read as UTC), None when it reads as no date."""
    d = mail_date(mail)
    return d if d is None or d.tzinfo is not None else d.replace(tzinfo=UTC)
