"""Seeded random preprocessing cases (macros and their uses) for comparing models.cpp with gcc -E token by token."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections.abc import Callable

GCC = shutil.which("gcc")

# C11 6.4 preprocessing tokens as gcc reads them (maximal munch): what a text written by a preprocessor is read as
# again, so that two tokens written side by side that read as one (``-`` ``-`` as ``--``) count as that one.
_PUNCTUATORS = sorted(("%:%:", "...", "<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
                       "*=", "/=", "%=", "+=", "-=", "&=", "^=", "|=", "##", "<:", ":>", "<%", "%>", "%:"),
                      key=len, reverse=True)
_PP_TOKEN = re.compile(
    r"""(?:u8|[uUL])?"(?:\\.|[^"\\\n])*"|(?:[uUL])?'(?:\\.|[^'\\\n])*'|\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.])*"""
    r"|[A-Za-z_]\w*|//|/\*|" + "|".join(map(re.escape, _PUNCTUATORS)) + r"|\S")
_CASE = re.compile(r"<(\d+)>(.*?)<end>", re.DOTALL)
_LINE_MARKER = re.compile(r"^#line [^\n]*$", re.MULTILINE)


def pp_tokens(text: str) -> list[str]:
    """The preprocessing tokens of ``text`` (white space and its amount aside)."""
    return _PP_TOKEN.findall(text)


def case_tokens(text: str) -> dict[str, list[str]]:
    """Each ``<n> ... <end>`` case of a preprocessed text as its tokens, by n (line markers read as white space)."""
    return {n: pp_tokens(body) for n, body in _CASE.findall(_LINE_MARKER.sub(" ", text))}


def gcc_e(source: str, std: str = "gnu11", kbuild: bool = False) -> str | None:
    """gcc -E -P of ``source`` with kbuild's -funsigned-char (a plain character constant is unsigned in #if), and
    with ``kbuild`` its -D__KERNEL__ and -O2 too; None when gcc refuses it (an error: it stops the build)."""
    assert GCC is not None
    more = ["-D__KERNEL__", "-O2"] if kbuild else []
    done = subprocess.run([GCC, "-E", "-P", f"-std={std}", "-funsigned-char", *more, "-x", "c", "-"], input=source,
                          capture_output=True, text=True, check=False)
    return done.stdout if done.returncode == 0 else None


# Pieces of bodies and arguments: tokens that glue when written side by side, and empty things.
_PUNCT = ("-", "+", "<", ">", "=", "&", "|", ".", "/", "*", "%", ":", "!")
_PLAIN = ("x", "1", "L", ".5", "e", "(", ")", "'c'", '"s"')


def _written(rng: random.Random, pieces: list[str], blank: float) -> str:
    """``pieces`` written one after another, with a blank at random and wherever two would read as other tokens
    (the source says what it seems to: gluing is the preprocessor's doing, not the text's)."""
    out = ""
    for piece in pieces:
        apart = pp_tokens(out[-8:] + piece) != pp_tokens(out[-8:]) + pp_tokens(piece)
        out += (" " if out and (apart or rng.random() < blank) else "") + piece
    return out


def _spacing(rng: random.Random, i: int) -> str:
    """Function-like and object-like macros whose parameters or whole expansion may be empty, used beside tokens
    they would glue to (gcc -E writes a blank between two tokens that would otherwise read as one)."""
    def piece() -> str:
        return rng.choice(("a", "b", "E", *_PUNCT, *_PLAIN[:5]))

    body = _written(rng, [piece() for _ in range(rng.randrange(1, 4))], 0.3)
    arg = lambda: rng.choice(("", "", "E", *_PUNCT, "x", "1", ".", "e"))  # noqa: E731
    use = _written(rng, [rng.choice((f"F({arg()},{arg()})", "E", "G()", *_PUNCT, "x", "1", ".", "e"))
                         for _ in range(rng.randrange(2, 5))], 0.2)
    return f"#define F(a,b) {body}\n#define E\n#define G() {rng.choice(_PUNCT)}\n<{i}> {use} <end>\n"


