"""The preprocessor step (models/cpp.py) against gcc's own: what # makes of arguments, the variadic one too."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest

from models.cpp import _preprocess
from models.native.run import NativeError, find_compiler
from tests.models.cprog import PATH, run

MACROS = """\
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define V(...) #__VA_ARGS__
#define W(a, ...) #a ":" #__VA_ARGS__
#define SUM  (1  +   2)
#define ID(a) a
"""

# Each the right side of ``const char *sN = ...;``: white space around, inside and between arguments.
CASES = (
    "V(fn,  args)", "V( fn ,  args  )", "V()", "W(q)", "W( q ,\n   r,\n\ts  )", "__stringify(  p  ,  q  )",
    "__stringify(SUM)", "__stringify( SUM , ID(  z  ) )", 'V("a  b",   \'c\'  )', "V( /* c */ x /* d */ )",
)


def _strings(text: str) -> list[str]:
    # The ';' after a multi-line invocation is on its own line, as gcc -E writes it (a #line marker before it).
    text = re.sub(r'\n#line \d+ "[^"]*"\n\s*;', ";", text)
    return re.findall(r"const char \*s\d+ = (.*);", text)


def test_stringified_arguments_are_the_ones_gcc_makes() -> None:
    source = MACROS + "".join(f"const char *s{i} = {c};\n" for i, c in enumerate(CASES))
    try:
        cc = find_compiler(None)
    except NativeError:  # no compiler on this machine: nothing to compare with
        pytest.skip("no C compiler")
    gcc = subprocess.run([cc, "-E", "-P", "-x", "c", "-"], input=source, capture_output=True, text=True, check=True)
    want = _strings(gcc.stdout)
    assert len(want) == len(CASES)
    assert _strings(_preprocess(source)) == want


def test_a_stringified_variadic_argument_has_no_white_space_around_it() -> None:
    # gcc's "fn, args", where pcpp alone gave " fn, args".
    code = ("#define NAMED(func, ...) __stringify(__VA_ARGS__)\n"
            "int f(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"%s|\\n\", NAMED(__seamcall, fn,   args ));\n"
            "\treturn sizeof(NAMED(x, a , b));\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["fn, args|"] and out.ret == len("a , b") + 1


def test_file_is_the_files_path_in_the_tree() -> None:
    # kbuild's -fmacro-prefix-map=$(srctree)/= makes gcc's __FILE__ the path from the top of the tree; pcpp
    # alone gave the name the mirror parses the text under.
    code = ("#define WHERE() __FILE__\nint f(u64 fn, struct tdx_module_args *args)\n{\n"
            "\tpr_err(\"%s %s %d\\n\", __FILE__, WHERE(), (int)sizeof(__FILE__));\n\treturn 0;\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == [f"{PATH} {PATH} {len(PATH) + 1}"]


@pytest.mark.parametrize("use", ["__DATE__", "__stringify(__TIME__)", "__TIMESTAMP__"])
def test_date_and_time_are_refused_as_the_kernel_build_refuses_them(use: str) -> None:
    # The kernel builds with -Werror=date-time; pcpp alone printed the mirror's own clock.
    code = f"int f(u64 fn, struct tdx_module_args *args)\n{{\n\tpr_err(\"%s\\n\", {use});\n\treturn 0;\n}}\n"
    out = run(code)
    assert out.status == "error" and "-Werror=date-time" in (out.error or "")
    assert f"{PATH}:3: " in (out.error or "")


def test_a_preprocessor_error_names_the_files_line() -> None:
    code = "#define TWO(a, b) a\nint f(u64 fn, struct tdx_module_args *args)\n{\n\treturn TWO(1);\n}\n"
    out = run(code)
    assert out.status == "error" and f"{PATH}:4: preprocessor: Macro TWO requires 2 arguments" in (out.error or "")


def test_trigraphs_are_left_as_gnu11_leaves_them() -> None:
    # kbuild compiles with -std=gnu11, where gcc does not replace trigraphs; pcpp printed "what| (1)] #".
    code = ("int f(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err(\"what??! (%d)??) ??=\\n\", 1);\n"
            "\treturn sizeof(\"??/\");\n}\n")
    out = run(code)
    assert out.status == "ok", out.error
    assert [x.text for x in out.log] == ["what??! (1)??) ??="] and out.ret == 4


def test_a_token_of_a_macro_argument_is_where_gcc_locates_it() -> None:
    # gcc locates a token read from a macro argument at its own line and column (its diagnostics say so); pcpp
    # wrote the whole expansion on the macro name's line, so what ran there was said one line early or more.
    from pycparser import c_ast, c_parser

    source = ("#define ADD(a, b) ((a) + (b))\n#define WRAP(x) ADD(x, 1)\nint g(void);\nint f(void)\n{\n"
              "\tint x = ADD(1,\n\t\t    ADD(2,\n\t\t\tundeclared_one));\n"
              "\tint y = WRAP(\n\t\t  undeclared_two);\n\treturn x + y + __LINE__ + undeclared_three;\n}\n")
    try:
        cc = find_compiler(None)
    except NativeError:
        pytest.skip("no C compiler")
    gcc = subprocess.run([cc, "-fsyntax-only", "-x", "c", "-"], input=source, capture_output=True, text=True)
    want = sorted((m.group(3), int(m.group(1)), int(m.group(2)))
                  for m in re.finditer(r"<stdin>:(\d+):(\d+): error: .(undeclared_\w+). undeclared", gcc.stderr))
    assert [w[0] for w in want] == ["undeclared_one", "undeclared_three", "undeclared_two"], gcc.stderr

    class Ids(c_ast.NodeVisitor):
        def __init__(self) -> None:
            self.found: list[tuple[str, int, int]] = []

        def visit_ID(self, node: c_ast.ID) -> None:
            if node.name.startswith("undeclared"):
                self.found.append((node.name, node.coord.line, node.coord.column))

    ids = Ids()
    ids.visit(c_parser.CParser().parse(_preprocess(source), "<stdin>"))
    # Lines all, columns of the arguments' tokens (the mirror's columns after an expansion on its line are
    # pcpp's: __LINE__ written as 11 is shorter).
    assert [(n, line) for n, line, _ in sorted(ids.found)] == [(n, line) for n, line, _ in want]
    args = [x for x in want if x[0] != "undeclared_three"]
    assert [x for x in sorted(ids.found) if x[0] != "undeclared_three"] == args
    assert "return x + y + 11 +" in _preprocess(source)  # __LINE__ and the lines after keep their numbers


def test_an_argument_on_a_later_line_keeps_its_column_when_macros_come_in_a_block() -> None:
    # with a macro block (models.cppexpand.expand: the block's lines blanked before the text), the column of an argument
    # on a later line was read in the blanked text, whose lines keep their blanks, from an offset in the text pcpp
    # lexed (each line's trailing blanks cut): 'undeclared_one' at column 3, 'undeclared_two' at 1 (gcc: 5, 5)
    from pycparser import c_ast, c_parser

    from models.cppexpand import expand

    block = "#define ADD(a, b) ((a) + (b))\n#define SUB(a, b) ((a) - (b))"
    text = "int f(void)\n{\n\tint x = ADD(1,\n\t\t  undeclared_one);\n\treturn SUB(x,\n    undeclared_two);\n}\n"
    try:
        cc = find_compiler(None)
    except NativeError:
        pytest.skip("no C compiler")
    gcc = subprocess.run([cc, "-fsyntax-only", "-x", "c", "-"], input=f"{block}\n{text}", capture_output=True,
                         text=True)
    want = sorted((m.group(3), int(m.group(1)), int(m.group(2)))
                  for m in re.finditer(r"<stdin>:(\d+):(\d+): error: .(undeclared_\w+). undeclared", gcc.stderr))
    assert [(n, line) for n, line, _ in want] == [("undeclared_one", 6), ("undeclared_two", 8)], gcc.stderr
    found: list[tuple[str, int, int]] = []

    class Ids(c_ast.NodeVisitor):
        def visit_ID(self, node: c_ast.ID) -> None:
            if node.name.startswith("undeclared"):
                found.append((node.name, node.coord.line, node.coord.column))

    Ids().visit(c_parser.CParser().parse(expand(text, block, "<stdin>", 3), "<stdin>"))
    assert sorted(found) == want


def test_a_fresh_preprocessor_is_what_init_makes() -> None:
    """_NoIncludes.fresh() copies one made once instead of probing pcpp's lexer and defining its macros for every
    definition: the same attributes as a new one's, and what one run defines or opens is its own."""
    from models.cpp import _LEXER, _NoIncludes

    made, fresh = _NoIncludes(_LEXER.clone(), 3, 4), _NoIncludes.fresh(3, 4)
    assert made.__dict__.keys() == fresh.__dict__.keys() and made.macros.keys() == fresh.macros.keys()
    mutable = {"lexer", "macros", "path", "temp_path", "include_once", "include_times", "_arguments", "_from_file"}
    assert {k: v for k, v in made.__dict__.items() if k not in mutable | {"evaluator"}} == \
        {k: v for k, v in fresh.__dict__.items() if k not in mutable | {"evaluator"}}
    assert fresh.lexer is not _NoIncludes.fresh().lexer
    fresh.define("ONLY_HERE 1")
    fresh.parse("ONLY_HERE\n", "<tu>")
    while fresh.token() is not None:
        pass
    other = _NoIncludes.fresh()
    assert "ONLY_HERE" not in other.macros and not other.include_times and not other.temp_path
    assert all(getattr(other, k) == getattr(made, k) for k in mutable - {"lexer", "macros"}) and other._first == 1


