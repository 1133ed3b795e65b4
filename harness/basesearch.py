"""The base commit of a revision's patches in a user's git tree: --base, base-commit: or the best blob match."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import git

from harness.errors import UsageError
from harness.gitrepo import (
    blob_bytes,
    commit_of,
    is_shallow,
    object_at,
    open_repo,
    run_git,
    stated_base_why,
    unborn_why,
    verify,
)
from harness.prereqids import holding_commit
from models.record import record

# How far back the blob search looks: commits that touch the series' files, newest first (b4's guess-base
# looks back over a time window; a count of the commits that can matter is the same idea, and bounded).
SEARCH_WINDOW = 2000
_ZERO = re.compile(r"^0+$")


@record
class BaseChoice:
    """The commit a revision's patches are applied to, how it was chosen, and how many pre-image blobs of
    the patches (``index`` lines) the tree has there."""

    commit: str
    how: str
    matched: int  # pre-image blobs of files the patches modify that the commit holds
    total: int  # files the patches modify (with an index line)
    absent: int = 0  # files the patches create that the commit does not hold
    created: int = 0  # files the patches create

    def describe(self, repo: Path) -> str:
        """``REPO at COMMIT (how; 3 of 4 pre-image blobs match; 2 new files absent)``: a file the series creates
        proves nothing by being absent, so it is counted apart from the blobs that match."""
        if not self.total and not self.created:
            return f"{repo} at {self.commit[:12]} ({self.how}; the patches name no pre-image blobs to check)"
        parts = [f"{self.matched} of {self.total} pre-image blobs match"] if self.total else []
        if self.created:
            there = self.created - self.absent
            parts.append(f"{self.created} new file{'s' if self.created > 1 else ''} absent" if not there
                         else f"{there} of {self.created} files the patches create already there")
        return f"{repo} at {self.commit[:12]} ({self.how}; {'; '.join(parts)})"


def _choice(commit: git.Commit, how: str, blobs: list[tuple[str, str | None]]) -> BaseChoice:
    """A BaseChoice of ``commit``, its blobs counted apart from the files the patches create."""
    made = [(p, w) for p, w in blobs if w is None or _ZERO.match(w) is not None]
    kept = [(p, w) for p, w in blobs if (p, w) not in made]
    return BaseChoice(commit.hexsha, how, _matches(commit, kept), len(kept), _matches(commit, made), len(made))


def _matches(commit: git.Commit, blobs: list[tuple[str, str | None]]) -> int:
    """How many (path, abbreviated blob id) pairs the commit's tree holds; None or zeros: the file is absent."""
    hits = 0
    for path, want in blobs:
        found = object_at(commit, path)
        have = found.hexsha if found is not None else None
        absent = want is None or _ZERO.match(want) is not None
        hits += (have is None) if absent else (have is not None and have.startswith(want or ""))
    return hits


def choose_base(repo_path: Path, given: str | None, cover: str | None, blobs: list[tuple[str, str | None]],
                fits: Fits | None = None, prerequisites: tuple[str, ...] = (),
                stated_in: str = "the cover letter", results: tuple[tuple[str, str, str], ...] = ()) -> BaseChoice:
    """The base commit: ``--base`` when given; the cover letter's ``base-commit:`` when the tree has it (with
    its ``prerequisite-patch-id:`` patches on top when the tree holds them: _on_prerequisites); else
    the commit of the tree's history whose blobs match most of the patches' pre-image blob ids, as ``b4 am
    --guess-base`` searches; among commits that match as many, the one where most of the other files take
    the patches' hunks (``fits(path, text)``, git apply's placing), then the newest. Raises UsageError for a
    --base the tree does not have. ``stated_in``: the mail ``cover`` comes from (a series without a cover
    letter has it at the end of its first patch). ``results``: (path, post-image blob, patch) of each file a
    patch leaves: a base some of whose files already are a patch's result (the series, or part of it, applied
    there) says so, where not every pre-image blob matches."""
    choice = _uncommitted(repo_path, _choose(repo_path, given, cover, blobs, fits, prerequisites, stated_in), blobs)
    choice = _untracked(repo_path, choice, blobs, results)
    if not results or choice.matched == choice.total:
        return choice
    commit = open_repo(repo_path).commit(choice.commit)
    made: dict[str, str] = {}
    for path, blob, patch in results:  # the last patch whose result the file is
        got = object_at(commit, path)
        if blob and got is not None and got.hexsha.startswith(blob) and not _ZERO.match(blob):
            made[path] = patch
    if not made:
        return choice
    listed = ", ".join(f"{p} is what {made[p]} makes" for p in sorted(made)[:3]) + (
        f" and {len(made) - 3} more" if len(made) > 3 else "")
    return replace(choice, how=f"{choice.how}; {listed}: the series, or part of it, is already applied at this "
                               "commit, and a patch already there does not apply on it (git am stops there too)")


