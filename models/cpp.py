"""The C preprocessor step (pcpp): macros a definition needs, expansion with #line."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import pcpp.evaluator
import pcpp.parser
import pcpp.preprocessor
from pcpp import Preprocessor
from pcpp.preprocessor import default_lexer

from models import directives, ifnames
from models.avoidpaste import glues
from models.cpphooks import DirectiveHooks
from models.cppscan import (
    PREFIXED,
    final,
    invoked_at,
    keep_defined_operands,
    prefixed,
    refuse_bare_defined,
    unmarked,
)
from models.cppstops import (
    REFUSED_PASTE,
    STOPS,
    has_odd_tokens,
    odd_tokens,
    refuse_counted,
    refuse_odd,
    refuse_odd_string,
    stop,
)
from models.errors import LoadError
from models.ifvalues import c_arithmetic, if_values, refuse_calls
from models.placetokens import TU_NAME as TU_NAME  # the name pcpp parses a text under (models.cload)
from models.placetokens import place_tokens
from models.ppnumber import refuse_non_integers, whole_numbers
from models.splice import Spliced, spliced, unterminated_comment
from models.standins import mark_standins, refuse_standin_string
from models.vacomma import comma_args
from models.vaopt import pasted_object, pasting_body, substitute

# gcc replaces trigraphs only when asked (-trigraphs, or a strict -std=c11); kbuild's -std=gnu11 leaves
# pr_err("what??!") as it is written, and a comment ending in ??/ continues no line. pcpp always replaces them.
pcpp.preprocessor.trigraph = lambda text: text
# pcpp gives every Preprocessor an Evaluator of #if expressions, whose yacc parser reads its tables anew each time
# (half of making one, made for every definition expanded). One serves them all: pcpp hands it token lists only,
# its parser keeps nothing from one expression to the next, and an expression's functions never evaluate another.
_EVALUATOR = pcpp.preprocessor.Evaluator(default_lexer())
pcpp.preprocessor.Evaluator = lambda lexer: _EVALUATOR
c_arithmetic(pcpp.evaluator.Value)


def _copy_token(tok: Any) -> Any:
    """copy.copy() of a pcpp token as copy's own reduction makes it (a new object of its class holding the same
    attributes), without going through __reduce_ex__ and copyreg: pcpp copies every token of a macro's body each
    time it expands the macro, and the tokens its arguments and #define lines hold."""
    new = object.__new__(type(tok))
    new.__dict__.update(tok.__dict__)
    return new


pcpp.parser.LexToken.__copy__ = _copy_token


_token, _expand_macros = Preprocessor.token, Preprocessor.expand_macros  # pcpp's, which _NoIncludes wraps


