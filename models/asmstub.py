"""GNU inline asm as the mirror reads it: a statement becomes a call of __sh_asm() (the run stops there)."""

from __future__ import annotations

import re

from models.lazyre import lazy

# An asm statement: the keyword in any of gcc's spellings, its qualifiers, and the kernel's own macros for two of
# them (include/linux/compiler_types.h asm_inline, asm_volatile_goto before v6.8).
_ASM = re.compile(r"\b(?:asm|__asm__|__asm|asm_inline|asm_volatile_goto)\b"
                  r"(?:\s+(?:volatile|__volatile__|goto|inline|__inline|__inline__))*\s*\(")
_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
# What may stand before an asm label (int f(void) asm("g"); register long sp asm("rsp");): a declarator's name, or
# the ')' or ']' closing it; before a statement: ';', '{', '}', a label's ':', ')' of if/while/for, else, do.
_BEFORE_LABEL = lazy(r"(?:[A-Za-z_]\w*|[)\]])$")
_STATEMENT_WORDS = frozenset({"else", "do", "return"})
_CONTROL = lazy(r"\b(?:if|while|for|switch)\s*$")
# The marker an asm label is replaced by: pycparser stops at it, and models.cload names it (ASM_LABEL_REASON).
ASM_LABEL = "__sh_asm_label"
ASM_LABEL_REASON = ("an asm label (asm(\"...\") after a declarator: a register variable bound to a register, or a "
                    "symbol's own name) is not modelled")


def stub_asm(text: str) -> str:
    """Inline asm becomes a call of the __sh_asm() primitive, which stops a run where it stands, naming the
    template's first instruction; an empty template without outputs (a compiler barrier, ``asm volatile("" :::
    "memory")``) does nothing at run time and becomes ``((void)0)``; an asm label becomes ASM_LABEL.

    pycparser cannot read GNU asm (asm goto, operand lists): without this one asm statement would make
    the whole function unavailable. Line breaks are kept so that later lines keep their numbers.
    """
    if "asm" not in text:  # most definitions, and a substring test is far cheaper than the pattern's search
        return text
    out, pos = [], 0
    while (m := _ASM.search(text, pos)) is not None:
        end = _closing(text, m.end())
        inner = text[m.end() : end - 1]
        stub = ASM_LABEL if _is_label(text, m.start(), m.group(0)) else _statement(inner)
        out.append(text[pos : m.start()] + stub + "\n" * text.count("\n", m.start(), end))
        pos = end
    return "".join(out) + text[pos:]


def _closing(text: str, i: int) -> int:
    """The index past the ')' that closes the '(' before ``i`` (string and character literals skipped)."""
    depth = 1
    while i < len(text) and depth:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < len(text) and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j
        else:
            depth += {"(": 1, ")": -1}.get(c, 0)
        i += 1
    return i


def _is_label(text: str, start: int, keyword: str) -> bool:
    """Whether the asm at ``start`` (``keyword`` its text up to the '(') names a declarator rather than being a
    statement: no qualifier, after a name that is no statement word or after a ')' that closes no condition."""
    if re.findall(r"\w+", keyword) not in (["asm"], ["__asm__"], ["__asm"]):
        return False
    before = text[max(0, start - 200) : start].rstrip()
    m = _BEFORE_LABEL().search(before)
    if m is None or m.group(0) in _STATEMENT_WORDS:
        return False
    if m.group(0) == ")":  # a declarator's parameter list, or an if/while/for/switch condition
        return _CONTROL().search(before[: _opening(before, len(before) - 1)]) is None
    return True


def _opening(text: str, close: int) -> int:
    """The index of the '(' that the ')' at ``close`` closes (0 when not found)."""
    depth = 0
    for i in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return 0


def _statement(inner: str) -> str:
    """The stub of an asm statement whose parenthesized part is ``inner``."""
    templates, i = [], 0
    while (lit := _LITERAL.match(inner, i + len(inner[i:]) - len(inner[i:].lstrip()))) is not None:
        templates.append(lit.group(0)[1:-1])
        i = lit.end()
    rest = inner[i:].lstrip()
    if templates and not "".join(templates) and (not rest or rest.startswith(":")):
        outputs = rest[1:].split(":", 1)[0] if rest else ""
        if not outputs.strip():
            return "((void)0)"
    words = re.sub(r"\\[nt]|\d+:|;", " ", "".join(templates)).split()
    mnemonic = re.sub(r"[^\w.]", "", words[0]) if words else ""
    return f'__sh_asm("{mnemonic}")'