def _uncommitted(repo_path: Path, choice: BaseChoice, blobs: list[tuple[str, str | None]]) -> BaseChoice:
    """``choice``, saying so where it is HEAD's commit and the work tree holds uncommitted changes (staged or not) to
    files the patches touch: the commit's files are read, never the work tree's, and git am in that tree stops on
    them ('does not match index'); the user who edited them must not think them read. Read only: git diff with no
    optional locks (git status would refresh the index)."""
    repo = open_repo(repo_path)
    top = repo.working_tree_dir if not repo.bare else None
    paths = sorted({path for path, _ in blobs})
    if top is None or not paths or verify(repo, "HEAD^{commit}") != choice.commit:
        return choice
    try:
        res = run_git(repo, f"--work-tree={top}", "--no-optional-locks", "--literal-pathspecs", "diff", "--no-ext-diff",
                      "--no-renames", "--name-only", "-z", "HEAD", "--", *paths, timeout=60)
    except (subprocess.TimeoutExpired, OSError):
        return choice
    changed = [p for p in res.stdout.decode("utf-8", "surrogateescape").split("\0") if p] if not res.returncode else []
    if not changed:
        return choice
    named = ", ".join(changed[:2]) + (f" and {len(changed) - 2} more" if len(changed) > 2 else "")
    return replace(choice, how=f"{choice.how}; the work tree's uncommitted changes to {named} are not read (the "
                               "commit's files are; git am there stops on them: 'does not match index')")


def _untracked(repo_path: Path, choice: BaseChoice, blobs: list[tuple[str, str | None]],
               results: tuple[tuple[str, str, str], ...]) -> BaseChoice:
    """``choice``, saying so where the work tree holds an untracked file (ignored ones too) at a path a patch creates
    and the commit lacks, a folder of untracked files there, or an untracked file where the path needs a folder: git
    am in that tree stops ('already exists in working directory': git apply finds it by lstat; 'unable to write file
    ... Directory not empty', '... Not a directory'), but what is computed here is from the commit, which does not
    hold it. Read only: git ls-files."""
    made = sorted({path for path, blob in blobs if blob is None or _ZERO.match(blob)})
    repo = open_repo(repo_path)
    top = repo.working_tree_dir if not repo.bare else None
    if top is None or not made:
        return choice
    # A file where a folder the path needs should be (os.path: no walk of the kernel's arch/ for it).
    # A symlink too, to a folder as well: git apply refuses a path beyond one (apply.c path_is_beyond_symlink).
    parents = sorted({p for path in made for p in _folders(path) if os.path.islink(os.path.join(top, p))
                      or (os.path.lexists(os.path.join(top, p)) and not os.path.isdir(os.path.join(top, p)))})
    try:
        res = run_git(repo, f"--work-tree={top}", "--no-optional-locks", "--literal-pathspecs", "ls-files", "--others",
                      "-z", "--", *made, *parents, timeout=60)
    except (subprocess.TimeoutExpired, OSError):
        return choice
    listed = [p for p in res.stdout.decode("utf-8", "surrogateescape").split("\0") if p] if not res.returncode else []
    commit = repo.commit(choice.commit)
    maker: dict[str, str] = {}
    for path, _, patch in results:  # the first patch that leaves a created file is the one that creates it
        maker.setdefault(path, patch)
    said = [why for path in made if (why := _in_the_way(path, listed, commit, maker.get(path), str(top))) is not None]
    if not said:
        return choice
    named = " and ".join(said[:2]) + (f" and {len(said) - 2} more" if len(said) > 2 else "")
    return replace(choice, how=f"{choice.how}; the work tree holds {named}, not read here (the commit lacks "
                               f"{'it' if len(said) == 1 else 'them'})")


