"""Headers of the kernel's include paths (``#include <...>``) a tree supplies, for names nothing else defines."""

from __future__ import annotations

import posixpath
import re
from collections import deque
from collections.abc import Callable, Iterable
from functools import lru_cache

from harness.filestate import FileState
from harness.treelinks import state_or_base, through_links
from models.conditional import Conditions
from models.lazyre import lazy
from models.loader import Source, definitions
from models.record import record
from models.slicer import Kind

BaseReader = Callable[[str], FileState | None]
_LABEL = lazy(r"v([^ ]*) (\d+)/\d+ ")  # a Variant.applied label: revision, patch number (every_patch_before)
# Where kbuild's gcc looks for <...>, in order: the top-level Makefile's LINUXINCLUDE and USERINCLUDE for
# SRCARCH x86 (in-tree build: $(objtree) is $(srctree)). The generated folders hold build output, which a
# git tree does not: looked at all the same, so that a tree holding them is read as gcc reads it.
INCLUDE_DIRS = ("arch/x86/include", "arch/x86/include/generated", "include", "arch/x86/include/uapi",
                "arch/x86/include/generated/uapi", "include/uapi", "include/generated/uapi")
MAX_DEPTH = 3  # the units' own #include <...> lines are depth 1, the headers those include depth 2, ...
MAX_HEADERS = 48  # headers read (each once) per state
MAX_HEADER_BYTES = 256 * 1024  # a header past this is not read (the kernel's largest are about half of it)


@record
class Header:
    """A ``<...>`` header read whole from the tree, the names taken from it, and the include that led to it."""

    state: FileState
    names: frozenset[str]
    via: str  # '#include <asm/foo.h> in x/a.c:3'
    # A .c file of the tree found for out-of-line functions (harness.unitdefs): the CONFIG_ options its being built
    # or its definitions rest on, taken as set, and where ('k/Makefile:1 names seam.o (CONFIG_SEAM taken as set)'):
    # a result resting on its code says so (harness.configonly.assumed_built).
    assumes: str = ""

    def source(self) -> Source:
        pieces = tuple((fr.start, fr.lines) for fr in self.state.fragments())
        return Source(self.state.path, pieces, True, only=self.names)


@record
class Lookup:
    """What the ``<...>`` headers gave a state: the headers names were taken from, the names the code uses
    that no file, header or prelude defines, and where they were looked for."""

    headers: tuple[Header, ...] = ()
    unknown: frozenset[str] = frozenset()
    searched: str = ""
    # Every header read whole, names taken or not: a unit reads all of them in gcc's order (harness.tuorder).
    read: tuple[FileState, ...] = ()
    # Per weak function of the state's files that the tree defines strong elsewhere, kbuild building it: why a run
    # of the weak one is no run of the kernel's (harness.weakdefs).
    overridden: tuple[tuple[str, str], ...] = ()
    # Per __weak variable of the state's files, each .c file of the tree read that defines it strong but kbuild does
    # not build (or builds under an option no x86-64 build sets): ld links none of them (harness.weakdefs).
    unlinked: tuple[tuple[str, str], ...] = ()
    # Per definition whose built lines rest on a CONFIG_ option no x86-64 build of the tree sets, which the mirror
    # takes as set: why a run of it is no run of the kernel's (harness.kconfigbranch).
    misread: tuple[tuple[str, str], ...] = ()
    # Per kernel function the mirror models that the code calls, declared where gcc reads it with another parameter
    # list than the mirror runs: why its calls are refused (harness.primdecls; models.cload drops the name).
    refused: tuple[tuple[str, str], ...] = ()


NO_HEADERS = Lookup()  # mail alone, or nothing missing


@lru_cache(maxsize=1)
def prelude_names() -> frozenset[str]:
    """Every name the mirror knows without the variant's files: the prelude's types and macros, the kernel
    primitives table (models/kernel.py) and the compile-time builtins; a header never overrides them. The
    kernel constants the prelude assumes values for (models.prelude.KERNEL_CONSTANTS) are not among them: the
    tree's headers are searched for them, and a definition found there is the one gcc builds with."""
    from models.atomic import LATE_TYPES
    from models.builtinnames import COMPILE_TIME_NAMES
    from models.prelude import KERNEL_CONSTANTS, PRELUDE_PATH, TYPES, macro_lines
    from models.primnames import PRIMITIVE_NAMES

    typed = definitions((Source(PRELUDE_PATH, ((1, tuple((TYPES + LATE_TYPES).split("\n"))),), True),))
    known = frozenset(typed) | {n for n, _, _ in macro_lines()} | PRIMITIVE_NAMES | COMPILE_TIME_NAMES
    return known - KERNEL_CONSTANTS - TREE_LAID_OUT


