"""Applying one file's hunks to what is known of it, with git apply's rules and blob-id checks."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from harness.errors import ApplyError, Where
from harness.filestate import FileState, LineMap, full_file, hunk_side, merge
from harness.model import PatchedFile


@dataclass(frozen=True)
class Finding:
    """Something that went wrong while building a state: file, hunk, reason and where it was."""

    path: str
    hunk: str
    reason: str
    where: Where

    def __str__(self) -> str:
        hunk = f" {self.hunk}" if self.hunk else ""
        return f"{self.where}: {self.path}{hunk}: {self.reason}"


def check_path(path: str, where: Where) -> None:
    """Refuse paths that could escape an output or scratch directory."""
    norm = posixpath.normpath(path)
    if path.startswith("/") or norm.startswith("../") or norm == ".." or "\\" in path or "\0" in path:
        raise ApplyError(where, f"refusing unsafe path in diff: {path!r}")


def apply_file(state: FileState | None, pf: PatchedFile, origin: str) -> tuple[FileState | None, list[Finding]]:
    """The file after ``pf``: exact for full files, by hunk line numbers for fragments."""
    for p in (pf.source_path, pf.target_path):
        if p is not None:
            check_path(p, pf.where)
    if pf.is_binary or pf.is_symlink:
        return None, [Finding(pf.path, "", "binary or symlink patch: file not modelled", pf.where)]
    if pf.is_new:
        if state is not None and not state.absent:
            return state, [Finding(pf.path, "", "patch creates a file that already exists", pf.where)]
        text = "".join(ln + "\n" for h in pf.hunks for ln in h.target_lines)
        new = full_file(pf.path, text, f"created by {origin}")
        return new, _blob_check(new, pf, after=True)
    if pf.is_deleted:
        return None, []
    path = pf.target_path or pf.path
    if state is not None and state.absent:
        return state, [Finding(pf.path, "", f"patch modifies a file the base does not have ({state.provenance[0]})",
                               pf.where)]
    if state is None:
        state = FileState(pf.source_path or path, False, {}, None, ())
    if state.complete:
        return _apply_full(state, pf, origin, path)
    return _apply_fragments(state, pf, origin, path)


def _blob_check(state: FileState, pf: PatchedFile, after: bool) -> list[Finding]:
    want = pf.new_blob if after else pf.old_blob
    have = state.blob
    if not want or have is None or have.startswith(want):
        return []
    side = "post-image" if after else "pre-image"
    return [Finding(pf.path, "", f"{side} blob is {have[:12]}, the index line says {want}", pf.where)]


def _locate(lines: list[str], want: tuple[str, ...], guess: int) -> int | None:
    """Where ``want`` matches exactly, nearest to ``guess`` first (git apply's offset search)."""
    n = len(want)
    for dist in range(0, max(len(lines), 1) + 1):
        for pos in (guess - dist, guess + dist) if dist else (guess,):
            if 0 <= pos <= len(lines) - n and tuple(lines[pos : pos + n]) == want:
                return pos
    return None


def _apply_full(state: FileState, pf: PatchedFile, origin: str, path: str) -> tuple[FileState | None, list[Finding]]:
    findings = _blob_check(state, pf, after=False)
    assert state.length is not None
    lines = [state.lines[n][0] for n in range(1, state.length + 1)]
    origins = [state.lines[n][1] for n in range(1, state.length + 1)]
    offset = 0
    for h in pf.hunks:
        guess = (h.source_start - 1 if h.source_length else h.source_start) + offset
        pos = _locate(lines, h.source_lines, guess)
        if pos is None:
            findings.append(Finding(path, h.header, "hunk does not apply: context does not match", h.where))
            return FileState(path, True, state.lines, state.length, state.provenance, usable=False), findings
        if pos != guess:
            findings.append(Finding(path, h.header, f"applied with offset {pos - guess:+d} lines", h.where))
        lines[pos : pos + len(h.source_lines)] = list(h.target_lines)
        origins[pos : pos + len(h.source_lines)] = [origin] * len(h.target_lines)
        offset += len(h.target_lines) - len(h.source_lines) + (pos - guess)
    new = FileState(
        path, True, {i: (t, o) for i, (t, o) in enumerate(zip(lines, origins, strict=True), start=1)},
        len(lines), (*state.provenance, f"patched by {origin}"),
    )
    return new, findings + _blob_check(new, pf, after=True)


def _apply_fragments(
    state: FileState, pf: PatchedFile, origin: str, path: str
) -> tuple[FileState | None, list[Finding]]:
    """Known lines move by the hunks' line deltas; each hunk's post-image becomes known text."""
    findings: list[Finding] = []
    for h in pf.hunks:
        before = hunk_side(h, target=False, origin=origin)
        for n in merge(dict(state.lines), before):
            findings.append(Finding(path, h.header, f"context differs from what is known at line {n}", h.where))
    moved = move_lines(state.lines, LineMap.of(pf).forward)
    for h in pf.hunks:
        merge(moved, hunk_side(h, target=True, origin=f"post-image of {origin}"))
    provenance = (*state.provenance, f"fragments after {origin}")
    return FileState(path, False, moved, None, provenance, usable=not findings), findings


def move_lines(lines: dict[int, tuple[str, str]], where: Callable[[int], int | None]) -> dict[int, tuple[str, str]]:
    """Known lines at their numbers on the other side of a patch; lines a hunk touches are dropped."""
    moved = {}
    for n, v in lines.items():
        m = where(n)
        if m is not None:
            moved[m] = v
    return moved


def learn_backward(later: FileState, pf: PatchedFile, earlier: FileState | None, origin: str) -> FileState:
    """What a later state and the patch between teach about the state before it (fragments only)."""
    if earlier is not None and earlier.absent:
        return earlier
    lines = dict(earlier.lines) if earlier else {}
    for h in pf.hunks:
        merge(lines, hunk_side(h, target=False, origin=f"pre-image of {origin}"))
    merge(lines, move_lines(later.lines, LineMap.of(pf).backward))
    base = earlier or FileState(pf.source_path or pf.path, False, {}, None, ())
    if base.complete:
        return base
    return FileState(base.path, False, lines, None, base.provenance or (f"fragments before {origin}",), base.usable)

