"""blank_comments against a character-by-character reading of the same rules (the reference below)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.slicer import ERROR_NAME, Kind, blank_comments, slice_fragment


def _reference(lines: list[str]) -> list[str]:
    """A literal runs to its quote or an unescaped newline (a backslash takes the next character with it);
    a block comment to its end, a line comment to the line's end, past a line end a backslash splices (C11
    5.1.1.2); both become spaces."""
    text = "\n".join(lines)
    first_open, first_close = text.find("/*"), text.find("*/")
    if first_close >= 0 and (first_open < 0 or first_close < first_open):
        text = re.sub(r"[^\n]", " ", text[: first_close + 2]) + text[first_close + 2 :]
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = i + 2
            while j < n and text[j] != "\n":
                k = j + 1
                while text[j] == "\\" and k < n and text[k] in " \t\f\v\r":
                    k += 1
                # a backslash, blanks, then a line end: the line is spliced onto the next, comment and all
                j = k + 1 if text[j] == "\\" and k < n and text[k] == "\n" else j + 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out).split("\n")


def test_kernel_shapes() -> None:
    src = ['\tpr_err("SEAMCALL (%llu) failed: /* not a comment */ %#016llx\\n", fn, err); // why',
           "\tret = x; /* a comment", " * over lines */ return '\\'' + 1;", '\tstr = "a\\', 'b"; /* end']
    got = blank_comments(src)
    assert got == _reference(src)
    assert got[0].endswith("fn, err);       ") and "/* not a comment */" in got[0]
    assert got[1] == "\tret = x; " + " " * len("/* a comment") and got[2].startswith(" " * len(" * over lines */"))


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.text(alphabet="\"'\\/*\n ax", max_size=40), max_size=4))
def test_same_as_reading_character_by_character(lines: list[str]) -> None:
    assert blank_comments(lines) == _reference(lines)


def test_a_backslash_at_the_end_of_a_line_comment_continues_it() -> None:
    # Lines are spliced before comments are removed: the second line is comment too, for gcc.
    src = ["\tr = x; // C:\\path\\", "\tr = 5;", "\tr += 1; // end\\  ", "\tr *= 2;", "\treturn r;"]
    got = blank_comments(src)
    assert got == _reference(src)
    assert got[1].strip() == "" and got[3].strip() == "" and got[4] == "\treturn r;"


def test_a_statement_after_a_continued_line_comment_does_not_run() -> None:
    from tests.models.cprog import run

    code = "int f(u64 fn, struct tdx_module_args *args)\n{\n\tint r = 1; // a note\\\n\tr = 5;\n\treturn r;\n}\n"
    out = run(code)
    assert out.status == "ok" and out.ret == 1, out.error


def test_a_variable_whose_initializer_ends_in_a_call_is_a_variable_not_a_prototype() -> None:
    from models.slicer import Kind, top_level_items
    items = top_level_items("static atomic_t hits = ATOMIC_INIT(3);\nstatic u64 mask = BIT_ULL(5), m2 = f(1);\n"
                            "int g(int x);\n", "a.c", 1)
    assert [(d.kind, d.name) for d in items] == [(Kind.VARIABLE, "hits"), (Kind.VARIABLE, "mask"),
                                                (Kind.VARIABLE, "m2"), (Kind.PROTOTYPE, "g")]


def test_a_variable_is_named_by_its_declarator_not_its_type_tag_or_annotation() -> None:
    # A name with leading underscores was skipped as an annotation: 'static u64 __seam_cached = 3;' defined a variable
    # 'u64' (and '__seam_cached' was an unknown identifier), a typeof's operand named the variable
    from models.slicer import top_level_items
    text = ("static u64 __seam_cached = 3;\nu64 __percpu *__seam_p;\nstatic struct tdx_module_args __seam_args;\n"
            "__typeof__(seam_real) *__sc_seam = seam_real;\nint __a, __b;\nstatic unsigned int __x __read_mostly = 2;\n"
            "static struct stats stats;\nstatic u64 seam_m __read_mostly;\nstatic int __initdata y;\n__u64 seam_y;\n"
            "static typeof(u64) seam_v = 5;\n")
    assert [d.name for d in top_level_items(text, "a.c", 1)] == [
        "__seam_cached", "__seam_p", "__seam_args", "__sc_seam", "__a", "__b", "__x", "stats", "seam_m", "y", "seam_y",
        "seam_v"]


def test_literal_patterns_match_as_their_per_character_forms_do() -> None:
    # The patterns are written as runs of plain characters between escapes; the per-character alternations they
    # replace match the same text (re kept state per character there: a 2 MB literal took 300 MB).
    import random
    import re

    from models.slicer import _LEXEME, _LITERALS, _STRINGS

    per_char = (
        (_LEXEME, re.compile(r""""(?:\\[\s\S]?|[^"\\\n])*["\n]?|'(?:\\[\s\S]?|[^'\\\n])*['\n]?"""
                             r"|/\*[\s\S]*?(?:\*/|\Z)|//(?:\\[ \t\f\v\r]*\n|[^\n])*")),
        (_STRINGS, re.compile(r'"(?:\\.|[^"\\\n])*"')),
        (_LITERALS, re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')),
    )
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(['"', "'", "\\", "\n", "/", "*", " ", "\t", "a"]) for _ in range(rng.randint(0, 14)))
        for ours, theirs in per_char:
            assert [m.span() for m in ours.finditer(text)] == [m.span() for m in theirs.finditer(text)], text


