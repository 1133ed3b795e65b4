"""``seamharness apply --tree`` on series ``git format-patch`` writes, against ``git am`` of the same files."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import git, git_am_blobs, init_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle and the trees
runner = CliRunner()
A = "drivers/demo/a.c"
TEXT = "".join(f"static int a_fn{i}(int x)\n{{\n\treturn x + {i};\n}}\n\n" for i in range(12))
EDITED = TEXT.replace("return x + 3;", "return x + 33;")

Step = Callable[[Path], None]


def _write(path: str, text: str) -> Step:
    def step(repo: Path) -> None:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    return step


def _series(tmp: Path, steps: list[Step], *format_args: str) -> tuple[Path, Path, str]:
    """Commit each step on a base holding ``A``; (the format-patch folder, a clone at the base, its commit)."""
    author = init_repo(tmp / "author", {A: TEXT})
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    for k, step in enumerate(steps, start=1):
        step(author)
        git(author, "add", "-A")
        git(author, "commit", "-q", "-m", f"demo: step {k}\n\nStep {k}.\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(author, "format-patch", "-q", "-M", "-C", "-o", str(tmp / "patches"), *format_args, f"{base}..HEAD")
    tree = tmp / "tree"
    git(tmp, "clone", "-q", str(author), str(tree))
    git(tree, "checkout", "-q", base)
    return tmp / "patches", tree, base


def _git_am(tmp: Path, tree: Path, base: str, patches: Path) -> tuple[dict[str, str], str]:
    """Every file's blob after ``git am`` of the folder's patches on ``base`` (as far as it gets), and its error."""
    return git_am_blobs(tmp, tree, base, sorted(p for p in patches.glob("0*.patch")
                                                if p.name != "0000-cover-letter.patch"))


def _apply(tmp: Path, patches: Path, tree: Path | None, base: str | None,
           reject: bool = True) -> tuple[int, str, dict[str, dict[str, str]]]:
    """``seamharness apply --variant v1`` through the CLI (no ``--base`` when ``base`` is None; ``--reject``: the
    files of a patch git am refuses written too): exit status, stderr and provenance.json's files by path."""
    out = tmp / "out"
    shutil.rmtree(out, ignore_errors=True)
    args = ["apply", str(patches), "--variant", "v1", "--out", str(out), *(["--reject"] if reject else [])]
    args += ["--tree", str(tree)] if tree is not None else []
    args += ["--base", base] if tree is not None and base is not None else []
    r = runner.invoke(app, args)
    files = {}
    if (out / "provenance.json").exists():
        files = {f["path"]: f for f in json.loads((out / "provenance.json").read_text())["files"]}
    return r.exit_code, r.stderr, files


@pytest.mark.parametrize("prefixes", [("--src-prefix=i/", "--dst-prefix=w/"), ("--no-prefix",),
                                      ("--src-prefix=old/", "--dst-prefix=new/")])
