"""Whether a .c file a series creates is built, and what a file it removes leaves that stops the build.

A created file is built when a Kbuild line of its directory names ``<stem>.o`` (or it is not known); a removed file
stops the build when a Makefile line names its object or a file includes it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from enum import StrEnum

from harness.activeincludes import plain_includes, quoted_includes
from harness.diffmodel import PatchedFile
from harness.filestate import LINK_MODE, FileState, unmodelled
from harness.makeconds import NEVER_TAKEN, NOT_READ, every_way, make_conditions
from harness.treelinks import through_links
from models.lazyre import POUND, lazy
from models.record import record

KBUILD_NAMES = ("Kbuild", "Makefile")  # kbuild reads Kbuild where a directory has one, else Makefile
# What an object list is assigned to: obj-y, obj-$(CONFIG_X), lib-y, <module>-y, <module>-objs ...; never flags,
# host or user programs, or extra/always targets, which are not linked into the kernel or a module.
_ASSIGN = re.compile(r"^\s*(?:override\s+)?([\w.$()-]+)\s*(?:\+|:|::|\?)?=(.*)$")
_LIST = re.compile(r"-(?:y|m|objs|\$\(\w+\))$")
_NOT_LINKED_LISTS = re.compile(r"flags|^(?:always|extra|hostprogs|userprogs|subdir|targets|clean|header-test)|^obj-n$")
_PATTERN = lazy(r"\$\((?:wildcard|patsubst)\b|%\.o\b")
_INCLUDE_C = re.compile(rf'^\s*{POUND}\s*include\s*"([^"]+\.c)"')
_GUARD = re.compile(r"^\s*[\w.-]*\$\((CONFIG_\w+)\)")


class Link(StrEnum):
    """Whether a created .c file is compiled and linked (into the kernel or a module) in a state."""

    LINKED = "linked"
    NOT_LINKED = "not linked"
    UNKNOWN = "unknown"
    # A .c file the patches delete or rename away while a Makefile line still names its object: make stops
    # ("No rule to make target"), so nothing of the state is built (harness.runner: every run a build error).
    GONE = "gone"


@record
class UnitLink:
    """A .c file the state's patches create, whether it is built, and what says so (a Makefile's file:line)."""

    path: str
    status: Link
    why: str
    # The CONFIG_ option guarding the Makefile line that builds it (obj-$(CONFIG_X) += x.o), taken as set: a result
    # resting on its code says so (harness.configonly.assumed_built).
    assumes: str = ""
    # Where its object is a module of its own (``obj-m += x.o``), the line saying so: its functions link into that
    # module alone, or, exported, into other modules, never into code built in (link_problems).
    module: str = ""


def created_c_files(files: Iterable[PatchedFile], earlier: AbstractSet[str] = frozenset()) -> set[str]:
    """The .c paths these patch files bring to a path (created, or a rename's or copy's target), in order;
    ``earlier``: what the patch files before them brought (a prefix's result, carried on to the next patch)."""
    out = set(earlier)
    for pf in files:
        if pf.is_deleted:
            out.discard(pf.source_path or "")
        elif (pf.is_new or pf.is_rename or pf.copy) and pf.path.endswith(".c"):
            out.add(pf.path)
    return out


def removed_files(files: Iterable[PatchedFile], earlier: AbstractSet[str] = frozenset()) -> set[str]:
    """The paths these patch files take away (deleted, or a rename's source), less those brought back;
    ``earlier`` as for created_c_files."""
    out = set(earlier)
    for pf in files:
        if pf.source_path is not None and (pf.is_deleted or pf.is_rename):
            out.add(pf.source_path)
        if pf.target_path is not None and (pf.is_new or pf.is_rename or pf.copy):
            out.discard(pf.target_path)
    return out


def stale_objects(state: Mapping[str, FileState], removed: set[str],
                  read: Callable[[str], FileState | None] | None) -> tuple[UnitLink, ...]:
    """Per .c file the state's patches removed (``removed``, absent from ``state``): the first Makefile line that
    still assigns its object to an object list (Link.GONE; a ``CONFIG_`` option guarding it taken as set, as
    everywhere), when no other source of that object (``stem.S``) is known to be there."""
    out = []
    for path in sorted(p for p in removed if p.endswith(".c")):
        f = state.get(path)
        stem = posixpath.splitext(path)[0]
        if f is None or not f.absent or _present(stem + ".S", state, read):
            continue
        for mk, text, rel in _makefiles(stem + ".o", state, read):
            n = next((n for n, named in _naming(text, rel) if named), None)
            if n is not None:
                taken = f" ({option} taken as set)" if (option := _guard(text, n)) else ""
                out.append(UnitLink(path, Link.GONE, f"{mk}:{n} names {rel}{taken}, and the patches take {path} "
                                    f"away: make has no rule to make {stem}.o"))
                break
    return tuple(out)


def stale_includes(state: Mapping[str, FileState], removed: set[str], links: tuple[UnitLink, ...],
                   later: Callable[[str], str | None] | None = None) -> tuple[UnitLink, ...]:
    """Per file the state's patches removed (``removed``, absent from ``state``) that a .c file of the state still
    includes with ``#include "..."`` next to itself, or a header of the state it so includes does (Link.GONE: gcc
    stops, no such file); a .c file the state creates that is not known to be built is left out. ``later``: the
    patch (``v4 02/2``) of the revision that creates a path after this state, else None; a file it creates is not
    there yet (its ``new file`` says so), and an include of it stops gcc as well."""
    unbuilt = {u.path for u in links if u.status is not Link.LINKED}
    gone = {p for p in removed if (f := state.get(p)) is not None and f.absent}
    out: dict[str, UnitLink] = {}
    todo = sorted((f for f in state.values() if f.path.endswith(".c") and not f.absent and f.path not in unbuilt),
                  key=lambda f: f.path, reverse=True) if gone or later is not None else []
    seen = {f.path for f in todo}
    while todo:  # the units, then the headers of the state they include, as gcc reads them
        f = todo.pop()
        # Only the lines gcc opens: none in a comment or a branch not built; one under an #if not decided is taken
        # as built, saying so (a header it names that is gone may stop the build: never a silent pass).
        for n, name, undecided in quoted_includes(f):
            near = posixpath.normpath(posixpath.join(posixpath.dirname(f.path), name))
            taken = f" ({undecided} taken as built)" if undecided else ""
            if near in gone and near not in out:
                out[near] = UnitLink(near, Link.GONE, f"{f.path}:{n} includes \"{name}\"{taken}, and the patches take "
                                     f"{near} away: gcc stops there (no such file)")
            elif near not in out and later is not None and not _present(near, state, None) \
                    and (by := later(near)) is not None:
                out[near] = UnitLink(near, Link.GONE, f"{f.path}:{n} includes \"{name}\"{taken}, which {by} creates "
                                     "later: gcc stops there (no such file)")
            elif near not in seen and (h := state.get(near)) is not None and not h.absent:
                seen.add(near)
                todo.append(h)
    return tuple(out.values())


def missing_includes(state: Mapping[str, FileState], touched: AbstractSet[str], read: Callable[[str], FileState | None],
                     dirs: tuple[str, ...]) -> tuple[UnitLink, ...]:
    """With a tree (``read``: its file at the base): per ``#include "NAME"`` line gcc reaches
    (harness.activeincludes: one under an ``#if`` not decided is taken as built, saying so) of a file the patches
    touch, or of any .c/.h file of the state whose base version already has it, whose NAME is a plain file name that
    neither the state nor the tree has next to the file or in an include folder (``dirs``), Link.GONE: gcc stops
    there (no such file). One the base's own file includes and lacks as well is said as the base's: the base does
    not build, whatever the patches do. A NAME with a folder in it is left alone: kbuild's generated include folders
    (build output, in no git tree) hold such paths (``asm/...``), never a plain name."""
    out: dict[str, UnitLink] = {}
    for path in sorted(state):
        f = state[path]
        if f.absent or f.included or not path.endswith((".c", ".h")):
            continue
        for n, name, undecided in plain_includes(f):
            near = posixpath.join(posixpath.dirname(path), name)
            places = (near, *(f"{d}/{name}" for d in dirs))
            if near in out or any(_present(p, state, read) for p in places):
                continue
            # One under an #if not decided is taken as built, saying so: the missing header may stop the build, so
            # never a silent pass (as stale_includes).
            said = f"{path}:{n} includes \"{name}\"" + (f" ({undecided} taken as built)" if undecided else "")
            if _base_lacks(path, name, places, read):
                out[near] = UnitLink(near, Link.GONE, f"{said}, which the tree lacks, next to it or in an include "
                                     "folder, and the base's own file includes it too: the base does not build (gcc "
                                     "stops there: no such file), whatever the patches do")
            elif path in touched:
                out[near] = UnitLink(near, Link.GONE, f"{said}, which neither the state nor the tree has, next to it "
                                     "or in an include folder: gcc stops there (no such file)")
    return tuple(out.values())


def _base_lacks(path: str, name: str, places: tuple[str, ...], read: Callable[[str], FileState | None]) -> bool:
    """Whether the base's own file at ``path`` reaches (or may: an ``#if`` not decided) an ``#include "name"`` that
    the base has nowhere either."""
    b = read(path)
    return b is not None and not b.absent and any(nm == name for _, nm, _ in plain_includes(b)) \
        and not any(_present(p, {}, read) for p in places)


def _present(path: str, state: Mapping[str, FileState], read: Callable[[str], FileState | None] | None) -> bool:
    f = state.get(path) or (read(path) if read is not None else None)
    return f is not None and not f.absent


def unit_links(state: Mapping[str, FileState], created: set[str], changed: set[str],
               read: Callable[[str], FileState | None] | None, made: frozenset[str] = frozenset()
               ) -> tuple[UnitLink, ...]:
    """Per created .c file still in ``state``: whether it is built. ``changed``: the paths the state's patches
    modify; ``made``: the paths they create; ``read``: the tree's file at a path (None: mail alone, no tree)."""
    out = []
    for path in sorted(created):
        f = state.get(path)
        if f is not None and not f.absent:
            out.append(_link(path, state, changed, read, made))
    return tuple(out)


def _makefiles(target: str, state: Mapping[str, FileState], read: Callable[[str], FileState | None] | None,
               slash: str = "") -> list[tuple[str, FileState, str]]:
    """(Makefile path, its state, the name of ``target`` there, then ``slash``) of the target's directory and
    each above it: ``target`` is an object (``dir/stem.o``) or, with ``slash="/"``, a directory."""
    out = []
    d = posixpath.dirname(target)
    while True:
        for name in KBUILD_NAMES:
            mk = posixpath.join(d, name) if d else name
            f = _kbuild_file(mk, state, read)
            if f is not None and not f.absent:
                if _readable(f):
                    out.append((mk, f, posixpath.relpath(target, d or ".") + slash))
                break  # kbuild reads a directory's Kbuild when it has one: its Makefile is not read then
        if not d:
            return out
        d = posixpath.dirname(d)


def _kbuild_file(path: str, state: Mapping[str, FileState], read: Callable[[str], FileState | None] | None
                 ) -> FileState | None:
    """The Kbuild file at ``path`` as make opens it: the state's, else the tree's, through a symlink at it or at a
    folder on its way to a file of the tree (harness.treelinks: a link out of the tree, a loop or a link to no file
    is not followed, said on one line), under the name make opened; a link whose target nothing shows (mail alone)
    is a file whose text is not known, never no file."""
    def lookup(at: str) -> FileState | None:
        return state.get(at) or (read(at) if read is not None else None)

    followed = through_links(path, lookup)
    if followed is None and (got := lookup(path)) is not None and got.mode == LINK_MODE:
        return unmodelled(path, (f"a symlink to {got.text or ''}, a file whose text is not known",), LINK_MODE)
    return followed


def _readable(f: FileState) -> bool:
    """Whether a Kbuild file's text is what kbuild reads: not a symlink not followed (out of the tree, to no file),
    nor a file whose text is not known (binary, blob mismatch)."""
    return f.usable and f.mode != LINK_MODE


def _unread_kbuild(d: str, state: Mapping[str, FileState], read: Callable[[str], FileState | None] | None
                   ) -> str | None:
    """Why the Kbuild file directory ``d`` has cannot be read (it exists, but its text is not known); None when it
    has none, or its text is known."""
    for name in KBUILD_NAMES:
        mk = posixpath.join(d, name) if d else name
        f = _kbuild_file(mk, state, read)
        if f is not None and not f.absent:
            if _readable(f):
                return None
            return f"{mk} is " + (f.provenance[0] if f.mode == LINK_MODE and f.provenance
                                  else "a file whose text is not known")
    return None


def _unbuilt_dir(path: str, state: Mapping[str, FileState], changed: set[str],
                 read: Callable[[str], FileState | None] | None, made: frozenset[str]) -> tuple[Link, str] | None:
    """Whether nothing in the directory of ``path`` is built (NOT_LINKED), or may not be (UNKNOWN), and why: it, or
    one above it, is a directory the patches create (they create its Makefile or Kbuild), and the Makefile of its
    parent, known whole or changed by the patches, names no ``dir/`` (kbuild descends only into directories an
    object list names); UNKNOWN when no text of the parent's Makefile decides (mail alone without a hunk of it, or
    only later patches' hunks). None when every such directory is named, or the parent builds by pattern."""
    d = posixpath.dirname(path)
    while d and any(posixpath.join(d, name) in made for name in KBUILD_NAMES):
        parent, sub = posixpath.dirname(d), posixpath.basename(d) + "/"
        texts = _makefiles(d, state, read, "/")
        if not any(_naming(f, rel) for _, f, rel in texts):
            own = [(mk, f) for mk, f, _ in texts if posixpath.dirname(mk) == parent]
            if any(_PATTERN().search(t.split("#", 1)[0]) for _, f in own for t, _ in f.lines.values()):
                return None
            if (whole := [mk for mk, f in own if f.complete]):
                return Link.NOT_LINKED, f"{whole[0]} names no {sub}, a directory the patches create"
            if (edited := [mk for mk, _ in own if mk in changed]):
                return Link.NOT_LINKED, f"the patches change {edited[0]}, and no hunk of it names {sub}, a " \
                    "directory they create"
            if own:
                return Link.UNKNOWN, f"{own[0][0]} is known only from hunks of later patches, which do not name " \
                    f"{sub}, a directory the patches create: give --tree"
            if (unread := _unread_kbuild(parent, state, read)) is not None:
                return Link.UNKNOWN, f"{unread}: whether it names {sub}, a directory the patches create, is unknown"
            if read is not None:
                return Link.NOT_LINKED, f"{parent or 'the top directory'} has no Makefile or Kbuild to name {sub}, " \
                    "a directory the patches create"
            return Link.UNKNOWN, f"no Makefile or Kbuild text of {parent or 'the top directory'} is known from mail " \
                f"alone, so whether kbuild descends into {sub}, a directory the patches create, is unknown: give " \
                f"--tree, or the series adds no line for {sub}"
        d = parent
    return None


def _link(path: str, state: Mapping[str, FileState], changed: set[str],
          read: Callable[[str], FileState | None] | None, made: frozenset[str] = frozenset()) -> UnitLink:
    texts = _makefiles(posixpath.splitext(path)[0] + ".o", state, read)
    no_dir = _unbuilt_dir(path, state, changed, read, made) if _included(path, state) is None else None
    if no_dir is not None and no_dir[0] is Link.NOT_LINKED:
        return UnitLink(path, *no_dir)
    found = _own_link(path, texts, state, changed, read)
    if no_dir is not None and found.status is Link.LINKED:  # its own Makefile builds it, if kbuild gets there
        return UnitLink(path, *no_dir)
    return found


def _own_link(path: str, texts: list[tuple[str, FileState, str]], state: Mapping[str, FileState], changed: set[str],
              read: Callable[[str], FileState | None] | None) -> UnitLink:
    """Whether the Makefiles of ``path``'s directory and those above (``texts``) build it, or a file includes it."""
    d, obj = posixpath.dirname(path), posixpath.basename(posixpath.splitext(path)[0] + ".o")
    unsure = ""
    for mk, f, rel in texts:
        for n, named in _naming(f, rel):
            if named:
                taken = f" ({option} taken as set)" if (option := _guard(f, n)) else ""
                module = f"{mk}:{n} names {rel} in obj-m" if _list_of(f, n) == "obj-m" else ""
                return UnitLink(path, Link.LINKED, f"{mk}:{n} names {rel}{taken}", option, module)
            cond = make_conditions(f, n).unread
            unsure = unsure or (f"{mk}:{n} names {rel} under {cond}, {NOT_READ}" if cond
                                else f"{mk}:{n} names {rel} in a line whose assignment no hunk shows")
    if (included := _included(path, state)) is not None:  # one a file includes is built with it
        return UnitLink(path, Link.LINKED, included)
    own = [(mk, f) for mk, f, _ in texts if posixpath.dirname(mk) == d]
    pattern = next((f"{mk}:{n} builds objects by pattern" for mk, f in own for n, (t, _) in sorted(f.lines.items())
                    if _PATTERN().search(t.split("#", 1)[0])), "") or _through_variable(own)
    if unsure or pattern:
        return UnitLink(path, Link.UNKNOWN, unsure or pattern)
    if not own:
        if (unread := _unread_kbuild(d, state, read)) is not None:
            return UnitLink(path, Link.UNKNOWN, f"{unread}: whether it names {obj} is unknown")
        if read is not None:
            return UnitLink(path, Link.NOT_LINKED, f"{d or 'the top directory'} has no Makefile or Kbuild")
        return UnitLink(path, Link.UNKNOWN, f"no Makefile or Kbuild text of {d or 'the top directory'} is known "
                        f"from mail alone: give --tree, or the series adds no Makefile line for {obj}")
    whole = [mk for mk, f in own if f.complete]
    if whole:
        never = next((f"{mk}:{n} names {obj} only under {why}, {NEVER_TAKEN}" for mk, f in own
                      for n in sorted(f.lines) if obj in f.lines[n][0].split("#", 1)[0].split()
                      and (why := make_conditions(f, n).never)), "")
        return UnitLink(path, Link.NOT_LINKED, never or f"{whole[0]} names no {obj}")
    edited = [mk for mk, _ in own if mk in changed]
    if edited:
        return UnitLink(path, Link.NOT_LINKED, f"the patches change {edited[0]}, and no hunk of it names {obj}")
    return UnitLink(path, Link.UNKNOWN, f"{own[0][0]} is known only from hunks of later patches, which do not name "
                    f"{obj}: give --tree")


def _included(path: str, state: Mapping[str, FileState]) -> str | None:
    """Where a file of the state includes the .c file at ``path`` (it is built with that file), if one does."""
    for f in (f for f in state.values() if f.path.endswith((".c", ".h"))):
        for n, inc in sorted((n, m.group(1)) for n, (t, _) in f.lines.items() if (m := _INCLUDE_C.match(t))):
            if posixpath.normpath(posixpath.join(posixpath.dirname(f.path), inc)) == path:
                return f"{f.path}:{n} includes it"
    return None


def assignment_head(f: FileState, n: int) -> int:
    """The first line of the assignment that line ``n`` is part of (lines continued with a backslash are one)."""
    head = n
    while head - 1 in f.lines and f.lines[head - 1][0].rstrip().endswith("\\"):
        head -= 1
    return head


def _through_variable(own: list[tuple[str, FileState]]) -> str:
    """Where an object list names objects through a variable (``obj-y += $(LDR_OBJS)``): which ones is not read."""
    for mk, f in own:
        for n in sorted(f.lines):
            head = assignment_head(f, n)
            m = _ASSIGN.match(f.lines[head][0])
            text = m.group(2) if m is not None and head == n else f.lines[n][0]
            if m is not None and _LIST.search(m.group(1)) and not _NOT_LINKED_LISTS.search(m.group(1)) \
                    and re.search(r"\$[({]", text.split("#", 1)[0]):
                return f"{mk}:{n} names objects through a variable"
    return ""


def _naming(f: FileState, rel: str, seen: frozenset[str] = frozenset()) -> list[tuple[int, bool]]:
    """(line, whether its assignment is known to be an object list) of each known line naming ``rel`` as a word
    outside a comment; lines continued with a backslash are read with the line they continue. A composite
    object's list (``ldr-y``, ``ldr-objs``) names it as the composite's object (``ldr.o``) is named: a line that
    is in no such list leaves it out; so is one inside a make conditional no x86-64 build takes (make_conditions),
    and one inside a conditional not read is not known to be an object list."""
    out: list[tuple[int, bool]] = []
    unsure: list[tuple[int, tuple[tuple[int, bool], ...]]] = []  # built but for make conditionals not read
    for n in sorted(f.lines):
        words = f.lines[n][0].split("#", 1)[0].split()
        if rel not in words:
            continue
        head = assignment_head(f, n)
        conds = make_conditions(f, head)
        if conds.never:
            continue
        m = _ASSIGN.match(f.lines[head][0])
        if m is None:
            if head - 1 not in f.lines and head > 1:
                out.append((n, False))  # continues a line no hunk shows, or is none: unknown
            continue
        name = m.group(1)
        if _LIST.search(name) and not _NOT_LINKED_LISTS.search(name) and (head != n or rel in m.group(2).split()):
            found = _composite(f, n, _LIST.sub("", name), seen)
            if conds.unread:
                unsure += [(k, conds.unknowns) for k, ok in found if ok]
                out += [(k, False) for k, _ in found]
            else:
                out += found
    if unsure and every_way([u for _, u in unsure]):  # 'ifdef X ... a.o ... else ... a.o ... endif'
        built = {k for k, _ in unsure}
        return [(k, ok or k in built) for k, ok in out]
    return out


def _list_of(f: FileState, n: int) -> str:
    """The name of the list the assignment line ``n`` is part of assigns ('obj-m'), or ""."""
    head = assignment_head(f, n)
    m = _ASSIGN.match(f.lines[head][0])
    return m.group(1) if m is not None else ""


def _guard(f: FileState, n: int) -> str:
    """The CONFIG_ options guarding the assignment that line ``n`` is part of (``obj-$(CONFIG_X) += ...``, then
    those the make conditionals around it need set: make_conditions), space-separated, or ""."""
    head = assignment_head(f, n)
    m = _GUARD.match(f.lines[head][0])
    return " ".join(dict.fromkeys([*([m.group(1)] if m else []), *make_conditions(f, head).options]))


def _composite(f: FileState, n: int, stem: str, seen: frozenset[str]) -> list[tuple[int, bool]]:
    """Line ``n`` names the object in ``stem``'s list: obj-* and lib-* are built; a composite's (``ldr-y``) only
    when a list of the file names ``ldr.o``: unknown when only a line no hunk shows may (or it names itself), left
    out when the file, known whole, names it in none."""
    if stem in ("obj", "lib"):
        return [(n, True)]
    module = stem + ".o"
    found = [] if module in seen else _naming(f, module, seen | {module})
    if any(ok for _, ok in found):
        return [(n, True)]
    return [(n, False)] if found or module in seen or not f.complete else []
