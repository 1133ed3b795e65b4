"""Names a function's body reads as values or statements: where a header's object-like macro would be expanded."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from models.lazyre import POUND


class Use(Enum):
    """How a function's body uses a name: as a value or statement ('SC_X;', 'n = SC_X;'), or as a callee ('SC_X()')."""

    VALUE = "value"
    CALL = "call"


# C's tokens, strings and characters blanked first: numbers (C11 6.4.8's pp-numbers: '0x1ULL', '1e+5'), names,
# '->', any other character one each.
TOKEN = re.compile(r"\.?\d(?:[eEpP][+-]|[\w.])*|[A-Za-z_]\w*|->|\S")
NAME = re.compile(r"[A-Za-z_]\w*")
_CHARS = re.compile(r"'(?:\\.|[^'\\\n])*'")
# A directive's lines (with their continuations): its names are the preprocessor's, no value of the body. '%:' is
# '#' (a digraph, C11 6.4.6p3: gcc reads '%:if 0' as '#if 0').
DIRECTIVE = re.compile(rf"(?m)^[ \t]*{POUND}(?:[^\n\\]|\\.)*(?:\\\n(?:[^\n\\]|\\.)*)*")
# Parentheses whose words are no values: a type's, an attribute's, an asm template's, the preprocessor's.
_NOT_VALUES = frozenset({"sizeof", "typeof", "__typeof__", "__typeof", "typeof_unqual", "_Alignof", "alignof",
                         "__alignof__", "__attribute__", "_Generic", "asm", "__asm__", "defined", "offsetof",
                         "__builtin_constant_p", "__builtin_types_compatible_p", "__builtin_offsetof",
                         "__builtin_va_arg,"})
# What ``parens`` keep for __builtin_va_arg()'s parenthesis past its first ',': its type (_NOT_VALUES); the va_list
# before it is evaluated (gcc: 'va_arg((*(x = 2, app)), int)' stores 2 to x, not inside sizeof).
_VA_TYPE = "__builtin_va_arg,"
# Parentheses whose operand's array sizes are evaluated all the same: a variable length array's, whose size need not
# be a constant (C11 6.5.3.4p2, 6.7.6.2p5: 'sizeof(char[n + SC_X])'; gcc evaluates typeof's alike), and offsetof()'s
# array index, any expression (gcc's manual, Offsetof: 'offsetof(struct s, a[SC_X])').
_SIZED = frozenset({"sizeof", "typeof", "__typeof__", "__typeof", "typeof_unqual", "_Alignof", "alignof",
                    "__alignof__", "offsetof", "__builtin_offsetof"})
# What ``parens`` keep for a _Generic's parenthesis past an association's ':': its result expression, evaluated where
# the association is selected (C11 6.5.1.1p3), read as a grouping's; its type and the controlling expression are not.
_RESULT = "_Generic:"
# Words a value may follow: the end of a statement or label, an operator's keyword.
_VALUE_AFTER = frozenset({"return", "else", "do", "case"})
_CONTROL = frozenset({"if", "while", "for", "switch", "return"})
# What may follow a name read as a value: an operator or the end of an operand (not '(' of a call, ':' but a
# conditional's (_middle: not a label's), '*' or a name of a declaration; '->' and '.' a member of what it stands
# for, 'SC_X->n = 1;', 'SC_S.n = 1;': a name no file defines may be a macro standing for any expression,
# '(*(sc_busy_code = X, &s))').
_VALUE_BEFORE = frozenset([*";,)]?=+-/%&|^<>!}.", "->"])
# A number's or a character's first token (strings and characters blanked to "' '").
_CONSTANT = re.compile(r"\.?\d|'")
# What a name after which is an operand, never a type: an operator, or return ('n = SC_X * *p', 'return SC_X * *p').
_OPERAND_AFTER = frozenset([*"=+-/%&|^<>!~?", "return"])


