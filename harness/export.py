"""Writing a variant's files to a directory: full files, marked fragment files, provenance.json."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from harness import __version__
from harness.diffmodel import Hunk
from harness.errors import ApplyError, InputError, UsageError, Where, os_reason
from harness.filestate import GITLINK_MODE, LFS_NOTE, LINK_MODE, POINTER_C, FileState
from harness.gapbase import patch_at
from harness.mailpaths import walk_folder
from harness.model import Series
from harness.patching import Finding, check_path
from harness.signals import signals_held
from harness.variants import NO_TREE, Variant

FRAGMENT_SUFFIX = ".fragments"
REJECT_SUFFIX = ".rej"  # beside a file that is not this variant's text, as git apply --reject leaves one


def status(f: FileState, v: Variant) -> str:
    """A file's status in a variant: complete, fragments, absent (the base lacks it; a later patch creates it)
    or unusable (not the variant's text)."""
    if f.absent:
        return "unusable" if any(x.path == f.path and not x.note for x in v.findings) else "absent"
    if not f.usable:
        return "unusable"
    return "complete" if f.complete else "fragments"


def reject_text(f: FileState, v: Variant, hunks: Mapping[str, Hunk] | None = None) -> str:
    """Why a written file is not this variant's text: its findings, and which text it holds instead; then, as
    git apply --reject writes a .rej, the hunks that did not apply (``hunks``: each by where the mail has it)."""
    last = f.provenance[-1] if f.provenance else "?"
    found = [x for x in v.findings if x.path == f.path and not x.note]
    lines = [f"# seamharness: {f.path} is NOT {v.name}'s text; its last step: {last}\n"]
    lines += [f"# {x}\n" for x in found]
    rejected = [h for h in dict.fromkeys((hunks or {}).get(str(x.where)) for x in found) if h is not None]
    if rejected:
        lines.append(f"diff a/{f.path} b/{f.path}\t(rejected hunks)\n")
    for h in rejected:
        lines.append(f"@@ -{h.source_start},{h.source_length} +{h.target_start},{h.target_length} @@"
                     f"{' ' + h.section if h.section else ''}\n")
        for ln in h.lines:
            lines.append("\n" if ln.bare else f"{ln.kind.value}{ln.text}\n")
            lines += ["\\ No newline at end of file\n"] if ln.no_newline else []
    return "".join(lines)


def series_hunks(series: Series) -> dict[str, Hunk]:
    """Every hunk of the input's patches by where the mail has it (``FILE:LINE``), as findings name them."""
    return {str(h.where): h for p in series.all_patches() for pf in p.files for h in pf.hunks}


def fragment_text(f: FileState) -> str:
    """Known pieces of a file, each under a marker line naming its lines and origins."""
    parts = [f"# seamharness: fragments of {f.path}; only these lines are known\n"]
    for frag in f.fragments():
        parts.append(f"# --- lines {frag.start}-{frag.end} from: {'; '.join(frag.origins)}\n")
        parts.extend(line + "\n" for line in frag.lines)
    return "".join(parts)


def provenance(v: Variant) -> dict[str, Any]:
    """Where each file of a variant came from, with blob ids of full files."""
    return {
        "tool": f"seamharness {__version__}",
        "variant": v.name,
        "description": v.description,
        "base": v.base,
        "applied": list(v.applied),
        "messages": [{"msgid": m, "author": a} for m, a in v.sources],
        "files": [
            {
                "path": f.path,
                "status": status(f, v),
                "complete": f.complete,
                "usable": f.usable,
                "blob": f.blob,
                "mode": f.mode,
                "provenance": list(f.provenance),
                "fragments": [
                    {"start": fr.start, "end": fr.end, "origins": list(fr.origins)} for fr in f.fragments()
                ] if not f.complete else [],
            }
            for f in v.files if not f.included
        ],
        "findings": [
            {"path": x.path, "hunk": x.hunk, "reason": x.reason, "where": str(x.where)} for x in v.findings
        ],
    }


REFUSED = "exists, is not empty and is not a seamharness output (a provenance.json that lists every file in it); " \
    "refusing to overwrite"


def earlier_output(out: Path) -> bool:
    """Whether a folder holds an earlier ``apply --out`` and nothing else: its provenance.json is one this tool
    wrote, and every file beside it is one that provenance names (a file, its fragments, its .rej). Only then
    may it be replaced: anything else in it is someone's work."""
    data = _earlier_provenance(out)
    if data is None:
        return False
    names = {"provenance.json"}
    for f in data["files"]:
        path = f["path"]
        names |= {path, path + FRAGMENT_SUFFIX, path + REJECT_SUFFIX, path + FRAGMENT_SUFFIX + REJECT_SUFFIX}
    links = {f["path"] for f in data["files"] if f.get("mode") == LINK_MODE and f.get("status") != "fragments"}
    # Only the folders of the files it names (a submodule's is one): any other (1,000 deep: rglob's recursion
    # failed) is not.
    folders = {str(parent) for name in names for parent in PurePosixPath(name).parents} - {"."}
    for root, dirs, files in walk_folder(str(out)):
        for name in dirs + files:
            p = Path(root) / name
            rel = p.relative_to(out).as_posix()
            if p.is_symlink() and rel in links:
                continue  # a symlink the series made (written as a link), never followed
            if p.is_symlink() or not (rel in folders or rel in names if p.is_dir() else p.is_file() and rel in names):
                return False
    return True


def _earlier_provenance(out: Path) -> dict[str, Any] | None:
    """An earlier output's provenance.json, when this tool wrote it and it lists files; else None."""
    try:
        data = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
        if not (isinstance(data, dict) and str(data.get("tool", "")).startswith("seamharness ")):
            return None
        if not all(isinstance(f, dict) and isinstance(f["path"], str) for f in data["files"]):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):  # not ours: never replaced
        return None
    return data


