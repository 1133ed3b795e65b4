"""Patch mail reaching git am with CR LF lines: seamharness apply writes the same bytes.

Patch mail whose lines reach git am as CR LF (base64 or quoted-printable of a Windows mailer's text): git am
keeps the CRs and writes them into the files it creates and changes; seamharness apply writes the same bytes, as
usable files, and says why their blob ids are not the index lines'."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo
from tests.mailgen import Shape, shaped_mail

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

SEPARATOR = b"From ann@example.org Mon Jan  5 10:00:00 2026\n"
# Each commit of the author's series: the files it writes (None: a file it deletes is not needed here).
STEPS = [{"new.h": "#define NEW 1\nint n;\nint m;\n", "end.h": "int z;"},
         {"new.h": "#define NEW 2\nint n;\nint m;\n", "end.h": "int z;\nint y;"}]


def _series(tmp: Path) -> tuple[Path, str, list[bytes]]:
    """The author's repository, its base and the series' format-patch mails (log and patch apart)."""
    repo = init_repo(tmp / "author", {"a.c": "int a;\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    for i, files in enumerate(STEPS):
        for name, text in files.items():
            (repo / name).write_text(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"step {i + 1}")
    out = git(repo, "format-patch", "--stdout", f"-{len(STEPS)}", f"--base={base}").stdout
    return repo, base, [b"From " + m if i else m for i, m in enumerate(out.split(b"\nFrom "))]


def _dressed(patch: bytes, i: int, cte: str) -> bytes:
    """One format-patch mail as a mailer sends it whose text has CR LF line ends inside the transfer encoding."""
    log, rest = patch.split(b"\n\n", 1)[1].split(b"---\n", 1)
    if cte == "base64":
        return shaped_mail("Ann <ann@example.org>", f"[PATCH {i}/{len(STEPS)}] step", f"s{i}@x", log, b"---\n" + rest,
                           Shape(cte="base64", crlf_inside=True))
    body = (log + b"---\n" + rest).replace(b"=", b"=3D").replace(b"\n", b"=0D\n")  # quoted-printable's CR: =0D
    return (f"From: Ann <ann@example.org>\nSubject: [PATCH {i}/{len(STEPS)}] step\nMessage-ID: <s{i}@x>\n"
            "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable"
            "\n\n").encode() + body


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
@pytest.mark.parametrize("tree", [True, False])
def test_files_of_quoted_crlf_mail_are_git_am_s(tmp_path: Path, cte: str, tree: bool) -> None:
    # Before: each file was unusable ('post-image blob is ..., the index line says ...; the rebuilt file is not
    # used'), exit 1, where git am writes it with its CRs.
    repo, base, mails = _series(tmp_path)
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(b"".join(SEPARATOR + _dressed(m, i + 1, cte) + b"\n" for i, m in enumerate(mails)))
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", base)
    am = git(work, "am", str(mbox), check=False)
    assert am.returncode == 0 and "quoted CRLF detected" in am.stderr.decode(), am.stderr
    assert (work / "new.h").read_bytes() == b"#define NEW 2\r\nint n;\r\nint m;\r\n"  # git keeps the CRs
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["apply", str(mbox), "--variant", "v1", "--out", str(out),
                                   *(["--tree", str(repo), "--base", base] if tree else [])])
    assert res.exit_code == 0, res.output
    for name in STEPS[-1]:
        assert (out / name).read_bytes() == (work / name).read_bytes(), name
    prov = json.loads((out / "provenance.json").read_text())
    assert all(f["usable"] for f in prov["files"]), prov["files"]
    said = [f["reason"] for f in prov["findings"]]
    assert len([r for r in said if r.startswith("post-image blob is") and "CR LF" in r]) == 4, said
    assert "by CRs alone: its lines end in CR LF" in res.output


def test_a_file_other_than_the_index_line_s_beyond_its_crs_is_not_used(tmp_path: Path) -> None:
    # The CRs explain a blob id only where the file without them is the index line's: a line edited after git
    # made the diff is still a mismatch, the file unusable.
    _, _, mails = _series(tmp_path)
    first = mails[0].replace(b"+int m;\n", b"+int M;\n")
    (tmp_path / "one.eml").write_bytes(_dressed(first, 1, "base64"))
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["apply", str(tmp_path / "one.eml"), "--variant", "v1", "--out", str(out),
                                   "--reject"])
    assert res.exit_code == 1 and "new.h: unusable in v1" in res.output, res.output


@pytest.mark.parametrize("tree", [True, False])
def test_files_of_an_author_s_crlf_text_are_git_am_s(tmp_path: Path, tree: bool) -> None:
    # The other way: the author's files end their lines in CR LF, format-patch writes them so, and the mbox's CR
    # before each line end is dropped (git am without --keep-cr: mailsplit). git am writes LF lines; before, each
    # file was unusable (its blob not the index line's), exit 1.
    repo = init_repo(tmp_path / "author", {"a.c": "int a;\n"})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    for i, files in enumerate(({"win.h": b"#define W 1\r\nint n;\r\nint m;\r\n", "end.h": b"int z;\r\nint y;\r"},
                               {"win.h": b"#define W 2\r\nint n;\r\nint m;\r\n", "end.h": b"int z;\r\nint x;"})):
        for name, data in files.items():
            (repo / name).write_bytes(data)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"step {i + 1}")
    mbox = tmp_path / "s.mbox"
    mbox.write_bytes(git(repo, "format-patch", "--stdout", "-2", f"--base={base}").stdout)
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(repo), str(work))
    git(work, "checkout", "-q", base)
    assert git(work, "am", str(mbox), check=False).returncode == 0
    assert (work / "win.h").read_bytes() == b"#define W 2\nint n;\nint m;\n"  # the CRs dropped
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["apply", str(mbox), "--variant", "v1", "--out", str(out),
                                   *(["--tree", str(repo), "--base", base] if tree else [])])
    assert res.exit_code == 0, res.output
    for name in ("win.h", "end.h"):
        assert (out / name).read_bytes() == (work / name).read_bytes(), name
    said = [f["reason"] for f in json.loads((out / "provenance.json").read_text())["findings"]]
    assert len([r for r in said if r.startswith("post-image") and "the mail lost the CRs" in r]) == 4, said