# Struct tags the prelude defines as mainline lays them out, whose layout a tree's header decides instead: the
# registers a SEAMCALL passes (struct tdx_module_args), which the mirror reads member by member (a tree of six of them
# ran 'args->r12', which gcc refuses, under the prelude's thirteen). The prelude's stand only where no header has one.
TREE_LAID_OUT = frozenset({"tdx_module_args"})


def system_includes(f: FileState) -> list[tuple[int, str]]:
    """(line, name as written) of a file's known ``#include <...>`` lines that the one configuration seamharness
    runs builds (every ``CONFIG_`` option set, models.conditional): in a whole file, one under ``#ifndef
    CONFIG_X``, the ``#else`` of ``#ifdef CONFIG_X`` or an ``#if`` not decided is not followed, since a
    definition only it supplies would run code gcc does not build (fragments are read as they are)."""
    return [(n, written) for n, written, _ in path_includes(f)]


def path_includes(f: FileState, nearby: Callable[[str], bool] | None = None) -> list[tuple[int, str, str]]:
    """system_includes, each with the line as written (``<asm/seam.h>``); with ``nearby`` (whether a path is a file
    of the state or tree), an ``#include "..."`` no file beside ``f`` answers too: gcc then looks in the include
    paths as for ``<...>`` (``#include "asm/seam.h"`` in a .c file of arch/x86/virt/seam/ is
    arch/x86/include/asm/seam.h); one beside it is statefiles.with_local_headers'."""
    out, brackets = [], ("<", '"') if nearby is not None else ("<",)
    cond = Conditions(f.path) if f.complete else None
    found = list(f.directives())  # each read as gcc reads it (models.cdirectives): comments, backslash-newlines
    for k, d in enumerate(found):
        n, got = d.line, d.included()
        if got is None and cond is not None:
            after = found[k + 1] if k + 1 < len(found) else None  # the next line, to tell a header guard's #define
            cond.directive(f"#{d.name} {d.rest}", n, f"#{after.name} {after.rest}" if after is not None and
                           after.line == n + 1 else f.lines.get(n + 1, ("", ""))[0])
        if got is None or got[0] not in brackets or (cond is not None and cond.built() is not True):
            continue
        written = got[1]
        quoted = got[0] == '"'
        if ".." in written.split("/") or (quoted and nearby is not None and nearby(
                posixpath.normpath(posixpath.join(posixpath.dirname(f.path), written)))):
            continue
        out.append((n, written, f'"{written}"' if quoted else f"<{written}>"))
    return out


def resolve_header(written: str, base: BaseReader, read: dict[str, FileState | None],
                   files: dict[str, FileState]) -> tuple[FileState | None, str]:
    """The header ``<written>`` names, found as gcc finds it (the first of INCLUDE_DIRS holding it), or why not.
    A header the state's patches change or delete is the state's, never the base commit's copy; a symlink is
    followed within the tree (harness.treelinks)."""
    for folder in INCLUDE_DIRS:
        got = through_links(f"{folder}/{written}", state_or_base(files, base, read))
        path = f"{folder}/{written}"
        if got is None or got.absent:
            continue
        if not got.complete or not got.usable:
            return None, f"{path}: {'; '.join(got.provenance) or 'not readable'}"
        if sum(len(t) + 1 for t, _ in got.lines.values()) > MAX_HEADER_BYTES:
            return None, f"{path}: larger than {MAX_HEADER_BYTES >> 10} KiB, not read"
        return got, ""
    return None, f"no such file in {', '.join(INCLUDE_DIRS)}"


def unincluded_headers(files: Iterable[FileState], every_patch: bool = False) -> frozenset[str]:
    """The headers of a state that a patch created (the base lacked them) and that no file of the state names in
    an ``#include`` line: only a line a patch added can include a file the base lacked, and the state shows
    every such line (in a hunk if not whole), so no translation unit reads them (a header added by one patch and
    included by the next). Their definitions must not stand in for those the units do read (models.loader:
    Source.unincluded). A name is taken as included wherever gcc might find it (more included, never less).
    Judged only where the state's .c files are all known whole, and one comes from a tree (the units a tree
    gives) or ``every_patch``: the input holds every patch up to the state's last (states_every_patch). From a
    trimmed series (a patch missing before it) the unit that includes the header may be a file no patch given
    shows; from mail alone the build's ``-I`` folders are not read, so an include of the header's file name from
    any folder counts."""
    files = [f for f in files if not f.absent]
    units = [f for f in files if f.path.endswith(".c")]
    if not units or not all(f.complete for f in units):
        return frozenset()
    mail_only = all(created_by_series(f) for f in units)
    if mail_only and not every_patch:
        return frozenset()
    named: set[str] = set()
    for f in files:
        for bracket, name in f.includes.values():  # '#inc\\' then 'lude "x.h"' too, as gcc reads it
            if bracket:
                if bracket == '"':
                    named.add(posixpath.normpath(posixpath.join(posixpath.dirname(f.path), name)))
                named.update(f"{d}/{name}" for d in INCLUDE_DIRS)
                named.update(("/" + posixpath.basename(name),) if mail_only else ())
    return frozenset(f.path for f in files if f.path.endswith(".h") and f.complete and f.path not in named
                     and "/" + posixpath.basename(f.path) not in named and created_by_series(f))


