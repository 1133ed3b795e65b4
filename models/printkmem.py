"""printk's %p extensions that print what a valid pointer points at (lib/vsprintf.c).

%pI6/%pi6/%pI6c (ip6_addr_string()), %pIS/%piS (ip_addr_string()'s sockaddr forms), %pE (escaped_string(), with
lib/string_helpers.c string_escape_mem()), %pb/%pbl (bitmap_string(), bitmap_list_string()) and %pR/%pr
(resource_string()), from the bytes (or, for a struct resource, the members) the mirror knows of the object.
"""

from __future__ import annotations

from models.printknum import SMALL, SPECIAL, ZEROPAD, error_string, number, string_nocheck
from models.printktypes import PrintkUnsupported, Spec

AF_INET, AF_INET6 = 2, 10  # include/linux/socket.h


def ip6_string(ext: str, data: bytes) -> bytes:
    """ip6_addr_string(): %pI6c compressed (ip6_compressed_string()), else ip6_string(): eight groups of four
    lower-case hex digits, ':' between them for %pI6, none for %pi6 (a 'c' after %pi6 changes nothing)."""
    if ext[0] == "I" and ext[2:3] == "c":
        return _ip6_compressed(data)
    return _ip6_full(ext[0], data)


def _ip6_full(kind: str, data: bytes) -> bytes:
    return (b":" if kind == "I" else b"").join(b"%02x%02x" % (data[i], data[i + 1]) for i in range(0, 16, 2))


def _ip6_compressed(data: bytes) -> bytes:
    """ip6_compressed_string(): each 16-bit group in hex without leading zeros, the longest run of two or more zero
    groups (the first of equals) as '::'; a v4-mapped (::ffff:0:0/96) or ISATAP address's last 32 bits dotted."""
    v4mapped = data[:10] == bytes(10) and data[10:12] == b"\xff\xff"
    isatap = data[8] | 0x02 == 0x02 and data[9:12] == b"\x00\x5e\xfe"
    span = 6 if v4mapped or isatap else 8
    words = [data[2 * i] << 8 | data[2 * i + 1] for i in range(span)]
    longest, colonpos = 1, -1
    for i in range(span):
        zeros = 0
        while i + zeros < span and words[i + zeros] == 0:
            zeros += 1
        if zeros > longest:
            longest, colonpos = zeros, i
    out, need_colon, i = bytearray(), False, 0
    while i < span:
        if i == colonpos:
            out += b"::" if need_colon or i == 0 else b":"
            need_colon, i = False, i + longest
            continue
        out += b":" if need_colon else b""
        out += b"%x" % words[i]
        need_colon, i = True, i + 1
    if span == 6:
        out += (b":" if need_colon else b"") + b".".join(b"%d" % c for c in data[12:16])
    return bytes(out)


def sockaddr_string(ext: str, data: bytes, spec: Spec) -> bytes:
    """%pIS/%piS (ip_addr_string()): by sa_family, ip4_addr_string_sa() or ip6_addr_string_sa(), the port ('p'),
    flow label ('f') and scope id ('s') each formatted with the conversion's own spec, as number() is called
    there; another family is "(einval)". ``data``: the sockaddr's bytes (at least its family's)."""
    family = int.from_bytes(data[:2], "little")
    letters = ""  # ip_addr_string() reads the letters after 'S' while they are letters
    for c in ext[2:]:
        if not c.isalpha():
            break
        letters += c
    flags = set(letters)
    if family == AF_INET:
        _need(ext, data, 8)
        order = [c for c in letters if c in "hlnb"]  # the last of them is ip4_string()'s
        addr = data[4:8][::-1] if order and order[-1] in "hl" else data[4:8]
        out = b".".join((b"%03d" if ext[0] == "i" else b"%d") % c for c in addr)
        if "p" in flags:
            out += b":" + _number(int.from_bytes(data[2:4], "big"), spec)
        return _bounded(out, 16 + 7, spec)
    if family != AF_INET6:
        return error_string(b"(einval)", spec)
    _need(ext, data, 28 if "s" in flags else 24)
    addr = data[8:24]
    out = _ip6_compressed(addr) if ext[0] == "I" and "c" in flags else _ip6_full(ext[0], addr)
    if flags & {"p", "f", "s"}:
        out = b"[" + out + b"]"
    if "p" in flags:
        out += b":" + _number(int.from_bytes(data[2:4], "big"), spec)
    if "f" in flags:  # IPV6_FLOWINFO_MASK: the flow label's 28 bits of the big-endian word
        out += b"/" + _number(int.from_bytes(data[4:8], "big") & 0x0FFFFFFF, spec)
    if "s" in flags:
        out += b"%" + _number(int.from_bytes(data[24:28], "little"), spec)
    return _bounded(out, 48 + 7 + 11 + 12, spec)


def _number(value: int, spec: Spec) -> bytes:
    return number(value, spec.flags, spec.width, spec.precision, 10)  # format_decode(): base 10 for %p


def _bounded(text: bytes, size: int, spec: Spec) -> bytes:
    """string_nocheck() of the text built in a buffer of ``size`` bytes; refused where number() would overrun it
    (a field width on the port: the kernel writes past its own array)."""
    if len(text) >= size:
        raise PrintkUnsupported(f"the address and numbers fill {len(text)} bytes of a {size}-byte buffer in "
                                "ip_addr_string(): the field width overruns it")
    return string_nocheck(text, spec)


def _need(ext: str, data: bytes, count: int) -> None:
    if len(data) < count:
        raise PrintkUnsupported(f"%p{ext} reads {count} bytes where {len(data)} are known (past the object, or a "
                                "byte never set)")


