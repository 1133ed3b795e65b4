"""Where the leaf steers control (models.leafflow): followed through helpers, macros, globals, pointers, switches."""

from __future__ import annotations

import pytest

from models.leafflow import CALL, CASE, DECISION, LEAF_SHAPE, PRINT, STORE, WARNS
from models.leaftaint import Flow, Reader
from models.loader import EntryPoint, Source
from models.source import code_facts

HEAD = """\
#define LDR_BIT	BIT_ULL(63)
#define IS_LDR(f)	(((f) & LDR_BIT) != 0)
#define NO_ENTROPY	0x8000020300000000ULL

u64 __seamcall(u64 fn, struct tdx_module_args *args);
"""


def _sites(body: str, extra: str = "") -> list[tuple[str, str, int]]:
    """(function, kind, line) of each leaf site of ``call(fn, args)``, whose body is ``body``."""
    code = HEAD + extra + ("\nstatic u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = 0;\n"
                           f"\tint left = 3;\n\tint kind = 0;\n\n{body}\treturn err;\n}}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    sites = code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]
    return sorted((fn, kind, int(key.lstrip("?").split(":")[1])) for fn, kind, key in sites)


def _line(body: str, text: str, extra: str = "") -> int:
    lines = (HEAD + extra + "\nstatic u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = 0;\n"
             f"\tint left = 3;\n\tint kind = 0;\n\n{body}").splitlines()
    return next(i for i, t in enumerate(lines, 1) if text in t)


def test_a_seamcalls_answer_is_not_the_leaf() -> None:
    # The script answers the same for every leaf: a retry loop on the answer alone has no leaf site.
    body = "\tdo {\n\t\terr = __seamcall(fn, args);\n\t} while (err == NO_ENTROPY && --left);\n"
    assert _sites(body) == []


HELPER = "\nstatic inline bool for_loader(u64 leaf)\n{\n\treturn leaf >> 63;\n}\n"
SETTER = "\nstatic inline void pick(u64 leaf, int *out)\n{\n\t*out = IS_LDR(leaf);\n}\n"
LAST = "\nstatic u64 last_leaf;\n"


@pytest.mark.parametrize(("body", "extra", "text"), [
    ("\tif (err == 7 && !(fn >> 63))\n\t\terr = __seamcall(fn, args);\n", "", "if (err == 7"),
    ("\tif (IS_LDR(fn))\n\t\terr = __seamcall(fn, args);\n", "", "if (IS_LDR"),
    ("\tif (for_loader(fn))\n\t\terr = __seamcall(fn, args);\n", HELPER, "if (for_loader"),
    ("\tpick(fn, &kind);\n\tif (kind)\n\t\terr = __seamcall(fn, args);\n", SETTER, "if (kind)"),
    ("\tlast_leaf = fn;\n\tif (last_leaf >> 63)\n\t\terr = __seamcall(fn, args);\n", LAST, "if (last_leaf"),
    ("\tkind = fn >> 63;\n\tleft = kind ? 1 : 3;\n", "", "left = kind ?"),
    ("\tdo {\n\t\terr = __seamcall(fn, args);\n\t} while (err == NO_ENTROPY && !IS_LDR(fn) && --left);\n", "",
     "} while"),
], ids=["direct", "macro", "helper's return", "out parameter", "global", "?:", "do-while"])
def test_a_test_of_the_leaf_is_found_however_the_leaf_reaches_it(body: str, extra: str, text: str) -> None:
    # Before: nothing listed these, and same_across_leaves passed whether or not they ran.
    found = _sites(body, extra)
    assert ("call", DECISION, _line(body, text, extra)) in found, found


def test_a_switch_on_the_leaf_lists_each_label() -> None:
    body = ("\tswitch (fn >> 63) {\n\tcase 0:\n\t\terr = __seamcall(fn, args);\n\t\tbreak;\n"
            "\tdefault:\n\t\tbreak;\n\t}\n")
    found = _sites(body)
    assert [(f, k) for f, k, _ in found] == [("call", CASE), ("call", CASE)]
    assert [n for _, _, n in found] == [_line(body, "case 0:"), _line(body, "default:")]


def test_a_call_through_a_function_the_leaf_picks_is_a_site() -> None:
    extra = ("\nstatic u64 one(u64 fn, struct tdx_module_args *args)\n{\n\treturn __seamcall(fn, args);\n}\n"
             "\nstatic u64 (*const pickers[2])(u64 fn, struct tdx_module_args *args) = { one, one };\n")
    body = "\terr = pickers[fn >> 63](fn, args);\n"
    assert ("call", CALL, _line(body, "pickers[fn", extra)) in _sites(body, extra)


def test_the_leaf_handed_to_a_callback_is_followed_into_its_targets() -> None:
    # An error printer passed as a pointer (sc_retry_prerr(op, seamldr_err, ...)): its tests of the leaf count.
    extra = ("\nstatic void say(u64 leaf, u64 err)\n{\n\tif (leaf >> 63)\n\t\tpr_err(\"loader %llx\\n\", err);\n}\n"
             "\nstatic void report(void (*cb)(u64, u64), u64 leaf, u64 err)\n{\n\tcb(leaf, err);\n}\n")
    body = "\terr = __seamcall(fn, args);\n\treport(say, fn, err);\n"
    assert ("say", DECISION, _line(body, "if (leaf >> 63)", extra)) in _sites(body, extra)


def test_a_print_of_the_leaf_is_a_site_and_a_print_without_it_is_not() -> None:
    body = ('\terr = __seamcall(fn, args);\n\tpr_err("failed: %llx\\n", err);\n'
            '\tif (err == 7)\n\t\tpr_warn("leaf %llu\\n", fn);\n\tWARN(err == 9, "leaf %llu\\n", fn);\n')
    found = _sites(body)
    assert ("call", PRINT, _line(body, "pr_warn")) in found and ("call", WARNS, _line(body, "WARN(")) in found
    assert all(n != _line(body, 'pr_err("failed') for _, _, n in found), found


def test_a_dev_err_of_the_leaf_is_a_print_site_as_the_prelude_expands_it() -> None:
    # models.prelude makes dev_err() a __sh_dev_log() call: a print of the leaf all the same (one on a path no
    # script drives was no site, and leaf-base-consistent passed where gcc prints it in decimal).
    body = '\terr = __seamcall(fn, args);\n\tif (err == 7)\n\t\tdev_err(NULL, "leaf %llu\\n", fn);\n' \
           '\tdev_warn(NULL, "failed: %llx\\n", err);\n'
    found = _sites(body)
    assert ("call", PRINT, _line(body, "dev_err")) in found, found
    assert all(n != _line(body, "dev_warn") for _, _, n in found), found


def test_a_store_of_a_value_read_from_the_leaf_is_a_site() -> None:
    # busy = codes[fn >> 63] under an answer no script gives: the later test of busy ran, the store never did.
    body = "\tif (err == 7)\n\t\tleft = (int)(fn >> 62);\n\tu64 busy = fn & 1;\n"
    found = _sites(body)
    assert ("call", STORE, _line(body, "left = (int)")) in found and ("call", STORE, _line(body, "u64 busy")) in found


def test_the_leaf_kept_in_a_per_cpu_variable_is_followed() -> None:
    extra = "\nstatic DEFINE_PER_CPU(u64, last_leaf);\n"
    body = ("\tthis_cpu_write(last_leaf, fn);\n\terr = __seamcall(fn, args);\n"
            "\tif (err == 7 && (this_cpu_read(last_leaf) >> 63))\n\t\terr = 0;\n")
    assert ("call", DECISION, _line(body, "if (err == 7", extra)) in _sites(body, extra)


def test_a_per_cpu_write_of_a_value_read_from_the_leaf_is_a_site() -> None:
    # A side effect chosen by leaf under an answer no script gives (same_across_leaves compares per-CPU writes of
    # the runs, harness.leafsame): before, no site, so a rule passed without that write ever running.
    extra = "\nstatic DEFINE_PER_CPU(bool, ldr_busy);\n"
    body = "\tif (err == 7)\n\t\tthis_cpu_write(ldr_busy, fn >> 63);\n\tthis_cpu_write(ldr_busy, true);\n"
    found = _sites(body, extra)
    assert ("call", STORE, _line(body, "this_cpu_write(ldr_busy, fn", extra)) in found
    assert all(n != _line(body, "this_cpu_write(ldr_busy, true", extra) for _, _, n in found), found


def test_a_function_whose_state_did_not_change_is_not_visited_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The taint fixpoint visited every function reached again in every round: a chain of 40 functions, each
    passing the leaf to the next (one more reached each round), was visited 903 times, now 42."""
    import models.leafflow as leafflow

    visits = [0]
    visit = leafflow._visit

    def counted(flow: Flow, fn: str) -> None:
        visits[0] += 1
        visit(flow, fn)

    last = "static void f40(u64 fn)\n{\n\tif (IS_LDR(fn))\n\t\tpr_info(\"loader\\n\");\n}\n\n"
    chain = last + "".join(f"static void f{i}(u64 fn)\n{{\n\tf{i + 1}(fn);\n}}\n\n" for i in range(39, 0, -1))
    monkeypatch.setattr(leafflow, "_visit", counted)
    sites = _sites("\tf1(fn);\n", chain)
    assert ("f40", DECISION, _line("", "if (IS_LDR(fn))", chain)) in sites
    assert visits[0] < 10 * 40


def test_a_function_the_leaf_does_not_reach_is_not_read_for_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    """A function the entry point calls without the leaf (no variable of it, no global, no call's value holds it)
    has no site: its body is not read for them (a reader made for it walked every condition, call and store)."""

    read: list[str] = []
    reader = Reader.__init__

    def counted(self: Reader, flow: Flow, fn: str) -> None:
        read.append(fn)
        reader(self, flow, fn)

    extra = "static int busy(int tries)\n{\n\tif (tries > 2)\n\t\treturn 1;\n\treturn 0;\n}\n"
    monkeypatch.setattr(Reader, "__init__", counted)
    sites = _sites("\tif (IS_LDR(fn))\n\t\tleft = busy(left);\n", extra)
    assert [s[:2] for s in sites] == [("call", DECISION)]
    assert "call" in read and "busy" in read  # both visited by the fixpoint, which follows the calls
    assert read.count("busy") < read.count("call")  # busy() is not read for sites


def test_the_functions_named_as_values_are_read_once_per_body() -> None:
    """Which functions the code names as values (called through a pointer with anything) was read by walking every
    function of every program; a body shared by programs (models.cload's parse cache) is now walked once."""
    import models.pointees as pointees

    extra = ("static void on_err(u64 fn)\n{\n\tif (IS_LDR(fn))\n\t\tpr_info(\"loader\\n\");\n}\n\n"
             "static void with(void (*cb)(u64), u64 fn)\n{\n\tcb(fn);\n}\n")
    code = HEAD + extra + "\nstatic u64 call(u64 fn, struct tdx_module_args *args)\n{\n\twith(on_err, fn);\n\t" \
                          "return 0;\n}\n"
    one = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    two = (*one, Source("d/other.h", ((1, ("#define UNUSED_9 1",)),), True))  # another program, the same functions
    first = code_facts(one, (EntryPoint("call"),)).leaf_sites["call"]
    walked = pointees._values_named.cache_info().misses
    assert code_facts(two, (EntryPoint("call"),)).leaf_sites["call"] == first
    assert pointees._values_named.cache_info().misses == walked
    assert any(fn == "on_err" and kind == DECISION for fn, kind, _ in first)  # reached through the pointer


@pytest.mark.parametrize("decl", ["\tu64 v __cleanup(drop) = fn;\n\n", "\tu64 v __free(leaf) = fn;\n\n"],
                         ids=["cleanup", "free"])
def test_the_leaf_a_cleanup_variable_holds_is_followed_into_its_cleanup(decl: str) -> None:
    # The cleanup runs drop(&v) when v's scope ends: its test of *p reads the leaf. Before, the call was not seen.
    extra = ("\nstatic void drop(u64 *p)\n{\n\tif (IS_LDR(*p))\n\t\tpr_info(\"loader\\n\");\n}\n"
             "\nDEFINE_FREE(leaf, u64, drop(&_T))\n")
    assert ("drop", DECISION, _line("", "if (IS_LDR(*p))", extra)) in _sites(decl, extra)


# A flow kept across programs (models.leafflowkeep._FLOWS): used again only where the program holds what it read alike.
GS = """\
static u64 g1(u64 leaf)
{
	return leaf + 1;
}

static u64 g2(u64 leaf)
{
	if (leaf >> 63)
		return 2;
	return 0;
}
"""
POINTED = """\
static u64 call(u64 fn, struct tdx_module_args *args)
{
	u64 (*f)(u64) = g1;

	return f(fn);
}

static u64 other(u64 fn, struct tdx_module_args *args)
{
	u64 (*h)(u64) = NAMED;

	return h(0);
}
"""


def _pointed(named: str, extra: tuple[str, ...] = ()) -> list[list[str]]:
    """call()'s leaf sites where other() names ``named`` as a value (a target of call()'s pointer too)."""
    src = (Source("d/g.h", ((1, tuple(GS.splitlines())),), True),
           Source("d/call.h", ((1, tuple(POINTED.replace("NAMED", named).splitlines())),), True),
           *((Source("d/more.h", ((1, extra),), True),) if extra else ()))
    return code_facts(src, (EntryPoint("call"), EntryPoint("other"))).leaf_sites["call"]


def _flows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The entry points whose flows are worked out (not read from a flow kept), as they are."""
    from models import leafflow

    names: list[str] = []
    keep = leafflow._keep_flow

    def counted(flow: object, entry: str, *args: object) -> None:
        names.append(entry)
        keep(flow, entry, *args)  # type: ignore[arg-type]
    monkeypatch.setattr(leafflow, "_keep_flow", counted)
    return names


def test_a_flow_is_used_again_where_the_program_holds_the_same_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from models import leafflowkeep

    leafflowkeep._FLOWS.clear()
    flowed = _flows(monkeypatch)
    first = _pointed("g1")
    assert "call" in flowed
    flowed.clear()
    again = _pointed("g1", ("static int unused(void)", "{", "\treturn 1;", "}"))  # a file nothing calls added
    assert "call" not in flowed and again == first


def test_a_flow_is_not_used_again_where_a_pointer_may_reach_another_function(monkeypatch: pytest.MonkeyPatch) -> None:
    # other() names g2 as well: call()'s pointer may reach it, and g2 tests the leaf. call()'s own code and the
    # definitions it reached are the same objects: only the pointer's targets tell the flows apart.
    from models import leafflowkeep

    leafflowkeep._FLOWS.clear()
    flowed = _flows(monkeypatch)
    before = _pointed("g1")
    flowed.clear()
    after = _pointed("g1 ? g1 : g2")
    assert "call" in flowed
    leafflowkeep._FLOWS.clear()
    assert after == _pointed("g1 ? g1 : g2") != before
    assert any(fn == "g2" and kind == DECISION for fn, kind, _ in after)


def test_a_flow_is_not_used_again_where_a_function_it_reached_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    from models import leafflowkeep

    leafflowkeep._FLOWS.clear()
    flowed = _flows(monkeypatch)
    before = _sites("\tkind = for_loader(fn);\n", HELPER)
    flowed.clear()
    after = _sites("\tkind = for_loader(fn);\n", HELPER.replace("return leaf >> 63;", "if (leaf >> 63)\n\t\treturn 1;"
                                                                                       "\n\treturn 0;"))
    assert "call" in flowed and after != before
    assert any(fn == "for_loader" and kind == DECISION for fn, kind, _ in after)


@pytest.mark.parametrize(("extra", "body"), [
    ('#define TWO(f) do { pr_err("a %llx\\n", f); pr_err("b %llu\\n", f); } while (0)\n', "\tTWO(fn);\n"),
    ("#define TW(x) do { x; x; } while (0)\n", '\tTW(pr_err("a %llx\\n",\n\t\tfn));\n'),
    ('#define ONE(f) pr_err("a %llx\\n", f)\n#define TWO(f, g) do { ONE(f); ONE(g); } while (0)\n',
     "\tTWO(fn,\n\tfn);\n"),
    ("", '#line 50\n\tpr_err("a %llx\\n", fn);\n#line 50\n\tpr_err("b %llu\\n", fn);\n'),
], ids=["macro printing twice", "argument expanded twice", "nested over two lines", "#line naming one line twice"])
def test_two_printers_at_one_use_have_keys_of_their_own(extra: str, body: str) -> None:
    # leafconv reads a printed line's shape and leaf arguments by the call's key: two printers on one key would mix
    # theirs. A macro's expansion is laid out on the use's line, each call at its own column; a #line is read back to
    # the file's own lines (models.linecoord). (models.leafflow kept a filter for shared keys that no input reached.)
    code = HEAD + extra + ("\nstatic u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = 0;\n"
                           f"{body}\treturn err;\n}}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    sites = code_facts(src, (EntryPoint("call"),)).leaf_sites["call"]
    printers = [key for _, kind, key in sites if kind == PRINT]
    shapes = [key.rpartition("@")[0] for _, kind, key in sites if kind == LEAF_SHAPE]
    assert len(printers) == len(set(printers)) == 2, sites
    assert len(shapes) == len(set(shapes)) == 2, sites


LAST_PTR = "\nstatic u64 sc_last, sc_other;\nstatic u64 *sc_lastp = &sc_last;\n"


@pytest.mark.parametrize(("body", "extra"), [
    ("\t*sc_lastp = fn;\n", LAST_PTR),
    ("\tmemcpy(&sc_last, &fn, sizeof(fn));\n", LAST_PTR),
    ("\tmemmove(sc_lastp, &fn, sizeof(fn));\n", LAST_PTR),
    ("\tu64 *p = &sc_last;\n\n\t*p = fn;\n", LAST_PTR),
    ("\t*(sc_lastp + 0) = fn;\n", LAST_PTR),
], ids=["through-a-file-scope-pointer", "memcpy", "memmove-through-a-pointer", "through-a-local-pointer",
        "through-an-offset"])
def test_the_leaf_stored_where_a_pointer_points_is_in_the_object_it_points_at(body: str, extra: str) -> None:
    # Before: the pointer (or nothing, for a copy) held the leaf, sc_last never; its test was no leaf site.
    body += "\tif (sc_last >> 63)\n\t\terr = __seamcall(fn, args);\n"
    assert ("call", DECISION, _line(body, "if (sc_last", extra)) in _sites(body, extra)


def test_the_leaf_in_an_object_is_read_through_a_file_scope_pointer_its_initialiser_points_at_it() -> None:
    # Before: sc_lastp held nothing of the leaf (no function stores to it), and its test was no leaf site.
    body = "\tsc_last = fn;\n\tif (*sc_lastp >> 63)\n\t\terr = __seamcall(fn, args);\n"
    assert ("call", DECISION, _line(body, "if (*sc_lastp", LAST_PTR)) in _sites(body, LAST_PTR)


def test_a_flow_through_a_file_scope_pointer_is_not_kept_for_a_program_where_it_points_elsewhere() -> None:
    # call() is one definition in both programs (models.leafflowkeep keeps a flow by the definitions it reads); only
    # sc_lastp's initialiser differs, and sc_last holds the leaf only where sc_lastp points at it.
    body = "\t*sc_lastp = fn;\n\tif (sc_last >> 63)\n\t\terr = __seamcall(fn, args);\n"
    test = ("call", DECISION, _line(body, "if (sc_last", LAST_PTR))
    assert test in _sites(body, LAST_PTR)
    assert test not in _sites(body, LAST_PTR.replace("= &sc_last;", "= &sc_other;"))