def _recorded(data: dict[str, Any]) -> dict[str, str | None]:
    """Each name an earlier output wrote -> the blob its provenance.json records for it: its ``written`` table,
    else (an output of seamharness before it) each complete file's ``blob``, None for what has none recorded
    (fragments, .rej). A submodule's folder is no file."""
    written = data.get("written")
    if isinstance(written, dict):
        return {str(k): str(v) for k, v in written.items()}
    out: dict[str, str | None] = {}
    for f in data["files"]:
        if f.get("mode") == GITLINK_MODE and f.get("complete"):
            continue
        name = f["path"] if f.get("complete") else f["path"] + FRAGMENT_SUFFIX
        out[name] = f.get("blob") if f.get("complete") else None
        if not f.get("usable", True) and f.get("status") != "absent":
            out[name + REJECT_SUFFIX] = None
    return out


def _blob_of(p: Path) -> str:
    """git's blob id of a file as it is (a symlink: of its target's name, as git stores a link)."""
    data = os.fsencode(os.readlink(p)) if p.is_symlink() else p.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def edited_since(out: Path) -> tuple[str, str] | None:
    """In an earlier output (earlier_output), the first file that is not as seamharness wrote it, and how: one
    whose blob is not the one provenance.json records (edited), or one under a name it lists that it did not
    write (a whole ``x.c`` where it wrote ``x.c.fragments``). Replacing either loses the user's work."""
    data = _earlier_provenance(out)
    if data is None:
        return None
    recorded = _recorded(data)
    for root, _dirs, files in walk_folder(str(out)):
        for name in sorted(files):
            p = Path(root) / name
            rel = p.relative_to(out).as_posix()
            if rel == "provenance.json" or (p.is_dir() and not p.is_symlink()):
                continue
            if rel not in recorded:
                return rel, "not written by seamharness (provenance.json lists no such file written)"
            blob = recorded[rel]
            try:
                now = _blob_of(p)
            except OSError as exc:
                return rel, f"cannot be read: {os_reason(exc)}"
            if blob is not None and now != blob:
                return rel, f"edited since seamharness wrote it (blob {now[:12]}, provenance.json records {blob[:12]})"
    return None


def check_replaceable(out: Path, label: str) -> None:
    """UsageError when ``out`` holds anything but an untouched earlier output (earlier_output, edited_since)."""
    if not (out.is_dir() and any(out.iterdir())):
        return
    if not earlier_output(out):
        raise UsageError(label, REFUSED)
    edited = edited_since(out)
    if edited is not None:
        raise UsageError(str(out / edited[0]), f"{edited[1]}; refusing to overwrite --out {out}")


def replaced_note(out: Path) -> str | None:
    """The note ``apply`` says when its folder held an earlier output (replaced): which variant it held."""
    data = _earlier_provenance(out) if out.is_dir() else None
    return None if data is None else f"note: --out {out}: the earlier output of {data.get('variant', '?')} replaced"


def _folder_mode(out: Path) -> int:
    """The mode the output folder keeps (an existing one's) or gets (what mkdir would give under the umask)."""
    try:
        return out.stat().st_mode & 0o7777
    except OSError:
        return _umask_mode()