def test_tokens_copy_as_copy_reduces_them() -> None:
    """pcpp copies tokens with copy.copy(): models.cpp gives its token class a __copy__ that makes what copy's
    reduction (__reduce_ex__, copyreg) makes, without it: a new object of the class with the same attributes."""
    import copy

    import pcpp.parser

    tok = _tokens("ID(  z  )")[1]
    tok.own_line = 7
    reduced = copy._reconstruct(tok, None, *tok.__reduce_ex__(4))  # type: ignore[attr-defined]
    copied = copy.copy(tok)
    assert "__copy__" in vars(pcpp.parser.LexToken)
    assert type(copied) is type(reduced) is type(tok) and copied is not tok
    assert vars(copied) == vars(reduced) == vars(tok)
    copied.value = "changed"
    assert tok.value != "changed"


def _tokens(text: str) -> list[Any]:
    from models.cpp import _NoIncludes

    pp = _NoIncludes.fresh()
    return list(pp.tokenize(text))


_BLOCK = """#define TWICE(x) ((x) * 2)
#ifndef EIO
#define EIO 5
#endif
#define CAT(a, b) a##b
#define XCAT(a, b) CAT(a, b)
#ifndef ONCE
#define ONCE XCAT(once_, __COUNTER__)
#endif
#define WHERE __FILE__ ":" __stringify(__LINE__)
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)"""


