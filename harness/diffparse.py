"""Unified diffs (via unidiff) into PatchedFile/Hunk, keeping blob ids, modes and line origins."""

from __future__ import annotations

import re

from unidiff.errors import UnidiffParseError
from unidiff.patch import Hunk as UHunk
from unidiff.patch import PatchSet

from harness.errors import InputError, Where
from harness.model import Hunk, HunkLine, LineKind, PatchedFile

_INDEX = re.compile(r"^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d{6}))?$")
_NEW_MODE = re.compile(r"^new file mode (\d{6})$")
_DELETED_MODE = re.compile(r"^deleted file mode (\d{6})$")
_OLD_MODE = re.compile(r"^old mode (\d{6})$")
_MODE = re.compile(r"^new mode (\d{6})$")
_DIFF_START = re.compile(r"^(diff --git |Index: |--- \S[^\n]*\n\+\+\+ \S)", re.MULTILINE)
_ZERO_BLOB = re.compile(r"^0+$")


def _strip_prefix(path: str) -> str | None:
    if path == "/dev/null":
        return None
    return path[2:] if path[:2] in ("a/", "b/") else path


def _header_facts(info: list[str]) -> dict[str, str | None]:
    facts: dict[str, str | None] = {"old_blob": None, "new_blob": None}
    facts.update(old_mode=None, new_mode=None)
    for raw in info:
        line = raw.rstrip("\n")
        if (m := _INDEX.match(line)) is not None:
            facts["old_blob"], facts["new_blob"] = m.group(1), m.group(2)
            if m.group(3):
                facts["old_mode"] = facts["new_mode"] = m.group(3)
        elif (m := _NEW_MODE.match(line) or _MODE.match(line)) is not None:
            facts["new_mode"] = m.group(1)
        elif (m := _DELETED_MODE.match(line) or _OLD_MODE.match(line)) is not None:
            facts["old_mode"] = m.group(1)
    return facts


def _hunk(h: UHunk, path: str, first_line: int, msgid: str | None) -> Hunk:
    kinds = {" ": LineKind.CONTEXT, "-": LineKind.REMOVED, "+": LineKind.ADDED}
    lines = tuple(
        HunkLine(kinds[ln.line_type], ln.value.rstrip("\n"), ln.source_line_no, ln.target_line_no)
        for ln in h
        if ln.line_type in kinds
    )
    header_line = (h[0].diff_line_no or 1) - 1 if len(h) else 0
    return Hunk(
        source_start=h.source_start,
        source_length=h.source_length,
        target_start=h.target_start,
        target_length=h.target_length,
        section=h.section_header,
        lines=lines,
        where=Where(path, first_line + header_line - 1, msgid),
    )


_HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def _short_hunk(text: str) -> int | None:
    """Line offset of the first hunk header whose body is shorter than its counts say."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = _HUNK.match(line)
        if m is None:
            continue
        src, tgt = int(m.group(1) or 1), int(m.group(2) or 1)
        for body in lines[i + 1 :]:
            if src <= 0 and tgt <= 0:
                break
            if body.startswith(("-", " ")) or body == "":
                src -= 1
            if body.startswith(("+", " ")) or body == "":
                tgt -= 1
            if not body.startswith(("-", "+", " ", "\\")) and body != "":
                break
        if src > 0 or tgt > 0:
            return i
    return None


def diff_start(text: str) -> int | None:
    """Offset of the first diff header in a message body, or None."""
    m = _DIFF_START.search(text)
    return m.start() if m else None


def parse_diff(text: str, where: Where) -> tuple[PatchedFile, ...]:
    """Parse diff text whose first line is line ``where.line`` of ``where.path``."""
    try:
        patchset = PatchSet(text)
    except UnidiffParseError as exc:
        line = where.line
        if (m := re.search(r"line (\d+)", str(exc))) is not None:
            line = where.line + int(m.group(1)) - 1
        elif (bad := _short_hunk(text)) is not None:
            line = where.line + bad
        raise InputError(Where(where.path, line, where.msgid), f"bad diff: {exc}") from exc
    files = []
    for pf in patchset:
        facts = _header_facts(list(pf.patch_info or []))
        source = _strip_prefix(pf.source_file)
        target = _strip_prefix(pf.target_file)
        if facts["old_blob"] and _ZERO_BLOB.match(facts["old_blob"] or ""):
            source = None
        if facts["new_blob"] and _ZERO_BLOB.match(facts["new_blob"] or ""):
            target = None
        start = where.line
        if len(pf) and len(pf[0]) and pf[0][0].diff_line_no is not None:
            # The file header is the patch info, then "---"/"+++", then the first "@@".
            start += pf[0][0].diff_line_no - 4 - len(pf.patch_info or [])
        files.append(
            PatchedFile(
                source_path=source,
                target_path=target,
                old_blob=facts["old_blob"],
                new_blob=facts["new_blob"],
                old_mode=facts["old_mode"],
                new_mode=facts["new_mode"],
                is_binary=bool(pf.is_binary_file),
                is_symlink="120000" in (facts["old_mode"], facts["new_mode"]),
                hunks=tuple(_hunk(h, where.path, where.line, where.msgid) for h in pf),
                where=Where(where.path, start, where.msgid),
            )
        )
    return tuple(files)
