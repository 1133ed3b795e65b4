"""The argument and conversion types of printk formatting (models.printk), apart so that its helpers build on them."""

from __future__ import annotations

from models.record import record


class PrintkError(ValueError):
    """A printk argument that does not fit its conversion (a string for %d, too few arguments)."""


class PrintkUnsupported(PrintkError):
    """A conversion whose output depends on what the mirror does not model (memory, symbols, hashing)."""


@record
class Pointer:
    """A pointer argument: its address when the mirror knows it (NULL, ERR_PTR(), integers), else None; ``data``, the
    bytes it points at to the end of its object as far as they are set, where a %ph or %pa in the format reads them;
    ``symbol``, the name kallsyms gives what it points at, where the mirror knows it (a function the code defines);
    ``members``, the integer members (name, value) of the struct resource it points at, where %pR/%pr read them;
    ``vaf``, the format and the arguments of the struct va_format it points at, which %pV prints (models.printk)."""

    address: int | None
    what: str = "an object"
    data: bytes | None = None
    symbol: str = ""
    members: tuple[tuple[str, int], ...] = ()
    vaf: tuple[bytes, tuple[Arg, ...]] | None = None


Arg = int | bytes | Pointer


@record
class Spec:
    """One decoded conversion, as format_decode() leaves struct printf_spec."""

    flags: int
    width: int
    precision: int
    qualifier: str
    conv: str
