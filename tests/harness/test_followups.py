"""Follow-up trailers in review replies and what each patch collects: ``b4 am`` is the oracle."""

from __future__ import annotations

import json
import mailbox
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.errors import Where
from harness.followups import collect, collected, reply_trailers
from harness.ingest import IngestRequest, parse_series
from harness.model import Series, Trailer
from tests.cputime import cpu_seconds
from tests.harness.replygen import SHAPES, TITLES, html_reply, review_thread
from tests.mailgen import demo_series, message, write_mbox

COVER, P1, P2, P3 = "cover-v2@example.org", "p1-v2@example.org", "p2-v2@example.org", "p3-v2@example.org"
RITA = "Rita Reviewer <rita@example.org>"

# What b4 am 0.16 adds to a patch (each line it writes) for a reply from Rita Reviewer <rita@example.org>
# holding one shape (tests/harness/replygen.py SHAPES, {n} Rita Reviewer, {a} rita@example.org, {i} 7), run
# once and pinned.
B4_SAYS = {
    "Reviewed-by: {n} <{a}>": ["Reviewed-by: Rita Reviewer <rita@example.org>"],
    "reviewed-by:  {n} <{a}>": ["reviewed-by: Rita Reviewer <rita@example.org>"],
    "Tested-By: {n} <{a}>": ["Tested-By: Rita Reviewer <rita@example.org>"],
    "   Acked-by: {n} <{a}>": ["Acked-by: Rita Reviewer <rita@example.org>"],
    "Reviewed-by: {n}\n<{a}>": ["Reviewed-by: Rita Reviewer <rita@example.org>"],
    "Reviewed-by: {n} <{a}> with the nit below fixed": ["Reviewed-by: Rita Reviewer <rita@example.org>"],
    "Acked-by: {n} <{a}> # for the demo part": ["Acked-by: Rita Reviewer <rita@example.org> # for the demo part"],
    "Reviewed-by: {n} <{l}+kernel@{d}>": ["Reviewed-by: Rita Reviewer <rita+kernel@example.org>"],
    "Reviewed-by: {l} <{l}@{d}>": ["Reviewed-by: rita <rita@example.org>"],
    "Nacked-by: {n} <{a}>": ["Nacked-by: Rita Reviewer <rita@example.org>"],
    "Suggested-by: {n} <{a}>": ["Suggested-by: Rita Reviewer <rita@example.org>"],
    "Reported-and-tested-by: {n} <{a}>": ["Reported-and-tested-by: Rita Reviewer <rita@example.org>"],
    "Tested-by: Other Body <other@example.org>": [],
    "Reviewed-by: {n}": [],
    "Cc: {n} <{a}>": [],
    "To: {n} <{a}>": [],
    "Link: https://lore.kernel.org/r/msg{i}@example.org": ["Link: https://lore.kernel.org/r/msg7@example.org"],
    "Link: https://patch.msgid.link/msg{i}@example.org": ["Link: https://patch.msgid.link/msg7@example.org"],
    "Closes: https://bugs.example.org/{i}": ["Closes: https://bugs.example.org/7"],
    "Reviewed-by: {n} <{a}> https://example.org/me": [],
    'Fixes: 0123456789ab ("demo: old helper")': ['Fixes: 0123456789ab ("demo: old helper")'],
    'Fixes: 0123456789ab ("demo: an old helper with a\nlong subject")':
        ['Fixes: 0123456789ab ("demo: an old helper with a long subject")'],
    "Fixes: the old helper <{a}>": [],
    "Gepr\u00fcft-von: {n} <{a}>": [],
    "Phone: +1 555 0100 <{a}>": [],
    "> Reviewed-by: Quoted Person <quoted@example.org>": [],
    ">> Acked-by: Deep Quote <deep@example.org>": [],
    "I'd say Reviewed-by: {n} <{a}>": [],
    "Looks good to me.": [],
    "NAK, the retry count is wrong.": [],
    "This is not a NAK, just a question.": [],
    "-- \n{n}\nReviewed-by: {n} <{a}>": [],
    "Reviewed-by: =?utf-8?q?Z=C3=B6e_Q?= <{a}>": ["Reviewed-by: Z\u00f6e Q <rita@example.org>"],
    "Reviewed-by: {n} <mailto:{a}>": [],  # "Rita": no address left, so not the sender's (b4: a mismatch)
    "Tested-by: {n} <{a}>\n[on real hardware]": ["Tested-by: Rita Reviewer <rita@example.org>", "[on real hardware]"],
    "Acked-by: {n} <{a}> # x86\n[for the x86 part]": ["Acked-by: Rita Reviewer <rita@example.org>",
                                                    "[for the x86 part]"],
    "Cc: {n} <{a}>\n[cc note]": [],
    "Acked-by: {n} <{a}> [for the x86 part]": ["Acked-by: Rita Reviewer <rita@example.org>"],
}


