"""Code only another kernel configuration builds: ``#if`` branches the mirror leaves out that some .config keeps.

The mirror runs one configuration, every ``CONFIG_`` option set (models.conditional): ``#ifdef CONFIG_X`` takes
its first branch, and what lies under ``#ifndef CONFIG_X``, ``#if !IS_ENABLED(CONFIG_X)`` or the ``#else`` of
``#ifdef CONFIG_X`` is never parsed, run or read by a source check. A retry loop, a printer or an
``unlikely()`` put there is what a kernel built without CONFIG_X runs, so a verdict on the reached code must
not pass on it (a pass rests on code that ran). This module finds those lines: a line is *configuration-only*
when the mirror's reading (models.conditional.Conditions) drops it and a reading that takes every option as
unset, built-in or a module (``=n``, ``=y``, ``=m``: include/linux/kconfig.h) keeps it in one of them.
``#if 0``, an include guard and every other branch decided whatever the configuration are not. A line of C (or a
macro's body) that tests ``IS_ENABLED(CONFIG_X)`` is configuration-dependent too: every configuration builds it,
but the mirror takes the test as 1, and the other value's arm (``IS_ENABLED(CONFIG_X) ? 10 : 16``) never ran.

Shapes: ``Region(path, first, last, why)``, lines ``first..last`` (1-based, inclusive), ``why`` the directive
that leaves them out (``#ifndef CONFIG_X (path:12)``).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from harness.configwords import WHY as WHY
from harness.linking import Link
from harness.memo import by_identity
from harness.rules import BehaviourCheck, ConsistencyCheck, EquivalenceCheck, LockdepCheck, SourceCheck
from harness.runner import variant_sources
from harness.variants import Variant
from models.cdirectives import by_line
from models.closure import closure
from models.conditional import Conditions, _Frame, config_set, config_text
from models.lazyre import POUND, lazy
from models.loader import definitions
from models.record import record
from models.slicer import Definition, Kind, blank_comments, slice_fragment

_OPTION = re.compile(r"\bCONFIG_\w+")
_TEST = re.compile(r"\b(IS_ENABLED|IS_BUILTIN|IS_REACHABLE|IS_MODULE)\s*\(\s*(CONFIG_\w+)\s*\)")
_STATES = ("y", "m", "n")
# The word size is no choice: the mirror is x86-64, and the TDX host code builds only there (its Kconfig).
_WORD_SIZE = frozenset({"CONFIG_X86_64", "CONFIG_64BIT", "CONFIG_X86_32", "CONFIG_32BIT"})
_MAX_OPTIONS = 4  # options in one #if tried in every combination (3**4 readings); past it, undecided
# What IS_*() gives for an option built in, as a module, or unset (include/linux/kconfig.h).
_TESTS = {"IS_ENABLED": "ym", "IS_REACHABLE": "ym", "IS_BUILTIN": "y", "IS_MODULE": "m"}


@dataclass
class _AnyConfig(Conditions):
    """Conditions where a CONFIG_ option may be anything: a branch is decided only when every setting of the
    options its condition names decides it alike."""

    states: dict[str, str] | None = field(default=None)

    def _defined(self, name: str) -> bool | None:
        if config_set(name) and name not in self.defined and name not in _WORD_SIZE:
            return None if self.states is None else self.states.get(name) == "y"
        return super()._defined(name)

    def evaluate(self, expr: str) -> bool | None:
        options = sorted({n for n in _OPTION.findall(expr) if config_set(n) and n not in _WORD_SIZE})
        if not options:
            return super().evaluate(expr)
        if len(options) > _MAX_OPTIONS:
            return None
        found: set[bool | None] = set()
        for combo in itertools.product(_STATES, repeat=len(options)):
            self.states = dict(zip(options, combo, strict=True))
            found.add(super().evaluate(_TEST.sub(self._test, expr)))
        self.states = None
        return found.pop() if len(found) == 1 else None

    def _test(self, m: re.Match[str]) -> str:
        """An IS_*() of an option as the setting tried gives it (one not tried is left as it is)."""
        states = self.states or {}
        if m.group(2) not in states:
            return m.group(0)
        return "1" if states[m.group(2)] in _TESTS[m.group(1)] else "0"


@dataclass
class _Cpp(Conditions):
    """The branches the mirror's preprocessor takes inside a function body, where it runs cpp on the text: a name
    no line read defines is undefined (``#ifdef X`` false, ``X`` 0 in ``#if``: C11 6.10.1p4), though a header not
    read, the including file or a Makefile's ``-D`` may define it."""

    def _defined(self, name: str) -> bool | None:
        found = super()._defined(name)
        return False if found is None and name not in self.defined else found

    def evaluate(self, expr: str) -> bool | None:
        found = super().evaluate(expr)
        if found is not None or _OPTION.search(expr):
            return found
        text = _DEFINED.sub(lambda m: "1" if self._defined(m.group(1) or m.group(2)) else "0", expr)
        return super().evaluate(_WORD.sub(lambda m: m.group(0) if m.group(0) in self.values else "0", text))


_DEFINE = re.compile(rf"\s*{POUND}\s*(?:define|undef)\b")
_DEFINED = re.compile(r"\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))")
_WORD = re.compile(r"\b[A-Za-z_]\w*\b")


@record
class Region:
    """Lines only another configuration builds, and the directive that leaves them out of the mirror's."""

    path: str
    first: int
    last: int
    why: str  # the directive, or the IS_ENABLED() of C the mirror takes as one value
    lines: tuple[str, ...]
    inner: bool = False  # left out only as cpp leaves out a name no line defines: counts inside a function body


def _c_tests(line: str, path: str, number: int) -> list[str]:
    """The configuration tests of a line of C (or of a macro's body): ``IS_ENABLED(CONFIG_X)`` is built in every
    configuration, but the mirror takes it as the 1 or 0 of its own (models.conditional.config_text), so the
    arm another configuration takes never ran, whatever the lines show (a ternary leaves no line unrun)."""
    return [f"{m.group(1)}({m.group(2)}) taken as {config_text(m.group(0))} ({path}:{number})"
            for m in _TEST.finditer(line) if config_set(m.group(2)) and m.group(2) not in _WORD_SIZE]


@functools.lru_cache(maxsize=4096)  # a piece of a file is the same in every state that did not change it
def _regions_of(path: str, start: int, raw: tuple[str, ...], inner: bool = False) -> tuple[Region, ...]:
    """Runs of lines ``mirror`` leaves out that some configuration keeps (``inner``: as the preprocessor run on a
    function body leaves them out, _Cpp; else as the slicer does, models.conditional)."""
    lines, read = blank_comments(list(raw)), by_line(raw)  # each directive whole, as gcc reads it
    mirror, anyc = (_Cpp(path) if inner else Conditions(path)), _AnyConfig(path)
    marked: list[tuple[int, str]] = []
    i = 0
    # The mirror's and any configuration's reading of the open branches, which only a directive changes.
    built: tuple[bool | None, bool | None] = (True, True)
    while i < len(lines):
        if i in read:
            end, joined = read[i]
            following = read[end][1] if end in read else lines[end] if end < len(lines) else ""
            mirror.directive(joined, start + i, following)
            anyc.directive(joined, start + i, following)
            built = (mirror.built(), anyc.built())
            if _DEFINE.match(joined) and mirror.built() is False and anyc.built() is not False:
                # A macro (a retry count, a status code) only that configuration defines is its code too.
                marked.extend((k, next(_branch(f) for f in mirror.frames if f.state is False)) for k in range(i, end))
            elif _DEFINE.match(joined) and not inner and mirror.built() is not False:
                marked.extend((k, why) for k in range(i, end) for why in _c_tests(lines[k], path, start + k)[:1])
            i = end
            continue
        # Asked once per directive, not per line (a 200,000-line table: 600,000 readings of the open branches).
        if built[0] is False and built[1] is not False and lines[i].strip():
            why = next(_branch(f) for f in mirror.frames if f.state is False)
            marked.append((i, why))
        elif not inner and built[0] is not False and "IS_" in lines[i]:  # what every test _TEST finds names
            marked.extend((i, why) for why in _c_tests(lines[i], path, start + i)[:1])
        i += 1
    out: list[Region] = []
    for why, group in itertools.groupby(marked, key=lambda m: m[1]):
        idx = [k for k, _ in group]
        out.append(Region(path, start + idx[0], start + idx[-1], why, tuple(raw[idx[0]: idx[-1] + 1]), inner))
    return tuple(out)


def _branch(f: _Frame) -> str:
    """The directive that leaves a branch out; an ``#else``'s or ``#elif``'s with the group's ``#if`` it is the other
    branch of, which names what the mirror took ('#else (a.h:29) of #ifdef CONFIG_X (a.h:17)': CONFIG_X set)."""
    return f.text if not f.opening or f.opening == f.text else f"{f.text} of {f.opening}"


def config_only(v: Variant) -> tuple[Region, ...]:
    """Every configuration-only run of lines in the variant's C files (worked out once per variant)."""
    def make() -> tuple[Region, ...]:
        outer = [r for src in variant_sources(v) for start, piece in src.pieces
                 for r in _regions_of(src.path, start, piece)]
        seen = {(r.path, r.first) for r in outer}
        inner = [r for src in variant_sources(v) for start, piece in src.pieces
                 for r in _regions_of(src.path, start, piece, inner=True)]
        return tuple(outer + [r for r in inner if (r.path, r.first) not in seen])
    return by_identity("config-only", (v,), (), make)


def _defines(r: Region, stubs: bool = False) -> set[str]:
    """The names the region defines at file scope (read as if its branch were built), but stubs: a function whose
    body calls nothing (``{ return -ENODEV; }``, the usual ``#else`` of a feature compiled out) issues no SEAMCALL,
    prints nothing and retries nothing, so no rule on the reached code can be broken by it. A move (``stubs``) that
    puts one in place of a helper that prints or retries changes what that configuration does: there it counts."""
    return {d.name for d in slice_fragment(list(r.lines), r.path, r.first)
            if stubs or not (d.kind is Kind.FUNCTION and not _CALL().search(d.text.split("{", 1)[-1]))}


_PLACE = lazy(r" \([^()\s]+:\d+\)")


def _key(r: Region) -> tuple[str, tuple[str, ...], bool]:
    """A region as another state may carry it unchanged: its directive and lines, wherever they are."""
    return _PLACE().sub("", r.why), tuple(" ".join(ln.split()) for ln in r.lines if ln.strip()), r.inner


def _carried(r: Region, inside: list[Definition], other: Variant, keys: set[tuple[str, tuple[str, ...], bool]]
             ) -> bool:
    """Whether ``other`` (the state a change is compared with) holds the region alike, under the same directive, and,
    for lines inside a definition, that whole definition alike too: a move carrying it changes nothing that
    configuration builds (the lines around an #ifdef in a body, reordered, would)."""
    if _key(r) not in keys:
        return False
    there = definitions(variant_sources(other))
    return all(any(" ".join(o.text.split()) == " ".join(d.text.split()) for o in there.get(d.name, ())) for d in inside)


_CALL = lazy(r"\b[A-Za-z_]\w*\s*\(")


def _shown(d: Definition) -> str:
    """A definition as a message names it: a function or function-like macro with its ``()``, else bare."""
    call = d.kind is Kind.FUNCTION or (d.kind is Kind.MACRO and re.match(rf"\s*#\s*define\s+{re.escape(d.name)}\(",
                                                                       d.text) is not None)
    return f"{d.name}()" if call else d.name


def unbuilt_reached(v: Variant, names: list[str] | set[str], only: dict[str, set[int]] | None = None,
                    other: Variant | None = None, stubs: bool = False) -> tuple[str, ...]:
    """Configuration-only code in what ``names`` reach in the variant, each as a place and its directive:
    lines inside a reached definition (``sc_retry() (FILE:20-24) under #ifndef CONFIG_X (FILE:18)``), or a
    definition of a reached name that only another configuration builds. ``only``: per path, the line
    numbers to look at (the lines a change touched); None looks at all. ``other``: the state the change is
    compared with: a region it holds alike is no change (a move carrying an ``#else``). ``stubs``: a stub counts
    (a move's: it claims the helpers do the same in every configuration, _defines)."""
    regions = [r for r in config_only(v)
               if only is None or any(r.first <= n <= r.last for n in only.get(r.path, ()))]
    if not regions:
        return ()
    keys = {_key(r) for r in config_only(other)} if other is not None else set()
    reached = closure(definitions(variant_sources(v)), sorted(names))
    reached_names = {d.name for d in reached}
    out: list[str] = []
    for r in regions:
        # An inner region counts only strictly inside a body: a definition under "#if X" at file scope is one the
        # slicer keeps, and the mirror runs.
        inside = [d for d in reached if d.path == r.path and (
            d.line < r.first and r.last < d.line + d.text.count("\n") if r.inner
            else d.line <= r.last and r.first <= d.line + d.text.count("\n"))]
        if other is not None and _carried(r, inside, other, keys):
            continue
        alternatives = sorted(_defines(r, stubs) & reached_names)
        place = f"{r.path}:{r.first}" + (f"-{r.last}" if r.last > r.first else "")
        if inside:
            out.append(f"{_shown(inside[0])} ({place}) under {r.why}")
        elif alternatives and not r.inner:
            out.append(f"another definition of {', '.join(alternatives)} ({place}) under {r.why}")
    return tuple(dict.fromkeys(out))


SET = ("the CONFIG_ option guarding a Makefile line is taken as set, as everywhere (the harness reads no .config): "
       "with it unset that code is not built, and this result says nothing of such a kernel")


def assumed_built(v: Variant, names: list[str]) -> tuple[str, ...]:
    """The files holding code ``names`` reach that a Makefile builds only with a CONFIG_ option, taken as set
    (``obj-$(CONFIG_X) += x.o``; harness.linking.UnitLink.assumes), each with the option and the line, and the .c
    files of the tree whose functions were taken resting on such an option or on an ``#if`` around them
    (harness.sysheaders.Header.assumes, harness.treebuilt): a pass resting on that code says so (the harness reads
    no .config)."""
    guarded = {u.path: u.why for u in v.links if u.status is Link.LINKED and u.assumes}
    guarded.update((h.state.path, h.assumes) for h in v.headers.headers if h.assumes and h.state.path not in guarded)
    if not guarded or not names:
        return ()
    reached = {d.path for d in closure(definitions(variant_sources(v)), sorted(names))}
    return tuple(f"{p}: {guarded[p]}" for p in sorted(reached & guarded.keys()))


# With an #if around a tree's definition among them (harness.treebuilt.guards says 'is under #...').
SET_IF = ("each CONFIG_ option guarding a Makefile line or tested by an #if around a definition read from the tree is "
          "taken as set, as everywhere (the harness reads no .config): with it unset that code is not built, and this "
          "result says nothing of such a kernel")


def set_words(taken: tuple[str, ...]) -> str:
    """What assumed_built's ``taken`` rest on, in words: SET, or SET_IF where an #if is among them."""
    return SET_IF if any(" is under #" in t for t in taken) else SET


def assumed_names(check: object, selected: list[str], entries: list[str]) -> list[str]:
    """The names whose reach a pass rests on (judged_names), and an equivalence rule's selected entry points."""
    return judged_names(check, selected, entries) or (selected if isinstance(check, EquivalenceCheck) else [])


def judged_names(check: object, selected: list[str], entries: list[str]) -> list[str] | None:
    """The names whose reach a code rule's pass rests on: a behaviour rule's selected entry points, a
    consistency rule's components' entries, a source rule's ``function`` (else every entry point); None
    for a kind judged otherwise (changes: linecover; exports: every configuration already, harness.cppcond)."""
    if isinstance(check, BehaviourCheck | LockdepCheck):
        return selected
    if isinstance(check, ConsistencyCheck):
        return sorted({e for c in check.components.values() for e in c.entries})
    if isinstance(check, SourceCheck) and not (check.no_new_exports or check.exports_only or check.exports_to):
        return [check.function] if check.function and not check.no_new_printers else entries
    return None
