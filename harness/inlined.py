"""A helper a patch inlines into its callers, and definitions a patch edits where they stand: what moved, and where."""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from harness.linediff import changed_regions
from harness.renamescore import THRESHOLD, TOKEN
from harness.runner import variant_sources
from harness.variants import Variant
from models.loader import definitions
from models.record import record
from models.slicer import Definition, Kind

_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
# A string literal is one token: a parameter's name inside a format string is no use of it.
_TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|' + TOKEN.pattern)


def token_list(text: str) -> list[str]:
    return _TOKEN.findall(text)


@record
class Inline:
    """A static or plain function one side defines that the other lacks, its body put in place of its calls: each
    caller with how much of the body is the same as the code the caller gained (per cent, the moved code alone)."""

    helper: str
    path: str
    into: tuple[tuple[str, int], ...]
    paths: tuple[str, ...]

    def said(self) -> str:
        """``inlines h into f, g (its body 95%, 90% the same as the code each gains in its place) (x.c)``."""
        who = ", ".join(c for c, _ in self.into)
        shares = ", ".join(f"{p}%" for _, p in self.into)
        each = "the code it gains" if len(self.into) == 1 else "the code each gains"
        places = sorted({self.path if p == self.path else f"{self.path} -> {p}" for p in self.paths})
        return f"inlines {self.helper} into {who} (its body {shares} the same as {each} in its place) " \
            f"({'; '.join(places)})"


def _functions(v: Variant) -> dict[str, Definition]:
    """Each function ``v`` defines, its first definition."""
    out: dict[str, Definition] = {}
    for name, ds in definitions(variant_sources(v)).items():
        d = next((x for x in ds if x.kind is Kind.FUNCTION), None)
        if d is not None:
            out[name] = d
    return out


def _in_every_lcs(a: list[str], b: list[str]) -> set[str]:
    """The names every longest common subsequence of ``a`` and ``b`` holds: those whose order among the others did
    not change (a name left out of some LCS may be the one that moved, as git diff --color-moved sees a block)."""
    def lcs(x: list[str], y: list[str]) -> int:
        row = [0] * (len(y) + 1)
        for t in x:
            prev = 0
            for j, u in enumerate(y):
                cur = row[j + 1]
                row[j + 1] = prev + 1 if t == u else max(row[j + 1], row[j])
                prev = cur
        return row[-1]
    full = lcs(a, b)
    return {n for n in a if lcs([x for x in a if x != n], [y for y in b if y != n]) < full}


def stayed(moved: dict[str, tuple[str, str]], states: tuple[Variant, Variant]) -> set[str]:
    """Of the definitions ``moved`` says a patch moved within one file, those whose place among the functions both
    sides define there is the same: the patch rewrote them where they stood (a helper inlined into them, git's hunks
    pairing their first lines with another's), moving nothing."""
    same = {n for n, (a, b) in moved.items() if a == b}
    if not same:
        return set()
    funcs = [_functions(v) for v in states]
    out: set[str] = set()
    for path in {moved[n][0] for n in same}:
        order = [[n for n, d in sorted(f.items(), key=lambda x: x[1].line) if d.path == path
                  and n in funcs[1 - i] and funcs[1 - i][n].path == path] for i, f in enumerate(funcs)]
        kept = _in_every_lcs(order[0], order[1])
        out |= {n for n in same if moved[n][0] == path and n in kept}
    return out


def _args(tokens: list[str], at: int) -> list[list[str]]:
    """The arguments of the call whose name is ``tokens[at]``, each as its tokens."""
    out: list[list[str]] = [[]]
    depth = 0
    for t in tokens[at + 2:]:
        if t in _OPEN:
            depth += 1
        elif t in _CLOSE:
            if depth == 0:
                break
            depth -= 1
        elif t == "," and depth == 0:
            out.append([])
            continue
        out[-1].append(t)
    return [a for a in out if a]


