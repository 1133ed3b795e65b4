"""Unified diffs (via unidiff) into PatchedFile/Hunk as git apply reads them: blob ids, modes, renames, copies.

What git apply accepts is checked first (harness.gitview: the lines as apply.c reads them); header lines lose a
carriage return (quoted CRLF mail), hunk lines keep theirs, since git applies them so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from unidiff.errors import UnidiffParseError
from unidiff.patch import Hunk as UHunk
from unidiff.patch import PatchedFile as UPatchedFile
from unidiff.patch import PatchSet

from harness.diffclaims import check_claims
from harness.diffmodel import Hunk, HunkLine, LineKind, PatchedFile
from harness.diffpaths import safe_path, strip_prefix, unquote_path, unsafe_path
from harness.errors import InputError, Where
from harness.githeader import GitNames
from harness.gitmodes import S_IFDIR, S_IFGITLINK, S_IFLNK, kind, read_mode
from harness.gitview import git_view
from harness.tradnames import Depth, traditional_header
from models.lazyre import lazy

# Modes as git apply reads them (harness.gitmodes.read_mode): "0100644", "100664", "644" too, git's own checks after.
_INDEX = re.compile(r"^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (.*))?$")
_NEW_MODE = re.compile(r"^new file mode (.*)$")
_DELETED_MODE = re.compile(r"^deleted file mode (.*)$")
_OLD_MODE = re.compile(r"^old mode (.*)$")
_MODE = re.compile(r"^new mode (.*)$")
_FROM_TO = re.compile(r"^(rename|copy) (from|to|old|new) (.+)$")
_SIMILARITY = re.compile(r"^similarity index (\d+)%$")
_DIFF_START = re.compile(r"^(diff --git |Index: |--- \S[^\n]*\n\+\+\+ \S)", re.MULTILINE)
_ZERO_BLOB = lazy(r"^0+$")
# The kinds of file git apply does not patch as a regular file's lines (a symlink's or submodule's text is patched
# as harness.patching.pointer_mode says; a directory's mode is not modelled).
_UNUSUAL_KINDS = (S_IFLNK, S_IFGITLINK, S_IFDIR)
# The lines of one message's diff read: each is held several times over while it is read (the mail's lines,
# the diff's, unidiff's and our hunk lines: about 800 bytes a line of a few characters, 5.3 GB for a 32 MiB
# message of 700,000 hunks), so a bound on the message's bytes is none on them. A message of kernel code
# under the 32 MiB cap (some 40 bytes a line) has fewer; git apply reads more, and a longer diff is refused.
MAX_DIFF_LINES = 1_000_000


def _header_facts(info: Sequence[str]) -> dict[str, str | None]:
    facts: dict[str, str | None] = {"old_blob": None, "new_blob": None, "old_mode": None, "new_mode": None}
    for raw in info:
        line = raw.rstrip("\n")
        if (m := _INDEX.match(line)) is not None:
            facts["old_blob"], facts["new_blob"] = m.group(1), m.group(2)
            # The old mode (apply.c gitdiff_index -> gitdiff_oldmode); the new one where none is said.
            if m.group(3) and (mode := read_mode(m.group(3))):
                facts["old_mode"], facts["new_mode"] = mode, facts["new_mode"] or mode
        elif (m := _NEW_MODE.match(line) or _MODE.match(line)) is not None:
            facts["new_mode"] = read_mode(m.group(1))
            facts["created"] = "1" if m.re is _NEW_MODE else facts.get("created")
        elif (m := _DELETED_MODE.match(line) or _OLD_MODE.match(line)) is not None:
            facts["old_mode"] = read_mode(m.group(1))
            facts["deleted"] = "1" if m.re is _DELETED_MODE else facts.get("deleted")
        elif (m := _FROM_TO.match(line)) is not None:
            side = "source" if m.group(2) in ("from", "old") else "target"
            facts[side] = unquote_path(m.group(3))
            facts["kind"] = m.group(1)
        elif (m := _SIMILARITY.match(line)) is not None:
            facts["similarity"] = m.group(1)
    return facts


def _vanishes(diff_line_no: int | None, view: Sequence[str]) -> bool:
    """Whether the view's line is a bare empty line (no " " prefix: newer GNU diff's empty context line) that a
    "\\ No newline at end of file" line follows: apply.c apply_one_fragment adds nothing of it to either image."""
    i = (diff_line_no or 0) - 1
    return 0 <= i < len(view) - 1 and view[i] == "\n" and view[i + 1].startswith("\\ ")


def _hunk(h: UHunk, path: str, line_of: Sequence[int], msgid: str | None, view: Sequence[str]) -> Hunk:
    kinds = {" ": LineKind.CONTEXT, "-": LineKind.REMOVED, "+": LineKind.ADDED}
    lines: list[HunkLine] = []
    body = list(h)
    for ln in body:
        if ln.line_type in kinds:
            lines.append(HunkLine(kinds[ln.line_type], ln.value.rstrip("\n"), ln.source_line_no, ln.target_line_no,
                                  bare=ln.line_type == " " and _vanishes(ln.diff_line_no, view)))
        elif ln.line_type == "\\" and lines:
            # "\ No newline at end of file": the line before it has no line end (apply.c).
            last = lines[-1]
            lines[-1] = HunkLine(last.kind, last.text, last.source_no, last.target_no, no_newline=True, bare=last.bare)
    header = (h[0].diff_line_no or 2) - 1 if len(h) else 1
    return Hunk(
        source_start=h.source_start,
        source_length=h.source_length,
        target_start=h.target_start,
        target_length=h.target_length,
        section=h.section_header,
        lines=tuple(lines),
        where=Where(path, line_of[min(header, len(line_of)) - 1], msgid),
    )


def diff_start(text: str) -> int | None:
    """Offset of the first diff header in a message body, or None."""
    m = _DIFF_START.search(text)
    return m.start() if m else None


def diff_start_line(lines: Sequence[str]) -> int | None:
    """Index of the first line that starts a diff (``diff --git``, ``Index:``, ``---`` then ``+++``), or None."""
    for i, line in enumerate(lines):
        if line.startswith(("diff --git ", "Index: ")):
            return i
        if line.startswith("--- ") and line[4:5].strip() and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            return i
    return None


def parse_diff(text: str, where: Where, line_of: Sequence[int] | None = None) -> tuple[PatchedFile, ...]:
    """Parse diff text whose first line is line ``where.line`` of ``where.path``.

    ``line_of`` gives the input line of each line of ``text`` when they are not consecutive (a mail
    that was base64, quoted-printable or format=flowed). Raises InputError (``bad diff: ...``) at the
    hunk git apply would refuse.
    """
    lines, numbers = _diff_lines(text, where, line_of)
    binaries: dict[int, tuple[str, bytes]] = {}
    names: dict[int, GitNames] = {}
    closed: set[int] = set()
    try:
        view = git_view(lines, numbers, where, binaries, names, closed)
        patchset = PatchSet("".join(view))
    except UnidiffParseError as exc:
        raise InputError(Where(where.path, numbers[0] if numbers else where.line, where.msgid),
                         f"bad diff: {exc}") from exc
    files = []
    git_headers = -1
    depth = Depth()  # git apply's -p, guessed once for the whole diff
    for upf in patchset:
        is_git = any(ln.startswith("diff --git ") for ln in upf.patch_info or [])
        git_headers += is_git
        if not is_git and not len(upf):  # ---/+++ with no hunk below (apply.c find_header: garbage, no -p guess)
            continue
        named = _names(upf, lines, depth) or names.get(git_headers)
        pf = _file(upf, where, numbers, view, named)
        check_claims(pf, named)
        if pf.is_binary and git_headers in binaries:
            pf = replace(pf, binary=binaries[git_headers])
        elif git_headers in closed and (upf.patch_info or [""])[0].startswith("diff --git "):
            pf = replace(pf, is_binary=False)  # _CLOSE ended its header, no binary patch
        for path in {pf.path, pf.source_path, pf.target_path} - {None}:
            if not safe_path(str(path)):  # every command refuses it, not only those that write files
                raise InputError(pf.where, unsafe_path(str(path)))
        if _changes_something(pf, upf):
            files.append(pf)
        elif (upf.patch_info or [""])[0].startswith("diff --git "):
            raise InputError(pf.where, "bad diff: patch with only garbage (no hunk, no mode, rename or copy)")
    return tuple(files)


def _diff_lines(text: str, where: Where, line_of: Sequence[int] | None) -> tuple[list[str], list[int]]:
    """parse_diff's ``text`` as lines with their line ends, and the input line of each; InputError past
    MAX_DIFF_LINES."""
    if (count := text.count("\n")) > MAX_DIFF_LINES:
        at = MAX_DIFF_LINES  # the first line past the bound, named
        line = where.line + at if line_of is None else line_of[min(at, len(line_of) - 1)] if line_of else where.line
        raise InputError(Where(where.path, line, where.msgid), f"diff of {count:,} lines: more than "
                         f"{MAX_DIFF_LINES:,} lines in one message are not read (each costs about a kilobyte here)")
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    numbers = list(line_of) if line_of is not None else [where.line + i for i in range(len(lines))]
    numbers += [numbers[-1] if numbers else where.line] * max(0, len(lines) - len(numbers))
    return lines, numbers


def _changes_something(pf: PatchedFile, upf: UPatchedFile) -> bool:
    """Whether git apply takes a file's patch: hunks, or what it takes without a hunk (apply.c metadata_changes): a
    rename by its rename lines, not by ---/+++ names that differ ("overwrites"), which alone leave "patch with only
    garbage"; rename lines that name the file itself are a rename all the same, one that changes nothing (git am
    commits it, empty)."""
    renamed = pf.is_rename and not pf.overwrites
    return bool(pf.hunks or pf.is_binary or pf.is_new or pf.is_deleted or renamed or pf.copy or pf.is_mode_change
                or (pf.source_path == pf.target_path
                    and _header_facts(upf.patch_info or []).get("kind") == "rename"))


def _names(pf: UPatchedFile, lines: Sequence[str], depth: Depth) -> tuple[str | None, str | None] | None:
    """A traditional diff's (old, new) names from its ``---`` and ``+++`` lines as written (a carriage return kept,
    as git apply sees it in quoted-CRLF mail); None for a git diff."""
    if any(ln.startswith("diff --git ") for ln in pf.patch_info or []):
        return None
    at = pf[0][0].diff_line_no - 4 if len(pf) and len(pf[0]) and pf[0][0].diff_line_no else -1
    if at >= 0 and lines[at].startswith("--- ") and lines[at + 1].startswith("+++ "):
        first, second = (lines[k][4:].removesuffix("\n") for k in (at, at + 1))
    else:  # no hunk: no patch for git apply (find_header), dropped below; the names as unidiff read them
        sides = ((pf.source_file, pf.source_timestamp), (pf.target_file, pf.target_timestamp))
        first, second = ("/dev/null" if n is None else n + (f"\t{stamp}" if stamp else "") for n, stamp in sides)
    return traditional_header(first, second, depth)


def _file(pf: UPatchedFile, where: Where, numbers: Sequence[int], view: Sequence[str],
          named: tuple[str | None, str | None] | GitNames | None) -> PatchedFile:
    """One file's patch; ``named``: a traditional diff's (old, new) names, or a git diff's as its header gives them."""
    facts = _header_facts(list(pf.patch_info or []))
    if isinstance(named, GitNames):
        source, target = (None if named.is_new else named.old), (None if named.is_delete else named.new)
    elif named is not None:
        source, target = named
    else:
        source = facts.get("source") or strip_prefix(pf.source_file or "/dev/null")
        target = facts.get("target") or strip_prefix(pf.target_file or "/dev/null")
    # A git header says what is created or deleted by its mode lines (or /dev/null), as apply.c's is_new/is_delete:
    # an index line's zero id alone ('index 31562ab..0000000' of a reply's hand-edited diff) is no deletion there.
    # A diff of another kind has no such lines: its zero id says it.
    git = any(ln.startswith("diff --git ") for ln in pf.patch_info or [])
    if facts.get("created") or (not git and facts["old_blob"] and _ZERO_BLOB().match(facts["old_blob"] or "")):
        source = None
    if facts.get("deleted") or (not git and facts["new_blob"] and _ZERO_BLOB().match(facts["new_blob"] or "")):
        target = None
    line_no = pf.diff_line_no or 1
    hunks = tuple(_hunk(h, where.path, numbers, where.msgid, view) for h in pf)
    similarity = facts.get("similarity")
    return PatchedFile(
        source_path=source,
        target_path=target,
        old_blob=facts["old_blob"],
        new_blob=facts["new_blob"],
        old_mode=facts["old_mode"],
        new_mode=facts["new_mode"],
        is_binary=bool(pf.is_binary_file),
        is_symlink=any(m is not None and kind(m) in _UNUSUAL_KINDS for m in (facts["old_mode"], facts["new_mode"])),
        hunks=hunks,
        where=Where(where.path, numbers[min(line_no, len(numbers)) - 1], where.msgid),
        copy=facts.get("kind") == "copy",
        similarity=int(similarity) if similarity else None,
        maybe_new=isinstance(named, tuple) and source is not None and len(hunks) == 1 and not hunks[0].source_length,
        overwrites=git and "kind" not in facts and None not in (source, target) and source != target,
    )


# git diff's header of a merge's combined diff (``git show`` / ``git log -p --cc`` of a merge commit): git apply
# reads no patch in it (apply.c knows "diff --git" alone), so git am stops: "No valid patches in input".
_COMBINED = re.compile(r"^diff --(?:cc|combined) \S")


def combined_diff_refusal(patch: Sequence[tuple[int, bytes]]) -> tuple[int, str] | None:
    """(input line, why) where a mail's patch part, which holds no diff git applies, opens a merge's combined diff;
    None when it holds none (a mail cut short, a cover letter)."""
    for number, raw in patch:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if _COMBINED.match(line):
            return number, (f"'{line[:80]}' is a merge's combined diff (git show of a merge commit), which git am "
                            "applies nothing of ('No valid patches in input'): send the merge's change as a diff "
                            "against one parent (git diff M^1 M) or the branch's own patches (git format-patch)")
    return None
