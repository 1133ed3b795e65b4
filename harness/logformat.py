"""Whether a printk-family call's literal format can print a line a log pattern matches (harness.logsites).

A rule's ``log_match`` and ``log_not_match`` are searched (``re.search``) in each line a run printed, its pr_fmt
prefix included and its KERN_<level> not (harness.expectations._log_tests). A call no run made leaves a log-pattern pass
open only if it could print such a line. Said "cannot" only when the format is a string literal whose every line
is known but for numbers: no conversion (the line is exact), or only integer ones (``%d``, ``%llx``, ``%#016llx``:
lib/vsprintf.c number() prints digits, hex letters, ``0x``, a sign and padding), and a text the pattern needs
(a run of literal characters it cannot match without) fits in no line. A ``%s``, ``%c``, ``%p...``, a format not
ended by a newline (a continuation may follow on its line) or a KERN_CONT one may print anything: "can".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from harness.rebudget import search_within
from models.lazyre import lazy
from models.literals import EscapeError, string_bytes
from models.printklog import PRINTKRB_RECORD_MAX, printk_level, text_of

if TYPE_CHECKING:  # typeshed describes the parser under its old names, which are deprecated to import
    import sre_constants as sre
    import sre_parse
else:
    import re._constants as sre
    import re._parser as sre_parse

_NUMBER = frozenset("0123456789abcdefABCDEFxX+- ")  # what an integer conversion prints (lib/vsprintf.c number())
_SPEC = lazy(r"%[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*)?)?(?:hh|h|ll|l|L|z|Z|t|j|q)?([a-zA-Z%])")
_INTEGER = frozenset("diuxXo")
_REPEATS = tuple(getattr(sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(sre, name))
Part = str | frozenset[str]
# A record longer than printk keeps is cut (models.printklog.PRINTKRB_RECORD_MAX): a pattern ending in "$" may match
# the cut line and not the whole one, so a long line is read as the texts a match must hold: one that fits in no
# whole line fits in no cut of it either.
_CUT = PRINTKRB_RECORD_MAX - 8  # one literal character, or any run of the characters of the set (a conversion)


def format_lines(literal: str, callee: str, prefix: str) -> list[list[Part]] | None:
    """The lines a call of ``callee`` with the C string ``literal`` as its format prints, ``prefix`` (its pr_fmt)
    before the first: each a list of Parts; None when a line may hold text not known (see the module doc)."""
    try:
        data = string_bytes(literal)
    except EscapeError:  # a pr_fmt() mark, or an escape gcc refuses: not read here
        return None
    if callee.startswith("printk") or callee == "vprintk":
        level, data = printk_level(data)
        if level.startswith("cont"):
            return None
    elif callee.startswith("pr_cont"):
        return None
    text = text_of(data)
    if not text.endswith("\n"):
        return None
    parts: list[Part] = list(prefix)
    i = 0
    while i < len(text):
        if text[i] != "%":
            parts.append(text[i])
            i += 1
            continue
        m = _SPEC().match(text, i)
        if m is None or (m.group(1) != "%" and m.group(1) not in _INTEGER):
            return None
        parts.append("%" if m.group(1) == "%" else _NUMBER)
        i = m.end()
    lines: list[list[Part]] = [[]]
    for p in parts[:-1]:  # the final newline ends the record (models.printklog.log_lines)
        if p == "\n":
            lines.append([])
        else:
            lines[-1].append(p)
    return lines


def can_match(pattern: re.Pattern[str], lines: Sequence[Sequence[Part]]) -> bool:
    """Whether ``pattern`` may match in one of ``lines`` (format_lines'): searched in each exact line, or, with a
    conversion, when every text it needs fits in some line."""
    exact = all(isinstance(p, str) for line in lines for p in line)
    if exact and sum(map(len, lines)) < _CUT:
        # None: re backtracked past its budget on the line (harness.rebudget): it may match.
        return search_within(pattern, ["".join(str(p) for p in line) for line in lines]) is not False
    fold = bool(pattern.flags & re.IGNORECASE) or "(?" in pattern.pattern  # a scoped (?i:...) too: folding widens
    needed = _needed(sre_parse.parse(pattern.pattern, pattern.flags).data)
    return all(any(_fits(r, line, fold) for line in lines) for r in needed)


def _needed(items: list[tuple[Any, Any]]) -> list[str]:
    """The runs of literal characters every match of a parsed pattern holds, each whole (a branch, an optional or
    repeated part, a class or a group reference ends a run and adds none of its own but a repeat's required
    item's)."""
    runs: list[str] = []
    run = ""
    for op, arg in items:
        if op is sre.LITERAL and isinstance(arg, int):
            run += chr(arg)
            continue
        if op is sre.AT:  # an anchor matches no character: the run goes on
            continue
        if op is sre.SUBPATTERN and isinstance(arg, tuple):
            inner = _needed(arg[-1].data)
            plain = all(o is sre.LITERAL for o, _ in arg[-1].data)
            if plain and inner:  # a group of literals alone: part of the run
                run += inner[0]
                continue
            runs += [run, *inner]
            run = ""
            continue
        runs.append(run)
        run = ""
        if op in _REPEATS and isinstance(arg, tuple) and arg[0] >= 1:
            runs += _needed(arg[2].data)
    runs.append(run)
    return [r for r in runs if r]


def _fits(run: str, line: Sequence[Part], fold: bool) -> bool:
    """Whether ``run`` is a substring of some text ``line`` stands for: the states of a search for it (how much of
    it the text so far ends with), walked through each Part."""
    if fold:
        run = run.lower()
    states = {0}

    def step(state: set[int], char: str) -> set[int]:
        c = char.lower() if fold else char
        return {0} | {s + 1 for s in state if s < len(run) and run[s] == c}

    for p in line:
        if isinstance(p, str):
            states = step(states, p)
        else:
            while True:  # any number of the set's characters
                more = states.union(*(step(states, c) for c in p))
                if more == states:
                    break
                states = more
        if len(run) in states:
            return True
    return len(run) in states
