"""Whether a CONFIG_ option can be set at all in an x86-64 build of a tree, from its Kconfig files.

The mirror builds one configuration, every CONFIG_ option set (models.conditional), and a tree's function built
only with ``obj-$(CONFIG_X)`` or under ``#ifdef CONFIG_X`` is taken as set, saying so (harness.treebuilt). An
option no x86-64 .config can hold is no configuration at all: its ``depends on`` needs another architecture
(``depends on ARM64``: a symbol only arch/arm64's Kconfig defines), the other word size (``X86_32``, ``!64BIT``),
or an option that is itself impossible; or no Kconfig file of the tree defines it (kconfig treats it as n), or
only files that only another architecture's Kconfig ``source``s (scripts/kconfig on x86 never reads them); and
no option that can be set ``select``s it (a select sets it whatever its dependencies). Such a file or definition
is never built on x86: its function is not taken. Read from the tree's ``Kconfig*`` files at the base commit
(``git grep`` for the ``config``/``select`` lines of a symbol, harness.gitbase.TreeReader.kconfig), only where the
tree has a top-level ``Kconfig`` (a kernel tree does); what is not read decides nothing (taken as settable, as
before): a comparison but a symbol's ``=``/``!=`` with y, m or n (``A = y``, as scripts/kconfig compares: _Expr),
symbols more than MAX_DEPTH dependencies away or past the first MAX_SYMBOLS looked up, a Kconfig file more than one
``source`` line reads; an ``if`` block's condition, and the ``depends on`` of a ``menu``'s or ``choice``'s head,
is one of the dependencies of every option inside it (help texts are skipped), in the option's file and around
the ``source`` line that reads it (and the one reading that file, up to the top: TreeReader.sourcing). Patched
code is read with it too (harness.kconfigbranch)."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

from harness.filestate import FileState
from models.conditional import CONFIG_UNSET
from models.lazyre import lazy

MAX_DEPTH = 12  # dependencies followed from the option asked about
MAX_SYMBOLS = 64  # symbols looked up (a git grep each, harness.gitbase) per state: past it, taken as settable
_TRISTATE = ("y", "m", "n")
ALWAYS_SET = _X86_64 = frozenset({"X86", "X86_64", "64BIT"})  # set in every x86-64 build (arch/x86/Kconfig)
_BLOCK_END = lazy(r"^\s*(?:config|menuconfig|choice|endchoice|menu|endmenu|if|endif|source|comment)\b")
_DEPENDS = lazy(r"^\s*depends\s+on\s+(.*)$")
_TOKEN = lazy(r"\s*(\|\||&&|!=|!|\(|\)|=|\"[^\"]*\"|[A-Za-z0-9_]+)")


@runtime_checkable
class Kconfigs(Protocol):
    """A base reader that can list where a symbol's ``config`` and ``select`` lines are (harness.gitbase)."""

    def __call__(self, path: str) -> FileState | None: ...

    def kconfig(self, symbol: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None: ...


Impossible = Callable[[str], str | None]  # CONFIG_X -> why no x86-64 build sets it, None when one may
_LINE = lazy(r"^\s*(menuconfig|config|select)\s+(\w+)\b")


class StateKconfigs:
    """A base reader with a state's files over it, its Kconfig search too: a ``config`` or ``select`` line the series
    adds (or takes away) in a Kconfig file counts as the series leaves it, the other files' lines as at the base."""

    def __init__(self, files: Mapping[str, FileState], base: object) -> None:
        self.files, self.base = files, base

    def __call__(self, path: str) -> FileState | None:
        if path in self.files:
            return self.files[path]
        return self.base(path) if callable(self.base) else None

    def kconfig(self, symbol: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]] | None:
        got = self.base.kconfig(symbol) if isinstance(self.base, Kconfigs) else None
        if got is None:
            return None
        defs = [(p, n) for p, n in got[0] if p not in self.files]
        selects = [(p, n) for p, n in got[1] if p not in self.files]
        for path, f in sorted(self.files.items()):
            if not path.rsplit("/", 1)[-1].startswith("Kconfig") or f.absent or not f.usable:
                continue
            for n, (text, _) in sorted(f.lines.items()):
                if (m := _LINE().match(text)) is not None and m.group(2) == symbol:
                    (selects if m.group(1) == "select" else defs).append((path, n))
        return defs, selects

    def sourcing(self, path: str) -> list[tuple[str, int]] | None:
        """The base's ``source`` lines reading ``path`` (TreeReader.sourcing), those of the state's Kconfig files as
        the series leaves them; None where the base cannot say."""
        finder = getattr(self.base, "sourcing", None)
        got = finder(path) if callable(finder) else None
        if got is None:
            return None
        out = [(p, n) for p, n in got if p not in self.files]
        for at, f in sorted(self.files.items()):
            if at.rsplit("/", 1)[-1].startswith("Kconfig") and not f.absent and f.usable:
                out += [(at, n) for n, (text, _) in sorted(f.lines.items())
                        if (m := _SOURCE().match(text)) is not None and _reads(_source_target(at, m), path)]
        return out


