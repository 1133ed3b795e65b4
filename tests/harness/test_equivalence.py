"""Equivalence rules on a patch that adds or removes an entry point: a difference, as eval says, never a pass."""

from __future__ import annotations

import json
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from harness.cli import app
from harness.gate import GateRequest, evaluate_gate
from tests.harness.renamegen import prepared
from tests.harness.seriesgen import (
    BUILD_WRAPPER,
    NEW_HOME,
    PREPARE,
    RETRY_SAFE,
    WRAPPER,
    WRAPPER_C,
    Step,
    helpers,
    preparing_series,
    revision,
)
from tests.mailgen import HELPER_PATH, HELPER_V0, diff, message, patch_body, write_mbox

V0 = HELPER_V0.replace("static inline u64 demo_retry", "static inline u64 demo_call(u64 fn) { return fn; }\n"
                                                      "static inline u64 demo_retry")
WITHOUT_ERR = V0[:V0.index("static inline void demo_err")] + "#endif\n"
MATRIX = ('[codes]\nOK = 0\nBAD = 0xC000000000000001\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n'
          '[[entry]]\nname = "demo_retry"\nargs = ["fn"]\n[[entry]]\nname = "demo_err"\nargs = ["fn", "answer"]\n'
          '[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def _gate(tmp_path: Path, first: str, second: str, ignore: str = "") -> dict[str, object]:
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add helper", "p1@x", patch_body("add", diff(HELPER_PATH, None, first)),
                    parent="c@x"),
            message("[PATCH 2/2] demo: tidy", "p2@x", patch_body("tidy", diff(HELPER_PATH, first, second)),
                    parent="c@x")]
    return _gate_of(tmp_path, msgs, ignore)


def _gate_of(tmp_path: Path, msgs: list[EmailMessage], ignore: str = "", matrix: str = MATRIX) -> dict[str, object]:
    write_mbox(tmp_path / "s.mbox", msgs)
    (tmp_path / "m.toml").write_text(matrix)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "tidy-changes-nothing"\nreviewer = "R"\nsummary = "s"\n'
                                     f'patch = "tidy"\n[rule.check]\nkind = "equivalence"\nreference = '
                                     f'"before:patch"\n{ignore}')
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    assert r.exit_code in (0, 1), r.output
    (rule,) = json.loads(out.read_text())["rules"]
    return dict(rule)


@pytest.mark.parametrize(("first", "second", "fact"), [
    (V0, WITHOUT_ERR, "demo_err() is gone: this patch removes it"),  # was a pass, demo_err "not run"
    (WITHOUT_ERR, V0, "demo_err() is new: this patch defines it"),
])
def test_an_entry_point_the_patch_adds_or_removes_fails_an_equivalence_rule(tmp_path: Path, first: str,
                                                                             second: str, fact: str) -> None:
    rule = _gate(tmp_path, first, second)
    assert rule["verdict"] == "fail", rule
    (e,) = rule["evidence"]  # type: ignore[misc]
    assert e["scenario"] == "demo_err/ONE/bad/u" and e["actual"] == fact


def test_ignore_provided_leaves_it_to_the_others(tmp_path: Path) -> None:
    rule = _gate(tmp_path, V0, WITHOUT_ERR, 'ignore = ["provided"]\n')
    assert rule["verdict"] == "pass" and "1 scenario compared with v1:01" in str(rule["note"]), rule