def _series(tmp_path: Path, replies: list[EmailMessage]) -> Series:
    return parse_series(IngestRequest((write_mbox(tmp_path / "t.mbox", [*demo_series(), *replies]),)))


def _reply(n: int, msgid: str, body: str, sender: str = RITA, parent: str | None = None,
           cte: str | None = None) -> EmailMessage:
    target = {0: COVER, 1: P1, 2: P2, 3: P3}[n]
    up = parent or target
    refs = (COVER, target, up) if n else (COVER, up)
    return message(f"Re: [PATCH v2 {n}/3] {TITLES[n]}", msgid, body, sender=sender, parent=up,
                   refs=tuple(dict.fromkeys(refs)), cte=cte)


def _added(series: Series, n: int) -> list[str]:
    rev = series.revisions[-1]
    # as b4 am writes them: a "[...]" note on the line below its trailer
    return [x for t in collect(rev.patch(n), rev).applied for x in f"{t.key}: {t.value}".split("\n")]  # type: ignore[arg-type]


def test_every_shape_gives_what_b4_am_adds(tmp_path: Path) -> None:
    assert set(B4_SAYS) == set(SHAPES)  # the generator's shapes are all pinned
    for k, (shape, expected) in enumerate(B4_SAYS.items()):
        body = "Change.\n\n" + shape.format(n="Rita Reviewer", a="rita@example.org", l="rita", d="example.org",
                                           i=7) + "\n"
        (tmp_path / str(k)).mkdir()
        assert _added(_series(tmp_path / str(k), [_reply(1, "r@x", body)]), 1) == expected, shape


def test_a_reply_to_the_cover_letter_reaches_every_patch_after_its_own(tmp_path: Path) -> None:
    """b4 add_cover_trailers: the cover letter's follow-up trailers go on every patch, after the patch's own."""
    series = _series(tmp_path, [
        _reply(0, "c@x", "Reviewed-by: Carl Cover <carl@example.org>\n", sender="Carl Cover <carl@example.org>"),
        _reply(2, "r@x", "Acked-by: Rita Reviewer <rita@example.org>\n"),
    ])
    assert _added(series, 1) == _added(series, 3) == ["Reviewed-by: Carl Cover <carl@example.org>"]
    assert _added(series, 2) == ["Acked-by: Rita Reviewer <rita@example.org>",
                                 "Reviewed-by: Carl Cover <carl@example.org>"]


def test_a_reply_to_a_reply_gives_its_patch_and_carries_the_ones_on_its_way(tmp_path: Path) -> None:
    """b4 get_series walks up from a reply with trailers to its patch, adding every reply's trailers on the way
    (even one b4 would not take from that reply alone: it names someone else)."""
    series = _series(tmp_path, [
        _reply(1, "r1@x", "Tested-by: Other Body <other@example.org>\n"),
        _reply(1, "r2@x", "> Looks fine.\n\nAcked-by: Dan Deep <dan@example.org>\n",
               sender="Dan Deep <dan@example.org>", parent="r1@x"),
        _reply(3, "r3@x", "> hm\n\nagreed\n", sender="Dan Deep <dan@example.org>"),
    ])
    assert _added(series, 1) == ["Acked-by: Dan Deep <dan@example.org>", "Tested-by: Other Body <other@example.org>"]
    assert _added(series, 3) == []