def _paste(rng: random.Random, i: int) -> str:
    """``##`` of two arguments or body tokens, some pairs not one token (gcc refuses those)."""
    operands = ("a", "b", "x", "1", "+", "-", "=", "<", ".", "e", '"s"', "'c'", "L", "(", "E", "/", "", "", "")
    # pairs that paste into one token, so that not nearly every case is a refusal
    fits = {"x": ("1", "x", "e", "b"), "1": ("1", "e", "x", ".", "b"), "+": ("+", "=", "b"), "-": ("-", ">", "="),
            "<": ("<", "=", "b"), ".": ("1",), "L": ('"s"', "'c'", "b"), "=": ("=", "b"), "a": ("b", "1")}
    left = rng.choice(("a", *operands[:12]))
    right = rng.choice(fits.get(left, ("b",))) if rng.random() < 0.6 else rng.choice(("b", *operands[:12]))
    body = f"{left} ## {right}" + (f" ## {rng.choice(('b', 'a', 'x', '+'))}" if rng.random() < 0.2 else "")
    body = rng.choice(("", "x ", "(", "- ")) + body + rng.choice(("", " y", ")", " -", "+"))
    args = [rng.choice(operands) if rng.random() < 0.5 else rng.choice(fits.get(left, ("x",))) for _ in range(2)]
    use = f"F({args[0]},{args[1]})"
    return f"#define E\n#define F(a,b) {body}\n#define X {body.replace('a', 'x').replace('b', '1')}\n<{i}> {use} " \
           f"{rng.choice(('', 'X', '-X-'))} <end>\n"


def _rescan(rng: random.Random, i: int) -> str:
    """Macros whose expansions end in a function-like macro's name or hold unbalanced parentheses, the ``(`` or
    ``)`` coming from the text after the invocation."""
    pieces = ("F", "G", "H", "I", "(", ")", "x", "1", "a", ",")

    def body() -> str:
        return " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 5)))
    lines = [f"#define F(a) [{body()}]", f"#define G(a) {body()} a {body()}", f"#define H {body()}",
             "#define I(a) a"]
    use = " ".join(rng.choice((*pieces, "F(1)", "I(F)", "G(2)", "H", "I(", "I(I)", "(1)", "G(F)", "I(H)(3)", "G(G)"))
                   for _ in range(rng.randrange(2, 8)))
    opened = use.count("(") - use.count(")")
    return "\n".join(lines) + f"\n<{i}> {use}{' )' * max(opened, 0)} <end>\n"


def _stringize(rng: random.Random, i: int) -> str:
    """``#`` of arguments holding strings, characters, escapes and empty macros, directly and through a level."""
    args = ('"a\\n"', "'\\''", '"\\\\"', "'\"'", '"q\\"r"', "E", "x  y", "-E-", "L\"w\"", "a/**/b", "\"\"", "1 E 2",
            "'\\\\'", "+E", "F()", "E x")
    arg = " ".join(rng.choice(args) for _ in range(rng.randrange(1, 3)))
    use = rng.choice((f"S({arg})", f"XS({arg})", f"XS(I({arg}))"))
    return (f"#define E\n#define F() -\n#define I(x) x\n#define S(x) #x\n#define XS(x) S(x)\n<{i}> {use} <end>\n")


def _defined(rng: random.Random, i: int) -> str:
    """#if expressions whose ``defined`` comes out of a macro's expansion (gcc reads it as the operator on the name
    as written), and names that are empty, defined to other names or not defined at all, or are gcc's
    ``__has_include`` and ``__has_attribute`` family (defined)."""
    lines = [rng.choice(("#define X", "#define X Y", "#define X 1", "")), rng.choice(("#define Y", "#define Y 0", "")),
             "#define D(n) defined(n)", "#define E defined X", "#define NOT !defined(Y)", "#define Z"]
    terms = ("D(X)", "D(Y)", "E", "NOT", "defined Z", "D(Z)", "defined(X)", "X+0", "D(W)", "defined(__has_include)",
             "!defined __has_include_next", "defined(__has_attribute)", "!defined __has_builtin",
             "defined __has_c_attribute")
    expr = f" {rng.choice(('&&', '||'))} ".join(rng.choice(terms) for _ in range(rng.randrange(1, 4)))
    return "\n".join(lines) + f"\n#if {expr}\n<{i}> yes <end>\n#else\n<{i}> no <end>\n#endif\n"


