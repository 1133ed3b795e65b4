"""Reading base files from a user's kernel git tree, by object, never through its work tree or index."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import git

from harness.errors import UsageError
from harness.filestate import (
    GITLINK_MODE,
    POINTER_C,
    FileState,
    absent_file,
    full_file,
    gitlink_text,
    lfs_state,
    pointer_state,
    unmodelled,
)
from harness.prereqids import holding_commit
from models.record import record

# How far back the blob search looks: commits that touch the series' files, newest first (b4's guess-base
# looks back over a time window; a count of the commits that can matter is the same idea, and bounded).
SEARCH_WINDOW = 2000
_ZERO = re.compile(r"^0+$")
_OID = re.compile(r"^[0-9a-f]{40}(?:[0-9a-f]{24})?$")


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
        found = _at(commit, path)
        have = found.hexsha if found is not None else None
        absent = want is None or _ZERO.match(want) is not None
        hits += (have is None) if absent else (have is not None and have.startswith(want or ""))
    return hits


def choose_base(repo_path: Path, given: str | None, cover: str | None, blobs: list[tuple[str, str | None]],
                fits: Fits | None = None, prerequisites: tuple[str, ...] = (),
                stated_in: str = "the cover letter") -> BaseChoice:
    """The base commit: ``--base`` when given; the cover letter's ``base-commit:`` when the tree has it (with
    its ``prerequisite-patch-id:`` patches on top when the tree holds them: _on_prerequisites); else
    the commit of the tree's history whose blobs match most of the patches' pre-image blob ids, as ``b4 am
    --guess-base`` searches; among commits that match as many, the one where most of the other files take
    the patches' hunks (``fits(path, text)``, git apply's placing), then the newest. Raises UsageError for a
    --base the tree does not have. ``stated_in``: the mail ``cover`` comes from (a series without a cover
    letter has it at the end of its first patch)."""
    repo = _open(repo_path)
    if given is not None:
        commit = _commit(repo, repo_path, given)
        # The mail's own base-commit:, when it is another commit: the patches were made on that one.
        stated = f"; {stated_in}'s base-commit: is {cover[:12]}" if cover and not commit.hexsha.startswith(
            cover.lower()) else ""
        return _choice(commit, f"given with --base{_ambiguous(repo, given)}{stated}", blobs)
    if cover is not None:
        try:
            commit = repo.commit(cover)
            if prerequisites:
                return _on_prerequisites(repo, commit, prerequisites, blobs, stated_in)
            return _choice(commit, f"base-commit: of {stated_in}", blobs)
        except (git.BadName, ValueError, git.GitCommandError):
            pass  # the tree lacks it: search instead, and say so
    return _search(repo, repo_path, blobs, fits, f"{stated_in}'s base-commit: is not in this tree" if cover else "")


def _search(repo: git.Repo, repo_path: Path, blobs: list[tuple[str, str | None]], fits: Fits | None,
            lacking: str) -> BaseChoice:
    """The commit of HEAD's history, the branches and the tags whose blobs match most of ``blobs`` (see
    choose_base); from the branches and tags alone where HEAD has no commit yet. ``lacking``: why a base-commit:
    line was not taken (the tree lacks it), said first."""
    head = _head(repo, repo_path)
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
    shallow = " (a shallow clone, which lacks the commits past its depth: git fetch --unshallow)" if lacking and \
        _shallow(repo) else ""
    why = f"{lacking}{shallow}; " if lacking else ""
    unborn = _unborn(repo, "HEAD").strip(" ()") if head is None else ""
    if best is None:
        raise UsageError(str(repo_path), f"{why}{unborn}, and no commit of the tree's branches (remote-tracking too) "
                         "or tags touches the patches' files: nothing to find the base by; give --base")
    whose = f"{unborn}: best match of the {SEARCH_WINDOW} newest commits of the" if head is None else \
        f"best match of HEAD and the {SEARCH_WINDOW} newest commits of its"
    how = f"{why}{whose} branches (remote-tracking too) and tags touching the files"
    choice = _choice(best, how, blobs)
    if choice.total and not choice.matched:  # HEAD of an unrelated history, or a base past the window
        choice = replace(choice, how=f"{how}; none holds a pre-image blob the patches name: a history other than "
                                     "the series' base, or a base past those commits; give --base")
    return choice


def _head(repo: git.Repo, repo_path: Path) -> git.Commit | None:
    """HEAD's commit; None where HEAD is a branch with no commit yet (git checkout --orphan) in a repository whose
    other branches or tags have some, which the base search then starts from alone. UsageError otherwise."""
    try:
        return _commit(repo, repo_path, "HEAD")
    except UsageError:
        if _unborn(repo, "HEAD") and _git(repo, "for-each-ref", "--count=1", timeout=60).stdout.strip():
            return None
        raise


Fits = Callable[[str, str], bool]

# Where git rev-parse looks for a short ref name, in its order (refs.c ref_rev_parse_rules): the first one that
# exists is the one it takes.
_REF_RULES = ("refs/{}", "refs/tags/{}", "refs/heads/{}", "refs/remotes/{}", "refs/remotes/{}/HEAD")


def _ambiguous(repo: git.Repo, rev: str) -> str:
    """"; refname 'v1' is ambiguous, as git warns: refs/tags/v1 taken, not refs/heads/v1" where ``rev`` is the short
    name of more than one ref (a tag and a branch of one name): git rev-parse takes the first of _REF_RULES and only
    warns, so the user learns which of them the base is; "" otherwise."""
    full = [rule.format(rev) for rule in _REF_RULES]
    res = _git(repo, "for-each-ref", "--format=%(refname)", *full, timeout=60)
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
    starts = ("HEAD",) if _verify(repo, "HEAD^{commit}") else ()  # an orphan branch with no commit yet: refs alone
    top, held = holding_commit(repo, base, ids, lambda *args, stdin=None: _git(repo, *args, stdin=stdin),
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


# Variables that point git at another repository, index or object store than the tree's (a shell that exported
# GIT_DIR, a hook's environment): the tree is named by --git-dir alone.
_ELSEWHERE = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
              "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM")


def _git(repo: git.Repo, *args: str, stdin: bytes | None = None,
         timeout: int = 120) -> subprocess.CompletedProcess[bytes]:
    """git on the tree's repository, read only, whatever the environment names."""
    env = {k: v for k, v in os.environ.items() if k not in _ELSEWHERE}
    return subprocess.run(["git", f"--git-dir={repo.git_dir}", *args], input=stdin, capture_output=True, env=env,
                          timeout=timeout, check=False)


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
        blob = _at(commit, path)
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
                text = _bytes(blob, commit, path).decode("utf-8", errors="surrogateescape")
            except UsageError:  # a partial clone's blob not fetched: not shown to fit (the chosen base's are read)
                self.seen[key] = False
                return False
            self.seen[key] = self.fits is not None and self.fits(path, text)
        return self.seen[key]