def test_a_reply_whose_parent_is_not_in_the_input_gives_nothing(tmp_path: Path) -> None:
    """b4 follows In-Reply-To (References only without one) and drops a follow-up whose parent it lacks; the reply
    is still listed below the patch References or its subject name."""
    lost = _reply(1, "lost@x", "Acked-by: Rita Reviewer <rita@example.org>\n", parent="gone@x")
    bare = message(f"Re: [PATCH v2 2/3] {TITLES[2]}", "bare@x", "Acked-by: Rita Reviewer <rita@example.org>\n",
                   sender=RITA)
    series = _series(tmp_path, [lost, bare])
    rev = series.revisions[-1]
    assert [len(rev.patch(n).replies) for n in (1, 2)] == [1, 1]  # type: ignore[union-attr]
    assert [_added(series, n) for n in (1, 2, 3)] == [[], [], []]


def test_a_reply_with_references_and_no_in_reply_to_goes_to_the_first_it_names(tmp_path: Path) -> None:
    """b4 takes the first message of References it has: the cover letter, whose trailers every patch gets."""
    refs_only = message(f"Re: [PATCH v2 3/3] {TITLES[3]}", "refs@x", "Acked-by: Rita Reviewer <rita@example.org>\n",
                        sender=RITA, refs=(COVER, P3))
    series = _series(tmp_path, [refs_only])
    assert [_added(series, n) for n in (1, 2, 3)] == [["Acked-by: Rita Reviewer <rita@example.org>"]] * 3


def test_a_patch_subject_without_a_diff_is_a_reply(tmp_path: Path) -> None:
    """A reviewer's "[PATCH v2 3/3] ..." answer with no "Re:" and no diff: b4 takes it as a follow-up."""
    nore = message(f"[PATCH v2 3/3] {TITLES[3]}", "nore@x", "Reviewed-by: Rita Reviewer <rita@example.org>\n",
                   sender=RITA, parent=P3, refs=(COVER, P3))
    assert _added(_series(tmp_path, [nore]), 3) == ["Reviewed-by: Rita Reviewer <rita@example.org>"]


def test_a_mismatched_trailer_is_left_out_and_listed(tmp_path: Path) -> None:
    series = _series(tmp_path, [_reply(1, "r@x", "Tested-by: Other Body <other@example.org>\n")])
    rev = series.revisions[-1]
    got = collect(rev.patch(1), rev)  # type: ignore[arg-type]
    assert got.applied == ()
    assert [(t.key, t.value, t.where.msgid) for t in got.mismatched] == [
        ("Tested-by", "Other Body <other@example.org>", "r@x")]


def test_a_sender_is_matched_as_b4_matches_one(tmp_path: Path) -> None:
    """By address (less a +tag, or one domain a subdomain of the other), by name, or any trailer at all from a
    "Last, First" sender (b4 get_trailers)."""
    series = _series(tmp_path, [
        _reply(1, "a@x", "Reviewed-by: Kai K <kai@example.org>\n", sender="Kai Kernel <kai+lkml@example.org>"),
        _reply(1, "b@x", "Acked-by: Kai K <kai@lists.example.org>\n", sender="Kai Kernel <kai@example.org>"),
        _reply(1, "c@x", "Tested-by: Kai Kernel <kk@example.com>\n", sender="Kai Kernel <kai@example.org>"),
        _reply(1, "d@x", "Tested-by: Some One <one@example.com>\n", sender='"Hansen, Dave" <dave@example.org>'),
        _reply(1, "e@x", "Acked-by: Kai K <kai@a.b.example.org>\n", sender="Kai Kernel <kai@example.org>"),
    ])
    assert _added(series, 1) == ["Reviewed-by: Kai K <kai@example.org>", "Acked-by: Kai K <kai@lists.example.org>",
                                 "Tested-by: Kai Kernel <kk@example.com>", "Tested-by: Some One <one@example.com>"]