def body_values(lines: Iterable[str], callees: frozenset[str], expressions: frozenset[tuple[str, int]] = frozenset(),
                called: frozenset[tuple[str, int]] = frozenset(), types: frozenset[str] | None = None
                ) -> list[tuple[int, str, Use]]:
    """(line offset in ``lines``, name, Use.VALUE) of each name a function's body in ``lines`` (a file's text or a
    fragment) reads as a value or writes as a statement: after a statement's or label's end, an operator, a comma, a
    return, else or do ('else SC_X;', 'out: SC_X;', 'n++, SC_X;', 'n = SC_X;'), inside the parentheses of a
    condition, of a grouping, of a conditional's middle operand ('n ? SC_X : 0'), of a _Generic's result ('int:
    SC_X'), of an array index offsetof() evaluates or an array size sizeof evaluates ('offsetof(struct s, a[SC_X])',
    'sizeof(char[SC_X])') or of a call of ``callees`` (functions that read their arguments: 'f(n, SC_X)'), not a
    macro's, whose words may be a member or a type, but for a name in argument i of a macro m with (m, i) in
    ``expressions`` (one its expansion reads as an expression: 'WRITE_ONCE(n, SC_X)'), alone or read as a value
    there ('WRITE_ONCE(n, SC_X + 1)'), or with (m, i) in ``called`` (one its expansion calls: 'f(x)'), read as a
    value there ('CALL(SC_X->fn, n)'). Not a type (followed by a name or '*', or a cast's '(T)'), member, label, nor
    words of directives, strings or characters; and (line, name, Use.CALL) of each callee a body calls by name
    ('SC_X();', 'f(n)') or hands alone as argument i of a macro m with (m, i) in ``called`` ('CALL(SC_X, n)');
    (m, -1 - i) in either is m's variadic parameter i, every argument from i on (takes). Declarations ('int a,
    n;') are the caller's to tell (they read no value). A parenthesised name C's syntax leaves a cast's type or a
    grouped value ('(X) - 1', '(X) & n', '(X) * p', '(X)(p)') is a type given ``types`` None or the name among them
    (typed_names: the files use it as one elsewhere), else a value."""
    from models.slicer import blank_comments, strings_blanked

    text = DIRECTIVE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), "\n".join(blank_comments(list(lines))))
    text = _CHARS.sub("' '", strings_blanked(text))
    tokens = list(TOKEN.finditer(text))
    found: list[tuple[int, str, Use]] = []
    depth, body, parens, commas, brackets = 0, False, list[str](), list[int](), list[int]()
    for i, m in enumerate(tokens):
        tok, prev = m.group(), tokens[i - 1].group() if i else ";"
        if tok in "[]":
            _bracket(tok, parens, brackets)
        elif tok in "{}":
            body = body or (tok == "{" and depth == 0 and prev == ")")
            depth += 1 if tok == "{" else -1
            body = body and depth > 0
        elif tok in "()":
            if tok == "(":
                parens.append(_callee(tokens, i))
                commas.append(0)
            elif parens:
                parens.pop()
                commas.pop()
        elif tok in ",:" and commas:
            _association(tok, parens, commas)
        elif body and NAME.fullmatch(tok) and i + 1 < len(tokens) and tokens[i + 1].group() == "(":
            found.append((text.count("\n", 0, m.start()), tok, Use.CALL))
        elif body and NAME.fullmatch(tok):
            at = _sized(parens, brackets)
            use = Use.VALUE if _read(tokens, i, parens[at:], callees, types) else \
                _handed(tokens, i, parens[at:], commas[at:], (expressions, called), types)
            if use is not None:
                found.append((text.count("\n", 0, m.start()), tok, use))
    return found


