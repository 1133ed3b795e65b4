"""git itself as the reference: mailsplit, mailinfo, apply and am in scratch repositories, isolated from any config."""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.diffmodel import LineKind, PatchedFile
from harness.mimedecode import commit_text
from harness.model import Revision


def git_env(home: Path) -> dict[str, str]:
    """An environment where no user or system git config can change what git does."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home), GIT_CONFIG_NOSYSTEM="1", LC_ALL="C",
               GIT_COMMITTER_NAME="Oracle", GIT_COMMITTER_EMAIL="oracle@example.org",
               GIT_AUTHOR_NAME="Oracle", GIT_AUTHOR_EMAIL="oracle@example.org",
               GIT_COMMITTER_DATE="2026-01-01T00:00:00Z", GIT_AUTHOR_DATE="2026-01-01T00:00:00Z")
    return env


_HOME = Path(tempfile.mkdtemp(prefix="seamharness-oracle-home-"))
atexit.register(shutil.rmtree, _HOME, True)


def git(cwd: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, env=git_env(_HOME),
                          check=check, timeout=60)


def mailsplit(tmp: Path, *paths: Path, mboxrd: bool = False) -> list[bytes]:
    """The messages ``git am`` would find in these files, in order (one ``git mailsplit -b``, ``--mboxrd`` when
    asked: it splits each file it is given on its own, numbering on)."""
    out = tmp / f"split-{len(list(tmp.glob('split-*')))}"
    out.mkdir()
    git(tmp, "mailsplit", "-b", *(["--mboxrd"] if mboxrd else []), f"-o{out}", "--", *(str(p.resolve()) for p in paths))
    return [p.read_bytes() for p in sorted(out.iterdir())]


@dataclass(frozen=True)
class GitMail:
    """What ``git mailinfo`` (as ``git am`` runs it) takes from one message."""

    author: str
    email: str
    subject: str
    message: str  # as git am commits it (commit.c verify_utf8)
    patch: bytes
    error: str = ""


def mailinfo(tmp: Path, message: bytes) -> GitMail:
    work = tmp / "mailinfo"
    work.mkdir(exist_ok=True)
    res = git(work, "mailinfo", "-u", str(work / "msg"), str(work / "patch"), stdin=message, check=False)
    info = dict(re.findall(r"^(Author|Email|Subject): (.*)$", res.stdout.decode("utf-8", "replace"), re.M))
    patch = (work / "patch").read_bytes() if (work / "patch").exists() else b""
    raw = (work / "msg").read_bytes() if (work / "msg").exists() else b""
    # The message as git am commits it: mailinfo passes bytes it did not convert through, and commit.c
    # verify_utf8 then takes each invalid byte as Latin-1 (harness.mimedecode.commit_text, itself checked
    # against git commit in tests/harness/test_mail_clients.py).
    msg = commit_text(raw).replace("\r\n", "\n").replace("\r", "\n")  # newlines as read_text() reads them
    # git mailinfo fails silently on some input (a malformed RFC 2047 word: exit 1, nothing on stderr).
    error = (res.stderr.decode("utf-8", "replace").strip() or f"exit {res.returncode}") if res.returncode else ""
    return GitMail(info.get("Author", ""), info.get("Email", ""), info.get("Subject", ""), msg, patch, error)


def commits_author(tmp: Path, gm: GitMail) -> bool:
    """Whether git can commit with the author git mailinfo read: ``git var GIT_AUTHOR_IDENT`` goes through the
    strict fmt_ident that git am's commit does ("empty ident name (for <>) not allowed" where it cannot)."""
    env = {**git_env(_HOME), "GIT_AUTHOR_NAME": gm.author, "GIT_AUTHOR_EMAIL": gm.email}
    res = subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], cwd=tmp, env=env, capture_output=True, check=False)
    return res.returncode == 0


