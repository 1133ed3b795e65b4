"""A lock one .c file defines and another uses through an extern declaration, against gcc.

A lock one .c file of the variant defines (``DEFINE_MUTEX(m)``, a struct holding one, or a plain ``struct mutex m;``
an init function may set up) and another uses through a header's ``extern`` declaration runs in the mirror, which
reads every file of the variant; the native build from the text built the using unit alone, so the linker found no
``m`` and every such entry point fell back to the mirror's expansion (not an independent check). The defining file
is now linked in as kbuild links the other object (harness raw build, models/native/rawtu.py ``_linked_file()``),
and it registers its file-scope locks, so a lock it leaves to an init function is taken as initialised natively too,
as the mirror takes it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.runner import MatrixRequest, run_matrix
from harness.variants import Variant
from models.native.run import find_compiler

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

MATRIX = ('[codes]\nOK = 0\nBIG = 0x8000020300000043\n[leaves]\nONE = 1\n[[unit]]\nname = "use.c"\n'
          'path = "demo/use.c"\n[[unit]]\nname = "def.c"\npath = "demo/def.c"\n[[entry]]\nname = "busy"\n'
          'units = ["use.c"]\n[[script]]\nname = "ok"\nanswers = ["OK"]\n[[script]]\nname = "big"\nanswers = ["BIG"]\n')

USE = """\
#include "shared.h"

long long busy(u64 fn, struct tdx_module_args *args)
{
	long long r = 0;

	BODY
	return r * 10 + (long long)(__seamcall(fn, args) & 1);
}
"""


@pytest.mark.parametrize(("decl", "definition", "body", "want", "events"), [
    ("extern struct mutex xl_lock;", "DEFINE_MUTEX(xl_lock);",
     "mutex_lock(&xl_lock);\n\tr = mutex_is_locked(&xl_lock);\n\tmutex_unlock(&xl_lock);", 1,
     ["xl_lock acquired", "xl_lock released"]),
    # no initialiser: an init function may have run (the mirror's 'taken as initialised'); the native build said
    # 'used uninitialised' until the linked file registered its lock
    ("extern struct mutex xl_lock;", "struct mutex xl_lock;",
     "mutex_lock(&xl_lock);\n\tr = mutex_is_locked(&xl_lock);\n\tmutex_unlock(&xl_lock);", 1,
     ["xl_lock taken as initialised (no DEFINE_MUTEX() or mutex_init() in the run: an init function may have run "
      "before)", "xl_lock acquired", "xl_lock released"]),
    ("struct xl_dev { int n; struct mutex lock; };\nextern struct xl_dev xl_devs[2];",
     "struct xl_dev xl_devs[2] = { [1] = { .n = 4, .lock = __MUTEX_INITIALIZER(xl_devs[1].lock) } };",
     "guard(mutex)(&xl_devs[1].lock);\n\tr = xl_devs[1].n + mutex_is_locked(&xl_devs[1].lock) * 10;", 14,
     ["xl_devs[1].lock acquired", "xl_devs[1].lock released"]),
    ("extern spinlock_t xl_sl;", "DEFINE_SPINLOCK(xl_sl);",
     "scoped_guard(spinlock_irqsave, &xl_sl)\n\t\tr = spin_is_locked(&xl_sl) + irqs_disabled() * 2;", 3, None),
])
def test_a_lock_another_unit_defines_runs_natively_from_the_text(tmp_path: Path, decl: str, definition: str,
                                                                 body: str, want: int, events: list[str] | None
                                                                 ) -> None:
    files = (full_file("demo/shared.h", "#include <linux/mutex.h>\n" + decl + "\n", "t"),
             full_file("demo/def.c", '#include "shared.h"\n\n' + definition + "\n", "t"),
             full_file("demo/use.c", USE.replace("BODY", body), "t"))
    (tmp_path / "m.toml").write_text(MATRIX)
    result = run_matrix(MatrixRequest((Variant("xl", "xl", files, (), (), (), "t"),),
                                      load_matrix(tmp_path / "m.toml"), jobs=1, time_budget=0))
    ok, big = (result.outcome("xl", f"busy/ONE/{s}/use.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (want * 10, want * 10 + 1), (ok.error, big.error)
    if events is not None:
        assert [e.detail for e in ok.events if e.kind == "lock"] == events
    r = crosscheck_result(result, find_compiler(None))
    assert r.fallback["xl"] == [] and r.raw_compared["xl"] == 2, r.fallback
    assert r.disagreements == [], [d.divergence for d in r.disagreements]