def _split(rng: random.Random, piece: str) -> str:
    """``piece`` with a backslash-newline at random inside it (a blank before or after it at times)."""
    at = rng.randrange(0, len(piece) + 1)
    before, after = rng.choice(("", "", "", " ")), rng.choice(("", "", "", " "))
    return piece[:at] + before + "\\" + rng.choice(("", "", "  ")) + "\n" + after + piece[at:]


def _continuation(rng: random.Random, i: int) -> str:
    """Line continuations inside tokens, between them, in strings, comments and directives, with __LINE__ after
    them (phase 2 of C11 5.1.1.2p1 splices the lines before any token is read; a line after keeps its number)."""
    pieces = ("12", "34", "0x1f", ".5", "1e+5", "+", "=", "-", "<<", ">=", "->", "&&", "abc", "x", "E", "F(1,2)",
              '"str"', "'c'", "L\"w\"", "__LINE__", "/", "*", "(", ")", ",")
    def line() -> str:
        out = " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 5)))
        return _split(rng, out) if rng.random() < 0.6 else out
    body = _split(rng, "a + b") if rng.random() < 0.5 else "a + b"
    lines = [f"#define F(a,b) {body} __LINE__", f"#define E {_split(rng, 'x1 __LINE__')}"]
    case = [line() for _ in range(rng.randrange(1, 4))]
    if rng.random() < 0.3:
        case.insert(rng.randrange(len(case) + 1), rng.choice(("// note \\", "// note\\", "/* a \\", "*/ ")))
    if rng.random() < 0.3:  # a macro invocation whose arguments are split
        case.append(_split(rng, f"F({rng.choice(pieces[:5])},{rng.choice(pieces[:5])})"))
    text = "\n".join(case)
    if "/* a" in text and "*/" not in text.split("/* a", 1)[1]:
        text += " */"
    return "\n".join(lines) + f"\n<{i}> {text} __LINE__ <end>\nint after = __LINE__;\n<{i + 1000}> __LINE__ <end>\n"


def _numbers(rng: random.Random, i: int) -> str:
    """Preprocessing numbers (C11 6.4.8: a digit, or . and a digit, then letters, digits, _, . and e+ e- p+ p-)
    holding the name of a macro, in text and in #if: one token to gcc, whose pieces no macro replaces."""
    def number() -> str:
        start = rng.choice(("1", "0x1", ".5", "12", "0", "1.5"))
        return start + "".join(rng.choice(("e+", "E-", "p+", "L", "U", "LL", "UL", "ULL", "F", "f", "x", "E", "e",
                                           ".", "1", "_", "ab")) for _ in range(rng.randrange(0, 3)))
    lines = [rng.choice(("#define E +", "#define E", "#define e 7")), rng.choice(("#define F(a) [a]", "#define L 9")),
             rng.choice(("#define U 2", "#define x -", "#define p ()")), "#define N(a) a"]
    use = " ".join(rng.choice((number(), f"N({number()})", f"{number()}(1)", "F", "E", "+", "=", ">", "->"))
                   for _ in range(rng.randrange(1, 5)))
    test = f"#if {number()} > {rng.choice(('0', number()))}\n<{i + 1000}> yes <end>\n#endif\n"
    return "\n".join(lines) + f"\n<{i}> {use} <end>\n" + (test if rng.random() < 0.4 else "")


def _operators(rng: random.Random, i: int) -> str:
    """``#`` and ``##`` anywhere in object-like, function-like and variadic bodies: gcc refuses a ``##`` at either
    end and, in a function-like macro, a ``#`` not followed by a parameter, at the #define. An object-like body
    may follow the name with no blank."""
    head = rng.choice(("F(a,b)", "F(a,...)", "F(a,b...)", "F", "F()"))
    pieces = ("a", "b", "x", "#", "##", "#", "##", "1", "+", "__VA_ARGS__", "(", ")")
    body = " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 5)))
    use = "F" if "(" not in head else rng.choice(("F(1,2)", "F(x,y)", "F(+,)", "F()"))
    apart = " " if head != "F" or body[0].isalnum() or body[0] in "_(" or rng.random() < 0.5 else ""
    return f"#define {head}{apart}{body}\n<{i}> {use} <end>\n"  # '#define F+1': F is +1 (gcc: a warning)


