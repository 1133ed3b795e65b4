"""One message into Mail facts; a patch message's parts (log, trailers, notes, diffstat, diff); a reply's text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from harness.diffmodel import PatchedFile
from harness.diffparse import diff_start_line, parse_diff
from harness.errors import InputError, Where
from harness.gitdate import date_refusal
from harness.gitident import ident_refusal, without_crud
from harness.mailinfo import MailInfo, commit_message, decode_lines
from harness.mailwalk import Part, Sink, walk
from harness.mimedecode import charset_codec, convert_to_utf8, fold_space, is_utf8_charset, knows_charset, to_text
from harness.model import LIST_REWRITTEN, ChangelogBlock, Mail, Patch, Skipped
from harness.sources import RawMessage
from harness.subject import parse_subject
from harness.trailers import commit_trailers
from models.lazyre import lazy

_MSGID = re.compile(r"<([^<>\s]+)>")
_CHANGELOG = re.compile(r"^\s*(?:changes\s+(in|since|from)\s+)?v(\d+)\s*(?:(?:->|\u2192|to)\s*v(\d+)\s*)?:?\s*(.*)$",
                        re.I)
_DIFFSTAT = re.compile(r"^ \S.* \| +(\d+ ?[+-]*|Bin .*)$")
_RULE = "\0---"  # a "---" line of the notes (_split_notes), which no line of a mail is: where a cover's block ends
_DIFFSTAT_SUMMARY = re.compile(r"^ \d+ files? changed")
# git format-patch --base writes a full id; a cover letter written by hand may name a tag, a branch or a short id
# (harness.basesearch reads it as git rev-parse does, in the --tree).
_BASE = re.compile(r"^base-commit:[ \t]*(\S+)", re.MULTILINE)
# git format-patch --base: a patch the series needs that its base-commit lacks (git's Documentation/git-format-patch)
_PREREQUISITE = re.compile(r"^prerequisite-patch-id: ([0-9a-f]{40})\s*$", re.MULTILINE)
# The lines format-patch --base writes into a cover letter, below its text: the base, never a trailer of its author's.
_BASE_INFO = re.compile(r"(?:base-commit|prerequisite-patch-id):")
_PATCH_TYPES = ("text/x-patch", "text/x-diff", "text/x-csrc")
_RFC822 = re.compile(rb"message/rfc822", re.I)
_SIGNATURES = ("application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature")


class _TextSink(Sink):
    def __init__(self, wanted: Callable[[Part], bool]) -> None:
        self.wanted = wanted
        self.got: list[tuple[int, bytes, str]] = []
        self.types: list[str] = []  # each line's part's content type
        self.flowed: list[tuple[int, bool, bool]] = []  # (first chunk, flowed, delsp) of each run

    def _part(self, part: Part) -> None:
        if not self.flowed or self.flowed[-1][1:] != (part.flowed, part.delsp):
            self.flowed.append((len(self.got), part.flowed, part.delsp))

    def line(self, number: int, data: bytes, part: Part) -> None:
        if self.wanted(part):
            self._part(part)
            self.got.append((number, data, part.charset))
            self.types.append(part.ctype)

    def bulk(self, first: int, lines: list[bytes], part: Part) -> None:
        if self.wanted(part):
            self._part(part)
            self.got.extend((first + i, data, part.charset) for i, data in enumerate(lines))
            self.types.extend(part.ctype for _ in lines)


def text_lines(data: bytes, first: int, wanted: Callable[[Part], bool], unflow: bool = True) -> list[tuple[int, str]]:
    """Every body line of the parts ``wanted`` accepts, decoded with its part's charset, without line ends.

    format=flowed parts are un-flowed by RFC 3676 with quote depth (a soft break never joins lines of
    different depth), which keeps a reply's quotes apart; git's un-flowing, for patches, ignores depth. With
    ``unflow`` False they are left as sent (soft breaks and stuffing kept), as b4 reads a reply.
    """
    sink = _TextSink(wanted)
    walk(data, first, sink, unflow=False, nested=True)
    out: list[tuple[int, str]] = []
    runs = [*sink.flowed, (len(sink.got), False, False)]
    for (start, flowed, delsp), (end, _, _) in pairwise(runs):
        lines = decode_lines(sink.got[start:end])
        out.extend(unflow_quoted(lines, delsp) if flowed and unflow else lines)
    return out


def unflow_quoted(lines: list[tuple[int, str]], delsp: bool) -> list[tuple[int, str]]:
    """RFC 3676 section 4 on received text: quote depth, space-stuffing, soft breaks, DelSp, ``-- `` kept."""
    out: list[tuple[int, str]] = []
    held: tuple[int, int, str] | None = None  # (first line, depth, text so far)

    def flush() -> None:
        nonlocal held
        if held is not None:
            number, depth, text = held
            out.append((number, ">" * depth + (" " if depth else "") + text))
            held = None

    for number, line in lines:
        depth = len(line) - len(line.lstrip(">"))
        text = line[depth:]
        # Space-stuffing undone (RFC 3676 4.4), but not where the text begins with ">" at depth 0: the stuffing
        # says the sender wrote that ">" ("> NAK" of their own), which un-stuffed would read as a quote.
        text = text[1:] if text.startswith(" ") and (depth or not text.startswith(" >")) else text
        if held is not None and held[1] != depth:
            flush()
        if line == "-- ":
            flush()
            out.append((number, line))
            continue
        soft = text.endswith(" ")
        text = text[:-1] if soft and delsp else text
        held = (held[0], depth, held[2] + text) if held is not None else (number, depth, text)
        if not soft:
            flush()
    flush()
    return out


def _reply_part(part: Part) -> bool:
    """The parts a reviewer's text is read from: plain text and attached patches (never HTML)."""
    name = part.filename.lower()
    return part.ctype in ("text/plain", *_PATCH_TYPES) or name.endswith((".patch", ".diff"))