def test_a_huge_literal_no_entry_point_reaches_costs_little_memory() -> None:
    import tracemalloc

    from tests.models.cprog import run

    code = ('static const char big[] = "' + "a" * 2_000_000 + '";\n'
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn 3;\n}\n")
    tracemalloc.start()
    try:
        out = run(code)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.status == "ok" and out.ret == 3
    assert peak < 64 * 1024 * 1024, peak  # 300 MB before


def test_a_long_function_is_sliced_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a top-level item ends was asked of every line with the item's text so far joined anew (quadratic:
    a 60,000-line function took 18 s). Counted, not timed: the lines the slicer copies out of the fragment by
    slicing it, some n rather than n squared over two (3cee42cd^)."""
    import models.slicer
    from models.slicer import Kind, slice_fragment

    copied: list[int] = []

    class Lines(list[str]):
        """The fragment's lines as the slicer reads them, counting what each slice of them copies."""

        def __getitem__(self, i: Any) -> Any:
            got = super().__getitem__(i)
            if isinstance(i, slice):
                copied.append(len(got))
            return got

    real = models.slicer.blank_comments
    monkeypatch.setattr(models.slicer, "blank_comments", lambda lines: Lines(real(lines)))
    n = 6_000
    lines = ["static u64 big(u64 x)", "{", *["\tx += 1;"] * n, "\treturn x;", "}", "int after;"]
    defs = slice_fragment(lines, "big.c", 1)
    assert copied and sum(copied) <= 2 * n, (len(copied), sum(copied))
    assert [(d.kind, d.name, d.line) for d in defs] == [(Kind.FUNCTION, "big", 1), (Kind.VARIABLE, "after", n + 5)]


def test_a_function_pointer_variable_without_initializer_is_a_variable_not_a_prototype() -> None:
    # "static void (*hook)(void);" was read as a prototype of no name and dropped: code calling hook() did not run
    # ("unknown identifier 'hook'"), and the source facts never saw it. gcc takes it as a (tentative) definition
    # of a pointer; a prototype returning a pointer to a function stays one.
    from models.slicer import Kind, top_level_items
    from tests.models.cprog import ret
    items = top_level_items("static void (*hook)(void);\nstatic u64 (*ops[2])(u64 fn);\n"
                            "void (*get_handler(int sig))(int);\nint on(void (*cb)(void));\n", "a.c", 1)
    assert [(d.kind, d.name) for d in items] == [(Kind.VARIABLE, "hook"), (Kind.VARIABLE, "ops"),
                                                (Kind.PROTOTYPE, "get_handler"), (Kind.PROTOTYPE, "on")]
    code = ("static long long (*hook)(u64 fn);\n\nstatic long long twice(u64 fn)\n{\n\treturn 2 * fn;\n}\n\n"
            "long long f(u64 fn, struct tdx_module_args *args)\n{\n\tif (!hook)\n\t\thook = twice;\n"
            "\treturn hook(21);\n}\n")
    assert ret(code) == 42


