"""A word wider than the terminal's line (a path, a Message-ID) is shown whole on a line of its own, never folded."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from harness.console import show
from reports.lines import Line
from reports.safe import markup
from reports.terminal import _indented, _text, labelled, marked_line

# Wider than a 40- and a 60-column line (less an indent); either fits 80.
PATH = "drivers/virt/coco/some-vendor-host/a-long-directory-name/demo-helpers.c"
MSGID = "<20990101000000.12345-1-someone.with.a.long.name@example.org>"


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def _shown(line: Line, width: int, colour: bool) -> list[str]:
    console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None,
                      highlight=False, emoji=False, file=_Sink())
    show(line, console)
    text = console.file.text  # type: ignore[attr-defined]
    return [ln.rstrip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines()]


def _lines() -> list[Line]:
    verdict = f"v9: NOT READY: the unit {PATH} does not exist in v9:01"
    return [labelled("assumed", f"the unit {PATH} does not exist in v9:02: v9 03/20 creates it; its pr_fmt there "
                                "('demo: ') is used [v9:02]", "dim"),
            labelled("series", f"read as bundled series 'demo' (its manifest names {MSGID}): its reviewer variants "
                               "apply"),
            _indented(f"- log: err printed with '0x%016llx' -> '%#016llx' at {PATH}:66 [all leaves x small-error]", 4),
            _text(f"{PATH} {PATH}: two in a row, then more words that wrap"),
            marked_line(lambda: f"[bold red]{markup(verdict)}[/]", verdict, hang=4),
            Line(f"  {PATH}", depth=2)]


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_a_word_wider_than_its_line_is_shown_whole_on_a_line_of_its_own(width: int, colour: bool) -> None:
    # At 40 columns '<20250523095322.88774-1-chao.gao' / '@intel.com>)' and 'arch/x86/virt/vmx/tdx/seamld' / 'r.c':
    # a copy of it held a line end in the middle of the name. The terminal wraps a line wider than itself, and a copy
    # of that gives the name whole; every other line still fits the width.
    for line in _lines():
        assert line.plain is not None
        shown = _shown(line, width, colour)
        assert [w for ln in shown for w in ln.split()] == line.plain.split(), shown  # nothing cut, nothing lost
        for ln in shown:
            assert len(ln) <= width or len(ln.split()) == 1, (width, ln)
        wide = [w for w in line.plain.split() if len(w) > width - 6]  # wider than its line less indent and hang
        assert all(any(ln.split() == [w] for ln in shown) for w in wide), (wide, shown)
    if width == 40:
        assert any(ln.strip() == f"{MSGID}):" for ln in _shown(_lines()[1], width, colour))


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", [40, 60, 80])
def test_a_path_in_the_series_tree_is_shown_whole(width: int, colour: bool) -> None:
    # `series` at 40 columns drew '│   │   ├── arch/x86/virt/vmx/tdx/Makefi' / '│   │   │   le'.
    from reports.plaintree import Branch

    tree = Branch(("bold", ("Demo series",)))
    patch = tree.add(("bold", ("v9: 3 of 3 patches",))).add(("", ("[01/03] demo: add helper",)))
    patch.add(("", (PATH, " (new)")), ("dim", (" 000000000000..0123456789ab",)))
    patch.add(("dim", ("Link: ", MSGID)))
    console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None,
                      highlight=False, emoji=False, file=_Sink())
    show(tree, console)
    shown = [ln.rstrip() for ln in re.sub(r"\x1b\[[0-9;]*m", "", console.file.text).splitlines()]  # type: ignore[attr-defined]
    labels = [ln.lstrip(" │├└─") for ln in shown]
    said = f"Demo series v9: 3 of 3 patches [01/03] demo: add helper {PATH} (new) 000000000000..0123456789ab"
    assert [w for ln in labels for w in ln.split()] == f"{said} Link: {MSGID}".split()  # nothing cut, nothing lost
    for ln in shown:
        assert len(ln) <= width or len(ln.lstrip(" │├└─").split()) == 1, (width, ln)
    assert any(ln.endswith(f"── {PATH}") or ln.endswith(f"   {PATH}") for ln in shown) or width == 80, shown