def _commit(repo: git.Repo, repo_path: Path, rev: str) -> git.Commit:
    """``rev`` as git rev-parse names it (a reflog entry, ``:/text``, ``@{upstream}``: GitPython's own parser
    knows fewer, and ``master@{5}`` past the reflog's end was an internal error), peeled to its commit: as
    ``REV^{commit}``, so that a short hash that is also the start of a blob's id is the commit's, as git checkout
    and git am's base read it (in a kernel tree a 7-digit hash often is)."""
    oid = _verify(repo, f"{rev}^{{commit}}") if rev.strip() else ""
    if not oid and rev.strip():  # ':/text' takes all that follows as its text: what rev names, peeled
        named = _verify(repo, rev)
        oid = _verify(repo, f"{named}^{{commit}}") if named else ""
    try:
        if not _OID.match(oid):
            raise ValueError(rev)
        commit = repo.commit(oid)
        _ = commit.tree  # GitPython takes a full 40-digit id as given: reading it finds whether the tree has it
        return commit
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError) as exc:
        raise UsageError(str(repo_path), _not_a_commit(repo, rev, oid)) from exc


def _verify(repo: git.Repo, rev: str) -> str:
    """The object id ``git rev-parse --verify`` gives ``rev``, or ""."""
    res = _git(repo, "rev-parse", "--verify", "-q", "--end-of-options", rev, timeout=60)
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
    res = _git(repo, "rev-parse", "--verify", "--end-of-options", rev, timeout=60)  # not -q: git's own error
    oid = res.stdout.decode("ascii", "replace").strip() if not res.returncode else ""
    kind = _git(repo, "cat-file", "-t", f"{oid}^{{}}", timeout=60) if _OID.match(oid) else None
    named = kind.stdout.decode("ascii", "replace").strip() if kind is not None and not kind.returncode else ""
    if named and named != "commit":
        through = " (through a tag)" if oid != _git(repo, "rev-parse", "-q", "--verify", f"{oid}^{{}}",
                                                    timeout=60).stdout.decode("ascii", "replace").strip() else ""
        return f"--base {rev} names a {named}{through}, not a commit: give the commit the patches apply to"
    errors = [ln for ln in res.stderr.decode("utf-8", "replace").splitlines() if ln.startswith("error: ")]
    said = f" ({errors[0].removeprefix('error: ')})" if errors else "" if oid else _unborn(repo, rev)
    deep = ("; this tree is a shallow clone, which lacks the commits (and tags) past its depth: git fetch "
            "--unshallow gives them") if _shallow(repo) else ""
    return f"base commit {rev} is not in this tree{said}{deep}"


