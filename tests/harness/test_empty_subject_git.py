"""A patch mail with no subject past its tags: its title is the first paragraph git am commits as the title."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
_NEW_FILE = (b"diff --git a/x.c b/x.c\nnew file mode 100644\nindex 0000000..3b18e51\n--- /dev/null\n+++ b/x.c\n"
             b"@@ -0,0 +1 @@\n+hello world\n")
_SIGNED = b"Signed-off-by: Ann <ann@example.org>\n"


@pytest.mark.parametrize(("subject", "log"), [
    (None, b"Keep the retry\nbounded.\n\nMore text.\n\n" + _SIGNED),  # no Subject: header (an archive dropped it)
    (b"[PATCH v2 1/1]", b"Keep the retry bounded.\n\n" + _SIGNED),  # tags alone
    (b"[PATCH]  ", b"\n\nOne paragraph only.\n"),
    (b"[PATCH v3 1/1] :", _SIGNED + b"Reviewed-by: Bob <bob@example.org>\n"),  # trailers alone: git's title
    (b"=?UTF-8?Q?[PATCH]_?=", b"Caf\xc3\xa9 first.\n\nThen the rest.\n"),
], ids=["no-subject", "tags-alone", "one-paragraph", "trailers-alone", "encoded-tags"])
def test_the_title_is_the_first_paragraph_git_am_commits(tmp_path: Path, subject: bytes | None, log: bytes) -> None:
    path = tmp_path / "p.eml"
    head = b"" if subject is None else b"Subject: " + subject + b"\n"
    path.write_bytes(b"From: Ann <ann@example.org>\n" + head + b"Date: Mon, 5 Jan 2026 10:00:00 +0000\n"
                     b"Content-Type: text/plain; charset=utf-8\n\n" + log + b"---\n" + _NEW_FILE)
    repo = init_repo(tmp_path / "repo")
    git(repo, "am", str(path))
    title, body = git(repo, "log", "-1", "--format=%s%x00%b").stdout.decode().split("\0")
    whole = git(repo, "log", "-1", "--format=%B").stdout
    trailers = [tuple(t.strip() for t in ln.split(":", 1))
                for ln in git(repo, "interpret-trailers", "--parse", stdin=whole).stdout.decode().splitlines()]
    res = CliRunner().invoke(app, ["series", str(path), "--json"])
    assert res.exit_code == 0, res.output
    (patch,) = json.loads(res.stdout)["revisions"][0]["patches"]
    assert patch["title"] == title
    assert [(t["key"], t["value"]) for t in patch["trailers"]] == trailers
    (ours,) = parse_series(IngestRequest((path,))).all_patches()
    assert ours.message == body.rstrip("\n")