# A top-posted reply with an Outlook copy of another reviewer's reply below it, that copy holding a Nacked-by.
OUTLOOK_COPY = ("I agree with Olga.\n\n-----Original Message-----\nFrom: Olga Other <olga@example.org>\n"
                "Sent: Monday, January 5, 2026 11:00 AM\nTo: Ann Author <ann@example.org>\n"
                "Subject: Re: [PATCH v2 2/3] x\n\nThis loops forever.\n\nNacked-by: Olga Other <olga@example.org>\n")


@pytest.mark.parametrize("sender", ['"Mentor, Mae" <mae@example.org>', "Mae Mentor <mae@example.org>"])
def test_an_outlook_copy_of_another_reply_gives_no_trailer_unlike_b4(tmp_path: Path, sender: str) -> None:
    """README, "Unlike b4, on purpose": the copy is its author's words, quoted, and gives no trailer, not even a
    mismatched one. b4 am reads it as the reply's own text: from a "Last, First" sender (whose trailers b4 takes
    whatever name they give) it adds Olga's Nacked-by to the patch; from another, it leaves it out as a mismatch."""
    msgs = [_reply(2, "m@x", OUTLOOK_COPY, sender=sender)]
    rev = _series(tmp_path, msgs).revisions[-1]
    got = collect(rev.patch(2), rev)  # type: ignore[arg-type]
    assert got.applied == () and got.mismatched == ()
    if B4 is not None:
        b4 = _b4_adds(tmp_path, write_mbox(tmp_path / "b4.mbox", [*demo_series(), *msgs]), COVER)[P2]
        assert b4 == (["Nacked-by: Olga Other <olga@example.org>"] if "," in sender else [])


def test_duplicates_once_and_the_patch_s_own_trailers_not_again(tmp_path: Path) -> None:
    """b4 fix_trailers: a trailer equal to one the patch has (token and value, case aside; a # comment aside;
    a Link by its Message-ID) is added once."""
    series = _series(tmp_path, [
        _reply(3, "a@x", "Reviewed-by: Rita Reviewer <rita@example.org>\n"
                         "Link: https://lore.kernel.org/r/m1@example.org\n"),
        _reply(3, "b@x", "reviewed-by: rita reviewer <RITA@example.org> # again\n"
                         "Link: https://patch.msgid.link/m1@example.org\n"
                         "Signed-off-by: Ann Author <ann@example.org>\n", sender="Ann Author <ann@example.org>"),
    ])
    assert _added(series, 3) == ["Reviewed-by: Rita Reviewer <rita@example.org>",
                                 "Link: https://lore.kernel.org/r/m1@example.org"]


def test_html_only_quoted_printable_and_encoded_names(tmp_path: Path) -> None:
    series = _series(tmp_path, [
        html_reply(P1, (COVER, P1)),
        _reply(1, "qp@x", "Fine.\n\nTested-by: Jos\u00e9 Qu\u00e9 <jose@example.org>\n",
               sender="Jos\u00e9 Qu\u00e9 <jose@example.org>", cte="quoted-printable"),
        _reply(1, "b64@x", "Fine.\n\nAcked-by: J\u00f6rg M\u00fcller <joerg@example.org>\n",
               sender="J\u00f6rg M\u00fcller <joerg@example.org>", cte="base64"),
    ])
    assert _added(series, 1) == ["Tested-by: Jos\u00e9 Qu\u00e9 <jose@example.org>",
                                 "Acked-by: J\u00f6rg M\u00fcller <joerg@example.org>"]


