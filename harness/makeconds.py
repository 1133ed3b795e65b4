"""Which make conditionals (``ifdef``/``ifeq`` ... ``endif``) of a kbuild Makefile an x86-64 build takes."""

from __future__ import annotations

import itertools
import re

from harness.filestate import FileState
from models.lazyre import lazy
from models.record import record


@record
class MakeConditions:
    """What the make conditionals (``ifdef``/``ifndef``/``ifeq``/``ifneq`` ... ``else`` ... ``endif``) open at a
    Makefile line ask of an x86-64 build: ``never``, the first that no such build takes ('ifeq ($(CONFIG_X86_32),y)
    (k/Makefile:1)'); ``options``, the CONFIG_ options they need set (taken as set, as everywhere); ``unread``, the
    first that tests anything else, or needs an option unset that such a build may set (not known)."""

    never: str = ""
    options: tuple[str, ...] = ()
    unread: str = ""
    # Each conditional not read, as (its line, whether the line asked about is in its first branch): a Makefile
    # line is built whatever they hold only when lines naming the same object cover every way (harness.linking).
    unknowns: tuple[tuple[int, bool], ...] = ()


NEVER_TAKEN = "which no x86-64 build takes"  # the words for a line only such conditionals hold (harness.linking)
NOT_READ = "a make conditional not read"  # the words for a line inside one whose choice is not known
_MAKE_IF = re.compile(r"^\s*(ifdef|ifndef|ifeq|ifneq)\s+(.*?)\s*$")
_MAKE_ELSE = re.compile(r"^\s*else\b\s*(.*?)\s*$")
_MAKE_ENDIF = re.compile(r"^\s*endif\b")
_MAKE_DEFINE = re.compile(r"^\s*(?:(?:override|export)\s+)*define\s")  # a multi-line variable, up to 'endef'
_MAKE_ENDEF = lazy(r"^\s*endef\b")
_MAKE_VALUE = lazy(r"^\$[({](CONFIG_\w+)[)}]$")
_ALWAYS = frozenset({"CONFIG_X86", "CONFIG_X86_64", "CONFIG_64BIT"})  # y in every x86-64 build (harness.kconfig)
# In none: the other word size (models.conditional.CONFIG_UNSET), and the symbol each other architecture's
# arch/<arch>/Kconfig defines for itself, which scripts/kconfig reads only where SRCARCH is that architecture.
_NEVER = frozenset({"CONFIG_X86_32", "CONFIG_32BIT", *(f"CONFIG_{a}" for a in (
    "ALPHA", "ARC", "ARM", "ARM64", "CSKY", "HEXAGON", "LOONGARCH", "M68K", "MICROBLAZE", "MIPS", "NIOS2", "OPENRISC",
    "PARISC", "PPC", "PPC32", "PPC64", "RISCV", "S390", "SUPERH", "SPARC", "SPARC32", "SPARC64", "UML", "XTENSA"))})


