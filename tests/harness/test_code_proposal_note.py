"""A reply proposing C code with no diff lines is said as no variant.

A reply that proposes C code with no diff lines ('Something like:' and the function written out) is said as no
variant: git mailinfo and git apply find no patch in it (the oracle). eval and gate said nothing of it before; only
the series tree listed it ('proposal snippet'). A reply a manifest variant is written for is built by that variant's
patch file, and is not said."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import SeriesRequest, read_inputs
from tests.gitoracle import git, init_repo
from tests.mailgen import HELPER_PATH, HELPER_V1, demo_series, write_eml

CODE = ("Something like:\n\n"
        "static int demo_call(u64 fn)\n{\n\tint tries = 4;\n\n\treturn demo_try(fn, tries);\n}\n\nThanks.\n")


def _reply() -> bytes:
    head = ("From: Carl Code <carl@example.net>\nTo: Ann Author <ann@example.org>\n"
            "Subject: Re: [PATCH v2 2/3] demo: print fn in decimal\nMessage-ID: <code@x>\n"
            "In-Reply-To: <p2-v2@example.org>\nReferences: <cover-v2@example.org> <p2-v2@example.org>\n"
            "Date: Mon, 5 Jan 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n")
    return (head + "On Mon, Ann Author wrote:\n> Change number 2.\n\n" + CODE).encode()


def _folder(tmp_path: Path) -> tuple[Path, int]:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    raw = _reply()
    (folder / "9.eml").write_bytes(raw)
    return folder, raw.decode().split("\n").index("static int demo_call(u64 fn)") + 1  # then a paragraph at +4


def test_git_apply_finds_no_patch_in_code_without_diff_lines(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo", {HELPER_PATH: HELPER_V1})
    git(tmp_path, "mailinfo", str(tmp_path / "msg"), str(tmp_path / "patch"), stdin=_reply())
    res = git(repo, "apply", "--check", str(tmp_path / "patch"), check=False)
    assert res.returncode != 0 and "No valid patches in input" in res.stderr.decode()


def test_code_without_diff_lines_is_said_no_variant(tmp_path: Path) -> None:
    folder, line = _folder(tmp_path)
    notes = [n for n in read_inputs(SeriesRequest((folder,))).notes if "code in the reply" in n.reason]
    assert len(notes) == 1, notes
    assert notes[0].where.path.endswith("9.eml") and notes[0].where.line == line
    assert notes[0].reason == (
        f"code in the reply of Carl Code <code@x> to v2 02/3 (lines {line}, {line + 4}) is no variant: it has no "
        "diff lines ('-'/'+' under an '@@' header) for git apply to apply (a manifest variant builds it from a patch "
        "file, --manifest FILE)")


def test_a_reply_a_manifest_variant_is_written_for_is_not_said(tmp_path: Path) -> None:
    folder, _ = _folder(tmp_path)
    (tmp_path / "v.patch").write_text("")
    (tmp_path / "manifest.toml").write_text(
        '[series]\nname = "demo"\nmsgids = ["cover-v2@example.org"]\n\n[[variant]]\nname = "carl"\nstart = "v2:02"\n'
        'patches = ["v.patch"]\nmsgid = "code@x"\nauthor = "Carl Code"\ndescription = "c"\n')
    notes = read_inputs(SeriesRequest((folder,), manifest=tmp_path / "manifest.toml")).notes
    assert not [n for n in notes if "code in the reply" in n.reason]
