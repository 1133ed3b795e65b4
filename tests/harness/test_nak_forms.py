"""NAKs as reviewers and their mailers write them: conditions, signatures, Subjects, HTML, other parts, numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from harness.nakwords import nak_sentences, withdraws_nak
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, bundled_sender, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import LATER, MAE, OLGA, RULE, _followed, _objections, _replies, _thread
from tests.mailgen import message, write_mbox

runner = CliRunner()


@pytest.mark.parametrize("words", [
    "I will remove my NAK once the loop is bounded.", "I'll withdraw my NAK when v3 bounds the loop.",
    "Happy to lift my NAK if you bound the loop.", "I'd drop the NAK only if you fix the loop.",
    "Fix the loop and I'll retract my NAK.", "If you bound the loop, consider my NAK withdrawn.",
    "Once this is fixed, I'll drop my NAK.", "I will remove my NAK in v3.",
])
def test_a_withdrawal_put_as_a_condition_takes_nothing_back(tmp_path: Path, words: str) -> None:
    # These took Mae's NAK back: the gate passed while she waits for the fix.
    assert not withdraws_nak(words) and nak_sentences(words) == [words], words
    mbox = _followed(tmp_path, "NAK, this special-cases the loader.", ((words, MAE, LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    [o] = g.objections  # hers, once: the later sentence cited with it
    assert o.msgid == "nak-1@example.org" and [a.sentence for a in o.again] == [words] and g.exit_status == 1, o


@pytest.mark.parametrize("words", [
    "Chao asked me to withdraw my NAK. I refuse.", "I was urged to drop the NAK, and no, I won't.",
    "Ingo suggested I retract my NAK: not while the loop is unbounded.", "Thomas told me to take back my NAK.",
])
def test_a_withdrawal_someone_else_asks_for_takes_nothing_back(tmp_path: Path, words: str) -> None:
    # A request reported took Mae's NAK back: the gate passed on her refusal.
    assert not withdraws_nak(words), words
    mbox = _followed(tmp_path, "NAK, this special-cases the loader.", ((words, MAE, LATER, True),))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"] and g.exit_status == 1, g.objections
    # Her own word after another's still takes it back.
    assert withdraws_nak("Chao convinced me to withdraw my NAK.") and withdraws_nak("As you asked, I withdraw my NAK.")


@pytest.mark.parametrize("words", ["I'll withdraw my NAK.", "OK, I'll withdraw my NAK then.",
                                   "After reading v3 I withdraw my NAK.", "Consider my NAK withdrawn.",
                                   # In the plural (a NAK of each of several patches): read as none, it kept them.
                                   "I withdraw my NAKs.", "My NAKs are withdrawn."])
def test_a_withdrawal_said_outright_still_takes_it_back(words: str) -> None:
    assert withdraws_nak(words) and nak_sentences(words) == [], words


@pytest.mark.parametrize("words", ["My NAKs are not withdrawn.", "I will not withdraw my NAKs.", "NAKs are rare."])
def test_naks_in_the_plural_not_taken_back_stay(words: str) -> None:
    assert not withdraws_nak(words), words


def test_the_word_naked_is_no_nak(tmp_path: Path) -> None:
    # "naked" matched NAK(ed): a review speaking of a naked SEAMCALL blocked the gate as a NAK.
    words = "> quoted\n\nThe naked __seamcall() here bypasses sc_retry(). Naked asm is no better.\n"
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", words, MAE, "patch"))) == []
    nak = "> quoted\n\nThe naked __seamcall() here: NAKed.\n"
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", nak, MAE, "patch"))) == [
        ("m1@example.org", "NAKed.")]


def test_a_nacked_by_below_the_signature_blocks(tmp_path: Path) -> None:
    # b4 takes no trailer below "-- " (nor does seamharness for b4 am), but the NAK passed the gate unread.
    said = _objections(tmp_path, _replies(tmp_path, ("m1@example.org", "> quoted\n\nI have doubts.\n\n-- \nMae Maint\n"
                                                     "Nacked-by: Mae Maint <mae@example.org>\n", MAE, "patch")))
    assert said == [("m1@example.org", "Nacked-by: Mae Maint <mae@example.org>")], said
    # A signature that only names the word is none.
    sig = "> quoted\n\nReviewed-by: Mae Maint <mae@example.org>\n\n-- \nMae Maint, NAK-free since 1999\n"
    assert _objections(tmp_path, _replies(tmp_path, ("m1@example.org", sig, MAE, "patch"))) == []


def test_a_nak_in_the_subject_blocks(tmp_path: Path) -> None:
    # "NAK: Re: [PATCH v2 2/3] ..." with "See above." passed the gate.
    mbox, rules = _thread(tmp_path, "See above.")
    text = mbox.read_text()
    at = text.rindex("\n Re: [PATCH v2 2/3]", 0, text.index("Message-ID: <nak-1@example.org>"))
    mbox.write_text(f"{text[:at]}\n NAK: {text[at + 2:]}")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"] and g.exit_status == 1, g.objections
    # The author's answer keeps "NAK:" in its Subject: the message answered had it, none of the answer's own.
    answer = message("Re: NAK: Re: [PATCH v2 2/3] x86/virt/tdx: Prepare to support P-SEAMLDR SEAMCALLs",
                     "a1@example.org", "> See above.\n\nWill fix.\n", parent="nak-1@example.org",
                     refs=("gen-cover-v2@example.org", "gen-2-v2@example.org", "nak-1@example.org"))
    with mbox.open("a") as out:
        out.write(write_mbox(tmp_path / "more.mbox", [answer]).read_text())
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == ["nak-1@example.org"], g.objections


def test_an_outlook_copy_in_html_only_mail_is_the_copied_senders(tmp_path: Path) -> None:
    # Outlook's HTML reply: Mae's words, then Olga's mail (not given) copied below its header block. It was all read as
    # Mae's words: her NAK, which Olga's withdrawal could not take back.
    html = ("<html><body><div>Looks fine to me.</div><hr><div><b>From:</b> Olga Other &lt;olga@example.org&gt;<br>"
            "<b>Sent:</b> Monday, January 5, 2026 11:00 AM<br><b>To:</b> Ann<br><b>Subject:</b> RE: x</div>"
            "<div>NAK, the loop never ends.</div></body></html>")
    mbox = _replies(tmp_path, ("m1@example.org", "HTML", MAE, "patch"))
    text = mbox.read_text()
    at = text.index("Message-ID: <m1@example.org>")
    head, body = text[at:].split("\n\n", 1)
    mbox.write_text(text[:at] + head.replace("text/plain", "text/html") + "\n\n" + html + "\n" +
                    body[body.index("HTML") + 5:])
    assert _objections(tmp_path, mbox) == [("m1@example.org", "x NAK, the loop never ends")]
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["objections"][0]["author"] == "Olga Other <olga@example.org> (quoted by Mae Maint)", doc["objections"]
    scratch = message("Re: x", "w1@example.org", "> NAK\n\nI withdraw my NAK.\n", sender=OLGA,
                      parent="m1@example.org", refs=("gen-cover-v2@example.org", "gen-2-v2@example.org",
                                                     "m1@example.org"), date="Tue, 06 Jan 2026 10:00:00 +0000")
    with mbox.open("a") as out:
        out.write(write_mbox(tmp_path / "more.mbox", [scratch]).read_text())
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize(("words", "left"), [("I withdraw my NAK of patch 2.", []),
                                             ("I withdraw my NAK on 2/3, v2 is fine.", []),
                                             ("I withdraw my NAK of patch 3.", ["nak-1@example.org"]),
                                             ("I withdraw my NAK.", ["nak-1@example.org"])])  # of which patch?
def test_a_withdrawal_below_the_cover_letter_naming_the_patch_takes_it_back(tmp_path: Path, words: str,
                                                                            left: list[str]) -> None:
    # Mae NAKs patch 2, then takes it back in a reply to the cover letter: the NAK blocked still.
    mbox, rules = _thread(tmp_path, "NAK, this special-cases the loader.")
    back = message("Re: [PATCH v2 0/3] x", "w1@example.org", f"> cover\n\n{words}\n", sender=MAE,
                   parent="gen-cover-v2@example.org", refs=("gen-cover-v2@example.org",), date=LATER)
    with mbox.open("a") as out:
        out.write(write_mbox(tmp_path / "more.mbox", [back]).read_text())
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.msgid for o in g.objections] == left, g.objections


def test_a_nak_in_a_message_forwarded_as_an_attachment_is_its_senders(tmp_path: Path) -> None:
    # Mae forwards Olga's mail (not given) as a message/rfc822 attachment: its NAK was never read.
    inner = ("From: Olga Other <olga@example.org>\nSubject: Re: x\nContent-Type: text/plain\n"
             "Content-Transfer-Encoding: quoted-printable\n\nNAK=2C the loop never ends.\n")
    mbox = _replies(tmp_path, ("m1@example.org", "FORWARD", MAE, "patch"))
    text = mbox.read_text()
    at = text.index("Message-ID: <m1@example.org>")
    head, body = text[at:].split("\n\n", 1)
    head = re.sub(r"Content-Type: text/plain[^\n]*", 'Content-Type: multipart/mixed; boundary="b1"', head)
    parts = (f"--b1\nContent-Type: text/plain; charset=utf-8\n\nForwarding Olga's answer.\n\n--b1\n"
             f"Content-Type: message/rfc822\n\n{inner}--b1--\n")
    mbox.write_text(text[:at] + head + "\n\n" + parts + body[body.index("FORWARD") + 8:])
    assert _objections(tmp_path, mbox) == [("m1@example.org", "NAK, the loop never ends")]
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["objections"][0]["author"] == "Olga Other (quoted by Mae Maint)", doc["objections"]


def _dressed(tmp: Path, ctype: str, body: str) -> Path:
    """Mae's reply below patch 2 with this Content-Type and body (no Content-Transfer-Encoding but 8bit)."""
    mbox = _replies(tmp, ("m1@example.org", "BODY", MAE, "patch"))
    text = mbox.read_text()
    at = text.index("Message-ID: <m1@example.org>")
    head, rest = text[at:].split("\n\n", 1)
    head = re.sub(r"Content-Type: text/plain[^\n]*", f"Content-Type: {ctype}", head)
    head = re.sub(r"Content-Transfer-Encoding: \S+", "Content-Transfer-Encoding: 8bit", head)
    mbox.write_text(text[:at] + head + "\n\n" + body + rest[rest.index("BODY") + 5:])
    return mbox


