"""Function-like macros a change makes evaluate an argument another number of times, which no run can show.

Every scenario calls an entry point with plain values (a leaf, a pointer), so a macro that now expands ``_fn``
twice (``(_fn) | ((_fn) & 0)``), or no longer at all, computes the same in every run: a caller's argument with side
effects (``i++``, a call) has them twice, or never (C11 6.10.3.1: each occurrence of a parameter is replaced by the
argument; gcc evaluates each). Said as undecided (harness.comparison.ARGS), never under "no behaviour change".
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from harness.comparison import ARGS
from harness.cppscan import Expander, ExpansionLimit, Macro, MacroTable, Tok, logical_lines, parse_define, tokens
from harness.memo import by_identity
from harness.runner import variant_sources
from models.loader import definitions, reachable
from models.prelude import PRELUDE_PATH, macro_lines, prelude_closure
from models.slicer import Kind
from models.wordfind import BOUNDARY, CALL_AFTER, name_spans

if TYPE_CHECKING:
    from harness.matrixresult import MatrixResult

# Operands these take are not evaluated (C11 6.5.3.4; gcc's typeof and builtins): a parameter inside them is not
# an evaluation of the argument.
_UNEVALUATED = frozenset({"sizeof", "typeof", "__typeof__", "__typeof", "typeof_unqual", "__typeof_unqual__",
                          "_Alignof", "__alignof__", "alignof", "__same_type", "__builtin_types_compatible_p",
                          "__builtin_constant_p", "__is_constexpr"})
_TIMES = {0: "never", 1: "once", 2: "twice"}
_MARK = "__seamharness_argument_"  # the k-th argument of the invocation expanded: a name no code spells
_UNREAD = "__seamharness_unevaluated"  # what stands for a sizeof-like operand: not the constant 0
_BUDGET = 20_000  # tokens an invocation's expansion may make (past it the counts are undecided): a tenth of a file's


@functools.lru_cache(maxsize=4096)
def _define(text: str) -> Macro | None:
    """The first ``#define`` of ``text`` as harness.cppscan reads it; None when there is none or gcc would refuse
    it. Kept by text (a Macro is frozen): the variants' tables share most macros (the corpus' eval read 265, 14 of
    them distinct)."""
    for line in logical_lines(tokens(text)):
        if len(line) > 2 and line[0].text == "#" and line[1].text == "define":
            return parse_define(line[2:], kernel=False, where="")
    return None


def _expansion(text: str, macros: MacroTable | None, last: bool) -> tuple[list[str], list[Tok]] | None:
    """The markers handed as arguments and the tokens of the invocation ``NAME(marker0, marker1, ...)`` of the
    function-like macro ``text`` defines, expanded with ``macros`` (the files' other macros; C11 6.10.3: ``#``,
    ``##``, ``, ## __VA_ARGS__`` and the rescan done as gcc does them; of a macro an #if defines otherwise, the
    first or ``last`` alternative); None when ``text`` defines no function-like macro or its expansion is past
    harness.cppscan's limits."""
    m = _define(text)
    if m is None or m.params is None:
        return None
    marks = [f"{_MARK}{k}" for k in range(len(m.params))]
    call = [Tok(m.name, "id", 1), Tok("(", "punct", 1)]
    for k, mark in enumerate(marks):
        call += [Tok(",", "punct", 1)] * bool(k) + [Tok(mark, "id", 1)]
    table = MacroTable({**(macros.defs if macros is not None else {}), m.name: [m]})
    try:
        return marks, Expander(table, lambda alts: alts[-1 if last else 0], budget=_BUDGET).expand(
            [*call, Tok(")", "punct", 1)])
    except ExpansionLimit:
        return None


