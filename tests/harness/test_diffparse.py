"""The diff reader: any diff difflib writes parses and applies back to its target; junk is refused cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.diffparse import parse_diff
from harness.errors import InputError, Where
from harness.filestate import full_file
from harness.patching import apply_file
from tests.mailgen import diff

_LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(lambda s: s + "\n")
_FILE = st.lists(_LINE, max_size=25).map("".join)


@settings(max_examples=150, deadline=None)
@given(_FILE, _FILE, st.integers(1, 4))
def test_difflib_diffs_round_trip(old: str, new: str, context: int) -> None:
    # At least one line of context: git apply refuses or misplaces -U0 hunks without --unidiff-zero.
    if old == new:
        return
    text = diff("d/f.h", old, new, context=context)
    (pf,) = parse_diff(text, Where("t.patch", 1))
    state, findings = apply_file(full_file("d/f.h", old, "base"), pf, "test")
    assert not [f for f in findings if "offset" not in f.reason]
    assert state is not None and state.text == new


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_junk_is_refused_cleanly(junk: str) -> None:
    try:
        parse_diff(junk, Where("t.patch", 1))
    except InputError as exc:
        assert str(exc).startswith("t.patch:")


# -- what git apply refuses, we refuse: the same inputs through `git apply --numstat` ---------------------------

HEADER = "diff --git a/d/f.h b/d/f.h\nindex 1111111..2222222 100644\n--- a/d/f.h\n+++ b/d/f.h\n"
NEW_BIN = "diff --git a/d/x.bin b/d/x.bin\nnew file mode 100644\nindex 0000000..1111111\nGIT binary patch\n"
GOOD_BIN = "literal 2\nJcmZQz0000200961\n\nliteral 0\nHcmV?d00001\n\n"


@pytest.mark.parametrize(("text", "accepted"), [
    (HEADER + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n", True),
    (HEADER + "@@ -1,2 +1,2 @@\n a\n-b\n+c", False),  # the last hunk line has no line end
    (HEADER + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ Kein Zeilenumbruch am Dateiende.\n", True),
    (HEADER + "@@ -1,2 +1,2 @@\n a\n b\n", False),  # no change at all
    (HEADER + "@@ -1,3 +1,3 @@\n a\n-b\n+c\n-- \n2.39.5\n", False),  # counts that lie
    (HEADER.replace("+++ b/d/f.h\n", "+++ b/d/f.h\n@@ -1 +1 @@\n-a\n+b\n") + "\\ No newline at end of file\n", True),
    ("diff --git a/d/f.h b/d/f.h\nindex 1111111..2222222 100644\n", False),  # nothing but garbage
    ("diff --git a/d/f.h b/d/f.h\nold mode 100644\nnew mode 100755\n", True),
    ("diff --git a/d/f.h b/d/f.h\r\nnew file mode 100644\r\nindex 0000000..e69de29\r\n", False),  # CR: no name
    ("diff --git a/d/f.h b/d/f.h\nnew file mode 100644\nindex 0000000..e69de29\n", True),
    (NEW_BIN + GOOD_BIN, True),
    (NEW_BIN + GOOD_BIN.replace("JcmZQz", "JcmZQy"), False),  # damaged deflate data
    (NEW_BIN + GOOD_BIN.replace("\n", "\r\n"), False),  # quoted CRs in the base85 lines
    (NEW_BIN + "literal 2\n", False),  # cut short
    ('diff --git "a/d/caf\\303\\251.h" "b/d/caf\\303\\251.h"\nnew file mode 100644\nindex 0000000..e69de29\n', True),
    # a creation with old lines, a deletion with lines kept: refused as read ("depends on old contents", "still has
    # contents"); they were read, and only a deletion whose result was not empty found at apply time
    ("diff --git a/d/f.h b/d/f.h\nnew file mode 100644\n--- /dev/null\n+++ b/d/f.h\n@@ -1 +1,2 @@\n a\n+b\n", False),
    ("--- /dev/null\n+++ b/d/f.h\n@@ -1 +1,2 @@\n a\n+b\n", False),
    (HEADER.replace("index", "deleted file mode 100644\nindex").replace("+++ b/d/f.h", "+++ /dev/null")
     + "@@ -1,2 +1 @@\n-a\n b\n", False),
    ("--- a/d/f.h\n+++ /dev/null\n@@ -1 +1 @@\n-a\n+b\n", False),
    (HEADER.replace("index", "deleted file mode 100644\nindex").replace("+++ b/d/f.h", "+++ /dev/null")
     + "@@ -1 +0,0 @@\n-a\n@@ -2 +0,0 @@\n-b\n", True),
], ids=["ok", "no-line-end", "localized-marker", "no-change", "lying-counts", "marker-after-hunk", "garbage",
        "mode-only", "crlf-header", "empty-new-file", "binary", "binary-damaged", "binary-crlf", "binary-cut",
        "quoted-path", "new-with-context", "new-trad-with-context", "deleted-with-context", "deleted-trad-with-added",
        "deleted-two-hunks"])
def test_refused_as_git_apply_refuses(tmp_path: Path, text: str, accepted: bool,
                                      request: pytest.FixtureRequest) -> None:
    from tests.gitoracle import numstat

    assert (numstat(tmp_path, text.encode()) is not None) == accepted, "the case itself is wrong"
    try:
        files = parse_diff(text, Where("t.patch", 1))
    except InputError as exc:
        assert not accepted, exc
        assert str(exc).startswith("t.patch:") and "bad diff:" in str(exc)
        assert "contents" in str(exc) or "-with-" not in request.node.name, exc  # refused for what git says
        return
    assert accepted and files
    if "caf" in text:
        assert files[0].path == "d/caf\u00e9.h"


def test_a_diff_of_more_lines_than_read_is_refused_before_any_is_held(monkeypatch: pytest.MonkeyPatch) -> None:
    # 200,000 hunks of one changed line a 32 MiB message holds (several times over while read: 1.5 GB for a
    # million lines, 5.3 GB for 700,000 hunks) are refused at the first line past the bound, before the diff's
    # lines are split, viewed, parsed or made hunk lines. git apply would read them; the bound is ours.
    import tracemalloc

    import harness.diffparse as diffparse

    hunks = "".join(f"@@ -{3 * k + 1},3 +{3 * k + 1},3 @@\n x\n-a\n+b\n y\n" for k in range(200_001))
    text = "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n" + hunks
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as got:
            parse_diff(text, Where("m.mbox", 10))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20
    assert str(got.value) == ("m.mbox:1000010: diff of 1,000,008 lines: more than 1,000,000 lines in one message are "
                              "not read (each costs about a kilobyte here)")
    # Through a map of the mail's lines (a quoted-printable body), the line named is the mail's.
    monkeypatch.setattr(diffparse, "MAX_DIFF_LINES", 3)
    with pytest.raises(InputError) as got:
        parse_diff(text[:200], Where("m.mbox", 10), [20, 22, 24, 26, 28, 30, 32])
    assert str(got.value).startswith("m.mbox:26: diff of ")


_OLD = "".join(f"line {n}\n" for n in range(1, 9))
_NEW = _OLD.replace("line 4\n", "line four\n")


@pytest.mark.parametrize(("shape", "refused"), [
    # A mailer wrapped the diff --git line: git reads the header up to the line it does not know, so the --- and +++
    # lines below name nothing ("git diff header lacks filename information").
    (lambda d: d.replace(" b/drivers/demo/x.h\n", "\nb/drivers/demo/x.h\n", 1), "lacks filename information"),
    # A line git does not know after the index line ends the header, and no hunk follows it: "patch with only garbage".
    (lambda d: d.replace("100644\n", "100644\nsome words\n", 1), "patch with only garbage"),
    # Such a line right below the diff --git line: git skips that line as it skips garbage and applies the rest.
    (lambda d: d.replace("x.h\nindex", "x.h\n\nindex", 1), None),
])
def test_a_git_header_ends_where_git_apply_ends_it(tmp_path: Path, shape: object, refused: str | None) -> None:
    import re
    import shutil
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the oracle")
    from tests.gitoracle import git, init_repo

    text = shape(diff("drivers/demo/x.h", _OLD, _NEW))  # type: ignore[operator]
    repo = init_repo(tmp_path / "repo", {"drivers/demo/x.h": _OLD})
    (tmp_path / "p.diff").write_text(text)
    oracle = git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False)
    assert (oracle.returncode == 0) == (refused is None), oracle.stderr
    if refused is None:
        (pf,) = parse_diff(text, Where("t.patch", 1))
        state, _ = apply_file(full_file("drivers/demo/x.h", _OLD, "base"), pf, "test")
        assert state.text == _NEW
        return
    with pytest.raises(InputError) as exc:
        parse_diff(text, Where("t.patch", 1))
    # At the line where git's header ends, as git apply counts it ("(line 2)", "at line 3").
    at = int(re.findall(rb"line (\d+)", oracle.stderr)[-1])
    assert refused in exc.value.message and exc.value.where.line == at, (exc.value, oracle.stderr)


@pytest.mark.parametrize("text", [
    HEADER.replace("2222222", "0000000") + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n",  # a hand-edited index line: a change
    HEADER.replace("1111111", "0000000") + "@@ -1,2 +1,2 @@\n a\n-b\n+c\n",
    "diff --git a/d/f.h b/d/f.h\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/d/f.h\n+++ /dev/null\n"
    "@@ -1,2 +0,0 @@\n-a\n-b\n",
    "diff --git a/d/f.h b/d/f.h\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/d/f.h\n"
    "@@ -0,0 +1 @@\n+a\n",
    "diff --git a/d/f.h b/d/f.h\ndeleted file mode 100644\nindex e69de29..0000000\n",  # an empty file deleted
], ids=["zero-new-id", "zero-old-id", "deleted", "created", "empty-deleted"])
def test_a_git_diff_creates_or_deletes_by_its_mode_lines_as_git_apply_reads_them(tmp_path: Path, text: str) -> None:
    # A reviewer's diff with 'index 31562ab..0000000' and no 'deleted file mode' line: git apply changes the file,
    # and its variant was refused ('deleted file still has contents'); only the mode lines or /dev/null say it.
    from tests.gitoracle import summary

    said = summary(tmp_path, text.encode())
    (pf,) = parse_diff(text, Where("t.patch", 1))
    assert (pf.is_new, pf.is_deleted) == (any(s.startswith("create mode") for s in said),
                                          any(s.startswith("delete mode") for s in said)), said


def test_a_parsed_diff_line_is_held_in_a_few_hundred_bytes() -> None:
    # Each HunkLine held a __dict__: 428 bytes a line beside its text, the peak of reading a large mbox.
    import tracemalloc

    text = diff("big.c", None, "".join(f"line {n:05d}\n" for n in range(20_000)))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        parsed = parse_diff(text, Where("t.patch", 1))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert sum(len(h.lines) for h in parsed[0].hunks) == 20_000
    assert held / 20_000 < 300, held / 20_000
