"""Review replies: quoted text and who is quoted, the reply's own words, verdicts and proposals."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from harness.attribution import (
    QUOTE,
    attribution,
    is_scissors,
    lines_below,
    quoted_header,
    shaped_attribution,
    top_posted,
    unsure_copy,
    words_above,
    wrapped_on,
)
from harness.b4part import b4_lines
from harness.barquote import bar_quotes
from harness.diffspan import HUNK_HEAD as _HUNK_HEAD  # shared with the diff span (one pattern)
from harness.diffspan import diff_end as _diff_end
from harness.droprequest import drop_sentence
from harness.errors import InputError, Where
from harness.followups import reply_trailers, senders
from harness.inlinequote import inline_quotes
from harness.message import body_lines, forwarded, html_body_lines, other_text_lines, unconvertible, unread_parts
from harness.model import Mail, Proposal, ProposalKind, Quote, Reply, Skipped, Trailer, UnsureCopy
from harness.naknames import blank_signature
from harness.nakwords import nak_citations, nak_sentence, withdraws_nak
from harness.replydiffs import DIFF_HEAD, find_proposals
from harness.sources import RawMessage
from harness.supercite import cited_lines, marked_inline
from harness.tagwithdrawal import tag_withdrawn
from harness.unnameddrop import unnamed_drop
from models.lazyre import lazy

if TYPE_CHECKING:
    from harness.mailinfo import MailInfo

Held = Callable[[str], bool] | None  # harness.barquote.thread_holds: the words the mails a reply answers hold

_SIGNED_NAK = lazy(r"^\s*NAC?K(?:ed)?-by\s*:\s*\S", re.I)  # git interpret-trailers' "key: value", spaces allowed


def _depth(line: str) -> tuple[int, str]:
    m = QUOTE.match(line)
    if m is None:
        return 0, line
    return m.group(1).count(">"), line[m.end() :]


def split_quotes(
    numbered: list[tuple[int, str]], where: Where, marks: dict[int, str] | None = None
) -> tuple[list[tuple[int, str]], tuple[Quote, ...]]:
    """Own lines (with their input line numbers) and the quote runs, each with its quoted author: an attribution's,
    a header block's, else the supercite name ``marks`` gives the run's first line (supercite.cited_lines)."""
    own: list[tuple[int, str]] = []
    quotes: list[Quote] = []
    who_at: dict[int, str | None] = {}
    run: list[str] = []
    run_depth, run_start = 0, 0

    def close() -> None:
        who = who_at.get(run_depth) or quoted_header(run) or (marks or {}).get(run_start)
        quotes.append(Quote(run_depth, who, tuple(run), Where(where.path, run_start, where.msgid)))

    for i, (number, line) in enumerate(numbered):
        depth, text = _depth(line)
        if depth != run_depth and run:
            close()
            run = []
        if depth == 0:
            who = attribution(text)
            if who is None or "<" not in who or wrapped_on(numbered, i):  # Gmail put the name on the line above
                who = shaped_attribution(numbered, i, own) or who
            if who is not None:
                who_at[1] = who
                continue
            own.append((number, line))
        else:
            who = attribution(text)
            if who is not None:
                who_at[depth + 1] = who
                if not any(t.strip() for t in run) and _next_depth(numbered, i) == depth:
                    who_at[depth] = who  # Apple Mail's "> On ..., X <x@y> wrote:" heading the quote it names
            if not run:
                run_start = number
            run.append(text)
        run_depth = depth
    if run:
        close()
    return own, tuple(quotes)


def _next_depth(numbered: list[tuple[int, str]], i: int) -> int | None:
    """The quote depth of the next line after line ``i`` with text of its own (None: none)."""
    for _, line in itertools.islice(numbered, i + 1, None):
        depth, text = _depth(line)
        if text.strip():
            return depth
    return None


def _outside_proposals(own: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The reply's own lines without what a scissors line begins: the proposed commit's in-body headers,
    message and trailers, and its diff; lines after the diff are the reply's again ("With that: Acked-by")."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(own):
        if not is_scissors(own[i][1]):
            out.append(own[i])
            i += 1
            continue
        start = _next_diff_or_scissors(own, i + 1)
        if start < len(own) and not is_scissors(own[start][1]):
            i = _diff_end(own, start)
            # "-- >8 --" around the diff: the one below it closes the proposal, unless another diff follows
            # it; what comes after is the reply's again ("With or without that: Reviewed-by").
            if i < len(own) and is_scissors(own[i][1]):
                after = _next_diff_or_scissors(own, i + 1)
                if after == len(own) or is_scissors(own[after][1]):
                    i += 1
        else:
            i = start
    return out


def _prose(words: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The reply's words less the diffs and hunks in them (to their end as git apply reads their counts): a NAK or a
    "drop" in a proposed line of code ("+/* the loader may NAK it */") is no verdict of the reply."""
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        if DIFF_HEAD.match(words[i][1]) or _HUNK_HEAD.match(words[i][1]):
            i = max(_diff_end(words, i), i + 1)
            continue
        out.append(words[i])
        i += 1
    return out


