"""pcpp's hooks for the directives and the #if names models.cpp's _NoIncludes reads as gcc reads them."""

from __future__ import annotations

import copy
from typing import Any

from pcpp import Preprocessor

from models import directives, ifnames
from models.errors import LoadError
from models.linecoord import marked
from models.placetokens import TU_NAME

# include/linux/stddef.h: enum { false = 0, true = 1 }: enumerators, no macros, so gcc -E of a kernel file reads
# each as 0 in an #if and as undefined in an #ifdef; the prelude's macros (their bodies here) stand for them in C alone
KERNEL_ENUMERATORS = {"true": "1", "false": "0"}


class DirectiveHooks(Preprocessor):  # type: ignore[misc]
    """What _NoIncludes does at a directive pcpp reads (its name checked, #elifdef's operand, #line) and at a name
    no macro has in an #if (models.ifnames); the state named here is _NoIncludes's."""

    _raw = 0  # the line of _text being read (group_lines), before a #line's shift
    _raw_end = 0  # the last line it goes on to (a comment in it)
    _refused: LoadError | None = None  # why models.ifnames refused a name inside pcpp's evaluator
    _elifdefs: frozenset[int] = frozenset()  # the lines of _text where an #elifdef was (directives.elifdef_as_elif)
    undone: frozenset[str] = frozenset()  # the names an #undef read undefined (models.ifnames)
    _first: int  # from this line of _text on, tokens are numbered ``_shift`` further (models.cpp)
    _shift: int
    _file_shift: int  # the shift the lines of _text had before any #line: raw line + it = the file's line
    _last: list[Any]  # the tokens of the line group_lines() gave last

    def on_directive_handle(self, directive: Any, toks: list[Any], ifpassthru: bool,
                            precedingtoks: list[Any]) -> bool | None:
        directives.refuse_unread_conditional(directive)
        name = directive.value
        if name in ("ifdef", "ifndef") or (name == "elif" and self._raw in self._elifdefs):
            directives.name_operand(self, directive, toks, name == "elif")
            if name != "elif" and toks and toks[0].value in self._enumerators():
                toks[0] = copy.copy(toks[0])
                toks[0].value = f"__sh_enumerator_{toks[0].value}"  # no macro's name: undefined (models.ifnames)
        elif name == "pragma" and not toks:  # pcpp looks at its first token (for 'once'); gcc passes it on
            blank = copy.copy(directive)
            blank.type, blank.value = self.t_SPACE, " "
            toks.append(blank)
        return super().on_directive_handle(directive, toks, ifpassthru, precedingtoks)  # type: ignore[no-any-return]

    def _enumerators(self) -> dict[str, Any]:
        """The prelude's macros of the kernel's enumerators (KERNEL_ENUMERATORS) that ``self`` has, by name."""
        out = {}
        for name, body in KERNEL_ENUMERATORS.items():
            m = self.macros.get(name)
            if m is not None and m.arglist is None and "".join(t.value for t in m.value).strip() == body:
                out[name] = m
        return out

    def evalexpr(self, tokens: list[Any]) -> Any:
        hidden = self._enumerators()  # an #if or #elif reads them as the identifiers they are: 0 (C11 6.10.1p4)
        for name in hidden:
            del self.macros[name]
        try:
            return super().evalexpr(tokens)
        finally:
            self.macros.update(hidden)

    def on_unknown_macro_in_defined_expr(self, tok: Any) -> bool:
        refusal = getattr(tok, "refusal", None)  # an #ifdef's operand gcc refuses (directives.name_operand)
        if refusal is not None:
            raise refusal
        return ifnames.is_defined(self, tok)

    def on_unknown_macro_in_expr(self, ident: str) -> int:
        try:
            return ifnames.value(self, ident)
        except LoadError as exc:  # pcpp's evaluator catches it, and says on_error() it could not evaluate
            self._refused = exc
            raise

    def undef(self, tokens: Any) -> None:
        if not isinstance(tokens, str):
            name = directives.undef_name(self, tokens)
            self.undone = self.undone | {name}
            # gcc's own __LINE__ and __COUNTER__, which pcpp expands itself: gone for the rest of the unit (gcc
            # warns "undefining"), an identifier, or a macro the code defines again
            if name == "__LINE__":
                self.expand_linemacro = False
            elif name == "__COUNTER__":
                self.expand_countermacro = False
        super().undef(tokens)

    def on_directive_unknown(self, directive: Any, toks: list[Any], ifpassthru: bool,
                             precedingtoks: list[Any]) -> bool | None:
        if directive.value == "line" or directive.type == self.t_INTEGER:  # gcc numbers the lines after it from N:
            number = directives.line_number(self, directive, toks)  # so do their tokens (and __LINE__)
            for tok in toks:  # passed on as '#line N "<tu>\x01D"', which pycparser reads (the file is this one)
                if tok.type not in self.t_WS or "\n" not in tok.value:
                    tok.value = " "  # (models.linecoord.in_path drops the blanks after the marker)
            for tok in precedingtoks[1:]:  # white space between '#' and N: '#line', which the markers match
                tok.value = ""
            # D: how much further gcc numbers the lines below than the file holds them (models.linecoord: coverage
            # names the file's lines, every message gcc's)
            delta = number - (self._raw_end + 1 + self._file_shift)
            directive.value = f'line {number} "{marked(TU_NAME, delta)}"'
            self._first, self._shift = self._raw_end + 1, number - self._raw_end - 1
            for tok in self._last:  # pcpp's write() puts as many line breaks after it as the numbers say
                tok.lineno = number - 1
            return None  # passed on: pycparser numbers what follows as gcc does
        return directives.unknown_directive(self, directive, toks)

