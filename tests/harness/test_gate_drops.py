"""The gate and a reviewer's request to drop a patch that no rule cites: it blocks, as a NAK does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from tests.harness.seriesgen import PREAMBLE, PRINTERS, RETRY_BY_LEAF, TAIL, bundled_sender, preparing_series
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

runner = CliRunner()
REVIEWER = "Mae Maint <mae@example.org>"
AUTHOR = bundled_sender()  # who sends the generated series (tests.harness.seriesgen.revision)


def _thread(tmp: Path, body: str, sender: str = REVIEWER, cited: bool = False) -> tuple[Path, Path]:
    """v2 of our own series and a reply to its patch 2 (``body``, quotes and all) from ``sender``; the rules
    file cites the reply when ``cited``."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    patch = msgs[2]
    reply = message(f"Re: {patch['Subject']}", "drop-1@example.org", body, sender=sender,
                    parent=patch["Message-ID"].strip("<>"),
                    refs=(msgs[0]["Message-ID"].strip("<>"), patch["Message-ID"].strip("<>")))
    rules = tmp / "rules.toml"
    rules.write_text(RULE.replace('severity = "error"\n', 'severity = "error"\nmsgid = "drop-1@example.org"\n')
                     .replace("A. Maintainer", "Mae Maint") if cited else RULE)
    return write_mbox(tmp / "v2.mbox", [*msgs, reply]), rules


def test_a_request_to_drop_no_rule_cites_blocks_the_gate(tmp_path: Path) -> None:
    # Before: 'v2: READY', exit 0, and the request said nowhere.
    mbox, rules = _thread(tmp_path, "> +\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\nThe loader never asks for "
                                    "this.\nPlease drop this patch, we will\nassume it never runs out of entropy.\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [v.status.value for v in g.verdicts] == ["pass"]
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 request to drop no rule judges, ")
    [o] = g.objections
    assert (o.kind, o.msgid, o.author, o.target) == (ObjectionKind.DROP, "drop-1@example.org", "Mae Maint", "v2 02/3")
    assert o.sentence == "Please drop this patch, we will assume it never runs out of entropy."
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json",
                            str(tmp_path / "g.json"), "--junit", str(tmp_path / "g.xml")])
    said = " ".join(r.stdout.split())
    assert r.exit_code == 1 and "1 request to drop of this variant's patches that no rule judges" in said, said
    assert "request to drop v2 02/3 by Mae Maint <drop-1@example.org>" in said
    doc = json.loads((tmp_path / "g.json").read_text())
    assert doc["exit_status"] == 1 and doc["verdict"] == g.headline()
    assert [(x["kind"], x["msgid"], x["sentence"]) for x in doc["objections"]] == [("drop", o.msgid, o.sentence)]
    junit = (tmp_path / "g.xml").read_text()
    assert 'failures="1"' in junit and 'type="drop"' in junit and 'name="drop-drop-1@example.org"' in junit
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules)])  # eval's headline is the gate's
    assert "v2: NOT READY: 1 request to drop no rule judges" in r.stdout, r.stdout


@pytest.mark.parametrize(("body", "sender"), [
    ("> Please drop this patch.\n\nI disagree: the P-SEAMLDR does run out of entropy.\n", REVIEWER),  # quoted
    ("No need to drop this patch, it is fine.\n", REVIEWER),
    ("Should we drop this patch?\n", REVIEWER),  # a question
    ("Right, I will drop this patch in v3.\n", AUTHOR),  # the author's plan
    ("Changes since v1:\n- Dropped patch 3 (no longer needed)\n", AUTHOR),
    ("Looks good. Once this lands, you can drop the patch from your tree.\n", REVIEWER),  # one's own copy
    ("Feel free to drop this patch from your queue once it is merged.\n", REVIEWER),
])
def test_what_is_no_request_to_drop_leaves_the_gate_to_the_rules(tmp_path: Path, body: str, sender: str) -> None:
    mbox, rules = _thread(tmp_path, body, sender)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert not g.objections and g.exit_status == 0 and g.headline().startswith("v2: READY"), g.headline()


