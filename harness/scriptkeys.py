"""The static keys a matrix's scripts turn on or off (docs/matrix.md), checked against the code of the states run."""

from __future__ import annotations

from collections.abc import Iterable

from harness.errors import InputError, Where
from harness.matrix import Matrix
from models.loader import Source, definitions
from models.runcontext import feature_name
from models.slicer import Kind


def check_keys(matrix: Matrix, states: Iterable[tuple[Source, ...]]) -> None:
    """Raise InputError at the line of the first static key a script of ``matrix`` names (static_keys_on,
    static_keys_off) that no file of any of ``states`` (each a variant's sources: harness.runner.variant_sources)
    defines as a file-scope variable, a DEFINE_STATIC_KEY_*() invocation's expanded (models.loader.definitions):
    a misspelt key would otherwise start as its DEFINE_ macro says in every run, the script's word unused."""
    named = {name: (path, line) for s in matrix.scripts for name, path, line in s.key_lines}
    if not named:
        return
    defined: set[str] = set()
    for sources in states:
        defined.update(n for n, defs in definitions(sources).items() if n in named
                       and any(d.kind is Kind.VARIABLE for d in defs))
    missing = sorted((at, name) for name, at in named.items() if name not in defined and not feature_name(name))
    if missing:
        (path, line), name = missing[0]
        raise InputError(Where(path, line),
                         f"static key {name}: no file of the code run defines it (DEFINE_STATIC_KEY_TRUE({name}) "
                         "or _FALSE, a file-scope struct static_key)")