def _next_diff_or_scissors(own: list[tuple[int, str]], i: int) -> int:
    """Index of the first diff header or scissors line at or after ``i`` (``len(own)`` when none)."""
    return next((k for k in range(i, len(own)) if DIFF_HEAD.match(own[k][1]) or is_scissors(own[k][1])), len(own))


def _verdicts(words: str, trailers: list[str], unnamed_drop: bool = False) -> tuple[str, ...]:
    """The reply's ``*-by`` trailers (spelt as git spells them whatever case the reviewer typed: ``Reviewed-by``
    for ``reviewed-by`` or ``Reviewed-By``), ``NAK`` and ``drop-patch``, from its own words less its proposals
    (``unnamed_drop``: one asks to drop the patch without naming it, harness.unnameddrop)."""
    keys = [t[:1].upper() + t[1:].lower() for t in trailers]
    verdicts = [t for t in keys if t.endswith("-by") and t != "Signed-off-by"]
    if nak_sentence(words) is not None:
        verdicts.append("NAK")
    if unnamed_drop or drop_sentence(words) is not None:
        verdicts.append("drop-patch")
    if withdraws_nak(words):
        verdicts.append("NAK-withdrawn")
    if (tag := tag_withdrawn(words)) is not None:  # "I retract my Reviewed-by.": said where the reply is listed
        verdicts.append(f"{tag[1] or 'tag'}-withdrawn")
    return tuple(dict.fromkeys(verdicts))


def _html_text(raw: RawMessage) -> list[tuple[int, str]]:
    """The text lines of a reply's HTML part (harness.htmltext), imported only for a reply without plain text:
    html.parser and its entity table are a few milliseconds of every start otherwise."""
    from harness.htmltext import html_lines

    return html_lines(html_body_lines(raw))


def reply_of(raw: RawMessage, mail: Mail, patch_mail: bool = False, held: Held = None) -> Reply:
    """Analyse a reply: quotes, own words, trailers, verdicts and proposed code. A top-posted reply's copy
    of the message it answers is a quote of its author, not the reply's own words (nor its proposals).
    ``patch_mail``: a patch sent in the thread (harness.postings): its trailers are those of the commit it
    proposes, never trailers or verdicts given to the message it answers (when it has a diff). ``held``: whether the
    mails it answers hold words (harness.barquote.thread_holds), to read a ``|`` run of theirs as a quote."""
    numbered = body_lines(raw)
    if any(t.strip() for _, t in numbered):
        reply = _flowed_trailers(_in_b4_part(_reply(numbered, mail, patch_mail, held), raw), raw, patch_mail, held)
    elif (other := _html_text(raw) or other_text_lines(raw)) and any(t.strip() for _, t in other):
        reply = _not_plain(_reply(other, mail, patch_mail, held))
    else:
        reply = _unreadable(_reply(numbered, mail, patch_mail, held), raw)
    if numbered and not reply.unreadable and (charset := unconvertible(raw)) is not None:
        reply = _unread(reply, f"its words cannot be read: git cannot convert its text from {charset} to UTF-8")
    if numbered and _HTML_PART.search(raw.data) is not None:
        reply = _html_too(reply, raw, mail, patch_mail, held)
    if (sent := forwarded(raw)) is not None and sent[1]:
        # A message forwarded as an attachment is a quote of its sender (a NAK in it is theirs: harness.quotednak).
        who, lines = sent
        reply = replace(reply, quotes=(*reply.quotes, Quote(1, who or None, tuple(t for _, t in lines),
                                                            Where(mail.where.path, lines[0][0], mail.msgid))))
    return reply