def replacement_values(params: tuple[str, ...] | None, body: str, callees: frozenset[str],
                       expressions: frozenset[tuple[str, int]] = frozenset(),
                       called: frozenset[tuple[str, int]] = frozenset(), types: frozenset[str] | None = None
                       ) -> list[tuple[int, str, Use]]:
    """body_values of a macro's replacement list ``body`` (the text after its name and ``params``, None for an
    object-like one; continuation lines kept as lines) read as the function's body an invocation expands it in
    ('SC_KNOB_STORE', 'a = f(b)', 'do { SC_X; } while (0)'): (line offset in ``body``, name, use). Not its
    parameters nor __VA_ARGS__ (the invocation's arguments, which macro_reads follows), nor a word '#' stringizes or
    '##' pastes (C11 6.10.3.2-3: no name of its own)."""
    spliced = body.replace("\\\n", " \n")
    pasted = set(re.findall(r"#\s*([A-Za-z_]\w*)", spliced)) | set(re.findall(r"([A-Za-z_]\w*)\s*#", spliced))
    own = {*variadic_names(params or ()), "__VA_ARGS__"}
    lines = ["static void __replacement(void)", "{", *spliced.split("\n"), ";", "}"]
    return [(at - 2, n, use) for at, n, use in body_values(lines, callees, expressions, called, types)
            if n not in own and n not in pasted]


@dataclass(frozen=True)
class MacroReads:
    """What a function-like macro's replacement list does with its parameters (by index): ``values``, those it
    expands as an expression; ``calls``, those it calls ('f(x)'); ``handed``, (parameter index, callee, argument
    index, how) of each handed to a call, alone (how None: as the callee reads that argument) or in a longer
    argument, read as a value there (Use.VALUE: '__round_mask(x, y + 1)') or called there (Use.CALL: 'g(f(x))')."""

    values: frozenset[int]
    calls: frozenset[int]
    handed: tuple[tuple[int, str, int, Use | None], ...]


@lru_cache(maxsize=4096)
def macro_reads(params: tuple[str, ...], body: str) -> MacroReads:
    """What a function-like macro's replacement list ``body`` does with its ``params`` (MacroReads): those it expands
    as an expression (alone in parentheses, '(x)', not after a name nor '#'; or read as a value where it stands, as
    in a function's body: 'a = b', 'return b', 'b.n = 1'), those it calls where it stands ('f(x)'), and those it
    hands to a call ('__round_mask(x, y)', 'SC_INNER(b + 1)'), which reads them as the callee reads that argument. Not
    one after or before '#'/'##' (C11 6.10.3.2-3), after '.'/'->', nor inside sizeof and the like (``_NOT_VALUES``)."""
    from models.slicer import strings_blanked

    # GNU's ', ## __VA_ARGS__' drops the comma when no argument is given, and pastes nothing else (cpp.texi).
    text = re.sub(r",\s*##", ", ", _CHARS.sub("' '", strings_blanked(body.replace("\\\n", " "))))
    tokens, params = list(TOKEN.finditer(text + " ;")), variadic_names(params)
    values, calls, handed = set[int](), set[int](), list[tuple[int, str, int, Use | None]]()
    parens, commas, brackets = list[str](), list[int](), list[int]()
    for i, m in enumerate(tokens):
        tok, prev = m.group(), tokens[i - 1].group() if i else ";"
        if tok in "[]":
            _bracket(tok, parens, brackets)
        elif tok == "(":
            parens.append(_callee(tokens, i))
            commas.append(0)
        elif tok == ")" and parens:
            parens.pop()
            commas.pop()
        elif tok in ",:" and commas:
            _association(tok, parens, commas)
        elif tok in params and "#" not in (prev, tokens[i + 1].group()):
            at, before, ps = params.index(tok), tokens[i - 2].group() if i > 1 else ";", _sized(parens, brackets)
            unmeasured, inner = not any(p in _NOT_VALUES for p in parens[ps:]), parens[-1] if parens[ps:] else ""
            use = _where(tokens, i, parens[ps:])
            if prev == "(" and tokens[i + 1].group() == ")" and not NAME.fullmatch(before) and unmeasured:
                use = Use.VALUE  # '(x)': a grouping, an expression wherever it stands
            elif NAME.fullmatch(inner) and inner not in _CONTROL and not inner.startswith("__builtin_") and \
                    unmeasured:  # gcc's builtins read theirs where they stand ('__builtin_va_arg(v, T)')
                if _whole(tokens, i) or use is not None:  # an argument of a call: as the callee reads it
                    handed.append((at, inner, commas[-1], None if _whole(tokens, i) else use))
                continue
            if use is not None:
                (values if use is Use.VALUE else calls).add(at)
    return MacroReads(frozenset(values), frozenset(calls), tuple(handed))


