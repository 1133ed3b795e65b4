"""git's delta format (patch-delta.c): what a delta makes of its pre-image, and the damage it refuses."""

from __future__ import annotations

import pytest

from harness.binpatch import DeltaError, apply_delta

SOURCE = bytes(range(200))


def test_copies_and_inserts() -> None:
    # header: source 200, result 13 bytes; copy 8 bytes from offset 16 (0x91: offset byte 0, size byte 0);
    # insert 5 bytes
    delta = bytes([200, 1, 13, 0x91, 16, 8, 5]) + b"hello"
    assert apply_delta(SOURCE, delta) == SOURCE[16:24] + b"hello"


def test_a_copy_without_size_bytes_is_64_kib() -> None:
    big = bytes(0x10000)
    delta = bytes([0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80])  # sizes 65536 and 65536, then copy offset 0 size 0
    assert apply_delta(big, delta) == big


@pytest.mark.parametrize("delta", [
    bytes([199, 1, 5, 5]) + b"hello",  # the header's source size is not the pre-image's
    bytes([200, 1, 5, 0]),  # a zero command
    bytes([200, 1, 8, 0x91, 196, 8]),  # a copy past the pre-image's end
    bytes([200, 1, 4, 5]) + b"hello",  # more than the header's result size
    bytes([200, 1, 9, 5]) + b"hello",  # less
    bytes([200, 1, 5, 9]) + b"hello",  # an insert past the delta's end
    bytes([200, 1, 5, 0x91, 16]),  # a copy cut short
    bytes([0xC8]),  # a header cut short
])
def test_damage_is_refused(delta: bytes) -> None:
    with pytest.raises(DeltaError):
        apply_delta(SOURCE, delta)


def test_a_delta_bomb_is_refused_before_it_is_built() -> None:
    """A header claiming a huge result: a tiny delta of one-byte 64 KiB copies would fill memory."""
    huge = 1 << 40
    header = bytes([0x80, 0x80, 0x04])  # source: 65536
    size = bytearray()
    while True:
        size.append((huge & 0x7F) | (0x80 if huge >> 7 else 0))
        huge >>= 7
        if not huge:
            break
    with pytest.raises(DeltaError, match="past the 64 MiB"):
        apply_delta(bytes(0x10000), header + bytes(size) + bytes([0x80]) * 1000)