def test_names_are_read_at_p1_as_git_am_reads_them(tmp_path: Path, prefixes: tuple[str, ...]) -> None:
    """git am reads a git diff's ``---``/``+++`` names at -p1: any first component goes (apply.c find_name), not
    only ``a/`` and ``b/``: ``i/drivers/demo/a.c`` is drivers/demo/a.c, and a --no-prefix diff names
    demo/a.c, which git am refuses ("does not exist in index") and creates there when the diff creates it."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED), _write("drivers/demo/new.c", "int n;\n")],
                                  *prefixes)
    theirs, error = _git_am(tmp_path, tree, base, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, base)
    if not error:
        assert status == 0, stderr
        assert ours[A]["blob"] == theirs[A] and ours["drivers/demo/new.c"]["blob"] == theirs["drivers/demo/new.c"]
        return
    assert "demo/a.c: does not exist in index" in error
    assert status == 1 and ours["demo/a.c"]["status"] == "unusable", stderr
    assert "demo/a.c: unusable in v1" in stderr and A not in ours
    refused, said, written = _apply(tmp_path, patches, tree, base, reject=False)  # git am stops: bad input
    assert refused == 2 and len(said.splitlines()) == 1 and "demo/a.c" in said and not written, said
    _, _, alone = _apply(tmp_path, patches, None, base)
    assert "demo/new.c" in alone and "drivers/demo/new.c" not in alone  # where git apply would create it


def _bytes(path: str, data: bytes) -> Step:
    def step(repo: Path) -> None:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_bytes(data)
    return step


FIRMWARE = bytes((i * 7919 + (i >> 3)) & 0xFF for i in range(20000))  # no 0x0a run git would call text
PATCHED = FIRMWARE[:5000] + b"\x00patched\x00" + FIRMWARE[5009:15000] + FIRMWARE[15020:]


@pytest.mark.parametrize("case", ["literal-new", "delta", "delta-twice-then-text", "delta-on-another-base",
                                  "literal-on-another-base"])
def test_binary_patches_as_git_am_applies_them(tmp_path: Path, case: str) -> None:
    """A ``GIT binary patch`` (format-patch --binary) is applied as apply.c apply_binary applies it: a literal's
    bytes, a delta on the pre-image, each checked against the full blob ids; the files written are git am's
    bytes. On a base whose file is another blob git am refuses it, and so does apply (exit 1, unusable)."""
    fw = "firmware/demo.bin"
    steps = {"literal-new": [_bytes("firmware/new.bin", FIRMWARE[:3000])],
             "delta": [_bytes(fw, PATCHED)],
             "delta-twice-then-text": [_bytes(fw, PATCHED), _bytes(fw, PATCHED + b"\x01tail"), _write(A, EDITED)],
             "delta-on-another-base": [_bytes(fw, PATCHED)],
             "literal-on-another-base": [_bytes(fw, bytes(range(255, -1, -1)) * 3)]}[case]
    patches, tree, base = _series(tmp_path, [_bytes(fw, FIRMWARE), *steps], "--binary")
    (patches / sorted(p.name for p in patches.iterdir())[0]).unlink()  # the firmware is the tree's, not the series'
    first = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    git(tree, "checkout", "-q", first)
    if "another-base" in case:
        (tree / fw).write_bytes(FIRMWARE + b"\x02")
        git(tree, "commit", "-q", "-am", "another firmware")
        first = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    forward = {lines[i + 1].split()[0] for p in patches.iterdir() for lines in [p.read_text("latin-1").splitlines()]
               for i, line in enumerate(lines) if line == "GIT binary patch"}
    assert forward == {"delta" if "delta" in case else "literal"}, forward
    theirs, error = _git_am(tmp_path, tree, first, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, first)
    if "another-base" in case:
        assert "patch does not apply" in error or "does not match" in error, error
        assert status == 1 and ours[fw]["status"] == "unusable" and "binary patch does not apply" in stderr
        return
    assert not error and status == 0, (error, stderr)
    for path, f in ours.items():
        assert f["status"] == "complete" and f["blob"] == theirs[path], (path, f, theirs.get(path))
        assert (tmp_path / "out" / path).read_bytes() == git(tmp_path / "am", "cat-file", "blob", theirs[path]).stdout


@pytest.mark.parametrize("how", ["rename", "copy"])
def test_the_base_search_follows_a_pure_rename_to_the_blob_the_next_patch_names(tmp_path: Path, how: str) -> None:
    """A 100% rename has no index line; the next patch to the new name names the blob the old name had at the
    base, and the new name must be absent there. The search found a newer commit (its own copy of the series:
    the new name there, "1 of 1 blobs match") and the edit did not apply; now it finds the base git am takes."""
    moved = "drivers/demo/moved.c"

    def move(repo: Path) -> None:
        git(repo, "mv", A, moved) if how == "rename" else shutil.copyfile(repo / A, repo / moved)

    patches, tree, base = _series(tmp_path, [move, _write(moved, EDITED)],
                                  *(["--find-copies-harder"] if how == "copy" else []))
    assert "similarity index 100%" in (patches / "0001-demo-step-1.patch").read_text()
    git(tree, "checkout", "-q", "-b", "newer", base)  # newer work on the file; master holds the series' own commits
    (tree / A).write_text(TEXT.replace("return x + 3;", "return x + 3 + 0;"))
    git(tree, "commit", "-q", "-am", "newer")
    theirs, error = _git_am(tmp_path, tree, base, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, None)
    assert not error and status == 0, (error, stderr)
    assert f"at {base[:12]} (best match" in stderr, stderr
    assert ours[moved]["blob"] == theirs[moved] and ours[moved]["status"] == "complete"



@pytest.mark.parametrize("cover", [True, False])
@pytest.mark.parametrize("held", [True, False])
def test_prerequisite_patches_on_top_of_the_base_commit(tmp_path: Path, held: bool, cover: bool) -> None:
    """format-patch --base with a prerequisite (a patch the series needs that its base-commit lacks): when the
    tree holds it (found by git patch-id), the base is the commit on top of base-commit that has it, and the
    series applies as git am applies it there; when it does not, base-commit, saying so, and the file the
    prerequisite changed is unusable where git am on base-commit stops too. Without a cover letter both lines
    end the first patch: its prerequisite-patch-id: was not read (base-commit: alone; exit 1 where git am on
    the tree's commit holding the prerequisite applies it)."""
    prereq = TEXT.replace("return x + 5;", "return x + 55;")
    _, tree, base = _series(tmp_path, [_write(A, prereq), _write(A, prereq.replace("x + 55;", "x + 555;"))])
    author, patches = tmp_path / "author", tmp_path / "series"
    git(author, "format-patch", "-q", *(["--cover-letter"] if cover else []), f"--base={base}", "-o", str(patches),
        "HEAD~1..HEAD")
    assert "prerequisite-patch-id: " in sorted(patches.iterdir())[0].read_text()
    top = git(author, "rev-parse", "HEAD~1").stdout.decode().strip()
    git(tree, "checkout", "-q", "-B", "topic", top if held else base)  # the prerequisite on a branch, or nowhere
    git(tree, "branch", "-q", "-D", "master")
    for ref in git(tree, "for-each-ref", "--format=%(refname)", "refs/remotes").stdout.decode().split():
        git(tree, "update-ref", "-d", ref)  # origin/master holds the prerequisite too
    status, stderr, ours = _apply(tmp_path, patches, tree, None)
    theirs, error = _git_am(tmp_path, tree, top if held else base, patches)
    if held:
        assert f"with its 1 prerequisite patch (prerequisite-patch-id:), at {top[:12]}" in stderr, stderr
        assert not error and status == 0 and ours[A]["blob"] == theirs[A], (error, stderr)
    else:
        assert "this tree holds 0 of its 1 prerequisite patch" in stderr, stderr
        assert "patch does not apply" in error and status == 1 and ours[A]["status"] == "unusable"


def _mail(tmp: Path, diff_text: bytes) -> Path:
    folder = tmp / "mail"
    folder.mkdir()
    (folder / "0001.patch").write_bytes(b"From: Ann <ann@example.org>\nSubject: [PATCH] demo: x\n"
                                        b"Message-ID: <x@example.org>\n\nx\n---\n" + diff_text)
    return folder


def test_a_base_search_over_a_submodule_at_a_patched_path_is_no_error(tmp_path: Path) -> None:
    """A tree whose commits hold a submodule (a gitlink, its commit not in the tree) where a patch edits a file:
    the search asked the gitlink for text and failed with an internal error; it is a commit that does not fit."""
    tree = init_repo(tmp_path / "tree", {A: TEXT})
    git(tree, "update-index", "--add", "--cacheinfo", f"160000,{'2' * 40},sub")
    git(tree, "commit", "-q", "-m", "a submodule")
    folder = _mail(tmp_path, b"diff --git a/sub b/sub\nindex 1111111..2222222 100644\n--- a/sub\n+++ b/sub\n"
                             b"@@ -1 +1 @@\n-a\n+b\n")
    status, stderr, ours = _apply(tmp_path, folder, tree, None)
    assert status == 1 and "sub: unusable in v1" in stderr and ours["sub"]["status"] == "unusable", stderr


def test_a_reject_note_names_a_path_that_is_not_utf8(tmp_path: Path) -> None:
    """A path of bytes that are not UTF-8 (git quotes them: "d/\\251.c") in a file left unusable: its .rej note
    names it byte for byte, as the file itself is written; it was an internal error."""
    tree = init_repo(tmp_path / "tree", {"d/\udca9.c": "int a;\n", "d/b.c": "int b;\n"})
    folder = _mail(tmp_path, b'diff --git "a/d/\\251.c" b/d/b.c\nsimilarity index 100%\nrename from "d/\\251.c"\n'
                             b"rename to d/b.c\n")
    status, stderr, ours = _apply(tmp_path, folder, tree, "HEAD")
    assert status == 1 and ours["d/b.c"]["status"] == "unusable", stderr
    assert b"d/\xa9.c onto a file that already exists" in (tmp_path / "out" / "d/b.c.rej").read_bytes()


@pytest.mark.parametrize("path", ["t/a\\b.c", "..\\..\\etc\\x", "a/.gitx", "git~1/x", "x/GIT~1", "a/.git./x",
                                  "x/.git ", "a\\.git\\x", "a/.GIT/x", "a/../b"])
def test_paths_as_git_apply_verifies_them(tmp_path: Path, path: str) -> None:
    """git's verify_path (read-cache.c) outside Windows: a backslash is a byte of a name (git am created
    t/a\\b.c where we refused the whole message, exit 2); .git as NTFS reads it (core.protectNTFS, on by
    default: '.git.', 'git~1', after a backslash) is refused, as git apply --check refuses it."""
    from harness.diffparse import parse_diff
    from harness.errors import InputError, Where

    text = f"diff --git a/{path} b/{path}\nnew file mode 100644\nindex 0000000..587be6b\n--- /dev/null\n" \
           f"+++ b/{path}\n@@ -0,0 +1 @@\n+x\n"
    repo = init_repo(tmp_path / "repo")
    (tmp_path / "p.diff").write_text(text)
    git_takes = git(repo, "apply", "--check", str(tmp_path / "p.diff"), check=False).returncode == 0
    try:
        parse_diff(text, Where("p.diff", 1))
        ours = True
    except InputError as exc:
        assert "refusing unsafe path in diff" in str(exc)
        ours = False
    assert ours == git_takes


BIG = "".join(f"\tdemo_line({i});\n" for i in range(20_000))


def test_patches_of_thousands_of_hunks_as_git_am_applies_them(tmp_path: Path) -> None:
    """Two patches of 4,000 and 2,000 hunks on a 20,000-line file: each state's lines are moved through every
    hunk before them (harness.filestate.LineMap, by bisection); the result is git am's blob on the tree, and
    from mail alone every line the hunks show is git am's."""
    big = "drivers/demo/big.c"
    first = "".join(f"\tdemo_line({i}, 1);\n" if i % 5 == 0 else f"\tdemo_line({i});\n" for i in range(20_000))
    second = first.replace("\tdemo_line(7);\n", "\tdemo_line(7);\n\tdemo_extra();\n").replace(
        "\tdemo_line(19993);\n", "")
    second = "".join(ln.replace(");", ", 2);") if n % 10 == 3 else ln
                     for n, ln in enumerate(second.splitlines(keepends=True)))
    patches, tree, base = _series(tmp_path, [_write(big, BIG), _write(big, first), _write(big, second)])
    (patches / sorted(p.name for p in patches.iterdir())[0]).unlink()  # the big file is the tree's
    start = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    theirs, error = _git_am(tmp_path, tree, start, patches)
    assert not error, error
    status, stderr, ours = _apply(tmp_path, patches, tree, start)
    assert status == 0 and ours[big]["blob"] == theirs[big], stderr
    status, stderr, ours = _apply(tmp_path, patches, None, None)
    # Mail alone: what the two patches show, carried back and forth through their hunks, is all of the file
    # but its last line (no hunk comes within three lines of it), and it is git am's text.
    end = len(second.splitlines()) - 1
    assert ours[big]["fragments"] == [{"start": 1, "end": end, "origins": mock.ANY}], stderr
    shown = (tmp_path / "out" / f"{big}.fragments").read_text().splitlines()
    assert [ln for ln in shown if not ln.startswith("# ")] == second.splitlines()[:end]


def test_a_lone_patch_names_its_base_commit_itself(tmp_path: Path) -> None:
    """format-patch --base without a cover letter writes base-commit: at the end of the first patch (git's
    Documentation/git-format-patch, as b4 reads it). It was ignored and the base guessed: here the tree's newer
    commit, which matches the patch's blobs as well (an unrelated file changed), not the base the sender named."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)], "--base=HEAD~1")
    assert f"base-commit: {base}" in next(patches.glob("0001-*.patch")).read_text()
    _write("drivers/demo/other.c", "int other;\n")(tree)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "unrelated newer work")
    status, stderr, ours = _apply(tmp_path, patches, tree, None)
    assert status == 0 and f"at {base[:12]} (base-commit: of the first patch" in stderr, stderr
    assert ours[A]["status"] == "complete"


def _link(path: str, target: str | None) -> Step:
    def step(repo: Path) -> None:
        (repo / path).unlink(missing_ok=True)
        if target is not None:
            (repo / path).symlink_to(target)
    return step


@pytest.mark.parametrize("case", ["create", "retarget", "delete", "c-name"])
def test_symlink_patches_as_git_am_applies_them(tmp_path: Path, case: str) -> None:
    """A symlink patch (mode 120000) is a text patch of the link's target, as git apply takes it: git am made
    the link where apply called the file unusable (exit 1). The blob is git am's, the output holds the link
    (written as a link, never followed), and a second apply to the same --out replaces it. A link named as C
    source has no C text for the mirror: its blob is still git's, but it is unusable, and says why."""
    link = "drivers/demo/link.h" if case == "c-name" else "drivers/demo/link"
    first = [_link(link, "a.c")] if case in ("retarget", "delete") else []
    steps = {"create": [_link(link, "a.c")], "retarget": [_link(link, "../a.c")], "delete": [_link(link, None)],
             "c-name": [_link(link, "a.c")]}[case]
    patches, tree, base = _series(tmp_path, [*first, *steps])
    if first:
        (patches / sorted(p.name for p in patches.iterdir())[0]).unlink()  # the link is the tree's
        base = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    theirs, error = _git_am(tmp_path, tree, base, patches)
    assert not error, error
    for _ in range(2):
        status, stderr, ours = _apply(tmp_path, patches, tree, base)
        if case == "delete":
            assert status == 0 and ours[link]["status"] == "absent" and not (tmp_path / "out" / link).is_symlink()
            continue
        target = git(tmp_path / "am", "cat-file", "blob", theirs[link]).stdout.decode()
        assert ours[link]["blob"] == theirs[link] and ours[link]["mode"] == "120000", (stderr, ours)
        assert (tmp_path / "out" / link).is_symlink() and str((tmp_path / "out" / link).readlink()) == target
        if case == "c-name":
            assert status == 1 and ours[link]["status"] == "unusable" and "not the C code it points to" in stderr
            # git am writes it so: no patch that does not apply, so it is written without --reject too.
            assert _apply(tmp_path, patches, tree, base, reject=False)[:2] == (status, stderr)
        else:
            assert status == 0 and ours[link]["status"] == "complete", stderr


@pytest.mark.parametrize("tree_has", ["symlink", "regular file"])
def test_a_patch_of_another_kind_of_file_than_the_trees_is_refused_as_git_am_refuses_it(tmp_path: Path,
                                                                                           tree_has: str) -> None:
    """A patch of a regular file where the tree's base holds a symlink of the same text (the same blob), or a
    symlink patch where it holds a regular file: git am refuses it ('wrong type', apply.c check_preimage). The
    hunks were applied to the text all the same (exit 0, a file git never made); now the file is unusable and
    the finding says git's reason (exit 1)."""
    x = "drivers/demo/x"

    def kind(link: bool, target: str) -> Step:
        def step(repo: Path) -> None:
            (repo / x).unlink(missing_ok=True)
            if link:
                (repo / x).symlink_to(target)
            else:
                (repo / x).write_text(target)  # no newline: the same blob as a link to it
        return step

    patched_link = tree_has == "regular file"
    patches, tree, base = _series(tmp_path, [kind(patched_link, "a.c"), kind(patched_link, "b.c")])
    (patches / sorted(p.name for p in patches.iterdir())[0]).unlink()  # the file is the tree's
    first = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    git(tree, "checkout", "-q", first)
    kind(not patched_link, "a.c")(tree)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "the other kind")
    other = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    assert git(tree, "rev-parse", f"{other}:{x}").stdout == git(tree, "rev-parse", f"{first}:{x}").stdout
    _, error = _git_am(tmp_path, tree, other, patches)
    assert "wrong type" in error, error
    status, stderr, ours = _apply(tmp_path, patches, tree, other)
    assert status == 1 and ours[x]["status"] == "unusable" and "wrong type" in stderr, (stderr, ours)


