"""A 'no behaviour change' over code only another kernel configuration builds says the configuration it holds for."""

from __future__ import annotations

from pathlib import Path

from harness.configwords import WHY, config_assumed, config_headline
from harness.pipeline import EvalRequest, evaluate
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
