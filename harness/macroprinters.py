"""Function-like macros of a variant's code that print: printers, for a 'no new printer' check, as functions are."""

from __future__ import annotations

from harness.runner import variant_sources
from harness.variants import Variant
from models.facts import PRINTK, PRINTS
from models.lazyre import lazy
from models.loader import definitions
from models.slicer import Definition, Kind, strings_blanked

_CALLED = lazy(r"\b([A-Za-z_]\w*)\s*\(")


def macro_printers(v: Variant, warnings: bool) -> dict[str, str]:
    """``name -> file:line`` of each function-like macro the variant's C defines whose body calls a printk-family
    function (``warnings``: or a WARN() with a message), itself or through another such macro of the code: a
    statement-expression ``seamldr_prerr()`` that prints, a ``seamldr_err()`` of one ``pr_err()``. CodeFacts knows
    functions only, and a macro no function of the state expands (a matrix entry point, one a later patch uses)
    was seen by no count of printers."""
    kinds = PRINTS if warnings else PRINTK
    macros = {name: found[0] for name, found in definitions(variant_sources(v)).items()
              if found and found[0].kind is Kind.MACRO and found[0].params is not None and name not in PRINTS}
    called = {name: _called(d) - {name} for name, d in macros.items()}
    printing = {name for name, words in called.items() if words & kinds}
    grown = True
    while grown:  # a macro expanding one that prints prints too
        more = {name for name, words in called.items() if name not in printing and words & printing}
        printing |= more
        grown = bool(more)
    return {name: macros[name].where for name in sorted(printing)}


def _called(d: Definition) -> set[str]:
    """The words of the macro's text followed by ``(`` outside string literals (comments are blanked already)."""
    return set(_CALLED().findall(strings_blanked(d.text)))
