"""How git am in the user's tree reads mail: ``am.keepcr`` and ``mailinfo.quotedCr`` from git's config."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from enum import Enum
from pathlib import Path

from harness.errors import UsageError, Where
from models.record import record


class QuotedCr(Enum):
    """git mailinfo's action on a body line that ends in CR LF once decoded (``--quoted-cr``)."""

    NOWARN = "nowarn"
    WARN = "warn"  # git's default: the CR kept, "quoted CRLF detected" said
    STRIP = "strip"  # the CR dropped


@record
class AmReading:
    """What git am's configuration changes in its reading of mail; the default is plain ``git am``'s.

    ``keep_cr``: ``am.keepcr``, mailsplit's ``--keep-cr`` (a CR before a line end stays in the mail);
    ``quoted_cr``: ``mailinfo.quotedCr``, what mailinfo does with a CR that reaches it.
    """

    keep_cr: bool = False
    quoted_cr: QuotedCr = QuotedCr.WARN
    scissors: bool = False  # mailinfo.scissors: git am drops a message's text above a "-- >8 --" line (not followed)
    # Settings of git am's that change what it applies and that seamharness does not follow, each said (unfollowed).
    unfollowed: tuple[str, ...] = ()


def _config(tree: Path, *args: str) -> str | None:
    """``git config ARGS`` as git am in ``tree`` reads it (the tree's config, the global and system ones, ``git -c``'s
    GIT_CONFIG_PARAMETERS): the value, None when not set; a value git cannot read is refused as git am refuses it."""
    from harness.gitrepo import ELSEWHERE

    env = {k: v for k, v in os.environ.items() if k not in ELSEWHERE}
    res = subprocess.run(["git", "-C", str(tree), "config", *args], capture_output=True, env=env, timeout=60,
                         check=False)
    if res.returncode == 1:  # not set
        return None
    if res.returncode:  # a value that is no boolean, a config file git cannot parse: git am stops on it too
        said = res.stderr.decode("utf-8", "replace").strip().splitlines()
        why = said[0].removeprefix("fatal: ") if said else f"exit {res.returncode}"
        raise UsageError(f"--tree {tree}", f"git cannot read {args[-1]}, which git am reads: {why}")
    return res.stdout.decode("utf-8", "replace").rstrip("\n")


def am_reading(tree: Path) -> AmReading:
    """How git am in ``tree`` would read mail (mailinfo.c git_mailinfo_config: the action's name exactly)."""
    keep = _config(tree, "--type=bool", "--get", "am.keepcr") == "true"
    action = _config(tree, "--get", "mailinfo.quotedCr")
    known = {q.value: q for q in QuotedCr}
    if action is not None and action not in known:
        raise UsageError(f"--tree {tree}", f"mailinfo.quotedCr is {action!r}: git am stops on it ('bad action'); "
                                           f"it takes {', '.join(known)}")
    scissors = _config(tree, "--type=bool", "--get", "mailinfo.scissors") == "true"
    return AmReading(keep, known.get(action or "", QuotedCr.WARN), scissors, _unfollowed(tree))


# What git am does under each setting seamharness does not follow, which it applies as plain git am does.
_WHITESPACE = {"fix": "fixes whitespace errors of the lines it adds", "strip": "fixes whitespace errors of the lines "
               "it adds", "error": "refuses a patch that adds whitespace errors", "error-all": "refuses a patch that "
               "adds whitespace errors"}


def _unfollowed(tree: Path) -> tuple[str, ...]:
    """Why the files written may not be the ones git am in ``tree`` writes: ``apply.whitespace`` (git am applies
    with it: fix or error) and ``am.threeWay`` (a patch that does not apply is merged on the index lines' blobs)."""
    said: list[str] = []
    ws = _config(tree, "--get", "apply.whitespace")
    if ws in _WHITESPACE:
        said.append(f"apply.whitespace={ws} in git's config: git am there {_WHITESPACE[ws]}; seamharness applies as "
                    "git am --whitespace=warn does, so its files may not be git am's")
    if _config(tree, "--type=bool", "--get", "am.threeWay") == "true":
        said.append("am.threeWay in git's config: git am there merges a patch that does not apply on the blobs its "
                    "index lines name; seamharness does not, so a file it says is unusable may be one git am writes")
    return tuple(said)


def scissors_notes(reading: AmReading, patches: Iterable[tuple[str, Where, str]]) -> list[tuple[Where, str]]:
    """Under mailinfo.scissors, each patch (label, where, commit message) whose message holds a scissors line, with
    why it is said: git am there commits what follows that line (its in-body From: and Subject: too), seamharness
    reads the whole message."""
    from harness.attribution import is_scissors

    if not reading.scissors:
        return []
    return [(where, f"mailinfo.scissors in the --tree's git config: git am there commits only what {label}'s "
                    "message holds below its scissors line (an in-body From: or Subject: there too); seamharness "
                    "reads the whole message, so its title, author and trailers may not be the ones git am commits")
            for label, where, message in patches if any(is_scissors(ln) for ln in message.splitlines())]
