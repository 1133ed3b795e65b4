"""models.clayout: sizes, alignments, member offsets and bit-field places as gcc lays them out on x86-64.

Each struct is built as models.typesys builds it (a bit-field's member type bit_field()'s, its declaration in
``decl``) and the same struct is compiled by gcc, which prints sizeof, __alignof__, offsetof and where each
bit-field's bits lie (the field set to all ones in a zeroed struct): the oracle. A struct known only in part with
padding, and one never defined, are refused, not laid out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.clayout import PARTIAL, alignof, field_offset, layout, sizeof
from models.ctype import CHAR, INT, UCHAR, UINT, ULLONG, USHORT, Array, CType, Incomplete, Int, Ptr, Struct, bit_field
from models.errors import UnsupportedConstruct

_C = {CHAR: "char", UCHAR: "unsigned char", USHORT: "unsigned short", INT: "int", UINT: "unsigned int",
      ULLONG: "unsigned long long"}


def _bits(tag: str, members: list[tuple[str | None, Int, int | None]], union: bool = False) -> Struct:
    """A struct with bit-fields: every member in ``decl``, the named ones in ``fields`` with bit_field()'s type."""
    fields = tuple((n, t if w is None else bit_field(t, w)) for n, t, w in members if n is not None)
    return Struct(tag, fields, union, tuple(members))


PLAIN = Struct("plain", (("c", CHAR), ("x", ULLONG), ("s", USHORT), ("p", Ptr(CHAR)), ("a", Array(UCHAR, 3))))
UNION = Struct("mix", (("b", UCHAR), ("w", UINT), ("q", ULLONG)), union=True)
NESTED = Struct("outer", (("c", CHAR), ("in", UNION), ("t", USHORT)))
FLAGS = _bits("flags", [("valid", ULLONG, 1), ("cls", ULLONG, 8), (None, ULLONG, 0), ("delta", INT, 4),
                        ("wide", ULLONG, 40), ("c", CHAR, None), ("last", UINT, 30)])
SMALL = _bits("small", [("a", UCHAR, 3), ("b", UCHAR, 6), ("s", USHORT, None)])
STRUCTS = [PLAIN, UNION, NESTED, FLAGS, SMALL]


def _decl(t: CType, name: str) -> str:
    if isinstance(t, Array):
        return f"{_decl(t.elem, name)}[{t.length}]"
    if isinstance(t, Ptr):
        return f"char *{name}"
    if isinstance(t, Struct):
        return f"{t.name()} {name}"
    return f"{_C[t]} {name}"  # type: ignore[index]


def _c(t: Struct) -> str:
    members = [f"\t{_decl(ft, n or '')} : {w};" if w is not None else f"\t{_decl(ft, str(n))};"
               for n, ft, w in t.decl] if t.decl else [f"\t{_decl(ft, n)};" for n, ft in t.fields]
    return f"{t.name()} {{\n" + "\n".join(members) + "\n};\n"


def _gcc(tmp_path: Path) -> list[str]:
    """Per struct: 'size align' then 'member offset' (bytes) or 'member bit width' (a bit-field's lowest bit)."""
    body = []
    for t in STRUCTS:
        body.append(f'\tprintf("%zu %zu\\n", sizeof({t.name()}), __alignof__({t.name()}));\n')
        for n, _, w in t.decl or tuple((n, ft, None) for n, ft in t.fields):
            if n is None:
                continue
            if w is None:
                body.append(f'\tprintf("{n} %zu\\n", offsetof({t.name()}, {n}));\n')
                continue
            body.append(f"\t{{ {t.name()} v; unsigned char b[sizeof v]; int i, lo = -1, n = 0;\n"
                        f"\t  memset(&v, 0, sizeof v); v.{n} = -1; memcpy(b, &v, sizeof v);\n"
                        f"\t  for (i = 0; i < 8 * (int)sizeof v; i++) if (b[i / 8] >> (i % 8) & 1) {{ if (lo < 0) "
                        f"lo = i; n++; }}\n\t  printf(\"{n} %d %d\\n\", lo, n); }}\n")
    src = tmp_path / "layout.c"
    src.write_text("#include <stdio.h>\n#include <stddef.h>\n#include <string.h>\n" + "".join(map(_c, STRUCTS))
                   + "int main(void)\n{\n" + "".join(body) + "\treturn 0;\n}\n")
    subprocess.run(["gcc", "-O0", "-w", "-o", str(tmp_path / "layout"), str(src)], check=True)
    return subprocess.run([str(tmp_path / "layout")], check=True, capture_output=True, text=True).stdout.splitlines()


def _mirror() -> list[str]:
    out = []
    for t in STRUCTS:
        out.append(f"{sizeof(t)} {alignof(t)}")
        places = layout(t)[0]
        for n, _, w in t.decl or tuple((n, ft, None) for n, ft in t.fields):
            if n is None:
                continue
            if w is None:
                found = field_offset(t, n)
                assert found is not None, (t.tag, n)
                out.append(f"{n} {found[0]}")
            else:
                out.append(f"{n} {places[n][0]} {places[n][1]}")
    return out


@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc, the oracle of the x86-64 layout, is not installed")
def test_sizes_offsets_and_bit_fields_are_gccs(tmp_path: Path) -> None:
    assert _mirror() == _gcc(tmp_path)


def test_a_struct_known_in_part_with_padding_or_never_defined_is_refused() -> None:
    padded = Struct("part", (("c", CHAR), ("x", ULLONG)), partial="d/h.h:3")
    with pytest.raises(UnsupportedConstruct, match=r"d/h\.h:3.*may change its layout") as e:
        sizeof(padded)
    assert PARTIAL in str(e.value)
    assert sizeof(Struct("tight", (("a", UINT), ("b", UINT)), partial="d/h.h:9")) == 8  # no padding: as packed
    with pytest.raises(UnsupportedConstruct, match="never defined"):
        sizeof(Incomplete("struct gone"))
