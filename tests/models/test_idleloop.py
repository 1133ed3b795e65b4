"""A retry loop that goes round again for no answer (models.idleloop), against gcc.

A retry loop that goes round again for no answer (models.idleloop), checked against gcc: the loop built and run
with a SEAMCALL stub answering each code the test tells apart, and the answers next to them, makes one call for
every one of them; a loop that may go round is never said to retry nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.source import code_facts

GCC = shutil.which("gcc") or shutil.which("cc")
A, B = 0x8000020300000000, 0x8000000000030001
HEAD = f"#define NO_ENTROPY {A:#x}ULL\n#define LDR_NO_ENTROPY {B:#x}ULL\n\n"
STUB = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n"
NONE = "\tcase NO_ENTROPY:\n\t\tfallthrough;\n\tdefault:\n\t\treturn false;\n"  # every path returns false
ONE = "\tcase NO_ENTROPY:\n\t\treturn true;\n\tdefault:\n\t\treturn false;\n"


def _helper(labels: str) -> str:
    return f"static bool again(u64 err)\n{{\n\tswitch (err) {{\n{labels}\t}}\n\treturn false;\n}}\n\n"


DO = "\tdo {{\n\t\terr = __seamcall(fn, args);\n\t}} while ({test});\n"
BREAK = "\tfor (;;) {{\n\t\terr = __seamcall(fn, args);\n\t\tif ({test})\n\t\t\tbreak;\n\t}}\n"


def _loop(shape: str, test: str, body: str = "") -> str:
    return "static u64 retry(u64 fn, struct tdx_module_args *args)\n{\n\tint left = 3;\n\tu64 err;\n\n" \
        + shape.format(test=test).replace("\t\terr = __seamcall(fn, args);\n",
                                          "\t\terr = __seamcall(fn, args);\n" + body) + "\treturn err;\n}\n"


def _idle(text: str) -> str:
    code = HEAD + STUB + text
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("retry"),))
    return facts.retry_roles["retry"].idle


def _gcc_calls(tmp_path: Path, text: str, answers: list[int]) -> list[int]:
    """How many SEAMCALLs retry() makes when each one answers ``answer``, as gcc builds and runs it."""
    assert GCC is not None
    src, exe = tmp_path / "t.c", tmp_path / "t"
    runs = "".join(f"\tanswer = {a:#x}ULL; calls = 0; retry(1, 0); printf(\"%d\\n\", calls);\n" for a in answers)
    src.write_text("#include <stdio.h>\n#include <stdbool.h>\ntypedef unsigned long long u64;\n"
                   "struct tdx_module_args;\n#define fallthrough __attribute__((__fallthrough__))\n"
                   "#define unlikely(x) __builtin_expect(!!(x), 0)\n"
                   "static u64 answer; static int calls;\n"
                   "u64 __seamcall(u64 fn, struct tdx_module_args *args) { calls++; return answer; }\n"
                   + HEAD + text + "int main(void)\n{\n" + runs + "\treturn 0;\n}\n")
    subprocess.run([GCC, "-std=gnu11", "-w", "-o", str(exe), str(src)], check=True, env={**os.environ, "LC_ALL": "C"})
    out = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout.split()
    return [int(n) for n in out]


PROBES = sorted({0, 1, *(v + d for v in (A, B) for d in (-1, 0, 1))})


@pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
@pytest.mark.parametrize("text", [
    _helper(NONE) + _loop(DO, "again(err) && --left"),
    _helper(NONE) + _loop(DO, "unlikely(again(err)) && --left"),
    _helper(NONE) + _loop(BREAK, "!again(err) || !--left"),
    _helper(NONE) + _loop(DO, "(again(err) || err == LDR_NO_ENTROPY) && err != LDR_NO_ENTROPY && --left"),
], ids=["do-while", "unlikely", "for-break", "two tests"])
def test_a_loop_retrying_no_answer_is_said_so(tmp_path: Path, text: str) -> None:
    # again() is false on every path: the loop's test cannot keep it going, whatever the answer (gcc: one SEAMCALL
    # for each answer the test tells apart and those next to them).
    assert _gcc_calls(tmp_path, text, PROBES) == [1] * len(PROBES)
    said = _idle(text)
    assert said.startswith("its test '") and said.endswith("is false for every answer (again() is true for none)"), said


@pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
@pytest.mark.parametrize("text", [
    _helper(ONE) + _loop(DO, "again(err) && --left"),  # retries NO_ENTROPY
    _helper(NONE) + _loop(DO, "(again(err) || err == LDR_NO_ENTROPY) && --left"),  # retries the loader's code
    _helper(NONE) + _loop(DO, "again(err) || --left"),  # goes round on its count alone
    # A jump of the body the test does not decide: another way round (a do-while's continue would go to its test).
    _helper(NONE) + _loop(BREAK, "!again(err) || !--left", "\t\tif (err == LDR_NO_ENTROPY && left--)\n"
                          "\t\t\tcontinue;\n"),
], ids=["one code", "another code", "count alone", "continue in the body"])
def test_a_loop_that_may_go_round_is_not(tmp_path: Path, text: str) -> None:
    assert any(n > 1 for n in _gcc_calls(tmp_path, text, PROBES))
    assert _idle(text) == ""


def _held_in(decl: str, text: str) -> str:
    """``text`` with retry()'s answer kept in a local declared ``decl`` instead of ``u64 err;``."""
    assert text.count("\tu64 err;\n") == 1
    return text.replace("\tu64 err;\n", f"\t{decl}\n")