def test_a_move_that_also_adds_an_entry_point_keeps_the_moved_code_s_behaviour(tmp_path: Path) -> None:
    # demo_new() is new in the move patch: not a change to what the moved demo_retry() does, nor a gap.
    retry = ("static inline u64 demo_retry(u64 fn)\n{\n\tint tries = 3;\n\tu64 ret;\n\n\tdo {\n"
             "\t\tret = __seamcall(fn, NULL);\n\t} while (ret == 0x10 && --tries);\n\n\treturn ret;\n}\n")
    head = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    a0, a1 = "/* a */\n" + head + retry, "/* a */\n" + head
    b1 = "/* b */\n" + head + retry + "\nstatic inline u64 demo_new(u64 fn)\n{\n\treturn demo_retry(fn) + 1;\n}\n"
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("d/a.h", None, a0)), parent="c@x"),
            message("[PATCH 2/2] demo: move demo_retry to b.h", "p2@x",
                    patch_body("move", diff("d/a.h", a0, a1) + diff("d/b.h", None, b1)), parent="c@x")]
    write_mbox(tmp_path / "s.mbox", msgs)
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\nBUSY = 0x10\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
        'args = ["fn"]\n[[entry]]\nname = "demo_new"\nargs = ["fn"]\n[[script]]\nname = "busy"\n'
        'answers = ["BUSY", "OK"]\n[[script]]\nname = "busy3"\nanswers = ["BUSY*3"]\n')
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "move"\nreviewer = "R"\nsummary = "s"\n[rule.check]\n'
                                     'kind = "moves"\n')
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    assert r.exit_code == 0, r.output
    (rule,) = json.loads(out.read_text())["rules"]
    assert rule["verdict"] == "pass" and not rule["evidence"], rule
    # eval says the same of the move: it said "a code move that changes behaviour: demo_new() is new".
    assert _move_findings(tmp_path) == ["code-move"]
    # Without a script that exhausts the retries, the loop's condition never came out false, on either side: the move
    # carries it unchanged (the same text, reaching the same definitions), so that is no gap in the move, but it is said
    # (harness.carried; it was "code-move-not-compared" over code that is the same on both sides).
    (tmp_path / "m.toml").write_text((tmp_path / "m.toml").read_text().replace('"BUSY*3"', '"OK"'))
    assert _move_findings(tmp_path) == ["code-move"]
    said = _move_findings(tmp_path, "text")[0]
    carried = ("; demo_retry() at d/b.h:11 ('} while (ret == 0x10 && --tries);') moved unchanged, but a test on it "
               "always came out true on both sides, so what it decides the other way ran on neither")
    assert carried in said, said
    # From mail alone the tree's other users of the moved name are not seen (harness.strandedusers): said last.
    assert said.endswith("the tree's files that no patch touches and that use it were not checked (give --tree)")



def test_a_move_whose_code_means_something_else_where_it_went_is_not_clean(tmp_path: Path) -> None:
    # The same body, text for text, but the bound it reads changed by the same patch: the loop's '--tries' never came
    # out false on either side, and what it decides the other way is not the same code on both (harness.carried).
    retry = ("static inline u64 demo_retry(u64 fn)\n{\n\tint tries = TRIES;\n\tu64 ret;\n\n\tdo {\n"
             "\t\tret = __seamcall(fn, NULL);\n\t} while (ret == 0x10 && --tries);\n\n\treturn ret;\n}\n")
    head = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    a0, a1 = "/* a */\n#define TRIES 3\n" + head + retry, "/* a */\n#define TRIES 4\n" + head
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("d/a.h", None, a0)), parent="c@x"),
            message("[PATCH 2/2] demo: move demo_retry to b.h", "p2@x", patch_body(
                "move", diff("d/a.h", a0, a1) + diff("d/b.h", None, '#include "a.h"\n' + retry)), parent="c@x")]
    write_mbox(tmp_path / "s.mbox", msgs)
    (tmp_path / "m.toml").write_text(
        '[codes]\nOK = 0\nBUSY = 0x10\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
        'args = ["fn"]\n[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\n')
    assert _move_findings(tmp_path) == ["code-move-not-compared"]
    assert "demo_retry() (d/b.h:4, 9) ran in v1:02, but no line that reads the value it stores ran both ways" in \
        _move_findings(tmp_path, "text")[0]


def _move_findings(tmp_path: Path, key: str = "kind") -> list[str]:
    out = tmp_path / "e.json"
    r = CliRunner().invoke(app, ["eval", str(tmp_path / "s.mbox"), "--matrix", str(tmp_path / "m.toml"), "--json",
                                 str(out)])
    assert r.exit_code == 0, r.output
    return [f[key] for f in json.loads(out.read_text())["findings"] if f["kind"].startswith("code-move")]


def _nak(tmp_path: Path, msgs: list[EmailMessage]) -> tuple[int, dict[str, tuple[str, str]]]:
    g = evaluate_gate(GateRequest((write_mbox(tmp_path / "p.mbox", msgs),), "v2", jobs=1))
    return g.exit_status, {v.rule.id: (v.status.value, v.note) for v in g.verdicts}