@pytest.mark.parametrize("text", [
    "int f(void)\n{\n\treturn TWICE(EIO) + ONCE + ONCE;\n}",
    'const char *w = WHERE;\nint l = __LINE__;\nint XCAT(c_, __COUNTER__);',
    "#define EIO 6\nint e = EIO;\n#undef TWICE\nint t = TWICE(1);",
    "int m = TWICE(\n\tEIO\n);\n#if EIO == 5\nint five;\n#endif",
])
def test_a_macro_block_read_once_expands_as_read_with_the_text(text: str) -> None:
    """models.cpp reads a definition's macro block once for every definition that has it (_block_state): what it
    defines is what reading it before the text defines, line numbers included, and what a text defines or undefines
    stays its own."""
    from models.cpp import _block_state, preprocess_block

    first = _BLOCK.count("\n") + 2
    rest = f'\n#line 40 "a/b.c"\n{text}\n'
    whole = _preprocess(_BLOCK + rest, first, 40 - first - 1, "a/b.c")
    assert preprocess_block(_BLOCK, rest, first, 40 - first - 1, "a/b.c") == whole
    hits = _block_state.cache_info().hits
    assert preprocess_block(_BLOCK, rest, first, 40 - first - 1, "a/b.c") == whole  # the block not read again
    assert _block_state.cache_info().hits == hits + 1
    assert "EIO 6" not in str(_block_state(_BLOCK, first, "a/b.c")[0].get("EIO"))


_NO_LINE = "\n".join(x for x in _BLOCK.split("\n") if "__LINE__" not in x)


