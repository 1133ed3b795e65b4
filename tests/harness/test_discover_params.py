"""A definition's parameters as entry-point discovery reads them: one pattern for every name, as the per-name one."""

from __future__ import annotations

import re

import pytest

from harness.discover import _AFTER_NAME, feeds_for, param_text
from models.loader import sliced

HEADS = [
    ("int demo_get(int x)", "demo_get"),
    ("static int __init demo_init(void) __cold", "demo_init"),
    ("int my_demo_get(int a) int demo_get(u64 fn, struct tdx_module_args *args)", "demo_get"),  # a suffix first
    ("int demo_get_ret(int a)", "demo_get"),  # a longer name only
    ("u64 demo_call(u64 fn, void *args) __must_check(1) __attribute_const__", "demo_call"),
    ("long demo (int x, int (*cb)(int))", "demo"),
    ("int démo_x(int a) int x_demo(int b)", "demo"),  # \b counts any Unicode letter as a word character
    ("int x.demo(int a)", "demo"),
    ("int demo(int a) garbage", "demo"),
    ("demo(int a)", "demo"),
    ("int demo(int a)\n", "demo"),
    ("", "demo"),
]


@pytest.mark.parametrize(("head", "name"), HEADS)
def test_parameters_found_as_the_per_name_pattern_finds_them(head: str, name: str) -> None:
    m = re.search(rf"\b{re.escape(name)}{_AFTER_NAME}", head)
    assert param_text(head, name) == (None if m is None else m.group(1))


def test_no_pattern_is_compiled_per_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each entry point's head was searched with a pattern of its own name: 16 compiles for the corpus, a sixth of
    # finding entry points.
    text = "int fresh_entry_name(u64 fn, struct tdx_module_args *args)\n{\n\treturn 0;\n}\n"
    (d,) = sliced("drivers/demo/a.c", 1, tuple(text.splitlines()))
    compiled: list[object] = []
    real = re._compile  # type: ignore[attr-defined]
    monkeypatch.setattr(re, "_compile", lambda p, f: compiled.append(p) or real(p, f))
    assert feeds_for(d, {"fn": "fn", "args": "args"}) == ("fn", "args")
    assert not [p for p in compiled if isinstance(p, str) and "fresh_entry_name" in p]
