"""Code reaching a SEAMCALL that no run reached: said beside a behaviour rule's verdict, never passed over.

harness.unfedseam: a retrying wrapper the matrix cannot feed, reached by no entry point that ran, keeps a rule from
passing, whatever shape its loop has; a loop that calls a SEAMCALL but not again on its answer is no retry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.test_checks import DEMO_CALL, NO_RETRY, WRAPPER_MATRIX, _rule_verdict

# demo_ldr_op() (unsigned int op, const char *why: the matrix cannot feed it) hands __seamcall to demo_keep_trying(),
# a loop retrying whatever call it is given on 'no entropy': sc_retry()'s shape under other names.
UNFED = (DEMO_CALL +
         "typedef u64 (*demo_fn_t)(u64 fn, struct tdx_module_args *args);\n\n"
         "static u64 demo_keep_trying(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tint left = 3;\n"
         "\tu64 ret;\n\n\tdo {\n\t\tret = func(fn, args);\n\t} while (ret == 0x8000000000030001ULL && --left);\n"
         "\treturn ret;\n}\n\n"
         "static inline int demo_ldr_op(unsigned int op, const char *why)\n{\n\tstruct tdx_module_args args = {};\n\n"
         "\treturn demo_keep_trying(__seamcall, 0x8000000000000005ULL + op, &args) ? -5 : 0;\n}\n")


@pytest.mark.parametrize("entry", ['entry = "demo_call", ', ""], ids=["listed", "none"])
def test_a_retrying_wrapper_no_run_reaches_is_said_not_judged(tmp_path: Path, entry: str) -> None:
    # Before: a pass on demo_call() alone, silent on demo_ldr_op() and the loop it reaches.
    rules = NO_RETRY.replace('entry = "*", ', entry)
    got = _rule_verdict(tmp_path / "unfed", UNFED, WRAPPER_MATRIX, rules)
    assert got.status == "inconclusive", got
    assert "demo_ldr_op() (demo/h.h:" in got.note and "through a retry loop (demo_keep_trying())" in got.note, got
    assert "no entry point that ran reaches it, and the matrix cannot feed its parameters" in got.note, got.note


# demo_keep_trying()'s loop written otherwise: a counter counted up in a for loop, a goto back with 'tries++ < 3', a
# while whose counter is stepped in its body, and a loop a macro defines. Each calls what it is handed again on the
# 'no entropy' answer; the line search asked for a '--' in the loop's test, and found none of them.
_KEEP = ("static u64 demo_keep_trying(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tint left = 3;\n"
         "\tu64 ret;\n\n\tdo {\n\t\tret = func(fn, args);\n\t} while (ret == 0x8000000000030001ULL && --left);\n"
         "\treturn ret;\n}\n")
_SHAPES = {
    "for": "static u64 demo_keep_trying(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tu64 ret = 0;\n"
           "\tint i;\n\n\tfor (i = 0; i < 3; i++) {\n\t\tret = func(fn, args);\n"
           "\t\tif (ret != 0x8000000000030001ULL)\n\t\t\tbreak;\n\t}\n\treturn ret;\n}\n",
    "goto": "static u64 demo_keep_trying(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tint tries = 0;\n"
            "\tu64 ret;\n\nagain:\n\tret = func(fn, args);\n"
            "\tif (ret == 0x8000000000030001ULL && tries++ < 3)\n\t\tgoto again;\n\treturn ret;\n}\n",
    "while": "static u64 demo_keep_trying(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tint n = 0;\n"
             "\tu64 ret = func(fn, args);\n\n\twhile (ret == 0x8000000000030001ULL && n < 3) {\n"
             "\t\tret = func(fn, args);\n\t\tn++;\n\t}\n\treturn ret;\n}\n",
    "macro": "#define DEMO_DEFINE_RETRY(name)\t\t\t\t\t\t\\\n"
             "static u64 name(demo_fn_t func, u64 fn, struct tdx_module_args *args)\t\\\n"
             "{\t\t\t\t\t\t\t\t\\\n\tint left = 3;\t\t\t\t\t\t\t\\\n\tu64 ret;\t\t\t\t\t\t\t\\\n"
             "\tdo {\t\t\t\t\t\t\t\t\\\n\t\tret = func(fn, args);\t\t\t\t\t\\\n"
             "\t} while (ret == 0x8000000000030001ULL && --left);\t\t\\\n\treturn ret;\t\t\t\t\t\t\t\\\n}\n\n"
             "DEMO_DEFINE_RETRY(demo_keep_trying)\n",
}


@pytest.mark.parametrize("shape", sorted(_SHAPES))
def test_a_retrying_wrapper_no_run_reaches_is_found_by_what_its_loop_does(tmp_path: Path, shape: str) -> None:
    # Before: PASS on demo_call() alone: the loop, in a shape the line search did not know, was no retry loop.
    assert _KEEP in UNFED
    code = UNFED.replace(_KEEP, _SHAPES[shape])
    got = _rule_verdict(tmp_path / shape, code, WRAPPER_MATRIX, NO_RETRY.replace('entry = "*", ', ""))
    assert got.status == "inconclusive", (shape, got)
    assert "demo_ldr_op() (demo/h.h:" in got.note and "through a retry loop (demo_keep_trying())" in got.note, got


def test_a_loop_that_calls_a_seamcall_but_not_again_on_its_answer_is_no_retry(tmp_path: Path) -> None:
    # A loop over leaves, one call each whatever it answers: no call is made again on an answer.
    each = ("static u64 demo_keep_trying(demo_fn_t func, u64 fn, struct tdx_module_args *args)\n{\n\tu64 ret = 0;\n"
            "\tint i;\n\n\tfor (i = 0; i < 3; i++)\n\t\tret |= func(fn + i, args);\n\treturn ret;\n}\n")
    got = _rule_verdict(tmp_path / "each", UNFED.replace(_KEEP, each), WRAPPER_MATRIX,
                        NO_RETRY.replace('entry = "*", ', ""))
    assert got.status == "pass", got
