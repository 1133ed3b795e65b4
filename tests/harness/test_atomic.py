"""Outputs appear whole or not at all, in the right place, for every kind of path.

Outputs: files appear whole or not at all; `-` is stdout; symlinks are written through; devices and FIFOs in
place; a missing folder is refused. A property over every kind of path: the right bytes reach the right place, or
one line and exit 2, and nothing else changes."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import pty
import stat
import tempfile
import threading
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.atomic import OutputKind, atomic_write_text, resolve_output, write_all, write_output, write_text
from harness.errors import UsageError


def test_whole_file_with_umask_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "r.json", "{}\n")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").read_text() == "{}\n"
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_failure_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    with pytest.raises(UsageError, match="cannot write"):
        atomic_write_text(tmp_path / "dir", "x")  # a directory is in the way of the rename
    assert [p.name for p in tmp_path.iterdir()] == ["dir"]
    assert list((tmp_path / "dir").iterdir()) == []


def _pieces(fail_after: int | None) -> Iterator[str]:
    for n in range(5):
        if fail_after is not None and n == fail_after:
            raise RuntimeError("the renderer failed")
        yield f"piece {n}\n"


def test_pieces_reach_a_file_whole() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "r.json"
        write_text(resolve_output(target, "--json"), _pieces(None))
        assert target.read_text() == "".join(f"piece {n}\n" for n in range(5))


def test_a_renderer_failing_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old report\n")
    with pytest.raises(RuntimeError):
        write_text(resolve_output(target, "--json"), _pieces(3))
    assert target.read_text() == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def _made(fail_after: int | None = None) -> Iterator[bytes]:
    return (piece.encode() for piece in _pieces(fail_after))


@pytest.mark.parametrize("failing", ["renderer", "device"])
@pytest.mark.parametrize("first", [True, False])
def test_outputs_of_one_run_are_written_all_or_none(tmp_path: Path, failing: str, first: bool) -> None:
    # Before: each output was written in turn, so --json A --html /dev/full (or a renderer failing on the second)
    # left A made or replaced beside the exit status 2 of a run that wrote nothing it could stand by.
    if failing == "device" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    new, old = tmp_path / "new.json", tmp_path / "old.html"
    old.write_text("old report\n")
    bad = resolve_output("/dev/full", "--x") if failing == "device" else resolve_output(tmp_path / "bad.x", "--x")
    good = [(resolve_output(new, "--json"), lambda: _made()), (resolve_output(old, "--html"), lambda: _made())]
    broken = (bad, lambda: _made(2 if failing == "renderer" else None))
    with pytest.raises(UsageError if failing == "device" else RuntimeError):
        write_all([broken, *good] if first else [*good, broken])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.html"] and old.read_text() == "old report\n"
    write_all(good)
    assert new.read_bytes() == old.read_bytes() == b"".join(_made())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "old.html"]


def test_stdout_gets_nothing_from_a_renderer_that_fails(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    with pytest.raises(RuntimeError):
        write_text(resolve_output("-", "--json"), _pieces(2))
    assert capfdbinary.readouterr().out == b""
    write_text(resolve_output("-", "--json"), _pieces(None))
    assert capfdbinary.readouterr().out == "".join(f"piece {n}\n" for n in range(5)).encode()


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old")
    target.chmod(0o600)
    write_output(resolve_output(target, "--json"), b"new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    real = tmp_path / "sub" / "real.json"
    real.write_text("old")
    (tmp_path / "link.json").symlink_to("sub/real.json")
    (tmp_path / "chain.json").symlink_to("link.json")
    out = resolve_output(tmp_path / "chain.json", "--json")
    assert out.kind is OutputKind.REPLACE and out.path == real
    write_output(out, b"new")
    assert (tmp_path / "chain.json").is_symlink() and (tmp_path / "link.json").is_symlink()
    assert real.read_text() == "new"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "link.json").symlink_to("made.json")
    write_output(resolve_output(tmp_path / "link.json", "--json"), b"x")
    assert (tmp_path / "link.json").is_symlink() and (tmp_path / "made.json").read_bytes() == b"x"


def test_a_symlink_loop_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(UsageError, match=r"--json .*/a: too many levels of symbolic links"):
        resolve_output(tmp_path / "a", "--json")


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "no" / "r.json", "no such directory"),
    (lambda p: p, "is a directory"),
    (lambda p: (p / "f").write_text("x") and p / "f" / "r.json", "not a directory"),
])
def test_unusable_paths_are_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(UsageError) as info:
        resolve_output(path, "--html")
    assert str(info.value).startswith(f"--html {path}: {message}") and "\n" not in str(info.value)
    assert sorted(tmp_path.rglob("*")) == before


def test_dash_is_stdout() -> None:
    out = resolve_output("-", "--json")
    assert out.kind is OutputKind.STDOUT and out.path is None


def test_dev_null_is_written_in_place() -> None:
    out = resolve_output("/dev/null", "--json")
    assert out.kind is OutputKind.IN_PLACE
    write_output(out, b"nothing")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# -- the property ------------------------------------------------------------------------------------------------

KINDS = ("new", "regular", "symlink", "dangling", "fifo", "tty", "missing-parent", "dash", "directory")


@contextlib.contextmanager
def _reader(path: Path, sink: list[bytes]) -> Iterator[None]:
    """Read a FIFO until its writer closes it (opening a FIFO for writing waits for a reader)."""

    def read() -> None:
        with open(path, "rb") as fh:
            sink.append(fh.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    try:
        yield
    finally:
        t.join(0.5)
        if t.is_alive():
            # The writer never came: open and close the write side to unblock the reader (without
            # waiting, should it be gone already).
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        t.join(5)


def _snapshot(root: Path) -> dict[str, tuple[str, bytes | str]]:
    out: dict[str, tuple[str, bytes | str]] = {}
    for p in sorted(root.rglob("*")):
        key = str(p.relative_to(root))
        if p.is_symlink():
            out[key] = ("link", os.readlink(p))
        elif stat.S_ISFIFO(p.lstat().st_mode):
            out[key] = ("fifo", "")
        elif p.is_dir():
            out[key] = ("dir", "")
        else:
            out[key] = ("file", p.read_bytes())
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=2048),
       name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=12).filter(
           lambda s: s not in (".", "..", "-")))
def test_every_output_path_gets_the_bytes_or_one_line(kind: str, data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "other.txt").write_bytes(b"keep")
        target, expect_at = root / name, root / name
        master = slave = None
        if kind == "regular":
            target.write_bytes(b"old contents")
        elif kind == "symlink":
            (root / "real").mkdir()
            expect_at = root / "real" / "t.out"
            expect_at.write_bytes(b"old")
            target.symlink_to("real/t.out")
        elif kind == "dangling":
            expect_at = root / f"{name}.target"
            target.symlink_to(expect_at.name)
        elif kind == "fifo":
            os.mkfifo(target)
        elif kind == "tty":
            master, slave = pty.openpty()
            tty.setraw(slave)
            target = Path(os.ttyname(slave))
        elif kind == "missing-parent":
            target = root / "nope" / name
        elif kind == "directory":
            target.mkdir()
        before = _snapshot(root)
        given_path = "-" if kind == "dash" else str(target)
        received: list[bytes] = []
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        try:
            with contextlib.redirect_stdout(stdout), \
                    (_reader(target, received) if kind == "fifo" else contextlib.nullcontext()):
                try:
                    write_output(resolve_output(given_path, "--json"), data)
                except UsageError as exc:
                    assert kind in ("missing-parent", "directory"), exc
                    assert "\n" not in str(exc) and str(exc).startswith(f"--json {given_path}: ")
                    assert _snapshot(root) == before
                    return
            after = _snapshot(root)
            if kind == "dash":
                assert stdout.buffer.getvalue() == data  # type: ignore[attr-defined]
            elif kind == "fifo":
                assert received == [data]
            elif kind == "tty":
                assert master is not None
                got = b""
                while len(got) < len(data):
                    got += os.read(master, len(data) - len(got))
                assert got == data
            else:
                assert expect_at.read_bytes() == data
                if kind in ("symlink", "dangling"):
                    assert target.is_symlink() and after[name] == before[name]
            changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
            allowed = {str(expect_at.relative_to(root))} if kind in ("new", "regular", "symlink", "dangling") else set()
            assert changed <= allowed, changed
            assert after["other.txt"] == ("file", b"keep")
        finally:
            for fd in (master, slave):
                if fd is not None:
                    os.close(fd)


def test_an_existing_report_that_cannot_be_written_is_refused_before_the_run(tmp_path: Path) -> None:
    # chattr +i (root ignores a 0444 mode, not this): it was found out only after the whole run.
    import shutil
    import subprocess

    target = tmp_path / "r.json"
    target.write_text("old")
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(target)], capture_output=True).returncode != 0:
        if os.geteuid() == 0:
            pytest.skip("no chattr +i here, and root may write a read-only file")
        target.chmod(0o444)
    try:
        with pytest.raises(UsageError, match="cannot write it"):
            resolve_output(target, "--json")
    finally:
        if chattr is not None:
            subprocess.run([chattr, "-i", str(target)], capture_output=True)
    assert target.read_text() == "old"


def test_a_read_only_report_is_refused_even_for_root(tmp_path: Path) -> None:
    # Root may open a 0444 file for writing, and a report was renamed over a read-only file (a corpus README
    # given as --json): the mode bits say the file is not to be replaced, whoever runs the command.
    target = tmp_path / "README.md"
    target.write_text("keep me")
    target.chmod(0o444)
    with pytest.raises(UsageError, match=r"cannot write it: it is read-only \(mode 0444\)"):
        resolve_output(target, "--json")
    assert target.read_text() == "keep me"


def test_a_read_only_folder_takes_no_report_even_for_root(tmp_path: Path) -> None:
    # Root may make a file in a 0555 folder (a shared data folder, here as the reviewers' corpus is): the mode
    # bits say nothing is to be added to it, for --json/--html as for apply's --out folder.
    from harness.options import check_out_dir

    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(UsageError, match=r"cannot write in .*shared: it is read-only \(mode 0555\)"):
            resolve_output(folder / "r.json", "--json")
        with pytest.raises(UsageError, match=r"--out .*: cannot write in .*shared: it is read-only"):
            check_out_dir(folder / "out")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)
    assert resolve_output(folder / "r.json", "--json").path == folder / "r.json"


def test_a_cache_entry_is_written_whole_in_a_folder_made_for_it(tmp_path: Path) -> None:
    from harness.atomic import write_entry

    old = os.umask(0o022)
    try:
        write_entry(str(tmp_path / "ab" / "cd"), "k.json", b"one\n")
        write_entry(str(tmp_path / "ab" / "cd"), "k.json", b"two\n")  # replaced, never appended to
    finally:
        os.umask(old)
    entry = tmp_path / "ab" / "cd" / "k.json"
    assert entry.read_bytes() == b"two\n"
    assert stat.S_IMODE(entry.stat().st_mode) == 0o644
    assert [p.name for p in entry.parent.iterdir()] == ["k.json"]


def test_a_cache_entry_passes_over_a_temporary_name_a_dead_process_left(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import itertools

    from harness import atomic

    monkeypatch.setattr(atomic, "_SEQUENCE", itertools.count())
    left = tmp_path / f".k.json.{os.getpid()}.0"
    left.write_bytes(b"half")
    atomic.write_entry(str(tmp_path), "k.json", b"whole")
    assert (tmp_path / "k.json").read_bytes() == b"whole"
    assert left.read_bytes() == b"half"  # not another's to remove or write through


def test_a_cache_entry_that_fails_midway_leaves_the_old_one_and_no_temporary(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from harness import atomic

    (tmp_path / "k.json").write_bytes(b"old")

    def full(fd: int, data: bytes) -> None:
        os.write(fd, data[:2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)
    with pytest.raises(UsageError, match=r"k\.json: cannot write: no space left on device"):
        atomic.write_entry(str(tmp_path), "k.json", b"new entry")
    assert (tmp_path / "k.json").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["k.json"]


def test_a_cache_entry_where_a_file_or_folder_is_in_the_way_is_a_usage_error(tmp_path: Path) -> None:
    from harness.atomic import write_entry

    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(UsageError, match="cannot write"):
        write_entry(str(tmp_path / "file" / "ab"), "k.json", b"x")
    (tmp_path / "k.json").mkdir()
    with pytest.raises(UsageError, match="cannot write"):
        write_entry(str(tmp_path), "k.json", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "k.json"]
    assert list((tmp_path / "k.json").iterdir()) == []


@pytest.mark.parametrize("name", ["x" * 300, "/".join(["d" * 200] * 30)])
def test_a_name_longer_than_the_file_system_takes_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    # A 300-character --json name (generated): Path.is_symlink() raised ENAMETOOLONG, an internal error (exit 3); a
    # path past PATH_MAX (4096) as well. Now the option's one line, the system's words, before any work.
    with pytest.raises(UsageError) as err:
        resolve_output(str(tmp_path / name), "--json")
    assert str(err.value).startswith(f"--json {tmp_path / name}: file name too long"), str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_an_out_folder_name_longer_than_the_file_system_takes_is_refused_in_one_line(tmp_path: Path) -> None:
    from harness.options import check_out_dir

    with pytest.raises(UsageError) as err:
        check_out_dir(tmp_path / ("o" * 300))
    assert str(err.value).startswith(f"--out {tmp_path / ('o' * 300)}: file name too long"), str(err.value)
