"""The answers a retry test holds for, read from its C (models.retryset), against gcc.

The answers a retry test holds for, read from its C (models.retryset), checked against gcc: what a helper looking
the answer up in a const table returns, for the table's codes and the answers next to them; what is not read is None."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pycparser import c_ast

from models.cload import Program, load_program
from models.loader import EntryPoint, Source
from models.retryset import Codes, answer_codes

GCC = shutil.which("gcc") or shutil.which("cc")
A, B = 0x8000020300000000, 0x8000000000030001
HEAD = f"#define NO_ENTROPY {A:#x}ULL\n#define LDR_NO_ENTROPY {B:#x}ULL\n\n"


def _table(codes: str, bound: str = "ARRAY_SIZE(codes)", elem: str = "u64", const: str = "const ") -> str:
    return f"static {const}{elem} codes[] = {{ {codes} }};\n\nstatic bool again(u64 err)\n{{\n\tint i;\n\n" \
        f"\tfor (i = 0; i < {bound}; i++)\n\t\tif (err == codes[i])\n\t\t\treturn true;\n\treturn false;\n}}\n"


def _structs(rows: str, answer: str = "return codes[i].retry", dim: str = "") -> str:
    return "struct retry_code { u64 code; bool retry; };\n\n" \
        f"static const struct retry_code codes[{dim}] = {{ {rows} }};\n\n" \
        "static bool again(u64 err)\n{\n\tint i;\n\n\tfor (i = 0; i < ARRAY_SIZE(codes); i++)\n" \
        f"\t\tif (codes[i].code == err)\n\t\t\t{answer};\n\treturn false;\n}}\n"


def _switch(labels: str, after: str = "") -> str:
    return f"static bool again(u64 err)\n{{\n\tswitch (err) {{\n{labels}\t}}\n{after}}}\n"


def _program(text: str) -> Program:
    code = HEAD + text + "\nstatic u64 retry(u64 fn, u64 err)\n{\n\treturn again(err);\n}\n"
    return load_program((Source("d/h.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("retry"),))


def _read(text: str) -> Codes | None:
    p = _program(text)
    f = p.functions["retry"]
    ret = f.body.block_items[0]
    assert isinstance(ret, c_ast.Return) and ret.expr is not None
    return answer_codes(p, f, ret.expr, "err")


def _gcc_holds(tmp_path: Path, text: str, answers: list[int]) -> list[bool]:
    """again(answer) for each answer, as gcc builds and runs it."""
    assert GCC is not None
    src, exe = tmp_path / "t.c", tmp_path / "t"
    calls = "".join(f"\tprintf(\"%d\\n\", again({a:#x}ULL));\n" for a in answers)
    src.write_text("#include <stdio.h>\n#include <stdbool.h>\ntypedef unsigned long long u64;\n"
                   "#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))\n"
                   "#define fallthrough __attribute__((__fallthrough__))\n" + HEAD + text +
                   "int main(void)\n{\n" + calls + "\treturn 0;\n}\n")
    subprocess.run([GCC, "-std=gnu11", "-w", "-o", str(exe), str(src)], check=True, env={**os.environ, "LC_ALL": "C"})
    return [line == "1" for line in subprocess.run([str(exe)], capture_output=True, text=True,
                                                   check=True).stdout.split()]


@pytest.mark.skipif(GCC is None, reason="needs a C compiler, the oracle")
@pytest.mark.parametrize(("text", "want"), [
    (_table("NO_ENTROPY"), {A}),
    (_table("NO_ENTROPY, LDR_NO_ENTROPY"), {A, B}),
    (_table("NO_ENTROPY, LDR_NO_ENTROPY", "1"), {A}),  # a bound short of the table: its first codes
    (_table("NO_ENTROPY, 7").replace("codes[]", "codes[4]"), {A, 7, 0}),  # the elements not given are 0
    ("static bool again(u64 err)\n{\n\treturn err == NO_ENTROPY || LDR_NO_ENTROPY == err;\n}\n", {A, B}),
    # A table of structs looked up by a member, answering true or another member of the element found.
    (_structs("{ NO_ENTROPY, true }, { LDR_NO_ENTROPY, false }"), {A}),
    (_structs("{ .retry = true, .code = LDR_NO_ENTROPY }, { NO_ENTROPY, 1 }, { 7 }"), {A, B}),
    (_structs("{ NO_ENTROPY, false }, { NO_ENTROPY, true }"), set()),  # the first of equal codes decides
    (_structs("{ NO_ENTROPY, false }, { 7, false }", "return true"), {A, 7}),
    (_structs("{ NO_ENTROPY, true }", dim="3"), {A}),  # elements not given: code 0, retry false
    # A switch on the answer: labels falling through, a break to the return after it, a default.
    (_switch("\tcase NO_ENTROPY:\n\t\treturn true;\n\tdefault:\n\t\treturn false;\n"), {A}),
    (_switch("\tcase NO_ENTROPY:\n\tcase LDR_NO_ENTROPY:\n\t\treturn true;\n\tdefault:\n\t\treturn false;\n"),
     {A, B}),
    (_switch("\tcase NO_ENTROPY:\n\t\treturn true;\n\tcase 7:\n\t\tbreak;\n", "\treturn false;\n"), {A}),
    (_switch("\tcase NO_ENTROPY:\n\t\tfallthrough;\n\tcase 7:\n\t\treturn true;\n", "\treturn false;\n"), {A, 7}),
    (_switch("\tcase NO_ENTROPY:\n\t\tfallthrough;\n\tdefault:\n\t\treturn false;\n"), set()),
])
def test_the_answers_read_are_those_gcc_holds_true(tmp_path: Path, text: str, want: set[int]) -> None:
    # Before: no reading; a loop testing is_retryable(err) and one testing 'err != NO_ENTROPY' were not compared.
    got = _read(text)
    assert got == Codes(frozenset(want)), got
    probes = sorted({0, 1, *(v + d for v in (A, B, 7) for d in (-1, 0, 1))})
    assert _gcc_holds(tmp_path, text, probes) == [p in want for p in probes]


@pytest.mark.parametrize("text", [
    _table("NO_ENTROPY", "ARRAY_SIZE(codes) + 1"),  # one past its end: not a set, a read outside the table
    _table("NO_ENTROPY", const=""),  # a table the code may change
    _table("0x8000", elem="u16"),  # the answer converted to another type before the comparison
    "static bool again(u64 err)\n{\n\treturn (err & 0xFFFFFFFF00000000ULL) == NO_ENTROPY;\n}\n",  # a mask
    "static int tries;\n\nstatic bool again(u64 err)\n{\n\treturn err == NO_ENTROPY && tries;\n}\n",  # more read
    _switch("\tcase NO_ENTROPY:\n\t\ttries++;\n\t\treturn true;\n\tdefault:\n\t\treturn false;\n").replace(
        "static bool", "static int tries;\nstatic bool"),  # a label doing more than return
    _switch("\tcase NO_ENTROPY:\n\t\treturn true;\n"),  # no return after it: no value C gives for the rest
    _switch("\tcase NO_ENTROPY:\n\t\treturn true;\n\tcase NO_ENTROPY:\n\t\treturn false;\n", "\treturn false;\n"),
    _switch("\tcase NO_ENTROPY:\n\t\treturn tries;\n", "\treturn false;\n").replace(
        "static bool", "static int tries;\nstatic bool"),  # a value no constant gives
    _structs("{ NO_ENTROPY, true }").replace("static const struct", "static struct"),  # the code may change it
    _structs("{ NO_ENTROPY, true }").replace("u64 code", "u32 code"),  # the answer cut to 32 bits
    _structs("{ NO_ENTROPY, true }", "return err > 5"),  # another answer
], ids=["past the end", "not const", "u16", "mask", "a variable", "structs not const", "structs u32 code",
        "structs other answer", "switch doing more", "switch without return after",
        "switch with a label twice", "switch returning a variable"])
def test_what_is_not_read_is_none(text: str) -> None:
    assert _read(text) is None


def test_sets_combine_as_the_tests_do() -> None:
    a, b = Codes(frozenset({1, 2})), Codes(frozenset({2, 3}))
    assert a.union(b) == Codes(frozenset({1, 2, 3})) and a.intersection(b) == Codes(frozenset({2}))
    assert a.negated().union(b) == Codes(frozenset({1}), True)  # not 1 or 2, or 2 or 3: all but 1
    assert a.negated().intersection(b.negated()) == Codes(frozenset({1, 2, 3}), True)


def test_a_loop_s_role_is_read_with_its_own_program_s_table() -> None:
    # sc_retry()'s own text is the same in both programs (one parsed definition, shared): the codes its helper's table
    # holds are each program's. Before: the second read the first's role, 'with 0x8000000000030001ULL ... and
    # 0x8000020300000000ULL', for a table of one code.
    from models.source import code_facts

    loop = "\nstatic u64 retry(u64 fn, struct tdx_module_args *args)\n{\n\tint left = 3;\n\tu64 err;\n\n\tdo {\n" \
        "\t\terr = __seamcall(fn, args);\n\t} while (again(err) && --left);\n\treturn err;\n}\n"
    for codes, want in (("NO_ENTROPY, LDR_NO_ENTROPY", f"{B:#x}ULL (again()'s) and {A:#x}ULL (again()'s) itself"),
                        ("NO_ENTROPY", f"with {A:#x}ULL (again()'s) itself")):
        code = HEAD + "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n" + _table(codes) + loop
        facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("retry"),))
        assert want in facts.retry_roles["retry"].why, facts.retry_roles["retry"]
