"""How a result says it rests on the one kernel configuration the mirror builds (harness.configonly's words)."""

from __future__ import annotations

import re

WHY = ("only another kernel configuration builds it (other CONFIG_ settings, or a macro that a header not read, "
       "the including file or a Makefile's -D defines), or runs it (the other value of an IS_ENABLED() in C): the "
       "mirror builds one, every CONFIG_ option set and such macros undefined, so no scenario ran it and no source "
       "check read it; judge that branch by eye, or give a variant without the #if")

# A changed place only another configuration builds, as harness.linecover.unrun_changes says it: 'sc_retry()
# (FILE:18-27) under #ifndef CONFIG_X (FILE:17) never ran in v2: ' + WHY (harness.configonly.unbuilt_reached).
_UNDER = re.compile(r" under (.*) \([^()]*:\d+\) never ran in \S+: " + re.escape(WHY) + "$")
_OPTION = re.compile(r"\bCONFIG_\w+")


def config_assumed(places: tuple[str, ...]) -> tuple[str, ...] | None:
    """The CONFIG_ options the directives of the configuration-only places among ``places`` (unrun_changes')
    test, each once in order: the mirror took each as set, and the result holds for that configuration; () where
    their directives name none (the ``#else`` of an ``#ifdef``), None where no place is configuration-only."""
    found = [m.group(1) for m in map(_UNDER.search, places) if m is not None]
    if not found:
        return None
    return tuple(dict.fromkeys(o for directive in found for o in _OPTION.findall(directive)))


def config_headline(said: str, changer: str, places: tuple[str, ...], others: int) -> str | None:
    """A 'no behaviour change' headline (``said``) over changed code of which some only another configuration
    builds (``places``, unrun_changes'), saying the configuration it holds for; ``others``: the places not run for
    another reason. None where no place is configuration-only."""
    options = config_assumed(places)
    if options is None:
        return None
    named = " and ".join(options)
    config = f"{named} set, as the mirror builds every CONFIG_ option" if options \
        else "every CONFIG_ option set, as the mirror builds them"
    if others:
        return f"{said} with {config}, but some of the code {changer} changes never ran, and some of it only " \
               "another kernel configuration builds"
    return f"{said} with {config}, but {changer} changes code only another kernel configuration builds, which " \
           "never ran"
