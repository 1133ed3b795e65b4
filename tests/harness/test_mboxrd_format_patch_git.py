"""git format-patch --pretty=mboxrd output, read as plain git am reads it.

``git format-patch --pretty=mboxrd`` (and ``git log --pretty=mboxrd -p``) writes format-patch's own separator and
quotes each ``>*From `` line of a commit message once more. seamharness reads such a file as plain ``git am`` does
(nothing in it says mboxrd), and says so at the first ``>From `` line, naming what ``git am --patch-format=mboxrd``
reads there; where a line starts ``From `` unquoted the file is no mboxrd output, and nothing is said."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo
from tests.mailgen import MUTT_SEPARATOR, message, write_mailbox

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle


def _commit(tmp: Path, log: str) -> Path:
    repo = init_repo(tmp / "src", {"a.h": "int a;\n"})
    (repo / "a.h").write_text("int a = 1;\n")
    git(repo, "commit", "-q", "-a", "-m", f"demo: set a\n\n{log}\nSigned-off-by: Ann Author <ann@example.org>\n")
    return repo


def _git_am(tmp: Path, patch: Path, *how: str) -> str:
    """The commit message ``git am`` makes of the file, read as ``how`` says."""
    repo = init_repo(tmp / f"am{len(list(tmp.glob('am*')))}", {"a.h": "int a;\n"})
    git(repo, "am", "-q", *how, str(patch))
    return git(repo, "log", "-1", "--format=%B").stdout.decode()


@pytest.mark.parametrize("how", [("format-patch", "-1", "--stdout"), ("log", "-1", "-p")])
def test_a_quoted_from_line_under_format_patch_separator_is_said(tmp_path: Path, how: tuple[str, ...]) -> None:
    repo = _commit(tmp_path, "Now set.\n>From the start, zero.\n>>From a quote.\n")
    patch = tmp_path / "0001.patch"
    patch.write_bytes(git(repo, *how, "--pretty=mboxrd").stdout)
    lines = patch.read_text().splitlines()
    assert lines.count(">>From the start, zero.") == 1  # mboxrd's quoting, as written
    plain, rd = _git_am(tmp_path, patch), _git_am(tmp_path, patch, "--patch-format=mboxrd")
    assert ">>From the start, zero.\n" in plain and "\n>From the start, zero.\n" in rd  # the two readings
    series = parse_series(IngestRequest((patch,)))
    (note,) = series.notes
    assert note.where.line == lines.index(">>From the start, zero.") + 1
    assert note.reason.startswith("commit message line '>>From the start, zero.' read as plain git am reads it")
    assert "git am --patch-format=mboxrd" in note.reason


def test_a_from_line_left_unquoted_says_the_file_is_no_mboxrd(tmp_path: Path) -> None:
    """A guard: plain format-patch output keeps a ``From `` line as it is, which mboxrd output never does."""
    repo = _commit(tmp_path, "From the start, zero.\n>From a quote.\n")
    patch = tmp_path / "0001.patch"
    patch.write_bytes(git(repo, "format-patch", "-1", "--stdout").stdout)
    assert "\n>From a quote.\n" in _git_am(tmp_path, patch)
    assert parse_series(IngestRequest((patch,))).notes == ()


def test_a_quoted_from_line_under_a_mail_client_separator_is_not_said(tmp_path: Path) -> None:
    """A guard: a mailbox a mail client wrote (mboxo) is read as git am reads it, without the note (docs/inputs.md)."""
    repo = _commit(tmp_path, ">From a quote.\n")
    body = git(repo, "format-patch", "-1", "--stdout").stdout.decode().split("\n\n", 1)[1]
    mbox = write_mailbox(tmp_path / "t.mbox", [message("[PATCH] demo: set a", "p1@example.org", body).as_bytes()],
                         "mboxo", MUTT_SEPARATOR)
    series = parse_series(IngestRequest((mbox,)))
    assert len(series.revisions[0].patches) == 1 and series.notes == ()