def test_a_nak_in_other_text_than_plain_or_html_blocks(tmp_path: Path) -> None:
    # text/markdown alone was read as no words: the NAK passed the gate.
    mbox = _dressed(tmp_path, "text/markdown; charset=utf-8", "> quoted\n\n**NAK**, this loops.\n")
    assert _objections(tmp_path, mbox) == [("m1@example.org", "**NAK**, this loops.")]


def test_a_reply_whose_words_cannot_be_read_blocks_with_the_reason(tmp_path: Path) -> None:
    # An encrypted reply: whether it NAKs the patch cannot be told, and the gate passed.
    encrypted = ("--e1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--e1\nContent-Type: "
                 "application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\nabc\n-----END PGP MESSAGE-----\n--e1--\n")
    mbox = _dressed(tmp_path, 'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e1"', encrypted)
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(tmp_path / "rules.toml"), "--json",
                            str(tmp_path / "g.json")])
    doc = json.loads((tmp_path / "g.json").read_text())
    assert r.exit_code == 1 and doc["verdict"].startswith("v2: NOT READY: 1 input not read"), doc["verdict"]
    [o] = doc["objections"]
    assert (o["kind"], o["msgid"]) == ("unread", "m1@example.org"), o
    assert o["sentence"] == "its words cannot be read: it has no text part (application/pgp-encrypted, " \
                            "application/octet-stream)", o
    assert "unreadable reply to v2 02/3 by Mae Maint" in " ".join(r.stdout.split()), r.stdout
    # A signed reply with no words holds nothing to read: none.
    signed = ("--s1\nContent-Type: text/plain; charset=utf-8\n\n\n--s1\nContent-Type: application/pgp-signature\n\n"
              "-----BEGIN PGP SIGNATURE-----\nxyz\n-----END PGP SIGNATURE-----\n--s1--\n")
    mbox = _dressed(tmp_path, 'multipart/signed; protocol="application/pgp-signature"; boundary="s1"', signed)
    assert _objections(tmp_path, mbox) == []


