"""Comparisons kept in the outcome cache: a rerun over the very same inputs reads them instead of comparing again.

A comparison (harness.compare) is worked out from the series read, the variants (their files, and what building
them found), the matrix, each code group's outcomes, the pairs asked for (--against) and this harness's own source.
The key names every one of them whole: the series, the variants and the matrix as harness.canonical writes them, and
each variant's code group per lane by what decides its outcomes (MatrixResult.keys: the outcome cache's key of the
code run, its pr_fmt, the scenarios and the mirror). Where some group's outcomes are decided by nothing named (a run
cut short by time, code that did not load) or the run keeps no cache, nothing is read or kept. An entry holds the
digest of its text, and is kept only when reading it back gives the very comparison made: a damaged, other-shaped
or unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Callable
from dataclasses import fields
from functools import partial
from operator import attrgetter
from typing import Any

from harness.canonical import NotCanonical, canonical_digest
from harness.comparison import Comparison, Gap, Universe
from harness.convnotes import ConversionChange, ConversionNote
from harness.eventwords import TraceNote
from harness.explain import DiffClass, Difference, Printed
from harness.filestate import FileState
from harness.findings import FindingKind, ReportFinding
from harness.matrix import Scenario
from harness.matrixresult import MatrixResult
from harness.model import Series
from harness.renamepair import Renamed
from harness.valuecache import harness_version, matrix_digest
from harness.valuecover import _script

FORMAT = "compare-2"  # the shape of an entry; another is a miss (2: BLAKE2b digests)

Made = tuple[Comparison, ReportFinding | None]
Groups = dict[str, list[list[str]]]  # harness.groups.outcome_groups: per scenario, the variants that behave alike


def inputs_key(res: MatrixResult, series: Series, pairs: tuple[tuple[str, str], ...]) -> str | None:
    """The digest of everything the comparisons of one eval are worked out from; None when they are not to be kept."""
    if res.store is None or res.load_errors:
        return None
    store, known = res.store, {-1: ""}
    for g, key in res.keys.items():
        digest = key if key.startswith("error\0") else store.entry_digest(key)
        if digest is not None:
            known[g] = f"{key}\0{digest}"
    rows = []
    for v in res.variants:
        groups = [res.code_group(v.name, n) for n in range(len(res.lanes))]
        if any(g not in known for g in groups):
            return None
        rows.append([known[g] for g in groups])
    try:
        # The matrix by its digest (every field of it), which the value runs' keys name too: made once. Each file's
        # state by its own digest, made once: the variants share the states of the files they leave alone.
        matrix = matrix_digest(res.matrix)
        return canonical_digest((FORMAT, harness_version(), series, res.variants, matrix, res.lanes, rows, pairs),
                                by_digest=(FileState,))
    except NotCanonical:
        return None


# The most scenario differences of a comparison kept: writing an entry, reading it back to check it and reading it
# next time cost about as much per difference as comparing again (the scale case, 20 x 30 x 10,000, whose step
# making a helper new differs in all 10,000 scenarios: 6.7 -> 8.9 s with every comparison kept, measured with
# /usr/bin/time on an empty cache). The corpus' largest comparison has 350.
MAX_KEPT_DIFFERENCES = 1000


def kept(res: MatrixResult, inputs: str | None, unit: tuple[str | None, ...], make: Callable[[], Made],
         universe: Universe) -> Made:
    """``make()``'s comparison (and code-move finding) of ``unit``, or what a run over the same ``inputs`` kept
    (``universe``: the matrix's, which every comparison shares)."""
    if inputs is None or res.store is None:
        return make()
    key = res.store.key(f"compare\0{inputs}\0{unit!r}")
    found = _read(res, res.store.get_data(key), universe)
    if found is not None:
        return found
    made = make()
    if len(made[0].differences) <= MAX_KEPT_DIFFERENCES:  # else writing it and reading it back costs about as much
        # Made and checked by the child that writes the held entries (harness.heldwrites.start_writes), beside the
        # report, rather than here on the path of the comparisons and the rules (the corpus: some 190 M
        # instructions of this process' compare).
        res.store.put_data_later(key, partial(_checked, res, made, universe))
    return made


def _checked(res: MatrixResult, made: Made, universe: Universe) -> dict[str, Any] | None:
    """The entry of ``made``, when reading it back gives the very comparison (its digest was just made of this very
    body); None when not (a comparison of a shape not kept here: made again next time)."""
    try:
        data = _entry(res, *made)
    except (NotCanonical, LookupError, StopIteration):
        return None
    return data if _same(_read(res, data, universe, sealed=False), made) else None


def kept_groups(res: MatrixResult, inputs: str | None, make: Callable[[], Groups]) -> Groups:
    """``make()``'s outcome groups (harness.groups), or what a run over the same ``inputs`` kept."""
    if inputs is None or res.store is None:
        return make()
    key = res.store.key(f"compare\0{inputs}\0groups")
    found = _read_groups(res, res.store.get_data(key))
    if found is not None:
        return found
    made = make()
    data = _groups_entry(res, made)
    if data is not None and list((_read_groups(res, data) or {}).items()) == list(made.items()):
        res.store.put_data(key, data)
    return made


def _groups_entry(res: MatrixResult, groups: Groups) -> dict[str, Any] | None:
    """Per lane, its distinct lists of groups (scenarios that split alike share one) and each position's."""
    lanes = []
    for lane in res.lanes:
        shapes: dict[int, int] = {}
        kept: list[list[list[str]]] = []
        at = []
        for p in lane.positions:
            found = groups.get(res.matrix.scenarios[p].id)
            if found is None:
                return None
            at.append(shapes.setdefault(id(found), len(shapes)))
            kept += [found] if len(kept) < len(shapes) else []
        lanes.append([kept, at])
    return _sealed(json.dumps(lanes, separators=(",", ":")))


def _sealed(body: str) -> dict[str, Any]:
    """An entry as kept: its JSON body with the body's digest, so that a damaged entry reads as a miss (_opened):
    BLAKE2b, 32 bytes (never shown; 4x faster than the builtin sha256 the command line has, harness.launch)."""
    return {"format": FORMAT, "blake2b": _sum(body), "body": body}


def _sum(body: str) -> str:
    return hashlib.blake2b(body.encode(), digest_size=32).hexdigest()


def _opened(data: Any, sealed: bool = True) -> Any:
    """The body of an entry _sealed wrote; None when of another format or its digest does not match (not checked
    without ``sealed``: an entry just made here). Raises KeyError, TypeError or ValueError when the entry is not one
    at all (the callers' miss)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    body = data["body"]
    return json.loads(body) if not sealed or _sum(body) == data["blake2b"] else None


def _read_groups(res: MatrixResult, data: Any) -> Groups | None:
    try:
        lanes = _opened(data)
        if lanes is None or len(lanes) != len(res.lanes):
            return None
        groups: Groups = {}
        for lane, (kept, at) in zip(res.lanes, lanes, strict=True):
            shapes = [[[str(name) for name in g] for g in shape] for shape in kept]
            for p, k in zip(lane.positions, at, strict=True):
                groups[res.matrix.scenarios[p].id] = shapes[k]
        return {s.id: groups[s.id] for s in res.matrix.scenarios}
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None


def _same(read: Made | None, made: Made) -> bool:
    """Whether the comparison read back is the one made: equal field by field (the matrix's scenarios the very same
    objects), and each note of the same kind, holding the same. Text fields other than notes are plain str (_plain)."""
    return read is not None and read == made and _kinds(read[0]) == _kinds(made[0])


def _kinds(cmp: Comparison) -> list[tuple[type, object]]:
    notes = itertools.chain((n for d in cmp.differences for n in d.notes), *(getattr(cmp, t) for t in _TEXTS))
    # A plain str has no __dict__: getattr's default is then reached through an AttributeError raised and caught,
    # for each of the corpus' 4,000 notes, on both sides.
    return [(str, None) if type(n) is str else (type(n), getattr(n, "__dict__", None)) for n in notes]


def _plain(*texts: str | None) -> None:
    """Text kept as plain str: one of another kind (a note's, with what it holds) would not read back as itself."""
    if any(type(t) is not str and t is not None for t in texts):
        raise NotCanonical("text of another kind")


def _entry(res: MatrixResult, cmp: Comparison, finding: ReportFinding | None) -> dict[str, Any]:
    _plain(cmp.view, cmp.a, cmp.b, cmp.label, cmp.msgid, *cmp.ran_both, *(r.note for r in cmp.renamed),
           *(t for g in cmp.gaps for t in (*g.entries, g.reason)), *(t for r in cmp.renamed for t in (r.old, r.new)))
    if finding is not None:
        _plain(finding.subject, finding.text, finding.where)
    return _sealed(json.dumps(_cmp_data(res, cmp) | {"finding": None if finding is None else [
        finding.kind.value, finding.subject, finding.text, finding.where]}, separators=(",", ":")))


def _read(res: MatrixResult, data: Any, universe: Universe, sealed: bool = True) -> Made | None:
    try:
        got = _opened(data, sealed)
        if got is None:
            return None
        f = got["finding"]
        finding = None if f is None else ReportFinding(FindingKind(f[0]), str(f[1]), str(f[2]), str(f[3]))
        return _cmp(res, got, universe), finding
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, StopIteration):
        return None


def _cmp_data(res: MatrixResult, cmp: Comparison) -> dict[str, Any]:
    scenarios = res.matrix.scenarios
    extra = {id(s): k for k, s in enumerate(cmp.extra)}
    diffs = []
    for d in cmp.differences:
        k = extra.get(id(d.scenario))
        at = -1 - k if k is not None else res.matrix.position(d.scenario.id)
        if k is None and scenarios[at] is not d.scenario:
            raise LookupError(d.scenario.id)
        # A member's _value_ is its value, read as a plain attribute (Enum.value is a descriptor called in Python);
        # a plain str note is itself (_note_data).
        diffs.append([at, [c._value_ for c in d.classes], [n if type(n) is str else _note_data(n) for n in d.notes]])
    return {"view": cmp.view, "a": cmp.a, "b": cmp.b, "label": cmp.label, "msgid": cmp.msgid, "total": cmp.total,
            "compared": cmp.compared, "differences": diffs, "extra": [_extra_data(res, s) for s in cmp.extra],
            "renamed": [[r.old, r.new, r.compared, r.note] for r in cmp.renamed],
            "gaps": [[list(g.entries), g.scenarios, g.reason, g.absent] for g in cmp.gaps],
            "ran_both": list(cmp.ran_both.items()),
            **{name: [_note_data(n) for n in getattr(cmp, name)] for name in _TEXTS}}


_TEXTS = ("unreached", "not_run", "assumed", "undecided", "helpers")


def _cmp(res: MatrixResult, got: dict[str, Any], universe: Universe) -> Comparison:
    scenarios = res.matrix.scenarios
    extra = tuple(_extra(res, x) for x in got["extra"])
    # Looked up, not called: DiffClass(c) runs EnumType.__call__ in Python, for each class of each difference.
    diffs = tuple([Difference(scenarios[at] if at >= 0 else extra[-1 - at], tuple([_CLASSES[c] for c in classes]),
                              tuple([_note(n) for n in notes]))
                   for at, classes, notes in got["differences"]])
    texts = {name: tuple(_note(n) for n in got[name]) for name in _TEXTS}
    return Comparison(str(got["view"]), str(got["a"]), str(got["b"]), str(got["label"]),
                      None if got["msgid"] is None else str(got["msgid"]), diffs, int(got["total"]),
                      universe=universe, compared=int(got["compared"]),
                      gaps=tuple(Gap(tuple(map(str, e)), int(n), str(r), bool(a)) for e, n, r, a in got["gaps"]),
                      ran_both={str(e): int(n) for e, n in got["ran_both"]},
                      renamed=tuple(Renamed(str(o), str(n), int(c), str(t)) for o, n, c, t in got["renamed"]),
                      extra=extra, unreached=texts["unreached"], not_run=texts["not_run"],
                      assumed=texts["assumed"], undecided=texts["undecided"], helpers=texts["helpers"])


def _extra_data(res: MatrixResult, s: Scenario) -> list[Any]:
    """A value run's scenario (harness.valuecover): a matrix scenario of its lane and leaf it copies, its first
    answer, its id and leaf's name."""
    like = next(p for p, m in enumerate(res.matrix.scenarios) if m.entry is s.entry and m.unit is s.unit
                and m.leaf == s.leaf and m.stands_for == s.stands_for)
    return [like, s.script.answers[0].code, s.id, s.leaf_name]


def _extra(res: MatrixResult, x: list[Any]) -> Scenario:
    like = res.matrix.scenarios[int(x[0])]
    return Scenario(str(x[2]), like.entry, str(x[3]), like.leaf, _script(int(x[1]), None, like.script), like.unit,
                    like.stands_for)


def _note_data(note: str) -> Any:
    """A note as kept: plain text, or its kind with what it holds beside its text."""
    kind = type(note)
    if kind is str:
        return note
    if kind is TraceNote:
        return ["trace", str(note)]
    if isinstance(note, ConversionNote) and kind is ConversionNote:
        change = note.change
        return ["conversion", str(note), list(_CHANGE(change))]
    if isinstance(note, Printed) and kind is Printed:
        return ["printed", str(note), note.a0, note.a1, note.b0, note.b1]
    raise NotCanonical(kind.__qualname__)


_CHANGE = attrgetter(*(f.name for f in fields(ConversionChange)))  # its fields, in order, as one tuple
# A class by its value, as DiffClass(value) gives it (KeyError for another: a miss, as DiffClass's ValueError).
_CLASSES = {c.value: c for c in DiffClass}


def _note(data: Any) -> str:
    if isinstance(data, str):
        return data
    kind, text, *rest = data
    if kind == "trace":
        return TraceNote(text)
    if kind == "conversion":
        return ConversionNote(str(text), ConversionChange(*map(str, rest[0])))
    if kind == "printed":
        return Printed(str(text), *(int(x) for x in rest))
    raise ValueError(kind)
