"""models.macronames: the name a function declares where a macro spells it, and where no macro before it does."""

from __future__ import annotations

from models.macronames import declared_name, made_by_macro
from models.slicer import Definition, Kind

ENTER = Definition(Kind.MACRO, "syscall_enter", '#define syscall_enter(name) SEC("sys_enter_" #name) '
                   "syscall_enter_ ## name", "x.c", 1, params=("name",))
SEC = Definition(Kind.MACRO, "SEC", "#define SEC(n) __attribute__((section(n), used))", "x.c", 2, params=("n",))


def _function(name: str, text: str) -> Definition:
    return Definition(Kind.FUNCTION, name, text, "x.c", 5)


def test_each_use_of_the_macro_declares_the_name_its_arguments_make() -> None:
    macros = {"syscall_enter": ENTER, "SEC": SEC}
    for arg in ("openat", "close"):
        d = _function("syscall_enter", f"int syscall_enter({arg})(void *args)\n{{\n\treturn 0;\n}}")
        assert made_by_macro(d, macros) and declared_name(d, macros) == f"syscall_enter_{arg}"


def test_a_name_no_macro_before_it_spells_is_its_own() -> None:
    # __ffs is a fallback macro of the prelude, and a kernel function a file may define
    d = _function("__ffs", "static inline unsigned long __ffs(unsigned long word)\n{\n\treturn 0;\n}")
    assert not made_by_macro(d, {}) and declared_name(d, {}) == "__ffs"


def test_a_macro_not_known_leaves_the_name_unknown() -> None:
    d = _function("syscall_enter", "int syscall_enter(openat)(void *args)\n{\n\treturn 0;\n}")
    assert made_by_macro(d, {}) and declared_name(d, {}) is None
