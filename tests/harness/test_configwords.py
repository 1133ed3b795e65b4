"""A 'no behaviour change' over code only another kernel configuration builds says the configuration it holds for."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.configwords import WHY, config_assumed, config_headline
from harness.pipeline import EvalRequest, evaluate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import PREAMBLE, PRINTERS, TAIL, preparing_series
from tests.harness.test_configonly import HEAD, MARK_DIRTY, RETRIED, SAFE_BODY
from tests.mailgen import write_mbox

SAID = "no behaviour change in the 280 of 490 scenarios that ran on both sides"


def test_the_headline_of_a_patch_changing_an_ifndef_block_names_the_option_taken_as_set(tmp_path: Path) -> None:
    # The 'Prepare' patch puts a retry loop that retries a P-SEAMLDR answer under #ifndef CONFIG_SEAMLDR_STRICT:
    # only a kernel without the option builds it, and the mirror builds every option set.
    retry = MARK_DIRTY + HEAD + "#ifndef CONFIG_SEAMLDR_STRICT\n" + RETRIED + "#else\n" + SAFE_BODY + "#endif\n}\n"
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + retry + "\n" + PRINTERS + TAIL))
    ev = evaluate(EvalRequest((mbox,), cache=None, jobs=1))
    cmp = ev.comparison.per_patch[1]
    # Before: '..., but some of the code the patch changes never ran': which configuration it held for was unsaid.
    assert cmp.verdict() == f"{SAID} with CONFIG_SEAMLDR_STRICT set, as the mirror builds every CONFIG_ option, " \
        "but the patch changes code only another kernel configuration builds, which never ran", cmp.verdict()
    assert any("under #ifndef CONFIG_SEAMLDR_STRICT" in n for n in cmp.not_run), cmp.not_run


def _place(directive: str) -> str:
    return f"sc_retry() (a.h:18-27) under {directive} (a.h:17) never ran in v2:02: {WHY}"


def test_the_options_are_those_the_directives_name() -> None:
    assert config_assumed((_place("#if !IS_ENABLED(CONFIG_A) && IS_MODULE(CONFIG_B)"), _place("#ifdef CONFIG_A"))) \
        == ("CONFIG_A", "CONFIG_B")
    assert config_assumed((_place("#else"),)) == ()  # an #ifdef's #else names none: every option, as built
    assert config_assumed(("sc_retry() (a.h:20) never ran in v2",)) is None
    assert config_headline(SAID, "the patch", (_place("#else"), "f() (a.c:3) never ran in v2"), 1) == \
        f"{SAID} with every CONFIG_ option set, as the mirror builds them, but some of the code the patch changes " \
        "never ran, and some of it only another kernel configuration builds"


def _eval_and_gate(tmp_path: Path, retry: str) -> tuple[str, tuple[str, ...], VerdictStatus, str]:
    from harness.gate import GateRequest, evaluate_gate
    from tests.harness.test_changed_values import RULES

    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(PREAMBLE + retry + "\n" + PRINTERS + TAIL))
    cmp = evaluate(EvalRequest((mbox,), cache=None, jobs=1)).comparison.per_patch[1]
    (tmp_path / "r.toml").write_text(RULES)
    (v,) = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, rules=tmp_path / "r.toml")).verdicts
    return cmp.verdict(), cmp.not_run, v.status, v.note


def test_an_else_of_an_ifdef_names_the_option_its_ifdef_tests(tmp_path: Path) -> None:
    # The retry loop moved to the #else of '#ifdef CONFIG_SEAMLDR_FAST': what a kernel without the option builds.
    retry = MARK_DIRTY + HEAD + "#ifdef CONFIG_SEAMLDR_FAST\n" + SAFE_BODY + "#else\n" + RETRIED + "#endif\n}\n"
    verdict, not_run, status, note = _eval_and_gate(tmp_path, retry)
    # Before: '... with every CONFIG_ option set, as the mirror builds them', the place 'under #else (...:29)'.
    assert verdict == f"{SAID} with CONFIG_SEAMLDR_FAST set, as the mirror builds every CONFIG_ option, but the " \
        "patch changes code only another kernel configuration builds, which never ran", verdict
    assert any(" under #else (arch/x86/virt/vmx/tdx/seamcall_internal.h:29) of #ifdef CONFIG_SEAMLDR_FAST (arch/x86/"
               "virt/vmx/tdx/seamcall_internal.h:17) never ran in v2:02" in n for n in not_run), not_run
    assert status is VerdictStatus.INCONCLUSIVE and "of #ifdef CONFIG_SEAMLDR_FAST" in note, (status, note)


@pytest.mark.parametrize("directive", ["#ifdef SEAMLDR_RETRY_BOTH\n", "#ifndef SEAMLDR_SAFE_ONLY\n#else\n"])
def test_a_branch_on_a_macro_no_line_defines_names_it_not_the_options(tmp_path: Path, directive: str) -> None:
    # Before: '... with every CONFIG_ option set, as the mirror builds them': no option decides this branch; the
    # mirror left it out because no line it read defines the macro.
    if directive.endswith("#else\n"):
        body = directive.replace("#else\n", SAFE_BODY + "#else\n") + RETRIED
    else:
        body = directive + RETRIED + "#else\n" + SAFE_BODY
    verdict, _, status, note = _eval_and_gate(tmp_path, MARK_DIRTY + HEAD + body + "#endif\n}\n")
    name = directive.split()[1]
    assert verdict == f"{SAID} with {name} undefined, as no line the mirror read defines it, but the patch changes " \
        "code only another kernel configuration builds, which never ran", verdict
    assert status is VerdictStatus.INCONCLUSIVE, (status, note)


def test_options_and_macros_are_named_together() -> None:
    places = (_place("#if IS_ENABLED(CONFIG_A) && defined(FOO) && BAR > 2"),
              _place("#else (a.h:30) of #ifdef CONFIG_B"))
    assert config_assumed(places) == ("CONFIG_A", "CONFIG_B")
    assert config_headline(SAID, "the patch", places, 0) == f"{SAID} with CONFIG_A and CONFIG_B set and FOO and BAR " \
        "undefined where no line the mirror read defines them, as the mirror builds every CONFIG_ option, but the " \
        "patch changes code only another kernel configuration builds, which never ran"
    assert config_headline(SAID, "the patch", (_place("IS_ENABLED(CONFIG_A) taken as 1"),), 0) == f"{SAID} with " \
        "CONFIG_A set, as the mirror builds every CONFIG_ option, but the patch changes code only another kernel " \
        "configuration builds, which never ran"
