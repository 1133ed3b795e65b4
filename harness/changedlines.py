"""Which code lines differ between two variants, per file, comments and spacing aside (git's rename detection too)."""

from __future__ import annotations

import re
from functools import lru_cache

from harness.commentstate import code_of, comment_starts
from harness.linediff import changed_regions, similarity
from harness.memo import by_identity
from harness.reach import _COMMENT
from harness.runner import variant_sources
from harness.variants import Variant

Lines = dict[str, dict[int, str]]  # path -> line number -> text
# A line starting with '*' that is no comment's (those are blanked: _known_lines): a store or read through a pointer
_DEREF = re.compile(r"^\s*\*(?!/)")
# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
CODE_TOKEN = re.compile(r'("[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"|\'[^\'\\\n]*+(?:\\.[^\'\\\n]*+)*+\')|/\*.*?\*/|//.*$')


def normalised(text: str) -> str:
    """A line as the compiler sees it for a diff: comments out, spacing collapsed (string literals kept)."""
    if '"' not in text and "'" not in text and "/" not in text:  # nothing CODE_TOKEN matches: a table's row
        return " ".join(text.split())
    return _tokens_out(text)


# Once per text: the variants share most of their lines (5,759 read for 258 distinct in the corpus' eval), and each
# variant's known lines are read once (_known_lines).
@lru_cache(maxsize=1 << 16)
def _tokens_out(text: str) -> str:
    return " ".join(CODE_TOKEN.sub(lambda m: m.group(1) or " ", text).split())


_KNOWN: dict[int, tuple[Variant, dict[str, list[tuple[int, str]]]]] = {}


def _known_lines(v: Variant) -> dict[str, list[tuple[int, str]]]:
    """Per C file of the variant, its known lines as (number, normalised text), a negative-numbered marker
    between fragments so that a diff never aligns across a gap (read once per variant)."""
    kept = _KNOWN.get(id(v))
    if kept is not None and kept[0] is v:  # the variant itself is kept, so its id is not reused meanwhile
        return kept[1]
    out: dict[str, list[tuple[int, str]]] = {}
    for src in variant_sources(v):
        lines: list[tuple[int, str]] = []
        for start, piece in src.pieces:
            if lines:
                lines.append((-len(lines), f"\0gap {len(lines)}"))  # unique: never equal to a line or gap
            # a block comment's lines no code: read across lines, so that a line starting with '*' is code unless
            # inside one (a comment's ' * text' line, or 'v = 3;' stored through '*v': a change of it is a change)
            inside = comment_starts(piece)
            lines.extend((start + i, normalised(code_of(text, inside[i]))) for i, text in enumerate(piece))
        out[src.path] = lines
    if len(_KNOWN) > 256:
        _KNOWN.clear()
    _KNOWN[id(v)] = (v, out)
    return out


def known_lines(v: Variant) -> dict[str, list[tuple[int, str]]]:
    """Per C file of the variant, its known lines as (number, normalised text), a marker of a negative number between
    fragments: for a reader that diffs two files' lines itself (harness.valueconv pairs by changed region)."""
    return _known_lines(v)


def changed_lines(a: Variant, b: Variant) -> tuple[Lines, Lines]:
    """The code lines that differ between two variants, per file: those of ``a`` that ``b`` lacks (removed or
    changed) and those of ``b`` that ``a`` lacks, by line number; a file one side lacks is all changed.
    Comments, spacing, blank lines, directives and prototypes are no change (_COMMENT). Once per pair of variants,
    which comparisons and rules ask again (shared: read it, never change it)."""
    return by_identity("changed lines", (a, b), (), lambda: _changed_lines(a, b))


def _changed_lines(a: Variant, b: Variant) -> tuple[Lines, Lines]:
    known = (_known_lines(a), _known_lines(b))
    sides: tuple[Lines, Lines] = ({}, {})
    pairs: list[tuple[str | None, str | None]] = [(path, path) for path in sorted(known[0].keys() & known[1].keys())]
    renamed = _renames(known[0], known[1])
    unread = _read_by_one(a, b) | _read_by_one(b, a)
    pairs += [(path, None) for path in sorted(known[0].keys() - known[1].keys() - renamed.keys() - unread)]
    pairs += [(None, path) for path in sorted(known[1].keys() - known[0].keys() - set(renamed.values()) - unread)]
    pairs += list(renamed.items())
    for before, after in pairs:
        old, new = known[0].get(before or "", []), known[1].get(after or "", [])
        if old == new:
            continue
        for i1, i2, j1, j2 in changed_regions([t for _, t in old], [t for _, t in new]):
            for side, path, lines in ((0, before, old[i1:i2]), (1, after, new[j1:j2])):
                for n, text in lines:
                    if path and n > 0 and text and (_DEREF.match(text) or not _COMMENT.match(text)):
                        sides[side].setdefault(path, {})[n] = text
    return sides


def _read_by_one(a: Variant, b: Variant) -> set[str]:
    """The tree's headers ``a`` read (for names its code uses: harness.sysheaders) that ``b``, on the same base commit,
    neither holds nor read: the same file at that commit, not read by ``b`` because its code needs none of their names
    (a constant spelt out) or its file that includes them is unusable. Their lines changed nowhere: only what reads
    them did, and that is compared where it is."""
    if a.base != b.base:
        return set()
    theirs = {h.state.path for h in b.headers.headers}
    return {h.state.path for h in a.headers.headers if h.state.path not in theirs and b.file(h.state.path) is None}


def _renames(old: dict[str, list[tuple[int, str]]], new: dict[str, list[tuple[int, str]]]) -> dict[str, str]:
    """Files one side has and the other has under another name, by content (git's rename detection: at least
    half the lines the same, the most similar pair first): their lines are diffed with each other."""
    gone, came = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
    scored = []
    for x in gone:
        for y in came:
            texts = ([t for _, t in old[x]], [t for _, t in new[y]])
            ratio = similarity(*texts)
            if ratio >= 0.5:
                scored.append((-ratio, x, y))
    found: dict[str, str] = {}
    for _, x, y in sorted(scored):
        if x not in found and y not in found.values():
            found[x] = y
    return found