def variadic_names(params: tuple[str, ...]) -> tuple[str, ...]:
    """A macro's ``params`` as its replacement list names them: '...' as __VA_ARGS__ (C11 6.10.3.1), GNU's 'args...'
    as args."""
    if not params or not params[-1].endswith("..."):
        return params
    return (*params[:-1], params[-1][:-3].strip() or "__VA_ARGS__")


def takes(pairs: frozenset[tuple[str, int]] | set[tuple[str, int]], macro: str, index: int) -> bool:
    """Whether argument ``index`` of a call of ``macro`` is one ``pairs`` names: (macro, i) its parameter i, (macro,
    -1 - i) its variadic parameter i, which takes argument i and every later one (C11 6.10.3p12)."""
    return (macro, index) in pairs or any((macro, -1 - i) in pairs for i in range(index + 1))


def _bracket(tok: str, parens: list[str], brackets: list[int]) -> None:
    """Keep ``brackets``, the number of ``parens`` open at each '[' still open, as ``tok`` ('[' or ']') opens or
    closes one."""
    if tok == "[":
        brackets.append(len(parens))
    elif brackets:
        brackets.pop()


def _association(tok: str, parens: list[str], commas: list[int]) -> None:
    """Keep the innermost of ``parens`` and ``commas`` as ``tok`` (',' or ':' inside parentheses) passes: a ','
    counts an argument, ends a _Generic's result expression (_RESULT) and starts __builtin_va_arg()'s type (_VA_TYPE);
    a ':' after a _Generic's first ',' starts one ('_Generic(n, int: SC_X, default: 0)'), not in its controlling
    expression ('_Generic(a ? b : c, ...)')."""
    if tok == ",":
        commas[-1] += 1
        parens[-1] = "_Generic" if parens[-1] == _RESULT else _VA_TYPE if parens[-1] == "__builtin_va_arg" else \
            parens[-1]
    elif parens[-1] == "_Generic" and commas[-1]:
        parens[-1] = _RESULT


def _sized(parens: list[str], brackets: list[int]) -> int:
    """How many of ``parens`` (the token before each open parenthesis, outermost first) a word leaves out as it stands
    in an array's size inside sizeof or typeof (_SIZED): those open at the innermost such '[' (``brackets``: the
    number open at each), since that size is evaluated ('sizeof(char[n + SC_X])': C11 6.5.3.4p2); else 0. An
    expression's subscript ('sizeof(a[SC_X])', not evaluated) is taken alike: INCONCLUSIVE at worst, no false pass.
    Or, deeper, those outside an asm operand's parenthesis, which a constraint's string opens ('asm("" : : "r"(SC_X))':
    an expression gcc evaluates, an input's value or an output's lvalue; gcc's manual, Extended Asm), strings blanked
    to '""' (no other string is followed by '(')."""
    operand = max((at for at, p in enumerate(parens) if p == '"'), default=0)
    for at in reversed(brackets):
        if at > operand and any(p in _SIZED for p in parens[:at]):
            return at
    return operand


def _callee(tokens: list[re.Match[str]], i: int) -> str:
    """What the parenthesis ``tokens[i]`` opens, as ``parens`` keep it: the token before it, or '->' for a call
    through a member ('ops->fn(x)', 's.fn(x)': a pointer to a function, which reads its arguments as values)."""
    prev = tokens[i - 1].group() if i else ";"
    return "->" if i > 1 and NAME.fullmatch(prev) and tokens[i - 2].group() in (".", "->") else prev


def _where(tokens: list[re.Match[str]], i: int, parens: list[str]) -> Use | None:
    """How the name ``tokens[i]`` is used where it stands, whatever call's argument it is in: read as a value
    (_read), called ('f(x)', not after '.', '->' nor a type's name, nor inside sizeof and the like), or None."""
    if _read(tokens, i, parens, None):
        return Use.VALUE
    prev = tokens[i - 1].group() if i else ";"
    if i + 1 < len(tokens) and tokens[i + 1].group() == "(" and prev not in (".", "->") and \
            not (NAME.fullmatch(prev) and prev not in _VALUE_AFTER) and not any(p in _NOT_VALUES for p in parens):
        return Use.CALL
    return None


