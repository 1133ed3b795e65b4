"""Which earlier variant each variant extends, and what it adds: the reports say each state's build once."""

from __future__ import annotations

from collections.abc import Sequence

from harness.filestate import FileState
from harness.variants import Variant
from models.record import record


@record
class Lineage:
    """A variant as the earlier variant ``extends`` plus what it adds; ``extends`` None: the whole of it.

    Its ``applied``, ``sources`` and ``findings`` are the extended variant's followed by these; its files are
    the extended variant's without the ``gone`` paths, each of ``files`` (sorted by path) put in, by path.
    """

    extends: str | None
    applied: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    findings: tuple[object, ...]
    files: tuple[FileState, ...]
    gone: tuple[str, ...]


def _starts(longer: tuple[object, ...], shorter: tuple[object, ...]) -> bool:
    return len(shorter) <= len(longer) and longer[: len(shorter)] == shorter


def _extends(v: Variant, w: Variant) -> bool:
    """Whether ``v`` is ``w`` with more applied: w's patches, mail and findings all begin v's. Of the variants that
    apply nothing only a revision's first state is extended, by its own revision's prefixes: two revisions' first
    states share no build."""
    first = w.prefix == 0 and w.revision is not None and w.revision == v.revision
    return ((bool(w.applied) or first) and _starts(v.applied, w.applied) and _starts(v.sources, w.sources)
            and _starts(v.findings, w.findings))


def _prefix_keys(applied: tuple[str, ...]) -> list[int]:
    """A key per prefix of ``applied`` (index j: its first j entries), each from the one before: O(length)."""
    keys = [hash(())]
    for label in applied:
        keys.append(hash((keys[-1], label)))
    return keys


def _choose(v: Variant, i: int, earlier: Sequence[Variant], by_key: dict[int, list[int]],
            by_name: dict[str, int]) -> int | None:
    """The index of the earlier variant ``v`` extends by the fewest patches: the one before it or the one it
    starts from when either leaves at most one patch (every prefix of a revision), else any whose patches begin
    v's (a reviewer variant that drops a patch extends the prefix before it)."""
    quick = [i - 1] if i else []
    if v.start in by_name:
        quick.append(by_name[v.start])
    for k in sorted(quick, key=lambda k: -len(earlier[k].applied)):
        if len(v.applied) - len(earlier[k].applied) <= 1 and _extends(v, earlier[k]):
            return k
    keys = _prefix_keys(v.applied)
    for j in range(len(v.applied), 0, -1):
        for k in sorted(by_key.get(keys[j], ()), key=lambda k: k != by_name.get(v.start or "")):  # its start first
            if _extends(v, earlier[k]):
                return k
    return None


def _same(a: FileState, b: FileState) -> bool:
    """Whether two states of a path read the same in a report: status, text (its blob) and history."""
    return a is b or (a.complete == b.complete and a.usable == b.usable and a.provenance == b.provenance
                      and a.blob == b.blob)


def _files(v: Variant, w: Variant | None) -> tuple[tuple[FileState, ...], tuple[str, ...]]:
    """v's files that ``w`` lacks or has in another state, and the paths of w's that v lacks."""
    if w is None:
        return v.files, ()
    before = {f.path: f for f in w.files}
    changed = tuple(f for f in v.files if (b := before.get(f.path)) is None or not _same(f, b))
    paths = {f.path for f in v.files}
    return changed, tuple(p for p in before if p not in paths)


def lineage(variants: Sequence[Variant]) -> tuple[Lineage, ...]:
    """Per variant, in order, the earlier one it extends (or None) and what it adds to it."""
    by_key: dict[int, list[int]] = {}  # the key of a variant's whole applied list -> the variants that have it
    by_name: dict[str, int] = {}
    keys: list[int] = []
    out = []
    for i, v in enumerate(variants):
        k = _choose(v, i, variants, by_key, by_name)
        w = variants[k] if k is not None else None
        files, gone = _files(v, w)
        n = len(w.applied) if w else 0
        out.append(Lineage(w.name if w else None, v.applied[n:], v.sources[len(w.sources) if w else 0:],
                           tuple(v.findings[len(w.findings) if w else 0:]), files, gone))
        # Its key from the extended one's, over what it adds: every prefix of n patches hashed once, not n times.
        key = keys[k] if k is not None else hash(())
        for label in v.applied[n:]:
            key = hash((key, label))
        keys.append(key)
        by_key.setdefault(key, []).append(i)
        by_name.setdefault(v.name, i)
    return tuple(out)
