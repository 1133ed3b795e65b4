"""File modes as git apply reads them from a diff header (apply.c parse_mode_line) and writes them (create_ce_mode)."""

from __future__ import annotations

S_IFMT = 0o170000
S_IFREG = 0o100000
S_IFLNK = 0o120000
S_IFDIR = 0o040000
S_IFGITLINK = 0o160000
DIR_MODE = "040000"  # a tree entry's mode: git writes a file a patch gives exactly this mode so (written)
_KINDS = {S_IFREG: "a regular file", S_IFLNK: "a symbolic link", S_IFGITLINK: "a submodule", S_IFDIR: "a directory"}


def read_mode(text: str) -> str | None:
    """A header line's mode as git apply reads it: strtoul base 8 (leading blanks, a sign), the digits up to a blank
    (harness.githeader refused any other), as six octal digits or more ("0100644" is 100644, "644" 000644); None
    for 0, which git takes as no mode given (check_preimage uses the file's own), and for no digits."""
    digits = text.lstrip(" \t\n\v\f\r")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits[1:] if digits[:1] in "+-" else digits
    n = len(digits) - len(digits.lstrip("01234567"))
    value = (sign * int(digits[:n], 8)) & 0xFFFFFFFF if n else 0  # an unsigned int, as apply.c stores it
    return f"{value:06o}" if value else None


def kind(mode: str) -> int:
    """The file type bits of a mode (S_IFMT): what git apply's 'wrong type' and 'new mode ... does not match old
    mode' checks compare, before any mode is made canonical."""
    return int(mode, 8) & S_IFMT


def kind_words(mode: str) -> str:
    """What kind of file a mode says, in words."""
    return _KINDS.get(kind(mode), f"no file type (type bits {kind(mode):06o})")


def written(mode: str) -> str:
    """The mode git writes for a file a patch gives ``mode`` (cache.h create_ce_mode): a symlink's 120000, a
    directory's or submodule's 160000 (040000 itself stays a directory entry), else a regular file's 100755 when
    the owner may execute it and 100644 otherwise ("100664" is written 100644, "644" too)."""
    value = int(mode, 8)
    if value & S_IFMT == S_IFLNK:
        return "120000"
    if value == S_IFDIR:
        return DIR_MODE
    if value & S_IFMT in (S_IFDIR, S_IFGITLINK):
        return "160000"
    return "100755" if value & 0o100 else "100644"
