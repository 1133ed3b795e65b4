"""Reading raw messages from .eml/.patch files, mboxes (gzipped too) and directories of them."""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path

from harness.errors import STDIN, InputError, Where, os_reason
from harness.model import Skipped
from harness.msgcaps import refuse_unreadable
from harness.special import refusal
from models.lazyre import lazy
from models.record import record

# A gzip bomb must not eat the machine: nothing real in a review thread comes near this.
MAX_DECOMPRESSED = 64 * 1024 * 1024
READ_CHUNK = 1024 * 1024  # what a file is read by (read_capped)
# Messages of all the inputs together: each read is some 3 KB of records kept and 7 KB at the peak whatever its size
# (20,000 one-line mails: 6.7 s of CPU and 164 MB; 100,000: 69 s and 576 MB), and a series' thread is hundreds. Past
# it the input is refused at the first message over, before it is parsed: a list's archive is no series' thread.
MAX_MESSAGES = 20_000
# Body lines of all the inputs' messages, base64 and quoted-printable decoded (counted as harness.ingest walks them):
# the caps above are per message, and a 16 MB mbox of six 900,000-line diffs took 2.9 GB and 194 s to die of a
# MemoryError. A diff line is some 1 KB as it is read, 0.5 KB held; a thread, a 50,000-line driver too, is far below.
MAX_INPUT_LINES = 1_000_000
_YEAR = lazy(rb"[ \t\n\v\f\r]*([+-]?\d+)")
# public-inbox (PublicInbox/Mbox.pm) and b4 (save_mboxrd_mbox) write this line before each message.
MBOXRD_SEPARATOR = b"From mboxrd@z Thu Jan  1 00:00:00 1970"
# git format-patch (log-tree.c: the commit's id, a fixed date) writes this line before each patch it makes: mail
# not sent yet, whose From: is each commit's author, threaded (--thread) as one series.
FORMAT_PATCH_SEPARATOR = lazy(rb"^From (?:[0-9a-f]{40}|[0-9a-f]{64}) Mon Sep 17 00:00:00 2001\r?\n?$")
# A header line or a continuation of one (RFC 5322 2.2: printable name, colon; folded: leading blank).
HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?.*$|^[ \t]+\S")


@record
class RawMessage:
    """A message's top-level headers, its bytes as git mailsplit hands them to mailinfo, and where it starts.

    ``data`` is the message without its mbox ``From `` line, CRLF line ends made LF (mailsplit without
    ``--keep-cr``); ``where.line`` is the line of ``data``'s first line in the file.
    """

    headers: dict[str, str]
    where: Where
    body_line: int
    data: bytes = b""
    # Its mbox separator is git format-patch's (FORMAT_PATCH_SEPARATOR): one patch of a series not sent yet, as
    # a folder of format-patch output is given to git am.
    unsent: bool = False

    def header(self, name: str) -> str:
        """The first top-level ``name`` header, unfolded (RFC 5322 2.2.3), or "" when absent."""
        return self.headers.get(name.lower(), "")


def read_capped(fh: io.BufferedIOBase) -> bytes | None:
    """All of ``fh``, a chunk at a time, or None when it holds more than MAX_DECOMPRESSED bytes.

    One read(MAX_DECOMPRESSED + 1) allocated the whole 64 MiB for every file (then gave back what it did not
    fill): a chunk's buffer is all a small file costs. A pipe's short reads are read on until its end. A regular file
    larger than the cap is refused by its size, unread, and a stream as soon as it passes the cap, its chunks never
    joined: reading 64 MiB and joining them took 158 MB to refuse a 200 MB file.
    """
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):  # no descriptor: a gzip stream
        st = os.fstat(fh.fileno())
        if stat.S_ISREG(st.st_mode) and st.st_size > MAX_DECOMPRESSED:
            return None
    chunks: list[bytes] = []
    left = MAX_DECOMPRESSED + 1
    while left > 0 and (chunk := fh.read(min(READ_CHUNK, left))):
        chunks.append(chunk)
        left -= len(chunk)
    return None if left <= 0 else b"".join(chunks)