def test_an_entry_point_found_in_the_code_new_on_one_side_is_said_not_compared(tmp_path: Path) -> None:
    # v2 02/3 changes nothing that runs; 03/3 adds seamldr_query() in a new file, a wrapper the matrix does not
    # name. The NAK rule (every entry point as before 02/3) passed on the others without a word of it: it now says
    # it was not compared, and why; the count of scenarios compared is the others' alone.
    status, found = _nak(tmp_path, preparing_series(prepared(helpers(RETRY_SAFE))))
    verdict, note = found["nak-no-kernel-change"]
    assert verdict == "pass" and note.startswith("280 scenarios compared with v2:01; not run: "), (verdict, note)
    assert "seamldr_query() is new in v2 (v2:01 does not provide it): not compared, nothing to compare it with" in note
    assert status == 0
    # A rule on the TDX module's entry points selects no such wrapper: nothing said of it.
    assert "seamldr_query" not in found["tdx-module-calls-unchanged"][1]


def test_an_entry_point_found_in_the_code_gone_on_one_side_is_never_a_pass(tmp_path: Path) -> None:
    # 02/3 adds the wrapper, 03/3 ('Prepare') deletes it: its behaviour is gone, and nothing shows it kept. (03/3
    # takes its Makefile line out too: a line left naming its object stops make, a build error of every run.)
    base = helpers(RETRY_SAFE)
    unlisted = (BUILD_WRAPPER[0], BUILD_WRAPPER[2], BUILD_WRAPPER[1])
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                            ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
                        Step(PREPARE, ((NEW_HOME, base, prepared(base)), (WRAPPER, WRAPPER_C, None), unlisted))])
    status, found = _nak(tmp_path, msgs)
    verdict, note = found["nak-no-kernel-change"]
    assert verdict == "inconclusive", (verdict, note)
    assert "seamldr_query() is gone from v2 (only v2:02 provides it): not compared, nothing to compare it with" \
        in note, note
    assert status == 1


@pytest.mark.parametrize("tries", ["3", "5"])  # the same failed build on both sides, or another one
def test_a_build_that_fails_on_both_sides_is_never_a_pass(tmp_path: Path, tries: str) -> None:
    # A file-scope static_assert gcc refuses fails every run of the unit, before and after the patch: neither side
    # built, so nothing was compared ("the same" would pass code that never ran), and it is no difference either.
    broken = V0.replace("#define DEMO_BUSY", "_Static_assert(sizeof(u64) == 4, \"u64 is 4 bytes\");\n#define DEMO_BUSY")
    rule = _gate(tmp_path, broken, broken.replace("int tries = 3;", f"int tries = {tries};") + "\n")
    assert rule["verdict"] == "inconclusive", rule
    note = str(rule["note"])  # each side says why it did not build
    assert "did not run in v1:01: drivers/demo/helper.h:5: static assertion failed" in note, note
    assert "did not run in v1: drivers/demo/helper.h:5: static assertion failed" in note, note


def _later_patch_adds(tmp_path: Path) -> dict[str, object]:
    """The rule judges only demo_err(), which v1:01 (before 'tidy') lacks and patch 3 of 3 adds."""
    msgs = [message("[PATCH 0/3] demo", "c@x", "cover\n"),
            message("[PATCH 1/3] demo: add helper", "p1@x", patch_body("add", diff(HELPER_PATH, None, WITHOUT_ERR)),
                    parent="c@x"),
            message("[PATCH 2/3] demo: tidy", "p2@x",
                    patch_body("tidy", diff("demo/other.h", None, "#define DEMO_OTHER 1\n")), parent="c@x"),
            message("[PATCH 3/3] demo: add the printer", "p3@x",
                    patch_body("err", diff(HELPER_PATH, WITHOUT_ERR, V0)), parent="c@x")]
    write_mbox(tmp_path / "s.mbox", msgs)
    (tmp_path / "m.toml").write_text(MATRIX)
    (tmp_path / "r.toml").write_text('[[rule]]\nid = "tidy-changes-nothing"\nreviewer = "R"\nsummary = "s"\n'
                                     'patch = "tidy"\n[rule.check]\nkind = "equivalence"\nreference = '
                                     '"before:patch"\nscenarios = { entry = "demo_err" }\n')
    out = tmp_path / "g.json"
    r = CliRunner().invoke(app, ["gate", str(tmp_path / "s.mbox"), "--variant", "v1", "--matrix",
                                 str(tmp_path / "m.toml"), "--rules", str(tmp_path / "r.toml"), "--json", str(out)])
    assert r.exit_code == 1, r.output
    (rule,) = json.loads(out.read_text())["rules"]
    return dict(rule)


