"""What code no run executes may store to (harness.outsidewrites): stores, steps and addresses taken, never reads."""

from __future__ import annotations

import pytest

from harness.externsettled import Linkage
from harness.outsidewrites import outside_writes, stored_lines
from models.loader import Source
from models.slicer import Definition, Kind

HEAD = "static int sc_tries = 10;\n\n"
READER = "static int sc_left(void)\n{\n\treturn sc_tries;\n}\n\n"


# The functions the cases call, declared (a callee no file declares may be a header's macro: harness.unknowncallees).
CALLED = Source("x/k.h", ((1, ("void sc_knob_set(long v, ...);", "void sc_note(long v, ...);")),), True)


def _found(text: str) -> dict[str, str]:
    return dict(outside_writes((Source("x/a.h", ((1, tuple((HEAD + READER + text).splitlines())),), True), CALLED),
                               {"sc_left"}))


@pytest.mark.parametrize("body", ["\tsc_tries = n;\n", "\tsc_tries += n;\n", "\t++sc_tries;\n", "\tsc_tries--;\n"])
def test_a_store_in_a_function_no_run_executes_is_found(body: str) -> None:
    found = _found(f"static int sc_set(int n, char *s)\n{{\n{body}\treturn 0;\n}}\n")
    assert found == {"sc_tries": "sc_set() (x/a.h:8), which no run executes, stores to it"}, found


@pytest.mark.parametrize("body", ["\tkstrtoint(s, 0, &sc_tries);\n", "\treturn &sc_tries;\n",
                                  "\tsc_knob_set((void *)&sc_tries, n);\n", "\tsc_knob_set(&(sc_tries), n);\n",
                                  "\tsc_knob_set((unsigned long)&sc_tries, n);\n",
                                  "\tsc_knob_set((sc_addr_t)&sc_tries, n);\n",
                                  "\tsc_knob_set((const phys_addr_t) & sc_tries, n);\n"])
def test_an_address_taken_in_a_function_no_run_executes_is_found_where_it_is_taken(body: str) -> None:
    # Said with the line of the '&', not only the function's: a cast or parentheses before the name hid it.
    found = _found(f"static int sc_set(int n, char *s)\n{{\n{body}\treturn 0;\n}}\n")
    assert found == {"sc_tries": "sc_set() (x/a.h:8), which no run executes, takes its address at x/a.h:10"}, found


@pytest.mark.parametrize("body", ["\treturn n && sc_tries;\n", "\treturn n & sc_tries;\n",
                                  "\treturn sc_tries == n;\n", "\tint sc_tries = n;\n\n\tsc_tries++;\n\treturn 0;\n"])
def test_a_read_or_a_local_of_the_same_name_is_no_store(body: str) -> None:
    assert _found(f"static int sc_get(int n)\n{{\n{body}}}\n") == {}


# '(word) & sc_tries': a bitwise AND where the word names a value there, a cast of the address where it may be a type.
ANDED = {
    "a parameter": ("", "static int sc_has(int n)\n{\n\treturn (n) & sc_tries;\n}\n"),
    "a local in scope": ("static bool sc_ready;\nstatic u64 *sc_mask;\n",
                         "static int sc_has(void)\n{\n\tif (sc_ready) {\n\t\tu64 *m = sc_mask;\n\n"
                         "\t\treturn (m) & sc_tries;\n\t}\n\treturn 0;\n}\n"),
    "a number": ("", "static int sc_has(void)\n{\n\treturn (1) & sc_tries;\n}\n"),
    "a value macro": ("#define SC_MASK\t(BIT(0) | BIT(1))\n#define SC_LOW\tSC_MASK\n#define SC_ONE\tBIT(0)\n",
                      "static int sc_has(void)\n{\n\treturn (SC_LOW) & sc_tries && (SC_ONE) & sc_tries;\n}\n"),
    "a variable of the files": ("static int sc_mask = 3;\n",
                                "static int sc_has(void)\n{\n\treturn (sc_mask) & sc_tries;\n}\n"),
}


@pytest.mark.parametrize("case", list(ANDED))
def test_a_parenthesized_value_and_ed_with_the_variable_is_no_address(case: str) -> None:
    # Read as a cast '(T)&sc_tries' before: set outside the runs, the rule inconclusive over a read.
    head, text = ANDED[case]
    assert _found(head + text) == {}, case


