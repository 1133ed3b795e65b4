"""Kbuild files read for the compiler flags they hand a unit: ccflags-y, subdir-ccflags-y and CFLAGS_x.o lines.

Only what make's own reading leaves no doubt about is read (GNU make manual, "Reading Makefiles"; kbuild's use of
the variables: Documentation/kbuild/makefiles.rst and scripts/Makefile.lib): an assignment of one of those
variables written out, at the top level of the file (no ``ifeq``/``ifdef`` around it, no ``define`` block), whose
preprocessor flags are ``-DNAME``, ``-DNAME=BODY`` or ``-UNAME`` with no ``$(...)``, quote or backslash in them.
Any other line that hands the preprocessor a flag is not read, with the reason (harness.kbuilddefs keeps the
verdict inconclusive there).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from harness.errors import InputError, Where
from harness.filestate import FileState
from models.lazyre import lazy
from models.record import record

# A flag that defines, undefines or includes for every unit it is given to, wherever it stands in a line (after a
# blank, an '=', a quote, or a comma or parenthesis of a $(call ...)).
PREPROCESSOR_FLAG = re.compile(r"(?:^|[\s=\"',(])-(?:[DU]|include\s|imacros\s)")
_ASSIGNMENT = lazy(r"([^\s:+?=]+)\s*(\+=|::=|:=|\?=|=)\s*(.*)$")
_READ_VARIABLE = lazy(r"subdir-ccflags-y|ccflags-y|CFLAGS_[\w,-]+\.o")
_MAKE_INCLUDE = lazy(r"\s*(?:-|s)?include\s")
_CONDITIONAL = lazy(r"\s*(ifeq|ifneq|ifdef|ifndef|endif|define|endef)\b")
_MACRO = lazy(r"[A-Za-z_]\w*")
_ARCH = lazy(r"arch/[^/]+")
_PATH_FLAGS = ("-I", "-isystem", "-iquote", "-idirafter")  # a folder, maybe spelt with $(srctree): no macro


@record
class Flag:
    """One ``-D``/``-U`` of a read line: ``undefine`` for -U; ``body`` as gcc takes it (``-DX`` is ``1``)."""

    name: str
    body: str
    undefine: bool = False


@record
class Assignment:
    """A read assignment of a flags variable: ``op`` ``+=`` appends, any other sets; ``flags`` its -D/-U in order."""

    variable: str
    op: str
    flags: tuple[Flag, ...]
    path: str
    line: int
    text: str
    last: int = 0  # the last line it spans (continued with backslashes)


@record
class Unread:
    """A line that hands the preprocessor something, or sets a flags variable, in a way not read: why not."""

    path: str
    line: int
    text: str
    why: str
    names: tuple[str, ...] = ()  # the macros its -D/-U name, where they could be told
    variable: str = ""  # the flags variable it sets, where it is one of those read


@record
class KbuildFile:
    """What a Kbuild file hands its units: read assignments in file order, and the lines not read."""

    path: str
    assignments: tuple[Assignment, ...] = ()
    unread: tuple[Unread, ...] = ()


def logical_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(first line number, last line number, text) of each line of a makefile with its backslash-newlines joined
    by one blank, as make joins them, and its comment (from an unescaped ``#``) cut off."""
    start, parts = 0, list[str]()
    for n, line in enumerate(text.splitlines(), 1):
        if not parts:
            start = n
        if line.endswith("\\") and not line.endswith("\\\\"):
            parts.append(line[:-1].strip() if parts else line[:-1].rstrip())
            continue
        parts.append(line.strip() if parts else line)
        joined = " ".join(parts)
        parts = []
        yield start, n, joined.split("#", 1)[0] if "\\#" not in joined else joined
    if parts:
        yield start, start + len(parts) - 1, " ".join(parts)


def read_kbuild(path: str, text: str) -> KbuildFile:
    """The flag assignments and unread lines of a Kbuild file's whole ``text``."""
    assignments: list[Assignment] = []
    unread: list[Unread] = []
    depth = 0
    for n, last, line in logical_lines(text):
        if _MAKE_INCLUDE().match(line):  # what it sets is not read: the flags may be other than those read
            unread.append(Unread(path, n, line.strip(), "includes another makefile, which is not read"))
            continue
        if (c := _CONDITIONAL().match(line)) is not None:
            depth = max(0, depth + (1 if c.group(1) in ("ifeq", "ifneq", "ifdef", "ifndef", "define") else -1))
            continue
        flagged = PREPROCESSOR_FLAG.search(line) is not None
        m = _ASSIGNMENT().match(line.strip())
        ours = m is not None and _READ_VARIABLE().fullmatch(m.group(1)) is not None
        if not flagged and (not ours or m is None or m.group(2) == "+="):
            continue  # no macro, and no reset of one (an append of other flags changes no macro)
        found = _assigned(path, n, line, m, ours, depth)
        if isinstance(found, Assignment):
            assignments.append(replace(found, last=last))
        else:
            unread.append(found)
    return KbuildFile(path, tuple(assignments), tuple(unread))