def every_patch_before(applied: Iterable[str], version: int | None) -> bool:
    """Whether the patches a state applied (Variant.applied labels, ``v4 02/3 <msgid>``) of revision ``version`` are
    every one numbered up to its last: no patch the input lacks could have added an ``#include`` line."""
    numbers = {int(m.group(2)) for a in applied if (m := _LABEL().match(a)) and m.group(1) == str(version)}
    return version is not None and bool(numbers) and numbers == set(range(1, max(numbers) + 1))


def created_by_series(f: FileState) -> bool:
    """Whether a patch of the series created the file (harness.patching names its origin so, first)."""
    return f.provenance[:1] != () and f.provenance[0].startswith("created by ")


def _wanted(files: Iterable[FileState]) -> tuple[set[str], frozenset[str]]:
    """The names the files' code uses that neither they nor the prelude define (locals and members too:
    harmless, a header defines none of them at file scope, or gcc would expand its macro there too), and the
    names the files define."""
    files = list(files)
    dead = unincluded_headers(files)
    own = [Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete, unincluded=f.path in dead)
           for f in files if f.path.endswith((".c", ".h")) and f.usable]
    table = definitions(own)
    used: set[str] = set()
    for ds in table.values():
        for d in ds:
            used |= _free_names(d.text, d.params or ()) & d.identifiers()
    # A name only an unincluded header defines is still looked for: the header a unit reads may define it too.
    defined = {n for n, ds in table.items() if any(d.path not in dead for d in ds)}
    return {n for n in used if n not in defined and n not in prelude_names()}, frozenset(defined)