def _call(tokens: list[str], name: str) -> int | None:
    return next((i for i in range(len(tokens) - 1) if tokens[i] == name and tokens[i + 1] == "("), None)


def _body(helper: Definition, args: list[list[str]]) -> list[str]:
    """The helper's body within its outer braces, each parameter put as the argument a caller passed it."""
    tokens = token_list(helper.text)
    at = _call(tokens, helper.name)
    if at is None or "{" not in tokens:
        return []
    params = [p[-1] for p in _args(tokens, at) if p != ["void"]]
    given = dict(zip(params, args, strict=False)) if len(params) == len(args) else {}
    start = tokens.index("{")
    body = tokens[start + 1:len(tokens) - 1 if tokens[-1] == "}" else len(tokens)]
    return [x for t in body for x in given.get(t, [t])]


def _gained(old: list[str], new: list[str], at: int | None) -> list[str]:
    """The tokens a caller's new text adds to its old one without the statement that made the call (that statement
    is what the inlined body replaces: its words are no code the caller kept)."""
    if at is not None:
        start = max((i for i in range(at) if old[i] in {";", "{", "}"}), default=-1) + 1
        end = next((i for i in range(at, len(old)) if old[i] == ";"), len(old) - 1)
        old = old[:start] + old[end + 1:]
    return [t for _, _, j1, j2 in changed_regions(old, new) for t in new[j1:j2]]


_NOT_CALLS = frozenset({"if", "while", "for", "switch", "return", "sizeof", "do"})


def _called(tokens: list[str]) -> set[str]:
    return {t for t, u in pairwise(tokens) if u == "(" and (t[0].isalpha() or t[0] == "_")
            and t not in _NOT_CALLS}


def _calls_come(helper: Definition, after: Definition) -> bool:
    """Whether each function the helper's body calls is called in the caller's new text: a helper's body put in
    place of its call brings its calls with it. A one-line wrapper whose call was replaced by another helper's (two
    helpers merged into that one) looks like its body, the arguments alike, but brings no call of its own."""
    body = token_list(helper.text)
    start = body.index("{") if "{" in body else len(body)
    return _called(body[start:]) <= _called(token_list(after.text))


def _share(body: list[str], gained: list[str]) -> int:
    if not body or not gained:
        return 0
    matched = len(body) - sum(i2 - i1 for i1, i2, _, _ in changed_regions(body, gained))
    return 100 * matched // max(len(body), len(gained))


def inlines(states: tuple[Variant, Variant], skip: Iterable[str]) -> tuple[Inline, ...]:
    """The functions the first state defines and the second lacks (but ``skip``: renamed or moved ones) whose
    callers all stay and call them no more, with how much of the body each caller gained in its place (the tokens
    it adds, harness.linediff) at least THRESHOLD per cent (git diff -M's); a helper dropped and its callers
    rewritten otherwise is no inline."""
    before, after = (_functions(v) for v in states)
    defined = definitions(variant_sources(states[1]))
    skipped = set(skip)
    gone = sorted(n for n in before if n not in after and n not in defined and n not in skipped)
    if not gone:
        return ()
    calls = {n: _called(token_list(d.text)) for n, d in before.items()}  # read once: many functions, few gone
    out: list[Inline] = []
    for name in gone:
        helper = before[name]
        callers = {n: d for n, d in before.items() if n != name and name in calls[n]}
        if not callers or any(n not in after or _call(token_list(after[n].text), name) is not None for n in callers):
            continue
        into: list[tuple[str, int]] = []
        for n, d in sorted(callers.items()):
            old, new = token_list(d.text), token_list(after[n].text)
            at = _call(old, name)
            args = _args(old, at) if at is not None else []
            into.append((n, _share(_body(helper, args), _gained(old, new, at))))
        if into and all(p >= THRESHOLD for _, p in into) and all(_calls_come(helper, after[n]) for n, _ in into):
            out.append(Inline(name, helper.path, tuple(into), tuple(after[n].path for n in callers)))
    return tuple(out)
