"""The terminal: stdout's and stderr's rich consoles, made on first use, and how reports are printed."""

from __future__ import annotations

import builtins
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache as once
from typing import TYPE_CHECKING, Any

from reports.safe import one_line

if TYPE_CHECKING:
    from rich.console import Console

    from harness.atomic import Output


# The terminal's width, or COLUMNS when piped (80 when unset): long lines wrap; a word wider than the line is shown
# whole on a line of its own (reports.lines.Line), never cut.
@once
def out() -> Console:
    """stdout's console, made on first use (importing rich costs what a short command does not need)."""
    return _console(file=_Stdout(), highlight=False, emoji=False)  # mail text such as :x: stays itself


class _Stdout:
    """sys.stdout as the console writes to it (whichever it is then: a test's capture too), a write the system
    refuses (a full disk, ``> /dev/full``) one line and exit 2, as for a report file, never a bug of ours."""

    def write(self, text: str) -> int:
        return int(self._refused(lambda: sys.stdout.write(text)))

    def flush(self) -> None:
        self._refused(sys.stdout.flush)

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.stdout, name)  # isatty, fileno, encoding: the stream's own

    @staticmethod
    def _refused(write: Callable[[], Any]) -> Any:
        try:
            return write()
        except BrokenPipeError:
            raise  # the reader went away: status 141 (harness.cli.handled)
        except OSError as exc:
            from harness.errors import UsageError, os_reason

            raise UsageError("stdout", f"cannot write: {os_reason(exc)}") from exc


