"""Stores computed from bits of the leaf other than bit 63 (models.otherbits), as models.leafbits marks them."""

from __future__ import annotations

import pytest

from models.facts import OTHER_BITS
from tests.models.test_leafbits import _fixed


@pytest.fixture(autouse=True)
def _walks_of_this_test() -> None:
    """No walk another test's program kept (models.leafwalks): each test's marks are its own program's."""
    from models import leafwalks

    leafwalks._WALKS.clear()


def test_a_store_computed_from_bits_of_the_leaf_other_than_bit_63_is_marked_for_either_value_of_it() -> None:
    # harness.leafsame: a same_across_leaves pass cannot rest on the leaves compared for such a store (a table
    # indexed by fn & 3 the matrix's leaves never index at 2). Bit 63 alone, or the leaf copied whole, is no such one.
    tdx, ldr = _fixed("\tleft = (fn & 3) + 1;\n\tleft = (fn >> 63) + 1;\n\tleft = (int)fn;\n"
                      "\tleft = is_ldr(fn) ? 1 : 2;\n\terr = NO_ENTROPY & ~3ULL;\n")
    for side in (tdx, ldr):
        assert side.get(1) == {OTHER_BITS}, side
        assert not {2, 3, 4, 5} & {line for line, values in side.items() if OTHER_BITS in values}, side


def test_a_store_of_what_a_helper_computes_from_other_bits_of_the_leaf_is_marked_too() -> None:
    extra = "static inline int slot(u64 f)\n{\n\treturn f & 3;\n}\n\nstatic inline int top(u64 f)\n{\n" \
            "\treturn f >> 63;\n}\n\n"
    tdx, ldr = _fixed("\tleft = slot(fn);\n\tleft = top(fn);\n", extra)
    for side in (tdx, ldr):
        assert side.get(1) == {OTHER_BITS} and OTHER_BITS not in side.get(2, set()), side


def test_a_local_copy_of_the_leaf_is_read_as_the_leaf_and_one_stored_to_again_is_marked_whatever_it_computes() -> None:
    # 'other' holds the leaf or 0 by the order of its stores, which models.otherbits does not follow: an operator
    # reading it is marked (set the other way round, 'other & 3' reads the leaf's bits 0-1).
    tdx, _ = _fixed("\tu64 leaf = fn;\n\tu64 other = fn;\n\n\tother = 0;\n\tleft = leaf & 3;\n"
                    "\tleft = other & 3;\n\tleft = leaf >> 63;\n")
    marked = {line for line, values in tdx.items() if OTHER_BITS in values}
    assert marked == {5, 6}, tdx


def test_a_print_whose_format_other_bits_of_the_leaf_pick_is_marked() -> None:
    extra = 'static const char *const fmts[4] = { "a %llx\\n", "b %llx\\n", "c %llu\\n", "d %llx\\n" };\n\n'
    tdx, ldr = _fixed('\tpr_err(fmts[fn & 3], fn);\n\tpr_err(fmts[fn >> 63], fn);\n\tpr_err("%llx\\n", fn & 3);\n',
                      extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values} == {1}, side


def test_arithmetic_on_the_leaf_knownbits_knows_nothing_of_is_marked() -> None:
    # fn % 4 reads bits 0-1, fn * 2 all but bit 63: models.knownbits knows no bit of either result.
    tdx, ldr = _fixed("\tleft = fn % 4;\n\tleft = fn * 2;\n\tleft = fn / 2;\n\tleft = fn >> 63;\n")
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values} == {1, 2, 3}, side


def test_a_copy_of_the_leaf_set_by_assignment_or_read_through_its_address_counts_as_the_leaf() -> None:
    tdx, _ = _fixed("\tu64 leaf;\n\tu64 twice = 0;\n\tu64 held = fn;\n\tu64 *p = &held;\n\n\tleaf = fn;\n"
                    "\ttwice = fn;\n\tleft = leaf & 3;\n\tleft = twice & 3;\n\tleft = *p & 3;\n\tleft = leaf >> 63;\n"
                    "\tleft = *p;\n")
    marked = {line for line, values in tdx.items() if OTHER_BITS in values}
    assert marked == {8, 9, 10}, tdx


def test_a_print_of_a_format_a_caller_picks_by_other_bits_of_the_leaf_is_marked() -> None:
    # say() prints its parameter: the caller's sc_fmts[fn & 3] picks its format; say()'s print is the one marked.
    extra = 'static const char *const fmts[4] = { "a %llx\\n", "b %llx\\n", "c %llu\\n", "d %llx\\n" };\n\n' \
            'static void say(const char *fmt, u64 fn)\n{\n\tpr_err(fmt, fn);\n}\n\n'
    tdx, ldr = _fixed("\tsay(fmts[fn & 3], fn);\n", extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values} == {-7}, side  # say()'s pr_err()


