"""A name a patch defines in two files: what moved is matched by content, in any path order.

A name a patch defines in two files (a helper moved out of line into a .c file, an #else stub left in its header):
what moved is matched by content, the same in git's order of paths and in the other (git format-patch -O)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gitoracle import git, init_repo
from tests.harness.movesgate import moves_gate

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")  # the oracle

HEAD = "u64 __seamcall(u64 fn, struct tdx_module_args *args);\n\n"
ARGS = "(u64 fn,\n\t\t\t\t\t  struct tdx_module_args *args)\n"
BODY = ("{\n\tint tries = 3;\n\tu64 ret;\n\n\tdo {\n\t\tret = __seamcall(fn, args);\n"
        "\t} while (ret == 0x10 && --tries);\n\n\treturn ret ? -EIO : 0;\n}\n")
INLINE = "/* d */\n" + HEAD + "static __always_inline int demo_prerr" + ARGS + BODY
# After the move: a prototype where the config builds the .c file, and a stub (a definition of the same name, in
# the header the body left) where it does not.
STUBBED = ("/* d */\n" + HEAD + "#ifdef CONFIG_DEMO\nint demo_prerr(u64 fn, struct tdx_module_args *args);\n#else\n"
           "static inline int demo_prerr(u64 fn, struct tdx_module_args *args)\n{\n\treturn -ENODEV;\n}\n#endif\n")
MATRIX = ('[codes]\nOK = 0\nBUSY = 0x10\nBAD = 0x20\n[leaves]\nONE = 1\n[[unit]]\nname = "u"\n[[entry]]\n'
          'name = "demo_prerr"\nargs = ["fn", "args"]\n[[script]]\nname = "bad"\nanswers = ["BAD"]\n')


def _series(tmp_path: Path, order: str | None) -> Path:
    """The two patches (add the inline helper; move it out of line, returning -EFAULT where it returned -EIO, a stub
    left in the header) as git format-patch writes them, its files in git's order or in ``order`` (-O)."""
    repo = init_repo(tmp_path / "repo", {"d/Makefile": "obj-y += y.o\n"})
    (repo / "d/h.h").write_text(INLINE)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo: add demo_prerr()")
    (repo / "d/h.h").write_text(STUBBED)
    (repo / "d/a.c").write_text('#include "h.h"\n\nint demo_prerr' + ARGS + BODY.replace("-EIO", "-EFAULT"))
    (repo / "d/Makefile").write_text("obj-y += a.o y.o\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo: move demo_prerr() out of line\n\nNo functional change intended.")
    out = tmp_path / "patches"
    extra = []
    if order is not None:
        (tmp_path / "order").write_text(order)
        extra = ["-O", str(tmp_path / "order")]
    git(repo, "format-patch", "-q", *extra, "-o", str(out), "HEAD~2")
    return out


@pytest.mark.parametrize("order", [None, "d/h.h\nd/a.c\n*\n"], ids=["git's order", "header first"])
def test_a_move_with_a_stub_left_behind_is_judged_in_either_order_of_files(tmp_path: Path, order: str | None) -> None:
    # The last file git listed defining demo_prerr was the one its move went to: in git's order (d/a.c, then d/h.h)
    # the stub's header, the file the body left, and the move read as an edit in place; the changed return
    # value went unjudged (n/a, exit 0), while with the header listed first the same patch failed.
    patches = _series(tmp_path, order)
    diff = next(p for p in sorted(patches.iterdir()) if "move" in p.name).read_text()
    first = "d/h.h" if order else "d/a.c"
    assert diff.index(f"diff --git a/{first}") < diff.index("diff --git a/d/" + ("a.c" if order else "h.h"))
    code, rule, output = moves_gate(tmp_path, patches, MATRIX)
    assert rule["verdict"] == "fail" and code == 1, (rule, output)
    assert "02/2 moves demo_prerr" in rule["evidence"][0]["expected"], rule["evidence"]
    assert "return -EIO -> -EFAULT" in rule["evidence"][0]["actual"], rule["evidence"]