_COMMENT = lazy(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
_LITERAL = lazy(r'"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"|\'[^\'\\\n]*+(?:\\.[^\'\\\n]*+)*+\''
                      r'|\.?\b\d[\w.]*|^\s*#\s*\w+', re.MULTILINE)
_MEMBER = lazy(r"(?:\.|->)\s*[A-Za-z_]\w*")
# A name declared right after its type (``u64 fn``, ``struct x *args``), followed by what ends a declarator.
_DECLARED = lazy(r"\b([A-Za-z_]\w*)\s*[\s*]\s*\**\s*([A-Za-z_]\w*)\s*(?=[=;,)\[])")
_NOT_A_TYPE = frozenset({"return", "else", "goto", "case", "sizeof", "do", "typeof", "__typeof__"})


@lru_cache(maxsize=65536)
def _free_names(text: str, params: tuple[str, ...]) -> frozenset[str]:
    """The names a definition's text may need from elsewhere: not in comments, strings, numbers or directives,
    not a member (``.x``, ``->x``), a macro's parameter, nor declared in it (parameters, locals, members), so
    that reading the headers stops once what is really missing is found."""
    text = _MEMBER().sub(" ", _LITERAL().sub(" ", _COMMENT().sub(" ", text)))
    declared = {m.group(2) for m in _DECLARED().finditer(text) if m.group(1) not in _NOT_A_TYPE}
    return frozenset(re.findall(r"[A-Za-z_]\w*", text)) - declared - set(params)


def system_headers(files: dict[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                   entries: tuple[str, ...] = ()) -> Lookup:
    """The ``<...>`` headers that define names the state's code uses and nothing else defines.

    Breadth first from the files' own ``#include <...>`` lines, MAX_DEPTH deep, at most MAX_HEADERS headers
    each read once (``read`` remembers the tree's answers across states), none over MAX_HEADER_BYTES;
    reading stops once every such name is found. A name a header's definition uses is looked for the same way.
    A header that is not there or not read costs only the names it would have given: they stay unknown, and
    ``searched`` says where they were looked for and what could not be read. ``entries``: the matrix's entry
    points, wanted too though no code of the state names them (a helper of a header the unit includes runs
    as gcc would build it, rather than being said absent).
    """
    wanted, own = _wanted(files.values())
    wanted |= {e for e in entries if e not in own and e not in prelude_names()}
    if not wanted:
        return NO_HEADERS
    def nearby(path: str) -> bool:
        got = through_links(path, state_or_base(files, base, read))
        return got is not None and not got.absent

    queue = deque((written, f"{spelt} in {f.path}:{n}", 1) for f in sorted(files.values(), key=lambda f: f.path)
                  if f.path.endswith((".c", ".h")) for n, written, spelt in path_includes(f, nearby))
    seen: set[str] = set()
    index: dict[str, list[tuple[str, set[str]]]] = {}  # name -> (header path, the names its definitions use)
    taken: dict[str, set[str]] = {}
    found: dict[str, tuple[FileState, str]] = {}
    problems: list[str] = []
    unsliced: list[FileState] = []  # read, but naming none of the names still looked for: not sliced (yet)
    while queue and wanted - set().union(*taken.values()) and len(seen) < MAX_HEADERS:
        written, via, depth = queue.popleft()
        if written in seen:
            continue
        seen.add(written)
        got, why = resolve_header(written, base, read, files)
        if got is None:
            problems.append(f"#include {via}: {why}")
            continue
        found[got.path] = (got, f"#include {via}")
        unsliced.append(got)
        while _index_mentioning(unsliced, wanted - set().union(*taken.values()), index):
            _take(wanted, own, index, taken)
        if depth < MAX_DEPTH:
            queue.extend((w, f"{spelt} in {got.path}:{n}", depth + 1) for n, w, spelt in path_includes(got, nearby))
        else:  # said only if a name stays unknown: the one header that would have given it may be among these
            problems.extend(f"#include <{w}> in {got.path}:{n}: not followed ({MAX_DEPTH} deep)"
                            for n, w in system_includes(got) if w not in seen)
    headers = tuple(Header(found[p][0], frozenset(names), found[p][1]) for p, names in taken.items())
    unknown = frozenset(wanted - set().union(*taken.values()) - TREE_LAID_OUT)  # no header: the prelude's stands
    return Lookup(headers, unknown, _searched(len(found), len(seen) >= MAX_HEADERS, problems) if unknown else "",
                  tuple(got for got, _ in found.values()))


def _index_mentioning(unsliced: list[FileState], open_names: set[str],
                      index: dict[str, list[tuple[str, set[str]]]]) -> bool:
    """Slice the headers read whose text names one of ``open_names`` (slicing is what costs) into ``index``:
    name -> (header path, the names its definition uses); whether any was. The others wait in ``unsliced``."""
    hits = [f for f in unsliced if open_names & _tokens(f)]
    for got in hits:
        unsliced.remove(got)
        src = Source(got.path, tuple((fr.start, fr.lines) for fr in got.fragments()), True)
        for name, ds in definitions((src,)).items():
            uses = set().union(*(_free_names(d.text, d.params or ()) & d.identifiers() for d in ds
                                 if d.kind is not Kind.PROTOTYPE))
            index.setdefault(name, []).append((got.path, uses))
    return bool(hits)


_TOKENS: dict[tuple[str, str | None], frozenset[str]] = {}


def _tokens(f: FileState) -> frozenset[str]:
    """The identifiers of a header's text, worked out once per path and blob id."""
    key = (f.path, f.blob)
    if key not in _TOKENS:
        if len(_TOKENS) >= 4096:
            _TOKENS.clear()
        _TOKENS[key] = frozenset(re.findall(r"[A-Za-z_]\w*", f.text or ""))
    return _TOKENS[key]


def _take(wanted: set[str], own: frozenset[str], index: dict[str, list[tuple[str, set[str]]]],
          taken: dict[str, set[str]]) -> None:
    """Take every wanted name from each header read that defines it (two different definitions are then refused
    as any two are: models.ambiguity.ambiguous), then the names those definitions use in turn."""
    todo = [n for n in wanted if n in index]
    while todo:
        name = todo.pop()
        for path, uses in index.get(name, []):
            if name in taken.get(path, ()):
                continue
            taken.setdefault(path, set()).add(name)
            more = {u for u in uses if u not in own and u not in prelude_names()} - wanted
            wanted |= more
            todo.extend(u for u in more if u in index)


def _searched(read: int, capped: bool, problems: list[str]) -> str:
    """Where an unknown name was looked for: the files, the tree's <...> headers, and what could not be read."""
    text = (f"not defined in the variant's files nor in the {read} header{'s' if read != 1 else ''} of the tree's "
            f"include paths that their #include <...> lines reach ({MAX_DEPTH} deep")
    text += f", reading stopped at {MAX_HEADERS} headers)" if capped else ")"
    if problems:
        text += "; " + "; ".join(problems[:4]) + (f"; and {len(problems) - 4} more" if len(problems) > 4 else "")
    return text
