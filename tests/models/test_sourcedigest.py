"""models.sourcedigest: a package source's digest as rglob and Path.read_bytes gave it, with no Path per file."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest

import models.sourcedigest as sd
from harness.valuecache import harness_version
from models.outcome import mirror_version
from models.sourcedigest import source_digest


def _by_paths(root: Path) -> str:
    h = hashlib.blake2b(digest_size=32)
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_the_digest_by_path_parts(tmp_path: Path) -> None:
    # 'a-b.py' sorts before 'a/x.py' as a string, after it by parts ('a' < 'a-b.py'): the order of the parts holds.
    for name, text in (("a-b.py", "1"), ("a/x.py", "2"), ("a/b/c.py", "3"), ("z.py", "4"), ("a/notes.txt", "5"),
                       ("__pycache__/z.cpython-311.pyc", "6")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    want = _by_paths(tmp_path)
    assert source_digest(tmp_path) == want
    (tmp_path / "a" / "notes.txt").write_text("changed")
    assert source_digest(tmp_path) == want  # only the .py files are named
    (tmp_path / "a" / "b" / "c.py").write_text("changed")
    assert source_digest(tmp_path) != want


def test_the_versions_read_no_path_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []
    real = Path.read_bytes

    def counted(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    for version in (mirror_version, harness_version):
        version.cache_clear()
        root = Path(version.__wrapped__.__code__.co_filename).resolve().parent
        got = version()
        assert read == []  # a Path, and its read_bytes, per source file before
        assert got == _by_paths(root)[:16]
        read.clear()


def _package(root: Path) -> Path:
    for name, text in (("a.py", "1"), ("b/c.py", "22"), ("b/notes.txt", "x")):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _settled(root: Path) -> None:
    """The files' times set back, as a checkout's are by the time a command reads them (a file changed within
    sourcedigest._SETTLE_NS of its digest is never kept)."""
    for path in root.rglob("*.py"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    time.sleep(0.06)  # ctime (which utime sets to now) settles too


def test_a_command_lines_digest_is_kept_under_the_files_stat_stamp(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _package(tmp_path / "pkg")
    _settled(root)
    monkeypatch.setattr(sd._Keep, "folder", tmp_path / "cache")
    want = source_digest(root)
    assert sd.kept_source_digest(root) == want
    hashed: list[Path] = []
    monkeypatch.setattr(sd, "source_digest", lambda r: hashed.append(r) or source_digest(r))
    assert sd.kept_source_digest(root) == want
    assert hashed == []  # read back: no file read and hashed again
    # The same size and modification time written back: the change time tells it apart all the same.
    (root / "b" / "c.py").write_text("33")
    os.utime(root / "b" / "c.py", ns=(1_000_000_000, 1_000_000_000))
    assert sd.kept_source_digest(root) == source_digest(root) != want
    assert hashed == [root]


def test_a_digest_of_files_just_changed_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _package(tmp_path / "pkg")
    monkeypatch.setattr(sd._Keep, "folder", tmp_path / "cache")
    assert sd.kept_source_digest(root) == source_digest(root)
    assert not (tmp_path / "cache").exists()  # written a moment ago: may be written again within the clock's tick


def test_a_library_caller_keeps_no_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _package(tmp_path / "pkg")
    _settled(root)
    monkeypatch.setattr(sd._Keep, "folder", None)
    hashed: list[Path] = []
    monkeypatch.setattr(sd, "source_digest", lambda r: hashed.append(r) or source_digest(r))
    assert sd.kept_source_digest(root) == sd.kept_source_digest(root)
    assert hashed == [root, root]
