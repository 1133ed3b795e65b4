"""printk's %p extensions that check the pointer before reading it (lib/vsprintf.c check_pointer()).

Those simple enough to print from known bytes: %pM/%pm (mac_address_string()), %pI4/%pi4 (ip4_string()), %pU
(uuid_string()) and %pNF (netdev_bits()).
"""

from __future__ import annotations

from models.printkhex import Chars
from models.printkmem import (
    bitmap_bytes,
    bitmap_string,
    escape_length,
    escaped_string,
    ip6_string,
    resource_string,
    sockaddr_string,
)
from models.printknum import SMALL, SPECIAL, ZEROPAD, error_string, number, string_nocheck
from models.printktypes import Arg, Pointer, PrintkUnsupported, Spec

# The extension letters whose function in pointer() calls check_pointer() on the pointer before reading through it
# (resource_string, hex_string, bitmap_string and bitmap_list_string, mac_address_string, ip_addr_string,
# escaped_string, uuid_string, va_format, netdev_bits, fourcc_string, address_val, dentry_name, rtc_str for %ptR,
# clock, file_dentry_name, bdev_name, flags_string, device_node_string, fwnode_string), in the mirror's
# configuration (every option set: CONFIG_HAVE_CLK, CONFIG_OF and CONFIG_BLOCK, so %pC, %pOF and %pg reach it).
# %ptT reads the time64_t first (time_and_date()), %pA is Rust's (no check): neither is here.
CHECKED = frozenset("RrhbMmIiEUVNadtCDgGOf4")
# What a function prints before its check, whatever the pointer: a letter after the first it does not know.
_UNKNOWN_SUFFIX = {"4": ("cc", b"(%p4?)"), "O": ("F", b"(%pO?)"), "f": ("w", b"(%pf?)")}


def before_check(ext: str, spec: Spec) -> bytes | None:
    """What pointer() prints for ``%p{ext}`` before check_pointer() looks at the pointer, if anything."""
    kind = ext[:1]
    if kind in "hE" and spec.width == 0:  # hex_string(), escaped_string(): "nothing to print"
        return b""
    if kind in _UNKNOWN_SUFFIX:
        want, message = _UNKNOWN_SUFFIX[kind]
        return None if ext[1 : 1 + len(want)] == want else error_string(message, spec)
    if kind == "t" and ext[1:2] != "R":  # time_and_date(): %ptT dereferences first, anything else is unknown
        if ext[1:2] == "T":
            raise PrintkUnsupported(f"%p{ext} reads the time64_t the pointer points at without checking it "
                                    "(time_and_date()) and prints it as a date, which the mirror does not model")
        return error_string(b"(%pt?)", spec)
    return None


def after_check(ext: str, arg: Arg, spec: Spec, what: str, name: str) -> bytes:
    """What pointer() prints for ``%p{ext}`` of a pointer check_pointer() passed: a MAC or IPv4 address from its
    bytes, the message of a letter the function does not know, else refused (``name`` says what it prints)."""
    kind, sub = ext[:1], ext[1:2]
    if kind in "Mm":
        return string_nocheck(_mac(ext, _bytes(ext, arg, 6, what)), spec)
    if kind in "Ii" and sub == "4":
        return string_nocheck(_ip4(ext, _bytes(ext, arg, 4, what)), spec)
    if kind == "U":
        return string_nocheck(_uuid(ext, _bytes(ext, arg, 16, what)), spec)
    if kind == "N" and sub == "F":  # netdev_bits(): the u64 netdev_features_t, special_hex_number()
        return number(int.from_bytes(_bytes(ext, arg, 8, what), "little"), SPECIAL | SMALL | ZEROPAD, 18, -1, 16)
    if kind in "IiEbRr":
        known = _memory(ext, arg, spec, what)
        if known is not None:
            return known
    if kind in "Ii" and sub not in ("6", "S"):  # ip_addr_string()
        return error_string(b"(%pi?)" if kind == "i" else b"(%pI?)", spec)
    if kind == "N" and sub != "F":  # netdev_bits()
        return error_string(b"(%pN?)", spec)
    if kind == "G" and sub not in ("p", "v", "g"):  # flags_string()
        return error_string(b"(%pG?)", spec)
    raise PrintkUnsupported(f"%p{ext} prints {name}, which the mirror does not model")


