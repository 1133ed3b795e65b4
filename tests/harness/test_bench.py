"""The bench: its options refused before anything is measured, and its stage timing.

The bench: its options refused before anything is measured, and its stage timing (every stage eval composes, in a
process of its own)."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.benchstages import CHILD, RENDERERS, STAGES, WAIT, keep_compiled_template
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


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the rules are judged beside compare only with two cores")
def test_the_rules_child_beside_compare_is_timed_by_its_cpu(tmp_path: Path) -> None:
    # Only the wait for the child was timed: 0.02 s of it read as a child idle beside compare, where it judged
    # rules as long as compare took. Two rules, so that a child is forked to judge them (harness.workers.shared_jobs
    # forks none for one): the demo series and Rita's review, rather than the corpus' eval (4 s of CPU).
    from tests.harness.test_witness import _REVIEW, _series

    write_mbox(tmp_path / "s.mbox", _series())
    (tmp_path / "m.toml").write_text(MATRIX)
    rule = (f'[[rule]]\nid = "ID"\nreviewer = "Rita Reviewer"\nmsgid = "{_REVIEW}"\nquote = "do not number"\n'
            'summary = "s"\npatch = "print fn in decimal"\n[rule.check]\nkind = "changelog"\nmust_not_match = "RE"\n')
    (tmp_path / "rules.toml").write_text(rule.replace("ID", "no-numbers").replace("RE", "(?i)change number")
                                         + rule.replace("ID", "no-todo").replace("RE", "TODO"))
    argv = ["eval", str(tmp_path / "s.mbox"), "--matrix", str(tmp_path / "m.toml"), "--rules",
            str(tmp_path / "rules.toml"), "--jobs", "2", "--json", str(tmp_path / "r.json")]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "harness.bench", "--stage-child", json.dumps(argv)],
                          capture_output=True, text=True, env=env, timeout=600, check=True)
    times = json.loads(proc.stdout)
    assert WAIT in times and times[CHILD] > 0
    rules = json.loads((tmp_path / "r.json").read_text())["rules"]
    assert sorted(r["id"] for r in rules) == ["no-numbers", "no-todo"]  # both judged


def test_an_empty_outcome_cache_keeps_the_compiled_template(tmp_path: Path) -> None:
    (tmp_path / "warm" / "seamharness" / "jinja").mkdir(parents=True)
    (tmp_path / "warm" / "seamharness" / "jinja" / "__jinja2_x.cache").write_bytes(b"compiled")
    (tmp_path / "warm" / "seamharness" / "outcomes").mkdir()
    (tmp_path / "warm" / "seamharness" / "regex-0123.marshal").write_bytes(b"patterns")
    (tmp_path / "warm" / "seamharness" / "record-init-0123.marshal").write_bytes(b"inits")
    (tmp_path / "warm" / "seamharness" / "source-0123").write_bytes(b"stamp\ndigest")
    keep_compiled_template(tmp_path / "warm", tmp_path / "cold")
    assert (tmp_path / "cold" / "seamharness" / "jinja" / "__jinja2_x.cache").read_bytes() == b"compiled"
    assert (tmp_path / "cold" / "seamharness" / "regex-0123.marshal").read_bytes() == b"patterns"
    assert (tmp_path / "cold" / "seamharness" / "record-init-0123.marshal").read_bytes() == b"inits"
    assert (tmp_path / "cold" / "seamharness" / "source-0123").read_bytes() == b"stamp\ndigest"
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


def _fake_run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """timed_process as the loop sees it: each report option's file written (a JSON report naming the layout auto
    chose), 0.5 s and 10 MB."""
    for option, path in itertools.pairwise(cmd):
        if option in ("--html", "--json"):
            Path(path).write_text('{"layout":"by-variant"}')
    return 0.5, 10.0


def test_without_b4_the_results_are_json_and_the_table_says_how_to_install_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # b4_am's median of no run was NaN, which json.loads of a strict reader refuses; the table's advice lost its
    # "[bench]" to rich's markup ("pip install -e '.'" installs no b4).
    import harness.bench as bench

    thread = tmp_path / "t"
    thread.mkdir()
    write_mbox(thread / "1.eml", demo_series(total=1))
    monkeypatch.setattr(bench.shutil, "which", lambda _: None)
    monkeypatch.setattr(bench, "timed_process", _fake_run)
    monkeypatch.setattr(bench, "keep_compiled_template", lambda *_: None)
    loop = bench.bench_loop(tmp_path, thread, 1)
    text = json.dumps(loop, allow_nan=False)  # raised ValueError on NaN before
    assert json.loads(text)["median"] == {"series": 0.5, "eval_cold": 0.5, "eval_warm": 0.5, "help": 0.5}
    monkeypatch.setenv("COLUMNS", "200")  # the advice on one line of its cell
    bench._table({"loop": loop})
    shown = " ".join(capsys.readouterr().out.split())
    assert "pip install -e '.[bench]'" in shown
    # The default report is named by the layout auto chose, each layout's size beside it (round 54).
    assert loop["json_layout"] == "by-variant" and {"json_rows_mb", "json_by_variant_mb"} <= set(loop)
    assert "report.json (auto, the default: by-variant)" in shown and "--json-layout rows" in shown


def test_a_thread_that_is_no_folder_of_mail_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # b4 am was timed reading nothing, its ratios meaningless.
    import harness.bench as bench

    corpus = tmp_path / "corpus" / "t"
    corpus.mkdir(parents=True)
    write_mbox(corpus / "1.eml", demo_series(total=1))
    out = tmp_path / "b.json"
    assert bench.main(["--corpus", str(tmp_path / "corpus"), "--thread", str(tmp_path / "no"), "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"bench: --thread {tmp_path / 'no'}: no folder of .eml files\n"