# The twins, the same shape with a word that is (or may be) a type: the address taken, as before.
CAST = {
    "a typedef of the files": ("typedef unsigned long sc_addr_t;\n", "sc_addr_t", 9),
    "a type macro": ("#define SC_ADDR_T\tunsigned long\n", "SC_ADDR_T", 9),
    "a name the files do not define": ("", "uintptr_t", 8),
    "a local of a block already closed": ("", "m", 8),
    "a local declared after the use": ("", "k", 8),
}


@pytest.mark.parametrize("case", list(CAST))
def test_a_parenthesized_type_before_the_variable_still_takes_its_address(case: str) -> None:
    head, word, at = CAST[case]
    body = f"\tif (n) {{\n\t\tint m = n;\n\n\t\tsc_note(m);\n\t}}\n\tsc_knob_set(({word}) & sc_tries);\n" \
        "\tint k = 0;\n\treturn k;\n"
    found = _found(head + f"static int sc_set(int n)\n{{\n{body}}}\n")
    assert found == {"sc_tries": f"sc_set() (x/a.h:{at}), which no run executes, takes its address at "
                                 f"x/a.h:{at + 7}"}, found


def test_a_store_the_runs_execute_is_theirs() -> None:
    text = "static void sc_left_set(int n)\n{\n\tsc_tries = n;\n}\n"
    found = outside_writes((Source("x/a.h", ((1, tuple((HEAD + text).splitlines())),), True),), {"sc_left_set"})
    assert found == ()


def test_a_module_parameter_and_an_address_held_are_found() -> None:
    found = _found("module_param(sc_tries, int, 0644);\nstatic int *sc_knob = &sc_tries;\n")
    assert found == {"sc_tries": "a module parameter sets it (x/a.h:8), at load time or through sysfs"}, found
    found = _found('static struct ctl_table sc_table[] = {\n\t{ .procname = "t", .data = &sc_tries },\n};\n')
    assert found == {"sc_tries": "sc_table (x/a.h:8) holds its address, taken at x/a.h:9"}, found


ARRAY = "static int sc_limits[2] = { 10, 5 };\n\nstatic int sc_limit(void)\n{\n\treturn sc_limits[0];\n}\n\n"


def _array_found(text: str) -> dict[str, str]:
    return dict(outside_writes((Source("x/a.h", ((1, tuple((ARRAY + text).splitlines())),), True),), {"sc_limit"}))


def test_an_array_handed_on_or_stored_to_by_its_elements_is_found() -> None:
    # An array's name is its address (C11 6.3.2.1p3): no '&' before it; and a store to one of its elements.
    found = _array_found("static int sc_init(void)\n{\n\treturn sc_knob_register(sc_limits);\n}\n")
    assert found == {"sc_limits": "sc_init() (x/a.h:8), which no run executes, takes its address at x/a.h:10"}, found
    found = _array_found("static void sc_set(int n)\n{\n\tsc_limits[1] = n;\n}\n")
    assert found == {"sc_limits": "sc_set() (x/a.h:8), which no run executes, stores to it"}, found
    found = _array_found("static int *sc_knob = sc_limits;\n")
    assert found == {"sc_limits": "sc_knob (x/a.h:8) holds its address, taken at x/a.h:8"}, found


def test_an_array_read_or_sized_is_no_store() -> None:
    assert _array_found("static int sc_sum(void)\n{\n\treturn sc_limits[1] + sizeof(sc_limits) + "
                        "ARRAY_SIZE(sc_limits);\n}\n") == {}


def test_a_const_variable_whose_address_is_held_is_none() -> None:
    # A store through the pointer would be undefined (C11 6.7.3p6); a pointer to const is itself no const.
    head = "static const int sc_tries = 10;\nstatic const int *sc_ptr;\n\n"
    text = head + READER + "static const int *sc_knob = &sc_tries;\n\nstatic void sc_aim(const int *p)\n{\n" \
        "\tsc_ptr = p;\n}\n"
    found = outside_writes((Source("x/a.h", ((1, tuple(text.splitlines())),), True),), {"sc_left"})
    assert found == (("sc_ptr", "sc_aim() (x/a.h:11), which no run executes, stores to it"),), found


