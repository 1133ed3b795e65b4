"""Files a series deletes or renames away: absent in the states after (git am removes them); a renamed unit moves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from harness.diffmodel import PatchedFile
from harness.filestate import FileState, absent_file
from harness.model import Patch

if TYPE_CHECKING:
    from harness.variants import Variant


def _label(p: Patch) -> str:
    return f"v{p.mail.subject.version} {p.label} <{p.mail.msgid}>"


def gone_paths(patches: Sequence[Patch]) -> list[dict[str, str]]:
    """For each state 0..n: path -> how the patches before it took the file away (``deleted by v1 03/3 <id>``,
    ``renamed to x.c by ...``), less a path a later patch brings a file to again (created, renamed or copied
    onto it). Within one patch the leaving files go before the arriving ones, as git apply checks a swap."""
    gone: dict[str, str] = {}
    out: list[dict[str, str]] = [{}]
    for p in patches:
        for pf in p.files:
            if pf.source_path is not None and (pf.is_deleted or pf.is_rename):
                how = "deleted" if pf.is_deleted else f"renamed to {pf.target_path}"
                gone[pf.source_path] = f"{how} by {_label(p)}"
        for pf in p.files:
            if pf.target_path is not None and (pf.is_new or pf.is_rename or pf.copy):
                gone.pop(pf.target_path, None)
        out.append(dict(gone))
    return out


def mark_gone(states: list[dict[str, FileState]], patches: Sequence[Patch]) -> None:
    """Put a file known absent in each state at each path a patch before it deleted or renamed away: a tree
    must not supply it again (harness.statefiles.with_local_headers), and a unit there is not built
    (harness.rununits.unit_absent). A state the series keeps at the path (a refused deletion) stays."""
    for state, gone in zip(states, gone_paths(patches), strict=True):
        for path, how in gone.items():
            if path not in state:
                state[path] = absent_file(path, how)


def file_moves(patches: Sequence[Sequence[PatchedFile]]) -> tuple[tuple[str, str], ...]:
    """(old path, path now) of each file the patches (each one's files, in order) renamed, a rename of a rename
    followed to its end; a file deleted since, or a path a file was created at again, is no longer followed."""
    return prefix_moves(patches)[-1]


def prefix_moves(patches: Sequence[Sequence[PatchedFile]]) -> list[tuple[tuple[str, str], ...]]:
    """file_moves() of every prefix of the patches, none first, in one pass (each prefix's anew was quadratic in
    the patches: a series of 5,000 spent most of apply's minutes here)."""
    moves: dict[str, str] = {}
    out: list[tuple[tuple[str, str], ...]] = [()]
    for files in patches:
        renames = {pf.source_path: pf.target_path for pf in files
                   if pf.is_rename and pf.source_path is not None and pf.target_path is not None}
        deleted = {pf.source_path for pf in files if pf.is_deleted}
        moved = set(moves.values())  # a moved file moving on is followed from its first path, not a new key
        moves = {old: renames.get(now, now) for old, now in moves.items() if now not in deleted}
        for pf in files:  # a path with a file again (a swap's too): the unit there is that file
            if pf.target_path is not None and (pf.is_new or pf.copy or pf.is_rename):
                moves.pop(pf.target_path, None)
        moves.update((src, dst) for src, dst in renames.items() if src not in moved)
        out.append(tuple((old, now) for old, now in moves.items() if old != now))
    return out


def unit_at(moved: Sequence[tuple[str, str]], path: str) -> str:
    """Where the translation unit the matrix names at ``path`` is in a state whose files moved ``moved``."""
    return dict(moved).get(path, path)


def unit_gone(v: Variant, path: str) -> str | None:
    """Why a scenario of the matrix unit at ``path`` has no outcome in ``v`` when its file is gone from ``v`` (a
    patch deleted it, or renamed it to a path no unit follows): what ran there before is gone, never shown kept
    (harness.equivalence compares it so). None when ``v`` has the file, or may (mail alone)."""
    f = v.file(unit_at(v.moved, path))
    if f is None or not f.absent:
        return None
    return f"{path} is gone from {v.name} ({f.provenance[0] if f.provenance else 'absent'}): what ran in it is not kept"
