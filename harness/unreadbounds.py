"""A retry bound the code does not fix (harness.retrycounts), said once the runs show where the loop gave up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from models.record import record

if TYPE_CHECKING:
    from harness.matrix import Matrix, Script
    from harness.runner import MatrixResult
    from harness.variants import Variant


@record
class UnreadBound:
    """A retry loop of a variant whose bound models.retrycount could not read, for the codes it was asked about."""

    variant: str
    function: str
    where: str  # FILE:LINE of the function
    codes: tuple[int, ...]
    why: str
    most: int  # the most times in a row a script of the matrix that runs answers these codes


def unread_bounds(unread: Iterable[tuple[str, str, str, int, str]], matrix: Matrix) -> tuple[UnreadBound, ...]:
    """harness.retrycounts' Bounds.unread, one per loop and reason, its codes joined (the same five lines once per
    code said nothing more), each with the most answers in a row the scripts of ``matrix`` give it."""
    codes: dict[tuple[str, str, str, str, int], list[int]] = {}
    for name, function, where, code, why in unread:
        most = max((n for _, c, ns in matrix.repeated if c == code for n in ns), default=0)
        codes.setdefault((name, function, where, why, most), []).append(code)
    return tuple(UnreadBound(name, function, where, tuple(dict.fromkeys(got)), why, most)
                 for (name, function, where, why, most), got in codes.items())


def said(result: MatrixResult, v: Variant) -> tuple[str, ...]:
    """The untested lines of the variant's unread bounds: what the code leaves open, then where the runs answered
    the code ``most`` times in a row stopped. A loop giving up after B SEAMCALLs answered the code, under a script
    answering it N times then success: B <= N makes B, the last still answered (its bound shown); B > N makes N + 1,
    the last a success, and no bound of more than N is shown (gcc, natively)."""
    out = []
    for u in result.matrix.unread:
        if u.variant != v.name:
            continue
        stops = _stops(result, v, u)
        shown = "".join(f"; answered {codes} {u.most} times in a row, the runs {text}" for text, codes in stops.items())
        unshown = "" if stops and not any(_PAST in t for t in stops) else (
            f"; no script answers it more than {u.most} times in a row, so a bound of more than {u.most} SEAMCALLs is "
            "not shown")
        out.append(f"the retry bound of {u.function}() ({u.where}) is not read from the code: answered "
                   f"{' or '.join(f'{c:#x}' for c in u.codes)} every time, {u.why}{shown}{unshown}")
    return tuple(dict.fromkeys(out))


_PAST = "make more than"  # a run that went on once the script stopped answering the code: no bound it shows


def _stops(result: MatrixResult, v: Variant, u: UnreadBound) -> dict[str, str]:
    """Per text of where the runs stopped ('stop after 10 SEAMCALLs under a TDX module leaf, ...'), the codes it
    holds for: the runs of the entry points reaching the loop, under the scripts answering a code ``most`` times in
    a row and then another answer. Empty where no such run made a SEAMCALL."""
    reach = _reaching(result.matrix, v, u)
    by_text: dict[str, list[int]] = {}
    for code in u.codes if u.most else ():
        scripts = {s.name for s in result.matrix.scripts if _answers_first(s, code) == u.most}
        made: dict[str, set[int]] = {}  # per kind of leaf the run's first SEAMCALL has, in the matrix's order
        for position, s in enumerate(result.matrix.scenarios):
            if s.script.name not in scripts or s.entry.name not in reach:
                continue
            o = result.at(v.name, position)
            if o.ran and o.error is None and o.calls:
                made.setdefault(o.calls[0].component, set()).add(len(o.calls) + o.unrecorded_calls)
        if made:
            by_text.setdefault(_made_text(made, u.most), []).append(code)
    return {text: " or ".join(f"{c:#x}" for c in codes) for text, codes in by_text.items()}


def _made_text(made: dict[str, set[int]], most: int) -> str:
    """'stop after 10 SEAMCALLs under a TDX module leaf, after 1 under a P-SEAMLDR leaf'; the kinds of leaf named
    only where they differ."""
    texts = {kind: sorted(counts) for kind, counts in made.items()}
    if len({tuple(c) for c in texts.values()}) == 1:
        return _kind_text(next(iter(texts.values())), most, True)
    return ", ".join(f"{_kind_text(counts, most, i == 0)} under a {kind} leaf"
                     for i, (kind, counts) in enumerate(texts.items()))


def _kind_text(counts: list[int], most: int, first: bool) -> str:
    """'stop after 10 SEAMCALLs', 'stop after 1 or 10 SEAMCALLs or make more than 11' (a later kind's: 'after 1')."""
    within = [n for n in counts if n <= most]
    unit = f" SEAMCALL{'' if within == [1] else 's'}" if first else ""
    parts = [f"{'stop ' if first else ''}after {' or '.join(map(str, within))}{unit}"] if within else []
    if len(within) < len(counts):
        parts.append(f"{_PAST} {most}{' SEAMCALLs' if first else ''}")
    return " or ".join(parts)


def _answers_first(script: Script, code: int) -> int:
    """How many times in a row ``script`` answers ``code`` first, where another answer follows (0 otherwise: the
    last answer repeats, so a script of that code alone answers it without end)."""
    for n, a in enumerate(script.answers):
        if a.code != code:
            return n
    return 0


def _reaching(matrix: Matrix, v: Variant, u: UnreadBound) -> frozenset[str]:
    """The matrix's entry points whose code, in the variant, reaches the loop's function (in its file)."""
    from harness.runner import variant_sources
    from models.closure import closure
    from models.loader import definitions

    table = definitions(variant_sources(v))
    path = u.where.rsplit(":", 1)[0]
    return frozenset(e.name for e in matrix.entries
                     if any(d.name == u.function and d.path == path for d in closure(table, [e.name])))
