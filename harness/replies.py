"""Review replies: quoted text and who is quoted, the reply's own words, verdicts and proposals."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import replace

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
)
from harness.diffparse import parse_diff
from harness.diffspan import HUNK_HEAD as _HUNK_HEAD  # shared with the diff span (one pattern)
from harness.diffspan import completed_below, read_on
from harness.diffspan import diff_end as _diff_end
from harness.droprequest import drop_sentence
from harness.errors import InputError, Where
from harness.followups import reply_trailers
from harness.lazyre import lazy
from harness.message import body_lines, forwarded, html_body_lines, other_text_lines, unconvertible, unread_parts
from harness.model import (
    Hunk,
    HunkLine,
    LineKind,
    Mail,
    PatchedFile,
    Proposal,
    ProposalKind,
    Quote,
    Reply,
    Skipped,
    UnsureCopy,
)
from harness.nakwords import nak_sentence, nak_sentences, withdraws_nak
from harness.sources import RawMessage
from harness.unnameddrop import unnamed_drop
from reports.safe import counted

_DIFF_HEAD = re.compile(r"^(diff --git |--- (a/|/dev/null))")
_SIGNED_NAK = lazy(r"^\s*NAC?K(?:ed)?-by\s*:\s*\S", re.I)  # git interpret-trailers' "key: value", spaces allowed
_CODE_END = (";", "{", "}", ")", "\\", ",", "{;")
_CODE_START = re.compile(r"^\s*(#\s*(define|include|if|endif|else|undef)\b|}|else\b|do\b|return\b)")


def _depth(line: str) -> tuple[int, str]:
    m = QUOTE.match(line)
    if m is None:
        return 0, line
    return m.group(1).count(">"), line[m.end() :]


def split_quotes(
    numbered: list[tuple[int, str]], where: Where
) -> tuple[list[tuple[int, str]], tuple[Quote, ...]]:
    """Own lines (with their input line numbers) and the quote runs, each with its quoted author."""
    own: list[tuple[int, str]] = []
    quotes: list[Quote] = []
    who_at: dict[int, str | None] = {}
    run: list[str] = []
    run_depth, run_start = 0, 0

    def close() -> None:
        who = who_at.get(run_depth) or quoted_header(run)
        quotes.append(Quote(run_depth, who, tuple(run), Where(where.path, run_start, where.msgid)))

    for i, (number, line) in enumerate(numbered):
        depth, text = _depth(line)
        if depth != run_depth and run:
            close()
            run = []
        if depth == 0:
            who = attribution(text) or shaped_attribution(numbered, i, own)
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


def _bare_hunk(block: list[tuple[int, str]], mail: Mail) -> Hunk:
    """A hunk pasted without file headers; counts may lie and tabs may have become spaces."""
    lineno, head = block[0]
    m = _HUNK_HEAD.match(head)
    assert m is not None
    body: list[HunkLine] = []
    kinds = {" ": LineKind.CONTEXT, "-": LineKind.REMOVED, "+": LineKind.ADDED}
    for _, text in block[1:]:
        kind = kinds.get(text[:1], LineKind.CONTEXT)
        body.append(HunkLine(kind, text[1:] if text[:1] in kinds else text, None, None))
    return Hunk(
        source_start=int(m.group(1)),
        source_length=int(m.group(2) or 1),
        target_start=int(m.group(3)),
        target_length=int(m.group(4) or 1),
        section=m.group(5),
        lines=tuple(body),
        where=Where(mail.where.path, lineno, mail.msgid),
    )


def _changed_lines(block: list[tuple[int, str]]) -> bool:
    """Whether a paragraph is '-' and '+' lines of code with no '@@' header ('-\tint tries = 3;' over
    '+\tint tries = 5;'): each line a mark and code (a tab after the mark, or a line ending as code does), both
    marks there; a list of '- item' lines is prose, and '--'/'++' starts no such line (a signature, a '---')."""
    def code(t: str) -> bool:
        return t[:1] in ("-", "+") and t[1:2] not in ("-", "+") and (t[1:2] == "\t" or _is_code(t[1:]))
    return all(code(t) for _, t in block) and {t[:1] for _, t in block} == {"-", "+"}


def _headerless_hunk(block: list[tuple[int, str]], mail: Mail) -> Hunk:
    """The '-'/'+' lines as a hunk with no place of its own (0: harness.hunkfit finds it where they fit)."""
    kinds = {"-": LineKind.REMOVED, "+": LineKind.ADDED}
    lines = tuple(HunkLine(kinds[t[:1]], t[1:], None, None) for _, t in block)
    return Hunk(0, sum(ln.kind is LineKind.REMOVED for ln in lines), 0, sum(ln.kind is LineKind.ADDED for ln in lines),
                "", lines, Where(mail.where.path, block[0][0], mail.msgid))


def _is_code(line: str) -> bool:
    s = line.strip()
    return bool(s) and (s.endswith(_CODE_END) or bool(_CODE_START.match(s)))


def _diffish(text: str) -> bool:
    return text[:1] in (" ", "+", "-", "@", "\\") or text.startswith(("diff ", "index ", "new file", "deleted file"))


def _blocks(own: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Paragraphs of own text; a diff or hunk runs on across blank context lines. A diff or hunk header
    starts a block of its own even with no blank line before it (after a scissors line, a commit message,
    a "---"), and a scissors line ends one."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, item in enumerate(own):
        in_diff = bool(current) and bool(_DIFF_HEAD.match(current[0][1]) or _HUNK_HEAD.match(current[0][1]))
        if is_scissors(item[1]) or (not in_diff and current and (_DIFF_HEAD.match(item[1])
                                                                   or _HUNK_HEAD.match(item[1]))):
            if current:
                blocks.append(current)
            current = [] if is_scissors(item[1]) else [item]
            continue
        if in_diff and item[1].strip() == "" and item[1]:
            current.append(item)  # a context line that is only the space marker
            continue
        if in_diff and item[1] == "" and i + 1 < len(own) and _diffish(own[i + 1][1]) and own[i + 1][1].strip():
            current.append((item[0], " "))  # a mailer stripped the blank context line's marker
            continue
        if item[1].strip():
            current.append(item)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


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
        if _DIFF_HEAD.match(words[i][1]) or _HUNK_HEAD.match(words[i][1]):
            i = max(_diff_end(words, i), i + 1)
            continue
        out.append(words[i])
        i += 1
    return out


def _next_diff_or_scissors(own: list[tuple[int, str]], i: int) -> int:
    """Index of the first diff header or scissors line at or after ``i`` (``len(own)`` when none)."""
    return next((k for k in range(i, len(own)) if _DIFF_HEAD.match(own[k][1]) or is_scissors(own[k][1])), len(own))


def _unread_diff(block: list[tuple[int, str]], exc: InputError, mail: Mail, own: list[tuple[int, str]]) -> Skipped:
    """Why a diff in a reply is no proposal, at the line where git apply stops: a line inside a hunk that is
    not context, added or removed ("corrupt patch at line N": a mailer wrapped a long line), a line past the block
    a short hunk reads on into (harness.diffspan.read_on), else the hunk."""
    end = _diff_end(block, 0)
    who = f"diff in the reply of {mail.author} <{mail.msgid}> not read as a proposal"
    if end == len(block) and (past := read_on(own, block, who, mail)) is not None:
        return past
    # Only past a hunk's header is such a line inside a hunk; one among the file's header lines (a mailer wrapped
    # the diff --git line) is the header's end, as parse_diff says (harness.diffparse._header_ended).
    inside = any(_HUNK_HEAD.match(t) for _, t in block[:end])
    if end < len(block) and inside and _HUNK_HEAD.match(block[end][1]) is None:
        line, text = block[end]
        return Skipped(Where(mail.where.path, line, mail.msgid),
                       f"{who}: corrupt diff at line {line} ({text[:40]!r} inside a hunk, which git apply refuses "
                       "as a corrupt patch: a line a mailer wrapped?)")
    return Skipped(exc.where or Where(mail.where.path, block[0][0], mail.msgid), f"{who}: {exc.message}")


def _diff_files(block: list[tuple[int, str]], own: list[tuple[int, str]], mail: Mail, where: Where
                ) -> tuple[tuple[PatchedFile, ...], str, tuple[Skipped, ...]]:
    """A diff's files as git apply reads them, its text, and what is said of it: why it is no proposal, or that the
    empty lines below the block complete its last hunk (git apply reads them as context lines, so git mailinfo and
    git apply take the diff: a proposal, whether its context fits decided as any diff's, harness.proposalfit)."""
    text = "\n".join(t for _, t in block)
    try:
        return parse_diff(text + "\n", where, [n for n, _ in block]), text, ()
    except InputError as exc:
        whole = completed_below(own, block)
        longer = "\n".join(t for _, t in whole or ())
        try:
            files = parse_diff(longer + "\n", where, [n for n, _ in whole]) if whole else ()
        except InputError:
            files = ()
        if not files or whole is None:
            return (), text, (_unread_diff(block, exc, mail, own),)
    n = len(whole) - len(block)
    return files, longer, (Skipped(Where(mail.where.path, whole[len(block)][0], mail.msgid), (
        f"diff in the reply of {mail.author} <{mail.msgid}>: its last hunk is completed by the "
        f"{counted(n, 'empty line')} below it, which git apply reads as context lines (a blank context line whose "
        "space a mailer stripped, or a line it dropped?): read as a proposal with them, as git am reads it")),)


def find_proposals(own: list[tuple[int, str]], mail: Mail) -> tuple[tuple[Proposal, ...], tuple[Skipped, ...]]:
    """Diffs, bare hunks and C snippets written in the reply's own words; and each diff that git apply would
    refuse as it stands (a line a mailer wrapped), with its place and why: not a proposal, but said."""
    found: list[Proposal] = []
    unread: list[Skipped] = []
    for block in _blocks(own):
        first_line, first = block[0]
        text = "\n".join(t for _, t in block)
        where = Where(mail.where.path, first_line, mail.msgid)
        if _DIFF_HEAD.match(first):
            files, text, said = _diff_files(block, own, mail, where)
            unread.extend(said)
            if files:
                found.append(Proposal(ProposalKind.DIFF, text, mail.msgid, mail.author, where, files=files))
                continue
        if _HUNK_HEAD.match(first):
            # Hunks pasted one after another (git diff's, less its file headers): one proposal each, as git apply
            # reads each '@@' line as the next hunk's header (harness.hunkfit joins them again).
            heads = [i for i, (_, t) in enumerate(block) if _HUNK_HEAD.match(t)]
            for a, b in zip(heads, [*heads[1:], len(block)], strict=True):
                part = block[a:b]
                found.append(Proposal(ProposalKind.HUNK, "\n".join(t for _, t in part), mail.msgid, mail.author,
                                      Where(mail.where.path, part[0][0], mail.msgid), hunks=(_bare_hunk(part, mail),)))
            continue
        if _changed_lines(block):
            found.append(Proposal(ProposalKind.HUNK, text, mail.msgid, mail.author, where,
                                  hunks=(_headerless_hunk(block, mail),)))
            continue
        if all(_is_code(t) for _, t in block) and any(
            c in text for c in (";", "{", "#define")
        ):
            found.append(Proposal(ProposalKind.SNIPPET, text, mail.msgid, mail.author, where))
    return tuple(found), tuple(unread)


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
    return tuple(dict.fromkeys(verdicts))


def _html_text(raw: RawMessage) -> list[tuple[int, str]]:
    """The text lines of a reply's HTML part (harness.htmltext), imported only for a reply without plain text:
    html.parser and its entity table are a few milliseconds of every start otherwise."""
    from harness.htmltext import html_lines

    return html_lines(html_body_lines(raw))


def reply_of(raw: RawMessage, mail: Mail, patch_mail: bool = False) -> Reply:
    """Analyse a reply: quotes, own words, trailers, verdicts and proposed code. A top-posted reply's copy
    of the message it answers is a quote of its author, not the reply's own words (nor its proposals).
    ``patch_mail``: a patch sent in the thread (harness.postings): its trailers are those of the commit it
    proposes, never trailers or verdicts given to the message it answers (when it has a diff)."""
    numbered = body_lines(raw)
    if any(t.strip() for _, t in numbered):
        reply = _reply(numbered, mail, patch_mail)
    elif (other := _html_text(raw) or other_text_lines(raw)) and any(t.strip() for _, t in other):
        reply = _not_plain(_reply(other, mail, patch_mail))
    else:
        reply = _unreadable(_reply(numbered, mail, patch_mail), raw)
    if numbered and not reply.unreadable and (charset := unconvertible(raw)) is not None:
        reply = _unread(reply, f"its words cannot be read: git cannot convert its text from {charset} to UTF-8")
    if numbered and _HTML_PART.search(raw.data) is not None:
        reply = _html_too(reply, raw, mail, patch_mail)
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


def _reply(numbered: list[tuple[int, str]], mail: Mail, patch_mail: bool) -> Reply:
    """The reply its text lines make (reply_of)."""
    refuse_many_passages(numbered, mail)
    # The words end at a "-- " line with no quote below it: a client that puts the signature above the quote leaves
    # the reply's words below the quote (b4 reads no trailers below its last "-- ": _b4_trailers).
    sig = next((i for i, (_, t) in enumerate(numbered)
                if t == "-- " and not any(QUOTE.match(u) for _, u in numbered[i + 1:])), len(numbered))
    signed = sig
    copied = top_posted(numbered[:sig])
    original: tuple[Quote, ...] = ()
    unsure = None
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
        rest = numbered[start:]
        original = (Quote(1, who, tuple(t for _, t in rest), Where(mail.where.path, rest[0][0], mail.msgid)),)
        if end is not None:  # read as its own words too, should the message answered not hold the lines
            whole = _read(numbered[:sig], mail, patch_mail)
            said = " ".join(t for _, t in numbered[start : end + 1])
            unsure = UnsureCopy(lines_below(numbered, end), whole.own_text, whole.verdicts, said, copy=True)
        sig = start
    elif (maybe := unsure_copy(numbered[:sig])) is not None:
        above = _read(numbered[: maybe[0]], mail, patch_mail)
        unsure = UnsureCopy(maybe[1], above.own_text, above.verdicts, maybe[2])
    reply = _b4_trailers(_read(numbered[:sig], mail, patch_mail), numbered)
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


def _unread(reply: Reply, why: str) -> Reply:
    """The reply with why its words cannot be read (Reply.unreadable), said among what the input left unread."""
    return replace(reply, unreadable=why, unread=(*reply.unread, Skipped(reply.mail.where, f"reply of "
                   f"{reply.mail.author} <{reply.mail.msgid}> not read: {why}")))


def _signed_nak(reply: Reply, below: list[tuple[int, str]]) -> Reply:
    """The reply with a ``Nacked-by:`` trailer line written below its signature (b4 takes no trailer there, but a NAK
    a gate leaves unread would pass it) read as a NAK of its own words."""
    lines = [t.strip() for _, t in below if _SIGNED_NAK().match(t)]
    if not lines or "NAK" in reply.verdicts:
        return reply
    return replace(reply, own_text="\n".join([reply.own_text, *lines]), verdicts=(*reply.verdicts, "NAK"))


def _b4_trailers(reply: Reply, numbered: list[tuple[int, str]]) -> Reply:
    """The reply less the trailers below its last "-- " line, which b4 takes for the signature (get_body_parts)."""
    cut = next((n for n, t in reversed(numbered) if t == "-- "), None)
    if cut is None or all(t.where.line < cut for t in reply.trailers):
        return reply
    kept = tuple(t for t in reply.trailers if t.where.line < cut)
    gone = {t.key[:1].upper() + t.key[1:].lower() for t in reply.trailers} - {t.key[:1].upper() + t.key[1:].lower()
                                                                              for t in kept}
    return replace(reply, trailers=kept, verdicts=tuple(v for v in reply.verdicts if v not in gone))


_HTML_PART = re.compile(rb"text/html", re.I)  # a reply that may have an HTML part besides its plain text


def _html_too(reply: Reply, raw: RawMessage, mail: Mail, patch_mail: bool) -> Reply:
    """The reply with the NAKs and requests to drop of its HTML part that its plain text lacks (an alternative that
    says more): git mailinfo takes the HTML part's text into the message too, and an HTML mail client shows it alone.
    Read as an HTML-only reply is (_not_plain); a withdrawal there takes nothing back (the plain text did not say
    it), so the gate never passes on what one part holds."""
    html = _html_text(raw)
    if not any(t.strip() for _, t in html):
        return reply
    other = _not_plain(_reply(html, mail, patch_mail))
    said = [*(nak_sentences(other.own_text) if "NAK" in other.verdicts and "NAK" not in reply.verdicts else []),
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
    own, quotes = split_quotes(numbered, mail.where)
    own_text = "\n".join(t for _, t in own).strip("\n")
    lead = next((i for i, (_, t) in enumerate(own) if t), len(own))  # the empty lines strip("\n") took
    # What follows a scissors line is a patch to apply: its Signed-off-by is that patch's, not a trailer
    # the reply gives the patch it answers; below the patch's diff the reply's own words go on.
    words = _outside_proposals(own)
    proposals, unread = find_proposals(own, mail)
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
        verdicts=_verdicts("\n".join(t for _, t in prose), [t.key for t in trailers], bool(unnamed)),
        proposals=proposals,
        parent=mail.in_reply_to,
        unread=unread,
        drop_said=unnamed.sentence if unnamed else "",
        drop_under=unnamed.under if unnamed else None,
        own_read=own_text,
        own_at=own_runs(own[lead:]),
    )


def own_runs(own: list[tuple[int, str]]) -> tuple[tuple[int, int], ...]:
    """(index in ``own``, input line) where each run of consecutive input lines of ``own`` starts (Reply.own_at)."""
    return tuple((i, n) for i, (n, _) in enumerate(own) if i == 0 or n != own[i - 1][0] + 1)