def _folders(path: str) -> list[str]:
    """The folders ``path`` lies in, outermost first: ``a``, ``a/b`` for ``a/b/c.c``."""
    parts = path.split("/")
    return ["/".join(parts[:k]) for k in range(1, len(parts))]


def _in_the_way(path: str, listed: list[str], commit: git.Commit, maker: str | None, top: str) -> str | None:
    """What of the work tree's untracked files (``listed``, in the work tree ``top``) git am stops on where a patch
    (``maker``) creates ``path`` the commit lacks, in the base line's words; None where nothing is in its way."""
    if object_at(commit, path) is not None:
        return None
    which = f", which {maker} creates," if maker else ""
    blocking = next((p for p in _folders(path) if p in listed and object_at(commit, p) is None), None)
    if blocking is not None and os.path.islink(os.path.join(top, blocking)):
        return (f"an untracked symlink at {blocking}, where {path}{which} needs a folder, on which git apply there "
                f"stops ('affected file ... is beyond a symbolic link') and git am {_through(top, blocking)}")
    if blocking is not None:
        return (f"an untracked file at {blocking}, where {path}{which} needs a folder, on which git am there stops "
                "('unable to write file ... Not a directory')")
    if any(p.startswith(f"{path}/") for p in listed):
        return (f"a folder of untracked files at {path}{which} on which git am there stops ('unable to write file ... "
                "Directory not empty')")
    if path in listed:
        return f"an untracked file at {path}{which} on which git am there stops ('already exists in working directory')"
    return None


def _through(top: str, link: str) -> str:
    """What git am does writing a file below the untracked symlink ``link`` (git 2.39, checked): it follows a link to
    a folder, and stops on one to a file or to nothing."""
    target = os.path.join(top, link)
    if os.path.isdir(target):
        return "writes the file where the link points, outside the tree"
    if os.path.exists(target):
        return "stops ('unable to write file ... Not a directory')"
    return "stops ('unable to stat newly created file ...')"


def _choose(repo_path: Path, given: str | None, cover: str | None, blobs: list[tuple[str, str | None]],
            fits: Fits | None, prerequisites: tuple[str, ...], stated_in: str) -> BaseChoice:
    repo = open_repo(repo_path)
    if given is not None:
        commit = commit_of(repo, repo_path, given)
        # The mail's own base-commit:, when it is another commit: the patches were made on that one.
        named = verify(repo, f"{cover}^{{commit}}") if cover else ""
        stated = f"; {stated_in}'s base-commit: is {cover[:12]}" if cover and named != commit.hexsha and not \
            commit.hexsha.startswith(cover.lower()) else ""
        return _choice(commit, f"given with --base{_ambiguous(repo, given)}{stated}", blobs)
    if cover is None:
        return _search(repo, repo_path, blobs, fits, "")
    # As git rev-parse --verify REV^{commit} reads it: a full or short id, or a tag or branch name written by hand.
    oid = verify(repo, f"{cover}^{{commit}}")
    if not oid:  # the tree lacks it, or it names a blob: search instead, and say which
        return _search(repo, repo_path, blobs, fits, stated_base_why(repo, cover, stated_in))
    commit = repo.commit(oid)
    where = stated_in if oid.startswith(cover.lower()) else f"{stated_in} ({cover} is {oid[:12]} here)"
    if prerequisites:
        return _on_prerequisites(repo, commit, prerequisites, blobs, where)
    return _choice(commit, f"base-commit: of {where}", blobs)


