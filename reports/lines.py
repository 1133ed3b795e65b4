"""A summary's lines without rich: plain text, wrapped by reports.plainwrap, made rich Text only when rich draws them.

Importing rich.console and rich.text cost a command that writes no colour about 68 M instructions (the corpus' eval
summary piped: every line printable ASCII, wrapped by reports.plainwrap); a Line is its text, style and indent, and
becomes the Text it stood for (``__rich__``, the rich protocol) only where rich renders it: with colour, or a line
plainwrap leaves to rich (wide characters, tabs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from reports.plainwrap import text_lines, unfolded, widest

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, Group, RenderResult
    from rich.segment import Segment
    from rich.text import Text


class Line:
    """One line: ``Text(plain, style=style, overflow="fold")`` (overflow None where ``fold`` is False), or
    ``Text.from_markup(marked(), overflow="fold", emoji=False)`` whose plain text is ``plain`` (None: only rich can
    tell); indented by ``depth`` spaces as Padding((0, 0, 0, depth), expand=False) indents it; where it does not
    fit one line, wrapped at the width less ``hang`` more, the lines after the first ``hang`` spaces further in (a
    list item's text under its text, not under its '- '); a word wider than its line shown whole on a line of its own
    (reports.plainwrap.unfolded), not folded, as far in as it fits the width where it does (indent_of)."""

    __slots__ = ("depth", "fold", "hang", "marked", "plain", "style")

    def __init__(self, plain: str | None, style: str = "", depth: int = 0, *, marked: Callable[[], str] | None = None,
                 fold: bool = True, hang: int = 0) -> None:
        self.plain, self.style, self.depth, self.marked, self.fold = plain, style, depth, marked, fold
        self.hang = hang

    def text(self) -> Text:
        """The rich Text this line stands for."""
        from rich.text import Text

        if self.marked is not None:
            return Text.from_markup(self.marked(), overflow="fold", emoji=False)
        return Text(self.plain or "", style=self.style, overflow="fold" if self.fold else None)

    def __rich__(self) -> Indented:
        return Indented(self.text(), self.depth, self.hang)

    def plain_lines(self, width: int) -> list[str] | None:
        """Its lines at ``width`` as harness.console.show writes them with no colour, or None (only rich can tell)."""
        lines = None if self.plain is None else text_lines(self.plain, width - self.depth, whole=True)
        hang = hang_room(width - self.depth, self.hang)
        if lines is not None and len(lines) > 1 and hang:  # wrapped: at the width its hung lines have
            lines = text_lines(self.plain or "", width - self.depth - hang, whole=True)
        if lines is None or not (self.depth or hang):
            return lines
        return hung(lines, self.depth, hang, width)


def hang_room(width: int, hang: int) -> int:
    """``hang``, or 0 where the width less it leaves no column."""
    return hang if width - hang >= 1 else 0


def indent_of(n: int, cells: int, depth: int, hang: int, width: int) -> int:
    """The column line ``n`` (of ``cells`` cells, trailing spaces aside) starts at: ``depth``, and ``hang`` more
    after the first; a line wider than what that leaves of ``width`` but no wider than ``width`` (a word wider than
    its indent leaves, on a line of its own) as far in as it fits. Not at column 0 for the whole text, as when such a
    word unhung every line: the lines around it went on at column 0, read as lines of their own."""
    indent = depth + (hang if n else 0)
    return width - cells if indent + cells > width >= cells else indent


def hung(lines: list[str], depth: int, hang: int, width: int) -> list[str]:
    """``lines`` after ``depth`` spaces, those after the first after ``hang`` more (a line too wide for that less:
    indent_of), trailing spaces stripped."""
    out = []
    for n, line in enumerate(lines):
        line = line.rstrip()
        out.append(f"{' ' * indent_of(n, len(line), depth, hang, width)}{line}".rstrip())
    return out


class Lines:
    """Renderables shown one after another, as rich's Group(*renderables) shows them (``__rich__``)."""

    __slots__ = ("renderables",)

    def __init__(self, renderables: Sequence[Any]) -> None:
        self.renderables = list(renderables)

    def __rich__(self) -> Group:
        from rich.console import Group

        return Group(*self.renderables)


class Indented:
    """``Padding(text, (0, 0, 0, depth), expand=False)`` as harness.console.show prints it (each line's trailing
    spaces stripped): the text wrapped at the width less the indent (less ``hang`` too where it takes more than one
    line), each line after ``depth`` spaces, those after the first after ``hang`` more. Padding measured the text
    first (its longest line and word, cell by cell) to pad each line to it: a sixth of the summary's cost, for
    spaces show() strips. A word wider than its line is not folded as Padding's Text folds it: a line of its own,
    whole."""

    def __init__(self, text: Text, depth: int, hang: int = 0) -> None:
        self.text, self.depth, self.hang = text, depth, hang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.cells import cell_len
        from rich.segment import Segment

        width = options.max_width - self.depth
        hang = hang_room(width, self.hang)
        if width - hang < 1:  # a console narrower than the indent: as Padding makes it (no indent: the text)
            if not self.depth:
                yield self.text
                return
            from rich.padding import Padding  # rich.table and rich.padding load only when used: 24 M instructions

            yield Padding(self.text, (0, 0, 0, self.depth), expand=False)
            return
        lines = self._lines(console, options, width)
        if len(lines) > 1 and hang:  # wrapped: at the width its hung lines have
            lines = self._lines(console, options, width - hang)
        for n, line in enumerate(lines):
            cells = cell_len("".join(s.text for s in line).rstrip())
            yield Segment(" " * indent_of(n, cells, self.depth, hang, options.max_width))
            yield from line
            yield Segment.line()

    def _lines(self, console: Console, options: ConsoleOptions, width: int) -> list[list[Segment]]:
        return drawn_lines(self.text, console, options, width)

    def plain_lines(self, width: int) -> list[str] | None:
        """Its lines at ``width`` as harness.console.show writes them with no colour (reports.plainwrap), or None."""
        from reports.plainwrap import plain_lines

        lines = plain_lines(self.text, width - self.depth, whole=True)
        hang = hang_room(width - self.depth, self.hang)
        if lines is not None and len(lines) > 1 and hang:
            lines = plain_lines(self.text, width - self.depth - hang, whole=True)
        return None if lines is None else hung(lines, self.depth, hang, width)


class Whole:
    """A rich renderable (a Table) drawn at the console's width, or wider where its words need more: the width its
    widest words leave whole (rich's Measurement minimum). A Table shares a narrow width out among its columns and
    folds a cell's word in the middle (a variant's name, no longer one to copy); drawn wider, harness.console.show
    writes its lines uncropped for the terminal to wrap, each word whole."""

    __slots__ = ("inner",)

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.measure import Measurement

        need = Measurement.get(console, options.update_width(_UNBOUNDED), self.inner).minimum
        yield from console.render(self.inner, options.update_width(max(options.max_width, need)))


_UNBOUNDED = 1 << 16  # a width no table's words need: measured there, a Table's minimum is its widest words'


def drawn_lines(text: Text, console: Console, options: ConsoleOptions, width: int) -> list[list[Segment]]:
    """``text``'s lines at ``width`` cells: rich's, or where a word is wider than that, reports.plainwrap's
    unfolded(): that word whole on a line of its own (harness.console.show prints it uncropped)."""
    from rich.cells import cell_len

    if widest(text.plain, cell_len) <= width:
        return console.render_lines(text, options.update_width(width), pad=False)
    return [list(line.render(console)) for line in unfolded(text, width)]


def parts_of(renderable: Any) -> Iterator[Any]:
    """The renderables a Lines or a rich Group holds, in order; anything else as itself."""
    if isinstance(renderable, Lines):
        yield from renderable.renderables
        return
    group = _group_class()
    yield from renderable.renderables if group is not None and isinstance(renderable, group) else (renderable,)


def _group_class() -> Any:
    """rich's Group where rich.console is loaded (nothing else can have made one), else None."""
    import sys

    module = sys.modules.get("rich.console")
    return None if module is None else module.Group
