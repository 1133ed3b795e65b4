"""Why an entry point runs on one side of a comparison only (harness.providedchange), and what mail cannot show."""

from __future__ import annotations

from pathlib import Path

from harness.pipeline import EvalRequest, evaluate
from tests.mailgen import diff, message, patch_body, write_mbox

DIR = "drivers/ldr"
HDR, A, B = f"{DIR}/ldr_internal.h", f"{DIR}/ldr_a.c", f"{DIR}/ldr_b.c"
HEADER = "/* ldr */\n#ifndef LDR_INTERNAL_H\n#define LDR_INTERNAL_H\n\n{}#endif\n"
REPORT = ("static {}void ldr_report(u64 fn, u64 err, struct tdx_module_args *args)\n{{\n"
          "\tpr_err(\"LDR (%#llx) failed: %#llx\\n\", fn, err);\n}}\n\n")
QUERY = ("int ldr_a_query(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
         "\tif (err)\n\t\tldr_report(fn, err, args);\n\treturn err ? -EIO : 0;\n}\n")
UNIT = '#define pr_fmt(fmt) "ldr-a: " fmt\n\n#include "ldr_internal.h"\n\n{}'
MATRIX = f"""\
[match]
identifiers = ["ldr_*"]
[codes]
FAIL = 0x8000000000000001
[leaves]
ONE = 1
[[unit]]
name = "ldr_a.c"
path = "{A}"
[[unit]]
name = "ldr_b.c"
path = "{B}"
[[entry]]
name = "ldr_report"
args = ["fn", "answer", "args"]
[[script]]
name = "fail"
answers = ["FAIL"]
"""


def test_a_helper_moved_to_a_header_is_not_new_to_a_unit_the_mail_does_not_show(tmp_path: Path) -> None:
    # 1/1 moves ldr_a.c's static ldr_report() into the header ldr_a.c includes. ldr_b.c, a unit of the matrix, is
    # in no mail: whether it exists or includes that header is not known (gcc: a tree without it builds nothing of
    # it). The move was said to change behaviour, 'ldr_report() is new to ldr_b.c', from mail alone.
    decl = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
    move = diff(A, UNIT.format(REPORT.format("") + QUERY), UNIT.format(QUERY)) \
        + diff(HDR, HEADER.format(decl), HEADER.format(decl + REPORT.format("inline ")))
    mbox = write_mbox(tmp_path / "s.mbox", [message("[PATCH 1/1] ldr: move ldr_report() to the header", "p1@x",
                                                    patch_body("move", move))])
    (tmp_path / "m.toml").write_text(MATRIX)
    ev = evaluate(EvalRequest((mbox,), matrix=tmp_path / "m.toml", jobs=1))
    [cmp] = [c for c in ev.comparison.per_patch if c.b == "v1:01"]
    assert not [d for d in cmp.differences if d.scenario.unit.name == "ldr_b.c"], cmp.differences
    assert [g.reason for g in cmp.gaps if "ldr_report" in g.entries and "ldr_b" in g.reason] == [
        f"ldr_report() runs in {B} in v1:01 only if that file, which the mail does not show, includes where v1:01 "
        f"defines it (in v1:00 it is a static function of {A}:5, which {B} cannot call); give --tree"]
    [move_said] = [f for f in ev.comparison.findings if f.kind.startswith("code-move")]
    assert move_said.kind == "code-move-not-compared", move_said.text
