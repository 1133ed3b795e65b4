"""Whether a tree's .c file for an out-of-line function is built, and on which CONFIG_ options.

The Makefile line naming its object, and the ``#if`` lines around the definition (harness.unitdefs).

The mirror builds one configuration, every CONFIG_ option set (models.conditional): a definition under
``#ifdef CONFIG_X``, or in a file only ``obj-$(CONFIG_X) += x.o`` builds, is taken, and a result resting on it says
so (Header.assumes, harness.configonly.assumed_built). A file no Kbuild line builds is never linked, in any
configuration: its function is not taken; nor one whose being built is not known (objects by pattern, through a
variable). Of a function that one file builds whatever the configuration and another only with an option, the
first is the one linked: a configuration building both has two definitions of it, which does not link. A .c file
another .c file includes (``#include "seamcall_internal.c"``) is built with that file, in its unit, when that one
is (its include line's ``#if`` of an option taken as set, as everywhere). Makefile lines are read as
harness.linking reads a created file's (its helpers, shared).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from harness.activeincludes import quoted_includes
from harness.filestate import FileState
from harness.linking import _ASSIGN, _LIST, Link, UnitLink, _guard, _makefiles, _naming, _own_link, assignment_head
from harness.linkproblems import module_words
from harness.makeconds import NEVER_TAKEN, NOT_READ, make_conditions
from models.cdirectives import by_line
from models.lazyre import POUND, lazy
from models.record import record
from models.slicer import Definition

_IF = lazy(rf"^\s*{POUND}\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")
_OPTION = lazy(r"\bCONFIG_\w+")
MAX_INCLUDERS = 8  # files read that may include a .c file no Makefile names (harness.gitbase.TreeReader.includers)
MAX_DEPTH = 3  # .c files including one another followed, as harness.sysheaders follows #include <...> lines
Includers = Callable[[str], list[str] | None]  # a file name -> the tree's files that may include it (None: unknown)


@record
class Built:
    """How a tree's .c file is built: whether it is (``ok``), the CONFIG_ options that takes (``options``), and the
    words for both (``why``: 'k/Makefile:1 names seam.o (CONFIG_SEAM taken as set)')."""

    ok: bool
    options: str
    why: str


def built(path: str, read: Callable[[str], FileState | None], includers: Includers | None = None,
          impossible: Callable[[str], str | None] | None = None) -> Built:
    """harness.linking.tree_link of ``path`` as a Built: not ``ok`` unless LINKED, nor where an option it rests on
    is one no x86-64 build sets (``impossible``, harness.kconfig: its words)."""
    link = tree_link(path, read, includers)
    if link.status is Link.LINKED and link.module:  # its functions are taken for another object's code
        return Built(False, "", f"whether that links is unknown: it is a file {module_words(link)}")
    if link.status is Link.LINKED:
        for option in _OPTION().findall(link.assumes):
            if impossible is not None and (why := impossible(option)) is not None:
                return Built(False, "", f"kbuild does not build it on x86-64 ({link.why}; {why})")
        return Built(True, link.assumes, link.why)
    said = "kbuild does not build it" if link.status is Link.NOT_LINKED else "whether kbuild builds it is unknown"
    return Built(False, "", f"{said} ({link.why})")


def tree_link(path: str, read: Callable[[str], FileState | None], includers: Includers | None = None,
              seen: frozenset[str] = frozenset()) -> UnitLink:
    """Whether kbuild builds ``path``, a .c file of the tree no patch touches, read from the tree's Makefiles alone
    (``read``: its file at the base), as for a created file: LINKED with the CONFIG_ option guarding the line naming
    its object (``assumes``), NOT_LINKED where the Kbuild files, known whole, name no such object, UNKNOWN where they
    build by pattern or through a variable. The option guarding the line of each folder above that names the next
    folder down (``obj-$(CONFIG_X) += seam/``) is added to ``assumes`` and ``why`` (kbuild descends only into
    folders named; one no Makefile above names is taken as reached: the top Makefile descends by other lists).
    Where no Makefile builds it, a .c file of ``includers`` (at most MAX_INCLUDERS read, MAX_DEPTH deep) that
    includes it and is built builds it: LINKED with that file's words (``seen``: the files on the way)."""
    found = _own_link(path, _makefiles(posixpath.splitext(path)[0] + ".o", {}, read), {}, set(), read)
    if found.status is not Link.LINKED:
        by = _by_include(path, read, includers, seen) if includers is not None else None
        if isinstance(by, str):
            return UnitLink(path, found.status, f"{found.why}; {by}")
        return found if by is None else by
    options, why = [found.assumes] if found.assumes else [], [found.why]
    if (module := _module_guard(path, read)) is not None:  # a composite's part: built with the module's option
        options.append(module[0])
        why.append(module[1])
    d = posixpath.dirname(path)
    while d:
        parent = posixpath.dirname(d)
        for mk, f, rel in _makefiles(d, {}, read, "/"):
            if posixpath.dirname(mk) != parent:
                continue
            naming = _naming(f, rel)
            n = next((n for n, named in naming if named), None)
            if n is None and (no := _folder_conditional(mk, f, rel, naming)) is not None:
                return UnitLink(path, no[0], f"{', '.join(why)}, but {no[1]}")
            if n is not None and (option := _guard(f, n)):
                options.append(option)
                why.append(f"{mk}:{n} names {rel} ({option} taken as set)")
        d = parent
    return UnitLink(path, Link.LINKED, ", ".join(why), " ".join(dict.fromkeys(options)), found.module)


