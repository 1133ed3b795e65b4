"""Replies: quotes and who is quoted, own words, verdicts, diff/hunk/snippet proposals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness.diffparse import parse_diff
from harness.errors import Where
from harness.ingest import IngestRequest, parse_series
from harness.model import ProposalKind, Reply
from tests.mailgen import HELPER_PATH, HELPER_V1, HELPER_V2, demo_series, diff, message, write_eml

REPLY = """\
On Mon, Jan 5, 2026 at 10:00:00AM +0000, Ann Author wrote:
> Change number 2.
>
>> Older words, quoted twice.

I would rather see this:

\tif (fn & DEMO_MASK)
\t\tcode = DEMO_OTHER;
\telse
\t\tcode = DEMO_BUSY;

And a bare hunk, pasted by a mailer that ate the tabs:

@@ -9,7 +9,7 @@ static inline u64 demo_retry(u64 fn)
         u64 ret;
{SPACE}
         do {
-                ret = demo_call(fn);
+                ret = demo_call2(fn);

Here is prose indented by a tab that must not count as code:

\tThe helper retries a few times and then
\tgives up with an error for the caller

NAK for this version.

Reviewed-by: Rita Reviewer <rita@example.org>
""".replace("{SPACE}", " ")


def _reply(tmp_path: Path, body: str) -> Reply:
    s = demo_series()
    r = message("Re: [PATCH v2 2/3] demo: print fn in decimal", "r1@x", body,
                sender="Rita Reviewer <rita@example.org>", parent="p2-v2@example.org",
                refs=("cover-v2@example.org", "p2-v2@example.org"))
    for i, m in enumerate([*s, r]):
        write_eml(tmp_path / f"{i}.eml", m)
    series = parse_series(IngestRequest((tmp_path,)))
    replies = series.revisions[0].patch(2).replies  # type: ignore[union-attr]
    assert len(replies) == 1
    return replies[0]


def test_quotes_and_attribution(tmp_path: Path) -> None:
    r = _reply(tmp_path, REPLY)
    assert [(q.depth, q.who) for q in r.quotes] == [(1, "Ann Author"), (2, None)]
    assert r.quotes[0].lines[0] == "Change number 2."
    assert "Older words" not in r.own_text and "I would rather" in r.own_text


def test_trailers_and_verdicts(tmp_path: Path) -> None:
    r = _reply(tmp_path, REPLY)
    assert [(t.key, t.value) for t in r.trailers] == [("Reviewed-by", "Rita Reviewer <rita@example.org>")]
    assert r.verdicts == ("Reviewed-by", "NAK")
    lines = (tmp_path / "4.eml").read_text().splitlines()
    assert lines[r.trailers[0].where.line - 1].startswith("Reviewed-by:")


def test_proposals(tmp_path: Path) -> None:
    r = _reply(tmp_path, REPLY)
    kinds = [p.kind for p in r.proposals]
    assert kinds == [ProposalKind.SNIPPET, ProposalKind.HUNK]
    snippet, hunk = r.proposals
    assert snippet.text.startswith("\tif (fn & DEMO_MASK)") and snippet.author == "Rita Reviewer"
    h = hunk.hunks[0]
    assert (h.source_start, h.source_length, h.section) == (9, 7, "static inline u64 demo_retry(u64 fn)")
    assert [ln.kind.value for ln in h.lines] == [" ", " ", " ", "-", "+"]
    lines = (tmp_path / "4.eml").read_text().splitlines()
    assert lines[hunk.where.line - 1].startswith("@@ -9,7")


def test_full_diff_proposal(tmp_path: Path) -> None:
    body = "Try this instead:\n\n" + diff(HELPER_PATH, HELPER_V1, HELPER_V2) + "\nThanks.\n"
    r = _reply(tmp_path, body)
    assert [p.kind for p in r.proposals] == [ProposalKind.DIFF]
    assert r.proposals[0].files[0].path == HELPER_PATH


@pytest.mark.parametrize("scissors", ["-- >8 --", "---8<---", "----- 8< -----"])
@pytest.mark.parametrize("tight", [False, True])
def test_diff_after_a_scissors_line_is_a_proposal(tmp_path: Path, scissors: str, tight: bool) -> None:
    # git am --scissors applies what follows the line (git mailinfo: is_scissors_line); reviewers write it
    # with or without a blank line, and with git's in-body headers and a commit message before the diff.
    gap = "" if tight else "\n"
    body = (f"Why not retry on both codes? Untested:\n\n{scissors}\n{gap}Subject: [PATCH] demo: retry on both\n\n"
            "Retry on both codes.\n\nSigned-off-by: Rita Reviewer <rita@example.org>\n---\n"
            + diff(HELPER_PATH, HELPER_V1, HELPER_V2) + f"{scissors}\n\nThanks.\n")
    if tight:
        body = body.replace(f"{scissors}\nSubject: [PATCH] demo: retry on both\n\nRetry on both codes.\n\n"
                            "Signed-off-by: Rita Reviewer <rita@example.org>\n---\n", f"{scissors}\n")
    r = _reply(tmp_path, body)
    assert [p.kind for p in r.proposals] == [ProposalKind.DIFF]
    assert r.proposals[0].files[0].path == HELPER_PATH
    want = parse_diff(diff(HELPER_PATH, HELPER_V1, HELPER_V2), Where("x", 1, None))[0].hunks
    assert [[(ln.kind, ln.text) for ln in h.lines] for h in r.proposals[0].files[0].hunks] == \
        [[(ln.kind, ln.text) for ln in h.lines] for h in want]
    # The Signed-off-by after the scissors is the proposed patch's, not a trailer given to the patch answered.
    assert [t.key for t in r.trailers] == []


@pytest.mark.parametrize("blank_context", [False, True])
def test_a_trailer_below_the_proposed_diff_is_the_replys(tmp_path: Path, blank_context: bool) -> None:
    # "With that: Acked-by" under a scissors proposal is the reviewer's word on the patch answered (b4 takes
    # every trailer of a reply); the proposed commit's own Signed-off-by, above its diff, is not. The diff
    # ends where its hunks' line counts do, a blank context line a mailer stripped included.
    proposed = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    if blank_context:
        proposed = proposed.replace("\n \n", "\n\n")
    body = ("Simpler:\n\n-- >8 --\nSubject: [PATCH] demo: retry on both\n\nRetry on both codes.\n\n"
            "Signed-off-by: Rita Reviewer <rita@example.org>\n---\n" + proposed
            + "\nWith that:\n\nAcked-by: Rita Reviewer <rita@example.org>\n")
    r = _reply(tmp_path, body)
    assert [p.kind for p in r.proposals] == [ProposalKind.DIFF]
    assert [(t.key, t.value) for t in r.trailers] == [("Acked-by", "Rita Reviewer <rita@example.org>")]
    assert r.verdicts == ("Acked-by",)


@pytest.mark.parametrize("scissors", ["-- >8 --", "---8<---"])
def test_a_trailer_below_a_closing_scissors_line_is_the_replys(tmp_path: Path, scissors: str) -> None:
    # A diff between two scissors lines, then the reviewer's own words: the closing line ends the proposal
    # (b4 takes the Reviewed-by below it, as git's trailer reading would); a second proposal after it is
    # still a proposal, its Signed-off-by the proposed commit's.
    proposed = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    body = (f"How about:\n\n{scissors}\n{proposed}{scissors}\n\nWith or without that:\n\n"
            "Reviewed-by: Rita Reviewer <rita@example.org>\n")
    r = _reply(tmp_path, body)
    assert [p.kind for p in r.proposals] == [ProposalKind.DIFF]
    assert [(t.key, t.value) for t in r.trailers] == [("Reviewed-by", "Rita Reviewer <rita@example.org>")]
    assert r.verdicts == ("Reviewed-by",)
    second = (f"{scissors}\n{proposed}{scissors}\nSubject: [PATCH] demo: other\n\nOther.\n\n"
              "Signed-off-by: Rita Reviewer <rita@example.org>\n---\n" + proposed)
    r = _reply(tmp_path, second)
    assert [p.kind for p in r.proposals] == [ProposalKind.DIFF] * 2 and r.trailers == ()


def test_a_top_posted_copy_of_the_patch_is_a_quote_not_a_proposal(tmp_path: Path) -> None:
    body = ("Looks good to me.\n\nAcked-by: Ann Author <ann@example.org>\n\n-----Original Message-----\n"
            "From: Pat Patcher <pat@example.org>\nSent: Monday, January 5, 2026 10:00 AM\nTo: list@example.org\n"
            "Subject: [PATCH v2 2/3] demo: print fn in decimal\n\nThe patch.\n\n"
            + diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    r = _reply(tmp_path, body)
    assert r.proposals == () and "diff --git" not in r.own_text
    assert [t.key for t in r.trailers] == ["Acked-by"]
    assert r.quotes[-1].who == "Pat Patcher <pat@example.org>" and r.quotes[-1].lines[0] == "-----Original Message-----"
    # Outlook's newer form: a rule, then the header block without the "Original Message" line.
    outlook = body.replace("-----Original Message-----\n", "________________________________\n")
    r = _reply(tmp_path, outlook)
    assert r.proposals == () and r.quotes[-1].who == "Pat Patcher <pat@example.org>"


@pytest.mark.parametrize("head", [
    "From: Pat Patcher <pat@example.org>\nDate: Monday, January 5, 2026 at 10:00\nTo: list@example.org\n"
    "Subject: [PATCH v2 2/3] demo: print fn in decimal\n",  # Outlook for Mac
    "-----Ursprüngliche Nachricht-----\nVon: Pat Patcher <pat@example.org>\nGesendet: Montag, 5. Januar 2026\n"
    "An: list@example.org\nBetreff: [PATCH v2 2/3] demo: print fn in decimal\n",  # German Outlook
])
def test_top_posted_copies_in_other_layouts(tmp_path: Path, head: str) -> None:
    body = ("Fine by me.\n\nAcked-by: Ann Author <ann@example.org>\n\n" + head + "\nThe patch.\n\n"
            "Signed-off-by: Pat Patcher <pat@example.org>\n---\n" + diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    r = _reply(tmp_path, body)
    assert r.proposals == () and [t.key for t in r.trailers] == ["Acked-by"]
    assert r.quotes[-1].who == "Pat Patcher <pat@example.org>"


def test_in_body_headers_after_scissors_are_not_a_top_posted_copy(tmp_path: Path) -> None:
    body = ("Untested:\n\n-- >8 --\nFrom: Rita Reviewer <rita@example.org>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\n"
            "Subject: [PATCH] demo: retry on both\n\nRetry on both.\n---\n" + diff(HELPER_PATH, HELPER_V1, HELPER_V2))
    assert [p.kind for p in _reply(tmp_path, body).proposals] == [ProposalKind.DIFF]


def test_quoted_code_is_not_a_proposal(tmp_path: Path) -> None:
    r = _reply(tmp_path, "> +\tret = demo_call(fn);\n> @@ -1,2 +1,2 @@\n\nLooks fine.\n")
    assert r.proposals == ()


def test_corpus_replies(corpus_series) -> None:  # type: ignore[no-untyped-def]
    p6 = corpus_series.revision(3).patch(6)
    authors = [r.mail.author for r in p6.replies]
    assert authors == ["Tony Lindgren", "Binbin Wu", "Dave Hansen", "Xu Yilun", "Chao Gao",
                       "Dave Hansen", "Dave Hansen"]
    by_id = {r.mail.msgid: r for r in p6.replies}
    yilun = by_id["aXssgOZJteoaJUOz@yilunxu-OptiPlex-7050"]
    assert [p.kind for p in yilun.proposals] == [ProposalKind.HUNK]
    hunk = yilun.proposals[0].hunks[0]
    assert hunk.section.startswith("static __always_inline u64 sc_retry(")
    assert any("SEAMLDR_RND_NO_ENTROPY" in t for t in hunk.target_lines)
    dave = by_id["e2245231-ee39-40aa-bfdc-e43419fa30f4@intel.com"]
    assert [p.kind for p in dave.proposals] == [ProposalKind.SNIPPET] * 3
    assert "else" in dave.proposals[1].text
    assert "NAK" in dave.verdicts
    assert "drop-patch" in by_id["ec744e5a-3bf6-4ed0-9309-0d1d1b834c68@intel.com"].verdicts
    assert by_id["aXc8ZOufsyWWsBw4@tlindgre-MOBL1"].verdicts == ("Reviewed-by",)
    gao = by_id["aXt0+lRvpvf5knKP@intel.com"]
    assert gao.proposals == () and {q.who for q in gao.quotes} >= {"Dave Hansen"}
    assert "Background:" not in gao.own_text


def test_flowed_reply_keeps_quote_depths_apart(tmp_path: Path) -> None:
    # As a format=flowed mailer sends it: soft breaks end in a space, quoted lines keep their depth.
    raw = (b"From: Rita Reviewer <rita@example.org>\nSubject: Re: [PATCH 1/1] demo\nMessage-ID: <r@example.org>\n"
           b"Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
           b"Ann Author wrote:\n"
           b"> The first quoted sentence runs on over a soft \n> break in the quote.\n"
           b">> Older words, quoted twice and soft \n>> broken too.\n\n"
           b"I would rather see:\n\n"
           b"\tcode = (fn & DEMO_MASK) ? DEMO_OTHER : \n\tDEMO_BUSY;\n"
           b"-- \nRita\n")
    (tmp_path / "r.eml").write_bytes(raw)
    (reply,) = parse_series(IngestRequest((tmp_path / "r.eml",))).orphans
    assert [(q.depth, q.lines) for q in reply.quotes] == [
        (1, ("The first quoted sentence runs on over a soft break in the quote.",)),
        (2, ("Older words, quoted twice and soft broken too.",))]
    assert "\tcode = (fn & DEMO_MASK) ? DEMO_OTHER : \tDEMO_BUSY;" in reply.own_text
    assert "Rita" not in reply.own_text


def test_a_diff_whose_hunk_lost_lines_does_not_swallow_the_words_below_it(tmp_path: Path) -> None:
    # A mailer that joins lines (format=flowed unflowed as git mailinfo does: a blank context line " " is a
    # soft break) leaves a hunk shorter than its counts. git apply calls it corrupt where a line of no diff
    # kind comes; the reviewer's words from there on are the reply's again, the NAK among them.
    proposed = diff(HELPER_PATH, HELPER_V1, HELPER_V2)
    lines = proposed.splitlines(keepends=True)
    context = [i for i, t in enumerate(lines) if t.startswith(" ") and i > 4]
    for i in reversed(context[-2:]):
        del lines[i]  # two context lines gone: the counts now reach past the diff
    body = "Simpler:\n\n-- >8 --\n" + "".join(lines) + "\nNAK for this version.\n"
    r = _reply(tmp_path, body)
    assert "NAK" in r.verdicts


def test_words_below_a_quote_under_a_signature_are_the_replys(tmp_path: Path) -> None:
    # A client that puts the signature above the quote: the NAK below the quote was cut off with the signature and
    # passed the gate. Its trailers stay unread, as b4 takes all below its last "-- " for the signature.
    r = _reply(tmp_path, "Hi,\n\n-- \nRita, Example Corp\n\nOn Mon, Jan 5, 2026 at 10:00 AM Ann Author "
               "<ann@example.org> wrote:\n> Change number 2.\n\nNAK, this loops forever.\n\n"
               "Reviewed-by: Rita Reviewer <rita@example.org>\n")
    assert "NAK" in r.verdicts and r.trailers == () and "Reviewed-by" not in r.verdicts, (r.verdicts, r.trailers)
    # An ordinary signature at the end is still no words of the reply.
    r = _reply(tmp_path, "> Change number 2.\n\nFine.\n\n-- \nRita\nNAK Corp\n")
    assert r.verdicts == () and "NAK Corp" not in r.own_text


def test_a_nak_in_a_proposed_line_of_code_is_no_verdict(tmp_path: Path) -> None:
    # A word of the proposed code ("+/* ... NAK ... */") was the reply's NAK and blocked the gate.
    proposal = ("How about this instead:\n\ndiff --git a/drivers/demo/x.c b/drivers/demo/x.c\n--- a/drivers/demo/x.c\n"
                "+++ b/drivers/demo/x.c\n@@ -1,3 +1,4 @@\n int a;\n"
                "+/* the loader may NAK it: drop this patch's retry */\n int b;\n int c;\n")
    for tail, verdicts in (("\nThanks.\n", ()), ("NAK to the original, though.\n", ("NAK",))):
        r = _reply(tmp_path, f"> Change number 2.\n\n{proposal}{tail}")
        assert r.verdicts == verdicts and [p.kind for p in r.proposals] == [ProposalKind.DIFF], r.verdicts


@pytest.mark.parametrize("line", ["On Mon, 5 Jan 2026, Ann Author <ann@example.org> wrote:", "Ann writes:  ",
                                  "  Ann Author wrote:\t", "Ann wrote: yes", "> Ann wrote:", "wrote:", "Ann wrote",
                                  "Ann Author <ann@example.org> writes:", "Ann wrote:\u3000"])
def test_attribution_prefilter_agrees_with_the_pattern(line: str) -> None:
    # attribution() runs its pattern only on lines ending in "wrote:" or "writes:" (a 20 MB quote: 19% fewer
    # instructions); the answer is the pattern's own on every line.
    from harness.attribution import _ATTRIBUTION, attribution

    m = _ATTRIBUTION.match(line.strip())
    assert (attribution(line) is None) == (m is None)


def test_a_quoted_line_starts_no_top_posted_copy() -> None:
    # top_posted() passes over lines starting with '>' unread: none of its shapes starts with one.
    from harness.attribution import top_posted

    quoted = [(n, f"> {t}") for n, t in enumerate(["-----Original Message-----", "From: Ann", "Sent: Monday",
                                                    "On Mon, 5 Jan 2026 at 10:00, Ann <a@x> wrote:", "text"])]
    assert top_posted(quoted) is None
    assert top_posted([(n, t[2:]) for n, t in quoted]) is not None


def test_a_long_reply_of_own_lines_is_read_in_linear_time() -> None:
    """100,000 lines of a reviewer's own words (a pasted log) with an attribution and a quote at the end: each
    line asked whether a quote follows it copied the rest of the reply (a022404b^: minutes for 20 MB). Counted, not
    timed: the lines copied out of the reply by slicing it, some none rather than n squared over two."""
    from harness.replies import split_quotes

    copied: list[int] = []

    class Lines(list[tuple[int, str]]):
        """The reply's numbered lines, counting what each slice of them copies."""

        def __getitem__(self, i: Any) -> Any:
            got = super().__getitem__(i)
            if isinstance(i, slice):
                copied.append(len(got))
            return got

    n = 20_000
    lines = [f"[ {i}.000000] virt/tdx: SEAMCALL (0x{i:016x}) failed: 0x8000020300000000" for i in range(n)]
    lines += ["", "On Mon, 1 Dec 2026 10:00:00 +0000, Pat Author <pat@example.org> wrote:", "> the patch", "NAK."]
    numbered = Lines(enumerate(lines, start=1))
    own, quotes = split_quotes(numbered, Where("r.eml", 1, "r@x"))
    assert sum(copied) <= 2 * n, (len(copied), sum(copied))  # a022404b^: 200 million for these 20,000
    assert own[-1][1] == "NAK." and len(own) == n + 2
    assert [(q.who, q.lines) for q in quotes] == [("Pat Author <pat@example.org>", ("the patch",))]


def test_a_trailer_naming_someone_else_is_no_verdict_of_the_sender(tmp_path: Path) -> None:
    # Rita passes on a colleague's Tested-by: b4 am leaves it out (not her own), and the reply was listed as giving
    # 'Reviewed-by, Tested-by', a verdict she did not give. A Nacked-by she passes on is still a NAK in her words.
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    r = _reply(tmp_path / "a", "Looks right.\n\nReviewed-by: Rita Reviewer <rita@example.org>\n"
                               "Tested-by: Zoë Tester <zoe@example.com>\n")
    assert [t.key for t in r.trailers] == ["Reviewed-by", "Tested-by"]
    assert r.verdicts == ("Reviewed-by",), r.verdicts
    r = _reply(tmp_path / "b", "Passing this on.\n\nNacked-by: Olga Other <olga@example.com>\n")
    assert "NAK" in r.verdicts and "Nacked-by" not in r.verdicts, r.verdicts