@pytest.mark.parametrize(("block", "text"), [
    (_NO_LINE, "int f(void)\n{\n\treturn TWICE(\n\t\tEIO);\n\n\n\n\n\n\n\n\n\treturn TWICE(ONCE);\n}"),
    (_NO_LINE, 'const char *f = __FILE__;\n#if EIO == 5\nint five;\n#endif'),
    (_NO_LINE, "int l = __LINE__;"),  # __LINE__: expanded where it is
    (_BLOCK, "const char *w = WHERE;"),  # in a macro of the block: the same
    (_NO_LINE, "#line 7\nint x = EIO;"),  # a line marker of its own: expanded where it is
    (_NO_LINE, "# 9 \"x.c\"\nint x = EIO;"),
    (_NO_LINE, "int y = TWICE(EIO);\n#error stop here"),  # refused where it is
])
@pytest.mark.parametrize("line", [1, 6, 250, 99_999, 100_001, 3_000_000])
def test_a_definition_expands_at_any_line_as_there(block: str, text: str, line: int) -> None:
    """models.cppexpand.expand() moves one expansion of a definition to the line it is at, where only #line markers
    depend on the line: the very text (or LoadError) expanding it there gives."""
    from models.cppexpand import _expanded, _expanded_at, expand
    from models.errors import LoadError

    def result(fn: Callable[[], str]) -> str:
        try:
            return fn()
        except LoadError as exc:
            return f"LoadError {exc.where}: {exc.message}"

    there = result(lambda: _expanded(text, block, "a/b.c", line))
    moved = _expanded_at.cache_info().misses + _expanded_at.cache_info().hits
    assert result(lambda: expand.__wrapped__(text, block, "a/b.c", line)) == there
    assert (_expanded_at.cache_info().misses + _expanded_at.cache_info().hits > moved) == (
        block == _NO_LINE and text.startswith(("int f", "const char *f", "int y")))


_PASTED_FILE = "#define CAT4(a, b, c, d) __##a##b##c##d##__"


@pytest.mark.parametrize(("block", "text", "shared"), [
    (_NO_LINE, "int f(void)\n{\n\treturn TWICE(\n\t\tEIO);\n\n\n\n\n\n\n\n\n\treturn TWICE(ONCE);\n}", True),
    (_NO_LINE, 'const char *s = "<any path>";', False),  # the stand-in's name in the text itself
    (_NO_LINE, "const char *f = __FILE__;", False),  # __FILE__: expanded in its own file
    (_BLOCK, "const char *w = WHERE;", False),  # in a macro of the block: the same
    (_PASTED_FILE, "const char *p = CAT4(F, I, L, E);", False),  # made by ##: its value seen in the expansion
    (_PASTED_FILE, "int n = sizeof(CAT4(F, I, L, E));", False),
    (_NO_LINE, "int y = TWICE(EIO);\n#error stop here", False),  # refused: said in its own file
])
@pytest.mark.parametrize("path", ["a/b.c", "arch/x86/include/asm/tdx.h", "<entry>", "d/e f.c", 'q"uote.c',
                                  "b\\s.c", "<typedefs>"])
def test_a_definition_expands_in_any_file_as_there(block: str, text: str, shared: bool, path: str) -> None:
    """models.cpp expands a definition once for every file it is in when only the #line markers' path depends on
    the file (models.cppexpand.expanded_anywhere): the very text (or LoadError) expanding it in that file gives; never
    where __FILE__ is named or made, nor for a path that is not written as it is between quotes."""
    from models.cppexpand import _expanded, _expanded_at, expanded_anywhere
    from models.errors import LoadError

    def result(fn: Callable[[], str]) -> str:
        try:
            return fn()
        except LoadError as exc:
            return f"LoadError {exc.where}: {exc.message}"

    plain = path in ("a/b.c", "arch/x86/include/asm/tdx.h", "<entry>")
    assert (expanded_anywhere(text, block, path) is not None) == (shared and plain)
    assert result(lambda: _expanded_at.__wrapped__(text, block, path)) == result(
        lambda: _expanded(text, block, path, 100_000))


def test_a_macro_block_is_read_once_for_every_file() -> None:
    """A block that does not name __FILE__ is read once for every path (models.cpp._block_state), each
    expansion's __FILE__ its own file's; one that names it is read in each file."""
    from models.cpp import _block_state, preprocess_block

    first = _NO_LINE.count("\n") + 2
    for block in (_NO_LINE, _BLOCK):
        for path in ("a/b.c", "c/d.h", "e f.c"):
            rest = f'\n#line 40 "{path}"\nint e = EIO + TWICE(1);\nconst char *f = __FILE__;\n'
            whole = _preprocess(block + rest, first, 40 - first - 1, path)
            assert preprocess_block(block, rest, first, 40 - first - 1, path) == whole
            assert f'"{path}"' in whole.split("\n")[-2]
    _block_state.cache_clear()
    for path in ("a/b.c", "c/d.h"):
        preprocess_block(_NO_LINE, f'\n#line 40 "{path}"\nint e;\n', first, 0, path)  # the file's own #line
        preprocess_block(_BLOCK, f'\n#line 40 "{path}"\nint e;\n', first, 0, path)
    assert _block_state.cache_info().misses == 3


