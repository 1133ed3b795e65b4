"""With a tree, code whose ``#if`` branches the mirror decides on a CONFIG_ option no x86-64 build of the tree sets.

The mirror builds one configuration, every CONFIG_ option set (models.conditional): ``#ifdef CONFIG_NORETRY`` in a
patched helper takes its first branch. Where the tree's Kconfig says no x86-64 .config holds the option (``depends
on ARM64``, harness.kconfig), the kernel builds the other branch, so a run of the helper is a run of code the kernel
does not have: a behaviour it shows (or a "no behaviour change" between two such runs) is no kernel's. An entry
point reaching such a definition is refused, naming the directive and the Kconfig reason (harness.runner,
ErrorKind.UNSUPPORTED), never run as the kernel's. A definition counts when one of its lines is built by one of the
two readings and not the other (the mirror's, and the same with those options unset), or tests such an option with
``IS_ENABLED()`` (and its kin) in C, which the mirror takes as 1. So does the code of a patched .c file the tree
builds only with such an option, or only inside make conditionals no x86-64 build takes (harness.makeconds), or
only on one side of one not read (not known to be the kernel's code). An
option a header the unit includes ``#define``s (outside any ``#if``) is what gcc sees, Kconfig or not; one it
``#undef``s is refused as unset.
Without a tree nothing is refused: a result resting on an option taken as set says so (harness.configonly,
harness.configwords).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING

from harness.filestate import FileState
from harness.kconfig import Impossible, StateKconfigs, impossible_options
from harness.linking import Link
from harness.makeconds import NEVER_TAKEN, NOT_READ
from harness.sysheaders import INCLUDE_DIRS, MAX_HEADERS, BaseReader, Lookup
from harness.treebuilt import tree_link
from harness.treelinks import state_or_base
from harness.unitdefs import _includers
from models.cdirectives import by_line
from models.conditional import Conditions, config_text
from models.lazyre import POUND, lazy
from models.loader import EntryPoint, Source, definitions
from models.outcome import ErrorKind
from models.provenance import reaching
from models.slicer import blank_comments

if TYPE_CHECKING:
    from harness.variants import Variant

_OPTION = re.compile(r"\bCONFIG_\w+")
_DIRECTIVE = re.compile(rf"^\s*{POUND}\s*(?:if|ifdef|ifndef|elif)\b")
_TEST = re.compile(r"\b(?:IS_ENABLED|IS_BUILTIN|IS_REACHABLE|IS_MODULE)\s*\(\s*(CONFIG_\w+)\s*\)")


@lru_cache(maxsize=4096)
def _options(*texts: str) -> tuple[str, ...]:
    """The options the directive texts ``texts`` name (joined by a space), kept by content: every line read inside a
    group asks its open frames again (the corpus' eval: 904 finds)."""
    return tuple(_OPTION.findall(" ".join(texts)))


@dataclass
class _Kernel(Conditions):
    """The mirror's reading with some options unset, as the tree's x86-64 builds have them."""

    unset: frozenset[str] = field(default_factory=frozenset)

    def _defined(self, name: str) -> bool | None:
        return False if name in self.unset and name not in self.defined else super()._defined(name)

    def evaluate(self, expr: str) -> bool | None:
        return super().evaluate(_TEST.sub(lambda m: "0" if m.group(1) in self.unset else m.group(0), expr))


def misread_configs(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                    lookup: Lookup) -> Lookup:
    """``lookup`` with ``misread``: per definition of the state's C files (and the ones taken from the ``<...>``
    headers of the tree) whose built lines depend on an option no x86-64 build of the tree sets, why a run of it is
    no run of the kernel's ('seam_try() (x/t.h:9) holds #ifdef CONFIG_Q (x/t.h:11), which no x86-64 build of the tree
    sets (...)'). Unchanged where the tree has no top-level Kconfig or nothing depends on such an option. Only the
    options tested around or inside those definitions are looked up (a git grep each, harness.kconfig)."""
    impossible = impossible_options(StateKconfigs(files, base))  # the series' own Kconfig lines count
    headers = {f.path: f for f in (*lookup.read, *(h.state for h in lookup.headers))} | {
        p: f for p, f in files.items() if p.endswith(".h")}
    texts: list[tuple[str, FileState, frozenset[str] | None]] = [
        (p, f, None) for p, f in sorted(files.items()) if p.endswith((".c", ".h"))]
    texts += [(h.state.path, h.state, h.names) for h in lookup.headers]
    out = _unbuilt_units(files, base, read, impossible)

    def tree(at: str) -> FileState | None:
        """A header of the tree no lookup read (one a tree header includes: gcc reads it all the same)."""
        return read[at] if at in read else read.setdefault(at, base(at))
    for path, f, names in texts:
        if f.absent or not f.usable or not f.complete or "CONFIG_" not in (f.text or ""):
            continue
        seen = _with_headers(impossible, partial(_header_says, path, {**headers, path: f}),
                             partial(_header_says, path, {**headers, path: f}, tree))
        for name, why in _misread(path, f, seen, names).items():
            out.setdefault(name, why)
    return replace(lookup, misread=lookup.misread + tuple(sorted(out.items()))) if out else lookup


_INCLUDE = lazy(rf'^\s*{POUND}\s*include\s*(?:"([^"]+)"|<([^>]+)>)')
_SETS = lazy(rf"^\s*{POUND}\s*(define|undef)\s+(CONFIG_\w+)")


_Says = Callable[[], Mapping[str, tuple[bool | None, str]]]


def _with_headers(impossible: Impossible, header_says: _Says, tree_says: _Says) -> Impossible:
    """``impossible`` as a unit sees it whose headers ``#define`` or ``#undef`` options (_header_says: the headers
    read, ``header_says``; for an option Kconfig says no x86-64 build sets, those and the tree's headers they include,
    ``tree_says``; each read at the first option asked about): one they define (no #undef, no #if around) is set
    whatever Kconfig says, gcc builds with it as the mirror does; one they may ``#undef`` is not what the mirror
    takes (it reads the unit's own text), Kconfig or not."""
    memo: dict[bool, Mapping[str, tuple[bool | None, str]]] = {}

    def why(option: str) -> str | None:
        deep = impossible(option) is not None
        if deep not in memo:
            memo[deep] = (tree_says if deep else header_says)()
        said, where = memo[deep].get(option, (None, ""))
        if said is True:
            return None
        return f"{where}, a header the unit includes, #undefs {option}" if said is False else impossible(option)
    return why


def _header_says(path: str, headers: Mapping[str, FileState],
                 tree: Callable[[str], FileState | None] | None = None) -> dict[str, tuple[bool | None, str]]:
    """CONFIG_ option -> (True: defined, False: may be undefined, None: defined under an #if not decided; where) by
    the headers ``path`` (in ``headers`` with them) includes, transitively: a quoted one beside the file, a ``<...>``
    one the tree gave (one path ending in include/NAME; two are not read). A #define outside any ``#if`` but the
    header's guard counts as defined (no CONFIG_ option is decided there), where the header is included outside any
    such ``#if`` and, in ``path`` itself, above its first line naming a CONFIG_ option (one included after a test
    may define it too late: not known); an #undef anywhere as undefined. ``tree``: where given, the tree's header
    at a path, for one ``headers`` lacks (a quoted one beside a tree header, a ``<...>`` one in the first of
    sysheaders.INCLUDE_DIRS holding it, as gcc searches), at most MAX_HEADERS of them read."""
    says: dict[str, tuple[bool | None, str]] = {}
    todo, seen = [(path, True)], {path}
    budget = [MAX_HEADERS]

    def more(at: str) -> FileState | None:
        if at in headers or tree is None or budget[0] <= 0:
            return headers.get(at)
        budget[0] -= 1
        return tree(at)
    while todo:
        at, early = todo.pop(0)
        f = more(at)
        if f is None or f.absent or not f.usable or not f.complete:  # a hunk's lines may hide an #undef
            continue
        lines = (f.text or "").split("\n")
        cond, first = _Unsure(at), _first_option(lines) if at == path else len(lines) + 1
        read = by_line(lines)
        for at_line, (end, line) in read.items():
            n = at_line + 1
            if (m := _SETS().match(line)) is not None and at != path:  # the unit's own: read in order (_differing)
                built = (cond.built() if early else None) if m.group(1) == "define" else False
                old = says.get(m.group(2), (True, ""))
                said = False if False in (old[0], built) else None if None in (old[0], built) else True
                says[m.group(2)] = old if m.group(2) in says and said is old[0] else (said, f"{at}:{n}")
            elif (inc := _INCLUDE().match(line)) is not None:
                found = _include_path(at, inc, headers, more if tree is not None else None)
                if found is not None and found not in seen:
                    seen.add(found)
                    todo.append((found, early and n < first and cond.built() is True))
            cond.directive(line, n, _following(lines, read, end))
    return says


def _include_path(at: str, i: re.Match[str], headers: Mapping[str, FileState],
                  tree: Callable[[str], FileState | None] | None) -> str | None:
    """The path an ``#include`` line of ``at`` reads: a quoted one beside it; a ``<...>`` one the one header of
    ``headers`` ending in include/NAME (two: not known), or, where none does and ``tree`` reads the tree, the first
    of sysheaders.INCLUDE_DIRS holding it (gcc's order); None where none is found."""
    if i.group(1):
        return posixpath.normpath(posixpath.join(posixpath.dirname(at), i.group(1)))
    found = [p for p in headers if p.endswith(f"include/{i.group(2)}")]
    if found or tree is None:
        return found[0] if len(found) == 1 else None
    return next((p for d in INCLUDE_DIRS if (g := tree(p := f"{d}/{i.group(2)}")) is not None and not g.absent), None)


def _first_option(lines: list[str]) -> int:
    """The number of the first line naming a CONFIG_ option, past the end where none does."""
    return next((n for n, line in enumerate(lines, 1) if "CONFIG_" in line), len(lines) + 1)


class _Unsure(Conditions):
    """A header's reading where no CONFIG_ option is decided (the mirror's every-option-set is what is in doubt)."""

    def _defined(self, name: str) -> bool | None:
        return None if name.startswith("CONFIG_") and name not in self.defined else super()._defined(name)

    def evaluate(self, expr: str) -> bool | None:
        return None if "CONFIG_" in expr else super().evaluate(expr)


def _unbuilt_units(files: Mapping[str, FileState], base: BaseReader, read: dict[str, FileState | None],
                   impossible: Impossible) -> dict[str, str]:
    """Per definition of a state's .c file that kbuild builds only with an option no x86-64 build of the tree sets
    (``obj-$(CONFIG_X) += f.o``, a folder above so; a file the series creates too, its Kconfig lines counted), or,
    one the tree has, only inside make conditionals no such build takes, or by no line of its folder's Kbuild file
    (known whole), or only on one side of a make conditional not read (``ifdef KBUILD_EXTMOD``: its reason ends with
    UNKNOWN_BUILD), why."""
    out: dict[str, str] = {}
    for path, f in sorted(files.items()):
        if not path.endswith(".c") or f.absent or not f.usable or not f.complete:
            continue
        link = tree_link(path, state_or_base(dict(files), base, read), _includers(files, base))
        old = read.setdefault(path, base(path)) if path not in read else read[path]
        # A created unit is harness.linking's (a link error), but for one it takes as built on an option no x86-64
        # build sets. An existing one whose folder has no Kbuild file at all is taken (a tree cut down to a few files).
        existing = old is not None and not old.absent
        # Or none of its folder's Kbuild lines, known whole, names its object (no x86-64 build has its code).
        never = link.status is Link.NOT_LINKED and existing and (NEVER_TAKEN in link.why or " names no " in link.why)
        # One built only on one side of a make conditional not read ('ifdef KBUILD_EXTMOD') may be no kernel's code.
        unsure = link.status is Link.UNKNOWN and NOT_READ in link.why and existing
        if link.status is not Link.LINKED and not never and not unsure:
            continue
        why = ("", "") if never or unsure else next(((o, w) for o in _OPTION.findall(link.assumes)
                                                     if (w := impossible(o)) is not None), None)
        if why is None:
            continue
        said = f"kbuild may not build on x86-64 ({link.why}): {UNKNOWN_BUILD}" if unsure else \
            f"kbuild does not build on x86-64 ({'; '.join(filter(None, (link.why, why[1])))}): the mirror would " \
            "run code no x86-64 kernel has"
        table = definitions((Source(path, tuple((fr.start, fr.lines) for fr in f.fragments()), True),))
        for name, ds in table.items():
            out.setdefault(name, f"{name}() ({ds[0].where}) is in {path}, which {said}")
    return out


UNKNOWN_BUILD = "the mirror would run code an x86-64 kernel may not have"  # ends a misread reason not known either way


def _misread(path: str, f: FileState, impossible: Impossible, names: frozenset[str] | None) -> dict[str, str]:
    lines = (f.text or "").split("\n")
    table = definitions((Source(path, tuple((fr.start, fr.lines) for fr in f.fragments()), True),))
    spans = {name: [range(d.line, d.line + d.text.count("\n") + 1) for d in ds]
             for name, ds in table.items() if names is None or name in names}
    around = _options_around(path, lines)
    tested = {o for rs in spans.values() for r in rs for n in r for o in around.get(n, ())}
    why = {o: w for o in sorted(tested) if (w := impossible(o)) is not None}
    if not why:
        return {}
    places = _differing(path, lines, frozenset(why))
    out: dict[str, str] = {}
    for name, rs in spans.items():
        hit = next((places[n] for r in rs for n in r if n in places), None)
        if hit is not None:
            text, option = hit
            where = next(d.where for d in table[name] if any(n in places for n in range(
                d.line, d.line + d.text.count("\n") + 1)))
            out[name] = (f"{name}() ({where}) holds {text}, which no x86-64 build of the tree sets ({why[option]}): "
                         "the mirror builds every CONFIG_ option set, so it would run code the kernel does not build")
    return out


def _options_around(path: str, raw: Sequence[str], start: int = 1) -> dict[int, set[str]]:
    """Line number -> the CONFIG_ options the ``#if`` groups open there test (the directive lines included), and
    those an ``IS_ENABLED()`` on the line tests, of a run of lines from ``start`` (a directive read as gcc reads it,
    models.cdirectives)."""
    cond = Conditions(path)
    out: dict[int, set[str]] = {}
    lines, read = blank_comments(list(raw)), by_line(raw)
    i = 0
    while i < len(lines):
        end, line = read.get(i, (i + 1, lines[i]))
        own = set(_OPTION.findall(line)) if i in read and _DIRECTIVE.match(line) else {
            m.group(1) for m in _TEST.finditer(line)}
        if i in read:
            cond.directive(line, start + i)
        opened = {o for fr in cond.frames for o in _options(fr.opening, fr.text)}
        for n in range(start + i, start + end) if own or opened else ():
            out[n] = own | opened
        i = end
    return out


def _following(lines: Sequence[str], read: Mapping[int, tuple[int, str]], at: int) -> str:
    """The line at index ``at`` (a directive read whole), as Conditions.directive takes it to tell a header guard."""
    return read[at][1] if at in read else lines[at] if at < len(lines) else ""


def _differing(path: str, raw: Sequence[str], unset: frozenset[str], start: int = 1,
               kernel_only: set[int] | None = None) -> dict[int, tuple[str, str]]:
    """Line number -> (the directive or test that decides it, its option) for each line of a run from ``start`` that
    the mirror's reading and the tree's x86-64 one (``unset`` options unset) build differently, or that tests one of
    them in C; the lines only the second builds are added to ``kernel_only`` where given."""
    mirror, kernel = Conditions(path), _Kernel(path, unset=unset)
    out: dict[int, tuple[str, str]] = {}
    lines, read = blank_comments(list(raw)), by_line(raw)
    i = 0
    while i < len(lines):
        number, line = start + i, lines[i]
        if i in read:
            end, joined = read[i]
            following = _following(lines, read, end)
            mirror.directive(joined, number, following)
            kernel.directive(joined, number, following)
            i = end
            continue
        if mirror.built() != kernel.built():
            if kernel_only is not None and kernel.built() and not mirror.built():
                kernel_only.add(number)
            # The directive naming one of them: the group's #if, or the #elif of the branch being read.
            said = [(t, sorted(set(_options(t)) & unset)) for fr in kernel.frames for t in (fr.opening, fr.text)]
            text, options = next(((t, os) for t, os in said if os), (said[-1][0] if said else "", sorted(unset)))
            out[number] = (text, options[0])
        elif (test := next((m for m in _TEST.finditer(line) if m.group(1) in unset), None)) is not None:
            out[number] = (f"{test.group(0)} ({path}:{number}), taken as {config_text(test.group(0))}",
                           test.group(1))
        i += 1
    return out


def misread_problems(v: Variant, sources: tuple[Source, ...], entries: tuple[EntryPoint, ...]
                     ) -> dict[str, tuple[ErrorKind, str]]:
    """Entry points whose code reaches a definition the mirror would build with an option the tree's x86-64 builds
    cannot set (``v.headers.misread``): not the kernel's code (ErrorKind.UNSUPPORTED), with why."""
    misread = dict(v.headers.misread)
    out: dict[str, tuple[ErrorKind, str]] = {}
    for e, hit in reaching(sources, entries, misread):
        via = f"{e.name}() reaches {hit}(); " if hit != e.name else ""
        head = "not known to be the kernel's code" if misread[hit].endswith(UNKNOWN_BUILD) else "not the kernel's code"
        out[e.name] = (ErrorKind.UNSUPPORTED, f"{head}: {via}{misread[hit]}")
    return out