def body_lines(raw: RawMessage, unflow: bool = True) -> list[tuple[int, str]]:
    """A reply's text lines with their input line numbers: its plain-text parts and patch attachments (format=flowed
    ones left as sent where ``unflow`` is False: text_lines), a ``From `` line an mbox writer escaped read as written
    (unescaped_from)."""
    return unescaped_from(text_lines(raw.data, raw.where.line, _reply_part, unflow))


# A quote mark with no blank after it, whose text is not an escaped "From " line: a client quoting ">text".
_BARE_QUOTE = lazy(r"^>(?![ \t>]|From )")


def unescaped_from(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``lines`` with each ``>From `` line read as the ``From `` line its writer typed: mutt, Thunderbird and Python's
    mailbox write a body line starting ``From `` so in an mbox (mboxo: RFC 4155, the escape git am and b4 keep), and
    mail agents escape it on the way too; a reviewer's "From my side this is a NAK." was read as a quote, the NAK
    not the reply's (an unnamed sender's, its withdrawal unseen). Clients quote with "> "; a line beside one quoted
    with no blank (">text": a client that quotes so) stays a quote."""
    if not any(t.startswith(">From ") for _, t in lines):
        return lines
    out = list(lines)
    for i, (number, text) in enumerate(lines):
        if text.startswith(">From ") and not any(
                _BARE_QUOTE().match(lines[j][1]) for j in (i - 1, i + 1) if 0 <= j < len(lines)):
            out[i] = (number, text[1:])
    return out


# A part's charset, as Content-Type gives it: most mail is UTF-8 or ASCII, which git takes as it is.
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([^\s"';]+)""", re.I)


def unconvertible(raw: RawMessage) -> str | None:
    """The charset of a reply's text (its plain-text parts and patch attachments) that git cannot convert to UTF-8
    (mailinfo.c convert_to_utf8: "cannot convert from utf-16 to UTF-8", and git am stops), None when it converts: a
    UTF-16 reply was read byte by byte as UTF-8, its NAK unseen."""
    named = {c.decode("ascii", "replace") for c in _CHARSET.findall(raw.data)}
    if all(is_utf8_charset(c) or c.lower() in ("us-ascii", "ascii") for c in named):
        return None
    sink = _TextSink(_reply_part)
    walk(raw.data, raw.where.line, sink, unflow=False, nested=True)
    chunks: dict[str, list[bytes]] = {}
    for _, data, charset in sink.got:
        chunks.setdefault(charset, []).append(data)
    return next((c for c, data in chunks.items() if not _reads(b"".join(data), c)), None)


