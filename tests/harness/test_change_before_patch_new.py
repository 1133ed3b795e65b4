"""A change in a patch before the rule's own that the earlier revision did not have there.

A change put in a patch before the rule's own that the earlier revision in the input did not have there: new, moved
up from after it, or changed since. harness.patchparts finds a part of the change by the earlier patch's lines alone;
a reworded one sat in the reference, unseen (v2: READY, exit 0, with v1 given; inconclusive with v2 alone).
Oracle: git am of the patches up to the reference, then gcc -E: the reference holds the change."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_BY_LEAF,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    revision,
)
from tests.mailgen import message, write_mbox

UNCHANGED, NAK, PRINTERS = "tdx-module-calls-unchanged", "nak-no-kernel-change", "reuse-seamcall-err"
BASE = helpers(RETRY_SAFE)


def _fewer(text: str) -> str:
    return text.replace("int left = RDRAND_RETRY_LOOPS;", "int left = 3;")


def _own_printer(text: str) -> str:
    """A P-SEAMLDR printer of its own (the leaf in decimal, as seamcall_err() prints it), seamldr_prerr() switched
    to it."""
    return text.replace(
        "static __always_inline int sc_retry_prerr(",
        "static inline void seamldr_report(u64 fn, u64 err)\n{\n\tpr_err(\"P-SEAMLDR call %llu returned %#016llx\\n\","
        " fn, err);\n}\n\nstatic __always_inline int sc_retry_prerr_ldr(sc_func_t op, u64 fn, struct tdx_module_args"
        " *args)\n{\n\tu64 err = sc_retry(op, fn, args);\n\n\tif (!err)\n\t\treturn 0;\n\tseamldr_report(fn, err);\n"
        "\treturn -EIO;\n}\n\nstatic __always_inline int sc_retry_prerr(").replace(
        "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr(", "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr_ldr(")


def _comment(text: str) -> str:
    return text.replace("\tu64 err;\n", "\tu64 err;\t/* kept */\n", 1)


CREATE = Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, BASE),))
WRAP = Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER))
REVIEWED = helpers(RETRY_BY_LEAF)  # what v1's titled patch made: the retry code chosen by leaf


def _constant(text: str) -> str:
    """What v2's titled patch makes now: a constant, nothing any run reads."""
    bit = "#define SEAMLDR_LEAF_BIT\tBIT_ULL(63)\n"
    return text.replace(bit, f"{bit}#define SEAMLDR_RND_NO_ENTROPY\t0x8000000000030001ULL\n")


def _series(change: Callable[[str], str], title: str, v1_had_it: bool = False,
            moved_up: bool = False) -> list[EmailMessage]:
    """v1: the header, the titled patch (as reviewed), the wrapper; v2: the header, a patch ``title`` making
    ``change``, the titled patch adding only a constant, the wrapper. With ``v1_had_it`` v1 has that patch before
    its titled one as it is; with ``moved_up``, after it."""
    early = change(BASE)
    assert early != BASE
    if moved_up:
        v1_steps = [CREATE, Step(PREPARE, ((NEW_HOME, BASE, REVIEWED),)),
                    Step(title, ((NEW_HOME, REVIEWED, change(REVIEWED)),)), WRAP]
    elif v1_had_it:
        v1_steps = [CREATE, Step(title, ((NEW_HOME, BASE, early),)),
                    Step(PREPARE, ((NEW_HOME, early, change(REVIEWED)),)), WRAP]
    else:
        v1_steps = [CREATE, Step(PREPARE, ((NEW_HOME, BASE, REVIEWED),)), WRAP]
    v2 = [CREATE, Step(title, ((NEW_HOME, BASE, early),)), Step(PREPARE, ((NEW_HOME, early, _constant(early)),)), WRAP]
    return revision(1, v1_steps) + revision(2, v2)


