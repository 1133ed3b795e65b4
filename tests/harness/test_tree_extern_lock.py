"""With --tree, an extern lock a .c file of the tree defines is taken from the tree.

With --tree, a lock a patched header declares ``extern`` (``extern struct mutex demo_lock;``) and a .c file no
patch touches defines is taken from the tree, as the linker takes it: every run is a fresh boot with one task, so
the lock is free when the run starts, and its definition says whether it was initialised (``DEFINE_MUTEX()``, or a
plain ``struct mutex`` an init function may set up: taken as initialised, said), as for a lock of the state's own
files. It was refused at its first use ('declared extern ... and defined in no file the mirror has'), so a patch
that changes nothing around it could not pass. A static one of that file, or a pointer, is not taken. A
file of another folder is found by git grep, a definition in a list (``struct mutex a, demo_lock;``) too."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.variantgen import RETRY_C, tree_rule_gate

BEFORE = "#include <linux/mutex.h>\nextern DECL;\n" + RETRY_C.replace("TRIES", "3").replace("FMT", "%llu").replace(
    "\tu64 ret = demo_retry(fn, args);", "\tu64 ret;\n\n\tguard(mutex)(USE);\n\tret = demo_retry(fn, args);")
# the patch changes nothing the code does: a comment
AFTER = BEFORE.replace("\tu64 ret;\n", "\tu64 ret; /* under the lock */\n")


def _gate(tmp: Path, decl: str, use: str, definition: str) -> tuple[VerdictStatus, str]:
    before = BEFORE.replace("DECL", decl).replace("USE", use)
    v = tree_rule_gate(tmp, before, AFTER.replace("DECL", decl).replace("USE", use),
                       others={"demo/Makefile": "obj-y += demo.o lock.o\n",
                               "demo/lock.c": '#include "h.h"\n\n' + definition + "\n"})
    return v.status, v.note


@pytest.mark.parametrize("definition", ["DEFINE_MUTEX(demo_lock);", "struct mutex demo_lock;"])
def test_a_lock_the_trees_other_file_defines_is_taken_as_the_linker_takes_it(tmp_path: Path, definition: str) -> None:
    status, note = _gate(tmp_path, "struct mutex demo_lock", "&demo_lock", definition)
    assert status is VerdictStatus.PASS, note


@pytest.mark.parametrize(("decl", "use", "definition"), [
    ("struct mutex demo_lock", "&demo_lock", "static DEFINE_MUTEX(demo_lock);"),  # its file's own: no link
    ("struct mutex *demo_lockp", "demo_lockp", "DEFINE_MUTEX(demo_real);\nstruct mutex *demo_lockp = &demo_real;"),
])
def test_a_static_lock_or_a_pointer_is_not_taken(tmp_path: Path, decl: str, use: str, definition: str) -> None:
    status, note = _gate(tmp_path, decl, use, definition)
    assert status is VerdictStatus.INCONCLUSIVE and "defined in no file the mirror has" in note, note


def _gate_elsewhere(tmp: Path, definition: str) -> tuple[VerdictStatus, str]:
    """As _gate, the lock defined in a .c file of another folder: found by git grep for its definition."""
    before = BEFORE.replace("DECL", "struct mutex demo_lock").replace("USE", "&demo_lock")
    after = AFTER.replace("DECL", "struct mutex demo_lock").replace("USE", "&demo_lock")
    v = tree_rule_gate(tmp, before, after, others={"demo/Makefile": "obj-y += demo.o\n",
                                                   "locks/Makefile": "obj-y += lock.o\n",
                                                   "locks/lock.c": '#include "../demo/h.h"\n\n' + definition + "\n"})
    return v.status, v.note


@pytest.mark.parametrize("definition", [
    "struct mutex demo_lock;",
    "struct mutex demo_lock, demo_other;",
    "struct mutex demo_other, demo_lock;",
    "struct mutex demo_other[2], *demo_p, demo_lock;",
    "int demo_n = 1, demo_m = 2;\nstruct mutex demo_other, demo_lock;",
])
def test_a_lock_another_folder_defines_in_a_list_is_found(tmp_path: Path, definition: str) -> None:
    # a list's names (C11 6.7: init-declarator-list) each define an object, as one declaration each
    status, note = _gate_elsewhere(tmp_path, definition)
    assert status is VerdictStatus.PASS, note