GETTER = "static int *sc_count(void)\n{\n\treturn &sc_tries;\n}\n\n"


@pytest.mark.parametrize(("text", "who"), [
    ("static void sc_set(int n)\n{\n\t*sc_count() = n;\n}\n", "sc_set() (x/a.h:13), which no run executes, calls it"),
    ("static int *(*sc_get)(void) = sc_count;\n", "sc_get (x/a.h:13), which no run executes, holds it"),
])
def test_an_address_a_function_the_runs_execute_returns_to_code_no_run_executes_is_found(text: str, who: str) -> None:
    # sc_count() runs (models.escapes lists what it returns); sc_set() writes through what it gets, past the runs.
    lines = tuple((HEAD + READER + GETTER + text).splitlines())
    found = outside_writes((Source("x/a.h", ((1, lines),), True),), {"sc_left", "sc_count"},
                           (("sc_count", "sc_tries", "x/a.h:10"),))
    assert dict(found) == {"sc_tries": f"sc_count() returns its address (x/a.h:10), and {who}"}, found
    assert outside_writes((Source("x/a.h", ((1, lines[:12]),), True),), {"sc_left", "sc_count"},
                          (("sc_count", "sc_tries", "x/a.h:10"),)) == ()


def test_a_static_local_a_function_the_runs_execute_returns_is_found() -> None:
    # 'static int tries' of sc_count() is in no definitions table: the facts name it, the text finds the caller.
    lines = tuple((HEAD + READER + "static void sc_set(int n)\n{\n\t*sc_count() = n;\n}\n").splitlines())
    # x/a.c, which defines it, is not read: its prototype is (no header's macro).
    proto = Source("x/c.h", ((1, ("int *sc_count(void);",)),), True)
    found = outside_writes((Source("x/a.h", ((1, lines),), True), proto), {"sc_left", "sc_count"},
                           (("sc_count", "tries", "x/a.c:3"),))
    assert found == (("tries", "sc_count() returns its address (x/a.c:3), and sc_set() (x/a.h:8), which no run "
                               "executes, calls it"),), found


SETUP = "static int sc_setup(void)\n{\n\t%s;\n\treturn 0;\n}\n"


@pytest.mark.parametrize(("macros", "use"), [
    ("#define SC_KNOB(v) (&(v))\n", "sc_knob_set(SC_KNOB(sc_tries))"),
    ("#define SC_REGISTER(v) sc_knob_register(&v, #v)\n", "SC_REGISTER(sc_tries)"),
    ("#define SC_PTR(v) ((void *) & (v))\n", "sc_knob_set(SC_PTR(sc_tries))"),
    ("#define SC_KNOB(v) (&(v))\n#define SC_REGISTER(n, v) \\\n\tsc_knob_register(n, SC_KNOB(v))\n",
     "SC_REGISTER(1, sc_tries)"),
])
def test_a_macro_taking_its_arguments_address_is_found_where_it_is_used(macros: str, use: str) -> None:
    # The '&' is in the macro's body, not at the use: the use's line is said.
    found = _found(macros + SETUP % use)
    line = 8 + macros.count("\n") + 2
    assert found == {"sc_tries": f"sc_setup() (x/a.h:{line - 2}), which no run executes, takes its address at "
                                 f"x/a.h:{line}"}, found


def test_a_macro_storing_to_its_argument_is_a_store_and_one_reading_it_none() -> None:
    found = _found("#define SC_SET(v, n) ((v) = (n))\n" + SETUP % "SC_SET(sc_tries, 3)")
    assert found == {"sc_tries": "sc_setup() (x/a.h:9), which no run executes, stores to it"}, found
    # sc_left_n a local (an undefined name there may be a header's macro standing for sc_tries: harness.unknowncallees)
    assert _found("#define SC_SET(v, n) ((v) = (n))\n" + SETUP % "int sc_left_n = 0;\n\tSC_SET(sc_left_n, sc_tries)") \
        == {}
    assert _found("#define SC_GET(v) ((v) + 1)\n#define SC_INIT(n) { .n = 1 }\n"
                  + SETUP % "sc_knob_set(SC_GET(sc_tries), SC_INIT(sc_tries))") == {}