def make_conditions(f: FileState, line: int) -> MakeConditions:
    """The make conditionals of ``f`` open at ``line`` (GNU make's, as kbuild's Makefiles use them: an ``else``
    takes the other branch, ``else ifeq ...`` chains), read for an x86-64 build: ``ifdef CONFIG_X``, ``ifeq
    ($(CONFIG_X),y)``, ``ifneq ($(CONFIG_X),)`` need X set (``y`` where it is X86, X86_64 or 64BIT; never where it is
    X86_32 or another architecture's own symbol, ARM64 ...), their other branches X unset; ``ifeq ($(SRCARCH),x86)``
    holds, against another name it does not; a test of ``m``, of two variables or of any other variable is not
    read. A line inside ``define NAME`` ... ``endef`` (a variable's text, built only where
    ``$(eval ...)`` expands it) is not read either."""
    frames: list[list[tuple[str, int, bool]]] = []
    cont = False
    macro = 0  # the line of a 'define NAME' open there: its lines are a variable's text, no directive or list
    for k in sorted(x for x in f.lines if x < line):
        text = f.lines[k][0].split("#", 1)[0]
        was, cont = cont, text.rstrip().endswith("\\")
        if was:
            continue  # an assignment's continuation, never a directive
        if macro or _MAKE_DEFINE.match(text):
            macro = 0 if macro and _MAKE_ENDEF().match(text) else macro or k
            continue
        if (m := _MAKE_IF.match(text)) is not None:
            frames.append([(f"{m.group(1)} {m.group(2)}", k, True)])
        elif (m := _MAKE_ELSE.match(text)) is not None and frames:
            cond, at, _ = frames[-1][-1]
            frames[-1][-1] = (cond, at, False)
            if (inner := _MAKE_IF.match(m.group(1))) is not None:
                frames[-1].append((f"{inner.group(1)} {inner.group(2)}", k, True))
        elif _MAKE_ENDIF.match(text) and frames:
            frames.pop()
    options: list[str] = []
    unread = f"{f.lines[macro][0].strip()} ({f.path}:{macro}), the text of a variable" if macro else ""
    unknowns: list[tuple[int, bool]] = [(macro, True)] if macro else []
    for cond, at, taken in (c for frame in frames for c in frame):
        where = f"{cond} ({f.path}:{at}){'' if taken else ', its else branch'}"
        need = _needs(cond)
        if need is None:
            unread = unread or where
            unknowns.append((at, taken))
            continue
        option, wants = need[0], need[1] is taken
        if option in (_ALWAYS if wants else _NEVER):
            continue
        if option in (_NEVER if wants else _ALWAYS):
            return MakeConditions(never=where)
        if wants:
            options.append(option)
        else:
            unread = unread or f"{where}: it needs {option} unset"
            unknowns.append((at, taken))
    return MakeConditions(options=tuple(options), unread=unread, unknowns=tuple(unknowns))


def _needs(cond: str) -> tuple[str, bool] | None:
    """(the CONFIG_ option a make conditional tests, whether its first branch needs it set); None where it tests
    anything else. A test of ``$(SRCARCH)`` against a name is one of CONFIG_X86 (x86: set, else unset)."""
    kind, _, rest = cond.partition(" ")
    if kind in ("ifdef", "ifndef"):
        return (rest, kind == "ifdef") if re.fullmatch(r"CONFIG_\w+", rest) else None
    if rest.startswith("(") and rest.endswith(")") and rest.count(",") == 1:
        sides = [t.strip() for t in rest[1:-1].split(",")]
    elif (q := re.fullmatch(r"""(["'])(.*?)\1\s+(["'])(.*?)\3""", rest)) is not None:
        sides = [q.group(2).strip(), q.group(4).strip()]
    else:
        return None
    arch = [b for a, b in (sides, sides[::-1]) if a in ("$(SRCARCH)", "${SRCARCH}") and re.fullmatch(r"\w*", b)]
    if len(arch) == 1:  # kbuild's SRCARCH is x86 in every x86-64 build: X86 stands for 'taken'
        return "CONFIG_X86", (arch[0] == "x86") is (kind == "ifeq")
    found = [(_MAKE_VALUE().match(a), b) for a, b in (sides, sides[::-1]) if _MAKE_VALUE().match(a) and b in ("y", "")]
    if len(found) != 1 or found[0][0] is None:
        return None
    option, value = found[0][0].group(1), found[0][1]
    return option, (value == "y") is (kind == "ifeq")


def every_way(needs: list[tuple[tuple[int, bool], ...]]) -> bool:
    """Whether, whatever the make conditionals not read hold (each a line and the branch a naming line is in),
    one of the naming lines is built; False past 8 such conditionals (2**8 ways tried)."""
    conds = sorted({at for need in needs for at, _ in need})
    if len(conds) > 8:
        return False
    for way in itertools.product((True, False), repeat=len(conds)):
        holds = dict(zip(conds, way, strict=True))
        if not any(all(holds[at] is taken for at, taken in need) for need in needs):
            return False
    return True
