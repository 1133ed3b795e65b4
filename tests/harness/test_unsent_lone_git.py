"""``git format-patch -N`` / ``-k`` output (lone ``[PATCH] x`` files, no N/M) not sent yet, as a user gives the folder:
one series, as ``git am`` of the folder applies it, whoever wrote each commit and however format-patch threaded it.

Keyed by the header From: (each commit's author in unsent output), a branch of two authors' commits was two postings
of patch 1 (one set aside, exit 2); with ``--thread`` (or ``format.thread`` set) each patch answering the first was
read as the next revision of it (v2, v3: exit 0, wrong states), or as another sender's proposal; and the
``-N --cover-letter`` letter was an empty patch 1 (exit 2).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gitoracle import git, init_repo
from tests.harness.mailclientgen import cli_agreement

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
F = "drivers/demo/f.c"
TEXT = "".join(f"static int fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(9))
ANN, BOB = "Ann Author <ann@example.org>", "Bob Builder <bob@example.org>"


def _branch(tmp: Path, authors: list[str]) -> Path:
    """A repository: a base, then one commit per author in turn, the first creating the file (git am starts from
    an empty tree: tests.harness.mailclientgen.git_am), the others each changing another function."""
    repo = init_repo(tmp / "repo", {"README": "demo\n"})
    for k, who in enumerate(authors):
        (repo / F).parent.mkdir(parents=True, exist_ok=True)
        (repo / F).write_text((repo / F).read_text().replace(f"x + {k};", f"x + {k}{k};") if k else TEXT)
        git(repo, "add", F)
        git(repo, "commit", "-q", "-a", f"--author={who}", "-m", f"demo: change fn{k}\n\nWhy {k}.\n\n"
            f"Signed-off-by: {who}")
    return repo


@pytest.mark.parametrize("options", [
    ["-N"], ["-k"], ["-N", "--thread"], ["-N", "--thread=deep"], ["-k", "--thread"], ["-N", "--cover-letter"],
    ["-N", "--thread", "--cover-letter"], ["-N", "-v2", "--thread"],
], ids=" ".join)
@pytest.mark.parametrize("authors", [[ANN, BOB, ANN], [ANN, ANN, ANN]], ids=["two authors", "one author"])
def test_unsent_lone_patches_are_one_series_as_git_am_applies_them(tmp_path: Path, options: list[str],
                                                                    authors: list[str]) -> None:
    repo = _branch(tmp_path, authors)
    out = tmp_path / "out"
    git(repo, "format-patch", "-q", "-o", str(out), *options, f"HEAD~{len(authors)}")
    patches = [f for f in sorted(out.iterdir()) if "0000-cover-letter" not in f.name]  # git am finds it empty
    assert cli_agreement(tmp_path, [out], am_inputs=patches) == len(authors)


def test_sent_lone_patches_of_two_senders_stay_apart(tmp_path: Path) -> None:
    """The same lone mails with another separator (sent: saved from a list by a mail client) are two people's
    postings, as before (of the same Date: neither read): only format-patch's own separator line says the files
    were never sent."""
    repo = _branch(tmp_path, [ANN, BOB])
    mbox = tmp_path / "saved.mbox"
    data = git(repo, "format-patch", "--stdout", "-N", "HEAD~2").stdout
    mbox.write_bytes(b"\n".join(b"From mboxrd@z Thu Jan  1 00:00:00 1970" if line.startswith(b"From ")
                                and line.endswith(b" Mon Sep 17 00:00:00 2001") else line
                                for line in data.split(b"\n")))
    from harness.ingest import IngestRequest, parse_series

    series = parse_series(IngestRequest((mbox,)))
    assert all(len(r.patches) < 2 for r in series.revisions) and series.skipped  # two postings of patch 1
