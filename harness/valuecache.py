"""What harness.valuecover found for a comparison, kept in the outcome cache: a rerun loads and parses no C for it.

Its findings come from parsing both sides' C (models.neighbours, models.decided) and from extra mirror runs; they
are kept under a key naming every input (as the matrix's outcomes and code facts are): both sides' names and code,
the entry points, each compared lane with its pr_fmt on each side and every scenario compared, the matrix's leaves
and scripts, whether the comparison differs already, the mirror (OutcomeCache.key) and this harness's own source
(what the findings say is worked out here). A missing, damaged or other-shaped entry is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import astuple
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.canonical import NotCanonical, canonical_digest
from harness.convnotes import ConversionChange, ConversionNote
from harness.eventwords import TraceNote
from harness.explain import DiffClass, trace_detail
from harness.runner import variant_sources
from models.sourcedigest import kept_source_digest

if TYPE_CHECKING:
    from collections.abc import Callable

    from harness.matrix import Matrix
    from harness.matrixresult import MatrixResult
    from harness.outcome_cache import OutcomeCache
    from harness.variants import Variant

FORMAT = "values-6"  # the shape of an entry (to_data); another shape is a miss


@lru_cache(maxsize=1)
def harness_version() -> str:
    """A hash of the harness's own source: the findings' text and which runs are made are worked out here."""
    return kept_source_digest(Path(__file__).resolve().parent)[:16]


# Digests of what the keys of one eval name again and again (the matrix, each side's code), by the identity of
# the object digested; the object is held with its digest, so that its identity is not another's meanwhile.
_DIGESTS: dict[int, tuple[object, str]] = {}
_DIGESTS_MAX = 256


def _digest(obj: object, make: Callable[[], str]) -> str:
    kept = _DIGESTS.get(id(obj))
    if kept is not None and kept[0] is obj:
        return kept[1]
    if len(_DIGESTS) >= _DIGESTS_MAX:
        _DIGESTS.clear()
    digest = make()
    _DIGESTS[id(obj)] = (obj, digest)
    return digest


def _text_digest(obj: object) -> str:
    return hashlib.blake2b(repr(obj).encode("utf-8", "surrogateescape"), digest_size=32).hexdigest()


def matrix_digest(matrix: Matrix) -> str:
    """The digest of the whole matrix as harness.canonical writes it (every field of it, of each entry point, script
    and scenario), worked out once per matrix object: the comparisons' key (harness.comparecache) and every value
    runs' key name it by this digest rather than each writing out its 450 KB of scenarios again. Raises
    NotCanonical (a field of a kind canonical_text does not know)."""
    return _digest(matrix, lambda: canonical_digest(matrix))


def digest_ahead(res: MatrixResult) -> None:
    """The digests every key of the comparisons and of the value runs names (the matrix's, the harness's own
    source), worked out now: eval calls this before it forks the rules' child (harness.workers.shared_jobs), whose
    comparing rules key value runs too, so that the child inherits them rather than working them out again as this
    process does (corpus, --jobs 2: 124 M instructions of the child's 3,134 M; this process's count alike)."""
    harness_version()
    with contextlib.suppress(NotCanonical):  # each key then writes the matrix out as it does without a digest
        matrix_digest(res.matrix)


def _matrix_text(matrix: Matrix) -> str:
    """The matrix as the value runs read it: its entry points, leaves and scripts, and every scenario (each
    script's repr made once: the scenarios share them)."""
    shown: dict[int, str] = {}
    rows = [repr((tuple((e.name, e.args) for e in matrix.entries), list(matrix.leaves.items()), matrix.scripts))]
    for s in matrix.scenarios:
        text = shown.get(id(s.script))
        if text is None:
            text = shown[id(s.script)] = repr(s.script)
        rows.append(repr((s.id, s.entry, s.leaf_name, s.leaf, s.unit, s.stands_for)) + text)
    return "\0".join(rows)


def values_key(store: OutcomeCache, res: MatrixResult, sides: tuple[Variant, Variant], lanes: dict[int, list[int]],
               fmts: dict[int, list[str]], differs: bool) -> str:
    """The cache key of the findings over ``lanes`` (lane: the matrix positions compared) between ``sides``."""
    try:
        matrix = matrix_digest(res.matrix)
    except NotCanonical:  # what the value runs read of it, written out as repr() does
        matrix = hashlib.sha256(_matrix_text(res.matrix).encode("utf-8", "surrogateescape")).hexdigest()
    code = [_digest(src, partial(_text_digest, src)) for src in (variant_sources(v) for v in sides)]
    rows = [repr((n, res.lanes[n].entry, res.lanes[n].unit, res.lanes[n].positions[0], fmts.get(n), at))
            for n, at in lanes.items()]
    head = repr((FORMAT, harness_version(), differs, sides[0].name, sides[1].name, *code, matrix))
    return store.key("values\0" + "\0".join([head, *rows]))


# A difference is kept as its lane, leaf and first answer (what its scenario is rebuilt from), classes and notes
# (those that are the event trace's detail marked: harness.explain.trace_detail reads what made them), and the
# script whose input registers its runs started with ("": all 0), and the position of the scenario whose start (CPU,
# context, CPU features) its runs took.
Found = tuple[int, str, int, tuple[DiffClass, ...], tuple[str, ...], str, int]


Ran = tuple[frozenset[str], frozenset[str]]  # each side's statements the value runs executed ("path:line:col")


def to_data(found: list[Found], undecided: tuple[str, ...], ran: Ran) -> dict[str, Any]:
    return {"format": FORMAT, "differences": [[n, leaf, value, [c.value for c in classes],
                                               [[x, int(trace_detail(x)), *_change(x)] for x in notes], inputs, at]
                                              for n, leaf, value, classes, notes, inputs, at in found],
            "undecided": list(undecided), "ran": [sorted(side) for side in ran]}


def _change(note: str) -> list[list[str]]:
    """A note's conversions (harness.convnotes) as kept: their fields, in order."""
    return [list(astuple(note.change))] if isinstance(note, ConversionNote) else []


def _note(text: Any, trace: Any, change: list[Any]) -> str:
    if change:
        return ConversionNote(str(text), ConversionChange(*(str(x) for x in change[0])))
    return TraceNote(text) if trace else str(text)


def from_data(data: Any) -> tuple[list[Found], tuple[str, ...], Ran] | None:
    """What to_data kept, or None when it is not of this shape."""
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        found: list[Found] = [(int(n), str(leaf), int(value), tuple(DiffClass(c) for c in classes),
                               tuple(_note(x, trace, change) for x, trace, *change in notes), str(inputs), int(at))
                              for n, leaf, value, classes, notes, inputs, at in data["differences"]]
        a, b = (frozenset(str(x) for x in side) for side in data["ran"])
        return found, tuple(str(x) for x in data["undecided"]), (a, b)
    except (KeyError, TypeError, ValueError):
        return None