# lib/string_helpers.c: ESCAPE_SPACE, _SPECIAL, _NULL, _OCTAL, _NP, _HEX; lib/vsprintf.c escaped_string()'s letters.
_ESCAPE_FLAGS = {"s": 0x01, "c": 0x02, "n": 0x04, "o": 0x08, "a": 0x0F, "p": 0x10, "h": 0x20}
_SPACES = {0x0A: b"n", 0x0D: b"r", 0x09: b"t", 0x0B: b"v", 0x0C: b"f"}
_SPECIALS = {0x5C: b"\\", 0x07: b"a", 0x1B: b"e", 0x22: b'"'}


def escape_length(spec: Spec) -> int:
    """How many bytes escaped_string() reads: the field width, 1 without one (0 prints nothing, before_check())."""
    return 1 if spec.width < 0 else spec.width


def escaped_string(ext: str, data: bytes, spec: Spec) -> bytes:
    """escaped_string(): string_escape_mem() of the buffer's first escape_length() bytes with the flags the letters
    after 'E' name, up to the first that is none (ESCAPE_ANY_NP without one); no padding (the width is the length).
    A byte passes through when printable and 'p' is given (the kernel's isprint(): 0x20-0x7e and 0xa0-0xff,
    lib/ctype.c), else the first class that takes it escapes it (space, special, NUL, octal, hex), else it passes."""
    flags = 0
    for letter in ext[1:]:
        if letter not in _ESCAPE_FLAGS:
            break
        flags |= _ESCAPE_FLAGS[letter]
    flags = flags or 0x1F
    out = bytearray()
    for c in data[: escape_length(spec)]:
        if flags & 0x10 and (0x20 <= c <= 0x7E or c >= 0xA0):
            out.append(c)
        elif flags & 0x01 and c in _SPACES:
            out += b"\\" + _SPACES[c]
        elif flags & 0x02 and c in _SPECIALS:
            out += b"\\" + _SPECIALS[c]
        elif flags & 0x04 and c == 0:
            out += b"\\0"
        elif flags & 0x08:
            out += b"\\%03o" % c
        elif flags & 0x20:
            out += b"\\x%02x" % c
        else:
            out.append(c)
    return bytes(out)


def bitmap_bytes(spec: Spec) -> int:
    """How many bytes %pb and %pbl read: whole unsigned longs to cover the field width's bits."""
    return 8 * -(-max(spec.width, 0) // 64)


def bitmap_string(ext: str, data: bytes, spec: Spec) -> bytes:
    """bitmap_string() (%pb) and bitmap_list_string() (%pbl): the field width is the number of bits (none: 0,
    nothing printed). %pb: 32-bit chunks from the top, comma-separated, each in lower-case hex zero-padded to its
    bits' nibbles (the top chunk holds what is left over); %pbl: the ranges of set bits in decimal, 'a-b' or 'a'."""
    nbits = max(spec.width, 0)
    bits = int.from_bytes(data[: bitmap_bytes(spec)], "little") & ((1 << nbits) - 1)
    if ext[1:2] == "l":
        return _bit_ranges(bits, nbits)
    chunks: list[bytes] = []
    top = nbits % 32 or 32
    for i in range(-(-nbits // 32) * 32 - 32, -1, -32):
        width = top if not chunks else 32
        chunks.append(number((bits >> i) & ((1 << width) - 1), SMALL | ZEROPAD, -(-width // 4), -1, 16))
    return b",".join(chunks)


def _bit_ranges(bits: int, nbits: int) -> bytes:
    out, i = [], 0
    while i < nbits:
        if not bits >> i & 1:
            i += 1
            continue
        j = i
        while j + 1 < nbits and bits >> (j + 1) & 1:
            j += 1
        out.append(b"%d" % i if i == j else b"%d-%d" % (i, j))
        i = j + 1
    return b",".join(out)


# include/linux/ioport.h
_IO, _MEM, _IRQ, _DMA, _BUS = 0x100, 0x200, 0x400, 0x800, 0x1000
_DECODED = ((0x00100000, b" 64bit"), (0x00002000, b" pref"), (0x00200000, b" window"), (0x10000000, b" disabled"))
_UNSET = 0x20000000


def resource_string(ext: str, start: int, end: int, flags: int, spec: Spec) -> bytes:
    """resource_string(): '[' the type, the range (or %pR's 'size N' of one IORESOURCE_UNSET), then %pR's decoded
    flags or %pr's 'flags 0x...', ']', as one string under the conversion's spec. io: 0x and at least 4 hex digits,
    mem (and an unknown type): at least 8, bus: 2 without 0x, irq and dma decimal."""
    decode = ext[0] == "R"
    kinds = ((_IO, b"io  ", (SPECIAL | SMALL | ZEROPAD, 6, 16)), (_MEM, b"mem ", (SPECIAL | SMALL | ZEROPAD, 10, 16)),
             (_IRQ, b"irq ", (0, -1, 10)), (_DMA, b"dma ", (0, -1, 10)), (_BUS, b"bus ", (SMALL | ZEROPAD, 2, 16)))
    name, (nflags, width, base) = next(((n, f) for bit, n, f in kinds if flags & bit),
                                       (b"??? ", (SPECIAL | SMALL | ZEROPAD, 10, 16)))
    decode = decode and name != b"??? "
    out = b"[" + name
    if decode and flags & _UNSET:
        out += b"size " + number((end - start + 1) % (1 << 64), nflags, width, -1, base)
    else:
        out += number(start, nflags, width, -1, base)
        out += b"" if start == end else b"-" + number(end, nflags, width, -1, base)
    if decode:
        out += b"".join(text for bit, text in _DECODED if flags & bit)
    else:
        out += b" flags " + number(flags, SPECIAL | SMALL, -1, -1, 16)
    return string_nocheck(out + b"]", spec)
