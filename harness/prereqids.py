"""The tree's commits that ``prerequisite-patch-id:`` lines (git format-patch --base) name, by git's patch-ids."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable

import git as gitpython

from harness.fpatchid import LOG_OPTIONS, format_patch_ids

Git = Callable[..., subprocess.CompletedProcess[bytes]]

# Rename detection as the author's format-patch may have had it: git's default (-M) first, then none
# (diff.renames=false) and copies (diff.renames=copies), each tried only for ids still not found.
_DETECTIONS = (("-M",), ("--no-renames",), ("-C",))


def prerequisite_commits(git: Git, base: str, ids: Iterable[str], window: int,
                         starts: tuple[str, ...] = ("HEAD",)) -> dict[str, list[str]]:
    """patch-id -> the commits, newest first, of the ``window`` newest commits of ``starts`` (HEAD, none where it
    has no commit yet), the branches (remote-tracking too) and the tags that ``base`` does not hold, for the
    ``ids`` found (stable and unstable: format-patch has written both). Each commit's id is ``git patch-id`` of its
    diff as ``git log -p`` shows it, and where ids are still missing, the id format-patch itself computes
    (harness.fpatchid: a rename, a copy or a mode change alone, a binary file, a name git quotes were never
    found). A patch cherry-picked onto another history has the id of its original: each copy is listed."""
    wanted = set(ids)
    out: dict[str, list[str]] = {}
    for detect in _DETECTIONS:
        log = _log(git, base, detect, window, starts)
        for how in ("--stable", "--unstable"):
            res = git("patch-id", how, stdin=log)
            for line in res.stdout.decode("ascii", "replace").splitlines():
                _add(out, *line.partition(" ")[::2])
        if wanted <= out.keys():
            return out
        # format-patch's own ids only where needed: a kernel's log is large
        text = git(*LOG_OPTIONS, *detect, f"--max-count={window}", *starts, "--branches", "--remotes", "--tags",
                   "--not", base).stdout
        for commit, pid in format_patch_ids(text, git).items():
            _add(out, pid, commit)
        if wanted <= out.keys():
            return out
    return out


def _add(out: dict[str, list[str]], pid: str, commit: str) -> None:
    if commit not in out.setdefault(pid, []):
        out[pid].append(commit)


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
