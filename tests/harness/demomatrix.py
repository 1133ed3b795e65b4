"""The one-unit matrix the gate tests of generated demo series share.

The one-unit matrix the gate tests of generated demo series share: demo/demo.c, its demo_call() entry point fed
leaf ONE, and a script whose first answer is a failure (extra status codes may be named for other scripts)."""

from __future__ import annotations


def demo_matrix(*codes: str) -> str:
    """The matrix TOML, with each of ``codes`` ("NAME = VALUE") added to its [codes] table."""
    extra = "".join(f"{c}\n" for c in codes)
    return f"""\
[codes]
OK = 0
FAIL = 0x8000000000000001
{extra}
[leaves]
ONE = 1

[[unit]]
name = "demo.c"
path = "demo/demo.c"

[[entry]]
name = "demo_call"

[[script]]
name = "fail"
answers = ["FAIL"]
"""
