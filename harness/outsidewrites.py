"""File-scope variables code no run executes may set: module parameters, and stores in functions no entry reaches."""

from __future__ import annotations

import re
from collections.abc import Iterable

from harness.memo import by_identity
from harness.retrybound import module_parameters
from models.loader import Source, definitions
from models.slicer import Kind, strings_blanked


def outside_writes(sources: tuple[Source, ...], reached: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``(name, why)`` of each file-scope variable of ``sources`` that something besides the functions ``reached``
    (those the runs execute) may store to: a module parameter (its value given at load time or through sysfs), a
    function outside them that assigns it, steps it or hands its address on (a ``__setup()`` handler, a debugfs
    file made with ``&sc_tries``, a setter nothing compared calls), or a file-scope initializer taking its address
    (a sysctl table's ``.data``). Read from the text, as the preprocessor leaves names (comments blanked). Worked
    out once per sources and functions reached: each comparison, equivalence rule and behaviour bound asks again for
    the same variant (the corpus' eval: 76 calls, 39 distinct)."""
    done = frozenset(reached)
    return by_identity("outsidewrites", (sources,), (done,), lambda: _outside_writes(sources, done))


def _outside_writes(sources: tuple[Source, ...], done: frozenset[str]) -> tuple[tuple[str, str], ...]:
    table = definitions(sources)
    variables = {n for n, ds in table.items() if any(d.kind is Kind.VARIABLE for d in ds)}
    found = {n: f"a module parameter sets it ({at}), at load time or through sysfs"
             for n, at in module_parameters(sources).items() if n in variables}
    for name, ds in sorted(table.items()):
        for d in ds:
            text = strings_blanked(d.text)
            left = sorted(v for v in variables - found.keys() - {name} if v in text)
            if d.kind is Kind.FUNCTION and name not in done:
                found |= {v: f"{name}() ({d.where}), which no run executes, stores to it" for v in left
                          if _stores(text, v)}
            elif d.kind is Kind.VARIABLE:
                found |= {v: f"{name} ({d.where}) holds its address" for v in left
                          if re.search(_ADDRESS.format(v=re.escape(v)), text)}
    return tuple(sorted(found.items()))


# Its address taken: '&' after what no operand ends with (an operator, '(', ',', 'return'), never 'a & b' or '&&'.
_ADDRESS = r"(?:^|[(,=;{{}}!?:\[]|\breturn)\s*&\s*{v}\b"
_STEPPED = r"(?:\+\+|--)\s*{v}\b|\b{v}\s*(?:\+\+|--|(?:[-+*/%&|^]|<<|>>)?=(?!=))"
# A local or parameter of the same name: the function's own variable, which the runs' code does not read.
_OWN = r"\b(?:int|long|bool|char|short|unsigned|signed|[us](?:8|16|32|64))\b[^;(){{}}]*\b{v}\s*[=;,)\[]"


def _stores(text: str, var: str) -> bool:
    """Whether a function's text assigns ``var``, steps it or takes its address (not one of its own name)."""
    v = re.escape(var)
    if re.search(_OWN.format(v=v), text):
        return False
    return bool(re.search(_ADDRESS.format(v=v), text, re.MULTILINE) or re.search(_STEPPED.format(v=v), text))