def _reads(data: bytes, charset: str) -> bool:
    """Whether a reply's text in ``charset`` is read: as git converts it, but text in a charset git does not know, or
    8-bit text called US-ASCII (a mailer's slip a reader sees through), is read as UTF-8 where it is valid UTF-8."""
    if knows_charset(charset) and charset_codec(charset) != "ascii":
        return convert_to_utf8(data, charset) is not None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def forwarded(raw: RawMessage) -> tuple[str, list[tuple[int, str]]] | None:
    """A message forwarded as an attachment (a message/rfc822 part, read as its own message): its sender as its From:
    names them ("" when it has none) and its text lines (its plain-text parts, decoded); None when there is none.
    Several forwarded read as one."""
    if _RFC822.search(raw.data) is None:  # most replies: not walked again, nor email.policy imported (8 ms)
        return None
    from email.parser import BytesHeaderParser
    from email.policy import default
    from email.utils import parseaddr

    sink = _TextSink(lambda part: part.ctype == "message/rfc822")
    walk(raw.data, raw.where.line, sink, unflow=False, nested=True)
    if not sink.got:
        return None
    inner = b"".join(data if data.endswith(b"\n") else data + b"\n" for _, data, _ in sink.got)
    name, address = parseaddr(str(BytesHeaderParser(policy=default).parsebytes(inner).get("From", "")))
    return name or address, text_lines(inner, sink.got[0][0], _reply_part)


def other_text_lines(raw: RawMessage) -> list[tuple[int, str]]:
    """A reply's other text parts' lines (text/markdown, text/enriched, ...): read when it has no plain text or HTML."""
    return text_lines(raw.data, raw.where.line, lambda part: part.ctype.startswith("text/")
                      and part.ctype != "text/html" and not _reply_part(part))


def unread_parts(raw: RawMessage) -> tuple[str, ...]:
    """The content types of a reply's parts that hold something but are no text (multipart/encrypted's
    application/octet-stream, an image; a signature holds no words): read when it has no text at all."""
    sink = _TextSink(lambda part: part.ctype not in _SIGNATURES)
    walk(raw.data, raw.where.line, sink, unflow=False, nested=True)
    return tuple(dict.fromkeys(ctype for ctype, data in zip(sink.types, (d for _, d, _ in sink.got), strict=True)
                               if data.strip()))


def html_body_lines(raw: RawMessage) -> list[tuple[int, str]]:
    """A reply's HTML parts' decoded lines with their input line numbers (read when it has no plain text)."""
    return text_lines(raw.data, raw.where.line, lambda part: part.ctype == "text/html")


def _msgids(value: str | None) -> tuple[str, ...]:
    return tuple(_MSGID.findall(value or "")) or ((value.strip(),) if value and value.strip() else ())


def mail_of(raw: RawMessage, info: MailInfo) -> Mail:
    """Header facts; author as git am takes it; a missing Message-ID gets one derived from the content."""
    ids = _msgids(raw.header("Message-ID"))
    if ids:
        msgid = ids[0]
    else:
        import hashlib  # here: it loads OpenSSL, 5 ms of a start, and nearly every mail has its Message-ID

        msgid = "sha1-" + hashlib.sha1(raw.data).hexdigest()[:16] + "@missing"
    parent = _msgids(raw.header("In-Reply-To"))
    name, email = without_crud(info.author), without_crud(info.email)  # as git's commit stores them
    return Mail(
        msgid=msgid,
        subject=parse_subject(info.header_subject),
        author=name or email or "unknown",
        author_email=email,
        # git am's author date: an in-body "Date:" (git send-email for another author) wins over the header.
        date=info.date if info.date != fold_space(raw.header("Date")) else raw.header("Date"),
        in_reply_to=parent[0] if parent else None,
        references=_msgids(raw.header("References")),
        where=Where(raw.where.path, raw.where.line, msgid),
        msgid_given=bool(ids),
        original_from=_original_from(raw, info),
        subject_where=subject_where(raw, msgid),
    )