def numstat(tmp: Path, patch: bytes) -> list[tuple[str, str, str]] | None:
    """``git apply --numstat`` of a patch: (added, deleted, path) per file; None when git refuses the patch.

    Refusal is what ``git apply --check`` says with every path excluded: all its parse-time checks
    (corrupt hunks, damaged binary data, garbage-only file patches) without needing the files.
    """
    (tmp / "oracle.patch").write_bytes(patch)
    check = git(tmp, "apply", "--check", "--include=:(seamharness-no-path)", str(tmp / "oracle.patch"), check=False)
    res = git(tmp, "apply", "--numstat", "-z", str(tmp / "oracle.patch"), check=False)
    if check.returncode != 0 or res.returncode != 0:
        return None
    fields = res.stdout.decode("utf-8", "surrogateescape").split("\0")
    out: list[tuple[str, str, str]] = []
    i = 0
    while i < len(fields) - 1:
        added, deleted, path = fields[i].split("\t", 2)
        if path:
            out.append((added, deleted, path))
            i += 1
        else:  # a rename or copy: "old\0new"
            out.append((added, deleted, fields[i + 2]))
            i += 3
    return out


def summary(tmp: Path, patch: bytes) -> list[str]:
    """``git apply --summary`` lines: creations, deletions, renames, copies, mode changes."""
    (tmp / "oracle.patch").write_bytes(patch)
    res = git(tmp, "apply", "--summary", str(tmp / "oracle.patch"), check=False)
    return [ln.strip() for ln in res.stdout.decode("utf-8", "surrogateescape").splitlines() if ln.strip()]


def our_numstat(pf: PatchedFile) -> tuple[str, str, str]:
    """Our parse of one file, in ``git apply --numstat`` terms."""
    if pf.is_binary:
        return "-", "-", pf.path
    added = sum(1 for h in pf.hunks for ln in h.lines if ln.kind is LineKind.ADDED)
    removed = sum(1 for h in pf.hunks for ln in h.lines if ln.kind is LineKind.REMOVED)
    return str(added), str(removed), pf.path


def synthetic_preimage(pf: PatchedFile) -> str:
    """A file that holds exactly what the hunks show of the pre-image at their lines, and filler elsewhere."""
    lines: list[str] = []
    ends_here = False
    for h in pf.hunks:
        start = h.source_start if h.source_length else h.source_start + 1
        while len(lines) + 1 < start:
            lines.append(f"seamharness filler {len(lines) + 1}\n")
        for ln in h.lines:
            if ln.kind is not LineKind.ADDED:
                lines.append(ln.text + ("" if ln.no_newline else "\n"))
                ends_here = ln.no_newline
    trailing = bool(pf.hunks) and pf.hunks[-1].lines[-1].kind is LineKind.CONTEXT
    if trailing and not ends_here:
        lines += [f"seamharness filler after {i}\n" for i in range(3)]
    return "".join(lines)


def write_files(repo: Path, files: dict[str, str]) -> None:
    """Write ``files`` (path in the repo -> text) into ``repo``'s work tree, making folders, and ``git add`` them."""
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8", "surrogateescape"))
    if files:
        git(repo, "add", "--", *files)


def _pristine(committed: bool) -> Path:
    """A repository made once per process as ``git init -q`` makes it (and, ``committed``, with the empty commit
    "base" on it): copied, it is the repository those commands make, each of them a process no longer started."""
    made = _HOME / ("base" if committed else "init")
    if not made.exists():
        git(_HOME, "init", "-q", str(made))
        if committed:
            git(made, "commit", "-q", "--allow-empty", "-m", "base")
    return made


def init_repo(path: Path, files: dict[str, str] | None = None) -> Path:
    """A repository at ``path`` (which must not exist) whose one commit "base" holds ``files``."""
    shutil.copytree(_pristine(not files), path, symlinks=True)
    if files:
        write_files(path, files)
        git(path, "commit", "-q", "--allow-empty", "-m", "base")
    return path


def git_applies(tmp: Path, pf: PatchedFile, patch: bytes) -> bytes | None:
    """What ``git apply`` makes of this file's part of ``patch`` on its synthetic pre-image; None if it refuses.

    A deleted file gives b"". Other files of the patch are left out (``--include``).
    """
    # One work tree for every file: git apply (no --index) reads and writes the work tree alone, never the index
    # or a commit, so emptied and given this pre-image alone it is the fresh repository it was.
    repo = tmp / "synthetic"
    if repo.exists():
        for entry in repo.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    else:
        init_repo(repo)
    if not pf.is_new and pf.source_path is not None:
        target = repo / pf.source_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(synthetic_preimage(pf).encode("utf-8", "surrogateescape"))
    (tmp / "one.patch").write_bytes(patch)
    res = git(repo, "apply", f"--include={pf.target_path or pf.source_path}", str(tmp / "one.patch"), check=False)
    if res.returncode:
        return None
    return b"" if pf.target_path is None else (repo / pf.target_path).read_bytes()