# Quoted passages of one reply: each is a Quote of its own (a record, its place and its lines), some 600 bytes
# beside the lines, so 200,000 lines of quote and answer in turn took 60 times their size (215 MB for 3.7 MB). A
# reviewer answering a patch line by line writes hundreds; past this the reply is refused, not read in part.
MAX_QUOTED_PASSAGES = 10_000


def refuse_many_passages(numbered: Iterable[tuple[int, str]], mail: Mail) -> None:
    """Raises InputError at the first line of the passage past MAX_QUOTED_PASSAGES (a run of lines of one ``>``
    depth, as split_quotes makes a Quote of each), before any is made. Ingest asks it of git mailinfo's lines of a
    reply too, before the reply's own are decoded (their list, 150 bytes a line and twice that while made)."""
    passages, last = 0, 0
    for number, line in numbered:
        m = QUOTE.match(line)
        depth = m.group(1).count(">") if m is not None else 0
        if depth and depth != last:
            passages += 1
            if passages > MAX_QUOTED_PASSAGES:
                raise InputError(Where(mail.where.path, number, mail.msgid),
                                 f"a reply of more than {MAX_QUOTED_PASSAGES:,} quoted passages (quote and answer in "
                                 "turn): not read")
        last = depth


def _reply(numbered: list[tuple[int, str]], mail: Mail, patch_mail: bool, held: Held = None) -> Reply:
    """The reply its text lines make (reply_of)."""
    numbered = bar_quotes(numbered, held)  # "| " quotes below an attribution or of the thread: ">" quotes
    refuse_many_passages(numbered, mail)
    # The words end at a "-- " line with no quote below it: a client that puts the signature above the quote leaves
    # the reply's words below the quote (b4 reads no trailers below its last "-- ": _b4_trailers).
    sig = next((i for i, (_, t) in enumerate(numbered)
                if t == "-- " and not any(QUOTE.match(u) for _, u in numbered[i + 1:])), len(numbered))
    signed = sig
    copied = top_posted(numbered[:sig])
    original: tuple[Quote, ...] = ()
    unsure, inline = None, list[tuple[int, str]]()
    if copied is not None and copied[2] is not None and not words_above(numbered, copied[0]):
        # No words of the reply above the attribution: no top-post, but one kept where its quote was cut, the reply's
        # own words below it; a copy only when a message of the sender it names holds them (harness.objections).
        above = _read(numbered[: copied[0]], mail, patch_mail)
        said = " ".join(t for _, t in numbered[copied[0] : copied[2] + 1])
        unsure = UnsureCopy(lines_below(numbered, copied[2]), above.own_text, above.verdicts, said)
    elif copied is not None:
        start, who, end = copied
        # A copy runs to the end of the mail, past a "-- " line: the copied message's own signature (a patch mail's
        # "-- " and git version) is no end of the reply, which may write below the copy (quotednak.with_own_tail).
        # The sender's answers inline in the copy, marked with their initials ("[OO] NAK"), are their own words.
        inline, rest = marked_inline(numbered[start:], mail.author)
        original = (Quote(1, who, tuple(t for _, t in rest), Where(mail.where.path, numbered[start][0], mail.msgid)),)
        if end is not None:  # read as its own words too, should the message answered not hold the lines
            whole = _read(numbered[:sig], mail, patch_mail)
            said = " ".join(t for _, t in numbered[start : end + 1])
            unsure = UnsureCopy(lines_below(numbered, end), whole.own_text, whole.verdicts, said, copy=True)
        sig = start
    elif (maybe := unsure_copy(numbered[:sig])) is not None:
        above = _read(numbered[: maybe[0]], mail, patch_mail)
        unsure = UnsureCopy(maybe[1], above.own_text, above.verdicts, maybe[2])
    reply = _b4_trailers(_read(numbered[:sig] + inline, mail, patch_mail), numbered)
    if copied is None:  # below a copy's own signature are the copy's words
        reply = _signed_nak(reply, numbered[signed + 1 :])
    return replace(reply, quotes=(*reply.quotes, *original), unsure_copy=unsure)


