"""A bound on the SEAMCALLs that the runs met only because each script stopped answering what the code retries on."""

# The matrix's scripts answer a code K times and then another ("no entropy" x1, x9, x10, x11, then success). Code
# that goes round every one of the K answers and stops at the next, in every run of that code, never showed where it
# gives up on its own: a loop of 13 tries made at most 12 SEAMCALLs in every run, and `calls_at_most = 12` passed
# (gcc, natively: 13 SEAMCALLs when the answers go on). A run that stops while still answered that code shows it.

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from harness.matrix import Scenario
from harness.sinkonly import sunk_only
from models.facts import CodeFacts
from models.loader import Source
from models.outcome import Outcome, OutcomeStatus
from models.slicer import Definition, Kind

# (entry point, leaf, unit, the code answered): per key, the most SEAMCALLs a run made going round every such answer,
# and whether some run stopped while still answered it (the code's own bound shown).
_Key = tuple[str, int, str, int]


def unshown_bounds(outs: Iterable[tuple[Scenario, Outcome]], bound: int) -> list[str]:
    """Where the runs of ``outs`` never show that the code stops within ``bound`` SEAMCALLs on the code a script
    answers again and again: said per entry point, leaf and code, for a rule's note (empty: shown, or no script
    answers a code more than once in a row before another). Runs past the record cap are not read."""
    through: dict[_Key, tuple[int, str, str]] = {}  # the most SEAMCALLs, the leaf's and the script's names
    stopped: set[_Key] = set()
    for s, o in outs:
        codes = [a.code for a in s.script.answers]
        # A run the C stopped (a deadlock, undefined behaviour) did not give up: only one that completed shows a bound.
        if o.status is not OutcomeStatus.OK or o.unrecorded_calls or not codes or not codes[0]:
            continue  # a script opening with success: a second SEAMCALL after it is no retry of an answer
        first = codes[0]
        k = next((i for i, c in enumerate(codes) if c != first), None)
        key = (s.entry.name, s.leaf, s.unit.name, first)
        answered = [c.returned for c in o.calls]
        if k is None or (answered and len(answered) <= k and answered[-1] == first):
            stopped.add(key)  # answered that code to the end (the last answer repeats), or gave up while answered it
        elif len(answered) == k + 1 and answered[:k] == codes[:k] and k + 1 > through.get(key, (0, "", ""))[0]:
            through[key] = (k + 1, s.leaf_name, s.script.name)
    unshown: dict[tuple[str, int, int, str], list[str]] = {}  # entry, code, SEAMCALLs, script: the leaves
    for key, (n, leaf, script) in sorted(through.items()):
        if key not in stopped and n <= bound:
            unshown.setdefault((key[0], key[3], n, script), []).append(leaf)
    return [f"{entry} (leaf {', '.join(dict.fromkeys(leaves))}) went round all {n - 1} answers {code:#x} of script "
            f"{script} and stopped at the next: no run stops while still answered {code:#x}, so that it gives up "
            f"within {bound} SEAMCALLs on more such answers is not shown (no selected script answers it more than "
            f"{n - 1} times in a row)"
            for (entry, code, n, script), leaves in unshown.items()]


# include/linux/moduleparam.h: the variable each form sets, by its argument's place (module_param(name, type, perm),
# module_param_named(name, value, type, perm), module_param_cb(name, ops, arg, perm), core_param(name, var, ...)).
_PARAM = re.compile(r"\b(module_param(?:_unsafe)?|module_param_named(?:_unsafe)?|module_param_cb|core_param"
                    r"(?:_unsafe)?)\s*\(([^;]*?)\)\s*;")
_PLACE = {"module_param": 0, "module_param_unsafe": 0, "module_param_named": 1, "module_param_named_unsafe": 1,
          "module_param_cb": 2, "core_param": 1, "core_param_unsafe": 1}