def _verdicts(tmp: Path, msgs: list[EmailMessage]) -> dict[str, tuple[VerdictStatus, str]]:
    g = evaluate_gate(GateRequest((write_mbox(tmp / "s.mbox", msgs),), "v2", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


@pytest.mark.parametrize(("change", "title", "rules"), [
    (_fewer, "x86/virt/tdx: Retry SEAMCALLs fewer times", (UNCHANGED, NAK)),
    (_own_printer, "x86/virt/tdx: Add a P-SEAMLDR error report", (PRINTERS, NAK)),
])
def test_a_new_patch_before_the_titled_one_leaves_no_pass(tmp_path: Path, change: Callable[[str], str], title: str,
                                                          rules: tuple[str, ...]) -> None:
    # Before: each PASS, 'compared with v2:02' (v2: READY, exit 0), a state already holding the change.
    found = _verdicts(tmp_path, _series(change, title))
    for rule in rules:
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, status, note)
        assert f"v2 02/4 '{title}'" in note and "v1 has no patch of its title before it" in note, note
        assert 'reference = "before:2"' in note, note


def test_a_patch_moved_up_from_after_the_titled_one_leaves_no_pass(tmp_path: Path) -> None:
    # v1 had the fewer tries after its titled patch (the rule compared them); v2 puts them before it.
    found = _verdicts(tmp_path, _series(_fewer, "x86/virt/tdx: Retry SEAMCALLs fewer times", moved_up=True))
    assert found[UNCHANGED][0] is VerdictStatus.INCONCLUSIVE, found[UNCHANGED]


def test_a_patch_the_earlier_revision_had_before_it_as_it_is_keeps_the_pass(tmp_path: Path) -> None:
    # Reviewed apart from the titled patch in v1, the same lines in v2: not a part of its change.
    found = _verdicts(tmp_path, _series(_fewer, "x86/virt/tdx: Retry SEAMCALLs fewer times", v1_had_it=True))
    assert found[UNCHANGED][0] is VerdictStatus.PASS, found[UNCHANGED]


def test_a_new_patch_changing_nothing_the_rule_compares_keeps_the_pass(tmp_path: Path) -> None:
    found = _verdicts(tmp_path, _series(_comment, "x86/virt/tdx: Comment the SEAMCALL helpers"))
    assert {r: found[r][0] for r in (UNCHANGED, NAK)} == {UNCHANGED: VerdictStatus.PASS, NAK: VerdictStatus.PASS}


@pytest.mark.skipif(shutil.which("gcc") is None or shutil.which("git") is None, reason="needs git and gcc")
def test_the_reference_holds_the_change_as_git_am_and_gcc_build_it(tmp_path: Path) -> None:
    # The premise: v2:02, the state before the titled patch, already tries 3 times, v2:01 RDRAND_RETRY_LOOPS times.
    from tests.gitoracle import init_repo

    msgs = _series(_fewer, "x86/virt/tdx: Retry SEAMCALLs fewer times")[4:]  # v2's cover letter and patches
    repo = init_repo(tmp_path / "r", {"README": "base\n"})

    def bound_after(count: int) -> str:
        subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", "HEAD"], check=True)
        mbox = write_mbox(tmp_path / f"p{count}.mbox", msgs[1:1 + count])
        subprocess.run(["git", "-C", str(repo), "am", "-q", str(mbox)], check=True, capture_output=True)
        out = subprocess.run(["gcc", "-E", "-P", "-DRDRAND_RETRY_LOOPS=10", "-Du64=long", str(repo / NEW_HOME)],
                             capture_output=True, text=True, check=True).stdout
        subprocess.run(["git", "-C", str(repo), "reset", "-q", "--hard", f"HEAD~{count}"], check=True)
        return next(line.strip() for line in out.splitlines() if "int left" in line)

    assert (bound_after(1), bound_after(2)) == ("int left = 10;", "int left = 3;")


OWN_RULE = """\
[[rule]]
id = "calls-kept"
reviewer = "Rae Viewer"
msgid = "rae-1@example.net"
quote = "keep the TDX-module retries"
summary = "TDX-module SEAMCALLs retry as before the titled patch"
severity = "error"
patch = "Prepare to support P-SEAMLDR SEAMCALLs"
guard = true
[rule.check]
kind = "equivalence"
reference = "before:patch"
scenarios = { entry = "seamcall*", leaf = ["TDH_SYS_INIT", "TDH_SYS_LP_INIT"] }
ignore = ["log"]
"""


@pytest.mark.parametrize(("version", "number", "total", "status"), [
    (2, 3, 4, VerdictStatus.PASS), (1, 2, 3, VerdictStatus.INCONCLUSIVE)])
def test_a_review_of_the_judged_revision_read_the_patches_before_it_apart(
        tmp_path: Path, version: int, number: int, total: int, status: VerdictStatus) -> None:
    # A rule citing a review of v2's own titled patch: the review read v2 02/4 beneath it, apart from its change,
    # so the pass against v2:02 stands. Citing v1's review, v2 02/4 is new since: inconclusive.
    cover, patch = f"gen-cover-v{version}@example.org", f"gen-{number}-v{version}@example.org"
    reply = message(f"Re: [PATCH v{version} {number}/{total}] {PREPARE}", "rae-1@example.net",
                    "Please keep the TDX-module retries as they are.\n", sender="Rae Viewer <rae@example.net>",
                    parent=patch, refs=(cover, patch))
    (tmp_path / "rules.toml").write_text(OWN_RULE)
    mbox = write_mbox(tmp_path / "s.mbox", [*_series(_fewer, "x86/virt/tdx: Retry SEAMCALLs fewer times"), reply])
    [got] = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml")).verdicts
    assert got.status is status, got.note


POLICY = "arch/x86/virt/vmx/tdx/sc_policy.h"
POLICY_TEXT = ("/* SPDX-License-Identifier: GPL-2.0 */\n#ifndef SH_POLICY_H\n#define SH_POLICY_H\n\n"
               "/* How often a SEAMCALL is tried on a 'no entropy' answer. */\n#define SC_TRIES\tRDRAND_RETRY_LOOPS\n"
               "\n#endif\n")
USING = BASE.replace("typedef u64", '#include "sc_policy.h"\n\ntypedef u64', 1).replace(
    "int left = RDRAND_RETRY_LOOPS;", "int left = SC_TRIES;")


def test_a_patch_changed_since_before_a_dropped_one_leaves_no_pass(tmp_path: Path) -> None:
    # v1: the header and its retry policy, 02 'Tune' (a comment), the titled patch, the wrapper; v2 drops the
    # titled patch and its 02 'Tune' tries 3 times. Before: PASS against v2:02 (v2: READY, exit 0): the anchor ran
    # over 02, whose changed lines are not in a file the dropped patch changed.
    create = Step("x86/virt/tdx: Add an internal SEAMCALL helper header",
                  ((NEW_HOME, None, USING), (POLICY, None, POLICY_TEXT)))
    tune = "x86/virt/tdx: Tune the SEAMCALL retry policy"
    comment = POLICY_TEXT.replace("How often", "How many times")
    prepare = Step(PREPARE, ((NEW_HOME, USING, _constant(USING)),))
    msgs = revision(1, [create, Step(tune, ((POLICY, POLICY_TEXT, comment),)), prepare, WRAP]) + revision(2, [
        create, Step(tune, ((POLICY, POLICY_TEXT, POLICY_TEXT.replace("RDRAND_RETRY_LOOPS", "3")),)), WRAP])
    status, note = _verdicts(tmp_path, msgs)[UNCHANGED]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"v2 02/3 '{tune}'" in note and "it changes other lines than v1 02/4 did" in note, note
    assert f"before where '{PREPARE.split(': ', 1)[1]}' was" in note, note


@pytest.mark.parametrize(("change", "rule"), [(_fewer, UNCHANGED), (_own_printer, PRINTERS), (_comment, None)])
def test_a_file_created_otherwise_than_the_earlier_revision_did_is_compared_with_it(
        tmp_path: Path, change: Callable[[str], str], rule: str | None) -> None:
    # v1 01/3 creates the header, v2 01/3 creates it trying 3 times (or with a P-SEAMLDR printer of its own), its
    # titled patch now adding a constant. Judged in v2 alone, the header's code is new at v2:01 (nothing to keep,
    # a new file's printer). Before: PASS against v2:01, v2: READY, exit 0. Compared with v1:01 it is not; a
    # comment changed since keeps the pass.
    create = "x86/virt/tdx: Add an internal SEAMCALL helper header"
    early = change(BASE)
    msgs = revision(1, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, REVIEWED),)), WRAP]) + revision(2, [
        Step(create, ((NEW_HOME, None, early),)), Step(PREPARE, ((NEW_HOME, early, _constant(early)),)), WRAP])
    found = _verdicts(tmp_path, msgs)
    if rule is None:
        assert {r: found[r][0] for r in (UNCHANGED, NAK, PRINTERS)} == dict.fromkeys(
            (UNCHANGED, NAK, PRINTERS), VerdictStatus.PASS), found
        return
    status, note = found[rule]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"v2 01/3 '{create}' (v2:01 against v1:01, where its earlier version left the code" in note, note