def _shallow(repo: git.Repo) -> bool:
    """Whether the tree is a shallow clone (git clone --depth): its history stops at a commit whose parents it lacks."""
    return _git(repo, "rev-parse", "--is-shallow-repository", timeout=60).stdout.strip() == b"true"


def _unborn(repo: git.Repo, rev: str) -> str:
    """Why HEAD (--base HEAD, or the base search's start) names no commit: the branch it is on has none yet (git
    init, git checkout --orphan), in a repository with commits elsewhere or none at all; "" for any other rev."""
    if rev != "HEAD":
        return ""
    branch = _git(repo, "symbolic-ref", "-q", "--short", "HEAD", timeout=60).stdout.decode("utf-8", "replace").strip()
    if not branch:
        return ""
    some = _git(repo, "for-each-ref", "--count=1", "--format=%(refname)", timeout=60).stdout.strip()
    return f" (HEAD is the branch {branch}, which has no commit yet" + ("" if some else
                                                                       ": the repository has no commits") + ")"


@record
class TreeBase:
    """A commit of a git repository from which base file texts are read."""

    repo_path: Path
    commit: str

    def reader(self) -> tuple[str, Callable[[str], FileState | None]]:
        repo = _open(self.repo_path)
        commit = _commit(repo, self.repo_path, self.commit)
        label = f"{self.repo_path} at {commit.hexsha[:12]}"

        def read(path: str) -> FileState | None:
            return _read(commit, label, path)

        return label, TreeReader(read, lambda words, folders: _grep(repo, commit.hexsha, words, folders),
                                 lambda word: _names(repo, commit.hexsha, word), commit.hexsha)


class TreeReader:
    """A base commit's reader (path -> its state there) that can also list the files of folders that name a word
    (``git grep`` at the commit): harness.unitdefs finds a tree's out-of-line definitions with it; and say whether
    its C code names a word at all (``names``, once per word: harness.listednames). ``commit``: the commit's id
    (empty when not known), by which harness.treenames shares a search between readers of the same commit."""

    def __init__(self, read: Callable[[str], FileState | None],
                 grep: Callable[[tuple[str, ...], tuple[str, ...]], list[str] | None],
                 names: Callable[[str], bool | None] = lambda _word: None, commit: str = "") -> None:
        self._read, self.grep, self._names, self.commit = read, grep, names, commit
        self._named: dict[str, bool | None] = {}

    def __call__(self, path: str) -> FileState | None:
        return self._read(path)

    def names(self, word: str) -> bool | None:
        """Whether a .c or .h file at the commit names ``word`` outside a comment line (None: git failed)."""
        if word not in self._named:
            self._named[word] = self._names(word)
        return self._named[word]


NAMES_TIMEOUT = 60  # seconds for one git grep of the whole tree (a kernel tree takes about one)


def _names(repo: git.Repo, commit: str, word: str) -> bool | None:
    """Whether the .c and .h files at ``commit`` name ``word`` as a word on a line that is not a comment's (`` *
    ...``, ``/* ...``, ``// ...``): ``git grep -w -F``, a few lines a file. None where git fails or times out."""
    try:
        # --no-line-number, --no-column: a user's grep.lineNumber or grep.column put "12:" before every line, which
        # then never started as a comment does.
        res = _git(repo, "grep", "-h", "-w", "-F", "-I", "--no-color", "--no-line-number", "--no-column",
                   "--max-count=3", "-e", word, commit, "--", "*.c", "*.h", timeout=NAMES_TIMEOUT)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if res.returncode not in (0, 1):
        return None
    lines = res.stdout.decode("utf-8", "surrogateescape").splitlines()
    return any(not line.lstrip().startswith(("*", "/*", "//")) for line in lines)  # -h: no "commit:path:"


def _grep(repo: git.Repo, commit: str, words: tuple[str, ...], folders: tuple[str, ...]) -> list[str] | None:
    """The .c files directly in ``folders`` (not their subfolders) whose text at ``commit`` has one of ``words`` as
    a word: ``git grep -l -w -F`` with a glob pathspec (its ``*`` stops at a slash). None where git fails (exit 1
    is 'nothing found')."""
    if not words or not folders:
        return []
    pats = [x for w in words for x in ("-e", w)]
    specs = [f":(glob){f}/*.c" if f else ":(glob)*.c" for f in folders]
    try:
        # -z: names as they are, never quoted as core.quotePath quotes a name that is not ASCII ("d/\303\251.c").
        res = _git(repo, "grep", "-l", "-z", "-w", "-F", "-I", "--no-color", "--full-name", *pats, commit, "--",
                   *specs)
    except (subprocess.TimeoutExpired, OSError):
        return None
    prefix = f"{commit}:"
    if res.returncode not in (0, 1):
        return None
    return sorted(name.removeprefix(prefix) for name in res.stdout.decode("utf-8", "surrogateescape").split("\0")
                  if name.startswith(prefix))