@dataclass(frozen=True)
class AmCommit:
    """One commit ``git am`` made: author, subject and the blob id of every file of its tree."""

    author: str
    email: str
    subject: str
    blobs: dict[str, str]


def am(repo: Path, mails: list[Path], include: tuple[str, ...] = ()) -> tuple[list[AmCommit], str]:
    """``git am`` on messages split by ``mailsplit``, in order: the commits it made, its error output or ""."""
    # The mails are mailsplit's output already: --keep-cr so that a second split does not strip a CR again.
    args = ["am", "--quiet", "--keep-cr", *(f"--include={p}" for p in include), *map(str, mails)]
    res = git(repo, *args, check=False)
    if res.returncode:
        git(repo, "am", "--quit", check=False)  # keep the commits made so far
    commits = [AmCommit(author, email, subject, blobs)
               for (author, email, subject), blobs in history(repo, "%an", "%ae", "%s")[1:]]
    return commits, res.stderr.decode("utf-8", "replace") if res.returncode else ""


def history(repo: Path, *fields: str) -> list[tuple[list[str], dict[str, str]]]:
    """Each commit of HEAD, the root first: its ``git log --format`` ``fields`` and every blob of its tree (path ->
    id, as ``git ls-tree -r`` lists them), all from one ``git log --raw`` (each commit's changes from its first
    parent, the root's from nothing: summed up, its tree) instead of a git ls-tree per commit."""
    fmt = "%x01%H" + "".join(f"%x00{f}" for f in fields)
    out = git(repo, "log", "--reverse", "--root", "--raw", "-z", "--no-renames", "--no-abbrev",
              "--diff-merges=first-parent", f"--format={fmt}", "HEAD").stdout
    made: list[tuple[list[str], dict[str, str]]] = []
    blobs: dict[str, str] = {}
    for chunk in out.split(b"\x01")[1:]:
        parts = chunk.split(b"\0")
        assert re.fullmatch(rb"[0-9a-f]{40}", parts[0]), chunk
        changes = [p.removeprefix(b"\n") for p in parts[len(fields) + 1 :]]
        for meta, path in zip(changes[0:-1:2], changes[1::2], strict=True):
            _, _, _, blob, status = meta.decode("ascii").split()
            if status == "D":
                blobs.pop(path.decode("utf-8", "surrogateescape"))
            else:
                blobs[path.decode("utf-8", "surrogateescape")] = blob
        made.append(([f.decode("utf-8", "replace") for f in parts[1 : len(fields) + 1]], dict(blobs)))
    return made


@dataclass(frozen=True)
class Change:
    """One commit to make: files written (None: deleted), modes set, renames and copies done first."""

    title: str
    log: str
    files: dict[str, bytes | None]
    modes: dict[str, str] | None = None
    renames: dict[str, str] | None = None
    copies: dict[str, str] | None = None


_MADE: dict[str, list[tuple[str, bytes, bytes]]] = {}


def format_patches(tmp: Path, changes: list[Change]) -> list[tuple[str, bytes, bytes]]:
    """Commit the changes in a scratch repository; for each, (title, log, patch part) as ``git format-patch`` writes it.

    The patch part runs from the ``---`` line to the end (diffstat, diff with renames, copies, modes,
    ``\\ No newline`` lines and binary patches, signature). Fixed names and dates make it a function of the
    changes: the same changes (a module's tests mailing one demo series in many styles) are committed once.
    """
    key = repr(changes)
    if key not in _MADE:
        _MADE[key] = _format_patches(tmp, changes)
    return list(_MADE[key])


def _format_patches(tmp: Path, changes: list[Change]) -> list[tuple[str, bytes, bytes]]:
    repo = tmp / f"author-{len(list(tmp.glob('author-*')))}"
    init_repo(repo)
    for change in changes:
        for old, new in (change.renames or {}).items():
            git(repo, "mv", old, new)
        for src, dst in (change.copies or {}).items():
            (repo / dst).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(repo / src, repo / dst)
        for path, data in change.files.items():
            if data is None:
                git(repo, "rm", "-q", "--", path)
                continue
            (repo / path).parent.mkdir(parents=True, exist_ok=True)
            (repo / path).write_bytes(data)
        for path, mode in (change.modes or {}).items():
            (repo / path).chmod(0o755 if mode == "100755" else 0o644)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--allow-empty", "-m", f"{change.title}\n\n{change.log}")
    if not changes:
        return []
    # One format-patch of them all: each file's body is the one format-patch -1 of its commit writes (only the
    # headers, [PATCH n/m], differ).
    out = repo.with_name(f"{repo.name}-mail")
    git(repo, "format-patch", "-q", "-o", str(out), "-M", "-C", "--find-copies-harder", f"HEAD~{len(changes)}")
    mails = sorted(out.iterdir())
    assert len(mails) == len(changes), mails
    made = []
    for change, mail in zip(changes, mails, strict=True):
        body = mail.read_bytes().split(b"\n\n", 1)[1]
        cut = body.index(b"\n---\n") + 1
        made.append((change.title, body[:cut], body[cut:]))
    return made


