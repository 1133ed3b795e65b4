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


def _crosscheck(tmp: Path, files: tuple[tuple[str, str], ...], entry: str) -> tuple[dict[str, object], object]:
    """The mirror's outcome per script, and gcc's crosscheck of the variant of ``files`` (path, text)."""
    clear_caches()
    (tmp / "m.toml").write_text(MATRIX.replace('name = "demo_retry"', f'name = "{entry}"'))
    variant = Variant("a", "test variant a", tuple(full_file(p, t, "test") for p, t in files), (), (), (), "test")
    res = run_matrix(MatrixRequest((variant,), load_matrix(tmp / "m.toml"), jobs=1, time_budget=0))
    outs = {s.script.name: res.outcome("a", s.id) for s in res.matrix.scenarios}
    calls = {n: (o.status.name, len(o.calls), o.error) for n, o in outs.items()}
    r = crosscheck_result(res, find_compiler(None), source="original")
    return calls, (r.fallback["a"], r.raw_compared["a"], r.compared["a"], [d.divergence for d in r.disagreements])


MAKEFILE = ("demo/Makefile", "obj-y += demo.o key.o\n")
SHOW_C = ('#include <linux/kernel.h>\n#include "demo.h"\n\nint demo_show(u64 fn, struct tdx_module_args *args)\n{\n'
          "\treturn demo_retry(fn, args) ? -EIO : 0;\n}\n")
PROTOS = "u64 demo_retry(u64 fn, struct tdx_module_args *args);\n"


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
@pytest.mark.parametrize("declared", ["extern struct static_key_false demo_busy;\n",
                                      # before: 'demo_busy is defined 2 times (demo/demo.h:1, demo/key.c:3)', every
                                      # run refused (models.loader.declaration_only)
                                      "DECLARE_STATIC_KEY_FALSE(demo_busy);\n"], ids=["extern", "declare"])
def test_a_key_a_linked_file_defines_is_set_there(tmp_path: Path, declared: str) -> None:
    # Before: gcc's build set no key of a linked file (sh_state() of the unit cannot name it), so with the key on the
    # mirror made 3 SEAMCALLs and gcc 1: 'SEAMCALLs: mirror made 3, native 1', a disagreement of the oracle's build.
    files = (("demo/demo.h", declared + PROTOS), ("demo/demo.c", CALLER_C),
             ("demo/key.c", KEY_C), MAKEFILE)
    calls, cross = _crosscheck(tmp_path, files, "demo_retry")
    assert calls == {"busy-x5": ("OK", 1, None), "busy-keyed-x5": ("OK", 3, None)}, calls
    assert cross == ([], 2, 2, []), cross


@pytest.mark.skipif(find_compiler(None) is None, reason="no C compiler")
def test_a_header_keys_copy_in_a_linked_file_is_set_there(tmp_path: Path) -> None:
    # A header's static key, read in the linked file (its own copy, C11 6.2.2p3): before, only the main unit's copy
    # was set: 'SEAMCALLs: mirror made 3, native 1'. gcc -M tells which headers the linked file reads.
    files = (("demo/demo.h", "static DEFINE_STATIC_KEY_FALSE(demo_busy);\n" + PROTOS), ("demo/demo.c", SHOW_C),
             ("demo/key.c", CALLER_C), MAKEFILE)
    calls, cross = _crosscheck(tmp_path, files, "demo_show")
    assert calls == {"busy-x5": ("OK", 1, None), "busy-keyed-x5": ("OK", 3, None)}, calls
    assert cross == ([], 2, 2, []), cross


def test_linked_file_names_the_file_defining_what_the_linker_missed() -> None:
    files = (("a/x.c", "static int k;\n"), ("a/y.h", "int k;\n"), ("a/z.c", "int j;\nint k = 1;\n"))
    said = "x.o: in function `f': undefined reference to `k'"
    assert linked_file(files, None, said, []) == "a/z.c"
    assert linked_file(files, "a/z.c", said, []) is None  # the unit's own, a header, a static one: not linked
    assert linked_file(files, None, said, ["a/z.c"]) is None
    assert linked_file(files, None, "error: no such file", []) is None
