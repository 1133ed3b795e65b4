"""Bad input to a command that writes files: one line naming file and line, exit 2, no output made or changed."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.gitoracle import am, init_repo
from tests.mailgen import blob, diff, message, patch_body, write_eml
from tests.reports.test_reviewer_verdicts import HELPER, _case, _helper

runner = CliRunner()
EARLIER = "an earlier report\n"

# Each command that writes files, as (arguments after its inputs, the outputs it names).
COMMANDS: dict[str, tuple[list[str], list[str]]] = {
    "apply": (["--variant", "v1", "--out", "{out}/files"], ["files"]),
    "eval": (["--matrix", "{matrix}", "--rules", "{rules}", "--json", "{out}/r.json", "--html", "{out}/r.html"],
             ["r.json", "r.html"]),
    "gate": (["--variant", "v1", "--matrix", "{matrix}", "--rules", "{rules}", "--junit", "{out}/j.xml",
              "--json", "{out}/g.json"], ["j.xml", "g.json"]),
}


def _junk(folder: Path, tmp: Path) -> list[str]:
    """A file among the inputs that is no mail."""
    (folder / "9.eml").write_text("not mail\n")
    return []


def _unknown_variant(folder: Path, tmp: Path) -> list[str]:
    return ["--variant", "v1:07"]


def _bad_toml_key(folder: Path, tmp: Path) -> list[str]:
    """A manifest with a key its table does not have (a typo of ``title``)."""
    (tmp / "man.toml").write_text('[series]\nname = "demo"\ntitel = "a typo"\n')
    return ["--manifest", str(tmp / "man.toml")]


def _bad_option(folder: Path, tmp: Path) -> list[str]:
    return ["--base", "HEAD"]  # without --tree


ELSEWHERE = _helper(3, "%llu").replace("\n", "\n/* elsewhere */\n", 1)  # line 2 is not patch 1/2's


def _does_not_apply(folder: Path, tmp: Path) -> list[str]:
    """Patch 2/2's context is a text patch 1/2 never made (git am stops on it)."""
    one = ELSEWHERE
    write_eml(folder / "2.eml", message("[PATCH 2/2] demo: print the leaf in hex", "p2@example.org",
                                        patch_body("Hex.", diff(HELPER, one, _helper(3, "0x%llx"))),
                                        parent="cover@example.org", refs=("cover@example.org",)))
    return []


def _bad_matrix_key(folder: Path, tmp: Path) -> list[str]:
    """A matrix with a key no table has."""
    matrix = tmp / "m.toml"
    matrix.write_text("colour = 1\n" + matrix.read_text())
    return []


def _bad_rules_key(folder: Path, tmp: Path) -> list[str]:
    """A rules file with a key no rule has (a typo of ``summary``)."""
    rules = tmp / "r.toml"
    rules.write_text(rules.read_text().replace("summary =", "sumary ="))
    return []


def _bad_toml(folder: Path, tmp: Path) -> list[str]:
    matrix = tmp / "m.toml"
    matrix.write_text(matrix.read_text() + "[[[\n")
    return []


ALL = tuple(sorted(COMMANDS))
BAD: dict[str, tuple[Callable[[Path, Path], list[str]], str, tuple[str, ...]]] = {
    # what is wrong -> (how the input is made so, what the one line says (FILE:LINE first), the commands it fits)
    "mail that is not mail": (_junk, r"9\.eml:1: not a mail message", ("apply",)),
    "an unknown variant": (_unknown_variant, r"no variant 'v1:07'", ALL),
    "a manifest key no table has": (_bad_toml_key, r"man\.toml:3: unknown key 'series\.titel'", ALL),
    "a matrix key no table has": (_bad_matrix_key, r"m\.toml:1: unknown key 'colour'", ("eval", "gate")),
    "a rules key no rule has": (_bad_rules_key, r"r\.toml:4: unknown key 'rule\.sumary'", ("eval", "gate")),
    "a matrix that is not TOML": (_bad_toml, r"m\.toml:\d+: bad TOML: ", ("eval", "gate")),
    "an option without the one it needs": (_bad_option, r"--base needs --tree", ALL),
    "an unknown --against": (lambda folder, tmp: ["--against", "v9"], r"no variant 'v9'", ("eval",)),
    "a patch that does not apply": (_does_not_apply, r"in/2\.eml:\d+: patch v1 02/2 does not apply: patch "
                                    r"failed at " + re.escape(HELPER) + r":\d+ \(hunk @@ ", ("apply",)),
}
CASES = [(c, b) for b, (_, _, commands) in sorted(BAD.items()) for c in commands]


def _run(tmp: Path, command: str, bad: str, earlier: bool) -> tuple[int, str, Path]:
    folder, matrix, rules = _case(tmp)
    more = BAD[bad][0](folder, tmp)
    out = tmp / "out"
    out.mkdir()
    args, names = COMMANDS[command]
    if earlier:
        for name in names:
            if name == "files":
                continue  # apply's folder: tests/test_hostile.py keeps an earlier output whole
            (out / name).write_text(EARLIER)
    given = [a.format(out=out, matrix=matrix, rules=rules) for a in args]
    if "--variant" in more and "--variant" in given:  # the bad variant in place of the good one
        i = given.index("--variant")
        given[i : i + 2] = []
    r = runner.invoke(app, [command, str(folder), *given, *more, "--no-cache"] if command != "apply"
                      else [command, str(folder), *given, *more])
    return r.exit_code, r.stderr, out


