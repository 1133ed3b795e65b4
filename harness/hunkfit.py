"""Bare hunks a reply pastes, taken as the diff git apply would take them as.

A reply's '@@ ... @@' without '---'/'+++' lines is read as a hunk of the one file of the patch it answers that its lines
fit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from harness.diffmodel import Hunk, HunkLine, LineKind, PatchedFile
from harness.model import Proposal, ProposalKind, Reply

if TYPE_CHECKING:
    from harness.filestate import FileState

_MARKS = (" ", "+", "-")


def bare_hunks(reply: Reply, taken: frozenset[tuple[str, int]] = frozenset()) -> tuple[int, ...]:
    """The indexes of the reply's bare hunks that no manifest variant (``taken``: Message-ID, index) builds."""
    return tuple(i for i, prop in enumerate(reply.proposals)
                 if prop.kind is ProposalKind.HUNK and (reply.mail.msgid, i) not in taken)


def hunk_files(reply: Reply, joined: tuple[tuple[int, str], ...], state: dict[str, FileState]
               ) -> tuple[PatchedFile, ...] | str:
    """The diff the reply's bare hunks (``joined``: index and the file each fits) make, each placed where its
    lines are in the file: per file, its hunks in the order of their place, as one diff with that file's
    '---'/'+++' headers and each hunk's line counts those of its lines (git apply --recount) would be; or why
    one cannot be placed there (a line that is not context, added or removed, no line of the file before it,
    or its lines nowhere in the file as they stand)."""
    placed: dict[str, list[Hunk]] = {}
    for index, path in joined:
        prop = reply.proposals[index]
        hunk = prop.hunks[0]
        f = state.get(path)
        why = _unreadable(prop) or (None if f is not None and not f.absent else f"{path} is not there")
        at = _places(hunk, f, _headerless(prop)) if why is None and f is not None else []
        if why is not None or not at:
            return f"{_label(prop)}: {why or f'its lines are nowhere in {path} as they stand'}"
        if _headerless(prop) and len(at) > 1:
            return f"{_label(prop)}: its lines are at {len(at)} places in {path}, and it says no line number"
        line = _nearest(hunk, at)
        if _headerless(prop) and f is not None:
            hunk, line = _with_context(hunk, f, line)
        placed.setdefault(path, []).append(_at(hunk, line))
    return tuple(_file(path, _renumbered(hunks)) for path, hunks in placed.items())


def fitting_file(prop: Proposal, state: dict[str, FileState], paths: tuple[str, ...], name: str
                 ) -> tuple[str | None, str]:
    """The one file of ``paths`` (the patch's, ``name``) whose lines in ``state`` hold the hunk's lines before it as
    they stand, exactly (a tab a mailer made spaces is refused, as git apply refuses it); else None and why."""
    why = _unreadable(prop)
    if why is not None:
        return None, f"{_label(prop)}: {why}"
    found = [p for p in paths if (f := state.get(p)) is not None and not f.absent and _places(prop.hunks[0], f,
                                                                                             _headerless(prop))]
    if len(found) == 1:
        return found[0], ""
    if found:
        return None, f"{_label(prop)}: its lines are in {' and '.join(found)}, and it names no file"
    return None, f"{_label(prop)}: its lines are in no file {name} touches as they stand ({', '.join(paths)})"


def _headerless(prop: Proposal) -> bool:
    """'-'/'+' lines with no '@@' header (harness.replies): placed only where their lines are, once."""
    return not prop.text.lstrip().startswith("@@")


def _label(prop: Proposal) -> str:
    return f"hunk {prop.hunks[0].header} at line {prop.where.line}" if not _headerless(prop) else \
        f"'-'/'+' lines at line {prop.where.line}"


def _unreadable(prop: Proposal) -> str | None:
    """Why git apply would not read the hunk as a diff's hunk: a line with no diff mark (a '\\ No newline' line too,
    which says nothing of a file no header names), or no line of the file before it to place it by."""
    body = prop.text.split("\n")[0 if _headerless(prop) else 1:]
    odd = next((t for t in body if t[:1] not in _MARKS and t.strip()), None)
    if odd is not None:
        return f"its line {odd[:40]!r} is not context, added or removed"
    if not any(ln.kind is not LineKind.ADDED for ln in prop.hunks[0].lines):
        return "no line of the file before it to place it by"
    return None