def test_every_declarator_of_a_declaration_is_listed_beside_a_pointer_to_a_function_or_in_a_typedef() -> None:
    # q of "int (*fp)(void), q;" and t1 of "typedef int t1, *t2;" were not listed: code using them did not run
    # ("unknown identifier 'q'"), and a declaration gcc refuses beside them was not judged (test_declconflict_gcc)
    from models.slicer import Kind, top_level_items
    text = ("int (*fp)(void), q;\nint r, (*gp)(u64 fn);\nu64 (*hp)(u64) = f, s;\ntypedef int t1, *t2;\n"
            "typedef int (*t3)(void), t4;\ntypedef struct p { int a, b; } p1, *p2;\ntypedef u64 m2[2][3];\n")
    assert [(d.kind, d.name) for d in top_level_items(text, "a.c", 1)] == [
        (Kind.VARIABLE, "fp"), (Kind.VARIABLE, "q"), (Kind.VARIABLE, "r"), (Kind.VARIABLE, "gp"),
        (Kind.VARIABLE, "hp"), (Kind.VARIABLE, "s"), (Kind.TYPEDEF, "t1"), (Kind.TYPEDEF, "t2"), (Kind.TYPEDEF, "t3"),
        (Kind.TYPEDEF, "t4"), (Kind.TYPEDEF, "p1"), (Kind.TYPEDEF, "p2"), (Kind.TYPEDEF, "m2")]


def test_blank_comments_gives_a_new_list_each_call_and_the_same_lines_for_a_large_text() -> None:
    # the blanked text is kept per distinct lines (a file is sliced for every variant holding it); a caller's list is
    # its own, and a text past what is kept is blanked all the same
    lines = ["int a; /* one", "two */ int b; // three", 'char *s = "/* no */";']
    first = blank_comments(lines)
    first[0] = "changed"
    assert blank_comments(lines) == ["int a;       ", "       int b;         ", 'char *s = "/* no */";']
    big = ["/* " + "x" * 100 + " */ int c;"] * 20000  # past 1 MiB
    assert blank_comments(big) == [" " * 106 + " int c;"] * 20000


def test_a_function_with_a_printf_attribute_macro_is_defined_by_its_own_name() -> None:
    # include/linux/compiler_attributes.h __printf(a, b): "static __printf(1, 2) void sc_log(const char *fmt, ...)"
    # defined a function "__printf", and sc_log() was "defined in none of them"
    from models.slicer import Kind, top_level_items
    text = ("static __printf(1, 2) void sc_log(const char *fmt, ...)\n{\n\tpr_err(\"x\\n\");\n}\n"
            "__printf(2, 3) int sc_say(int lvl, const char *fmt, ...);\n"
            "static void __printf(1, 2) sc_tail(const char *fmt, ...)\n{\n}\n"
            "static __scanf(2, 3) int sc_scan(const char *s, const char *fmt, ...);\n")
    assert [(d.kind, d.name) for d in top_level_items(text, "a.c", 1)] == [
        (Kind.FUNCTION, "sc_log"), (Kind.PROTOTYPE, "sc_say"), (Kind.FUNCTION, "sc_tail"), (Kind.PROTOTYPE, "sc_scan")]


