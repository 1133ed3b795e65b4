"""What a cover letter says of its revision's patch titles: its git shortlog's list of them all, a squashed one."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.model import Patch
from harness.patchparts import bare_title
from models.lazyre import lazy

SHORTLOG_HEAD = lazy(r"^\S.* \(\d+\):$", re.MULTILINE)  # git shortlog's "Author Name (26):"
# Where a cover letter's notes end a clause: a blank line, a bullet, "; " or ". ".
CLAUSE_END = lazy(r"\n\s*\n|\n\s*(?=[-*+o]\s)|;\s|\.\s")
# A clause of a cover letter's notes that says the patch went: "dropped "TITLE" (Rae)", "Dropped patch 2 (TITLE)",
# "TITLE is dropped". {0} stands for the title; a subsystem prefix may stand before it.
# Several titles dropped in one clause, each quoted: 'Drop "A", "B" and "C"' drops C too ({{ }}: a format template).
_QUOTED_BEFORE = r"(?:[\"'`][^\"'`]{{3,}}?[\"'`]\s*(?:,\s*(?:and\s+)?|and\s+))*"
DROP_BEFORE = (r"\b(?:drop|dropped|dropping|remove|removed|removing)\b:?\s*(?:the\s+)?(?:patch(?:es)?\s*)?"
               r"(?:#?\d+(?:/\d+)?\s*)?" + _QUOTED_BEFORE + r"[:(\"'`\[\s]*(?:[\w/.,-]+:\s*)?{0}")
DROP_AFTER = r"{0}[\"'`)\]]*\s*(?:patch\s+)?(?:is|was|has been|got)\s+(?:dropped|removed)\b"
# A clause saying a patch's change went into another: "Squash A into B", "A is folded into B", "merged A into B".
_INTO = lazy(r"\b(?:squash|fold|merg|combin)\w*\b.*?\binto\b(.*)", re.DOTALL)


def cover_words(cover: Patch | None) -> str:
    """A cover letter's words with its changelog and shortlog wherever it put them: in its message (git
    format-patch's cover letter, written by hand), or below a '---' line, where git am's commit message ends (b4
    prep's "Changes in v2:" and shortlog, below the blurb); "" without a cover letter."""
    if cover is None:
        return ""
    return cover.above_diff or "\n".join([cover.message, *(ln for block in cover.changelog for ln in block.lines)])


def words(text: str) -> str:
    return " ".join(text.lower().split())


def names(text: str, title: str) -> bool:
    """Whether ``text`` names the title, whole or without its subsystem prefix (a next revision may respell it)."""
    said = words(text)
    return words(title) in said or bare_title(title) in said


def shortlog(cover: str) -> str | None:
    """The lines of a cover letter's shortlog (each "Author Name (N):" and the indented titles below it, wrapped ones
    too), or None when it has none."""
    heads = list(SHORTLOG_HEAD().finditer(cover))
    if not heads:
        return None
    lines = []
    for head in heads:
        for line in cover[head.end():].lstrip("\n").split("\n"):
            if not line[:1].isspace() or not line.strip():
                break
            lines.append(line)
    return "\n".join(lines)


def listed(cover: str, title: str) -> bool | None:
    """Whether the cover letter's shortlog lists the title; None when the cover letter has no shortlog."""
    found = shortlog(cover)
    return None if found is None else names(found, title)


def squashed_into(cover: str, title: str, titles: list[str]) -> str | None:
    """Of ``titles`` (the revision's patches the input has), the one a clause of the cover letter says the titled
    patch was squashed, folded or merged into ("Squash "A" into "B""); None when none says so, or it names several."""
    for clause in CLAUSE_END().split(cover):
        said = words(clause)
        found = _INTO().search(said) if names(said, title) else None
        if found is None or names(found.group(1), title):
            continue
        into = [t for t in titles if names(found.group(1), t)]
        if len(into) == 1:
            return into[0]
    return None


# A clause whose whole rest after the verb is a list: "Drop A and B", "Dropped patches 3 and 5", "Removed #3, #5".
_DROP_LIST = lazy(r"^\W*(?:drop|dropped|dropping|remove|removed|removing)\b:?\s*(?:the\s+)?(patch(?:es)?\b)?\s*(.*?)"
                  r"[\s.]*(?:\[[^\]]+\]|\([^)]+\))?[\s.]*$", re.DOTALL)  # a "[Dave]" or "(Rae)" after it
_LIST_SEP = lazy(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)")
_NUMBER = lazy(r"#?0*(\d+)(?:/\d+)?")


def dropped_listed(clause: str, earlier: Sequence[tuple[int, str]]) -> frozenset[int]:
    """The numbers of the earlier revision's patches (``earlier``: number, title) a clause drops by an unquoted list
    that is nothing but them: "Drop A and B" (each an exact title, its subsystem prefix or not), "Dropped patches 3 and
    5" (numbers after "patch"/"patches"). A list with anything else in it is prose ("Drop the unused variable and
    rework A"): none. Was: an unquoted list dropped its first title alone, numbers none."""
    found = _DROP_LIST().match(words(clause))
    if found is None or not earlier:
        return frozenset()
    rest, numbered = found.group(2), found.group(1) is not None
    by_title = {t: n for n, title in earlier for t in (words(title), bare_title(title))}
    numbers = {n for n, _ in earlier}
    out: set[int] = set()
    at = 0
    while at < len(rest):
        if at:
            sep = _LIST_SEP().match(rest, at)
            if sep is None or sep.end() == at:
                return frozenset()
            at = sep.end()
        num = _NUMBER().match(rest, at) if numbered else None
        if num is not None and int(num.group(1)) in numbers and _ends_item(rest, num.end()):
            out.add(int(num.group(1)))
            at = num.end()
            continue
        item = next((t for t in sorted(by_title, key=len, reverse=True)
                     if rest.startswith(t, at) and _ends_item(rest, at + len(t))), None)
        if item is None:
            return frozenset()
        out.add(by_title[item])
        at += len(item)
    return frozenset(out)


def _ends_item(text: str, at: int) -> bool:
    """Whether an item of a list ends at ``at``: the text's end, or a separator (not a longer word)."""
    sep = _LIST_SEP().match(text, at)
    return at == len(text) or (sep is not None and sep.end() > at)


def gone(cover: str, title: str, titles: list[str], earlier: Sequence[tuple[int, str]] = ()) -> str | None:
    """What a cover letter says of a patch that is not among ``titles`` (those of its revision the input has):
    "dropped", "squashed into 'OTHER'", or None where no clause of it says the patch went (a clause that only names
    it, or says it "now" does something, may be of a patch still there). ``earlier``: (number, title) of the
    revision the title is of, for a clause dropping an unquoted list of them (dropped_listed)."""
    into = squashed_into(cover, title, titles)
    if into is not None:
        return f"squashed into '{into}'"
    mine = {n for n, t in earlier if words(t) == words(title)}
    if mine and any(mine & dropped_listed(c, earlier) for c in CLAUSE_END().split(cover)):
        return "dropped"
    for clause in CLAUSE_END().split(cover):
        said = words(clause)
        if names(said, title) and any(re.search(form.format(re.escape(n)), said) for n in (words(title),
                                      bare_title(title)) for form in (DROP_BEFORE, DROP_AFTER)):
            return "dropped"
    return None