def _folder_conditional(mk: str, f: FileState, rel: str, naming: list[tuple[int, bool]]) -> tuple[Link, str] | None:
    """Where the only lines of the Makefile ``mk`` naming the folder ``rel`` are inside make conditionals: NOT_LINKED
    where no x86-64 build takes them, UNKNOWN where one is not read (a line in none, or none at all: None, the
    folder is taken as reached)."""
    lines = [n for n in sorted(f.lines) if rel in f.lines[n][0].split("#", 1)[0].split()]
    unread = next((f"{mk}:{n} names {rel} under {c}, {NOT_READ}" for n, _ in naming
                   if (c := make_conditions(f, n).unread)), "")
    if unread:
        return Link.UNKNOWN, unread
    never = [f"{mk}:{n} names {rel} only under {c}, {NEVER_TAKEN}" for n in lines
             if (c := make_conditions(f, n).never)]
    return (Link.NOT_LINKED, never[0]) if never and len(never) == len(lines) else None


def _by_include(path: str, read: Callable[[str], FileState | None], includers: Includers,
                seen: frozenset[str]) -> UnitLink | str | None:
    """LINKED where a built .c file reaches an ``#include "..."`` line naming ``path`` (relative to its own folder,
    as gcc looks a quoted name up first), with the options its Makefiles and the ``#if`` lines around that include
    take as set; where only files not built (or not known to be) include it, the words for the first; None where
    none does (or the search failed, or MAX_DEPTH files deep)."""
    if len(seen) >= MAX_DEPTH:
        return None
    unbuilt: str | None = None
    names = [p for p in includers(posixpath.basename(path)) or [] if p.endswith(".c") and p != path and p not in seen]
    for inc in sorted(names, key=lambda p: (posixpath.dirname(p) != posixpath.dirname(path), p))[:MAX_INCLUDERS]:
        got = read(inc)
        if got is None or got.absent or not got.usable:
            continue
        lines = [(n, cond) for n, name, cond in quoted_includes(got)
                 if posixpath.normpath(posixpath.join(posixpath.dirname(inc), name)) == path]
        if not lines:
            continue
        n, cond = lines[0]
        link = tree_link(inc, read, includers, seen | {path})
        if link.status is not Link.LINKED:
            said = "kbuild does not build that" if link.status is Link.NOT_LINKED else "whether kbuild builds that " \
                "is unknown"
            unbuilt = unbuilt or f"{inc}:{n} includes it, but {said} ({link.why})"
            continue
        around = line_guards(got, n)
        said = f"{inc}:{n} includes it" + (f", and that line is under {', '.join(around)}, taken as set"
                                             if around else "") + (f" ({cond} taken as built)" if cond else "")
        options = [*_OPTION().findall(" ".join(around)), *([cond] if cond and not around else []), link.assumes]
        return UnitLink(path, Link.LINKED, f"{said}; {link.why}", " ".join(o for o in options if o))
    return unbuilt


