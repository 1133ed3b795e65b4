"""Macro invocations that start a declaration at file scope, in a run of lines known only from a hunk.

At file scope, ``NAME(...)`` where a declaration's type would stand (at its start, after ``;`` or ``}``, or
after storage classes and attributes only) is a macro invocation: C99 dropped implicit ``int`` and the kernel
builds with ``-Werror=implicit-int``, so ``NAME`` declares nothing itself. Inside a function it may be a call.

A hunk does not say how deep in braces its first line lies, so a run is placed only by what it shows: text
at a brace depth above the lowest the run reaches is certainly inside braces (a ``}`` it does not open closes
later); at the lowest depth, a statement keyword (``return``, ``if`` ...) there shows a function body; else,
as the kernel's coding style has it (Documentation/process/coding-style.rst), an indented line is in a body
and a line starting in column 0 may be at file scope. In an assembler file (``.S``) every invocation that
starts a line in column 0 counts: assembly has no declarations to start. Shapes: ``Invocation`` (name, its
spelling, line).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from harness.cppscan import Tok, spell
from models.record import record

# Words a declaration may start with before its type: storage classes, qualifiers, and the kernel's
# object-like attribute macros (include/linux/init.h, cache.h, compiler_attributes.h, compiler_types.h,
# linkage.h). Another word there is taken as a type (a typedef name), which makes NAME( a declarator.
SPECIFIERS = frozenset({
    "static", "extern", "inline", "__inline", "__inline__", "const", "volatile", "register", "_Thread_local",
    "__thread", "__init", "__exit", "__initdata", "__initconst", "__exitdata", "__refdata", "__read_mostly",
    "__ro_after_init", "__maybe_unused", "__always_unused", "__used", "__visible", "__weak", "__cold",
    "__noreturn", "noinline", "__always_inline", "notrace", "noinstr", "__cacheline_aligned",
    "__cacheline_aligned_in_smp", "__percpu", "asmlinkage", "__extension__",
})
# Keywords that take parentheses where a declaration starts: the compiler's, no macro.
KEYWORDS = frozenset({
    "__attribute__", "__attribute", "typeof", "__typeof__", "__typeof", "_Static_assert", "asm", "__asm__",
    "__asm", "_Alignas", "alignas", "_Generic", "__auto_type", "sizeof", "_Atomic",
})
# Only a function body holds these (C11 6.8).
STATEMENTS = frozenset({"return", "if", "else", "for", "while", "do", "switch", "case", "goto", "break",
                        "continue", "default"})


@record
class Invocation:
    """``NAME(args)`` starting a declaration: ``text`` is its spelling, the key that tells it from others."""

    name: str
    text: str
    line: int
    depth: int


@dataclass
class RunScope:
    """Reads one run of known lines (fed in pieces between directives) and keeps the invocations that may be
    at file scope and that ``wanted`` says yes to, when met (the definitions in force then decide it).
    ``lines``: the file's known lines (number -> (text, origin)), for their indentation."""

    lines: dict[int, tuple[str, str]]
    wanted: Callable[[str], bool] = lambda _name: True
    assembler: bool = False
    depth: int = 0
    low: int = 0
    paren: int = 0
    start: bool = True
    statements: set[int] = field(default_factory=set)
    found: list[Invocation] = field(default_factory=list)
    _args: list[Tok] | None = None  # the arguments of the invocation being read, when one is open
    _args_depth: int = 0
    _line: int = 0

    def feed(self, toks: list[Tok]) -> None:
        for i, t in enumerate(toks):
            if self.assembler and self._args is None:
                self.start = t.line != self._line
            self._line = t.line
            if self._args is not None:
                self._argument(t)
            elif t.text == "{" and t.kind == "punct":
                self.depth += 1
                self.start = True
            elif t.text == "}" and t.kind == "punct":
                self.depth -= 1
                self.low = min(self.low, self.depth)
                self.start = True
            elif t.text == ";" and not self.paren:
                self.start = True
            elif t.text in "()" and t.kind == "punct":
                self.paren = max(0, self.paren + (1 if t.text == "(" else -1))
                self.start = False
            elif t.kind == "id" and not self.paren and t.text in STATEMENTS:
                self.statements.add(self.depth)
                self.start = False
            elif t.kind == "id" and self.start and not self.paren and i + 1 < len(toks) and toks[i + 1].text == "(":
                self._open(t)
            elif not (t.kind == "id" and self.start and t.text in SPECIFIERS):
                self.start = False

    def _open(self, t: Tok) -> None:
        self._args, self._args_depth = [t], 0
        if t.text in KEYWORDS or not self.wanted(t.text):
            self._args = []  # read over, not kept

    def _argument(self, t: Tok) -> None:
        assert self._args is not None
        if self._args:
            self._args.append(t)
        self._args_depth += {"(": 1, ")": -1}.get(t.text, 0) if t.kind == "punct" else 0
        if self._args_depth == 0 and t.text == ")":
            if self._args:
                self.found.append(Invocation(self._args[0].text, spell(self._args), self._args[0].line, self.depth))
            self._args = None  # an invocation's end: still where a declaration starts (__printf(1, 2) int f(...))

    def at_file_scope(self) -> list[Invocation]:
        """The invocations that may be at file scope: at the run's lowest brace depth, no statement there,
        their line not indented."""
        if self._args:
            first = self._args[0]
            self.found.append(Invocation(first.text, spell(self._args), first.line, self.depth))
            self._args = None
        if self.low in self.statements:
            return []
        return [c for c in self.found if c.depth == self.low and not _indented(self.lines.get(c.line, ("", ""))[0])]


def _indented(text: str) -> bool:
    return text[:1] in (" ", "\t")