DOC = "Documentation/arch/x86/seamcall-retries.rst"


def _documented(version: int, text: str, steps: list[Step]) -> list[EmailMessage]:
    """Revision ``version``: a patch writing a document ``text``, then ``steps``."""
    return revision(version, [Step("Documentation/x86: Describe the SEAMCALL retries", ((DOC, None, text),)), *steps])


@pytest.mark.parametrize("documented", ["both", "v2", "v1"])
@pytest.mark.parametrize(("change", "rules"), [(_fewer, (UNCHANGED, NAK)), (_own_printer, (PRINTERS, NAK)),
                                               (_comment, ())])
def test_a_second_patch_changed_since_is_compared_with_its_earlier_version_too(
        tmp_path: Path, change: Callable[[str], str], rules: tuple[str, ...], documented: str) -> None:
    # v2: a document (reworded since, new, or dropped), the header (3 tries, or a P-SEAMLDR printer of its own), the
    # titled patch (a constant), the wrapper; v1 the same with the header as reviewed. Only a first patch changed
    # since, every one before it v1's, was compared with its earlier version (the documents: nothing to compare);
    # the header, new in v2 alone, had nothing to keep. Before: PASS against v2:02, a state trying 3 times (v2: READY on
    # these rules). A comment changed since keeps the passes.
    early = change(BASE)
    v1 = [CREATE, Step(PREPARE, ((NEW_HOME, BASE, REVIEWED),)), WRAP]
    v2 = [CREATE if early == BASE else Step(CREATE.title, ((NEW_HOME, None, early),)),
          Step(PREPARE, ((NEW_HOME, early, _constant(early)),)), WRAP]
    msgs = (_documented(1, "SEAMCALLs are retried.\n", v1) if documented != "v2" else revision(1, v1)) + \
        (_documented(2, "SEAMCALLs are retried a few times.\n", v2) if documented != "v1" else revision(2, v2))
    found = _verdicts(tmp_path, msgs)
    if not rules:
        assert {r: found[r][0] for r in (UNCHANGED, NAK, PRINTERS)} == dict.fromkeys(
            (UNCHANGED, NAK, PRINTERS), VerdictStatus.PASS), found
        return
    # v2 dropped v1's document: its header is compared with v1 up to 02 without 01 (the gate builds and runs it).
    pair = {"both": "v2:02 against v1:02", "v2": "v2:02 against v1:01", "v1": "v2:01 against v1:02-01"}[documented]
    label = f"v2 01/3 '{CREATE.title}'" if documented == "v1" else f"v2 02/4 '{CREATE.title}'"
    for rule in rules:
        status, note = found[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert label in note and f"({pair}, where its earlier version left the code" in note, \
            note


def test_a_pass_does_not_stand_on_a_comparison_with_the_earlier_version_that_could_not_be_made(
        tmp_path: Path) -> None:
    # v2 01/3 creates the header with a P-SEAMLDR printer of its own; compared with v1:01, tdx-module-calls-unchanged
    # cannot tell whether the printer changed (it is reached only by entry points the rule does not compare). Before:
    # PASS against v2:01, the comparison's inconclusive only a note. The printer rule itself sees the change.
    early = _own_printer(BASE)
    msgs = revision(1, [CREATE, Step(PREPARE, ((NEW_HOME, BASE, REVIEWED),)), WRAP]) + revision(2, [
        Step(CREATE.title, ((NEW_HOME, None, early),)), Step(PREPARE, ((NEW_HOME, early, _constant(early)),)), WRAP])
    status, note = _verdicts(tmp_path, msgs)[UNCHANGED]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"whether v2 01/3 '{CREATE.title}' against v1:01, where its earlier version left the code: " \
           "inconclusive there" in note, note
    assert "reached only by entry points this rule does not compare" in note, note


def _lone_v2(tmp_path: Path, reply_to: str | None, cited: str = "rae-1@example.net") -> VerdictStatus:
    """The rule on v2 alone (no v1 in the input: a CI job gating the posting), citing ``cited``: a reply of Rae's
    below the patch ``reply_to`` names (None: a reply whose parent the input lacks)."""
    subject, parent = f"Re: [PATCH v2 3/4] {PREPARE}", reply_to
    refs = ("gen-cover-v2@example.org", parent) if parent else ("gone@example.org",)
    if parent is None:  # nothing of the input names it: no subject of its patches, no reference of its messages
        subject, parent = "Re: the SEAMCALL retries", "gone@example.org"
    reply = message(subject, "rae-1@example.net", "Please keep the TDX-module retries as they are.\n",
                    sender="Rae Viewer <rae@example.net>", parent=parent, refs=refs)
    (tmp_path / "rules.toml").write_text(OWN_RULE.replace('msgid = "rae-1@example.net"', f'msgid = "{cited}"'))
    v2 = _series(_fewer, "x86/virt/tdx: Retry SEAMCALLs fewer times")[4:]  # v2's cover letter and patches alone
    mbox = write_mbox(tmp_path / "s.mbox", [*v2, reply])
    [got] = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "rules.toml")).verdicts
    return got.status


