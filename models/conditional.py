"""Preprocessor conditionals in sliced C: which ``#if``/``#ifdef`` branch a definition is in, and whether it is built.

The slicer reads files (or the fragments hunks show of them) without running the preprocessor, so it
decides each branch from the text alone (C11 6.10.1), with the configuration the mirror models:

- every ``CONFIG_`` option the code tests is set (``=y``): the helpers are read as a kernel built with
  the features they belong to (``#ifdef CONFIG_INTEL_TDX_HOST`` takes the real code, not the stubs in
  its ``#else``); ``IS_ENABLED()``, ``IS_BUILTIN()`` and ``IS_REACHABLE()`` are 1, ``IS_MODULE()`` 0 (with a tree,
  code resting on an option its Kconfig lets no x86-64 build set is not run: harness.kconfigbranch);
- ``__KERNEL__``, ``__GNUC__``, ``__x86_64__``, ``__linux__`` and ``__CHAR_UNSIGNED__`` (-funsigned-char) are
  defined, ``__ASSEMBLY__``,
  ``__ASSEMBLER__``, ``__CHECKER__`` and ``__GENKSYMS__`` are not (C, compiled by gcc for x86-64);
- a macro ``#define``d earlier in the same piece of text is defined (an object-like one stands for its
  body in ``#if``); one ``#undef``ed is not; one defined or undefined in a branch not decided is not
  known; a header guard (``#ifndef X`` then ``#define X`` with no value, X not seen before) is not
  defined yet;
- ``#if`` of integer constants, ``defined`` and C's operators is worked out as C does (models.ppexpr).

Anything else (a macro from a header the variant does not show, ``LINUX_VERSION_CODE``) is undecided:
a definition there is kept with the condition noted, and harness code that finds two different
definitions of one name under undecided conditions refuses to pick one (models.cload).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.lazyre import POUND, lazy
from models.ppexpr import evaluate as evaluate_constant

DEFINED = frozenset({"__KERNEL__", "__GNUC__", "__x86_64__", "__linux__", "__CHAR_UNSIGNED__"})
# The options of the other word size: the mirror is x86-64 (CONFIG_X86_64, CONFIG_64BIT set).
MAX_EXPRESSION = 10_000  # characters of an #if after macros are put in: past it, undecided (bounded work)
CONFIG_UNSET = frozenset({"CONFIG_X86_32", "CONFIG_32BIT"})


def config_set(name: str) -> bool:
    """Whether a CONFIG_ option counts as set (=y) in the configuration the mirror models."""
    return name.startswith("CONFIG_") and name not in CONFIG_UNSET


def config_text(text: str) -> str:
    """C text with each ``IS_ENABLED(CONFIG_X)`` (and IS_BUILTIN / IS_REACHABLE / IS_MODULE) as the 1 or 0
    the configuration gives it (include/linux/kconfig.h), in ``#if`` lines and in C alike; lines kept."""
    return _CONFIG_TEST.sub(lambda m: "1" if m.group(1) != "IS_MODULE" and config_set(m.group(2)) else "0", text)


def config_defines(text: str) -> str:
    """A definition for every set option the text names, one per line: defined (``#ifdef``, ``defined()``),
    but its value is not known (``CONFIG_NR_CPUS`` is no 1): used as a value, it stops the run, saying so."""
    return "".join(f'#define {name} __sh_config_value("{name}")\n'
                   for name in sorted(set(_CONFIG_NAME.findall(text))) if config_set(name))


_IF_LINE = re.compile(rf"^[ \t]*{POUND}[ \t]*(?:if|elif)\b(.*)$", re.MULTILINE)
_DEFINED_USE = lazy(r"\bdefined\s*(?:\(\s*\w+\s*\)|\w+)")


