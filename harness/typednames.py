"""Names the files use as types somewhere: what a parenthesised name C's syntax leaves open ('(X) - 1') stands for."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from harness.valuenames import DIRECTIVE, NAME, TOKEN
from models.lazyre import POUND

# Words no type is, nor a declarator's name: a statement's or an operator's keyword.
_NO_TYPE = frozenset({"return", "else", "do", "case", "default", "goto", "if", "while", "for", "switch", "break",
                      "continue", "sizeof", "typeof", "__typeof__", "_Alignof", "alignof", "__alignof__", "typedef"})
# Words after which a name is a tag's, not a type's ('struct X *p'), or a member's ('s.X n' is no C).
_TAGGED = frozenset({"struct", "union", "enum", ".", "->"})
# Words a pointer declaration may start with ('static X *p;', 'const X *p').
_DECL = frozenset({";", "{", "}", "static", "extern", "const", "volatile", "register", "inline", "__always_inline"})
_QUALIFIERS = frozenset({"const", "volatile"})
# What may follow a declarator's name: C11 6.7.6's declarator ends, initialiser or next declarator.
_DECLARATOR_END = frozenset({";", ",", "=", "[", ")"})


def typed_names(texts: Iterable[str]) -> frozenset[str]:
    """Each name the C texts ``texts`` (comments and strings blanked) use as a type (C11 6.7, 6.5.4): the name a
    typedef declares ('typedef long X;', 'typedef int (*X)(int);'), a name before a declarator's ('X n;', 'X n = 1',
    '(X n, int m)'; not after struct, union, enum), before '*'s and a declarator's at a declaration's start or in a
    function definition's parameter list ('X *p;', 'static X **pp = q;', 'f(int n, X *p) {'), or a cast's that C's
    syntax tells from a grouping: of a name or a number ('(X)n', '(X)1'; not a condition's '(' nor a call's), or to
    a pointer ('(X *)p'); a statement 'X *q;' q's first later use makes a pointer's ('q->n', '*q = 1':
    harness.pointeruse); none inside a conditional group a build may leave out (unconditional). The names C's
    syntax leaves open ('(X) - 1') are read as types only given one such use
    (harness.valuenames.body_values)."""
    return frozenset().union(*(_typed(text) for text in texts))


@lru_cache(maxsize=1024)
def _typed(text: str) -> frozenset[str]:
    """typed_names of one text, kept by content: each variant's files hold most pieces again."""
    found: set[str] = set()
    text = unconditional(text)
    tokens = [m.group() for m in TOKEN.finditer(DIRECTIVE.sub(" ", text))]
    members = list[bool]()  # per open brace, whether it opens a struct's or a union's members (no statement there)
    for i, tok in enumerate(tokens):
        if tok == "{":
            members.append(_at(tokens, i - 1) in ("struct", "union") or _at(tokens, i - 2) in ("struct", "union"))
        elif tok == "}" and members:
            members.pop()
        elif NAME.fullmatch(tok) and tok not in _NO_TYPE and \
                (_declares(tokens, i, bool(members) and members[-1]) or _casts(tokens, i) or _associates(tokens, i)):
            found.add(tok)
        elif tok == "typedef":
            found.update(_typedef(tokens, i))
    if any(_at(tokens, i + 1) == "*" and _at(tokens, i + 3) == ";" and tokens[i] not in found and
           NAME.fullmatch(tokens[i]) and NAME.fullmatch(_at(tokens, i + 2)) for i in range(len(tokens))):
        from harness.pointeruse import pointer_types

        found.update(pointer_types(text))  # 'X * q;' then 'q->n': no product (harness.pointeruse)
    return frozenset(found)


# A conditional directive's keyword and name ('#ifndef SC_H', '#  endif').
_CONDITIONAL = re.compile(rf"{POUND}\s*(if|ifdef|ifndef|elif|else|endif)\b\s*(\w*)")


@lru_cache(maxsize=256)
def unconditional(text: str) -> str:
    """``text`` with each conditional group blanked, its directives too (C11 6.10.1: '#if 0', '#ifdef CONFIG_X' may
    leave it out, where a name it types may be a value): a use there proves nothing of the code compiled. An include
    guard's group ('#ifndef G' then '#define G', no replacement list, as the text's first directives) is kept; a
    fragment's unmatched '#else', '#elif' or '#endif' blanks what comes before it too, an unclosed group what
    follows. Lines kept."""
    marks = [(m.start(), m.end(), _CONDITIONAL.match(m.group().lstrip())) for m in DIRECTIVE.finditer(text)]
    heads = [c for *_, c in marks]
    guard = len(heads) > 1 and heads[0] is not None and heads[0].group(1) == "ifndef" and heads[1] is None and \
        re.fullmatch(rf"{POUND}\s*define\s+{re.escape(heads[0].group(2))}(?:\s*/\*.*?\*/|\s*//.*)?\s*",
                     text[marks[1][0]:marks[1][1]].strip(), re.S) is not None  # no body: '#define X 1' sets a default
    cut, depth, start = [], 0, 0  # blanked (start, end) spans; depth of groups open, the guard's not counted
    last = _last_endif(heads) if guard else -1
    for k, (begin, end, c) in enumerate(marks):
        if c is None or (guard and k == 0):
            continue
        if c.group(1) in ("if", "ifdef", "ifndef"):
            start, depth = (begin, depth + 1) if depth == 0 else (start, depth + 1)
        elif depth == 0 and k != last:
            cut.append((0, end))  # a fragment's '#else'/'#endif' of a group begun before it
            start, depth = (end, 1) if c.group(1) != "endif" else (start, 0)
        elif c.group(1) == "endif" and depth:
            depth -= 1
            if depth == 0:
                cut.append((start, end))
    if depth:
        cut.append((start, len(text)))
    for begin, end in cut:
        text = text[:begin] + re.sub(r"[^\n]", " ", text[begin:end]) + text[end:]
    return text


def _last_endif(heads: list[re.Match[str] | None]) -> int:
    """The index of the last '#endif' among ``heads`` (-1 if none): an include guard's."""
    return max((k for k, c in enumerate(heads) if c is not None and c.group(1) == "endif"), default=-1)


def _at(tokens: list[str], i: int) -> str:
    return tokens[i] if 0 <= i < len(tokens) else ";"


def _declares(tokens: list[str], i: int, members: bool) -> bool:
    """Whether the name ``tokens[i]`` is a declaration's type: a declarator's name after it (after '*'s only at a
    declaration's start or in a function's parameter list, where no product stands). A statement's start ('{ X *p;'),
    where the same tokens are a product ('SC_X * *p;', harness.valuenames' _statement_product), counts only before an
    initialiser's '=' ('X *p = q;': '(X * p) = q' is no lvalue) or among a struct's ``members`` (no statement there)."""
    prev, j = _at(tokens, i - 1), i + 1
    while _at(tokens, j) == "*":
        j += 1
    end = _at(tokens, j + 1)
    if prev in _TAGGED or not NAME.fullmatch(_at(tokens, j)) or _at(tokens, j) in _NO_TYPE or \
            end not in _DECLARATOR_END:
        return False
    if j == i + 1 or (prev in _DECL and prev not in ";{}"):
        return True
    if prev in ";{}":
        return members or (end == "=" and _at(tokens, j + 2) != "=")
    return prev in "(," and _parameters(tokens, i)


def _parameters(tokens: list[str], i: int) -> bool:
    """Whether ``tokens[i]`` stands in a function's parameter list: of a definition (its parenthesis closed by ')'
    '{') or a declaration (the function's name after a type's: 'int f(', 'static u64 f(': two names in a row, which
    no expression has but after return and the like, C11 6.7.6)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += 1 if tokens[j] == "(" else -1 if tokens[j] == ")" else 0
        if depth < 0:
            if _at(tokens, j + 1) == "{":
                return True
            break
    depth = 0
    for j in range(i, -1, -1):
        depth += 1 if tokens[j] == ")" else -1 if tokens[j] == "(" else 0
        if depth < 0:
            name, kind = _at(tokens, j - 1), _at(tokens, j - 2)
            return bool(NAME.fullmatch(name) and NAME.fullmatch(kind)) and not {name, kind} & _NO_TYPE and \
                kind not in _TAGGED
    return False


def _casts(tokens: list[str], i: int) -> bool:
    """Whether the name ``tokens[i]`` is a cast's type (or a type name's) C's syntax tells: '(X)n', '(X)1', '(X)'c'',
    '(X)"s"', a compound literal's '(X){' (the '(' after no name but return or case, nor ')' or ']'), '(X *)',
    '(const X **)' or 'sizeof(const X)' (C11 6.7.7: a qualifier or an abstract declarator's '*')."""
    j = i - 1
    while _at(tokens, j) in _QUALIFIERS:
        j -= 1
    if _at(tokens, j) != "(":
        return False
    k = i + 1
    while _at(tokens, k) in _QUALIFIERS or _at(tokens, k) == "*":
        k += 1
    if _at(tokens, k) != ")":
        return False
    if k > i + 1 or j < i - 1:
        return True  # '(X *)', '(const X)': no expression has '*' or a qualifier there
    before, after = _at(tokens, j - 1), _at(tokens, k + 1)
    return (not (NAME.fullmatch(before) or before in ")]") or before in ("return", "case")) and \
        (bool(NAME.fullmatch(after)) or after[0].isdigit() or after in ("'", '"', "{")) and after not in _NO_TYPE


def _associates(tokens: list[str], i: int) -> bool:
    """Whether the name ``tokens[i]`` is a _Generic association's type ('_Generic(e, X: 1, X *: 2)', C11 6.5.1.1: a
    type name, after qualifiers, before '*'s and the ':' at a comma of the _Generic's own parenthesis; not a name
    of its controlling expression, nor of a result's conditional, 'long: n ? X : 0', 'long: n ? 0, X : 0')."""
    j, k = i - 1, i + 1
    while _at(tokens, j) in _QUALIFIERS:
        j -= 1
    while _at(tokens, k) in _QUALIFIERS or _at(tokens, k) == "*":
        k += 1
    if _at(tokens, j) != "," or _at(tokens, k) != ":":
        return False
    depth = 0
    for m in range(j - 1, -1, -1):
        tok = tokens[m]
        if tok in ";{}" or (tok == "?" and depth == 0):
            return False  # a statement's end, or a conditional's '?' whose middle operand may hold the ','
        depth += 1 if tok in ")]" else -1 if tok in "([" else 0
        if depth < 0:
            return tok == "(" and _at(tokens, m - 1) == "_Generic"
    return False


def _typedef(tokens: list[str], i: int) -> list[str]:
    """The names the typedef at ``tokens[i]`` declares: a '(*X)' one's, else each before ',', ';' or '[' outside
    braces and parentheses ('typedef struct { int a; } X, *PX;')."""
    depth, found = 0, []
    for j in range(i + 1, len(tokens)):
        tok = tokens[j]
        if tok in "({[":
            if tok == "(" and _at(tokens, j + 1) == "*" and NAME.fullmatch(_at(tokens, j + 2)) and depth == 0:
                found.append(tokens[j + 2])
            depth += 1
        elif tok in ")}]":
            depth -= 1
        elif depth == 0 and NAME.fullmatch(tok) and _at(tokens, j + 1) in (",", ";", "["):
            found.append(tok)
        if depth == 0 and tok == ";":
            break
    return found
