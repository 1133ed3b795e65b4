"""A message's body read as git mailinfo reads it: MIME parts, transfer encodings, format=flowed, in-body headers.

The rules are those of git's mailinfo.c (as ``git am`` runs it: UTF-8 output, no scissors, in-body
headers on), re-expressed here: headers are RFC 2047-decoded; each line is transfer-decoded (base64 and
quoted-printable line by line, partial lines carried over); ``format=flowed`` parts are un-flowed
(RFC 3676 soft breaks and space-stuffing, ``DelSp=yes``, the ``-- `` separator kept); the commit
message ends at the first patch break (``---``, ``diff -``, ``Index: ``, ``--- <name>``) and is
converted from the part's charset, while everything after it is kept as raw bytes, whatever the
declared charset. Every line keeps the number of the input line it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from harness.amreading import QuotedCr
from harness.mimedecode import (
    GIT_SPACE,
    convert_to_utf8,
    decode_base64_line,
    decode_header,
    decode_qp_line,
    first_unconverted,
    fold_space,
    header_attr,
    header_key,
    header_value,
    parse_from,
    to_text,
    value_after,
)
from models.record import record

_HEADER_NAME = re.compile(rb"^[!-9;-~]*:")
_FORMAT_PATCH_SEPARATOR = re.compile(rb"^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n?$")
_INBODY = ("From", "Subject", "Date")
_INBODY_KEYS = {name.lower().encode() + b":": name for name in _INBODY}
_GIT_BLANKS = (b" ", b"\t", b"\n", b"\r")
# git's isspace is " \t\n\r" only (never \v or \f): "---\v" is no break, "--- \vname" is one. "--- " without a
# line end (flowed text's soft break flushed before a "-- " line or at the end) is one too: git reads the string's
# terminating NUL as a file name's first byte (mailinfo.c patchbreak).
_PATCHBREAK = re.compile(rb"^(?:diff -|Index: |--- (?:[^ \t\n\r]|\Z)|---[ \t\r]*\n)", re.M)


@dataclass
class Part:
    """What the current MIME part's headers said."""

    ctype: str = "text/plain"
    charset: str = ""
    encoding: str = ""
    flowed: bool = False
    delsp: bool = False
    filename: str = ""


def split_lines(data: bytes) -> list[bytes]:
    """Lines at ``\\n`` only (a lone CR is data), each with its line end; the last may have none."""
    if b"\r" not in data:
        return data.splitlines(keepends=True)
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


class _Reader:
    """The message's lines (each with its line end) and a cursor, numbered as in the input file."""

    def __init__(self, data: bytes, first: int) -> None:
        self.lines = split_lines(data)
        self.first = first
        self.i = 0
        self.crlf = b"\r\n" in data  # mailsplit left a CR LF: git am --keep-cr, or one CR more than it drops

    def next(self) -> tuple[int, bytes] | None:
        if self.i >= len(self.lines):
            return None
        self.i += 1
        return self.first + self.i - 1, self.lines[self.i - 1]

    def header(self) -> tuple[int, bytes, bool]:
        """One header line with its folded continuations (git's read_one_header_line); False at its end."""
        got = self.next()
        if got is None:
            return 0, b"", False
        number, line = got
        text = line.rstrip(b" \t\n\r")  # git's strbuf_rtrim: its isspace, never \v or \f
        if not text or not (text.startswith((b"From ", b">From ")) or _HEADER_NAME.match(text)):
            return number, text + b"\n", False
        folded = [text]  # joined once: adding line by line is quadratic in a header folded many times
        while self.i < len(self.lines) and self.lines[self.i][:1] in (b" ", b"\t"):
            folded.append(self.lines[self.i][1:].rstrip(b" \t\n\r"))
            self.i += 1
        return number, b" ".join(folded), True


class Sink:
    """Where body lines go: one at a time, or a run of plain lines of one part at once (the fast path)."""

    def line(self, number: int, data: bytes, part: Part) -> None:
        raise NotImplementedError

    def bulk(self, first: int, lines: list[bytes], part: Part) -> None:
        for i, data in enumerate(lines):
            self.line(first + i, data, part)

    def header(self, line: bytes, top: bool) -> None:
        """A header other than the MIME ones, of the message (``top``) or of a part."""

    def quoted_cr(self, number: int) -> None:
        """A line decoded from base64 or quoted-printable (not flowed) that ends in CR LF (git: have_quoted_cr)."""


