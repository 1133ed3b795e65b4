"""Definitions a file-scope macro invocation makes (models/macrogenerated.py): found, run, cited at the call."""

from __future__ import annotations

from models.cload import load_program
from models.loader import EntryPoint, Source
from models.slicer import Kind

GENERATED = """\
#define TDX_STATUS_MASK 0xFFFFFFFF00000000ULL
static inline u64 TDX_STATUS(u64 err)
{
	return err & TDX_STATUS_MASK;
}
#define DEFINE_ERRNO_HELPER(error)		\\
	static inline bool IS_##error(u64 err)	\\
	{					\\
		return TDX_STATUS(err) == error;	\\
	}
DEFINE_ERRNO_HELPER(TDX_SUCCESS);
DEFINE_ERRNO_HELPER(TDX_RND_NO_ENTROPY)
#define DEFINE_PAIR(name, type)				\\
	struct name##_pair { type a; type b; };		\\
	static type name##_sum(struct name##_pair *p) { return p->a + p->b; }
DEFINE_PAIR(leaf,
	u64);
static int f(u64 fn, struct tdx_module_args *args)
{
	struct leaf_pair p = { .a = fn, .b = 2 };
	if (IS_TDX_RND_NO_ENTROPY(fn))
		return -1;
	return IS_TDX_SUCCESS(fn) * 100 + leaf_sum(&p);
}
"""

def _run(code: str, entry: str = "f", leaf: int = 0):  # type: ignore[no-untyped-def]
    from models.machine import Answer
    from models.mirror import Mirror, RunRequest

    program = load_program((Source("a/b.h", ((1, tuple(code.split("\n"))),), True),), (EntryPoint(entry),))
    return Mirror(program).run(RunRequest(entry, leaf, (Answer(0),)))


def test_definitions_generated_by_file_scope_macros_are_found_with_the_invocation_as_provenance() -> None:
    from models.loader import definitions, entry_keys, reachable
    from models.provenance import provenance_of

    src = (Source("a/b.h", ((1, tuple(GENERATED.split("\n"))),), True),)
    table = definitions(src)
    helper = table["IS_TDX_SUCCESS"][0]
    assert (helper.kind, helper.where, helper.generated_by) == (Kind.FUNCTION, "a/b.h:11", "DEFINE_ERRNO_HELPER")
    assert table["IS_TDX_RND_NO_ENTROPY"][0].where == "a/b.h:12"
    assert {table["leaf_pair"][0].kind, table["leaf_sum"][0].kind} == {Kind.STRUCT, Kind.FUNCTION}
    assert {"IS_TDX_SUCCESS", "DEFINE_ERRNO_HELPER", "TDX_STATUS", "leaf_sum"} <= reachable(src, "f")
    rows = {name: where for name, _, where in provenance_of(src, (EntryPoint("f"),))}
    assert rows["IS_TDX_SUCCESS"] == "a/b.h:11" and rows["leaf_sum"] == "a/b.h:16"
    # The generating macro's body is part of the code an entry reaches: changing it changes the key.
    changed = GENERATED.replace("== error;", "!= error;")
    other = (Source("a/b.h", ((1, tuple(changed.split("\n"))),), True),)
    assert entry_keys(src, (EntryPoint("f"),)) != entry_keys(other, (EntryPoint("f"),))
    assert _run(GENERATED, leaf=0).ret == 102
    assert _run(GENERATED, leaf=0x8000020300000005).ret == -1
    assert _run(changed, leaf=0).ret == -1  # IS_TDX_RND_NO_ENTROPY(0) is now true


def test_prelude_macros_generate_too_and_unknown_invocations_are_ignored() -> None:
    code = ("static DEFINE_SPINLOCK(tdx_lock);\nEXPORT_SYMBOL(nothing);\nstatic u64 dropped;\n"
            "DEFINE_FREE(drop, u64 *, if (_T) dropped += *_T)\n"
            "static int f(u64 fn, struct tdx_module_args *a)\n{\n\t{\n\t\tu64 *r __free(drop) = &a->rcx;\n"
            "\t\tu64 *none __free(drop) = NULL;\n\t\t*r = 40;\n\t}\n"
            "\tspin_lock(&tdx_lock);\n\treturn dropped + sizeof(tdx_lock);\n}\n")
    from models.loader import definitions

    table = definitions((Source("a/b.h", ((1, tuple(code.split("\n"))),), True),))
    assert table["tdx_lock"][0].kind is Kind.VARIABLE and table["__free_drop"][0].kind is Kind.FUNCTION
    assert "nothing" not in table and "EXPORT_SYMBOL" not in table
    out = _run(code)
    assert out.status == "ok" and out.ret == 44, out.error
    assert [(e.kind, e.detail) for e in out.events] == [("preempt", "count 1"), ("lock", "tdx_lock acquired"),
                                                        ("violation", "f() returned with preemption disabled "
                                                                      "(preempt count 1)")]  # tdx_lock still held


def test_error_in_a_generated_function_names_the_invocation_line() -> None:
    code = ("#define DEFINE_DIV(n) static int div_##n(int x) { return x / n; }\nDEFINE_DIV(0)\n"
            "static int f(u64 fn, struct tdx_module_args *a) { return div_0(5); }\n")
    out = _run(code)
    assert out.status == "error" and out.error == "a/b.h:2: division by zero"

