"""A print of the leaf whose format a variable holds, which code no run executes may set, is no pass; gcc the oracle."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.seriesgen import OLD_MACRO, PREAMBLE, PRINTERS, RETRY_SAFE, TAIL, preparing_series
from tests.mailgen import write_mbox

RULES = ("leaf-base-consistent", "leaf-in-hex-for-both")
# The P-SEAMLDR's failures printed by a printer of their own, its format in a pointer: hex, until a hook nothing in the
# series calls points it at a decimal one.
FORMAT = """\
static const char *{const}seamldr_fmt = "SEAMLDR (%#llx) failed: %#016llx\\n";
{setter}
static inline void seamldr_err(u64 fn, u64 err)
{{
\tpr_err(seamldr_fmt,
\t       fn, err);
}}
"""
SETTER = """
static inline void seamldr_fmt_decimal(void)
{
	seamldr_fmt = "SEAMLDR (%llu) failed: %#016llx\\n";
}
"""
LDR = """
static __always_inline int sc_retry_prerr_ldr(sc_func_t op, u64 fn, struct tdx_module_args *args)
{
	u64 err = sc_retry(op, fn, args);

	if (err == TDX_SUCCESS)
		return 0;
	seamldr_err(fn, err);
	return -EIO;
}
"""
_ORACLE = """\
#include <stdio.h>
typedef unsigned long long u64;
#define pr_err printf
%s
int main(void)
{
	seamldr_err(0x8000000000000000ULL, 0x8000020300000000ULL);
	seamldr_fmt_decimal();
	seamldr_err(0x8000000000000000ULL, 0x8000020300000000ULL);
	return 0;
}
"""


def _header(printer: str) -> str:
    """The helper header: the TDX module's leaf in hex, the P-SEAMLDR's through ``printer`` (seamldr_err())."""
    hexed = PRINTERS.replace("SEAMCALL (%llu) failed", "SEAMCALL (%#llx) failed").replace(
        OLD_MACRO, "#define seamldr_prerr(_fn, _args)\tsc_retry_prerr_ldr(__seamcall, (_fn), (_args))\n")
    at = hexed.index("#define seamcall(")
    return PREAMBLE + RETRY_SAFE + "\n" + hexed[:at] + printer + LDR + "\n" + hexed[at:] + TAIL


def _judge(tmp_path: Path, printer: str) -> dict[str, tuple[VerdictStatus, str]]:
    mbox = write_mbox(tmp_path / "v2.mbox", preparing_series(_header(printer)))
    gate = evaluate_gate(GateRequest((mbox,), "v2", jobs=1, cache=None))
    return {v.rule.id: (v.status, v.note) for v in gate.verdicts if v.rule.id in RULES}


# The format handed on: through a local of the printer, or a function of the files returning it.
_THROUGH = {
    "named": FORMAT.format(const="", setter=SETTER),
    "local": FORMAT.format(const="", setter=SETTER).replace(
        "\tpr_err(seamldr_fmt,\n", "\tconst char *fmt = seamldr_fmt;\n\n\tpr_err(fmt,\n"),
    "getter": FORMAT.format(const="", setter=SETTER + "\nstatic inline const char *seamldr_format(void)\n{\n"
                                    "\treturn seamldr_fmt;\n}\n").replace("\tpr_err(seamldr_fmt,\n",
                                                                        "\tpr_err(seamldr_format(),\n"),
}


@pytest.mark.parametrize("form", sorted(_THROUGH))
def test_a_leaf_format_an_unrun_hook_may_change_is_not_a_pass(tmp_path: Path, form: str) -> None:
    # gcc: the leaf in hex, then in decimal once the hook ran, beside the TDX module's hex. It was PASS: the runs
    # printed with the format the pointer starts with.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    printer = _THROUGH[form]
    src, exe = tmp_path / "fmt.c", tmp_path / "fmt"
    src.write_text(_ORACLE % printer.replace("static inline", "static"))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-security", "-o", str(exe), str(src)], check=True)
    printed = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()
    assert printed == ["SEAMLDR (0x8000000000000000) failed: 0x8000020300000000",
                       "SEAMLDR (9223372036854775808) failed: 0x8000020300000000"], printed
    for rule, (status, note) in _judge(tmp_path, printer).items():
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert "a line printing the leaf in seamldr_err() at arch/x86/virt/vmx/tdx/seamcall_internal.h:" in note \
            and " reads seamldr_fmt, a variable code no run executes may set: seamldr_fmt_decimal() (" in note, note


def test_a_leaf_format_nothing_can_change_keeps_its_pass(tmp_path: Path) -> None:
    # A const pointer (C11 6.7.3p6: no store may change it): the format the runs printed with is the only one.
    verdicts = _judge(tmp_path, FORMAT.format(const="const ", setter=""))
    assert {rule: status for rule, (status, _) in verdicts.items()} == dict.fromkeys(RULES, VerdictStatus.PASS), \
        verdicts


def test_a_warn_format_an_unrun_hook_may_change_below_a_line_directive_is_not_a_pass(tmp_path: Path) -> None:
    # A WARN()'s site is named by gcc's line (what its warning says): below '#line 900' the file has no line 900, the
    # line read for the variables it prints was none, and both rules were PASS. gcc: hex, then decimal.
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    printer = FORMAT.format(const="", setter=SETTER).replace("\tpr_err(seamldr_fmt,\n",
                                                             "#line 900\n\tWARN(1, seamldr_fmt,\n")
    src, exe = tmp_path / "warn.c", tmp_path / "warn"
    src.write_text(_ORACLE.replace("#define pr_err printf\n", "#define WARN(c, ...) ((c) && printf(__VA_ARGS__))\n")
                   % printer.replace("static inline", "static"))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-security", "-Wno-unused-value", "-o", str(exe), str(src)],
                   check=True)
    printed = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()
    assert printed == ["SEAMLDR (0x8000000000000000) failed: 0x8000020300000000",
                       "SEAMLDR (9223372036854775808) failed: 0x8000020300000000"], printed
    at = _header(printer).splitlines().index("\tWARN(1, seamldr_fmt,") + 1  # the line the file holds it on
    for rule, (status, note) in _judge(tmp_path, printer).items():
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert f"a line printing the leaf in seamldr_err() at arch/x86/virt/vmx/tdx/seamcall_internal.h:{at} reads " \
            "seamldr_fmt, a variable code no run executes may set: seamldr_fmt_decimal() (" in note, note


_PIECES = ["fn", "fnx", "x", "fn(", " ", "\t", "\n", "(", ")", "[", "]", "[i]", "=", "==", "|=", "+", ";", "{", "}",
           ",", "é", "$", "."]
_STORE = r"\s*(?:\[[^\]\n]*\]\s*)?[-+*/%&|^]?=(?!=)[^;]*"


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join), st.sampled_from(["fn", "x", "é", "a$", "f.", ""]))
def test_stores_and_uncalled_statements_are_the_name_s_patterns(text: str, name: str) -> None:
    # No pattern per name (models.wordfind): the same texts as finditer of the pattern spelling it, the uncalled
    # statement from the last ';', '{' or '}' before the name or where the match before ended.
    import re

    from harness.printvars import _stores, _uncalled

    stores = [m.group() for m in re.finditer(rf"\b{re.escape(name)}" + _STORE, text)]
    assert list(_stores(name, text)) == stores
    uncalled = [m.group() for m in re.finditer(rf"[^;{{}}]*\b{name}\b(?!\s*\()[^;]*", text)]  # unescaped, as written
    assert _uncalled(text, name) == uncalled


def test_an_uncalled_name_s_statement_starts_past_the_last_brace_or_semicolon() -> None:
    from harness.printvars import _uncalled

    assert _uncalled("{ a = fn; b = fn(1); ops.p = fn, q = fn; }", "fn") == [" a = fn", " ops.p = fn, q = fn", ]