_SOURCE = lazy(r'^\s*(o?r?source)\s+"([^"]+)"')


def _source_target(at: str, m: re.Match[str]) -> str:
    """The path a ``source`` line of the Kconfig file ``at`` reads (``$(SRCARCH)``: x86; ``rsource``: beside it), a
    glob pattern where it has a wildcard or another variable (the variable and a slash after it a ``*``)."""
    target = re.sub(r"\$\([^)]*\)/?", "*", m.group(2).replace("$(SRCARCH)", "x86"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(at), target)) if m.group(1).endswith("rsource") \
        else target


def _reads(target: str, path: str) -> bool:
    """Whether a ``source`` line's target (a path or a glob pattern: _source_target) may read ``path``."""
    return target == path or (any(c in target for c in "*?[") and fnmatch.fnmatchcase(path, target))


def impossible_options(base: object) -> Impossible:
    """CONFIG_X -> why no x86-64 build of ``base``'s tree sets it ('depends on ARM64 (drivers/k/Kconfig:3), which
    only arch/arm64 defines'), None where one may or it is not known; never anything without a top-level Kconfig
    or a reader that can search the Kconfig files."""
    memo: dict[str, str | None] = {}
    if not isinstance(base, Kconfigs) or (top := base("Kconfig")) is None or top.absent:
        return lambda _option: None

    def why(option: str) -> str | None:
        if option not in memo:
            memo[option] = _why(base, option.removeprefix("CONFIG_"), 0, memo)
        return memo[option]
    return why


def _why(base: Kconfigs, sym: str, depth: int, memo: dict[str, str | None]) -> str | None:
    if f"CONFIG_{sym}" in CONFIG_UNSET:
        return f"CONFIG_{sym} is the other word size: the mirror's build is x86-64"
    if sym in _X86_64 or depth > MAX_DEPTH or len(memo) > MAX_SYMBOLS:
        return None
    found = base.kconfig(sym)
    if found is None:
        return None
    defs, selects = found
    unread = {p: w for p in sorted({p for p, _ in defs if _this_arch(p)}) if (w := _unread(base, p)) is not None}
    ours = [(p, n) for p, n in defs if _this_arch(p) and p not in unread]
    if not ours:
        elsewhere = [f"arch/{a}'s Kconfig" for a in sorted({p.split("/")[1] for p, _ in defs if p.startswith("arch/")})]
        elsewhere += [f"{p}, which no x86-64 build reads ({w})" for p, w in unread.items()]
        return f"CONFIG_{sym} is defined only in {', '.join(elsewhere)}" if elsewhere \
            else f"no Kconfig file of the tree defines CONFIG_{sym} (kconfig takes it as n)"
    said = []
    for path, line in ours:
        dep = _depends(base, path, line)
        blocked = _blocking(base, dep, depth, memo) if dep is not None else None
        if dep is None or blocked is None:
            return None  # this definition may be set
        said.append(f"{dep[1]} depends on {dep[0]}, and {blocked}")
    for path, line in (s for s in selects if _this_arch(s[0]) and _unread(base, s[0]) is None):
        if _select_blocked(base, path, line, depth, memo):
            continue  # 'select SYM if COND' with COND n in every x86-64 build selects nothing
        owner = _owner(base, path, line)
        if owner is None or _why(base, owner, depth + 1, memo) is None:
            return None  # selected by an option that may be set (or by one not read): set whatever it depends on
    return "; ".join(said) + ("" if not selects else "; no option that may be set selects it")