def test_a_trailer_after_a_proposal_is_the_reply_s(tmp_path: Path) -> None:
    body = ("Try this:\n\n@@ -12,3 +12,3 @@\n \tdo {\n-\t\tret = demo_call(fn);\n+\t\tret = demo_call2(fn);\n"
            " \t} while (ret == DEMO_BUSY && --tries);\n\nWith that:\nAcked-by: Rita Reviewer <rita@example.org>\n")
    series = _series(tmp_path, [_reply(2, "r@x", body)])
    assert _added(series, 2) == ["Acked-by: Rita Reviewer <rita@example.org>"]
    assert len(series.revisions[-1].patch(2).replies[0].proposals) == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(("body", "verdicts"), [
    ("reviewed-by: Rita Reviewer <rita@example.org>\nTested-By: Rita Reviewer <rita@example.org>\n",
     ("Reviewed-by", "Tested-by")),
    ("NAK, the retry count is wrong.\n", ("NAK",)),
    ("Nacked-by: Rita Reviewer <rita@example.org>\n", ("Nacked-by", "NAK")),
    ("This is not a NAK, just a question.\n", ()),
    ("I won't NACK it, but please fix.\n", ()),
    ("No NAK from me.\n\nNAK for the second hunk though.\n", ("NAK",)),
    ("Cc: Someone <someone@example.org>\nReviewed-by: Rita Reviewer\n", ()),
    ("> NAK\n\nWhy?\n", ()),
    ("Why would anyone NAK this?\n", ()),  # a question about NAKing
    ("Looks fine. Should I NAK it? No.\n", ()),
    ("Is this a NAK?", ()),
    ("NAK, why move it to a global header?\n", ("NAK",)),  # a NAK that asks too
    ("NAK. Why would you do this?\n", ("NAK",)),
    ("Why? NAK.\n", ("NAK",)),
    ("No, NAK.\n", ("NAK",)),  # a negation governs its clause: these passed as no NAK
    ("There is no caller for this, NAK.\n", ("NAK",)),
    ("Not sure about v1, but NAK for this one.\n", ("NAK",)),
    ("I don't think, honestly, a NAK is needed.\n", ()),  # an earlier clause saying what one thinks governs
    ("I don't like this, NAK.\n", ("NAK",)),  # ... unless it says it all: these passed as no NAK
    ("I don't see a user, so NAK.\n", ("NAK",)),
    ("I don't agree, NAK.\n", ("NAK",)),  # a clause that is only the verdict
    ("I don't see a user, drop this patch.\n", ("drop-patch",)),
    ("I don't think we need this, please drop this patch.\n", ("drop-patch",)),
    ("Scratch my NAK, I misread the loop.\n", ("NAK-withdrawn",)),
])
def test_verdicts(tmp_path: Path, body: str, verdicts: tuple[str, ...]) -> None:
    series = _series(tmp_path, [_reply(1, "r@x", body)])
    assert series.revisions[-1].patch(1).replies[0].verdicts == verdicts  # type: ignore[union-attr]


def test_long_lines_take_linear_time() -> None:
    """b4's own expressions backtrack (20 s for a 2,000-character line); these give its answers at once. Timed:
    the backtracking is inside one match of a pattern, where no count sees (tests/cputime.py)."""
    where = Where("m.eml", 1, "m@x")
    # 50,000: 0.09 s of CPU quiet, 0.5 s at 5x a loaded host's inflation (200,000 took 1.9 s in a loaded run, 2.6x
    # under the line); b4's backtracking takes hours at this length.
    n = 50_000
    lines = ["Reviewed-by: " + "a" * n + "@b.c", "Reviewed-by: x@y.z " + "a" * n, "Fixes: " + "a" * n,
             "Reviewed-by: " + "<" * n + "@x.y>", "Acked-by: a@b.c " + "# " * n,
             "Reviewed-by: N <" + "+" * n + "@x.org>", "Reviewed-by: " + "a:" * n, "Reviewed-by: " + "a" * n]
    start = cpu_seconds()
    reply_trailers(list(enumerate(lines + lines[::-1], start=1)), where)
    assert cpu_seconds() - start < 5


