"""What stops gcc's build at file scope: an active ``#error``, and the checks an ``#if`` not decided may keep out."""

# gcc stops the whole build at an ``#error`` the preprocessor reaches, wherever it lies in the unit; the slicer lists
# each file-scope one beside the file-scope assertions (models.slicer, under ASSERT_NAME). Where the branch it is in
# is not decided (a macro no line read defines), or where the mail shows a hunk of the file but not the lines above
# it (an ``#error`` is written under a guard: an ``#if`` there may keep it out of every build), whether gcc builds
# the files is not known: every entry point is then not run, saying why, never refused as a build failure on a guess.

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from models.lazyre import lazy
from models.literals import EscapeError, spells
from models.record import record
from models.slicer import Definition, Kind

_DIRECTIVE = lazy(r"\s*#\s*error\b\s*")


@record
class FileStop:
    """Why no entry point of these files runs: gcc refuses the build (``certain``), or whether it does is not known."""

    reason: str
    certain: bool


def is_directive(d: Definition) -> bool:
    """Whether a file-scope check the slicer listed is an ``#error`` line (else a static_assert)."""
    return _DIRECTIVE().match(d.text) is not None


def message(d: Definition) -> str:
    """An ``#error`` line as gcc says it: what follows the directive's name."""
    return _DIRECTIVE().sub("", d.text, count=1).strip()


def unguarded(path: str, start: int) -> str:
    """The condition of an ``#error`` in a hunk from line ``start`` > 1 of a file known in part."""
    return f"an #if above line {start} of {path}, which the mail does not show, may guard it (give --tree)"


def file_stop(checks: Iterable[Definition]) -> FileStop | None:
    """The first ``#error`` that stops the build, else the first file-scope ``#line`` not followed (line_stop()),
    else the first ``#error`` that may stop it; None where none is active."""
    checks = list(checks)
    errors = [d for d in checks if is_directive(d)]
    sure = next((d for d in errors if d.condition is None), None)
    if sure is not None:
        return FileStop(f"{sure.where}: #error {message(sure)}: gcc stops the build here", True)
    renumbered = next((d for d in checks if _LINE.match(d.text) and followed_line(d) is None), None)
    if renumbered is not None:
        return line_stop(renumbered)
    maybe = next(iter(errors), None)
    if maybe is None:
        return None
    return FileStop(f"{maybe.where}: #error {message(maybe)} under {maybe.condition}, which the mirror cannot "
                    "decide: whether gcc builds these files is not known", False)


_LINE = re.compile(r"\s*#\s*(?:line\b|[0-9])")
_SPLICE = re.compile(r"\\[ \t\f\v\r]*\n")  # a backslash-newline, as the slicer writes a comment joined to the directive
_FOLLOWED = lazy(r'# ?(?:line )?([1-9][0-9]{0,9})(?: "((?:[^"\\]|\\.)*)")?')
_LINE_MAX = 2147483647  # the largest N gcc takes (C11 6.10.4p3)


def _flat(d: Definition) -> str:
    """A directive's text on one line: backslash-newlines (a comment joined to it: models.slicer) and runs of blanks
    one space."""
    return " ".join(_SPLICE.sub(" ", d.text).split())


def followed_line(d: Definition) -> int | None:
    """N of a file-scope ``#line N ["file"]`` or line marker ``# N ["file"]`` the mirror follows: built whatever is
    configured (no condition), N decimal from 1 to 2147483647, then at most the file's own path (``__FILE__``'s value,
    models.cpp; its escapes decoded as gcc decodes them, models.literals.spells: gcc then says the same file) and
    nothing more (comments are blanks); None for another form (another file's name, an escape gcc refuses, flags, a
    macro, a condition: line_stop() says why nothing runs)."""
    m = _FOLLOWED().fullmatch(_flat(d))
    if m is None or d.condition is not None or int(m.group(1)) > _LINE_MAX:
        return None
    try:
        return int(m.group(1)) if m.group(2) is None or spells(m.group(2), d.path) else None
    except EscapeError:
        return None