@pytest.mark.parametrize("keep_deletion", [True, False])
def test_a_file_beyond_a_symlink_as_git_am_takes_it(tmp_path: Path, keep_deletion: bool) -> None:
    """A tree's symlink ``lnk`` replaced by a folder: git am takes the patch deleting the link and creating
    ``lnk/new.c``; without the deletion it refuses ("affected file 'lnk/new.c' is beyond a symbolic link"),
    where apply wrote the file (exit 0). Now it is unusable there, as git am refuses it."""
    def replace_link(repo: Path) -> None:
        (repo / "lnk").unlink()
        _write("lnk/new.c", "int n;\n")(repo)

    patches, tree, base = _series(tmp_path, [_link("lnk", "drivers"), replace_link])
    files = sorted(patches.iterdir())
    files[0].unlink()  # the link is the tree's
    if not keep_deletion:
        head, *parts = files[1].read_text().split("diff --git ")
        files[1].write_text(head + "".join("diff --git " + p for p in parts if p.startswith("a/lnk/new.c")))
    base = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    theirs, error = _git_am(tmp_path, tree, base, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, base)
    if keep_deletion:
        assert not error and status == 0 and ours["lnk/new.c"]["blob"] == theirs["lnk/new.c"], (error, stderr)
    else:
        assert "beyond a symbolic link" in error and status == 1, (error, stderr)
        assert ours["lnk/new.c"]["status"] == "unusable" and "beyond a symbolic link (lnk)" in stderr
        assert not (tmp_path / "out" / "lnk" / "new.c").exists()


