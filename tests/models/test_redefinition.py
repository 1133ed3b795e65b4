"""models.redefinition: which declarations define a name, and code reaching a double definition.

models.redefinition: which declarations define a name (an initializer, a body), and the entry keys of code that
reaches a file defining one twice."""

from __future__ import annotations

import pytest

from models.loader import EntryPoint, Source, entry_keys
from models.redefinition import initialised

ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn x;\n}\n"


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("a", "int a = 1, *b, c[2] = { 1, 2 };", True),
    ("b", "int a = 1, *b, c[2] = { 1, 2 };", False),
    ("c", "int a = 1, *b, c[2] = { 1, 2 };", True),
    ("g_y", "struct pr { int q; } g_x = { 1 }, g_y;", False),
    ("g_x", "struct pr { int q; } g_x = { 1 }, g_y;", True),
    ("q", "struct pr { int q = 1; } g_x;", False),
    ("pc", 'static __attribute__((section(".data..percpu"))) __typeof__(int) pc', False),
    ("pd", "DEFINE_PER_CPU(int, pd) = 3;", True),
    ("m", "static struct mutex m = { 0x6c6f636b }", True),
    ("hook", "static void (*hook)(void) = seam_real;", True),
    ("n", "static u64 buf[N] __aligned(64), n;", False),
])
def test_an_initializer_is_the_declarators_own(name: str, text: str, expected: bool) -> None:
    assert initialised(name, text) is expected


def _key(code: str) -> str | None:
    src = Source("drv/x.c", ((1, tuple((code + ENTRY).split("\n"))),), True)
    return entry_keys((src,), (EntryPoint("f"),))["f"]


def test_a_second_initializer_changes_the_entry_key() -> None:
    # the code reached is the first definition alike: only the refusal tells them apart, which outcomes are keyed by
    assert _key("static int x = 1;\nstatic int x;\n") != _key("static int x = 1;\nstatic int x = 5;\n")
    assert _key("static int x = 1;\nstatic int x = 5;\n") == _key("static int x = 1;\nstatic int x = 6;\n")


@pytest.mark.parametrize(("weak", "strong", "kept"), [
    ("int __weak x = 1;", "int x = 3;", ["b.c"]),  # ld links the strong object
    ("int __attribute__((weak)) x = 1;", "int x = 3;", ["b.c"]),
    ("const int __weak x = 1;", "const int x = 3;", ["a.c", "b.c"]),  # gcc -O2 folds the weak one in its own unit
    ("int __weak x = 1;", "static int x = 3;", ["a.c", "b.c"]),  # another object
    ("int __weak x = 1;", "int __weak x = 3;", ["a.c", "b.c"]),  # two weak ones: no strong to link
    ("static int __weak x = 1;", "int x = 3;", ["a.c", "b.c"]),
    # A function: every call runs the strong body (gcc inlines no weak function).
    ("int __weak x(void)\n{\n\treturn 1;\n}", "int x(void)\n{\n\treturn 3;\n}", ["b.c"]),
    ("int __weak x(void)\n{\n\treturn 1;\n}", "static int x(void)\n{\n\treturn 3;\n}", ["a.c", "b.c"]),
])
def test_a_strong_definition_of_another_file_is_kept_over_a_weak_one(weak: str, strong: str, kept: list[str]) -> None:
    from models.loader import definitions

    table = definitions((Source("a.c", ((1, tuple(weak.split("\n"))),), True),
                         Source("b.c", ((1, tuple(strong.split("\n"))),), True)))
    assert [d.path for d in table["x"]] == kept, table["x"]
