"""Applying one file's hunks to what is known of it, with git apply's rules and blob-id checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from harness.binpatch import DeltaError, apply_delta
from harness.contextmiss import held_to_end, loose, miss_reason, why_missed
from harness.diffmodel import Hunk, PatchedFile
from harness.diffpaths import safe_path, unsafe_path
from harness.errors import ApplyError, Where
from harness.fileend import end_after, fit_end, newline_miss
from harness.filestate import (
    GITLINK_MODE,
    LFS_NOTE,
    LINK_MODE,
    POINTER_C,
    FileState,
    LineMap,
    dir_mode_link,
    full_file,
    git_blob_id,
    hunk_side,
    lfs_pointer,
    lfs_state,
    merge,
    move_lines,
    pointer_state,
    unmodelled,
)
from harness.gitmodes import DIR_MODE, S_IFDIR, S_IFGITLINK, S_IFLNK, kind, kind_words, written
from harness.hunkplace import find_pos, hunk_lines, hunks_apply, offset, shifted, undecided_reason
from models.lazyre import lazy
from models.record import record

Stored = Callable[[str], bytes | None]  # a blob's bytes by its id, where the tree's repository has it


@record
class Finding:
    """Something that went wrong while building a state: file, hunk, reason and where it was.

    ``note`` marks what changed nothing (a hunk placed with an offset, as git apply places it); every
    other finding is a problem with the base or the patch. ``offset``: how many lines from its header's a hunk
    was placed (a note), which the hunk's own line numbers are then off by in the state.
    """

    path: str
    hunk: str
    reason: str
    where: Where
    note: bool = False
    offset: int = 0
    blob: bool = False  # the file's blob is not the one the index line names (a problem: a base other than the mail's)

    def __str__(self) -> str:
        hunk = f" {self.hunk}" if self.hunk else ""
        return f"{self.where}: {self.path}{hunk}: {self.reason}"


def check_path(path: str, where: Where) -> None:
    """Refuse paths that could escape an output or scratch directory."""
    if not safe_path(path):
        raise ApplyError(where, unsafe_path(path))


def apply_file(
    state: FileState | None, pf: PatchedFile, origin: str, proposal: bool = False, stored: Stored | None = None
) -> tuple[FileState | None, list[Finding]]:
    """The file after ``pf`` applied to ``state`` (for a copy or rename: the source's state before the patch).

    Exact for complete files (git apply's rules), by hunk line numbers for fragments; a symlink's target is
    its text, a submodule's the line naming its commit, as git apply patches them. A binary (without data)
    patch, or a mode change between a file, a symlink and a submodule, gives an unmodelled, unusable file; a
    deletion gives None. A ``proposal`` (a reviewer's diff, often edited by hand after git made it) is not held to
    its index line's post-image blob, which git apply never checks: the result is git apply's all the same.
    ``stored``: a blob's bytes by id where the tree's repository holds it (git apply takes a binary patch's
    post-image from there, data or none); None without a tree.
    """
    for p in (pf.source_path, pf.target_path):
        if p is not None:
            check_path(p, pf.where)
    path = pf.target_path or pf.path
    if (why := _type_refusal(state, pf)) is not None:
        kept = replace(state, usable=False) if state is not None and not state.absent else \
            unmodelled(path, (f"refused by git apply: {why}",), None)
        return kept, [Finding(pf.path, "", why, pf.where)]
    if pf.is_new and pf.new_mode is not None and kind(pf.new_mode) == S_IFDIR and not pf.is_binary:
        made, findings = _apply_text(state, replace(pf, new_mode="100644"), origin, path, proposal)
        return _as_pointer(pf, dir_mode_link(made) if made is not None else made, findings)
    if (pf.binary is not None or pf.is_binary) and not pf.is_symlink:
        return _apply_binary(state, pf, (origin, path), stored)
    if pf.is_binary or (pf.is_symlink and pointer_mode(pf) is None):
        if pf.is_deleted:
            return None, []
        what = "binary" if pf.is_binary else "mode change to or from a symlink or submodule"
        before = state.provenance if state is not None and not state.absent else ()
        return unmodelled(path, (*before, f"{what} patch by {origin}: not modelled"), pf.new_mode), [
            Finding(pf.path, "", f"{what} patch: file not modelled", pf.where)]
    if pointer_mode(pf) is not None and not pf.is_deleted:
        return _as_pointer(pf, *_apply_text(state, pf, origin, path, proposal))
    return _apply_text(state, pf, origin, path, proposal)


def pointer_mode(pf: PatchedFile) -> str | None:
    """The mode of a symlink or submodule that stays one: git apply patches the link's target, or the line
    'Subproject commit <id>', as the text of a file."""
    given = [m for m in (pf.old_mode, pf.new_mode) if m is not None]
    modes = {written(m) for m in given}  # "120777" is a symlink's 120000, as git writes it
    pointers = all(kind(m) in (S_IFLNK, S_IFGITLINK) for m in given)
    return next(iter(modes)) if pf.is_symlink and pointers and len(modes) == 1 and modes <= set(POINTER_C) else None


def _as_pointer(pf: PatchedFile, state: FileState | None,
                findings: list[Finding]) -> tuple[FileState | None, list[Finding]]:
    """A symlink's or submodule's state: its text and git's id of it; the mirror does not follow one to C. A
    submodule patched into anything but 'Subproject commit <id>' is git apply's 'corrupt patch for submodule'."""
    if state is None or not state.complete or not state.usable:
        return state, findings
    if state.mode == GITLINK_MODE and state.blob is None:
        return replace(state, usable=False), [*findings, Finding(state.path, "", "corrupt patch for submodule: "
                                                                 "not 'Subproject commit <id>'", pf.where)]
    if not state.path.endswith((".c", ".h")):
        return state, findings
    return pointer_state(state), [*findings, Finding(state.path, "", POINTER_C[state.mode or LINK_MODE], pf.where)]


def _apply_text(state: FileState | None, pf: PatchedFile, origin: str,
                path: str, proposal: bool = False) -> tuple[FileState | None, list[Finding]]:
    if pf.maybe_new and state is not None and state.absent:
        pf = replace(pf, source_path=None)
    if pf.is_new and pf.new_mode is None:  # a diff naming no mode (diff -u, --- /dev/null): apply.c's S_IFREG | 0644
        pf = replace(pf, new_mode="100644")
    if pf.is_new:
        if state is not None and not state.absent:
            # git apply refuses the patch: what the series means here is unknown.
            return replace(state, usable=False), [Finding(pf.path, "", "patch creates a file that already exists"
                                                          + _known_from(state), pf.where)]
        empty = FileState(path, True, {}, 0, (f"created by {origin}",))
        return _apply_full(empty, pf, origin, path, created=True, proposal=proposal)
    if pf.is_deleted:
        return _delete(state, pf, origin)
    if state is not None and state.absent:  # a rename's or copy's missing source is the file to name
        verb = "renames" if pf.is_rename else "copies" if pf.copy else "modifies"
        return state, [Finding(state.path, "", f"patch {verb} a file the base does not have ({state.provenance[0]})",
                               pf.where)]
    if state is None:
        state = FileState(pf.source_path or path, False, {}, None, ())
    if state.complete:
        return _apply_full(state, pf, origin, path, proposal=proposal)
    return _apply_fragments(state, pf, origin, path, proposal)


def _type_refusal(state: FileState | None, pf: PatchedFile) -> str | None:
    """Why git apply refuses a patch of an existing file for its modes, whatever its hunks: 'wrong type'
    (apply.c check_preimage: the old mode, of its index or ``old mode`` line, is another kind of file than the file
    is: a symlink's target text never takes a regular file's hunks; a deletion too), or a new mode of another kind
    than the old (check_patch: git diff sends a change of type as a deletion and a creation). Kinds are the type bits
    of the modes as written ("644" is no regular file to git here); None when neither, or a file not known. A file
    created with a directory's mode (040000, as git writes it) is refused too: git am exits 0 on it, but its commit
    is a broken tree that no later git am can read."""
    if pf.is_new and pf.new_mode is not None and written(pf.new_mode) == DIR_MODE:
        return (f"new file mode {pf.new_mode} is a directory's: git apply writes a regular file, but git am commits "
                "a tree entry naming its blob, a broken tree (git fsck: 'is a tree, not a blob'; git status and the "
                "next git am: 'unable to read tree')")
    if pf.is_new or (state is not None and state.absent):
        return None
    have = state.mode if state is not None else None
    if have is not None and pf.old_mode is not None and kind(have) != kind(pf.old_mode):
        return (f"wrong type, as git apply says: the file is {kind_words(have)} (mode {have}), the patch changes "
                f"{kind_words(pf.old_mode)} (mode {pf.old_mode})")
    old = pf.old_mode or have
    if pf.is_deleted or pf.new_mode is None or old is None or kind(old) == kind(pf.new_mode):
        return None
    return (f"new mode ({int(pf.new_mode, 8):o}) of {pf.path} does not match old mode ({int(old, 8):o}), as git apply "
            "says: a patch may not change a file's type (git diff sends that as a deletion and a creation)")


def _known_from(state: FileState) -> str:
    """Why a file a patch creates is taken to exist, when only earlier patches' hunks say so (no base read): the
    likelier story is a sender who swapped the patches, which git am would show by refusing the earlier one."""
    first = state.provenance[0] if state.provenance else ""
    if state.complete or not first.startswith("fragments after "):
        return ""
    return (f" (known only from the hunks of {first.removeprefix('fragments after ')}: if the base lacks it, "
            "the patches are out of order)")


def _apply_binary(state: FileState | None, pf: PatchedFile, at: tuple[str, str],
                  stored: Stored | None) -> tuple[FileState | None, list[Finding]]:
    """A binary patch, as apply.c apply_binary takes it: both blob ids in full on the index line (a deletion's
    too), the pre-image exactly the old blob (no offsets here); then the new blob where the tree's repository has
    it (``stored``), whatever data the patch carries, else the ``literal`` bytes or the ``delta`` applied to the
    pre-image, the result exactly the new blob. Any of them failing is git's refusal, "Binary files ... differ"
    with the blob not in the repository too. Unknown pre-image (no tree): a literal is still its bytes (the new
    blob proves them), a delta or a patch without data is not modelled."""
    origin, path = at
    there = state is not None and not state.absent
    before = state.provenance if state is not None and there else ()

    def refused(reason: str) -> tuple[FileState | None, list[Finding]]:
        kept = replace(state, path=path, usable=False) if state is not None and there else \
            unmodelled(path, (*before, f"binary patch by {origin}: {reason}"), pf.new_mode)
        return kept, [Finding(pf.path, "", f"binary patch does not apply: {reason}", pf.where)]

    old, new = pf.old_blob or "", pf.new_blob or ""
    if len(old) != 40 or len(new) != 40:
        return refused("the index line does not give both blob ids in full (git apply needs them: git "
                       "format-patch --full-index, or --binary)")
    if pf.is_new and there:
        return refused("it creates a file that already exists")
    if not pf.is_new and state is not None and state.absent:
        verb = "deletes" if pf.is_deleted else "modifies"
        return state, [Finding(path, "", f"patch {verb} a file the base does not have ({state.provenance[0]})",
                               pf.where)]
    source: bytes | None = b"" if pf.is_new else None
    if not pf.is_new and state is not None and state.complete and state.text is not None:
        if state.blob != old:
            return refused(f"the file is blob {(state.blob or '?')[:12]}, not the index line's {old[:12]}")
        source = state.text.encode("utf-8", "surrogateescape")
    if pf.is_deleted:
        return None, []
    kept = stored(new) if stored is not None and source is not None else None
    result = kept if kept is not None else _binary_data(pf, source, stored is not None)
    if isinstance(result, tuple):
        return (unmodelled(path, (*before, f"binary patch by {origin}: {result[1]}"), pf.new_mode),
                [Finding(pf.path, "", f"binary patch: {result[1]}", pf.where)]) if result[0] else refused(result[1])
    text = result.decode("utf-8", "surrogateescape")  # bytes as they are: the blob id is git's
    if git_blob_id(text) != new:
        return refused(f"it makes blob {git_blob_id(text)[:12]}, not the index line's {new[:12]}")
    mode = (written(pf.new_mode) if pf.new_mode else None) if state is None or not there else result_mode(state, pf)
    made = full_file(path, text, origin, mode)
    return replace(made, provenance=(*before, f"{'created' if pf.is_new else 'patched'} by {origin}")), []


def _binary_data(pf: PatchedFile, source: bytes | None, tree: bool) -> bytes | tuple[bool, str]:
    """The post-image a binary patch's own data makes of ``source`` (the pre-image, None where not known), or
    (whether it is unknown rather than refused, why): a patch without data ("Binary files ... differ") makes
    nothing (git apply: "missing binary patch data") but from a repository holding its new blob, which only a
    ``tree`` tells."""
    if pf.binary is None:
        if tree and source is not None:
            return False, (f"no data in the patch and the tree's repository has no blob {(pf.new_blob or '')[:12]} "
                           "(git apply: missing binary patch data)")
        return True, ("file not modelled (no data in the patch: git am takes the new blob from the repository when "
                      "it has it; give --tree)")
    kind, data = pf.binary
    if kind == "delta" and source is None:
        return True, "the file the delta applies to is not known (give --tree)"
    try:
        return data if kind == "literal" else apply_delta(source or b"", data)
    except DeltaError as exc:
        return False, str(exc)


def _delete(state: FileState | None, pf: PatchedFile, origin: str) -> tuple[FileState | None, list[Finding]]:
    """A deletion: git apply removes a file only when the patch shows all of it (apply.c: "still has contents")."""
    if state is None:
        return None, []  # nothing is known of it (no tree): as the patch says
    if state.absent:  # git apply: "No such file or directory"
        return state, [Finding(pf.path, "", f"patch deletes a file the base does not have ({state.provenance[0]})",
                               pf.where)]
    if not state.complete:
        _, findings = _apply_fragments(state, pf, origin, pf.path)
        return (None, []) if not findings else (replace(state, usable=False), findings)
    after, findings = _apply_full(state, replace(pf, new_blob=None), origin, pf.path)
    if any("does not apply" in f.reason for f in findings):
        return replace(state, usable=False), findings
    if after is not None and after.text:
        return replace(state, usable=False), [Finding(pf.path, "", "deleted file still has contents", pf.where)]
    return None, findings


def result_mode(state: FileState, pf: PatchedFile) -> str | None:
    """The file's mode after ``pf``: a ``new mode`` line's; else the file's own where known, as git apply keeps
    it (the ``index`` line's mode is only the old mode it expects: apply.c gitdiff_index, check_preimage
    warns "has type 100644, expected 100755"); else the index line's, the best guess without a tree."""
    if pf.new_mode is not None and (pf.new_mode != pf.old_mode or state.mode is None):
        return written(pf.new_mode)
    return state.mode


def _blob_check(state: FileState, pf: PatchedFile, after: bool) -> list[Finding]:
    """The state's blob against the index line's: a problem where they differ, a note where they differ by the CRs
    of CR LF line ends alone (_cr_kept)."""
    want = pf.new_blob if after else pf.old_blob
    have = state.blob
    if not want or have is None or have.startswith(want):
        return []
    side = "post" if after else "pre"
    if (why := _by_crs(state, want)) is not None:
        return [Finding(pf.path, "", f"{side}-image blob is {have[:12]}, not the index line's {want}, by CRs alone: "
                        f"{why}; git am writes it so", pf.where, note=True)]
    if after:
        return [Finding(pf.path, "", f"post-image blob is {have[:12]}, the index line says {want}; "
                        f"the rebuilt file is not used{_FLOWED if pf.flowed else ''}", pf.where, blob=True)]
    return [Finding(pf.path, "", f"pre-image blob is {have[:12]}, the index line says {want}", pf.where, blob=True)]


# Why a flowed mail's post-image may not be the author's: the blank a '+' line ended in is gone before git am reads it.
_FLOWED = ("; the mail is format=flowed: its mailer strips the blanks that end lines (RFC 3676 4.2), so a line the "
           "author ended in a blank may have lost it, and git am commits the line as the mail has it")
# Why a flowed mail's hunk misses a file whose lines differ from its own by the blanks ending them alone: the mailer
# stripped them from the context and '-' lines (RFC 3676 4.2), and git am, matching context exactly, stops there too.
_FLOWED_MISS = ("; the mail is format=flowed: its mailer strips the blanks that end lines (RFC 3676 4.2), and the "
                "file's lines differ from the hunk's by such blanks alone, so git am stops here too")


def _unblanked(line: str) -> str:
    """A line without its line end and the blanks before it: as a format=flowed mailer leaves it (RFC 3676 4.2)."""
    return line.rstrip("\n").rstrip(" ")


_LINE_CR = lazy(r"\r(?=\n|\Z)")
_BARE_LF = lazy(r"(?<!\r)\n")


def _by_crs(state: FileState, want: str) -> str | None:
    """Why the file is the index line's blob but for a CR before each line end, or None: the hunks of a mail whose
    CR LF line ends git am keeps (mailinfo decodes them from base64 or quoted-printable and only warns 'quoted CRLF
    detected') write CRs the author's git never hashed; those of an author's CR LF file lose theirs in the mail
    (mailsplit drops a CR before a line end, as git am does without --keep-cr). git am writes the file so."""
    text = state.text
    if text is None:
        return None
    if "\r" in text and git_blob_id(_LINE_CR().sub("", text)).startswith(want):
        return ("its lines end in CR LF, the mail's quoted CRLF, which git am keeps in the lines it applies (git am "
                "--quoted-cr=strip drops them)")
    with_crs = _BARE_LF().sub("\r\n", text)
    last = (with_crs,) if text.endswith("\n") else (with_crs, with_crs + "\r")  # a last line without its LF too
    if "\n" in text and any(git_blob_id(t).startswith(want) for t in last):
        return ("its lines end in LF where the author's file has CR LF: the mail lost the CRs, as git am without "
                "--keep-cr drops them (mailsplit)")
    return None


def _edited(state: FileState, pf: PatchedFile, skip: bool) -> str:
    """After a hunk that does not apply to the very file its index line names (the pre-image blob matches: the
    diff's own lines were made from it, git diff's index line being the blob it read): the diff was changed after
    git made it, by hand or by the mail's way; '' where the file is another or the blob is not known, and where
    ``skip`` (a file the patch creates; a reviewer's proposal, which is edited by hand as a rule)."""
    want = pf.old_blob
    if skip or not want or not state.blob or not state.blob.startswith(want) or not want.strip("0"):
        return ""
    return (f"; the file is the pre-image blob its index line names ({want}), so the diff was edited or mangled "
            "after git made it")


def _on_other_base(pre_check: list[Finding], how: str) -> list[Finding]:
    """The pre-image blob problems of _blob_check made notes saying what was done on that other pre-image."""
    return [replace(f, reason=f"{f.reason}; {how}", note=True) for f in pre_check if not f.note]


def _apply_full(
    state: FileState, pf: PatchedFile, origin: str, path: str, created: bool = False, proposal: bool = False
) -> tuple[FileState | None, list[Finding]]:
    # Another pre-image than the mail's (a newer tree, --base): git am applies the hunks where their context
    # is, so the result is used, as git am's; its blob cannot be checked against the index line then.
    pre_check = [] if created else _blob_check(state, pf, after=False)
    other_base = _on_other_base(pre_check, "applied to it as git am applies it")
    findings = [*(f for f in pre_check if f.note), *other_base]
    assert state.length is not None
    image = [state.lines[n][0] + "\n" for n in range(1, state.length + 1)]
    if state.missing_newline and image:
        image[-1] = image[-1][:-1]
    origins = [state.lines[n][1] for n in range(1, state.length + 1)]
    patched = [False] * len(image)
    original = list(image)
    numbers: list[int | None] = list(range(1, len(image) + 1))  # each image line's number in the file before
    for h in pf.hunks:
        pre, post = hunk_lines(h, target=False), hunk_lines(h, target=True)
        pos, expected = find_pos(image, patched, pre, h)
        if pos is None:
            why = why_missed(original, image, patched, numbers, pre, h, hunks_apply(original, pf, loose))
            flowed = pf.flowed and hunks_apply(original, pf, _unblanked)
            held = held_to_end(original, h, pre) is not None  # a -U0 diff as git made it, not edited
            why += _FLOWED_MISS if flowed else _edited(state, pf, created or proposal or held)
            if pf.new_blob and state.blob and state.blob.startswith(pf.new_blob) and pf.new_blob != pf.old_blob:
                # The file already is this patch's result (an earlier copy of it in the base): git am stops all
                # the same ('patch does not apply'); said, so that no one looks for a conflict.
                made_here = state.provenance[-1:] in ((f"patched by {origin}",), (f"created by {origin}",))
                why += f" (the file already is this patch's result, {pf.new_blob}: " + (
                    "an earlier diff of it in this same mail made it: the diff given twice, inline and attached, or "
                    "in a plain and an HTML part?)"
                    if made_here else "the patch is in the base)")
            # Not applied: the note on the other pre-image says it was tried, never "applied" beside the failure.
            tried = _on_other_base(pre_check, "tried on it as git am would")
            findings = [*(f for f in pre_check if f.note), *tried, *findings[len(pre_check):],
                        Finding(path, h.header, why, h.where)]
            return replace(state, path=path, usable=False), findings
        if pos != expected:
            findings.append(Finding(path, h.header, f"applied with offset {pos - expected:+d} lines", h.where,
                                    note=True, offset=pos - expected))
        image[pos : pos + len(pre)] = post
        numbers[pos : pos + len(pre)] = [None] * len(post)
        origins[pos : pos + len(pre)] = [origin] * len(post)
        patched[pos : pos + len(pre)] = [True] * len(post)
    new = full_file(path, "".join(image), origin, result_mode(state, pf))
    if new.length == len(origins):
        new = replace(new, lines={n: (t, origins[n - 1]) for n, (t, _) in new.lines.items()})
    post_check, usable = _post_checked(new, pf, state.usable, bool(other_base), proposal)
    provenance = state.provenance if created else (*state.provenance, f"patched by {origin}")
    # A post-image that is a Git LFS pointer (a patch of one) is checked all the same, and still no C code.
    pointer = [Finding(path, "", LFS_NOTE, pf.where)] if lfs_pointer(new) else []
    return lfs_state(replace(new, provenance=provenance, usable=usable)), findings + post_check + pointer


def _post_checked(new: FileState, pf: PatchedFile, usable: bool, other_base: bool, proposal: bool
                  ) -> tuple[list[Finding], bool]:
    """The post-image checked against the index line's blob, and whether the file is usable after: one a failed
    hunk left unusable (``usable`` False) stays so, as git am stops there, unless the post-image is proven."""
    post_check = _blob_check(new, pf, after=True)
    verified = bool(pf.new_blob) and all(f.note for f in post_check)  # the index line's blob, or it with CRs
    if other_base or proposal:  # a post-image of another pre-image cannot be the index line's: said, not held
        why = "another pre-image" if other_base else "the diff was edited after git made it; git apply takes it"
        post_check = [f if f.note else replace(f, reason=f"post-image blob is {new.blob[:12] if new.blob else '?'}, "
                                               f"not the index line's {pf.new_blob} ({why})", note=True)
                      for f in post_check]
    return post_check, not any(not f.note for f in post_check) and (usable or verified)


def _apply_fragments(
    state: FileState, pf: PatchedFile, origin: str, path: str, proposal: bool = False
) -> tuple[FileState | None, list[Finding]]:
    """Known lines move by the hunks' line deltas; each hunk's post-image becomes known text."""
    findings: list[Finding] = []
    if proposal:  # a reviewer's hand-edited header may be off: git apply looks for the context nearby
        pf, findings = _placed(state.lines, pf, path)
    # A hunk with no context after its last change goes to a known end, or to one past the lines shown; a reviewer's
    # snippet cut short after its change is read where its context is (_placed), as it is meant.
    pf, ends = fit_end(state.last, pf, 0 if proposal else max(state.lines, default=0), not proposal)
    at_end = {shifted(h, off).header: (h.header, off) for h, off, why in ends if why is None}
    findings += [Finding(path, h.header, why, h.where) for h, _, why in ends if why is not None]
    undecided = {f.hunk for f in findings if not f.note}
    for h in pf.hunks:
        if h.header in undecided:  # said by _placed or fit_end: where git apply puts it is not known, or nowhere
            continue
        header, off = at_end.get(h.header, (h.header, 0))
        if (why := _fragment_miss(state, h, origin, h.header in at_end, pf.flowed)) is not None:
            findings.append(Finding(path, header, why, h.where))
        elif off:
            findings.append(Finding(path, header, f"applied with offset {off:+d} lines", h.where, note=True,
                                    offset=off))
    moved = move_lines(state.lines, LineMap.of(pf).forward)
    for h in pf.hunks:
        merge(moved, hunk_side(h, target=True, origin=f"post-image of {origin}"))
    provenance = (*state.provenance, f"fragments after {origin}")
    usable = state.usable and all(f.note for f in findings)
    last, ended = end_after(state.last, state.last_ended, pf)
    return FileState(path, False, moved, None, provenance, usable=usable, mode=result_mode(state, pf),
                     last=last, last_ended=ended), findings


def _fragment_miss(state: FileState, h: Hunk, origin: str, moved_to_end: bool, flowed: bool = False) -> str | None:
    """Why git apply refuses a hunk (as placed) on a file known in fragments: a known line that differs, exactly as
    git apply matches context (a line the mailer re-spaced, tabs to spaces, is refused), or a line end (fileend); of a
    format=flowed mail (``flowed``) whose lines differ by the blanks ending them alone, why (_FLOWED_MISS)."""
    before = hunk_side(h, target=False, origin=origin)
    differ = sorted(n for n, (text, _) in before.items() if n in state.lines and state.lines[n][0] != text)
    if not differ:
        return newline_miss(state.last, state.last_ended, state.lines, h)
    ws = all(loose(state.lines[n][0]) == loose(before[n][0]) for n in differ)
    have, want = state.lines[differ[0]][0], before[differ[0]][0]
    blanks = flowed and all(_unblanked(state.lines[n][0]) == _unblanked(before[n][0]) for n in differ)
    return miss_reason(differ[0], ws, have, want) + (
        f" (with no context after its last change it goes to the file's end, line {state.last})" if moved_to_end
        else "") + (_FLOWED_MISS if blanks else "")


def _placed(lines: dict[int, tuple[str, str]], pf: PatchedFile, path: str) -> tuple[PatchedFile, list[Finding]]:
    """The diff with each hunk whose stated place contradicts the known lines moved to where git apply finds its
    context (apply.c find_pos), when that can be told from what is known; a note for each hunk moved."""
    hunks: list[Hunk] = []
    notes: list[Finding] = []
    taken: set[int] = set()
    for h in pf.hunks:
        off = offset(lines, h, taken)
        if off is None:
            notes.append(Finding(path, h.header, undecided_reason(lines, h), h.where))
            off = 0
        elif off:  # the note names the hunk as the mail has it, as for a whole file (_apply_full)
            notes.append(Finding(path, h.header, f"applied with offset {off:+d} lines", h.where, note=True,
                                 offset=off))
            h = shifted(h, off)
        hunks.append(h)
        taken.update(range(h.source_start, h.source_start + len(h.source_lines)))
    undecided = [f for f in notes if not f.note]
    if not notes or any(a.source_start + len(a.source_lines) > b.source_start for a, b in pairwise(hunks)):
        return pf, undecided
    return replace(pf, hunks=tuple(hunks)), notes
