"""What bit 63 of the leaf fixes (models.leafbits): a test of that bit under any name, never one of other bits."""

from __future__ import annotations

import pytest

from models.facts import DEAD
from models.leafeval import LeafEval
from models.loader import EntryPoint, Source
from models.source import code_facts


@pytest.fixture(autouse=True)
def _walks_of_this_test() -> None:
    """No walk another test's program kept (models.leafwalks): the counts below are of one test's programs."""
    from models import leafwalks

    leafwalks._WALKS.clear()


HEAD = """\
#define LDR_BIT	BIT_ULL(63)
#define NO_ENTROPY	0x8000020300000000ULL

u64 __seamcall(u64 fn, struct tdx_module_args *args);

static inline bool is_ldr(u64 fn)
{
	return fn & LDR_BIT;
}

static inline int low_ldr(u64 fn)
{
	return fn & LDR_BIT;
}

"""


def _fixed(body: str, extra: str = "") -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per value of bit 63 ("0", "1"), line -> the values of what it fixes there, lines counted from ``call()``'s
    body (``extra``, before it, at lines below 1)."""
    code = HEAD + extra + ("static u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = 0;\n"
                           f"\tint left = 3;\n\n{body}\treturn err;\n}}\n")
    first = (HEAD + extra).count("\n") + 6
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    fixed = code_facts(src, (EntryPoint("call"),)).bit63_fixed
    out: tuple[dict[int, set[str]], dict[int, set[str]]] = ({}, {})
    for bit, side in (("0", out[0]), ("1", out[1])):
        for key, value in fixed[bit].items():
            side.setdefault(int(key.lstrip("?").split(":")[1]) - first + 1, set()).add(value)
    return out


@pytest.mark.parametrize("test", ["is_ldr(fn)", "unlikely(is_ldr(fn))", "fn & BIT_ULL(63)", "(fn >> 63) == 1",
                                  "!(~fn & LDR_BIT)"])
def test_a_test_of_bit_63_under_any_name_is_fixed_with_what_it_keeps_from_running(test: str) -> None:
    tdx, ldr = _fixed(f"\tif ({test})\n\t\tleft = 5;\n")
    assert tdx[1] == {"F"} and tdx[2] == {DEAD}
    assert ldr[1] == {"T"} and 2 not in ldr


@pytest.mark.parametrize("test", ["fn >> 16", "fn & 0xff0000", "(fn & LDR_BIT) && err == NO_ENTROPY",
                                  "(u32)fn", "fn == 33"])
def test_a_test_other_bits_or_the_answer_decide_is_not_fixed(test: str) -> None:
    tdx, _ = _fixed(f"\tif ({test})\n\t\tleft = 5;\n\terr = __seamcall(fn, args);\n")
    if "&&" in test:  # the && is false for a TDX-module leaf; its right operand cannot run
        assert "F" in tdx[1] and DEAD in tdx[1]
        return
    assert 1 not in tdx and 2 not in tdx


def test_a_helper_returning_int_loses_bit_63() -> None:
    # (int)(fn & BIT_ULL(63)) is 0 for every leaf: the test is fixed false for both components.
    tdx, ldr = _fixed("\tif (low_ldr(fn))\n\t\tleft = 5;\n")
    assert tdx[1] == ldr[1] == {"F"}


@pytest.mark.parametrize("change", [
    "\tfn <<= 1;\n",  # the parameter no longer holds the leaf
    "\tu64 *p = &fn;\n",  # its address is taken
])
def test_a_parameter_the_function_changes_knows_nothing(change: str) -> None:
    tdx, _ = _fixed(f"{change}\tif (is_ldr(fn))\n\t\tleft = 5;\n")
    assert not {v for line, vs in tdx.items() if line > 1 for v in vs}


def test_every_call_decides_what_a_parameter_knows() -> None:
    # check() is called with the leaf and with a P-SEAMLDR constant: for a TDX-module leaf its bit 63 is either.
    extra = ("static int check(u64 f)\n{\n\tif (is_ldr(f))\n\t\treturn 1;\n\treturn 0;\n}\n\n")
    tdx, ldr = _fixed("\tleft = check(fn) + check(0x8000000000000001ULL);\n", extra)
    assert not tdx and 1 not in ldr
    fixed = _fixed("\tleft = check(fn) + check(0x21);\n", extra)[0]
    assert sorted(fixed.values(), key=sorted) == [{"F"}, {DEAD}]  # both calls give a TDX-module leaf


def test_a_function_called_through_a_pointer_knows_nothing() -> None:
    extra = ("static int check(u64 f)\n{\n\tif (is_ldr(f))\n\t\treturn 1;\n\treturn 0;\n}\n\n"
             "static int (*checker)(u64) = check;\n\n")
    tdx, _ = _fixed("\tleft = check(fn) + checker(fn ^ BIT_ULL(63));\n", extra)
    assert not tdx


def test_code_a_label_is_in_is_not_dead() -> None:
    tdx, _ = _fixed("\tif (is_ldr(fn)) {\nagain:\n\t\tleft--;\n\t}\n\tif (left > 1)\n\t\tgoto again;\n")
    assert tdx[1] == {"F"} and 3 not in tdx


def test_what_one_entry_points_runs_fix_is_kept_apart_from_the_others() -> None:
    # probe() passes a P-SEAMLDR constant to check(): over both entry points check()'s bit 63 is either; in the
    # runs of call() alone, which pass their own leaf, it is what that leaf has.
    from models.facts import fixed_for

    extra = ("static int check(u64 f)\n{\n\tif (is_ldr(f))\n\t\treturn 1;\n\treturn 0;\n}\n\n"
             "static int probe(void)\n{\n\treturn check(0x8000000000000001ULL);\n}\n\n")
    code = HEAD + extra + "static int call(u64 fn, struct tdx_module_args *args)\n{\n\treturn check(fn);\n}\n"
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),),
                       (EntryPoint("call"), EntryPoint("probe")))
    test = next(k for k in facts.bit63_gains["0"]["call"]["check"] if k.startswith("?"))
    assert test not in facts.bit63_fixed["0"]
    assert fixed_for(facts.bit63_fixed["0"], facts.bit63_gains["0"], {"call"})[test] == "F"
    assert fixed_for(facts.bit63_fixed["1"], facts.bit63_gains.get("1", {}), {"call"})[test] == "T"
    assert test not in fixed_for(facts.bit63_fixed["0"], facts.bit63_gains["0"], {"call", "probe"})


@pytest.mark.parametrize(("values", "want"), [
    ({"a": "T", "b": DEAD}, "T"),  # cannot run in b's runs, always true in a's
    ({"a": DEAD, "b": DEAD}, DEAD),
    ({"a": "T", "b": "F"}, None),  # each entry point's runs take it another way
    ({"a": "T", "b": None}, None),  # b's runs enter the function and do not fix it
    ({"a": "F"}, "F"),  # b's runs never enter the function: they say nothing of it
])
def test_entry_points_fix_a_key_together_only_when_they_agree(values: dict[str, str | None], want: str | None) -> None:
    from models.facts import fixed_for

    gains = {"a": {"f": {}}, "b": {"g": {}}}
    for e, v in values.items():
        gains[e] = {"f": {} if v is None else {"?d.h:3:6~4": v}}
    assert fixed_for({}, gains, {"a", "b"}).get("?d.h:3:6~4") == want


def test_a_deep_subtree_that_cannot_run_is_searched_for_labels_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each node of code that cannot run was searched for a label anew (all of its subtree), quadratic in its depth:
    a sum of 150 terms under a false test (its '+' nodes: 149 deep) had those visited 13,881 times, now 2,706."""
    from pycparser import c_ast

    visits = [0]
    children = c_ast.BinaryOp.children

    def counted(self: c_ast.BinaryOp) -> tuple[tuple[str, c_ast.Node], ...]:
        visits[0] += 1
        return children(self)

    terms = " + ".join(["left"] * 150)
    monkeypatch.setattr(c_ast.BinaryOp, "children", counted)
    tdx, _ = _fixed(f"\tif (is_ldr(fn))\n\t\tleft = {terms};\n")
    assert tdx[1] == {"F"} and tdx[2] == {DEAD}
    assert visits[0] < 30 * 150


