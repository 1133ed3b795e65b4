"""A patch's code id (harness.patchid.code_id), the change as the compiler reads it; its patch_id, as git's."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from harness.patchid import code_id, named_added, patch_id
from tests.mailgen import diff

OLD = "int f(int a)\n{\n\treturn a;\n}\n"
NEW = "int f(int a)\n{\n\tif (a > 3)\n\t\treturn 3;\n\treturn a;\n}\n"


def _id(new: str, old: str = OLD, path: str = "x/f.c") -> str | None:
    return code_id(diff(path, old, new).encode())


def test_comments_alone_make_no_other_change() -> None:
    same = [
        NEW.replace("\tif (a > 3)\n", "\t/* clamp */\n\tif (a > 3) // the limit\n"),
        NEW.replace("\tif (a > 3)\n", "\t/*\n\t * clamp it:\n\t * the limit\n\t */\n\tif (a > 3)\n"),
        NEW.replace("return 3;", "return /* the limit */ 3;"),
    ]
    assert {_id(n) for n in same} == {_id(NEW)} and _id(NEW) is not None


def test_code_strings_and_other_files_make_another() -> None:
    other = [
        NEW.replace("return 3;", "return 4;"),
        NEW.replace("return 3;", "return \"/* 3 */\" != 0;"),
        NEW.replace("if (a > 3)", "if (a >= 3)"),
    ]
    assert _id(NEW) not in {_id(n) for n in other} and len({_id(n) for n in other}) == len(other)
    assert _id(NEW, path="x/g.c") != _id(NEW)
    # In a file that is no C, a comment is text: '/* x */' in a Makefile or a document is what changes.
    assert _id("a\n/* x */\n", "a\n", "x/Makefile") != _id("a\n/* y */\n", "a\n", "x/Makefile")


def test_a_patch_of_comments_alone_has_no_code_id() -> None:
    assert _id(OLD.replace("{\n", "{\n\t/* nothing */\n")) is None
    # A hunk that starts inside a block comment: its continuation lines are comment too.
    long_comment = "/*\n" + "".join(f" * line {n}\n" for n in range(12)) + " */\n" + OLD
    assert code_id(diff("x/f.c", long_comment, long_comment.replace("line 9", "row 9")).encode()) is None


def test_named_added_keeps_the_added_lines_that_name_something() -> None:
    # Keywords, numbers and punctuation alone name nothing; spaces and comments do not count; removed lines are out.
    new = "int f(int a)\n{\n\tif (a >  3) /* clamp */\n\t{\n\t\treturn 3;\n\t} else {\n\t\tbreak;\n\t}\n" \
        "\treturn NULL;\n\treturn a;\n}\n"
    got = named_added(diff("x/f.c", OLD.replace("\treturn a;\n", "\treturn b;\n"), new).encode())
    assert got == {b"if(a>3)": 1, b"returna;": 1}, got
    # 'return err;' names err: the words are told apart before the spaces go.
    assert named_added(diff("x/f.c", OLD, OLD.replace("return a;", "return err;")).encode()) == {b"returnerr;": 1}
    # Its removed side alike: the lines a removal takes out (samechange.kept_lines measures a removal by them).
    gone = diff("x/f.c", new, "int f(int a)\n{\n\treturn 3;\n}\n").encode()
    assert named_added(gone, b"-") == {b"if(a>3)": 1, b"returna;": 1}
    assert named_added(gone) == {}


_ODD = [
    b"diff --git a/x.c b/x.c\nindex 1..2 100644\n--- a/x.c\n+++ b/x.c\n@@ -1,2 +1,2 @@\n a\t b\r\n-\vc\f\n+c  \t d\n",
    b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-old\n+new\n\\ No newline at end of file\n",
    b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n" + b"From " + b"ab" * 20 + b" Mon\n+c\n",
    b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\ncommit " + b"0" * 40 + b"\n",
    b"diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,3 +1,3 @@\n From me\n-commit x\n+diff-tree y\n ok\n",
]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle
@pytest.mark.parametrize("diff", _ODD)
def test_patch_id_is_gits_on_odd_whitespace_and_header_lines(diff: bytes) -> None:
    # Whitespace git deletes (its isspace: no \v or \f), a line naming the next commit, "\ No newline".
    out = subprocess.run(["git", "patch-id", "--stable"], input=diff, capture_output=True, check=True).stdout
    assert patch_id(diff) == (out.split()[0].decode() if out else None)