@pytest.mark.parametrize("rev", ["master@{5}", "HEAD^{tree}", "HEAD:drivers", "-h", "@{upstream}", "HEAD@{1}",
                                 ":/step 1", ":/no such message", "HEAD^{/step 1}"])
def test_base_names_as_git_rev_parse_reads_them(tmp_path: Path, rev: str) -> None:
    """--base is named as git rev-parse --verify names a revision, peeled to a commit: one past a reflog's end
    (master@{5}) was an internal error (GitPython's parser, exit 3); a tree, a blob or an option is one line,
    exit 2; a reflog entry or the upstream git names is that commit. The tree is left as it was."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    git(tree, "checkout", "-q", "master")
    git(tree, "checkout", "-q", base)  # HEAD@{1} is master, HEAD the base
    before = [git(tree, *a).stdout for a in (("status", "--porcelain"), ("rev-parse", "HEAD"), ("for-each-ref",))]
    status, stderr, _ = _apply(tmp_path, patches, tree, rev)
    assert before == [git(tree, *a).stdout for a in (("status", "--porcelain"), ("rev-parse", "HEAD"),
                                                     ("for-each-ref",))]
    oid = git(tree, "rev-parse", "--verify", "-q", "--end-of-options", rev, check=False).stdout.decode().strip()
    # What rev names, peeled to a commit (':/text' takes all that follows as its text: never 'rev^{commit}')
    named = git(tree, "rev-parse", "--verify", "-q", f"{oid}^{{commit}}", check=False).stdout.decode().strip() \
        if oid else ""
    kind = git(tree, "cat-file", "-t", f"{oid}^{{}}", check=False).stdout.decode().strip() if oid else ""
    if kind in ("tree", "blob"):  # git: 'expected commit type, but the object dereferences to tree type'
        assert status == 2 and stderr.count("\n") == 1 and f"--base {rev} names a {kind}, not a commit" in stderr
    elif not named:
        assert status == 2 and stderr.count("\n") == 1 and f"base commit {rev} is not in this tree" in stderr, stderr
    else:
        assert f"at {named[:12]} (given with --base" in stderr, stderr


@pytest.mark.parametrize("rev", ["@{upstream}", "topic@{push}", "topic@{9}", "nosuch@{u}", "HEAD~9"])
def test_a_base_git_names_no_commit_for_says_gits_reason(tmp_path: Path, rev: str) -> None:
    """--base that git rev-parse --verify refuses with a reason of its own ('no upstream configured for branch
    'topic'', 'log for 'topic' only has 1 entries', 'no such branch: 'nosuch''): the one line gives it. Before:
    'base commit @{upstream} is not in this tree' alone, as if the tree lacked a commit the user had named."""
    patches, tree, _ = _series(tmp_path, [_write(A, EDITED)])
    git(tree, "checkout", "-q", "-b", "topic")  # a branch with no upstream, one reflog entry
    res = git(tree, "rev-parse", "--verify", "--end-of-options", rev, check=False)
    assert res.returncode, res.stdout
    fatal = [ln.removeprefix("fatal: ") for ln in res.stderr.decode().splitlines() if ln.startswith("fatal: ")]
    status, stderr, _ = _apply(tmp_path, patches, tree, rev)
    assert status == 2 and stderr.count("\n") == 1, stderr
    if fatal == ["Needed a single revision"]:  # git says no more (HEAD~9 past the root)
        assert stderr.rstrip().endswith(f"base commit {rev} is not in this tree"), stderr
    else:
        assert f"base commit {rev} is not in this tree ({fatal[0]})" in " ".join(stderr.split()), (stderr, fatal)


@pytest.mark.parametrize("what", ["blob", "tag of a blob", "tree", "empty"])
def test_a_base_that_names_no_commit_says_what_it_names(tmp_path: Path, what: str) -> None:
    """--base naming an object the tree holds that is no commit (a blob's id, a tag of one, a tree) was 'base commit
    ID is not in this tree', which git cat-file shows it is: now what git rev-parse REV^{commit} says ('the object
    dereferences to blob type'), one line, exit 2."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    blob = git(tree, "rev-parse", f"{base}:{A}").stdout.decode().strip()
    git(tree, "tag", "-a", "-m", "a blob", "blobtag", blob)
    rev = {"blob": blob, "tag of a blob": "blobtag", "tree": f"{base}^{{tree}}", "empty": ""}[what]
    status, stderr, _ = _apply(tmp_path, patches, tree, rev)
    assert status == 2 and stderr.count("\n") == 1, stderr
    if what == "empty":
        assert "--base is empty" in stderr, stderr
        return
    kind = git(tree, "cat-file", "-t", f"{rev}^{{}}").stdout.decode().strip()
    assert "is not in this tree" not in stderr and f"names a {kind}" in stderr and "not a commit" in stderr, stderr
    assert ("(through a tag)" in stderr) == (what == "tag of a blob"), stderr


def test_a_short_hash_that_also_starts_a_blobs_id_is_the_commit(tmp_path: Path) -> None:
    """--base 2445 where a blob's id starts 2445 too (in a kernel tree a 7-digit hash often does): git rev-parse
    2445^{commit} is the commit, as git checkout and git am's base take it, but seamharness asked for any object
    and said 'base commit 2445 is not in this tree'. Four digits, git's shortest abbreviation: the blob is found in
    some 65,000 tries where five took a million (seconds of hashing)."""
    import hashlib

    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    prefix = base[:4]
    n = next(i for i in range(1 << 26) if hashlib.sha1(b"blob %d\0" % len(f"{i}\n") + f"{i}\n".encode())
             .hexdigest().startswith(prefix))
    blob = git(tree, "hash-object", "-w", "--stdin", stdin=f"{n}\n".encode()).stdout.decode().strip()
    assert blob.startswith(prefix) and git(tree, "rev-parse", "--verify", "-q", prefix, check=False).returncode
    assert git(tree, "rev-parse", "--verify", f"{prefix}^{{commit}}").stdout.decode().strip() == base
    theirs, error = _git_am(tmp_path, tree, base, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, prefix)
    assert not error and status == 0 and f"at {base[:12]} (given with --base" in stderr, stderr
    assert ours[A]["blob"] == theirs[A]


def test_a_base_past_a_shallow_clones_depth_says_the_clone_is_shallow(tmp_path: Path) -> None:
    """A shallow clone lacks the base commit of a series older than its depth: the error says so (git fetch
    --unshallow), as git rev-parse of that id fails there and not in the clone it came from."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    git(tree, "checkout", "-q", "master")
    git(tree, "commit", "-q", "--allow-empty", "-m", "later")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{tree}", str(shallow))
    assert git(shallow, "cat-file", "-e", f"{base}^{{commit}}", check=False).returncode
    status, stderr, _ = _apply(tmp_path, patches, shallow, base)
    assert status == 2 and stderr.count("\n") == 1, stderr
    assert f"base commit {base} is not in this tree" in stderr and "shallow clone" in stderr, stderr
    status, stderr, _ = _apply(tmp_path, patches, tree, base)
    assert status == 0 and "shallow clone" not in stderr, stderr
    # Without --base, the base-commit: line git format-patch --base wrote: the search's line says why it searched.
    stated = tmp_path / "stated"
    git(tmp_path / "author", "format-patch", "-q", "--base", base, "-o", str(stated), f"{base}..HEAD")
    status, stderr, _ = _apply(tmp_path, stated, shallow, None)
    assert "base-commit: is not in this tree (a shallow clone" in stderr, stderr
    status, stderr, _ = _apply(tmp_path, stated, tree, None)
    assert status == 0 and "shallow clone" not in stderr and "(base-commit: of the first patch" in stderr, stderr


def _lfs(oid: str) -> str:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid * 64}\nsize 1234\n"


@pytest.mark.parametrize("into", ["pointer", "c code"])
def test_a_git_lfs_pointer_named_as_c_is_no_c_code(tmp_path: Path, into: str) -> None:
    """A tree whose .c file is a Git LFS pointer (its object holds where the text is stored; git lfs smudges the
    text into the checked-out file gcc builds): seamharness read the pointer as C code, and a patch of the pointer
    (git format-patch in such a tree) gave a usable 'C file' of three pointer lines. Now it is unusable, saying
    it is an LFS pointer (exit 1), with the blob git am gives; a pointer of another name (not C) is a file as any
    other, and a patch that puts C code in place of the pointer (git lfs untrack) gives a usable file."""
    c_file, other = "drivers/demo/big.c", "drivers/demo/big.bin"

    def both(oid: str) -> Step:
        def step(repo: Path) -> None:
            _write(c_file, _lfs(oid) if oid or into == "pointer" else TEXT)(repo)
            _write(other, _lfs(oid or "c"))(repo)
        return step

    patches, tree, _ = _series(tmp_path, [both("a"), both("b" if into == "pointer" else "")])
    sorted(patches.iterdir())[0].unlink()  # the pointers are the tree's
    base = git(tmp_path / "author", "rev-parse", "HEAD~1").stdout.decode().strip()
    theirs, error = _git_am(tmp_path, tree, base, patches)
    assert not error, error
    status, stderr, ours = _apply(tmp_path, patches, tree, base)
    assert ours[c_file]["blob"] == theirs[c_file] and ours[other]["blob"] == theirs[other], ours
    assert ours[other]["status"] == "complete", ours[other]
    from harness.gitbase import TreeBase  # GitPython: only where git is installed

    read = TreeBase(tree, base).reader()[1]  # as a unit or header no patch touches is read from the tree
    at_base, plain = read(c_file), read(A)
    assert at_base is not None and not at_base.usable and "Git LFS pointer" in at_base.provenance[-1], at_base
    assert plain is not None and plain.usable
    if into == "pointer":
        assert status == 1 and "Git LFS pointer" in stderr and ours[c_file]["status"] == "unusable", stderr
        # git am writes it so: no patch that does not apply, so it is written without --reject too.
        assert _apply(tmp_path, patches, tree, base, reject=False)[:2] == (status, stderr)
    else:
        assert status == 0 and ours[c_file]["status"] == "complete", (stderr, ours[c_file])


def test_a_sha256_repository_is_refused_in_one_line_saying_so(tmp_path: Path) -> None:
    """A tree made by git init --object-format=sha256, where git am applies the series: GitPython reads SHA-1
    objects only, and the base was 'base commit HEAD is not in this tree (HEAD is the branch master, which has no
    commit yet)', both untrue. Now one line saying what the tree is that seamharness cannot read, exit 2."""
    tree = tmp_path / "tree"
    if git(tmp_path, "init", "-q", "--object-format=sha256", str(tree), check=False).returncode:
        pytest.skip("this git makes no SHA-256 repository")
    _write(A, TEXT)(tree)
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "base")
    _write(A, EDITED)(tree)
    git(tree, "commit", "-q", "-a", "-m", "demo: edit\n\nSigned-off-by: Oracle <oracle@example.org>")
    git(tree, "format-patch", "-q", "-o", str(tmp_path / "patches"), "HEAD~1..HEAD")
    git(tree, "checkout", "-q", "HEAD~1")
    assert git(tree, "am", "-q", str(next((tmp_path / "patches").iterdir())), check=False).returncode == 0
    for base in (None, "HEAD~1"):
        status, stderr, _ = _apply(tmp_path, tmp_path / "patches", tree, base)
        assert status == 2 and stderr.count("\n") == 1 and "a SHA-256 repository" in stderr, stderr
        assert "not in this tree" not in stderr, stderr


