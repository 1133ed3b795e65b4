"""The moves check (harness.movecheck): what a patch moving or renaming helpers is judged on, and what is left open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.harness.movesgate import moves_gate
from tests.mailgen import write_mbox


def test_a_patch_that_does_not_apply_leaves_the_moves_rule_undecided(tmp_path: Path) -> None:
    # 2/3 moves demo_retry() to b.h; 3/3 renames it there, one of its context lines mistyped: git apply refuses
    # it, b.h is not usable in v1, and the states around 3/3 show no rename. The rule passed on 2/3 alone.
    from tests.mailgen import diff, message, patch_body

    retry = ("static inline u64 demo_retry(u64 fn)\n{\n\tint tries = 3;\n\tu64 ret;\n\n\tdo {\n"
             "\t\tret = __seamcall(fn, NULL);\n\t} while (ret == 0x10 && --tries);\n\n\treturn ret;\n}\n")
    head = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    a0, a1, b1 = "/* a */\n" + head + retry, "/* a */\n" + head, "/* b */\n" + head + retry
    renamed = diff("d/b.h", b1, b1.replace("demo_retry", "demo_retry_busy")).replace(" \tu64 ret;\n", " \tu32 ret;\n")
    msgs = [message("[PATCH 0/3] demo", "c@x", "cover\n"),
            message("[PATCH 1/3] demo: add", "p1@x", patch_body("add", diff("d/a.h", None, a0)), parent="c@x"),
            message("[PATCH 2/3] demo: move demo_retry to b.h", "p2@x",
                    patch_body("move", diff("d/a.h", a0, a1) + diff("d/b.h", None, b1)), parent="c@x"),
            message("[PATCH 3/3] demo: rename demo_retry", "p3@x", patch_body("rename", renamed), parent="c@x")]
    write_mbox(tmp_path / "s.mbox", msgs)
    code, rule, output = moves_gate(tmp_path, tmp_path / "s.mbox", (
        '[codes]\nOK = 0\nBUSY = 0x10\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
        'args = ["fn"]\n[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\n'))
    assert code == 1, output
    assert rule["verdict"] == "inconclusive", rule
    assert rule["note"].startswith("03/3: whether it moves or renames code is not known: "), rule["note"]
    assert "d/b.h @@ -1," in rule["note"] and "hunk does not apply" in rule["note"], rule["note"]


def test_a_rename_that_changes_a_caller_the_hunks_show_in_part_is_no_pass(tmp_path: Path) -> None:
    # 2/2 renames demo_retry() and its caller in d/u.c, known only from the hunk, now passes fn + 1: git am and gcc
    # give another leaf there, which no run shows from mail alone. The moves rule passed on demo_retry()'s runs alone;
    # eval's code-move finding already said 'not compared: d/u.c:N (in no definition the hunks show whole: ...)'.
    code, rule, output, line = _rename_changing_a_caller(tmp_path)
    assert rule["verdict"] == "inconclusive" and code == 1, (rule, output)
    assert f"02/2: d/u.c:{line} (in no definition the hunks show whole: give --tree), which no entry point is known " \
           "to reach" in rule["note"], rule["note"]


def test_the_moves_rule_reads_what_reach_knows_not_its_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The gap above was told by parsing the place's text (comparison.reach_words, its ending): reach's words changed,
    # the place read as code nothing reaches and was dropped, and the rule passed (exit 0). Now the rule reads
    # harness.comparison.Place.reach, whatever the words.
    import harness.reach

    monkeypatch.setattr(harness.reach, "NO_WHOLE", "outside what the mail shows of any definition; give --tree")
    code, rule, output, line = _rename_changing_a_caller(tmp_path)
    assert rule["verdict"] == "inconclusive" and code == 1, (rule, output)
    assert f"02/2: d/u.c:{line} (outside what the mail shows of any definition; give --tree), which no entry point " \
           "is known to reach" in rule["note"], rule["note"]


def _rename_changing_a_caller(tmp_path: Path) -> tuple[int, dict[str, Any], str, int]:
    """The moves gate on 2/2 renaming demo_retry() and its caller in d/u.c (known only from the hunk), which now
    passes fn + 1: the exit status, the rule's JSON row, the output, and the caller's changed line."""
    from tests.mailgen import diff, message, patch_body

    retry = ("static inline u64 demo_retry(u64 fn)\n{\n\tint tries = 3;\n\tu64 ret;\n\n\tdo {\n"
             "\t\tret = __seamcall(fn, NULL);\n\t} while (ret == 0x10 && --tries);\n\n\treturn ret;\n}\n")
    head = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    a0 = "/* a */\n" + head + retry
    a1 = a0.replace("demo_retry(", "demo_retry_busy(")
    user = "".join(f"\tint v{i} = {i};\n" for i in range(8))
    u0 = f'#include "a.h"\n\nint demo_user(u64 fn)\n{{\n{user}\n\treturn demo_retry(fn) ? -5 : v7;\n}}\n'
    u1 = u0.replace("demo_retry(fn)", "demo_retry_busy(fn + 1)")
    msgs = [message("[PATCH 0/2] demo", "c@x", "cover\n"),
            message("[PATCH 1/2] demo: add", "p1@x", patch_body("add", diff("d/a.h", None, a0)), parent="c@x"),
            message("[PATCH 2/2] demo: rename demo_retry", "p2@x",
                    patch_body("rename", diff("d/a.h", a0, a1) + diff("d/u.c", u0, u1)), parent="c@x")]
    write_mbox(tmp_path / "s.mbox", msgs)
    code, rule, output = moves_gate(tmp_path, tmp_path / "s.mbox", (
        '[codes]\nOK = 0\nBUSY = 0x10\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\nname = "demo_retry"\n'
        'args = ["fn"]\n[[script]]\nname = "busy"\nanswers = ["BUSY", "OK"]\n'))
    return code, rule, output, 1 + u1.splitlines().index("\treturn demo_retry_busy(fn + 1) ? -5 : v7;")


def _nesting_move(tmp_path: Path) -> Path:
    """v4 moving the helpers into a new header, splitting sc_retry()'s one loop on two codes into a loop on one around
    a loop on the other (harness.nestedretry) on the way."""
    from tests.harness.seriesgen import NEW_HOME, OLD_HOME, PREAMBLE, TAIL, Step, helpers, revision
    from tests.harness.test_nestedretry import _BOTH, _SPLIT

    moved = helpers(_SPLIT).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    return write_mbox(tmp_path / "s.mbox", revision(4, [Step(
        "x86/virt/tdx: Move SEAMCALL helpers to an internal header",
        ((OLD_HOME, helpers(_BOTH), PREAMBLE + TAIL), (NEW_HOME, None, moved)))], sender="Ann Author <ann@example.org>",
        cover="demo: move"))


def test_a_move_that_nests_a_retry_loop_in_another_is_no_pass(tmp_path: Path) -> None:
    # Every script answers one "no entropy" code: the runs agree, and the moves rule PASSED (gate exit 0), though
    # answers 'TDX no entropy' x 9, the P-SEAMLDR's, then success make 10 SEAMCALLs returning the P-SEAMLDR's code
    # before and 11 returning success after (a matrix script giving them: crosscheck, every outcome agrees with gcc;
    # the rule then fails, 'TDX module SEAMCALLs 10 -> 11').
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus

    (tmp_path / "rules.toml").write_text('[[rule]]\nid = "move-keeps"\nreviewer = "Ann Author"\nsummary = "a move '
                                         'keeps behaviour"\nseverity = "error"\n[rule.check]\nkind = "moves"\n')
    g = evaluate_gate(GateRequest((_nesting_move(tmp_path),), "v4", rules=tmp_path / "rules.toml", jobs=1,
                                  time_budget=0))
    (v,) = g.verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert v.note.startswith("01/1: a retry loop around another in v4:01: sc_retry() ("), v.note


def test_the_code_move_finding_of_a_nesting_move_does_not_say_it_keeps_behaviour(tmp_path: Path) -> None:
    # eval's comparison said the patch changes a retry loop nested in another that no run tells apart, and its
    # code-move finding, beside it, '... without changing behaviour'.
    from harness.findings import FindingKind
    from harness.pipeline import EvalRequest, evaluate

    ev = evaluate(EvalRequest((_nesting_move(tmp_path),), jobs=1, time_budget=0, cache=None))
    (found,) = [f for f in ev.comparison.findings if f.kind.value.startswith("code-move")]
    assert found.kind is FindingKind.CODE_MOVE_NOT_COMPARED, found.text
    assert "without changing behaviour" not in found.text and "a retry loop around another in v4:01" in found.text, \
        found.text


def _masked_move(tmp_path: Path, test: str) -> Path:
    """v4: the helpers moved into a new header, sc_retry_prerr()'s "UD" test written ``test`` there."""
    from tests.harness.seriesgen import NEW_HOME, OLD_HOME, PREAMBLE, RETRY_SAFE, TAIL, Step, helpers, revision

    ud = "\tif (err == TDX_SEAMCALL_UD)\n\t\treturn -EACCES;\n\tseamcall_err(fn, err, args);"
    old = helpers(RETRY_SAFE).replace("\tseamcall_err(fn, err, args);", ud)
    new = old.replace("if (err == TDX_SEAMCALL_UD)", test).replace("SH_TEST_TDX_H", "SH_TEST_INTERNAL_H")
    step = Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
                ((OLD_HOME, old, PREAMBLE + TAIL), (NEW_HOME, None, new)))
    msgs = revision(4, [step], sender="Ann Author <ann@example.org>", cover="demo: move")
    return write_mbox(tmp_path / "s.mbox", msgs)