def test_an_entry_point_later_patches_add_fails_when_nothing_else_ran(tmp_path: Path) -> None:
    # Before: an inconclusive "nothing compared with v1:01: " with no reason, the difference dropped.
    rule = _later_patch_adds(tmp_path)
    assert rule["verdict"] == "fail", rule
    (e,) = rule["evidence"]  # type: ignore[misc]
    assert e["actual"].startswith("demo_err() is new: "), e
    assert rule["note"] == "no other scenario compared with v1:01", rule["note"]


@pytest.mark.parametrize("whole", [True, False])  # the file created whole, or known from hunks alone (give --tree)
def test_a_name_neither_side_defines_is_said_once_for_both(tmp_path: Path, whole: bool) -> None:
    # Was 'v1:01 does not define demo_gone() ...; v1 does not define demo_gone() ...': one cause said twice, where
    # the per-patch lines say 'neither v1:01 nor v1 defines demo_gone()'.
    first = V0 if whole else V0.replace("int tries = 3;", "int tries = 2;")  # else a file the mail holds in part
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("a", diff(HELPER_PATH, None if whole else first, V0)),
                    parent="c@x"),
            message("[PATCH 2/2] demo: tidy", "p2@x", patch_body("tidy", diff(
                HELPER_PATH, V0, V0.replace("int tries = 3;", "int tries = 5;"))), parent="c@x")]
    rule = _gate_of(tmp_path, msgs, matrix=MATRIX.replace("[[script]]", '[[entry]]\nname = "demo_gone"\nargs = '
                                                          '["fn"]\n[[script]]'))
    note = str(rule["note"])
    assert re.search(r"neither v1:01 nor v1 defines (demo_err\(\), )?demo_gone\(\): none of the files read has "
                     r"(it|them)", note), note
    assert "does not define" not in note, note


def test_a_constant_whose_users_the_mail_does_not_show_gets_no_matrix_hint(tmp_path: Path) -> None:
    # The note ended 'a scenario that runs them would decide: a script answering what they handle, ...' after
    # 'DEMO_LIMIT (...) never ran in v1: its users are not in the lines the mail shows: give --tree': no scenario
    # runs code the mail does not show.
    from harness.linecover import HINT
    from tests.harness.test_linecover import _limit_patch

    mbox = _limit_patch(tmp_path / "g", 22)
    g = evaluate_gate(GateRequest((mbox,), "v1", jobs=1, matrix=mbox.parent / "m.toml", rules=mbox.parent / "r.toml"))
    [v] = g.verdicts
    assert v.status.value == "inconclusive" and "its users are not in the lines the mail shows" in v.note, v.note
    assert HINT not in v.note, v.note


def test_a_difference_some_of_whose_classes_are_ignored_names_its_conversions(tmp_path: Path) -> None:
    # The rule's evidence said its log note again without the return's: "same value 0xc000000000000001 printed
    # differently: ..." where eval names the conversions of the same difference.
    first = V0.replace("static inline void demo_err", "static inline int demo_err").replace(
        'fn, err);\n}', 'fn, err);\n\treturn 0;\n}')
    second = first.replace("failed: 0x%016llx", "failed: %llu").replace("return 0;\n}\n\n#endif",
                                                                        "return 1;\n}\n\n#endif")
    assert first.count("return 0;") == 1 and second.count("return 1;") == 1 and "%llu" in second
    rule = _gate(tmp_path, first, second, 'ignore = ["return"]\n')
    line = second.split("\n").index('\tpr_err("DEMO (0x%016llx) failed: %llu\\n", fn, err);') + 1
    notes = [e["actual"] for e in rule["evidence"]]  # type: ignore[attr-defined]
    assert rule["verdict"] == "fail" and notes, rule
    said = (f"log: err printed with '0x%016llx' -> '%llu' (0xc000000000000001 -> {0xC000000000000001}) at "
            f"{HELPER_PATH.rsplit('/', 1)[-1]}:{line}")
    assert all(said in n and "printed differently" not in n and "return" not in n.split("(", 1)[1]
               for n in notes), notes