@pytest.mark.parametrize("case", ["given", "searched", "found"])
def test_a_partial_clone_lacking_a_blob_is_one_line(tmp_path: Path, case: str) -> None:
    """A partial clone (git clone --filter=blob:none) whose promisor remote cannot give a blob the base needs (the
    remote gone: git cat-file and git am fail on it too): GitPython's 'SHA is empty, possible dubious ownership'
    was an internal error (exit 3). Now one line naming the file and the blob, exit 2. The base search passes
    over a blob it cannot read (HEAD's) and finds the base by its blob id: when the base's own blob is there, the
    series applies as git am applies it; before, GitPython's git cat-file was left broken by the failed read and
    the next read killed seamharness by SIGPIPE (exit 141) with nothing said."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    theirs, error = _git_am(tmp_path, tree, base, patches)
    author = tmp_path / "author"
    git(author, "config", "uploadpack.allowFilter", "true")
    _write(A, TEXT.replace("return x + 7;", "return x + 77;"))(author)
    git(author, "commit", "-q", "-a", "-m", "later")
    partial = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--filter=blob:none", "--no-checkout", f"file://{author}", str(partial))
    if case == "found":
        git(partial, "cat-file", "-e", f"{base}:{A}")  # fetched from the remote while it is there
    git(partial, "remote", "set-url", "origin", f"file://{tmp_path / 'gone'}")
    assert git(partial, "cat-file", "-e", f"HEAD:{A}", check=False).returncode  # git cannot read it either
    status, stderr, ours = _apply(tmp_path, patches, partial, base if case == "given" else None)
    if case == "found":
        assert not error and status == 0 and ours[A]["blob"] == theirs[A] and f"at {base[:12]}" in stderr, stderr
        return
    assert status == 2 and stderr.count("\n") == 1, stderr
    assert f"{A} at " in stderr and "a partial clone (git clone --filter)" in stderr, stderr


def test_a_base_given_over_the_mails_base_commit_says_which_the_mail_names(tmp_path: Path) -> None:
    """--base naming another commit than the base-commit: line git format-patch --base wrote: the patches were made
    on that one, which the base line did not say ('given with --base; 0 of 1 pre-image blobs match' alone)."""
    _, tree, base = _series(tmp_path, [_write(A, EDITED)])
    stated = tmp_path / "stated"
    git(tmp_path / "author", "format-patch", "-q", "--base", base, "-o", str(stated), f"{base}..HEAD")
    git(tree, "checkout", "-q", "master")
    head = git(tree, "rev-parse", "HEAD").stdout.decode().strip()
    status, stderr, _ = _apply(tmp_path, stated, tree, "HEAD")
    assert f"at {head[:12]} (given with --base; the first patch (01/1)'s base-commit: is {base[:12]};" in stderr
    status, stderr, _ = _apply(tmp_path, stated, tree, base)
    assert status == 0 and "base-commit: is" not in stderr, stderr


def test_a_base_name_git_calls_ambiguous_says_which_ref_was_taken(tmp_path: Path) -> None:
    """--base NAME where a tag and a branch are both NAME: git rev-parse takes the tag and only warns ('refname
    ... is ambiguous'), which seamharness kept to itself, so a user who meant the branch never learnt the base was
    the tag's commit. The base line now says which ref git took; a name of one ref says nothing more."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    git(tree, "tag", "dual", base)
    git(tree, "branch", "dual", "master")
    said = git(tree, "rev-parse", "--verify", "dual")
    assert "ambiguous" in said.stderr.decode() and said.stdout.decode().strip() == base
    status, stderr, _ = _apply(tmp_path, patches, tree, "dual")
    assert status == 0 and f"at {base[:12]} (given with --base; refname 'dual' is ambiguous" in stderr, stderr
    assert "refs/tags/dual taken, not refs/heads/dual" in stderr, stderr
    status, stderr, _ = _apply(tmp_path, patches, tree, "heads/dual")
    assert "ambiguous" not in stderr, stderr


@pytest.mark.parametrize("tree", ["empty", "orphan"])
@pytest.mark.parametrize("base", [None, "HEAD"])
def test_a_head_with_no_commit_says_so(tmp_path: Path, tree: str, base: str | None) -> None:
    """A tree whose HEAD is a branch with no commit yet (git init; git checkout --orphan) was 'base commit HEAD is not
    in this tree' without --base, a HEAD the user never named: now it says HEAD's branch has no commit (and the
    repository none at all, for git init's), as git rev-parse HEAD fails there. One line, exit 2. Without --base, an
    orphan branch's clone still holds the base on origin/master: found there, saying HEAD has no commit
    (tests/harness/test_orphan_head_git.py)."""
    patches, clone, _ = _series(tmp_path, [_write(A, EDITED)])
    if tree == "empty":
        repo = tmp_path / "empty"
        git(tmp_path, "init", "-q", "-b", "main", str(repo))
    else:
        repo = clone
        git(repo, "checkout", "-q", "--orphan", "fresh")
    assert git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode
    status, stderr, _ = _apply(tmp_path, patches, repo, base)
    branch = "main" if tree == "empty" else "fresh"
    if tree == "orphan" and base is None:
        assert status == 0 and f"HEAD is the branch {branch}, which has no commit yet: best match" in stderr, stderr
        return
    assert status == 2 and stderr.count("\n") == 1, stderr
    assert f"HEAD is the branch {branch}, which has no commit yet" in stderr, stderr
    assert ("the repository has no commits" in stderr) == (tree == "empty"), stderr
    if base is None:  # a HEAD the user never named: not 'base commit HEAD is not in this tree'; what to give instead
        assert "base commit HEAD" not in stderr and "nothing to find the base in; give --tree a clone of the kernel" \
            in stderr, stderr


def _gitlink(path: str, commit: str | None) -> Step:
    def step(repo: Path) -> None:  # an empty folder: a submodule not checked out, which git add -A leaves be
        if commit is None:
            git(repo, "rm", "-q", "--cached", path)
            (repo / path).rmdir()
        else:
            (repo / path).mkdir(exist_ok=True)
            git(repo, "update-index", "--add", "--cacheinfo", f"160000,{commit},{path}")
    return step


@pytest.mark.parametrize("case", ["bump", "add", "remove", "corrupt"])
def test_submodule_patches_as_git_am_applies_them(tmp_path: Path, case: str) -> None:
    """A submodule patch is git apply's text patch of 'Subproject commit <id>' (apply.c read_blob_object): git am
    moved the pointer where apply called the file unusable (exit 1). The id is the commit the submodule names,
    as git am's tree holds it; a patch that leaves no 'Subproject commit <id>' is git's 'corrupt patch for
    submodule', unusable as git am refuses it. The output holds an empty folder, as git checks one out."""
    old, new = "1" * 40, "2" * 40
    first = [] if case == "add" else [_gitlink("sub", old)]
    step = {"bump": _gitlink("sub", new), "add": _gitlink("sub", new), "remove": _gitlink("sub", None),
            "corrupt": _gitlink("sub", new)}[case]
    patches, tree, base = _series(tmp_path, [*first, step])
    files = sorted(patches.iterdir())
    if first:
        files[0].unlink()  # the submodule is the tree's
        base = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    if case == "corrupt":
        files[-1].write_text(files[-1].read_text().replace(f"+Subproject commit {new}", "+Subproject commit 2"))
    theirs, error = _git_am(tmp_path, tree, base, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, base)
    if case == "corrupt":
        assert "corrupt patch for submodule" in error and status == 1, (error, stderr)
        assert ours["sub"]["status"] == "unusable" and "corrupt patch for submodule" in stderr
    elif case == "remove":
        assert not error and "sub" not in theirs and status == 0 and ours["sub"]["status"] == "absent", stderr
    else:
        assert not error and status == 0 and ours["sub"]["blob"] == theirs["sub"] == new, (error, stderr, ours)
        assert ours["sub"]["mode"] == "160000" and (tmp_path / "out" / "sub").is_dir()


def test_the_base_search_reads_remote_tracking_branches(tmp_path: Path) -> None:
    """A clone whose own branch is older than what it fetched: the series' base is in origin/upstream only. The
    search read HEAD, the branches and the tags, took the older commit (0 of 1 blobs) and the patch did not
    apply (exit 1) where git am on the fetched base applies it; now it finds that base."""
    newer = TEXT.replace("return x + 3;", "return x + 3 + 0;")
    patches, tree, base = _series(tmp_path, [_write(A, newer), _write(A, newer.replace("x + 3 + 0;", "x + 3 + 1;"))])
    (patches / sorted(p.name for p in patches.iterdir())[0]).unlink()  # its base is upstream's, not the series'
    author = tmp_path / "author"
    fetched = git(author, "rev-parse", "HEAD~1").stdout.decode().strip()
    git(author, "branch", "upstream", fetched)
    shutil.rmtree(tree)
    git(tmp_path, "clone", "-q", "--no-checkout", str(author), str(tree))
    git(tree, "checkout", "-q", "-B", "master", base)
    for ref in git(tree, "for-each-ref", "--format=%(refname)", "refs/remotes").stdout.decode().split():
        if ref != "refs/remotes/origin/upstream":
            git(tree, "update-ref", "-d", ref)
    theirs, error = _git_am(tmp_path, tree, fetched, patches)
    status, stderr, ours = _apply(tmp_path, patches, tree, None)
    assert not error and status == 0 and f"at {fetched[:12]} (best match" in stderr, (error, stderr)
    assert ours[A]["status"] == "complete" and ours[A]["blob"] == theirs[A]


NOPREFIX = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "diff.noprefix", "GIT_CONFIG_VALUE_0": "1"}
CONTEXT = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "diff.context", "GIT_CONFIG_VALUE_0": "5"}


