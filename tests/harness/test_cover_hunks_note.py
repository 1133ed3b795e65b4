"""Bare hunks in a reply to the cover letter make no variant, and that is said.

Bare hunks ('@@ -N,L +M,K @@' pasted with no file headers) in a reply to the cover letter answer no one patch: no
variant is made of them, and that is said, as of a full diff there. They were no variant and said nothing (the
series tree listed them as a proposal; eval and gate were silent)."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import SeriesRequest, read_inputs
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, write_eml


def _reply(body: str) -> bytes:
    head = ("From: Bea Bare <bea@example.net>\nTo: Ann Author <ann@example.org>\n"
            "Subject: Re: [PATCH v2 0/3] demo: helper rework\nMessage-ID: <bare@x>\n"
            "In-Reply-To: <cover-v2@example.org>\nReferences: <cover-v2@example.org>\n"
            "Date: Mon, 5 Jan 2026 10:00:00 +0000\nMIME-Version: 1.0\n"
            "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 7bit\n\n")
    return (head + "On Mon, Ann Author wrote:\n> Cover letter text.\n\nFor the series:\n\n" + body).encode()


def _hunks(n: int) -> str:
    """The hunks of 3/3's change with a line below added, ``n`` of them (one per '@@'), no file header."""
    text = diff(HELPER_PATH, HELPER_V1, HELPER_V2.replace("int tries = 5;", "int tries = 7;"))
    hunk = text[text.index("@@"):]
    return "\n".join([hunk] * n) + "\nThanks.\n"


def _notes(tmp_path: Path, raw: bytes, *more: str) -> tuple[list[str], list[int], int]:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    (folder / "9.eml").write_bytes(raw)
    manifest = tmp_path / "manifest.toml" if more else None
    if manifest is not None:
        manifest.write_text("\n".join(more))
    notes = [n for n in read_inputs(SeriesRequest((folder,), manifest=manifest)).notes if "bare@x" in n.reason]
    line = raw.decode().split("\n").index(_hunks(1).split("\n")[0]) + 1
    return [n.reason for n in notes], [n.where.line for n in notes], line


def test_bare_hunks_below_the_cover_letter_are_said(tmp_path: Path) -> None:
    reasons, lines, first = _notes(tmp_path, _reply(_hunks(1)))
    assert reasons == ["hunk in the reply of Bea Bare <bare@x> to the cover letter is tried on no state (it answers "
                       "no one patch): no variant (a manifest variant names its start)"], reasons
    assert lines == [first]


def test_several_bare_hunks_are_one_note(tmp_path: Path) -> None:
    reasons, lines, first = _notes(tmp_path, _reply(_hunks(2)))
    assert [r.split(" in the reply")[0] for r in reasons] == ["hunks"] and lines == [first]


def test_hunks_a_manifest_variant_builds_are_not_said(tmp_path: Path) -> None:
    reasons, _, _ = _notes(tmp_path, _reply(_hunks(1)), '[series]\nname = "demo"\nmsgids = ["cover-v2@example.org"]\n',
                           '[[variant]]\nname = "bea"\nstart = "v2"\nproposal = { msgid = "bare@x", index = 0 }',
                           'msgid = "bare@x"\nauthor = "Bea Bare"\ndescription = "b"\n')
    assert reasons == []
