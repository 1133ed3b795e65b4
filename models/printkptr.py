"""printk's %p family as lib/vsprintf.c pointer() prints it (x86-64), from what the mirror knows of the pointer.

The configuration is the mirror's (every option set, docs/mirror.md): CONFIG_KALLSYMS, so %ps/%pS/%pB look the
address up in the kernel's symbol table, and CONFIG_SYMBOLIC_ERRNAME (``default y if PRINTK``), so %pe prints
``-EIO``. What depends on the build or the running system (a symbol's size, its neighbour, a hashed address,
kptr_restrict) is refused: PrintkUnsupported.
"""

from __future__ import annotations

from models.errnos import ERRNO_NAMES
from models.printkchecked import CHECKED, after_check, before_check
from models.printkhex import Chars, hex_string
from models.printknum import SIGN, SMALL, SPECIAL, ZEROPAD, error_string, number, string_nocheck
from models.printktypes import Arg, Pointer, PrintkUnsupported, Spec

PAGE_SIZE = 4096
MAX_ERRNO = 4095
# x86-64's user half ends here (4-level paging; 5-level's is larger still, and the kernel's is at the top): no
# kernel symbol, module, BPF program or ftrace trampoline is below it, so kallsyms finds nothing there.
_USER_END = 1 << 47
_POINTER_NAMES = {
    "R": "a struct resource", "r": "a struct resource", "b": "a bitmap", "M": "a MAC address", "m": "a MAC address",
    "I": "an IP address", "i": "an IP address", "E": "an escaped buffer", "U": "a UUID", "N": "netdev features",
    "4": "a FourCC code", "d": "a dentry name", "t": "a time", "C": "a clock", "D": "a file name",
    "g": "a block device", "G": "page or VMA flags", "O": "a device-tree node", "f": "a fwnode", "A": "a Rust argument",
}


def address_of(arg: Arg) -> int | None:
    """The address a pointer argument holds (an integer passed for one counts as its value)."""
    if isinstance(arg, Pointer):
        return arg.address
    if isinstance(arg, int):
        return arg & ((1 << 64) - 1)
    return None  # a string literal: an object whose address the mirror does not know


def _bad_pointer(address: int | None) -> bytes | None:
    """check_pointer_msg(): "(null)" for NULL, "(efault)" below PAGE_SIZE or for an error pointer."""
    if address == 0:
        return b"(null)"
    if address is not None and (address < PAGE_SIZE or address >= (1 << 64) - MAX_ERRNO):
        return b"(efault)"
    return None


def string(arg: Arg, spec: Spec) -> bytes:
    """string(): a string's bytes, or check_pointer()'s message for a pointer that is no string."""
    if isinstance(arg, bytes):
        return string_nocheck(arg, spec)
    address = address_of(arg)
    message = _bad_pointer(address)
    if message is None:
        raise PrintkUnsupported(f"%s of a pointer to memory the mirror does not model ({what_of(arg)})")
    return error_string(message, spec)


def what_of(arg: Arg) -> str:
    """An argument as a refusal names it."""
    if isinstance(arg, Pointer):
        return arg.what if arg.address is None else f"address {arg.address:#x}"
    return "a string literal" if isinstance(arg, bytes) else f"the address {arg & ((1 << 64) - 1):#x}"


def _pointer_string(address: int, spec: Spec) -> bytes:
    """pointer_string(): lower-case hex, zero-padded to 16 digits when no width is given."""
    flags, width = spec.flags | SMALL, spec.width
    if width == -1:
        width, flags = 16, flags | ZEROPAD
    return number(address, flags, width, spec.precision, 16)


def _default_pointer(arg: Arg, spec: Spec, ext: str) -> bytes:
    """Plain %p: hashed (ptr_to_id), except NULL and error pointers, which are printed as they are."""
    address = address_of(arg)
    if address is not None and (address == 0 or address >= (1 << 64) - MAX_ERRNO):
        return _pointer_string(address, spec)
    raise PrintkUnsupported(f"%p{ext} of {what_of(arg)} prints a hash of the address (ptr_to_id), "
                            "which depends on a boot-time random key")


def _err_ptr(address: int, spec: Spec) -> bytes:
    """err_ptr(): the errno name of ERR_PTR(-E...) (lib/errname.c), else the number in decimal."""
    err = address - (1 << 64)
    name = ERRNO_NAMES.get(-err)
    if name is not None:
        return string_nocheck(b"-" + name.encode(), spec)
    return number(address, spec.flags | SIGN, spec.width, spec.precision, 10)


