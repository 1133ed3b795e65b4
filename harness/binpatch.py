"""git's binary patches: a ``literal`` hunk's bytes, or a ``delta`` hunk applied to the pre-image (patch-delta.c)."""

from __future__ import annotations

MAX_RESULT = 64 << 20  # bytes a delta may make: diffbinary.MAX_BINARY, the cap on a literal too


class DeltaError(ValueError):
    """A delta that does not fit its pre-image or is damaged (git: "binary patch does not apply")."""


def _size(delta: bytes, i: int) -> tuple[int, int]:
    """A size of the delta header: 7 bits a byte, least significant first, the high bit saying more follow."""
    value = shift = 0
    while True:
        if i >= len(delta):
            raise DeltaError("delta header cut short")
        byte = delta[i]
        value |= (byte & 0x7F) << shift
        shift += 7
        i += 1
        if not byte & 0x80:
            return value, i


def _copy(delta: bytes, i: int, cmd: int) -> tuple[int, int, int]:
    """A copy instruction's (offset, size, next index): the bytes its low seven bits select (patch-delta.c)."""
    offset = size = 0
    for bit, shift in ((0x01, 0), (0x02, 8), (0x04, 16), (0x08, 24)):
        if cmd & bit:
            offset |= delta[i] << shift
            i += 1
    for bit, shift in ((0x10, 0), (0x20, 8), (0x40, 16)):
        if cmd & bit:
            size |= delta[i] << shift
            i += 1
    return offset, size or 0x10000, i


def apply_delta(source: bytes, delta: bytes) -> bytes:
    """git's patch_delta(): the post-image a delta makes of ``source``; DeltaError when the sizes in its header
    are not the source's and the result's, or an instruction is damaged (a zero command, a copy past the end)."""
    want_source, i = _size(delta, 0)
    want_result, i = _size(delta, i)
    if want_source != len(source):
        raise DeltaError(f"delta is for a {want_source}-byte pre-image, not {len(source)} bytes")
    if want_result > MAX_RESULT:  # one-byte copies of 64 KiB each would make terabytes of a small delta
        raise DeltaError(f"delta makes {want_result} bytes, past the {MAX_RESULT >> 20} MiB a binary file may have")
    out = bytearray()
    try:
        while i < len(delta):
            cmd = delta[i]
            i += 1
            if cmd & 0x80:
                offset, size, i = _copy(delta, i, cmd)
                if offset + size > len(source):
                    raise DeltaError("delta copies past the end of the pre-image")
                out += source[offset : offset + size]
            elif cmd:
                if i + cmd > len(delta):
                    raise DeltaError("delta inserts past its end")
                out += delta[i : i + cmd]
                i += cmd
            else:
                raise DeltaError("delta has a zero command")
            if len(out) > want_result:
                raise DeltaError("delta makes more than its header says")
    except IndexError as exc:
        raise DeltaError("delta instruction cut short") from exc
    if len(out) != want_result:
        raise DeltaError(f"delta makes {len(out)} bytes, its header says {want_result}")
    return bytes(out)
