"""Loading: slicing fragments, the needed closure, provenance, and refusing hostile C."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from models.cload import load_program
from models.cpp import _preprocess
from models.errors import LoadError, UnsupportedConstruct
from models.loader import EntryPoint, Source
from models.slicer import Kind, slice_fragment


def test_slice_fragment_starting_mid_function_and_comment() -> None:
    lines = [
        "\treturn x;",
        "}",
        " * tail of a comment */",
        "#define TWO \\",
        "\t2",
        "typedef u64 (*fn_t)(u64 a);",
        "static inline int one(void)",
        "{",
        "\treturn 1; /* } */",
        "}",
        "struct s { int a; };",
        "enum { A = 1, B };",
        "int proto(int a);",
        "static int counter;",
        "error:",
        "static int cut(void)",
        "{",
    ]
    got = [(d.kind, d.name, d.line) for d in slice_fragment(lines, "x.h", 10)]
    assert got == [(Kind.MACRO, "TWO", 13), (Kind.TYPEDEF, "fn_t", 15), (Kind.FUNCTION, "one", 16),
                   (Kind.STRUCT, "s", 20), (Kind.ENUM, "A", 21), (Kind.ENUM, "B", 21), (Kind.PROTOTYPE, "proto", 22),
                   (Kind.VARIABLE, "counter", 23)]


def _load(code: str, *entries: str):  # type: ignore[no-untyped-def]
    return load_program((Source("a/b.h", ((1, tuple(code.split("\n"))),), True),),
                        tuple(EntryPoint(e) for e in entries))


def test_only_the_closure_is_loaded_with_provenance() -> None:
    code = ("#define K TDX_RND_NO_ENTROPY\nstatic int used(u64 fn) { return fn == K; }\n"
            "static int unused(void) { return 2; }\n#define entry(f, a) used(f)\n")
    p = _load(code, "entry", "absent")
    assert set(p.functions) == {"used", "__sh_entry_entry"}
    assert p.missing_entries == ("absent",)
    rows = {name: where for name, _, where in p.provenance()}
    assert rows["used"] == "a/b.h:2" and rows["K"] == "a/b.h:1" and rows["entry"] == "a/b.h:4"
    from models.prelude import prelude_text

    path, line = rows["TDX_RND_NO_ENTROPY"].split(":")
    assert path == "<prelude>"
    assert prelude_text().splitlines()[int(line) - 1].startswith("#define TDX_RND_NO_ENTROPY ")


def test_variant_definition_wins_over_prelude() -> None:
    p = _load("#define RDRAND_RETRY_LOOPS 3\nstatic int f(u64 fn, struct tdx_module_args *a)"
              " { return RDRAND_RETRY_LOOPS; }\n", "f")
    from models.machine import Answer
    from models.mirror import Mirror, RunRequest

    assert Mirror(p).run(RunRequest("f", 0, (Answer(0),))).ret == 3


def test_include_is_never_followed() -> None:
    p = _load('#include "/etc/passwd"\nstatic int f(u64 fn, struct tdx_module_args *a) { return 1; }\n', "f")
    assert "root:" not in str(p.ast)
    with pytest.raises(LoadError, match="#include is not allowed"):
        _preprocess('#include "/etc/passwd"\n')


def test_exponential_macro_is_refused() -> None:
    code = "#define A0 x x\n" + "".join(f"#define A{i} A{i - 1} A{i - 1}\n" for i in range(1, 40))
    code += "static int f(u64 fn, struct tdx_module_args *a) { return A39; }\n"
    with pytest.raises(UnsupportedConstruct, match=r"a/b.h:\d+: macro A\d+ expands to more than"):
        _load(code, "f")


def test_unparsable_definition_is_dropped_with_reason() -> None:
    code = ("static int bad(void) { return 1 +; }\n"
            "static int f(u64 fn, struct tdx_module_args *a) { return 2; }\n"
            "static int g(u64 fn, struct tdx_module_args *a) { return bad(); }\n")
    p = _load(code, "f", "g")
    assert p.dropped["bad"].startswith("a/b.h:1: C the mirror does not parse")
    assert "f" in p.functions


def test_va_opt_outside_a_variadic_macro_is_refused_by_name_at_its_use() -> None:
    # gcc leaves it as a name there (a warning) and the call does not parse; a variadic macro's is expanded
    # (tests/models/test_vaopt_gcc.py). The refusal said 'in a variadic macro's body is not modelled' of both.
    code = ("#define LOG(fmt, x) pr_err(fmt __VA_OPT__(,) x)\n"
            "static int f(u64 fn, struct tdx_module_args *a)\n{\n\tLOG(\"x %d\", 1);\n\treturn 2;\n}\n")
    p = _load(code, "f")
    assert p.dropped["f"].startswith("a/b.h:4: __VA_OPT__ outside a variadic macro's body is a plain name to gcc")


@pytest.mark.parametrize("enum", ["typedef enum : u8 { SC_A = 1, SC_B = 200 } sc_t;",
                                  "enum sc_k : u8 { SC_A = 1, SC_B = 200 };"])
def test_an_enum_with_a_fixed_underlying_type_is_refused_where_it_is(enum: str) -> None:
    # C23 (gcc 13): the enum and its enumerators are u8, one byte; pycparser 3 reads it and the mirror took them as
    # int (sizeof(sc_t) was 4, gcc 13's 1), or did not find the tagged one as an enum at all
    code = enum + "\nstatic int f(u64 fn, struct tdx_module_args *a)\n{\n\treturn sizeof(SC_B);\n}\n"
    p = _load(code, "f")
    why = p.dropped["SC_B"]
    assert why.startswith("a/b.h:1: enum ") and "a fixed underlying type (C23 'enum e : T'" in why, p.dropped


def test_provenance_order_does_not_depend_on_string_hashing() -> None:
    import os
    import subprocess
    import sys

    code = ("from models.loader import EntryPoint, Source\nfrom models.provenance import provenance_of\n"
            "c = 'static int f(int a) { return g(a) + h(a) + k(a); }\\n' + ''.join(\n"
            "    f'static int {n}(int a) {{ return a; }}\\n' for n in 'ghk')\n"
            "src = (Source('x.c', ((1, tuple(c.splitlines())),), True),)\n"
            "print(provenance_of(src, (EntryPoint('f', ()),)))\n")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(outs) == 1 and "'g'" in outs.pop()


def _run(code: str, entry: str = "f", leaf: int = 0):  # type: ignore[no-untyped-def]
    from models.machine import Answer
    from models.mirror import Mirror, RunRequest

    return Mirror(_load(code, entry)).run(RunRequest(entry, leaf, (Answer(0),)))


def test_file_scope_assertions_are_checked_when_loaded() -> None:
    ok = "static_assert(sizeof(struct tdx_module_args) == 13 * sizeof(u64));\n"
    bad = "_Static_assert(sizeof(u64) == 4, \"u64 is four bytes\");\n"
    unknown = "static_assert(sizeof(struct nowhere) == 4);\n"
    body = "static int f(u64 fn, struct tdx_module_args *a) { return 7; }\n"
    assert _run(ok + body).ret == 7
    out = _run(body + bad)
    assert out.status == "error" and out.error == "a/b.h:2: static assertion failed: u64 is four bytes"
    out = _run(unknown + body)
    assert out.status == "error" and "a/b.h:1: struct nowhere is used but never defined" in (out.error or "")
    from models.loader import entry_keys

    def key(code: str) -> str | None:
        return entry_keys((Source("a/b.h", ((1, tuple(code.split("\n"))),), True),), (EntryPoint("f"),))["f"]

    assert key(ok + body) != key(body + bad) != key(body)
    # An assertion is checked with the macros and types it names, whether or not an entry point reaches them.
    unreached = "#define SIZE 13\nstruct pad { u64 a; u32 b; };\nstatic_assert(sizeof(struct pad) == SIZE + 3);\n"
    assert _run(unreached + body).ret == 7
    assert key(unreached + body) != key(unreached.replace("13", "12") + body)


def test_a_definition_moved_by_a_patch_is_parsed_once() -> None:
    """The same definition at another line (a patch above it moved it) is parsed once and moved (models.cload.
    _moved_chunk): the nodes parsing it at its own line gives, coordinates included; the program says its lines."""
    from pycparser import c_ast

    from models import cload
    from models.cparse import gnu_attributes
    from models.cppexpand import expand

    func = ("#define TWICE(x) ((x) * 2)\nstatic int twice(int v)\n{\n\tint r = TWICE(v);\n\n\n\n\n\n\n\n\n"
            "\treturn r + __builtin_constant_p(v);\n}\n")

    def loaded(blank: int) -> cload.Program:
        lines = tuple(("\n" * blank + func).split("\n"))
        return load_program((Source("m.c", ((1, lines),), True),), (EntryPoint("twice", ("fn",)),))

    near = loaded(3)
    parses = cload._parse_chunk.cache_info().misses
    far = loaded(300)
    assert cload._parse_chunk.cache_info().misses == parses  # nothing parsed again: the function moved
    body = far.functions["twice"].body
    assert far.where(body.block_items[-1].coord) == "m.c:313" and near.where(near.functions["twice"].coord) == \
        "m.c:5"
    text = "\n".join(func.split("\n")[1:])
    block = "#define TWICE(x) ((x) * 2)"
    expanded = gnu_attributes(expand(text, block, "m.c", 302))
    direct = cload._parse_chunk.__wrapped__(expanded, ())
    moved = cload._moved(direct[0], 0, {})  # a copy, as _moved_chunk makes one
    assert repr(moved) == repr(far.functions["twice"]) and isinstance(moved, c_ast.FuncDef)

    def coords(node: c_ast.Node) -> list[object]:
        return [node.coord, *(c for _, child in node.children() for c in coords(child))]

    assert coords(direct[0]) == coords(far.functions["twice"])


def test_the_first_place_of_a_moved_definition_is_its_parse_and_the_next_a_copy_of_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first place an expansion is met is parsed there, with no copy (models.cload._first_place: parsing it
    at line 100,000 and copying it down cost two parses' worth); another place, above or below, is a copy of that
    parse moved by the difference: each the nodes parsing the expansion at its own line gives, coordinates too."""
    from pycparser import c_ast

    from models import cload
    from models.cparse import gnu_attributes
    from models.cppexpand import expand
    from models.mirror import clear_caches

    func = "static int thrice_%d(int v)\n{\n\tint r = v * 3;\n\n\treturn r;\n}\n"
    copies: list[int] = []
    real_moved = cload._moved
    monkeypatch.setattr(cload, "_moved", lambda *a: copies.append(a[1]) or real_moved(*a))

    def loaded(blank: int) -> c_ast.FuncDef:
        lines = tuple(("\n" * blank + func % 7).split("\n"))
        program = load_program((Source("t.c", ((1, lines),), True),), (EntryPoint("thrice_7", ("fn",)),))
        return program.functions["thrice_7"]

    def coords(node: c_ast.Node) -> list[object]:
        return [node.coord, *(c for _, child in node.children() for c in coords(child))]

    def direct(line: int) -> c_ast.FuncDef:
        expanded = gnu_attributes(expand((func % 7).rstrip("\n"), "", "t.c", line))
        node = cload._parse_chunk.__wrapped__(expanded, ())[0]
        assert isinstance(node, c_ast.FuncDef)
        return node

    clear_caches()
    first = loaded(40)
    assert copies == [] and coords(first) == coords(direct(41))  # parsed at its place, not copied there
    above, below = loaded(2), loaded(900)
    assert copies == [-38, 860]  # each moved from the first place
    for node, line in ((above, 3), (below, 901)):
        assert repr(node) == repr(direct(line)) and coords(node) == coords(direct(line))
    assert above.coord.line == 3 and below.body.block_items[-1].coord.line == 905