@once
def err() -> Console:
    """stderr's console, made on first use."""
    return _console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _console(**options: Any) -> Console:
    from rich.console import Console

    class _Quiet(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # rich would exit with 1, which a gate's caller reads as a verdict

        def _render_buffer(self, buffer: Iterable[Any]) -> str:
            segments = list(buffer)
            said = getattr(self.file, "said", None)  # a recorded run's stream (_said_apart)
            if said is not None:
                marks = [n for n, s in enumerate(segments) if s.control and _SAID in s.control]
                for start, end in zip(marks[::2], marks[1::2], strict=False):
                    if text := super()._render_buffer(segments[start + 1:end]):
                        said(text)
            return super()._render_buffer(segments)

    if _columns_zero():  # rich 15 would wrap at 0 columns and print nothing: as if COLUMNS were unset
        options["_environ"] = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    return _Quiet(**options)


def _columns_zero() -> bool:
    """Whether COLUMNS is digits that make 0: no terminal's width, read as COLUMNS unset (rich's own fallback for
    a terminal that says 0 columns), since rich takes it as the width and a report wrapped there is empty."""
    columns = os.environ.get("COLUMNS")
    return columns is not None and columns.isdigit() and int(columns) == 0


def show(renderable: Any, console: Console | None = None, *, stderr: bool = False) -> None:
    """Print a report for people: wrapped at the width, without the spaces rich pads wrapped lines with. Without a
    console, on stdout's (stderr's with ``stderr``), made only where rich draws a part (plain_width(): none where no
    colour is written and every line is printable ASCII, as reports.plainwrap wraps it)."""
    width = None if console is not None else plain_width(sys.stderr if stderr else sys.stdout)
    if console is None and width is None:
        console = err() if stderr else out()
    text = "".join(_rendered(renderable, console, width, stderr))
    file = console.file if console is not None else sys.stderr if stderr else _Stdout()
    file.write("".join(line.rstrip() + "\n" for line in text.splitlines()))


def _rendered(renderable: Any, console: Console | None, width: int | None = None,
              stderr: bool = False) -> Iterator[str]:
    """What ``console.print(renderable)`` captures, a group's parts in turn (each ends its last line): with no
    colour written, a line of plain text as reports.plainwrap wraps it (each part's ``plain_lines``, a Text's), the
    rest as rich renders it (without ``console``: at ``width``, stdout's or stderr's console made for the rest)."""
    from reports.lines import parts_of

    if console is not None and (console.color_system is not None or console.is_jupyter):
        yield _captured(renderable, console)
        return
    width, left = console.width if console is not None else width or 0, []
    for part in parts_of(renderable):
        lines = _plain_lines(part, width)
        if lines is None:
            left.append(part)
            continue
        if left:
            yield _captured(_group(left), console or (err() if stderr else out()))
            left = []
        yield "".join(line + "\n" for line in lines)
    if left:
        yield _captured(_group(left), console or (err() if stderr else out()))


def _group(parts: list[Any]) -> Any:
    from rich.console import Group

    return Group(*parts)


def _plain_lines(part: Any, width: int) -> list[str] | None:
    lines = getattr(part, "plain_lines", None)  # reports.lines' Line and Indented
    if lines is not None:
        return lines(width)  # type: ignore[no-any-return]
    text = sys.modules.get("rich.text")  # a Text is made only once rich.text is loaded
    if text is not None and type(part) is text.Text:
        from reports.plainwrap import plain_lines

        return plain_lines(part, width)
    return None


def plain_width(stream: Any) -> int | None:
    """The width rich's console on ``stream`` (sys.stdout or sys.stderr) wraps at when it writes no colour, found
    without importing rich (some 68 M instructions); None when it may write colour or only rich can tell (a terminal,
    Jupyter, Windows). As rich 15's Console: not a terminal (is_terminal) writes no colour; COLUMNS when digits (but
    0: as unset, _console's), else the first of stdin, stdout and stderr that is a terminal, else 80."""
    if sys.platform == "win32" or hasattr(builtins, "get_ipython") or _is_terminal(stream):
        return None
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit() and not _columns_zero():
        return int(columns)
    for stream_fd in _STD_STREAMS:
        try:
            width = os.get_terminal_size(stream_fd)[0]
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


def _std_fd(stream: Any, default: int) -> int:
    try:
        return int(stream.fileno())
    except Exception:  # as rich reads them once: a stream without a descriptor is the usual one
        return default


_STD_STREAMS = (_std_fd(sys.__stdin__, 0), _std_fd(sys.__stdout__, 1), _std_fd(sys.__stderr__, 2))


def _is_terminal(stream: Any) -> bool:
    """rich 15's Console.is_terminal for a console on ``stream`` made without force_terminal, Jupyter aside (the
    caller's): TTY_COMPATIBLE 0 or 1, then FORCE_COLOR (set: a terminal unless empty), then the stream's isatty()."""
    if getattr(sys.stdin, "__module__", "").startswith("idlelib"):
        return False
    tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force_color = os.environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    isatty = getattr(stream, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:
        return False


def _captured(renderable: Any, console: Console) -> str:
    with console.capture() as captured:
        # stderr's console keeps one-line errors unwrapped; not cropped: a line past the width is a word longer than
        # it, shown whole on a line of its own (reports.lines.Indented) for the terminal to wrap, never cut
        console.print(renderable, soft_wrap=False, crop=False)
    return captured.get()


def progress(msg: str) -> None:
    """A progress or note line on stderr, dimmed, prefixed as every other line of ours there."""
    err().print(f"seamharness: {msg}", markup=False, style="dim")


Track = Callable[[str], "Callable[[int, int], None] | None"]


def with_progress(run: Callable[[Track], Any]) -> Any:
    """Run with progress bars (label, bar, done/total, time) on a terminal, one per phase; none when piped."""
    # rich's own answer only under Jupyter (never a terminal there): loading rich to find stderr is a pipe cost more
    # than a short eval's summary
    if not (err().is_terminal if hasattr(builtins, "get_ipython") else _is_terminal(sys.stderr)):
        return run(lambda _label: None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=err(), transient=True)

    def track(label: str) -> Callable[[int, int], None]:
        task = bar.add_task(label, total=None)
        return lambda done, total: bar.update(task, completed=done, total=total)

    with _said_apart(err(), lambda: bar.live.is_started), bar:  # ours first: the live display's hook wraps ours
        return run(track)


# A control code of no bytes marking, in what a console writes while a live display draws, the text a print gave
# (what it writes besides draws and erases the bars).
_SAID = ("seamharness", "said")


@contextmanager
def _said_apart(console: Console, live: Callable[[], bool]) -> Iterator[None]:
    """While progress bars are drawn on ``console``: when its stream keeps what is written (a run harness.runcache
    records: ``drawing`` and ``said``), it keeps only the text printed while they are shown (``live``), as printed
    without them (which depend on the timing), not the bars nor the line that ends them (erased)."""
    stream: Any = console.file
    if not hasattr(stream, "said"):
        yield
        return
    from rich.console import RenderHook
    from rich.segment import Segment

    class _Marked(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            return [_Mark(), *renderables, _Mark()] if live() else renderables

    class _Mark:
        def __rich_console__(self, _console: Console, _options: Any) -> Iterator[Segment]:
            yield Segment("", None, [_SAID])  # type: ignore[list-item]

    console.push_render_hook(_Marked())
    stream.drawing = True
    try:
        yield
    finally:
        stream.drawing = False
        console.pop_render_hook()


def say_skipped(series: Any, variants_skipped: Any = ()) -> bool:
    """On stderr, a line each: inputs that were not read (exit status 2) first, then skipped variants and series
    notes (notes: the exit status stands), and last, where it is seen, a thread copy that is older than asked for (a
    report resting on it). ``series`` is a harness.model.Series; whether an input was skipped (exit status 2)."""
    from harness.threadcache import CopyKind

    # The line the exit status 2 rests on leads: after it, variants skipped for want of what it held (h666: last of
    # up to eight lines, below the "wrote" notes, a user missed it).
    lines = [f"{s.where}: {s.reason} (skipped)" for s in series.skipped]
    lines += _skipped_variants(variants_skipped)
    lines += [f"note: {n.where}: {n.reason}" for n in series.notes]
    lines += [f"warning: {t.describe()}" for t in series.threads if t.kind is CopyKind.STALE]
    for line in lines:
        err().print(one_line(f"seamharness: {line}"), markup=False)
    return bool(series.skipped)


# A Message-ID as a reason names it ('<a@b> asking for it is not in the input').
_MSGID = re.compile(r"<[^<>\s]+>")


def _skipped_variants(variants_skipped: Any) -> list[str]:
    """A note per reason the variants were skipped for, those whose reasons differ only in the one Message-ID each
    names on one line ('4 variants (a, b, c, d) skipped: ... <x> asking for it ... (a; likewise <y> for b, c; <z>
    for d)'): a line each read as four notes of the same thing, the Message-ID lost in the middle of each."""
    by_reason: dict[str, list[str]] = {}
    for v in variants_skipped:
        by_reason.setdefault(v.reason, []).append(v.name)
    alike: dict[str, list[tuple[str, list[str]]]] = {}
    for reason, names in by_reason.items():
        ids = _MSGID.findall(reason)
        alike.setdefault(_MSGID.sub("<>", reason) if len(ids) == 1 else reason, []).append((reason, names))
    lines = []
    for (reason, names), *others in alike.values():
        every = names + [n for _, more in others for n in more]
        likewise = "; ".join(f"{_MSGID.findall(r)[0]} for {', '.join(more)}" for r, more in others)
        tail = f" ({', '.join(names)}; likewise {likewise})" if others else ""
        lines.append(f"note: {_variants(every)} skipped: {reason}{tail}")
    return lines


def _variants(names: list[str]) -> str:
    return f"variant {names[0]}" if len(names) == 1 else f"{len(names)} variants ({', '.join(names)})"


def emit(outputs: dict[str, Output], renderers: dict[str, Callable[[], Iterable[str]]], beside: bool = False) -> bool:
    """Write every output option, all or none (harness.atomic.write_all: ``beside``, files made by forked children
    beside this process); whether the summary goes to stderr (show()'s ``stderr``): when a report went to stdout."""
    from harness.atomic import OutputKind, write_all

    def encoded(option: str) -> Callable[[], Iterable[bytes]]:
        return lambda: (piece.encode("utf-8") for piece in renderers[option]())

    write_all([(target, encoded(option)) for option, target in outputs.items()], beside)  # all or none
    return any(o.kind is OutputKind.STDOUT for o in outputs.values())


def say_lost(exc: OSError) -> int:
    """Say on stderr that stdout did not take text written outside a command (click's help): the exit status
    harness.process.stdout_lost gives it."""
    from harness.process import stdout_lost

    line, status = stdout_lost(exc)
    if line:
        err().print(line, markup=False)
    return status


def print_usage(text: str) -> int:
    """A bare ``seamharness``: click's usage text on stdout, exit 0 (say_lost's status when it is refused)."""
    try:
        sys.stdout.write(text + "\n")
    except OSError as lost:
        return say_lost(lost)
    return 0


def print_printk(fmt: str, args: list[str]) -> None:
    """``seamharness printk``: what models.printk.command_line makes of FORMAT and ARGs on stdout, the warnings
    the kernel would give on stderr. Raises SeamError for a format or arguments it refuses."""
    from harness.atomic import write_stdout
    from harness.errors import SeamError
    from models.printk import PrintkError, command_line

    try:
        result = command_line(fmt, args)
    except PrintkError as exc:
        raise SeamError(None, f"printk: {exc}") from exc
    for warning in result.warnings:
        # The kernel's own text may hold what it printed with %c: a NUL for a trailing '%'. Shown escaped.
        err().print(one_line(f"seamharness: the kernel would warn: {warning}"), markup=False)
    write_stdout(result.text if result.text.endswith(b"\n") else result.text + b"\n")
