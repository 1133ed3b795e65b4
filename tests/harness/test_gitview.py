"""A diff's lines as git apply reads them (harness.gitview): skipped between patches, hunks by their counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.diffparse import parse_diff
from harness.errors import InputError, Where
from harness.gitview import git_view
from tests.harness.test_diffparse import HEADER

# -- text after a file's last hunk: git apply skips it up to the next file's patch (apply.c find_header) ----------

SECOND = "diff --git a/d/g.h b/d/g.h\nindex 3333333..4444444 100644\n--- a/d/g.h\n+++ b/d/g.h\n@@ -1 +1 @@\n-x\n+y\n"
FIRST = HEADER + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n"


@pytest.mark.parametrize("after", [
    "-- \n2.39.5\n\n<html><pre>diff --git a/d/f.h b/d/f.h\nnew file mode 100644\n</pre></html>\n",  # an HTML copy
    "deleted file mode 100644\nGIT binary patch\nBinary files a/x and b/x differ\n",
    "diff --git a/d/h.h b/d/h.h\nsome words, no header line\n",  # a diff --git line git skips
    "--- end of patch ---\n+++ not a file\nthanks\n",
    "Index: d/g.h\n" + "=" * 67 + "\n" + SECOND[SECOND.index("---"):],
    "-- \n2.39.5\n" + SECOND,
    "\n@@ -1 +1 @@\n-x\n+y\n",  # a hunk that belongs to no file: git refuses the patch
], ids=["html-copy", "header-words", "bare-diff-git", "dashes", "index-line", "second-file", "orphan-hunk"])
def test_what_follows_a_files_last_hunk_is_read_as_git_apply_reads_it(tmp_path: Path, after: str) -> None:
    from tests.gitoracle import numstat

    text = FIRST + after
    theirs = numstat(tmp_path, text.encode())
    try:
        files = parse_diff(text, Where("t.patch", 1))
    except InputError as exc:
        assert theirs is None, exc
        assert str(exc).startswith("t.patch:") and "patch fragment without header" in str(exc)
        return
    assert theirs is not None and [f.path for f in files] == [path for _, _, path in theirs]


_LONE = "diff --git a/d/f.h b/d/f.h\n"  # a diff --git line with no header line below it: git skips it, names kept
_G = "diff --git a/d/g.h b/d/g.h\n"


@pytest.mark.parametrize("text", [
    _LONE + _G + "old mode 100644\nnew mode 100755\n",  # git changes f.h's mode
    _LONE + SECOND,  # its ---/+++ lines must name f.h: "inconsistent old filename"
    _LONE + _G + "deleted file mode 100644\n--- a/d/g.h\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n",
    _LONE + _G + "new file mode 100644\n--- /dev/null\n+++ b/d/g.h\n@@ -0,0 +1 @@\n+x\n",
    _LONE + _G + "similarity index 100%\nrename from d/g.h\nrename to d/k.h\n",  # rename lines set both names
    _LONE + _G + "new file mode 100644\n",
    _LONE + SECOND.replace("g.h", "f.h"),
    FIRST + "diff --git a/d/q.h b/d/q.h\n" + SECOND,  # between two patches, as before the first
    FIRST + "diff --git a/d/q.h b/d/q.h\nsome words\n" + SECOND,
    FIRST + "diff --git a/d/q.h b/d/z.h\n" + SECOND,  # its names git cannot read: "lacks filename information"
    FIRST + _G + "diff --git a/d/q.h b/d/q.h\nold mode 100644\nnew mode 100755\n",
], ids=["mode", "hunk", "deleted", "created", "renamed", "created-bare", "same-file", "between", "between-garbage",
        "between-unnamed", "between-mode"])
def test_a_lone_diff_git_line_leaves_its_names_to_the_next_header_as_git_apply_does(tmp_path: Path,
                                                                                     text: str) -> None:
    # apply.c find_header skips a header of the diff --git line alone but keeps the names it set in the struct patch
    # the next header fills: mode lines there changed g.h here and f.h in git, and ---/+++ lines naming another file
    # applied here where git refuses the patch; between patches such a line was skipped unread
    from tests.gitoracle import numstat, summary

    theirs = numstat(tmp_path, text.encode())
    try:
        files = parse_diff(text, Where("t.patch", 1))
    except InputError as exc:
        assert theirs is None, exc
        assert "bad diff:" in str(exc) and ("lacks filename" in str(exc) or "the lone 'diff --git' line" in str(exc))
        return
    assert theirs is not None and [f.path for f in files] == [path for _, _, path in theirs]
    modes = [s.split()[-1] for s in summary(tmp_path, text.encode()) if s.startswith("mode change")]
    assert [f.path for f in files if f.is_mode_change] == modes


@pytest.mark.parametrize("body", [" one\n two\nthree\n", " one\n two\n-three\n\n", " one\n two\n+three\n-four\n"])
def test_a_hunk_longer_than_its_counts_stops_where_git_apply_stops(tmp_path: Path, body: str) -> None:
    # git apply reads on over hunk lines past the counts and says "corrupt patch at line N" at the first other line
    # (or past the end); unidiff's "Hunk is longer than expected" named the hunk's header instead.
    import re
    import shutil
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the oracle")
    from tests.gitoracle import git

    text = "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,1 @@\n" + body
    (tmp_path / "p.diff").write_text(text)
    oracle = git(tmp_path, "apply", "--numstat", "p.diff", check=False).stderr.decode()
    with pytest.raises(InputError) as exc:
        parse_diff(text, Where("t.patch", 1))
    at = int(re.findall(r"corrupt patch at line (\d+)", oracle)[-1])
    if at > len(text.splitlines()):  # git's line past the end: the diff's last line is named, one the file has
        assert exc.value.where.line == at - 1 and "up to the diff's end here" in exc.value.message, exc.value
    else:
        assert exc.value.where.line == at and f"corrupt patch at line {at}: " in exc.value.message, (exc.value, oracle)


def test_the_view_skips_what_follows_the_last_hunk_line_for_line(tmp_path: Path) -> None:
    # The lines git apply skips (a signature, an HTML copy) are held as "#" lines, one each, so that every line the
    # view keeps is at its diff line: git's numstat of the diff is that of the
    # view's other lines (by the name git read).
    from tests.gitoracle import numstat

    after = "-- \n2.39.5\n\n<html><pre>diff --git a/d/f.h b/d/f.h\nnew file mode 100644\n</pre></html>\n"
    text = FIRST + after
    lines = text.splitlines(keepends=True)
    view = git_view(lines, list(range(1, len(lines) + 1)), Where("t.patch", 1))
    first = FIRST.splitlines(keepends=True)
    assert len(view) == len(lines) and view[4:len(first)] == first[4:]  # the hunk as written
    assert view[:4] == ["diff --git a/_ b/_\n", first[1], "--- a/_\n", "+++ b/_\n"]  # names git's (GitNames)
    assert view[len(FIRST.splitlines()):] == ["#\n"] * len(after.splitlines())
    ours = numstat(tmp_path, "".join(view).replace("#\n", "").encode())
    assert ours is not None and numstat(tmp_path, text.encode()) == [(*ours[0][:2], "d/f.h")]


def test_a_hunk_without_a_file_is_refused_at_its_line() -> None:
    text = FIRST + "\n@@ -1 +1 @@\n-x\n+y\n"
    lines = text.splitlines(keepends=True)
    with pytest.raises(InputError, match="patch fragment without header") as exc:
        git_view(lines, list(range(10, 10 + len(lines))), Where("t.patch", 10))
    assert exc.value.where.line == 10 + len(FIRST.splitlines()) + 1