def _tree_gate(tmp_path: Path, before: str, after: str, *, matrix: str = "", check: str = "") -> tuple[str, str]:
    """The equivalence rule's verdict and note on one patch changing demo/h.h of a git tree (--tree) from ``before``
    to ``after``: demo_retry() and demo_prerr() (the matrix's entry points) and demo_unused(), which nothing calls.
    ``matrix`` and ``check`` are added to the matrix and to the rule's check."""
    from tests.harness.variantgen import RETRY_C, tree_rule_gate

    base = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    v = tree_rule_gate(tmp_path, base + before, base + after, matrix_add=matrix, check=check)
    return v.status.value, v.note


_UNUSED = "static inline int demo_unused(void)\n{{\n\treturn {n};\n}}\n"


@pytest.mark.parametrize(("before", "after", "said"), [
    # A changed line in a function nothing in the tree calls: it never ran on either side.
    (_UNUSED.format(n=3), _UNUSED.format(n=4), "demo_unused() (demo/h.h:"),
    # A variable only such a function reads.
    ("static int demo_lim = 3;\n" + _UNUSED.format(n="demo_lim"), "static int demo_lim = 4;\n"
     + _UNUSED.format(n="demo_lim"), "demo_lim (demo/h.h:"),
])
def test_a_change_to_existing_code_no_compared_entry_point_reaches_is_never_a_pass(tmp_path: Path, before: str,
                                                                                   after: str, said: str) -> None:
    # eval said '... but the patch also changes code no entry point reaches: demo_unused() (...)' while the rule passed
    # with nothing said: its coverage check read only the code the compared entry points reach.
    status, note = _tree_gate(tmp_path, before, after)
    assert status == "inconclusive", note
    assert said in note and "which no compared entry point reaches" in note, note


def test_each_unreached_definition_is_told_changed_or_moved_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Each changed line of a definition both sides hold asked whether it changed or only moved (reach's
    # _changed_on_both), and tokenized both sides' whole texts again: 110 M instructions of a filled-cache eval of
    # the corpus. Counted: how often a text of demo_unused() is tokenized, with 40 of its lines changed.
    import harness.reach

    token = harness.reach._TOKEN
    told: list[str] = []

    class Counted:
        def findall(self, text: str) -> list[str]:
            told.extend(["demo_unused"] if "demo_unused(void)" in text else [])
            return token.findall(text)

    monkeypatch.setattr(harness.reach, "_TOKEN", Counted())
    body = "static inline int demo_unused(void)\n{{\n\tint x = 0;\n{lines}\treturn x;\n}}\n"
    status, note = _tree_gate(tmp_path, body.format(lines="".join(f"\tx += {i};\n" for i in range(40))),
                              body.format(lines="".join(f"\tx ^= {i};\n" for i in range(40))))
    assert status == "inconclusive" and "demo_unused() (demo/h.h:" in note, note
    assert 0 < len(told) < 40, len(told)  # 2 per side per question (unreached_places call), not per line


def test_a_function_the_patch_adds_that_nothing_calls_leaves_the_rule_a_pass(tmp_path: Path) -> None:
    # Code only one side has had no behaviour to keep: nothing calls it, so nothing the entry points do changed.
    status, note = _tree_gate(tmp_path, "", _UNUSED.format(n=4))
    assert status == "pass", note


_OTHER = "static inline int demo_other(u64 fn, struct tdx_module_args *args)\n{\n\treturn demo_unused();\n}\n"


def test_code_only_an_entry_point_the_rule_leaves_out_reaches_says_widen_the_rule(tmp_path: Path) -> None:
    # demo_other() is a matrix entry point the rule does not select: "give the matrix an entry point" misled.
    status, note = _tree_gate(tmp_path, _UNUSED.format(n=3) + _OTHER, _UNUSED.format(n=4) + _OTHER,
                              matrix='\n[[entry]]\nname = "demo_other"\n',
                              check='[rule.check.scenarios]\nentry = ["demo_retry", "demo_prerr"]\n')
    assert status == "inconclusive", note
    assert "demo_unused() (demo/h.h:" in note and "reached only by entry points this rule does not compare " \
        "(demo_other): widen the rule's scenarios.entry" in note, note
    assert "give the matrix an entry point" not in note, note


@pytest.mark.parametrize("worded", [False, True], ids=["as reach words it", "reach worded otherwise"])
def test_without_a_tree_code_whose_callers_the_mail_does_not_show_is_not_known_unreached(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worded: bool) -> None:
    # From mail alone demo_unused()'s callers are not read (its file is known only from the hunk): "which no compared
    # entry point reaches" claimed what was not read, and its hint asked for an entry point the tree may have. The
    # file was once parsed back from reach's words ('name() (path:line)'): worded otherwise, the place read as in a
    # file known whole, and the hint asked for an entry point again; now read from harness.comparison.Place.path.
    import harness.reach

    if worded:
        def said(held: Any, states: Any) -> str:
            return f"{held.owner} at {', '.join(held.at.values())}{held.why}"
        monkeypatch.setattr(harness.reach._Held, "said", said)
    from tests.harness.variantgen import MATRIX as RETRY_MATRIX
    from tests.harness.variantgen import RETRY_C

    base = RETRY_C.replace("TRIES", "3").replace("FMT", "%llu")
    pad = "".join(f"int demo_pad{i};\n" for i in range(8))
    old, new = (pad + _UNUSED.format(n=n) + pad for n in (3, 4))
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add helper", "p1@x", patch_body("add", diff("demo/h.h", None, base)),
                    parent="c@x"),
            message("[PATCH 2/2] demo: tidy", "p2@x", patch_body("tidy", diff("demo/other.c", old, new)),
                    parent="c@x")]
    rule = _gate_of(tmp_path, msgs, matrix=RETRY_MATRIX)
    note = str(rule["note"])
    assert rule["verdict"] == "inconclusive", note
    assert "which no compared entry point reaches" not in note, note
    shown = "demo_unused() at demo/other.c:" if worded else "demo_unused() (demo/other.c:"
    # The place says why itself since reach tells code the mail alone cannot say is uncalled (Reach.UNSEEN).
    assert shown in note and "which no compared entry point is known to reach" in note, note
    assert "from mail alone, callers in the tree are not seen: give --tree" in note, note


