"""The bench: its options refused before anything is measured, and its stage timing (every stage eval composes, in a
process of its own)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

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


def _nothing_measured(*_: object) -> None:
    raise AssertionError("the bench measured before it checked --out")


def test_an_unwritable_out_is_said_before_anything_is_measured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # --out naming a directory (or a read-only folder) was a traceback from write_text after the whole bench.
    import harness.bench as bench

    corpus = tmp_path / "corpus" / "t"
    corpus.mkdir(parents=True)
    write_mbox(corpus / "1.eml", demo_series(total=1))
    monkeypatch.setattr(bench, "bench_loop", _nothing_measured)
    monkeypatch.setattr(bench.compileall, "compile_dir", _nothing_measured)
    assert bench.main(["--corpus", str(tmp_path / "corpus"), "--out", str(tmp_path), "--quick"]) == 2
    assert capsys.readouterr().err == f"bench: --out {tmp_path}: is a directory\n"


@pytest.mark.parametrize("runs", ["0", "-1", "x"])
def test_runs_below_one_are_refused(runs: str, capsys: pytest.CaptureFixture[str]) -> None:
    # --runs 0 ran the loop and then failed on a median of nothing.
    import harness.bench as bench

    with pytest.raises(SystemExit) as stop:
        bench.main(["--runs", runs])
    assert stop.value.code == 2 and "argument --runs:" in capsys.readouterr().err