def config_value_tests(text: str) -> list[tuple[int, str]]:
    """(line offset, option) of each set CONFIG_ option an ``#if``/``#elif`` of the text tests by value
    (``#if CONFIG_NR_CPUS > 1``): the mirror sets options, it does not know their values, so such a
    condition is not decided."""
    text = config_text(text)
    return [(text.count("\n", 0, m.start()), name) for m in _IF_LINE.finditer(text)
            for name in _CONFIG_NAME.findall(_DEFINED_USE().sub("1", m.group(1))) if config_set(name)]
# include/linux/stddef.h's true and false are enumerators (enum { false = 0, true = 1 }), no macros: in #if each is
# 0 and in #ifdef undefined, as gcc -E reads a kernel file (models.cpphooks KERNEL_ENUMERATORS: the same in a body)
NOT_DEFINED = frozenset({"__ASSEMBLY__", "__ASSEMBLER__", "__CHECKER__", "__GENKSYMS__", "true", "false"})
_DIRECTIVE = re.compile(rf"^\s*{POUND}\s*(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif|define|undef)\b\s*(.*?)\s*$")
_NAME = re.compile(r"[A-Za-z_]\w*")
_DEFINE = re.compile(rf"\s*{POUND}\s*define\s+")  # a header guard's #define, before its name
_NOTHING_MORE = re.compile(r"\s*$")
_DEFINED_OP = lazy(r"\bdefined\s*(?:\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))")
_CONFIG_NAME = re.compile(r"\bCONFIG_\w+")
_CONFIG_TEST = re.compile(r"\b(IS_ENABLED|IS_BUILTIN|IS_REACHABLE|IS_MODULE)\s*\(\s*(CONFIG_\w+)\s*\)")


@dataclass
class _Frame:
    """One open ``#if`` group: the state of the branch being read, and whether an earlier one was taken."""

    state: bool | None
    taken: bool | None
    text: str
    opening: str = ""  # the group's #if, #ifdef or #ifndef line (with its place): what an #else is the other of