def test_a_chain_of_thousands_of_replies_takes_linear_time(tmp_path: Path) -> None:
    """Replies each answering the one before, each with its own trailer: b4 walks the whole chain from each; here
    each reply is walked once and each trailer looked up in a set. Counted, not timed: harness.followups' lines for
    a chain of n, and of twice as many, grow some twice (the chain walked from each reply: four times)."""
    import harness.followups
    from tests.linesrun import lines_at

    series = _series(tmp_path, [_reply(1, "r@x", "Reviewed-by: Rita Reviewer <rita@example.org>\n")])
    rev = series.revisions[-1]
    p1 = rev.patch(1)
    assert p1 is not None
    (one,) = p1.replies

    def run(n: int) -> None:
        chain, parent = [], P1
        for i in range(n):
            mail = replace(one.mail, msgid=f"c{i}@x", in_reply_to=parent, author=f"R{i}", author_email=f"r{i}@x.org")
            chain.append(replace(one, mail=mail, parent=parent,
                                 trailers=(Trailer("Acked-by", f"R{i} <r{i}@x.org>", Where("t", i, f"c{i}@x")),)))
            parent = f"c{i}@x"
        assert p1 is not None
        long = replace(rev, slots=tuple(replace(s, patch=replace(p1, replies=tuple(chain))) if s.number == 1 else s
                                        for s in rev.slots))
        got = collected(long)[P1]
        assert len(got.applied) == n and got.applied[0].value == "R0 <r0@x.org>"

    small, big = lines_at(run, (1_000, 2_000), harness.followups)
    assert 0 < big <= 2.2 * small, (small, big)


def test_series_lists_what_b4_am_would_add(tmp_path: Path) -> None:
    mbox = write_mbox(tmp_path / "t.mbox", [*demo_series(),
                                            _reply(0, "c@x", "Acked-by: Rita Reviewer <rita@example.org>\n"),
                                            _reply(2, "o@x", "Tested-by: Other Body <other@example.org>\n")])
    res = CliRunner().invoke(app, ["series", str(mbox), "--json"])
    assert res.exit_code == 0, res.output
    patches = json.loads(res.stdout)["revisions"][0]["patches"]
    assert [[t["key"] + ": " + t["value"] for t in p["followup_trailers"]] for p in patches] == [
        ["Acked-by: Rita Reviewer <rita@example.org>"]] * 3
    line = mbox.read_text().split("\n").index("Tested-by: Other Body <other@example.org>") + 1
    assert patches[1]["followup_mismatches"] == [
        {"key": "Tested-by", "value": "Other Body <other@example.org>", "msgid": "o@x", "line": line}]
    tree = CliRunner().invoke(app, ["series", str(mbox)])
    assert "+ Acked-by: Rita Reviewer <rita@example.org>" in tree.stdout


