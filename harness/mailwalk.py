"""A message walked as git mailinfo's handle_body walks it: headers, MIME parts, transfer encodings, format=flowed."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field

from harness.mimedecode import (
    decode_base64_line,
    decode_header,
    decode_qp_line,
    header_attr,
    header_key,
    value_after,
)

_HEADER_NAME = re.compile(rb"^[!-9;-~]*:")


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


class TooManyLines(Exception):
    """More body lines than the walk's budget (base64 or quoted-printable decodes to some 28 a line): ``number``, the
    input line of the first past it."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


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
    # A multipart part's first boundary right after its headers (Gmail's multipart/alternative inside
    # multipart/mixed) opens its first part, as a MIME parser (b4's, Python's email) reads it; git mailinfo takes that
    # line and the part's headers for text of the multipart part. True for replies, whose text is read by part type.
    nested: bool = False
    budget: int = sys.maxsize  # body lines handed to the sink before TooManyLines

    def _spend(self, number: int, lines: int) -> None:
        """``lines`` lines from input line ``number`` on are handed on."""
        self.budget -= lines
        if self.budget < 0:
            raise TooManyLines(number + lines + self.budget)  # the first past it (a run of plain lines is one input's)

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
                self._spend(got[0], len(lines))
                self.sink.bulk(got[0], self._quoted_crs(got[0], lines) if self.reader.crlf else lines, self.part)
                break
            if self._is_boundary(got[1]):
                if self.prev:
                    self._flush_prev()
                got = self._boundary(got)
                while self.nested and got is not None and self._is_boundary(got[1]):
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
        self._spend(number, 1)
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


def walk(data: bytes, first: int, sink: Sink, unflow: bool = True, strip_cr: bool = False,
         nested: bool = False, budget: int = sys.maxsize) -> Part:
    """Read a message's headers (each non-MIME one to ``sink.header(line, True)``), then its body lines into ``sink``.

    Returns the top-level part's facts. ``first`` is the input line number of ``data``'s first line. ``nested``:
    parts inside a multipart part are parts, as a MIME parser reads them (replies), not git mailinfo's text.
    Raises TooManyLines past ``budget`` body lines, before they are held.
    """
    reader = _Reader(data, first)
    while reader.i < len(reader.lines) and not reader.lines[reader.i].strip():
        reader.i += 1
    walker = _Walker(reader, sink, unflow=unflow, strip_cr=strip_cr, nested=nested, budget=budget)
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