def test_a_function_a_macro_makes_in_a_tree_file_taken_for_it_is_defined() -> None:
    # A tree's header or .c file taken for some names (Source.only: harness.sysheaders, harness.unitdefs) whose
    # function a macro of that file makes ('SEAM_FN(seam_kick)'): before, its invocation was skipped, and the name
    # taken from the file was defined nowhere ('call to unknown function seam_kick()').
    from models.loader import Source, definitions

    text = ("#define SEAM_FN(n) static inline u64 n(u64 fn) { return fn + 2; }\nSEAM_FN(seam_kick)\nSEAM_FN(other)\n"
            "EXPORT_SYMBOL(seam_kick);\n")
    src = Source("arch/x86/include/asm/seam.h", ((1, tuple(text.splitlines())),), True,
                 only=frozenset({"seam_kick", "SEAM_FN"}))
    table = definitions((src,))
    assert [(d.where, d.generated_by) for d in table["seam_kick"]] == [("arch/x86/include/asm/seam.h:2", "SEAM_FN")]
    assert "other" not in table  # not a name it was taken for


def test_an_invocation_defines_its_expansions_items_with_the_invocation_as_their_text() -> None:
    from models.loader import sliced
    from models.macrogenerated import generated_by, kernel_macro_definitions

    percpu, export = sliced("a/b.c", 5, ("static DEFINE_PER_CPU(unsigned int, hits);", "EXPORT_SYMBOL(hits);"))
    [hits] = kernel_macro_definitions(percpu)
    assert (hits.kind, hits.name, hits.where, hits.text, hits.generated_by) == (
        Kind.VARIABLE, "hits", "a/b.c:5", "static DEFINE_PER_CPU(unsigned int, hits);", "DEFINE_PER_CPU")
    assert kernel_macro_definitions(export) == ()  # a macro neither the files nor the prelude define
    mine, call = sliced("a/b.c", 5, ("#define MINE(n) static int n##_x = 1;", "MINE(q)"))
    assert kernel_macro_definitions(call) == ()  # the files' own macro: only with the files' macros
    [(made, expanded)] = generated_by(call, {"MINE": mine})
    assert (made.kind, made.name, made.text, made.line, expanded) == (Kind.VARIABLE, "q_x", "MINE(q)", 6,
                                                                      "static int q_x = 1;")


def test_generated_text_is_the_declaration_the_invocation_expands_to() -> None:
    from models.loader import definitions
    from models.macrogenerated import generated_text

    text = "#define SC_INT(n) int n\n#define SC_KEY(n) DEFINE_STATIC_KEY_FALSE(n)\nstatic SC_INT(sc_a);\n" \
        "static SC_KEY(sc_b);\nstatic int sc_c;\n"
    table = definitions((Source("a.c", ((1, tuple(text.splitlines())),), True),))
    macros = {n: ds[0] for n, ds in table.items() if ds[0].kind is Kind.MACRO}
    assert generated_text(table["sc_a"][0], macros) == "static int sc_a;"
    assert (generated_text(table["sc_b"][0], macros) or "").startswith("static struct static_key_false sc_b =")
    assert generated_text(table["sc_c"][0], macros) is None  # no invocation wrote it
    assert table["sc_a"][0].text == "static SC_INT(sc_a);"  # the definition keeps the invocation as its text


def test_an_object_like_macro_alone_at_file_scope_defines_what_it_expands_to_where_it_is_in_force() -> None:
    # C11 6.10.3p9: cpp replaces the name by the macro's body there; before, the slicer read no item at all and the
    # mirror said "unknown identifier 'sc_n'".
    from models.loader import definitions

    code = ("#define SC_N static int sc_n = 40\nSC_N;\n#define SC_M static int sc_m = 2\n#undef SC_M\nstatic SC_M;\n"
            "static SC_L;\n#define SC_L static int sc_l = 1\n"
            "static int f(u64 fn, struct tdx_module_args *a) { return sc_n + 2; }\n")
    table = definitions((Source("a/b.c", ((1, tuple(code.split("\n"))),), True),))
    [made] = table["sc_n"]
    assert (made.kind, made.text, made.where, made.generated_by) == (Kind.VARIABLE, "SC_N;", "a/b.c:2", "SC_N")
    assert "sc_m" not in table and "sc_l" not in table  # #undef'd above, defined below: cpp leaves the name
    out = _run(code)
    assert out.status == "ok" and out.ret == 42, out.error


def test_expands_there_asks_the_definition_in_force_at_a_bare_name_only() -> None:
    from models.loader import sliced
    from models.macrogenerated import expands_there

    mac, undef, bare, call = sliced("a.c", 1, ("#define K int k", "#undef K", "K;", "F(k);"))
    assert expands_there(bare, [mac], []) and not expands_there(bare, [mac], [undef])
    assert expands_there(call, [mac], [undef])  # no bare name: generated_by decides
    [header] = sliced("a.h", 1, ("#define K int k",))
    assert expands_there(bare, [header], [], lambda h, p, n: True) and not expands_there(bare, [header], [undef])
    assert not expands_there(bare, [header], [])  # where a.c includes a.h is not known
    assert not expands_there(bare, [header], [], lambda h, p, n: False)
    [late] = sliced("a.c", 9, ("#define K int k",))
    assert not expands_there(bare, [late], [])  # defined below it


def test_an_object_like_macro_of_a_header_is_expanded_alone_only_below_its_files_include() -> None:
    # cpp: the header's #define is in force only once the .c file has included it (C11 6.10.2, 6.10.3.5).
    from models.loader import definitions

    h = Source("a/h.h", ((1, ("#define SC_N static int sc_n = 40",)),), True)
    # '#inc\\' then 'lude "h.h"' and '# /* c */ include' are the same include to gcc (models.cdirectives).
    for text, made in (('#include "h.h"\nSC_N;', True), ('SC_N;\n#include "h.h"', False), ("SC_N;", False),
                       ('#inc\\\nlude "h.h"\nSC_N;', True), ('# /* c */ include "h.h"\nSC_N;', True)):
        c = Source("a/b.c", ((1, tuple(text.split("\n"))),), True)
        assert ("sc_n" in definitions((h, c))) is made, text