PRINTF_ATTR = r"""
static __printf(1, 2) void pw_note(const char *fmt, ...)
{
	pr_err("note\n");
}

static long long pw_attr(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	pw_note("SEAMCALL (%#llx) failed: %#llx\n", fn, err);
	pr_err("SEAMCALL (%llu) failed\n", fn);
	return (long long)(err & 0xff);
}
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None, reason="needs gcc, the oracle")
def test_a_variadic_function_with_a_printf_attribute_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    from tests.models.probegroup import agrees_with_gcc, group_result
    result = group_result(tmp_path, "pa", "demo/pa.h", PRINTF_ATTR)
    out = result.outcome("pa", "busy/ONE/big/demo.c")
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["note", "SEAMCALL (1) failed"], out.log
    agrees_with_gcc(result, "pa")


# A function head names its function by the identifier before the parameter list's '(': attribute macros with
# arguments before it (compiler_attributes.h, compiler_types.h) or context annotations after it name nothing.
HEADS = (
    "static __malloc __alloc_size(1) void *sh_take(size_t n)\n{\n\treturn 0;\n}\n"
    "static __diagnose_as(__builtin_strlen, 1) u64 sh_len(const char *s)\n{\n\treturn 0;\n}\n"
    "static __section(\".sc.text\") __alloc_size(1, 2) void *sh_arr(size_t n, size_t size)\n{\n\treturn 0;\n}\n"
    "static void sh_lock(struct sh_lk *l) __acquires(&l->lock)\n{\n}\n"
    "void *sh_grow(void *p, size_t n) __realloc_size(2);\n"
    "void *sh_keep(size_t) __alloc_size(1);\n"
    "static u64 sh_page[4] __aligned(SH_ALIGN);\n"
    "static u64 sh_word __aligned(sizeof(u64));\n"
    "static u64 sh_buf __section(\".data.sh\");\n"
)
_HEADS_DEFINED = "#define __section(s) __attribute__((__section__(s)))\n" \
    "#define __malloc __attribute__((__malloc__))\n" \
    "#define __alloc_size(x...) __attribute__((__alloc_size__(x))) __malloc\n" \
    "#define __realloc_size(x...) __attribute__((__alloc_size__(x)))\n#define __diagnose_as(b...)\n" \
    "#define __acquires(x)\n#define __aligned(x) __attribute__((__aligned__(x)))\n#define SH_ALIGN 64\n" \
    "typedef unsigned long long u64;\ntypedef unsigned long size_t;\nstruct sh_lk { int lock; };\n"


def test_a_function_head_is_named_by_the_identifier_before_its_parameter_list(tmp_path: Path) -> None:
    # Before: sh_take, sh_len, sh_arr were defined as __alloc_size, __diagnose_as and __section (and sh_keep declared
    # as __alloc_size): the code calling them called a function "not defined in this variant's files".
    from models.slicer import Kind, top_level_items
    got = [(d.kind, d.name) for d in top_level_items(HEADS, "a.c", 1)]
    assert got == [(Kind.FUNCTION, "sh_take"), (Kind.FUNCTION, "sh_len"), (Kind.FUNCTION, "sh_arr"),
                   (Kind.FUNCTION, "sh_lock"), (Kind.PROTOTYPE, "sh_grow"), (Kind.PROTOTYPE, "sh_keep"),
                   (Kind.VARIABLE, "sh_page"), (Kind.VARIABLE, "sh_word"), (Kind.VARIABLE, "sh_buf")]
    gcc = shutil.which("gcc")
    if gcc is None or shutil.which("nm") is None:
        pytest.skip("gcc (the oracle) or nm is not installed")
    # gcc: the symbols the same text defines (with the kernel's macros) are those names
    (tmp_path / "h.c").write_text(_HEADS_DEFINED + HEADS)
    subprocess.run([gcc, "-O0", "-c", "-o", str(tmp_path / "h.o"), str(tmp_path / "h.c")], check=True)
    table = subprocess.run(["nm", str(tmp_path / "h.o")], check=True, capture_output=True, text=True).stdout
    defined = {ln.split()[2] for ln in table.splitlines() if len(ln.split()) == 3}
    assert defined == {n for k, n in got if k is not Kind.PROTOTYPE}, table


def test_command_line_macros_decide_a_default_away() -> None:
    # gcc -DSH_TRIES=1: the header's default is not built, so only the command line defines SH_TRIES.
    from models.slicer import slice_fragment

    lines = ["#ifndef SH_TRIES", "#define SH_TRIES 3", "#endif", "static int f(void) { return SH_TRIES; }"]
    assert [d.name for d in slice_fragment(lines, "h.h", 1)] == ["SH_TRIES", "f"]
    assert [d.name for d in slice_fragment(lines, "h.h", 1, (("SH_TRIES", "1"),))] == ["f"]


def test_a_name_alone_at_file_scope_is_listed_as_its_invocation() -> None:
    # 'static SC_KEYS;' (an object-like macro standing for a declaration): before, no item at all.
    got = [(d.kind, d.name, d.line) for d in slice_fragment(
        ["#define SC_KEYS DEFINE_STATIC_KEY_TRUE(k)", "static SC_KEYS;", "SC_N; static SC_M;", "static int;", "int x;"],
        "a.c", 1)]
    assert got == [(Kind.MACRO, "SC_KEYS", 1), (Kind.INVOCATION, "SC_KEYS", 2), (Kind.INVOCATION, "SC_N", 3),
                   (Kind.INVOCATION, "SC_M", 3), (Kind.VARIABLE, "x", 5)]


def test_a_digraph_directive_is_read_as_its_hash_spelling() -> None:
    # '%:' is '#' (C11 6.4.6p3): gcc takes '%:undef' and '%:define' as directives. Before, the second definition
    # was never read, and the first one's 'do { } while (0)' stood for SC_PR.
    lines = ["#define SC_PR(...) do { } while (0)", "%:undef SC_PR", "  %:define SC_PR(...) pr_err(__VA_ARGS__)",
             "%:if 0", "int sc_never;", "%:endif", "int sc_built;"]
    found = [(d.kind, d.name, d.line) for d in slice_fragment(lines, "x/a.h", 1)]
    assert found == [(Kind.MACRO, "SC_PR", 1), (Kind.UNDEF, "SC_PR", 2), (Kind.MACRO, "SC_PR", 3),
                     (Kind.VARIABLE, "sc_built", 7)], found


def test_an_unchanged_item_of_a_changed_fragment_is_classified_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two states of a file whose second function alone differs: the first function, the same text at the same
    line, is classified once (models.slicer._classified) and read as the same definition in both."""
    import models.slicer as slicer

    slicer._classified.cache_clear()
    seen: list[str] = []
    classify = slicer._classify

    def counted(text: str, path: str, line: int) -> list[Any]:
        seen.append(text)
        return classify(text, path, line)

    monkeypatch.setattr(slicer, "_classify", counted)
    keep = ["static int sc_keep(int a)", "{", "\treturn a + 1;", "}", ""]
    old = slice_fragment([*keep, "static int sc_edit(int a)", "{", "\treturn a;", "}"], "a.c", 1)
    new = slice_fragment([*keep, "static int sc_edit(int a)", "{", "\treturn a - 1;", "}"], "a.c", 1)
    assert [(d.kind, d.name, d.line) for d in old] == [(d.kind, d.name, d.line) for d in new] == [
        (Kind.FUNCTION, "sc_keep", 1), (Kind.FUNCTION, "sc_edit", 6)]
    assert old[0] == new[0] and old[1] != new[1]
    assert sum(t.startswith("static int sc_keep") for t in seen) == 1
    assert sum(t.startswith("static int sc_edit") for t in seen) == 2


