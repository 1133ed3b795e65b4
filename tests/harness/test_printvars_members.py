"""A leaf's format reached through an ops table (a member, a parameter, a printer pointer) an unrun hook may change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_printvars import _ORACLE, RULES, _judge

_HEX = '"SEAMLDR (%#llx) failed: %#016llx\\n"'
_DEC = '"SEAMLDR (%llu) failed: %#016llx\\n"'
_OPS = "struct seamldr_ops { const char *fmt; };\nstatic struct seamldr_ops seamldr_ops = { .fmt = " + _HEX + " };\n"
_HOOK = "\nstatic inline void seamldr_fmt_decimal(void)\n{{\n\t{store} = " + _DEC + ";\n}}\n"
_PRINTS = "\nstatic inline void seamldr_err(u64 fn, u64 err)\n{{\n\t{call};\n}}\n"
# Each prints the P-SEAMLDR's leaf in hex until seamldr_fmt_decimal(), which nothing in the series calls, runs.
FORMS = {
    # 'ops->fmt': the pointer is never stored to, the table it points at is.
    "member through a pointer": _OPS + "static struct seamldr_ops *ops = &seamldr_ops;\n" +
    _HOOK.format(store="ops->fmt") + _PRINTS.format(call="pr_err(ops->fmt, fn, err)"),
    # The printer is handed the table by its caller.
    "member of a parameter": _OPS + _HOOK.format(store="seamldr_ops.fmt") +
    "\nstatic inline void seamldr_print(const struct seamldr_ops *o, u64 fn, u64 err)\n{\n"
    "\tpr_err(o->fmt, fn, err);\n}\n" + _PRINTS.format(call="seamldr_print(&seamldr_ops, fn, err)"),
    # A table of printers: the one called is the one the hook points at.
    "printer pointer": "static void seamldr_hex(u64 fn, u64 err)\n{\n\tpr_err(" + _HEX + ", fn, err);\n}\n\n"
    "static void seamldr_dec(u64 fn, u64 err)\n{\n\tpr_err(" + _DEC + ", fn, err);\n}\n\n"
    "struct seamldr_ops { void (*print)(u64 fn, u64 err); };\n"
    "static struct seamldr_ops seamldr_ops = { .print = seamldr_hex };\n"
    "\nstatic inline void seamldr_fmt_decimal(void)\n{\n\tseamldr_ops.print = seamldr_dec;\n}\n" +
    _PRINTS.format(call="seamldr_ops.print(fn, err)"),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_leaf_format_an_ops_table_holds_that_an_unrun_hook_may_change_is_not_a_pass(tmp_path: Path,
                                                                                      form: str) -> None:
    # gcc: the leaf in hex, then in decimal once the hook ran. Each was PASS: the print's line names no variable the
    # hook stores to (a pointer to it, a parameter, another function).
    if shutil.which("gcc") is None:
        pytest.skip("gcc (the C oracle) is not installed")
    src, exe = tmp_path / "fmt.c", tmp_path / "fmt"
    src.write_text(_ORACLE % FORMS[form].replace("static inline", "static"))
    subprocess.run(["gcc", "-O1", "-Wall", "-Wno-format-security", "-o", str(exe), str(src)], check=True)
    printed = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()
    assert printed == ["SEAMLDR (0x8000000000000000) failed: 0x8000020300000000",
                       "SEAMLDR (9223372036854775808) failed: 0x8000020300000000"], printed
    verdicts = _judge(tmp_path, FORMS[form])
    assert set(verdicts) == set(RULES), verdicts
    for rule, (status, note) in verdicts.items():
        assert status is VerdictStatus.INCONCLUSIVE, (rule, note)
        assert " reads seamldr_ops, a variable code no run executes may set: " in note, note


def test_a_const_ops_table_keeps_its_pass(tmp_path: Path) -> None:
    # No hook, the table const (C11 6.7.3p6): the format the runs printed with is the only one.
    printer = "struct seamldr_ops { const char *fmt; };\nstatic const struct seamldr_ops seamldr_ops = { .fmt = " + \
        _HEX + " };\nstatic const struct seamldr_ops *const ops = &seamldr_ops;\n" + \
        _PRINTS.format(call="pr_err(ops->fmt, fn, err)")
    verdicts = _judge(tmp_path, printer)
    assert {rule: status for rule, (status, _) in verdicts.items()} == dict.fromkeys(RULES, VerdictStatus.PASS), \
        verdicts
