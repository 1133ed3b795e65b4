"""The terminal summary (reports/terminal.py): its first line counts what ran, in plain English."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from harness.pipeline import EvalRequest, evaluate
from harness.report import report_model
from reports.terminal import eval_summary
from tests.harness.variantgen import HELPER, RETRY_C
from tests.mailgen import diff, message, patch_body, write_mbox

ONE = """\
[codes]
OK = 0

[leaves]
ONE = 1

[[unit]]
name = "demo.c"
path = "demo/demo.c"

[[entry]]
name = "demo_retry"

[[script]]
name = "ok"
answers = ["OK"]
"""


def test_one_scenario_is_said_in_the_singular(tmp_path: Path) -> None:
    retry = RETRY_C.split("static inline int demo_prerr")[0].replace("TRIES", "3")  # one entry point, no other
    body = patch_body("Add it.", diff(HELPER, None, retry))
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] demo: add a retry", "own@example.org", body)])
    (tmp_path / "m.toml").write_text(ONE)
    rep = report_model(evaluate(EvalRequest((box,), matrix=tmp_path / "m.toml", cache=None)))
    console = Console(width=300, record=True)
    console.print(eval_summary(rep))
    head = console.export_text().splitlines()[0]
    assert len(rep.scenarios) == 1 and f"{len(rep.variants)} variants x 1 scenario, " in head, head


WORDS = ("an indented line of words, some_of_them_long_identifiers_that_fold_where_no_space_is, "
         "and \u4e2d\u6587 wide characters too, [brackets] and markup-like [bold]text[/] left as it is")


def _shown(renderable: object, width: int, colour: bool) -> str:
    from harness.console import show

    console = Console(width=width, force_terminal=colour, color_system="standard" if colour else None,
                      record=False, highlight=False, emoji=False, file=_Sink())
    show(renderable, console)
    return console.file.text  # type: ignore[attr-defined, no-any-return]


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_an_indented_line_prints_as_padding_did_without_measuring(monkeypatch: pytest.MonkeyPatch) -> None:
    # Padding(expand=False) measured each text (its longest line and word, cell by cell) to pad its lines with
    # spaces show() strips: a sixth of the summary. The oracle: what Padding printed, at any width, with colour too.
    from rich.measure import Measurement
    from rich.padding import Padding

    from reports.terminal import _indented, _text

    for width in (120, 80, 33, 12, 5, 4, 3, 1):
        for depth in (2, 4):
            for style in ("", "dim", "bold red"):
                for colour in (False, True):
                    ours = _shown(_indented(WORDS, depth, style), width, colour)
                    padded = _shown(Padding(_text(WORDS, style), (0, 0, 0, depth), expand=False), width, colour)
                    assert ours == padded, (width, depth, style, colour)
    measured: list[object] = []
    real = Measurement.get
    monkeypatch.setattr(Measurement, "get", classmethod(lambda cls, *a, **k: measured.append(a) or real(*a, **k)))
    _shown(_indented(WORDS, 2), 80, False)
    assert measured == []
