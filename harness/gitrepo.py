"""Opening a user's kernel git tree and reading its revisions and objects by git, whatever the environment says."""

from __future__ import annotations

import os
import re
import subprocess
import weakref
from pathlib import Path

import git

from harness.errors import UsageError

_OID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")
_HEX = re.compile(r"^[0-9a-fA-F]{4,64}$")  # what git may read as an object id, abbreviated or not
# Every tree open_repo gave, while something holds it, by identity (two Repos of one folder are equal).
_OPENED: weakref.WeakValueDictionary[int, git.Repo] = weakref.WeakValueDictionary()


# Variables that point git at another repository, index or object store than the tree's (a shell that exported
# GIT_DIR, a hook's environment): the tree is named by --git-dir alone.
ELSEWHERE = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
             "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM")


def run_git(repo: git.Repo, *args: str, stdin: bytes | None = None,
         timeout: int = 120, byte_locale: bool = False) -> subprocess.CompletedProcess[bytes]:
    """git on the tree's repository, read only, whatever the environment names; with ``byte_locale``, in the C
    locale (a regex then reads bytes, not UTF-8 characters: in a UTF-8 locale a line holding a byte that is not
    UTF-8 matches neither ``.`` nor git grep -P's pattern at all)."""
    env = {k: v for k, v in os.environ.items() if k not in ELSEWHERE}
    if byte_locale:
        env = {k: v for k, v in env.items() if not k.startswith("LC_") and k != "LANG"} | {"LC_ALL": "C"}
    return subprocess.run(["git", f"--git-dir={repo.git_dir}", *args], input=stdin, capture_output=True, env=env,
                          timeout=timeout, check=False)


def commit_of(repo: git.Repo, repo_path: Path, rev: str) -> git.Commit:
    """``rev`` as git rev-parse names it (a reflog entry, ``:/text``, ``@{upstream}``: GitPython's own parser
    knows fewer, and ``master@{5}`` past the reflog's end was an internal error), peeled to its commit: as
    ``REV^{commit}``, so that a short hash that is also the start of a blob's id is the commit's, as git checkout
    and git am's base read it (in a kernel tree a 7-digit hash often is)."""
    oid = verify(repo, f"{rev}^{{commit}}") if rev.strip() else ""
    if not oid and rev.strip():  # ':/text' takes all that follows as its text: what rev names, peeled
        named = verify(repo, rev)
        oid = verify(repo, f"{named}^{{commit}}") if named else ""
    try:
        if not _OID.match(oid):
            raise ValueError(rev)
        commit = repo.commit(oid)
        _ = commit.tree  # GitPython takes a full 40-digit id as given: reading it finds whether the tree has it
        return commit
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError) as exc:
        raise UsageError(str(repo_path), _not_a_commit(repo, rev, oid)) from exc


def verify(repo: git.Repo, rev: str) -> str:
    """The object id ``git rev-parse --verify`` gives ``rev``, or ""."""
    res = run_git(repo, "rev-parse", "--verify", "-q", "--end-of-options", rev, timeout=60)
    out = res.stdout.decode("ascii", "replace").strip()
    return out if not res.returncode and _OID.match(out) else ""


def _not_a_commit(repo: git.Repo, rev: str, peeled: str) -> str:
    """Why ``rev`` names no commit of the tree: it names another object (git rev-parse ``REV^{commit}``: 'expected
    commit type, but the object dereferences to blob type'), one git cannot tell from others ('short object ID
    ... is ambiguous'), or nothing the tree holds; a shallow clone's history stops at its depth, which the user is
    told, as a commit past it is 'not in this tree' only there."""
    if not rev.strip():
        return "--base is empty: give a commit (a hash, a tag, a branch, HEAD~2)"
    if peeled:  # git has it, its reader (GitPython) did not read it
        return f"base commit {rev} ({peeled[:12]}) is in this tree, but cannot be read from it"
    kind, said = _named(repo, rev)
    if kind:
        return f"--base {rev} names a {kind}, not a commit: give the commit the patches apply to"
    deep = ("; this tree is a shallow clone, which lacks the commits (and tags) past its depth: git fetch "
            "--unshallow gives them") if is_shallow(repo) else ""
    return f"base commit {rev} is not in this tree{said}{deep}"