def test_a_definition_in_another_file_is_parsed_once_and_placed_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """A definition in several files (a header's, one a patch moved to another file) is expanded and parsed once
    (models.cppexpand.expanded_anywhere, models.cload._moved_chunk): each copy the nodes parsing it in its own file and
    at its own line gives, coordinates too; one that names __FILE__ is expanded and parsed in each file."""
    from pycparser import c_ast

    from models import cload, cppexpand
    from models.cparse import gnu_attributes
    from models.cppexpand import expand
    from models.mirror import clear_caches

    def loaded(path: str, blank: int, body: str) -> c_ast.FuncDef:
        lines = tuple(("\n" * blank + body).split("\n"))
        program = load_program((Source(path, ((1, lines),), True),), (EntryPoint("quad", ("fn",)),))
        return program.functions["quad"]

    def coords(node: c_ast.Node) -> list[object]:
        return [node.coord, *(c for _, child in node.children() for c in coords(child))]

    def direct(path: str, line: int, body: str) -> c_ast.FuncDef:
        node = real_parse(gnu_attributes(expand(body.rstrip("\n"), "", path, line)), ())[0]
        assert isinstance(node, c_ast.FuncDef)
        return node

    plain = "static int quad(int v)\n{\n\tint r = v * 4;\n\n\treturn r;\n}\n"
    named = "static int quad(int v)\n{\n\tconst char *f = __FILE__;\n\n\treturn v * 4 + !f;\n}\n"
    clear_caches()
    parses: list[bool] = []
    real_parse = cload._parse_chunk.__wrapped__
    monkeypatch.setattr(cload, "_parse_chunk", cload.lru_cache(maxsize=64)(
        lambda text, typedefs: parses.append("int quad(" in text) or real_parse(text, typedefs)))
    places = [("a/x.c", 3), ("b/y.h", 3), ("b/y.h", 70), ("<entry>", 5)]
    for body, count in ((plain, 1), (named, 3)):
        for path, blank in places:
            node = loaded(path, blank, body)
            want = direct(path, blank + 1, body)
            assert repr(node) == repr(want) and coords(node) == coords(want)
            assert node.coord.file == path
        assert sum(parses) == count, body
        parses.clear()
    assert cppexpand._expanded_anywhere.cache_info().currsize >= 1