def test_a_review_of_a_lone_revisions_own_patch_read_the_patches_before_it_apart(tmp_path: Path) -> None:
    # v2 given alone, the rule citing Rae's review of v2 03/4 itself: she read v2 02/4 (3 tries) beneath it, as
    # posted, so the titled patch's change is what the rule compares against v2:02 (which git am and gcc -E show
    # holding the 3 tries: the test above), as with v1 given. Before: inconclusive, naming v2 02/4.
    assert _lone_v2(tmp_path, "gen-3-v2@example.org") is VerdictStatus.PASS


@pytest.mark.parametrize(("reply_to", "cited"), [
    (None, "rae-1@example.net"),  # the review answers a message the input lacks: what it read is not known
    ("gen-3-v2@example.org", "rae-0@example.net"),  # the rule cites a message the input lacks (v1's review)
], ids=["review placed nowhere", "review not in the input"])
def test_a_lone_revision_whose_cited_review_is_not_of_it_keeps_the_patches_before_unseen(
        tmp_path: Path, reply_to: str | None, cited: str) -> None:
    # Near misses: no review the input holds read v2 02/4 beside the titled patch, which may hold part of its change.
    assert _lone_v2(tmp_path, reply_to, cited) is VerdictStatus.INCONCLUSIVE


TIGHTEN = "x86/virt/tdx: Retry SEAMCALLs fewer times"
EXPLAIN = "x86/virt/tdx: Explain the SEAMCALL helpers"


