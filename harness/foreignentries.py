"""The matrix's own entry points a series of one's own lacks in every state: said once, not under every patch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from harness.comparison import Comparison
from harness.matrix import EntryKind, Matrix
from harness.matrixresult import MatrixResult
from models.outcome import OutcomeStatus


def foreign_entries(matrix: Matrix, res: MatrixResult) -> tuple[str, ...]:
    """The matrix's own entry points no state of the input has, where entry points were found in its code instead
    (a series of one's own under the bundled matrix): said once (harness.reportview.EvalReport.word_notes), not
    under every patch as 'not compared: seamcall(), ...: neither v1:00 nor v1:01 defines them', the P-SEAMLDR
    series' words on a series that never had those names. None where the input has any of them (a state lacking
    one is then worth saying)."""
    if all(e.kind is EntryKind.MATRIX for e in matrix.entries):
        return ()
    provided = {s.entry.name for v in res.variants
                for s, o in zip(matrix.scenarios, res.outcomes_of(v.name), strict=True)
                if o.status is not OutcomeStatus.NOT_PROVIDED}
    own = [e.name for e in matrix.entries if e.kind is EntryKind.MATRIX]
    return () if any(n in provided for n in own) else tuple(dict.fromkeys(own))


def without_gaps_of(comparisons: Iterable[Comparison], foreign: tuple[str, ...]) -> tuple[Comparison, ...]:
    """The comparisons less their gaps of entry points in ``foreign`` alone (foreign_entries)."""
    if not foreign:
        return tuple(comparisons)
    return tuple(replace(c, gaps=tuple(g for g in c.gaps if not set(g.entries) <= set(foreign)))
                 for c in comparisons)