def gunzip(data: bytes, where: Where | str) -> bytes:
    """gzip ``data`` decompressed as gzip(1) reads a file: every member in turn, NUL padding after the last
    allowed, anything else after a member refused; never more than MAX_DECOMPRESSED bytes held.

    Raises InputError (at ``where``): a gzip that is cut short, damaged, or larger than that once decompressed.
    The one reader of gzip here, so that a download checked with it (harness.lore) is read back the same way.
    """
    import gzip  # loaded for a gzip read: most inputs are not

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = read_capped(gz)
    except EOFError as exc:
        raise InputError(where, "a gzip that is cut short") from exc
    except (OSError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(where, f"a damaged gzip ({exc})") from exc
    if out is None:
        raise InputError(where, f"a gzip larger than {MAX_DECOMPRESSED >> 20} MiB once decompressed")
    return out


def read_bytes(path: Path) -> bytes:
    """Read a file, gunzipping it (with a cap on the decompressed size) when it is gzip. A named FIFO, device or
    socket is refused (harness.special); standard input and an anonymous pipe are read. Raises InputError."""
    why = None if str(path) == STDIN else refusal(path)
    if why is not None:
        raise InputError(str(path), why)
    try:
        with path.open("rb") as fh:  # read once, never seeked: a pipe (<(git format-patch ...)) reads too
            read = read_capped(fh)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {os_reason(exc)}") from exc
    if read is None:
        raise InputError(str(path), f"larger than {MAX_DECOMPRESSED >> 20} MiB")
    data = read
    if data[:2] == b"\x1f\x8b":
        try:
            data = gunzip(data, str(path))
        except InputError as exc:
            raise InputError(str(path), f"cannot read: {exc.message}") from exc
    return data


def is_from_line(line: bytes) -> bool:
    """An mbox separator as git mailsplit sees one: ``From `` then a ``HH:MM:SS YYYY``-shaped date.

    Only the shape git's builtin/mailsplit.c checks (a colon with digits around it near the end of the
    line, a year after 1990), so ``From the start, ...`` in a body is text, not a new message.
    """
    n = len(line)  # with its line end, as mailsplit measures it
    if n < 20 or not line.startswith(b"From "):
        return False
    colon = line.rfind(b":", 5, n - 2)
    if colon < 4:
        return False
    around = (line[colon - 4 : colon - 3], line[colon - 2 : colon], line[colon + 1 : colon + 3])
    if not all(d.isdigit() for d in around):
        return False
    year = _YEAR().match(line, colon + 3)
    return year is not None and int(year.group(1)) > 90


def is_mboxrd_separator(line: bytes) -> bool:
    """The separator public-inbox (lore's ``t.mbox.gz``) and ``b4 mbox`` write before each message of an
    mboxrd, whose body lines matching ``>*From `` carry one ``>`` more than the message had.

    Every other separator (``git format-patch``, mutt's and Thunderbird's ``From ADDR DATE``, Python's
    mailbox) says nothing of the quoting: such a message is read as ``git am`` reads it by default
    (``git mailsplit`` without ``--mboxrd``), every ``>From `` kept as it is.
    """
    return line.rstrip(b"\r\n") == MBOXRD_SEPARATOR


def _split_mbox(data: bytes, keep_cr: bool = False) -> Iterator[tuple[int, bytes, bool]]:
    """Yield (first line number, message bytes, whether its separator is git format-patch's) as ``git mailsplit
    -b`` splits a file.

    White space before the first line is skipped, bytes not lines (builtin/mailsplit.c split_mbox: git's own
    isspace(), space, tab, CR and LF; a ``\\v`` or ``\\f`` is text). A file whose first line is not a
    separator is one bare message; otherwise every separator line starts a message. CRLF line ends become
    LF, unless ``keep_cr`` (``git mailsplit --keep-cr``, as git am runs it with ``am.keepcr`` set). A message
    whose separator is mboxrd's (is_mboxrd_separator) has its quoting undone as ``git mailsplit --mboxrd``
    does (``>From `` and ``>>From `` lose one ``>``); any other is kept byte for byte, as plain ``git
    mailsplit`` keeps it.
    """
    text = data.lstrip(b" \t\n\r")
    if not text:
        return
    skipped = data.count(b"\n", 0, len(data) - len(text))
    # Whole-buffer operations, not a Python loop over lines: a CRLF only ever ends a line (lines end at
    # LF), and only lines starting "From " can be separators.
    if not is_from_line(_line_at(text, 0)):
        yield skipped + 1, _line_ends(text, keep_cr), False
        return
    seps = [0]
    at = text.find(b"\nFrom ")
    while at >= 0:
        if is_from_line(_line_at(text, at + 1)):
            seps.append(at + 1)
        at = text.find(b"\nFrom ", at + 1)
    lineno = skipped + 1
    for i, at in enumerate(seps):
        head_end = text.find(b"\n", at)
        last = i + 1 == len(seps)
        end = len(text) if last else seps[i + 1]
        lineno += text.count(b"\n", seps[i - 1] if i else 0, at)
        chunk = b"" if head_end < 0 else _line_ends(text[head_end + 1 : end], keep_cr)
        separator = text[at : head_end + 1]
        if chunk and is_mboxrd_separator(separator):
            chunk = _MBOXRD_QUOTED().sub(rb"\1", chunk)
        if chunk or not last:  # an empty message between two separators is one (refused); a trailing one not
            yield lineno + 1, chunk, FORMAT_PATCH_SEPARATOR().match(separator) is not None


_MBOXRD_QUOTED = lazy(rb"^>(>*From )", re.MULTILINE)


def _line_ends(chunk: bytes, keep_cr: bool) -> bytes:
    """A message's bytes as git mailsplit writes them: a CR before a line end dropped, unless ``keep_cr``."""
    return chunk if keep_cr else chunk.replace(b"\r\n", b"\n")


def _line_at(text: bytes, at: int) -> bytes:
    """The line starting at ``at``, with its line end."""
    end = text.find(b"\n", at)
    return text[at:] if end < 0 else text[at : end + 1]


# The first line of what `git diff`, `diff -u` and `git show` / `git log -p` write: no mail, which git am refuses too.
_BARE_DIFF = lazy(rb"^(?:diff |--- |commit [0-9a-f]{7,64}\b)")


def _bare_diff_hint(first: bytes) -> str:
    """What to do with a diff saved without a mail header (git am refuses it alike: mailsplit's 'Patch format
    detection failed', builtin/am.c detect_patch_format), else ""."""
    if not _BARE_DIFF().match(first):
        return ""
    return (": a bare diff (git diff, git show), which git am refuses too ('Patch format detection failed'); commit "
            "it and give what git format-patch writes")


def _check_message(blob: bytes, where: Where) -> tuple[int, dict[str, str]]:
    """The body's line offset and the top-level headers (lower-case names, first of each, unfolded), which end
    at an empty line or one that is no header, as git mailinfo reads them; refuse what is not a mail or is cut
    inside its headers."""
    refuse_unreadable(blob, where)
    first = _line_at(blob, 0).rstrip(b"\n")
    # An mbox "From " line that is no separator stays in the message; git mailinfo skips it as a header.
    envelope = first.startswith((b"From ", b">From "))
    if not (envelope or HEADER_LINE.match(first)):
        raise InputError(where, "not a mail message (no header on the first line)" + _bare_diff_hint(first))
    # Folded lines are gathered and joined once: adding to a string line by line is quadratic in a header
    # folded over many lines (a hostile mail), which git mailinfo reads in linear time. Only the header
    # lines are looked at: the body may be megabytes.
    parts: dict[str, list[str]] = {}
    name = ""
    # The headers end at the first empty line at the latest: only the lines above it are split, in one call (a
    # find and a slice per line were most of a `series` run's reading of the corpus' 3,000 header lines).
    cut = blob.find(b"\n\n")
    lines = (blob if cut < 0 else blob[: cut + 1]).split(b"\n")
    if not lines[-1]:
        lines.pop()  # what follows the last line end: nothing, or the empty line
    for offset, line in enumerate(lines, 1):
        if offset == 1 and envelope:
            continue
        lead = line[:1]
        if lead == b" " or lead == b"\t":
            if name and line.strip():
                parts[name].append(line.decode("utf-8", "replace").strip())
            continue
        # A line of blanks after a header is its continuation, as git mailinfo and Python's email (b4) read it:
        # taken for the end, it lost the Message-ID and In-Reply-To below it, and with them the thread.
        if not line.strip():
            return offset, {key: " ".join(words) for key, words in parts.items()}
        if line.startswith((b"From ", b">From ")):  # a header to git mailinfo, one it ignores
            name = ""
            continue
        if not HEADER_LINE.match(line):
            # git mailinfo's read_one_header_line: a line that is no header ends the headers and is the body's
            # first line (git am applies the diff below it); refusing the mail dropped a patch git am takes.
            return offset - 1, {key: " ".join(words) for key, words in parts.items()}
        key, _, value = line.decode("utf-8", "replace").rstrip().partition(":")
        key = key.strip().lower()
        name = key if key not in parts else ""
        if name:
            parts[name] = [value.strip()]
    if cut >= 0:  # the empty line below the last one split
        return len(lines) + 1, {key: " ".join(words) for key, words in parts.items()}
    raise InputError(where, "truncated message: headers never end, no body")


def parse_blob(blob: bytes, where: Where, unsent: bool = False) -> RawMessage:
    """Read one message's headers; refuse one without any of From, Subject or Message-ID."""
    body_offset, headers = _check_message(blob, where)
    if not any(headers.get(h) for h in ("from", "subject", "message-id")):
        raise InputError(where, "not a mail message (no From, Subject or Message-ID)")
    return RawMessage(headers, where, where.line + body_offset, blob, unsent)


class TooManyMessages(InputError):
    """More than MAX_MESSAGES messages or MAX_INPUT_LINES lines in the inputs: the whole input refused."""


def too_many_lines(where: Where) -> TooManyMessages:
    return TooManyMessages(where, f"more than {MAX_INPUT_LINES:,} body lines in the input's messages (base64 and "
                                  "quoted-printable decoded): not read (a diff's line costs some 1 KB as it is read; "
                                  "a series' thread is rarely 100,000; give it alone)")


def read_file(path: Path, keep_cr: bool = False, before: int = 0) -> tuple[list[RawMessage], list[Skipped]]:
    """Read every message of one file: an .eml, a format-patch file or an mbox (``keep_cr``: _split_mbox).
    ``before``: messages the other inputs held. Raises InputError, TooManyMessages at the first message past
    MAX_MESSAGES."""
    data = read_bytes(path)
    messages: list[RawMessage] = []
    skipped: list[Skipped] = []
    for start, blob, unsent in _split_mbox(data, keep_cr):
        where = Where(str(path), start)
        if before + len(messages) + len(skipped) >= MAX_MESSAGES:
            raise TooManyMessages(where, f"more than {MAX_MESSAGES:,} messages in the input: not read (a series' "
                                         "thread is hundreds; give the thread, as b4 mbox writes it)")
        try:
            messages.append(parse_blob(blob, where, unsent))
        except InputError as exc:
            skipped.append(Skipped(exc.where or where, exc.message))
    if not messages and not skipped:
        # A file of no bytes has no line 1 to name; one of blank lines or a lone From line has.
        skipped.append(Skipped(Where(str(path), 1 if data else 0), "empty file, no message"))
    return messages, skipped