def test_a_function_whose_parameters_did_not_change_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parameters' fixpoint read every function reached again in every round: a chain of 40 functions, each
    passing the leaf to the next (one more reached each round), made 1,980 readers of a function, now 174."""

    made = [0]
    init = LeafEval.__init__

    def counted(self: LeafEval, *args: object) -> None:
        made[0] += 1
        init(self, *args)  # type: ignore[arg-type]

    last = "static void f40(u64 fn)\n{\n\tif (is_ldr(fn))\n\t\treturn;\n}\n\n"
    chain = last + "".join(f"static void f{i}(u64 fn)\n{{\n\tf{i + 1}(fn);\n}}\n\n" for i in range(39, 0, -1))
    monkeypatch.setattr(LeafEval, "__init__", counted)
    tdx, ldr = _fixed("\tf1(fn);\n", chain)
    assert {"F"} in tdx.values() and {"T"} in ldr.values() and {DEAD} in tdx.values()
    assert made[0] < 10 * 40


def test_a_decisions_key_is_made_once_for_both_values_of_bit_63(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each walk (one per value of bit 63, and per entry point that gains) made every key anew: a decision's
    size counted its nodes each time."""
    import models.leafbits as leafbits

    sized: list[int] = []
    decision_tag = leafbits.decision_tag

    def counted(node: object) -> int:
        sized.append(id(node))
        return decision_tag(node)  # type: ignore[arg-type]

    monkeypatch.setattr(leafbits, "decision_tag", counted)
    tdx, ldr = _fixed("\tif (is_ldr(fn))\n\t\tleft = 5;\n")
    assert tdx[1] == {"F"} and ldr[1] == {"T"}
    assert len(sized) == len(set(sized)) == 1


