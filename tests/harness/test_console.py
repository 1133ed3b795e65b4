"""harness.console: lines printed while progress bars are drawn are kept without the bars.

harness.console: a line printed while progress bars are drawn on a terminal is kept, as a recorded run's stream
keeps it (harness.runcache), as printed without the bars; the bars are not kept."""

from __future__ import annotations

import ast
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from harness import console, runcache

def recorded(during):
    printed = []
    tee = runcache._Tee(sys.stderr, 1, printed)
    sys.stderr = tee
    try:
        during()
    finally:
        sys.stderr = tee.real
    return [(which, "".join(parts)) for which, parts in printed]

def under_bars():
    def run(track):
        track("running scenarios")(1, 2)
        console.progress("a note")
        sys.stderr.write("written\\n")
    console.with_progress(run)
    console.progress("after")

def plain():
    console.progress("a note")
    sys.stderr.write("written\\n")
    console.progress("after")

print(repr([recorded(under_bars), recorded(plain), console.err().is_terminal]), file=open(sys.argv[1], "w"))
"""


def test_lines_printed_under_progress_bars_are_kept_as_printed_without_them(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR")}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(tmp_path / "said")], stdin=slave, stdout=slave,
                            stderr=slave, env={**env, "PYTHONPATH": str(ROOT), "TERM": "xterm-256color"})
    os.close(slave)
    shown = bytearray()
    while select.select([master], [], [], 300)[0]:  # a child that hangs: the loop ends, the wait below fails
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0, shown
    under_bars, plain, terminal = ast.literal_eval((tmp_path / "said").read_text())
    assert terminal and "\u2501".encode() in shown  # the bars were drawn on the terminal
    assert under_bars == plain and "seamharness: a note" in plain[0][1] and "\x1b[2m" in plain[0][1]  # dimmed


@pytest.mark.parametrize("env", [
    {}, {"COLUMNS": "57"}, {"COLUMNS": "abc"}, {"COLUMNS": "0"}, {"COLUMNS": "57", "LINES": "9"},
    {"FORCE_COLOR": ""}, {"FORCE_COLOR": "1"}, {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TTY_COMPATIBLE": "1"}, {"TTY_COMPATIBLE": "2", "COLUMNS": "91"}, {"TERM": "dumb"},
])
@pytest.mark.parametrize("tty", [False, True])
def test_the_plain_width_is_rich_consoles(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], tty: bool) -> None:
    # harness.console.show finds without rich whether rich's console would write colour and at what width it wraps
    # (rich.console costs 68 M instructions to import): the oracle is rich's Console on the same stream.
    from rich.console import Console

    from harness import console

    for name in ("COLUMNS", "LINES", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    main, other = pty.openpty() if tty else os.pipe()
    with os.fdopen(other, "w") as stream:
        rich = Console(file=stream, highlight=False, emoji=False)
        if env.get("COLUMNS") == "0":  # rich would wrap at 0 and print nothing: seamharness reads it as unset
            rich = Console(file=stream, highlight=False, emoji=False,
                           _environ={k: v for k, v in os.environ.items() if k != "COLUMNS"})
        assert console._is_terminal(stream) == rich.is_terminal
        width = console.plain_width(stream)
        # a terminal is left to rich (a dumb one writes no colour either); any other stream is rich's width, no colour
        assert width == (None if rich.is_terminal else rich.width), (width, rich.width)
        assert width is None or rich.color_system is None
    os.close(main)


@pytest.mark.parametrize("tty", [False, True])
def test_columns_0_prints_at_the_width_columns_unset_gives(tmp_path: Path, tty: bool) -> None:
    # COLUMNS=0 (a digit string, so rich 15 takes it as the width) made every report line wrap at 0 columns: the
    # gate's and series' whole terminal output came out empty, exit status and all else as before. A width of 0 is
    # no terminal's: it is read as COLUMNS unset (rich's own fallback for a terminal that says 0 columns).
    from tests.mailgen import demo_series, write_mbox

    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(PYTHONPATH=str(ROOT), TERM="xterm-256color", XDG_CACHE_HOME=str(tmp_path / "cache"))

    def shown(extra: dict[str, str]) -> bytes:
        if not tty:
            return subprocess.run([sys.executable, "-m", "harness", "series", str(mbox)], env={**env, **extra},
                                  capture_output=True, check=True).stdout
        main, other = pty.openpty()
        fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 70, 0, 0))
        proc = subprocess.Popen([sys.executable, "-m", "harness", "series", str(mbox)], stdin=other, stdout=other,
                                stderr=subprocess.DEVNULL, env={**env, **extra})
        os.close(other)
        got = bytearray()
        while select.select([main], [], [], 300)[0]:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            got += chunk
        os.close(main)
        assert proc.wait(timeout=120) == 0
        return bytes(got)

    unset = shown({})
    assert b"v2" in unset and shown({"COLUMNS": "0"}) == unset


def test_variants_skipped_for_the_same_reason_but_its_message_id_are_one_note(capsys: pytest.CaptureFixture[str]
                                                                              ) -> None:
    # `series` of a thread the bundled manifest was not written for said five notes, each 'variant X skipped: the
    # input's v3 is not the one it was written for: ..., and <id> asking for it is not in the input', one Message-ID
    # apart. Reasons that differ otherwise, or name two Message-IDs, stay notes of their own.
    from types import SimpleNamespace

    from harness.console import say_skipped

    why = "the input's v3 is not the one it was written for: none is the manifest's, and {} asking for it is absent"
    skipped = [SimpleNamespace(name=n, reason=why.format(i)) for n, i in (("a", "<x@y>"), ("b", "<z@y>"),
                                                                           ("c", "<z@y>"))]
    skipped += [SimpleNamespace(name="d", reason="it cannot be built here: <p@q> and <r@s> do not apply"),
                SimpleNamespace(name="e", reason="the reply <t@u> holding its proposal is not in the input")]
    say_skipped(SimpleNamespace(notes=(), skipped=(), threads=()), skipped)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"seamharness: note: 3 variants (a, b, c) skipped: {why.format('<x@y>')} (a; likewise <z@y> for b, c)",
        "seamharness: note: variant d skipped: it cannot be built here: <p@q> and <r@s> do not apply",
        "seamharness: note: variant e skipped: the reply <t@u> holding its proposal is not in the input"], lines
