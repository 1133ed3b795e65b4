"""What a patch changes that no comparison covers: code no entry point reaches, or none that ran reaches."""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable

from harness.model import LineKind, Patch
from harness.runner import MatrixResult, variant_sources
from harness.variants import Variant
from models.loader import _closure, definitions
from models.slicer import Definition, Kind


def _code(d: Definition) -> bool:
    """Whether a definition is code that runs: a function, or a function-like macro with a body in braces
    (``DEFINE_SC(name, leaf)`` generating a function where it is called)."""
    return d.kind is Kind.FUNCTION or (d.kind is Kind.MACRO and bool(_GENERATOR.match(d.text)))


_GENERATOR = re.compile(r"\s*#\s*define\s+\w+\([^)]*\)[^\n]*(?:\\\n[^\n]*)*\{", re.DOTALL)
# Lines that make no code: comments, directives (but #define), lone braces, and prototypes ("u64
# __seamcall(u64 fn, ...);": a type before the name; a file-scope call such as module_init(f); is code).
_COMMENT = re.compile(r"^\s*(?:$|//|/\*|\*|#(?!\s*define\b)|[{}]\s*;?\s*$"
                      r"|(?:extern\s+)?\w[\w\s\*]*[\s\*]\w+\s*\([^{;]*\)\s*;\s*$)")


def unreached_changes(patch: Patch, states: tuple[Variant, Variant], result: MatrixResult, limit: int = 6,
                      ran: Iterable[str] | None = None) -> tuple[str, ...]:
    """C lines the patch changes outside everything the matrix's entry points reach (a helper nothing calls,
    code a file-scope macro generates): no comparison covers them, so "no behaviour change" must not. Comment
    and blank lines are left out; each place once, the definition holding it named. With ``ran`` (the entry
    points that ran on both sides), what those reach instead: code whose every scenario could not run."""
    names = list(ran) if ran is not None else [e.name for e in result.matrix.entries]
    spans: list[list[tuple[str, int, int, str, bool]]] = []
    for v in states:
        table = definitions(variant_sources(v))
        reached = {id(d) for d in _closure(table, names)}
        # An unreached type, variable or plain macro changes nothing that runs: functions count, macros that
        # generate functions (a body in braces), and lines outside every definition (a file-scope call).
        spans.append([(d.path, d.line, d.line + d.text.count("\n"), d.name, id(d) in reached or not _code(d))
                      for ds in table.values() for d in ds])
    out: dict[str, str] = {}
    for f in patch.files:
        if not f.path.endswith((".c", ".h")):
            continue
        for h in f.hunks:
            for ln in h.lines:
                if ln.kind is LineKind.CONTEXT or _COMMENT.match(ln.text):
                    continue
                side, path = (1, f.path) if ln.kind is LineKind.ADDED else (0, f.source_path or f.path)
                number = ln.target_no if side else ln.source_no
                holders = [x for x in spans[side] if x[0] == path and number is not None and x[1] <= number <= x[2]]
                if any(x[4] for x in holders):
                    continue  # inside code an entry point reaches: the comparison covers it
                owner = f"{holders[0][3]}()" if holders else None
                key = owner or f"{path}:{number}"
                out.setdefault(key, f"{owner} ({path}:{number})" if owner else f"{path}:{number} (file scope)")
    places = list(out.values())
    return tuple(places[:limit] + ([f"{len(places) - limit} more places"] if len(places) > limit else []))


def _known_lines(v: Variant) -> dict[str, list[tuple[int, str]]]:
    """Per C file of the variant, its known lines as (number, text), a negative-numbered marker between
    fragments so that a diff never aligns across a gap (worked out once per variant: every comparison and
    rule that involves it asks)."""
    kept = _KNOWN.get(id(v))
    if kept is not None and kept[0] is v:  # the variant itself is kept, so its id is not reused meanwhile
        return kept[1]
    out = _read_known(v)
    if len(_KNOWN) > 256:
        _KNOWN.clear()
    _KNOWN[id(v)] = (v, out)
    return out