def test_a_store_of_what_a_function_called_through_a_pointer_or_ops_member_computes_is_marked() -> None:
    # The pointer and the member name slot() by their initialisers; 'top' returns bit 63 alone.
    extra = "static inline int slot(u64 f)\n{\n\treturn f & 3;\n}\n\nstatic inline int top(u64 f)\n{\n" \
            "\treturn f >> 63;\n}\n\nstatic int (*const slot_fn)(u64) = slot;\n\n" \
            "struct ops {\n\tint (*pick)(u64);\n};\n\n" \
            "static const struct ops sc_ops = { .pick = slot };\n\nstatic int (*const top_fn)(u64) = top;\n\n"
    tdx, ldr = _fixed("\tleft = slot_fn(fn);\n\tleft = sc_ops.pick(fn);\n\tleft = top_fn(fn);\n", extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values} == {1, 2}, side


def test_a_function_stored_to_a_pointer_at_run_time_through_arrow_or_in_a_local_is_followed_too() -> None:
    # slot_fn and ops.pick are set at run time, in init(); opp->pick names the member
    # whatever the struct; 'pick' is a local pointer. Each may call slot(), which returns f & 3.
    extra = "static inline int slot(u64 f)\n{\n\treturn f & 3;\n}\n\nstatic inline int top(u64 f)\n{\n" \
            "\treturn f >> 63;\n}\n\nstatic int (*slot_fn)(u64);\n\nstatic int (*top_fn)(u64);\n\n" \
            "struct ops {\n\tint (*pick)(u64);\n};\n\nstatic struct ops sc_ops;\n\n" \
            "static const struct ops *const opp = &sc_ops;\n\n" \
            "static void init(void)\n{\n\tslot_fn = slot;\n\tsc_ops.pick = &slot;\n\ttop_fn = top;\n}\n\n"
    tdx, ldr = _fixed("\tint (*pick)(u64) = slot;\n\n\tinit();\n\tleft = slot_fn(fn);\n\tleft = sc_ops.pick(fn);\n"
                      "\tleft = opp->pick(fn);\n\tleft = pick(fn);\n\tleft = top_fn(fn);\n", extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values} == {4, 5, 6, 7}, side


def test_a_print_of_a_variable_a_store_elsewhere_sets_from_other_bits_of_the_leaf_is_marked() -> None:
    # pick() sets m.fmt from fn & 3 (its store marked as any); the print of m.fmt, in the function that calls it, is
    # marked too; so is a local set after its declaration and a struct a helper fills through its pointer. top()
    # sets t.fmt from bit 63 alone, and n.fmt is set by nothing: those prints are not marked.
    extra = 'static const char *const fmts[4] = { "a %llx\\n", "b %llx\\n", "c %llu\\n", "d %llx\\n" };\n\n' \
            "struct msg {\n\tconst char *fmt;\n};\n\nstatic struct msg m, t, n;\n\n" \
            "static void pick(u64 f)\n{\n\tm.fmt = fmts[f & 3];\n}\n\n" \
            "static void top(u64 f)\n{\n\tt.fmt = fmts[f >> 63];\n}\n\n" \
            "static void fill(struct msg *p, u64 f)\n{\n\tp->fmt = fmts[f & 3];\n}\n\n"
    tdx, ldr = _fixed("\tconst char *fmt;\n\tstruct msg local;\n\n\tpick(fn);\n\ttop(fn);\n\tfill(&local, fn);\n"
                      "\tfmt = fmts[fn & 3];\n\tpr_err(m.fmt, fn);\n\tpr_err(t.fmt, fn);\n\tpr_err(n.fmt, fn);\n"
                      "\tpr_err(fmt, fn);\n\tpr_err(local.fmt, fn);\n", extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values and line > 0} == {7, 8, 11, 12}, side


def test_a_function_called_through_a_dereferenced_pointer_or_a_member_initialised_by_place_is_followed() -> None:
    extra = "static inline int slot(u64 f)\n{\n\treturn f & 3;\n}\n\n" \
            "struct ops {\n\tint (*pick)(u64);\n};\n\nstatic const struct ops sc_ops = { slot };\n\n"
    tdx, ldr = _fixed("\tleft = sc_ops.pick(fn);\n\tleft = (*sc_ops.pick)(fn);\n\tleft = fn >> 63;\n", extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values and line > 0} == {1, 2}, side


def test_a_dev_err_or_warn_format_other_bits_of_the_leaf_pick_is_marked_and_only_that_one() -> None:
    # dev_err() formats into a buffer of its own each time (models.prelude), which a literal format's print shares
    # the name of: only the expansion given fmts[fn & 3] is marked. WARN() takes its format second.
    extra = 'static const char *const fmts[4] = { "a %llx\\n", "b %llx\\n", "c %llu\\n", "d %llx\\n" };\n\n'
    tdx, ldr = _fixed('\tdev_err(NULL, fmts[fn & 3], fn);\n\tWARN(1, fmts[fn & 3], fn);\n\tpr_err(fmts[fn & 3], fn);\n'
                      '\tdev_err(NULL, fmts[fn >> 63], fn);\n\tdev_err(NULL, "%llx", fn & 3);\n'
                      '\tpr_err("%llx", fn & 3);\n', extra)
    for side in (tdx, ldr):
        assert {line for line, values in side.items() if OTHER_BITS in values} == {1, 2, 3}, side