def _explained(text: str, words: str) -> str:
    return text.replace("static __always_inline u64 sc_mark_dirty(",
                        f"/* {words} */\nstatic __always_inline u64 sc_mark_dirty(", 1)


def _beside_tries(text: str, words: str) -> str:
    """A comment on the retry counter's own line: its context is the line v1 02 'Retry fewer times' changes."""
    return text.replace("int left = 3;", f"int left = 3;\t/* {words} */", 1).replace(
        "int left = RDRAND_RETRY_LOOPS;", f"int left = RDRAND_RETRY_LOOPS;\t/* {words} */", 1)


def _dropping_tighten(explain: Callable[[str, str], str] = _explained,
                      v1_own: Callable[[str], str] = lambda text: text) -> list[EmailMessage]:
    """v1: the header, 02 'Retry fewer times', 03 'Explain' (a comment: ``explain``, making ``v1_own`` too), the
    titled patch (a constant), the wrapper; v2 drops 02 and words 03's comment otherwise."""
    fewer, said, now = _fewer(BASE), "SEAMCALL helpers", "The SEAMCALL helpers"
    was = v1_own(explain(fewer, said))
    v1 = [CREATE, Step(TIGHTEN, ((NEW_HOME, BASE, fewer),)), Step(EXPLAIN, ((NEW_HOME, fewer, was),)),
          Step(PREPARE, ((NEW_HOME, was, _constant(was)),)), WRAP]
    mine = explain(BASE, now)
    v2 = [CREATE, Step(EXPLAIN, ((NEW_HOME, BASE, mine),)), Step(PREPARE, ((NEW_HOME, mine, _constant(mine)),)),
          WRAP]
    return revision(1, v1) + revision(2, v2)


