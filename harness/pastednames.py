"""Names a macro of the files pastes from its invocations' arguments ('SC_KNOB_##x'), in a body or at file scope."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from models.lazyre import lazy
from models.wordfind import BOUNDARY, CALL_AFTER, name_spans

# A chain of tokens '##' joins (C11 6.10.3.3): 'SC_KNOB_##x', 'sc_##which##_code'.
_CHAIN = lazy(r"\w+(?:[ \t]*##[ \t]*\w+)+")
_WORD = re.compile(r"\w*")


def pasted_names(text: str, templates: Mapping[str, tuple[tuple[str, ...], str]], calls: Iterable[tuple[int, str]]
                 ) -> list[tuple[int, str, str, str]]:
    """(line offset in ``text``, macro, name, the macro's replacement list with the arguments in place) of each name
    an invocation of a macro of ``templates`` ({macro: (its parameters, its replacement list)}) at (line offset,
    macro) of ``calls`` pastes from its arguments: 'SC_P(STORE_X)' with 'SC_KNOB_##x' makes SC_KNOB_STORE_X (an
    operand of '##' is substituted as written, not expanded first: C11 6.10.3.1). An argument of more than a word
    is left out (which name it makes is not told), and so is a chain naming no parameter."""
    from harness.macroeffects import arguments

    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    found: list[tuple[int, str, str, str]] = []
    for at, macro in sorted(set(calls)):
        params, body = templates[macro]
        end = starts[at + 1] - 1 if at + 1 < len(starts) else len(text)
        for _, call_end in name_spans(text[starts[at]:end], macro, BOUNDARY, CALL_AFTER):
            args = [a.strip() for a in arguments(text, starts[at] + call_end)[0]]
            given = dict(zip(params, args, strict=False))
            expanded = _substituted(body, given)
            for chain in _CHAIN().finditer(body):
                pieces = re.split(r"\s*##\s*", chain.group())
                if any(p in given for p in pieces):
                    found += [(at, macro, name, expanded) for name in _joined(pieces, given) if name.isidentifier()]
    return found


def _joined(pieces: list[str], given: Mapping[str, str]) -> list[str]:
    """The words a chain of ``pieces`` joined by '##' makes, each parameter of ``given`` replaced by its argument:
    '##' joins the argument's first token to what is before it and its last to what is after it (C11 6.10.3.3), so
    'sc_##x' with '1 + 1' makes sc_1. A join with a token of no word is left out (gcc refuses it)."""
    made, word = list[str](), ""
    for p in pieces:
        tokens = re.findall(r"\w+|[^\w\s]", given[p]) if p in given else [p]
        if not tokens:
            continue  # an empty argument: a placemarker (C11 6.10.3.3p2)
        word += tokens[0]
        if len(tokens) > 1:
            made.append(word)
            word = tokens[-1]
    return [w for w in (*made, word) if _WORD.fullmatch(w)]


def _substituted(body: str, given: Mapping[str, str]) -> str:
    """``body`` with each parameter of ``given`` replaced by its argument and the '##' between them done."""
    return re.sub(r"\s*##\s*", "", re.sub(r"\w+", lambda w: given.get(w.group(), w.group()), body))


# The start of a file-scope invocation of a function-like macro, at a line's start: 'SC_DEFINE_SETTER(seamldr);'.
_TOP_CALL = re.compile(r"(?m)^(?:static[ \t]+)?([A-Za-z_]\w*)[ \t]*\(")


def top_calls(text: str) -> list[tuple[int, str, list[str]]]:
    """(offset in ``text``, callee, its top-level arguments stripped) of each invocation at a line's start that a
    ';' ends after its closing parenthesis, over any lines and with any parentheses in its arguments
    ('SC_DEFINE_SETTER(seamldr,\\n\\t(x));'): a file-scope one, as a function's body indents its statements."""
    from harness.macroeffects import arguments

    found = []
    for m in _TOP_CALL.finditer(text):
        args, starts = arguments(text, m.end())
        end = starts[-1] + len(args[-1]) if args else len(text)
        if text.startswith(")", end) and re.match(r"[ \t]*;", text[end + 1:end + 80]):
            found.append((m.start(), m.group(1), [a.strip() for a in args]))
    return found