def _symbol(ext: str, arg: Arg, spec: Spec) -> bytes:
    """symbol_string() with CONFIG_KALLSYMS: %ps the name of the symbol at the address, %pS also
    ``+0xOFFSET/0xSIZE``, %pB that of the address less one (sprint_backtrace()); an address kallsyms finds nothing
    at as ``0x%lx`` (__sprint_symbol()). A function the code defines is named as code built into vmlinux (a
    module's would add `` [module]``); its size and what lies before it are the build's, which the mirror cannot
    know. ('R' after the letter, __builtin_extract_return_addr(), changes no x86 address.)"""
    address = address_of(arg)
    if address is not None and (address < _USER_END or address >= (1 << 64) - MAX_ERRNO):
        return string_nocheck(b"0x%x" % address, spec)
    name = arg.symbol if isinstance(arg, Pointer) else ""
    if not name:
        raise PrintkUnsupported(f"%p{ext} of {what_of(arg)} prints the kernel's symbol at that address, which the "
                                "mirror cannot know (it names only the functions the code defines)")
    if ext[:1] == "s":
        return string_nocheck(name.encode(), spec)
    if ext[:1] == "S":
        raise PrintkUnsupported(f"%p{ext} of {name}() prints {name}+0x0/0x<size>, the size of {name}() in the "
                                "kernel build's symbol table, which the mirror cannot know (%ps prints the name alone)")
    raise PrintkUnsupported(f"%p{ext} of {name}() prints the symbol at the address less one (sprint_backtrace()): the "
                            f"code laid out before {name}() in the kernel build, which the mirror cannot know")


def _address_val(ext: str, arg: Arg, spec: Spec) -> bytes:
    """address_val(): %pa (%pap) the phys_addr_t, %pad the dma_addr_t the argument points at, both 64-bit on x86-64,
    as 0x and 16 hex digits whatever the field width (special_hex_number()); check_pointer()'s message first."""
    message = _bad_pointer(address_of(arg))
    if message is not None:
        return error_string(message, spec)
    kind = "dma_addr_t" if ext[1:2] == "d" else "phys_addr_t"
    data = arg.raw if isinstance(arg, Chars) else arg.data if isinstance(arg, Pointer) else None
    if data is None:
        raise PrintkUnsupported(f"%p{ext} of {what_of(arg)}: the {kind} it points at is not modelled")
    if len(data) < 8:
        raise PrintkUnsupported(f"%p{ext} reads an 8-byte {kind} where {len(data)} bytes are known (past the object, "
                                "or a byte never set)")
    return number(int.from_bytes(data[:8], "little"), SPECIAL | SMALL | ZEROPAD, 18, -1, 16)


def _guarded(ext: str, arg: Arg, spec: Spec) -> bytes:
    """%pK (restricted_pointer()) and %pV (va_format()) where what they print does not depend on what the mirror
    lacks: %pK of NULL is zeros under every kptr_restrict (hashing, CAP_SYSLOG and 2 all leave NULL as it is, a
    run being a task, not an IRQ), %pV of a bad pointer check_pointer()'s message."""
    address = address_of(arg)
    if ext[:1] == "K":
        if address == 0:
            return _pointer_string(0, spec)
        raise PrintkUnsupported(f"%pK of {what_of(arg)} prints as the kptr_restrict sysctl says (a hash, the address "
                                "or zeros, by CAP_SYSLOG), which the mirror cannot know")
    message = _bad_pointer(address)
    if message is not None:
        return error_string(message, spec)
    raise PrintkUnsupported(f"%pV of {what_of(arg)} prints a struct va_format's format and va_list, which the "
                            "mirror does not model")


def _checked(ext: str, arg: Arg, spec: Spec) -> bytes:
    """An extension whose function checks the pointer first (models.printkchecked): what it prints before the
    check, check_pointer()'s message for NULL, the first page or an error pointer, then what it prints of the
    pointer's bytes where the mirror models it."""
    early = before_check(ext, spec)
    if early is not None:
        return early
    message = _bad_pointer(address_of(arg))
    if message is not None:
        return error_string(message, spec)
    if ext[:1] == "h":
        return hex_string(ext, arg, spec, what_of(arg))
    return after_check(ext, arg, spec, what_of(arg), _POINTER_NAMES[ext[:1]])


def pointer(ext: str, arg: Arg, spec: Spec) -> bytes:
    """pointer(): what %p followed by the extension letters ``ext`` prints for ``arg``."""
    kind = ext[:1]
    if kind == "x":
        address = address_of(arg)
        if address is None:
            raise PrintkUnsupported(f"%px of {what_of(arg)}: its address is not modelled")
        return _pointer_string(address, spec)
    if kind == "e":
        address = address_of(arg)
        if address is not None and address >= (1 << 64) - MAX_ERRNO:
            return _err_ptr(address, spec)
        return _default_pointer(arg, spec, ext)
    if kind in ("u", "k"):
        if ext[1:2] != "s":
            return error_string(b"(einval)", spec)
        if kind == "k":
            return string(arg, spec)
        raise PrintkUnsupported("%pus reads a string from user space, which the mirror does not model")
    if kind in ("S", "s", "B"):
        return _symbol(ext, arg, spec)
    if kind == "a":
        return _address_val(ext, arg, spec)
    if kind in ("K", "V"):
        return _guarded(ext, arg, spec)
    if kind in CHECKED:
        return _checked(ext, arg, spec)
    if kind in _POINTER_NAMES:
        raise PrintkUnsupported(f"%p{ext} prints {_POINTER_NAMES[kind]}, which the mirror does not model")
    return _default_pointer(arg, spec, ext)
