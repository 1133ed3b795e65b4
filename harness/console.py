"""The terminal: stdout's and stderr's rich consoles, made on first use, and how reports are printed."""

from __future__ import annotations

from functools import cache as once
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


# The terminal's width, or COLUMNS when piped (80 when unset): long lines wrap, identifiers fold, never cut.
@once
def out() -> Console:
    """stdout's console, made on first use (importing rich costs what a short command does not need)."""
    return _console(highlight=False, emoji=False)  # mail text such as :x: stays itself


@once
def err() -> Console:
    """stderr's console, made on first use."""
    return _console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _console(**options: Any) -> Console:
    from rich.console import Console

    class _Quiet(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # rich would exit with 1, which a gate's caller reads as a verdict

    return _Quiet(**options)


def show(renderable: Any, console: Console | None = None) -> None:
    """Print a report for people: wrapped at the width, without the spaces rich pads wrapped lines with."""
    console = console or out()
    with console.capture() as captured:
        console.print(renderable, soft_wrap=False)  # stderr's console keeps one-line errors unwrapped
    console.file.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def progress(msg: str) -> None:
    """A progress or note line on stderr, dimmed."""
    err().print(msg, markup=False, style="dim")
