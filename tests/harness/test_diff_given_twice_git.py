"""A hunk failing on a file that already is the patch's result says why: an earlier diff in the mail, or the base."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
_BEFORE = "".join(f"#define DEMO_{i} {i}\n" for i in range(1, 13))
_AFTER = _BEFORE.replace("DEMO_6 6", "DEMO_6 66")


def _diff(repo: Path) -> bytes:
    """git's diff of d.h from _BEFORE to _AFTER, made in ``repo`` and undone there."""
    (repo / "d.h").write_text(_AFTER)
    out = git(repo, "diff", "--full-index").stdout
    git(repo, "checkout", "--", "d.h")
    return out


def _mail(diff: bytes, twice: str) -> bytes:
    head = b"From: Ann <ann@example.org>\nSubject: [PATCH] demo: d\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n"
    log = b"Sixty-six.\n---\n"
    if twice == "attached":  # Thunderbird's inline diff with the same diff attached: git mailinfo reads both parts
        return (head + b'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n' + log + diff
                + b'--B\nContent-Type: text/x-patch; name="d.patch"\nContent-Transfer-Encoding: base64\n\n'
                + base64.encodebytes(diff) + b"--B--\n")
    return head + b"\n" + log + diff


@pytest.mark.parametrize(("twice", "base", "said"), [
    ("attached", _BEFORE, "an earlier diff of it in this same mail made it"),
    ("no", _AFTER, "the patch is in the base"),
])
def test_a_patch_whose_result_is_there_says_where_it_came_from(tmp_path: Path, twice: str, base: str,
                                                               said: str) -> None:
    repo = init_repo(tmp_path / "repo", {"d.h": _BEFORE})
    (tmp_path / "p.eml").write_bytes(_mail(_diff(repo), twice))
    (repo / "d.h").write_text(base)
    git(repo, "commit", "-qam", "base", "--allow-empty")
    am = git(repo, "am", str(tmp_path / "p.eml"), check=False)
    assert am.returncode and "patch does not apply" in am.stderr.decode()  # git am stops on both
    res = CliRunner().invoke(app, ["apply", str(tmp_path / "p.eml"), "--variant", "v1", "--out", str(tmp_path / "o"),
                                   "--tree", str(repo), "--base", "HEAD"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "the file already is this patch's result" in res.stderr and said in res.stderr, res.stderr
    assert ("in the base" in res.stderr) == (twice == "no")