def _original_from(raw: RawMessage, info: MailInfo) -> str:
    """The original sender a list that rewrote From: names ("X via list <list@...>", its X-Original-From: or
    Reply-To: at another address); "" for any other mail."""
    if not LIST_REWRITTEN.search(info.author or ""):
        return ""
    for name in ("X-Original-From", "Reply-To"):
        said = fold_space(raw.header(name))
        if "@" in said and info.email.lower() not in said.lower():
            return said
    return ""


def _block_version(m: re.Match[str], own: int | None) -> int:
    """The revision a changelog heading's changes went into: ``v3:`` and ``Changes in v3:`` 3, ``v2->v3:`` and
    ``Changes from v2 to v3:`` 3 (the later one), ``Changes since v2:`` (or ``from v2:``) the revision of the mail
    it is in (what it changed since v2), or 3 when that is not known."""
    if m.group(3):
        return int(m.group(3))
    if (m.group(1) or "").lower() in ("since", "from"):
        return own if own is not None and own > int(m.group(2)) else int(m.group(2)) + 1
    return int(m.group(2))


def _changelog(notes: list[str], own: int | None = None, cover: bool = False) -> tuple[ChangelogBlock, ...]:
    """The changelog blocks of the notes below ``---``. In a cover letter (``cover``) a ``---`` line ends the block it
    is in and what follows up to the next heading is none: b4 send writes the shortlog, the diffstat, its
    ``base-commit:``/``change-id:``/``prerequisite-patch-id:`` lines and the signature there, below "Changes in vN:"."""
    blocks: list[ChangelogBlock] = []
    version: int | None = None
    current: list[str] = []
    skipping = False
    for line in notes:
        if line == _RULE:
            if cover and current and any(c.strip() for c in current):
                blocks.append(ChangelogBlock(version, tuple(current)))
            skipping, current = skipping or cover, [] if cover else current
            continue
        m = _CHANGELOG.match(line)
        if m and not line.startswith((" ", "\t", "-", "*")):
            if current and any(c.strip() for c in current):
                blocks.append(ChangelogBlock(version, tuple(current)))
            version, current = _block_version(m, own), [m.group(4)] if m.group(4).strip() else []
            skipping = False
            continue
        if not skipping:
            current.append(line)
    if current and any(c.strip() for c in current):
        blocks.append(ChangelogBlock(version, tuple(c for c in current)))
    return tuple(
        ChangelogBlock(b.version, tuple(x.rstrip() for x in b.lines if x.strip())) for b in blocks
    )


def _cover_changelog(body: list[str], own: int | None = None) -> tuple[ChangelogBlock, ...]:
    """A cover letter's changelog, written in its body (no ``---`` before it): blocks under a heading line
    of their own (``Changes in v4:``, ``v2->v3:``, ``v3:``), each running over its items (indented or
    ``-``/``*`` lines, blank lines between them) up to the next paragraph of prose (the series' story, the
    shortlog's ``Name (4):``). A heading must end in ``:``, so prose that names a revision ("v2 of this
    series") is not one. ``version``: as in a patch's notes, the revision the changes went into (_block_version)."""
    blocks: list[ChangelogBlock] = []
    version: int | None = None
    current: list[str] = []
    for line in body:
        m = _CHANGELOG.match(line)
        heading = m is not None and not line.startswith((" ", "\t", "-", "*")) and line.rstrip().endswith(":")
        if version is not None and (heading or (line.strip() and not line.startswith((" ", "\t", "-", "*")))):
            if any(c.strip() for c in current):
                blocks.append(ChangelogBlock(version, tuple(c.rstrip() for c in current if c.strip())))
            version, current = None, []
        if heading and m is not None:
            version = _block_version(m, own)
        elif version is not None:
            current.append(line)
    if version is not None and any(c.strip() for c in current):
        blocks.append(ChangelogBlock(version, tuple(c.rstrip() for c in current if c.strip())))
    return tuple(blocks)