def test_all_as_expected_follows_the_scenarios_compared_not_what_is_not_provided(tmp_path: Path) -> None:
    # 'Prepare' makes the wrapper call seamldr_hook(), declared, defined nowhere: its runs cannot run. The note was
    # '108 scenarios compared with v2:02; not run: neither v2:02 nor v2 defines ... (... the names are not in this
    # code), all as expected, but some could not run: ...': 'all as expected' glued to the list of what neither
    # provides. Golden: what is said, in this order.
    base = helpers(RETRY_SAFE)
    hooked = WRAPPER_C.replace("\treturn seamldr_prerr(", "\tseamldr_hook();\n\treturn seamldr_prerr(")
    declared = prepared(base).replace("#define seamcall(_fn", "void seamldr_hook(void);\n#define seamcall(_fn")
    assert hooked != WRAPPER_C and declared != prepared(base)
    msgs = revision(2, [Step("x86/virt/tdx: Add an internal SEAMCALL helper header", ((NEW_HOME, None, base),)),
                        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper",
                             ((WRAPPER, None, WRAPPER_C), BUILD_WRAPPER)),
                        Step(PREPARE, ((NEW_HOME, base, declared), (WRAPPER, WRAPPER_C, hooked)))])
    _, found = _nak(tmp_path, msgs)
    status, note = found["tdx-module-calls-unchanged"]
    # Golden in its order: what was compared, 'all as expected', what could not run, then what neither provides
    # (that sentence's own words are coverage's, and change with it).
    golden = ("108 scenarios compared with v2:02, all as expected, but some could not run: seamldr_query() "
              "(arch/x86/virt/vmx/tdx/seamldr_ops.c:9 in v2), reached only by entry points this rule does not "
              "compare (seamldr_query): widen the rule's scenarios.entry; not run: neither v2:02 nor v2 defines "
              "seamcall_saved_ret(), seamcall_prerr_ret()")
    assert status == "inconclusive" and note.startswith(golden) and note.count("all as expected") == 1, note