def _code_after(tmp_path: Path, patches: list[EmailMessage]) -> str | None:
    """git am of ``patches`` on a fresh base, then gcc -E of the header (None: git am refuses them)."""
    from tests.gitoracle import init_repo

    repo = init_repo(tmp_path / f"r{len(list(tmp_path.glob('r*')))}", {"README": "base\n"})
    mbox = write_mbox(tmp_path / "p.mbox", patches)
    if subprocess.run(["git", "-C", str(repo), "am", "-q", str(mbox)], capture_output=True).returncode != 0:
        return None
    return subprocess.run(["gcc", "-E", "-P", "-DRDRAND_RETRY_LOOPS=10", "-Du64=long", str(repo / NEW_HOME)],
                          capture_output=True, text=True, check=True).stdout


def test_a_change_of_a_dropped_patch_is_not_blamed_on_the_next_patch_changed_since(tmp_path: Path) -> None:
    # Oracle (git am, gcc -E): v1 without its 02 builds the code v2:02 has, comments aside; v1:03 tries 3 times. The
    # difference between v2:02 and v1:03 is the dropped patch's. Before: inconclusive, the note blaming v2 02/4
    # 'Explain' for it, then naming the dropped patch with "the earlier revision without it is not built to tell".
    # Now the gate builds and runs v1:03 without 02 (v1:03-02) and compares v2:02 with it: alike, a pass naming it.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    msgs = _dropping_tighten()
    v1, v2 = msgs[1:6], msgs[7:11]
    assert _code_after(tmp_path, [v1[0], v1[2]]) == _code_after(tmp_path, v2[:2]) != _code_after(tmp_path, v1[:3])
    status, note = _verdicts(tmp_path, msgs)[UNCHANGED]
    assert status is VerdictStatus.PASS, note
    assert f"v2 02/4 '{EXPLAIN}', whose earlier version came after v1 02/5 '{TIGHTEN}', which v2 dropped: alike " \
           "against v1:03-02, built without it" in note, note


def test_a_change_of_the_next_patch_itself_is_found_against_the_earlier_state_without_the_dropped_one(
        tmp_path: Path) -> None:
    # v1 03/5 'Explain' also failed with -EBUSY, which v2 02/4 no longer does. Oracle: v1 01+03 (without 02) and v2
    # 01+02 differ. The difference found against v1:03-02 is v2 02/4's own: no pass, the note naming the state.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    msgs = _dropping_tighten(v1_own=lambda text: text.replace("\treturn -EIO;", "\treturn -EBUSY;"))
    v1, v2 = msgs[1:6], msgs[7:11]
    assert _code_after(tmp_path, [v1[0], v1[2]]) != _code_after(tmp_path, v2[:2])
    status, note = _verdicts(tmp_path, msgs)[UNCHANGED]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert f"v2 02/4 '{EXPLAIN}', whose earlier version came after v1 02/5 '{TIGHTEN}', which v2 dropped " \
           "(v2:02 against v1:03-02, where its earlier version left the code" in note, note


def test_an_earlier_patch_that_needs_the_dropped_one_leaves_the_comparison_unjudged(tmp_path: Path) -> None:
    # v1 03 comments the counter's own line, which v1 02 changed: git am refuses v1 03 without v1 02, so the state
    # without it does not exist and nothing tells whose the difference is (before this change: the same verdict).
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    msgs = _dropping_tighten(explain=_beside_tries)
    v1, v2 = msgs[1:6], msgs[7:11]
    assert _code_after(tmp_path, [v1[0], v1[2]]) is None and _code_after(tmp_path, v2[:2]) is not None
    status, note = _verdicts(tmp_path, msgs)[UNCHANGED]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "which v2 dropped, against v1:03-02, which cannot be built: v1 03/5 does not apply without it (" in note, \
        note
