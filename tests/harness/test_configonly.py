"""Code only another kernel configuration builds: a rule never passes on what the mirror's configuration left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.configonly import _regions_of
from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.gccdefs import kept_lines
from tests.harness.seriesgen import (
    NEW_HOME,
    OLD_HOME,
    PREAMBLE,
    PRINTERS,
    RETRY_SAFE,
    TAIL,
    WRAPPER,
    WRAPPER_C,
    Step,
    preparing_series,
    revision,
)
from tests.mailgen import write_mbox

HEAD = "static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n"
MARK_DIRTY, SAFE = RETRY_SAFE.split(HEAD)
SAFE_BODY = SAFE.rsplit("}", 1)[0]
# The reviewer's point broken: a P-SEAMLDR "no entropy" answer retried, with unlikely(), by a goto loop.
RETRIED = """\
	int left = RDRAND_RETRY_LOOPS;
	u64 err;

again:
	preempt_disable();
	err = sc_mark_dirty(op, fn, args);
	preempt_enable();
	if (unlikely(err == TDX_RND_NO_ENTROPY || err == 0x8000000000030001ULL) && --left)
		goto again;
	return err;
"""
CODE_RULES = ("no-unlikely-in-sc-retry", "nak-no-kernel-change", "seamldr-no-entropy-not-retried",
              "tdx-module-calls-unchanged")


def _gate(tmp_path: Path, retry: str) -> dict[str, tuple[VerdictStatus, str]]:
    """v2: a helper header, the 'Prepare' patch turning its retry loop into ``retry``, a P-SEAMLDR wrapper."""
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + retry + "\n" + PRINTERS + TAIL))
    g = evaluate_gate(GateRequest((mbox,), "v2", jobs=1))
    return {v.rule.id: (v.status, v.note) for v in g.verdicts}


@pytest.mark.parametrize("shape", ["alternative definition", "digraph", "in the body", "elif"])
def test_a_violation_only_another_configuration_builds_never_passes(tmp_path: Path, shape: str) -> None:
    if shape in ("alternative definition", "digraph"):
        retry = MARK_DIRTY + "#ifndef CONFIG_SEAMLDR_STRICT\n" + HEAD + RETRIED + "}\n#else\n" + HEAD + SAFE \
            + "#endif\n"
        if shape == "digraph":  # '%:' is '#' (C11 6.4.6p3; gcc builds the first branch without the option): was PASS
            retry = retry.replace("#ifndef", "%:ifndef").replace("#else", "%:else").replace("#endif", "%:endif")
    elif shape == "in the body":
        retry = MARK_DIRTY + HEAD + "#if !IS_ENABLED(CONFIG_SEAMLDR_STRICT)\n" + RETRIED + "#else\n" + SAFE_BODY \
            + "#endif\n}\n"
    else:
        retry = MARK_DIRTY + HEAD + "#if defined(CONFIG_SEAMLDR_STRICT)\n" + SAFE_BODY \
            + "#elif IS_MODULE(CONFIG_KVM_INTEL)\n" + RETRIED + "#endif\n}\n"
    verdicts = _gate(tmp_path, retry)
    for rule in CODE_RULES:
        status, note = verdicts[rule]
        # Before: all four passed on the configuration the mirror runs, every CONFIG_ option set.
        assert status is VerdictStatus.INCONCLUSIVE, (rule, status, note)
        assert "only another kernel configuration builds" in note and "CONFIG_" in note, note
        assert "judge that branch by eye" in note, note


def test_the_violation_in_the_built_branch_still_fails(tmp_path: Path) -> None:
    retry = MARK_DIRTY + HEAD + "#ifdef CONFIG_SEAMLDR_STRICT\n" + RETRIED + "#else\n" + SAFE_BODY + "#endif\n}\n"
    verdicts = _gate(tmp_path, retry)
    for rule in ("no-unlikely-in-sc-retry", "seamldr-no-entropy-not-retried", "tdx-module-calls-unchanged"):
        assert verdicts[rule][0] is VerdictStatus.FAIL, (rule, verdicts[rule])


def test_a_branch_no_configuration_builds_is_no_alternative(tmp_path: Path) -> None:
    # '#if 0' and the #else of a test every setting decides alike are built by no .config: nothing unrun.
    retry = MARK_DIRTY + HEAD + "#if 0\n" + RETRIED + "#elif defined(CONFIG_A) || !defined(CONFIG_A)\n" \
        + SAFE_BODY + "#else\n" + RETRIED + "#endif\n}\n"
    verdicts = _gate(tmp_path, retry)
    for rule in CODE_RULES:
        if rule == "no-unlikely-in-sc-retry":
            # Known imprecision, never a pass: harness.callsites reads the function's text with its '#if 0' and
            # dead '#else' branches, so their unlikely() reads as a call v2:01 lacks (76041e8).
            status, note = verdicts[rule]
            assert status is VerdictStatus.INCONCLUSIVE and "is not told apart" in note, (rule, verdicts[rule])
            continue
        assert verdicts[rule][0] is VerdictStatus.PASS, (rule, verdicts[rule])


def test_regions_name_their_directive_and_lines() -> None:
    text = ["#ifdef CONFIG_X", "int a;", "#else", "int b;", "", "int c;", "#endif",
            "#if IS_ENABLED(CONFIG_Y) && 0", "int d;", "#endif", "#ifndef CONFIG_X86_64", "int e;", "#endif"]
    regions = _regions_of("f.h", 10, tuple(text))
    assert [(r.first, r.last, r.why) for r in regions] == [(13, 15, "#else (f.h:12) of #ifdef CONFIG_X (f.h:10)")]
    assert regions[0].lines == ("int b;", "", "int c;")


def test_a_move_that_changes_another_configurations_branch_is_not_shown_to_keep_behaviour(tmp_path: Path) -> None:
    # The helpers move to a new header and, on the way, the CONFIG_SEAMLDR_STRICT=n loop starts retrying.
    def header(unset: str) -> str:
        return PREAMBLE + MARK_DIRTY + HEAD + "#ifndef CONFIG_SEAMLDR_STRICT\n" + unset + "#else\n" + SAFE_BODY \
            + "#endif\n}\n\n" + PRINTERS + TAIL
    mbox = write_mbox(tmp_path / "v4.mbox", revision(4, [
        Step("x86/virt/tdx: Move SEAMCALL helpers to an internal header",
             ((OLD_HOME, header(SAFE_BODY), PREAMBLE + TAIL), (NEW_HOME, None, header(RETRIED)))),
        Step("x86/virt/seamldr: Add a P-SEAMLDR query wrapper", ((WRAPPER, None, WRAPPER_C),)),
    ]))
    found = {v.rule.id: v for v in evaluate_gate(GateRequest((mbox,), "v4", jobs=1)).verdicts}
    move = found["move-preserves-behaviour"]
    assert move.status is VerdictStatus.INCONCLUSIVE, move  # it passed: the built branch moved unchanged
    assert f"under #ifndef CONFIG_SEAMLDR_STRICT ({NEW_HOME}:" in move.note, move.note


def test_a_body_branch_on_a_macro_no_line_defines_never_passes(tmp_path: Path) -> None:
    # cpp takes SEAMLDR_STRICT_RETRY as 0 and the mirror ran the #else; a header not read, the including file or
    # a Makefile's -D may define it, and that build retries P-SEAMLDR "no entropy" (all four rules passed).
    retry = MARK_DIRTY + HEAD + "#if SEAMLDR_STRICT_RETRY\n" + RETRIED + "#else\n" + SAFE_BODY + "#endif\n}\n"
    verdicts = _gate(tmp_path, retry)
    for rule in CODE_RULES:
        status, note = verdicts[rule]
        assert status is VerdictStatus.INCONCLUSIVE, (rule, status, note)
        assert "under #if SEAMLDR_STRICT_RETRY" in note and "a Makefile's -D" in note, note


def test_a_definition_under_an_undecided_if_at_file_scope_is_run_not_skipped(tmp_path: Path) -> None:
    # The slicer keeps a lone definition under '#if LINUX_VERSION_CODE ...' and the mirror runs it: judged, failed.
    retry = MARK_DIRTY + "#if LINUX_VERSION_CODE > 0x60000\n" + HEAD + RETRIED + "}\n#endif\n"
    verdicts = _gate(tmp_path, retry)
    for rule in ("no-unlikely-in-sc-retry", "seamldr-no-entropy-not-retried", "tdx-module-calls-unchanged"):
        assert verdicts[rule][0] is VerdictStatus.FAIL, (rule, verdicts[rule])


def test_a_stub_for_a_feature_compiled_out_is_no_alternative(tmp_path: Path) -> None:
    # The usual '#else' of a feature: a body that calls nothing cannot retry, print or mark anything.
    stub = "static __always_inline u64 sc_retry(sc_func_t op, u64 fn, struct tdx_module_args *args)\n{\n" \
           "\treturn TDX_SW_ERROR;\n}\n"
    retry = MARK_DIRTY + "#ifdef CONFIG_INTEL_TDX_HOST\n" + HEAD + SAFE + "#else\n" + stub + "#endif\n"
    verdicts = _gate(tmp_path, retry)
    for rule in CODE_RULES:
        assert verdicts[rule][0] is VerdictStatus.PASS, (rule, verdicts[rule])


def test_a_macro_only_another_configuration_defines_is_code_of_that_configuration(tmp_path: Path) -> None:
    # 'Prepare' makes the retry count a macro: 10 with CONFIG_SEAMLDR_FAST set (what the mirror builds), 3 without.
    # A #define is a directive, so the #else line was never marked: the TDX rules passed on the built branch alone,
    # though a kernel without the option retries 3 times (a v4 probe).
    counted = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = SEAMCALL_RETRIES;")
    macro = "#ifdef CONFIG_SEAMLDR_FAST\n#define SEAMCALL_RETRIES\t10\n#else\n#define SEAMCALL_RETRIES\t3\n#endif\n\n"
    found = _gate(tmp_path, macro + counted)
    status, note = found["tdx-module-calls-unchanged"]
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    assert "another definition of SEAMCALL_RETRIES" in note and "under #else" in note, note
    assert [(r.first, r.last) for r in _regions_of("x.h", 1, tuple(macro.splitlines()))] == [(4, 4)]


@pytest.mark.parametrize("shape", ["if", "ternary", "macro"])
def test_a_c_level_config_test_is_one_configuration_too(tmp_path: Path, shape: str) -> None:
    # IS_ENABLED(CONFIG_X) in C is built in every configuration, but the mirror takes it as 1: the arm a kernel
    # without the option runs never ran. All four rules passed on the taken arm (a v4 probe: the retry count
    # 'IS_ENABLED(CONFIG_X) ? 10 : 16').
    if shape == "if":
        retry = MARK_DIRTY + HEAD + "\tif (IS_ENABLED(CONFIG_SEAMLDR_STRICT)) {\n" + SAFE_BODY + "\t}\n" \
            + RETRIED + "}\n"
    elif shape == "ternary":
        retry = RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;",
                                   "int left = IS_ENABLED(CONFIG_SEAMLDR_STRICT) ? RDRAND_RETRY_LOOPS : 16;")
    else:
        retry = "#define SEAMCALL_RETRIES\t(IS_MODULE(CONFIG_KVM_INTEL) ? 16 : RDRAND_RETRY_LOOPS)\n\n" \
            + RETRY_SAFE.replace("int left = RDRAND_RETRY_LOOPS;", "int left = SEAMCALL_RETRIES;")
    assert retry != RETRY_SAFE
    verdicts = _gate(tmp_path, retry)
    status, note = verdicts["tdx-module-calls-unchanged"]
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)
    # The if's other arm is a line that never ran (harness.linecover); a ternary or a macro has none.
    assert shape == "if" or ("(CONFIG_" in note and "taken as" in note), note
    # A function is named with its (), an object-like macro or a variable without.
    assert shape != "macro" or ("SEAMCALL_RETRIES (" in note and "SEAMCALL_RETRIES()" not in note), note


def test_a_c_level_config_test_outside_the_judged_code_changes_nothing(tmp_path: Path) -> None:
    # Only the code a rule's entry points reach counts: a printer nobody calls may test any option.
    unused = "static inline bool sc_strict(void)\n{\n\treturn IS_ENABLED(CONFIG_SEAMLDR_STRICT);\n}\n\n"
    verdicts = _gate(tmp_path, unused + RETRY_SAFE)
    for rule in CODE_RULES:
        assert verdicts[rule][0] is VerdictStatus.PASS, (rule, verdicts[rule])
    text = ["int f(void)", "{", "\treturn IS_ENABLED(CONFIG_X) + IS_ENABLED(CONFIG_X86_64);", "}",
            "#if IS_ENABLED(CONFIG_Y)", "int d;", "#endif"]
    assert [(r.first, r.last, r.why) for r in _regions_of("f.c", 1, tuple(text))] == [
        (3, 3, "IS_ENABLED(CONFIG_X) taken as 1 (f.c:3)")]


@pytest.mark.parametrize("option", ["CONFIG_TDX_LDR", None])
def test_a_pass_on_code_a_guarded_makefile_line_builds_names_the_option(tmp_path: Path, option: str | None) -> None:
    # ldr_ops.c is built by obj-$(CONFIG_TDX_LDR) += ldr_ops.o: the harness takes the option as set (it reads no
    # .config), and a pass on ldr_query(), defined there, rests on that. It passed saying nothing of it.
    import shutil
    import subprocess

    from tests.harness.linkgen import OPS, guarded_loader
    from tests.harness.seriesgen import MAKEFILE

    mbox = write_mbox(tmp_path / "v5.mbox", guarded_loader(option))
    if option and shutil.which("make") is not None:  # the oracle: obj-$(CONFIG_X) is obj-y only with it set
        (tmp_path / "Makefile").write_text(f"obj-y :=\nobj-$({option}) += ldr_ops.o\nall:\n\t@echo $(obj-y)\n")
        said = [subprocess.run(["make", "-s", "-f", str(tmp_path / "Makefile"), *flags], capture_output=True,
                               text=True, timeout=30).stdout.strip() for flags in ([f"{option}=y"], [])]
        assert said == ["ldr_ops.o", ""], said
    (tmp_path / "r.toml").write_text(
        '[[rule]]\nid = "query-runs"\nreviewer = "R"\nsummary = "s"\nseverity = "error"\n[rule.check]\n'
        'kind = "behaviour"\nscenarios = { entry = "ldr_query" }\nexpect = { status = "ok" }\n')
    g = evaluate_gate(GateRequest((mbox,), "v5", jobs=1, rules=tmp_path / "r.toml"))
    [verdict] = g.verdicts
    assert verdict.status is VerdictStatus.PASS, verdict.note
    said_option = f"{OPS}: {MAKEFILE}:3 names ldr_ops.o ({option} taken as set); the CONFIG_ option guarding a " \
        "Makefile line is taken as set"
    assert (said_option in verdict.note) is bool(option), verdict.note
    assert option or "taken as set" not in verdict.note, verdict.note


# '#if\' then 'ndef CONFIG_X', '#ifdef /* x' then ' */ CONFIG_X', and an '#ifdef' in a comment opened after code.
SPELLED = ("#if\\\nndef CONFIG_X\nint l1;\n#endif\n#ifdef /* x\n */ CONFIG_X\nint l2;\n#else\nint l3;\n#endif\n"
           "int l4; /* c\n#ifdef CONFIG_X\n*/\nint l5;\n")


def test_the_lines_only_another_configuration_builds_are_those_gcc_builds(tmp_path: Path) -> None:
    # Before: '#if\' then 'ndef CONFIG_X' was read '#if ndef CONFIG_X' and '#ifdef /* x' as an #ifdef of nothing,
    # neither decided: lines 3 and 9 were not said to be another configuration's.
    got = {n for r in _regions_of("u.c", 1, tuple(SPELLED.split("\n"))) for n in range(r.first, r.last + 1)}
    assert got == {3, 9}
    assert got == kept_lines(tmp_path, SPELLED) - kept_lines(tmp_path, SPELLED, "-DCONFIG_X")