def _search(repo: git.Repo, repo_path: Path, blobs: list[tuple[str, str | None]], fits: Fits | None,
            lacking: str) -> BaseChoice:
    """The commit of HEAD's history, the branches and the tags whose blobs match most of ``blobs`` (see
    choose_base); from the branches and tags alone where HEAD has no commit yet. ``lacking``: why a base-commit:
    line was not taken (the tree lacks it), said first."""
    head = _head(repo, repo_path, lacking)
    paths = sorted({path for path, _ in blobs})
    fitting = _Fitting(blobs, fits)
    best, score = head, (_matches(head, blobs), fitting.count(head)) if head is not None else (-1, -1)
    # Every branch, remote-tracking branch and tag, not HEAD's history alone: a tree checked out on another
    # branch (a topic branch started elsewhere, a detached HEAD, an orphan branch) still holds the series' base
    # when a branch or tag does, and a clone whose own branch is older than what it fetched holds it in
    # origin/master.
    walk = repo.iter_commits("HEAD" if head is not None else "--branches", paths=paths, max_count=SEARCH_WINDOW,
                             branches=True, remotes=True, tags=True) if paths else ()
    for commit in walk:
        found = _matches(commit, blobs)
        # A tie on blobs (files the series creates are absent almost everywhere; a file changed since the
        # series' base matches nowhere) is decided by where the hunks apply, never by which commit is newer
        # alone: the newest of a tie can be one where the patches do not apply at all.
        if found > score[0]:
            best, score = commit, (found, fitting.count(commit))
        elif found == score[0] and score[1] < len(blobs) and (fit := fitting.count(commit)) > score[1]:
            best, score = commit, (found, fit)
        if score[0] == len(blobs):
            break
    tip = _holding_tip(repo, best, head) if best is not None else None
    later = _latest_alike(repo, best, tip[0], paths, blobs, score, fitting) if best is not None and tip else None
    best = later or best
    shallow = " (a shallow clone, which lacks the commits past its depth: git fetch --unshallow)" if lacking and \
        is_shallow(repo) else ""
    why = f"{lacking}{shallow}; " if lacking else ""
    unborn = unborn_why(repo, "HEAD").strip(" ()") if head is None else ""
    if best is None:
        raise UsageError(str(repo_path), f"{why}{unborn}, and no commit of the tree's branches (remote-tracking too) "
                         "or tags touches the patches' files: nothing to find the base by; give --base")
    whose = f"{unborn}: best match of the {SEARCH_WINDOW} newest commits of the" if head is None else \
        f"best match of HEAD and the {SEARCH_WINDOW} newest commits of its"
    how = f"{why}{whose} branches (remote-tracking too) and tags touching the files" + (
        f", the newest commit of {tip[1]}'s history before they change again" if later is not None and tip else "")
    choice = _choice(best, how, blobs)
    if choice.total and not choice.matched:  # HEAD of an unrelated history, or a base past the window
        choice = replace(choice, how=f"{how}; none holds a pre-image blob the patches name: a history other than "
                                     "the series' base, or a base past those commits; give --base")
    return choice


def _latest_alike(repo: git.Repo, best: git.Commit, head: git.Commit | None, paths: list[str],
                  blobs: list[tuple[str, str | None]], score: tuple[int, int], fitting: _Fitting) -> git.Commit | None:
    """Where ``best`` is an older commit of ``head``'s history (HEAD, or another tip: _holding_tip), the newest
    commit between the two whose files match as well: the one before the next commit touching the patches' files
    (with the series applied on HEAD's branch, the commit right before its first patch). The path-limited walk sees
    only commits that touch those files, so it would take the one that last changed them, reading every other file
    (a header, a Makefile, the Kconfig) from an older tree than the series was made on. None where there is no
    such later commit, or git cannot tell."""
    if head is None or best.hexsha == head.hexsha or not _ancestor(repo, best, head):
        return None
    try:
        res = run_git(repo, "rev-list", "--ancestry-path", "--reverse", f"{best.hexsha}..{head.hexsha}", "--", *paths,
                      timeout=60)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode != 0:
        return None
    touching = res.stdout.decode("ascii", "replace").split()
    later = repo.commit(touching[0]).parents[0] if touching and repo.commit(touching[0]).parents else head
    if later.hexsha == best.hexsha or _matches(later, blobs) != score[0] or fitting.count(later) < score[1] \
            or not _ancestor(repo, best, later):
        return None
    return later


