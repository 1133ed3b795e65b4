"""The files a ``diff --git`` header names, against git apply.

The files a ``diff --git`` header names, against git apply: empty or /dev/null ---/+++ names without a mode line,
quoted names left open, -p0 fixed by a traditional patch before it, headers git refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.diffparse import parse_diff
from harness.errors import InputError, Where
from harness.githeader import c_unquote, find_name, header_name
from tests.gitoracle import git

EDIT = "@@ -1 +1 @@\n-a\n+b\n"
ADD = "@@ -0,0 +1 @@\n+b\n"
DROP = "@@ -1 +0,0 @@\n-a\n"
GIT = "diff --git a/x.c b/x.c\n"
BIN = "index 1234567..89abcde 100644\n"
LITERAL0 = "literal 0\nHcmV?d00001\n\n"  # a binary patch's empty file

CASES = [
    # git names the file by the diff --git line where the --- and +++ lines name nothing (empty, or no slash at -p1).
    GIT + "--- \n+++ \n" + EDIT,
    GIT + "--- \t\n+++ \t\n" + EDIT,
    GIT + "--- a/\n+++ b/\n" + EDIT,
    GIT + "--- a\n+++ b\n" + EDIT,
    # ... and refuses a header that names one side only.
    GIT + "--- \n+++ b/x.c\n" + EDIT,
    GIT + "--- a/x.c\n+++ \n" + EDIT,
    # /dev/null without a "deleted file mode"/"new file mode" line is the path dev/null: a rename.
    GIT + "--- a/x.c\n+++ /dev/null\n" + DROP,
    GIT + "--- /dev/null\n+++ b/x.c\n" + ADD,
    GIT + "deleted file mode 100644\n--- a/x.c\n+++ /dev/null\n" + DROP,
    GIT + "new file mode 100644\n--- /dev/null\n+++ b/x.c\n" + ADD,
    GIT + "new file mode 100644\n--- a/x.c\n+++ b/x.c\n" + ADD,
    GIT + "--- a/x.c\n+++ b/y.c\n" + EDIT,
    GIT + "--- a/x.c\n+++ b/y.c\n",  # no hunk: a name change without rename lines is no metadata for git
    GIT + "rename from x.c\nrename to y.c\n",
    GIT + "rename from x.c\nrename to x.c\n",  # a rename to itself: no garbage, a patch that changes nothing
    GIT + "similarity index 100%\nrename old x.c\nrename new x.c\n",
    "diff --git a/x.c b/x.c\nrename from y.c\nrename to y.c\n",
    GIT + "rename from x.c\n",
    GIT + "--- a/x.c\n--- a/y.c\n+++ b/x.c\n" + EDIT,
    GIT + "--- a/x.c\t2026-01-05 10:00:00\n+++ b/x.c\n" + EDIT,
    GIT + "rename from x.c\nrename to y.c\nnew file mode 100644\n" + EDIT,
    # A name's doubled slashes are squashed (apply.c squash_slash): d//x.c is d/x.c, no unsafe path.
    "diff --git a/x.c b/d//x.c\nnew file mode 100644\n--- /dev/null\n+++ b/d//x.c\n" + ADD,
    "diff --git a/x y.c b/x y.c\n--- a/x y.c\n+++ b/x y.c\n" + EDIT,
    # Quoted names: both halves of the diff --git line quoted, or the second only; never the first only.
    'diff --git "a/x.c" b/x.c\nold mode 100755\nnew mode 100644\n',
    'diff --git "a/x.c" "b/x.c"\nold mode 100755\nnew mode 100644\n',
    'diff --git a/x.c "b/x.c"\nold mode 100755\nnew mode 100644\n',
    'diff --git "a/t\\303\\251.c" "b/t\\303\\251.c"\nold mode 100755\nnew mode 100644\n',
    # A quote left open: no name from that line (git reads on to the next quote in the diff, wherever it is).
    'diff --git "a/x.c b/x.c\n--- "a/x.c\n+++ b/x.c\n' + EDIT,
    'diff --git "a/x.c b/x.c\nold mode 100755\nnew mode 100644\n',
    'diff --git a/x.c b/x.c\n--- "a/x.c\n+++ "b/x.c\n' + EDIT,
    'diff --git a/x.c b/x.c\n--- "a/x\\q.c"\n+++ b/x.c\n' + EDIT,
    # A rename line's quoted name as apply.c find_name reads it: unquoted (what follows its closing quote unread),
    # or, where quote.c cannot unquote it (an escape it does not know), the whole text, quotes and all.
    GIT + 'rename from "x\\q.c"\nrename to y.c\n',
    GIT + 'rename from "x.c" z\nrename to "y\\303\\251.c"\n',
    GIT + 'rename from x.c\nrename to "y.c\n',
    # Past a mode change's header (no hunk), lines up to the next file's patch are skipped, as git skips them.
    GIT + "old mode 100644\nnew mode 100755\n-a\n+++ /dev/null\n+++ b/x.c\n",
    GIT + "old mode 100644\nnew mode 100755\n c\nIndex: x.c\n+++ x.c\n" + GIT + "--- a/x.c\n+++ b/x.c\n" + EDIT,
    # ... and the next file's patch is read, a traditional one too (unidiff read its ---/+++ as the header's).
    GIT + "old mode 100644\nnew mode 100755\njunk\n--- a/y.c\n+++ b/y.c\n" + EDIT,
    GIT + "rename from x.c\nrename to y.c\n\n-- \n--- a/z.c\n+++ b/z.c\n" + EDIT,
    # Past a binary patch ("Binary files" or "GIT binary patch" with its data) git skips lines the same way;
    # a hunk there has no header.
    GIT + BIN + "Binary files a/x.c and b/x.c differ\njunk\nnew file mode 100644\n",
    GIT + BIN + "Binary files a/x.c and b/x.c differ\ndeleted file mode 100644\n",
    GIT + BIN + "Binary files a/x.c and b/x.c differ\nGIT binary patch\njunk\n",
    GIT + BIN + "Binary files a/x.c and b/x.c differ\njunk\nGIT binary patch\n" + LITERAL0,
    GIT + BIN + "Binary files a/x.c and b/x.c differ\n" + EDIT,
    GIT + BIN + "GIT binary patch\n" + LITERAL0 + "new file mode 100644\n--- a/y.c\n+++ b/y.c\n" + EDIT,
    GIT + BIN + "GIT binary patch\n" + LITERAL0 + "GIT binary patch\njunk\n",
    GIT + BIN + "GIT binary patch\n" + LITERAL0 + EDIT,
    GIT + BIN + "GIT binary patch\njunk\n",
    GIT + BIN + "Files a/x.c and b/x.c differ\njunk\n--- a/y.c\n+++ b/y.c\n" + EDIT,  # git's other wording
    GIT + BIN + "Files a/x.c and b/x.c differ\r\n",
    # "Binary files " or "Files " first and " differ" then a line end last, as apply.c parse_chunk reads it; any other
    # wording is garbage (GNU diff's "has changed", a CR, a space or no line end after "differ").
    GIT + BIN + "Binary files a/x.c and b/x.c differ\r\n",
    GIT + BIN + "Binary files a/x.c and b/x.c differ\r\n--- a/y.c\n+++ b/y.c\n" + EDIT,
    GIT + BIN + "Binary files a/x.c and b/x.c has changed\n",
    GIT + BIN + "Binary files a/x.c and b/x.c differ",
    GIT + BIN + "Binary files a/x.c and b/x.c differ \n",
    GIT + BIN + "Binary files a/x.c and b/x.c\n",
    GIT + BIN + "Binary files differ\n",
    GIT + BIN + "Files differ\n",
    GIT + "new file mode 100644\nBinary files a/x.c and b/x.c has changed\n",  # a creation, of no binary patch
    # An index line's mode is the old mode (apply.c gitdiff_index): a "new mode" line before it stands.
    GIT + "old mode 100644\nnew mode 100755\nindex 1234567..89abcde 100644\n",
    GIT + "new mode 100755\nindex 1234567..89abcde 100644\n",
    # A "\\ No newline" line ends a git header as any line no header line starts with; the hunk below has no header.
    GIT + "+++ x.c\n" + BIN + "\\ No newline at end of file\n" + ADD,
    GIT + "\\ No newline at end of file\n" + EDIT,
    GIT + "old mode 100644\nnew mode 100755\n\\ No newline at end of file\n",
    # ---/+++ lines with no hunk below them are garbage to git (apply.c find_header), whatever follows: no empty x.c
    # created, no -p0 guessed from their names.
    "--- /dev/null\n+++ b/x.c\n" + GIT + "--- a/x.c\n+++ b/x.c\n" + EDIT,
    "--- /dev/null\n+++ x.c\n\ndiff --git d/y.c d/y.c\n--- d/y.c\n+++ d/y.c\n" + EDIT,
    "Index: x.c\n====\n--- x.c\n+++ x.c\nBinary files a/x.c and b/x.c differ\n" + GIT + "--- a/x.c\n+++ b/x.c\n" + EDIT,
    # A "GIT binary patch" line below no git header line is garbage to git (not "unrecognized binary patch").
    GIT + "GIT binary patch\njunk\n--- a/y.c\n+++ b/y.c\n" + EDIT,
    "--- a/y.c\n+++ b/y.c\nGIT binary patch\n" + LITERAL0 + GIT + "--- a/x.c\n+++ b/x.c\n" + EDIT,
    # A diff --git line with nothing below it before a hunk: git skips it, the hunk has no header.
    GIT + EDIT,
    # A traditional patch whose names have no slash fixes -p0 for the git diffs after it.
    "--- t.c\n+++ t.c\n" + EDIT + GIT + "--- a/x.c\n+++ b/x.c\n" + EDIT,
    "--- t.c\n+++ t.c\n" + EDIT + "diff --git x.c x.c\nold mode 100755\nnew mode 100644\n",
    "diff --git x.c x.c\nold mode 100755\nnew mode 100644\n",
    GIT + "--- a/x.c\n+++ b/x.c\n" + EDIT + "--- t.c\n+++ t.c\n" + EDIT,
    # A mode is octal, ended by a blank or the line end (apply.c parse_mode_line), else git refuses the header.
    GIT + "new file mode 100999\n--- /dev/null\n+++ b/x.c\n" + ADD,
    GIT + "new file mode 100644x\n--- /dev/null\n+++ b/x.c\n" + ADD,
    GIT + "new file mode 100644 \n--- /dev/null\n+++ b/x.c\n" + ADD,
    GIT + "deleted file mode 1006448\n--- a/x.c\n+++ /dev/null\n" + DROP,
    GIT + "old mode abc\nnew mode 100755\n",
    GIT + "old mode 100644\nnew mode \n",
    # ... an index line's too, read after two ids of at most 40 digits (gitdiff_index), else not read at all.
    GIT + "index 1234567..89abcde 100999\n--- a/x.c\n+++ b/x.c\n" + EDIT,
    GIT + "index 1234567..89abcde 100644\t\n--- a/x.c\n+++ b/x.c\n" + EDIT,
    GIT + "index 1234567 100999\n--- a/x.c\n+++ b/x.c\n" + EDIT,
    GIT + f"index 1234567..{'8' * 41} 100999\n--- a/x.c\n+++ b/x.c\n" + EDIT,
]


def _git_reads(tmp: Path, text: str) -> list[tuple[str | None, str | None]] | None:
    """(old, new) per file as git apply parses the diff: None when ``--numstat`` (parsing only) or ``--check`` ("patch
    with only garbage") refuses it, else the
    names ``--check -v`` says it checks ("OLD => NEW" where they differ, C-quoted when unusual), None for a side
    ``--summary`` says is created or deleted. No file is needed: each check fails after saying its names."""
    (tmp / "h.diff").write_bytes(text.encode("utf-8", "surrogateescape"))
    if git(tmp, "apply", "--numstat", "h.diff", check=False).returncode:
        return None
    said = git(tmp, "apply", "--check", "-v", "h.diff", check=False).stderr.decode("utf-8", "surrogateescape")
    if "patch with only garbage" in said:  # refused when applied or checked, not when only counted
        return None
    summary = git(tmp, "apply", "--summary", "h.diff", check=False).stdout.decode("utf-8", "surrogateescape")
    names = []
    for line in said.splitlines():
        if line.startswith("Checking patch ") and line.endswith("..."):
            old, _, new = line[len("Checking patch "):-3].partition(" => ")
            old, new = ((c_unquote(n) or (n, 0))[0] if n.startswith('"') else n for n in (old, new or old))
            names.append((None if f"create mode 100644 {new}" in summary else old,
                          None if f"delete mode 100644 {old}" in summary else new))
    return names


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
def test_git_header_names_are_git_applys(tmp_path: Path) -> None:
    wrong = []
    for text in CASES:
        theirs = _git_reads(tmp_path, text)
        try:
            ours: list[tuple[str | None, str | None]] | None = [
                (pf.source_path, pf.target_path) for pf in parse_diff(text, Where("h.diff", 1))]
        except InputError:
            ours = None
        if ours != theirs:
            wrong.append((text, ours, theirs))
    assert not wrong, wrong


def test_refusals_name_the_line_in_one_line() -> None:
    with pytest.raises(InputError) as got:
        parse_diff('diff --git "a/x.c b/x.c\nold mode 100755\nnew mode 100644\n', Where("m.eml", 20))
    assert str(got.value) == ("m.eml:20: bad diff: git diff header lacks filename information when removing 1 "
                              "leading pathname component")
    with pytest.raises(InputError) as got:
        parse_diff(GIT + "--- a/x.c\n--- a/y.c\n+++ b/x.c\n" + EDIT, Where("m.eml", 20))
    assert str(got.value) == "m.eml:22: bad diff: bad git-diff: inconsistent old filename"
    with pytest.raises(InputError) as got:
        parse_diff(GIT + "new file mode 100999\n--- /dev/null\n+++ b/x.c\n" + ADD, Where("m.eml", 20))
    assert str(got.value) == ("m.eml:21: bad diff: invalid mode on the 'new file mode' line: '100999' is no octal "
                              "file mode (git apply: invalid mode on line)")
    # A hunk past a binary patch: git's words at its line, not unidiff's "Unexpected hunk found" at the diff's first.
    for binary in ("Binary files a/x.c and b/x.c differ\n", "GIT binary patch\n" + LITERAL0):
        with pytest.raises(InputError) as got:
            parse_diff(GIT + BIN + binary + EDIT, Where("m.eml", 20))
        assert str(got.value) == f"m.eml:{22 + binary.count(chr(10))}: bad diff: patch fragment without header"


def test_the_readers_pieces() -> None:
    assert c_unquote('"a/b\\tc" rest') == ("a/b\tc", 8)
    assert c_unquote('"a/x\\q"') is None and c_unquote('"open') is None
    assert c_unquote('"t\\303\\251"') == ("t\u00e9", 11)
    assert find_name("a/x.c\t2026\n", 1, True) == "x.c" and find_name("a/x y.c\n", 1, True) == "x y.c"
    assert find_name("x.c\n", 1, True) is None and find_name("\n", 0, False) is None
    assert header_name(1, "a/x.c b/x.c\n") == "x.c" and header_name(0, "x.c x.c\n") == "x.c"
    assert header_name(1, "a/x.c b/y.c\n") is None and header_name(1, '"a/x.c" b/x.c\n') is None


TEXT = "".join(f"line {i}\n" for i in range(1, 6))
CHANGE = "@@ -2,3 +2,3 @@\n line 2\n-line 3\n+line three\n line 4\n"
EMPTIED = "@@ -1,5 +0,0 @@\n" + "".join(f"-{ln}\n" for ln in TEXT.splitlines())


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize("body", [
    "diff --git a/top.c b/top.c\n--- \n+++ \n" + CHANGE,  # names from the diff --git line
    "diff --git a/top.c b/top.c\n--- a/top.c\n+++ /dev/null\n" + EMPTIED,  # renamed to dev/null, emptied
    "--- t.c\n+++ t.c\n" + CHANGE + "diff --git a/top.c b/top.c\n--- a/top.c\n+++ b/top.c\n" + CHANGE,  # -p0 on
    # a rename needs no hunk; the line ending its header, then a traditional patch of another file
    "diff --git a/t.c b/u.c\nrename from t.c\nrename to u.c\nRenamed.\n--- a/top.c\n+++ b/top.c\n" + CHANGE,
])
def test_apply_writes_what_git_am_commits(tmp_path: Path, body: str) -> None:
    from harness.apply import ApplyRequest, apply_variants
    from harness.ingest import IngestRequest, parse_series
    from tests.gitoracle import am, init_repo
    from tests.mailgen import blob, message, patch_body, write_eml

    files = {"top.c": TEXT, "t.c": TEXT, "a/top.c": TEXT}
    mail = write_eml(tmp_path / "p.eml", message("[PATCH] demo: edit", "e@example.org", patch_body("Edit.", body)))
    tree = init_repo(tmp_path / "tree", files)
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    state = apply_variants(ApplyRequest(parse_series(IngestRequest((mail,))), tree=tree, base=head)).get("v1")
    (commit,) = am(tree, [mail])[0]
    before = {path: blob(text) for path, text in files.items()}
    changed = {p for p in {*before, *commit.blobs} if before.get(p) != commit.blobs.get(p)}
    assert changed and changed == {f.path for f in state.files}, (changed, state.files)
    for path in changed:
        ours = state.file(path)
        assert ours is not None and (None if ours.absent else ours.blob) == commit.blobs.get(path), path


MODE = "diff --git a/m.c b/m.c\nold mode 100644\nnew mode 100755\n"


@pytest.mark.parametrize("before", ["", "--- t.c\n+++ t.c\n" + CHANGE, MODE + "Mode.\n--- t.c\n+++ t.c\n" + CHANGE,
                                    MODE + "\n--- t.c\n+++ t.c\n" + CHANGE])
def test_no_prefix_note_only_where_git_reads_at_p1(tmp_path: Path, before: str) -> None:
    # After a traditional patch whose names lack a slash, git apply reads the mail at -p0: d/top.c is d/top.c,
    # so the note that git am drops 'd/' would be wrong there; a hunkless git diff before it (a mode change) ends
    # at the first line that is no header line of it, and the traditional patch after it fixes -p0 too
    # (git apply --check -v: "Checking patch d/top.c").
    from harness.ingest import IngestRequest, parse_series
    from tests.mailgen import message, patch_body, write_eml

    body = before + "diff --git d/top.c d/top.c\n--- d/top.c\n+++ d/top.c\n" + CHANGE
    mail = write_eml(tmp_path / "p.eml", message("[PATCH] demo: edit", "np@example.org", patch_body("Edit.", body)))
    said = [s.reason for s in parse_series(IngestRequest((mail,))).notes]
    assert any("no a/ and b/ prefixes" in r for r in said) == (not before), said


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize("name", ["top.c", "gone.c"])
def test_a_rename_to_itself_is_what_git_am_makes_of_it(tmp_path: Path, name: str) -> None:
    # Rename lines naming the file itself, no hunk: git am commits nothing changed where the file is, and refuses
    # the patch where it is not ("does not exist in index"); before, the diff was refused as garbage.
    from harness.apply import ApplyRequest, apply_variants
    from harness.ingest import IngestRequest, parse_series
    from tests.gitoracle import am, init_repo
    from tests.mailgen import message, patch_body, write_eml

    body = f"diff --git a/{name} b/{name}\nsimilarity index 100%\nrename from {name}\nrename to {name}\n"
    mail = write_eml(tmp_path / "p.eml", message("[PATCH] demo: keep", "k@example.org", patch_body("Keep.", body)))
    tree = init_repo(tmp_path / "tree", {"top.c": TEXT})
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    state = apply_variants(ApplyRequest(parse_series(IngestRequest((mail,))), tree=tree, base=head)).get("v1")
    commits, error = am(tree, [mail])
    assert bool(error) == bool(state.findings) == (name != "top.c"), (error, state.findings)
    if commits:
        ours = state.file("top.c")
        assert ours is not None and ours.blob == commits[0].blobs["top.c"]
