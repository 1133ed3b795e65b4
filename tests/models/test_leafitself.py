"""An argument printed as the leaf itself, and the shapes that only read it.

An argument printed as the leaf itself, whatever the leaf (models.leafitself, models.leafflow LEAF_ITSELF), and
the shapes that only read it: a base told by a conversion (harness.leafconv) rests on the first kind only."""

from __future__ import annotations

import pytest

from models.facts import SITE_LEAF_ARG, SITE_LEAF_ITSELF
from models.loader import EntryPoint, Source
from models.source import code_facts

HEAD = """\
#define LDR_BIT	BIT_ULL(63)

u64 __seamcall(u64 fn, struct tdx_module_args *args);
"""


def _kinds(printer: str, call: str = "show(fn, err);") -> set[str]:
    """The leaf-site kinds of the printk argument 1 of ``show()`` (its body ``printer``), which ``call(fn, args)``
    reaches by ``call``."""
    code = HEAD + (f"\nstatic void show(u64 fn, u64 err)\n{{\n{printer}}}\n\n"
                   "static u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
                   f"\tif (err)\n\t\t{call}\n\treturn err;\n}}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    sites = code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]
    return {kind for _, kind, key in sites if key.endswith("@1") and kind in (SITE_LEAF_ARG, SITE_LEAF_ITSELF)}


PRINT = '\tpr_err("leaf %llu failed: %llx\\n", {arg}, err);\n'
BOTH, READ = {SITE_LEAF_ARG, SITE_LEAF_ITSELF}, {SITE_LEAF_ARG}


@pytest.mark.parametrize(("printer", "call", "want"), [
    (PRINT.format(arg="fn"), "show(fn, err);", BOTH),
    (PRINT.format(arg="(u64)fn"), "show(fn, err);", BOTH),
    (PRINT.format(arg="fn & ~LDR_BIT"), "show(fn, err);", BOTH),  # bit 63 off: its low 32 bits whole
    ("\tfn &= ~LDR_BIT;\n" + PRINT.format(arg="fn"), "show(fn, err);", BOTH),
    (PRINT.format(arg="fn"), "show(fn & ~LDR_BIT, err);", BOTH),
    (PRINT.format(arg="fn & 1"), "show(fn, err);", READ),
    (PRINT.format(arg="fn & 0xffff"), "show(fn, err);", READ),  # a leaf of 0x10000 prints as 0
    (PRINT.format(arg="(u32)fn"), "show(fn, err);", READ),  # a leaf of 1 << 32 prints as 0
    ("\tfn &= 1;\n" + PRINT.format(arg="fn"), "show(fn, err);", READ),
    ("\tfn++;\n" + PRINT.format(arg="fn"), "show(fn, err);", READ),
    ("\tu64 *p = &fn;\n\t*p = 0;\n" + PRINT.format(arg="fn"), "show(fn, err);", READ),
    ("\tu64 low = fn & 1;\n" + PRINT.format(arg="low"), "show(fn, err);", READ),
    (PRINT.format(arg="fn"), "show(fn & 1, err);", READ),  # a caller hands on only a bit of it
    (PRINT.format(arg="fn"), "show(fn >> 1, err);", READ),
], ids=["itself", "u64 cast", "bit 63 off", "bit 63 cleared", "caller clears bit 63", "low bit", "low half",
        "u32 cast", "low bit kept", "incremented", "address taken", "copied low bit", "caller's low bit",
        "caller's shift"])
def test_the_leaf_itself_is_told_from_what_only_reads_it(printer: str, call: str, want: set[str]) -> None:
    assert _kinds(printer, call) == want


def test_a_printer_two_callers_reach_is_the_leaf_only_if_both_hand_it_on_whole() -> None:
    printer = PRINT.format(arg="fn")
    assert _kinds(printer, "show(fn, err);\n\telse\n\t\tshow(fn, 0);") == BOTH
    assert _kinds(printer, "show(fn, err);\n\telse\n\t\tshow(fn & 1, 0);") == READ


def _shown(param: str, calls: str, tables: str = "") -> set[str]:
    """The leaf-site kinds of ``show()``'s printk argument 1, ``show()`` taking the leaf as ``param`` and ``call()``
    reaching it by ``calls`` (``tables``: file-scope variables defined between them)."""
    typedef = "typedef u16 leaf_t;\n" if "leaf_t" in param else ""
    code = HEAD + typedef + (f"\nstatic void show({param}, u64 err)\n{{\n{PRINT.format(arg='fn')}}}\n{tables}\n"
                   "static u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
                   f"\tif (err) {{\n{calls}\t}}\n\treturn err;\n}}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    sites = code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]
    return {kind for _, kind, key in sites if key.endswith("@1") and kind in (SITE_LEAF_ARG, SITE_LEAF_ITSELF)}


@pytest.mark.parametrize(("param", "want"), [
    ("u64 fn", BOTH), ("unsigned long long fn", BOTH), ("int fn", BOTH), ("u32 fn", BOTH), ("const u64 fn", BOTH),
    ("bool fn", READ),  # 0 or 1 whatever the leaf: a leaf of 0x21 prints as 1 (C17 6.3.1.2)
    ("u8 fn", READ), ("unsigned short fn", READ), ("char fn", READ),  # the low 8 or 16 bits
    ("leaf_t fn", READ),  # a typedef: its width is not read
])
def test_a_parameter_holds_the_leaf_only_if_its_type_keeps_the_low_32_bits(param: str, want: set[str]) -> None:
    # Before: a bool or u8 parameter the caller hands the leaf was the leaf itself, and leaf-base-consistent told
    # the P-SEAMLDR's base from a '%d' of it (tests/harness/test_leaf_base_by_conversion.py).
    assert _shown(param, "\t\tshow(fn, err);\n") == want


POINTER_TABLE = "\nstruct show_ops { void (*log)(u64, u64); };\nstatic const struct show_ops ops = { .log = show };\n"


@pytest.mark.parametrize(("calls", "tables"), [
    ("\t\tshow(fn, err);\n\t\tops.log(fn & 1, err);\n", POINTER_TABLE),
    ("\t\tshow(fn, err);\n\t\tshow_ptr(fn & 1, err);\n", "\nstatic void (*const show_ptr)(u64, u64) = show;\n"),
    ("\t\tshow(fn, err);\n\t\tshow_ptr(fn & 1, err);\n", "\nstatic void (*show_ptr)(u64, u64) = &show;\n"),
], ids=["struct table", "pointer variable", "address of"])
def test_a_call_through_a_file_scope_pointer_reaches_the_functions_its_initializer_names(calls: str,
                                                                                            tables: str) -> None:
    # Before: only functions named in a function body were the targets of a call through a pointer, and a call of a
    # file-scope pointer by its name was no call at all: show() was handed the leaf itself by its one direct call.
    assert _shown("u64 fn", calls, tables) == READ
    assert _shown("u64 fn", calls.replace("fn & 1", "fn"), tables) == BOTH


LEAF = PRINT.format(arg="leaf")


@pytest.mark.parametrize(("printer", "want"), [
    ("\tu64 leaf = fn;\n" + LEAF, BOTH),
    ("\tu64 leaf = fn & ~LDR_BIT;\n" + LEAF, BOTH),
    ("\tunsigned int leaf = fn;\n" + LEAF, BOTH),
    ("\tu64 leaf = fn;\n\n\tleaf &= ~LDR_BIT;\n" + LEAF, BOTH),
    ("\tu64 first = fn;\n\tu64 leaf = first;\n" + LEAF, BOTH),  # a copy of a copy
    ("\tif (err) {\n\t\tu64 leaf = fn;\n\n\t" + LEAF + "\t}\n", BOTH),  # in an inner block
    ("\tbool leaf = fn;\n" + LEAF, READ),  # 0 or 1
    ("\tu64 leaf = fn & 1;\n" + LEAF, READ),
    ("\tu64 leaf = fn;\n\n\tleaf++;\n" + LEAF, READ),
    ("\tu64 leaf = fn;\n\n\tleaf = 1;\n" + LEAF, READ),
    ("\tu64 leaf = fn, *p = &leaf;\n\n\t*p = 1;\n" + LEAF, READ),
    ("\tu64 leaf;\n\n\tleaf = fn;\n" + LEAF, READ),  # set by a store, not initialised
    # A jump past the initialization leaves it indeterminate (C17 6.8.6.1); gcc builds both.
    ("\tif (!err)\n\t\tgoto out;\n\tu64 leaf = fn;\nout:\n" + LEAF, READ),
    ("\tswitch (err) {\n\tu64 leaf = fn;\n\tcase 1:\n\t" + LEAF + "\t}\n", READ),
    ("\tu64 leaf = fn & 1;\n\n\tif (err) {\n\t\tu64 leaf = fn;\n\t}\n" + LEAF, READ),  # another of that name
], ids=["copy", "bit 63 off", "unsigned int", "bit 63 cleared", "copy of a copy", "inner block", "bool", "low bit",
        "incremented", "stored", "address taken", "set later", "goto past", "case past", "two of the name"])
def test_a_local_copy_of_the_leaf_is_the_leaf_only_if_kept_whole_from_its_initialization(printer: str,
                                                                                         want: set[str]) -> None:
    # Before: a local variable was never the leaf itself, and leaf-base-consistent was left inconclusive on
    # 'u64 leaf = fn & ~SEAMLDR_LEAF_BIT; pr_err("... %llu ...", leaf, ...)' (test_leaf_base_by_conversion).
    assert _kinds(printer) == want


def test_a_name_of_a_file_scope_variable_too_is_no_local_copy() -> None:
    # 'leaf' outside the inner block is the file-scope variable.
    printer = "\tif (err) {\n\t\tu64 leaf = fn;\n\t}\n" + LEAF
    code = HEAD + "\nstatic u64 leaf = 1;\n" + (
        f"\nstatic void show(u64 fn, u64 err)\n{{\n{printer}}}\n\n"
        "static u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = __seamcall(fn, args);\n\n"
        "\tif (err)\n\t\tshow(fn, err);\n\treturn err;\n}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    sites = code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]
    assert not any(kind == SITE_LEAF_ITSELF for _, kind, _ in sites), sites


BOOL_PTR = "void (*)(bool, u64)"
SHOW_T = "\ntypedef void (*show_t)({}, u64);\nstruct show_ops {{ show_t log; }};\n" \
    "static const struct show_ops ops = {{ .log = (show_t)show }};\n"


@pytest.mark.parametrize(("calls", "tables", "want"), [
    # The pointer's type converts the leaf to a bool or a u8 before show(u64 fn, ...) gets it (gcc: a leaf of 0x121
    # prints as 1 and 33, tests/harness/test_leaf_pointer_types.py).
    ("\t\tshow_ptr(fn, err);\n", f"\nstatic void (*const show_ptr)(bool, u64) = ({BOOL_PTR})show;\n", READ),
    ("\t\tops.log(fn, err);\n", SHOW_T.format("u8"), READ),
    (f"\t\tvoid (*p)(bool, u64) = ({BOOL_PTR})show;\n\n\t\tp(fn, err);\n", "", READ),
    (f"\t\t(({BOOL_PTR})show)(fn, err);\n", "", READ),
    ("\t\t(*show_ptr)(fn, err);\n", "\nstatic void (*const show_ptr)(u8, u64) = (void (*)(u8, u64))show;\n", READ),
    ("\t\tshows[0](fn, err);\n", f"\nstatic void (*const shows[])(bool, u64) = {{ ({BOOL_PTR})show }};\n", READ),
    ("\t\tshow_ptr(fn, err);\n", "\ntypedef void show_fn(bool, u64);\n"
                                  "static show_fn *const show_ptr = (show_fn *)show;\n", READ),
    # Not read, so never the leaf: no prototype (gcc hands the u64 on as it is), another struct's member of the name.
    ("\t\tshow_ptr(fn, err);\n", "\nstatic void (*const show_ptr)() = show;\n", READ),
    ("\t\tops.log(fn, err);\n\t\tother.log(fn, err);\n",
     POINTER_TABLE + "struct other_ops { void (*log)(bool, u64); };\nstatic struct other_ops other;\n", READ),
    # Types that keep it, spelled each way: the leaf itself.
    ("\t\tops.log(fn, err);\n", SHOW_T.format("u64"), BOTH),
    ("\t\t((void (*)(u64, u64))show)(fn, err);\n", "", BOTH),
    ("\t\t(*show_ptr)(fn, err);\n", "\nstatic void (*const show_ptr)(u64, u64) = show;\n", BOTH),
    ("\t\tshows[0](fn, err);\n", "\nstatic void (*const shows[])(u64, u64) = { show };\n", BOTH),
    ("\t\tshow_ptr(fn, err);\n", "\ntypedef void show_fn(u64, u64);\nstatic show_fn *const show_ptr = show;\n",
     BOTH),
    ("\t\tconst struct show_ops *o = &ops;\n\n\t\to->log(fn, err);\n", POINTER_TABLE, BOTH),
    ("\t\tvoid (*p)(u32, u64) = (void (*)(u32, u64))show;\n\n\t\tp(fn, err);\n", "", BOTH),
], ids=["bool pointer", "u8 typedef member", "bool local", "bool cast", "u8 dereferenced", "bool array",
        "bool function typedef", "unprototyped", "member of another struct", "u64 typedef member", "u64 cast",
        "u64 dereferenced", "u64 array", "u64 function typedef", "u64 member through a pointer", "u32 local"])
def test_a_call_through_a_pointer_hands_on_the_leaf_as_the_pointer_type_converts_it(calls: str, tables: str,
                                                                                    want: set[str]) -> None:
    # Before: the leaf itself through each (only the callee's own parameter type was read), and leaf-base-consistent
    # told the P-SEAMLDR's base from a '%llu' of 0 or 1 gcc prints as 1 for a leaf of 0x21.
    assert _shown("u64 fn", calls, tables) == want
