"""apply's refusal of a hunk names the line git am names ('patch failed: PATH:N'), with git as the oracle."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import am, init_repo
from tests.mailgen import diff, message, patch_body, write_eml

runner = CliRunner()
PATH = "drivers/demo/helper.h"
LINES = [f"#define DEMO_{i} {i}" for i in range(1, 25)]


def _text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _changed(lines: list[str], at: int, new: str) -> list[str]:
    """``lines`` with line ``at`` (1-based) made ``new``."""
    return [*lines[: at - 1], new, *lines[at:]]


def _own_place() -> tuple[list[str], list[str], list[str]]:
    # The base changed a context line where the hunk's header puts it.
    author = LINES
    return _changed(author, 8, "#define DEMO_8 80"), author, _changed(author, 10, "#define DEMO_10 100")


def _offset_but_one() -> tuple[list[str], list[str], list[str]]:
    # A newer base: two lines more above the hunk and one of its context lines changed (git: the header's line).
    author = LINES
    base = ["/* one */", "/* two */", *_changed(author, 11, "#define DEMO_11 110")]
    return base, author, _changed(author, 9, "#define DEMO_9 90")


def _removed_differs() -> tuple[list[str], list[str], list[str]]:
    author = LINES
    return _changed(author, 12, "#define DEMO_12 0x12"), author, _changed(author, 12, "#define DEMO_12 12u")


def _whitespace_only() -> tuple[list[str], list[str], list[str]]:
    # A context line re-spaced (a tab where the author's has a space): git apply's default --whitespace refuses it.
    author = LINES
    return _changed(author, 14, "#define DEMO_14\t14"), author, _changed(author, 15, "#define DEMO_15 150")


def _past_the_end() -> tuple[list[str], list[str], list[str]]:
    # The hunk's place is past the end of the base's (shorter) file.
    author = LINES
    return author[:8], author, _changed(author, 20, "#define DEMO_20 200")


CASES: dict[str, Callable[[], tuple[list[str], list[str], list[str]]]] = {
    "context changed at its own place": _own_place, "found at an offset but for one line": _offset_but_one,
    "a removed line differs": _removed_differs, "whitespace only": _whitespace_only,
    "a hunk past the file's end": _past_the_end,
}


def _series(folder: Path, base: str, author: str, result: str) -> list[Path]:
    """1/2 creates the file as ``base``; 2/2 is a diff its author made from ``author`` to ``result``."""
    cover = "cover@example.org"
    mails = [(f"{folder}/0.eml", message("[PATCH 0/2] demo", cover, "Two.\n")),
             (f"{folder}/1.eml", message("[PATCH 1/2] demo: add", "p1@example.org",
                                         patch_body("Add.", diff(PATH, None, base)), parent=cover, refs=(cover,))),
             (f"{folder}/2.eml", message("[PATCH 2/2] demo: change", "p2@example.org",
                                         patch_body("Change.", diff(PATH, author, result)), parent=cover,
                                         refs=(cover,)))]
    folder.mkdir(parents=True)
    return [write_eml(Path(name), msg) for name, msg in mails]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("case", sorted(CASES))
def test_apply_names_the_line_git_am_names(tmp_path: Path, case: str) -> None:
    # Before: the line was where the context first differs at the hunk's own place, before any offset: on the
    # newer base ('found at an offset but for one line') it named line 7, an unrelated #define, where git says 6.
    base, author, result = (_text(x) for x in CASES[case]())
    mails = _series(tmp_path / "in", base, author, result)
    commits, said = am(init_repo(tmp_path / "repo"), mails[1:])
    failed = re.search(rf"error: patch failed: {re.escape(PATH)}:(\d+)", said)
    assert len(commits) == 1 and failed, said  # git am takes 1/2 and stops on 2/2 naming a line
    r = runner.invoke(app, ["apply", str(tmp_path / "in"), "--variant", "v1", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1 and not (tmp_path / "o").exists(), r.stderr
    assert f" patch v1 02/2 does not apply: patch failed at {PATH}:{failed.group(1)} (hunk @@ " in r.stderr, (
        r.stderr, said)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_line_that_differs_is_named_where_the_hunk_nearly_fits(tmp_path: Path) -> None:
    # Beside git's line, why: the line that really differs (11, two lines down in the newer base: 13), not the
    # header's place's first line (7, which only moved).
    base, author, result = (_text(x) for x in _offset_but_one())
    _series(tmp_path / "in", base, author, result)
    r = runner.invoke(app, ["apply", str(tmp_path / "in"), "--variant", "v1", "--out", str(tmp_path / "o")])
    assert "context differs at line 13 (6 of its 7 lines fit 2 lines below its header's line 6)" in r.stderr, r.stderr
    assert base.splitlines()[12] != author.splitlines()[10] and base.splitlines()[6] == author.splitlines()[4]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_file_the_base_lacks_is_named_without_a_line_as_git_names_it(tmp_path: Path) -> None:
    # git am: 'PATH: does not exist in index', no line: apply names the file alone, at the file header.
    base, result = _text(LINES), _text(_changed(LINES, 9, "#define DEMO_9 90"))
    mails = _series(tmp_path / "in", base, base, result)
    mails[1].unlink()  # 1/2, which creates the file, is not in the tree's history: the tree lacks it
    tree = init_repo(tmp_path / "tree")
    commits, said = am(init_repo(tmp_path / "repo"), [mails[2]])
    assert not commits and f"error: {PATH}: does not exist in index" in said, said
    r = runner.invoke(app, ["apply", str(tmp_path / "in"), "--variant", "v1", "--tree", str(tree), "--out",
                            str(tmp_path / "o")])
    assert r.exit_code == 2 and not (tmp_path / "o").exists(), r.stderr
    assert f": patch v1 02/2: {PATH}: patch modifies a file the base does not have (" in r.stderr, r.stderr
