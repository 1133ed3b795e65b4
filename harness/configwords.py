"""How a result says it rests on the one kernel configuration the mirror builds (harness.configonly's words)."""

from __future__ import annotations

import re

from models.lazyre import lazy

WHY = ("only another kernel configuration builds it (other CONFIG_ settings, or a macro that a header not read, "
       "the including file or a Makefile's -D defines), or runs it (the other value of an IS_ENABLED() in C): the "
       "mirror builds one, every CONFIG_ option set and such macros undefined, so no scenario ran it and no source "
       "check read it; judge that branch by eye, or give a variant without the #if")

# A changed place only another configuration builds, as harness.linecover.unrun_changes says it: 'sc_retry()
# (FILE:18-27) under #ifndef CONFIG_X (FILE:17) never ran in v2: ' + WHY (harness.configonly.unbuilt_reached).
_UNDER = lazy(r" under (.*) \([^()]*:\d+\) never ran in \S+: " + re.escape(WHY) + "$")
_OPTION = re.compile(r"\bCONFIG_\w+")
_PLACE = lazy(r"\([^()]*:\d+\)")  # a directive's (path:line)
_WORD = re.compile(r"\b[A-Za-z_]\w*\b")
_NO_MACRO = frozenset(("if", "ifdef", "ifndef", "elif", "else", "of", "defined", "taken", "as", "IS_ENABLED",
                       "IS_BUILTIN", "IS_MODULE", "IS_REACHABLE"))


def _directives(places: tuple[str, ...]) -> list[str]:
    return [_PLACE().sub("", m.group(1)) for m in map(_UNDER().search, places) if m is not None]


def config_assumed(places: tuple[str, ...]) -> tuple[str, ...] | None:
    """The CONFIG_ options the directives of the configuration-only places among ``places`` (unrun_changes')
    test, each once in order (an ``#else``'s are its ``#if``'s: harness.configonly names it): the mirror took each
    as set, and the result holds for that configuration; () where they name none, None where no place is
    configuration-only."""
    found = _directives(places)
    if not found:
        return None
    return tuple(dict.fromkeys(o for directive in found for o in _OPTION.findall(directive)))


def macros_assumed(places: tuple[str, ...]) -> tuple[str, ...]:
    """The other macros those directives test, each once in order (``#ifdef SEAMLDR_RETRY_BOTH`` in a function
    body): the mirror took each as defined where a line it read defines it, else as undefined
    (harness.configonly._Cpp)."""
    return tuple(dict.fromkeys(w for d in _directives(places) for w in _WORD.findall(d)
                               if w not in _NO_MACRO and not _OPTION.match(w)))


def config_headline(said: str, changer: str, places: tuple[str, ...], others: int) -> str | None:
    """A 'no behaviour change' headline (``said``) over changed code of which some only another configuration
    builds (``places``, unrun_changes'), saying the configuration it holds for; ``others``: the places not run for
    another reason. None where no place is configuration-only."""
    options = config_assumed(places)
    if options is None:
        return None
    macros = macros_assumed(places)
    them = "it" if len(macros) == 1 else "them"
    if options:
        config = f"{' and '.join(options)} set" + (f" and {' and '.join(macros)} undefined where no line the mirror "
                                                  f"read defines {them}" if macros else "") + \
            ", as the mirror builds every CONFIG_ option"
    elif len(macros) == 1:  # the one name the mirror's reading and some configuration's differ on
        config = f"{macros[0]} undefined, as no line the mirror read defines it"
    elif macros:
        config = f"{' and '.join(macros)} undefined where no line the mirror read defines them"
    else:
        config = "every CONFIG_ option set, as the mirror builds them"
    if others:
        return f"{said} with {config}, but some of the code {changer} changes never ran, and some of it only " \
               "another kernel configuration builds"
    return f"{said} with {config}, but {changer} changes code only another kernel configuration builds, which " \
           "never ran"
