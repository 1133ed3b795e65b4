"""Where names stand in a matrix file's text, and the names a scenario id can hold apart (harness.matrix)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.errors import InputError, Where
from harness.tomlfile import line_of, value_line
from models.lazyre import lazy

if TYPE_CHECKING:
    from harness.matrix import MatrixFile


# Runs of characters possessive ('*+'), not one alternative per character: re kept a record per character of a long
# literal (1 MB: over 100 MB at once; tests/harness/test_literal_regexes.py).
_QUOTED = re.compile(r'"([^"\\]*+(?:\\.[^"\\]*+)*+)"')


@lru_cache(maxsize=4)
def quoted_lines(text: str) -> dict[str, int]:
    """Each quoted string's first line, from one pass (a search per name is quadratic in a long file)."""
    out: dict[str, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        for m in _QUOTED.finditer(line):
            out.setdefault(m.group(1), n)
    return out


@lru_cache(maxsize=4)
def text_lines(text: str) -> list[str]:
    """The text's lines, split once per text (callers only read them)."""
    return text.splitlines()


def quoted_line(text: str, name: str) -> int:
    return quoted_lines(text).get(name, 0)


# A scenario's id is entry/leaf/script/unit: a name holding "/" (or blanks) would make two scenarios one id.
# At most 200 characters: each id and row holds it (a unit named by 10 MB took eval 60 s and 1.6 GB).
_NAME = re.compile(r"[A-Za-z0-9_][\w.+-]{0,199}")


_NAME_LINE = lazy(r'\s*name\s*=\s*"([^"]*)"')


def check_names(spec: MatrixFile, path: Path, text: str) -> None:
    """Refuse a leaf, unit, script or entry name a scenario id could not hold apart (see _NAME)."""
    lines = quoted_lines(text)
    for what, names in (("leaf", list(spec.leaves)), ("unit", [u.name for u in spec.unit]),
                        ("script", [x.name for x in spec.script]), ("entry", [e.name for e in spec.entry])):
        for name in names:
            if name and not _NAME.fullmatch(name):
                where = Where(str(path), lines.get(name) or line_of(text, name) or 0)
                shown = repr(name) if len(name) <= 60 else f"{name[:40]!r}... ({len(name):,} characters)"
                raise InputError(where, f"{what} name {shown}: letters, digits and _ . + - only, at most 200 of them "
                                        "(scenario ids read entry/leaf/script/unit)")
    for u in spec.unit:  # a file of the tree as git names it: never one outside it (git show BASE:../x refuses too)
        if u.path is not None and (not u.path.strip() or u.path.startswith("/") or ".." in u.path.split("/")):
            raise InputError(Where(str(path), lines.get(u.path) or 0), f"unit {u.name!r}: path {u.path!r} is not a "
                             "file inside the tree (relative to its top, no '..', as git names files)")
    _given_twice(spec, path, text)


def _given_twice(spec: MatrixFile, path: Path, text: str) -> None:
    """Refuse a unit, script or entry given twice: every scenario id of it would be there twice (its rows and counts
    doubled, one run standing for both). Said where it is given again, the table to remove."""
    for what, names in (("unit", [u.name for u in spec.unit]), ("script", [x.name for x in spec.script]),
                        ("entry", [e.name for e in spec.entry])):
        again = _first_again(names)
        if again is not None:
            at = [i for i, ln in enumerate(text.splitlines(), start=1)
                  if (m := _NAME_LINE().match(ln)) is not None and m.group(1) == again]
            raise InputError(Where(str(path), at[1] if len(at) > 1 else quoted_line(text, again)),
                             f"{what} {again} is given twice")


def _first_again(names: list[str]) -> str | None:
    """The first non-empty name given a second time (a set of those before, not a scan of them per name: 20,000
    scripts, 1.7 s)."""
    seen: set[str] = set()
    for n in names:
        if n and n in seen:
            return n
        seen.add(n)
    return None


def table_lines(text: str, name: str, count: int) -> list[int]:
    """The line of each [[name]] table's header, in order (a name it gives may be quoted above it, in another
    table); 0 for each when the text does not hold ``count`` of them (rows written as an inline array of tables)."""
    header = re.compile(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\]", re.MULTILINE)
    lines = [text.count("\n", 0, m.start()) + 1 for m in header.finditer(text)]
    return lines[:count] if len(lines) >= count else [0] * count


_SCRIPT_HEADER = re.compile(r"^\s*\[\[\s*script\s*\]\]")
_ANSWERS_KEY = re.compile(r"^\s*answers\s*=")


def answers_where(text: str, where: Where) -> Where:
    """Where the ``answers`` key of the ``[[script]]`` table holding line ``where.line`` (its name's) is written, so
    that an unknown code or too many answers is said at the answers, not at the name (``m.toml:3``, not ``:2``);
    ``where`` itself when that line is in no script table or the table's answers are not found on a line of it."""
    lines = text_lines(text)
    if not 1 <= where.line <= len(lines):
        return where
    top = next((n for n in range(where.line, 0, -1) if lines[n - 1].lstrip().startswith("[")), 0)
    if not top or not _SCRIPT_HEADER.match(lines[top - 1]):
        return where
    for n in range(top + 1, len(lines) + 1):
        if lines[n - 1].lstrip().startswith("["):
            break
        if _ANSWERS_KEY.match(lines[n - 1]):
            return Where(where.path, n)
    return where


def item_where(text: str, answers: Where, item: Any) -> Where:
    """Where one item of a script's ``answers`` list is written: its own line in a list written over several lines
    (``"NOPE"``, ``"NOPE*3"``, ``{ code = "NOPE" }``; tomlfile.value_line), else ``answers``, the list's line
    (answers_where)."""
    word = item.get("code") if isinstance(item, dict) else item
    if not isinstance(word, str) or not answers.line:
        return answers
    for form in dict.fromkeys((word.strip(), word.split("*")[0].strip())):
        if (line := value_line(text, answers.line, "answers", form)) != answers.line:
            return Where(answers.path, line)
    return answers


def describe_answers(items: list[Any]) -> str:
    """A script's answers as the matrix gives them, numbers in hex as the kernel prints status codes and registers
    (``{code=OPERAND_INVALID, rcx=0x1, rdx=0x20}``: was ``rdx=32`` for the matrix's ``rdx = 0x20``)."""
    def shown(v: Any) -> str:
        return f"{v:#x}" if type(v) is int else str(v)
    return ", ".join(shown(i) if not isinstance(i, dict) else "{" + ", ".join(f"{k}={shown(v)}" for k, v in i.items())
                     + "}" for i in items)