def _module_guard(path: str, read: Callable[[str], FileState | None]) -> tuple[str, str] | None:
    """The CONFIG_ option guarding the line that names the composite object ``path``'s object is a part of
    (``kvm-y += seam.o`` and ``obj-$(CONFIG_KVM) += kvm.o``: CONFIG_KVM), with its words; None where the first line
    naming it is an obj-/lib- list's, or the module's line has no option."""
    for mk, f, rel in _makefiles(posixpath.splitext(path)[0] + ".o", {}, read):
        n = next((n for n, named in _naming(f, rel) if named), None)
        if n is None:
            continue
        head = assignment_head(f, n)
        m = _ASSIGN.match(f.lines[head][0])
        stem = _LIST.sub("", m.group(1)) if m is not None else "obj"
        if stem in ("obj", "lib"):
            return None
        line = next((k for k, named in _naming(f, stem + ".o") if named), None)
        option = _guard(f, line) if line is not None else ""
        said = f"{mk}:{line} names {stem}.o, of which it is a part ({option} taken as set)"
        return (option, said) if option else None
    return None


def guards(got: FileState, d: Definition) -> str:
    """The ``#if`` lines around ``d`` in its file that test a CONFIG_ option, as the mirror took them (every option
    set): 'under #ifdef CONFIG_SEAM (k/seam.c:1)', '' where none does. An ``#else``/``#elif`` is said with the
    ``#if`` it follows."""
    said = line_guards(got, d.line)
    return f"{d.name}() at {d.where} is under {', '.join(said)}, taken as set" if said else ""


def line_guards(got: FileState, line: int) -> list[str]:
    """The ``#if`` lines open at ``line`` of ``got`` that test a CONFIG_ option, each with its file:line
    ('#ifdef CONFIG_SEAM (k/seam.c:1)'), outermost first."""
    frames: list[tuple[str, int]] = []
    numbers = sorted(k for k in got.lines if k < line)
    # Each directive read whole as gcc reads it (models.cdirectives): none in a comment, '#ifdef \\' 'CONFIG_X' one.
    for i, (_, text) in by_line([got.lines[k][0] for k in numbers]).items():
        n = numbers[i]
        m = _IF().match(text)
        if m is None:
            continue
        kind, rest = m.group(1), " ".join(m.group(2).split())
        if kind in ("if", "ifdef", "ifndef"):
            frames.append((f"#{kind} {rest}", n))
        elif kind == "endif" and frames:
            frames.pop()
        elif frames:
            first = frames[-1][0].split(" of ")[-1]
            frames[-1] = (f"#{kind}{' ' + rest if rest else ''} of {first}", n)
    return [f"{text} ({got.path}:{n})" for text, n in frames if _OPTION().search(text)]


_POSITIVE = lazy(r"^#(?:ifdef (CONFIG_\w+)|if (?:defined\s*\(?\s*|IS_ENABLED\s*\(\s*|IS_BUILTIN\s*\(\s*)"
                       r"(CONFIG_\w+)\s*\)?) \(")


def required_option(frame: str) -> str | None:
    """The CONFIG_ option an ``#if`` frame of line_guards needs set, where it tests that one alone
    ('#ifdef CONFIG_SEAM (k/seam.c:2)': CONFIG_SEAM); None for any other test."""
    m = _POSITIVE().match(frame)
    return (m.group(1) or m.group(2)) if m is not None else None


def options_of(text: str) -> str:
    """The CONFIG_ options a guard's words name, each once, space-separated."""
    return " ".join(dict.fromkeys(_OPTION().findall(text)))
