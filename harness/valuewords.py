"""Whether a parenthesized word before '&' names a value (an and'ed operand) rather than a type (a cast)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from models.brackets import closing_brace, closing_paren
from models.cdirectives import directives
from models.lazyre import lazy
from models.slicer import Definition, Kind

# Words a name may follow without being declared an object: statements' ('return n;', 'case n:', 'goto n;') and
# those a type name follows ('(const T)', 'struct T;', 'unsigned T' aside: that one is missed, a type kept). The
# word before a declared name is its type's last word, or a '*': 'int n', 'u64 *n'; 'a * n,' uses n as a value.
_NOT_TYPES = r"return|case|goto|sizeof|else|do|typedef|__typeof__|typeof|_Alignof|alignof|const|volatile|restrict" \
    r"|struct|union|enum|signed|unsigned|static|extern|register|inline|auto|__const|__volatile__|__restrict"
# 'int n', 'u64 *n', 'struct sc_knob n[2]', a parameter 'int n)': the name declared where this matches.
_DECLARED = r"(?:\b(?!(?:" + _NOT_TYPES + r")\b)[A-Za-z_]\w*(?:\s+|\s*\*[\s*]*)|\*[\s*]*)\b{w}\s*(?=[=;,)\[])"
# A macro body that is a value, never a type: one starting with a number, a sign, '~' or '!', holding an operator no
# type spells ('BIT(0) | BIT(1)', '1 << 3', 'p->n'), or a call 'BIT(3)' that is the whole body (a function-like
# macro's or a function's: 'u64 (*)(u64)', a function pointer's type, goes on after its first parentheses). Not
# where typeof(), an attribute or an array's size may hold an expression inside a type.
_VALUE_START = lazy(r"[\d\-+~!]|.*[-|^%/+<>&!~?=]", re.DOTALL)
_IN_TYPES = lazy(r"\b(?:typeof|__typeof__|__typeof|_Atomic|__attribute__|_Alignas|alignas)\b|\[")
_CALL = lazy(r"[A-Za-z_]\w*\s*(?=\()")
_ROUNDS = 4  # object-like macros spelt by another ('#define N SC_TRIES'), followed this deep


def file_values(table: Mapping[str, Iterable[Definition]]) -> frozenset[str]:
    """The names file scope defines as values only: variables, functions (a typedef shares their name space, C11
    6.2.3, so none of these is also a type there) and object-like macros whose body is a value ('#define N 3',
    '#define M BIT(3)', or another such macro). A name any typedef, struct or type-like macro also gives is left out."""
    kinds = {n: list(ds) for n, ds in table.items()}
    values = {n for n, ds in kinds.items()
              if ds and all(d.kind in (Kind.VARIABLE, Kind.FUNCTION, Kind.PROTOTYPE) for d in ds)}
    bodies = {n: _body(ds[0]) for n, ds in kinds.items()
              if len(ds) == 1 and ds[0].kind is Kind.MACRO and ds[0].params is None}
    for _ in range(_ROUNDS):
        new = {n for n, b in bodies.items() if n not in values
               and (b in values or (_IN_TYPES().search(b) is None
                                    and (_VALUE_START().match(b) is not None or _whole_call(b))))}
        if not new:
            break
        values |= new
    return frozenset(values)


def _body(d: Definition) -> str:
    """An object-like macro's replacement text, its outer parentheses dropped ('(1 << 3)' reads '1 << 3'), read as gcc
    reads it (models.cdirectives): a backslash-newline is nothing ('1\\' then '0' is 10, 'SC_\\' then 'TRIES' one
    name), a comment one space."""
    found = directives([(1, d.text.split("\n"))])
    rest = found[0].rest if found and found[0].name == "define" else ""
    body = rest[len(d.name):].strip() if rest.startswith(d.name) else ""
    while body.startswith("(") and _closes_at_end(body):
        body = body[1:-1].strip()
    return body


def _whole_call(body: str) -> bool:
    m = _CALL().match(body)
    return m is not None and _closes_at_end(body[m.end():])


def _closes_at_end(text: str) -> bool:
    """Whether the '(' that ``text`` starts with is closed by its last character."""
    return closing_paren(text, 0) == len(text) - 1


def names_value(word: str, text: str, at: int, values: frozenset[str]) -> bool:
    """Whether ``word``, parenthesized at ``at`` in a function's ``text`` before a '&', is a value there, so that
    '(word) & x' and's it with x rather than casting x's address: a number, a value of file scope (file_values), or a
    parameter or local the text declares before ``at`` in a block that holds ``at`` (which hides any typedef of that
    name, C11 6.2.1p4). Anything else (a typedef, a name of a header not read) may be a type: not a value.
    The scope is read from the text with a bracket walk: only for code pycparser cannot read (harness.outsidewrites
    reads any other from its AST, models.scopewalk, where a brace in a literal or a macro fools nothing)."""
    if word[0].isdigit() or word in values:
        return True
    declared = re.finditer(_DECLARED.format(w=re.escape(word)), text[:at])
    return any(_in_scope(text, m.end(), at) for m in declared)


def _in_scope(text: str, declared: int, at: int) -> bool:
    """Whether ``at`` lies in the block that holds ``declared`` (a parameter, outside every brace: the whole body)."""
    opened: list[int] = []
    for i in range(declared):
        if text[i] == "{":
            opened.append(i)
        elif text[i] == "}" and opened:
            opened.pop()
    return not opened or at < closing_brace(text, opened[-1])  # an unclosed block: to the end