@pytest.mark.parametrize(("body", "said"), [
    ("> +\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\nI don't want this merged.\n", "I don't want this merged."),
    ("> quoted\n\nThis patch isn't ready for inclusion yet.\n", "This patch isn't ready for inclusion yet."),
    ("> quoted\n\nI don't think this should be merged.\n", "I don't think this should be merged."),
    ("Please don't apply, I found a bug.\n", "Please don't apply, I found a bug."),  # named by no word: top level
    ("> quoted\n\nPlease wait before applying this.\n", "Please wait before applying this."),
    ("> quoted\n\nI don't think this is ready.\n", "I don't think this is ready."),
    ("> +\tif (unlikely(fn & SEAMLDR_LEAF_BIT))\n\nThis is a no-go.\n", "This is a no-go."),
])
def test_a_reviewer_not_wanting_the_patch_in_blocks_the_gate(tmp_path: Path, body: str, said: str) -> None:
    # Before: 'v2: READY', exit 0: none of these asked anything in the reader's words.
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    [o] = g.objections
    assert g.exit_status == 1 and (o.kind, o.target, o.sentence) == (ObjectionKind.DROP, "v2 02/3", said), o


def test_a_request_a_rule_cites_or_of_a_patch_not_applied_is_not_an_objection(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "Please drop this patch.\n", cited=True)
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections
    mbox, rules = _thread(tmp_path, "Please drop this patch.\n")
    assert not evaluate_gate(GateRequest((mbox,), "v2:01", jobs=1, rules=rules,
                                         cache=shared_outcomes())).objections  # before patch 2


def test_a_nak_that_also_asks_to_drop_is_one_objection_a_nak(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "NAK, drop it.\n")
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [o.kind for o in g.objections] == [ObjectionKind.NAK] and "1 NAK no rule judges" in g.headline()


def test_a_request_to_drop_a_patch_by_number_is_that_patchs(tmp_path: Path) -> None:
    # Below the cover letter, the reviewer asks to drop patch 3 (the wrapper): the objection is 3/3's, and a variant
    # that stops before patch 3 has none. It was not seen at all.
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", "drop-3@example.org", "> quoted\n\nPlease drop patch 3, the "
                    "rest is fine.\n", sender=REVIEWER, parent=cover, refs=(cover,))
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    (tmp_path / "rules.toml").write_text(RULE)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml", cache=shared_outcomes()))
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [
        (ObjectionKind.DROP, "v2 03/3", "Please drop patch 3, the rest is fine.")], g.objections
    assert g.exit_status == 1
    assert not evaluate_gate(GateRequest((mbox,), "v2:02", jobs=1, rules=tmp_path / "rules.toml",
                                         cache=shared_outcomes())).objections


def _below_cover(tmp_path: Path, msgid: str, words: str) -> tuple[GateResult, Path]:
    """The gate of v2 (the 'Prepare' series) with the reviewer's ``words`` in a reply to its cover letter, and the
    mbox it read."""
    msgs = preparing_series(PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL)
    cover = msgs[0]["Message-ID"].strip("<>")
    reply = message(f"Re: {msgs[0]['Subject']}", msgid, f"> quoted\n\n{words}\n", sender=REVIEWER,
                    parent=cover, refs=(cover,))
    mbox = write_mbox(tmp_path / "v2.mbox", [*msgs, reply])
    (tmp_path / "rules.toml").write_text(RULE)
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml",
                                     cache=shared_outcomes())), mbox


@pytest.mark.parametrize("words", ["Patches 1-2 are fine, but please don't apply patch 3.",
                                   "3/3 is not ready to be merged."])
def test_a_patch_asked_by_number_not_to_be_applied_blocks_below_the_cover_letter(tmp_path: Path, words: str) -> None:
    # Before: 'v2: READY', exit 0: only a drop verb ("drop patch 3") named a patch by number.
    g, mbox = _below_cover(tmp_path, "hold-3@example.org", words)
    assert [(o.kind, o.target, o.sentence) for o in g.objections] == [(ObjectionKind.DROP, "v2 03/3", words)]
    assert not evaluate_gate(GateRequest((mbox,), "v2:02", jobs=1, rules=tmp_path / "rules.toml",
                                         cache=shared_outcomes())).objections


