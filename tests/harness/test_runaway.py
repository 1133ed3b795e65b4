"""A patch whose retry loop never ends: eval stays bounded in records, report and cache, and says which limits hit."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from models.capped import MAX_RECORDS
from tests.mailgen import diff, message, patch_body, write_mbox
from tests.reportrows import flat_rows

runner = CliRunner()
MB = 1_000_000


def _runaway_corpus(corpus: Path, tmp_path: Path) -> Path:
    """A copy of the corpus whose v3 06/26 loops forever: the added `} while (...)` condition becomes `1`.

    One added line is replaced by one, so the hunk's counts stay right.
    """
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    (patch,) = [p for p in (copy / "v3").iterdir() if p.name.startswith("0006-")]
    text = patch.read_text(encoding="utf-8")
    loop = re.compile(r"^(\+\s*\} while \().*retry.*(\);)$", re.MULTILINE)
    assert len(loop.findall(text)) == 1
    patch.write_text(loop.sub(r"\g<1>1\g<2>", text), encoding="utf-8")
    # As git format-patch would have written it: the index line names the new post-image.
    from harness.apply import ApplyRequest, apply_variants
    from harness.ingest import IngestRequest, parse_series

    v = apply_variants(ApplyRequest(parse_series(IngestRequest((copy / "v3",))), names=("v3:06",))).get("v3:06")
    (finding,) = [f for f in v.findings if "post-image blob" in f.reason]
    have, want = re.search(r"post-image blob is (\w+), the index line says (\w+)", finding.reason).groups()
    patch.write_text(patch.read_text(encoding="utf-8").replace(f"..{want}", f"..{have}"), encoding="utf-8")
    return copy


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def test_a_runaway_retry_loop_is_bounded(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    src = _runaway_corpus(corpus, tmp_path)
    out = tmp_path / "r.json"
    # 150,000 steps per code group, no wall clock: v3:06's first scenario of each runs to the per-run step limit
    # (100,000 steps a loop), the next is cut short where the group's budget ends, the rest never start; v3:05's
    # groups, some 40 runs of a few dozen steps, end well within it, on any host (with 0.3 s of wall clock instead,
    # under a load of 21 on two cores, one of them was cut short). The per-run limit's path:
    # test_a_loop_past_the_step_budget_is_said.
    r = runner.invoke(app, ["eval", str(src), "--variant", "v3:05", "--variant", "v3:06", "--json", str(out),
                            "--step-budget", "150000", "--time-budget", "0", "--html", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    report = json.loads(out.read_text())
    every = flat_rows(report)
    rows = [x for x in every if x["variant"] == "v3:06" and x["status"] != "not-provided"]
    assert len(rows) == 420 and all(x["status"] == "error" and x["limits"] for x in rows)
    for x in rows:
        assert len(x["calls"]) <= MAX_RECORDS and len(x["log"]) <= MAX_RECORDS and len(x["events"]) <= MAX_RECORDS
        if x["limits"] != ["time"]:
            assert x["limits"] == ["steps", "calls"] and len(x["calls"]) == MAX_RECORDS
            assert x["unrecorded"]["calls"] > 99_000
    # A group's budget is past long before its scenarios are: most are cut short, and say so.
    assert sum(x["limits"] == ["time"] for x in rows) > len(rows) // 2
    assert all(not x["limits"] for x in every if x["variant"] == "v3:05")
    assert _size(tmp_path / "xdg" / "seamharness" / "outcomes") < 50 * MB and out.stat().st_size < 20 * MB
    assert "limit time v3:06: cut short by the code group's budget" in r.stdout
    assert '<h2 id="limits">Limits</h2>' in (tmp_path / "r.html").read_text()


# Our own helper whose retry loop never ends, and a matrix of its one scenario: run to the step budget, always.
_SPIN_C = """\
static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	u64 ret;

	do {
		ret = __seamcall(fn, args);
	} while (1);
	return ret;
}
"""
_ONE = '[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "demo.c"\npath = "demo/demo.c"\n' \
       '[[entry]]\nname = "demo_retry"\n[[script]]\nname = "ok"\nanswers = ["OK"]\n'


def test_a_loop_past_the_step_budget_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = "drivers/demo/helper.h"
    box = write_mbox(tmp_path / "s.mbox", [message("[PATCH] demo: add a retry helper", "spin@example.org",
                                                   patch_body("Add it.", diff(path, None, _SPIN_C)))])
    (tmp_path / "m.toml").write_text(_ONE)
    out = tmp_path / "r.json"
    r = runner.invoke(app, ["eval", str(box), "--matrix", str(tmp_path / "m.toml"), "--json", str(out),
                            "--time-budget", "0", "--html", str(tmp_path / "r.html")])
    assert r.exit_code == 0, r.output
    (x,) = [x for x in flat_rows(json.loads(out.read_text())) if x["variant"] == "v1"]
    # The loop ran to the step budget: the first 100 SEAMCALLs kept, every other one counted.
    assert x["status"] == "error" and x["limits"] == ["steps", "calls"] and len(x["calls"]) == MAX_RECORDS
    assert x["unrecorded"]["calls"] > 99_000 and len(x["log"]) <= MAX_RECORDS and len(x["events"]) <= MAX_RECORDS
    assert _size(tmp_path / "xdg" / "seamharness" / "outcomes") < 5 * MB and out.stat().st_size < 1 * MB
    assert "limit steps v1: stopped by the step budget" in r.stdout
    page = (tmp_path / "r.html").read_text()
    assert '<h2 id="limits">Limits</h2>' in page
    assert re.search(r"limits: steps, calls \(\.\.\. and 99,\d{3} more SEAMCALLs\)", page)