def _whole(tokens: list[re.Match[str]], i: int) -> bool:
    """Whether the name ``tokens[i]`` is a call's whole argument: '(' or ',' before it, ',' or ')' after it."""
    return tokens[i - 1].group() in "(," and i + 1 < len(tokens) and tokens[i + 1].group() in ",)"


def _handed(tokens: list[re.Match[str]], i: int, parens: list[str], commas: list[int],
            by: tuple[frozenset[tuple[str, int]], frozenset[tuple[str, int]]], types: frozenset[str] | None = None
            ) -> Use | None:
    """How the name ``tokens[i]``, in an argument of a macro call, is used by the macro's expansion: ``by`` holds
    (the macro, the argument's index) of the arguments it expands as an expression, then of those it calls. Alone
    there, as the macro uses it; in a longer argument, Use.VALUE where it is read as a value ('M(n, SC_X + 1)'). None
    if the macro does neither or one of the parentheses around it is a type's or the like."""
    if not parens or any(p in _NOT_VALUES for p in parens):
        return None
    expressions, called = by
    read, call = takes(expressions, parens[-1], commas[-1]), takes(called, parens[-1], commas[-1])
    if _whole(tokens, i):
        return Use.VALUE if read else Use.CALL if call else None
    return Use.VALUE if (read or call) and _read(tokens, i, parens, None, types) else None


def _read(tokens: list[re.Match[str]], i: int, parens: list[str], callees: frozenset[str] | None,
          types: frozenset[str] | None = None) -> bool:
    """Whether the name ``tokens[i]`` is read as a value where it stands, inside ``parens`` (the token before each
    open parenthesis, innermost last): in an argument of a call of ``callees`` (functions), not of another name's
    (a macro's, whose argument may be a member or a type); in any call's given None (the caller knows the macro
    expands that argument as an expression). ``types`` as body_values'."""
    prev = tokens[i - 1].group() if i else ";"
    after = tokens[i + 1].group() if i + 1 < len(tokens) else ";"
    if not _operand_end(tokens, i, parens, types) or (NAME.fullmatch(prev) and prev not in _VALUE_AFTER) or \
            prev in (".", "->"):
        return False
    if any(p in _NOT_VALUES for p in parens):
        return False
    inner = parens[-1] if parens else ""
    if callees is not None and NAME.fullmatch(inner) and inner not in _CONTROL and inner not in callees and \
            not inner.startswith("__builtin_"):
        return False  # a macro's argument, or a callee no file defines (gcc's builtins read theirs)
    # '(T)x', '(T)1', '(T)'c'', '(T){ 1 }': a cast to a type (or a compound literal's), not a value in parentheses;
    # but '(SC_X) * 2', '(SC_X) & 1': no cast's operand, since '*' and '&' take no constant (gcc: 'invalid type
    # argument of unary', 'lvalue required as unary'); '(X) - 1', '(X) + 1', '(X) & n', '(X) * p', '(X)(p)' either,
    # a cast only of a name ``types`` allows
    next2, next3 = (tokens[j].group() if j < len(tokens) else ";" for j in (i + 2, i + 3))
    if not (prev == "(" and after == ")" and not NAME.fullmatch(inner)):
        return True
    if NAME.fullmatch(next2) or next2[0].isdigit() or next2 in ("~", "!", "'", "\"", "{"):
        return False
    either = next2 in ("-", "+") or (next2 in "(&*" and not _CONSTANT.match(next3))
    return not (either and (types is None or tokens[i].group() in types))


