"""One patch mail that creates a file twice (its diff inline and attached, or in an HTML copy), against git am.

git mailinfo joins every text part of a mail into one patch, so a sender who pastes the diff and attaches it
too mails git apply two creations of one path; it checks each against the tree before the patch (apply.c
check_to_create) and writes them in turn: the last is the file. The second was refused here ("patch creates a
file that already exists") and the file unusable, where git am commits it.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from harness.filestate import FileState, full_file
from harness.model import Patch
from harness.statefiles import BaseReader
from harness.variants import build_states
from tests.gitoracle import Change, check_agreement, format_patches, git, init_repo
from tests.harness.mailclientgen import Made, cli_agreement, head, write_series
from tests.mailgen import HELPER_PATH, HELPER_V0


def _twice(m: Made) -> bytes:
    """The patch inline and, when it creates a file, attached again (base64 text/x-patch) below it."""
    text = head(f"[PATCH {m.number}/{m.total}] {m.title}") + b"Content-Type: text/plain; charset=utf-8\n\n"
    if b"\nnew file mode" not in m.patch:
        return text + m.log + m.patch
    diff = m.patch[m.patch.index(b"diff --git"):]
    return (head(f"[PATCH {m.number}/{m.total}] {m.title}") + b'Content-Type: multipart/mixed; boundary="BB"\n\n'
            b"--BB\nContent-Type: text/plain; charset=utf-8\n\n" + m.log + m.patch + b"\n--BB\n"
            b'Content-Type: text/x-patch; name="0001.patch"\nContent-Transfer-Encoding: base64\n'
            b'Content-Disposition: attachment; filename="0001.patch"\n\n' + base64.encodebytes(diff) + b"--BB--\n")


def test_a_file_created_inline_and_attached_is_what_git_am_commits(tmp_path: Path) -> None:
    write_series(tmp_path / "in", tmp_path, _twice)
    assert b"Content-Disposition: attachment" in (tmp_path / "in" / "0001.eml").read_bytes()
    assert cli_agreement(tmp_path, [tmp_path / "in"]) == 3
    assert check_agreement(tmp_path, [tmp_path / "in"]).blobs == 3


def _patch(tmp: Path, diff_text: bytes) -> Patch:
    from harness.ingest import IngestRequest, parse_series

    (tmp / "in").mkdir(exist_ok=True)
    (tmp / "in" / "p.eml").write_bytes(b"From: A <a@example.org>\nSubject: [PATCH] demo: twice\nMessage-ID: <t@x>\n"
                                       b"Date: Mon, 05 Jan 2026 10:00:00 +0000\n\nTwice.\n---\n" + diff_text)
    (rev,) = parse_series(IngestRequest((tmp / "in",))).revisions
    (patch,) = rev.patches
    return patch


@pytest.mark.parametrize("in_base", [False, True])
def test_the_last_creation_is_the_file_and_one_the_base_has_is_refused_as_git_apply_does(
        tmp_path: Path, in_base: bool) -> None:
    ((_, _, first),) = format_patches(tmp_path, [Change("demo: add", "A.\n", {HELPER_PATH: HELPER_V0.encode()})])
    one = first[first.index(b"diff --git"):].split(b"\n-- \n")[0] + b"\n"
    other = one.replace(b"int tries = 3;", b"int tries = 4;").replace(one.split(b"\n")[2], b"index 0000000..1111111")
    patch = _patch(tmp_path, other + one)
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: "old\n"} if in_base else {"README": "r\n"})
    (tmp_path / "p.diff").write_bytes(other + one)
    res = git(repo, "apply", "--index", str(tmp_path / "p.diff"), check=False)
    assert (res.returncode != 0) == in_base, res.stderr
    base: BaseReader = (lambda path: None) if not in_base else _reader(repo)
    states, findings = build_states([patch], base)
    after = states[1][HELPER_PATH]
    if in_base:
        assert not after.usable and any("already exists" in f.reason for f in findings[0])
    else:
        want = git(repo, "hash-object", HELPER_PATH).stdout.decode().strip()
        assert after.usable and after.blob == want == git(tmp_path, "hash-object", "--stdin",
                                                          stdin=HELPER_V0.encode()).stdout.decode().strip()
        assert any("index line says" in f.reason for f in findings[0])  # the first creation's, not kept


def _reader(repo: Path) -> BaseReader:
    def read(path: str) -> FileState | None:
        p = repo / path
        return full_file(path, p.read_text(), "repo") if p.is_file() else None
    return read