def _comments(rng: random.Random, i: int) -> str:
    """Comment openers and closers among strings, characters and // comments that hold them, some never closed
    (gcc refuses a ``/*`` no ``*/`` ends, even in a group #if skips)."""
    pieces = ("/*", "*/", "//", '"/*"', "'*'", "'/'", "x", "/", "*", "\\\n", "\n", "1")
    text = " ".join(rng.choice(pieces) for _ in range(rng.randrange(2, 9)))
    skipped = " ".join(rng.choice(pieces[:3]) for _ in range(2))
    skipped = f"#if 0\n{skipped}\n#endif\n" if rng.random() < 0.3 else ""
    return f"{skipped}<{i}> {text} <end>{rng.choice((' */', ''))}\n<{i + 1000}> y <end>\n"


def _if_constants(rng: random.Random, i: int) -> str:
    """#if expressions on integer constants of every base and suffix (some past INTMAX_MAX: unsigned) and character
    constants (escapes, several characters, wide prefixes), where signedness decides the answer."""
    def integer() -> str:
        value = rng.choice((0, 1, 5, 97, 255, 256, 65535, 1 << 31, (1 << 32) - 1, (1 << 63) - 1, 1 << 63,
                            (1 << 64) - 1, rng.randrange(1 << 64)))
        text = rng.choice((str(value), hex(value), f"0{value:o}", bin(value), f"0X{value:X}", f"0B{value:b}"))
        return text + rng.choice(("", "", "", "u", "U", "l", "ul", "LU", "ull", "LLU", "uLL", "ll", "lu"))

    def character() -> str:
        elements = ("a", "\\x41", "\\xff", "\\377", "\\0", "\\n", "\\e", "\\'", '"', "\\\\", "\\x100",
                    "\\u00e9", "\u00e9", "\\q", "\\7", "z")
        body = "".join(rng.choice(elements) for _ in range(rng.choice((1, 1, 1, 2, 4, 5))))
        return rng.choice(("", "", "", "L", "u", "U")) + f"'{body}'"

    def small() -> str:  # shift counts and divisors of either sign
        return rng.choice(("-1", "-7", "3", "64", "65", "(0-3)", "-3u", "7"))

    def term() -> str:
        return rng.choice((integer, character, character, small))()
    operator = rng.choice(("<", ">", "==", "!=", "-", "+", ">>", "<<", "/", "%", "&", "*"))
    expr = f"{term()} {operator} {term()}"
    if rng.random() < 0.5:
        expr = f"({expr}) {rng.choice(('<', '>', '=='))} {rng.choice(('0', '-1', term()))}"
    if rng.random() < 0.2:
        expr = f"({rng.choice(('1', '0'))} ? {term()} : {term()}) > 0"
    return f"#if {expr}\n<{i}> yes <end>\n#else\n<{i}> no <end>\n#endif\n"


def _elifdef(rng: random.Random, i: int) -> str:
    """Chains of #if/#ifdef/#ifndef and #elif/#elifdef/#elifndef/#else (gcc 12 reads #elifdef in every -std), some
    nested in a group that is skipped, on names defined, undefined or empty; an #elifdef with no name at times."""
    lines = [rng.choice(("#define X", "#define X 0", "")), rng.choice(("#define Y 1", "#undef Y", ""))]
    names = ("X", "Y", "Z", "X", "", "1")

    def chain(depth: int) -> list[str]:
        opener = rng.choice(("#if 0", "#if 1", "#ifdef X", "#ifndef Y", "#if defined(Z)"))
        out = [opener, f"<{i}> a{depth} <end>"]
        for k in range(rng.randrange(0, 4)):
            name = rng.choice(names) if rng.random() < 0.1 else rng.choice(names[:4])
            out += [f"{rng.choice(('#elifdef', '#elifndef', '#elif defined', '# elifdef'))} {name}".rstrip(),
                    f"<{i}> b{depth}{k} <end>"]
            if depth < 1 and rng.random() < 0.3:
                out += chain(depth + 1)
        if rng.random() < 0.5:
            out += ["#else", f"<{i}> c{depth} <end>"]
        return [*out, "#endif"]
    return "\n".join(lines + chain(0)) + "\n"