def _unreadable(reply: Reply, raw: RawMessage) -> Reply:
    """A reply without a word to read: none at all (an empty reply, nothing to tell), or parts that are no text (an
    encrypted reply, an image), whose words, a NAK among them, cannot be read: said (Reply.unreadable)."""
    parts = unread_parts(raw)
    if not parts:
        return reply
    return _unread(reply, f"its words cannot be read: it has no text part ({', '.join(parts)})")


# A reply's text as git mailinfo decodes it (its log and patch lines, quotes and all): past this its words are said
# unread, not read (a gate does not pass such a reply). Each reader of a reply's sentences holds copies of its text:
# 30 MB on one line took 430 MB and 16 s of CPU, 30 MB of one-line sentences 1.2 GB and 85 s. A review's longest
# reply, a whole large patch quoted, is some hundreds of KB.
MAX_REPLY_TEXT = 4 << 20


def too_long_reply(mail: Mail, size: int, patch_mail: bool = False) -> Reply | None:
    """The reply of ``mail`` said unread when its text of ``size`` characters is past MAX_REPLY_TEXT, before any
    reader holds a copy of it; None when it is to be read."""
    if size <= MAX_REPLY_TEXT:
        return None
    why = f"its text is {size / 1e6:.1f} MB, past the {MAX_REPLY_TEXT >> 20} MiB a reply's words are read in"
    return _unread(_reply([], mail, patch_mail), why)


def bounded_reply(raw: RawMessage, mail: Mail, info: MailInfo, patch_mail: bool = False, held: Held = None) -> Reply:
    """reply_of, unless the reply's text (git mailinfo's message and patch lines, ``info``) is too long to read
    (too_long_reply)."""
    size = sum(len(t) for _, t in info.log) + sum(len(b) for _, b in info.patch)
    return too_long_reply(mail, size, patch_mail) or reply_of(raw, mail, patch_mail, held)


def _unread(reply: Reply, why: str) -> Reply:
    """The reply with why its words cannot be read (Reply.unreadable), said among what the input left unread."""
    return replace(reply, unreadable=why, unread=(*reply.unread, Skipped(reply.mail.where, f"reply of "
                   f"{reply.mail.author} <{reply.mail.msgid}> not read: {why}")))


def _signed_nak(reply: Reply, below: list[tuple[int, str]]) -> Reply:
    """The reply with a ``Nacked-by:`` trailer line written below its signature (b4 takes no trailer there, but a NAK
    a gate leaves unread would pass it) read as a NAK of its own words; so is a line that is a NAK sentence ("NAK.",
    "NAK, the retry is wrong.") in a paragraph after the signature's own, and one asking to drop the patch ("Please
    drop this patch.", "Dropped from my tree.") a request to drop: either passed the gate unread."""
    # The signature is the paragraph right below "-- " ("Mae Maint, NAK-free since 1999" names the word, no NAK);
    # words are read from the paragraphs after it.
    gap = next((i for i, (_, t) in enumerate(below) if not t.strip()), len(below))
    words = [t.strip() for _, t in below[gap:] if t.strip() and not QUOTE.match(t)]
    lines = [t.strip() for _, t in below if _SIGNED_NAK().match(t)] or [t for t in words if nak_sentence(t)]
    drops = [t for t in words if drop_sentence(t) is not None]
    added = (["NAK"] if lines and "NAK" not in reply.verdicts else []) + \
        (["drop-patch"] if drops and "drop-patch" not in reply.verdicts else [])
    if not added:
        return reply
    said = [*(lines if "NAK" in added else []), *(drops if "drop-patch" in added else [])]
    return replace(reply, own_text="\n".join([reply.own_text, *said]), verdicts=(*reply.verdicts, *added))