@dataclass
class Conditions:
    """The conditional groups open at a point of a piece of text, fed one directive line at a time."""

    where: str  # "path" for messages
    frames: list[_Frame] = field(default_factory=list)
    defined: dict[str, bool | None] = field(default_factory=dict)  # what #define / #undef said (None: unknown)
    values: dict[str, str] = field(default_factory=dict)  # object-like macros defined so far: their bodies
    orphan: str | None = None  # set by an #else/#elif/#endif whose #if is before: the reader re-marks what it read

    def command_line(self, defines: tuple[tuple[str, str], ...]) -> Conditions:
        """These conditions with gcc's command-line macros in force before the text (``-DNAME=BODY``, kbuild's
        ccflags-y: harness.kbuilddefs): each defined, an object-like body standing for it in ``#if``."""
        for name, body in defines:
            self.defined[name] = True
            if body:  # an empty body (-DX=) in #if is not read as a number
                self.values[name] = body
        return self

    def built(self) -> bool | None:
        """True when every open branch is built, False when one is not, None when one is undecided."""
        states = [f.state for f in self.frames]
        return False if False in states else None if None in states else True

    @staticmethod
    def _guard_define(line: str, name: str) -> bool:
        """``re.match(rf"\\s*#\\s*define\\s+{name}\\s*$", line)`` for an identifier ``name``: ``#define NAME`` and no
        value (``\\s+`` takes every blank before the name, which starts with no blank: matched in one way only)."""
        head = _DEFINE.match(line)
        return head is not None and line.startswith(name, head.end()) and \
            _NOTHING_MORE.match(line, head.end() + len(name)) is not None

    def undecided(self) -> str | None:
        """The first open branch that could not be decided, as a message names it."""
        return next((f.text for f in self.frames if f.state is None), None)

    def directive(self, line: str, number: int, following: str = "") -> bool:
        """Read one directive line (a continued one already joined); False when it is not a conditional,
        ``#define`` or ``#undef``. ``following`` is the next line, to tell a header guard."""
        m = _DIRECTIVE.match(line)
        if m is None:
            return False
        word, rest = m.group(1), m.group(2)
        text = f"#{word} {rest}".strip() + f" ({self.where}:{number})"
        if word in ("define", "undef"):
            name = _NAME.match(rest)
            built = self.built()
            if name is not None and built is not False:
                # In a branch not decided, whether it happened is not known either.
                self.defined[name.group(0)] = (word == "define") if built else None
                self.values.pop(name.group(0), None)
                if built and word == "define" and not rest[name.end():].startswith("("):
                    self.values[name.group(0)] = rest[name.end():].strip() or "1"
            return True
        if word in ("ifdef", "ifndef"):
            name = _NAME.match(rest)
            guard = word == "ifndef" and name is not None and name.group(0) not in self.defined \
                and self._guard_define(following, name.group(0))  # a header guard: no value
            value = False if guard else self._defined(name.group(0)) if name else None
            state = value if word == "ifdef" or value is None else not value
            self.frames.append(_Frame(state, state, text, text))
        elif word == "if":
            state = self.evaluate(rest)
            self.frames.append(_Frame(state, state, text, text))
        elif self.frames:
            self._next_branch(word, rest, text)
        else:
            # The #if is before this piece of text (a hunk shows its #else or #endif only): what came before
            # was in a branch not decided, and after an #else or #elif so is what follows.
            self.orphan = f"{text} (its #if is not in what is known of the file)"
            if word != "endif":
                self.frames.append(_Frame(None, None, self.orphan))
        return True

    def _next_branch(self, word: str, rest: str, text: str) -> None:
        frame = self.frames[-1]
        if word == "endif":
            self.frames.pop()
            return
        before = frame.taken
        own = self.evaluate(rest) if word == "elif" else self._elifdef(word, rest) if word != "else" else True
        if before is True:
            frame.state = False
        elif before is False:
            frame.state = own
        else:
            frame.state = None if own is not False else False
        # Three-valued "or": some branch up to this one is built.
        frame.taken = True if True in (before, own) else False if (before, own) == (False, False) else None
        frame.text = text

    def _elifdef(self, word: str, rest: str) -> bool | None:
        """Whether an ``#elifdef``/``#elifndef`` (gcc 12, in every -std) takes its branch (None: not known)."""
        name = _NAME.match(rest)
        value = self._defined(name.group(0)) if name else None
        return value if word == "elifdef" or value is None else not value

    def _defined(self, name: str) -> bool | None:
        if name in self.defined:
            return self.defined[name]
        if config_set(name) or name in DEFINED:
            return True
        if name in CONFIG_UNSET:
            return False
        if name in NOT_DEFINED:
            return False
        return None

    def _value(self, m: re.Match[str]) -> str:
        """A name in an ``#if`` after ``defined`` is worked out: an object-like macro's body, 0 for one ``#undef``
        left undefined or known undefined in every kernel build (NOT_DEFINED, CONFIG_UNSET) (C11 6.10.1p4: a name no
        macro replaces is 0), else the name (not known here)."""
        name = m.group(0)
        return f"({self.values[name]})" if name in self.values else "0" if self._defined(name) is False else name

    def evaluate(self, expr: str) -> bool | None:
        """An ``#if`` expression's truth, or None when it uses something not known here."""
        unknown = False

        def defined(m: re.Match[str]) -> str:
            nonlocal unknown
            value = self._defined(m.group(1) or m.group(2))
            unknown = unknown or value is None
            return "1" if value else "0"

        out = _DEFINED_OP().sub(defined, expr)
        out = config_text(out)
        for _ in range(8):  # object-like macros defined above, a few levels deep (C11 6.10.1p4)
            out = _NAME.sub(self._value, out)
            if len(out) > MAX_EXPRESSION:
                return None
        if unknown or len(out) > MAX_EXPRESSION:
            return None
        return evaluate_constant(out)  # C's arithmetic and precedence (models.ppexpr); None if not decided
