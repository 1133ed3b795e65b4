"""A print of the leaf run by runs the rule does not read is said to have run elsewhere.

A print of the leaf that a consistency rule cannot count as shown is said to have run elsewhere when runs the
rule does not read executed it, not "never ran" (which sends the reader after a script no one needs)."""

from __future__ import annotations

from pathlib import Path

from harness.gate import GateRequest, evaluate_gate
from harness.verdict import VerdictStatus
from tests.harness.test_checks import header_and_unit
from tests.harness.variantgen import MATRIX
from tests.mailgen import diff, message, patch_body, write_mbox

# demo_prerr() and demo_retry() (both matrix entry points) share one helper and hand it their own printers; the
# rule reads demo_prerr() alone. Which printer the helper calls is not told apart per caller, so demo_hex()'s line
# is one the rule must see run: it ran, under demo_retry().
CODE = """\
typedef void (*demo_err_t)(u64 fn);

static void demo_dec(u64 fn)
{
\tpr_err("DEMO (%llu) failed\\n", fn);
}

static void demo_hex(u64 fn)
{
\tpr_err("DEMO (%#llx) failed\\n", fn);
}

static int demo_call_prerr(u64 fn, struct tdx_module_args *args, demo_err_t report)
{
\tif (__seamcall(fn, args)) {
\t\treport(fn);
\t\treturn -5;
\t}
\treturn 0;
}

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
\treturn demo_call_prerr(fn, args, demo_dec);
}

static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
\treturn demo_call_prerr(fn, args, demo_hex);
}
"""

RULES = """\
[[rule]]
id = "demo-leaf-decimal"
reviewer = "Rita Reviewer"
summary = "demo_prerr() prints the leaf in decimal"
severity = "error"
[rule.check]
kind = "consistency"
property = "leaf-base"
base = "decimal"
components = { demo = { entries = ["demo_prerr"], leaves = ["ONE"] } }
"""


def test_a_print_only_other_runs_made_is_said_to_have_run_there(tmp_path: Path) -> None:
    # demo_retry(), which the patch adds (a changed entry point no component names: judged under the rule's leaves,
    # harness.consistency._unnamed), runs under another leaf only: its lines are not the rule's to judge.
    matrix = MATRIX.replace("ONE = 1\n", "ONE = 33\n").replace('name = "demo_retry"\n',
                                                                 'name = "demo_retry"\nleaves = ["BIG"]\n')
    (tmp_path / "m.toml").write_text(matrix)  # digits that tell the base
    (tmp_path / "rules.toml").write_text(RULES)
    mbox = write_mbox(tmp_path / "d.mbox", [message("[PATCH] demo: add helpers", "d1@x",
                                                    patch_body("Add.", diff("demo/h.h", None, CODE)))])
    g = evaluate_gate(GateRequest((mbox,), "v1", matrix=tmp_path / "m.toml", rules=tmp_path / "rules.toml", jobs=1))
    (found,) = g.verdicts
    assert found.status is VerdictStatus.INCONCLUSIVE, found
    assert "a line printing the leaf in demo_hex() at demo/h.h:10" in found.note, found.note
    assert "ran only in runs whose lines the rule does not judge (another entry point's or leaf's" in found.note
    assert "never ran" not in found.note


# demo_shifted(), a wrapper found in the code, is given the leaf but issues another (fn | 0x100), and prints the leaf
# it was given in hex when that fails: its lines are not judged (read for the leaf it issued, none of the rule's), so
# its print is not shown by its runs.
SHIFTED = """\
static void demo_dec(u64 fn)
{
\tpr_err("DEMO (%llu) failed\\n", fn);
}

static void demo_hex(u64 fn)
{
\tpr_err("DEMO (%#llx) failed\\n", fn);
}

static inline int demo_prerr(u64 fn, struct tdx_module_args *args)
{
\tif (__seamcall(fn, args)) {
\t\tdemo_dec(fn);
\t\treturn -5;
\t}
\treturn 0;
}

static inline u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
\treturn demo_prerr(fn, args);
}

static inline int demo_shifted(u64 fn, struct tdx_module_args *args)
{
\tif (__seamcall(fn | 0x100, args)) {
\t\tdemo_hex(fn);
\t\treturn -5;
\t}
\treturn 0;
}
"""


def test_a_print_only_runs_whose_lines_are_not_judged_made_is_not_shown(tmp_path: Path) -> None:
    # Before: the wrapper's runs counted towards what the rule had seen printed, though none of their lines was
    # judged: demo_hex()'s hex line passed a rule asking for decimal.
    (tmp_path / "m.toml").write_text(MATRIX.replace("ONE = 1\n", "ONE = 33\n"))
    (tmp_path / "rules.toml").write_text(RULES)
    mbox = write_mbox(tmp_path / "d.mbox", [message("[PATCH] demo: add helpers", "d1@x",
                                                    patch_body("Add.", header_and_unit(SHIFTED)))])
    g = evaluate_gate(GateRequest((mbox,), "v1", matrix=tmp_path / "m.toml", rules=tmp_path / "rules.toml", jobs=1))
    (found,) = g.verdicts
    assert found.status is VerdictStatus.INCONCLUSIVE, found
    assert "a line printing the leaf in demo_hex() at demo/h.h:8" in found.note, found.note
    assert "ran only in runs whose lines the rule does not judge" in found.note, found.note
