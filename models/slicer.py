"""Slicing C files and fragments into top-level definitions: macros, functions, types, declarations."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import replace
from enum import Enum
from functools import lru_cache

from models.brackets import closing_brace
from models.cdirectives import by_line
from models.conditional import Conditions
from models.declnames import ANNOTATIONS, KEYWORDS, TYPEOF, attributes_removed, declared_name, function_name
from models.invocation import bare_name, find_invocation, top_level_pieces
from models.lazyre import lazy
from models.pragmapack import pragma_pack
from models.record import record
from models.splice import LINE_DIRECTIVE, in_line_directive, join_split_head

_IDENT = re.compile(r"[A-Za-z_]\w*")
_ENUM_TAG = lazy(r"\benum\s+([A-Za-z_]\w*)")
_DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_]\w*)(\(([^)]*)\))?")
_MARK = re.compile(r"^\s*#\s*(error\b|undef\s+([A-Za-z_]\w*))")
_LABEL = re.compile(r"^[A-Za-z_]\w*:\s*$")
_POUND = re.compile(r"^(\s*)%:")  # a line's first token '%:', the digraph of '#' (C11 6.4.6p3)


class Kind(Enum):
    """What a top-level piece of C defines."""

    MACRO = "macro"
    FUNCTION = "function"
    TYPEDEF = "typedef"
    STRUCT = "struct"
    ENUM = "enum"
    PROTOTYPE = "prototype"
    VARIABLE = "variable"
    INVOCATION = "invocation"  # NAME(...) at file scope: a macro that may generate definitions
    ASSERT = "static_assert"
    UNDEF = "undef"  # "#undef NAME": where a macro stops being defined (listed under UNDEF_NAME: models.macroat)


ASSERT_NAME = "<static_assert>"  # every file-scope assertion is listed under this name, which no code spells
ERROR_NAME = "<#error>"  # every file-scope #error and #line (an ASSERT, its text the directive: models.filestops)
UNDEF_NAME = "<#undef>"


@record
class Definition:
    """One top-level definition, its exact text (comments blanked) and where it starts."""

    kind: Kind
    name: str
    text: str
    path: str
    line: int
    params: tuple[str, ...] | None = None
    generated_by: str | None = None  # the macro whose invocation (this text, this line) defines it
    condition: str | None = None  # the #if branch it is in, when the slicer could not decide it is built

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def identifiers(self) -> set[str]:
        """The names the text uses (an ``enum tag`` as "enum tag", the key its definition is found by); a new
        set each call (callers add to it), from a frozen one worked out once per definition."""
        return set(_identifiers(self.text, self.name))

    def names_used(self) -> frozenset[str]:
        """identifiers(), the frozen set itself: for readers that never add to it."""
        return _identifiers(self.text, self.name)

    def uses(self, name: str) -> bool:
        """Whether ``name`` is among identifiers(), without the copy."""
        return name in _identifiers(self.text, self.name)


@lru_cache(maxsize=65536)
def _identifiers(text: str, name: str) -> frozenset[str]:
    text = strings_blanked(text)
    tags = {f"enum {t}" for t in _ENUM_TAG().findall(text)} if "enum" in text else set()
    return frozenset((set(_IDENT.findall(text)) | tags) - KEYWORDS - {name})


# "(*", "(* const ", "(*volatile ": a pointer declarator's star and its qualifiers, before the name it declares
# ("static u64 (*const fp)(u64, u64) = f;" declares fp, not the last parameter's type word)
_STAR = r"\(\s*\*\s*(?:(?:const|volatile|restrict|__restrict|__restrict__)\b\s*)*"


def strings_blanked(text: str) -> str:
    """``text`` with each one-line string literal made ``""`` (its words are no names)."""
    return _STRINGS.sub('""', text)


# One C token blank_comments must see whole: a string or character literal (a backslash takes the next
# character with it; an unescaped newline ends it, as in the kernel's sources), a block comment (to its
# end or the text's), a line comment, which a backslash at the end of its line continues onto the next
# (C11 5.1.1.2: lines are spliced before comments are removed; gcc allows blanks between the two).
# Each written as a run of plain characters between the escapes ("unrolled"), not an alternation per character:
# re keeps state for every repetition of a group, hundreds of bytes a character (a 5 MB literal took GBs).
_LEXEME = re.compile(r""""[^"\\\n]*(?:\\[\s\S]?[^"\\\n]*)*["\n]?|'[^'\\\n]*(?:\\[\s\S]?[^'\\\n]*)*['\n]?"""
                     r"|/\*[\s\S]*?(?:\*/|\Z)|//[^\\\n]*(?:\\(?:[ \t\f\v\r]*\n)?[^\\\n]*)*")
_NOT_NEWLINE = re.compile(r"[^\n]")
# String literals on one line; string and character literals (unrolled as _LEXEME is).
_STRINGS = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"')
_LITERALS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|\'[^\'\\]*(?:\\.[^\'\\]*)*\'')


def long_literal(text: str, limit: int) -> tuple[int, int] | None:
    """The offset of the first string or character literal in ``text`` of more than ``limit`` characters between
    its quotes (comments skipped), and that number; or None."""
    for m in _LEXEME.finditer(text):
        if m.end() - m.start() - 2 > limit and m.group()[0] in "\"'":
            return m.start(), m.end() - m.start() - 2
    return None


def _blank(m: re.Match[str], joined: list[tuple[int, int]]) -> str:
    token = m.group()
    if token[0] in "\"'":
        return token
    blank = _NOT_NEWLINE.sub(" ", token)  # a comment: spaces, its line breaks kept
    if "\n" in token and token[1] == "*" and in_line_directive(m.string, m.start(), joined):
        # A comment running on past a line of a #line (or line marker) is one space of that directive (C11 5.1.1.2p1
        # phase 3, before directives are read): the directive ends on the comment's last line, and gcc numbers the
        # line after that N. Blanked to line breaks alone, it ended the directive there: one line late per line of
        # the comment. Its breaks are backslash-newlines here (the lines kept, one directive).
        joined.append((m.start(), m.end()))
        return blank.replace("\n", "\\\n")
    return blank


def blank_comments(lines: list[str]) -> list[str]:
    """Replace comments by spaces, keeping line breaks; a fragment may start inside a comment. A new list each call,
    the text blanked once per distinct lines (a file's text is sliced for every variant that holds it), up to
    _BLANKED_MAX characters: a larger one is not held after."""
    kept = tuple(lines)
    return list(_blanked(kept) if sum(map(len, kept)) <= _BLANKED_MAX else _blanked.__wrapped__(kept))


_BLANKED_MAX = 1 << 20


@lru_cache(maxsize=256)
def _blanked(lines: tuple[str, ...]) -> tuple[str, ...]:
    text = "\n".join(lines)
    first_open, first_close = text.find("/*"), text.find("*/")
    if first_close >= 0 and (first_open < 0 or first_close < first_open):
        text = _NOT_NEWLINE.sub(" ", text[: first_close + 2]) + text[first_close + 2 :]
    joined: list[tuple[int, int]] = []  # the comments joined to a #line directive (_blank)
    return tuple(_LEXEME.sub(lambda m: _blank(m, joined), text).split("\n"))


def _macro(lines: list[str], i: int, path: str, start: int) -> tuple[Definition | None, int]:
    first = i
    body = [lines[i]]
    while body[-1].rstrip().endswith("\\") and i + 1 < len(lines):
        i += 1
        body.append(lines[i])
    m = _DEFINE.match(body[0])
    if m is None:
        return None, i + 1
    params = tuple(p.strip() for p in m.group(3).split(",") if p.strip()) if m.group(2) else None
    return Definition(Kind.MACRO, m.group(1), "\n".join(body), path, start + first, params), i + 1


# "typedef u64 sc_fn_t(u64 fn, struct tdx_module_args *args);": a function type's name, the first word a "(" follows
_FUNC_TYPEDEF = lazy(r"typedef\s+[\w\s*]*?(?<!\w)([A-Za-z_]\w*)\s*\(.*\)\s*;$")


def _classify(text: str, path: str, line: int) -> list[Definition]:
    flat = " ".join(text.split())
    head = flat.split("{", 1)[0]
    if flat.startswith("typedef"):
        typedef = [Definition(Kind.TYPEDEF, n, text, path, line) for n in _typedef_names(flat)]
        # "typedef enum { A, B } t;" defines A and B too, found by their names as a plain enum's are
        inner = _classify(flat[len("typedef"):].strip().split("}", 1)[0] + "};", path, line) if "{" in flat else []
        return typedef + [Definition(d.kind, d.name, text, path, line) for d in inner
                          if d.kind in (Kind.ENUM, Kind.INVOCATION)]
    if "{" in flat and "(" in head and head.rstrip().endswith(")") and "=" not in head:
        # A name before '(' then '*' is a type before a declarator in parentheses (u64 (*pick(int i))(u64)), no name
        # "static __printf(1, 2) void f(const char *fmt, ...)" defines f: an attribute macro's name is no function's
        name = function_name(_ATTRIBUTES.sub(" ", head))
        if name is not None:
            return [Definition(Kind.FUNCTION, name, text, path, line)]
        # no name before a '(' but an attribute's: "static struct __attribute__((packed)) { ... } v;" is no function
    m = re.match(r"^(?:static\s+|const\s+)*(struct|union|enum)\s+(?:__attribute__\s*\(\(.*?\)\)\s*|__\w+\s+)*"
                 r"([A-Za-z_]\w*)?\s*(?::\s*[\w\s]+?)?\{", flat)  # 'enum e : u8 {' (C23) too: refused when parsed
    if m:
        return _tagged(m, flat, text, path, line)
    # A prototype has no initializer: "static u64 mask = BIT_ULL(5);" is a variable, though it ends in ")", and so is
    # "static u64 buf[4] __aligned(64);", whose only "(" is an attribute's.
    if "(" in head and "(" in attributes_removed(_ATTRIBUTES.sub(" ", head)) and len(split_top_level(flat, "=")) == 1 \
            and re.search(r"\)\s*(__\w+\s*(\([^)]*\))?\s*)*;\s*$", flat):
        declared = _pointer_declarator(head)  # "static void (*hook)(void);": a pointer, no prototype
        if declared is not None:
            variables = _variables(flat, text, path, line)  # "int q, (*fp)(void);": q too
            return variables if declared in (d.name for d in variables) else [
                Definition(Kind.VARIABLE, declared, text, path, line)]
        name = function_name(attributes_removed(_ATTRIBUTES.sub(" ", head)))
        return [Definition(Kind.PROTOTYPE, name, text, path, line)] if name is not None else []
    return _variables(flat, text, path, line)


def _tagged(m: re.Match[str], flat: str, text: str, path: str, line: int) -> list[Definition]:
    """What a struct, union or enum definition (``m``: its keyword and tag) defines: its tag or enumerators, and
    the variables declared after it."""
    close = closing_brace(flat, flat.index("{"))
    # "struct pr { ... } g_x = { 1 }, g_y;", "enum st { A, B } cur = B;" also declare variables, named after the
    # brace that closes the type (not the initializers' last)
    after = flat[close + 1 :].rstrip(" ;")
    variables = [Definition(Kind.VARIABLE, n, text, path, line) for n in _declarator_names(after)]
    if m.group(1) == "enum":
        body = flat[flat.index("{") + 1 : close]
        names = [p.split("=")[0].strip() for p in split_top_level(body, ",") if p.strip()]
        # Found by its enumerators and by its tag, as "enum tag" (``sizeof(enum tag)`` names no enumerator;
        # the tag alone could be a function's or a variable's name too).
        enums = [Definition(Kind.ENUM, n, text, path, line) for n in names if _IDENT.fullmatch(n)]
        return (enums + ([Definition(Kind.ENUM, f"enum {m.group(2)}", text, path, line)] if m.group(2) else [])
                + _enum_invocations(names, text, path, line) + variables)
    tag = [Definition(Kind.STRUCT, m.group(2), text, path, line)] if m.group(2) else []
    return tag + variables


def _typedef_names(flat: str) -> list[str]:
    """The names a typedef declares, one per declarator (``typedef int t1, *t2;``, ``typedef int (*fn_t)(void), t;``):
    the first's is the pointer's in parentheses, the last word before the end or an array's bounds, or a function
    type's name."""
    first, *more = split_top_level(flat.rstrip(" ;"), ",")
    first += ";"
    m = (re.search(_STAR + r"([A-Za-z_]\w*)\s*\)", first.split("{", 1)[0])
         or re.search(r"([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)*;\s*$", first)
         or _FUNC_TYPEDEF().match(first))
    return [m.group(1), *_declarator_names(",".join(more))] if m else []


def _enum_invocations(names: list[str], text: str, path: str, line: int) -> list[Definition]:
    """Enumerators a macro writes (``enum idx { ERRS(AS_ENUM) NR };``, an X-macro list): the whole enum as an
    invocation of each macro heading such an item, which models.loader expands to find every enumerator."""
    heads = (re.match(r"([A-Za-z_]\w*)\s*\(", n) for n in names if not _IDENT.fullmatch(n))
    found = dict.fromkeys(h.group(1) for h in heads if h is not None and h.group(1) not in KEYWORDS)
    return [Definition(Kind.INVOCATION, name, text, path, line) for name in found]


def _variables(flat: str, text: str, path: str, line: int) -> list[Definition]:
    """The variables a declaration that is no function, prototype or type defines, one per declarator."""
    first, *more = split_top_level(_ATTRIBUTES.sub(" ", flat).rstrip(" ;"), ",")  # "u8 v __attribute__((aligned(8)))"
    declarator = attributes_removed(first.split("=", 1)[0])  # "u64 w __section(".d")": w
    pointer = re.search(_STAR + r"([A-Za-z_]\w*)\s*\)", declarator)  # "u64 (*fp)(u64) = f;": fp
    head = TYPEOF.sub(" typeof ", declarator.split("[", 1)[0])  # "u8 tab[N]": tab, not N
    words = _IDENT.findall(head)
    name = pointer.group(1) if pointer is not None else declared_name(words)
    if name is None or (len(words) < 2 and pointer is None):
        return []
    # "static int a = 1, *b, c[2];": one definition per declarator, each with the declaration's text.
    names = [name, *_declarator_names(",".join(more))]
    return [Definition(Kind.VARIABLE, n, text, path, line) for n in dict.fromkeys(names)]


# "(*hook)(", "(*ops[2])(": a declarator of a pointer to a function, its parameter list after it
_FN_POINTER = re.compile(_STAR + r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)*\)\s*\(")


def _pointer_declarator(head: str) -> str | None:
    """The name a declaration declares as a pointer to a function (or an array of them), when it is the
    declaration's own declarator (outside every parenthesis: "int on(void (*cb)(void));" is a prototype)."""
    for m in _FN_POINTER.finditer(head):
        before = head[: m.start()]
        if before.count("(") == before.count(")"):
            return m.group(1)
    return None


def split_top_level(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` where no bracket is open (the declarators of one declaration)."""
    parts, depth, begin = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == sep and depth == 0:
            parts.append(text[begin:i])
            begin = i + 1
    return [*parts, text[begin:]]


def _declarator_names(text: str) -> list[str]:
    """The declared names of comma-separated declarators (``*b``, ``c[2] = {1}``, ``d __aligned(8)``)."""
    out = []
    for part in split_top_level(text, ",") if text.strip() else []:
        words = [n for n in _IDENT.findall(part.split("=", 1)[0].split("[", 1)[0])
                 if n not in KEYWORDS and n not in ANNOTATIONS]
        out.extend(words[:1])
    return out


def _item_end(lines: list[str], i: int) -> tuple[int, bool] | None:
    """Index of the last line of the top-level item starting at line ``i``, and whether a ``;`` outside every
    bracket comes before its last (``typedef struct n n_t; struct n { int v; };``: two items on a line); None if it
    never ends."""
    depth = semis = 0
    seen_body = False
    head: str | None = None  # the item's text before its first '{', once a line holds one: read once, not per line
    for j in range(i, len(lines)):
        line = _LITERALS.sub("", lines[j])
        for ch in line:
            if ch in "{(":
                depth += 1
                seen_body = seen_body or ch == "{"
            elif ch in "})":
                depth -= 1
                if depth < 0:
                    return None
            elif ch == ";" and not depth:
                semis += 1
        if head is None and "{" in lines[j]:
            head = " ".join(" ".join(lines[i : j + 1]).split("{", 1)[0].split())
        stripped = line.rstrip()
        if depth == 0 and stripped.endswith(";"):
            return j, semis > 1
        if depth == 0 and seen_body and stripped.endswith("}") and (head or "").endswith(")"):
            return j, semis > 0  # a function body ends without ';'
    return None


def slice_fragment(lines: list[str], path: str, start: int, defines: tuple[tuple[str, str], ...] = ()
                   ) -> list[Definition]:
    """All complete top-level definitions in a run of lines that starts at line ``start``, but those in a
    preprocessor branch that is not built (models.conditional), ``defines`` (gcc -D) in force above them."""
    lines = _whole_directives(lines, blank_comments(lines))  # a new list: _directive may join a directive's lines
    if any("%:" in line for line in lines):  # a digraph directive's '%:' is its '#' (C11 6.4.6p3): '%:define X 1'
        lines = [_POUND.sub(r"\1# ", line, count=1) for line in lines]
    defs: list[Definition] = []
    cond = Conditions(path).command_line(defines)
    packs: list[str] = []  # the #pragma pack() in force, innermost last
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("#"):
            end = _directive(lines, i)
            line = lines[i]
            joined = "".join(ln.rstrip().removesuffix("\\") for ln in lines[i:end])  # spliced as gcc does
            if cond.built() is not False:
                pragma_pack(joined, packs)
            following = lines[end] if end < len(lines) else ""
            built = cond.built()
            cond.directive(joined, start + i, following)
            if cond.orphan is not None:  # what was read so far was in a branch not decided
                defs = [d if d.condition else replace(d, condition=cond.orphan) for d in defs]
                cond.orphan = None
            if built is not False and _DEFINE.match(line):
                d, _ = _macro(lines, i, path, start)
                if d is not None:
                    defs.append(_under(d, cond))
            elif built is not False and (mark := _marked(joined, path, start + i)) is not None:
                defs.append(_under(mark, cond))
            elif built is not False and LINE_DIRECTIVE.match(joined):  # models.filestops: its lines kept, so that
                # the line it numbers N is known (the one after its last: a comment joined to it is one directive)
                text = "\n".join(lines[i:end]).lstrip()
                defs.append(_under(Definition(Kind.ASSERT, ERROR_NAME, text, path, start + i), cond))
            i = end
            continue
        if not line.strip() or line[0] in " \t}" or _LABEL.match(line) or not (line[0].isalpha() or line[0] == "_"):
            i += 1
            continue
        first = i
        found, i = _item(lines, i, path, start)
        if cond.built() is not False:
            defs.extend(_under(_packed(d, packs), cond) for d in found)
            defs.extend(_inner(lines, first, i, cond, path, start))
    return defs


# A #line keeps its lines: the line it numbers is the one after its last (models.filestops).
_REWRITTEN = lazy(r"#(?:if|ifdef|ifndef|elif|elifdef|elifndef|define|undef)\b")


def _whole_directives(raw: list[str], lines: list[str]) -> list[str]:
    """``lines`` (``raw`` with its comments blanked) with each directive that a comment goes on from over a line end
    (``#if 0 /* x`` then `` */ || 1``, ``#define SC_N 1 /* x`` then `` */ + 1``), at top level or in a function's
    body, read whole as gcc reads it, the comment one space (models.cdirectives): its text on its first line, its
    other lines blanked, line numbers kept. It was cut at the line end: ``#if 0`` (the other branch built),
    ``#define SC_N 1`` (1 where gcc's build gives 2)."""
    if not any("/*" in ln and ln.lstrip().startswith(("#", "%:")) for ln in raw):
        return lines
    for i, (end, text) in by_line(raw).items():
        if end > i + 1 and _REWRITTEN().match(text) and any(ln.rfind("/*") > ln.rfind("*/") for ln in raw[i:end - 1]):
            lines[i:end] = [text, *([""] * (end - i - 1))]
    return lines


def _inner(lines: list[str], first: int, end: int, cond: Conditions, path: str, start: int) -> list[Definition]:
    """What the directives inside a top-level item list: a #define holds from there to the end of the file, for the
    functions after too (#undef ends one); an #error that its branch builds (a conditional block in an initializer
    or a body) stops gcc's whole build as one at file scope does (models.filestops), whoever uses the item."""
    out: list[Definition] = []
    inner: Conditions | None = None  # the item's own conditional blocks, inside those open around it
    for k in range(first + 1, end):
        if not lines[k].lstrip().startswith("#"):
            continue
        _directive(lines, k)
        inner = inner or deepcopy(cond)
        built = inner.built()
        inner.directive(lines[k], start + k)
        found = _macro(lines, k, path, start)[0] if _DEFINE.match(lines[k]) else _marked(lines[k], path, start + k)
        if found is not None and found.kind is not Kind.ASSERT:
            out.append(_under(found, cond))
        elif found is not None and built is not False:
            out.append(_under(found, inner))
    return out


def _marked(directive: str, path: str, line: int) -> Definition | None:
    """An ``#error`` (gcc stops the build there: models.filestops) or ``#undef NAME`` (the macro ends there:
    models.macroat) as the definition listed for it; None for another directive."""
    m = _MARK.match(directive)
    if m is None:
        return None
    if m.group(2) is None:
        return Definition(Kind.ASSERT, ERROR_NAME, directive.strip(), path, line)
    return Definition(Kind.UNDEF, m.group(2), directive.strip(), path, line)


_ATTRIBUTES = re.compile(r"__attribute__\s*\(\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\)")
def _packed(d: Definition, packs: list[str]) -> Definition:
    """A struct or union laid out under a #pragma pack in force, never as though it were not (sizeof 8 where gcc
    says 5): marked packed, or pragma_pack(n), whose layout the mirror refuses (models.typesys), for another n."""
    if not packs or not packs[-1] or d.kind not in (Kind.STRUCT, Kind.VARIABLE, Kind.TYPEDEF):
        return d
    n = packs[-1][packs[-1].index("(") + 1:-1].split(",")[-1].strip()
    mark = "packed" if n == "1" else f"pragma_pack({n})"  # pack(1) lays out as packed does (gcc)
    text, done = re.subn(r"\b(struct|union)(\s+[A-Za-z_]\w*)?(\s*)\{", rf"\1 __attribute__(({mark}))\2\3{{", d.text,
                         count=1)
    return replace(d, text=text) if done else d


def _item(lines: list[str], i: int, path: str, start: int) -> tuple[list[Definition], int]:
    """The definitions of the top-level item starting at line ``i`` and the index after it."""
    invocation = find_invocation(lines, i)
    if invocation is not None:
        name, last = invocation
        kind = Kind.ASSERT if name in _ASSERTS else Kind.INVOCATION
        text = "\n".join(lines[i : last + 1])
        return [Definition(kind, ASSERT_NAME if kind is Kind.ASSERT else name, text, path, start + i)], last + 1
    found = _item_end(lines, i)
    if found is None:
        return [], i + 1
    end, several = found
    text = "\n".join(lines[i : end + 1])
    if several:  # each item on its own, at its own line, as gcc reads them
        return [d for line, piece in top_level_pieces(text, start + i) for d in _piece(piece, path, line)], end + 1
    return list(_classified(text, path, start + i)) or _bare(text, path, start + i), end + 1


@lru_cache(maxsize=16384)
def _classified(text: str, path: str, line: int) -> tuple[Definition, ...]:
    """_classify of one item alone at its line, remembered by content: a fragment a patch changed is sliced whole
    again (models.loader._slice keeps whole fragments), its unchanged items with it (the corpus' eval classified 751
    items, 514 of them met before). Not for several items of one line (_piece): two alike there are two definitions,
    not one object listed twice (models.redefinition tells them apart by identity)."""
    return tuple(_classify(text, path, line))


def _bare(text: str, path: str, line: int) -> list[Definition]:
    name = bare_name(text)  # "static SC_KEYS;": an object-like macro's invocation (models.invocation)
    return [] if name is None else [Definition(Kind.INVOCATION, name, text, path, line)]


def _piece(piece: str, path: str, line: int) -> list[Definition]:
    """What one of several items of a line defines: a macro invocation or static assertion as _item reads a line
    that holds one alone (``DEFINE_PER_CPU(u64, a); DEFINE_PER_CPU(u64, b);``), else as _classify reads it."""
    lines = piece.lstrip().split("\n")
    invocation = find_invocation(lines, 0)
    if invocation is None or invocation[1] != len(lines) - 1:
        return _classify(piece, path, line) or _bare(piece, path, line)
    name = invocation[0]
    kind = Kind.ASSERT if name in _ASSERTS else Kind.INVOCATION
    return [Definition(kind, ASSERT_NAME if kind is Kind.ASSERT else name, piece, path, line)]


def _under(d: Definition, cond: Conditions) -> Definition:
    undecided = cond.undecided()
    return d if undecided is None else replace(d, condition=undecided)


_ASSERTS = frozenset({"static_assert", "_Static_assert"})


def top_level_items(text: str, path: str, line: int) -> list[Definition]:
    """The definitions in a piece of C whose items may share a line (a macro's expansion, all of it at ``line``):
    split at each ``;`` and each function body's ``}`` outside any bracket, then classified like sliced items."""
    return [d for _, piece in top_level_pieces(text, line, counted=False) for d in _classify(piece, path, line)]


def _directive(lines: list[str], i: int) -> int:
    """The end of the directive at ``i``, its head made one line first where a backslash-newline splits it."""
    end = i
    while lines[end].rstrip().endswith("\\") and end + 1 < len(lines):
        end += 1
    return i + 1 if end > i and join_split_head(lines, i, end + 1) else end + 1