def test_two_alike_items_of_one_line_are_two_definitions() -> None:
    """``int x; int x;`` on one line: two definitions, not one object listed twice (models.redefinition tells the
    items of one list apart by identity)."""
    found = slice_fragment(["static int sc_x; static int sc_x;"], "a.c", 1)
    assert [(d.kind, d.name) for d in found] == [(Kind.VARIABLE, "sc_x")] * 2
    assert found[0] is not found[1]


@pytest.mark.parametrize(("text", "want"), [
    # A backslash-newline in a directive's head (C11 5.1.1.2p1 phase 2): gcc reads the spliced line. Before, the
    # first physical line alone was read: no directive, or an object-like macro where gcc defines a function-like.
    ("#define \\\nSC_N 1\nint x;", [("MACRO", "SC_N", 1, None), ("VARIABLE", "x", 3, None)]),
    ("#def\\\nine SC_N 1\nint x;", [("MACRO", "SC_N", 1, None), ("VARIABLE", "x", 3, None)]),
    ("%:\\\ndefine SC_N 2\nint x;", [("MACRO", "SC_N", 1, None), ("VARIABLE", "x", 3, None)]),
    ("#define SC_F\\\n(a) a\nint x;", [("MACRO", "SC_F", 1, ("a",)), ("VARIABLE", "x", 3, None)]),
    ("#define SC_F(a, \\\n b) a\nint x;", [("MACRO", "SC_F", 1, ("a", "b")), ("VARIABLE", "x", 3, None)]),
    ("#un\\\ndef SC_N\nint x;", [("UNDEF", "SC_N", 1, None), ("VARIABLE", "x", 3, None)]),
    ("#err\\\nor stop\nint x;", [("ASSERT", ERROR_NAME, 1, None), ("VARIABLE", "x", 3, None)]),
    ("int f(void)\n{\n#un\\\ndef SC_N\n\treturn 0;\n}\nint x;",
     [("FUNCTION", "f", 1, None), ("UNDEF", "SC_N", 3, None), ("VARIABLE", "x", 7, None)]),
    # A head whole on its first line: the macro keeps its lines as written.
    ("#define SC_F(a) \\\n\t((a) + 1)\nint x;", [("MACRO", "SC_F", 1, ("a",)), ("VARIABLE", "x", 3, None)]),
])
def test_a_directive_whose_head_a_backslash_newline_splits_is_read_as_gcc_splices_it(text: str, want: list[Any]
                                                                                       ) -> None:
    got = slice_fragment(text.split("\n"), "a.c", 1)
    assert [(d.kind.name, d.name, d.line, d.params) for d in got] == want
    assert [d.text for d in got if d.name == "SC_F" and "+" in d.text] in ([], ["#define SC_F(a) \\\n\t((a) + 1)"])