class _NoIncludes(DirectiveHooks):
    """pcpp that never opens a file (patched C is untrusted), with gcc's ``__LINE__``.

    gcc (C11 6.10.8.1, 6.10.3.1) gives ``__LINE__`` the line of its own token when it is read from the
    file or from a macro argument that is expanded before substitution, and the line of the outermost
    macro's name when it comes out of a macro's expansion: its body, or an argument that is an operand of
    ``#``/``##`` (the kernel's ``pr_err(fmt, ...)`` passes ``, ##__VA_ARGS__`` on). pcpp gives every
    ``__LINE__`` met while expanding a macro the line of that macro's name, arguments too: an argument is
    therefore expanded as if at the top (``_arguments``). Tokens from line ``first`` on are moved by
    ``shift`` so that their numbers are the real file's (what comes before is the macro block).
    """

    linemacro: int  # pcpp's: the line __LINE__ expands to, and how deep expansion is
    linemacrodepth: int
    _text = ""  # the input parsed, which tokens' positions are in
    _stripped: str | None = None  # _text as pcpp's group_lines() lexes it, where the file's tokens are (_lexed())
    _spliced: Spliced | None = None  # where _text's backslash-newlines were (models.splice)
    _odd = False  # _text may have a digraph or a quote no literal closes (models.cppstops)

    def __init__(self, lexer: object, first: int = 1, shift: int = 0) -> None:
        super().__init__(lexer)
        for name in (*directives.HAS_INCLUDE, *directives.HAS_FEATURE):  # defined, as gcc's (#ifdef); expanded: itself
            self.define(f"{name} {name}")
        for name, body in ifnames.PREDEFINED:
            self.define(f"{name} {body}")
        self._own(first, shift)

    def _own(self, first: int, shift: int) -> None:
        self._first, self._shift = first, shift
        self._file_shift = shift  # _shift before a #line of the text changes it (models.cpphooks)
        self._level = 0  # how deep expand_macros() calls are nested
        self._arguments: list[tuple[int, bool]] = []  # (level, read from the file) of arguments expanding
        self._from_file: list[bool] = []  # per expand_macros() call: its tokens are the file's own
        self._open: list[Any] = []  # per expand_macros() call: the token after a name whose '(' is not closed
        self._line = 0  # the line of the file the output line token() is writing is numbered as (0: none yet)
        self._given = 0  # how many arguments the macro invocation last collected had
        self._in_if = False  # an #if's expression is being evaluated (keep_defined_operands)
        self._prev: Any = None  # the token token() gave last, when nothing but a line continuation came after it
        self._counted = False  # a __COUNTER__ was expanded (refuse_counted)
        self.undone = frozenset()  # the names an #undef read undefined (models.ifnames)

    @classmethod
    def fresh(cls, first: int = 1, shift: int = 0) -> _NoIncludes:
        """One as ``__init__`` makes it, copied from one made once: what pcpp's __init__ works out (the token types
        of its lexer, probed by lexing a dozen strings, and its predefined macros) is the same every time, and one
        is made for every definition expanded. What a run changes is its own: the lexer, the macros, the paths."""
        made = _made()
        pp = cls.__new__(cls)
        pp.__dict__.update(made.__dict__)
        pp.lexer = _LEXER.clone()
        pp.macros = dict(made.macros)  # pcpp copies a macro's tokens to expand it: the Macro objects are shared
        pp.path, pp.temp_path, pp.include_once, pp.include_times = [], [], {}, []
        pp._own(first, shift)
        return pp

    def include(self, tokens: object, original_line: Any = None) -> Iterable[object]:
        directives.refuse_include(self.lastdirective)  # pcpp's on_directive_handle() keeps the directive there
        return ()

    def on_error(self, file: str, line: int, msg: str) -> None:
        if self._refused is not None:
            raise self._refused
        raise LoadError(f"{file}:{line}", f"preprocessor: {msg}")

    def group_lines(self, input: str, abssource: str) -> Iterator[list[Any]]:
        has_prefix = PREFIXED.search(input) is not None
        for tokens in super().group_lines(input, abssource):
            tokens = whole_numbers(tokens, self)
            if self._odd:
                tokens = odd_tokens(self, tokens)
            logical = tokens[0].lineno
            if self._spliced is not None:
                self._spliced.place(tokens)
            self._last, self._raw = tokens, tokens[0].lineno  # pcpp reads a directive before it lexes the next line
            # its last line (a comment may go on past the first, and a backslash-newline past its last token)
            self._raw_end = tokens[-1].lineno if self._spliced is None else max(tokens[-1].lineno,
                                                                                 self._spliced.last_line(logical))
            if self._shift:
                for tok in tokens:
                    if tok.lineno >= self._first:
                        tok.lineno += self._shift
            yield prefixed(self, tokens) if has_prefix else tokens

    def define(self, tokens: Any) -> None:
        super().define(tokens if isinstance(tokens, str) else directives.read_define(self, tokens))
        name = (self.tokenize(tokens) if isinstance(tokens, str) else tokens)[0].value
        macro = self.macros.get(name)
        if macro is not None and macro.arglist is None:
            pasted_object(self, macro, REFUSED_PASTE)

    def collect_args(self, tokenlist: list[Any], ignore_errors: bool = False) -> tuple[int, list[Any], list[int]]:
        out: tuple[int, list[Any], list[int]] = super().collect_args(tokenlist, ignore_errors)
        self._given = len(out[1])  # what macro_expand_args() of this invocation reads (models.vacomma)
        if ignore_errors and not out[0] and self._level > 1 and not self._argument():
            self._open[-1] = tokenlist[0]  # where pcpp stopped looking at the expansion (models.cppscan.final)
        elif ignore_errors and not out[0]:
            # expand_macros() found the name and its '(' but no ')': pcpp gave up and wrote the rest as it is. In a
            # rescan that is the end of an expansion, whose text after it may close the list; at the top (the rest
            # of the text up to a directive) and in an argument, expanded on its own, gcc refuses it.
            self.on_error(tokenlist[0].source, tokenlist[0].lineno, "unterminated argument list invoking a macro "
                          "(or a directive inside its arguments, which the mirror does not read there)")
        return out

    def macro_prescan(self, macro: Any) -> None:
        macro.va_opt = pasting_body(self, macro)  # the body as written: models.vaopt substitutes it
        super().macro_prescan(macro)

    def macro_expand_args(self, macro: Any, args: list[Any]) -> list[Any]:
        if macro.va_opt is not None:
            self._arguments.append((self._level + 1, self._from_file[-1]))  # as below
            try:
                return substitute(self, macro, args, self._given, TU_NAME)
            finally:
                self._arguments.pop()
        args, patch = comma_args(macro, args, self._given, tuple(self.t_WS))
        if not patch:  # the comma before an empty variable argument stays, as in gcc: for this invocation only
            plain = copy.copy(macro)  # (it was the macro's own, so an invocation in its arguments kept its comma too)
            plain.var_comma_patch = []
            return self.macro_expand_args(plain, args)
        # C11 6.10.3.2p2: # deletes the white space before and after its argument. pcpp strips it from the named
        # arguments (collect_args) but keeps it around the variadic one: #__VA_ARGS__ of f(x,  a, b) would be
        # " a, b", gcc's "a, b" (a __stringify(__VA_ARGS__) in a message).
        if macro.variadic and args and macro.str_patch:
            args = [*args[:-1], self.tokenstrip(list(args[-1]))]
        if macro.str_patch:
            refuse_standin_string(macro, args, TU_NAME)
            if self._odd:
                refuse_odd_string(macro, args, TU_NAME)
        # The expand_macros() calls this makes are its arguments'; they are the file's own tokens when the
        # invocation is (read from the file, or from an argument that is).
        self._arguments.append((self._level + 1, self._from_file[-1]))
        try:
            return super().macro_expand_args(macro, args)  # type: ignore[no-any-return]
        finally:
            self._arguments.pop()

    def evalexpr(self, tokens: list[Any]) -> Any:
        directives.refuse_has_include(self, tokens)
        refuse_bare_defined(self, tokens)  # pcpp reads 'defined' before expanding: 'defined' of nothing was 0
        self._in_if = True
        try:
            return super().evalexpr(tokens)
        finally:
            self._in_if = False

    def expand_macros(self, tokens: list[Any], expanding_from: list[str] | None = None) -> list[Any]:
        if self._in_if:
            keep_defined_operands(self, tokens)
        for tok in tokens:
            if tok.value in STOPS:
                stop(tok, TU_NAME)
            elif tok.value == "__COUNTER__":  # pcpp makes this very token the number: refuse_counted() finds it
                tok.counted = self._counted = True
        self._level += 1
        argument = self._argument()
        self._open.append(None)
        # Read from the file: the top call, or an argument of an invocation that is; the rest is a rescan.
        self._from_file.append(self._arguments[-1][1] if argument else self._level == 1)
        depth, line = self.linemacrodepth, self.linemacro
        read = list(tokens) if argument and self._from_file[-1] else None  # the file's, before pcpp expands them
        if read is not None:
            self.linemacrodepth = 0  # an argument of the file's own: each token its own line
        try:
            out: list[Any] = _expand_macros(self, tokens, expanding_from or [])
            if self._odd and self._level == 1 and not argument:
                refuse_odd(out, TU_NAME)
            if self._counted and self._level == 1 and not argument:
                refuse_counted(out, TU_NAME)
            if self._in_if and self._level == 1:
                refuse_bare_defined(self, out)
                refuse_non_integers(self, out)
                refuse_calls(self, out)
                out = if_values(self, out)
            if argument:
                unmarked(out)
            elif self._level > 1:
                final(self, out, expanding_from or [], self._open[-1])
            if read is not None:
                for tok in out:  # where __LINE__ is its own line, so is the token's (gcc's spelling location)
                    if not hasattr(tok, "own_line"):
                        tok.own_line = tok.lineno
                        tok.in_text = not getattr(tok, "expanded_from", None)  # else a macro's body: in _text
                invoked_at(self, read, out)
            return out
        finally:
            if argument and self._from_file[-1]:
                self.linemacrodepth, self.linemacro = depth, line
            self._from_file.pop()
            self._open.pop()
            self._level -= 1

    def _argument(self) -> bool:
        """Whether the expand_macros() call at work expands an argument before it is substituted."""
        return bool(self._arguments) and self._arguments[-1][0] == self._level

    def _apart(self, tok: Any) -> Any:
        """``tok``, after a blank when it and the token before it, written side by side, would read as other tokens
        and were not side by side where they were read (an empty argument or macro between them): gcc -E's
        avoid-paste (models.avoidpaste)."""
        prev, self._prev = self._prev, tok
        if prev is None or tok.lexpos == prev.lexpos + len(prev.value) or not glues(prev.value, tok.value):
            return tok
        tok = copy.copy(tok)
        tok.value = " " + tok.value
        return tok

    def _lexed(self) -> str:
        """The text the file's own tokens' offsets are in: pcpp lexes each line with its trailing white space cut
        (a macro block's tokens, read before, keep offsets in _text: _preprocess_block() blanks the block)."""
        if self._stripped is None:
            self._stripped = "\n".join(x.rstrip() for x in self._text.splitlines())
        return self._stripped

    def token(self) -> Any:
        # The expansion of a macro is written on one line, its name's, as gcc -E writes it: pcpp kept the newlines
        # of a multi-line invocation's arguments there, and its write() still counted the expansion as one line,
        # so every line after it was numbered one late per newline (a pr_err() two lines long). A token read from
        # a later line of the file than the output line it lands on (an argument gcc spells where it is written,
        # or what follows the invocation on its last line) is marked with its own line and column, which
        # place_tokens() moves it to.
        tok = _token(self)  # not super().token(): a super object made for every token of every definition
        if tok is None:
            return tok
        if tok.type in self.t_WS:
            if tok.value and tok.type != self.t_LINECONT:  # write() drops a line continuation: no blank
                self._prev = None
            if "\n" in tok.value:
                if getattr(tok, "expanded_from", None):
                    tok = copy.copy(tok)
                    tok.value = " "
                else:
                    self._line = 0  # pcpp's write() starts an output line: the next token's line is its number
            return tok
        own = getattr(tok, "own_line", None)
        if own is None and not getattr(tok, "expanded_from", None):
            own = tok.lineno
        if not self._line:
            self._line = tok.lineno
        if own is None or own <= self._line:
            return self._apart(tok)
        self._prev, self._line = tok, own
        tok = copy.copy(tok)
        # The file's own token (an argument's too, which pcpp marks expanded_from once substituted) has its offset
        # in _lexed(), which differs from _text where a line ends in blanks (a macro block's are all blanks).
        # A macro's body token in such an argument is where its invocation's name is (models.cppscan.invoked_at).
        at = getattr(tok, "invoked_at", tok)
        text = self._lexed() if getattr(at, "in_text", True) else self._text
        column = getattr(at, "spliced_column", 0) or at.lexpos - text.rfind("\n", 0, at.lexpos)
        tok.value = f"\x02{own},{column}\x03{tok.value}"
        return tok