def _named(repo: git.Repo, rev: str) -> tuple[str, str]:
    """What ``rev`` names that is no commit: (its type, with " (through a tag)" where a tag names it, ""), or ("",
    git's reason it names no object: _git_reason, or why HEAD has none)."""
    res = run_git(repo, "rev-parse", "--verify", "--end-of-options", rev, timeout=60)  # not -q: git's own error
    oid = res.stdout.decode("ascii", "replace").strip() if not res.returncode else ""
    kind = run_git(repo, "cat-file", "-t", f"{oid}^{{}}", timeout=60) if _OID.match(oid) else None
    named = kind.stdout.decode("ascii", "replace").strip() if kind is not None and not kind.returncode else ""
    if named and named != "commit":
        through = " (through a tag)" if oid != run_git(repo, "rev-parse", "-q", "--verify", f"{oid}^{{}}",
                                                    timeout=60).stdout.decode("ascii", "replace").strip() else ""
        return f"{named}{through}", ""
    return "", _git_reason(res.stderr) or ("" if oid else unborn_why(repo, rev))


def stated_base_why(repo: git.Repo, rev: str, where: str) -> str:
    """Why the ``base-commit:`` line of ``where`` (a mail: "the cover letter") names no commit of the tree, as git
    rev-parse --verify ``REV^{commit}`` finds: another object (a blob, a tree), a short id of several objects, or
    nothing (a tag or branch this tree lacks is said by name)."""
    kind, said = _named(repo, rev)
    if kind:
        return f"{where}'s base-commit: {rev} names a {kind}, not a commit"
    if "ambiguous" in said:
        return f"{where}'s base-commit: {rev} names more than one object of this tree{said}"
    called = "" if _HEX.match(rev) else f" (no tag, branch or commit of it is called {rev})"
    return f"{where}'s base-commit: is not in this tree{called or said}"


def _git_reason(stderr: bytes) -> str:
    """" (git's reason)" from git rev-parse --verify's stderr: its first ``error:`` line ('short object ID ... is
    ambiguous'), else a ``fatal:`` one that says more than 'Needed a single revision' ('no upstream configured for
    branch 'topic'' for ``@{u}``, 'log for 'topic' only has 1 entries' for ``topic@{5}``); "" when git says no more."""
    lines = stderr.decode("utf-8", "replace").splitlines()
    errors = [ln.removeprefix("error: ") for ln in lines if ln.startswith("error: ")]
    fatal = [ln.removeprefix("fatal: ") for ln in lines if ln.startswith("fatal: ") and
             ln != "fatal: Needed a single revision"]
    return f" ({(errors or fatal)[0]})" if errors or fatal else ""


def is_shallow(repo: git.Repo) -> bool:
    """Whether the tree is a shallow clone (git clone --depth): its history stops at a commit whose parents it lacks."""
    return run_git(repo, "rev-parse", "--is-shallow-repository", timeout=60).stdout.strip() == b"true"


def unborn_why(repo: git.Repo, rev: str) -> str:
    """Why HEAD (--base HEAD, or the base search's start) names no commit: the branch it is on has none yet (git
    init, git checkout --orphan), in a repository with commits elsewhere or none at all; "" for any other rev."""
    if rev != "HEAD":
        return ""
    said = run_git(repo, "symbolic-ref", "-q", "--short", "HEAD", timeout=60).stdout
    branch = said.decode("utf-8", "replace").strip()
    if not branch:
        return ""
    some = run_git(repo, "for-each-ref", "--count=1", "--format=%(refname)", timeout=60).stdout.strip()
    return f" (HEAD is the branch {branch}, which has no commit yet" + ("" if some else
                                                                       ": the repository has no commits") + ")"


# What GitPython raises where git has not got an object it needs (a partial clone's promisor remote that does not
# give it now: 'could not fetch ... from promisor remote'; a damaged repository): a ValueError ('SHA is empty,
# possible dubious ownership'), which was an internal error.
_UNREAD = (ValueError, git.BadObject, git.GitCommandError)


def object_at(commit: git.Commit, path: str) -> git.objects.base.IndexObject | None:
    """The object at ``path`` of the commit's tree, None where there is none; UsageError where git cannot read it."""
    try:
        return commit.tree / path
    except KeyError:
        return None
    except _UNREAD as exc:
        raise _unread(commit, path, "its tree") from exc


def stored_blob(repo: git.Repo, oid: str, limit: int) -> bytes | None:
    """The bytes of blob ``oid`` where the repository holds it (apply.c apply_binary's has_object: any commit,
    any branch, loose or packed), at most ``limit`` of them; None where it has no such blob or cannot read it."""
    try:
        binsha = bytes.fromhex(oid)
        info = repo.odb.info(binsha)
        if info.type != b"blob" or info.size > limit:
            return None
        return bytes(repo.odb.stream(binsha).read())
    except _UNREAD:
        return None


