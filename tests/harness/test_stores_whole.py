"""A store to a local written over several lines is quoted whole where a changed value's stores are said."""

from __future__ import annotations

from harness.filestate import full_file
from harness.variants import Variant

_PATH = "demo/demo.c"


def _variant(name: str, store: str) -> Variant:
    text = (f"static int demo_init(u64 fn, struct tdx_module_args *args)\n{{\n\tint ret;\n\n{store}"
            "\tif (ret)\n\t\treturn ret;\n\treturn 0;\n}\n")
    return Variant(name, f"test variant {name}", (full_file(_PATH, text, name),), (), (), (), "test", 1, None, None)


def test_a_store_over_two_lines_is_quoted_to_its_end() -> None:
    # 'ret = demo_errno(DEMO_LEAF,' was quoted, cut at its first line's comma: what the patch put on the second line
    # (the call now made) was the change, and it was not said.
    from harness.changedsource import changed_source

    sides = (_variant("v1:01", "\tret = demo_checked(__seamcall, fn, args);\n"),
             _variant("v1:02", "\tret = demo_errno(fn,\n\t\t\t demo_call(fn, args));\n"))
    said = changed_source("ret", ("int ret;", "int ret;"), (f"{_PATH}:3", f"{_PATH}:3"), sides, "demo_init")
    assert "'ret = demo_checked(__seamcall, fn, args);' in v1:01 -> 'ret = demo_errno(fn, demo_call(fn, args));' " \
        "in v1:02" in said, said
