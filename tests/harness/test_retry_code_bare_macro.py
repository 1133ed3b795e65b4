"""The no_retry rule when an unrun setter writes alone a name no file defines: a header's object-like macro."""

from __future__ import annotations

from pathlib import Path

from harness.verdict import VerdictStatus
from tests.harness.test_retry_code_set_outside import LOOP, _gcc, _judge


def test_a_retry_code_an_unrun_setter_may_set_through_an_undefined_statement_macro_is_not_a_pass(
        tmp_path: Path) -> None:
    # SC_KNOB_STORE is defined by no file the input has (a kernel build refuses an undeclared identifier), so it is a
    # header's, and its expansion may store to sc_busy_code, as gcc shows with one that does: 1 SEAMCALL, then 2.
    # It was PASS.
    setter = "\nstatic inline void sc_retry_seamldr_busy(void)\n{\n\tSC_KNOB_STORE;\n}\n"
    loop = LOOP.format(const="", setter=setter)
    assert _gcc(tmp_path, "#define SC_KNOB_STORE (sc_busy_code = SEAMLDR_RND_NO_ENTROPY)\n", loop) == ["1", "2"]
    status, note = _judge(tmp_path, loop)
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "writes SC_KNOB_STORE; alone, which no file read defines" in note, note


def test_a_setter_writing_a_known_statement_macro_alone_keeps_the_pass(tmp_path: Path) -> None:
    # fallthrough (the prelude's, include/linux/compiler_attributes.h) stores nothing, nor does anything else the
    # unrun function does: the rule stays decided.
    setter = "\nstatic inline void sc_retry_seamldr_busy(int n)\n{\n\tswitch (n) {\n\tcase 1:\n\t\tn++;\n" \
             "\t\tfallthrough;\n\tdefault:\n\t\tbreak;\n\t}\n}\n"
    status, note = _judge(tmp_path, LOOP.format(const="", setter=setter))
    assert status is VerdictStatus.PASS, note