# format-patch's heading of a range-diff or interdiff below a lone patch's '---' (builtin/log.c: "Range-diff against
# v%d:" with -vN, "Range-diff:" without): what changed since an earlier revision of the patch.
_AGAINST = re.compile(r"^(?:Range-diff|Interdiff)(?: against v(\d+))?:\s*$")


def notes_revision(info: MailInfo) -> int | None:
    """The latest revision a patch's notes below ``---`` say it is, None where they say none: a changelog heading
    whose revision a ':' follows ("v2: ...", "Changes in v2:", "v1 -> v2:", "Changes since v1:" 2), format-patch's
    "Range-diff against v1:" (2; at least 2 where its heading names no revision: "Range-diff:", "Interdiff:")."""
    said: int | None = None
    for line in (t for _, t in diff_lines(info)[0] if t.rstrip() != "---"):
        if (m := _AGAINST.match(line)) is not None:
            said = max(said or 0, int(m.group(1) or 0) + 1, 2)
        elif line[:1] not in (" ", "\t", "-", "*") and (m := _CHANGELOG.match(line)) is not None \
                and line[m.end(3 if m.group(3) else 2):].lstrip().startswith(":"):
            said = max(said or 0, _block_version(m, None))
    return said


def cover_revision(info: MailInfo) -> int | None:
    """The latest revision a cover letter's changelog names (its body's headings and those below ``---``, as
    patch_of reads them: "Changes in v3:" 3, "Changes since v1:" 2), None where it names none."""
    notes = [t for _, t in diff_lines(info)[0]]
    if notes and notes[0].rstrip() == "---":
        notes = notes[1:]
    blocks = _cover_changelog([t.rstrip("\r\n") for _, t in info.log]) + _changelog(_split_notes(notes)[0], cover=True)
    return max((b.version for b in blocks if b.version is not None), default=None)


def _split_notes(after: list[str]) -> tuple[list[str], list[str]]:
    """Split what follows ``---`` into free notes and diffstat lines."""
    notes: list[str] = []
    stat: list[str] = []
    for line in after:
        if _DIFFSTAT.match(line) or _DIFFSTAT_SUMMARY.match(line) or (stat and line.startswith(" create mode")):
            stat.append(line)
        elif line.strip() == "---":
            notes, stat = notes + stat + [_RULE], []
        elif not stat:
            notes.append(line)
    return notes, stat


def diff_lines(info: MailInfo) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The patch part split at its first diff header: (notes and diffstat as text, the diff losslessly).

    The diff keeps the exact bytes git apply would read (UTF-8 with undecodable bytes kept as
    surrogate escapes, so blob ids come out right whatever the charset).
    """
    texts = [ln.decode("utf-8", "surrogateescape") for _, ln in info.patch]
    start = diff_start_line(texts)
    cut = len(texts) if start is None else start
    notes = [(n, to_text(ln, info.charset).rstrip("\r\n")) for n, ln in info.patch[:cut]]
    diff = [(n, texts[i]) for i, (n, _) in enumerate(info.patch) if i >= cut]
    return notes, diff


# Why a hunk of a format=flowed mail may be corrupt: mailinfo.c handle_filter_flowed un-flows it before git apply reads.
_FLOWED = ("; the mail is format=flowed, and git am, as read here, joins each line that ends in a space to the next "
           "(its warning: 'Patch sent with format=flowed; space at the end of lines might be lost')")


def _header_line(raw: RawMessage, info: MailInfo, msgid: str, key: bytes) -> Where:
    """Where what git am takes from header ``key`` (``b"from:"``, ``b"date:"``) is written: the last such line
    before the commit message (an in-body one follows the header), or the message's first line when none is seen
    (one inside a base64 body)."""
    first = info.log[0][0] if info.log else info.patch[0][0] if info.patch else raw.body_line
    named = _lines_named(raw, first, key)
    return Where(raw.where.path, named[-1] if named else raw.where.line, msgid)


def _lines_named(raw: RawMessage, upto: int, key: bytes) -> list[int]:
    """The input file's lines before line ``upto`` that start with header name ``key`` (``b"subject:"``)."""
    count = max(0, upto - raw.where.line)
    return [raw.where.line + k for k, ln in enumerate(raw.data.split(b"\n", count)[:count])
            if ln[:len(key)].lower() == key]