def test_a_function_shared_by_programs_is_read_once() -> None:
    """A parsed definition is shared by every program whose code has it (models.cload's parse cache): what its body
    stores and calls (models.leafcode.changed_names) is read once for all of them, and each program's facts are its
    own."""
    from models.leafcode import changed_names as _changed

    body = "\tif (is_ldr(fn))\n\t\terr = __seamcall(fn, args);\n"
    code = HEAD + ("static u64 call(u64 fn, struct tdx_module_args *args)\n{\n\tu64 err = 0;\n"
                   f"{body}\treturn err;\n}}\n")
    one = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    two = (*one, Source("d/other.h", ((1, ("#define UNUSED 1",)),), True))  # another program, the same functions
    first = code_facts(one, (EntryPoint("call"),)).bit63_fixed
    hits = _changed.cache_info().hits
    assert code_facts(two, (EntryPoint("call"),)).bit63_fixed == first
    assert _changed.cache_info().hits >= hits + 2  # call() and is_ldr() not read again
    assert any(v == "T" for v in first["1"].values()) and any(v == "F" for v in first["0"].values())


def test_a_function_is_walked_once_per_what_its_parameters_know(monkeypatch: pytest.MonkeyPatch) -> None:
    """A function whose parameters know the same for both values of bit 63 (none: the leaf never reaches it) was
    walked for each, and again for each entry point's analysis; its marks are now kept per what they know, and given
    again (models.leafcode.LeafCode.walked): the same facts."""
    import models.leafbits as leafbits

    walked: list[str] = []
    walk = leafbits._Marks.walk

    def counted(self: leafbits._Marks, ev: LeafEval, node: object, dead: bool) -> None:
        if node is self.program.functions[ev.fn].body:  # a function's walk starts
            walked.append(ev.fn)
        walk(self, ev, node, dead)  # type: ignore[arg-type]

    extra = "static int busy(int tries)\n{\n\tif (tries > 2)\n\t\treturn 1;\n\treturn 0;\n}\n\n"
    monkeypatch.setattr(leafbits._Marks, "walk", counted)
    tdx, ldr = _fixed("\tif (is_ldr(fn))\n\t\tleft = busy(left);\n", extra)
    assert walked.count("busy") == 1 and walked.count("call") == 2  # call() knows bit 63: once per value
    assert tdx[1] == {"F"} and tdx[2] == {DEAD} and ldr[1] == {"T"}


@pytest.mark.parametrize(("extra", "decl"), [
    ("static void drop(u64 *p)\n{\n\tcheck(*p);\n}\n\n", "u64 v __cleanup(drop) = args->rcx;"),
    ("DEFINE_FREE(arg, u64, check(_T))\n\n", "u64 v __free(arg) = args->rcx;"),
    ("DEFINE_GUARD(argg, u64 *, (void)_T, check(*_T))\n\n", "guard(argg)(&args->rcx);"),
    ("DEFINE_GUARD(argg, u64 *, (void)_T, check(*_T))\n\n", "scoped_guard(argg, &args->rcx)\n\t\tcheck(fn);"),
], ids=["cleanup", "free", "guard", "scoped-guard"])
def test_a_call_a_cleanup_makes_counts_for_the_entry_points_runs(extra: str, decl: str) -> None:
    # call() passes check() its leaf, and the cleanup at the end of v's scope passes args->rcx (any bits): check()'s
    # P-SEAMLDR branch can run in call()'s runs. Before, the cleanup's call was not seen and the branch was dead.
    from models.facts import fixed_for

    helper = "static int check(u64 f)\n{\n\tint r = 0;\n\n\tif (f & LDR_BIT)\n\t\tr = 2;\n\treturn r;\n}\n\n"
    code = HEAD + helper + extra + ("static int call(u64 fn, struct tdx_module_args *args)\n{\n"
                                    f"\t{decl}\n\n\treturn check(fn);\n}}\n")
    facts = code_facts((Source("d/h.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("call"),))
    test_line = (HEAD + helper).splitlines().index("\tif (f & LDR_BIT)") + 1
    for bit in ("0", "1"):
        alone = fixed_for(facts.bit63_fixed.get(bit, {}), facts.bit63_gains.get(bit, {}), {"call"})
        assert not [k for k in alone if k.lstrip("?").startswith(f"d/h.h:{test_line}:")], (bit, alone)

