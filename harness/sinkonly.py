"""Variables the code reached only stores to: a counter whose value nothing reads cannot steer a retry loop."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from models.slicer import Definition, Kind, strings_blanked

# The kernel's per-CPU operations that store and give back nothing (include/linux/percpu-defs.h: each a statement,
# `do { ... } while (0)`), and WRITE_ONCE(): the variable in their first argument is stored to, its value unread.
_STORE_OPS = (*(f"{p}_{op}" for p in ("this_cpu", "__this_cpu", "raw_cpu")
                 for op in ("inc", "dec", "add", "sub", "and", "or", "write")), "WRITE_ONCE")
_STORE_CALL = r"(?<![\w$])(?:{ops})\s*\(\s*(?P<v>{v})\s*[,)]"
# A statement of its own that steps or assigns the variable: its value goes nowhere but back into it.
_STEPS = (r"(?:\+\+|--)\s*(?P<v>{v})\s*;", r"(?P<v>{v})\s*(?:\+\+|--)\s*;", r"(?P<v>{v})\s*(?:<<|>>|[-+*/%&|^])=(?!=)")
# An assignment anywhere: its value is the one stored, nothing of the earlier one.
_ASSIGN = r"(?P<v>{v})\s*=(?!=)"
_STATEMENT_AFTER = re.compile(r"(?:[;{}]|(?<![\w$])(?:else|do))\s*\Z")
_HEADED = re.compile(r"(?<![\w$])(?:if|while|for)\s*\Z")


def sunk_only(names: Iterable[str], reached: Iterable[Definition], table: Mapping[str, list[Definition]]
              ) -> frozenset[str]:
    """Those of ``names`` whose every mention in the ``reached`` functions stores to it and reads nothing of it:
    a per-CPU op, a step or an assignment as a statement of its own (`this_cpu_inc(sc_busy_count);`,
    `if (busy) nr_busy++;`). Not one a reached function uses without mentioning it (through a macro), nor one a
    macro or another definition of the files mentions (an initializer taking its address), nor one with any other
    mention (`&x`, `y = x++;`, `this_cpu_read(x)`, a local of that name)."""
    funcs = [d for d in reached if d.kind is Kind.FUNCTION]
    # A macro, or another variable's initializer ('static u64 *busy = &nr_busy;' read as '*busy' by the loop).
    others = [d for ds in table.values() for d in ds if d.kind is not Kind.FUNCTION]
    if any(op in table for op in _STORE_OPS):
        return frozenset()  # the files' own per-CPU op or WRITE_ONCE: what it does is theirs
    out = set()
    for name in names:
        word = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])")
        if any(d.name != name and word.search(d.text) for d in others):
            continue
        users = [d for d in funcs if d.uses(name)]
        if users and all(_stores_only(strings_blanked(d.text), name, word) for d in users):
            out.add(name)
    return frozenset(out)


def _stores_only(text: str, name: str, word: re.Pattern[str]) -> bool:
    """Whether each mention of ``name`` in ``text`` is a store that reads nothing of it (at least one mention)."""
    v = re.escape(name)
    stores = {m.start("v") for m in re.finditer(_STORE_CALL.format(ops="|".join(_STORE_OPS), v=v), text)}
    stores |= {m.start("v") for m in re.finditer(_ASSIGN.format(v=v), text)}
    stores |= {m.start("v") for how in _STEPS for m in re.finditer(how.format(v=v), text)
               if _statement_at(text, m.start())}
    mentions = [m.start() for m in word.finditer(text)]
    return bool(mentions) and all(at in stores for at in mentions)


def _statement_at(text: str, at: int) -> bool:
    """Whether a statement starts at ``at``: after `;`, `{`, `}`, `else`, `do`, or the `)` closing an `if`,
    `while` or `for` head (not a cast's: `y = (int)x++;` reads x), outside parentheses (a `for` head's test
    `for (; x++; )`, a statement expression's value `({ x++; })` read it)."""
    before = text[:at].rstrip()
    if before.count("(") != before.count(")"):
        return False
    if _STATEMENT_AFTER.search(before):
        return True
    if not before.endswith(")"):
        return False
    depth = 0
    for i in range(len(before) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(before[i], 0)
        if depth == 0:
            return _HEADED.search(before[:i]) is not None
    return False