def test_the_macro_block_of_a_text_is_worked_out_once_for_the_same_macros() -> None:
    """models.macroblock.macro_blocks(): macro_block() of a text, kept for every program whose macros are the same where
    they are (another dict, in another order), never for macros of another text or place."""
    from models.macroblock import _macro_block_of, macro_block, macro_blocks
    from models.slicer import Definition, Kind

    def macro(name: str, body: str, line: int) -> Definition:
        return Definition(Kind.MACRO, name, f"#define {name} {body}", "m.h", line)

    macros = {"B": macro("B", "(A + EIO)", 2), "A": macro("A", "1", 1), "C": macro("C", "3", 3)}
    text = "int f(void) { return B + GENMASK_ULL(3, 0); }"
    want = macro_block(text, macros, frozenset(), frozenset({"C"}))
    assert macro_blocks(macros, frozenset(), frozenset({"C"}))(text) == want
    hits = _macro_block_of.cache_info().hits
    again = macro_blocks(dict(reversed(list(macros.items()))), frozenset(), frozenset({"C"}))
    assert again(text) == want and _macro_block_of.cache_info().hits == hits + 1
    moved = {**macros, "A": macro("A", "1", 9)}  # A after B now: its #define comes after
    assert macro_blocks(moved, frozenset(), frozenset({"C"}))(text) == macro_block(text, moved, frozenset(),
                                                                                 frozenset({"C"})) != want


def test_a_string_literal_past_the_longest_array_is_refused_before_pcpp_lexes_it() -> None:
    # Named at its line in the definition, at the definition's first line when the macro block holds it; a
    # comment or a literal of 65,536 characters is read as before.
    from models.cppexpand import expand
    from models.errors import LoadError

    long = '"' + "a" * 65_537 + '"'
    text = f"int f(void)\n{{\n\treturn sizeof({long});\n}}\n"
    with pytest.raises(LoadError) as got:
        expand(text, "", "d/x.c", 40)
    assert str(got.value) == "d/x.c:42: a string literal of 65,537 characters is not modelled (the mirror reads " \
                             "literals of up to 65,536)"
    with pytest.raises(LoadError) as got:
        expand("int g(void) { return sizeof(BIG); }\n", f"#define BIG {long}\n", "d/x.c", 7)
    assert str(got.value).startswith("d/x.c:7: a string literal of 65,537 characters")
    fits = "int h(void) { return sizeof(\"" + "a" * 65_536 + "\"); } /* " + "b" * 70_000 + " */\n"
    assert "return sizeof" in expand(fits, "", "d/x.c", 1)


def test_the_preprocessors_hot_wrappers_call_pcpps_own_without_super() -> None:
    # super() made an object for every token of every definition expanded, and for every expansion (4 M
    # instructions of the corpus' empty-cache eval): pcpp's own methods are called as they are.
    from models.cpp import _NoIncludes

    assert all("super" not in f.__code__.co_names for f in (_NoIncludes.token, _NoIncludes.expand_macros))


def test_a_statement_after_a_multi_line_invocation_is_where_its_text_starts() -> None:
    # pcpp wrote the newline inside pr_err()'s arguments and still numbered the expansion as one line, so each
    # two-line call put every line after it one late (log lines at 3, 6, 9 for calls at 3, 5, 7). gcc -E writes
    # the expansion on one line and a line marker for what follows it on the invocation's last line.
    from models.machine import Answer
    from models.mirror import RunRequest
    from tests.models.cprog import line_of, mirror_of

    code = ("long f(u64 fn, struct tdx_module_args *args)\n{\n\tint n = 0;\n\n"
            '\tpr_err("first %d\\n",\n\t       1);\n\tpr_err("second %d\\n",\n\t       2); n++;\n'
            '\tpr_err("third %d\\n", 3);\n\treturn n;\n}\n')
    m = mirror_of(code, "f")
    out = m.run(RunRequest("f", 33, (Answer(0),), ""))
    assert out.status == "ok" and out.ret == 1, out.error
    where = [f"{PATH}:{line_of(code, word)}" for word in ("first", "second", "third")]
    assert [src[1] for src in m.last_log] == where  # type: ignore[index]
    ran = {key.rsplit(":", 1)[0] for key in m.take_coverage().ran if key.startswith(PATH)}  # path:line:column
    statements = ("{", "int n", "first", "second", "n++", "third", "return n")  # the body's block too
    assert ran == {f"{PATH}:{line_of(code, word)}" for word in statements}