@dataclass
class Agreement:
    """What one comparison with git covered, for tests to assert that it really compared something."""

    messages: int = 0
    patches: int = 0
    files: int = 0
    hunks_applied: int = 0
    commits: int = 0
    blobs: int = 0
    unconvertible: int = 0


def _is_mboxrd(path: Path) -> bool:
    """A file public-inbox or b4 wrote (``From mboxrd@z`` separators): ``git am --patch-format=mboxrd`` reads it,
    as b4 does; any other is read as plain ``git am`` reads it."""
    with path.open("rb") as fh:
        first = fh.readline()
    return first.rstrip(b"\r\n") == b"From mboxrd@z Thu Jan  1 00:00:00 1970"


def _difference(mine: bytes, theirs: bytes) -> str:
    at = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), min(len(mine), len(theirs)))
    return f"at byte {at}: ours {mine[max(0, at - 40) : at + 40]!r}, git's {theirs[max(0, at - 40) : at + 40]!r}"


def check_agreement(tmp: Path, paths: list[Path]) -> Agreement:
    """seamharness and git (mailsplit, mailinfo, apply, am) read the same inputs the same way, or AssertionError."""
    from harness.ingest import IngestRequest, parse_series
    from harness.mailinfo import mailinfo as our_mailinfo
    from harness.mailpaths import iter_files, read_paths
    from harness.message import mail_of

    raws, skipped = read_paths(paths)
    assert not skipped, skipped
    series = parse_series(IngestRequest(tuple(paths)))
    ours = {p.mail.msgid: p for rev in series.revisions for p in rev.patches}
    files = [(f, _is_mboxrd(f)) for top in paths for f in iter_files(top)]
    # One git mailsplit per run of files read alike (every file of a folder of .eml or format-patch files).
    theirs = [m for flag, run in itertools.groupby(files, key=lambda fm: fm[1])
              for m in mailsplit(tmp, *(f for f, _ in run), mboxrd=flag)]
    assert len(theirs) == len(raws), f"git mailsplit finds {len(theirs)} messages, we read {len(raws)}"
    seen = Agreement()
    raw_of: dict[str, bytes] = {}
    for raw, message in zip(raws, theirs, strict=True):
        info, gm = our_mailinfo(raw.data, raw.where.line), mailinfo(tmp, message)
        mail = mail_of(raw, info)
        where = f"{raw.where} <{mail.msgid}>"
        seen.messages += 1
        if "cannot convert from" in gm.error:
            # git refuses text it cannot convert from the declared charset; we read it as UTF-8 (README).
            seen.unconvertible += 1
            continue
        assert not gm.error, f"{where}: git mailinfo fails: {gm.error}"
        mine = b"".join(ln for _, ln in info.patch)
        assert mine == gm.patch, f"{where}: the patch part differs from git mailinfo's: {_difference(mine, gm.patch)}"
        assert (info.author, info.email) == (gm.author, gm.email), where
        if gm.patch:
            assert "\n".join(t for _, t in info.log).strip() == gm.message.strip(), f"{where}: commit message"
        stat = numstat(tmp, gm.patch) if gm.patch else None
        git_patch = bool(stat)
        s = mail.subject
        if s.is_reply or (s.number == 0 and s.is_patch):
            continue  # replies and cover letters are never patches to us, whatever git would make of them
        patch = ours.get(mail.msgid)
        if git_patch and not commits_author(tmp, gm):
            # git am stops at committing it ("empty ident name"): we skip it too, at its From: line.
            assert patch is None and any(mail.msgid == k.where.msgid or str(raw.where.path) == k.where.path
                                         for k in series.skipped), f"{where}: git am cannot commit its author"
            continue
        assert git_patch == bool(patch and patch.files), f"{where}: git says patch={git_patch}"
        if patch is None or stat is None:
            continue
        if gm.email:  # a mail without an address ("Ann <>") is committed so; its am check is left out
            raw_of[mail.msgid] = message
        seen.patches += 1
        assert patch.mail.subject.title == gm.subject, where
        assert [our_numstat(pf) for pf in patch.files] == stat, where
        _check_files(tmp, patch.files, gm.patch, where, seen)
    for rev in series.revisions:
        _check_am(tmp, rev, raw_of, seen)
    return seen


