"""The patches of a revision that carry part of the change a rule's patch made in an earlier revision.

A next revision may split the patch a review was about (a new "Add seamldr_err()" before "Prepare to
support P-SEAMLDR SEAMCALLs"), or move part of it into a neighbour. The rule follows the patch by its
title; judged from the state right before that title alone, what the other part brings would sit in the
reference and pass unseen. A patch takes part when it adds the earlier patch's own changed lines that its
own earlier version (same title), if any, did not make, and that the titled patch itself no longer makes:
the lines are the change, whatever the titles say.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from harness.memo import by_identity
from harness.model import Patch, Revision
from models.lazyre import lazy
from models.record import record

MIN_TAKEN = 3  # lines taken from the earlier patch that make a part, whatever else the patch does


@record
class Parts:
    """The run of patches of the judged revision that makes the earlier revision's change, and why."""

    first: int
    last: int
    numbers: tuple[int, ...]  # the patches that make the change, the rule's own among them, in order
    said: str  # which patches take part, and how many of the earlier patch's lines each makes


# A preprocessor line any file may hold alike: an include, a conditional, its end, or a macro defined as nothing (an
# include guard). A new file of another patch begins with the same ones ('#include <asm/tdx.h>', '#endif'), and three
# were a part of a move whose header had them.
_BOILERPLATE = re.compile(r"#\s*(?:include|if|ifdef|ifndef|elif|else|endif|undef|pragma|error|warning)\b|"
                          r"#\s*define\s+\w+\s*$")


def changed_lines(p: Patch) -> tuple[str, ...]:
    """The changed lines that say something (a lone brace or blank line matches anything, as does a preprocessor
    line of _BOILERPLATE). Read once per patch: a rule's patch is placed for every variant it judges, and each
    placement reads every patch of two revisions (3,839 reads of 41 patches in the corpus' eval, most of its
    instructions)."""
    return by_identity("changed-lines", (p,), (), lambda: tuple(
        f"{ln.kind.value}{text}" for f in p.files for h in f.hunks for ln in h.lines
        if ln.kind.value in "+-" and sum(ch.isalnum() for ch in ln.text) >= 4
        and not _BOILERPLATE.match(text := ln.text.strip())))


# A subsystem prefix: "x86/virt/tdx: ", "KVM: x86: ", each part in lower case, in capitals or with a slash (never a
# title's own word: "Prepare: part 1" keeps "Prepare").
_SUBSYSTEM = re.compile(r"^(?:(?:[a-z0-9_.+-]+|[A-Z0-9_.+-]+|[\w.+-]*/[\w./+-]*):\s+)+")


def bare_title(title: str) -> str:
    """A patch title as revisions are matched by it: lower case, without its subsystem prefix, which a next
    revision may respell ("x86/virt/tdx: Add X" is "x86/tdx: Add X" there) while the patch stays the same."""
    text = " ".join(title.split())
    return (_SUBSYSTEM.sub("", text) or text).lower()


def _title(p: Patch) -> str:
    return bare_title(p.mail.subject.title)


def _taken(p: Patch, old: Revision, change: Counter[str]) -> int:
    """How many of the earlier patch's changed lines ``p`` makes that its own earlier version did not; 0 unless
    they are most of what it adds, or at least MIN_TAKEN."""
    earlier = next((q for q in old.patches if _title(q) == _title(p)), None)
    gained = Counter(changed_lines(p)) - Counter(changed_lines(earlier) if earlier is not None else [])
    taken = sum((gained & change).values())
    return taken if taken >= MIN_TAKEN or (taken and 2 * taken >= sum(gained.values())) else 0


def _unlanded_moves(change: Counter[str], rev: Revision) -> Counter[str]:
    """``change`` without the removed lines of a move (the earlier patch adds the same line elsewhere) that no patch
    of ``rev`` adds anywhere as they were: a patch that rewrites the lines the move took away, in place ('err'
    renamed 'ret'), makes their removal, not the move, which put them somewhere (_carries says which patch moves)."""
    moved = {ln for ln in change if ln[0] == "-" and "+" + ln[1:] in change}
    if not moved:
        return change
    landed = {ln for p in rev.patches for ln in changed_lines(p) if ln[0] == "+"}
    return Counter({ln: n for ln, n in change.items() if ln not in moved or "+" + ln[1:] in landed})


def _carries(p: Patch, change: Counter[str]) -> bool:
    """Whether ``p`` puts some of what a move took away (a removed line of ``change`` it also adds) into a file it
    removes none from (another file, a new one, a rename's target): where a move, changed on the way, puts it. A
    patch that rewrites those lines in place and adds a file of other lines (a new .c file beside the rewrite)
    carries none of them: counted as carrying, it was said to make the move's change, judged in its stead."""
    def touched(kind: str) -> set[str | None]:
        return {f.target_path if kind == "+" else f.source_path for f in p.files
                if any(ln.kind.value == kind for h in f.hunks for ln in h.lines)}

    homes = touched("+") - touched("-")
    moved = {ln[1:] for ln in change if ln[0] == "-" and "+" + ln[1:] in change}
    landed = {ln.text.strip() for f in p.files if f.target_path in homes for h in f.hunks for ln in h.lines
              if ln.kind.value == "+"}
    return bool(moved & landed)


def split_parts(rev: Revision, number: int | None, old: Revision, old_number: int) -> Parts | None:
    """The patches of ``rev`` around its patch ``number`` that make changes ``old``'s patch ``old_number`` (the
    same title) made, when some do: the range from the first to the last of them, the patch itself included
    (``number`` None: ``rev`` dropped the patch, and these are where its change went). Worked out once per
    revisions and numbers: every variant of the revision, for every rule on the patch, asks again."""
    return by_identity("split-parts", (rev, old), (number, old_number), lambda: _split_parts(rev, number, old,
                                                                                            old_number))


