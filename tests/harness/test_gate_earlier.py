"""An objection to a patch on an earlier revision stands on a later one carrying the same change (git patch-id)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, GateResult, evaluate_gate
from harness.objections import EarlierObjection
from harness.patchid import patch_id
from tests.gitoracle import git, init_repo, mailinfo
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREAMBLE,
    PREPARE,
    PRINTERS,
    RETRY_BY_LEAF,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    bundled_sender,
    helpers,
    revision,
)
from tests.harness.sharedoutcomes import shared_outcomes
from tests.harness.test_gate_naks import RULE
from tests.mailgen import message, write_mbox

HEADER = PREAMBLE + RETRY_BY_LEAF + "\n" + PRINTERS + TAIL  # what 'Prepare' makes of the header: the rule passes
CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, helpers(RETRY_SAFE)),))
PREPARING = Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), HEADER),))
CHANGED = Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), HEADER.replace(TAIL, "\n#define SH_REWORKED 1\n" + TAIL)),))
# The same code as PREPARING, a comment added and one reworded: another git patch-id, the same change to the compiler.
COMMENTED = Step(PREPARE, ((NEW_HOME, helpers(RETRY_SAFE), HEADER.replace(TAIL, "\n/* reworked in v2 */\n" + TAIL)
                            .replace("\tif (unlikely(", "\t/* the loader's own code */\n\tif (unlikely(")),))
RETITLED = Step("x86/virt/tdx: Ready the helpers for P-SEAMLDR", PREPARING.changes)
NOTES = Step("x86/virt/tdx: Add notes", (("arch/x86/virt/vmx/tdx/NOTES", None, "Notes of our own.\n"),))
WRAPPING = Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))
MAE = "Mae Maint <mae@example.org>"
NAK = "nak-v1@example.org"


def _reply(to: EmailMessage, msgid: str, words: str, date: str = "Tue, 06 Jan 2026 10:00:00 +0000") -> EmailMessage:
    up = to["Message-ID"].strip("<>")
    return message(f"Re: {to['Subject']}", msgid, f"> quoted line\n\n{words}\n", sender=MAE, parent=up,
                   refs=(to["In-Reply-To"].strip("<>"), up), date=date)


def _inputs(tmp: Path, v2: list[Step], words: str = "NAK, this special-cases the loader again.",
            later: tuple[int, str] | None = None, naked: Step = PREPARING
            ) -> tuple[Path, Path, list[EmailMessage], list[EmailMessage]]:
    """v1 (create, ``naked``: Prepare, wrapper) with Mae's reply ``words`` below its 2/3, and v2 of ``v2`` as another
    thread; ``later``: Mae's reply (patch number, words) below v2's patch, after it."""
    one, two = revision(1, [CREATE, naked, WRAPPING]), revision(2, v2)
    extra = [_reply(two[later[0]], "later@example.org", later[1], "Wed, 07 Jan 2026 10:00:00 +0000")] if later else []
    (tmp / "rules.toml").write_text(RULE)
    write_mbox(tmp / "v1.mbox", [*one, _reply(one[2], NAK, words)])
    write_mbox(tmp / "v2.mbox", [*two, *extra])
    return tmp / "v1.mbox", tmp / "v2.mbox", one, two


def _gate(tmp: Path, variant: str = "v2") -> GateResult:
    return evaluate_gate(GateRequest((tmp / "v1.mbox", tmp / "v2.mbox"), variant, jobs=1, rules=tmp / "rules.toml",
                                     cache=shared_outcomes()))


def _git_patch_id(tmp: Path, mail: EmailMessage) -> str:
    """The oracle: git mailinfo of the mail as git am reads it, then git patch-id --stable of its patch."""
    patch = mailinfo(tmp, mail.as_bytes(policy=SMTP).replace(b"\r\n", b"\n")).patch
    return git(tmp, "patch-id", "--stable", stdin=patch).stdout.split()[0].decode()


def test_a_nak_of_v1_stands_on_v2_carrying_the_patch_unchanged(tmp_path: Path) -> None:
    # Before: v2: READY, exit 0: Mae's NAK was read from v1's thread only, and v2's thread has no word of it.
    _, _, one, two = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    assert _git_patch_id(tmp_path, one[2]) == _git_patch_id(tmp_path, two[2])  # git: the same change
    g = _gate(tmp_path)
    assert [v.status.value for v in g.verdicts] == ["pass"]
    assert g.exit_status == 1 and g.headline().startswith("v2: NOT READY: 1 NAK no rule judges"), g.headline()
    [o] = g.objections
    assert (o.msgid, o.author, o.target) == (NAK, "Mae Maint", "v2 02/3 (as v1 02/3: the same change by git patch-id)")
    assert o.where.startswith(f"{tmp_path / 'v1.mbox'}:") and o.sentence.startswith("NAK, this special-cases"), o
    assert not g.earlier
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--variant", "v2",
                                 "--rules", str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json")])
    assert r.exit_code == 1 and f"<{NAK}>" in r.stdout, r.stdout
    assert json.loads((tmp_path / "g.json").read_text())["objections"][0]["msgid"] == NAK


def test_a_request_to_drop_goes_along_too(tmp_path: Path) -> None:
    _inputs(tmp_path, [CREATE, PREPARING, WRAPPING], words="Please drop this patch.")
    [o] = _gate(tmp_path).objections
    assert o.kind == "drop" and o.msgid == NAK and o.target.startswith("v2 02/3 (as v1 02/3"), o


def test_renumbered_and_retitled_it_is_still_the_same_change(tmp_path: Path) -> None:
    _, _, one, two = _inputs(tmp_path, [CREATE, NOTES, RETITLED, WRAPPING])
    assert _git_patch_id(tmp_path, one[2]) == _git_patch_id(tmp_path, two[3])
    g = _gate(tmp_path)
    assert [o.target for o in g.objections] == ["v2 03/4 (as v1 02/3: the same change by git patch-id)"]
    assert g.exit_status == 1
    # v2:02 stops before it: not this state's code, and v2 does carry the change, so no note either.
    g = _gate(tmp_path, "v2:02")
    assert not g.objections and not g.earlier and g.exit_status == 0


def _blocks_as_changed(tmp_path: Path, second: Step, naked: Step = PREPARING) -> EarlierObjection:
    """v1's NAKed 02/3 (``naked``) followed in v2 by ``second`` (another git patch-id): the gate blocks on the NAK as
    an objection to an earlier revision's patch changed since, not judged; that objection."""
    _, _, one, two = _inputs(tmp_path, [CREATE, second, WRAPPING], naked=naked)
    assert _git_patch_id(tmp_path, one[2]) != _git_patch_id(tmp_path, two[2])  # git: another change
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 1, g.objections
    assert g.headline().startswith("v2: NOT READY: 1 objection to an earlier revision's patch changed since, not "
                                   "judged, "), g.headline()
    [e] = g.earlier
    assert e.objection.msgid == NAK and e.objection.target == "v1 02/3" and e.changed, e
    return e


