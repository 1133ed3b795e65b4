"""A report that the patch breaks something (harness.regressions), read by its parts; lifted by its sender's word."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.droprequest import request_in
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.regressions import cleared, regression
from tests.gatecli import gate_outputs
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import AUTHOR, REVIEWER
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

# Each was read as nothing below the patch: 'v2: READY', exit 0.
REPORTED = [
    "This patch breaks boot on SPR.",
    "Bisected the boot hang to this patch.",
    "Reverting this patch fixes boot on my SPR box.",
    "With this applied my machine no longer boots.",
    "Unfortunately this patch breaks the build.",
    "It breaks boot on my SPR box.",
    "Patch 2 causes a boot hang.",
    "I bisected it to this commit.",
    "After applying this patch, my SPR box hangs at boot.",
    "This series regressed boot time by 2s.",
    "This hangs my machine at boot.",
    "The loop is fine, so this breaks nothing? No: this patch breaks suspend.",
    # The failure first, then the patch; other failures; git bisect's words.
    "Since this patch, my SPR box fails to boot.",
    "I see a boot hang with this patch applied.",
    "Boot hangs with this patch.",
    "The kernel panics at boot with this series.",
    "My SPR box no longer boots with this patch applied.",
    "This patch makes my box hang at boot.",
    "This patch triggers a WARN on boot.",
    "This patch introduces a use-after-free.",
    "This causes a NULL dereference in tdx_init().",
    "This patch is the first bad commit.",
    # The build or boot failing, its subject the patch or left out (each read as nothing until round 63).
    "This doesn't compile.", "Doesn't build with W=1.", "v2 no longer boots on my SPR box.", "Fails to link here.",
    "This doesn't even compile.", "Nope, doesn't build.", "Patch 2 doesn't build without patch 1.",
    # After the tester's own words; the build broken or warning, the patch left out; a test failing (each read as
    # nothing until round 64).
    "I tried it and it does not build.", "Tried it, doesn't build.", "I tested v2 on my box and it does not boot.",
    "Breaks the build.", "Breaks the i386 build.", "Breaks 32-bit builds.", "Warns with W=1.",
    "sparse complains about this.", "gcc warns here.", "Build error with clang.", "New W=1 warning.",
    "Compile error here.", "Build fails on arm64.", "I get a build error with clang.", "The selftests fail with this.",
    "This triggers a W=1 warning.", "Fails with W=1.",
]

# A question, a condition, a negation, a guess, code breaking out of a loop, a fix, a success report.
NOT_REPORTED = [
    "Does this break boot?",
    "This would break boot if the leaf bit is set.",
    "That would break the ABI.",
    "This doesn't break anything.",
    "This no longer breaks boot with v3.",
    "I don't think this patch breaks boot.",
    "If this breaks boot, we revert it.",
    "It breaks out of the loop on BUSY.",
    "The loop breaks when the leaf returns BUSY.",
    "This patch fixes the boot hang.",
    "This fixes a case that used to break boot.",
    "Tested on SPR, boots fine.",
    "Tested-by: Tess Ter <tess@example.org>",
    "With this applied my machine boots fine.",
    "Without this patch my machine no longer boots.",
    "I could not bisect it to this patch.",
    "Reverting this patch does not fix boot.",
    # The verb's other senses, nothing broken, not by the patch, answered by a later revision, taken back at once.
    "This patch breaks the function into two helpers.",
    "This patch breaks up the helper.",
    "Patch 2 breaks the long line.",
    "This breaks the dependency on patch 1.",
    "This breaks the cycle between the two headers.",
    "This patch regressed nothing in my tests.",
    "This patch breaks no ABI.",
    "This patch has broken nothing so far.",
    "It crashes the same way without this patch.",
    "This patch broke boot in v1, v2 fixes it.",
    "Bisected to this patch, but it was a false positive.",
    "Bisected to this patch. False alarm though, my config.",
    "I don't see a hang with this patch.",
    "Boot doesn't hang with this patch.",
    "It hangs with the old firmware.",
    "The loader fails to boot with the wrong leaf.",
    "This patch fixes a bug.",
    "Since this patch, my SPR box boots fine.",
    "No crash with this patch.",
    "This patch is not the first bad commit.",
    "This doesn't compile?", "Without this patch, it doesn't build.", "If you drop the include, it won't build.",
    "This doesn't build on arm64, but that's expected.", "I reverted 2/3 and it still doesn't build.",
    "It doesn't break the build.", "I didn't build it yet.",
    "Builds fine here.", "I tested it and it builds fine.", "No new W=1 warnings.", "gcc doesn't warn here.",
    "sparse does not complain.", "Build warnings are a separate topic.",
    "gcc warns if you forget the cast, so keep it.",
    "The test fails without this patch.", "The test fails if the loader is busy, which is expected.",
    "The kvm selftests pass with this.", "The build error was in v1, v2 fixes it.",
    "This warns once when the loader is busy.",
]


@pytest.mark.parametrize("said", REPORTED)
def test_a_report_that_the_patch_breaks_something_is_read(said: str) -> None:
    assert regression(said, request_in) is not None, said


@pytest.mark.parametrize("said", NOT_REPORTED)
def test_what_reports_no_breakage_is_not_read_as_one(said: str) -> None:
    assert regression(said, request_in) is None, said


def test_a_report_names_the_patch_or_leaves_it_to_the_quote() -> None:
    said = regression("Patch 2 causes a boot hang.", request_in)
    assert said is not None and said.named and said.numbers == (2,)
    said = regression("It breaks boot on my SPR box.", request_in)
    assert said is not None and not said.named


def _bump(msgs: list[EmailMessage]) -> list[EmailMessage]:
    """The same mails as v3: subjects and Message-IDs renamed."""
    out = []
    for m in msgs:
        n = copy.deepcopy(m)
        for h in ("Subject", "Message-ID", "In-Reply-To", "References"):
            if (v := n[h]) is not None:
                del n[h]
                n[h] = v.replace("v2", "v3")
        out.append(n)
    return out


HEADER = PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL


def _gate(tmp: Path, said: Sequence[tuple[str, str, str | None]], variant: str = "v2",
          v3: list[EmailMessage] | None = None) -> GateResult:
    """v2 of our own series (and ``v3``), replies (body, sender, the message answered: None for patch 2) below it."""
    msgs = preparing_series(HEADER)
    ids = [m["Message-ID"].strip("<>") for m in msgs]
    mails = [*msgs, *(v3 or [])]
    for i, (body, sender, parent) in enumerate(said):
        at = parent or ids[2]
        mails.append(message(f"Re: {msgs[2]['Subject']}", f"r{i}@example.org", body, sender=sender, parent=at,
                             refs=(ids[0], at), date=f"Mon, 05 Jan 2026 1{i}:00:00 +0000"))
    (tmp / "rules.toml").write_text(RULE)
    mbox = write_mbox(tmp / "t.mbox", mails)
    return evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp / "rules.toml", cache=shared_outcomes()))


@pytest.mark.parametrize("body", [
    "This patch breaks boot on SPR.\n",
    "Bisected the boot hang to this patch.\n",
    "Reverting this patch fixes boot on my SPR box.\n",
    "With this applied my machine no longer boots.\n",
    "> +\t} while (err == BUSY);\n\nIt hangs my SPR box at boot.\n",  # "it" placed by the quote above
    "> +\t} while (err == BUSY);\n\nDoesn't build with W=1.\n",
    "> +\t} while (err == BUSY);\n\nI tried it and it does not build.\n",
    "> +\t} while (err == BUSY);\n\nBreaks the build.\n",
    "> +\t} while (err == BUSY);\n\nWarns with W=1.\n",
])
def test_a_report_that_the_patch_breaks_something_blocks_the_gate(tmp_path: Path, body: str) -> None:
    # Before: 'v2: READY', exit 0.
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3")], g.headline()


@pytest.mark.parametrize(("body", "sender"), [
    ("This patch breaks boot on SPR without patch 1, so apply them together.\n", AUTHOR),  # the author's own
    ("Tested-by: Mae Maint <mae@example.org>\n", REVIEWER),
])
def test_what_is_no_report_leaves_the_gate_to_the_rules(tmp_path: Path, body: str, sender: str) -> None:
    g = _gate(tmp_path, [(body, sender, None)])
    assert not g.objections and g.exit_status == 0, g.headline()


def test_a_question_of_a_breakage_is_no_report_but_the_authors_to_answer(tmp_path: Path) -> None:
    # No regression reported: a question its author must answer (harness.questionwords), which passed unsaid.
    g = _gate(tmp_path, [("Does this break boot on SPR?\n", REVIEWER, None)])
    said = [(o.kind.value, o.sentence) for o in g.objections]
    assert said == [("point", "Does this break boot on SPR?")], g.headline()


@pytest.mark.parametrize("later", ["False alarm, sorry: it was my config.\n", "Works now, it was a stale build.\n",
                                   "Please disregard my report, the box had a bad DIMM.\n"])
def test_the_reporters_later_word_lifts_the_report_and_the_gate_says_so(tmp_path: Path, later: str) -> None:
    g = _gate(tmp_path, [("This patch breaks boot on SPR.\n", REVIEWER, None), (later, REVIEWER, "r0@example.org")])
    assert g.exit_status == 0 and not g.objections, g.headline()
    [line] = g.lifted
    assert "This patch breaks boot on SPR." in line and later.strip() in line


@pytest.mark.parametrize(("first", "later", "sender", "kind"), [
    ("This patch breaks boot on SPR.\n", "Is it a false alarm?\n", REVIEWER, ObjectionKind.REGRESSION),  # a question
    ("This patch breaks boot on SPR.\n", "Works now, it was a stale build.\n", AUTHOR,
     ObjectionKind.REGRESSION),  # another's word
    ("Please drop this patch.\n", "Works now, it was a stale build.\n", REVIEWER, ObjectionKind.DROP),  # no report
])
def test_what_lifts_no_report_leaves_it_blocking(tmp_path: Path, first: str, later: str, sender: str,
                                                 kind: ObjectionKind) -> None:
    g = _gate(tmp_path, [(first, REVIEWER, None), (later, sender, "r0@example.org")])
    assert g.exit_status == 1 and [o.kind for o in g.objections] == [kind], g.headline()


def test_a_report_below_v2_blocks_v3_only_where_its_patch_is_the_same_change(tmp_path: Path) -> None:
    report = [("This patch breaks boot on SPR.\n", REVIEWER, None)]
    (tmp_path / "same").mkdir()
    g = _gate(tmp_path / "same", report, "v3", _bump(preparing_series(HEADER)))
    assert g.exit_status == 1 and [o.target for o in g.objections] == \
        ["v3 02/3 (as v2 02/3: the same change by git patch-id)"], g.headline()
    (tmp_path / "changed").mkdir()
    g = _gate(tmp_path / "changed", report, "v3", _bump(preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + TAIL)))
    assert not g.objections, g.objections  # v3 changed the patch the report was of: answered


@pytest.mark.parametrize(("said", "lifts"), [
    ("False alarm, sorry: it was my config.", True),
    ("My mistake, it boots fine.", True),
    ("Not this patch's fault, the BIOS was old.", True),
    ("Is this a false alarm?", False),
    ("It's not a false alarm.", False),
    ("If it works now, fine.", False),
    ("It still doesn't boot.", False),
    ("Maybe a false alarm.", False),
])
def test_a_word_clearing_the_patch_is_read(said: str, lifts: bool) -> None:
    assert (cleared(said) is not None) == lifts, said


def test_an_ordinary_review_compiles_none_of_the_forms() -> None:
    # Each form is 4-6 ms to compile; "change" holds "hang" and "with them" holds "with the": neither may compile one.
    from harness import regressions
    for form, _, _ in regressions._FORMS:
        form.cache_clear()  # type: ignore[attr-defined]
    said = ("The changelog should say why the loop retries. It talks with them at boot. This kinda bugs me.\n"
            "Otherwise looks good.\n\nReviewed-by: Mae Maint <mae@example.org>\n")
    assert regression(said, request_in) is None
    assert [form.cache_info().currsize for form, _, _ in regressions._FORMS] == [0] * len(regressions._FORMS)  # type: ignore[attr-defined]


def test_a_report_is_said_as_one_in_text_json_and_junit(tmp_path: Path) -> None:
    # Before: counted and written as a request to drop ('v2: NOT READY: 1 request to drop no rule judges', kind
    # 'drop', JUnit 'drop-<msgid>'), which the tester never asked for; it blocks as before (exit 1).
    g = _gate(tmp_path, [("I bisected a boot hang to this patch.\n", REVIEWER, None)])
    [o] = g.objections
    assert g.exit_status == 1 and o.kind is ObjectionKind.REGRESSION and o.title.startswith("regression reported in ")
    assert g.headline().startswith("v2: NOT READY: 1 reported regression no rule judges, "), g.headline()
    code, text, doc, xml = gate_outputs(tmp_path / "t.mbox", tmp_path / "rules.toml", "v2", tmp_path)
    assert code == 1 and "request to drop" not in text and "request to drop" not in xml, text
    assert "1 reported regression of this variant's patches that no rule judges" in text
    assert [o["kind"] for o in doc["objections"]] == ["regression"] and "request to drop" not in doc["verdict"]
    assert 'classname="review.regression" name="regression-r0@example.org"' in xml
    assert 'type="regression"' in xml and 'type="drop"' not in xml


def test_a_report_and_a_request_to_drop_by_one_sender_are_one_objection(tmp_path: Path) -> None:
    # As when both were of kind 'drop': one objection citing the other message, not two counted apart.
    g = _gate(tmp_path, [("Please drop this patch.\n", REVIEWER, None),
                         ("This patch breaks boot on SPR.\n", REVIEWER, None)])
    [o] = g.objections
    assert g.exit_status == 1 and {o.msgid, *(a.msgid for a in o.again)} == {"r0@example.org", "r1@example.org"}


OLGA_SAYS = "This patch breaks boot on SPR."


@pytest.mark.parametrize("body", [
    f"On Mon, Dec 1, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:\n> {OLGA_SAYS}\n\nI can look into it.\n",
    f"On Mon, Dec 1, 2026 at 10:00 AM Olga Other\n<olga@example.org> wrote:\n> {OLGA_SAYS}\n\nI can look into it.\n",
    f"I can look into it.\n\nAm Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Olga Other <olga@example.org>:\n> {OLGA_SAYS}\n",
    "I can look into it.\n\n-----Original Message-----\nFrom: Olga Other <olga@example.org>\nSent: Monday, December 1, "
    f"2026 10:00 AM\nTo: Mae\nSubject: Re: x\n\n{OLGA_SAYS}\n",
])
def test_a_report_a_reply_quotes_is_the_quoted_senders_regression(tmp_path: Path, body: str) -> None:
    # Olga's report, quoted by Mae from a message the input lacks: it was 'request to drop v2 02/3 by Olga' (kind
    # 'drop'), which neither asked for. It blocks as hers, as a report (never as Mae's).
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert [(o.kind, o.author, o.sentence) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "Olga Other <olga@example.org> (quoted by Mae Maint)", OLGA_SAYS)], g.objections
    assert g.exit_status == 1 and "reported regression" in g.headline(), g.headline()
    # A request to drop beside the report is one: the quote asks, and stays a request.
    g = _gate(tmp_path, [(body.replace(OLGA_SAYS, f"{OLGA_SAYS} Please drop this patch."), REVIEWER, None)])
    assert [o.kind for o in g.objections] == [ObjectionKind.DROP], g.objections


@pytest.mark.parametrize("body", [
    f"> {OLGA_SAYS}\n\nNo, it boots fine here.\n",
    # A deeper quote below one sender's attribution: not that sender's words, and no line names whose.
    f"On Tue, Jan 6, 2026 at 9:00 AM Bob Other <bob@example.org> wrote:\n>> {OLGA_SAYS}\n>\n> I can look.\n\nMe too.\n",
])
def test_a_report_quoted_with_no_sender_named_is_nobodys_regression(tmp_path: Path, body: str) -> None:
    # Read as nothing (the gate passed), where a NAK quoted the same way blocks as an unnamed sender's: whose report it
    # is, and whether they took it back, cannot be told. Never the replier's, never the quoting sender's.
    g = _gate(tmp_path, [(body, REVIEWER, None)])
    assert [(o.kind, o.author, o.sentence) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "an unnamed sender (quoted by Mae Maint)", OLGA_SAYS)], g.objections
    assert "whose report this is" in g.objections[0].note


def test_a_report_the_input_holds_is_its_senders_alone_when_quoted(tmp_path: Path) -> None:
    # Olga's report is in the input; Mae's quote of it, attributed or not, adds no objection of its own.
    olga = "Olga Other <olga@example.org>"
    for quote in (f"> {OLGA_SAYS}\n\nI can look into it.\n",
                  f"On Mon, 5 Jan 2026 Olga Other <olga@example.org> wrote:\n> {OLGA_SAYS}\n\nI can look.\n"):
        g = _gate(tmp_path, [(f"{OLGA_SAYS}\n", olga, None), (quote, REVIEWER, "r0@example.org")])
        assert [(o.kind, o.author, o.msgid) for o in g.objections] == \
            [(ObjectionKind.REGRESSION, "Olga Other", "r0@example.org")], g.objections


ACK = "Checked it line by line; it is a straight move.\n\nAcked-by: Mae Maint <mae@example.org>\n"


@pytest.mark.parametrize(("body", "sender", "to"), [
    ("This breaks the build: kvm/vmx/tdx.c still calls tdx_keep_asking().\n", REVIEWER, 0),  # below its sender's Ack
    ("> Acked-by: Mae Maint <mae@example.org>\n\nDoesn't build with W=1.\n", REVIEWER, 0),  # below the quoted tag
    ("> Acked-by: Mae Maint <mae@example.org>\n\nThis patch breaks the build.\n", REVIEWER, 0),
    ("Unfortunately this patch breaks the build.\n", "Olga Other <olga@example.org>", 0),  # below another's Ack
    ("> Thanks, I'll take it.\n\nIt hangs my SPR box at boot.\n", REVIEWER, 1),  # below the author's answer
])
def test_a_report_anywhere_below_the_patch_blocks_the_gate(tmp_path: Path, body: str, sender: str, to: int) -> None:
    # Before: 'v2: READY', exit 0: a report answering a reply, not the patch, was read as of that reply's words.
    said = [(ACK, REVIEWER, None), ("Thanks, I'll take it.\n", AUTHOR, "r0@example.org"),
            (body, sender, f"r{to}@example.org")]
    g = _gate(tmp_path, said)
    assert g.exit_status == 1 and [(o.kind, o.target, o.msgid) for o in g.objections] == \
        [(ObjectionKind.REGRESSION, "v2 02/3", "r2@example.org")], g.headline()


def test_a_report_below_a_quoted_proposal_is_of_the_proposal(tmp_path: Path) -> None:
    # A reviewer's code breaks no patch: "This doesn't compile." below a quote of it judges that code.
    proposal = "How about this instead:\n\n\tif (err == BUSY)\n\t\treturn -EAGAIN;\n"
    body = "> \tif (err == BUSY)\n> \t\treturn -EAGAIN;\n\nThis doesn't compile.\n"
    g = _gate(tmp_path, [(proposal, REVIEWER, None), (body, "Olga Other <olga@example.org>", "r0@example.org")])
    assert all(o.msgid != "r1@example.org" for o in g.objections), [(o.kind, o.msgid) for o in g.objections]