@dataclass
class _Walker:
    """git mailinfo's handle_body: boundaries, part headers, transfer decoding, flowed text, to a sink."""

    reader: _Reader
    sink: Sink
    part: Part = field(default_factory=Part)
    boundaries: list[bytes] = field(default_factory=list)
    prev: bytearray = field(default_factory=bytearray)
    prev_line: int = 0
    unflow: bool = True  # git's un-flowing here; False leaves flowed text to the sink (replies)
    strip_cr: bool = False  # mailinfo.quotedCr=strip: a CR before a line end dropped

    def header(self, line: bytes, top: bool) -> None:
        """Content-Type / Content-Transfer-Encoding / Content-Disposition of the message or a part."""
        key = header_key(line)
        if key == b"content-type:":
            value = value_after(line, key)
            if b"=?" in value:  # encoded words decoded; raw 8-bit bytes (a boundary too) stay as git keeps them
                value = decode_header(value).encode("utf-8", "surrogateescape")
            self.part.ctype = value.split(b";", 1)[0].strip().lower().decode("ascii", "replace")
            self.part.flowed = (header_attr(value, b"format=") or b"").lower() == b"flowed"
            self.part.delsp = (header_attr(value, b"delsp=") or b"").lower() == b"yes"
            if (boundary := header_attr(value, b"boundary=")) is not None and len(self.boundaries) < 4:
                self.boundaries.append(b"--" + boundary)
            self.part.charset = (header_attr(value, b"charset=") or b"").decode("ascii", "replace")
            if (name := header_attr(value, b"name=")) is not None:
                self.part.filename = name.decode("utf-8", "replace")
        elif key == b"content-transfer-encoding:":
            low = value_after(line, key).lower()
            self.part.encoding = "base64" if b"base64" in low else "qp" if b"quoted-printable" in low else ""
        elif key == b"content-disposition:":
            if (name := header_attr(value_after(line, key), b"filename=")) is not None:
                self.part.filename = name.decode("utf-8", "replace")
        else:
            self.sink.header(line, top)

    def _is_boundary(self, line: bytes) -> bool:
        return bool(self.boundaries) and line.startswith(self.boundaries[-1])

    def _find_boundary(self) -> tuple[int, bytes] | None:
        while (got := self.reader.next()) is not None:
            if self._is_boundary(got[1]):
                return got
        return None

    def _boundary(self, got: tuple[int, bytes]) -> tuple[int, bytes] | None:
        """At a boundary line: the first body line of the next part, or None at the end."""
        newline = b"\n"
        while got[1].rstrip(b"\r\n").startswith(self.boundaries[-1] + b"--"):
            self.boundaries.pop()
            # git's handle_boundary hands on one newline per chain of end boundaries (it releases the buffer
            # after the first): the end of a nested part right before its parent's end adds an empty line.
            self._emit(got[0], newline)
            newline = b""
            if not self.boundaries or (found := self._find_boundary()) is None:
                return None
            got = found
        self.part = Part(flowed=self.part.flowed, delsp=self.part.delsp)
        while True:
            _, line, more = self.reader.header()
            if not more:
                break
            self.header(line, False)
        nxt = self.reader.next()
        if nxt is None:
            return None
        return nxt[0], nxt[1] if nxt[1].endswith(b"\n") else nxt[1] + b"\n"

    def run(self, first: tuple[int, bytes]) -> None:
        got: tuple[int, bytes] | None = first
        if self.boundaries:
            got = self._find_boundary()
        while got is not None:
            plain = not self.part.flowed or not self.unflow
            if not self.boundaries and plain and self.part.encoding not in ("base64", "qp"):
                # Nothing can change any more: the rest of the message goes as it is.
                rest = self.reader.lines[self.reader.i :]
                self.reader.i = len(self.reader.lines)
                lines = [got[1], *rest]
                self.sink.bulk(got[0], self._quoted_crs(got[0], lines) if self.reader.crlf else lines, self.part)
                break
            if self._is_boundary(got[1]):
                if self.prev:
                    self._flush_prev()
                got = self._boundary(got)
                if got is None:
                    break
            number, line = got
            if self.part.encoding in ("base64", "qp"):
                decoded = decode_base64_line(line) if self.part.encoding == "base64" else decode_qp_line(line)
                if not self.prev:
                    self.prev_line = number
                if b"\n" not in decoded:  # a soft line break: the line goes on (not split again: a 5 MB line
                    self.prev += decoded  # in 76-byte pieces was quadratic, minutes)
                    got = self.reader.next()
                    continue
                buf, start = bytes(self.prev) + decoded, self.prev_line
                self.prev.clear()
                pieces = split_lines(buf)
                for k, piece in enumerate(pieces):
                    if k == len(pieces) - 1 and not piece.endswith(b"\n"):
                        if not self.prev:
                            self.prev_line = start
                        self.prev += piece
                        break
                    self._flowed(start, piece)
                    start = number
            else:
                self._flowed(number, line)
            got = self.reader.next()
        if self.prev:
            self._flush_prev()

    def _quoted_crs(self, first: int, lines: list[bytes]) -> list[bytes]:
        """Plain lines as git's handle_filter_flowed passes them on: one ending in CR LF (kept by git am --keep-cr, or
        a CR CR LF of the mail) is a quoted CR, said at the first, dropped under mailinfo.quotedCr=strip."""
        at = next((i for i, ln in enumerate(lines) if ln.endswith(b"\r\n")), None)
        if at is None:
            return lines
        self.sink.quoted_cr(first + at)
        return [ln[:-2] + b"\n" if ln.endswith(b"\r\n") else ln for ln in lines] if self.strip_cr else lines

    def _flush_prev(self) -> None:
        self._emit(self.prev_line, bytes(self.prev))
        self.prev.clear()

    def _emit(self, number: int, data: bytes) -> None:
        self.sink.line(number, data, self.part)

    def _flowed(self, number: int, line: bytes) -> None:
        """git's handle_filter_flowed: un-stuff, hold soft-broken lines, keep ``-- `` as it is."""
        if not self.part.flowed or not self.unflow:
            if not self.part.flowed and line.endswith(b"\r\n"):  # a decoded line, or any under am --keep-cr
                self.sink.quoted_cr(number)
                line = line[:-2] + b"\n" if self.strip_cr else line
            self._emit(number, line)
            return
        end = len(line)
        if line.endswith(b"\n"):
            end -= 1
            if end and line[end - 1 : end] == b"\r":
                end -= 1
        if line[:end] == b"-- ":
            if self.prev:
                self._flush_prev()
            self._emit(number, line)
            return
        if end and line[:1] == b" ":
            line, end = line[1:], end - 1
        if end and line[end - 1 : end] == b" ":
            if not self.prev:
                self.prev_line = number
            self.prev += line[: end - (1 if self.part.delsp else 0)]
            return
        if self.prev:
            number, line = self.prev_line, bytes(self.prev) + line
            self.prev.clear()
        self._emit(number, line)