def test_a_macro_use_in_an_initializer_holds_the_address() -> None:
    found = _found("#define SC_KNOB(v) (&(v))\nstatic int *sc_knob = SC_KNOB(sc_tries);\n")
    assert found == {"sc_tries": "sc_knob (x/a.h:9) holds its address, taken at x/a.h:9"}, found


@pytest.mark.parametrize("use", ["WRITE_ONCE(sc_tries, 3)", "swap(sc_tries, sc_other)",
                                 "local_irq_save(sc_tries)", "this_cpu_write(sc_tries, 3)", "this_cpu_inc(sc_tries)",
                                 "__this_cpu_add(sc_tries, 2)", "raw_cpu_xchg(sc_tries, 1)"])
def test_a_kernel_macro_storing_to_its_argument_is_a_store(use: str) -> None:
    # The prelude's macros (include/asm-generic/rwonce.h, minmax.h, irqflags.h, percpu-defs.h), not the files': the
    # store is in their body, or in the per-CPU writer they hand the name to.
    found = _found(SETUP % use)
    assert found == {"sc_tries": "sc_setup() (x/a.h:8), which no run executes, stores to it"}, found


def test_a_kernel_macro_reading_its_argument_is_none() -> None:
    assert _found(SETUP % "sc_knob_set(READ_ONCE(sc_tries), min(sc_tries, 3), this_cpu_read(sc_tries))") == {}


def test_a_pointer_named_as_its_struct_tag_is_no_const() -> None:
    # 'const struct sc_tries *sc_tries': the object is the pointer, which may be set; the tag is not its name.
    text = "struct sc_tries;\nstatic const struct sc_tries *sc_tries;\n\n" \
        + READER.replace("int sc_left", "const void *sc_left") \
        + "static void sc_aim(const struct sc_tries *p)\n{\n\tsc_tries = p;\n}\n"
    found = outside_writes((Source("x/a.h", ((1, tuple(text.splitlines())),), True),), {"sc_left"})
    assert found == (("sc_tries", "sc_aim() (x/a.h:9), which no run executes, stores to it"),), found


@pytest.mark.parametrize("definition", ["int sc_tries = 10;\n", "extern int sc_tries;\n",
                                        "DEFINE_PER_CPU(int, sc_tries);\n"])
def test_a_variable_of_external_linkage_is_found(definition: str) -> None:
    # C11 6.2.2: another file may declare it extern and store to it; no file read shows that code.
    text = definition + "\n" + READER
    found = outside_writes((Source("x/a.c", ((1, tuple(text.splitlines())),), True),), {"sc_left"})
    assert found == (("sc_tries", "it is defined without static (x/a.c:1): code of files the mirror does not have "
                                  "may store to it"),), found


def test_a_static_or_const_variable_is_not_of_external_linkage() -> None:
    for head in ("static int sc_tries = 10;\n", "const int sc_tries = 10;\n",
                 "static DEFINE_PER_CPU(int, sc_tries);\n"):
        text = head + "\n" + READER
        assert outside_writes((Source("x/a.c", ((1, tuple(text.splitlines())),), True),), {"sc_left"}) == (), head


def test_an_asm_output_is_a_store_and_an_input_none() -> None:
    # gcc's Extended Asm: '"=m" (v)' and '"+r" (v)' are outputs, '"r" (v)' an input.
    for op, out in (('"=m" (sc_tries) : "r" (n)', '"=m" (sc_tries)'), (': "+r" (sc_tries)', '"+r" (sc_tries)')):
        found = _found(SETUP % f'asm volatile("" : {op})')
        assert found == {"sc_tries": f"sc_setup() (x/a.h:8), which no run executes, stores to it: an asm output, {out}"
                         }, found
    assert _found(SETUP % 'asm volatile("" : : "r" (sc_tries))') == {}


def test_the_lines_a_function_stores_on_are_found_and_a_read_in_an_initializer_is_none() -> None:
    text = "static void sc_f(u64 err)\n{\n\tu64 busy = sc_tries;\n\n\tif (err)\n\t\tsc_tries = 3;\n" \
           "\tWRITE_ONCE(sc_tries, busy);\n}\n"
    d = Definition(Kind.FUNCTION, "sc_f", text, "x/a.h", 10)
    assert stored_lines(d, ["sc_tries", "sc_other"]) == [("sc_tries", 15), ("sc_tries", 16)]
    assert _found(text) == {"sc_tries": "sc_f() (x/a.h:8), which no run executes, stores to it"}