@record
class Renumbered:
    """A ``#line`` gcc numbers the lines below from, in a file or a definition's body: the file's line after its
    last (a comment joined to it is part of it: models.slicer), which gcc numbers ``n``; ``n`` 0 where the mirror does
    not follow it for what is below its definition (``why``)."""

    at: int
    n: int
    why: str = ""


Renumbering = dict[str, tuple[Renumbered, ...]]  # path -> its directives, in order


def renumbering(checks: Iterable[Definition], defined: Iterable[Definition]) -> Renumbering:
    """Each file's ``#line`` directives as gcc_line() reads them: the followed ones at file scope (followed_line(),
    among ``checks``: the others stop everything, file_stop()), and those in the bodies of ``defined``, which number
    the definitions below too (C11 6.10.4p3: to the end of the file), followed where the mirror follows one at file
    scope and nothing in that body is conditional."""
    out: dict[str, list[Renumbered]] = {}
    for d in checks:
        n = followed_line(d) if _LINE.match(d.text) else None
        if n is not None:
            out.setdefault(d.path, []).append(Renumbered(d.line + d.text.count("\n") + 1, n))
    for d in defined:
        if "#" in d.text and d.kind not in (Kind.MACRO, Kind.ASSERT, Kind.UNDEF):
            out.setdefault(d.path, []).extend(_in_body(d))
    return {path: tuple(sorted(found, key=lambda r: r.at)) for path, found in out.items() if found}


_CONDITIONAL = re.compile(r"[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|elifdef|elifndef|else)\b")


def _in_body(d: Definition) -> list[Renumbered]:
    """The ``#line`` directives of a definition's text, each with the file's line after its last."""
    lines, out = d.text.split("\n"), []
    odd = d.condition is not None or any(_CONDITIONAL.match(line) for line in lines)
    for i, line in enumerate(lines):
        if not _LINE.match(line) or (i and lines[i - 1].rstrip().endswith("\\")):
            continue
        end = i
        while lines[end].rstrip().endswith("\\") and end + 1 < len(lines):
            end += 1
        directive = replace(d, text="\n".join(lines[i:end + 1]), line=d.line + i, condition=None)
        n = None if odd else followed_line(directive)
        why = "" if n is not None else f"gcc numbers the lines below '{_flat(directive)}' ({directive.where}, in " \
            f"{d.name}) as it says, in a form the mirror follows only inside that definition: not run"
        out.append(Renumbered(d.line + end + 1, n or 0, why))
    return out


def gcc_line(path: str, line: int, lines: Renumbering) -> tuple[int, str]:
    """The number gcc gives line ``line`` of ``path`` (C11 6.10.4p3: the line after ``#line N`` is N, each one after
    one more; ``line`` itself above every directive of that file), and ""; or 0 and why, below a directive the mirror
    does not follow."""
    last = next((r for r in reversed(lines.get(path, ())) if r.at <= line), None)
    if last is None:
        return line, ""
    return (last.n + line - last.at, "") if last.n else (0, last.why)


def line_stop(d: Definition) -> FileStop:
    """Why nothing of the files runs where one has a ``#line`` (or gcc's line marker ``# N``) at file scope that is
    not followed (followed_line()): gcc numbers every line below it as it says (C11 6.10.4: ``__LINE__``, the place
    WARN() and a build's diagnostics say), in the definitions after it too. Not known, never run with other numbers
    than gcc's."""
    under = f" under {d.condition}" if d.condition else ""
    return FileStop(f"{d.where}: '{_flat(d)}' at file scope{under}: gcc numbers the lines below it as it says "
                    "(__LINE__, where a warning says it is), which the mirror does not follow for this form: not run",
                    False)


def undecided_assertion(checks: Iterable[Definition], where: str) -> str | None:
    """The condition a file-scope static_assert at ``where`` is under, where it is not decided."""
    return next((d.condition for d in checks if d.where == where and d.condition and not is_directive(d)
                 and not _LINE.match(d.text)), None)