def _split_parts(rev: Revision, number: int | None, old: Revision, old_number: int) -> Parts | None:
    before = old.patch(old_number)
    if before is None:
        return None
    change = Counter(changed_lines(before))
    own = rev.patch(number) if number is not None else None
    if own is not None:
        # A line the titled patch still makes is its own: another patch making it too (a new wrapper's copy of
        # the loop's lines, `return -EIO;`) moved nothing out of it.
        change -= Counter(changed_lines(own))
    kept = _unlanded_moves(change, rev)  # what a patch that moves nothing can take of the change
    found = [(p, n) for p in rev.patches
             if p.number != number and (n := _taken(p, old, change if _carries(p, change) else kept))]
    said = [f"v{rev.version} {p.label} '{p.mail.subject.title}' makes {n} of the changed lines of "
            f"v{old.version} {before.label}" for p, n in found]
    lost = _brought(before) - (_brought(own) if own is not None else set())
    named = [(p, names) for p in rev.patches if p.number != number and p not in {q for q, _ in found}
             and _enough(names := lost & _gained_names(p, old), p, before)]
    said += [f"v{rev.version} {p.label} '{p.mail.subject.title}' newly uses {', '.join(sorted(names))}, which "
             f"v{old.version} {before.label} brought in" + (f" and v{rev.version} {own.label} no longer does"
                                                             if own is not None else "") for p, names in named]
    if not said:
        return None
    numbers = tuple(sorted([*([] if number is None else [number]), *(p.number for p, _ in [*found, *named])]))
    return Parts(numbers[0], numbers[-1], numbers, "; ".join(said))


# Names a reworded part must bring in that the earlier patch brought in and the titled one no longer does (one, in C
# code, is enough: _enough).
MIN_NAMES = 2
_NAME = re.compile(r"\b[A-Za-z_]\w{3,}\b")
# Comments and strings: their words are prose, not code ("module", "that" of a reworded comment are no part).
_PROSE = re.compile(r"/\*.*?(?:\*/|$)|//.*$|^\s*\*.*$|\"(?:[^\"\\]|\\.)*\"")
_KEYWORDS = frozenset({"return", "static", "inline", "const", "struct", "union", "unsigned", "signed", "void", "while",
                       "break", "continue", "else", "sizeof", "goto", "switch", "case", "default", "extern", "typedef",
                       "enum", "volatile", "define", "include", "ifdef", "ifndef", "endif", "bool", "true", "false",
                       "NULL", "long", "char", "short", "__always_inline"})


def _names(lines: Iterable[str], kind: str) -> set[str]:
    """The names of four characters or more on the ``kind`` ("+" or "-") lines of changed_lines, comments, strings
    and C keywords left out."""
    return {m for ln in lines if ln[0] == kind for m in _NAME.findall(_PROSE.sub(" ", ln[1:]))} - _KEYWORDS


def _enough(names: set[str], p: Patch, before: Patch) -> bool:
    """Whether ``names`` (brought in by ``before`` and newly by ``p``) make ``p`` a part: MIN_NAMES of them, or one
    that both add to C code (a .c or .h file): a single helper or macro (``unlikely``, a new status constant) moved
    into an earlier patch of another title is the change, and judged from after that patch it passed unseen. A lone
    name elsewhere (a Kconfig symbol) is not enough."""
    if len(names) >= MIN_NAMES:
        return True
    # One name must also be used beside the same code: a line sharing another name, or the same function. A common
    # macro (EXPORT_SYMBOL) a later patch uses for its own symbol is no part of the dropped one's change.
    return any(_uses(p, name) & _uses(before, name) for name in names)


_WORD = lazy(r"\b[A-Za-z_]\w+\b")


def _uses(p: Patch, name: str) -> set[str]:
    """What surrounds ``name`` on the lines ``p`` adds to C files (.c, .h): the other names on each such line and
    the function of its hunk (@@ section heading), comments, strings and C keywords left out."""
    around: set[str] = set()
    for f in p.files:
        if not (f.target_path and f.target_path.endswith((".c", ".h"))):
            continue
        for h in f.hunks:
            words = [set(_WORD().findall(_PROSE.sub(" ", ln.text))) for ln in h.lines if ln.kind.value == "+"]
            if any(name in w for w in words):
                around |= {w for ws in words if name in ws for w in ws} | set(_NAME.findall(h.section or ""))
    return around - _KEYWORDS - {name}


def _brought(p: Patch) -> set[str]:
    """The names a patch brings in: on its added lines and none of its removed ones (``unlikely``, a new constant)."""
    lines = changed_lines(p)
    return _names(lines, "+") - _names(lines, "-")


def _gained_names(p: Patch, old: Revision) -> set[str]:
    """The names on the lines ``p`` adds that its earlier version (same title) did not change at all: a part of the
    change reworded (a variable renamed, the bit tested otherwise) shares no three lines with it, yet brings in its
    names (``unlikely``, ``SEAMLDR_RND_NO_ENTROPY``), and from before the titled patch it sat in the reference."""
    earlier = next((q for q in old.patches if _title(q) == _title(p)), None)
    had = changed_lines(earlier) if earlier is not None else ()
    gained = Counter(changed_lines(p)) - Counter(had)
    return _names(gained.elements(), "+") - _names(had, "+") - _names(had, "-")
