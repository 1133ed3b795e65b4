"""The replies' proposals a manifest variant builds (harness/manifestbuilt.py): the manifest's, read when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

import harness.manifest
from harness.manifestbuilt import named_replies, taken_hunks
from harness.model import ProposalKind
from harness.pipeline import SeriesRequest, read_inputs
from tests.harness.test_code_proposal_note import _folder
from tests.mailgen import demo_series, write_eml

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MANIFEST = ('[series]\nname = "demo"\nmsgids = ["cover-v2@example.org"]\n\n[[variant]]\nname = "carl"\n'
            'start = "v2:02"\npatches = ["v.patch"]\nmsgid = "code@x"\nauthor = "Carl Code"\ndescription = "c"\n')


def test_a_reply_a_manifest_variant_is_written_for_is_named(tmp_path: Path) -> None:
    folder, _ = _folder(tmp_path)  # a reply <code@x> writing out C code with no diff lines
    (tmp_path / "v.patch").write_text("")
    (tmp_path / "manifest.toml").write_text(MANIFEST)
    series = read_inputs(SeriesRequest((folder,)))
    assert named_replies(series, tmp_path / "manifest.toml") == {"code@x"}
    assert taken_hunks(series, tmp_path / "manifest.toml") == frozenset()  # no reply pastes a bare hunk


def test_the_manifest_is_not_read_where_no_reply_proposes_such_code(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i, m in enumerate(demo_series()):
        write_eml(folder / f"{i}.eml", m)
    series = read_inputs(SeriesRequest((folder,)))

    def unread(*_: object) -> None:
        raise AssertionError("the manifest was looked for")

    monkeypatch.setattr(harness.manifest, "find_manifest", unread)
    assert named_replies(series, None) == taken_hunks(series, None) == frozenset()


def test_the_corpus_proposals_a_variant_takes_are_replies_proposals() -> None:
    # The corpus has a reply pasting bare hunks: the bundled manifest's variants take their replies' proposals.
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    series = read_inputs(SeriesRequest((CORPUS,)))
    replies = [r for rev in series.revisions for p in ([rev.cover] if rev.cover else []) + list(rev.patches)
               for r in p.replies]
    assert any(prop.kind is ProposalKind.HUNK for r in replies for prop in r.proposals)
    taken = taken_hunks(series, None)  # the bundled manifest that recognises the series
    assert taken and taken <= {(r.mail.msgid, i) for r in replies for i in range(len(r.proposals))}
    assert {msgid for msgid, _ in taken} <= named_replies(series, None)