def test_a_move_that_changes_a_test_no_run_tells_apart_is_no_pass(tmp_path: Path) -> None:
    # 'err == TDX_SEAMCALL_UD' moved as '(err | 0x10) == (TDX_SEAMCALL_UD | 0x10)' (UD ^ 0x10 taken too: -EACCES
    # for -EIO) PASSED the moves rule (gate READY, exit 0) and eval's finding said '... without changing behaviour',
    # while eval's comparison said 'the patch changes a condition that none of them tells apart': the moves check
    # ignored the conditions no run told apart, and GENMASK_ULL()'s input check left UD unknown to the values next to
    # it (models.condeval), so UD ^ 0x10 never ran. Now that value runs and fails it; a condition still no run tells
    # apart (RCX read after the call, which no script sets to 0x10) is listed first, as the equivalence rule lists it.
    # The same test moved as it was still passes.
    from harness.findings import FindingKind
    from harness.gate import GateRequest, evaluate_gate
    from harness.pipeline import EvalRequest, evaluate
    from harness.verdict import VerdictStatus

    (tmp_path / "rules.toml").write_text('[[rule]]\nid = "move-keeps"\nreviewer = "Ann Author"\nsummary = "a move '
                                         'keeps behaviour"\nseverity = "error"\n[rule.check]\nkind = "moves"\n')

    def judged(test: str) -> tuple[VerdictStatus, str]:
        mbox = _masked_move(tmp_path, test)
        (v,) = evaluate_gate(GateRequest((mbox,), "v4", rules=tmp_path / "rules.toml", jobs=1, time_budget=0)).verdicts
        return v.status, v.note + "".join(f"; {e}" for e in v.evidence)

    status, note = judged("if (err == TDX_SEAMCALL_UD || args->rcx == 0x10)")
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert note.startswith("01/1: a changed condition no run tells apart: a condition of sc_retry_prerr() changed, "
                           "'if (err == TDX_SEAMCALL_UD)'"), note
    ev = evaluate(EvalRequest((_masked_move(tmp_path, "if (err == TDX_SEAMCALL_UD || args->rcx == 0x10)"),), jobs=1,
                              time_budget=0, cache=None))
    (found,) = [f for f in ev.comparison.findings if f.kind.value.startswith("code-move")]
    assert found.kind is FindingKind.CODE_MOVE_NOT_COMPARED and "without changing behaviour" not in found.text, \
        found.text
    status, note = judged("if ((err | 0x10) == (TDX_SEAMCALL_UD | 0x10))")
    assert status is VerdictStatus.FAIL and "answering 0x8000ff0000000016" in note, note
    assert judged("if (err == TDX_SEAMCALL_UD)")[0] is VerdictStatus.PASS