@pytest.mark.parametrize("env", [NOPREFIX, CONTEXT, {"GIT_DIR": "elsewhere"}])
def test_prerequisites_are_found_whatever_the_users_git_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            env: dict[str, str]) -> None:
    """The prerequisite's git patch-id is format-patch's whatever the user's config (diff.noprefix: 'diff
    --git a.c a.c'; diff.context: other context lines; each another id) or environment (GIT_DIR exported: another
    repository's log) says: the tree's commit holding it was not found and the series did not apply (exit 1)
    where git am on that commit applies it."""
    prereq = TEXT.replace("return x + 5;", "return x + 55;")
    _, tree, base = _series(tmp_path, [_write(A, prereq), _write(A, prereq.replace("x + 55;", "x + 555;"))])
    author, patches = tmp_path / "author", tmp_path / "series"
    git(author, "format-patch", "-q", f"--base={base}", "-o", str(patches), "HEAD~1..HEAD")
    top = git(author, "rev-parse", "HEAD~1").stdout.decode().strip()
    git(tree, "checkout", "-q", "-B", "topic", top)
    git(tree, "branch", "-q", "-D", "master")
    theirs, error = _git_am(tmp_path, tree, top, patches)
    for key, value in env.items():
        monkeypatch.setenv(key, str(init_repo(tmp_path / value, {A: TEXT}) / ".git") if key == "GIT_DIR" else value)
    status, stderr, ours = _apply(tmp_path, patches, tree, None)
    assert f"with its 1 prerequisite patch (prerequisite-patch-id:), at {top[:12]}" in stderr, stderr
    assert not error and status == 0 and ours[A]["blob"] == theirs[A], (error, stderr)


