"""The tree's commits that ``prerequisite-patch-id:`` lines (git format-patch --base) name, by git's patch-ids."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable

import git as gitpython

Git = Callable[..., subprocess.CompletedProcess[bytes]]

# Rename detection as the author's format-patch may have had it: git's default (-M) first, then none
# (diff.renames=false) and copies (diff.renames=copies), each tried only for ids still not found.
_DETECTIONS = (("-M",), ("--no-renames",), ("-C",))
# Header lines of a file's diff that git patch-id hashes but format-patch's own patch-id does not (diff.c
# diff_get_patch_id hashes the pair's paths and modes only): a rename's or copy's, and -B's.
_UNHASHED = (b"similarity index ", b"dissimilarity index ", b"rename from ", b"rename to ", b"copy from ",
             b"copy to ")
_ENDS_HEADER = (b"--- ", b"Binary files ", b"GIT binary patch", b"@@ ")
_HEADER = (*_UNHASHED, b"old mode ", b"new mode ", b"new file mode ", b"deleted file mode ", b"index ")
_NAMES = ((b"rename from ", b"a"), (b"copy from ", b"a"), (b"rename to ", b"b"), (b"copy to ", b"b"))


def prerequisite_commits(git: Git, base: str, ids: Iterable[str], window: int,
                         starts: tuple[str, ...] = ("HEAD",)) -> dict[str, list[str]]:
    """patch-id -> the commits, newest first, of the ``window`` newest commits of ``starts`` (HEAD, none where it
    has no commit yet), the branches (remote-tracking too) and the tags that ``base`` does not hold, for the
    ``ids`` found (stable and unstable: format-patch has written both). Each commit's id is ``git patch-id`` of its
    diff as ``git log -p`` shows it, and where ids are still missing, of that diff as format-patch hashes it
    (format_patch_form: a rename, a copy or a mode change alone were never found). A patch cherry-picked onto
    another history has the id of its original: each copy is listed."""
    wanted = set(ids)
    out: dict[str, list[str]] = {}
    for detect in _DETECTIONS:
        log = _log(git, base, detect, window, starts)
        for form in (lambda text: text, format_patch_form):  # the rewrite only where needed: a kernel's log is large
            text = form(log)
            for how in ("--stable", "--unstable"):
                res = git("patch-id", how, stdin=text)
                for line in res.stdout.decode("ascii", "replace").splitlines():
                    pid, _, commit = line.partition(" ")
                    if commit not in out.setdefault(pid, []):
                        out[pid].append(commit)
            if wanted <= out.keys():
                return out
    return out


def holding_commit(repo: gitpython.Repo, base: gitpython.Commit, ids: Iterable[str], git: Git, window: int,
                   starts: tuple[str, ...]) -> tuple[gitpython.Commit | None, int]:
    """The commit on top of ``base`` that holds a patch of each of ``ids`` (of one cherry-picked onto another
    history too, the copy on top of the base), or None; and how many of the ids the tree holds at all."""
    wanted = list(dict.fromkeys(ids))
    found = prerequisite_commits(git, base.hexsha, wanted, window, starts)
    held = [[repo.commit(c) for c in found[i]] for i in wanted if i in found]
    if len(held) < len(wanted):
        return None, len(held)
    over = [c for copies in held for c in copies if repo.is_ancestor(base, c)]
    return next((c for c in over if all(any(o == c or repo.is_ancestor(o, c) for o in copies) for copies in held)),
                None), len(held)


def _log(git: Git, base: str, detect: tuple[str, ...], window: int, starts: tuple[str, ...]) -> bytes:
    """The diffs as format-patch makes them with git's defaults, whatever the user's config says (diff.noprefix,
    diff.context changed every id; core.quotePath quoted a name that is not ASCII, which the id hashes raw; a
    binary file's id is of its full blob ids)."""
    return git("-c", "core.quotePath=false", "log", "-p", *detect, "--no-color", "--no-ext-diff", "--no-textconv",
               "--full-index", "--src-prefix=a/", "--dst-prefix=b/", "--no-relative", "-U3", "--inter-hunk-context=0",
               "--diff-algorithm=myers", "--format=commit %H", f"--max-count={window}", *starts, "--branches",
               "--remotes", "--tags", "--not", base).stdout


def format_patch_form(log: bytes) -> bytes:
    """``git log -p`` output rewritten so that ``git patch-id`` over it gives format-patch's own patch-ids (diff.c
    diff_get_patch_id, git 2.39 on): a file's header keeps its ``diff --git`` and mode lines (a rename's or copy's
    lines are not hashed there) and always has its ``---``/``+++`` lines, which git's text leaves out of a rename,
    a copy or a mode change that changes no line, and of an empty file created or deleted."""
    out: list[bytes] = []
    header: list[bytes] = []  # the header of the file being read, until its ---, binary or hunk line
    names: dict[bytes, bytes] = {}  # its rename's or copy's names: a/ and b/
    for line in log.split(b"\n"):
        if header and line.startswith(_ENDS_HEADER):
            out.extend(header)
            header = []
        elif header and not line.startswith(_HEADER):  # the file's diff ends with its header
            out.extend(_complete(header, names))
            header = []
        if line.startswith(b"diff --git "):
            header, names = [line], {}
        elif header:
            side = next((s for w, s in _NAMES if line.startswith(w)), None)
            if side is not None:
                names[side] = line.split(b" ", 2)[2]
            if not line.startswith(_UNHASHED):
                header.append(line)
        else:
            out.append(line)
    out.extend(_complete(header, names) if header else [])
    return b"\n".join(out)


def _complete(header: list[bytes], names: dict[bytes, bytes]) -> list[bytes]:
    """A header with no ``---``/``+++`` lines, with them: the names the rename's or copy's lines give, else the
    ``diff --git`` line's one name; /dev/null for a file created or deleted."""
    rest = header[0][len(b"diff --git "):]
    same = rest[2:(len(rest) - 1) // 2] if rest.startswith(b"a/") else b""
    old = b"/dev/null" if any(h.startswith(b"new file mode ") for h in header) else b"a/" + names.get(b"a", same)
    new = b"/dev/null" if any(h.startswith(b"deleted file mode ") for h in header) else b"b/" + names.get(b"b", same)
    return [*header, b"--- " + old, b"+++ " + new]