def _b4_trailers(reply: Reply, numbered: list[tuple[int, str]]) -> Reply:
    """The reply less the trailers below its last "-- " line, which b4 takes for the signature (get_body_parts)."""
    cut = next((n for n, t in reversed(numbered) if t == "-- "), None)
    if cut is None or all(t.where.line < cut for t in reply.trailers):
        return reply
    return _keeping(reply, tuple(t for t in reply.trailers if t.where.line < cut))


def _in_b4_part(reply: Reply, raw: RawMessage) -> Reply:
    """The reply less the trailers of its parts other than the one b4 reads them from (harness.b4part): a second
    plain part, a text attachment, or the words before an attached patch, which b4 reads instead."""
    lines = b4_lines(raw) if reply.trailers else None
    if lines is None or all(t.where.line in lines for t in reply.trailers):
        return reply
    return _keeping(reply, tuple(t for t in reply.trailers if t.where.line in lines))


_FLOWED = re.compile(rb"format\s*=\s*[\"']?flowed", re.I)  # a reply that may have a format=flowed part


def _flowed_trailers(reply: Reply, raw: RawMessage, patch_mail: bool, held: Held) -> Reply:
    """The reply with a note naming the trailers that its format=flowed text gives un-flowed (RFC 3676, as git
    mailinfo reads it: a line the mailer soft-broke joined again) but not as sent, which is how b4 reads a reply (b4
    0.16 does not un-flow): `b4 am` would not add them to the patch, the maintainer has to. They stay the reply's:
    its sender wrote them."""
    if not reply.trailers or _FLOWED.search(raw.data) is None:
        return reply
    sent = _in_b4_part(_reply(body_lines(raw, unflow=False), reply.mail, patch_mail, held), raw)
    seen = {(t.key, t.value) for t in sent.trailers}
    lost = [t for t in reply.trailers if (t.key, t.value) not in seen]
    if not lost:
        return reply
    said = ", ".join(f"{t.key}: {t.value}" for t in lost)
    return replace(reply, notes=(*reply.notes, Skipped(lost[0].where, (
        f"reply of {reply.mail.author} <{reply.mail.msgid}>: {said} read from its format=flowed text un-flowed (RFC "
        f"3676, as git mailinfo reads it); b4 am, which reads the text as sent, its lines soft-broken, would not add "
        f"{'it' if len(lost) == 1 else 'them'}: add {'it' if len(lost) == 1 else 'them'} by hand"))))


def _keeping(reply: Reply, kept: tuple[Trailer, ...]) -> Reply:
    """The reply with only the trailers ``kept``, and no verdict of a trailer key it no longer gives."""
    gone = {t.key[:1].upper() + t.key[1:].lower() for t in reply.trailers} - {t.key[:1].upper() + t.key[1:].lower()
                                                                              for t in kept}
    return replace(reply, trailers=kept, verdicts=tuple(v for v in reply.verdicts if v not in gone))


_HTML_PART = re.compile(rb"text/html", re.I)  # a reply that may have an HTML part besides its plain text


def _html_too(reply: Reply, raw: RawMessage, mail: Mail, patch_mail: bool, held: Held) -> Reply:
    """The reply with the NAKs and requests to drop of its HTML part that its plain text lacks (an alternative that
    says more): git mailinfo takes the HTML part's text into the message too, and an HTML mail client shows it alone.
    Read as an HTML-only reply is (_not_plain); a withdrawal there takes nothing back (the plain text did not say
    it), so the gate never passes on what one part holds."""
    html = _html_text(raw)
    if not any(t.strip() for _, t in html):
        return reply
    other = _not_plain(_reply(html, mail, patch_mail, held))
    said = [*(nak_citations(other.own_text) if "NAK" in other.verdicts and "NAK" not in reply.verdicts else []),
            *([s] if "drop-patch" in other.verdicts and "drop-patch" not in reply.verdicts
              and (s := drop_sentence(other.own_text) or other.drop_said) else [])]
    if not said:
        return reply
    added = tuple(v for v in ("NAK", "drop-patch") if v in other.verdicts and v not in reply.verdicts)
    return replace(reply, own_text="\n\n".join([reply.own_text, *said]), verdicts=(*reply.verdicts, *added),
                   drop_said=reply.drop_said or other.drop_said,
                   drop_under=reply.drop_under if reply.drop_said else other.drop_under)