B4 = shutil.which("b4", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def _b4_adds(tmp: Path, mbox: Path, cover: str) -> dict[str, list[str]]:
    """The trailers ``b4 am`` puts below each patch's Signed-off-by, by Message-ID."""
    out = tmp / "b4-out"
    subprocess.run([str(B4), "--offline-mode", "am", "-m", str(mbox), "-o", str(out), cover], cwd=tmp,
                   env={**os.environ, "HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp)}, capture_output=True,
                   timeout=120, check=True)
    (mbx,) = out.glob("*.mbx")
    added: dict[str, list[str]] = {}
    for msg in mailbox.mbox(str(mbx)):
        payload = msg.get_payload(decode=True)
        assert isinstance(payload, bytes)
        log = payload.decode().split("\n---\n", 1)[0].split("\n")
        added[str(msg["Message-ID"]).strip("<>")] = log[log.index("Signed-off-by: Ann Author <ann@example.org>") + 1:]
    return added


@pytest.mark.skipif(B4 is None, reason="b4 is not installed (pip install -e '.[test]')")
@pytest.mark.parametrize("seed", range(6))
def test_generated_threads_collect_what_b4_am_adds(tmp_path: Path, seed: int) -> None:
    """Random reviewers (RFC 2047 names, "Last, First", +tag addresses) in random shapes and transfer encodings,
    answering the cover letter, a patch or one another: every patch gets b4's trailers in b4's order."""
    thread = review_thread(seed)
    mbox = thread.write(tmp_path / "t.mbox")
    series = parse_series(IngestRequest((mbox,)))
    rev = series.revisions[-1]
    ours = {p.mail.msgid: [x for t in collect(p, rev).applied for x in f"{t.key}: {t.value}".split("\n")]
            for p in rev.patches}
    assert ours == _b4_adds(tmp_path, mbox, thread.cover)


LONG_NAME, LONG_ADDR = "Maximiliane J\u00fcrgens-Longname", "maximiliane.longname@example.org"


@pytest.mark.skipif(B4 is None, reason="b4 is not installed (pip install -e '.[test]')")
@pytest.mark.parametrize(("shape", "body"), [
    ("flowed-delsp", f"Fine.\n\nReviewed-by: {LONG_NAME} <{LONG_ADDR}>\n"),
    ("flowed", f"Fine.\n\nReviewed-by: {LONG_NAME} <{LONG_ADDR}>\nTested-by: {LONG_NAME} <{LONG_ADDR}> # on real "
               "hardware with the firmware\n"),
    ("flowed-delsp-qp", f"Fine.\n\nAcked-by: {LONG_NAME} <{LONG_ADDR}>\n\n-- \n{LONG_NAME}\n"),
    ("flowed-delsp", "Fine.\n\nReviewed-by: Rita Reviewer <rita@example.org>\n"),  # no line broken: no note
])
def test_a_trailer_only_an_unflowed_reply_gives_is_kept_and_said(tmp_path: Path, shape: str, body: str) -> None:
    """A Thunderbird reply, format=flowed (DelSp=yes too), whose trailer lines are long enough to be soft-broken:
    un-flowed (RFC 3676, as git mailinfo reads text) they are the reply's trailers; b4 0.16 reads the text as sent and
    adds none of a line broken mid-word, nor one broken in three. Before, series listed them as what b4 am adds, with
    nothing said; now each one b4 does not add is named in a note (the oracle: b4 am run on the same mbox)."""
    from tests.mailgen import MUTT_SEPARATOR, Shape, shaped_mail

    sender = "Rita Reviewer <rita@example.org>" if "Rita" in body else f"{LONG_NAME} <{LONG_ADDR}>"
    reply = shaped_mail(sender, "Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@example.org", body.encode(), b"",
                        Shape(flowed=True, delsp="delsp" in shape,
                              cte="quoted-printable" if shape.endswith("qp") else "8bit"))
    reply = reply.replace(b"MIME-Version", f"In-Reply-To: <{P2}>\nReferences: <{COVER}> <{P2}>\nMIME-Version".encode())
    mbox = tmp_path / "t.mbox"
    mbox.write_bytes(write_mbox(tmp_path / "s.mbox", demo_series()).read_bytes() + MUTT_SEPARATOR + b"\n" + reply)
    b4 = _b4_adds(tmp_path, mbox, COVER)[P2]
    series = parse_series(IngestRequest((mbox,)))
    ours = _added(series, 2)
    lost = [t for t in ours if t not in b4]
    assert [t for t in ours if t in b4] == b4 and len(ours) == body.count("-by: ")  # b4's, in b4's order
    notes = [n.reason for n in series.notes if "format=flowed" in n.reason]
    if not lost:
        assert notes == []
        return
    (note,) = notes
    assert note.startswith(f"reply of {sender.split(' <')[0]} <r1@example.org>: {', '.join(lost)} read from its "
                           "format=flowed text un-flowed (RFC 3676, as git mailinfo reads it); b4 am, which reads the "
                           "text as sent, its lines soft-broken, would not add"), note


def test_a_series_without_encoded_names_does_not_load_the_rfc2047_decoder(tmp_path: Path) -> None:
    # email.header (decode_header, for a trailer's name in RFC 2047 words: '=?UTF-8?q?...?=') was imported by every
    # command that reads mail, which few names need: an empty-cache `series` of the corpus 2.6 M instructions.
    write_mbox(tmp_path / "s.mbox", demo_series())
    code = ("import sys; from harness.cli import main; main(['series', sys.argv[1], '--offline']); "
            "print('email.header' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.mbox")], capture_output=True, text=True,
                         check=True, env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}).stdout
    assert out.strip().splitlines()[-1] == "False", out
    from harness.followups import _clean

    assert _clean("=?UTF-8?q?Zo=C3=AB?= Example") == "Zoë Example"