def test_a_drop_asked_not_to_apply_or_by_numbered_article_blocks_the_right_patch(tmp_path: Path) -> None:
    # "Please don't apply this one" passed the gate; "Please drop the patch 3." was put on patch 2, the one the
    # reply is below.
    for body, target in (("Please don't apply this one, it should go.\n", "v2 02/3"),
                         ("Please drop the patch 3, it is merged already.\n", "v2 03/3"),
                         # these passed: "this" alone, "let's not", "should not be merged"
                         ("> quoted\n\nPlease don't merge this.\n", "v2 02/3"),
                         ("Let's not merge this patch, the loader breaks.\n", "v2 02/3"),
                         ("This patch should not be merged.\n", "v2 02/3"),
                         ("Please remove this patch from the series.\n", "v2 02/3"),  # passed, as the next
                         ("This patch has to go.\n", "v2 02/3")):
        mbox, rules = _thread(tmp_path, body)
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
        assert [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, target)] and g.exit_status == 1


def test_the_authors_own_request_not_to_apply_their_patch_blocks(tmp_path: Path) -> None:
    # The author withdrawing the patch ("Please don't apply this one") passed, as their plan ("I will drop this
    # patch in v3") does.
    mbox, rules = _thread(tmp_path, "Please don't apply this one, I found a bug in the retry.\n", AUTHOR)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.target, o.author) for o in g.objections] == [(ObjectionKind.DROP, "v2 02/3", "Ann Author")]
    mbox, rules = _thread(tmp_path, "Please don't apply this one without patch 1.\n", AUTHOR)  # an order
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections


def test_a_request_to_drop_the_patch_from_the_tree_carrying_it_blocks(tmp_path: Path) -> None:
    # "drop this from your tree" to the maintainer carrying it passed: "this" alone was no patch.
    for body in ("Andrew, please drop this from your tree.\n", "Please drop it from the series, the loader "
                 "never asks.\n"):
        mbox, rules = _thread(tmp_path, body)
        g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
        assert [(o.kind, o.target, o.sentence) for o in g.objections] == [
            (ObjectionKind.DROP, "v2 02/3", " ".join(body.split()))] and g.exit_status == 1, g.objections


@pytest.mark.parametrize(("said", "targets"), [
    ("Please drop patches 2-3, the rest is fine.", ["v2 02/3, 03/3"]),  # 3 was not seen
    ("Please drop 3/3, the rest is fine.", ["v2 03/3"]),  # passed
    ("Please drop the third patch.", ["v2 03/3"]),
])
def test_patches_asked_dropped_by_range_form_or_ordinal_are_named(tmp_path: Path, said: str,
                                                                   targets: list[str]) -> None:
    g, _ = _below_cover(tmp_path, "drop-3@example.org", said)
    assert [o.target for o in g.objections] == targets and g.exit_status == 1, g.objections


def test_a_quoted_request_to_drop_whose_mail_the_input_lacks_blocks(tmp_path: Path) -> None:
    # Mae quotes Olga's request (Olga's mail not given) and disagrees: the request stands, and the gate passed.
    body = ("On Mon, Jan 5, 2026 at 10:00 AM Olga Other <olga@example.org> wrote:\n> Please drop this patch, the loader"
            "\n> never asks.\n\nI disagree: it does.\n")
    mbox, rules = _thread(tmp_path, body)
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))
    assert [(o.kind, o.title, o.sentence) for o in g.objections] == [
        (ObjectionKind.DROP, "request to drop v2 02/3 by Olga Other <olga@example.org> (quoted by Mae Maint)",
         "Please drop this patch, the loader never asks.")] and g.exit_status == 1, g.objections
    # The patch's author quoted saying it: a plan, not a request.
    mbox, rules = _thread(tmp_path, body.replace("Olga Other <olga@example.org>", AUTHOR))
    assert not evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes())).objections
