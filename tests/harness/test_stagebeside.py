"""write_all(beside=True): outputs made by forked children beside this process.

write_all(beside=True): each file after the first is made by a forked child while this process makes the first; a
child that does not finish leaves its output to this process, which says what fails as without children, and no
temporary file is left behind either way."""

from __future__ import annotations

import os
import signal
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

from harness.atomic import Output, resolve_output, write_all

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork")

Maker = Callable[[], Iterable[bytes]]


def _by_whom(label: str) -> Maker:
    """Bytes that say which process made them."""
    return lambda: (f"{label} {n} made by {os.getpid()}\n".encode() for n in range(3))


def _outputs(tmp_path: Path, second: Maker, first: Maker | None = None) -> list[tuple[Output, Maker]]:
    return [(resolve_output(tmp_path / "r.json", "--json"), first or _by_whom("json")),
            (resolve_output(tmp_path / "r.html", "--html"), second)]


def _made_by(path: Path) -> set[int]:
    return {int(line.rsplit(" ", 1)[1]) for line in path.read_text().splitlines()}


def test_each_file_after_the_first_is_made_by_a_forked_child(tmp_path: Path) -> None:
    # Before: write_all made each file in turn in this process (and took no ``beside``).
    write_all(_outputs(tmp_path, _by_whom("html")), beside=True)
    assert _made_by(tmp_path / "r.json") == {os.getpid()}
    (child,) = _made_by(tmp_path / "r.html")
    assert child != os.getpid()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json"]
    write_all(_outputs(tmp_path, _by_whom("html")))
    assert _made_by(tmp_path / "r.html") == {os.getpid()}  # without beside: here, as before


def _failing_in(where: Callable[[], bool], how: Callable[[], None]) -> Maker:
    def make() -> Iterable[bytes]:
        yield b"html 0\n"
        if where():
            how()
        yield f"html 1 made by {os.getpid()}\n".encode()
    return make


def _raise() -> None:
    raise RuntimeError("the renderer failed")


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.parametrize("how", [_raise, _killed])
def test_a_file_the_child_did_not_finish_is_made_here(tmp_path: Path, how: Callable[[], None]) -> None:
    me = os.getpid()
    write_all(_outputs(tmp_path, _failing_in(lambda: os.getpid() != me, how)), beside=True)
    assert (tmp_path / "r.html").read_text() == f"html 0\nhtml 1 made by {me}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json"]


def test_a_renderer_that_fails_everywhere_is_said_here_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "r.html").write_text("old report\n")
    with pytest.raises(RuntimeError, match="the renderer failed"):
        write_all(_outputs(tmp_path, _failing_in(lambda: True, _raise)), beside=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]
    assert (tmp_path / "r.html").read_text() == "old report\n"


def _slow() -> Iterable[bytes]:
    yield b"slow 0\n"
    time.sleep(30)
    yield b"slow 1\n"


def test_a_first_file_that_fails_stops_the_child_and_leaves_no_temporary(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    statuses: list[int] = []
    real = os.waitpid

    def waitpid(pid: int, options: int) -> tuple[int, int]:
        got = real(pid, options)
        statuses.append(got[1])
        return got

    monkeypatch.setattr(os, "waitpid", waitpid)
    with pytest.raises(RuntimeError, match="the renderer failed"):
        write_all(_outputs(tmp_path, _slow, first=_failing_in(lambda: True, _raise)), beside=True)
    # The child was killed, not waited for (its file takes 30 s): the one status reaped is SIGKILL's.
    assert [(os.WIFSIGNALED(s), os.WTERMSIG(s)) for s in statuses] == [(True, signal.SIGKILL)]
    assert list(tmp_path.iterdir()) == []


def test_a_file_made_by_a_child_keeps_the_mode_of_the_one_it_replaces(tmp_path: Path) -> None:
    (tmp_path / "r.html").write_text("old report\n")
    os.chmod(tmp_path / "r.html", 0o640)
    write_all(_outputs(tmp_path, _by_whom("html")), beside=True)
    assert stat.S_IMODE((tmp_path / "r.html").stat().st_mode) == 0o640
    assert _made_by(tmp_path / "r.html") != {os.getpid()}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: eval makes every file itself")
def test_eval_makes_its_html_beside_its_json_unless_asked_for_one_process(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: eval made its JSON, then its HTML, in its own process.
    from typer.testing import CliRunner

    import reports.html_report as html
    from harness.cli import app
    from tests.reports.test_reviewer_verdicts import _case

    folder, matrix, rules = _case(tmp_path)
    seen, real = tmp_path / "pids", html.html_pieces

    def render(rep: object) -> Iterator[str]:
        with seen.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        yield from real(rep)  # type: ignore[arg-type]

    monkeypatch.setattr(html, "html_pieces", render)
    made = {}
    for jobs in ("2", "1"):
        out = tmp_path / f"jobs{jobs}"
        out.mkdir()
        r = CliRunner().invoke(app, ["eval", str(folder), "--matrix", str(matrix), "--rules", str(rules), "--no-cache",
                                     "--jobs", jobs, "--json", str(out / "r.json"), "--html", str(out / "r.html")])
        assert r.exit_code == 0, r.stderr
        made[jobs] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert [int(p) == os.getpid() for p in seen.read_text().split()] == [False, True]
    assert made["2"] == made["1"] and sorted(made["2"]) == ["r.html", "r.json"]
