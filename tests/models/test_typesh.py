"""include/linux/types.h's basic typedefs in the prelude (models/typesh.py), against gcc.

include/linux/types.h's basic typedefs in the prelude (models/typesh.py): code that declares them runs without
--tree, at x86-64's widths, as gcc computes them from the same declarations."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pycparser import c_ast

from models.atomic import LATE_TYPES
from models.cload import load_program
from models.loader import EntryPoint, Source
from models.prelude import PRELUDE_PATH, TYPES, late_types_line, macro_lines, prelude_text
from models.typesh import _TYPEDEFS, NAMES
from tests.models.cprog import GCC, PATH, needs_x86_gcc, run

HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"
def test_phys_dma_and_resource_addresses_are_64_bit_unsigned() -> None:
    # CONFIG_PHYS_ADDR_T_64BIT and CONFIG_ARCH_DMA_ADDR_T_64BIT (x86-64): u64, so ~0 is all ones and compares above
    # 2^32; resource_size_t is phys_addr_t. Before, each was refused: "no typedef of it".
    code = HEAD + ("\tphys_addr_t p = ~(phys_addr_t)0;\n\tdma_addr_t d = p;\n\tresource_size_t r = d;\n"
                   "\treturn sizeof(p) * 100 + sizeof(d) * 10 + sizeof(r) + (r > 0xffffffffULL) * 1000;\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert out.ret == 1888


def test_the_typedefs_come_after_every_macro_line() -> None:
    # Appended: each <prelude>:N a report cited before stays the line it was.
    lines = prelude_text().split("\n")
    assert late_types_line() == TYPES.count("\n") + len(macro_lines()) + 1
    assert lines[late_types_line() - 1:] == LATE_TYPES.split("\n")
    assert all(f"typedef {base} {name};" in LATE_TYPES for base, name in _TYPEDEFS)


def _probe(names: list[str]) -> str:
    return HEAD + "\tlong r = 0;\n" + "".join(
        f"\tr = r * 3 + (sizeof({n}) == 8) * 2 + ((({n})-1) < ({n})0);\n" for n in names
    ) + "\treturn r & 0x7fffffff;\n}\n"


@needs_x86_gcc
@pytest.mark.parametrize("chunk", range(4))
def test_each_typedef_has_the_width_and_sign_gcc_gives_it(tmp_path: Path, chunk: int) -> None:
    names = [n for _, n in _TYPEDEFS if n != "caddr_t"][chunk::4]
    code = _probe(names)
    out = run(code)
    assert out.status == "ok", out.error
    src, exe = tmp_path / "p.c", tmp_path / "p"
    src.write_text("#include <stdio.h>\n" + TYPES + LATE_TYPES + code
                   + "int main(void)\n{\n\tprintf(\"%ld\\n\", f(0, 0));\n\treturn 0;\n}\n")
    subprocess.run([str(GCC), "-std=gnu11", "-fwrapv", "-funsigned-char", "-o", str(exe), str(src)], check=True,
                   capture_output=True)
    assert int(subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout) == out.ret


@pytest.mark.parametrize(("decl", "size"), [("resource_size_t r = 1;", 8), ("__le16 r = 1;", 2), ("ushort r = 1;", 2)])
def test_a_program_gets_the_typedefs_it_names_with_those_they_are_made_of(decl: str, size: int) -> None:
    # resource_size_t is phys_addr_t, __le16 __u16: named alone, each brings its base (models.typesh.named_in).
    out = run(HEAD + f"\t{decl}\n\treturn sizeof(r);\n}}\n")
    assert out.status == "ok", out.error
    assert out.ret == size


def test_pgoff_t_is_unsigned_long() -> None:
    # include/linux/types.h: '#define pgoff_t unsigned long' (the page cache's index). Before: refused, "no typedef".
    out = run(HEAD + "\tpgoff_t index = -1;\n\treturn sizeof(index) * 10 + (index > 0);\n}\n")
    assert out.status == "ok", out.error
    assert out.ret == 81


@pytest.mark.parametrize(("code", "want"), [
    ("\tu128 x = (u128)fn - 1;\n\treturn (x >> 64) + sizeof(x);\n", 0xFFFFFFFFFFFFFFFF + 16),
    ("\treturn (s128)fn * 2 - 1 < 0;\n", 1),
    ("\tstruct w { __u128 v; } w = { 0 };\n\treturn sizeof(w) + _Alignof(__s128);\n", 32),
    ("\tunsigned __int128 x = fn;\n\treturn ~x >> 127;\n", 1),
])
def test_128_bit_integers_are_gccs(code: str, want: int) -> None:
    # include/uapi/linux/types.h (gcc defines __SIZEOF_INT128__ on x86-64): s128 and u128 are __int128 and unsigned
    # __int128, 16 bytes aligned on 16 (tests/models/test_int128_gcc.py runs them against gcc). Refused at the line of
    # the code that named them before ("'u128' is unsigned __int128, a 128-bit integer: not modelled").
    out = run(HEAD + code + "}\n")
    assert out.status == "ok", out.error
    assert out.ret == (want + (1 << 63)) % (1 << 64) - (1 << 63)  # f() returns a long


def _typedefs_of(code: str) -> dict[str, int]:
    program = load_program((Source(PATH, ((1, tuple(code.split("\n"))),), True),), (EntryPoint("f", ("fn", "args")),))
    return {n.name: n.coord.line for n in program.ast.ext
            if isinstance(n, c_ast.Typedef) and n.name in NAMES and n.coord.file == PRELUDE_PATH}


def test_a_program_parses_only_the_typedefs_it_names_at_their_prelude_lines() -> None:
    # Every program parsed all of include/linux/types.h's typedefs (and the ones it named twice, a few lines past
    # their place) once the static keys' types came after them in LATE_TYPES: models.cload cut them off the end.
    got = _typedefs_of(HEAD + "\tuint8_t b = 1;\n\treturn b;\n}\n")
    lines = prelude_text().split("\n")
    assert set(got) == {"uint8_t"}
    assert lines[got["uint8_t"] - 1] == "typedef u8 uint8_t;"
    assert _typedefs_of(HEAD + "\treturn 0;\n}\n") == {}
