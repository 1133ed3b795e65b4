"""The terminal summary (reports/terminal.py): its first line counts what ran, in plain English."""

from __future__ import annotations

from pathlib import Path

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