def _read(commit: git.Commit, label: str, path: str) -> FileState | None:
    """``path`` as the commit has it (absent, a submodule's commit as text, not modelled, or its text; a .c or .h
    file that is a Git LFS pointer has no C text: filestate.lfs_state)."""
    blob = _at(commit, path)
    if blob is None:
        return absent_file(path, f"not in {label}")
    mode = f"{blob.mode:06o}"
    if mode == GITLINK_MODE:  # as git apply reads a submodule: the commit it names, as text
        got = full_file(path, gitlink_text(blob.hexsha), f"read from {label}", mode)
    elif blob.type != "blob":
        return unmodelled(path, (f"a {blob.type} in {label}: not modelled",), mode)
    else:
        data = _bytes(blob, commit, path)
        # Bytes as they are (not UTF-8 ones as surrogate escapes), so blob ids come out as git's; a
        # symlink's are its target, the text git apply patches.
        got = full_file(path, data.decode("utf-8", errors="surrogateescape"), f"read from {label}", mode)
    return pointer_state(got) if mode in POINTER_C and path.endswith((".c", ".h")) else lfs_state(got)


# What GitPython raises where git has not got an object it needs (a partial clone's promisor remote that does not
# give it now: 'could not fetch ... from promisor remote'; a damaged repository): a ValueError ('SHA is empty,
# possible dubious ownership'), which was an internal error.
_UNREAD = (ValueError, git.BadObject, git.GitCommandError)


def _at(commit: git.Commit, path: str) -> git.objects.base.IndexObject | None:
    """The object at ``path`` of the commit's tree, None where there is none; UsageError where git cannot read it."""
    try:
        return commit.tree / path
    except KeyError:
        return None
    except _UNREAD as exc:
        raise _unread(commit, path, "its tree") from exc


def _bytes(blob: git.objects.base.IndexObject, commit: git.Commit, path: str) -> bytes:
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
    partial = _git(repo, "config", "--get-regexp", r"^(remote\..*\.promisor|extensions\.partialclone)$", timeout=60)
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


def _open(path: Path) -> git.Repo:
    if not path.exists():
        raise UsageError(None, f"--tree {path}: no such directory")
    try:
        repo = git.Repo(path, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise UsageError(None, f"--tree {path}: not a git repository{_inside(path)}") from exc
    # git refuses a repository another user owns (safe.directory), as git am in it would; GitPython's readers
    # then failed part way (a broken pipe, 'base commit HEAD is not in this tree').
    env = {k: v for k, v in os.environ.items() if k not in _ELSEWHERE}
    res = subprocess.run(["git", "-C", str(path), "rev-parse", "--git-dir"], capture_output=True, env=env, timeout=60,
                         check=False)
    if res.returncode:
        why = res.stderr.decode("utf-8", "replace").strip().splitlines()
        said = why[0].removeprefix("fatal: ") if why else "no reason given"
        raise UsageError(None, f"--tree {path}: git refuses it: {said}")
    form = _git(repo, "rev-parse", "--show-object-format", timeout=60).stdout.decode("ascii", "replace").strip()
    if form not in ("", "sha1"):  # git init --object-format=sha256: GitPython reads SHA-1 objects only
        raise UsageError(None, f"--tree {path}: a {form.upper().replace('SHA', 'SHA-')} repository (extensions."
                               "objectFormat), which seamharness's reader of its objects (GitPython) does not read")
    _own_objects(repo)
    return repo


def _own_objects(repo: git.Repo) -> None:
    """GitPython's git (its object reader, git cat-file) runs with the process's environment, where GIT_DIR,
    GIT_OBJECT_DIRECTORY and the like (a shell or hook that exported them) name another repository's objects:
    the tree's commits were then 'not in this tree', or another's blobs read. They are set to the tree's own."""
    if not any(k in os.environ for k in _ELSEWHERE):
        return
    common = os.fspath(repo.common_dir)
    repo.git.update_environment(GIT_DIR=os.fspath(repo.git_dir), GIT_COMMON_DIR=common,
                                GIT_OBJECT_DIRECTORY=os.path.join(common, "objects"),
                                GIT_ALTERNATE_OBJECT_DIRECTORIES="", GIT_NAMESPACE="",
                                GIT_INDEX_FILE=os.path.join(os.fspath(repo.git_dir), "index"))
