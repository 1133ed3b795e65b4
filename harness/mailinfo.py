"""A message's body read as git mailinfo reads it: MIME parts, transfer encodings, format=flowed, in-body headers.

The rules are those of git's mailinfo.c (as ``git am`` runs it: UTF-8 output, no scissors, in-body
headers on), re-expressed here and in harness.mailwalk: headers are RFC 2047-decoded; each line is
transfer-decoded (base64 and quoted-printable line by line, partial lines carried over); ``format=flowed``
parts are un-flowed (RFC 3676 soft breaks and space-stuffing, ``DelSp=yes``, the ``-- `` separator kept);
the commit message ends at the first patch break (``---``, ``diff -``, ``Index: ``, ``--- <name>``) and is
converted from the part's charset, while everything after it is kept as raw bytes, whatever the
declared charset. Every line keeps the number of the input line it starts on.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace

from harness.amreading import QuotedCr
from harness.mailwalk import Part, Sink, walk
from harness.mimedecode import (
    GIT_SPACE,
    convert_to_utf8,
    decode_header,
    first_unconverted,
    fold_space,
    header_key,
    header_value,
    parse_from,
    to_text,
    value_after,
)
from models.lazyre import lazy
from models.record import record

_FORMAT_PATCH_SEPARATOR = lazy(rb"^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n?$")
_INBODY = ("From", "Subject", "Date")
_INBODY_KEYS = {name.lower().encode() + b":": name for name in _INBODY}
_GIT_BLANKS = (b" ", b"\t", b"\n", b"\r")
# git's isspace is " \t\n\r" only (never \v or \f): "---\v" is no break, "--- \vname" is one. "--- " without a
# line end (flowed text's soft break flushed before a "-- " line or at the end) is one too: git reads the string's
# terminating NUL as a file name's first byte (mailinfo.c patchbreak).
_PATCHBREAK = re.compile(rb"^(?:diff -|Index: |--- (?:[^ \t\n\r]|\Z)|---[ \t\r]*\n)", re.M)


def _patchbreak(line: bytes) -> bool:
    """Where the commit message ends and the patch begins (git mailinfo's patchbreak)."""
    return _PATCHBREAK.match(line) is not None


@record
class MailInfo:
    """What ``git mailinfo`` (as run by ``git am``) takes from one message.

    ``author``/``email``/``subject``/``date`` are what the commit gets (an in-body ``From:``,
    ``Subject:``, ``Date:`` or ``[PATCH]`` line wins when the message has a patch); ``subject`` is not
    yet stripped of ``[PATCH ...]``; ``header_subject`` is the message's own Subject header. ``log``
    holds the commit message lines as text with their input line numbers; ``patch`` everything from
    the patch break on, as raw bytes with line ends.
    """

    author: str
    email: str
    subject: str
    header_subject: str
    date: str
    log: tuple[tuple[int, str], ...]
    patch: tuple[tuple[int, bytes], ...]
    charset: str
    flowed: bool
    # The first body line that reaches mailinfo ending in CR LF (decoded so, or left by mailsplit): git am warns
    # "quoted CRLF detected" and keeps the CR (mailinfo.quotedCr's default, warn), so its hunks may not apply.
    quoted_cr: int | None = None
    # The first commit message line git mailinfo cannot convert to UTF-8, and its charset: git am stops there.
    unconverted: tuple[int, str] | None = None


class _GitSink(Sink):
    """git mailinfo's handle_filter: in-body headers, the commit message, then the patch as a byte stream."""

    def __init__(self) -> None:
        self.top: dict[str, str] = {}
        self.inbody: dict[str, str] = {}
        self.header_stage = True
        self.accum: bytes = b""
        self.log: list[tuple[int, bytes, str]] = []
        self.patch: list[tuple[int, bytes]] = []
        self.charset = ""
        self.flowed = False
        self.first_quoted_cr: int | None = None
        self.broke: list[tuple[int, bytes, str]] = []  # the patch break line, converted as the message's are

    def quoted_cr(self, number: int) -> None:
        if self.first_quoted_cr is None:
            self.first_quoted_cr = number

    def header(self, line: bytes, top: bool) -> None:
        key = header_key(line)
        if (name := _INBODY_KEYS.get(key)) is not None and (top or name not in self.top):
            self.top[name] = decode_header(value_after(line, key))

    def _flush(self) -> None:
        if self.accum:
            for name in _INBODY:
                if (value := header_value(self.accum, name)) is not None:
                    self.inbody.setdefault(name, decode_header(value.rstrip(b"\n")))
                    break
            self.accum = b""

    def _inbody(self, line: bytes) -> bool:
        if self.accum and line[:1] in (b" ", b"\t"):
            self.accum = self.accum.rstrip(b"\n") + line
            return True
        self._flush()
        # git's isspace: " \t\n\r" only, never \v or \f (as everywhere in mailinfo.c).
        if line.startswith(b">From") and line[5:6] in _GIT_BLANKS:
            return _FORMAT_PATCH_SEPARATOR().match(line[1:]) is not None
        if line.startswith(b"[PATCH]") and line[7:8] in _GIT_BLANKS:
            self.inbody["Subject"] = to_text(line.rstrip(b"\n"), "utf-8")
            return True
        if any(n not in self.inbody and header_value(line, n) is not None for n in _INBODY):
            self.accum = line
            return True
        return False

    def line(self, number: int, data: bytes, part: Part) -> None:
        if self.patch:
            self.patch.append((number, data))
            return
        if self.header_stage and data in (b"", b"\n"):
            if self.accum:
                self._flush()
                self.header_stage = False
            return
        if self.header_stage:
            self.header_stage = self._inbody(data)
            if self.header_stage:
                return
        # Patch breaks are ASCII, so they are found before the charset conversion git does first.
        if _patchbreak(data):
            self.charset, self.flowed = part.charset, part.flowed
            # git converts this one line of the patch as it converts the commit message: UTF-8 (or no
            # charset) as it is, invalid bytes too; a line it cannot convert stops git am, kept here.
            converted = convert_to_utf8(data, part.charset)
            self.patch.append((number, data if converted is None else converted))
            self.broke = [(number, data, part.charset)]
            return
        self.log.append((number, data, part.charset))

    def bulk(self, first: int, lines: list[bytes], part: Part) -> None:
        i = 0
        while i < len(lines) and not self.patch and (self.header_stage or self.accum):
            self.line(first + i, lines[i], part)
            i += 1
        if not self.patch and i < len(lines):
            # The commit message runs up to the first patch break: one search instead of a test per line.
            rest = b"".join(lines[i:])
            m = _PATCHBREAK.search(rest)
            cut = len(lines) if m is None else i + rest.count(b"\n", 0, m.start())
            self.log.extend(zip(range(first + i, first + cut), lines[i:cut], [part.charset] * (cut - i), strict=True))
            i = cut
            if i < len(lines):
                self.line(first + i, lines[i], part)
                i += 1
        self.patch.extend(zip(range(first + i, first + len(lines)), lines[i:], strict=True))

    def result(self, top: Part) -> MailInfo:
        self._flush()
        fields = {**self.top, **(self.inbody if self.patch else {})}
        name, email = parse_from(fold_space(fields.get("From", "")))
        return MailInfo(
            author=name, email=email, subject=fields.get("Subject", ""),
            header_subject=self.top.get("Subject", ""), date=fold_space(fields.get("Date", "")),
            log=tuple(decode_lines(self.log)), patch=tuple(_restream(self.patch)),
            charset=self.charset or top.charset, flowed=self.flowed or top.flowed, quoted_cr=self.first_quoted_cr,
            unconverted=first_unconverted(self.log + self.broke),
        )


def _restream(chunks: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """Chunks re-cut into lines as the byte stream git writes them: a chunk without a line end runs on."""
    if all(data.endswith(b"\n") for _, data in chunks[:-1]):
        return chunks
    out: list[tuple[int, bytes]] = []
    pending: tuple[int, bytes] | None = None
    for number, data in chunks:
        if pending is not None:
            number, data = pending[0], pending[1] + data
            pending = None
        if data.endswith(b"\n"):
            out.append((number, data))
        else:
            pending = (number, data)
    if pending is not None:
        out.append(pending)
    return out


def decode_lines(chunks: list[tuple[int, bytes, str]]) -> list[tuple[int, str]]:
    """(number, bytes, charset) chunks as text lines without line ends, each run of one charset decoded at once."""
    merged = chunks
    if not all(d.endswith(b"\n") for _, d, _ in chunks[:-1]):
        merged = []
        for number, data, charset in chunks:
            if merged and not merged[-1][1].endswith(b"\n"):
                number, data, charset = merged[-1][0], merged[-1][1] + data, merged.pop()[2]
            merged.append((number, data, charset))
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(merged):
        j = i + 1
        while j < len(merged) and merged[j][2] == merged[i][2]:
            j += 1
        texts = to_text(b"".join([d for _, d, _ in merged[i:j]]), merged[i][2]).split("\n")
        if merged[j - 1][1].endswith(b"\n"):
            texts.pop()
        if len(texts) != j - i:  # a charset whose bytes are not line-aligned: one line at a time
            texts = [to_text(d, c).rstrip("\n") for _, d, c in merged[i:j]]
        out.extend(zip([n for n, _, _ in merged[i:j]], [t[:-1] if t.endswith("\r") else t for t in texts],
                       strict=True))
        i = j
    return out


def commit_message(log: tuple[tuple[int, str], ...]) -> str:
    """The commit message body ``git am`` commits of a mail's log lines (builtin/am.c runs strbuf_stripspace):
    each line without trailing blanks (git's: space, tab, CR, LF), runs of empty lines made one, none at
    either end; comment-like ``#`` lines kept. Lines joined with LF, no final newline."""
    out: list[str] = []
    blank = False
    for _, text in log:
        line = text.rstrip(GIT_SPACE)
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


def mailinfo(data: bytes, first: int, quoted_cr: QuotedCr = QuotedCr.WARN, budget: int = sys.maxsize) -> MailInfo:
    """Read one message (bytes as ``RawMessage.data``, first line numbered ``first``) the way git am does, with
    ``--quoted-cr`` as given (git warns only with warn). Raises TooManyLines past ``budget`` body lines."""
    sink = _GitSink()
    info = sink.result(walk(data, first, sink, strip_cr=quoted_cr is QuotedCr.STRIP, budget=budget))
    return info if quoted_cr is QuotedCr.WARN else replace(info, quoted_cr=None)