def module_parameters(sources: Iterable[Source]) -> dict[str, str]:
    """The variables module parameters set, name -> the file:line of the module_param() (a value given at load
    time, or written through sysfs where its mode lets it)."""
    found: dict[str, str] = {}
    for src in sources:
        for first, lines in src.pieces:
            for name, at in _piece_parameters(src.path, first, lines):
                found.setdefault(name, at)
    return found


@lru_cache(maxsize=1024)
def _piece_parameters(path: str, first: int, lines: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """module_parameters of one piece of a file, in its order: kept by content, as each variant's sources hold most
    pieces again (outside_writes and the behaviour checks ask 58 times in the corpus' eval)."""
    found = []
    text = "\n".join(lines)
    for m in _PARAM.finditer(text):
        args = [a.strip().lstrip("&").strip() for a in m.group(2).split(",")]
        at = _PLACE[m.group(1)]
        if len(args) > at and re.fullmatch(r"[A-Za-z_]\w*", args[at]):
            found.append((args[at], f"{path}:{first + text.count(chr(10), 0, m.start())}"))
    return tuple(found)


def parameter_counts(facts: CodeFacts, params: dict[str, str], entries: Iterable[str],
                     table: Mapping[str, list[Definition]] | None = None) -> list[str]:
    """The functions with a retry loop (CodeFacts.retry_roles) that ``entries`` reach which read a variable of
    ``params`` (name -> what sets it from outside the runs: a module parameter, a handler no entry point reaches;
    behaviour.py), themselves or through what they call: the runs take it at its initial
    value, and another makes the loop go round otherwise (a count of tries 'int left = sc_tries;'). A macro entry
    point's own loop (its expansion, keyed by the entry) reads what its macros do (the definitions ``table``, through
    the macros each expands to) and what the functions it reaches read."""
    loops = dict.fromkeys(f for e in sorted(entries) for f in facts.entry_reach.get(e, ()) if f in facts.retry_roles)
    if table:  # a counter the code reached only stores to ('this_cpu_inc(nr_busy);') steers no loop, whatever it holds
        reached = {f for e in entries for f in facts.entry_reach.get(e, ())}
        reached |= {g for f in loops for g in facts.reach(f)}
        sunk = sunk_only(params, [d for f in sorted(reached) for d in table.get(f, [])], table)
        params = {k: v for k, v in params.items() if k not in sunk}
    said = []
    for fn in loops:
        read = sorted({p for g in facts.reach(fn) for p in facts.names.get(g, frozenset()) if p in params})
        said += [_said(fn, facts.where.get(fn, "?"), p, params[p]) for p in read]
    for e in sorted(entries) if table else ():
        role = facts.retry_roles.get(e)
        if role is None or e in facts.calls or e in loops:
            continue  # no loop of its own, or a function's (above)
        names = _macro_reads(e, table or {}) | {n for g in facts.entry_reach.get(e, ()) for n in facts.names.get(g, ())}
        said += [_said(e, role.where or "?", p, params[p]) for p in sorted(names & params.keys())]
    return said


_KEY = "__sh_sc_"  # models.headermacros: DEFINE_STATIC_CALL(name, func) makes the key __sh_sc_##name


def _said(fn: str, where: str, param: str, what: str) -> str:
    shown = f"static call {param.removeprefix(_KEY)}" if param.startswith(_KEY) else param
    return (f"{fn}() ({where}) reads {shown}, {what}: the runs take it at its initial value, and another, set from "
            "outside them, may make the retry loop go round otherwise")


def _macro_reads(name: str, table: Mapping[str, list[Definition]]) -> set[str]:
    """The names macro ``name``'s body uses, and those of the macros it expands to, in turn (not their parameters)."""
    out: set[str] = set()
    todo, seen = [name], set()
    while todo:
        n = todo.pop()
        macro = next((d for d in table.get(n, []) if d.kind is Kind.MACRO), None) if n not in seen else None
        seen.add(n)
        if macro is not None:
            used = macro.identifiers() - {n} - set(macro.params or ())
            out |= used
            todo.extend(sorted(used - seen))
    return out