def _quotes(rng: random.Random, i: int) -> str:
    """Lone quotes (gcc: the rest of the line is one token, an error once compiled) and digraphs (gcc reads them,
    the mirror refuses them) in text, in a group #if skips, in a #define used or not, in an argument a macro drops,
    uses or stringizes, with its ')' on the same line or the next."""
    pieces = ('"', "'", "x", '"s"', "'c'", "<:", ":>", "<%", "%>", "%:", "< :", "1", "-", "/* ' */", "// '")
    text = " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 4)))
    use = rng.choice((text, f"D({text})", f"D({text}\n)", f"S({text})", f"S({text}\n)", f"I({text})", "Q", "x"))
    skipped = f"#if 0\n{rng.choice(pieces)} x\n#endif\n" if rng.random() < 0.3 else ""
    return (f"#define D(a)\n#define S(a) #a\n#define I(a) a\n#define Q {rng.choice(pieces)} q\n{skipped}"
            f"<{i}> {use} <end>\n")


def _directive_names(rng: random.Random, i: int) -> str:
    """#ifdef, #ifndef, #elifdef, #elifndef and #undef with no name, a name that is no identifier (``1``, a string,
    ``defined``) or tokens after the name (gcc warns and reads the name), in groups that are read and skipped."""
    operands = ("X", "Y", "Z", "X Y", "Y +", "X(", "Z,", "X /* c */ Y", "defined", "", "1", '"s"', "X 1")

    def operand() -> str:
        return rng.choice(operands) if rng.random() < 0.3 else rng.choice(operands[:8])

    def line() -> str:
        word = rng.choice(("#ifdef", "#ifndef", "#undef", "# ifdef", "#undef"))
        if word.endswith("undef"):
            return f"{word} {operand()}".rstrip()
        out = [f"{word} {operand()}".rstrip(), f"<{i}> a <end>"]
        for k in range(rng.randrange(0, 3)):
            out += [f"{rng.choice(('#elifdef', '#elifndef', '#else'))} {operand()}".rstrip(), f"<{i}> b{k} <end>"]
            if out[-2].startswith("#else"):
                break
        return "\n".join([*out, "#endif"])
    lines = [rng.choice(("#define X", "#define X 1", "")), rng.choice(("#define Y", "")), "#define Z"]
    body = [line() for _ in range(rng.randrange(1, 4))]
    if rng.random() < 0.3:
        body = ["#if 0", *body, "#endif"]
    return "\n".join(lines + body) + f"\n<{i + 1000}> X Y Z <end>\n"