def _holding_tip(repo: git.Repo, best: git.Commit, head: git.Commit | None) -> tuple[git.Commit, str] | None:
    """The tip whose history _latest_alike follows on from ``best``, and its name: HEAD where its history holds
    ``best``; else (a detached HEAD or a topic branch at an older release, a worktree, an orphan branch) the newest
    by commit date of the branches, remote-tracking branches and tags holding it (git for-each-ref --contains, git
    rev-list --no-walk's order). The path-limited walk sees only commits that touch the patches' files, so without
    it the base was the commit that last changed them: a release older than the newest that holds the same blobs,
    and a base that hung on where HEAD happens to be. None where no ref holds it or git cannot tell."""
    if head is not None and _ancestor(repo, best, head):
        return head, "HEAD"
    try:
        res = run_git(repo, "for-each-ref", "--contains", best.hexsha,
                      "--format=%(objectname) %(*objectname) %(refname:short)", "refs/heads", "refs/remotes",
                      "refs/tags", timeout=60)
        tips: dict[str, str] = {}
        for line in res.stdout.decode("utf-8", "surrogateescape").splitlines():
            oid, peeled, name = [*line.split(" ", 2), "", ""][:3]
            at = peeled or oid  # an annotated tag: the commit it peels to
            if at not in tips or tips[at].endswith("/HEAD"):  # origin/master, not the origin/HEAD naming it
                tips[at] = name
        newest = run_git(repo, "rev-list", "--no-walk", *tips, timeout=60) if tips else None
    except (subprocess.TimeoutExpired, OSError):
        return None
    first = newest.stdout.decode("ascii", "replace").split()[:1] if newest is not None and not newest.returncode \
        else []
    return (repo.commit(first[0]), tips[first[0]]) if first and first[0] in tips else None


def _ancestor(repo: git.Repo, old: git.Commit, new: git.Commit) -> bool:
    """Whether ``old`` is in ``new``'s history (git merge-base --is-ancestor); False where git cannot tell."""
    try:
        return run_git(repo, "merge-base", "--is-ancestor", old.hexsha, new.hexsha, timeout=60).returncode == 0
    except (subprocess.TimeoutExpired, OSError):
        return False


def _head(repo: git.Repo, repo_path: Path, lacking: str) -> git.Commit | None:
    """HEAD's commit; None where HEAD is a branch with no commit yet (git checkout --orphan) in a repository whose
    other branches or tags have some, which the base search then starts from alone. UsageError otherwise: a
    repository with no commit at all (git init) says so, not 'base commit HEAD is not in this tree' (a HEAD the user
    never named), with ``lacking`` (the mail's base-commit: it lacks) first."""
    try:
        return commit_of(repo, repo_path, "HEAD")
    except UsageError:
        unborn = unborn_why(repo, "HEAD")
        if not unborn:
            raise
        if run_git(repo, "for-each-ref", "--count=1", timeout=60).stdout.strip():
            return None
        why = f"{lacking}; " if lacking else ""
        raise UsageError(str(repo_path), f"{why}{unborn.strip(' ()')}: nothing to find the base in; give --tree a "
                                         "clone of the kernel the series is for") from None


Fits = Callable[[str, str], bool]

