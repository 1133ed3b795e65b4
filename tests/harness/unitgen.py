"""Series of our own that delete or rename a translation unit, mailed as git format-patch -M writes them.

The unit is a P-SEAMLDR wrapper file (tests.harness.seriesgen) whose scenarios run a header's printing helper:
its pr_fmt is what tells which file the run was built in.
"""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from tests.gitoracle import Change, format_patches
from tests.harness.seriesgen import NEW_HOME, RETRY_SAFE, WRAPPER, WRAPPER_C, helpers
from tests.mailgen import message

RENAMED = "arch/x86/virt/vmx/tdx/seamldr_calls.c"  # where a rename takes the unit
MAKEFILE = "arch/x86/virt/vmx/tdx/Makefile"  # what builds the unit: a rename renames its object too
HEADER = helpers(RETRY_SAFE)
# A matrix of our own: the wrapper file is a unit, and the header's printer runs in it.
MATRIX = f"""\
[codes]
OK = 0
FAIL = 0x8000000000000001
[leaves]
ONE = 1
[[unit]]
name = "ops.c"
path = "{WRAPPER}"
[[entry]]
name = "seamldr_prerr"
units = ["ops.c"]
[[entry]]
name = "seamldr_query"
units = ["ops.c"]
[[script]]
name = "fail"
answers = ["FAIL"]
"""
PRINTS = "seamldr_prerr/ONE/fail/ops.c"  # the printer's failing run: its log line shows the unit's pr_fmt


def mailed(tmp: Path, base: dict[str, str], changes: list[Change], version: int = 1) -> list[EmailMessage]:
    """``changes`` committed on ``base`` and mailed as ``[PATCH vN k/n]`` (git format-patch -M -C), threaded."""
    first = [Change("base", "The base.", {p: t.encode() for p, t in base.items()})] if base else []
    parts = format_patches(tmp, [*first, *changes])[len(first):]
    n = len(parts)
    cover = f"unit-cover-v{version}@example.org"
    msgs = [message(f"[PATCH v{version} 0/{n}] Units move", cover, "Cover letter of our own.\n")]
    for k, (title, log, patch) in enumerate(parts, start=1):
        body = (log + patch).decode()
        msgs.append(message(f"[PATCH v{version} {k}/{n}] {title}", f"unit-{k}-v{version}@example.org", body,
                            parent=cover, refs=(cover,)))
    return msgs


def wrapper(prefix: str = "seamldr-ops: ") -> str:
    return WRAPPER_C.replace('"seamldr-ops: "', f'"{prefix}"')


MAKEFILE_HEAD = "# SPDX-License-Identifier: GPL-2.0\n"


def makefile(path: str) -> str:
    return f"{MAKEFILE_HEAD}obj-y += {path.rsplit('/', 1)[1].removesuffix('.c')}.o\n"


def base_files() -> dict[str, str]:
    return {NEW_HOME: HEADER, WRAPPER: wrapper(), MAKEFILE: makefile(WRAPPER)}


def mail_base() -> dict[str, str]:
    """What a series read from mail alone starts on (committed, never mailed): the directory's Makefile is there,
    so that creating() adds a line to it; a patch creating it would make the directory new, and whether its
    parent's Makefile (no hunk of it) descends into it unknown (harness.linking)."""
    return {MAKEFILE: MAKEFILE_HEAD}


def creating() -> Change:
    """The base's files as a patch creates them (a series read from mail alone)."""
    return Change("x86/virt/seamldr: Add a query wrapper", "Ours.", {p: t.encode() for p, t in base_files().items()})


def deleting() -> list[Change]:
    """Patch 1 deletes the wrapper unit, nothing else."""
    return [Change("x86/virt/seamldr: Remove the query wrapper", "Nobody calls it.",
                   {WRAPPER: None, MAKEFILE: MAKEFILE_HEAD.encode()})]


def renaming(prefix: str | None = None) -> list[Change]:
    """Patch 1 renames the wrapper unit (its pr_fmt changed to ``prefix`` on the way, when given)."""
    files = {MAKEFILE: makefile(RENAMED).encode(), **({RENAMED: wrapper(prefix).encode()} if prefix else {})}
    return [Change("x86/virt/seamldr: Rename the query wrapper file", "A better name.", files,
                   renames={WRAPPER: RENAMED})]