def _predefined(rng: random.Random, i: int) -> str:
    """#if, #ifdef and #ifndef on what gcc and kbuild predefine for x86-64 (compare with gcc_e(kbuild=True)), on
    gcc's own macros pcpp keeps no definition of (__LINE__, __COUNTER__), on names no C build defines, some of them
    #undef'ed first, and the predefined values in text."""
    names = ("__x86_64__", "__KERNEL__", "__CHAR_UNSIGNED__", "__STDC__", "__OPTIMIZE__", "__LP64__", "__linux__",
             "__LINE__", "__COUNTER__", "__GNUC__", "__ASSEMBLY__", "__cplusplus", "__CHECKER__", "__ELF__", "X",
             "__BYTE_ORDER__", "__SIZEOF_POINTER__", "__unix__", "__gnu_linux__", "__INCLUDE_LEVEL__")
    values = ("__STDC_VERSION__ >= 201112L", "__SIZEOF_LONG__ == 8", "__SIZEOF_INT__ * __CHAR_BIT__ == 32",
              "__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__", "__SIZEOF_INT128__ > 8", "__ORDER_BIG_ENDIAN__ == 4321",
              "__STDC__", "__x86_64__ + __LP64__ == 2", "__ASSEMBLY__", "__CHECKER__ == 0", "X")

    def test() -> str:
        if rng.random() < 0.5:
            return f"{rng.choice(('#ifdef', '#ifndef'))} {rng.choice(names)}"
        terms = [rng.choice(values) if rng.random() < 0.5 else
                 f"{rng.choice(('', '!'))}defined({rng.choice(names)})" for _ in range(rng.randrange(1, 3))]
        return "#if " + f" {rng.choice(('&&', '||'))} ".join(terms)
    lines = [f"#undef {rng.choice(names)}" if rng.random() < 0.3 else "", rng.choice(("#define X 1", ""))]
    for k in range(rng.randrange(1, 4)):
        lines += [test(), f"<{i}> y{k} <end>", "#else", f"<{i}> n{k} <end>", "#endif"]
    text = " ".join(rng.choice(("__STDC_VERSION__", "__SIZEOF_LONG__", "__x86_64__", "__BYTE_ORDER__", "__KERNEL__"))
                    for _ in range(2))
    return "\n".join(lines) + f"\n<{i + 1000}> {text} <end>\n"


def _nested(rng: random.Random, i: int) -> str:
    """Function-like macros calling each other with ``#`` and ``##`` through one or two levels (the indirection that
    expands an argument first), variadic ones (``...``, named ``args...``, ``, ##__VA_ARGS__``), and arguments that
    are themselves invocations, empty, or hold commas in parentheses."""
    lines = ["#define S(x) #x", "#define XS(x) S(x)", "#define C(a, b) a ## b", "#define XC(a, b) C(a, b)",
             "#define V(fmt, ...) f(fmt, ##__VA_ARGS__)", "#define N(args...) g(args)", "#define I(x) x",
             "#define E", "#define A ab", "#define P(...) S(__VA_ARGS__) XS(__VA_ARGS__)", "#define ab 7",
             "#define W(m, x) m(x)"]
    leaves = ("1", "x", "A", "E", "ab", '"s"', "(1, 2)", "", "a b", "-", "A E")

    def use(depth: int) -> str:
        if depth > 2 or rng.random() < 0.3:
            return rng.choice(leaves)
        name = rng.choice(("S", "XS", "C", "XC", "V", "N", "I", "P", "W"))
        if name in ("C", "XC"):
            return f"{name}({rng.choice(('a', 'x', 'A', ''))}, {rng.choice(('b', '1', 'A', 'E', ''))})"
        if name == "W":
            return f"W({rng.choice(('S', 'XS', 'I', 'N'))}, {use(depth + 1)})"
        count = 1 if name in ("S", "XS", "I") else rng.randrange(1, 4)
        return f"{name}({', '.join(use(depth + 1) for _ in range(count))})"
    return "\n".join(lines) + f"\n<{i}> {' '.join(use(0) for _ in range(rng.randrange(1, 4)))} <end>\n"


def _guards(rng: random.Random, i: int) -> str:
    """A header's include guard written out as the preprocessor meets it twice or more (#ifndef G, #define G),
    #undef'ed between (so the guarded text comes again), #pragma once, and guards tested with #if !defined."""
    def block(k: int) -> list[str]:
        test = rng.choice(("#ifndef G", "#if !defined(G)", "#ifndef G /* g */", "#ifndef H"))
        return [test, rng.choice(("#define G", "#define G 1", "#define H")), f"<{i}> in{k} G <end>", "#endif"]
    lines: list[str] = []
    for k in range(rng.randrange(2, 5)):
        lines += block(k)
        if rng.random() < 0.4:
            lines.append(rng.choice(("#undef G", "#undef H", "#pragma once", "#define G 2", "#undef G /* x */")))
    return "\n".join(lines) + f"\n<{i + 1000}> G H <end>\n"


