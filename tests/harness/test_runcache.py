"""harness.runcache: an identical rerun replays byte for byte; any change is a miss.

harness.runcache: an eval whose inputs are an earlier filled-cache run's replays it byte for byte; any change to
what the run read, to its options or to the harness is a miss; runs that read what no check sees are never kept."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import harness.auditlog
import harness.launch
import harness.pipeline
import harness.runcache as runcache
from harness.cli import main
from tests.mailgen import demo_series, write_eml

ROOT = Path(__file__).resolve().parents[2]
MATRIX = ('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
          'args = ["fn"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n')


def aged(*paths: Path) -> None:
    """Inputs written some seconds ago: one changed within harness.runcache._SETTLE_NS of a run's start is not kept
    (racy, as git's index has it), which a fast run right after writing it met (the gate test after another)."""
    past = time.time_ns() - 10**10
    for path in paths:
        os.utime(path, ns=(past, past))


class Demo:
    """A series of our own in a folder, a matrix file, report paths and a cache, run as a command line's process."""

    def __init__(self, tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp, self.capsys = tmp, capsys
        self.mail = tmp / "mail"
        self.mail.mkdir()
        for n, msg in enumerate(demo_series()):
            write_eml(self.mail / f"{n:04d}.eml", msg)
        self.matrix = tmp / "m.toml"
        self.matrix.write_text(MATRIX)
        aged(self.matrix, *self.mail.iterdir())
        self.runs = 0  # evaluations made (not replayed)
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp / "cache"))
        monkeypatch.setattr(harness.launch, "command_line", True)
        real = harness.pipeline.evaluate

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.runs += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(harness.pipeline, "evaluate", counted)

    def args(self, *more: str) -> list[str]:
        return ["eval", str(self.mail), "--matrix", str(self.matrix), "--json", str(self.tmp / "r.json"),
                "--html", str(self.tmp / "r.html"), *more]

    def run(self, *more: str) -> tuple[int, str, str, bytes, bytes]:
        """Exit status, stdout, stderr and both reports of an eval."""
        self.capsys.readouterr()
        status = main(self.args(*more))
        out, err = self.capsys.readouterr()
        return status, out, err, (self.tmp / "r.json").read_bytes(), (self.tmp / "r.html").read_bytes()

    def kept(self) -> list[Path]:
        return sorted((self.tmp / "cache" / "seamharness" / "runs").glob("*.run"))

    def filled(self, *more: str) -> tuple[int, str, str, bytes, bytes]:
        """The run that fills the outcome cache, then the filled-cache run that is kept."""
        self.run(*more)
        assert not self.kept()  # it ran the code: not kept
        second = self.run(*more)
        assert len(self.kept()) == 1 and self.runs == 2
        return second


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Demo:
    return Demo(tmp_path, capsys, monkeypatch)