def test_a_per_cpu_lvalue_stored_to_is_a_store_and_one_read_none() -> None:
    # include/linux/percpu-defs.h per_cpu(): an lvalue; reading it in code no run executes stores nothing.
    assert _found(SETUP % "per_cpu(sc_tries, 1) = 3") == {
        "sc_tries": "sc_setup() (x/a.h:8), which no run executes, stores to it"}
    assert _found(SETUP % "sc_knob_set(per_cpu(sc_tries, 1), get_cpu_var(sc_tries))") == {}


@pytest.mark.parametrize("use", ["int *p = &per_cpu(sc_tries, 1); *p = 3", "sc_knob_set(&(per_cpu(sc_tries, 1)))",
                                 "per_cpu(sc_tries, 1)[0] = 3", "get_cpu_var(sc_tries).n = 3",
                                 "per_cpu(sc_tries, 1) <<= 1", "per_cpu(sc_tries, sc_cpu(1))++"])
def test_a_per_cpu_lvalue_whose_address_or_part_is_taken_is_a_store(use: str) -> None:
    # An address or a member of the lvalue may be stored through where this reading does not follow: as a store.
    assert _found(SETUP % use) == {"sc_tries": "sc_setup() (x/a.h:8), which no run executes, stores to it"}


def test_an_asm_output_on_a_line_is_a_stored_line_and_an_input_none() -> None:
    # gcc's Extended Asm: '"=m" (v)' and '"+r" (v)' store to v, '"r" (v)' reads it.
    text = '{\n\tasm volatile("movq %1, %0" : "=m" (sc_tries) : "r" (sc_other));\n\n' \
           '\tasm("" : "+r" (sc_tries));\n}\n'
    d = Definition(Kind.FUNCTION, "sc_f", text, "x/a.h", 10)
    assert stored_lines(d, ["sc_tries", "sc_other"]) == [("sc_tries", 11), ("sc_tries", 13)]


def _linked(settled: str, *read: Source, why: tuple[tuple[str, str], ...] = ()) -> Linkage:
    from harness.externsettled import Linkage

    return Linkage(frozenset({settled}), read, why)


_DEFINES = Source("x/a.c", ((1, ('#define SC_SET(v, n) pr_info("%llx", (u64)(n))', "u64 sc_busy_code;",
                                 "static u64 sc_other;", "void f(void)", "{", "\tSC_SET(sc_other, 1);", "}")),), True)


def test_a_macro_of_a_file_of_the_tree_read_storing_counts_beside_the_variants_of_its_name() -> None:
    # The tree's file stores through its own SC_SET(); the variant's SC_SET() of that name stores nothing. The
    # variant's replaced the tree's, and the store was not found.
    tree = Source("x/b.c", ((1, ("#define SC_SET(v, n) ((v) = (n))", "void g(void)", "{", "\tSC_SET(sc_busy_code, 1);",
                                 "}")),), True)
    assert outside_writes((_DEFINES,), ("f",), linkage=_linked("sc_busy_code", tree)) == (
        ("sc_busy_code", "g() (x/b.c:2), which no run executes, stores to it"),)


def test_a_function_of_a_file_read_named_as_one_the_runs_execute_is_one_no_run_executes() -> None:
    # x/b.c's own static sc_retry(), not the variant's that the runs execute: it was passed over by its name.
    tree = Source("x/b.c", ((1, ("static void sc_retry(void)", "{", "\tsc_busy_code = 1;", "}")),), True)
    assert outside_writes((_DEFINES,), ("sc_retry", "f"), linkage=_linked("sc_busy_code", tree)) == (
        ("sc_busy_code", "sc_retry() (x/b.c:1), which no run executes, stores to it"),)


def test_why_a_variable_of_external_linkage_is_not_settled_is_said() -> None:
    found = outside_writes((_DEFINES,), ("f",), linkage=_linked("sc_other", why=(("sc_busy_code", "a reason"),)))
    assert found == (("sc_busy_code", "it is defined without static (x/a.c:2): a reason"),)
    assert outside_writes((_DEFINES,), ("f",)) == (
        ("sc_busy_code", "it is defined without static (x/a.c:2): code of files the mirror does not have may store "
                         "to it"),)