_SELECT_IF = lazy(r"^\s*select\s+\w+\s+if\s+(.+?)\s*(?:#.*)?$")


def _select_blocked(base: Kconfigs, path: str, line: int, depth: int, memo: dict[str, str | None]) -> bool:
    """Whether the ``select`` line at ``path:line`` has an ``if`` condition that is n in every x86-64 build."""
    got = base(path)
    text = got.lines.get(line, ("",))[0] if got is not None and not got.absent else ""
    m = _SELECT_IF().match(text)
    return m is not None and _blocking(base, (m.group(1), f"{path}:{line}"), depth, memo) is not None


def _this_arch(path: str) -> bool:
    parts = path.split("/")
    return not (len(parts) > 2 and parts[0] == "arch" and parts[1] != "x86")


def _unread(base: Kconfigs, path: str, seen: frozenset[str] = frozenset()) -> str | None:
    """Why no x86-64 build reads the Kconfig file ``path`` ('sourced only by arch/arm64/Kconfig:3'): every
    ``source`` line that may read it (TreeReader.sourcing) is in another architecture's Kconfig files, or in a file
    no x86-64 build reads in turn (scripts/kconfig reads the top ``Kconfig`` and what it sources, ``$(SRCARCH)``
    being x86). None where one may or it is not known: the top file, no line found (a path it cannot resolve), a
    loop, the tree not searched."""
    finder = getattr(base, "sourcing", None)
    got = finder(path) if callable(finder) and path != "Kconfig" and len(seen) <= MAX_SOURCES else None
    if not got:
        return None
    why = []
    for at, line in got:
        if not _this_arch(at):
            why.append(f"{at}:{line}")
        elif at in seen or (inner := _unread(base, at, seen | {path})) is None:
            return None
        else:
            why.append(f"{at}:{line} ({inner})")
    return f"sourced only by {' and '.join(why)}"


def _depends(base: Kconfigs, path: str, line: int) -> tuple[str, str] | None:
    """The ``depends on`` expressions of the config block at ``path:line``, joined with ``&&``, and where; None when
    it has none (or the file cannot be read)."""
    got = base(path)
    if got is None or got.absent or not got.complete:
        return None
    outer = _sourced_under(base, path, {path})
    deps = [d for d, _ in outer] + _enclosing_ifs(got, line)
    n = line + 1
    while n in got.lines and not _BLOCK_END().match(got.lines[n][0]):
        text = got.lines[n][0]
        while text.rstrip().endswith("\\") and n + 1 in got.lines:
            n += 1
            text = text.rstrip()[:-1] + " " + got.lines[n][0]
        if (m := _DEPENDS().match(text.split("#", 1)[0])) is not None:
            deps.append(f"({m.group(1).strip()})" if "||" in m.group(1) else m.group(1).strip())
        n += 1
    via = "".join(f", sourced under {d} at {w}" for d, w in reversed(outer))
    return (" && ".join(deps), f"{path}:{line}{f' ({via[2:]})' if via else ''}") if deps else None


def _sourced_under(base: Kconfigs, path: str, seen: set[str]) -> list[tuple[str, str]]:
    """The conditions of the blocks around the one ``source`` line that reads the Kconfig file ``path`` (and around
    the one reading that file, up to the top), outermost first, each with that line's path:line: each a dependency
    of every option inside. Lines in another architecture's Kconfig files are not counted; nothing where no line
    or more than one reads it (either may be the one a build takes), or the tree cannot be searched."""
    finder = getattr(base, "sourcing", None)
    got = finder(path) if callable(finder) and len(seen) <= MAX_SOURCES else None
    # Another architecture's Kconfig is not read on x86, nor a file only such files source.
    got = [(p, n) for p, n in got or () if _this_arch(p) and _unread(base, p) is None]
    if len(got) != 1 or got[0][0] in seen:
        return []
    at, line = got[0]
    f = base(at)
    if f is None or f.absent or not f.complete:
        return []
    return _sourced_under(base, at, seen | {at}) + [(d, f"{at}:{line}") for d in _enclosing_ifs(f, line)]


