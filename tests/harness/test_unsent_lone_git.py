"""git format-patch -N / -k output not sent yet, read as git am of the folder applies it.

``git format-patch -N`` / ``-k`` output (lone ``[PATCH] x`` files, no N/M) not sent yet, as a user gives the folder:
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


SENT = b"From mboxrd@z Thu Jan  1 00:00:00 1970"


def _as_sent(data: bytes, threaded_by_send_email: bool) -> bytes:
    """``git format-patch --stdout`` output as ``git send-email`` sends it by Ann and a list archive keeps it: each
    Date: the second it was sent, a commit of another author with its in-body From:, and (when format-patch did not
    thread it) send-email's own Message-IDs, every later mail In-Reply-To the first (sendemail.thread's default)."""
    mails = [m for m in data.split(b"\nFrom ") if m]
    out = []
    for k, mail in enumerate(mails):
        head, body = mail.split(b"\n\n", 1)
        lines = head.split(b"\n")[1:]  # the separator line (format-patch's) dropped
        author = next(ln for ln in lines if ln.startswith(b"From: "))
        lines = [b"From: " + ANN.encode() if ln.startswith(b"From: ") else
                 b"Date: Sat, 5 Dec 2026 12:10:%02d +0000" % k if ln.startswith(b"Date: ") else ln for ln in lines]
        if threaded_by_send_email:
            lines.append(b"Message-ID: <20261205121000.4242-%d-ann@example.org>" % (k + 1))
            if k:
                lines += [b"In-Reply-To: <20261205121000.4242-1-ann@example.org>",
                          b"References: <20261205121000.4242-1-ann@example.org>"]
        in_body = b"" if author == b"From: " + ANN.encode() else author + b"\n\n"
        out.append(SENT + b"\n" + b"\n".join(lines) + b"\n\n" + in_body + body.rstrip(b"\n") + b"\n")
    return b"\n".join(out)


@pytest.mark.parametrize("options", [["-N", "--thread"], ["-N", "--thread=deep"], ["-N"], ["-k", "--thread"]],
                         ids=" ".join)
@pytest.mark.parametrize("authors", [[ANN, BOB, ANN], [ANN, ANN, ANN]], ids=["two authors", "one author"])
def test_sent_lone_patches_of_one_sending_are_one_series_as_git_am_applies_them(tmp_path: Path, options: list[str],
                                                                                authors: list[str]) -> None:
    """Lone patches ``git send-email`` sent in one go, each In-Reply-To the first (or the one before): each a
    different commit, the later ones made on the earlier ones' results. They were read as new revisions of the first
    (v1 1/1, then v2 of the other two: v2 did not apply on the base; or v1, v2, v3), as b4 0.16 reads any later lone
    patch of one sender ("Assuming new revision", b4 am then taking the last alone): git am of the thread applies
    them all, one series."""
    repo = _branch(tmp_path, authors)
    data = git(repo, "format-patch", "--stdout", *options, f"HEAD~{len(authors)}").stdout
    mbox = tmp_path / "sent.mbox"
    mbox.write_bytes(_as_sent(data, "--thread" not in " ".join(options)))
    assert cli_agreement(tmp_path, [mbox]) == len(authors)


@pytest.mark.parametrize("rebased", [False, True], ids=["same base", "newer base"])
@pytest.mark.parametrize("retitled", [False, True], ids=["same title", "reworded title"])
def test_a_lone_patch_sent_again_is_still_its_next_revision(tmp_path: Path, retitled: bool, rebased: bool) -> None:
    """The other side of the reading above: a lone patch reworked (on the same base, or on a newer one where its
    file changed) and sent In-Reply-To the first, its title kept or reworded, is its next revision, as b4 0.16
    reads it."""
    repo = _branch(tmp_path, [ANN, ANN])
    first = git(repo, "format-patch", "--stdout", "-N", "-1", "HEAD").stdout
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    if rebased:  # upstream changed the file meanwhile
        (repo / F).write_text((repo / F).read_text().replace("x + 8;", "x + 88;"))
        git(repo, "commit", "-q", "-a", "-m", "upstream: change fn8")
    (repo / F).write_text((repo / F).read_text().replace("x + 1;", "x + 111;"))
    git(repo, "commit", "-q", "-a", "-m", f"demo: {'rework' if retitled else 'change'} fn1\n\nAgain.")
    again = git(repo, "format-patch", "--stdout", "-N", "-1", "HEAD").stdout
    mbox = tmp_path / "sent.mbox"
    mbox.write_bytes(_as_sent(first + again, threaded_by_send_email=True).replace(
        b"Date: Sat, 5 Dec 2026 12:10:01", b"Date: Mon, 7 Dec 2026 12:10:01"))
    from harness.ingest import IngestRequest, parse_series

    series = parse_series(IngestRequest((mbox,)))
    assert [(r.version, [p.mail.subject.title for p in r.patches]) for r in series.revisions] == [
        (1, ["demo: change fn1"]), (2, [f"demo: {'rework' if retitled else 'change'} fn1"])]


G = "drivers/demo/g.c"


@pytest.mark.parametrize("notes", [
    "v2: the check moved to g.c, as asked",
    "Changes in v2:\n- the check moved to g.c, as asked",
    "Changes since v1:\n - the check moved to g.c",
    "v1 -> v2:\n  * the check moved to g.c",
    "Range-diff against v1:\n1:  0123456 ! 1:  89abcde demo: check in g",
])
def test_a_lone_repost_on_other_files_whose_notes_name_its_revision_is_its_next_revision(tmp_path: Path,
                                                                                         notes: str) -> None:
    """A lone patch reworked onto other files only, its title reworded, sent In-Reply-To the first two days later:
    nothing of its content ties it to the first, but its notes below '---' say which revision it is (a changelog
    heading, format-patch's range-diff heading). b4 0.16 reads it as v2 ("Assuming new revision"); it was read as
    patch 2 of one sending."""
    repo = _branch(tmp_path, [ANN, ANN])
    first = git(repo, "format-patch", "--stdout", "-N", "-1", "HEAD").stdout
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    (repo / G).write_text("static int g(int x)\n{\n\treturn x;\n}\n")
    git(repo, "add", G)
    git(repo, "commit", "-q", "-m", f"demo: check in g\n\nAgain.\n\nSigned-off-by: {ANN}")
    again = git(repo, "format-patch", "--stdout", "-N", "-1", "HEAD").stdout.replace(b"\n---\n", f"\n---\n{notes}\n\n"
                                                                                     .encode(), 1)
    mbox = tmp_path / "sent.mbox"
    mbox.write_bytes(_as_sent(first + again, threaded_by_send_email=True).replace(
        b"Date: Sat, 5 Dec 2026 12:10:01", b"Date: Mon, 7 Dec 2026 12:10:01"))
    from harness.ingest import IngestRequest, parse_series
    from tests.harness.test_ingest import _b4_am

    series = parse_series(IngestRequest((mbox,)))
    assert [(r.version, [p.mail.subject.title for p in r.patches]) for r in series.revisions] == [
        (1, ["demo: change fn1"]), (2, ["demo: check in g"])]
    first_id = "20261205121000.4242-1-ann@example.org"
    assert _b4_am(tmp_path, mbox, first_id, "-v", "2")[0] == [series.revisions[1].patches[0].mail.msgid]


@pytest.mark.parametrize("notes", ["", "Tested on the demo board:\n- boots", "v2: the same changelog as 1/1's"])
def test_lone_patches_of_one_sending_with_notes_stay_one_series(tmp_path: Path, notes: str) -> None:
    """The guard: the second patch of one ``-N`` sending, on another file, with notes that name no later revision
    than the first's (none, words, the first's own heading), stays patch 2 of one series."""
    repo = _branch(tmp_path, [ANN])
    (repo / G).write_text("static int g(int x)\n{\n\treturn x;\n}\n")
    git(repo, "add", G)
    git(repo, "commit", "-q", "-m", f"demo: check in g\n\nAlso.\n\nSigned-off-by: {ANN}")
    data = git(repo, "format-patch", "--stdout", "-N", "HEAD~2").stdout
    if notes.startswith("v2"):
        data = data.replace(b"\n---\n", b"\n---\nv2: reworded\n\n", 1)
    data = data[::-1].replace(b"\n---\n"[::-1], f"\n---\n{notes}\n\n".encode()[::-1], 1)[::-1] if notes else data
    mbox = tmp_path / "sent.mbox"
    mbox.write_bytes(_as_sent(data, threaded_by_send_email=True))
    assert cli_agreement(tmp_path, [mbox]) == 3  # f.c after 1, f.c and g.c after 2: one series
