"""The primitives' table kept per mirror is models.kernel's own; a damaged, foreign or absent file is never read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness import primitivenames as pn
from models import outcome
from models.kernel import PRIMITIVES

ROOT = Path(__file__).resolve().parents[2]


def _worked_out() -> pn.Table:
    return {n: tuple(p.name_args) for n, p in PRIMITIVES.items()}


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Its own cache folder and no table worked out yet in this process; afterwards likewise."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pn.primitive_args.cache_clear()
    yield tmp_path
    pn.primitive_args.cache_clear()


def test_the_table_is_each_primitives_name_args_in_its_order(fresh: Path) -> None:
    table = pn.primitive_args()
    assert list(table.items()) == list(_worked_out().items())
    assert any(table.values()) and () in table.values()  # per-CPU and lock primitives name their variable


def _keep(text: str) -> Path:
    path = pn.kept_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_run_with_the_kernel_loaded_writes_the_file_a_run_without_it_reads(fresh: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    assert not pn.kept_path().exists()
    pn.primitive_args()
    kept = json.loads(pn.kept_path().read_text(encoding="utf-8"))
    assert kept == {"mirror": outcome.mirror_version(), "table": {n: list(a) for n, a in _worked_out().items()}}
    pn.primitive_args.cache_clear()
    monkeypatch.setattr(pn, "_kernel_loaded", lambda: False)
    assert list(pn.primitive_args().items()) == list(_worked_out().items())


def test_a_kept_file_of_this_mirror_is_read_as_written_and_rewritten_where_the_kernel_is_loaded(
        fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _keep(json.dumps({"mirror": outcome.mirror_version(), "table": {"sc_poke": [0, 2]}}))
    with monkeypatch.context() as m:
        m.setattr(pn, "_kernel_loaded", lambda: False)
        assert pn.primitive_args() == {"sc_poke": (0, 2)}
    pn.primitive_args.cache_clear()
    assert list(pn.primitive_args().items()) == list(_worked_out().items())
    assert json.loads(path.read_text(encoding="utf-8"))["table"] == {n: list(a) for n, a in _worked_out().items()}


@pytest.mark.parametrize("text", [
    "", "{", "[]", '{"mirror": "M"}', '{"mirror": "M", "table": []}', '{"mirror": "M", "table": {"pr_err": 1}}',
    '{"mirror": "M", "table": {"pr_err": ["0"]}}', '{"mirror": "M", "table": {"pr_err": [true]}}',
    '{"mirror": "0", "table": {"x": []}}', '{"table": {"x": []}}'])
def test_a_damaged_other_shaped_or_other_mirrors_file_is_worked_out_again_and_rewritten(
        text: str, fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Any change to the mirror's files is another digest (models.outcome.mirror_version), so another mirror's table.
    path = _keep(text.replace('"M"', json.dumps(outcome.mirror_version())))
    monkeypatch.setattr(pn, "_kernel_loaded", lambda: False)
    assert list(pn.primitive_args().items()) == list(_worked_out().items())
    assert json.loads(path.read_text(encoding="utf-8"))["mirror"] == outcome.mirror_version()


def test_an_unwritable_folder_leaves_the_file_unwritten(fresh: Path) -> None:
    (fresh / "seamharness").write_text("not a folder", encoding="utf-8")
    assert list(pn.primitive_args().items()) == list(_worked_out().items())


def test_a_process_with_the_file_kept_does_not_load_the_interpreter(fresh: Path) -> None:
    # What a filled-cache eval asks of harness.unknowncallees: the prelude's callees and names, the primitives' reads.
    pn.primitive_args()
    code = ("import sys; from harness import unknowncallees as u; "
            "u._prelude_callees(); u._prelude_names(); u._primitive_reads(); "
            "print(sorted(m for m in ('models.kernel', 'models.interp', 'pycparser') if m in sys.modules))")
    env = {**os.environ, "XDG_CACHE_HOME": str(fresh), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"
