"""A static key another .c file of the variant defines, linked in (models.native.linktu), set as scripts say; gcc."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models.mirror import clear_caches
from models.native.linktu import linked_file
from models.native.run import find_compiler

CALLER_C = """\
#include <linux/kernel.h>
#include "demo.h"

u64 demo_retry(u64 fn, struct tdx_module_args *args)
{
	int t = 3;
	u64 r;

	do {
		r = __seamcall(fn, args);
	} while (static_branch_unlikely(&demo_busy) && r == 0x8000000000000010ULL && --t);
	return r;
}
"""
KEY_C = '#include <linux/kernel.h>\n#include "demo.h"\n\nDEFINE_STATIC_KEY_FALSE(demo_busy);\n'
MATRIX = """\
[codes]
OK = 0
BUSY = 0x8000000000000010
[leaves]
ONE = 1
[[unit]]
name = "demo.c"
path = "demo/demo.c"
[[entry]]
name = "demo_retry"
[[script]]
name = "busy"
answers = ["BUSY", "OK"]
repeat_first = [5]
[[script]]
name = "busy-keyed"
answers = ["BUSY", "OK"]
repeat_first = [5]
static_keys_on = ["demo_busy"]
"""


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_a_key_a_linked_file_defines_is_set_there(tmp_path: Path) -> None:
    # Before: gcc's build set no key of a linked file (sh_state() of the unit cannot name it), so with the key on the
    # mirror made 3 SEAMCALLs and gcc 1: 'SEAMCALLs: mirror made 3, native 1', a disagreement of the oracle's build.
    clear_caches()
    files = (full_file("demo/demo.h", "extern struct static_key_false demo_busy;\n"
                                      "u64 demo_retry(u64 fn, struct tdx_module_args *args);\n", "test"),
             full_file("demo/demo.c", CALLER_C, "test"), full_file("demo/key.c", KEY_C, "test"),
             full_file("demo/Makefile", "obj-y += demo.o key.o\n", "test"))
    (tmp_path / "m.toml").write_text(MATRIX)
    res = run_matrix(MatrixRequest((Variant("a", "test variant a", files, (), (), (), "test"),),
                                   load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))
    outs = {s.script.name: res.outcome("a", s.id) for s in res.matrix.scenarios}
    calls = {n: (o.status.name, len(o.calls), o.error) for n, o in outs.items()}
    assert calls == {"busy-x5": ("OK", 1, None), "busy-keyed-x5": ("OK", 3, None)}, calls
    r = crosscheck_result(res, find_compiler(None), source="original")
    said = (r.fallback, r.raw_compared, r.compared, r.disagreements)
    assert r.fallback["a"] == [] and r.raw_compared["a"] == r.compared["a"] == 2, said
    assert r.disagreements == [], r.disagreements


def test_linked_file_names_the_file_defining_what_the_linker_missed() -> None:
    files = (("a/x.c", "static int k;\n"), ("a/y.h", "int k;\n"), ("a/z.c", "int j;\nint k = 1;\n"))
    said = "x.o: in function `f': undefined reference to `k'"
    assert linked_file(files, None, said, []) == "a/z.c"
    assert linked_file(files, "a/z.c", said, []) is None  # the unit's own, a header, a static one: not linked
    assert linked_file(files, None, said, ["a/z.c"]) is None
    assert linked_file(files, None, "error: no such file", []) is None