MAX_SOURCES = 16  # Kconfig files followed up from an option's (a kernel's are some 5 deep)
_IF = lazy(r"^\s*if\s+(.+?)\s*(?:#.*)?$")
_ENDIF = lazy(r"^\s*endif\b")


_OPEN = lazy(r"^\s*(menu|choice)\b")  # not menuconfig: \b after 'menu' needs a non-word character
_CLOSE = lazy(r"^\s*(endmenu|endchoice)\b")
_HELP = lazy(r"^\s*(?:help|---help---)\s*$")


def _enclosing_ifs(got: FileState, line: int) -> list[str]:
    """The conditions of the blocks of ``got`` open at ``line``, each a dependency of the options inside it
    (Documentation/kbuild/kconfig-language.rst): an ``if EXPR`` ... ``endif``, and a ``menu`` ... ``endmenu`` or a
    ``choice`` ... ``endchoice`` with the ``depends on`` lines of its head; outermost first. A help text's lines are
    no block's (an 'if unsure, say N' there opens none)."""
    stack: list[tuple[str, list[str]]] = []
    head: list[str] | None = None  # the deps of the menu or choice whose head is being read
    help_indent: int | None = None  # -1: a help text starts, its first line not seen yet
    for n in sorted(k for k in got.lines if k < line):
        text = got.lines[n][0].expandtabs(8)
        if help_indent is not None:
            indent = len(text) - len(text.lstrip())
            if not text.strip() or (help_indent >= 0 and indent >= help_indent):
                continue
            if help_indent < 0 and indent > 0:
                help_indent = indent
                continue
            help_indent = None
        body = text.split("#", 1)[0]
        if _HELP().match(body):
            help_indent, head = -1, None
        elif (m := _IF().match(text)) is not None:
            stack.append(("if", [f"({m.group(1)})" if "||" in m.group(1) else m.group(1)]))
            head = None
        elif (o := _OPEN().match(body)) is not None:
            head = []
            stack.append((o.group(1), head))
        elif head is not None and (d := _DEPENDS().match(body)) is not None:
            head.append(f"({d.group(1).strip()})" if "||" in d.group(1) else d.group(1).strip())
        elif _BLOCK_END().match(body):
            head = None
            closing = "if" if _ENDIF().match(body) else (c.group(1)[3:] if (c := _CLOSE().match(body)) else None)
            if closing is not None and stack and stack[-1][0] == closing:
                stack.pop()
    return [dep for _, deps in stack for dep in deps]


def _blocking(base: Kconfigs, dep: tuple[str, str], depth: int, memo: dict[str, str | None]) -> str | None:
    """Why the expression ``dep`` is n in every x86-64 build, or None where it may be y (or is not read)."""
    tokens = [t.strip() for t in _TOKEN().findall(dep[0])]
    if "".join(tokens) != "".join(dep[0].split()):
        return None  # not read: text the tokens do not cover (a '<' comparison, a macro)
    reasons: dict[str, str] = {}

    def value(sym: str) -> bool | None:
        """True: set in every x86-64 build; False: in none; None: in some (it may be set, or not)."""
        if sym in ("y", "m") or sym in _X86_64:
            return True
        if sym == "n":
            return False
        key = f"CONFIG_{sym}"
        if key not in memo:
            memo[key] = None  # a dependency loop: taken as settable
            memo[key] = _why(base, sym, depth + 1, memo)
        if memo[key] is not None:
            reasons[sym] = memo[key] or ""
            return False
        return None

    parsed = _Expr(tokens, value, reasons, lambda sym: _tristate(base, sym))
    result = parsed.parse()
    if result is not False or not parsed.ok:
        return None
    return "; ".join(reasons.values()) or f"{dep[0]} is n on x86-64"


