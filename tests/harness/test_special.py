"""A FIFO, device or socket given as an input file is refused at once in one line.

A named FIFO, device or socket given as any file a command reads is refused at once in one line (exit 2); an
anonymous pipe (``<(...)``) is still read."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from harness.errors import InputError, Where
from harness.reviewer import _patch_file
from harness.special import special_kind
from harness.tomlfile import load_toml
from tests.mailgen import demo_series, write_mbox

ROOT = Path(__file__).resolve().parents[2]


def test_kinds(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f")
    (tmp_path / "r").write_text("x")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(tmp_path / "s"))
        assert special_kind(tmp_path / "s") == "a socket"
    assert special_kind(tmp_path / "f") == "a named FIFO"
    assert special_kind("/dev/null") == special_kind("/dev/zero") == "a device"
    assert special_kind(tmp_path / "r") is None and special_kind(tmp_path) is None
    assert special_kind(tmp_path / "missing") is None  # the read that follows says it is missing
    r, w = os.pipe()
    try:
        assert special_kind(f"/dev/fd/{r}") is None  # its writer is the process that named it
    finally:
        os.close(r)
        os.close(w)


def test_a_toml_file_or_reviewer_patch_that_is_a_fifo_is_refused_not_waited_for(tmp_path: Path) -> None:
    # A rules.toml beside --manifest, or a proposal's patch the manifest names, is opened without the option check.
    os.mkfifo(tmp_path / "rules.toml")
    with pytest.raises(InputError, match=r"rules\.toml: not a regular file but a named FIFO"):
        load_toml(tmp_path / "rules.toml")
    with pytest.raises(InputError, match=r"m\.toml:7: .*rules\.toml: not a regular file but a named FIFO"):
        _patch_file(str(tmp_path / "rules.toml"), Where("m.toml", 7))
    with pytest.raises(InputError, match="/dev/zero: not a regular file but a device"):
        load_toml(Path("/dev/zero"))


def test_a_toml_file_from_an_anonymous_pipe_is_read(tmp_path: Path) -> None:
    r, w = os.pipe()

    def write() -> None:
        with os.fdopen(w, "wb") as out:
            out.write(b"[codes]\nOK = 0\n")

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert load_toml(Path(f"/dev/fd/{r}"))[1] == {"codes": {"OK": 0}}
    finally:
        writer.join()
        os.close(r)


@pytest.mark.parametrize("args", [
    ["series", "{fifo}"],
    ["series", "{mbox}", "--manifest", "{fifo}"],
    ["eval", "{mbox}", "--matrix", "{fifo}"],
    ["gate", "{mbox}", "--variant", "v2", "--rules", "{fifo}"],
    ["crosscheck", "{mbox}", "--matrix", "{fifo}"],
    ["apply", "{mbox}", "--variant", "v2", "--out", "{tmp}/out", "--manifest", "{fifo}"],
])
def test_a_named_fifo_is_refused_at_once_by_every_command_that_reads_it(tmp_path: Path, args: list[str]) -> None:
    # Each waited for a writer for ever (eval --matrix FIFO was killed by the timeout after hours).
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    argv = [a.replace("{fifo}", str(fifo)).replace("{mbox}", str(mbox)).replace("{tmp}", str(tmp_path))
            for a in args]
    res = subprocess.run([sys.executable, "-m", "harness", *argv], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}, check=False)
    lines = res.stderr.strip().splitlines()
    assert res.returncode == 2 and len(lines) == 1, res.stderr
    assert f"{fifo}: not a regular file but a named FIFO" in lines[0]
    assert not (tmp_path / "out").exists()
