"""What refuses one mail message before its headers are read: the size and line caps, compressed or binary data."""

from __future__ import annotations

import re

from harness.errors import InputError, Where

MAX_MESSAGE = 32 * 1024 * 1024
# Lines of one message: each is held as a string and a numbered pair while git mailinfo's reading of it is
# mirrored, so 30 MB of empty lines (under the size cap) took 5.5 GB and was still being read after 13 minutes.
# Two million lines is mail of 16 bytes a line on average at the size cap; kernel code has longer ones.
MAX_MESSAGE_LINES = 2_000_000

# The magic numbers of the compressors a mail archive comes in (xz(1), bzip2(1), zstd(1), zip(1)): said, not read as
# "binary data"; gzip is read (gunzip).
_PACKED = ((re.compile(rb"\xfd7zXZ\x00"), "xz", "xz -d"), (re.compile(rb"BZh[1-9]1AY&SY"), "bzip2", "bunzip2"),
           (re.compile(rb"\x28\xb5\x2f\xfd"), "zstd", "zstd -d"), (re.compile(rb"PK\x03\x04"), "zip", "unzip"))


def _compressed(blob: bytes) -> tuple[str, str] | None:
    """(the compressor, its command to decompress) of data that starts with its magic number; None for other data."""
    return next(((name, how) for magic, name, how in _PACKED if magic.match(blob)), None)


def refuse_unreadable(blob: bytes, where: Where) -> None:
    """Refuse a message past the size and line caps, compressed or binary data (InputError at ``where``)."""
    if len(blob) > MAX_MESSAGE:
        raise InputError(where, f"message larger than {MAX_MESSAGE >> 20} MiB")
    if (lines := blob.count(b"\n")) > MAX_MESSAGE_LINES:
        raise InputError(where, f"message of {lines:,} lines: more than {MAX_MESSAGE_LINES:,} are not read")
    if (packed := _compressed(blob)) is not None:
        raise InputError(where, f"{packed[0]}-compressed data, not a mail message: decompress it first ({packed[1]}; "
                                "a gzipped mbox is read as it is)")
    # A NUL in the headers: no mail. One in the body is a mail's (git format-patch --text of a file with NUL bytes,
    # which git am applies): what git refuses of it, a NUL in the commit message, is refused where it is read.
    head = blob[:4096]
    ends = [i for i in (head.find(b"\n\n"), head.find(b"\n\r\n")) if i >= 0]
    if b"\x00" in head[: min(ends, default=len(head))]:
        raise InputError(where, "binary data, not a mail message")
