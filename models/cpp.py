"""The C preprocessor step (pcpp): macros a definition needs, inline asm stubbed, expansion with #line."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import lru_cache

from pcpp import Preprocessor
from pcpp.preprocessor import default_lexer

from models.conditional import config_defines, config_text
from models.errors import LoadError
from models.prelude import macro_lines
from models.slicer import Definition

TU_NAME = "<tu>"


class _NoIncludes(Preprocessor):  # type: ignore[misc]
    """pcpp that never opens a file: patched C is untrusted."""

    def include(self, tokens: object, original_line: object = None) -> Iterable[object]:
        raise LoadError("", "#include is not allowed in the mirror")

    def on_error(self, file: str, line: int, msg: str) -> None:
        raise LoadError(f"{file}:{line}", f"preprocessor: {msg}")


def _prelude_macro_block(names: set[str]) -> list[str]:
    """The fallback macros these names need (transitively), each under #ifndef so the variant's own win."""
    table = {name: (params, body) for name, params, body in macro_lines()}
    todo, seen = sorted(names & table.keys()), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(t for t in re.findall(r"[A-Za-z_]\w*", table[name][1]) if t in table)
    return [f"#ifndef {n}\n#define {n}{table[n][0]} {table[n][1]}\n#endif" for n in sorted(seen)]


def macro_block(text: str, macros: dict[str, Definition]) -> str:
    """The variant's macros a piece of C refers to (transitively), then the prelude fallbacks they need."""
    todo, seen = sorted(set(re.findall(r"[A-Za-z_]\w*", text)) & macros.keys()), set()
    idents = set(re.findall(r"[A-Za-z_]\w*", text))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        body_ids = set(re.findall(r"[A-Za-z_]\w*", macros[name].text))
        idents |= body_ids
        todo.extend(sorted(body_ids & macros.keys()))
    own = [macros[n].text for n in sorted(seen, key=lambda n: (macros[n].path, macros[n].line))]
    return "\n".join(own + _prelude_macro_block(idents))


_LEXER = default_lexer()


def _preprocess(text: str) -> str:
    pp = _NoIncludes(_LEXER.clone())  # building pcpp's lexer anew for every definition is its costly part
    pp.line_directive = "#line"
    pp.parse(text, TU_NAME)
    out = io.StringIO()
    pp.write(out)
    return out.getvalue()


_ASM = re.compile(r"\b(?:asm|__asm__|__asm)\b(?:\s+(?:volatile|__volatile__|goto|inline))*\s*\(")


def stub_asm(text: str) -> str:
    """Inline asm becomes a call of the __sh_asm() primitive, which stops a run where it stands.

    pycparser cannot read GNU asm (asm goto, operand lists): without this one asm statement would make
    the whole function unavailable. Line breaks are kept so that later lines keep their numbers.
    """
    out, pos = [], 0
    while (m := _ASM.search(text, pos)) is not None:
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        out.append(text[pos : m.start()] + "__sh_asm()" + "\n" * text.count("\n", m.start(), i))
        pos = i
    return "".join(out) + text[pos:]


@lru_cache(maxsize=8192)
def expand(text: str, block: str, path: str, line: int) -> str:
    """One definition after macro expansion; ``#line`` keeps pycparser's coordinates on the real file."""
    # The configuration (models.conditional): CONFIG_ options the text tests, set ones defined, IS_ENABLED().
    block = config_defines(text + "\n" + block) + config_text(block)
    text = config_text(text)
    first = block.count("\n") + 3  # the input line where the definition's text starts
    # __LINE__ is the line of the real file where it is expanded: pcpp would count its own input's lines,
    # so it is left as a placeholder, put back below from the #line markers (C11 6.10.8.1).
    # A __LINE__ written in the definition is the line it is on (each physical line its own, as gcc
    # counts); one in a macro's body is the line where the macro is expanded, put back below.
    text = "\n".join(_outside_literals(_LINE, str(line + i), piece) for i, piece in enumerate(text.split("\n")))
    block = _outside_literals(_LINE, _LINE_MARK, block)
    out = _preprocess(f"{block}\n#line {line} \"{path}\"\n{text}\n")

    # pcpp re-synchronises with its own '#line N "<tu>"' after skipped lines; map those onto the real file.
    def real(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f'#line {line + n - first} "{path}"' if n >= first else m.group(0)

    out = re.sub(r'^#line (\d+) "<tu>"', real, out, flags=re.MULTILINE)
    return _lines_put_back(out) if _LINE_MARK in out else out


_LINE = re.compile(r"\b__LINE__\b")
_LITERAL = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')


def _outside_literals(pattern: re.Pattern[str], replacement: str, text: str) -> str:
    """``pattern`` replaced by ``replacement`` except inside string and character literals."""
    out, pos = [], 0
    for m in _LITERAL.finditer(text):
        out.append(pattern.sub(replacement, text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(pattern.sub(replacement, text[pos:]))
    return "".join(out)
_LINE_MARK = "__sh_line_mark__"


def _lines_put_back(out: str) -> str:
    """Each placeholder of __LINE__ as the number of the real line it stands on (after its #line marker)."""
    lines, number = out.split("\n"), 0
    for i, ln in enumerate(lines):
        m = re.match(r'^#line (\d+)', ln)
        if m is not None:
            number = int(m.group(1))
            continue
        lines[i] = ln.replace(_LINE_MARK, str(number))
        number += 1
    return "\n".join(lines)