def _includes(rng: random.Random, i: int) -> str:
    """#include, #include_next and #import (the mirror opens no file: refused where the group is read, as gcc -E
    stops at a header that is not there) in groups read and skipped, named by a macro too."""
    heads = ('#include "no/such.h"', "#include <no/such.h>", "#include_next <no/such.h>", "#import <no/such.h>",
             "#include HDR", "# include MISSING")
    tests = ("#if 0", "#ifdef X", "#ifndef X", "#if defined(Y) && 0", "#ifdef Y")
    lines = [rng.choice(("#define X", "")), '#define HDR "no/such.h"']
    for k in range(rng.randrange(1, 3)):
        lines += [rng.choice(tests), rng.choice(heads), f"<{i}> a{k} <end>"]
        if rng.random() < 0.4:
            lines += ["#else", rng.choice(heads) if rng.random() < 0.3 else f"<{i}> b{k} <end>"]
        lines.append("#endif")
    return "\n".join(lines) + f"\n<{i + 1000}> X <end>\n"


def _lines(rng: random.Random, i: int) -> str:
    """#line and gcc's line markers (# N "file" flags) in every form gcc reads or refuses: a number given by a macro,
    a comment running on past the line, what follows the file name, another file's name, flags, a number that is no
    positive integer; __LINE__ after each (the file is gcc's "<stdin>", the mirror's "<tu>": gcc_lines() maps it)."""
    numbers = ("10", "1", "0", "010", "N", "N F", "0x10", "2147483647", "", "1a")
    files = ('', '', ' "<tu>"', ' "other.c"', " F", " 20")
    extras = ("", "", "", " 3", " 1", " junk", " /* c\n c */", " // c")
    lines = ["#define N 40", '#define F "<tu>"']
    for k in range(rng.randrange(1, 4)):
        head = rng.choice(("#line ", "# ", "#  line ", "#"))
        lines += [f"{head}{rng.choice(numbers)}{rng.choice(files)}{rng.choice(extras)}".rstrip(),
                  f"<{i}> l{k} __LINE__ <end>"]
    return "\n".join(lines) + f"\n<{i + 1000}> __LINE__ <end>\n"


def _undone(rng: random.Random, i: int) -> str:
    """#undef of gcc's own __LINE__ and __COUNTER__ (gcc warns "undefining", and the name is an identifier from there
    on, or a macro the code defines again), with uses before and after it in the text, in macros' bodies and in
    their arguments, and #ifdef of them."""
    steps = ("#undef __LINE__", "#undef __COUNTER__", "#define __LINE__ 7", "#define M(x) x __LINE__",
             "#define N __LINE__ __COUNTER__", "#undef M", "#define __COUNTER__ 9", "")
    uses = ("__LINE__", "__COUNTER__", "M(__LINE__)", "N", "M(1)", "M(N)")
    lines: list[str] = []
    for k in range(rng.randrange(1, 5)):
        lines.append(rng.choice(steps))
        if rng.random() < 0.3:
            lines += [f"#ifdef {rng.choice(('__LINE__', '__COUNTER__'))}", f"<{i}> d{k} <end>", "#endif"]
        lines.append(f"<{i}> u{k} {' '.join(rng.choice(uses) for _ in range(2))} <end>")
    return "\n".join(lines) + "\n"


def gcc_lines(source: str) -> str | None:
    """gcc_e() of a ``lines`` case, its file called "<tu>" as the mirror calls it (gcc reads "-" as "<stdin>")."""
    return gcc_e(source.replace('"<tu>"', '"<stdin>"'))


KINDS: dict[str, Callable[[random.Random, int], str]] = {
    "spacing": _spacing, "paste": _paste, "rescan": _rescan, "stringize": _stringize, "defined": _defined,
    "continuation": _continuation, "numbers": _numbers,
    "operators": _operators, "comments": _comments, "if_constants": _if_constants,
    "elifdef": _elifdef, "quotes": _quotes, "directive_names": _directive_names,
    "predefined": _predefined, "nested": _nested, "guards": _guards, "includes": _includes,
    "lines": _lines, "undone": _undone,
}


def cases(kind: str, seed: int, count: int) -> list[str]:
    """``count`` sources of one kind, each a few macros and one case ``<n> ... <end>``."""
    rng = random.Random(f"{kind}-{seed}")
    return [KINDS[kind](rng, i) for i in range(count)]
