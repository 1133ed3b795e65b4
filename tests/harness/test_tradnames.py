"""Which file a diff patches, against git am, for diffs without or with edited git headers.

Which file a diff patches, against git am: diffs without a ``diff --git`` line (GNU diff -u and -N, quilt, svn),
and git diffs whose ``---``/``+++`` lines name other files than their ``diff --git`` line (edited by hand)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.apply import ApplyRequest, apply_variants
from harness.diffpaths import safe_path
from harness.ingest import IngestRequest, parse_series
from harness.tradnames import Depth, has_epoch, timestamp_len, traditional_header
from tests.gitoracle import am, git, init_repo
from tests.mailgen import message, patch_body, write_eml

A = "drivers/demo/a.c"
TEXT = "".join(f"line {i}\n" for i in range(1, 11))
TOP = {A: TEXT, "top.c": TEXT}
HUNK = "@@ -3,5 +3,5 @@\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n"
ADD = "@@ -0,0 +1,2 @@\n+new 1\n+new 2\n"
DROP = "@@ -1,10 +0,0 @@\n" + "".join(f"-{ln}\n" for ln in TEXT.splitlines())
GNU = "\t2026-01-05 10:00:00.123456789 +0100"
EPOCH = "\t1970-01-01 00:00:00.000000000 +0000"

CASES = {
    # git am takes each of these.
    "gnu-times": f"--- a/{A}{GNU}\n+++ b/{A}{GNU}\n{HUNK}",
    "posix-times-after-spaces": f"--- a/{A}  2026-01-05 10:00:00\n+++ b/{A} 2026-01-05 10:00:01 -0500\n{HUNK}",
    "gnu-new-file-by-epoch": f"--- a/drivers/demo/new.c{EPOCH}\n+++ b/drivers/demo/new.c{GNU}\n{ADD}",
    "gnu-new-file-by-epoch-west": f"--- a/n.c\t1969-12-31 19:00:00 -05:00\n+++ b/n.c{GNU}\n{ADD}",
    "gnu-deleted-by-epoch": f"--- a/{A}{GNU}\n+++ b/{A}{EPOCH}\n{DROP}",
    "not-the-epoch-in-its-zone": f"--- a/{A}\t1970-01-01 01:00:00 +0000\n+++ b/{A}{GNU}\n{HUNK}",
    "names-without-a-slash-are-p0": f"--- top.c.orig\n+++ top.c\n{HUNK}",
    "orig-name-second": f"--- top.c\n+++ top.c~\n{HUNK}",
    "quilt": f"Index: linux/{A}\n{'=' * 67}\n--- linux.orig/{A}\n+++ linux/{A}\n{HUNK}",
    "svn": f"Index: top.c\n{'=' * 67}\n--- top.c\t(revision 12)\n+++ top.c\t(working copy)\n{HUNK}",
    "all-lines-removed-keeps-the-file": f"--- a/top.c\n+++ b/top.c\n{DROP}",
    "one-hunk-from-line-0-creates-a-missing-file": f"--- a/drivers/demo/new.c\n+++ b/drivers/demo/new.c\n{ADD}",
    "svn-added-file": f"Index: n.c\n{'=' * 67}\n--- n.c\t(nonexistent)\n+++ n.c\t(working copy)\n{ADD}",
    "one-hunk-from-line-0-of-a-file-there": f"--- a/top.c\n+++ b/top.c\n{ADD}",
    # git am refuses these: the name is the +++ one, or -p0 holds for the whole mail once guessed.
    "first-shorter-not-its-start": f"--- a/top.c\n+++ b/top2.c\n{HUNK}",
    "p0-holds-for-the-next-file": f"--- top.c.orig\n+++ top.c\n{HUNK}--- a/{A}\n+++ b/{A}\n{HUNK}",
    "two-hunks-from-line-0-never-create": f"--- a/n.c\n+++ b/n.c\n{ADD}{ADD.replace('-0,0 +1,2', '-0,0 +3,2')}",
    "a-git-diff-from-line-0-never-creates": f"diff --git a/n.c b/n.c\n--- a/n.c\n+++ b/n.c\n{ADD}",
}


INDEX = "index fa2da6e..8476ff2 100644\n"
GIT_CASES = {
    "plus-names-another-file": f"diff --git a/top.c b/top.c\n{INDEX}--- a/top.c\n+++ b/top2.c\n{HUNK}",
    "minus-names-another-file": f"diff --git a/top.c b/top.c\n--- a/{A}\n+++ b/top.c\n{HUNK.replace('five', 'FIVE')}",
    "plus-line-before-minus-line": f"diff --git a/top.c b/top.c\n+++ b/top2.c\n--- a/top.c\n{HUNK}",
    "both-name-another-file": f"diff --git a/top.c b/top.c\n{INDEX}--- a/{A}\n+++ b/{A}\n{HUNK}",
    "spaces-and-a-tab-after-the-names": (f"diff --git a/d x/a b.c b/d x/a b.c\nnew file mode 100644\n--- /dev/null\n"
                                         f"+++ b/d x/a b.c\t\n{ADD}"),
    "rename-lines-and-names-agree": (f"diff --git a/top.c b/n.c\nsimilarity index 90%\nrename from top.c\n"
                                     f"rename to n.c\n{INDEX}--- a/top.c\n+++ b/n.c\n{HUNK}"),
}


def _mail(tmp: Path, body: str) -> Path:
    return write_eml(tmp / "0001.eml", message("[PATCH] demo: change", "t@example.org", patch_body("Change.", body)))


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize("case", list(CASES) + list(GIT_CASES))
def test_diffs_patch_the_files_git_am_patches(tmp_path: Path, case: str) -> None:
    mail = _mail(tmp_path, CASES.get(case) or GIT_CASES[case])
    tree = init_repo(tmp_path / "tree", dict(TOP))
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    state = apply_variants(ApplyRequest(parse_series(IngestRequest((mail,))), tree=tree, base=head)).get("v1")
    commits, error = am(tree, [mail])
    if error:
        assert state.base_problems, (case, error)
        return
    assert not state.base_problems, [str(f) for f in state.base_problems]
    want = commits[-1].blobs
    for f in state.files:
        assert (None if f.absent else f.blob) == want.get(f.path), (case, f.path, want)
    assert set(want) - {f.path for f in state.files} <= set(TOP), want


@pytest.mark.parametrize(("text", "stamp"), [
    ("a/x.c\t2026-01-05 10:00:00.123456789 +0100", 36), ("a/x.c 2026-01-05 10:00:00", 20),
    ("a/x.c   26-01-05 10:00:00 +05:30", 27), ("a/x.c\t2026-01-05", 11), ("a/x.c2026-01-05 10:00:00", 0),
    ("a/x.c\t(working copy)", 0), ("a/x.c\t2026-01-05 10:00:00\r", 0), ("2026-01-05", 0),
])
def test_a_diff_tools_time_after_the_name(text: str, stamp: int) -> None:
    assert timestamp_len(text) == stamp


@pytest.mark.parametrize(("text", "epoch"), [
    ("a\t1970-01-01 00:00:00.000000000 +0000", True), ("a\t1969-12-31 16:00:00 -0800", True),
    ("a\t1970-01-01 05:30:00 +05:30", True), ("a\t1970-01-01 00:00:00.1 +0000", False),
    ("a\t1970-01-01 00:00:01 +0000", False), ("a 1970-01-01 00:00:00 +0000", False),
    ("a\t1970-01-01 00:00:00 +0000\r", False), ("a\t1970-01-01 01:00:00 +0000", False),
])
def test_the_epoch_in_its_zone_marks_no_file(text: str, epoch: bool) -> None:
    assert has_epoch(text) is epoch


def test_names_of_one_diff_share_the_guessed_depth() -> None:
    depth = Depth()
    assert traditional_header("x.c.orig", "x.c", depth) == ("x.c", "x.c")
    assert traditional_header("a/d/y.c", "b/d/y.c", depth) == ("b/d/y.c", "b/d/y.c")  # as git am: b/drivers/...
    assert traditional_header("a/d/y.c", "b/d/y.c", Depth()) == ("d/y.c", "d/y.c")
    assert traditional_header('"a/t\\303\\251.c"', '"b/t\\303\\251.c"\t2026-01-05 10:00:00', Depth()) == (
        "t\u00e9.c", "t\u00e9.c")
    assert traditional_header("/dev/null", "b/n.c", Depth()) == (None, "n.c")
    assert traditional_header("a/n.c", "/dev/null\t2026-01-05", Depth()) == ("n.c", None)


_PIECES = ["a", "b", "/", "x.c", ".orig", "~", " ", "\t", "//", "dev/null", "/dev/null", "2026-01-05", " 10:00:00",
           ".123", " +0100", " -05:00", "1970-01-01 00:00:00 +0000", "1969-12-31 19:00:00 -0500", "(working copy)",
           "linux.orig/", "1"]


def _git_names(tmp: Path, first: str, second: str) -> tuple[str | None, str | None] | None:
    """(old, new) names ``git apply --numstat --summary`` reads of a one-hunk traditional patch; None if refused."""
    (tmp / "t.diff").write_text(f"--- {first}\n+++ {second}\n@@ -1 +1 @@\n-a\n+b\n")
    res = git(tmp, "apply", "--numstat", "-z", "t.diff", check=False)
    said = git(tmp, "apply", "--summary", "t.diff", check=False).stdout.decode()
    if res.returncode:
        err = res.stderr.decode()
        return (None, "") if "depends on old contents" in err else ("", None) if "still has contents" in err else None
    fields = res.stdout.decode().split("\0")
    name = fields[0].split("\t", 2)[2]  # "added\tdeleted\tname": a name may hold a tab itself ("a\t")
    names = (fields[1], fields[2]) if len(fields) > 3 and not name else (name, name)  # a rename: "\0old\0new"
    return (None if "create mode" in said else names[0]), (None if "delete mode" in said else names[1])


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6), st.lists(st.sampled_from(_PIECES), min_size=1,
                                                                             max_size=6))
def test_names_are_git_applys_for_any_header(tmp_path: Path, first: list[str], second: list[str]) -> None:
    old, new = "".join(first), "".join(second)
    theirs = _git_names(tmp_path, old, new)
    ours = traditional_header(old, new, Depth())
    if theirs is None:  # git finds no name: ours is none, or one every command refuses as unsafe (safe_path)
        assert ours == (None, None) or any(n is not None and not safe_path(n) for n in ours), ours
    elif "" in theirs:  # git's "new file depends on old contents", "deleted file still has contents"
        assert [n is None for n in ours] == [n is None for n in theirs], (ours, theirs)
    else:
        assert ours == theirs


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize(("header", "side"), [("+++ b/top.c\n", "---"), ("--- a/top.c\n", "+++"),
                                              ("new file mode 100644\n--- a/top.c\n+++ b/top.c\n", "/dev/null")])
def test_a_git_header_naming_one_side_is_refused_as_git_am_refuses_it(tmp_path: Path, header: str, side: str) -> None:
    mail = _mail(tmp_path, f"diff --git a/top.c b/top.c\n{header}{HUNK}")
    commits, error = am(init_repo(tmp_path / "tree", dict(TOP)), [mail])
    assert not commits and "error: " in error, error  # "lacks filename information", "expected /dev/null"
    (skip,) = parse_series(IngestRequest((mail,))).skipped
    lines = mail.read_text().splitlines()
    at = lines.index("diff --git a/top.c b/top.c") + 1 + (side == "/dev/null") * 2  # the header, or its --- line
    assert skip.where.line == at and (f"no {side} line names the other side" in skip.reason
                                      or "expected /dev/null on the --- line of a new file" in skip.reason), skip


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
def test_a_hunk_from_line_0_recreates_a_file_an_earlier_patch_deleted(tmp_path: Path) -> None:
    deleted = f"diff --git a/top.c b/top.c\ndeleted file mode 100644\n--- a/top.c\n+++ /dev/null\n{DROP}"
    mails = [write_eml(tmp_path / f"{k:04d}.eml", message(f"[PATCH {k}/2] demo: step {k}", f"s{k}@example.org",
                                                          patch_body(f"Step {k}.", body)))
             for k, body in enumerate([deleted, f"--- a/top.c\n+++ b/top.c\n{ADD}"], start=1)]
    tree = init_repo(tmp_path / "tree", dict(TOP))
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    state = apply_variants(ApplyRequest(parse_series(IngestRequest(tuple(mails))), tree=tree, base=head)).get("v1")
    commits, error = am(tree, mails)
    assert not error and not state.base_problems, (error, [str(f) for f in state.base_problems])
    top = state.file("top.c")
    assert top is not None and top.usable and top.blob == commits[-1].blobs["top.c"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize("first", ['"a/x\\q.c"', '"a/x\\q.c"\t2026-01-05', '"a/x.c" y', '"a/x\\', '"a/\\303\\251\\q"'])
def test_a_quoted_name_git_cannot_unquote_is_read_as_written(tmp_path: Path, first: str) -> None:
    """quote.c refuses an escape it does not know: apply.c find_name then reads the line as a traditional name,
    quotes and backslashes kept (not the escape's letter alone)."""
    theirs = _git_names(tmp_path, first, first.replace('"a/', '"b/', 1))
    assert theirs is not None
    assert traditional_header(first, first.replace('"a/', '"b/', 1), Depth()) == theirs
