"""Function-like macros a change makes evaluate an argument another number of times, which no run can show.

Every scenario calls an entry point with plain values (a leaf, a pointer), so a macro that now expands ``_fn``
twice (``(_fn) | ((_fn) & 0)``), or no longer at all, computes the same in every run: a caller's argument with side
effects (``i++``, a call) has them twice, or never (C11 6.10.3.1: each occurrence of a parameter is replaced by the
argument; gcc evaluates each). Said as undecided (harness.comparison.ARGS), never under "no behaviour change".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from harness.comparison import ARGS
from harness.memo import by_identity
from harness.runner import variant_sources
from models.loader import definitions, reachable
from models.slicer import Kind

if TYPE_CHECKING:
    from harness.matrixresult import MatrixResult

_TOKEN = re.compile(r"##|#|[A-Za-z_]\w*|\d\w*|\S")
# Operands these take are not evaluated (C11 6.5.3.4; gcc's typeof and builtins): a parameter inside them is not
# an evaluation of the argument.
_UNEVALUATED = frozenset({"sizeof", "typeof", "__typeof__", "__typeof", "typeof_unqual", "__typeof_unqual__",
                          "_Alignof", "__alignof__", "alignof", "__same_type", "__builtin_types_compatible_p",
                          "__builtin_constant_p", "__is_constexpr"})
_TIMES = {0: "never", 1: "once", 2: "twice"}


def evaluations(text: str, params: tuple[str, ...]) -> tuple[int, ...]:
    """How many times the body of a function-like macro (``text``: its ``#define NAME(params) body``, lines joined
    by backslash-newline) evaluates each parameter, in ``params`` order (``...`` counted as ``__VA_ARGS__``): its
    occurrences outside ``sizeof``/``typeof``-like operands, ``#`` stringizing and ``##`` pasting."""
    body = text.replace("\\\n", " ").partition(")")[2]
    names = ["__VA_ARGS__" if p == "..." else p.removesuffix("...") or "__VA_ARGS__" for p in params]
    variadic = _variadic(params)
    tokens = _TOKEN.findall(body)
    counts = dict.fromkeys(names, 0)
    skip_to, depth = -1, 0
    for i, t in enumerate(tokens):
        if i <= skip_to:
            continue
        if t in _UNEVALUATED and i + 1 < len(tokens) and tokens[i + 1] == "(":
            depth, j = 0, i + 1
            for j in range(i + 1, len(tokens)):
                depth += {"(": 1, ")": -1}.get(tokens[j], 0)
                if depth == 0:
                    break
            skip_to = j
            continue
        if t in counts and not _pasted(tokens, i, names[-1] if variadic else None):
            counts[t] += 1
    return tuple(counts[n] for n in names)


def _pasted(tokens: list[str], i: int, rest: str | None) -> bool:
    """Whether token ``i`` is stringized or pasted, not evaluated; gcc's ``, ## __VA_ARGS__`` (``rest`` the variable
    arguments' name) pastes nothing: it drops the comma before no variable arguments, else hands them on (gcc's cpp
    manual, "Variadic Macros")."""
    if i + 1 < len(tokens) and tokens[i + 1] == "##":
        return True
    comma = i > 1 and tokens[i - 1] == "##" and tokens[i - 2] == "," and tokens[i] == rest
    return i > 0 and tokens[i - 1] in ("#", "##") and not comma


def _macro_counts(table: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], tuple[int, ...], str]]:
    """Per function-like macro of a definitions table (its first definition): its parameters, evaluations and
    place, worked out once per table (do not change the dict given)."""
    return by_identity("macro evaluations", (table,), (), partial(_read_counts, table))


def _read_counts(table: dict[str, Any]) -> dict[str, tuple[tuple[str, ...], tuple[int, ...], str]]:
    out = {}
    for name, ds in table.items():
        if ds and ds[0].kind is Kind.MACRO and ds[0].params is not None:
            out[name] = (ds[0].params, evaluations(ds[0].text, ds[0].params), ds[0].where)
        elif ds and ds[0].kind is Kind.FUNCTION and (params := function_params(ds[0].text, name)) is not None:
            out[name] = (params, (1,) * len(params), ds[0].where)  # a function evaluates each argument once
    return out


def function_params(text: str, name: str) -> tuple[str, ...] | None:
    """The parameter names of function ``name`` as its definition ``text`` declares them (the last name of each;
    ``(void)`` none; a variadic one's ``...`` last, as a macro's), or None when its parameter list cannot be read
    (a K&R or macro-made one)."""
    m = re.search(rf"\b{re.escape(name)}\s*\(", text.partition("{")[0])
    if m is None:
        return None
    depth, parts, cur = 1, list[str](), list[str]()
    for c in text[m.end():]:
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


def _times(n: int) -> str:
    return _TIMES.get(n, f"{n} times")


def _variadic(params: tuple[str, ...]) -> bool:
    return bool(params) and params[-1].endswith("...")


def count_changes(was: tuple[tuple[str, ...], tuple[int, ...]], now: tuple[tuple[str, ...], tuple[int, ...]]
                  ) -> tuple[tuple[str, int, int], ...]:
    """The arguments a call passes both ``was`` and ``now`` (parameters, evaluations: a macro's or a function's)
    evaluate another number of times: (what, times in was, times in now), an argument past the named ones counted
    as the variable arguments of a variadic side; () when no call fits both (their fixed arities differ)."""
    (pa, ca), (pb, cb) = was, now
    va, vb = _variadic(pa), _variadic(pb)
    fa, fb = len(pa) - va, len(pb) - vb
    if not va and not vb and fa != fb:
        return ()
    out: dict[str, tuple[int, int]] = {}
    for k in range(max(len(pa), len(pb))):
        x = ca[k] if k < fa else ca[-1] if va else None
        y = cb[k] if k < fb else cb[-1] if vb else None
        if x is not None and y is not None and x != y:
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
    changed = {n: o for n, o in pairs.items() if o in tables[0] and count_changes(tables[0][o][:2], tables[1][n][:2])}
    if not changed:
        return ()
    reached = {n for v in sides for e in res.matrix.entries for n in reachable(variant_sources(v), e.name)}
    said = []
    for name in sorted(n for n, o in changed.items() if n in reached or o in reached):
        where = tables[1][name][2]
        called = f"{name}()" if changed[name] == name else f"{name}() (was {changed[name]}())"
        for what, x, y in count_changes(tables[0][changed[name]][:2], tables[1][name][:2]):
            effects = "loses them" if not y else f"has them {_times(y)}"
            said.append(f"{ARGS}: {called} evaluates its {what} {_times(y)} in {b} "
                        f"({where}), {_times(x)} in {a}: a caller's argument with side effects ('i++', a call) "
                        f"{effects}, and every run passes plain values")
    return tuple(said)