# Directives a comment goes on from over a line end, read as gcc reads them (the comment one space, C11 5.1.1.2 phase
# 3, before directives are read): '#if 0 /* x' then ' */ || 1' is '#if 0 || 1', '#ifdef /* x' then ' */ SC_ON' is
# '#ifdef SC_ON', '#define SC_N 1 /* x' then ' */ + 1' is '#define SC_N 1 + 1'.
SPLIT_CONDITIONS = ("#define SC_ON 1\n#if 0 /* x\n */ || 1\nstatic int g(void)\n{\n\treturn 1;\n}\n#else\n"
                    "static int g(void)\n{\n\treturn 2;\n}\n#endif\n#ifdef /* x\n */ SC_ON\nstatic int h(void)\n{\n"
                    "\treturn 10;\n}\n#else\nstatic int h(void)\n{\n\treturn 20;\n}\n#endif\n")
SPLIT_DEFINE = "#define SC_N 1 /* x\n */ + 1\n#define SC_M(a) ((a) /* y\n */ * 3)\n"
IN_BODY = "static int g(void)\n{\n#if 0 /* x\n */ || 1\n\treturn 1;\n#endif\n\treturn 2;\n}\n"


@pytest.mark.parametrize(("code", "returned", "want"), [
    # the #else branches ran: 22 where gcc gives 11 (65f0ffca)
    (SPLIT_CONDITIONS, "g() + h()", 11),
    # '#define SC_N 1' and '#define SC_M(a) ((a)': 10 and a build failure; 1 + 1 * 10 + ((2) * 3) as text
    (SPLIT_DEFINE, "SC_N * 10 + SC_M(2)", 17),
    # in g()'s body '#if 0', and ' */ || 1' left as code: 'return 2;' ran
    (IN_BODY, "g()", 1),
], ids=["top-level conditions", "defines", "a condition in a body"])
def test_a_directive_a_comment_goes_on_from_is_read_whole(tmp_path: Path, code: str, returned: str, want: int) -> None:
    from tests.models.cprog import run

    out = run(code + f"long long f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {returned};\n}}\n")
    assert (out.status, out.ret) == ("ok", want), out.error
    if shutil.which("gcc") is None:
        pytest.skip("gcc is not installed")
    (tmp_path / "u.c").write_text(code + f"int main(void)\n{{\n\treturn {returned};\n}}\n")
    subprocess.run(["gcc", "-o", str(tmp_path / "u"), str(tmp_path / "u.c")], check=True, timeout=60)
    assert subprocess.run([str(tmp_path / "u")], timeout=60).returncode == out.ret
