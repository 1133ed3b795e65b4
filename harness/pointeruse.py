"""Whether a statement 'X * q;' C's syntax leaves open is a pointer declaration: q is used as a pointer later."""

from __future__ import annotations

import re
from collections.abc import Sequence

from harness.valuenames import NAME
from models.lazyre import POUND

# Tokens (harness.valuenames.TOKEN's: one sign each but '->') after which a name or a '*' starts an operand, where no
# declarator stands: an operator's, an opening bracket's, a statement's start, return's, sizeof's, case's.
_OPERAND_PREV = frozenset([*"=+-/%&|^<>!~?:[;{", "return", "sizeof", "case", "else", "do"])
# Words no type is ('return * q;', 'sizeof * q;'), or C's own (a declaration's anyway).
_NO_TYPE = frozenset({"return", "else", "do", "case", "goto", "sizeof", "void", "char", "short", "int", "long",
                      "float", "double", "signed", "unsigned", "_Bool", "const", "volatile", "static", "struct",
                      "union", "enum"})
# Words whose parenthesis holds what is compiled, never a macro's argument.
_COMPILED = frozenset({"if", "while", "switch", "for", "return", "sizeof", "typeof", "__typeof__"})
# Words a statement between may start with: the control statements' (C11 6.8.4-6.8.6) and sizeof's, no
# declaration's. A declaration's specifiers or declarators, a label, or a for's first clause may be a macro's
# expansion declaring q unseen ('static SC_Q;', 'struct s SC_AT;', 'for (SC_Q; ...)'): any other name stops the search.
_STARTS = frozenset({"if", "else", "while", "for", "do", "switch", "return", "break", "continue", "goto", "case",
                     "default", "sizeof"})
_DEFINE = re.compile(rf"(?m)^[ \t]*{POUND}[ \t]*define[ \t]+(\w+)")  # '%:' is '#' (C11 6.4.6p3)


def declared_by_use(tokens: Sequence[str], i: int, functions: frozenset[str] = frozenset()) -> bool:
    """Whether the statement 'X * q;' whose X is ``tokens[i]`` (a statement's start: after ';', '{', '}' or a label's
    ':') declares q, a pointer to X, and is no product: q's first occurrence after it in its block (nested blocks
    too), where nothing before declares q again, is a pointer's use ('q->n', '*q = 1', 'n = *q'). A product would
    need q an arithmetic operand (C11 6.5.5p2), which '->' and unary '*' refuse (6.5.2.3p2, 6.5.3.2p2: gcc errors).
    Nothing declares q again before that use: each occurrence of q before it stands where no declarator does
    (_value), and each statement between (after ';', '{', '}', ':' or a for's '(') starts with q, a sign or a
    control statement's keyword (_STARTS) or is a call of one of ``functions`` ('spin_lock(&l);': an expression
    statement, C11 6.8.3, whose arguments are compiled: _functions), never a declaration, a label, nor a name that
    may be a macro declaring q unseen. One '*' only: 'X * *q;' would read q as a pointer either way. X itself is the
    macro's expansion as a whole operand (the harness' reading of a name no file defines: a type or a value)."""
    q = _at(tokens, i + 2)
    if _at(tokens, i - 1) not in ";{}:" or _at(tokens, i + 1) != "*" or not NAME.fullmatch(q) or \
            _at(tokens, i + 3) != ";":
        return False
    depth, calls, fors = 0, list[bool](), list[bool]()  # per open parenthesis: a name's (a call's, a macro's), a for's
    for j in range(i + 4, len(tokens)):
        tok = tokens[j]
        if tok == "#" or (tok == "}" and depth == 0):
            return False  # a directive ('#if 0' may leave the rest out), or the block ends: no pointer's use
        depth += 1 if tok == "{" else -1 if tok == "}" else 0
        if tok == "(":
            calls.append(bool(NAME.fullmatch(_at(tokens, j - 1))) and _at(tokens, j - 1) not in _COMPILED and
                         _at(tokens, j - 1) not in functions)
            fors.append(_at(tokens, j - 1) == "for")
        elif tok == ")" and calls:
            calls.pop()
            fors.pop()
        start = (tokens[j - 1] in ";{}:" and not (fors and fors[-1])) or \
            (tokens[j - 1] == "(" and _at(tokens, j - 2) == "for")
        if start and NAME.fullmatch(tok) and tok != q and tok not in _STARTS and \
                not (tok in functions and _at(tokens, j + 1) == "("):
            return False  # a statement (a statement expression's, a for's first clause) a name starts: a declaration
        if tok != q or tokens[j - 1] in (".", "->"):
            continue
        if not any(calls) and (_at(tokens, j + 1) == "->" or (tokens[j - 1] == "*" and _value(tokens, j - 1,
                                                                                             functions))):
            return True  # no macro's argument, which its expansion may leave out or stringize
        if not _value(tokens, j, functions) and _at(tokens, j + 1) != "->":
            return False  # q may be declared again there ('struct s *q', 'long n, q;', 'T (q);')
    return False