_LEXER = default_lexer()


@lru_cache(maxsize=1)
def _made() -> _NoIncludes:
    """The preprocessor _NoIncludes.fresh() copies (never run itself)."""
    return _NoIncludes(_LEXER.clone())


def _preprocessor(first: int, shift: int, path: str) -> _NoIncludes:
    pp = _NoIncludes.fresh(first, shift)
    pp.line_directive = "#line"
    # __FILE__ is the file's path in the tree: kbuild builds with -fmacro-prefix-map=$(srctree)/= (top-level
    # Makefile), so gcc gives "arch/x86/virt/vmx/tdx/tdx.c", and a header reached through -I./arch/x86/include
    # "arch/x86/include/asm/tdx.h"; pcpp would give the name it parses (TU_NAME).
    pp.expand_filemacro = False
    pp.define('__FILE__ "' + path.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return pp


def _run(pp: _NoIncludes, text: str) -> str:
    text, pp._elifdefs = directives.elifdef_as_elif(text)
    pp._spliced = spliced(text)
    if pp._spliced is not None:
        text = pp._spliced.text
    if (comment := unterminated_comment(text)) is not None:
        line = text.count("\n", 0, comment) + 1 if pp._spliced is None else pp._spliced.physical(comment)
        pp.on_error(TU_NAME, line + (pp._shift if line >= pp._first else 0), "unterminated comment")
    pp._text, pp._stripped, pp._odd = text, None, has_odd_tokens(text)
    pp.parse(text, TU_NAME)
    out = io.StringIO()
    pp.write(out)
    return out.getvalue()


def _preprocess(text: str, first: int = 1, shift: int = 0, path: str = TU_NAME) -> str:
    return place_tokens(_run(_preprocessor(first, shift, path), text))


# pcpp's state a block can change, but its macros (an #undef of __LINE__ or __COUNTER__ turns its expand_* off)
_CARRIED = ("countermacro", "linemacro", "linemacrodepth", "undone", "expand_linemacro", "expand_countermacro")


@lru_cache(maxsize=256)
def _block_state(block: str, first: int, path: str) -> tuple[dict[str, Any], tuple[Any, ...]]:
    """The macros a macro block leaves defined (and the rest of pcpp's state it may change: __COUNTER__, where
    __LINE__ stands): a block is shared by many definitions of a variant (the prelude fallbacks and the variant's
    macros they use), and pcpp would read it again for each. pcpp copies a macro's tokens to expand it. A block
    that does not name __FILE__ is read once for every path (_preprocess_block sets the path's __FILE__): the
    path is nothing else of pcpp's state (its tokens' source is TU_NAME)."""
    pp = _preprocessor(first, 0, path)  # a block's lines are before ``first``: none is moved
    _run(pp, block + "\n")
    mark_standins(pp.macros, block)
    return pp.macros, tuple(getattr(pp, name) for name in _CARRIED)


# The path a definition is expanded at for every path it may be in (expanded_anywhere): no file's (a space), so
# that an expansion at it is never one at a real path.
ANY_PATH = "<any path>"

_NOT_NEWLINE = re.compile(r"[^\n]")


def preprocess_block(block: str, rest: str, first: int, shift: int, path: str) -> str:
    """_preprocess(block + rest, ...), the block's directives read once (_block_state): in their place, blanks of
    the same length, so that every token's line and offset is what it was (a macro's tokens keep their offsets in
    the block, which _NoIncludes.token() reads columns from)."""
    any_path = "__FILE__" not in block  # nothing of it reads, defines or undefines __FILE__: read at any path
    macros, state = _block_state(block, first, ANY_PATH if any_path else path)
    pp = _preprocessor(first, shift, path)
    own_file = pp.macros["__FILE__"]
    pp.macros = dict(macros)  # what the definition defines or undefines is its own
    if any_path:
        pp.macros["__FILE__"] = own_file
    for name, value in zip(_CARRIED, state, strict=True):
        setattr(pp, name, value)
    return place_tokens(_run(pp, _NOT_NEWLINE.sub(" ", block) + rest))
