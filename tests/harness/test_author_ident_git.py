"""A patch's author as git am commits it (ident.c: crud trimmed from name and email), or refused where git am stops."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
_NEW_FILE = (b"diff --git a/x.c b/x.c\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ b/x.c\n"
             b"@@ -0,0 +1 @@\n+hello world\n")


def _mail(sender: bytes | None) -> bytes:
    head = b"" if sender is None else b"From: " + sender + b"\n"
    return (b"Subject: [PATCH] demo: add x.c\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n" + head
            + b"Message-ID: <x@example.org>\n\nAdds it.\n\nSigned-off-by: Ann <ann@example.org>\n---\n" + _NEW_FILE)


# Names and addresses that end in what ident.c calls crud (".,:;<>\"\\'" and blanks): a name with an initial or
# "Jr." last, one an Outlook user's mailer quoted in single quotes, an address in quotes or with a stray dot.
@pytest.mark.parametrize("sender", [
    b"Ann Author Jr. <ann@example.org>", b"'Ann Author' <ann@example.org>", b":Ann; <ann@example.org>",
    b"Ann <.ann@example.org.>", b"Ann <'ann@example.org'>", b"=?UTF-8?Q?Zo=C3=AB_R=2E?= <zoe@example.org>",
    b"Ann Author <ann@example.org>", b"ann@example.org (Ann A.)",
    None, b"Ann Author", b"<>", b". <ann@example.org>", b"\",\" <ann@example.org>",
], ids=repr)
def test_the_author_is_the_one_git_am_commits_or_the_patch_is_refused(tmp_path: Path, sender: bytes | None) -> None:
    path = tmp_path / "p.eml"
    path.write_bytes(_mail(sender))
    repo = init_repo(tmp_path / "repo")
    am = git(repo, "am", str(path), check=False)
    res = CliRunner().invoke(app, ["series", str(path), "--json"])
    assert "Traceback" not in res.output
    if am.returncode:  # git am stops: "empty ident name ... not allowed", "name consists only of disallowed ..."
        said = am.stderr.decode().strip().splitlines()[-1].removeprefix("fatal: ")
        assert res.exit_code == 2, res.output
        line = 1 if sender is None else 3  # the From: line, or the message's first line without one
        assert f"{path}:{line}: the patch's author is no one git commits: {said}" in res.stderr, res.stderr
        return
    assert res.exit_code == 0, res.output
    (patch,) = json.loads(res.stdout)["revisions"][0]["patches"]
    assert patch["author"] == git(repo, "log", "-1", "--format=%an").stdout.decode().strip()
    from harness.ingest import IngestRequest, parse_series

    (ours,) = parse_series(IngestRequest((path,))).all_patches()
    assert ours.mail.author_email == git(repo, "log", "-1", "--format=%ae").stdout.decode().strip()
