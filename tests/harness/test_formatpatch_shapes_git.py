"""A maintainer's own git format-patch output in the shapes its options give, against git am.

A maintainer's own ``git format-patch`` output in the shapes its options give (version and RFC tags, subject
prefixes, threading, notes, interdiff and range-diff, attachments, CRLF mail, a .txt suffix): what
``seamharness series`` reads of it against what ``git am`` commits of the same files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
runner = CliRunner()
A = "drivers/demo/a.c"
TEXT = "".join(f"static int a_fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(12))
TITLES = ["demo: first change", "demo: second change", "demo: third change"]


def _author(tmp: Path) -> tuple[Path, str]:
    """A repository with three commits on a base (a branch v1 at them), then the third amended (HEAD, v2)."""
    repo = init_repo(tmp / "author", {A: TEXT})
    base = git(repo, "rev-parse", "HEAD").stdout.decode().strip()
    git(repo, "branch", "upstream", base)
    git(repo, "branch", "-q", "--set-upstream-to=upstream")  # what --base=auto takes the base from
    for k, title in enumerate(TITLES, start=3):
        (repo / A).write_text((repo / A).read_text().replace(f"x + {k};", f"x + {k}{k};"))
        git(repo, "commit", "-q", "-am", f"{title}\n\nWhy {k}.\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(repo, "branch", "v1")
    (repo / A).write_text((repo / A).read_text().replace("x + 9;", "x + 99;"))
    git(repo, "commit", "-q", "-a", "--amend", "--no-edit")
    git(repo, "notes", "add", "-m", "a note to the reviewer", "HEAD")
    return repo, base


def _crlf(folder: Path) -> None:
    for f in folder.iterdir():
        f.write_bytes(f.read_bytes().replace(b"\n", b"\r\n"))


def _body_crlf(folder: Path) -> None:
    for f in folder.iterdir():
        head, sep, body = f.read_bytes().partition(b"\n\n")
        f.write_bytes(head + sep + body.replace(b"\n", b"\r\n"))


SHAPES: dict[str, tuple[list[str], Callable[[Path], None] | None, tuple[int, bool]]] = {
    "v5 rfc": (["-v5", "--rfc", "--cover-letter"], None, (5, True)),
    "net-next": (["--subject-prefix=PATCH net-next", "--cover-letter"], None, (1, False)),
    "deep thread": (["--thread=deep", "--cover-letter", "--in-reply-to=<v1@example.org>"], None, (1, False)),
    "shallow thread": (["--thread=shallow", "--cover-letter"], None, (1, False)),
    "no numbers": (["--no-numbered"], None, (1, False)),
    "no numbers, no signature": (["--no-numbered", "--no-signature"], None, (1, False)),
    "rfc v4 prefix": (["--subject-prefix=PATCH RFC v4", "--cover-letter"], None, (4, True)),
    "rfc alone": (["--rfc"], None, (1, True)),
    "v4 base auto": (["-v4", "--base=auto", "--no-signature"], None, (4, False)),
    "v4 base auto, cover": (["-v4", "--base=auto", "--cover-letter", "--range-diff=v1~3..v1"], None, (4, False)),
    "zero commit": (["--zero-commit", "--signature-file=SIG"], None, (1, False)),
    "interdiff": (["-v2", "--interdiff=v1", "--cover-letter"], None, (2, False)),
    "range-diff": (["-v2", "--range-diff=v1~3..v1", "--cover-letter", "--cover-from-description=subject"], None,
                   (2, False)),
    "notes": (["--notes"], None, (1, False)),
    "attached": (["--attach", "--cover-letter"], None, (1, False)),
    "inline": (["--inline", "--stat"], None, (1, False)),
    "crlf": (["--cover-letter"], _crlf, (1, False)),
    "crlf body": (["--cover-letter", "--src-prefix=c/", "--dst-prefix=w/"], _body_crlf, (1, False)),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_series_reads_what_git_am_commits(tmp_path: Path, shape: str) -> None:
    """Each shape read as one revision of three patches, numbered and titled as git am commits them (the cover
    letter, an interdiff or range-diff in it, notes and a signature after '---' are no patch)."""
    args, post, (version, rfc) = SHAPES[shape]
    repo, base = _author(tmp_path)
    sig = tmp_path / "sig.txt"
    sig.write_text("my signature\n")
    out = tmp_path / "patches"
    git(repo, "format-patch", "-q", "-o", str(out), *[a.replace("SIG", str(sig)) for a in args], f"{base}..HEAD")
    if post is not None:
        post(out)
    am = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(repo), str(am))
    git(am, "checkout", "-q", base)
    mails = [str(p) for p in sorted(out.iterdir()) if "0000-cover-letter" not in p.name]
    assert not git(am, "am", "-q", *mails, check=False).returncode
    committed = git(am, "log", "--reverse", "--format=%s", f"{base}..HEAD").stdout.decode().splitlines()
    r = runner.invoke(app, ["series", str(out), "--json"])
    assert r.exit_code == 0, r.stderr
    (rev,) = json.loads(r.stdout)["revisions"]
    assert (rev["version"], rev["rfc"], rev["total"]) == (version, rfc, 3)
    assert [p["title"] for p in rev["patches"]] == committed == TITLES
    assert [p["number"] for p in rev["patches"]] == [1, 2, 3]
    if "--base=auto" in args:  # the cover letter's base-commit: line, else the first patch's
        assert (rev["cover"] or rev["patches"][0])["base_commit"] == base


def test_a_folder_of_txt_patches_is_named_as_such(tmp_path: Path) -> None:
    """git format-patch --suffix=.txt writes 0001-demo-first-change.txt ...: a folder is read for mail files only,
    and it said 'no mail found in DIR', though git am takes those files. Now the files that start as format-patch
    writes a patch are named, with what to do (exit 2, one line); given as files they are read as git am reads
    them."""
    repo, base = _author(tmp_path)
    out = tmp_path / "patches"
    git(repo, "format-patch", "-q", "--suffix=.txt", "--cover-letter", "-o", str(out), f"{base}..HEAD")
    (out / "notes.txt").write_text("From: me\nSubject: notes\n\nnot a patch\n")
    r = runner.invoke(app, ["series", str(out)])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"no mail found in {out}: 4 of its files start as git format-patch writes a patch" in r.stderr
    assert "(0000-cover-letter.txt, 0001-demo-first-change.txt, 0002-demo-second-change.txt and 1 more): give " \
        "them as files" in r.stderr
    r = runner.invoke(app, ["series", *map(str, sorted(out.glob("0*.txt"))), "--json"])
    assert r.exit_code == 0, r.stderr
    assert [p["title"] for p in json.loads(r.stdout)["revisions"][0]["patches"]] == TITLES


def test_applying_a_cover_letter_alone_is_refused(tmp_path: Path) -> None:
    """The cover letter of a v2 given without its patches: git am of it stops ('Patch is empty'); apply wrote an
    empty folder and exited 0, saying nothing. Now one line naming the cover letter, exit 2, nothing written."""
    repo, base = _author(tmp_path)
    out = tmp_path / "patches"
    git(repo, "format-patch", "-q", "-v2", "--cover-letter", "-o", str(out), f"{base}..HEAD")
    cover = out / "v2-0000-cover-letter.patch"
    am = tmp_path / "am"
    git(tmp_path, "clone", "-q", str(repo), str(am))
    git(am, "checkout", "-q", base)
    res = git(am, "am", str(cover), check=False)
    assert res.returncode and b"Patch is empty" in res.stdout + res.stderr
    r = runner.invoke(app, ["apply", str(cover), "--variant", "v2", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and r.stderr.count("\n") == 1, r.stderr
    assert f"v2: the input holds none of its 3 patches (not given: 1-3), only its cover letter ({cover}:2): " \
        "nothing to apply" in r.stderr, r.stderr
    assert not (tmp_path / "o").exists()


def test_a_folder_of_txt_patches_beside_other_input_is_named_too(tmp_path: Path) -> None:
    """The same folder given beside a patch that is read: it is skipped ('no mail found in this folder'), now
    naming its format-patch files and what to do, exit 2."""
    repo, base = _author(tmp_path)
    txt, other = tmp_path / "txt", tmp_path / "other"
    git(repo, "format-patch", "-q", "--suffix=.txt", "-o", str(txt), f"{base}..HEAD")
    git(repo, "format-patch", "-q", "-o", str(other), f"{base}..HEAD~2")
    r = runner.invoke(app, ["series", str(txt), str(other / "0001-demo-first-change.patch")])
    assert r.exit_code == 2, r.stderr
    assert f"{txt}: no mail found in this folder: 3 of its files start as git format-patch writes a patch" in r.stderr


def test_an_unedited_cover_letter_is_said(tmp_path: Path) -> None:
    """git format-patch --cover-letter's '*** SUBJECT HERE ***' left as it is: the series is named by its first
    patch, which was done without a word; now one note at the letter says so. An edited subject is no note."""
    repo, base = _author(tmp_path)
    out = tmp_path / "patches"
    git(repo, "format-patch", "-q", "-v2", "--cover-letter", "-o", str(out), f"{base}..HEAD")
    r = runner.invoke(app, ["series", str(out)])
    assert r.exit_code == 0, r.stderr
    # Said at the Subject: line format-patch wrote (it named the first header line, From:).
    letter = out / "v2-0000-cover-letter.patch"
    at = next(n for n, ln in enumerate(letter.read_text().splitlines(), 1) if ln.startswith("Subject: "))
    assert r.stderr.splitlines() == [f"seamharness: note: {letter}:{at}: the cover letter of v2 "
                                     "has git format-patch's unedited subject '*** SUBJECT HERE ***': the series is "
                                     f"named '{TITLES[0]}' here (a cover letter's title, else the first patch's)"]
    cover = out / "v2-0000-cover-letter.patch"
    cover.write_text(cover.read_text().replace("*** SUBJECT HERE ***", "demo: three changes"))
    r = runner.invoke(app, ["series", str(out)])
    assert r.exit_code == 0 and not r.stderr and r.stdout.startswith("demo: three changes\n"), r.stderr
