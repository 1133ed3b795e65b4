"""Postings: a backdated RESEND of one posting against a third posting of other changes is a tie, in any order.

A ``[PATCH RESEND v2]`` of the same commits (or changes) as a v2 posting, its Date: a day before it, resends that
posting: it was sent after it, but its Date: says nothing of when against a third posting of other changes sent
after the first. Before, the RESEND was read in all 6 input orders and the third refused "for the RESEND"."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.ingest import IngestRequest, parse_series
from harness.model import Series
from tests.harness.test_postings import ACK, _posting, _read, _slots
from tests.mailgen import demo_series, write_mbox

ORDERS = list(itertools.permutations(range(3)))
MAILS = ("cover", "p1", "p2", "p3")


def _three(resend_day: int = 4, third_day: int = 6, trailer: str = "") -> list[list[EmailMessage]]:
    """The v2 of the 5th, its RESEND (``trailer`` added: the same changes, not commits) and a v2 of other changes."""
    first = demo_series()
    return [first, _posting(first, "PATCH RESEND v2", "resend", resend_day, trailer=trailer),
            _posting(demo_series(), "PATCH v2", "third", third_day, change="8")]


def _in_order(tmp_path: Path, postings: list[list[EmailMessage]], order: tuple[int, ...]) -> Series:
    return _read(tmp_path, [m for i in order for m in postings[i]])


@pytest.mark.parametrize("trailer", ["", ACK], ids=["same-commits", "same-changes"])
@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
def test_a_backdated_resend_and_a_third_posting_tie(tmp_path: Path, order: tuple[int, ...], trailer: str) -> None:
    s = _in_order(tmp_path, _three(trailer=trailer), order)
    assert s.revision(2) is None, _slots(s, 2)
    assert not [n for n in s.notes if "cover-v2-resend" in n.reason], s.notes
    by = {k.reason.split(">")[0].split("<")[1]: k.reason for k in s.skipped}
    assert sorted(by) == sorted(f"{m}-v2{tag}@example.org" for m in MAILS for tag in ("", "-resend", "-third"))
    for msgid, reason in by.items():
        assert "too, which is read" not in reason and "<cover-v2-third@example.org>" in reason, reason
        assert "<cover-v2-resend@example.org>" in reason and "one a RESEND of <cover-v2@example.org>" in reason, reason
        assert ("was sent before" if msgid.endswith("-v2@example.org") else "is of one of two postings") in reason


def test_the_gate_stops_on_one_line_naming_both_in_every_order(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.harness.test_gate_naks import RULE

    names = ("first", "resend", "third")
    files = [write_mbox(tmp_path / f"{name}.mbox", ps) for name, ps in zip(names, _three(), strict=True)]
    (tmp_path / "rules.toml").write_text(RULE)
    said = set()
    for order in ORDERS:
        r = CliRunner().invoke(app, ["gate", *(str(files[i]) for i in order), "--variant", "v2", "--rules",
                                     str(tmp_path / "rules.toml")])
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output
        said.add(r.stderr.splitlines()[0])
    assert len(said) == 1, said
    line = said.pop()
    assert f"<cover-v2-resend@example.org> ({files[1]}:2)" in line and "<cover-v2-third@example.org>" in line, line
    assert "too, which is read" not in line and "cannot be told" in line, line


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
def test_an_undated_resend_and_a_third_posting_tie(tmp_path: Path, order: tuple[int, ...]) -> None:
    # The RESEND with no Date: at all is read first too (sent_order), then for its tag alone ("the same Date:").
    postings = _three()
    for m in postings[1]:
        del m["Date"]
    s = _in_order(tmp_path, postings, order)
    assert s.revision(2) is None and len(s.skipped) == 12 and not s.notes, _slots(s, 2)
    assert all("one a RESEND of <cover-v2@example.org>" in k.reason and "with no Date:" in k.reason
               for k in s.skipped), s.skipped[0].reason


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
def test_an_undated_third_posting_refused_for_the_resend_first_ties_with_it(tmp_path: Path,
                                                                            order: tuple[int, ...]) -> None:
    # The third with no Date: is read first (sent_order) and refused for the RESEND by its tag; then the RESEND turns
    # out to resend the v2 of the 5th, which tells nothing against the third: said anew as a tie.
    postings = _three()
    for m in postings[2]:
        del m["Date"]
    s = _in_order(tmp_path, postings, order)
    assert s.revision(2) is None and len(s.skipped) == 12 and not s.notes, _slots(s, 2)
    assert all("too, which is read" not in k.reason and "one a RESEND of <cover-v2@example.org>" in k.reason
               for k in s.skipped), s.skipped[0].reason


@pytest.mark.parametrize("undated", ["", "resend"])
@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
def test_a_third_posting_of_the_resends_date_before_the_one_resent_is_still_refused(tmp_path: Path,
                                                                                   order: tuple[int, ...],
                                                                                   undated: str) -> None:
    # A guard: the third of the 3rd or 4th, read before the v2 of the 5th and refused for the RESEND (of the 4th, or
    # undated) by its tag: the RESEND resends the v2 of the 5th, so it came after the third all the same.
    postings = _three(third_day=3 if undated else 4)
    for m in postings[1] if undated else []:
        del m["Date"]
    s = _in_order(tmp_path, postings, order)
    assert _slots(s, 2) == [f"{m}-v2-resend@example.org" for m in MAILS]
    assert all(k.reason.split(">")[0].endswith("-v2-third@example.org") and "too, which is read (the RESEND" in k.reason
               for k in s.skipped), s.skipped
    assert len(s.skipped) == 4 and len(s.notes) == 1, s.notes


@pytest.mark.parametrize("order", ORDERS, ids=lambda o: "".join(map(str, o)))
def test_a_third_posting_dated_before_the_one_resent_is_still_refused_for_the_resend(tmp_path: Path,
                                                                                   order: tuple[int, ...]) -> None:
    # A guard: the third of the 3rd, before the v2 of the 5th the RESEND resends: the RESEND came after both.
    s = _in_order(tmp_path, _three(third_day=3), order)
    assert _slots(s, 2) == [f"{m}-v2-resend@example.org" for m in MAILS]
    assert sorted(k.reason.split(">")[0].split("<")[1] for k in s.skipped) == [f"{m}-v2-third@example.org"
                                                                               for m in MAILS]
    assert [n.reason.split(" of v2")[0] for n in s.notes] == ["<cover-v2@example.org> and 3 more mails"]


@pytest.mark.parametrize("tag", ["PATCH v2", "PATCH RESEND v2"])
def test_a_fourth_posting_after_them_joins_the_tie(tmp_path: Path, tag: str) -> None:
    # Sent after the v2 the RESEND resends, it may be before or after the RESEND, RESEND itself or not: none read.
    postings = [*_three(), _posting(demo_series(), tag, "fourth", 7, change="9")]
    for order in ((0, 1, 2, 3), (3, 2, 1, 0), (2, 3, 0, 1)):
        s = _in_order(tmp_path, postings, order)
        assert s.revision(2) is None and len(s.skipped) == 16, _slots(s, 2)
        assert all("too, which is read" not in k.reason for k in s.skipped), s.skipped
        assert all("one a RESEND of <cover-v2@example.org>" in k.reason for k in s.skipped), s.skipped


def test_the_files_given_apart_read_as_one_input(tmp_path: Path) -> None:
    # The same three postings as three files: the same skips as one mbox (the tie does not rest on the file order).
    files = [write_mbox(tmp_path / f"{n}.mbox", ps) for n, ps in zip("abc", _three(), strict=True)]
    s = parse_series(IngestRequest(tuple(files)))
    assert s.revision(2) is None and len(s.skipped) == 12 and not s.notes