def _assigned(path: str, n: int, line: str, m: re.Match[str] | None, ours: bool, depth: int
              ) -> Assignment | Unread:
    text = line.strip()
    if depth:
        return Unread(path, n, text, "under an ifeq/ifdef, which is not read", _named(text))
    if m is None:
        return Unread(path, n, text, "not an assignment of a flags variable", _named(text))
    if not ours:
        return Unread(path, n, text, f"sets {m.group(1)}, which is not read (only ccflags-y, subdir-ccflags-y and "
                      "CFLAGS_<object>.o are)", _named(text))
    if m.group(2) == "?=":
        return Unread(path, n, text, "a '?=' assignment, whose effect rests on what came before", _named(text))
    flags = _flags(m.group(3).split())
    if isinstance(flags, str):
        return Unread(path, n, text, flags, _named(text), m.group(1))
    return Assignment(m.group(1), m.group(2), flags, path, n, text)


def _named(text: str) -> tuple[str, ...]:
    return tuple(m.group(1) for m in re.finditer(r"-[DU]\s*([A-Za-z_]\w*)", text))


def _flags(tokens: list[str]) -> tuple[Flag, ...] | str:
    """The -D/-U of an assignment's words, or why they are not read (a malformed one: ``!`` and gcc's words)."""
    out: list[Flag] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("-D", "-U") or t.startswith(("-D", "-U")):
            arg = tokens[i + 1] if t in ("-D", "-U") and i + 1 < len(tokens) else t[2:]
            i += 2 if t in ("-D", "-U") else 1
            found = _flag(t[1] == "U", arg)
            if isinstance(found, str):
                return found
            out.append(found)
            continue
        if t.startswith(("-include", "-imacros")):
            return f"'{t}' hands every unit a file of macros, which is not read"
        if t in _PATH_FLAGS:
            i += 2
            continue
        if "$" in t and not t.startswith(_PATH_FLAGS):
            return f"'{t}' is made by make ($-expansion), which is not read"
        if any(c in t for c in "\"'`\\"):
            return f"'{t}' is quoted, which is not read"
        if not t.startswith("-"):
            return f"'{t}' is not a compiler flag"
        i += 1
    return tuple(out)


def _flag(undefine: bool, arg: str) -> Flag | str:
    if not arg:
        return "!-D or -U with no macro name: gcc refuses it (macro names must be identifiers)"
    if any(c in arg for c in "$\"'\\`"):
        return f"'{arg}' is quoted or made by make, which is not read"
    name = _MACRO().match(arg)
    if name is None:
        return f"!'{arg}': gcc refuses it (macro names must be identifiers)"
    rest = arg[name.end():]
    if undefine and rest:
        return f"'-U{arg}': gcc undefines '{name.group(0)}' and warns of the rest, which is not read"
    if rest.startswith("("):
        return f"'-D{arg}' defines a function-like macro, which is not read"
    if rest and not rest.startswith("="):
        return f"!'{arg}': gcc refuses it (macro names must be identifiers)"
    return Flag(name.group(0), rest[1:] if rest else "1", undefine)


def malformed(unread: Iterable[Unread]) -> None:
    """Raise InputError (exit status 2) at the first line whose flag gcc refuses outright (``-D9X``, ``-D=1``)."""
    for u in unread:
        if u.why.startswith("!"):
            raise InputError(Where(u.path, u.line), f"'{u.text}': {u.why[1:]}")


def kbuild_path(folder: str, exists: Callable[[str], bool]) -> str | None:
    """The Kbuild file kbuild reads in ``folder`` (``Kbuild`` before ``Makefile``), None for one not read here:
    the top one and the arch's Makefile, the build's own flags."""
    if not folder:
        return None
    kbuild = posixpath.join(folder, "Kbuild")
    if exists(kbuild):
        return kbuild
    return None if _ARCH().fullmatch(folder) else posixpath.join(folder, "Makefile")


def folders_above(folder: str) -> list[str]:
    """``folder`` and each folder above it, the deepest first, the top ("") left out."""
    out = []
    while folder:
        out.append(folder)
        folder = posixpath.dirname(folder)
    return out


_ABSENT = FileState("", True, {}, 0, (), absent=True)


def tree_kbuild(state: dict[str, FileState], read: Callable[[str], FileState | None]) -> tuple[tuple[str, str], ...]:
    """(path, text) of the tree's Kbuild files above the state's .c units that the state does not hold and that
    hand a preprocessor flag, and of each such ``Kbuild`` (it hides its folder's Makefile): Variant.kbuild."""
    out: dict[str, str] = {}
    for folder in sorted({d for p in state if p.endswith(".c") for d in folders_above(posixpath.dirname(p))}):
        path = kbuild_path(folder, lambda p: not (state.get(p) or read(p) or _ABSENT).absent)
        if path is None or path in state or (found := read(path)) is None or found.absent or found.text is None:
            continue
        if path.endswith("Kbuild") or PREPROCESSOR_FLAG.search(found.text):
            out[path] = found.text
    return tuple(out.items())