def test_a_moved_copy_keeps_what_is_shared_and_what_is_unset() -> None:
    """models.cload._moved copies every field of a node, moves its coordinates (not the typedef lines'), keeps one
    object met twice one object in the copy, leaves a field never set unset and a string or number as it is."""
    from pycparser import c_ast
    from pycparser.c_parser import Coord

    from models import cload

    at, typedef_at = Coord("<tu>", 10, 3), Coord("<typedefs>", 1, 1)
    shared = c_ast.ID("x", at)
    pair = c_ast.BinaryOp("+", shared, shared, at)
    decl = c_ast.Decl("v", ["const"], [], [], [], c_ast.TypeDecl("v", [], None, c_ast.IdentifierType(["int"])),
                      pair, None, typedef_at)
    unset = object.__new__(c_ast.Constant)  # a node whose fields were never set
    unset.value = "7"
    nodes = [decl, c_ast.Compound([unset, c_ast.Constant("int", "1", (at, 2))])]
    moved = [cload._moved(n, 5, memo := {}) for n in nodes]
    assert repr(moved[0]) == repr(decl)
    copy = moved[0].init
    assert copy is not pair and copy.left is copy.right and copy.left is not shared
    assert copy.coord is copy.left.coord and copy.coord.line == 15 and at.line == 10
    assert moved[0].coord == typedef_at and moved[0].coord is not typedef_at
    assert moved[0].quals == ["const"] and moved[0].quals is not decl.quals
    item = moved[1].block_items[0]
    assert item is not unset and item.value == "7" and not hasattr(item, "type") and not hasattr(item, "coord")
    assert moved[1].block_items[1].coord[1] == 2 and moved[1].block_items[1].coord[0].line == 15
    assert len(memo) > 0