def _pre(hunk: Hunk) -> list[str]:
    return [ln.text for ln in hunk.lines if ln.kind is not LineKind.ADDED]


def _places(hunk: Hunk, f: FileState, headerless: bool = False) -> list[int]:
    """The lines where the hunk's lines before it lie in the file's known text, exactly, as git apply matches
    them (apply.c find_pos): a hunk '@@ -1' (or '-0') only at the first line, one with no line after its last
    change only at the end of a file known whole. '-'/'+' lines with no header: wherever they lie (their diff,
    with no context, is git apply --unidiff-zero's)."""
    want = _pre(hunk)
    trailing = next((n for n, ln in enumerate(reversed(hunk.lines)) if ln.kind is not LineKind.CONTEXT), 0)
    out = []
    for frag in f.fragments():
        for i in range(len(frag.lines) - len(want) + 1):
            line = frag.start + i
            if list(frag.lines[i : i + len(want)]) != want or (not headerless and hunk.source_start <= 1 and line != 1):
                continue
            if not headerless and trailing == 0 and not (f.complete and f.length is not None
                                                         and line + len(want) - 1 == f.length):
                continue
            out.append(line)
    return out


def _nearest(hunk: Hunk, at: list[int]) -> int:
    """Of several places, git apply's: the nearest the line its header gives, looking after it before before it."""
    hint = max(hunk.target_start, 1)  # apply.c: find_pos from the hunk's new line number
    return min(at, key=lambda n: (abs(n - hint), n < hint))


def _with_context(hunk: Hunk, f: FileState, line: int) -> tuple[Hunk, int]:
    """'-'/'+' lines with the file's lines around them as context (up to three each side, those known), as git
    diff writes the change: the diff git apply takes as it takes them with --unidiff-zero, placed where they are."""
    n = len(_pre(hunk))
    before: list[str] = []
    while len(before) < 3 and line - len(before) - 1 in f.lines:
        before.insert(0, f.lines[line - len(before) - 1][0])
    after: list[str] = []
    while len(after) < 3 and line + n + len(after) in f.lines:
        after.append(f.lines[line + n + len(after)][0])
    ctx = tuple(HunkLine(LineKind.CONTEXT, t, None, None) for t in before)
    tail = tuple(HunkLine(LineKind.CONTEXT, t, None, None) for t in after)
    return Hunk(line - len(before), 0, line - len(before), 0, hunk.section, (*ctx, *hunk.lines, *tail),
                hunk.where), line - len(before)


def _at(hunk: Hunk, line: int) -> Hunk:
    n_src = sum(1 for ln in hunk.lines if ln.kind is not LineKind.ADDED)
    n_tgt = sum(1 for ln in hunk.lines if ln.kind is not LineKind.REMOVED)
    return Hunk(line, n_src, line, n_tgt, hunk.section, hunk.lines, hunk.where)


def _renumbered(hunks: list[Hunk]) -> tuple[Hunk, ...]:
    """The file's hunks in the order of their place, each line numbered on both sides as a diff numbers it."""
    out: list[Hunk] = []
    delta = 0
    for h in sorted(hunks, key=lambda x: x.source_start):
        src, tgt = h.source_start, h.source_start + delta
        lines = []
        for ln in h.lines:
            lines.append(HunkLine(ln.kind, ln.text, None if ln.kind is LineKind.ADDED else src,
                                  None if ln.kind is LineKind.REMOVED else tgt))
            src += ln.kind is not LineKind.ADDED
            tgt += ln.kind is not LineKind.REMOVED
        out.append(Hunk(h.source_start, h.source_length, h.source_start + delta, h.target_length, h.section,
                        tuple(lines), h.where))
        delta += h.target_length - h.source_length
    return tuple(out)


def _file(path: str, hunks: tuple[Hunk, ...]) -> PatchedFile:
    return PatchedFile(path, path, None, None, None, None, False, False, hunks, hunks[0].where)