def _evaluated(toks: list[Tok]) -> list[str]:
    """The spellings of expanded tokens, a ``sizeof``/``typeof``-like operand (not evaluated) made one _UNREAD, and so
    is each occurrence of a marker the expansion declares a variable with (_types)."""
    texts = [t.text for t in toks]
    out, skip_to = list[str](), -1
    for i, t in enumerate(texts):
        if i <= skip_to:
            continue
        if t in _UNEVALUATED and i + 1 < len(texts) and texts[i + 1] == "(":
            skip_to = _close(texts, i + 1)
            out.append(_UNREAD)
            continue
        out.append(t)
    types = _types(out)
    return [_UNREAD if t in types else t for t in out]


_DECLARED = frozenset({"=", ";", ",", "["})  # what follows a declarator: 'type ux = (x);', 'type buf[4];'


def _types(texts: list[str]) -> set[str]:
    """The markers (an argument) some declaration in ``texts`` names as its type: a marker followed by an identifier
    and by what follows a declarator (min_t()'s '({ type ux = (x); ...'). That argument is a type name, which is no
    evaluation (C11 6.7: a declaration's specifiers name a type; gcc evaluates only a variably modified one's
    size), wherever it stands in the expansion ('(type)(y)' is then a cast)."""
    return {t for t, name, after in zip(texts, texts[1:], texts[2:], strict=False)
            if t.startswith(_MARK) and _IDENT.fullmatch(name) and after in _DECLARED}


_IDENT = re.compile(r"[A-Za-z_]\w*")