def _check_files(tmp: Path, files: tuple[PatchedFile, ...], patch: bytes, where: str, seen: Agreement) -> None:
    from harness.filestate import full_file
    from harness.patching import apply_file

    said = summary(tmp, patch)
    for pf in files:
        seen.files += 1
        if pf.is_rename or pf.copy:
            kind = "copy" if pf.copy else "rename"
            assert any(ln.startswith(kind) for ln in said), f"{where}: {pf.path}: git does not see a {kind}"
        if pf.is_binary or pf.is_symlink:
            continue
        got = git_applies(tmp, pf, patch)
        base = None if pf.is_new else full_file(pf.source_path or pf.path, synthetic_preimage(pf), "synthetic")
        state, findings = apply_file(base, pf, "oracle")
        refused = any("does not apply" in f.reason for f in findings)
        # A damaged hunk (a mailer ate a blank) may not even apply to its own pre-image: then neither applies it.
        assert refused == (got is None), f"{where}: {pf.path}: git apply refuses={got is None}, we: {findings}"
        mine = b"" if state is None else (state.text or "").encode("utf-8", "surrogateescape")
        assert refused or mine == got, f"{where}: {pf.path}: applied differently from git apply ({findings})"
        seen.hunks_applied += len(pf.hunks)


def _check_am(tmp: Path, rev: Revision, raw_of: dict[str, bytes], seen: Agreement) -> None:
    """``git am`` of a revision's patches, in order: authors, subjects and every complete file's blob."""
    from harness.variants import build_states

    patches = [p for p in rev.patches if p.mail.msgid in raw_of]
    if not patches:
        return
    states, _ = build_states(patches, lambda _path: None)
    complete = sorted({f.path for st in states for f in st.values() if f.complete})
    mails = []
    for i, p in enumerate(patches):
        mails.append(tmp / f"am-{rev.version}-{i:03d}.eml")
        mails[-1].write_bytes(raw_of[p.mail.msgid])
    repo = init_repo(tmp / f"am-{rev.version}-{len(list(tmp.glob(f'am-{rev.version}-repo*')))}-repo")
    commits, error = am(repo, mails, tuple(complete) or ("no/such/path",))
    for k, (p, c) in enumerate(zip(patches, commits, strict=False), start=1):
        seen.commits += 1
        assert (p.mail.author, p.mail.author_email, p.mail.subject.title) == (c.author, c.email, c.subject)
        for f in states[k].values():
            if f.complete:
                seen.blobs += 1
                assert f.blob == c.blobs.get(f.path), f"v{rev.version} {p.label} {f.path}: {f.blob} != {c.blobs}"
        assert set(c.blobs) == {f.path for f in states[k].values() if f.complete}, f"v{rev.version} {p.label}"
    if len(commits) < len(patches):
        failed = patches[len(commits)]
        _, found = build_states(patches, lambda _path: None)
        assert found[len(commits)], f"git am stops at {failed.label} ({error.strip()[:200]}) and we apply it"


def git_am_blobs(tmp: Path, tree: Path, base: str, mails: list[Path]) -> tuple[dict[str, str], str]:
    """Every file's blob after ``git am`` of ``mails`` on ``base`` in a clone of ``tree`` (as far as it gets), and
    git am's error ("" when it applied them all)."""
    repo = tmp / "am"
    git(tmp, "clone", "-q", str(tree), str(repo))
    git(repo, "checkout", "-q", base)
    res = git(repo, "am", "-q", *map(str, mails), check=False)
    if res.returncode:
        git(repo, "am", "--quit", check=False)
    listing = git(repo, "ls-tree", "-r", "HEAD").stdout.decode()
    blobs = {line.split("\t", 1)[1]: line.split()[2] for line in listing.splitlines()}
    return blobs, res.stderr.decode() if res.returncode else ""