def _umask_mode() -> int:
    """0777 under the process's umask: what mkdir gives a folder and git an executable file."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _check_layout(files: list[FileState]) -> None:
    """InputError when one path of the state is a folder of another (``x`` and ``x/y``): no tree holds both,
    and git apply refuses to write the second."""
    paths = {f.path for f in files if not f.absent}
    for b in sorted(paths):
        parts = b.split("/")
        a = next((p for p in ("/".join(parts[:i]) for i in range(1, len(parts))) if p in paths), None)
        if a is not None:
            raise InputError(Where(b), f"{a} is a file and the folder of {b} in this state: git apply cannot "
                                       "write both")


def _write_file(f: FileState, tmp: Path, out: Path, v: Variant, hunks: Mapping[str, Hunk] | None) -> list[Path]:
    """Write one file of the variant into ``tmp`` (and its rejects beside it); the paths it will have in ``out``."""
    check_path(f.path, Where(f.path))
    if not f.complete and not f.lines:
        return []  # nothing is known of it (a binary or symlink patch): provenance.json says so
    name = f.path if f.complete else f.path + FRAGMENT_SUFFIX
    target = tmp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    text = f.text if f.complete and f.text is not None else fragment_text(f)
    if f.complete and f.mode == GITLINK_MODE and f.usable:
        target.mkdir()  # a submodule not checked out: git leaves an empty folder; provenance names its commit
        return []
    if f.complete and f.mode == LINK_MODE and "\0" not in text:
        os.symlink(os.fsencode(text), target)
    else:
        target.write_text(text, encoding="utf-8", errors="surrogateescape")  # the bytes git would write
    if f.complete and f.mode == "100755":  # git checks an executable file out as 0777 under the umask
        target.chmod(_umask_mode())
    written = [out / name]
    if not f.usable and not f.absent:
        (tmp / (name + REJECT_SUFFIX)).write_text(reject_text(f, v, hunks), encoding="utf-8",
                                                  errors="surrogateescape")  # a path's bytes as they are
        written.append(out / (name + REJECT_SUFFIX))
    return written


def write_variant(v: Variant, out: Path, hunks: Mapping[str, Hunk] | None = None) -> list[Path]:
    """Write into a fresh temporary directory, then move it into place as ``out``.

    Raises UsageError when ``out`` is a file, a folder that is not an earlier output, or its parent is
    missing (never created: a typo must not make folders).
    """
    if out.exists() and not out.is_dir():
        raise UsageError(str(out), "not a directory")
    check_replaceable(out, str(out))
    if not out.parent.is_dir():
        raise UsageError(str(out), f"no such directory: {out.parent}")
    files = [f for f in v.files if not f.included]  # the patches' files; headers read for the mirror are not
    _check_layout(files)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:  # a folder that takes no new entries (/proc, a read-only mount, no permission)
        raise UsageError(str(out), f"cannot write in {out.parent}: {os_reason(exc)}") from exc
    tmp.chmod(_folder_mode(out))  # mkdtemp's 0700 is for the temporary name only
    written: list[Path] = []
    try:
        # Symlinks last, as links (as git checks them out): nothing is written through one.
        for f in sorted(files, key=lambda f: f.mode == LINK_MODE and f.complete):
            written += _write_file(f, tmp, out, v, hunks)
        # What each written file's blob is, so that a later apply --out can tell a file edited since (edited_since).
        record = {**provenance(v), "written": {p.relative_to(out).as_posix(): _blob_of(tmp / p.relative_to(out))
                                               for p in written}}
        (tmp / "provenance.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        _swap(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return written


def _swap(tmp: Path, out: Path) -> None:
    """Put the written folder ``tmp`` in place of ``out`` by renames only: removing the earlier output first
    left no output at all, or half of the old one, when a signal (Ctrl-C, SIGTERM) came in between. The old
    one is moved aside (beside it, hidden), back when the new one is not in place, then removed."""
    aside = tmp.with_name(tmp.name + ".old")
    with signals_held():  # a signal during the removal left the old folder half-removed beside the new one
        try:
            if out.exists():
                out.rename(aside)
            tmp.rename(out)
        finally:
            if aside.exists() and not out.exists():
                aside.rename(out)
            shutil.rmtree(aside, ignore_errors=True)


def apply_notes(v: Variant, series: Any) -> tuple[list[str], list[FileState]]:
    """What ``apply`` says on stderr after writing a variant of ``series`` (a harness.model.Series), a line
    each: its base, the thread copies it rests on (a stale one is warned about at the end), whether it is
    the series' state of that name (harness.statenames.state_gap), each unusable file with its first finding,
    and the first note on each whole file written all the same (all are in provenance.json); and the
    unusable files (exit status 1 when there are any)."""
    from harness.statenames import state_gap
    from harness.threadcache import CopyKind

    lines = [f"base: {v.base}", *(t.describe() for t in series.threads if t.kind is not CopyKind.STALE)]
    gap = state_gap(v, series)
    if gap is not None:
        lines.append(f"note: {gap}")
    problems = {x.path for x in v.findings if not x.note}
    # An absent file is a problem only when a patch needed it (one a later patch creates is not).
    broken = [f for f in v.files if not f.usable and (not f.absent or f.path in problems)]
    for f in broken:
        why = [x for x in v.findings if x.path == f.path and not x.note]
        more = f" ({len(why) - 1} more in provenance.json)" if len(why) > 1 else ""
        lines.append(f"{f.path}: unusable in {v.name}" + (f": {why[0]}{more}" if why else ""))
    # A hunk that did not apply where a later patch's result is its index line's blob again (its pre-image was the
    # file as it stood: the earlier patch already in the base): written as that blob, but git am stopped there.
    for path in sorted(problems - {f.path for f in broken}):
        why = [x for x in git_refusals(v, [f for f in v.files if f.path == path]) if x.path == path]
        if why:
            lines.append(f"{path}: {why[0]}; git am stops there, but a later patch's result is its index line's "
                         "blob: written as that")
    # A note on a whole file (no hunk: a pre-image blob the base lacks, patched as git am patches it) says the base
    # is not the one the patch was made on, which the reader must know before trusting what the file holds; a hunk
    # placed with an offset, as git am places it silently, is left to provenance.json.
    for path in sorted({x.path for x in v.findings if x.note and not x.hunk}):
        why = [x for x in v.findings if x.path == path and x.note and not x.hunk]
        more = f" ({len(why) - 1} more in provenance.json)" if len(why) > 1 else ""
        lines.append(f"note: {why[0]}{more}")
    return lines, broken


# Unusable to the mirror alone: git writes the file so (a symlink's or submodule's text, an LFS pointer), and so
# does apply; only what git itself would not write is a patch that does not apply.
_MIRROR_ONLY = frozenset((*POINTER_C.values(), LFS_NOTE))
# A text file whose result is not its index line's blob (a diff edited by hand): git am writes it all the same (git
# apply checks a binary patch's result, never a text one's), so it is written, unusable (harness.patching._blob_check).
_NOT_CHECKED_BY_GIT = "post-image blob is "


def git_refusals(v: Variant, broken: list[FileState]) -> list[Finding]:
    """The variant's problems git am would stop on too, in patch order, those of the unusable files (``broken``,
    apply_notes) first; none when every problem is the mirror's alone (the files are git's text). A file a later
    patch made usable again (its result the index line's blob) still has its hunk that git am did not apply."""
    found = [x for x in v.findings if not x.note and x.reason not in _MIRROR_ONLY
             and not x.reason.startswith(_NOT_CHECKED_BY_GIT)]
    paths = {f.path for f in broken}
    return sorted(found, key=lambda x: x.path not in paths)  # the unusable files' first (stable: in patch order)


def not_applied(v: Variant, series: Any, found: list[Finding]) -> ApplyError:
    """The one error of ``apply`` (without --reject) for a variant git am would not build (git_refusals), written
    nowhere: its first problem, at the mail's line of the hunk or file header, naming the patch (``series``: a
    harness.model.Series) and, for a hunk, the line git names ('patch failed: PATH:N', apply.c apply_fragments: the
    hunk header's old start, wherever the context differs or git looked for it), then why."""
    first, more = found[0], len({x.path for x in found}) - 1
    # With --tree, the commit the patches were tried on and how it was chosen: a base-commit: the tree lacks (a
    # shallow clone, another clone's commit) or a search that found no blob of the patches is the likelier cause
    # than the patch, and the line told neither.
    on = f"; base: {v.base}" if v.base != NO_TREE else ""
    tail = f"{on}; nothing written (--reject writes what applies, with a .rej beside each file that does not)"
    patch = patch_at(series, first.where)
    also = f"; {more} more file{'s' * (more > 1)} unusable" if more else ""
    if not first.hunk:
        return ApplyError(first.where, f"{patch}: {first.path}: {first.reason}{also}{tail}")
    old_start = _OLD_START.match(first.hunk)
    at = f":{old_start.group(1)}" if old_start else ""
    why = first.reason.removeprefix("hunk does not apply: ")
    return ApplyError(first.where, f"{patch} does not apply: patch failed at {first.path}{at} "
                                   f"(hunk {first.hunk}: {why}){also}{tail}")


_OLD_START = re.compile(r"@@ -(\d+)")