@pytest.mark.parametrize("names", ["GIT_OBJECT_DIRECTORY", "GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE"])
def test_another_repositorys_objects_in_the_environment_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                     names: str) -> None:
    """A shell (or a git hook) that exported GIT_OBJECT_DIRECTORY of another repository: GitPython's object reader
    (git cat-file) took it, so --tree's commits were 'not in this tree' (and the base search's HEAD '--base HEAD
    names a commit, not a commit'), or another repository's blobs were read. The tree's own are read, as git am in
    the tree (run without them) applies the patches."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    theirs, error = _git_am(tmp_path, tree, base, patches)
    other = init_repo(tmp_path / "other", {A: "int other;\n"})
    values = {"GIT_DIR": other / ".git", "GIT_OBJECT_DIRECTORY": other / ".git" / "objects",
              "GIT_INDEX_FILE": other / ".git" / "index"}
    for name in names.split():
        monkeypatch.setenv(name, str(values[name]))
    for given in (base, None):
        status, stderr, ours = _apply(tmp_path, patches, tree, given)
        assert not error and status == 0 and ours[A]["blob"] == theirs[A], stderr


def test_a_tree_git_does_not_trust_is_refused_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A tree another user owns (safe.directory; git's GIT_TEST_ASSUME_DIFFERENT_OWNER stands in for chown): git
    am refuses to run in it, and GitPython's readers failed part way ('base commit HEAD is not in this tree', or
    a broken pipe: an internal error). Now git's own reason, one line, exit 2, nothing written."""
    patches, tree, base = _series(tmp_path, [_write(A, EDITED)])
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    assert b"dubious ownership" in subprocess.run(["git", "-C", str(tree), "rev-parse"], capture_output=True).stderr
    for given in (None, base):
        status, stderr, ours = _apply(tmp_path, patches, tree, given)
        assert status == 2 and stderr.count("\n") == 1 and not ours, stderr
        assert stderr.startswith(f"seamharness: --tree {tree}: git refuses it: detected dubious ownership"), stderr


