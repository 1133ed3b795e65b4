"""A print of a file-scope object a wrapper stores its format or struct va_format in (models.keptprints)."""

from __future__ import annotations

import pytest

from models.facts import OTHER_BITS
from tests.models.test_leafbits import _fixed


@pytest.fixture(autouse=True)
def _walks_of_this_test() -> None:
    """No walk another test's program kept (models.leafwalks): each test's marks are its own program's."""
    from models import leafwalks

    leafwalks._WALKS.clear()


FMTS = 'static const char *const fmts[4] = { "a %llx\\n", "b %llx\\n", "c %llu\\n", "d %llx\\n" };\n\n'
# say() keeps its local struct va_format's address where sc_pp points; show() prints sc_keep.
SAY = """\
static struct va_format *sc_keep, *sc_other;
static struct va_format **sc_pp = &sc_keep;

static void show(void)
{
\tpr_err("%pV", sc_keep);
}

static void say(const char *fmt, ...)
{
\tstruct va_format vaf;
\tva_list ap;

\tva_start(ap, fmt);
\tvaf.fmt = fmt;
\tvaf.va = &ap;
\tSTORE;
\tshow();
\tva_end(ap);
}

"""
BODY = "\tsay(fmts[fn & 3], fn);\n"


def _print_marked(store: str, extra: str = SAY) -> bool:
    """Whether show()'s print is marked as one whose format other bits of the leaf pick, for either bit 63."""
    code = FMTS + extra.replace("STORE", store)
    # _fixed counts lines from call()'s body, 1 its first
    line = code.splitlines().index('\tpr_err("%pV", sc_keep);') - code.count("\n") - 4
    tdx, ldr = _fixed(BODY, code)
    return all(OTHER_BITS in side.get(line, set()) for side in (tdx, ldr))


@pytest.mark.parametrize("store", ["*sc_pp = &vaf", "*(sc_pp + 0) = &vaf", "sc_put(sc_pp, &vaf)",
                                   "sc_keep = sc_id(&vaf)"],
                         ids=["through-a-pointer-to-it", "through-an-offset", "by-a-files-function",
                              "given-back-by-a-helper"])
def test_a_va_format_whose_address_reaches_the_printed_object_marks_the_print(store: str) -> None:
    helpers = "static void sc_put(struct va_format **pp, struct va_format *v)\n{\n\t*pp = v;\n}\n\n" \
              "static struct va_format *sc_id(struct va_format *v)\n{\n\treturn v;\n}\n\n"
    assert _print_marked(store, SAY.replace("static void show", helpers + "static void show"))


def test_a_print_through_a_file_scope_pointer_to_the_object_is_marked() -> None:
    code = FMTS + SAY.replace("STORE", "sc_keep = &vaf").replace('"%pV", sc_keep)', '"%pV", *sc_pp)')
    line = code.splitlines().index('\tpr_err("%pV", *sc_pp);') - code.count("\n") - 4
    tdx, ldr = _fixed(BODY, code)
    assert OTHER_BITS in tdx.get(line, set()) and OTHER_BITS in ldr.get(line, set())


@pytest.mark.parametrize(("arg", "extra"), [
    ("READ_ONCE(sc_keep)", ""), ("sc_get()", "static struct va_format *sc_get(void)\n{\n\treturn sc_keep;\n}\n\n"),
    ("sc_get2()", "static struct va_format *sc_get(void)\n{\n\treturn sc_keep;\n}\n\n"
                  "static struct va_format *sc_get2(void)\n{\n\treturn sc_get();\n}\n\n"),
], ids=["read-once", "a-getter", "a-getter-of-a-getter"])
def test_a_print_of_an_argument_reading_the_object_or_calling_a_function_giving_it_back_is_marked(
        arg: str, extra: str) -> None:
    code = FMTS + SAY.replace("STORE", "sc_keep = &vaf").replace('"%pV", sc_keep)', f'"%pV", {arg})').replace(
        "static void show", extra + "static void show")
    line = code.splitlines().index(f'\tpr_err("%pV", {arg});') - code.count("\n") - 4
    tdx, ldr = _fixed(BODY, code)
    assert OTHER_BITS in tdx.get(line, set()) and OTHER_BITS in ldr.get(line, set())


def test_what_a_file_scope_pointer_points_at_is_read_again_in_a_program_where_it_differs() -> None:
    # say() and show() are the same definitions in both programs; only sc_pp's initialiser differs. A walk kept from
    # the first (models.leafwalks) must not give the second its mark: sc_other is never printed.
    assert _print_marked("*sc_pp = &vaf")
    assert not _print_marked("*sc_pp = &vaf", SAY.replace("sc_pp = &sc_keep;", "sc_pp = &sc_other;"))


@pytest.mark.parametrize("aim", ["sc_pp = &sc_keep;", "a = &sc_keep;\n\tsc_pp = a;",
                                 "a = &sc_keep;\n\tb = a;\n\tsc_pp = b;"],
                         ids=["directly", "through-a-local", "through-two-locals"])
def test_a_file_scope_pointer_aimed_at_the_object_through_locals_is_followed(aim: str) -> None:
    # models.pointsat.file_targets: a store naming a local reaches what that local's own stores name, any depth
    aimer = f"static void sc_aim(void)\n{{\n\tstruct va_format **a, **b;\n\n\t{aim}\n}}\n\n"
    code = FMTS + SAY.replace("static struct va_format **sc_pp = &sc_keep;", "static struct va_format **sc_pp;") \
        .replace("STORE", "sc_keep = &vaf").replace('"%pV", sc_keep)', '"%pV", *sc_pp)') \
        .replace("static void show", aimer + "static void show").replace("\tshow();", "\tsc_aim();\n\tshow();")
    line = code.splitlines().index('\tpr_err("%pV", *sc_pp);') - code.count("\n") - 4
    tdx, ldr = _fixed(BODY, code)
    assert OTHER_BITS in tdx.get(line, set()) and OTHER_BITS in ldr.get(line, set())


@pytest.mark.parametrize("aim", ["sc_aim(&p);", "q = &p;\n\t*q = &sc_keep;"], ids=["by-a-files-function", "by-a-store"])
def test_a_store_through_a_local_pointer_set_through_its_address_marks_the_print(aim: str) -> None:
    # models.pointsat.pointees: '&p' handed anywhere may set p to any object: sc_aim() aims it at sc_keep
    helper = "static void sc_aim(struct va_format ***out)\n{\n\t*out = &sc_keep;\n}\n\n"
    extra = SAY.replace("static void show", helper + "static void show").replace(
        "\tva_list ap;", "\tva_list ap;\n\tstruct va_format **p, ***q;")
    assert _print_marked(f"{aim}\n\t*p = &vaf", extra)