def test_a_definition_every_program_holds_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The programs of a series' variants hold the same definitions at the same places: each one's nodes are worked
    out once (models.cload._kept_chunk), not looked up again through the expansion and parse caches for each program;
    one that does not load is read again each time, and says why as it did."""
    from models import cload

    read: list[str] = []
    read_chunk = cload._read_chunk

    def counted(text: str, *args: object, **kwargs: object) -> object:
        read.append(text)
        return read_chunk(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cload, "_read_chunk", counted)
    code = ("static int kept_once_7(int v)\n{\n\treturn v + 7;\n}\n\n"
            "static int broken_7(int v)\n{\n\tsc_func_t_7 f = 0;\n\treturn v;\n}\n")
    one = (Source("k.c", ((1, tuple(code.split("\n"))),), True),)
    two = (*one, Source("other.c", ((1, ("static int unrelated_7;",)),), True))
    entries = (EntryPoint("kept_once_7", ("fn",)), EntryPoint("broken_7", ("fn",)))
    first, second = load_program(one, entries), load_program(two, entries)
    kept = [t for t in read if "kept_once_7" in t and "__sh" not in t]
    assert len(kept) == 1 and first.functions["kept_once_7"] is second.functions["kept_once_7"]
    assert first.dropped["broken_7"] == second.dropped["broken_7"] and "sc_func_t_7" in first.dropped["broken_7"]
    assert len([t for t in read if "broken_7" in t and "__sh" not in t]) == 3  # kept once (None), then said twice


def test_a_sources_hash_is_that_of_every_field_kept_once_and_not_pickled() -> None:
    # Source keeps its hash (the caches of sources look it up again and again): the value @record gives, of every
    # field (a field added later and left out of it would make sources that differ there one key's).
    s = Source("d/a.h", ((1, ("int a;", "int b;")),), True, only=frozenset({"a"}), unknown=frozenset({"c"}),
               searched="d/", unincluded=True)
    assert hash(s) == hash(tuple(getattr(s, f.name) for f in dataclasses.fields(Source)))
    assert hash(s) == hash(s) == hash(dataclasses.replace(s))
    assert s.__dict__["_hash"] == hash(s)
    back = pickle.loads(pickle.dumps(s))  # another process's str hashes differ: worked out there again
    assert "_hash" not in back.__dict__ and back == s and hash(back) == hash(s)
    other = dataclasses.replace(s, unincluded=False)
    assert other != s and "_hash" not in other.__dict__


def test_definitions_asked_again_of_one_tuple_of_sources_is_the_one_table() -> None:
    # a variant's tuple of sources is asked for its table by every rule, check and lane: found by identity, and an
    # equal tuple (or a list) still gets the table of its value
    from models.loader import definitions

    src = (Source("t/d.h", ((1, ("#define SC_A 1", "static int f(void) { return SC_A; }")),), True),)
    table = definitions(src)
    assert definitions(src) is table and definitions(list(src)) is table and definitions(tuple(list(src))) is table
    assert [d.kind for d in table["SC_A"]] == [Kind.MACRO] and [d.kind for d in table["f"]] == [Kind.FUNCTION]
    other = (Source("t/d.h", ((1, ("#define SC_A 2",)),), True),)
    assert definitions(other)["SC_A"][0].text == "#define SC_A 2" and "f" not in definitions(other)


def test_a_headers_default_the_one_unit_reading_it_defines_first_is_left_out() -> None:
    # harness.unitmacros says a.c defines N above its first #include of h.h, the one unit reading it: the header's
    # '#ifndef N' default is skipped there (gcc), so a.c's N is the one definition.
    from models.loader import definitions

    c_text = '#define N 1\n#include "h.h"\n'
    h_text = "#ifndef N\n#define N 3\n#endif\nstatic int g(void) { return N; }\n"
    h = Source("h.h", ((1, tuple(h_text.splitlines())),), True)
    told = Source("a.c", ((1, tuple(c_text.splitlines())),), True, unit_macros=(("N", "h.h", ""),))
    assert [d.where for d in definitions((h, told))["N"]] == ["a.c:1"]
    kept = Source("a.c", ((1, tuple(c_text.splitlines())),), True, unit_macros=(("N", "h.h", "b.c reads h.h too"),))
    assert [d.where for d in definitions((h, kept))["N"]] == ["a.c:1", "h.h:2"]
