"""Atomic output: the file appears whole or not at all, with ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from harness.atomic import atomic_write_text
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