def test_an_asm_template_naming_a_variable_is_a_store() -> None:
    # The assembler stores by the symbol's name ('movq %0, sc_tries(%rip)'): no operand, no '=' in C.
    asm = '\tasm volatile("movq %0, sc_tries(%%rip)" : : "r" (5ULL) : "memory");'
    src = Source("x/a.c", ((1, ("u64 sc_tries = 3;", "void sc_f(void)", "{", asm, "}")),), True)
    assert outside_writes((src,), (), linkage=_linked("sc_tries")) == (
        ("sc_tries", "sc_f() (x/a.c:2), which no run executes, stores to it: an asm statement's text names it "
                     '("movq %0, sc_tries(%%rip)")'),)
    d = Definition(Kind.FUNCTION, "sc_f", "{\n" + asm + "\n}\n", "x/a.h", 10)
    assert stored_lines(d, ["sc_tries"]) == [("sc_tries", 11)]


def test_a_variable_handed_to_a_callee_no_file_defines_may_be_stored_to() -> None:
    # A macro of a header not read may store to its argument; a function of the files takes a copy.
    found = _found("static void sc_set(int n)\n{\n\tsc_knob_store(sc_tries, n);\n}\n")
    assert found == {"sc_tries": "x/a.h:10 hands it to sc_knob_store(), which no file read defines: a macro of a "
                                 "header not read may store to it"}, found
    assert _found("static void sc_use(int n)\n{\n}\n\nstatic void sc_set(int n)\n{\n\tsc_use(sc_tries);\n}\n") == {}


def test_sources_alike_made_for_two_variants_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two variants whose files are in the same states have sources alike, each made for its own variant: what may
    store to their variables is worked out once; other sources, or other functions reached, again."""
    import harness.outsidewrites as ow

    read: list[tuple[Source, ...]] = []
    real = ow._outside_writes

    def counted(sources: tuple[Source, ...], *rest: object) -> tuple[tuple[str, str], ...]:
        read.append(sources)
        return real(sources, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(ow, "_outside_writes", counted)
    text = HEAD + READER + "static int sc_set(int n)\n{\n\tsc_tries = n;\n\treturn 0;\n}\n"

    def sources(body: str = text) -> tuple[Source, ...]:
        return Source("x/a.h", ((1, tuple(body.splitlines())),), True), CALLED

    first, second = sources(), sources()
    assert first is not second and first == second
    said = {"sc_tries": "sc_set() (x/a.h:8), which no run executes, stores to it"}
    assert dict(outside_writes(first, {"sc_left"})) == dict(outside_writes(second, {"sc_left"})) == said
    assert len(read) == 1
    assert dict(outside_writes(second, {"sc_left", "sc_set"})) == {} and len(read) == 2
    assert dict(outside_writes(sources(text.replace("= n", "+= n")), {"sc_left"})) == said and len(read) == 3


def test_names_reached_that_no_file_defines_share_one_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """A comparison's program counts its entry wrappers among the functions reached, a rule's code facts do not: the
    same code is read once (only a definition's name is asked whether it ran), and what it finds is the same."""
    import harness.outsidewrites as ow

    readings: list[frozenset[str]] = []
    real = ow._outside_writes
    monkeypatch.setattr(ow, "_outside_writes", lambda *a: readings.append(a[1]) or real(*a))
    monkeypatch.setattr(ow, "_KEPT", {})
    text = "static int sc_set(int n)\n{\n\tsc_tries = n;\n\treturn 0;\n}\n"
    sources = (Source("x/a.h", ((1, tuple((HEAD + READER + text).splitlines())),), True), CALLED)
    facts = outside_writes(sources, {"sc_left"})
    program = outside_writes(sources, {"sc_left", "__sh_entry_sc_left", "sc_wrapper_nobody_defines"})
    assert program == facts == (("sc_tries", "sc_set() (x/a.h:8), which no run executes, stores to it"),), program
    assert readings == [frozenset({"sc_left"})], readings
    # A name a file defines is still the key's: the store it makes then ran.
    assert outside_writes(sources, {"sc_left", "sc_set"}) == ()
    assert len(readings) == 2, readings