def blob_bytes(blob: git.objects.base.IndexObject, commit: git.Commit, path: str) -> bytes:
    """The blob's bytes; UsageError where git cannot read them (see _UNREAD)."""
    try:
        return bytes(blob.data_stream.read())
    except _UNREAD as exc:
        raise _unread(commit, path, f"its blob {blob.hexsha[:12]}") from exc


def _unread(commit: git.Commit, path: str, what: str) -> UsageError:
    """The one-line error of an object git cannot read. GitPython's git cat-file --batch is left stopped mid-answer
    by the failure (the next read wrote into a closed pipe: the process died of SIGPIPE, exit 141, saying nothing):
    it is started anew."""
    repo = commit.repo
    repo.git.clear_cache()
    partial = run_git(repo, "config", "--get-regexp", r"^(remote\..*\.promisor|extensions\.partialclone)$", timeout=60)
    why = (": a partial clone (git clone --filter) whose promisor remote does not give it now; git fetch it where "
           "the remote is reachable, or give a full clone") if partial.stdout.strip() else \
        ": this repository lacks it (git fsck says more)"
    return UsageError(str(repo.working_tree_dir or repo.git_dir), f"{path} at {commit.hexsha[:12]}: git cannot read "
                      f"{what}{why}")


def _inside(path: Path) -> str:
    """" (a folder inside the repository R: give R)" for a folder of a work tree below its top, which the patches'
    paths start from (``--tree ~/linux/arch/x86`` for ``~/linux``); "" for a folder in no repository."""
    try:
        top = git.Repo(path, search_parent_directories=True).working_tree_dir
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return ""
    return f" (a folder inside the repository {top}: give that)" if top else ""


def open_repo(path: Path) -> git.Repo:
    if not path.exists():
        raise UsageError(None, f"--tree {path}: no such directory")
    try:
        repo = git.Repo(path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UsageError(None, f"--tree {path}: not a git repository{_inside(path)}") from exc
    # git refuses a repository another user owns (safe.directory), as git am in it would; GitPython's readers
    # then failed part way (a broken pipe, 'base commit HEAD is not in this tree').
    env = {k: v for k, v in os.environ.items() if k not in ELSEWHERE}
    res = subprocess.run(["git", "-C", str(path), "rev-parse", "--git-dir"], capture_output=True, env=env, timeout=60,
                         check=False)
    if res.returncode:
        why = res.stderr.decode("utf-8", "replace").strip().splitlines()
        said = why[0].removeprefix("fatal: ") if why else "no reason given"
        raise UsageError(None, f"--tree {path}: git refuses it: {said}")
    form = run_git(repo, "rev-parse", "--show-object-format", timeout=60).stdout.decode("ascii", "replace").strip()
    if form not in ("", "sha1"):  # git init --object-format=sha256: GitPython reads SHA-1 objects only
        raise UsageError(None, f"--tree {path}: a {form.upper().replace('SHA', 'SHA-')} repository (extensions."
                               "objectFormat), which seamharness's reader of its objects (GitPython) does not read")
    _own_objects(repo)
    _OPENED[id(repo)] = repo
    return repo


def release_repos() -> None:
    """Stop the git cat-file processes of every tree still held (GitPython starts them again when a read needs
    them): a base reader kept for the process (harness.memo's revision-base entry) held two of them alive after
    the command that read the tree returned, children a long-lived caller (a test run's worker) never asked for."""
    for repo in list(_OPENED.values()):
        repo.close()


def _own_objects(repo: git.Repo) -> None:
    """GitPython's git (its object reader, git cat-file) runs with the process's environment, where GIT_DIR,
    GIT_OBJECT_DIRECTORY and the like (a shell or hook that exported them) name another repository's objects:
    the tree's commits were then 'not in this tree', or another's blobs read. They are set to the tree's own."""
    if not any(k in os.environ for k in ELSEWHERE):
        return
    common = os.fspath(repo.common_dir)
    repo.git.update_environment(GIT_DIR=os.fspath(repo.git_dir), GIT_COMMON_DIR=common,
                                GIT_OBJECT_DIRECTORY=os.path.join(common, "objects"),
                                GIT_ALTERNATE_OBJECT_DIRECTORIES="", GIT_NAMESPACE="",
                                GIT_INDEX_FILE=os.path.join(os.fspath(repo.git_dir), "index"))
