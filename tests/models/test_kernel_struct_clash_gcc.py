"""A patch that defines atomic_t, spinlock_t or struct list_head again: refused, as gcc refuses it beside the headers.

The kernel's headers define them (include/linux/types.h: atomic_t, atomic64_t, struct list_head, hlist_head,
hlist_node, callback_head; spinlock_types.h, spinlock_types_raw.h, mutex_types.h), and every unit reads them: a second
``typedef struct { int counter; } atomic_t;`` is gcc's "conflicting types", ``struct list_head { ... };``
"redefinition". The prelude gives atomic_t and spinlock_t structs of its own (``struct __sh_atomic``), which the
round-68 typedef check left alone, and no list_head at all: before, such code ran with the patch's type. The oracle is
gcc -fsyntax-only below a header of ours holding what those kernel headers define (their shapes, not their text):
the same code builds or not, and the mirror refuses or runs it alike.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import PATH, run

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"
# the kernel's definitions of these, as x86-64 builds them (members as the headers name them)
_HEADERS = """\
typedef unsigned long long u64;
typedef long long s64;
typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic64_t;
struct list_head { struct list_head *next, *prev; };
struct hlist_head { struct hlist_node *first; };
struct hlist_node { struct hlist_node *next, **pprev; };
struct callback_head { struct callback_head *next; void (*func)(struct callback_head *head); };
typedef struct raw_spinlock { unsigned int raw_lock; } raw_spinlock_t;
typedef struct spinlock { struct raw_spinlock rlock; } spinlock_t;
struct mutex { long owner; };
struct tdx_module_args { u64 rcx; };
"""
GCC = shutil.which("gcc")
needs_gcc = pytest.mark.skipif(GCC is None, reason="needs gcc, the oracle")

CLASHES = {
    "atomic_t": ("typedef struct { int counter; } atomic_t;\n", "conflicting types for 'atomic_t'"),
    "atomic64_t": ("typedef struct { long long counter; } atomic64_t;\n", "conflicting types for 'atomic64_t'"),
    "spinlock_t": ("typedef struct { int locked; } spinlock_t;\n", "conflicting types for 'spinlock_t'"),
    "spinlock_t-other-tag": ("struct my_lock { int x; };\ntypedef struct my_lock spinlock_t;\n",
                             "conflicting types for 'spinlock_t'"),
    "raw_spinlock_t": ("typedef int raw_spinlock_t;\n", "conflicting types for 'raw_spinlock_t'"),
    "list_head": ("struct list_head { struct list_head *next, *prev; };\n", "redefinition of 'struct list_head'"),
    "list_head-other": ("struct list_head { void *a; };\n", "redefinition of 'struct list_head'"),
    "hlist_node": ("struct hlist_node { struct hlist_node *next; };\n", "redefinition of 'struct hlist_node'"),
    "spinlock-tag": ("typedef struct spinlock { int x; } spinlock_t;\n", "conflicting types for 'spinlock_t'"),
}
BUILT = {
    "spinlock_t-same": "typedef struct spinlock spinlock_t;\n",
    "forward": "struct list_head;\nstatic struct list_head *head;\n",
    "other-name": "typedef struct { int counter; } my_atomic_t;\nstruct my_list_head { void *a; };\n",
    "member": "struct holder { struct list_head node; atomic_t refs; spinlock_t lock; };\n",
}


def _builds(tmp_path: Path, code: str) -> bool:
    assert GCC is not None
    src = tmp_path / "prog.c"
    src.write_text(_HEADERS + code + F % "0")
    return subprocess.run([GCC, "-fsyntax-only", str(src)], capture_output=True).returncode == 0


@needs_gcc
@pytest.mark.parametrize("name", CLASHES)
def test_a_kernel_type_defined_again_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    code, said = CLASHES[name]
    assert not _builds(tmp_path, code)
    out = run(code + F % "0")
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:") and said in (out.error or ""), out.error


@needs_gcc
@pytest.mark.parametrize("name", BUILT)
def test_what_builds_beside_them_runs(tmp_path: Path, name: str) -> None:
    assert _builds(tmp_path, BUILT[name])
    out = run(BUILT[name] + F % "5")
    assert (out.status, out.ret) == ("ok", 5), out.error
