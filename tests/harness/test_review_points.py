"""A change a reviewer asks of the patch in a reply no rule cites blocks the gate as a review point, never unsaid.

Generated threads (v2 of our own series, replies below its patch 2), worded as reviewers word them: each asks for what
the SEAMCALL helpers argue about (the leaf's base, the printk form, a retry bound, which answer is retried, a pure
move). Before harness.pointwords each passed the gate READY, exit 0, the point said nowhere: the variant judged was
the very code the point was made on.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import ObjectionKind
from harness.pointwords import point_sentence
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_drops import AUTHOR, REVIEWER, _thread
from tests.harness.test_gate_naks import MAE, _replies

runner = CliRunner()
CODE = '> +\tpr_err("seamldr: retry failed\\n");\n\n'
TAG = "Reviewed-by: Mae Maint <mae@example.org>"


def _gate(mbox: Path, rules: Path) -> GateResult:
    return evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=rules, cache=shared_outcomes()))


@pytest.mark.parametrize(("body", "said"), [
    ("Please print the leaf in hex, as the TDX module's failures are.\n",
     "Please print the leaf in hex, as the TDX module's failures are."),
    ("Use %#llx, not 0x%llx.\n", "Use %#llx, not 0x%llx."),
    ("Nit: s/0x%llx/%#llx/\n", "Nit: s/0x%llx/%#llx/"),
    ("Don't retry forever.\n", "Don't retry forever."),
    ("Cap the retries at 8, please.\n", "Cap the retries at 8, please."),
    ("Retry only on TDX_RND_NO_ENTROPY.\n", "Retry only on TDX_RND_NO_ENTROPY."),
    ("This move should be a pure code move.\n", "This move should be a pure code move."),
    ("The leaf needs to be printed in hex.\n", "The leaf needs to be printed in hex."),
    ("Could you bound the loop?\n", "Could you bound the loop?"),
    ("How about %#llx here?\n", "How about %#llx here?"),
    # A printf conversion's letters are C's, no language's: these blocked as unread ("llx not English's").
    ("Please use %#llx.\n", "Please use %#llx."),
    ("Use %#llx here?\n", "Use %#llx here?"),
    ("Why not %#llx?\n", "Why not %#llx?"),
    ("Print the size with %zu, please.\n", "Print the size with %zu, please."),
    ("I'd rather you reused seamcall_err() here.\n", "I'd rather you reused seamcall_err() here."),
    ("Why not reuse seamcall_err()?\n", "Why not reuse seamcall_err()?"),
    (CODE + "Please drop this.\n", "Please drop this."),  # the line quoted, not the patch
    # Its object left out, below quoted code: of that code (each passed, read as nothing there).
    (CODE + "Please revert.\n", "Please revert."),
    (CODE + "Revert, please.\n", "Revert, please."),
    (CODE + "Drop.\n", "Drop."),
    ("Drop the comment above the loop.\n", "Drop the comment above the loop."),
    # A Reviewed-by under a condition approves what is still to come: the change it waits for is asked.
    (f"With the nit fixed,\n\n{TAG}\n", "With the nit fixed,"),
    (f"Bound the loop and you can add\n{TAG}\n", f"Bound the loop and you can add {TAG}"),
    # A lead-in clause before what the code should be, an adverb in a preference, "prefer" and "address" as
    # imperatives (each read as nothing until round 63: the gate passed).
    ("As I said on v1, the leaf should be printed in hex.\n", "As I said on v1, the leaf should be printed in hex."),
    ("Agree with Olga, this should be %#llx.\n", "Agree with Olga, this should be %#llx."),
    ("I'd still like to see the leaf printed in hex.\n", "I'd still like to see the leaf printed in hex."),
    ("I would really prefer a bounded loop.\n", "I would really prefer a bounded loop."),
    ("Prefer %#llx.\n", "Prefer %#llx."),
    ("Please address Olga's comment on v1.\n", "Please address Olga's comment on v1."),
])
def test_a_change_asked_below_the_patch_blocks_as_a_review_point(tmp_path: Path, body: str, said: str) -> None:
    mbox, rules = _thread(tmp_path, "On Mon, Ann wrote:\n> quoted line\n\n" + body)
    g = _gate(mbox, rules)
    [o] = g.objections
    assert (o.kind, o.msgid, o.target, o.sentence) == (ObjectionKind.POINT, "drop-1@example.org", "v2 02/3", said), o
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 review point no rule judges"), g.headline()
    assert o.title == "review point on v2 02/3 by Mae Maint" and "[[read]]" in o.note, o


@pytest.mark.parametrize(("body", "sender"), [
    ("Looks good to me, thanks for doing this.\n", REVIEWER),
    ("I don't think you should bound the loop.\n", REVIEWER),  # a view against a change
    ("If you use %#llx, the width changes.\n", REVIEWER),  # what would follow
    ("This should work.\n", REVIEWER),
    ("Please keep me on Cc.\n", REVIEWER),
    (CODE + "No need to revert.\n", REVIEWER),
    (CODE + "Should we drop this?\n", REVIEWER),  # asks the author's view, no change
    (CODE + "If you drop this, the loop never ends.\n", REVIEWER),
    ("No, I'd rather keep it. I'll print the leaf in hex in v3.\n", AUTHOR),  # the patch's author
    ("Use %#llx, not 0x%llx.\n", AUTHOR),
])
def test_no_change_asked_or_the_authors_own_words_pass(tmp_path: Path, body: str, sender: str) -> None:
    mbox, rules = _thread(tmp_path, body, sender)
    g = _gate(mbox, rules)
    assert not g.objections and g.exit_status == 0 and g.headline().startswith("v2: READY"), g.headline()


def test_a_nit_beside_a_tag_given_as_is_is_said_lifted(tmp_path: Path) -> None:
    # The reviewer approved the patch as it is, the nit with it: not blocking, and said, never passed unsaid.
    mbox, rules = _thread(tmp_path, f"Nit: print the leaf in hex.\n\n{TAG}\n")
    g = _gate(mbox, rules)
    assert not g.objections and g.exit_status == 0, g.headline()
    [line] = g.lifted
    assert line.startswith("review point on v2 02/3 by Mae Maint <drop-1@example.org>") and \
        "lifted by its sender in the same message" in line and TAG in line, line


def test_the_authors_refusal_leaves_the_point_and_the_reviewers_assent_lifts_it(tmp_path: Path) -> None:
    point = ("p1@example.org", "> quoted\n\nCap the retries at 8.\n", MAE, "patch")
    refusal = ("a1@example.org", "> Cap the retries at 8.\n\nNo, I'd rather keep it: the loader needs 10.\n", AUTHOR,
               "p1@example.org")
    g = _gate(_replies(tmp_path, point, refusal), tmp_path / "rules.toml")
    # Who is right is not read: the point stands, as the request to drop would.
    assert [(o.kind, o.msgid) for o in g.objections] == [(ObjectionKind.POINT, "p1@example.org")], g.headline()
    for words in ("> No, I'd rather keep it: the loader needs 10.\n\nFair enough.\n",
                  "> No, I'd rather keep it: the loader needs 10.\n\nOK, makes sense.\n",
                  f"> No, I'd rather keep it: the loader needs 10.\n\nRight.\n\n{TAG}\n"):
        mind = ("m1@example.org", words, MAE, "a1@example.org")
        g = _gate(_replies(tmp_path, point, refusal, mind), tmp_path / "rules.toml")
        assert not g.objections and g.exit_status == 0, (words, g.headline())
        assert len(g.lifted) == 1 and "<m1@example.org>" in g.lifted[0], g.lifted
    # Another reviewer's assent, or the reviewer's tag under a condition, lifts nothing.
    for mind in (("m1@example.org", "> quoted\n\nFair enough.\n", "Olga Other <olga@example.org>", "a1@example.org"),
                 ("m1@example.org", f"With the retries capped, you can add\n{TAG}\n", MAE, "a1@example.org")):
        g = _gate(_replies(tmp_path, point, refusal, mind), tmp_path / "rules.toml")
        assert "p1@example.org" in [o.msgid for o in g.objections] and g.exit_status == 1, g.headline()


def test_a_rule_citing_the_message_or_a_read_table_takes_the_point(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "> quoted\n\nCap the retries at 8.\n", cited=True)
    g = _gate(mbox, rules)
    assert not [o for o in g.objections if o.kind is ObjectionKind.POINT], g.objections
    mbox, rules = _thread(tmp_path, "> quoted\n\nCap the retries at 8.\n")
    rules.write_text(rules.read_text() + '\n[[read]]\nmsgid = "drop-1@example.org"\nsaid = "a bound, v3 has it"\n')
    g = _gate(mbox, rules)
    assert not g.objections and g.exit_status == 0, g.headline()
    assert g.lifted_heading == "1 review point the user read: not blocking", g.lifted_heading
    assert g.lifted[0].endswith('read by the user, who says it asked "a bound, v3 has it" '
                                f"({rules}:11)"), g.lifted


def test_the_point_in_the_json_and_junit_and_eval(tmp_path: Path) -> None:
    mbox, rules = _thread(tmp_path, "> quoted\n\nUse %#llx, not 0x%llx.\n")
    r = runner.invoke(app, ["gate", str(mbox), "--variant", "v2", "--rules", str(rules), "--json",
                            str(tmp_path / "g.json"), "--junit", str(tmp_path / "g.xml")])
    assert r.exit_code == 1 and "review point on v2 02/3 by Mae Maint <drop-1@example.org>" in r.stdout, r.stdout
    doc = json.loads((tmp_path / "g.json").read_text())
    assert [(x["kind"], x["sentence"]) for x in doc["objections"]] == [("point", "Use %#llx, not 0x%llx.")]
    assert 'type="point"' in (tmp_path / "g.xml").read_text()
    r = runner.invoke(app, ["eval", str(mbox), "--rules", str(rules)])
    assert "v2: NOT READY: 1 review point no rule judges" in r.stdout, r.stdout


def test_the_wording_families_read() -> None:
    asks = ["Please print the leaf in hex.", "Never retry forever.", "We should not retry forever here.",
            "Also, the retry count must be capped.", "It would be better to cap the retries.", "Mae, please drop "
            "the unlikely().", "Please keep the leaf in hex.", "If you bound the loop, feel free to add my",
            "Modulo the loop bound, feel free to add"]
    assert [point_sentence(s) for s in asks] == asks
    none = ["Thanks for doing this.", "Let me know if you need anything.", "See below.", "It should be fine.",
            "Keep up the good work.", "Keep it.", "Never mind, keep it.", "Keep 2/3.", "Please drop patch 3.",
            "Don't drop, please.", "This must not be merged with patch 3.", "I'd rather not take patch 3.",
            "Please keep my Reviewed-by.", "Why do you need this?", "Fair enough.", "I'll fix it in v3.",
            "With your explanation, this makes sense:", "Looks good and you can add",
            # a lead-in before a view, or where the patch goes: no change asked
            "Agree with Olga, this should be fine.", "Thanks, this should go in via tip.", "This should land in 6.20.",
            "Thanks for addressing my comments.", "This addresses my concern from v1."]
    assert [point_sentence(s) for s in none] == [None] * len(none)


def test_a_point_after_an_approval_or_a_label_in_its_sentence_is_read() -> None:
    # A review's most common nit: praise or "One nit:" first, the change asked after a comma, colon or semicolon.
    asks = ["The loop is fine, but cap the retries at 8.", "This is fine, but please print the leaf in hex.",
            "The retry loop looks good, but please cap it.", "One nit: please print the leaf in hex.",
            "Looks sane -- only retry on TDX_RND_NO_ENTROPY though."]
    assert [point_sentence(s) for s in asks] == asks


def test_a_verbs_word_used_as_a_noun_or_an_approval_asks_nothing() -> None:
    # "Use", "Return", "Print", "Test", "Log", "Switch", "Update" open these as nouns or labels: read as imperatives
    # they blocked a gate on a reply that approves the code.
    none = ["Use of %#llx here is fine.", "Return value looks right now.", "Print statements are fine as they are.",
            "Test results attached below.", "Log levels look right.", "Switch statements are fine here.",
            "Update: I tested v3 and it works.", "Check: this compiles on my machine too.",
            "Keep in mind this runs with preemption disabled.", "Thanks, looks good."]
    assert [point_sentence(s) for s in none] == [None] * len(none)
    assert point_sentence("Cap the retries; the rest looks good.") == "Cap the retries;"


@pytest.mark.parametrize(("body", "blocks"), [("One nit: please cap the retries at 8.\n", False), ("NAK.\n", True)])
def test_a_failing_warning_citing_the_reply_takes_its_point_not_its_nak(tmp_path: Path, body: str,
                                                                          blocks: bool) -> None:
    # The rules author made the point a warning: its FAIL is said as one, and the point is no longer "no rule judges"
    # it (the corpus' rule changelog-no-vmcs cites such a sentence). A NAK a failing warning cites still stands.
    mbox, rules = _thread(tmp_path, "> quoted\n\n" + body, cited=True)
    rules.write_text(rules.read_text().replace('severity = "error"', 'severity = "warning"')
                     .replace("calls = 2", "calls = 3"))
    g = _gate(mbox, rules)
    assert [v.status.value for v in g.verdicts] == ["fail"], g.verdicts
    assert [o.kind for o in g.objections] == ([ObjectionKind.NAK] if blocks else []), g.objections
    assert g.exit_status == (1 if blocks else 0), g.headline()
