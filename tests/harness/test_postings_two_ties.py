"""Postings: two ties on other patch numbers of one revision are each weighed on its own, in every input order.

Two postings of v2 0-1/3 of one Date: (A, B) tie, and two of v2 2/3 (C, D, other senders, unthreaded) tie too. Before,
the revision kept only the last tie formed: a fifth posting of A's Date: under A's numbers (F) was read in 36 of the
120 orders (the tie it belonged to forgotten), one sent later (E) left A and B saying "neither is read" in 60 orders
where E was read, and one sent later holding both ties' numbers left one tie saying so in every order."""

from __future__ import annotations

import itertools
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.model import Series
from tests.harness.test_postings import _read
from tests.mailgen import HELPER_PATH, HELPER_V0, HELPER_V1, diff, message, patch_body

ANN, BOB, CAR = "Ann Author <ann@example.org>", "Bob Bee <bob@example.org>", "Cara Sea <cara@example.org>"
ADD, DECIMAL = "demo: add helper", "demo: print fn in decimal"


def _date(day: int) -> str:
    return f"{'Mon' if day == 5 else 'Tue'}, 0{day} Jan 2026 10:00:00 +0000"


def _patch(n: int, tag: str, sender: str, old: str | None, new: str, day: int, cover: bool) -> EmailMessage:
    """``[PATCH v2 n/3]`` Message-ID ``p<n>-<tag>@``, below ``cover-<tag>@`` when ``cover``, else unthreaded."""
    parent = f"cover-{tag}@example.org" if cover else None
    return message(f"[PATCH v2 {n}/3] {ADD if n == 1 else DECIMAL}", f"p{n}-{tag}@example.org",
                   patch_body(f"Change {n}.", diff(HELPER_PATH, old, new)), sender=sender, parent=parent,
                   refs=(parent,) if parent else (), date=_date(day))


def _first(tag: str, header: str, day: int = 5, also_two: bool = False) -> list[EmailMessage]:
    """A cover letter and patch 1 (its header's first line ``header``), patch 2 too where ``also_two``."""
    cover = message("[PATCH v2 0/3] demo: helper rework", f"cover-{tag}@example.org", "Cover.\n", sender=ANN,
                    date=_date(day))
    one = _patch(1, tag, ANN, None, HELPER_V0.replace("/* demo helper */", header), day, True)
    return [cover, one] + ([_patch(2, tag, ANN, HELPER_V0, HELPER_V1, day, True)] if also_two else [])