def test_a_changed_patch_blocks_as_not_judged_unless_inconclusive_is_allowed(tmp_path: Path) -> None:
    # v2 changes the NAKed patch by an unused #define alone, the NAK's point untouched: the gate said READY (exit 0)
    # with a note, a pass on a NAK no rule judged. Whether a change answers a NAK is not known without a rule citing
    # it: the NAK blocks as an inconclusive error rule does, and --allow-inconclusive makes it the note it was.
    e = _blocks_as_changed(tmp_path, CHANGED)
    assert e.why.startswith("v2 02/3 has its title and another change (git patch-id)"), e.why
    assert e.why.endswith("it blocks as an inconclusive rule does until a rule citing it judges the code or its "
                          "sender takes it back"), e.why
    args = ["gate", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--variant", "v2", "--rules",
            str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json"), "--junit", str(tmp_path / "g.xml")]
    r = CliRunner().invoke(app, args)
    said = " ".join(r.stdout.split())
    assert r.exit_code == 1 and f"NAK of v1 02/3 by Mae Maint <{NAK}>" in said, r.stdout
    assert "each blocks the gate as an inconclusive rule does" in said, said
    doc = json.loads((tmp_path / "g.json").read_text())
    assert [x["msgid"] for x in doc["earlier_objections"]] == [NAK] and doc["objections"] == []
    assert doc["exit_status"] == 1
    assert "earlier-objection" in (tmp_path / "g.xml").read_text()
    r = CliRunner().invoke(app, [*args, "--allow-inconclusive"])
    said = " ".join(r.stdout.split())
    assert r.exit_code == 0 and "not judged here, not taken as addressed" in said, said
    g = evaluate_gate(GateRequest((tmp_path / "v1.mbox", tmp_path / "v2.mbox"), "v2", jobs=1,
                                  rules=tmp_path / "rules.toml", cache=shared_outcomes(), allow_inconclusive=True))
    said_end = "; 1 objection to an earlier revision's patch changed or dropped since, not judged"
    assert g.exit_status == 0 and g.headline().endswith(said_end), g.headline()


def test_a_patch_changed_in_its_comments_alone_still_carries_the_nak(tmp_path: Path) -> None:
    # v2 rewords and adds comments, nothing else: git gives another patch-id, so the NAK was a note that blocked
    # nothing, and a gate passed on the very code Mae NAKed.
    _, _, one, two = _inputs(tmp_path, [CREATE, COMMENTED, WRAPPING])
    assert _git_patch_id(tmp_path, one[2]) != _git_patch_id(tmp_path, two[2])  # git: another change
    g = _gate(tmp_path)
    assert [o.target for o in g.objections] == ["v2 02/3 (as v1 02/3: the same code, comments aside)"], g.objections
    assert not g.earlier and g.exit_status == 1


def test_a_patch_folded_into_its_neighbour_or_split_still_carries_the_nak(tmp_path: Path) -> None:
    # v2 folds the NAKed change, unchanged, into the wrapper patch, or splits it in two: no patch of v2 had its
    # patch-id, so the NAK was a note "no patch of v2 has its change", blocking nothing.
    folded = Step(WRAPPING.title, (*PREPARING.changes, *WRAPPING.changes))
    _inputs(tmp_path, [CREATE, folded])
    g = _gate(tmp_path)
    assert [o.target for o in g.objections] == ["v2 02/2 (as v1 02/3: its change is folded into 02/2, comments "
                                                "aside)"] and not g.earlier and g.exit_status == 1, g.objections
    half = helpers("#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n\n" + RETRY_SAFE)
    assert HEADER.startswith(half[:half.index("static")])
    first = Step("x86/virt/tdx: Add the P-SEAMLDR's no-entropy code", ((NEW_HOME, helpers(RETRY_SAFE), half),))
    _inputs(tmp_path, [CREATE, first, Step(PREPARE, ((NEW_HOME, half, HEADER),)), WRAPPING])
    g = _gate(tmp_path)
    assert [o.target for o in g.objections] == ["v2 02/4 (as v1 02/3: its change is split over 02/4 and 03/4, "
                                                "comments aside)"] and g.exit_status == 1, g.objections
    # A part changed since (the retry code picked otherwise) is another change, not judged: it blocks, by its title.
    changed = HEADER.replace("unlikely(", "likely(")
    _inputs(tmp_path, [CREATE, first, Step(PREPARE, ((NEW_HOME, half, changed),)), WRAPPING])
    g = _gate(tmp_path)
    assert not g.objections and [(e.objection.msgid, e.changed) for e in g.earlier] == [(NAK, True)], g.objections
    assert g.earlier[0].why.startswith("v2 03/4 has its title and another change") and g.exit_status == 1
    # Retitled too: no patch had its change or title, so it was a note, exit 0; its lines are still added, by both.
    _inputs(tmp_path, [CREATE, first, Step("x86/virt/tdx: Pick the busy code by leaf", ((NEW_HOME, half, changed),)),
                       WRAPPING])
    g = _gate(tmp_path)
    [e] = g.earlier
    assert e.changed and g.exit_status == 1 and e.why.startswith(
        f"v2 02/4 and 03/4 add again 4 of the 5 lines of code naming something that v1 02/3 added, under another "
        f"title and change (git patch-id), so the code <{NAK}> objects to may still be there: not judged"), e.why


# v1 02/3 retitled and reworked: the same lines picking the busy code, the test spelt otherwise (a reviewer's
# NAK of the loader's special case is about those lines, which v2 still adds).
REWORKED = Step("x86/virt/tdx: Retry P-SEAMLDR leaves on their own busy code",
                ((NEW_HOME, helpers(RETRY_SAFE), HEADER.replace("if (unlikely(fn & SEAMLDR_LEAF_BIT))",
                                                                "if (fn & SEAMLDR_LEAF_BIT)")),))


def test_a_patch_retitled_and_reworked_keeping_the_naked_lines_blocks_as_changed(tmp_path: Path) -> None:
    # Before: v2: READY, exit 0, the NAK a note "no patch of v2 has its change or title": a pass on the lines NAKed.
    e = _blocks_as_changed(tmp_path, REWORKED)
    assert e.why.startswith("v2 02/3 adds again 4 of the 5 lines of code naming something that v1 02/3 added, "
                            f"under another title and change (git patch-id), so the code <{NAK}> objects to may "
                            "still be there: not judged on this revision, nor addressed: it blocks"), e.why
    args = ["gate", str(tmp_path / "v1.mbox"), str(tmp_path / "v2.mbox"), "--variant", "v2", "--rules",
            str(tmp_path / "rules.toml"), "--json", str(tmp_path / "g.json")]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 1 and f"<{NAK}>" in r.stdout, r.stdout
    assert json.loads((tmp_path / "g.json").read_text())["exit_status"] == 1
    r = CliRunner().invoke(app, [*args, "--allow-inconclusive"])
    said = " ".join(r.stdout.split())
    assert r.exit_code == 0 and "not judged here, not taken as addressed" in said and "v2 02/3 adds again" in said, said


@pytest.mark.parametrize("second", [CHANGED, REWORKED], ids=["same-title", "retitled"])
def test_a_prefix_stopping_before_the_changed_patch_is_not_blocked_by_its_nak(tmp_path: Path, second: Step) -> None:
    # v2:01 applies none of the code the NAK is about (v2 02/3 carries it, changed): it blocked v2:01 all the same,
    # though a prefix stopping before a patch carrying the NAKed change unchanged had neither objection nor note.
    _inputs(tmp_path, [CREATE, second, WRAPPING])
    g = _gate(tmp_path, "v2:01")
    assert not g.objections and not g.earlier and g.exit_status == 0, g.earlier
    # The state that applies it is blocked, and so is every later one.
    for variant in ("v2:02", "v2"):
        g = _gate(tmp_path, variant)
        assert [e.changed for e in g.earlier] == [True] and g.exit_status == 1, (variant, g.earlier)


def test_a_prefix_of_a_revision_that_dropped_the_naked_patch_keeps_the_note(tmp_path: Path) -> None:
    # The patch went from v2 as a whole: said on every state of v2, blocking none.
    _inputs(tmp_path, [CREATE, WRAPPING])
    g = _gate(tmp_path, "v2:01")
    [e] = g.earlier
    assert not e.changed and g.exit_status == 0 and e.why.startswith("no patch of v2 has its change or title"), e.why


def test_a_patch_retitled_with_the_naked_lines_gone_is_a_note(tmp_path: Path) -> None:
    # The same place, retitled, the busy code left alone: none of its named lines is added again; it went.
    marked = helpers(RETRY_SAFE).replace(TAIL, "\n#define SH_REWORKED 1\n" + TAIL)
    other = Step("x86/virt/tdx: Mark the helpers reworked", ((NEW_HOME, helpers(RETRY_SAFE), marked),))
    _inputs(tmp_path, [CREATE, other, WRAPPING])
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 0, g.objections
    [e] = g.earlier
    assert not e.changed and e.why.startswith("no patch of v2 has its change or title"), e.why
    assert g.headline().endswith("; 1 objection to an earlier revision's patch changed or dropped since, not judged")


# A patch that only removes code: no line added, so no added line to find again. Its two named lines removed.
UNMARKED = helpers(RETRY_SAFE).replace("\tlockdep_assert_preemption_disabled();\n", "").replace(
    "\tthis_cpu_write(cache_state_incoherent, true);\n", "")
UNMARKING = Step("x86/virt/tdx: Stop marking the cache incoherent", ((NEW_HOME, helpers(RETRY_SAFE), UNMARKED),))


def test_a_removal_retitled_and_reworked_still_removing_the_naked_lines_blocks_as_changed(tmp_path: Path) -> None:
    # v1 02/3 only removes lines; v2 02/3 retitles it and removes a macro too, still removing both lines NAKed.
    # Before: only added lines were measured, and it adds none: "no patch of v2 has its change or title", READY.
    fewer = UNMARKED.replace("#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(__seamcall, (_fn), (_args))\n", "")
    reworked = Step("x86/virt/tdx: Leave the cache state to the callers", ((NEW_HOME, helpers(RETRY_SAFE), fewer),))
    e = _blocks_as_changed(tmp_path, reworked, naked=UNMARKING)
    assert e.why.startswith("v2 02/3 removes again 2 of the 2 lines of code naming something that v1 02/3 removed, "
                            f"under another title and change (git patch-id), so the code <{NAK}> objects to may "
                            "still be there: not judged on this revision, nor addressed: it blocks"), e.why


@pytest.mark.parametrize("steps", [[CREATE, WRAPPING], [CREATE, NOTES, WRAPPING]])
def test_a_removal_dropped_from_v2_is_a_note(tmp_path: Path, steps: list[Step]) -> None:
    # Its lines stay in v2 (dropped, or another patch in its place): nothing of it is made again.
    _inputs(tmp_path, steps, naked=UNMARKING)
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 0, (g.objections, g.earlier)
    [e] = g.earlier
    assert not e.changed and e.why.startswith("no patch of v2 has its change or title"), e.why


def test_a_patch_dropped_from_v2_takes_nothing_along(tmp_path: Path) -> None:
    _inputs(tmp_path, [CREATE, WRAPPING])
    g = _gate(tmp_path)
    assert not g.objections and g.exit_status == 0
    [e] = g.earlier
    assert e.why.startswith("no patch of v2 has its change or title"), e.why


@pytest.mark.parametrize("steps", [[CREATE, PREPARING, WRAPPING], [CREATE, CHANGED, WRAPPING]])
def test_taken_back_below_v2_it_is_none(tmp_path: Path, steps: list[Step]) -> None:
    _inputs(tmp_path, steps, later=(2, "I withdraw my NAK, the loader is no longer special-cased."))
    g = _gate(tmp_path)
    assert not g.objections and not g.earlier and g.exit_status == 0, (g.objections, g.earlier)


def test_taken_back_in_v1_it_is_none(tmp_path: Path) -> None:
    _, _, one, _ = _inputs(tmp_path, [CREATE, PREPARING, WRAPPING])
    back = _reply(one[2], "back@example.org", "Scratch my NAK.", "Wed, 07 Jan 2026 10:00:00 +0000")
    nak = _reply(one[2], NAK, "NAK, this special-cases the loader again.")
    write_mbox(tmp_path / "v1.mbox", [*one, nak, back])
    assert not _gate(tmp_path).objections


def test_the_authors_own_hold_on_v1_is_not_carried(tmp_path: Path) -> None:
    # Sending v2 with the patch is the author's later word.
    one, two = revision(1, [CREATE, PREPARING, WRAPPING]), revision(2, [CREATE, PREPARING, WRAPPING])
    own = message(f"Re: {one[2]['Subject']}", "own@example.org", "Please don't apply this one.\n",
                  parent=one[2]["Message-ID"].strip("<>"), sender=bundled_sender())
    (tmp_path / "rules.toml").write_text(RULE)
    write_mbox(tmp_path / "v1.mbox", [*one, own])
    write_mbox(tmp_path / "v2.mbox", two)
    g = _gate(tmp_path)
    assert not g.objections and not g.earlier


def _commits(repo: Path) -> list[bytes]:
    """Each commit's ``git show`` diff, as git patch-id reads it."""
    shas = git(repo, "rev-list", "--reverse", "HEAD").stdout.split()[1:]
    return [git(repo, "show", "-M", "--format=", sha.decode()).stdout for sha in shas]


def test_patch_id_is_gits(tmp_path: Path) -> None:
    # Against git patch-id --stable itself: several files (in any order), a file created, deleted, renamed with a
    # change, a mode change, a last line without a line end, whitespace changes only.
    repo = init_repo(tmp_path / "r", {"a.c": "int a;\nint b;\n", "b.c": "x\n" * 30, "c.c": "gone\n"})
    steps = [
        lambda: ((repo / "a.c").write_text("int a;\nint  b;\n"), (repo / "b.c").write_text("y\n" + "x\n" * 30)),
        lambda: ((repo / "new.h").write_text("/* new */\n"), (repo / "c.c").unlink()),
        lambda: ((repo / "b.c").rename(repo / "d.c"), (repo / "d.c").write_text("y\n" + "x\n" * 29 + "z")),
        lambda: (repo / "new.h").chmod(0o755),
    ]
    for n, step in enumerate(steps):
        step()
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"step {n}")
    for diff in _commits(repo):
        want = git(repo, "patch-id", "--stable", stdin=diff).stdout.split()
        assert patch_id(diff) == (want[0].decode() if want else None), diff.decode()
    assert patch_id(b"no diff here\n") is None