def test_a_move_and_rename_with_a_caller_left_on_the_old_name_is_no_pass(tmp_path: Path) -> None:
    # sc_retry() moved into a new header as seamcall_retry(), the seamcall*() macros switched, sc_retry_prerr() left
    # calling sc_retry(): gcc stops (implicit declaration), eval says the build error, and the rename is not followed
    # (a caller left). Taken for no move at all, the rule was n/a: 'no patch of this variant moves code', gate READY.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus
    from tests.harness import seriesgen as g
    from tests.harness.renamegen import CREATE

    old = g.helpers(g.RETRY_SAFE)
    loop = g.RETRY_SAFE[g.RETRY_SAFE.index("static __always_inline u64 sc_retry("):]
    left = old.replace(loop, '#include "seamcall_retry.h"\n')
    left = left.replace("\tsc_retry(__seamcall", "\tseamcall_retry(__seamcall")
    assert left.count("seamcall_retry(") == 2 and "= sc_retry(op, fn, args);" in left
    header = "#ifndef SH_RETRY_H\n#define SH_RETRY_H\n\n" + loop.replace("sc_retry(", "seamcall_retry(") + "\n#endif\n"
    msgs = g.revision(4, [g.Step(CREATE, ((g.NEW_HOME, None, old),)),
                          g.Step("x86/virt/tdx: Move sc_retry() to seamcall_retry.h as seamcall_retry()",
                                 ((g.NEW_HOME, old, left), (g.NEW_HOME.replace("internal", "retry"), None, header)))],
                      sender="Ann Author <ann@example.org>", cover="demo: move")
    (tmp_path / "rules.toml").write_text('[[rule]]\nid = "move-keeps"\nreviewer = "Ann Author"\nsummary = "a move '
                                         'keeps behaviour"\nseverity = "error"\n[rule.check]\nkind = "moves"\n')
    (v,) = evaluate_gate(GateRequest((write_mbox(tmp_path / "s.mbox", msgs),), "v4", rules=tmp_path / "rules.toml",
                                     jobs=1, time_budget=0)).verdicts
    assert v.status is VerdictStatus.INCONCLUSIVE, v.note
    assert v.note.startswith("02/2: sc_retry() may have become seamcall_retry() ("), v.note
    assert "not followed (sc_retry_prerr() still calls sc_retry()" in v.note, v.note


