"""printk's %*ph (lib/vsprintf.c hex_string()): a buffer's bytes in hex, from what the mirror knows of them."""

from __future__ import annotations

from models.printktypes import Arg, Pointer, PrintkUnsupported, Spec


class Chars(bytes):
    """A char array's bytes to its NUL, which %s prints; ``raw``, its bytes from there to its end as far as they are
    set, which %ph prints."""

    raw: bytes | None

    def __new__(cls, text: bytes, raw: bytes | None) -> Chars:
        out = super().__new__(cls, text)
        out.raw = raw
        return out


# hex_string()'s most bytes: 64 in the kernels this mirror follows; a later lib/vsprintf.c raised it to 256, so past
# 64 what is printed depends on the kernel's version.
_HEX_MAX = 64
_HEX_SEPARATORS = {"C": b":", "D": b"-", "N": b""}


def hex_string(ext: str, arg: Arg, spec: Spec, what: str) -> bytes:
    """hex_string(): %*ph and its C, D, N forms, the field width the number of bytes (1 without one), each byte in
    two lower-case hex digits, a separator between them; nothing for a width of 0. check_pointer()'s message for
    NULL, the first page and an error pointer is models.printk's, which calls this for a pointer it passes;
    ``what`` names the argument in a refusal."""
    if spec.width == 0:
        return b""
    count = spec.width if spec.width > 0 else 1
    if count > _HEX_MAX:
        raise PrintkUnsupported(f"%*p{ext} of {count} bytes: lib/vsprintf.c prints at most {_HEX_MAX} (256 in later "
                                "kernels)")
    data = arg.raw if isinstance(arg, Chars) else arg.data if isinstance(arg, Pointer) else \
        arg + b"\0" if isinstance(arg, bytes) else None
    if data is None:
        raise PrintkUnsupported(f"%p{ext} of {what}: its bytes are not modelled")
    if count > len(data):
        raise PrintkUnsupported(f"%*p{ext} of {count} bytes where {len(data)} are known (past the object, or a byte "
                                "never set)")
    return _HEX_SEPARATORS.get(ext[1:2], b" ").join(b"%02x" % c for c in data[:count])