def _postings(extra: str = "") -> dict[str, list[EmailMessage]]:
    """A and B tie on 0-1, C and D on 2 (other diffs each); ``extra``: F (A's Date:), E (a day later, 0-1) or E2
    (a day later, 0-2)."""
    out = {"A": _first("a", "/* demo helper */"), "B": _first("b", "/* demo helper, b */"),
           "C": [_patch(2, "c", BOB, HELPER_V0, HELPER_V1, 5, False)],
           "D": [_patch(2, "d", CAR, HELPER_V0, HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%lld)"), 5, False)]}
    if extra:
        out[extra] = _first(extra.lower(), "/* demo helper, later */", 5 if extra == "F" else 6, extra == "E2")
    return out


Said = tuple[tuple[str, bool, tuple[str, ...]], ...]
Outcome = tuple[tuple[str, ...], Said]


def _outcomes(tmp_path: Path, postings: dict[str, list[EmailMessage]]) -> dict[Outcome, list[str]]:
    """Per outcome (the Message-IDs read, and per mail skipped the first mails its line names and whether it is a
    tie), the input orders giving it."""
    out: dict[Outcome, list[str]] = {}
    for order in itertools.permutations(postings):
        s = _read(tmp_path, [m for k in order for m in postings[k]])
        out.setdefault(_outcome(s), []).append("".join(order))
    return out


def _outcome(s: Series) -> Outcome:
    read = tuple(sorted(p.mail.msgid for r in s.revisions for p in r.patches + ((r.cover,) if r.cover else ())))
    said = tuple(sorted((k.reason.split("<")[1].split(">")[0], "cannot be told" in k.reason,
                         tuple(sorted({w.split(">")[0] for w in k.reason.split("<")[2:] if w.startswith("cover")
                                       or w.startswith("p2-")})))
                        for k in s.skipped))
    return read, said


def _ties(a: tuple[str, ...], c: tuple[str, ...]) -> Said:
    tie = [(f"{m}-{x}@example.org", True, tuple(f"cover-{y}@example.org" for y in a))
           for x in a for m in ("cover", "p1")]
    tie += [(f"p2-{x}@example.org", True, tuple(f"p2-{y}@example.org" for y in c)) for x in c]
    return tuple(sorted(tie))


def test_two_ties_are_each_their_own_line_in_every_order(tmp_path: Path) -> None:
    got = _outcomes(tmp_path, _postings())
    assert list(got) == [((), _ties(("a", "b"), ("c", "d")))], got


def test_a_third_posting_of_one_tie_joins_it_whichever_tie_came_last(tmp_path: Path) -> None:
    got = _outcomes(tmp_path, _postings("F"))
    assert list(got) == [((), _ties(("a", "b", "f"), ("c", "d")))], {k: v[:3] for k, v in got.items()}


@pytest.mark.parametrize("extra", ["E", "E2"])
def test_a_later_posting_is_read_and_each_tie_it_covers_refused_for_it(tmp_path: Path, extra: str) -> None:
    got = _outcomes(tmp_path, _postings(extra))
    assert len(got) == 1, {k: v[:3] for k, v in got.items()}
    (read, said), = got
    tag = extra.lower()
    assert read == tuple(sorted(f"{m}-{tag}@example.org" for m in ("cover", "p1", "p2")[:3 if extra == "E2" else 2]))
    for msgid, is_tie, named in said:
        covered = msgid.startswith(("cover", "p1")) or extra == "E2"
        assert is_tie is not covered, (msgid, said)
        if covered:
            assert named[0] == f"cover-{tag}@example.org", (msgid, named)


def test_the_gate_stops_on_one_line_of_a_tie_the_same_in_every_order(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.harness.test_gate_naks import RULE
    from tests.mailgen import write_mbox

    files = {k: write_mbox(tmp_path / f"{k}.mbox", ms) for k, ms in _postings().items()}
    (tmp_path / "rules.toml").write_text(RULE)
    said = set()
    for order in ("ABCD", "DCBA", "CADB", "BDAC"):
        r = CliRunner().invoke(app, ["gate", *(str(files[k]) for k in order), "--variant", "v2", "--rules",
                                     str(tmp_path / "rules.toml")])
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output
        said.add(r.stderr.splitlines()[0])
    assert len(said) == 1, said
    line = said.pop()
    # The first tie (A.mbox, B.mbox sort first) in full, the other named too (it was "and 2 more" alone).
    assert f"<cover-a@example.org> ({files['A']}:2) and <cover-b@example.org> ({files['B']}:2)" in line, line
    assert "cannot be told, so neither is read" in line and " and 2 more; " in line, line
    assert line.endswith(f"; tied too, so not read either: <p2-c@example.org> ({files['C']}:2) and "
                         f"<p2-d@example.org> ({files['D']}:2))"), line


def test_the_gate_names_each_of_three_ties_in_file_order(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from harness.cli import app
    from tests.harness.test_gate_naks import RULE
    from tests.mailgen import write_mbox

    postings = _postings()
    # A third tie, on 3/3: two more senders' unthreaded mails of one Date:, other diffs (Bob's and Cara's would join
    # their 2/3 as one posting each).
    postings["G"] = [_patch(3, "g", "Dan Dee <dan@example.org>", HELPER_V0, HELPER_V1, 5, False)]
    decimal = HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%lld)")
    postings["H"] = [_patch(3, "h", "Eve Eff <eve@example.org>", HELPER_V0, decimal, 5, False)]
    files = {k: write_mbox(tmp_path / f"{k}.mbox", ms) for k, ms in postings.items()}
    (tmp_path / "rules.toml").write_text(RULE)
    said = set()
    for order in ("ABCDGH", "HGDCBA", "GCHADB"):
        r = CliRunner().invoke(app, ["gate", *(str(files[k]) for k in order), "--variant", "v2", "--rules",
                                     str(tmp_path / "rules.toml")])
        assert r.exit_code == 2 and len(r.stderr.splitlines()) == 1, r.output
        said.add(r.stderr.splitlines()[0])
    assert len(said) == 1, said
    assert said.pop().endswith(
        f"; tied too, so not read either: <p2-c@example.org> ({files['C']}:2) and <p2-d@example.org> ({files['D']}:2)"
        f"; tied too, so not read either: <p3-g@example.org> ({files['G']}:2) and <p3-h@example.org> ({files['H']}:2))")


def _with_lone_three(day: int) -> dict[str, list[EmailMessage]]:
    """A and B (tied on 0-1), Dan's lone v2 3/3 of the 5th (G), and Ann's v2 0-1,3/3 of the ``day`` (H)."""
    from tests.mailgen import HELPER_V2

    g = _patch(3, "g", "Dan Dee <dan@example.org>", HELPER_V1, HELPER_V2, 5, False)
    h = [*_first("h", "/* demo helper, later */", day), _patch(3, "h", ANN, HELPER_V1, HELPER_V2, day, True)]
    for m in (g, h[-1]):
        m.replace_header("Subject", str(m["Subject"]).replace(DECIMAL, "demo: try five times"))
    return {"A": _first("a", "/* demo helper */"), "B": _first("b", "/* demo helper, b */"), "G": [g], "H": h}


def test_a_posting_of_a_ties_date_over_another_senders_lone_mail_joins_the_tie(tmp_path: Path) -> None:
    # H of A and B's Date: ties with them; G, Dan's lone mail under H's patch 3, is set aside for H (the whole of two
    # senders) whatever the order. Before (3cea8477), 5 outcomes over the 24 orders: G read in 10 (in 4 H refused "for
    # <cover-a>, which is read ()", A then tied), H read in 6 beside A and B "neither read", all four tied in 6, and
    # this one in 2.
    got = _outcomes(tmp_path, _with_lone_three(5))
    assert len(got) == 1, {k: v[:3] for k, v in got.items()}
    (read, said), = got
    assert read == () and [(m, tie) for m, tie, _ in said] == [
        (f"{m}@example.org", m != "p3-g") for m in ("cover-a", "cover-b", "cover-h", "p1-a", "p1-b", "p1-h", "p3-g",
                                                    "p3-h")], said


def test_a_later_posting_read_over_another_is_read_over_the_tie_it_covers_too(tmp_path: Path) -> None:
    # H (a day later) holds A and B's numbers and patch 3, which another sender's unthreaded mail (G) holds: H is read
    # (the whole of the two: G set aside). Before, A and B still said "which was sent later cannot be told, so neither
    # is read" in all 24 orders, H read under their numbers; now each is refused naming H, the one read.
    got = _outcomes(tmp_path, _with_lone_three(6))
    assert len(got) == 1, {k: v[:3] for k, v in got.items()}
    (read, said), = got
    assert read == ("cover-h@example.org", "p1-h@example.org", "p3-h@example.org")
    assert [(m, t) for m, t, _ in said] == [(f"{m}@example.org", False) for m in ("cover-a", "cover-b", "p1-a", "p1-b",
                                                                                 "p3-g")], said
    assert all(named[0] == "cover-h@example.org" for m, _, named in said if m != "p3-g@example.org"), said


def test_a_backdated_resend_tie_and_another_tie_in_one_revision(tmp_path: Path) -> None:
    # v2 0-1/3 (F, the 5th), its RESEND (R, backdated to the 4th) and a v2 0-1/3 of another patch 1 (T, the 6th) tie
    # for the RESEND (tests/harness/test_postings_resend_tie.py); C and D tie on 2/3. Before, F and T were weighed
    # against every patch held, C's 2/3 too: in 80 of the 120 orders the RESEND was read (F's spend not recorded, C
    # held beside it), and in all 120 one of C and D was read, the other refused "for the RESEND" it has nothing of.
    from tests.harness.test_postings import _posting
    from tests.mailgen import demo_series

    first = demo_series()[:2]
    third = _posting(demo_series()[:2], "PATCH v2", "third", 6)
    third[1].set_content(third[1].get_content().replace("+/* demo helper */", "+/* demo helper, third */"))
    two = _postings()
    got = _outcomes(tmp_path, {"F": first, "R": _posting(first, "PATCH RESEND v2", "resend", 4), "T": third,
                               "C": two["C"], "D": two["D"]})
    assert len(got) == 1, {k: v[:3] for k, v in got.items()}
    (read, said), = got
    assert read == () and all(tie for _, tie, _ in said), said
    assert {(m, named) for m, _, named in said if m.startswith("p2-")} == {
        (f"p2-{x}@example.org", ("p2-c@example.org", "p2-d@example.org")) for x in "cd"}, said


@pytest.mark.parametrize("day", [4, 5, 6])
def test_a_posting_over_two_read_ones_is_weighed_against_each(tmp_path: Path, day: int) -> None:
    # Two others' lone mails, v2 1/3 (Bob) and v2 2/3 (Cara) of the 5th, and Ann's whole v2 0-2/3 of the ``day``.
    # Before, Ann's posting placed after both was refused for Bob's "which is read" whatever its Date: said (weighed
    # against the first alone): the two lone mails were read in 2 of the 6 orders on the 5th, in all 6 on the 6th
    # (a day after them). Ann's is read in every order: sent after both, or the whole of two senders against each (as
    # it is against one: _whole_of_two_senders).
    bob = _patch(1, "p", BOB, None, HELPER_V0.replace("/* demo helper */", "/* bob */"), 5, False)
    cara = _patch(2, "q", CAR, HELPER_V0, HELPER_V0.replace("DEMO (0x%016llx)", "DEMO (%lld)"), 5, False)
    got = _outcomes(tmp_path, {"P": [bob], "Q": [cara], "A": _first("a", "/* demo helper */", day, True)})
    assert len(got) == 1, {k: v[:3] for k, v in got.items()}
    (read, said), = got
    assert read == tuple(f"{m}-a@example.org" for m in ("cover", "p1", "p2")), read
    assert [(m, tie, named[:1]) for m, tie, named in said] == [
        (f"{m}@example.org", False, ("cover-a@example.org",)) for m in ("p1-p", "p2-q")], said