# Where git rev-parse looks for a short ref name, in its order (refs.c ref_rev_parse_rules): the first one that
# exists is the one it takes.
_REF_RULES = ("refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}", "refs/remotes/{}/HEAD")


def _ambiguous(repo: git.Repo, rev: str) -> str:
    """"; refname 'v1' is ambiguous, as git warns: refs/tags/v1 taken, not refs/heads/v1" where ``rev`` is the short
    name of more than one ref (a tag and a branch of one name): git rev-parse takes the first of _REF_RULES and only
    warns, so the user learns which of them the base is; "" otherwise."""
    full = [rule.format(rev) for rule in _REF_RULES]
    res = run_git(repo, "for-each-ref", "--format=%(refname)", *full, timeout=60)
    there = set(res.stdout.decode("utf-8", "surrogateescape").splitlines())
    found = [ref for ref in full if ref in there]
    if len(found) < 2:
        return ""
    return f"; refname '{rev}' is ambiguous, as git warns: {found[0]} taken, not {' or '.join(found[1:])}"


def _on_prerequisites(repo: git.Repo, base: git.Commit, ids: tuple[str, ...],
                      blobs: list[tuple[str, str | None]], stated_in: str) -> BaseChoice:
    """The cover letter's base-commit with the patches its ``prerequisite-patch-id:`` lines name (git format-patch
    --base: patches the series applies on top of, not in the base): the tree's commit on top of the base that
    holds every one of them, found by ``git patch-id`` (of a patch also cherry-picked elsewhere, the copy on top of
    the base); else the base itself, saying how many it lacks or that they are not on top of it (git am on it stops
    at the first patch that needs them)."""
    starts = ("HEAD",) if verify(repo, "HEAD^{commit}") else ()  # an orphan branch with no commit yet: refs alone
    top, held = holding_commit(repo, base, ids, lambda *args, stdin=None: run_git(repo, *args, stdin=stdin),
                               SEARCH_WINDOW, starts)
    wanted = len(set(ids))
    label = f"{wanted} prerequisite patch{'es' if wanted > 1 else ''} (prerequisite-patch-id:)"
    if held < wanted:
        return _choice(base, f"base-commit: of {stated_in}; this tree holds {held} of its {label}: patches "
                             "that need the others do not apply on it, as git am on it stops too", blobs)
    if top is not None:
        return _choice(top, f"base-commit: of {stated_in} with its {label}, at {top.hexsha[:12]}", blobs)
    return _choice(base, f"base-commit: of {stated_in}; this tree holds its {label}, but no commit holds them all on "
                         "top of it (picked onto another history): patches that need them do not apply on it, as git "
                         "am on it stops too", blobs)


class _Fitting:
    """How many of the series' files a commit holds as the patches want them: the pre-image blob (absent for
    a created file), or a text their hunks apply to; each (path, blob) is tried once."""

    def __init__(self, blobs: list[tuple[str, str | None]], fits: Fits | None) -> None:
        self.blobs, self.fits = blobs, fits
        self.seen: dict[tuple[str, str], bool] = {}

    def count(self, commit: git.Commit) -> int:
        if self.fits is None:
            return _matches(commit, self.blobs)
        return sum(self._one(commit, path, want) for path, want in self.blobs)

    def _one(self, commit: git.Commit, path: str, want: str | None) -> bool:
        blob = object_at(commit, path)
        if blob is None:
            return want is None or _ZERO.match(want) is not None
        if want is None or _ZERO.match(want) is not None:
            return False
        if blob.hexsha.startswith(want):
            return True
        if blob.type != "blob":  # a submodule's commit or a folder: no text for hunks (and maybe no object here)
            return False
        key = (path, blob.hexsha)
        if key not in self.seen:
            try:
                text = blob_bytes(blob, commit, path).decode("utf-8", errors="surrogateescape")
            except UsageError:  # a partial clone's blob not fetched: not shown to fit (the chosen base's are read)
                self.seen[key] = False
                return False
            self.seen[key] = self.fits is not None and self.fits(path, text)
        return self.seen[key]