def _close(tokens: list[str], i: int) -> int:
    """The index of the bracket closing the one at ``i`` (the last token when none does)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += 1 if tokens[j] in "([{" else -1 if tokens[j] in ")]}" else 0
        if depth == 0:
            return j
    return len(tokens) - 1


Paths = frozenset[int] | None  # the numbers of times some path evaluates an argument; None: control flow decides
_CONTROL = frozenset({"if", "else", "for", "while", "switch", "goto", "case", "return", "break", "continue"})


class _Undecided(Exception):
    """A statement whose control flow the path count does not follow (if, a loop, goto)."""


def path_counts(text: str, params: tuple[str, ...], macros: MacroTable | None = None) -> tuple[Paths, ...]:
    """Per parameter of a function-like macro (``text``: its ``#define NAME(params) body``, lines joined by
    backslash-newline; ``params`` its parameters, ``...`` counted as ``__VA_ARGS__``), the numbers of times a path
    through its expansion evaluates it (occurrences in ``sizeof``/``typeof``-like operands, ``#``, ``##`` and
    string literals aside); the other macros of its files (``macros``, harness.macrostores.file_macros) are
    expanded in it, so that a parameter handed to a macro evaluating its own twice counts twice:
    ``c ? f(x) : g(x)`` once on each path ({1}), ``(x) ? a : b(x)`` {1, 2}, ``(x) && g(x)`` {1, 2}
    (C11 6.5.13-6.5.15: the second operand of ``&&``/``||`` and one of ``?:``'s are evaluated), ``if (c) g(x);``
    {0, 1}; None when the parameter is in a body with loops, ``goto``, ``return`` or ``switch`` (``do { } while (0)``
    aside), or when the expansion cannot be made."""
    return _counted(text, len(params), macros)[0]


_Counted = tuple[tuple[Paths, ...], tuple[str, ...], tuple[str, ...]]


def _counted(text: str, n: int, macros: MacroTable | None) -> _Counted:
    """path_counts() of the ``n`` parameters, the spellings of the expansion and the other macros of ``macros``
    some argument passed through (outermost first). Where a macro it expands has alternatives (an #if the slicer
    left undecided), the first's and the last's expansions are both paths: the counts are joined."""
    first = _one_counted(text, n, macros, False)
    if macros is None or all(len(alts) == 1 for alts in macros.defs.values()):
        return first
    return _join(first, _one_counted(text, n, macros, True))


def _join(a: _Counted, b: _Counted) -> _Counted:
    """Two alternatives' counts as paths of one (their sets joined; None where either is), spellings and macros."""
    if a == b:
        return a
    counts = tuple(None if x is None or y is None else x | y for x, y in zip(a[0], b[0], strict=True))
    return counts, (*a[1], "#else", *b[1]), tuple(dict.fromkeys(a[2] + b[2]))


def _one_counted(text: str, n: int, macros: MacroTable | None, last: bool) -> _Counted:
    found = _expansion(text, macros, last)
    if found is None or len(found[0]) != n:  # undecided; the same text still the same macro (its tokens)
        return (None,) * n, tuple(t.text for t in tokens(text) if t.kind != "nl"), ()
    marks, toks = found
    texts = _evaluated(toks)
    out: list[Paths] = []
    for mark in marks:
        try:
            out.append(_paths(texts, mark) if mark in texts else frozenset({0}))
        except _Undecided:
            out.append(None)
    # the macros said, the mirror's own primitives (a kernel macro's __sh_ helpers, models.prelude) aside
    via = dict.fromkeys(name for t in toks if t.text in marks for name, kernel in t.chain[1:]
                        if not (kernel and name.startswith("__sh_")))
    return tuple(out), tuple(t.text for t in toks), tuple(via)


def _plus(a: frozenset[int], b: frozenset[int]) -> frozenset[int]:
    return frozenset(x + y for x in a for y in b)


def _top(tokens: list[str], ops: frozenset[str]) -> int | None:
    """The index of the first of ``ops`` outside brackets, or None."""
    depth = 0
    for i, t in enumerate(tokens):
        depth += 1 if t in ("(", "[", "{") else -1 if t in (")", "]", "}") else 0
        if depth == 0 and t in ops:
            return i
    return None


def _paths(tokens: list[str], name: str) -> frozenset[int]:
    """The evaluation counts of ``name`` over the paths through ``tokens`` (a sequence of expressions and
    statements, ``if``/``else`` followed), an over-approximation where '&&' and '||' are split where they stand."""
    total, i = frozenset({0}), 0
    while i < len(tokens):
        if tokens[i] == "if":
            counts, i = _if(tokens, i, name)
        else:
            cut = _top(tokens[i:], frozenset({",", ";"}))
            end = len(tokens) if cut is None else i + cut
            counts, i = _expr(tokens[i:end], name), end + 1
        total = _plus(total, counts)
    return total


def _if(tokens: list[str], i: int, name: str) -> tuple[frozenset[int], int]:
    """The counts of the ``if`` statement at ``i`` (C11 6.8.4.1: its condition, then one branch or none; ``if (0)``
    never the first, ``if (1)`` never the second, as no_printk() relies on) and the index after it."""
    if tokens[i + 1:i + 2] != ["("]:
        raise _Undecided("if")
    j = _close(tokens, i + 1)
    then, k = _statement(tokens, j + 1, name)
    other = frozenset({0})
    if tokens[k:k + 1] == ["else"]:
        other, k = _statement(tokens, k + 1, name)
    taken = {"0": other, "1": then}.get("".join(tokens[i + 2:j]).strip("()"), then | other)  # balanced: '((0))'
    return _plus(_paths(tokens[i + 2:j], name), taken), k


def _statement(tokens: list[str], i: int, name: str) -> tuple[frozenset[int], int]:
    if tokens[i:i + 1] == ["{"]:
        j = _close(tokens, i)
        return _paths(tokens[i + 1:j], name), j + 1
    if tokens[i:i + 1] == ["if"]:
        return _if(tokens, i, name)
    cut = _top(tokens[i:], frozenset({";"}))
    end = len(tokens) if cut is None else i + cut
    return _paths(tokens[i:end], name), end + 1


def _expr(tokens: list[str], name: str) -> frozenset[int]:
    if (q := _top(tokens, frozenset({"?"}))) is not None:
        nest, c = 0, len(tokens)
        for j in range(q + 1, len(tokens)):
            if _top(tokens[q + 1:j + 1], frozenset({"?", ":"})) == j - q - 1:
                nest += 1 if tokens[j] == "?" else -1
                if nest < 0:
                    c = j
                    break
        return _plus(_expr(tokens[:q], name), _expr(tokens[q + 1:c], name) | _expr(tokens[c + 1:], name))
    if (o := _top(tokens, frozenset({"&&", "||"}))) is not None:
        return _plus(_expr(tokens[:o], name), frozenset({0}) | _expr(tokens[o + 1:], name))
    total, i = frozenset({0}), 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("(", "[", "{"):
            j = _close(tokens, i)
            total, i = _plus(total, _paths(tokens[i + 1:j], name)), j + 1
            continue
        if t == "while" and tokens[i - 1:i] == ["}"] and tokens[i + 1:i + 4] == ["(", "0", ")"]:
            i += 4  # do { ... } while (0): the body once
            continue
        if t in _CONTROL:
            raise _Undecided(t)
        total, i = _plus(total, frozenset({1}) if t == name else frozenset({0})), i + 1
    return total


# parameters, path counts, place, spellings of the expansion (a function's none), macros an argument passed through
_Entry = tuple[tuple[str, ...], tuple[Paths, ...], str, tuple[str, ...], tuple[str, ...]]


@functools.lru_cache(maxsize=1)
def plain_prelude() -> frozenset[str]:
    """The names of the prelude's macros (models.prelude: the kernel's own where the mirror runs them as they are)
    that are plain: a body (an expression, a statement expression, ``do { } while (0)``) with no other control
    word and no call but of a parameter, a ``sizeof``-like operator or another plain one (a fixpoint), so that what
    it evaluates is what its kernel definition does (include/linux/math.h DIV_ROUND_UP()'s ``d`` twice,
    include/linux/align.h ALIGN()'s ``a`` twice, include/linux/minmax.h swap()'s both twice, asm-generic/div64.h
    do_div()'s ``n`` three times; the mirror's statement expressions standing for the kernel's inline functions
    evaluate each argument once, as those do). The others (a branch, a loop, a call of the mirror's builtins:
    min()/max() through __sh_minmax_check()) stay calls, an argument evaluated once as a function's is
    (include/linux/minmax.h's own evaluate theirs once)."""
    calls: dict[str, set[str]] = {}  # per prelude macro with no block, what its body calls (string literals aside)
    for name, params, body in macro_lines():
        spelled = _DO_ONCE.sub("}", _STRING.sub('""', body))
        if not _BLOCK.search(spelled):
            own = {p.strip().removesuffix("...") or "__VA_ARGS__" for p in params.strip("()").split(",")}
            calls[name] = set(_CALL.findall(spelled)) - own - _UNEVALUATED
    plain = set(calls)
    while len(kept := {n for n in plain if calls[n] <= plain}) < len(plain):
        plain = kept
    return frozenset(plain)


_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'")
_DO_ONCE = re.compile(r"\}\s*while\s*\(\s*0\s*\)")  # do { ... } while (0): its body once
_BLOCK = re.compile(r"\b(?:" + "|".join(sorted(_CONTROL)) + r")\b")  # a branch or a loop, the path count undecided
_CALL = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


@functools.lru_cache(maxsize=256)
def _prelude_macros(names: frozenset[str]) -> tuple[Macro, ...]:
    """The prelude's macros of ``names`` as harness.cppscan reads them, each a ``kernel`` Macro (one of a name), read
    once per set of names: each definitions table asks for those its macros name, mostly the same set (the corpus'
    eval: 23 tables)."""
    text = "".join(f"#define {name}{params} {body}\n" for name, params, body in macro_lines() if name in names)
    return tuple({m.name: m for line in logical_lines(tokens(text))
                  if (m := parse_define(line[2:], kernel=True, where=PRELUDE_PATH)) is not None}.values())


def _prelude_table(macros: MacroTable, defined: Mapping[str, Any]) -> frozenset[str]:
    """Put in ``macros`` (the files' own) the plain prelude macros (plain_prelude()) their bodies need, but those the
    files define under any form (``defined``: a definitions table): the prelude's are #ifndef fallbacks (gcc). Their
    names."""
    named = {t.text for alts in macros.defs.values() for m in alts for t in m.body if t.kind == "id"}
    needed = prelude_closure(named & plain_prelude()) & plain_prelude()
    names = frozenset(n for n in needed if n not in defined)
    for m in _prelude_macros(names):
        macros.define(m, conditional=False)
    return names


def _macro_counts(table: dict[str, Any]) -> dict[str, _Entry]:
    """Per function-like macro or function of a definitions table (its first definition): its parameters, path
    counts (path_counts(), the table's other macros expanded in it), place, the spellings of its expansion (a
    function's none) and the other macros an argument passed through, worked out once per table (do not change the
    dict given)."""
    return by_identity("macro evaluations", (table,), (), partial(_read_counts, table))


def _read_counts(table: dict[str, Any]) -> dict[str, _Entry]:
    macros = MacroTable()
    texts: list[str] = []  # what macros holds is made of these, in order (_define reads each the same way every time)
    for ds in table.values():  # the first definition, then the alternatives an #if left undecided keeps
        for d in ds[:1] + [d for d in ds[1:] if d.condition is not None]:
            if d.kind is Kind.MACRO and ds[0].kind is Kind.MACRO and (m := _define(d.text)) is not None:
                macros.define(m, conditional=True)
                texts.append(d.text)
    held = _held_macros((tuple(texts), _prelude_table(macros, table)))
    out: dict[str, _Entry] = {}
    for name, ds in table.items():
        if ds and ds[0].kind is Kind.MACRO and ds[0].params is not None:
            counts, spelled, via = functools.reduce(_join, [_counted_with(d.text, len(ds[0].params), macros, held)
                                                            for d in ds if d is ds[0] or _alternative(d, ds[0])])
            out[name] = (ds[0].params, counts, ds[0].where, spelled, via)
        elif ds and ds[0].kind is Kind.FUNCTION and (params := function_params(ds[0].text, name)) is not None:
            # a function evaluates each argument once
            out[name] = (params, (frozenset({1}),) * len(params), ds[0].where, (), ())
    return out


# _counted of a text and its parameter count with a table of macros, by the macros' number (_held_macros): the tables
# of the variants' files hold the same macros again (the corpus' eval asked 106 counts, of 46 distinct ones).
_COUNTS: dict[tuple[str, int, int], _Counted] = {}
# A number per distinct table of macros, by what it is made of: its files' #define texts in order and the prelude's
# names put in it (_read_counts, _prelude_table). Numbers are never used again, so a count kept is of its own table.
_HELD: dict[tuple[tuple[str, ...], frozenset[str]], int] = {}
_NUMBERS = itertools.count()


def _held_macros(made_of: tuple[tuple[str, ...], frozenset[str]]) -> int:
    found = _HELD.get(made_of)
    if found is None:
        if len(_HELD) >= 256:
            _HELD.clear()
        found = _HELD[made_of] = next(_NUMBERS)
    return found


def _counted_with(text: str, n: int, macros: MacroTable, held: int) -> _Counted:
    """_counted(text, n, macros), once per text, count and table of macros (``held``: its _held_macros number)."""
    key = (text, n, held)
    found = _COUNTS.get(key)
    if found is None:
        if len(_COUNTS) >= 4096:
            _COUNTS.clear()
        found = _COUNTS[key] = _counted(text, n, macros)
    return found


def _alternative(d: Any, first: Any) -> bool:
    """Whether definition ``d`` is another the macro ``first`` may be, as an #if the slicer left undecided has it."""
    return d.condition is not None and d.kind is Kind.MACRO and d.params == first.params


def function_params(text: str, name: str) -> tuple[str, ...] | None:
    """The parameter names of function ``name`` as its definition ``text`` declares them (the last name of each;
    ``(void)`` none; a variadic one's ``...`` last, as a macro's), or None when its parameter list cannot be read
    (a K&R or macro-made one)."""
    span = next(name_spans(text.partition("{")[0], name, BOUNDARY, CALL_AFTER), None)
    if span is None:
        return None
    depth, parts, cur = 1, list[str](), list[str]()
    for c in text[span[1]:]:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if depth == 0:
            break
        if c == "," and depth == 1:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    if [p.strip() for p in parts] in ([""], ["void"]):
        return ()
    variadic = parts[-1].strip() == "..."
    # A function pointer's name is the one after '(*', not its parameters' last ('int (*cb)(int, ...)').
    names = [re.findall(r"\(\s*\*\s*([A-Za-z_]\w*)", p) or re.findall(r"[A-Za-z_]\w*", p)
             for p in (parts[:-1] if variadic else parts)]
    if not all(names):
        return None
    return tuple(n[-1] for n in names) + (("...",) if variadic else ())


def _times(n: Paths) -> str:
    if n is None:
        return "as many times as its control flow decides"
    return " or ".join(_TIMES.get(k, f"{k} times") for k in sorted(n))


def _variadic(params: tuple[str, ...]) -> bool:
    return bool(params) and params[-1].endswith("...")


def count_changes(was: tuple[tuple[str, ...], tuple[Paths, ...]], now: tuple[tuple[str, ...], tuple[Paths, ...]]
                  ) -> tuple[tuple[str, Paths, Paths], ...]:
    """The arguments a call passes both ``was`` and ``now`` (parameters, path_counts(): a macro's or a function's)
    may evaluate another number of times, all but those each side evaluates as often on every path: (what, times in
    was, times in now), an argument past the named ones counted as the variable arguments of a variadic side; ()
    when no call fits both (their fixed arities differ)."""
    (pa, ca), (pb, cb) = was, now
    va, vb = _variadic(pa), _variadic(pb)
    fa, fb = len(pa) - va, len(pb) - vb
    if not va and not vb and fa != fb:
        return ()
    out: dict[str, tuple[Paths, Paths]] = {}
    for k in range(max(len(pa), len(pb))):
        if (k >= fa and not va) or (k >= fb and not vb):
            continue
        x, y = ca[min(k, len(ca) - 1)], cb[min(k, len(cb) - 1)]
        if x is None or y is None or x != y or len(x) != 1:
            p = pb[min(k, len(pb) - 1)]
            out.setdefault(f"argument {p}" if k < fb else f"variable arguments ({p})", (x, y))
    return tuple((what, x, y) for what, (x, y) in out.items())


def argument_changes(res: MatrixResult, a: str, b: str, renamed: Mapping[str, str] | None = None
                     ) -> tuple[str, ...]:
    """Where a function-like macro both variants ``a`` and ``b`` define (under its old name in ``a`` where
    ``renamed``, old -> new, renames it), with as many parameters, and some entry point of the matrix reaches in
    either, evaluates a parameter another number of times in ``b`` than in ``a``: what it does with a caller's
    argument with side effects, which no scenario passes, said (ARGS)."""
    sides = (res.variant(a), res.variant(b))
    tables = [_macro_counts(definitions(variant_sources(v))) for v in sides]
    old = {new: was for was, new in (renamed or {}).items() if was not in tables[1]}
    pairs = {n: old.get(n, n) for n in tables[1]}
    changed = {n: o for n, o in pairs.items() if o in tables[0] and (not tables[1][n][3] or tables[0][o][3]
               != tables[1][n][3]) and count_changes(tables[0][o][:2], tables[1][n][:2])}
    sized = {n: o for n, o in pairs.items() if o in tables[0] and tables[0][o][3] != tables[1][n][3] and
             _type_changes(tables[0][o], tables[1][n])}
    if not changed and not sized:
        return ()
    reached = {n for v in sides for e in res.matrix.entries for n in reachable(variant_sources(v), e.name)}
    said = list(_sized_said(sides, sized, tables, reached, (a, b)))
    for name in sorted(n for n, o in changed.items() if n in reached or o in reached):
        where = tables[1][name][2] + (", through " + ", ".join(f"{m}()" for m in tables[1][name][4])
                                       if tables[1][name][4] else "")
        called = f"{name}()" if changed[name] == name else f"{name}() (was {changed[name]}())"
        for what, x, y in count_changes(tables[0][changed[name]][:2], tables[1][name][:2]):
            effects = "loses them" if y == frozenset({0}) else f"has them {_times(y)}"
            said.append(f"{ARGS}: {called} evaluates its {what} {_times(y)} in {b} "
                        f"({where}), {_times(x)} in {a}: a caller's argument with side effects ('i++', a call) "
                        f"{effects}, and every run passes plain values")
    return tuple(said)


def _type_counts(entry: _Entry) -> dict[int, int]:
    """{parameter index: how many times the expansion names it} of each parameter of a macro's ``entry`` that the
    expansion declares a variable with (_types: a type argument, counted no evaluation): how many times gcc
    evaluates the size of a variably modified type handed there ('typeof(char (*)[f()])'), each declaration, cast,
    sizeof or typeof naming it (C11 6.7.6.2p5, 6.5.3.4p2; gcc's manual, Typeof), an over-count on a path."""
    spelled = list(entry[3])
    return {int(m[len(_MARK):]): spelled.count(m) for m in _types(spelled)}


def _type_changes(was: _Entry, now: _Entry) -> tuple[tuple[int, int, int], ...]:
    """(parameter index, times in ``was``, times in ``now``) of each type argument (_type_counts) both macros'
    expansions name as a type another number of times, parameters alike in number."""
    if len(was[0]) != len(now[0]):
        return ()
    a, b = _type_counts(was), _type_counts(now)
    return tuple((k, a.get(k, 0), b.get(k, 0)) for k in sorted(a.keys() | b.keys()) if a.get(k, 0) != b.get(k, 0))


def _sized_said(sides: tuple[Any, Any], sized: Mapping[str, str], tables: list[dict[str, _Entry]], reached: set[str],
                names: tuple[str, str]) -> Iterator[str]:
    """ARGS notes of the macros ``sized`` (new name: old name) whose type argument (_type_changes) some invocation
    in either side's files hands a type that may be variably modified (an array's '[' or a typeof in it): gcc
    evaluates its size as many times as the expansion names it, which no run shows (they pass plain types)."""
    from harness.macroeffects import arguments, called_names

    a, b = names
    texts = ["\n".join(lines) for v in sides for s in variant_sources(v) for _, lines in s.pieces]
    for name in sorted(n for n, o in sized.items() if n in reached or o in reached):
        handed = [arguments(t, end)[0] for t in texts for callee, end in called_names(t) if callee in (name,
                                                                                                  sized[name])]
        for k, x, y in _type_changes(tables[0][sized[name]], tables[1][name]):
            spelt = [args[k].strip() for args in handed if k < len(args) and _VARIABLY.search(args[k])]
            if spelt:
                yield (f"{ARGS}: {name}() names its type argument {tables[1][name][0][k]} {_times(frozenset({y}))} "
                       f"in {b} ({tables[1][name][2]}), {_times(frozenset({x}))} in {a}, and is handed '{spelt[0]}', "
                       "which may be variably modified: gcc evaluates its size each time (C11 6.7.6.2p5), and every "
                       "run passes plain values")


_VARIABLY = re.compile(r"\[|\btypeof\b|__typeof")  # an argument that may spell a variably modified type