def _not_plain(reply: Reply) -> Reply:
    """A reply in HTML only (or other text: text/markdown, text/enriched), read as plain text is (its quotes, an
    Outlook copy of the message answered) for its NAKs and requests to drop (a gate must not pass unread words) but,
    as b4 reads no trailers from it, with no trailers nor proposals."""
    def plain(verdicts: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v for v in verdicts if not v.endswith("-by"))

    copy = reply.unsure_copy
    # A diff in it is said, not dropped unsaid: eval compares no proposal b4 and git am cannot read.
    who = f"diff in the reply of {reply.mail.author} <{reply.mail.msgid}> not read as a proposal"
    unread = tuple(Skipped(p.where, f"{who}: the reply has no plain-text part (b4 and git am read no other)")
                   for p in reply.proposals if p.kind is not ProposalKind.SNIPPET)
    return replace(reply, trailers=(), proposals=(), unread=unread, verdicts=plain(reply.verdicts),
                   unsure_copy=replace(copy, verdicts=plain(copy.verdicts)) if copy is not None else None)


def _read(numbered: list[tuple[int, str]], mail: Mail, patch_mail: bool) -> Reply:
    """The reply that ``numbered`` (its lines less any copy of the message it answers) makes."""
    cited, marks = cited_lines(numbered)  # supercite's "Mae> NAK" is a quote too, "> Mae> NAK" one deeper
    own, quotes = split_quotes(cited, mail.where, marks)
    own, inline = inline_quotes(own, mail.where, cited)  # "Mae schrieb: »NAK, ...«": Mae's words
    # The sender's name signing the reply ("Thanks,\nNak" from Nak Kim) is no NAK: blanked, as blank_names does names.
    own = list(zip((n for n, _ in own), blank_signature([t for _, t in own], mail.author), strict=True))
    quotes = (*quotes, *inline)
    own_text = "\n".join(t for _, t in own).strip("\n")
    lead = next((i for i, (_, t) in enumerate(own) if t), len(own))  # the empty lines strip("\n") took
    # What follows a scissors line is a patch to apply: its Signed-off-by is that patch's, not a trailer
    # the reply gives the patch it answers; below the patch's diff the reply's own words go on.
    words = _outside_proposals(own)
    patch_diffs: list[tuple[Proposal, Skipped]] = []
    proposals, unread = find_proposals(own, mail, patch_diffs)
    # A patch mail without a diff (a reviewer's "[PATCH v2 3/3]" answer with no "Re:") is a reply, as b4 takes a
    # follow-up with References, trailers and no diff to be one.
    commit = patch_mail and any(p.kind is ProposalKind.DIFF for p in proposals)
    trailers = () if commit else reply_trailers(words, mail.where)
    prose = _prose(words)
    unnamed = unnamed_drop(prose, quotes)
    return Reply(
        mail=mail,
        own_text=own_text,
        quotes=quotes,
        trailers=trailers,
        # A trailer naming someone else (a colleague's Tested-by passed on) is no verdict of the sender's: b4 leaves
        # it out (harness.followups lists it apart); a Nacked-by of anyone is still a NAK in the reply's words.
        verdicts=_verdicts("\n".join(t for _, t in prose), [t.key for t in trailers if senders(t, mail)],
                           bool(unnamed)),
        proposals=proposals,
        parent=mail.in_reply_to,
        unread=unread,
        drop_said=unnamed.sentence if unnamed else "",
        drop_under=unnamed.under if unnamed else None,
        own_read=own_text,
        own_at=own_runs(own[lead:]),
        patch_diffs=tuple(patch_diffs),
    )


def own_runs(own: list[tuple[int, str]]) -> tuple[tuple[int, int], ...]:
    """(index in ``own``, input line) where each run of consecutive input lines of ``own`` starts (Reply.own_at)."""
    return tuple((i, n) for i, (n, _) in enumerate(own) if i == 0 or n != own[i - 1][0] + 1)
