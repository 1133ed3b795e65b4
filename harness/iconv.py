"""The C library's iconv, through which git converts mail text, read through ctypes (None where there is none)."""

from __future__ import annotations

import ctypes
import errno
import threading
from functools import cache

_FAILED = ctypes.c_void_p(-1).value  # (iconv_t) -1: iconv_open fails
_STOPPED = ctypes.c_size_t(-1).value  # (size_t) -1: iconv stops


@cache
def _libc() -> ctypes.CDLL | None:
    """The C library git links to (glibc on Linux) where it has iconv_open; None elsewhere (Windows)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.iconv_open.restype = ctypes.c_void_p
    except (OSError, AttributeError, TypeError):
        return None
    libc.iconv_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.iconv.restype = ctypes.c_size_t
    libc.iconv.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t),
                           ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t)]
    return libc


def available() -> bool:
    """Whether the C library has iconv (then it alone says which charsets git converts, and how)."""
    return _libc() is not None


# A conversion descriptor holds a shift state: one user at a time.
_LOCK = threading.Lock()


@cache
def _descriptor(name: str) -> int | None:
    """An iconv_t converting ``name`` to UTF-8, kept for the process; None where iconv does not know the name."""
    libc = _libc()
    if libc is None or "\0" in name:
        return None
    cd = libc.iconv_open(b"UTF-8", name.encode("utf-8", "surrogateescape"))
    return None if cd in (None, _FAILED) else int(cd)


def knows(name: str) -> bool:
    """Whether iconv converts from the charset ``name`` to UTF-8."""
    return _descriptor(name) is not None


def to_utf8(data: bytes, name: str) -> bytes | None:
    """``data`` converted from ``name`` to UTF-8 as git's utf8.c reencode_string_iconv does: None where iconv does
    not know the name or stops on the bytes (an invalid or incomplete sequence: git fails there too)."""
    cd, libc = _descriptor(name), _libc()
    if cd is None or libc is None:
        return None
    with _LOCK:
        libc.iconv(cd, None, None, None, None)  # the initial shift state, whatever the last conversion left
        return _convert(libc, cd, data)


def _convert(libc: ctypes.CDLL, cd: int, data: bytes) -> bytes | None:
    src = ctypes.create_string_buffer(data, len(data))
    in_ptr, in_left = ctypes.cast(src, ctypes.c_char_p), ctypes.c_size_t(len(data))
    size = len(data) * 4 + 16
    out = bytearray()
    while True:
        dst = ctypes.create_string_buffer(size)
        out_ptr, out_left = ctypes.cast(dst, ctypes.c_char_p), ctypes.c_size_t(size)
        done = libc.iconv(cd, ctypes.byref(in_ptr), ctypes.byref(in_left), ctypes.byref(out_ptr),
                          ctypes.byref(out_left))
        out += dst.raw[: size - out_left.value]
        if done != _STOPPED:
            return bytes(out)
        if ctypes.get_errno() != errno.E2BIG:
            return None