_KNOWN: dict[int, tuple[Variant, dict[str, list[tuple[int, str]]]]] = {}


def _read_known(v: Variant) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for src in variant_sources(v):
        lines: list[tuple[int, str]] = []
        for start, piece in src.pieces:
            if lines:
                lines.append((-len(lines), f"\0gap {len(lines)}"))  # unique: never equal to a line or gap
            lines.extend((start + i, text.rstrip()) for i, text in enumerate(piece))
        out[src.path] = lines
    return out


def changed_lines(a: Variant, b: Variant) -> tuple[dict[str, dict[int, str]], dict[str, dict[int, str]]]:
    """The code lines that differ between two variants, per file: those of ``a`` that ``b`` lacks (removed or
    changed) and those of ``b`` that ``a`` lacks, by line number (difflib over the lines each knows; a file
    one side lacks is all changed). Comment, blank and directive lines are left out (_COMMENT)."""
    known = (_known_lines(a), _known_lines(b))
    sides: tuple[dict[str, dict[int, str]], dict[str, dict[int, str]]] = ({}, {})
    for path in sorted(known[0].keys() | known[1].keys()):
        old, new = known[0].get(path, []), known[1].get(path, [])
        if old == new:
            continue
        matcher = difflib.SequenceMatcher(None, [t for _, t in old], [t for _, t in new], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            for side, lines in ((0, old[i1:i2]), (1, new[j1:j2])):
                for n, text in lines:
                    if n > 0 and not _COMMENT.match(text):
                        sides[side].setdefault(path, {})[n] = text
    return sides


def _unrun_in(v: Variant, lines: dict[str, dict[int, str]], result: MatrixResult, names: list[str]
              ) -> dict[str, str]:
    """Of the changed lines of ``v``, those inside functions the entry points reach that no run executed:
    per function, its first such line. A line is executed when the statement it starts, or the statement
    it continues (the nearest compiled statement at or above it), ran (models Coverage)."""
    cover = result.coverage(v.name)
    table = definitions(variant_sources(v))
    starts: dict[str, list[int]] = {}
    for where in cover.starts:
        path, _, line = where.rpartition(":")
        starts.setdefault(path, []).append(int(line))
    out: dict[str, str] = {}
    for d in _closure(table, names):
        changed = lines.get(d.path)
        if d.kind is not Kind.FUNCTION or d.generated_by is not None or not changed:
            continue  # macros expand where they are used: their lines are judged by reach alone
        last = d.line + d.text.count("\n")
        inside = sorted(n for n in starts.get(d.path, []) if d.line <= n <= last)
        ran_any = any(f"{d.path}:{n}" in cover.ran for n in inside)
        for number in sorted(n for n in changed if d.line <= n <= last):
            at = bisect.bisect_right(inside, number) - 1
            ran = f"{d.path}:{inside[at]}" in cover.ran if at >= 0 else ran_any
            if not ran:
                out.setdefault(f"{d.name}()", f"{d.name}() ({d.path}:{number})")
    return out


def unrun_changes(a: Variant, b: Variant, result: MatrixResult, names: list[str] | None = None,
                  limit: int = 6) -> tuple[str, ...]:
    """Lines that differ between two variants, inside functions the entry points reach (``names``; every
    entry of the matrix by default), that no scenario executed on that side: a branch no script takes, a
    helper no run calls. "No behaviour change" between the two says nothing of them. Each function once,
    with the first such line; lines in macros are left to unreached_changes (they run where expanded)."""
    entries = list(names) if names is not None else [e.name for e in result.matrix.entries]
    removed, added = changed_lines(a, b)
    places = [f"{place} never ran in {v.name}" for v, lines in ((a, removed), (b, added))
              for place in _unrun_in(v, lines, result, entries).values()]
    return tuple(places[:limit] + ([f"{len(places) - limit} more places"] if len(places) > limit else []))