def _operand_end(tokens: list[re.Match[str]], i: int, parens: list[str], types: frozenset[str] | None) -> bool:
    """Whether what follows the name ``tokens[i]`` (inside ``parens``) ends an operand: one of _VALUE_BEFORE, a
    conditional's ':' (_middle), a product's '*' (_product; ``types`` as body_values') or a subscript's '[' ('SC_X[0]',
    not a compound literal's type: '(T[]){ 1 }'; a declarator's 'T a[2]' has a name before it, which _read leaves
    out)."""
    after = tokens[i + 1].group() if i + 1 < len(tokens) else ";"
    if after in _VALUE_BEFORE:
        return True
    if after == ":":
        return _middle(tokens, i)
    if after == "*":
        return _product(tokens, i, parens, types)
    return after == "[" and not (i and tokens[i - 1].group() == "(" and _closed_by(tokens, i) == "{")


def _product(tokens: list[re.Match[str]], i: int, parens: list[str], types: frozenset[str] | None) -> bool:
    """Whether the '*' after the name ``tokens[i]`` multiplies it ('n = SC_X * 2', 'f(n, SC_X * 2)'), not a pointer
    declarator's or type's: an operand follows (not ')', ',', ':'), and the name is an operand (after an operator,
    return, a condition's '(' or a cast's ')': 'n = SC_X * *p', '(int)SC_X * 2'; after else or do, where no
    declaration stands: C11 6.8), or starts a statement, after a label's too, as _statement_product reads it ('SC_X *
    2;', 'T *p;', 'out: T *p;'), or
    else no '*' nor a qualifier follows ('(T *)p', 'f(T *, int)', 'T **pp', 'T * const p'), and no attribute's ')'
    comes before the name, nor a for's or a parameter list's parenthesis ('for (T *p = q; ...)', '(*fn)(T *p)')."""
    prev = tokens[i - 1].group() if i else ";"
    after = tokens[i + 2].group() if i + 2 < len(tokens) else ";"
    if after in (")", ",", ":", ";"):
        return False
    if prev in _OPERAND_AFTER or prev in ("else", "do") or \
            (parens and (prev, parens[-1] == "for") in (("(", False), (";", True)) and parens[-1] in _CONTROL) or \
            (prev == ")" and _cast(tokens, i - 1)):
        return True  # an operand: no type stands there ('n = SC_X * *p', 'if (SC_X * *p)', '(int)SC_X * 2', a for's
        # condition)
    if prev == ":" and _middle(tokens, i - 1):
        return True  # a conditional's last operand ('n ? m : SC_X * *p')
    if prev in ";{}:":  # a label's ':' too: gcc takes a declaration after one
        return _statement_product(tokens, i, types)
    if after in _QUALIFIERS or after == "*" or prev == ")":
        return False
    return not (prev in "(," and parens and parens[-1] in ("for", ")"))


_QUALIFIERS = frozenset({"const", "volatile", "restrict", "__restrict"})
# C's own type specifiers (C11 6.7.2): never a value ('int *p;').
_TYPE_WORDS = frozenset({"void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool",
                         "_Complex"})
# Words that start an operand, never a declarator ('SC_X * sizeof(n);').
_OPERATORS = frozenset({"sizeof", "_Alignof", "alignof", "__alignof__", "_Generic", "__builtin_offsetof"})


def _statement_product(tokens: list[re.Match[str]], i: int, types: frozenset[str] | None) -> bool:
    """Whether 'X *' starting a statement at ``tokens[i]`` is a product (an expression statement), not a pointer
    declaration's type: not when a qualifier or an initialiser's '=' shows a declaration ('T * const p;', 'T **p =
    q;': '(X * *p) = q' is no lvalue, C11 6.5.16p2); yes when no declarator can follow ('SC_X * 2;', 'SC_X * -n;',
    'SC_X * p + 1;', 'SC_X * p->n;'). The tokens C's syntax leaves either ('X * *p;', 'X * p, q;', 'X * p[0];',
    'X * f(n);', 'X * (p);') are a declaration given ``types`` None (the old reading) or X among them (typed_names:
    the files use X as a type elsewhere), unless the name is already in the block's scope as its own (a
    declaration would declare it again there, a constraint violation: C11 6.7p3, 6.2.1p4): else a product."""
    if tokens[i].group() in _TYPE_WORDS:
        return False
    k = i + 2
    while k < len(tokens) and tokens[k].group() == "*":
        k += 1
    tok, nxt, third = (tokens[j].group() if j < len(tokens) else ";" for j in (k, k + 1, k + 2))
    if tok in _QUALIFIERS or (NAME.fullmatch(tok) and nxt == "=" and third != "="):
        return False
    if NAME.fullmatch(tok) and tok not in _OPERATORS and nxt in (";", ",", "[", "("):
        declared = tok
    elif tok == "(":
        declared = ""
    else:
        return True  # a number, '-', '&', '!', a character, an operator after the name: no declarator starts so
    if types is None:
        return False
    return tokens[i].group() not in types or (bool(declared) and _in_block(tokens, i, declared))


