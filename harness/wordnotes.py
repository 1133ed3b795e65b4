"""What two words of an eval's reports stand for, said where they are used: value runs, an entry's own leaf."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from harness.comparison import Comparison
from harness.matrix import Scenario

VALUE_RUNS = "docs/matrix.md: Value runs"


def _count(counts: Counter[str], names: list[str]) -> str:
    """'35 scenarios' where each of ``names`` has that many, else ''."""
    alike = {counts[n] for n in names}
    return f" ({alike.pop()} scenarios)" if len(alike) == 1 else ""


def own_leaf_line(scenarios: Iterable[Scenario]) -> str | None:
    """Where the matrix runs entry points fed no leaf beside ones fed it: why the first count fewer scenarios ('35'
    beside '70', unexplained in the reports until now) and what '[its own leaf x ...]' means; None elsewhere."""
    counts: Counter[str] = Counter()
    own: dict[str, None] = {}
    for s in scenarios:
        counts[s.entry.name] += 1
        if s.leafless:
            own[s.entry.name] = None
    fed = [n for n in counts if n not in own]
    if not own or not fed:
        return None
    names = ", ".join(f"{n}()" for n in own)
    return (f"its own leaf: {names} {'is' if len(own) == 1 else 'are'} fed no leaf (the SEAMCALL leaf is the "
            f"code's own choice), so each script runs once per kind of leaf, the TDX module's and the P-SEAMLDR's"
            f"{_count(counts, list(own))}, where an entry point fed the leaf runs it under each leaf of the matrix"
            f"{_count(counts, fed)}; their facts say '[its own leaf x SCRIPTS]' (docs/matrix.md: Entry points fed "
            f"no leaf)")


def value_runs_line(comparisons: Iterable[Comparison]) -> str | None:
    """Where a comparison's facts hold under a value run (a script the matrix lacks: harness.valuecover), or what it
    says of code names value runs: what they are, said once; None where none is named."""
    extra: dict[str, None] = {}
    named = False
    for c in comparisons:
        extra.update((x.script.name, None) for x in c.extra)
        named = named or any("value run" in line for line in c.uncovered())
    if not extra and not named:
        return None
    shown = list(extra)
    which = (f"{shown[0]}{f' and {len(shown) - 1} more' if len(shown) > 1 else ''} "
             f"{'is' if len(shown) == 1 else 'are'} " if shown else "they are ")
    return (f"value runs: {which}no script of the matrix: a comparison whose patch changes a condition runs, on both "
            f"sides and nowhere else, a status next to each constant the condition tests (named in the script) as "
            f"the first SEAMCALL's answer, then success; such a run is no scenario of the matrix, and code that ran "
            f"only in them is not counted as run by the matrix ({VALUE_RUNS})")