def test_a_move_rewriting_a_test_apart_only_at_values_no_one_chose_fails(tmp_path: Path) -> None:
    # 'err == TDX_SEAMCALL_UD' moved as '(err + 7) % 1000003 == (TDX_SEAMCALL_UD + 7) % 1000003': the values tried
    # (UD, its neighbours, every bit alone, the matrix's codes) all agreed, so models.neighbours called the two the
    # same and the moves rule PASSED (gate READY, exit 0). The solver (models.exactcond) finds an answer they differ
    # at; it runs as a value run, and the run shows what the move changes: -EACCES where it returned -EIO.
    from harness.gate import GateRequest, evaluate_gate
    from harness.verdict import VerdictStatus

    (tmp_path / "rules.toml").write_text('[[rule]]\nid = "move-keeps"\nreviewer = "Ann Author"\nsummary = "a move '
                                         'keeps behaviour"\nseverity = "error"\n[rule.check]\nkind = "moves"\n')
    # The same where the rewrite reads the leaf too (P-SEAMLDR leaves take the '%' form): the solver's answer for
    # those leaves (models.decided) runs; it was said undecided, and before that the same (PASS).
    for test in ("if ((err + 7) % 1000003 == (TDX_SEAMCALL_UD + 7) % 1000003)",
                 "if (((fn & BIT_ULL(63)) ? (err ^ TDX_SEAMCALL_UD) % 65537 : err ^ TDX_SEAMCALL_UD) == 0)"):
        mbox = _masked_move(tmp_path, test)
        (v,) = evaluate_gate(GateRequest((mbox,), "v4", rules=tmp_path / "rules.toml", jobs=1, time_budget=0)).verdicts
        assert v.status is VerdictStatus.FAIL, (test, v.note)
        assert any("neighbour-0x" in str(e.scenario) and "-EIO -> -EACCES" in e.actual for e in v.evidence), \
            (test, v.evidence)