LOW = 0x30001  # LDR_NO_ENTROPY's low 32 bits, what an int keeps of it
NARROW = [
    # an int keeps the low 32 bits of the answer: sign-extended to 64 bits, never NO_ENTROPY, whatever the answer
    _held_in("int err;", _loop(DO, "err == NO_ENTROPY && --left")),
    _held_in("int err;", _loop(BREAK, "err != NO_ENTROPY || !--left")),
    _held_in("unsigned int err;", _loop(DO, "(err == NO_ENTROPY || err == LDR_NO_ENTROPY) && --left")),
    _held_in("short err;", _loop(DO, "err == 0x10000 && --left")),
]


@pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
@pytest.mark.parametrize("text", NARROW, ids=["int, do-while", "int, for-break", "unsigned int, two codes", "short"])
def test_an_answer_kept_in_a_narrower_type_that_no_test_matches_retries_nothing(tmp_path: Path, text: str) -> None:
    # Before: '' (the answer read as if kept whole, NO_ENTROPY went round); gcc: one SEAMCALL for every answer.
    assert _gcc_calls(tmp_path, text, [*PROBES, LOW]) == [1] * (len(PROBES) + 1)
    said = _idle(text)
    assert said.startswith("its test '") and "is false for every answer ('err' keeps it as " in said, said


@pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
@pytest.mark.parametrize("text", [
    _held_in("int err;", _loop(DO, f"err == {LOW:#x} && --left")),  # the loader's code, its low bits kept
    _held_in("int err;", _loop(DO, "err == 0 && --left")),  # NO_ENTROPY's low bits are 0
    _held_in("int err;", _loop(DO, "(err == 0xffffffffffffffffULL && err == 0xffffffffU) && --left")),  # both -1
    _held_in("int err;", _loop(DO, "(err == 5 || err == 0x100000005) && --left")),
    _held_in("signed char err;", _loop(DO, "err == 0xffffffffffffff80ULL && --left")),
], ids=["low bits", "zero", "two constants one value", "other past 32 bits", "signed char -128"])
def test_an_answer_kept_in_a_narrower_type_a_test_matches_may_go_round(tmp_path: Path, text: str) -> None:
    assert any(n > 1 for n in _gcc_calls(tmp_path, text, [*PROBES, LOW, 5, 0xffffffff, 0x80]))
    assert _idle(text) == ""
