"""What an asm statement may store to: its output operands and the symbols its template names (gcc's Extended Asm)."""

from __future__ import annotations

import re

from models.lazyre import lazy

# An output operand of an extended asm statement (a constraint string starting '=' or '+', then the lvalue in
# parentheses): the asm stores to it, though no '=' or '&' is beside its name in C.
_OUTPUT = re.compile(r'("[=+][^"\n]*")\s*\(\s*(\w+)\b')
# An asm statement's head (asm, __asm__, __asm; its qualifiers), up to the '(' of its operands.
_HEAD = lazy(r"\b(?:asm|__asm__|__asm)\b(?:\s+|volatile\b|__volatile__\b|inline\b|goto\b)*\(")
# A symbol of an assembler template, its address as an immediate too ('$sc_x'): not a register (%%rax, %rax), nor an
# operand's name (%[x], %l[label]).
_SYMBOL = lazy(r"(?<![\w%\[])[A-Za-z_]\w*")
_STRING = lazy(r'"(?:[^"\\\n]|\\.)*"?')  # to its end, or the line's


def asm_stores(text: str) -> list[tuple[str, int, str]]:
    """(name, where in ``text``, how) of each variable an asm statement of ``text`` (C as written, its strings
    kept) may store to: an output operand ('"=m" (sc_busy_code)'), or a symbol a string of the statement names
    ('movq %0, sc_busy_code(%%rip)': the assembler stores to it by its name, which no operand shows; every word
    of its strings is taken for one: 'memory', 'movq', the constraints' letters, named no variable)."""
    found = [(m.group(2), m.start(2), f"an asm output, {m.group(1)} ({m.group(2)})") for m in _OUTPUT.finditer(text)]
    for head in _HEAD().finditer(text) if "asm" in text else ():
        for start, string in _strings(text, head.end()):
            found += [(w.group(), start + w.start(), f"an asm statement's text names it ({string})")
                      for w in _SYMBOL().finditer(string)]
    return found


def _strings(text: str, begin: int) -> list[tuple[int, str]]:
    """(where, text) of each string literal from ``begin`` to the ')' closing the '(' before it (a ')' in a string
    is the string's)."""
    out: list[tuple[int, str]] = []
    depth, i = 1, begin
    while i < len(text) and depth:
        ch = text[i]
        if ch == '"':
            m = _STRING().match(text, i)
            assert m is not None  # a '"' always matches
            out.append((i, m.group()))
            i = m.end()
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
    return out
