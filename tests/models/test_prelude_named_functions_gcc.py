"""A function of the code named like a prelude macro: what gcc makes of it below the same prelude, or refused.

gcc reads the prelude's macros (the kernel's headers a file includes at its top) before the code, so the name of a
definition below is expanded too: ``static int fls(unsigned int x)`` declares no function (a build error), ``ffs``
declares ``__builtin_ffs`` (``#define ffs(x) __builtin_ffs(x)``), which the calls reach; below an ``#undef`` of it
the name is the code's own. Before, the mirror dropped the first as C it does not parse while every call of the
name still expanded the prelude's macro: the prelude's ran where gcc builds nothing. gcc -O2 is the oracle, built
from the prelude as the crosscheck reads it (models/native/rawprelude.py)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest

from models.native.rawprelude import raw_prelude
from models.native.run import NativeError, find_compiler
from tests.models.cprog import PATH, line_of, run

try:
    CC: str | None = find_compiler(None)
except NativeError:  # no compiler: the oracle's tests skip
    CC = None
needs_cc = pytest.mark.skipif(CC is None, reason="needs a C compiler, the oracle")
F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"


@dataclass(frozen=True)
class _Unit:
    files: tuple[tuple[str, str], ...]
    undeclared_percpu: tuple[str, ...] = ()
    undeclared_locks: tuple[str, ...] = ()


_FLAGS = ("-std=gnu11", "-fwrapv", "-funsigned-char", "-O2")
# sh_native.c compiled with _FLAGS once per process, not once per program (0.6 s of CPU each time, for the same
# object): gcc compiles each file of its command line on its own and links the objects, so linking this object
# builds the program that naming sh_native.c beside the code built.
_NATIVE_OBJECTS: dict[str, bytes] = {}


def _native_object(tmp_path: Path) -> Path:
    assert CC is not None
    obj = tmp_path / "sh_native.o"
    if CC not in _NATIVE_OBJECTS:
        source = resources.files("models.native").joinpath("sh_native.c")
        subprocess.run([CC, *_FLAGS, "-c", "-o", str(obj), str(source)], check=True, capture_output=True, text=True)
        _NATIVE_OBJECTS[CC] = obj.read_bytes()
    obj.write_bytes(_NATIVE_OBJECTS[CC])
    return obj


def gcc_value(tmp_path: Path, code: str) -> int | None:
    """What ``f(0, 0)`` of ``code`` returns built by gcc -O2 below the raw prelude; None where gcc does not build it."""
    assert CC is not None
    src, exe = tmp_path / "prog.c", tmp_path / "prog"
    src.write_text("#include <stdio.h>\n" + raw_prelude(_Unit(((PATH, code),))) + f'#line 1 "{PATH}"\n' + code
                   + '\nint main(void)\n{\n\tprintf("%lld\\n", f(0, 0));\n\treturn 0;\n}\n')
    built = subprocess.run([CC, *_FLAGS, "-o", str(exe), str(src), str(_native_object(tmp_path))],
                           capture_output=True, text=True)
    if built.returncode:
        assert f"{PATH}:" in built.stderr or "error" in built.stderr, built.stderr
        return None
    return int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout)


REFUSED = {
    # a function-like macro: its expansion is no declarator (a statement expression, a cast, a builtin's operand)
    "fls": "static int fls(unsigned int x)\n{\n\treturn 77;\n}\n" + F % "fls(8)",
    "upper_32_bits": "static u32 upper_32_bits(u64 x)\n{\n\treturn 77;\n}\n" + F % "upper_32_bits(8)",
    "hweight8": "static unsigned int hweight8(unsigned int x)\n{\n\treturn 77;\n}\n" + F % "hweight8(8)",
    # no parameter: "macro passed 1 arguments, but takes just 0"
    "smp_processor_id": "int smp_processor_id(void)\n{\n\treturn 77;\n}\n" + F % "smp_processor_id()",
    # one of the mirror's own names (#define ilog2(n) __sh_ilog2(n)): the kernel's header has other text there
    "ilog2": "static int ilog2(u64 x)\n{\n\treturn 77;\n}\n" + F % "ilog2(8)",
    # object-like macros
    "PAGE_SIZE": "static int PAGE_SIZE(void)\n{\n\treturn 77;\n}\n" + F % "PAGE_SIZE",
    "true": "static int true(void)\n{\n\treturn 77;\n}\n" + F % "true",
    # defined below its use
    "below": F % "fls(8)" + "\nstatic int fls(unsigned int x)\n{\n\treturn 77;\n}\n",
    # a prototype alone, no body anywhere: its name expands as a definition's does (before: the macro ran, 4)
    "prototype": "int fls(int x);\n" + F % "fls(8)",
    "prototype-hweight8": "extern unsigned int hweight8(unsigned int w);\n" + F % "hweight8(8)",
}


@needs_cc
@pytest.mark.parametrize("name", REFUSED)
def test_a_function_whose_name_gcc_expands_away_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    code = REFUSED[name]
    assert gcc_value(tmp_path, code) is None  # gcc builds nothing
    out = run(code)
    shown = {"below": "fls", "prototype": "fls", "prototype-hweight8": "hweight8"}.get(name, name)
    defined = line_of(code, f" {shown}(") if name != "below" else line_of(code, "static int fls(")
    assert defined == 1 or name == "below"
    used = line_of(code, "long long f(") + 2  # its return
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{used}: "), out.error
    assert f"{PATH}:{defined}: {shown} is a kernel header's macro (the prelude's, <prelude>:" in (out.error or "")


RUN = {
    # #define ffs(x) __builtin_ffs(x): the definition and the call are both __builtin_ffs
    "renamed": "static int ffs(int x)\n{\n\treturn x * 7;\n}\n" + F % "ffs(8)",
    # below an #undef the name is the code's own
    "undefined": "#undef fls\nstatic int fls(unsigned int x)\n{\n\treturn x + 70;\n}\n" + F % "fls(8)",
    "undefined-object": "#undef PAGE_SIZE\nstatic const long PAGE_SIZE = 99;\n" + F % "PAGE_SIZE + hweight8(7)",
    # a name in parentheses is no macro invocation (C11 6.10.3p10): (fls)(8) calls the code's function, fls(8) the
    # macro (before: refused, "call to unknown function fls()": the slicer read no name in "(fls)(")
    "parenthesized": "static int (fls)(unsigned int x)\n{\n\treturn x + 73;\n}\n" + F % "(fls)(8) * 100 + fls(8)",
    "parenthesized-prototype": "static int (fls)(unsigned int x);\n" + F % "(fls)(8) * 100 + fls(8)"
                               + "\nstatic int (fls)(unsigned int x)\n{\n\treturn x + 73;\n}\n",
    "parenthesized-renamed": "static int (ffs)(int x)\n{\n\treturn x * 7;\n}\n" + F % "(ffs)(8) * 1000 + ffs(8)",
    "parenthesized-object": "static unsigned long (upper_32_bits)(u64 x)\n{\n\treturn 5;\n}\n"
                            + F % "(upper_32_bits)(1ULL << 40) * 100 + upper_32_bits(1ULL << 40)",
}


@needs_cc
@pytest.mark.parametrize("name", RUN)
def test_one_gcc_builds_runs_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    code = RUN[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error


# A variable or an enumerator named like an object-like macro: gcc puts the macro's body where its name goes, no
# declaration (before: the mirror ran the code, the macro's value standing in: -EIO was -5, GFP_KERNEL 0xcc0); any
# declarator or enumerator of the declaration so named fails all of it. Refused where a name of it is used.
DECLARED = {
    "variable": ("static const int EIO = 77;\n" + F % "-EIO", "EIO", "EIO"),
    "enum": ("enum { SC_SHIFT = 3, GFP_KERNEL = 5 };\n" + F % "GFP_KERNEL", "GFP_KERNEL", "GFP_KERNEL"),
    "enum-sibling": ("enum sc_codes { SC_OK = 3, EBUSY = 9 };\n" + F % "SC_OK", "SC_OK", "EBUSY"),
    "declarators": ("static u64 table[] = { 1, 2 }, PAGE_SIZE = 7;\n" + F % "table[1]", "table", "PAGE_SIZE"),
}


@needs_cc
@pytest.mark.parametrize("name", DECLARED)
def test_a_declaration_whose_name_gcc_expands_away_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    code, used, macro = DECLARED[name]
    assert gcc_value(tmp_path, code) is None  # gcc builds nothing
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'long long f(') + 2}: '{used}' is not available: "
                                        f"{PATH}:1: {macro} is a kernel header's macro (the prelude's, "), out.error


KEPT = {
    # a function-like macro's name with no '(' after it is no invocation: the variable is the code's
    "function-like": "static int fls = 3;\n" + F % "fls * 10 + fls(8)",
    "parameter": "static int g(int min, int max)\n{\n\treturn min * 10 + max + min(min, max);\n}\n" + F % "g(3, 4)",
    # the code's own macro in force: its enumerator is its own
    "undefined": "#undef EIO\nenum { EIO = 77 };\n" + F % "EIO",
}


@needs_cc
@pytest.mark.parametrize("name", KEPT)
def test_a_declaration_gcc_keeps_runs_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    code = KEPT[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error