@pytest.mark.parametrize(("words", "naks"), [
    ("The firmware may NAK the request while busy, which the loop handles.", False),
    ("The controller will NACK the transfer; that is fine.", False),
    ("I will NAK this.", True), ("We must NAK this.", True), ("Honestly, and hence must NAK this.", True),
    ("I really would NAK this.", True),
])
def test_nak_as_what_something_else_may_do_is_none(tmp_path: Path, words: str, naks: bool) -> None:
    # A device that "may NAK" a request blocked the gate as Mae's NAK.
    said = _objections(tmp_path, _replies(tmp_path, ("m1@example.org", f"> quoted\n\n{words}\n", MAE, "patch")))
    assert bool(said) == naks, said


def test_a_nak_below_one_patch_naming_another_by_number_is_of_both(tmp_path: Path) -> None:
    # "NAK for patch 2" below 3/3: v2:02, which applies patch 2, passed (replies below 3/3 were not its), and v2 listed
    # it as of 03/3 alone (carried to v3 by 03/3's patch-id, not 02/3's).
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    up = msgs[3]["Message-ID"].strip("<>")
    words = "> quoted\n\nNAK for patch 2, it breaks the retry.\n"
    reply = message(f"Re: {msgs[3]['Subject']}", "n3@example.org", words, sender=MAE, parent=up,
                    refs=(msgs[0]["Message-ID"].strip("<>"), up))
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    (tmp_path / "rules.toml").write_text(RULE)
    for variant, target in (("v2:02", "v2 02/3"), ("v2", "v2 02/3, 03/3")):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert [(o.msgid, o.target) for o in g.objections] == [("n3@example.org", target)], (variant, g.objections)
    assert not evaluate_gate(GateRequest((mbox,), "v2:01", jobs=1, rules=tmp_path / "rules.toml",
                                         cache=shared_outcomes())).objections
    # A reviewer's request to drop patch 2 there too; the author's own word of it is their plan.
    for sender, want in ((MAE, [("n3@example.org", "v2 02/3")]), (bundled_sender(), [])):
        asked = message(f"Re: {msgs[3]['Subject']}", "n3@example.org", "> quoted\n\nPlease drop patch 2, it is not "
                        "needed.\n", sender=sender, parent=up, refs=(msgs[0]["Message-ID"].strip("<>"), up))
        write_mbox(mbox, [*msgs, asked])
        g = evaluate_gate(GateRequest((mbox,), "v2:02", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert [(o.msgid, o.target) for o in g.objections] == want, (sender, g.objections)


def test_an_unreadable_reply_placed_below_nothing_blocks_every_variant(tmp_path: Path) -> None:
    encrypted = ("--e1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--e1\nContent-Type: "
                 "application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\nabc\n-----END PGP MESSAGE-----\n--e1--\n")
    mbox = _dressed(tmp_path, 'multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e1"', encrypted)
    text = mbox.read_text()
    at = text.rindex("\nFrom mboxrd@z", 0, text.index("Message-ID: <m1@example.org>"))
    head, rest = text[at:].split("\n\n", 1)
    head = re.sub(r"\nIn-Reply-To: [^\n]*|\nReferences: [^\n]*(?:\n [^\n]*)*", "", head)
    head = re.sub(r"\nSubject:[^\n]*(?:\n [^\n]*)*", "\nSubject: Re: the retry loop", head)
    mbox.write_text(text[:at] + head + "\n\n" + rest)
    for variant in ("v2", "v2:01"):
        g = evaluate_gate(GateRequest((mbox,), variant, jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
        assert [(o.kind, o.msgid) for o in g.objections] == [("unread", "m1@example.org")], (variant, g.objections)
        assert g.objections[0].target.startswith(f"{variant.split(':')[0]} (placed below nothing"), g.objections


@pytest.mark.parametrize(("words", "said"), [
    ("_NAK_", ["_NAK_"]),  # Thunderbird's underline: the gate passed (a regex's \\b takes "_" for a letter)
    ("_NAK_, the loop spins.", ["_NAK_, the loop spins."]),
    ("*NAK*", ["*NAK*"]),
    ("This is _not_ a NAK.", []),  # the negation underlined
    ("TDX_NAK_RETRY is returned.", []),  # names, not underlined words
    ("SEAMCALL_NAK comes back.", []),
    ("__NAK__", []),
])
def test_an_underlined_nak_is_a_nak(words: str, said: list[str]) -> None:
    assert nak_sentences(words) == said


def test_an_underlined_nak_blocks_the_gate(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "_NAK_")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert g.exit_status == 1 and [o.sentence for o in g.objections] == ["_NAK_"], g.objections


def test_a_nak_alone_in_the_html_part_alone_is_cited_with_its_reason(tmp_path: Path) -> None:
    # The plain part says nothing of it; the HTML part's "NAK." was cited bare, where the plain text's is cited with
    # the sentence after it (nakwords.nak_sentence).
    body = ('--b\nContent-Type: text/plain\n\n> quoted\n\nSee below.\n--b\nContent-Type: text/html\n\n'
            '<html><body><p>See below.</p><p>NAK. The leaf bit check is wrong.</p></body></html>\n--b--\n')
    mbox = _dressed(tmp_path, 'multipart/alternative; boundary="b"', body)
    assert _objections(tmp_path, mbox) == [("m1@example.org", "NAK. The leaf bit check is wrong.")]
