"""What function-like macros do to their parameters: a store, a step or the address taken, read from their text."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from models.lazyre import lazy
from models.slicer import Definition, Kind, strings_blanked

# Its address taken: '&' after what no operand ends with (an operator, '(', ',', 'return', a cast to a pointer or
# an integer type, '(void *)&x', '(phys_addr_t)&x'), never 'a & b' or '&&'; the name may be parenthesized, '&(x)'.
# A type in parentheses is any name (a project's own typedef, '(sc_addr_t)&x'); '(n) & x', a parenthesized operand
# and'ed with the variable, reads the same, and is told apart where the word is known to name a value there
# (harness.valuewords: a number, a variable, function or value macro of the files, a parameter or local in scope);
# any other word is taken for a type and the '&' for an address (a verdict left inconclusive, never a pass resting
# on a store unseen).
_CAST = r"\(\s*(?:(?:const|volatile|struct|union|enum|unsigned|signed)\s+)*\w+(?:\s+\w+)*\s*(?:\*[\s*]*)?\)"
ADDRESS = r"(?:^|[(,=;{{}}!?:\[]|\breturn|(?P<cast>" + _CAST + r"))\s*&[\s(]*{v}\b"

# Stored to, itself or an element or member of it: 'x = n', 'x[i] += n', 'x.n++', '--x'.
STEPPED = r"(?:\+\+|--)\s*{v}\b|\b{v}\s*(?:\[[^\]\n]*\]\s*|\.\s*\w+\s*)*(?:\+\+|--|(?:[-+*/%&|^]|<<|>>)?=(?!=))"


# A parameter's whole-word uses read as one mark, so that a pattern naming a parameter is compiled once, not per name
# (_own_effect); the words STEPPED and ADDRESS spell out, whose spelling they read, are never marked.
_MARK = "__sh_param__"
_PATTERN_WORDS = frozenset({"return", "const", "volatile", "struct", "union", "enum", "unsigned", "signed"})
_WORD = re.compile(r"\w+")
_STEPPED_MARK = lazy(STEPPED.format(v=r"(?<![.>])" + _MARK))
_ADDRESS_MARK = lazy(ADDRESS.format(v=_MARK), re.MULTILINE)
_CALLED = lazy(r"\b(\w+)\s*\(")
_LONE = lazy(r"(\w\s*)?\(\s*(\w+)\s*\)")  # a word alone in parentheses, with the name character before them


# Macro name -> {index of a parameter: True if the body stores to it, False if it takes its address}.
Effects = dict[str, dict[int, bool]]
# Rounds of a macro handing its parameter to another such macro: nesting deeper than this is not followed.
_MACRO_ROUNDS = 4


def macro_effects(table: Mapping[str, Iterable[Definition]]) -> Effects:
    """The function-like macros of the files whose body stores to a parameter or takes its address ('&(v)', a
    cast before it, or the parameter handed on to another such macro, followed _MACRO_ROUNDS deep): a use
    'SC_REGISTER(sc_tries)' hides the '&' the text scan looks for; with the kernel's macros the prelude defines
    (prelude_effects), 'WRITE_ONCE(sc_tries, n)'. Worked out once per sources."""
    bodies = [(d.name, d.params, _body(strings_blanked(d.text[d.text.find(")") + 1:]), d.params or ()))
              for ds in table.values() for d in ds if d.kind is Kind.MACRO and d.params]
    calls = [called_names(body) for _, _, body in bodies]
    kernel = {n: e for n, e in prelude_effects().items() if n not in {b[0] for b in bodies}}
    effects: Effects = {}
    for _ in range(_MACRO_ROUNDS):
        new: Effects = {}
        for (name, params, body), called in zip(bodies, calls, strict=True):
            via = macro_uses(body, {**kernel, **effects}, called)
            got = {i: True if p in via and via[p][0] else _param_effect(body, p, via.get(p))
                   for i, p in enumerate(params or ())}
            for i, e in got.items():  # two of a name (two files', two #if branches'): what either does counts
                if e is not None:
                    new.setdefault(name, {})[i] = e or new.get(name, {}).get(i, False)
        if new == effects:
            break
        effects = new
    return {**kernel, **effects}


# prelude_effects as _read_prelude works it out, kept with the digest of what it is worked out from (_prelude_key).
_KEPT = Path(__file__).with_name("data") / "prelude-effects.json"


@lru_cache(maxsize=1)
def prelude_effects() -> Effects:
    """_param_effect of the kernel's macros the mirror's prelude defines (models.prelude): 'WRITE_ONCE(sc_code, n)'
    stores to sc_code in WRITE_ONCE()'s body (include/asm-generic/rwonce.h), 'swap(a, b)' to both, and what hands a
    parameter to one that does, _MACRO_ROUNDS deep, from the per-CPU writers (models.percpuops.PERCPU_WRITERS,
    primitives): this_cpu_add(sc_code, n), __this_cpu_xchg(sc_code, n). Its own helpers (__sh_*: their parameters
    are the temporaries a macro of it hands them) and DEFINE_*() (a definition, not a store) aside; a file's macro
    of the same name is read instead.

    Read from harness/data/prelude-effects.json where it was written (``python -m harness.macroeffects``) for the
    very key _prelude_key gives (the prelude's macros as read, the per-CPU writers, this module's text, Python's
    version): reading the prelude's ~900 macros cost every process some 180 M instructions (callgrind), for the
    same answer each time. Worked out (_read_prelude) for any other key: never a stale answer."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        kept = json.loads(_KEPT.read_text(encoding="utf-8"))
        if kept["key"] == _prelude_key():
            return {n: {int(i): bool(w) for i, w in e.items()} for n, e in kept["effects"].items()}
    return _read_prelude()


