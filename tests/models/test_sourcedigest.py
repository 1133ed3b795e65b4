"""models.sourcedigest: a package source's digest as rglob and Path.read_bytes gave it, with no Path per file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from harness.valuecache import harness_version
from models.outcome import mirror_version
from models.sourcedigest import source_digest


def _by_paths(root: Path) -> str:
    h = hashlib.sha256()
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