@pytest.mark.parametrize("earlier", [False, True], ids=["new", "earlier"])
@pytest.mark.parametrize(("command", "bad"), CASES)
def test_bad_input_is_one_line_and_no_output(tmp_path: Path, command: str, bad: str, earlier: bool) -> None:
    code, stderr, out = _run(tmp_path, command, bad, earlier)
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert code == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("seamharness: "), stderr
    assert re.search(BAD[bad][1], lines[0]), lines[0]
    assert "Traceback" not in stderr
    left = {p.name: p.read_text() for p in out.iterdir()}
    assert left == ({n: EARLIER for n in COMMANDS[command][1] if n != "files"} if earlier else {}), left
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")], os.listdir(out.parent)


def test_apply_leaves_an_earlier_output_as_it_was(tmp_path: Path) -> None:
    # Before: a patch that did not apply replaced an earlier output with the files that did, .rej files beside them.
    folder, _, _ = _case(tmp_path)
    out = tmp_path / "files"
    assert runner.invoke(app, ["apply", str(folder), "--variant", "v1", "--out", str(out)]).exit_code == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _does_not_apply(folder, tmp_path)
    r = runner.invoke(app, ["apply", str(folder), "--variant", "v1", "--out", str(out)])
    assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "in", "m.toml", "r.toml"]
    # --reject writes what applies, as git apply --reject: the file that does not is marked, exit 1.
    r = runner.invoke(app, ["apply", str(folder), "--variant", "v1", "--out", str(out), "--reject"])
    assert r.exit_code == 1 and (out / (HELPER + ".rej")).is_file(), r.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_apply_names_the_hunk_git_am_stops_on(tmp_path: Path) -> None:
    # The line names the mail's @@ line, the patch, the line git names, and the file's line where the context first
    # differs.
    folder, _, _ = _case(tmp_path)
    _does_not_apply(folder, tmp_path)
    commits, said = am(init_repo(tmp_path / "repo"), [folder / "1.eml", folder / "2.eml"])
    assert len(commits) == 1 and f"{HELPER}: patch does not apply" in said, said  # 1/2 only
    at = 1 + (folder / "2.eml").read_text().splitlines().index(next(
        ln for ln in (folder / "2.eml").read_text().splitlines() if ln.startswith("@@ ")))
    differs = 1 + next(i for i, (a, b) in enumerate(zip(_helper(3, "%llu").splitlines(), ELSEWHERE.splitlines(),
                                                        strict=False)) if a != b)
    r = runner.invoke(app, ["apply", str(folder), "--variant", "v1", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and not (tmp_path / "o").exists(), r.stderr
    failed = re.search(rf"error: patch failed: {re.escape(HELPER)}:(\d+)", said)  # git's line: the hunk's header's
    assert failed, said
    assert r.stderr.startswith(f"seamharness: {folder / '2.eml'}:{at}: patch v1 02/2 does not apply: patch failed at "
                               f"{HELPER}:{failed.group(1)} (hunk @@ "), r.stderr
    assert f"context differs at line {differs}); nothing written" in r.stderr, r.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("earlier", [False, True], ids=["new", "earlier"])
@pytest.mark.parametrize("command", ["eval", "gate"])
def test_an_output_that_takes_no_bytes_leaves_the_others_unwritten(tmp_path: Path, command: str,
                                                                   earlier: bool) -> None:
    # Before: --json A --html /dev/full wrote A, then failed on the device: exit 2 with A made or replaced.
    folder, matrix, rules = _case(tmp_path)
    first, second = {"eval": ("--json", "--html"), "gate": ("--junit", "--json")}[command]
    report = tmp_path / "first.out"
    if earlier:
        report.write_text(EARLIER)
    r = runner.invoke(app, [command, str(folder), *(["--variant", "v1"] if command == "gate" else []), "--matrix",
                            str(matrix), "--rules", str(rules), "--no-cache", first, str(report), second, "/dev/full"])
    assert r.exit_code == 2 and r.stderr.strip() == f"seamharness: {second} /dev/full: cannot write: no space left on "\
        "device", r.stderr
    assert (report.read_text() if earlier else report.exists()) == (EARLIER if earlier else False)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_apply_writes_a_text_patch_git_am_takes_though_its_result_is_another_blob(tmp_path: Path) -> None:
    # A diff edited by hand (its index line's post-image blob is not what its hunks make): git am applies it (git
    # apply never checks a text patch's result), so it is no patch that does not apply: written, unusable, exit 1.
    folder, _, _ = _case(tmp_path)
    one = _helper(3, "%llu")
    text = diff(HELPER, None, one).replace(f"..{blob(one)[:12]}", "..0123456789ab")  # not what the hunks make
    write_eml(folder / "1.eml", message("[PATCH 1/2] demo: add helper", "p1@example.org", patch_body("Add.", text),
                                        parent="cover@example.org", refs=("cover@example.org",)))
    commits, said = am(init_repo(tmp_path / "repo"), [folder / "1.eml"])
    assert len(commits) == 1 and not said, said
    out = tmp_path / "o"
    r = runner.invoke(app, ["apply", str(folder), "--variant", "v1:01", "--out", str(out)])
    assert r.exit_code == 1 and "the index line says 0123456789ab" in r.stderr, r.stderr
    assert (out / HELPER).read_bytes() == (tmp_path / "repo" / HELPER).read_bytes()
