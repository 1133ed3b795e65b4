"""What stops gcc's build at file scope: an active ``#error``, and the checks an ``#if`` not decided may keep out."""

# gcc stops the whole build at an ``#error`` the preprocessor reaches, wherever it lies in the unit; the slicer lists
# each file-scope one beside the file-scope assertions (models.slicer, under ASSERT_NAME). Where the branch it is in
# is not decided (a macro no line read defines), or where the mail shows a hunk of the file but not the lines above
# it (an ``#error`` is written under a guard: an ``#if`` there may keep it out of every build), whether gcc builds
# the files is not known: every entry point is then not run, saying why, never refused as a build failure on a guess.

from __future__ import annotations

import re
from collections.abc import Iterable

from models.record import record
from models.slicer import Definition

_DIRECTIVE = re.compile(r"\s*#\s*error\b\s*")


@record
class FileStop:
    """Why no entry point of these files runs: gcc refuses the build (``certain``), or whether it does is not known."""

    reason: str
    certain: bool


def is_directive(d: Definition) -> bool:
    """Whether a file-scope check the slicer listed is an ``#error`` line (else a static_assert)."""
    return _DIRECTIVE.match(d.text) is not None


def message(d: Definition) -> str:
    """An ``#error`` line as gcc says it: what follows the directive's name."""
    return _DIRECTIVE.sub("", d.text, count=1).strip()


def unguarded(path: str, start: int) -> str:
    """The condition of an ``#error`` in a hunk from line ``start`` > 1 of a file known in part."""
    return f"an #if above line {start} of {path}, which the mail does not show, may guard it (give --tree)"


def file_stop(checks: Iterable[Definition]) -> FileStop | None:
    """The first ``#error`` that stops the build, else the first file-scope ``#line`` (line_stop()), else the first
    ``#error`` that may stop it; None where none is active."""
    checks = list(checks)
    errors = [d for d in checks if is_directive(d)]
    sure = next((d for d in errors if d.condition is None), None)
    if sure is not None:
        return FileStop(f"{sure.where}: #error {message(sure)}: gcc stops the build here", True)
    renumbered = next((d for d in checks if _LINE.match(d.text)), None)
    if renumbered is not None:
        return line_stop(renumbered)
    maybe = next(iter(errors), None)
    if maybe is None:
        return None
    return FileStop(f"{maybe.where}: #error {message(maybe)} under {maybe.condition}, which the mirror cannot "
                    "decide: whether gcc builds these files is not known", False)


_LINE = re.compile(r"\s*#\s*(?:line\b|[0-9])")


def line_stop(d: Definition) -> FileStop:
    """Why nothing of the files runs where one has a ``#line N`` (or gcc's line marker ``# N``) at file scope: gcc
    numbers every line below it from N (C11 6.10.4: ``__LINE__``, the place WARN() and a build's diagnostics say),
    in the definitions after it too, and the mirror expands each definition at its line in the file, which it
    would not follow (a ``#line`` inside a function body is followed: models.cpphooks). Not known, never run with
    other numbers than gcc's."""
    under = f" under {d.condition}" if d.condition else ""
    return FileStop(f"{d.where}: '{' '.join(d.text.split())}' at file scope{under}: gcc numbers the lines below it "
                    "from there (__LINE__, where a warning says it is), which the mirror does not follow across "
                    "definitions: not run", False)


def undecided_assertion(checks: Iterable[Definition], where: str) -> str | None:
    """The condition a file-scope static_assert at ``where`` is under, where it is not decided."""
    return next((d.condition for d in checks if d.where == where and d.condition and not is_directive(d)
                 and not _LINE.match(d.text)), None)