def walk(data: bytes, first: int, sink: Sink, unflow: bool = True, strip_cr: bool = False) -> Part:
    """Read a message's headers (each non-MIME one to ``sink.header(line, True)``), then its body lines into ``sink``.

    Returns the top-level part's facts. ``first`` is the input line number of ``data``'s first line.
    """
    reader = _Reader(data, first)
    while reader.i < len(reader.lines) and not reader.lines[reader.i].strip():
        reader.i += 1
    walker = _Walker(reader, sink, unflow=unflow, strip_cr=strip_cr)
    number, line = 0, b""
    while True:
        number, line, more = reader.header()
        if not more:
            break
        walker.header(line, True)
    top = Part(**vars(walker.part))
    if number:
        walker.run((number, line))
    return top


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
            return _FORMAT_PATCH_SEPARATOR.match(line[1:]) is not None
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


def mailinfo(data: bytes, first: int, quoted_cr: QuotedCr = QuotedCr.WARN) -> MailInfo:
    """Read one message (bytes as ``RawMessage.data``, first line numbered ``first``) the way git am does, with
    ``--quoted-cr`` as given (git warns only with warn)."""
    sink = _GitSink()
    info = sink.result(walk(data, first, sink, strip_cr=quoted_cr is QuotedCr.STRIP))
    return info if quoted_cr is QuotedCr.WARN else replace(info, quoted_cr=None)