def _memory(ext: str, arg: Arg, spec: Spec, what: str) -> bytes | None:
    """What the extensions of models.printkmem print, None for a letter after them the function does not know."""
    kind, sub = ext[:1], ext[1:2]
    if kind in "Ii" and sub == "6":
        return string_nocheck(ip6_string(ext, _bytes(ext, arg, 16, what)), spec)
    if kind in "Ii" and sub == "S":
        return sockaddr_string(ext, _bytes(ext, arg, 2, what, whole=True), spec)
    if kind == "E":
        return escaped_string(ext, _bytes(ext, arg, escape_length(spec), what), spec)
    if kind == "b":
        return bitmap_string(ext, _bytes(ext, arg, bitmap_bytes(spec), what), spec)
    if kind in "Rr":
        members = dict(arg.members) if isinstance(arg, Pointer) else {}
        raw = _data(arg)
        if not members and raw is not None and len(raw) >= 32:  # include/linux/ioport.h's layout on x86-64
            members = {k: int.from_bytes(raw[at : at + 8], "little") for k, at in (("start", 0), ("end", 8),
                                                                                     ("flags", 24))}
        if not {"start", "end", "flags"} <= members.keys():
            raise PrintkUnsupported(f"%p{ext} of {what}: the struct resource it points at is not modelled (its "
                                    "start, end and flags)")
        return resource_string(ext, members["start"], members["end"], members["flags"], spec)
    return None


def _data(arg: Arg) -> bytes | None:
    """The bytes the pointer points at, as far as the mirror knows them."""
    return arg.raw if isinstance(arg, Chars) else arg.data if isinstance(arg, Pointer) else \
        arg + b"\0" if isinstance(arg, bytes) else None


def _bytes(ext: str, arg: Arg, count: int, what: str, whole: bool = False) -> bytes:
    """The first ``count`` bytes the pointer points at, as far as the mirror knows them."""
    data = _data(arg)
    if data is None:
        raise PrintkUnsupported(f"%p{ext} of {what}: its bytes are not modelled")
    if len(data) < count:
        raise PrintkUnsupported(f"%p{ext} reads {count} bytes where {len(data)} are known (past the object, or a "
                                "byte never set)")
    return data if whole else data[:count]


def _mac(ext: str, data: bytes) -> bytes:
    """mac_address_string(): six bytes in lower-case hex, reversed for R, ':' between them for M ('-' for MF)."""
    if ext[1:2] == "R":
        data = data[::-1]
    separator = b"" if ext[0] == "m" else b"-" if ext[1:2] == "F" else b":"
    return separator.join(b"%02x" % c for c in data)


def _ip4(ext: str, data: bytes) -> bytes:
    """ip4_string(): four bytes in decimal, dotted; in reverse for h (host order: x86 is little-endian) and l; each
    three digits long for %pi4."""
    if ext[2:3] in ("h", "l"):
        data = data[::-1]
    digits = b"%03d" if ext[0] == "i" else b"%d"
    return b".".join(digits % c for c in data)


# lib/uuid.c: uuid_index is the bytes in order, guid_index the first three fields little-endian.
_GUID_INDEX = (3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15)


def _uuid(ext: str, data: bytes) -> bytes:
    """uuid_string(): 16 bytes as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, the GUID order for l and L, upper case for
    B and L."""
    order = _GUID_INDEX if ext[1:2] in ("l", "L") else range(16)
    digits = b"%02X" if ext[1:2] in ("B", "L") else b"%02x"
    text = b"".join(digits % data[i] for i in order)
    return b"-".join((text[:8], text[8:12], text[12:16], text[16:20], text[20:]))