class _Expr:
    """A Kconfig dependency expression (!, &&, ||, parentheses, ``=``/``!=`` with y, m or n) read in three values, as
    over every x86-64 build:
    True (y in all), False (n in all), None (y in some); ``ok`` is False where it does not parse. An option that
    may be set may also be unset: its ``!`` is None, never False."""

    def __init__(self, tokens: list[str], value: Callable[[str], bool | None], reasons: dict[str, str],
                 tristate: Callable[[str], bool] = lambda _sym: False) -> None:
        self.tokens, self.at, self.value, self.ok, self.reasons = tokens, 0, value, True, reasons
        self.tristate = tristate  # whether a symbol is a bool or tristate the x86 Kconfig files define

    def parse(self) -> bool | None:
        try:
            got = self._or()
        except (IndexError, ValueError):
            self.ok = False
            return None
        self.ok = self.at == len(self.tokens)
        return got if self.ok else None

    def _or(self) -> bool | None:
        left = self._and()
        while self.at < len(self.tokens) and self.tokens[self.at] == "||":
            self.at += 1
            right = self._and()
            left = True if True in (left, right) else None if None in (left, right) else False
        return left

    def _and(self) -> bool | None:
        left = self._not()
        while self.at < len(self.tokens) and self.tokens[self.at] == "&&":
            self.at += 1
            right = self._not()
            left = False if False in (left, right) else None if None in (left, right) else True
        return left

    def _not(self) -> bool | None:
        tok = self.tokens[self.at]
        self.at += 1
        if tok == "!":
            inner = self._not()
            return None if inner is None else not inner
        if tok == "(":
            inner = self._or()
            if self.tokens[self.at] != ")":
                raise ValueError(tok)
            self.at += 1
            return inner
        if self.at < len(self.tokens) and self.tokens[self.at] in ("=", "!="):
            op, other = self.tokens[self.at], self.tokens[self.at + 1]
            self.at += 2
            return self._compare(tok.strip('"'), op, other.strip('"'))
        if not re.fullmatch(r"[A-Za-z0-9_]+", tok):
            raise ValueError(tok)
        return self.value(tok)

    def _compare(self, left: str, op: str, right: str) -> bool | None:
        """``left = right`` (or ``!=``) where one side is y, m or n, as scripts/kconfig's expr_calc_value compares: an
        x86-64 symbol (X86) is y; one no x86-64 build sets is n where x86's Kconfig files define it as a bool or a
        tristate, else its own name or "" (strings no constant equals): its ``= y``/``= m`` never holds and its
        ``!= y``/``!= m`` always does, its ``= n``/``!= n`` only where it is such a bool or tristate; anything else
        (two symbols, a number, a string, a symbol that may be set) is None (not read)."""
        if left in _TRISTATE:
            left, right = right, left
        if right not in _TRISTATE or not re.fullmatch(r"[A-Za-z0-9_]+", left):
            return None
        known = left if left in _TRISTATE else "y" if left in _X86_64 else None
        if known is None:
            if self.value(left) is not False or (right == "n" and not self.tristate(left)):
                return None  # it may be set; or n against a symbol whose value may be a string
            known = "n"
        got = (known == right) is (op == "=")
        if got:
            self.reasons.pop(left, None)  # why it is n is no reason the expression is
        return got



_TYPE = lazy(r"^\s*(bool|tristate|def_bool|def_tristate|int|hex|string|def_int|def_hex|def_string)\b")


def _tristate(base: Kconfigs, sym: str) -> bool:
    """Whether the Kconfig files an x86-64 build reads define ``sym``, each of its ``config`` blocks there as a
    ``bool`` or a ``tristate`` (a block with no type line, one that adds to a definition elsewhere, says nothing)."""
    found = base.kconfig(sym)
    ours = [(p, n) for p, n in (found[0] if found else ()) if _this_arch(p) and _unread(base, p) is None]
    kinds = set()
    for path, line in ours:
        got = base(path)
        if got is None or got.absent or not got.complete:
            return False
        n = line + 1
        while n in got.lines and not _BLOCK_END().match(got.lines[n][0]):
            if (m := _TYPE().match(got.lines[n][0])) is not None:
                kinds.add(m.group(1).removeprefix("def_"))
            n += 1
    return bool(kinds) and kinds <= {"bool", "tristate"}


def _owner(base: Kconfigs, path: str, line: int) -> str | None:
    """The symbol whose config block holds the ``select`` line ``path:line``, None where none is found."""
    got = base(path)
    if got is None or got.absent:
        return None
    for n in range(line - 1, 0, -1):
        text = got.lines.get(n, ("",))[0]
        if (m := re.match(r"^\s*(?:menu)?config\s+(\w+)", text)) is not None:
            return m.group(1)
        if _BLOCK_END().match(text):
            return None
    return None