def test_the_line_after_a_multi_line_invocation_is_gccs() -> None:
    # gcc -E's line markers are the oracle: every token is on the line gcc says it is.
    source = ("#define P(fmt, ...) printk(fmt, ##__VA_ARGS__)\nvoid f(void)\n{\n\tP(\"a\",\n\t  1);\n"
              "\tP(\"b\",\n\n\t  2); g(3\n\t);\n\th(4);\n}\n")
    try:
        cc = find_compiler(None)
    except NativeError:
        pytest.skip("no C compiler")
    gcc = subprocess.run([cc, "-E", "-x", "c", "-"], input=source, capture_output=True, text=True, check=True)
    assert _token_lines(gcc.stdout, r'# (\d+) "<stdin>"') == _token_lines(_preprocess(source), r'#line (\d+) ')


def _token_lines(out: str, marker: str) -> list[tuple[str, int]]:
    """Each identifier, string or number of preprocessed output with the line of its file it is on."""
    where, line = [], 1
    for text in out.split("\n"):
        if (mark := re.match(marker, text)) is not None:
            line = int(mark.group(1))
            continue
        if not text.startswith("#"):
            where += [(tok, line) for tok in re.findall(r'"[^"]*"|\w+', text)]
        line += 1
    return where


def test_an_error_directive_stops_the_definition_as_gcc_stops_the_build(capfd: pytest.CaptureFixture[str]) -> None:
    # pcpp printed "<tu>:N error: ..." on stderr and dropped the line: a function gcc does not build ran "ok". A
    # #warning builds (a warning), an #error in a branch not taken is no error: neither prints a word.
    code = ("int f(u64 fn, struct tdx_module_args *args)\n{\n#warning careful\n#if 0\n#error not taken\n#endif\n"
            "#ifdef CONFIG_X86_32\n#error nor this\n#endif\n\treturn 1;\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 1), out.error
    # Under a macro no line defines (a header's, maybe), whether gcc stops is not known (models.slicer._inner): the
    # body's own #ifdef read NOPE as undefined and ran 'ok'
    out = run(code.replace("CONFIG_X86_32", "NOPE"))
    assert out.status == "error" and out.error == (f"{PATH}:8: #error nor this under #ifdef NOPE ({PATH}:7), which "
                                                   "the mirror cannot decide: whether gcc builds these files is not "
                                                   "known")
    out = run(code.replace("#if 0", "#if 1"))
    assert out.status == "error" and f"{PATH}:5: #error not taken: gcc stops the build here" in (out.error or "")
    assert capfd.readouterr().err == ""
    try:
        cc = find_compiler(None)
    except NativeError:  # no compiler on this machine: the mirror's answer stands alone
        return
    gcc = subprocess.run([cc, "-fsyntax-only", "-x", "c", "-"], input=code.replace("#if 0", "#if 1")
                         .replace("u64 fn, struct tdx_module_args *args", "void"), capture_output=True, text=True)
    assert gcc.returncode != 0 and "<stdin>:5:2: error: #error not taken" in gcc.stderr


def test_the_comma_before_an_empty_variable_argument_goes_where_gcc_removes_it() -> None:
    # libcpp: removed where the variable argument is left out, or (-std=gnu11) where a macro's only parameter is the
    # variable one and its argument is empty; an argument given but empty keeps it (F(g,) is g(7,): no build).
    macros = ("#define F(f, ...) f(7, ##__VA_ARGS__)\n#define G(...) h(7, ##__VA_ARGS__)\n"
              "#define H(a, b, ...) k(a, b, ##__VA_ARGS__) #__VA_ARGS__\n#define E(x) x\n")
    calls = ("F(g)", "F(g,)", "F(g, )", "F(g,1)", "F(g, 1, 2)", "F(g, E())", "F(g, E(1))", "G()", "G( )", "G(1)",
             "G(,)", "G(E())", "H(1, 2)", "H(1, 2,)", "H(1,2, 3)", "F(G, )", "F(F, g)")
    text = macros + "".join(f"{n}: {c}\n" for n, c in enumerate(calls))
    mine = {ln.split(":")[0]: re.sub(r"\s", "", ln) for ln in _preprocess(text).splitlines() if ":" in ln}
    assert mine["1"] == "1:g(7,)" and mine["8"] == "8:h(7)" and mine["0"] == "0:g(7)", mine
    try:
        cc = find_compiler(None)
    except NativeError:
        return
    gcc = subprocess.run([cc, "-std=gnu11", "-E", "-P", "-x", "c", "-"], input=text, capture_output=True, text=True,
                         check=True).stdout
    want = {ln.split(":")[0]: re.sub(r"\s", "", ln) for ln in gcc.splitlines() if ":" in ln}
    assert mine == want


def test_stringify_of_a_name_no_line_defines_is_its_own_text_as_gcc_writes_it() -> None:
    # __stringify() expands its argument first: a name that is no macro stays itself, spaces folded (C11 6.10.3.2).
    code = ("#define SH_V 33\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n"
            '\tpr_err("%s|%s|%s|%s\\n", __stringify(SH_NOWHERE), __stringify(SH_NOWHERE  +  1),'
            " __stringify(SH_F(1,  2)), __stringify(SH_V));\n\treturn sizeof(__stringify(SH_NOWHERE));\n}\n")
    out = run(code)
    assert (out.status, out.ret) == ("ok", 11), out.error
    texts = [ln.text for ln in out.log]
    assert texts == ["SH_NOWHERE|SH_NOWHERE + 1|SH_F(1, 2)|33"], texts
    try:
        cc = find_compiler(None)
    except NativeError:
        return
    own = "#define sh_str_(x...) #x\n#define __stringify(x...) sh_str_(x)\n#define SH_V 33\n"
    gcc = subprocess.run([cc, "-std=gnu11", "-E", "-P", "-x", "c", "-"], capture_output=True, text=True, check=True,
                         input=own + "a: __stringify(SH_NOWHERE) __stringify(SH_NOWHERE  +  1) __stringify(SH_F(1,  2))"
                         " __stringify(SH_V)\n").stdout
    assert gcc.split("a: ", 1)[1].split() == ['"SH_NOWHERE"', '"SH_NOWHERE', '+', '1"', '"SH_F(1,', '2)"', '"33"']


def test_a_macro_s_token_in_an_argument_on_a_later_line_is_at_the_macro_s_name() -> None:
    # an argument on a later line that invokes a macro (G, H(3)): the expansion's first token was placed on the
    # invocation's line at the column it has in the #define (11 and 14 here), a place in no text; gcc locates the
    # token at the #define, noting the invocation ("in expansion of macro 'G'") at the name's line and column
    from pycparser import c_ast, c_parser

    source = ("#define ADD(a, b) ((a) + (b))\n#define H(x) undeclared_h + x\n#define G undeclared_g\n"
              "int f(void)\n{\n\tint y = ADD(2,\n     H(3));\n\treturn ADD(y,\n\t\t  G);\n}\n")
    try:
        cc = find_compiler(None)
    except NativeError:
        pytest.skip("no C compiler")
    gcc = subprocess.run([cc, "-fsyntax-only", "-fdiagnostics-column-unit=byte", "-x", "c", "-"], input=source,
                         capture_output=True, text=True)
    want = sorted({("undeclared_" + m.group(3).lower(), int(m.group(1)), int(m.group(2)))
                   for m in re.finditer(r"<stdin>:(\d+):(\d+): note: in expansion of macro .([GH]).", gcc.stderr)})
    assert [(n, line) for n, line, _ in want] == [("undeclared_g", 9), ("undeclared_h", 7)], gcc.stderr
    found: set[tuple[str, int, int]] = set()

    class Ids(c_ast.NodeVisitor):
        def visit_ID(self, node: c_ast.ID) -> None:
            if node.name.startswith("undeclared"):
                found.add((node.name, node.coord.line, node.coord.column))

    Ids().visit(c_parser.CParser().parse(_preprocess(source), "<stdin>"))
    assert sorted(found) == want
