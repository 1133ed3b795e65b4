"""A thread fetched from a lore-like server is read as mboxrd, as git am reads it.

A thread fetched from a lore-like server on 127.0.0.1 is public-inbox's mboxrd (``t.mbox.gz``): every body line
matching ``>*From `` carries one ``>`` more than the message had, so it is read as ``git am --patch-format=mboxrd``
reads it, through the download, the cache and ``--offline`` alike; plain git am (mboxo) would keep each ``>``."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.ingest import IngestRequest, parse_series
from harness.lore import FetchRequest, fetch_thread
from tests.gitoracle import git, init_repo
from tests.harness.test_lore import _Lore, serving

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
# A commit message whose lines each writer stores otherwise: "From " (a separator's shape too, a date and a time),
# ">From " and ">>From " (quoted once more by mboxrd only).
LOG = ("From the start it retried.\nFrom ann@example.org Mon Jan  5 10:00:00 2026\n>From a quoted line.\n"
       ">>From a deeper quote.\nKeep going.\n\nSigned-off-by: Ann Author <ann@example.org>\n")


def _public_inbox_thread(tmp: Path) -> list[bytes]:
    """A cover letter and two patches as public-inbox serves their thread: each message after its separator,
    every ``>*From `` line quoted once more."""
    repo = init_repo(tmp / "src")
    for i in (1, 2):
        (repo / "a.h").write_text("".join(f"int a{k};\n" for k in range(i)))
        git(repo, "add", "a.h")
        git(repo, "commit", "-q", "-m", f"demo: change {i}\n\n{LOG}")
    data = git(repo, "format-patch", "--stdout", "--thread", "--cover-letter", "-2", "HEAD").stdout
    mails = [m for m in re.split(rb"(?m)^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001\n", data) if m]
    return [b"From mboxrd@z Thu Jan  1 00:00:00 1970\n" + re.sub(rb"(?m)^(>*From )", rb">\1", m) + b"\n"
            for m in mails]


def _git_am_mboxrd(tmp: Path, mbox: Path) -> list[str]:
    repo = init_repo(tmp / "am")
    res = git(repo, "am", "-q", "--patch-format=mboxrd", str(mbox), check=False)
    assert res.returncode == 0, res.stderr.decode()
    log = git(repo, "log", "--reverse", "--format=%B%x00", "HEAD").stdout.decode()
    return [m.strip("\n") for m in log.split("\0")[1:-1]]


def test_a_fetched_thread_is_read_as_git_am_reads_an_mboxrd(tmp_path: Path) -> None:
    mails = _public_inbox_thread(tmp_path)
    thread = b"".join(mails)
    (tmp_path / "patches.mbox").write_bytes(b"".join(mails[1:]))  # git am finds the cover letter empty
    expected = _git_am_mboxrd(tmp_path, tmp_path / "patches.mbox")
    assert len(expected) == 2 and all(m.endswith(LOG.strip("\n")) for m in expected)  # given back whole
    cover = re.search(rb"(?m)^Message-I[dD]: <([^>]+)>", thread)
    assert cover is not None
    msgid = cover.group(1).decode()
    _Lore.threads = {f"/all/{msgid}/t.mbox.gz": gzip.compress(thread)}
    _Lore.hits, _Lore.lookups = [], {}
    with serving() as lore:
        for offline in (False, True):  # downloaded, then the cached copy
            copy = fetch_thread(FetchRequest(msgid, lore=lore, cache_dir=tmp_path / "cache", offline=offline))
            series = parse_series(IngestRequest((copy.path,)))
            assert not series.skipped
            (rev,) = series.revisions
            assert [f"{p.mail.subject.title}\n\n{p.message}".strip("\n") for p in rev.patches] == expected
        result = CliRunner().invoke(app, ["series", msgid, "--lore", lore, "--cache-dir", str(tmp_path / "cache")])
        assert result.exit_code == 0 and "v1: 2 of 2 patches" in result.stdout, result.output
    assert len(_Lore.hits) == 1  # the command read the cached copy too