def test_a_rerun_replays_the_filled_run_byte_for_byte(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    status, out, err, json, html = demo.filled()
    (demo.tmp / "r.json").unlink()
    (demo.tmp / "r.html").write_text("old")
    again = demo.run()
    assert demo.runs == 2  # nothing evaluated
    assert again[2].endswith(runcache.HIT + "\n") and runcache.HIT not in err
    assert (again[0], again[1], again[2].removesuffix(runcache.HIT + "\n"), again[3], again[4]) == \
        (status, out, err, json, html)
    assert status == 0 and out and json.startswith(b"{") and html


@pytest.mark.parametrize("change", ["mail byte", "new file", "file deleted", "matrix", "option", "harness"])
def test_each_change_to_what_the_run_read_is_a_miss(demo: Demo, monkeypatch: pytest.MonkeyPatch,
                                                    change: str) -> None:
    demo.filled()
    assert runcache.HIT in demo.run()[2] and demo.runs == 2  # unchanged: replayed
    more: tuple[str, ...] = ()
    first = sorted(demo.mail.iterdir())[1]
    if change == "mail byte":
        first.write_bytes(first.read_bytes().replace(b"tries", b"Tries", 1))
    elif change == "new file":
        (demo.mail / "notes.txt").write_text("not a mail\n")
    elif change == "file deleted":
        sorted(demo.mail.iterdir())[-1].unlink()
    elif change == "matrix":
        demo.matrix.write_text(MATRIX + "\n# a comment\n")
    elif change == "option":
        more = ("--jobs", "1")
    else:
        monkeypatch.setattr(runcache, "kept_code_digest", lambda stamp: "another harness")
    _, _, err, _, _ = demo.run(*more)
    assert runcache.HIT not in err and demo.runs == 3


def test_a_damaged_entry_is_a_miss_and_kept_anew(demo: Demo) -> None:
    demo.filled()
    assert runcache.HIT in demo.run()[2]
    entry = demo.kept()[0]
    data = bytearray(entry.read_bytes())
    data[-10] ^= 1  # a byte of the stored report
    entry.write_bytes(bytes(data))
    assert runcache.HIT not in demo.run()[2] and demo.runs == 3
    assert runcache.HIT in demo.run()[2] and demo.runs == 3  # the miss was kept again


def test_no_cache_is_never_kept_nor_replayed(demo: Demo) -> None:
    demo.filled()
    for _ in range(2):
        assert runcache.HIT not in demo.run("--no-cache")[2]
    assert demo.runs == 4 and len(demo.kept()) == 1
    assert runcache.HIT in demo.run()[2] and demo.runs == 4


def test_a_process_that_is_not_a_command_lines_own_keeps_nothing(demo: Demo,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(harness.launch, "command_line", False)
    for _ in range(3):
        demo.run()
    assert not demo.kept() and demo.runs == 3
    monkeypatch.setattr(harness.launch, "command_line", True)
    demo.run()
    assert runcache.HIT in demo.run()[2] and demo.runs == 4  # the same runs in a command line's process: kept


def test_a_cache_that_takes_no_entry_costs_only_the_keeping(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        from harness.errors import UsageError
        raise UsageError("cache", "cannot write: no space left on device")
    monkeypatch.setattr(runcache, "atomic_write_bytes", refused)
    demo.run()
    status, _, err, _, _ = demo.run()
    assert status == 0 and "No space" not in err and not demo.kept()
    monkeypatch.undo()  # and one that does
    monkeypatch.setenv("XDG_CACHE_HOME", str(demo.tmp / "cache"))
    monkeypatch.setattr(harness.launch, "command_line", True)
    demo.run()
    assert len(demo.kept()) == 1


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_run_that_starts_git_is_never_kept(demo: Demo) -> None:
    tree = demo.tmp / "tree"
    tree.mkdir()
    for args in (["init", "-q"], ["-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q",
                                  "--allow-empty", "-m", "empty"]):
        subprocess.run(["git", *args], cwd=tree, check=True, capture_output=True)
    demo.filled()
    for _ in range(3):
        assert runcache.HIT not in demo.run("--tree", str(tree))[2]
    assert len(demo.kept()) == 1 and demo.runs == 5
    assert runcache.HIT in demo.run()[2]


def test_a_kept_run_names_no_cache_file_as_an_input(demo: Demo) -> None:
    demo.filled()
    text = demo.kept()[0].read_bytes().split(b"\n")[2].decode()
    assert str(demo.tmp / "cache") not in text  # the caches are no input (a cache file new to each run: no hit)
    assert str(demo.mail) in text and str(demo.matrix) in text


def test_the_digest_of_the_harness_covers_its_data_files(tmp_path: Path) -> None:
    for package in runcache.PACKAGES:
        (tmp_path / package / "data").mkdir(parents=True)
        (tmp_path / package / "data" / "x.toml").write_text("a = 1\n")
    before = runcache.tree_digest(tmp_path)
    (tmp_path / "series" / "data" / "x.toml").write_text("a = 2\n")
    assert runcache.tree_digest(tmp_path) != before


def _packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tree of the harness's PACKAGES under ``tmp_path``, one file each, and a cache of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    for package in runcache.PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "a.py").write_text("x = 1\n")


def test_the_kept_digest_of_the_harness_follows_each_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _packages(tmp_path, monkeypatch)
    stamp = runcache.code_stamp(tmp_path)
    assert runcache.kept_code_digest(stamp) is None  # nothing kept yet: no lookup
    first = runcache.code_digest(stamp, tmp_path)
    assert first == runcache.tree_digest(tmp_path) == runcache.kept_code_digest(stamp)
    path = tmp_path / "models" / "a.py"
    st = path.stat()
    path.write_text("x = 2\n")  # the same size, its mtime put back: its ctime tells
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert runcache.code_digest(stamp, tmp_path) == first  # kept under the stamp taken before
    again = runcache.code_stamp(tmp_path)
    assert again != stamp and runcache.kept_code_digest(again) is None
    assert runcache.code_digest(again, tmp_path) == runcache.tree_digest(tmp_path) != first
    for kept in runcache.runs_folder().glob("code-*"):
        kept.write_text("damaged")
    assert runcache.kept_code_digest(again) is None


def test_harness_files_changed_during_a_run_are_no_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _packages(tmp_path, monkeypatch)
    stamp = runcache.code_stamp(tmp_path)
    (tmp_path / "harness" / "b.py").write_text("y = 1\n")
    assert runcache.code_digest(stamp, tmp_path) is None and runcache.kept_code_digest(stamp) is None


def test_the_outcome_cache_is_where_it_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from harness.outcome_cache import default_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert runcache.outcomes_folder() == default_cache_dir()


def test_a_run_with_no_outcome_cache_is_not_recorded(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    def start(*args: Any) -> None:
        pytest.fail("recorded")
    monkeypatch.setattr(harness.auditlog, "start", start)
    demo.run()  # the empty cache's
    assert demo.runs == 1 and not demo.kept()


def test_the_packages_are_pyprojects() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    listed = re.search(r"^packages = \[(.*)\]", text, re.M)
    assert listed is not None
    assert {p.strip(' "').split(".")[0] for p in listed.group(1).split(",")} == set(runcache.PACKAGES)


def _read_names(folder: Path) -> set[str]:
    """The environment variables the Python files below ``folder`` read by name."""
    found: set[str] = set()
    pattern = re.compile(r"""(?:environ\.get\(|getenv\(|environ\[)\s*["']([A-Z_][A-Z0-9_]*)["']""")
    for path in folder.rglob("*.py"):
        found.update(pattern.findall(path.read_text(encoding="utf-8", errors="replace")))
    return found


def test_every_environment_variable_the_code_and_rich_read_is_keyed() -> None:
    import rich

    read = _read_names(Path(rich.__file__).parent)
    for package in runcache.PACKAGES:
        read |= _read_names(ROOT / package)
    assert read and read <= set(runcache.ENVIRONMENT), read - set(runcache.ENVIRONMENT)


def test_trim_removes_the_least_recently_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = runcache.runs_folder()
    folder.mkdir(parents=True)
    for n in range(5):
        path = folder / f"{n}.run"
        path.write_bytes(b"x" * 100)
        os.utime(path, ns=(n * 10**9, n * 10**9))
    for n in range(runcache.KEPT_CODE_STAMPS + 2):
        path = folder / f"code-{n:02d}"
        path.write_text("0" * 64)
        os.utime(path, ns=(n * 10**9, n * 10**9))
    assert runcache.trim(450) == 2
    assert sorted(p.name for p in folder.glob("*.run")) == ["2.run", "3.run", "4.run"]
    assert sorted(p.name for p in folder.glob("code-*")) == [f"code-{n:02d}" for n in range(2, 18)]


def test_the_hit_path_of_a_command_line_loads_no_pipeline(demo: Demo) -> None:
    # As a command line runs (harness.launch.console), each run a process of its own; on leaving, the modules of the
    # pipeline it loaded are printed.
    code = ("import sys\nimport harness.process\nfrom harness.launch import console\n"
            "sys.argv = ['seamharness', *sys.argv[1:]]\n"
            "loaded = lambda: sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pycparser', 'pcpp', 'jinja2', 'z3') "
            "or m in ('harness.pipeline', 'harness.compare', 'harness.report'))\n"
            "harness.process.leave = lambda code: (print(loaded(), file=sys.stderr), sys.exit(code))\n"
            "console()\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(demo.tmp / "cache")}
    said = []
    for _ in range(3):
        res = subprocess.run([sys.executable, "-c", code, *demo.args()], capture_output=True, text=True, env=env,
                             timeout=300, check=False)
        assert res.returncode == 0, res.stderr
        said.append(res.stderr)
    assert runcache.HIT not in said[1] and "harness.pipeline" in said[1]
    assert runcache.HIT in said[2] and said[2].rstrip().endswith("[]"), said[2]


RULES = ('[[rule]]\nid = "retry"\nreviewer = "r"\nsummary = "s"\n[rule.check]\nkind = "behaviour"\n'
         'scenarios = { entry = "demo_retry", leaf = ["ONE"], script = "ok" }\nexpect = { log_match = ["DEMO"] }\n')


def test_a_gate_rerun_replays_its_verdict_and_reports(demo: Demo) -> None:
    rules = demo.tmp / "rules.toml"
    rules.write_text(RULES)
    aged(rules)
    args = ["gate", str(demo.mail), "--variant", "v2", "--matrix", str(demo.matrix), "--rules", str(rules),
            "--json", str(demo.tmp / "g.json"), "--junit", str(demo.tmp / "g.xml")]
    said = []
    for _ in range(3):
        demo.capsys.readouterr()
        status = main(args)
        out, err = demo.capsys.readouterr()
        said.append((status, out, err, (demo.tmp / "g.json").read_bytes(), (demo.tmp / "g.xml").read_bytes()))
    assert said[0][0] in (0, 1) and len(demo.kept()) == 1  # the second run, reading every outcome, was kept
    assert runcache.HIT not in said[1][2] and said[2][2].endswith(runcache.HIT + "\n")
    assert said[2][:2] + said[2][3:] == said[1][:2] + said[1][3:]
    assert said[2][2].removesuffix(runcache.HIT + "\n") == said[1][2]
    rules.write_text(RULES.replace("DEMO", "DEMO "))
    demo.capsys.readouterr()
    main(args)
    assert runcache.HIT not in demo.capsys.readouterr().err  # the rules file read: a miss


def test_a_replay_prints_stdout_and_stderr_in_the_order_the_run_did(tmp_path: Path) -> None:
    code = ("import sys\nfrom harness.runcache import Entry, replay\n"
            "replay(Entry({}, {}, 0, ((1, 'note one\\n'), (0, 'summary\\n'), (1, 'note two\\n')), {}), {})\n")
    res = subprocess.run([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60, check=True)
    assert res.stdout.decode() == f"note one\nsummary\nnote two\n{runcache.HIT}\n"


def test_a_replay_writes_its_outputs_all_or_none(tmp_path: Path) -> None:
    # Before: each kept output was written in turn, so one that could not be (its folder gone since the run was
    # kept) left the ones before it replaced beside the exit status 2.
    from harness.atomic import Output, OutputKind, resolve_output
    from harness.errors import UsageError

    report = tmp_path / "r.json"
    report.write_text("earlier\n")
    gone = tmp_path / "gone" / "r.html"
    outputs = {"--json": resolve_output(report, "--json"), "--html": Output("--html", str(gone), OutputKind.REPLACE,
                                                                           gone)}
    with pytest.raises(UsageError, match="cannot write"):
        runcache.replay(runcache.Entry({}, {}, 0, (), {"--json": b"kept\n", "--html": b"<p>kept</p>\n"}), outputs)
    assert report.read_text() == "earlier\n" and sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]


def test_cache_shows_the_kept_runs_and_clear_removes_them(demo: Demo) -> None:
    demo.filled()
    demo.capsys.readouterr()
    assert main(["cache"]) == 0
    assert "1 whole run kept" in demo.capsys.readouterr().out
    assert main(["cache", "--clear"]) == 0
    assert "removed 1 kept runs" in demo.capsys.readouterr().out and not demo.kept()
    assert runcache.HIT not in demo.run()[2]  # after --clear, the next run runs (and is kept)


def _at_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """``python -m harness ARGS`` with stdin, stdout and stderr on a pseudo-terminal of 100 x 30 (as a maintainer's
    terminal): the exit status and every byte the terminal got."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "harness", *args], stdin=slave, stdout=slave, stderr=slave,
                            env=env, cwd=ROOT, close_fds=True)
    os.close(slave)
    got = bytearray()
    while select.select([master], [], [], 300)[0]:  # a child that hangs: the loop ends, the wait below fails
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the last writer closed the terminal
            break
        if not chunk:
            break
        got += chunk
    os.close(master)
    return proc.wait(timeout=300), bytes(got)


def _visible(shown: bytes) -> str:
    """The lines a terminal keeps of ``shown``: the progress display (drawn, then erased: rich's control sequences
    and the lines they take back) left out, and colours dropped."""
    text = re.sub(r"\x1b\[\?25[lh]", "", shown.decode().replace("\r\n", "\n"))  # the cursor hidden and shown
    lines: list[str] = []
    for piece in re.split(r"(\x1b\[[0-9;]*[A-Za-z]|\r)", text):
        if m := re.fullmatch(r"\x1b\[(\d*)A", piece):  # the cursor up: the lines below are drawn anew
            del lines[len(lines) - int(m.group(1) or 1):]
        elif piece == "\x1b[2K" and lines and not lines[-1].endswith("\n"):  # the line erased
            lines[-1] = ""
        elif piece and not piece.startswith(("\x1b", "\r")):
            for n, line in enumerate(piece.split("\n")):
                if n == 0 and lines and not lines[-1].endswith("\n"):
                    lines[-1] += line
                elif line or n == 0:
                    lines.append(line)
                if n < piece.count("\n"):
                    lines[-1] += "\n"
    return "".join(line for line in lines if line.endswith("\n"))


def test_a_run_at_a_terminal_is_kept_and_replayed_without_its_progress_bars(demo: Demo) -> None:
    # A maintainer's terminal (a pseudo-terminal for stdout and stderr): the progress bars are drawn on it, which
    # were never kept (timing); now the run is kept, its printed lines without the bars, and a rerun replays them.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(demo.tmp / "cache"), "TERM": "xterm-256color"}
    for name in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR"):
        env.pop(name, None)
    said, reports = [], []
    for _ in range(3):
        status, shown = _at_a_terminal(demo.args(), env)
        assert status == 0, shown
        said.append(shown)
        reports.append(((demo.tmp / "r.json").read_bytes(), (demo.tmp / "r.html").read_bytes()))
    assert len(demo.kept()) == 1 and runcache.HIT.encode() not in said[1]  # the filled run, kept
    hit = said[2].decode().replace("\r\n", "\n")
    assert hit.endswith(runcache.HIT + "\n") and "\x1b[?25l" not in hit  # replayed: no progress display drawn
    assert _visible(said[2]) == _visible(said[1]) + runcache.HIT + "\n"
    assert "\x1b[?25l" in said[1].decode()  # the kept run drew its bars (the terminal is one to rich)
    assert reports[2] == reports[1] and reports[1][0].startswith(b"{")


def test_a_run_whose_terminal_is_resized_meanwhile_is_not_kept(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    # The key is taken after the run: a terminal resized during it printed text wrapped at a width the key does not
    # name. Each look at the terminal here finds another size.
    sizes = iter(range(10**6))
    monkeypatch.setattr(runcache, "_terminal", lambda: [[False, [next(sizes), 30], False], []])
    demo.run()
    demo.run()
    assert not demo.kept() and demo.runs == 2


def test_the_modules_an_eval_without_a_tree_loads_import_no_git() -> None:
    # GitPython's import runs `git version`, and a run that starts git is never kept: harness.weakdefs importing a
    # constant from harness.gitbase kept every eval from being replayed.
    code = ("import sys\nimport harness.pipeline, harness.runner, harness.comparison, harness.compare, harness.report\n"
            "import harness.weakdefs, harness.runshown\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'git'))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.stdout.strip() == "[]", res.stdout


def test_a_relative_matrix_add_keys_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # --matrix-add is repeatable: click hands its files as a list of str; a relative one names another file in another
    # folder, so the folder is of the key, as for a relative --matrix (before, a list of them was not read as paths).
    params: dict[str, Any] = {"paths": ["/abs/s.mbox"], "matrix_add": ["busy.toml"]}
    keys = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        keys.append(runcache.run_key("eval", params, {}, "code"))
    assert keys[0] != keys[1]
    params["matrix_add"] = [str(tmp_path / "busy.toml")]  # an absolute one does not
    absolute = []
    for folder in ("a", "b"):
        monkeypatch.chdir(tmp_path / folder)
        absolute.append(runcache.run_key("eval", params, {}, "code"))
    assert absolute[0] == absolute[1]
