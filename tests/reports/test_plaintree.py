"""A tree drawn without rich (reports.plaintree.Branch): the same bytes as rich.tree draws, where known without rich."""

from __future__ import annotations

import io
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from harness.console import show
from reports.plaintree import Branch, Span
from tests.mailgen import demo_series, message, write_mbox


class _Sink(io.StringIO):
    encoding = "utf-8"


def _drawn(tree: Branch, width: int, colour: bool = False) -> str:
    """What show() writes of ``tree`` on a console of ``width`` (plain where it can)."""
    console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None,
                      highlight=False, emoji=False, file=_Sink())
    show(tree, console)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def _by_rich(tree: Branch, width: int, colour: bool = False) -> str:
    """rich's own drawing of the rich Tree the branch stands for, each line's trailing spaces stripped (the oracle),
    each label cropped where a word is wider than its line (shown whole: compare _cropped() of what is shown)."""
    from rich.text import Text
    from rich.tree import Tree

    overflow = "crop" if width - 4 * _depth(tree) >= 1 else "fold"  # rich's own Tree where a level has no cell
    drawn = Tree(Text.from_markup(tree.marked(), overflow=overflow, emoji=False))
    todo = [(drawn, tree)]
    while todo:
        node, branch = todo.pop()
        todo.extend((node.add(Text.from_markup(c.marked(), overflow=overflow, emoji=False)), c)
                    for c in branch.children)
    console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None,
                      highlight=False, emoji=False, file=_Sink())
    with console.capture() as captured:
        console.print(drawn, soft_wrap=False)
    return "".join(line.rstrip() + "\n" for line in captured.get().splitlines())


def _depth(tree: Branch) -> int:
    """The levels under the root of ``tree``."""
    return max((1 + _depth(child) for child in tree.children), default=0)


def _cropped(shown: str, oracle: str) -> str:
    """``shown`` with each line that is ``oracle``'s line and more (the rest of one word, a label's first with the
    spaces before it) as ``oracle``'s: rich crops a word too wide for its line, show() writes it whole."""
    lines, cropped = shown.splitlines(), oracle.splitlines()
    if len(lines) == len(cropped):
        lines = [crop if line.startswith(crop) and (" " not in line[len(crop):] or not crop.strip(" │├└─")) else line
                 for line, crop in zip(lines, cropped, strict=True)]
    return "".join(line + "\n" for line in lines)


def _plain(drawn: str) -> str:
    """``drawn`` without colour codes, each line's trailing spaces stripped."""
    return "".join(line.rstrip() + "\n" for line in re.sub(r"\x1b\[[0-9;]*m", "", drawn).splitlines())


def _random_spans(rng: random.Random) -> tuple[Span, ...]:
    # Words of any length (folded when longer than the width), spaces, brackets, backslashes, wide characters.
    alphabet = "abcdefgh     []\\/#@:=.-_" + "\u4e2d"
    spans = []
    for _ in range(rng.randrange(0, 4)):
        style = rng.choice(("", "", "bold", "dim", "cyan", "bold yellow"))
        chars = alphabet if rng.random() < 0.05 else alphabet[:13]  # mostly words and spaces
        pieces = tuple("".join(rng.choice(chars) for _ in range(rng.choice((0, 1, 3, 8, 20, 45))))
                       for _ in range(rng.randrange(1, 4)))
        spans.append((style, pieces))
    return tuple(spans)


def _random_tree(rng: random.Random) -> Branch:
    tree = Branch(*_random_spans(rng))
    todo = [(tree, 0)]
    while todo:
        branch, level = todo.pop()
        for _ in range(rng.choice((0, 0, 1, 2, 3)) if level < 5 else 0):
            todo.append((branch.add(*_random_spans(rng)), level + 1))
    return tree


def test_a_tree_is_drawn_as_rich_draws_it() -> None:
    # Oracle: rich.tree's drawing of the same labels (markup) at the same width, a word wider than its line cropped
    # (shown whole); every label shape (empty, words wider than the line, a level with no cell left, pieces with '[',
    # ']' and backslashes, wide characters); with colour too, drawn by rich or by Branch itself.
    rng = random.Random(32)
    tried = plain = 0
    for n in range(400):
        tree = _random_tree(rng)
        width = rng.choice((1, 4, 9, 13, 20, 37, 50, 80, 120))
        try:
            oracle = _by_rich(tree, width)
        except Exception:  # markup rich refuses (a tag formed across two pieces): only rich may say so
            assert tree.plain_lines(width) is None, n
            continue
        tried += 1
        plain += tree.plain_lines(width) is not None
        assert _cropped(_drawn(tree, width), oracle) == oracle, (n, width)
        assert _cropped(_plain(_drawn(tree, width, colour=True)), oracle) == oracle, (n, width)  # drawn with rich
    assert tried > 200 and plain > 100, (tried, plain)


def test_with_colour_rich_draws_it() -> None:
    tree = Branch(("bold", ("title",)))
    tree.add(("dim", ("a [b] c",)), ("", ("  d",))).add(("cyan", ("e",)))
    assert "\x1b[" in _drawn(tree, 40, colour=True)
    assert _drawn(tree, 40, colour=True) == _by_rich(tree, 40, colour=True)


def test_a_stream_not_utf8_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    # rich draws ASCII guides ("+-- ") where the stream's encoding is not UTF-8.
    tree = Branch(("", ("a",)))
    tree.add(("", ("b",)))
    assert tree.plain_lines(20) == ["a", "└── b"]
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="latin-1"))
    assert tree.plain_lines(20) is None


def test_series_piped_loads_no_rich(tmp_path: Path) -> None:
    # Importing rich.tree (rich.console, rich.text) and drawing cost `series` some 100 M instructions of 874 M for a
    # listing of printable ASCII labels. The oracle: rich's drawing of the same tree.
    from harness.ingest import IngestRequest, parse_series
    from harness.replyvariants import variant_names
    from reports.series_view import series_tree

    msgs = demo_series()
    nak = message(f"Re: {msgs[2]['Subject']}", "nak@example.org", "> Change number 2.\n\nNAK, [keep] it in hex.\n",
                  sender="Mae Maint <mae@example.org>", parent="p2-v2@example.org",
                  refs=("cover-v2@example.org", "p2-v2@example.org"))
    box = write_mbox(tmp_path / "s.mbox", [*msgs, nak])
    code = ("import sys\nfrom harness.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print('loaded', sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))")
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env["COLUMNS"] = "60"
    out = subprocess.run([sys.executable, "-c", code, "series", str(box)], capture_output=True, text=True,
                         check=False, env=env).stdout
    listing, _, loaded = out.rpartition("loaded ")
    assert loaded.strip() == "[]", out
    series = parse_series(IngestRequest((box,)))
    tree = series_tree(series, variant_names(series, None))
    assert "Mae Maint" in listing and _cropped(listing, oracle := _by_rich(tree, 60)) == oracle


@pytest.mark.parametrize("colour", [False, True])
def test_a_bracket_opened_in_one_piece_and_closed_in_another_loses_no_words(colour: bool) -> None:
    # Each piece of mail text escaped on its own let a '[' of a Message-ID and a ']' of the subject after it read as
    # one rich tag, and the words between them were dropped ('supersedes <a d)'). The oracle: the text itself.
    tree = Branch(("bold", ("v2",)))
    tree.add(("dim", ("supersedes ", "<a[b@x>", " (", "c] d", ")")))
    tree.add(("", ("x[y",)), ("", ("z] w",)))
    drawn = _drawn(tree, 80, colour)
    assert "supersedes <a[b@x> (c] d)" in drawn
    assert "x[yz] w" in drawn
