"""The bench's stage timing: every stage eval composes is timed, in a process of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from harness.benchstages import RENDERERS, STAGES, keep_compiled_template
from tests.mailgen import demo_series, write_mbox

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
          'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')


def test_a_stage_child_times_every_stage_of_an_eval(tmp_path: Path) -> None:
    write_mbox(tmp_path / "s.mbox", demo_series(total=3))
    (tmp_path / "m.toml").write_text(MATRIX)
    argv = ["eval", str(tmp_path / "s.mbox"), "--matrix", str(tmp_path / "m.toml"),
            "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "harness.bench", "--stage-child", json.dumps(argv)],
                          capture_output=True, text=True, env=env, timeout=120, check=True)
    times = json.loads(proc.stdout)
    # No review rules come with this series, so none are judged; every other stage ran.
    wanted = {"imports", "total in process", *(label for _, _, label in STAGES), *RENDERERS.values()}
    assert times.keys() == wanted - {"judge review rules"}
    parts = sum(v for k, v in times.items() if k != "total in process")
    assert 0 < parts <= times["total in process"]
    assert json.loads((tmp_path / "r.json").read_text())["schema"].startswith("seamharness-eval/")


def test_an_empty_outcome_cache_keeps_the_compiled_template(tmp_path: Path) -> None:
    (tmp_path / "warm" / "seamharness" / "jinja").mkdir(parents=True)
    (tmp_path / "warm" / "seamharness" / "jinja" / "__jinja2_x.cache").write_bytes(b"compiled")
    (tmp_path / "warm" / "seamharness" / "outcomes").mkdir()
    (tmp_path / "warm" / "seamharness" / "regex-0123.marshal").write_bytes(b"patterns")
    keep_compiled_template(tmp_path / "warm", tmp_path / "cold")
    assert (tmp_path / "cold" / "seamharness" / "jinja" / "__jinja2_x.cache").read_bytes() == b"compiled"
    assert (tmp_path / "cold" / "seamharness" / "regex-0123.marshal").read_bytes() == b"patterns"
    assert not (tmp_path / "cold" / "seamharness" / "outcomes").exists()
