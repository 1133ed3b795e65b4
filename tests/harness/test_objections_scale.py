"""harness.objections at scale: which heads are applied is told without comparing each with every applied patch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Patch
from harness.objections import _found
from harness.synthetic import series_mbox

N = 200


def test_the_applied_heads_found_without_comparing_patches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mbox = tmp_path / "s.mbox"
    mbox.write_text(series_mbox(1, N))
    series = parse_series(IngestRequest((mbox,)))
    compared = [0]
    plain = Patch.__eq__

    def counted(a: Patch, b: object) -> bool:
        compared[0] += 1
        return plain(a, b)

    monkeypatch.setattr(Patch, "__eq__", counted)
    patches = list(series.revisions[0].patches)
    assert _found(series, 1, patches, frozenset()) == []
    assert _found(series, 1, patches[:N // 2], frozenset()) == []
    assert compared[0] <= 2 * N  # each head against the applied patches before it: N * N / 2 and more


def test_each_revisions_objections_are_found_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every revision's report or gate reads the other revisions' objections twice (open and earlier ones): R
    # revisions read each other's R * (R - 1) * 2 times, each a pass over every reply.
    import harness.objections as objections
    from harness.variants import Variant

    mbox = tmp_path / "s.mbox"
    mbox.write_text(series_mbox(4, 3))
    series = parse_series(IngestRequest((mbox,)))
    passes: list[int] = []
    plain = objections._found

    def counted(s: object, revision: int, *rest: object) -> object:
        passes.append(revision)
        return plain(s, revision, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(objections, "_found", counted)
    for rev in series.revisions:
        sources = tuple((p.mail.msgid, p.label) for p in rev.patches)
        target = Variant(f"v{rev.version}", "", (), (), (), sources, "", revision=rev.version)
        objections.review_objections(series, target, frozenset())
    assert sorted(passes) == sorted([r.version for r in series.revisions] * 2), passes


def test_the_same_patches_objections_are_found_once_for_every_variant(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # A revision and a reviewer variant applying its patches, asked by every rule and again by the report: each
    # asking passed over every reply below the patches again for the same objections.
    import harness.objections as objections
    from harness.variants import Variant

    mbox = tmp_path / "s.mbox"
    mbox.write_text(series_mbox(2, 3))
    series = parse_series(IngestRequest((mbox,)))
    passes: list[tuple[int, int]] = []
    plain = objections._found

    def counted(s: object, revision: int, applied: list[Patch], cited: frozenset[str]) -> object:
        passes.append((revision, len(applied)))
        return plain(s, revision, applied, cited)  # type: ignore[arg-type]

    monkeypatch.setattr(objections, "_found", counted)
    rev = series.revisions[-1]
    sources = tuple((p.mail.msgid, p.label) for p in rev.patches)
    first = Variant(f"v{rev.version}", "", (), (), (), sources, "", revision=rev.version)
    again = Variant("reviewer", "", (), (), (), sources, "", revision=rev.version)
    shorter = Variant(f"v{rev.version}:01", "", (), (), (), sources[:1], "", revision=rev.version)
    said = [objections.open_objections(series, v, frozenset()) for v in (first, again, first, shorter)]
    assert said[0] == said[1] == said[2]
    mine = [n for r, n in passes if r == rev.version]
    assert sorted(mine) == [1, len(rev.patches)], passes  # once per set of patches applied, not once per asking


def _nak_storm(tmp_path: Path, n: int, dated: bool) -> Path:
    """A demo series whose patch 1/3 gets n reviewers' NAKs, each taken back by its sender (dated after it, or with
    no Date: then no withdrawal is known to come after its NAK, and every NAK stands)."""
    from tests.mailgen import demo_series, write_mbox

    mbox = write_mbox(tmp_path / "s.mbox", demo_series())
    with open(mbox, "a", encoding="utf-8") as fh:
        for i in range(2 * n):
            body = "NAK." if i % 2 == 0 else "I withdraw my NAK."
            date = f"Date: Mon, 2 Feb 2026 {i // 60:02}:{i % 60:02}:00 +0000\n" if dated else ""
            fh.write(f"From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: R{i // 2} <r{i // 2}@x.example>\n{date}"
                     f"Subject: Re: [PATCH v2 1/3] demo: add helper\nMessage-ID: <n{i}@x.example>\n"
                     f"In-Reply-To: <p1-v2@example.org>\n\n{body}\n\n")
    return mbox


def _counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, n: int, dated: bool) -> tuple[list[Any], int]:
    """The objections of v2 of a storm of ``n`` NAKs each taken back, and how often harness.takenback's ``name``
    was called finding them."""
    import harness.takenback as takenback

    series = parse_series(IngestRequest((_nak_storm(tmp_path, n, dated),)))
    calls = [0]
    plain = getattr(takenback, name)

    def counted(*args: object) -> object:
        calls[0] += 1
        return plain(*args)

    monkeypatch.setattr(takenback, name, counted)
    rev = next(r for r in series.revisions if r.version == 2)
    return _found(series, 2, list(rev.patches), frozenset()), calls[0]


def test_each_withdrawal_is_read_once_whatever_the_naks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # n reviewers each NAK a patch and take it back: every NAK asked of every withdrawal, which read its words again
    # each time (n * n readings: 1,000 replies, 31 s of a gate).
    found, readings = _counted(tmp_path, monkeypatch, "named_each", 60, dated=True)
    assert found == []  # every NAK taken back by its own sender
    assert readings <= 2 * 60, readings


@pytest.mark.parametrize("dated", [True, False])
def test_a_nak_asks_only_about_withdrawals_its_sender_could_have_sent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                       dated: bool) -> None:
    # Each NAK was checked against every withdrawal in the thread, whoever sent it (n * n placements: 4,000 replies
    # 18 s of a gate); by address (taken back) or by name and rewritten From: (said of a standing NAK), it is its own.
    found, placed = _counted(tmp_path, monkeypatch, "_covers", 60, dated)
    assert len(found) == (0 if dated else 60)  # undated: no withdrawal is known to follow its NAK
    assert placed <= 2 * 60, placed


def test_each_replys_objection_is_read_once_whatever_the_rules_cite(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # The report asks for a variant's objections with the messages the rules cite there (a rule n/a, or a warning not
    # passing, cites nothing of it), so one set of patches is asked with several; each asking read every reply below
    # them again. Read once now, the objections are the same (and eval's process reads them before the verdicts are
    # in: harness.objections.read_ahead).
    import harness.objections as objections
    import harness.replyobjections as replyobjections
    from harness.variants import Variant
    from tests.harness.test_gate_naks import MAE, OLGA, _replies

    mbox = _replies(tmp_path, ("o1@example.org", "> quoted\n\nNAK, this loops for ever.\n", OLGA, "patch"),
                    ("m1@example.org", "> quoted\n\nLooks fine to me, one nit below.\n", MAE, "patch"))
    series = parse_series(IngestRequest((mbox,)))
    rev = series.revisions[-1]
    target = Variant(f"v{rev.version}", "", (), (), (), tuple((p.mail.msgid, p.label) for p in rev.patches), "",
                     revision=rev.version)
    read: list[str] = []
    plain = replyobjections.drop_request

    def counted(r: Any, *rest: Any) -> Any:
        read.append(r.mail.msgid)
        return plain(r, *rest)

    monkeypatch.setattr(replyobjections, "drop_request", counted)
    objections.read_ahead(series, target)
    said = [objections.open_objections(series, target, cited) for cited in
            (frozenset(), frozenset({"o1@example.org"}), frozenset({"x@example.org"}))]
    assert [o.msgid for o in said[0]] == ["o1@example.org"] and said[1] == () and said[0] == said[2]
    assert read == ["m1@example.org"], read  # the review reply read once; the NAK is no drop request