def pointer_types(text: str) -> frozenset[str]:
    """Each X of a statement 'X * q;' of the C text ``text`` (comments and strings blanked) that declared_by_use
    proves a pointer declaration: a type's name. A directive line stands as '#' among the tokens, where the search
    for q's use stops (code '#if 0' leaves out is no use)."""
    from harness.valuenames import DIRECTIVE, TOKEN

    tokens = [m.group() for m in TOKEN.finditer(DIRECTIVE.sub(" # ", text))]
    functions = _functions(text, tokens)
    return frozenset(tokens[i] for i in range(1, len(tokens) - 3)
                     if tokens[i + 1] == "*" and tokens[i + 3] == ";" and NAME.fullmatch(tokens[i]) and
                     tokens[i] not in _NO_TYPE and declared_by_use(tokens, i, functions))


def _functions(text: str, tokens: Sequence[str]) -> frozenset[str]:
    """The names ``tokens`` define as functions with a body at file scope (``static void f(int n) {``: after a type's
    word or a '*', its parameters' parenthesis, then '{'), less each name a '#define' of ``text`` names (a macro of
    the files may expand to a declaration where the function's name is called): a statement calling one is an
    expression (C11 6.8.3), its parenthesis an argument list compiled as written (6.5.2.2), no macro's. A definition
    under '#if 0' is none: typed_names hands the text with its conditional groups blanked
    (harness.typednames.unconditional)."""
    found, depth = set(), 0
    for i, tok in enumerate(tokens):
        depth += 1 if tok == "{" else -1 if tok == "}" else 0
        if depth or not NAME.fullmatch(tok) or _at(tokens, i + 1) != "(" or \
                not (NAME.fullmatch(_at(tokens, i - 1)) or _at(tokens, i - 1) == "*"):
            continue
        inner = 0
        for k in range(i + 1, len(tokens)):
            inner += 1 if tokens[k] == "(" else -1 if tokens[k] == ")" else 0
            if inner == 0:
                if _at(tokens, k + 1) == "{":
                    found.add(tok)
                break
    return frozenset(found) - set(_DEFINE.findall(text))


def _value(tokens: Sequence[str], j: int, functions: frozenset[str] = frozenset()) -> bool:
    """Whether ``tokens[j]`` starts an operand where no declarator can stand: after an operator (not a postfix '++'
    or '--', nor a '*', ')' or ']' after which '*' multiplies), a statement's start, return, else, do; after '(' of
    if, while, for, switch, return or sizeof, or an operator's; after the ')' of if, while, for or switch; after ','
    inside parentheses (a call's argument: a declaration's list stands outside them, a prototype's parameter in its
    own scope); after '(' of a call of one of ``functions`` (its first argument)."""
    prev, before = _at(tokens, j - 1), _at(tokens, j - 2)
    if prev in _OPERAND_PREV:
        return not (prev in "+-" and before == prev)
    if prev == "(":
        return before in ("if", "while", "for", "switch", "return", "sizeof") or before in functions or \
            (before in _OPERAND_PREV and before not in "+-")
    if prev == ",":
        return _inside_parentheses(tokens, j - 1)
    return prev == ")" and _control(tokens, j - 1)


def _control(tokens: Sequence[str], j: int) -> bool:
    """Whether the ')' ``tokens[j]`` closes the parenthesis of if, while, for or switch (a statement follows)."""
    depth = 0
    for k in range(j, -1, -1):
        depth += 1 if tokens[k] == ")" else -1 if tokens[k] == "(" else 0
        if depth == 0:
            return _at(tokens, k - 1) in ("if", "while", "for", "switch")
    return False


def _inside_parentheses(tokens: Sequence[str], j: int) -> bool:
    """Whether ``tokens[j]`` stands inside a parenthesis open before it in its statement."""
    depth = 0
    for k in range(j - 1, -1, -1):
        tok = tokens[k]
        if tok in ";{}":
            return False
        depth += 1 if tok == ")" else -1 if tok == "(" else 0
        if depth < 0:
            return True
    return False


def _at(tokens: Sequence[str], i: int) -> str:
    return tokens[i] if 0 <= i < len(tokens) else ";"
