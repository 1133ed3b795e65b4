"""A one-file tree whose seamcall_err() prints one line, and git format-patch's patch changing that line's format.

Written for these tests (nothing comes from the corpus): the patch is git's own, and ``edited`` is the same mail with
the line it removes changed by hand afterwards, as a mailer or a sender's editor may leave it: it no longer applies
to the very file its index line names.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.gitoracle import git_env

TDX_C = "arch/x86/virt/vmx/tdx/tdx.c"
LINE = '\tpr_err("SEAMCALL (0x%016llx) failed: 0x%016llx\\n", fn, err);\n'
TEXT = ("// SPDX-License-Identifier: GPL-2.0\n#include <linux/printk.h>\n\n"
        "static inline void seamcall_err(u64 fn, u64 err, struct tdx_module_args *args)\n{\n" + LINE + "}\n")


def _git(tree: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(tree), *args], check=True, capture_output=True, text=True,
                          env=git_env(tree.parent)).stdout


def print_patch(tmp: Path, after: str, text: str = TEXT) -> tuple[Path, Path]:
    """A tree at ``tmp/k`` holding TDX_C as ``text`` (one commit), and the patch git format-patch writes for ``text``
    with LINE made ``after`` (the tree is left at its base): (tree, patch)."""
    tree = tmp / "k"
    (tree / TDX_C).parent.mkdir(parents=True)
    (tree / TDX_C).write_text(text)
    _git(tree, "init", "-q")
    _git(tree, "add", TDX_C)
    _git(tree, "commit", "-qm", "x86/tdx: base")
    (tree / TDX_C).write_text(text.replace(LINE, after))
    _git(tree, "commit", "-qam", "x86/tdx: Print SEAMCALL failures otherwise")
    name = _git(tree, "format-patch", "-1", "-o", str(tmp)).strip()
    _git(tree, "reset", "-q", "--hard", "HEAD~1")
    return tree, Path(name)


def edited(patch: Path, old: str, new: str) -> Path:
    """The patch with ``old`` made ``new`` in the line it removes (its index line left as git wrote it)."""
    text = patch.read_text()
    removed = "-" + LINE
    assert removed in text and old in LINE
    out = patch.with_name("edited-" + patch.name)
    out.write_text(text.replace(removed, "-" + LINE.replace(old, new)))
    return out
