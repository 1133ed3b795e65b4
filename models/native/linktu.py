"""The variant's other .c file a unit is linked with, as kbuild links the objects of a module (models.native.rawtu)."""

from __future__ import annotations

import re

from models.loader import Source, definitions
from models.slicer import Kind

_UNDEFINED = re.compile(r"undefined reference to [`']([A-Za-z_]\w*)'")


def linked_file(files: tuple[tuple[str, str], ...], main: str | None, stderr: str, linked: list[str]) -> str | None:
    """The variant's .c file of ``files`` ((path, text), known whole), not ``main`` nor one of ``linked``, that
    defines (not static, not extern) the function or object the linker's ``stderr`` found no definition of, as kbuild
    links a helper moved out of line, or a lock or static key another unit defines (``DEFINE_MUTEX(m)`` there,
    ``extern struct mutex m`` in a header), into another object of the module or the kernel; the mirror links it too
    (its run succeeded). None when no other file defines it."""
    ld = _UNDEFINED.search(stderr)
    if ld is None:
        return None
    for path, text in files:
        if not path.endswith(".c") or path == main or path in linked:
            continue
        for d in definitions((Source(path, ((1, tuple(text.split("\n"))),), True),)).get(ld.group(1), ()):
            if d.kind in (Kind.FUNCTION, Kind.VARIABLE) and \
                    not re.search(r"\b(?:static|extern)\b", d.text.split(ld.group(1), 1)[0]):
                return path
    return None