def _in_block(tokens: list[re.Match[str]], i: int, name: str) -> bool:
    """Whether ``name`` stands before ``tokens[i]`` in its block (not in a block nested there, nor after '.' or '->')
    or in the parenthesis before the block's '{' (a function's parameters, a condition): a name the block's scope
    holds already, which a declaration there would declare again (C11 6.7p3; a parameter in the function's outermost
    block: 6.2.1p4). Over-approximate (a condition's name is an outer scope's): a product at worst."""
    depth = 0
    for j in range(i - 1, -1, -1):
        tok = tokens[j].group()
        if tok in "{}":
            depth += 1 if tok == "}" else -1
            if depth < 0:
                return j > 0 and tokens[j - 1].group() == ")" and _in_parenthesis(tokens, j - 1, name)
        elif depth == 0 and tok == name and not (j and tokens[j - 1].group() in (".", "->")):
            return True
    return False


def _in_parenthesis(tokens: list[re.Match[str]], j: int, name: str) -> bool:
    """Whether ``name`` stands inside the parenthesis the ')' ``tokens[j]`` closes."""
    depth = 0
    for k in range(j, -1, -1):
        tok = tokens[k].group()
        depth += 1 if tok == ")" else -1 if tok == "(" else 0
        if depth == 0:
            return False
        if tok == name:
            return True
    return False


def _cast(tokens: list[re.Match[str]], j: int) -> bool:
    """Whether the ')' ``tokens[j]`` closes a cast's parenthesis (or a grouping's or a condition's), after which a
    name is an operand ('(int)SC_X * 2', 'if (n) SC_X * n;'): the token before its '(' no name but return, case and
    the like or a control's; not an attribute's or a macro's ('__aligned(8) T *p', '__attribute__((x)) T *p')."""
    depth = 0
    for k in range(j, -1, -1):
        tok = tokens[k].group()
        depth += 1 if tok == ")" else -1 if tok == "(" else 0
        if depth == 0:
            before = tokens[k - 1].group() if k else ";"
            return not NAME.fullmatch(before) or before in _VALUE_AFTER | _CONTROL
    return False


def _closed_by(tokens: list[re.Match[str]], i: int) -> str:
    """The token after the ')' that closes the parenthesis open at ``tokens[i]`` (';' at the end)."""
    depth = 0
    for j in range(i + 1, len(tokens)):
        tok = tokens[j].group()
        depth += 1 if tok == "(" else -1 if tok == ")" else 0
        if depth < 0:
            return tokens[j + 1].group() if j + 1 < len(tokens) else ";"
    return ";"


def _middle(tokens: list[re.Match[str]], i: int) -> bool:
    """Whether the ':' after the name ``tokens[i]`` ends a conditional's middle operand ('n ? SC_X : 0', C11 6.5.15),
    evaluated where the condition holds: a '?' before it in its parentheses, not a label's ':' ('out: SC_X;'), a
    case's ('case SC_X:', a constant expression: no store, C11 6.6p3) nor a _Generic's, an asm's or a bit-field's."""
    depth = 0
    for j in range(i - 1, -1, -1):
        tok = tokens[j].group()
        if tok in ")]" or (tok in "([" and depth):
            depth += 1 if tok in ")]" else -1
        elif tok in "([" or (not depth and tok in (";", "{", "}", ":", "case", "default")):
            return False
        elif not depth and tok == "?":
            return True
    return False