def subject_where(raw: RawMessage, msgid: str) -> Where:
    """Where the top-level Subject: header starts, the last one where there are two, as git mailinfo takes it (the
    subject Mail.subject is read from: mailinfo.c keeps the header it meets last); the message's first line when it
    has none."""
    named = _lines_named(raw, raw.body_line, b"subject:")
    return Where(raw.where.path, named[-1] if named else raw.where.line, msgid)


def date_stop(raw: RawMessage, info: MailInfo, msgid: str) -> Skipped | None:
    """A note at the Date: line (the header's, or the in-body one git am takes) of a patch whose date git cannot
    read, where git am stops ("invalid date format", ident.c fmt_ident): the patch is read and applied as
    ``git am --ignore-date`` commits it, and a gate judging a state that applies it does not pass. None for any
    other message: a date git reads, none at all (git am takes the time of the commit), or a mail with no diff."""
    why = date_refusal(info.date)
    if why is None or diff_start_line([ln.decode("utf-8", "replace") for _, ln in info.patch]) is None:
        return None
    return Skipped(_header_line(raw, info, msgid, b"date:"), f"git am stops here: '{why}' (git's date.c finds no "
                   "year 1970-2099, month and time of day in it): read as git am --ignore-date commits it, its date "
                   "unused", stops_am=True)


def patch_of(raw: RawMessage, mail: Mail, info: MailInfo) -> Patch:
    """A patch or cover letter: commit message, trailers, changelog, diffstat and parsed diff."""
    notes, diff = diff_lines(info)
    after = [t for _, t in notes]
    if after and after[0].rstrip() == "---":
        after = after[1:]
    notes_text, stat = _split_notes(after)
    files: tuple[PatchedFile, ...] = ()
    body = "".join(t for _, t in diff)
    if diff:
        try:
            files = parse_diff(body, Where(raw.where.path, diff[0][0], mail.msgid),
                               tuple(n for n, _ in diff))
        except InputError as exc:
            if not info.flowed or "corrupt patch" not in exc.message:
                raise
            raise InputError(exc.where, exc.message + _FLOWED) from exc
        if info.flowed:
            files = tuple(replace(f, flowed=True) for f in files)
    if files and (why := ident_refusal(info.author, info.email)) is not None:
        raise InputError(_header_line(raw, info, mail.msgid, b"from:"), f"the patch's author is no one git commits: "
                         f"{why} (git am stops here: ident.c)")
    text = "\n".join([*(t for _, t in info.log), *(t for _, t in notes), *(t.rstrip("\r\n") for _, t in diff)])
    base = _BASE.search(text)
    if info.subject != info.header_subject and info.patch:
        mail = replace(mail, subject=replace(mail.subject, title=parse_subject(info.subject).title),
                       subject_where=_header_line(raw, info, mail.msgid, b"subject:"))
    own = [(n, t) for n, t in info.log if mail.subject.number != 0 or not _BASE_INFO.match(t)]
    message, trailers = commit_message(info.log), commit_trailers(own, mail.where)
    if not mail.subject.title and mail.subject.number != 0:
        # No subject past its tags (none at all, "[PATCH v2 1/1]"): git am commits "\n\n" + message, whose first
        # paragraph becomes the commit's title (stripspace; git log's %s joins its lines with a space).
        title, _, message = message.partition("\n\n")
        mail = replace(mail, subject=replace(mail.subject, title=title.replace("\n", " ")))
        trailers = trailers if message else ()  # a lone paragraph of trailers is the title, no trailer
    return Patch(
        mail=mail,
        message=message,
        trailers=trailers,
        changelog=_changelog(notes_text, mail.subject.version) if mail.subject.number else
        _cover_changelog([t.rstrip("\r\n") for _, t in info.log], mail.subject.version)
        + _changelog(notes_text, mail.subject.version, cover=True),
        diffstat=tuple(s.rstrip() for s in stat),
        files=files,
        base_commit=base.group(1) if base else None,
        prerequisites=tuple(_PREREQUISITE.findall(text)),
        diff=body,
        above_diff="".join(f"{t}\n" for _, t in (*info.log, *notes)),
    )