def _prelude_key() -> str:
    """sha256 of what _read_prelude reads: the prelude's macros it reads as they read (_prelude_macros), the per-CPU
    writers, this module's text and Python's version (its re engine). Another macro of the prelude (an object-like
    one, a helper of its own) leaves it as it was."""
    from models.percpuops import PERCPU_WRITERS

    read = [list(m) for m in _prelude_macros()]
    h = hashlib.sha256(json.dumps([list(sys.version_info[:2]), read, list(PERCPU_WRITERS)]).encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def _prelude_macros() -> list[tuple[str, str, str]]:
    """(name, parameters, text with strings blanked) of each function-like macro of the prelude, in its order, but
    its own helpers (__sh_*) and DEFINE_*()."""
    from models.prelude import macro_lines

    return [(n, p, strings_blanked(t)) for n, p, t in macro_lines()
            if p.startswith("(") and not n.startswith(("__sh_", "DEFINE_"))]


def _read_prelude() -> Effects:
    from models.percpuops import PERCPU_WRITERS

    bodies = {}
    for name, params, text in _prelude_macros():
        names = tuple(p.strip() for p in params[1:-1].split(","))
        bodies[name] = (names, _body(text, names))
    calls = {name: called_names(body) for name, (_, body) in bodies.items()}
    effects: Effects = {w: {0: True} for w in PERCPU_WRITERS}
    for _ in range(_MACRO_ROUNDS):
        new = dict(effects)
        for name, (names, body) in bodies.items():
            via = macro_uses(body, effects, calls[name])
            got = {i: True if p in via and via[p][0] else _param_effect(body, p, via.get(p))
                   for i, p in enumerate(names) if p.isidentifier()}
            if kept := {i: e for i, e in got.items() if e is not None}:
                new[name] = kept
        if new == effects:
            break
        effects = new
    # A macro yielding the variable as an lvalue ('per_cpu(v, cpu)', 'get_cpu_var(v)': '&' in its body) is read
    # there, not stored to: a store through it is an assignment after the call (harness.outsidewrites, _LVALUE_STORE).
    return {n: kept for n, e in effects.items() if (kept := {i: bool(w) for i, w in e.items() if w})}


def _body(text: str, params: Iterable[str]) -> str:
    """A macro's replacement text, a parameter's own parentheses dropped ('&(v)', '(v) = (n)' read as '&v', 'v = n').
    Not a call's parentheses, 'SC_KNOB(v)': the name before them kept with them. Parameter by parameter, in order."""
    body = text.replace("\\\n", " \n")
    for p in params:
        if p not in body:
            continue  # nothing to drop: each pattern below names it
        if _WORD.fullmatch(p):
            body = _unwrapped(body, p)
        else:
            body = re.sub(rf"(\w\s*)?\(\s*({re.escape(p)})\s*\)", lambda m: m.group() if m.group(1) else m.group(2),
                          body)
    return body


def _unwrapped(body: str, word: str) -> str:
    """``body`` with each '(word)' not after a name read as 'word': what the pattern with the word in it replaces
    (_body's other branch), from one pattern of any word. Words alone in parentheses never overlap, so the other words'
    matches, left as they are, hide none of ``word``'s."""
    return _LONE().sub(lambda m: m.group(2) if m.group(2) == word and not m.group(1) else m.group(), body)


def _param_effect(body: str, param: str, via: tuple[bool, int] | None) -> bool | None:
    own = _own_effect(body, param)
    return own if own is not None else (False if via is not None else None)


@lru_cache(maxsize=4096)
def _own_effect(body: str, param: str) -> bool | None:
    """What a macro's ``body`` itself does to ``param``: True a store or a step, False its address taken, None
    neither. Kept per (body, parameter): _MACRO_ROUNDS asks again each round. A parameter that is a plain word is
    looked for as _MARK in the body with its whole-word uses marked (the patterns match it only as a whole word, and
    no other part of them reads its spelling): two patterns compiled once, not two per name (some 180 per eval, most
    of the cost of reading the prelude's ~900 macros with an empty cache)."""
    if param not in body or not ("=" in body or "&" in body or "++" in body or "--" in body):
        return None  # no pattern below can match: a store needs '=' or a step, an address '&'
    if param.isascii() and param.isidentifier() and param not in _PATTERN_WORDS and _MARK not in body:
        marked = _WORD.sub(lambda m: _MARK if m.group() == param else m.group(), body)
        if _STEPPED_MARK().search(marked):
            return True
        return False if _ADDRESS_MARK().search(marked) else None
    v = r"(?<![.>])" + re.escape(param)  # never a member of that name ('.n = 1', 'p->n = 1')
    if re.search(STEPPED.format(v=v), body):
        return True
    return False if re.search(ADDRESS.format(v=re.escape(param)), body, re.MULTILINE) else None


def macro_uses(text: str, effects: Effects, calls: Calls | None = None) -> dict[str, tuple[bool, int]]:
    """Each name ``text`` hands to a parameter a macro of ``effects`` stores to (True) or takes the address of
    (False), with where the name is: 'SC_SET(sc_tries, n)', 'SC_KNOB(sc_limits[1])'. One pass per text, not per
    variable; ``calls``: called_names(text), when the text is asked again with other effects."""
    found: dict[str, tuple[bool, int]] = {}
    for name, end in called_names(text) if calls is None else calls:
        which = effects.get(name)
        if which is None:
            continue
        args, start = arguments(text, end)
        for i, (arg, at) in enumerate(zip(args, start, strict=True)):
            a = re.fullmatch(r"[\s(]*(\w+)\s*(?:\[[^\]]*\]\s*|\.\s*\w+\s*)*\)*\s*", arg)
            if i in which and a is not None and not (a.group(1) in found and found[a.group(1)][0]):
                found[a.group(1)] = (which[i], at + a.start(1))
    return found


# Each word of a text before '(' (a call or a macro's use), with where its '(' ends.
Calls = tuple[tuple[str, int], ...]


def called_names(text: str) -> Calls:
    """The words of ``text`` before '(', each with where its '(' ends, in order."""
    return tuple((m.group(1), m.end()) for m in _CALLED().finditer(text))


def arguments(text: str, begin: int) -> tuple[list[str], list[int]]:
    """The top-level arguments of a call whose '(' ends at ``begin``, and where in ``text`` each starts."""
    args: list[str] = []
    starts: list[int] = []
    depth, last = 0, begin
    for i in range(begin, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        elif ch in ",)" and not depth:
            args.append(text[last:i])
            starts.append(last)
            last = i + 1
            if ch == ")":
                break
    return args, starts


def write_kept() -> Path:
    """Write prelude_effects as worked out now, under its key, to harness/data/prelude-effects.json; the file."""
    effects = {n: {str(i): w for i, w in e.items()} for n, e in _read_prelude().items()}
    data = {"key": _prelude_key(), "effects": effects}
    _KEPT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    return _KEPT


def main() -> None:
    """``python -m harness.macroeffects``: the file of the prelude's macro effects, written anew."""
    from harness import macroeffects  # this file run as __main__ is another module than the one the harness loads

    print(f"{macroeffects.write_kept()}: {len(macroeffects.prelude_effects())} macros")


if __name__ == "__main__":
    main()
