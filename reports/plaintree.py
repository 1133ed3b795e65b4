"""A tree of labels as rich.tree.Tree draws it, written as plain text where no colour is (rich not loaded).

Importing rich.tree (rich.console, rich.text) and drawing the corpus' `seamharness series` listing of 550 labels cost
some 140 M instructions of the command's 874 M, for text whose bytes, with no colour written, are each label's words
after the guides of the levels above it. A Branch is its label's pieces and styles and its children; it becomes the
rich Tree it stands for (``__rich_console__``) only where rich draws it (tests/reports/test_plaintree.py holds the two
equal, but for a word wider than its line, shown whole on a line of its own).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reports.lines import drawn_lines
from reports.plainwrap import text_lines, widest

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.tree import Tree

# rich.tree.Tree.TREE_GUIDES[0] ("tree.line" is not bold): under a last child, under another, a child, the last.
_SPACE, _CONTINUE, _FORK, _END = "    ", "│   ", "├── ", "└── "
_GUIDE = len(_SPACE)  # cells of one level's guide

Span = tuple[str, tuple[str, ...]]  # a rich style ("" for none) and the pieces of text shown in it


class Branch:
    """A label, shown as the markup ``[style]piece...[/]`` of each span (each span's text escaped whole by
    rich.markup.escape, no tag around a span without a style), and the branches under it, in order."""

    __slots__ = ("children", "spans")

    def __init__(self, *spans: Span) -> None:
        self.spans, self.children = spans, list[Branch]()

    def add(self, *spans: Span) -> Branch:
        """A new branch under this one, last; returned to add to."""
        child = Branch(*spans)
        self.children.append(child)
        return child

    def marked(self) -> str:
        """The label as rich markup (imports rich: only where rich draws it)."""
        from rich.markup import escape

        # Each span's text is escaped whole, and neighbouring spans without a style as one text: a '[' in one piece
        # and a ']' in a later one (a Message-ID '<a[b@x>' before a subject 'c] d') would otherwise read as a tag
        # and rich would drop the words between them.
        runs: list[tuple[str, str]] = []
        for style, pieces in self.spans:
            text = "".join(pieces)
            if runs and not style and not runs[-1][0]:
                runs[-1] = ("", runs[-1][1] + text)
            else:
                runs.append((style, text))
        return "".join(f"[{style}]{escape(text)}[/]" if style else escape(text) for style, text in runs)

    def plain(self) -> str | None:
        """The label's text as rich reads its markup, where known without rich: no piece holds a backslash or a '['
        left open (the rule of reports.terminal.marked_line: escape() and from_markup() give back each piece, and no
        tag forms across two); else None."""
        pieces = [p for _, span in self.spans for p in span]
        known = all("\\" not in p and p.rfind("[") <= p.rfind("]") for p in pieces)
        return "".join(pieces) if known else None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The rich Tree it stands for (tree()), but where a label has a word wider than its line, drawn here as the
        Tree draws it with that word whole on a line of its own (reports.lines.drawn_lines): the Tree crops a
        label's lines, and folds that word in the middle of its name."""
        from rich.cells import cell_len
        from rich.segment import Segment
        from rich.text import Text

        drawn = [(Text.from_markup(b.marked(), emoji=False), first, rest) for b, first, rest in self._prefixes()]
        cells = [options.max_width - len(first) for _, first, _ in drawn]  # a guide's character is one cell
        if min(cells) < 1 or all(widest(t.plain, cell_len) <= n for (t, _, _), n in zip(drawn, cells, strict=True)):
            yield self.tree()  # a level with no cell left too: as rich draws it
            return
        guide = console.get_style("tree.line", default="")
        ascii_guides = str.maketrans("│├└─", "|+`-") if options.ascii_only else None
        for (label, first, rest), width in zip(drawn, cells, strict=True):
            lines = drawn_lines(label, console, options, width)
            pads = [Segment(p.translate(ascii_guides) if ascii_guides else p, guide) for p in (first, rest)]
            for n, line in enumerate(lines):
                yield pads[n > 0]
                yield from line
                yield Segment.line()

    def tree(self) -> Tree:
        """The rich Tree it stands for (imports rich)."""
        from rich.tree import Tree

        tree = Tree(self.marked())
        todo = [(tree, self)]
        while todo:
            drawn, branch = todo.pop()
            todo.extend((drawn.add(child.marked()), child) for child in branch.children)
        return tree

    def plain_lines(self, width: int) -> list[str] | None:
        """The tree's lines at ``width`` as harness.console.show writes them with no colour (each label wrapped as
        reports.plainwrap wraps it, at the width less its guides, a word wider than that whole on a line of its own),
        or None where only rich can tell: a label not known without rich or not printable ASCII, a width the guides
        leave no cell of, a stream not UTF-8 (rich draws ASCII guides there)."""
        if not all(_utf(stream) for stream in (sys.stdout, sys.stderr)):
            return None
        out: list[str] = []
        for branch, first, rest in self._prefixes():
            plain = branch.plain()
            lines = None if plain is None else text_lines(plain, width - len(first), whole=True)  # a guide's
            if lines is None:  # character is one cell
                return None
            out.extend(f"{rest if n else first}{line}".rstrip() for n, line in enumerate(lines))
        return out

    def _prefixes(self) -> Iterator[tuple[Branch, str, str]]:
        """Each branch in drawing order with the guides before its label's first line and before the others."""
        for branch, above, last in self._walk():
            if branch is self:
                yield branch, "", ""
            else:
                yield branch, above + (_END if last else _FORK), above + (_SPACE if last else _CONTINUE)

    def _walk(self) -> Iterator[tuple[Branch, str, bool]]:
        """Each branch in drawing order (depth first), with the guides of the levels between it and the root
        (under the root's children only) and whether it is its parent's last child."""
        todo: list[tuple[Branch, str, bool]] = [(self, "", True)]
        while todo:
            branch, above, last = todo.pop()
            yield branch, above, last
            below = "" if branch is self else above + (_SPACE if last else _CONTINUE)
            n = len(branch.children)
            todo.extend((child, below, i == n - 1) for i, child in reversed(list(enumerate(branch.children))))


def _utf(stream: object) -> bool:
    """Whether rich's console on ``stream`` draws the tree's own guides: its encoding (Console.encoding) is UTF."""
    return (getattr(stream, "encoding", None) or "utf-8").lower().startswith("utf")
