"""Whether a tree's .c file found for an out-of-line function is built, and on which CONFIG_ options its
definition rests (harness.unitdefs): the Makefile line naming its object, the ``#if`` lines around the definition.

The mirror builds one configuration, every CONFIG_ option set (models.conditional): a definition under
``#ifdef CONFIG_X``, or in a file only ``obj-$(CONFIG_X) += x.o`` builds, is taken, and a result resting on it says
so (Header.assumes, harness.configonly.assumed_built). A file no Kbuild line builds is never linked, in any
configuration: its function is not taken; nor one whose being built is not known (objects by pattern, through a
variable). Of a function that one file builds whatever the configuration and another only with an option, the
first is the one linked: a configuration building both has two definitions of it, which does not link.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from harness.filestate import FileState
from harness.linking import Link, tree_link
from models.record import record
from models.slicer import Definition

_IF = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")
_OPTION = re.compile(r"\bCONFIG_\w+")


@record
class Built:
    """How a tree's .c file is built: whether it is (``ok``), the CONFIG_ options that takes (``options``), and the
    words for both (``why``: 'k/Makefile:1 names seam.o (CONFIG_SEAM taken as set)')."""

    ok: bool
    options: str
    why: str


def built(path: str, read: Callable[[str], FileState | None]) -> Built:
    """harness.linking.tree_link of ``path`` as a Built: not ``ok`` unless LINKED."""
    link = tree_link(path, read)
    if link.status is Link.LINKED:
        return Built(True, link.assumes, link.why)
    said = "kbuild does not build it" if link.status is Link.NOT_LINKED else "whether kbuild builds it is unknown"
    return Built(False, "", f"{said} ({link.why})")


def guards(got: FileState, d: Definition) -> str:
    """The ``#if`` lines around ``d`` in its file that test a CONFIG_ option, as the mirror took them (every option
    set): 'under #ifdef CONFIG_SEAM (k/seam.c:1)', '' where none does. An ``#else``/``#elif`` is said with the
    ``#if`` it follows."""
    frames: list[tuple[str, int]] = []
    for n in sorted(k for k in got.lines if k < d.line):
        m = _IF.match(got.lines[n][0].split("//", 1)[0].split("/*", 1)[0])
        if m is None:
            continue
        kind, rest = m.group(1), " ".join(m.group(2).split())
        if kind in ("if", "ifdef", "ifndef"):
            frames.append((f"#{kind} {rest}", n))
        elif kind == "endif" and frames:
            frames.pop()
        elif frames:
            first = frames[-1][0].split(" of ")[-1]
            frames[-1] = (f"#{kind}{' ' + rest if rest else ''} of {first}", n)
    said = [f"{text} ({got.path}:{n})" for text, n in frames if _OPTION.search(text)]
    return f"{d.name}() at {d.where} is under {', '.join(said)}, taken as set" if said else ""


def options_of(text: str) -> str:
    """The CONFIG_ options a guard's words name, each once, space-separated."""
    return " ".join(dict.fromkeys(_OPTION.findall(text)))