def test_a_base_already_holding_the_first_patch_stops_apply_as_git_am(tmp_path: Path) -> None:
    """The base is the series' first commit (patch 1 already there), and patch 3 edits again what patch 1 made:
    git am stops at patch 1 ('patch does not apply'). Before: apply wrote the variant and exited 0 (patch 3's
    result, its index line's blob, made the file usable again), patch 1's failure in provenance.json alone."""
    again = EDITED.replace("return x + 33;", "return x + 34;")
    patches, tree, base = _series(tmp_path, [_write(A, EDITED), _write("drivers/demo/b.c", "int b;\n"),
                                             _write(A, again)])
    first = git(tmp_path / "author", "rev-list", "--reverse", f"{base}..HEAD").stdout.decode().split()[0]
    _, error = _git_am(tmp_path, tree, first, patches)
    assert "patch does not apply" in error, error
    status, said, written = _apply(tmp_path, patches, tree, first, reject=False)
    assert status == 2 and len(said.splitlines()) == 1 and not written, said
    assert "patch v1 01/3 does not apply: patch failed at drivers/demo/a.c" in said, said
    assert "(the file already is this patch's result, " in said, said
    status, said, written = _apply(tmp_path, patches, tree, first)
    assert status == 1 and "git am stops there" in said and written[A]["status"] == "complete", said
    assert "drivers/demo/a.c is what v1 01/3 makes: the series, or part of it, is already applied at this commit" \
        in " ".join(said.split()), said


@pytest.mark.parametrize("prefixes", [("--no-prefix",), ("--src-prefix=i/", "--dst-prefix=w/"), ()],
                         ids=["no-prefix", "other-prefixes", "a-b"])
def test_a_diff_without_a_and_b_prefixes_is_said_as_git_am_reads_it(tmp_path: Path, prefixes: tuple[str, ...]) -> None:
    # A user's branch exported with diff.noprefix=true (or --no-prefix): git am drops 'drivers/' of
    # 'drivers/demo/a.c'. Before: read so without a word, the user left to wonder why nothing applied.
    patches, _, _ = _series(tmp_path, [_write(A, EDITED)], *prefixes)
    r = runner.invoke(app, ["series", str(patches)])
    assert r.exit_code == 0, r.stderr
    said = " ".join(r.stderr.split())
    if prefixes != ("--no-prefix",):
        assert "no a/ and b/ prefixes" not in said, said
        return
    assert "0001-demo-step-1.patch:" in said and "'diff --git drivers/demo/a.c drivers/demo/a.c': its names have no " \
        "a/ and b/ prefixes (git format-patch --no-prefix, or diff.noprefix=true in the sender's git config): git am " \
        "reads them at -p1, as read here, dropping their first folder (drivers/demo/a.c is patched as demo/a.c)" in said


def test_a_fixup_commit_sent_as_a_patch_is_said(tmp_path: Path) -> None:
    # A user's branch exported before 'git rebase -i --autosquash': its 'fixup! ...' commit is a patch of its own.
    # Before: read without a word (the patch it amends compared without it).
    author = init_repo(tmp_path / "author", {A: TEXT})
    base = git(author, "rev-parse", "HEAD").stdout.decode().strip()
    (author / A).write_text(EDITED)
    git(author, "commit", "-q", "-am", "demo: step 1\n\nStep.\n\nSigned-off-by: Oracle <oracle@example.org>")
    (author / A).write_text(EDITED.replace("x + 33", "x + 34"))
    git(author, "commit", "-q", "-am", "fixup! demo: step 1")
    git(author, "format-patch", "-q", "-o", str(tmp_path / "patches"), f"{base}..HEAD")
    r = runner.invoke(app, ["series", str(tmp_path / "patches")])
    said = " ".join(r.stderr.split())
    assert r.exit_code == 0 and "0002-fixup-demo-step-1.patch:" in said, said
    assert "'fixup! demo: step 1': a commit git rebase -i --autosquash folds into the one titled 'demo: step 1' " \
           "(fixup), sent as a patch of its own" in said, said
    assert said.count("autosquash") == 1, said
