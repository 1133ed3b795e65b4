"""crosscheck: a run whose locks a header's mutex_init() line set up from two units is not compared (one copy).

gcc compiles a header's `static inline` function into each .c file that includes it, and the `static struct
lock_class_key __key` of its mutex_init() expansion (include/linux/mutex.h) with it: locks it sets up from two units
are two lockdep classes (kernel/locking/lockdep.c keys a class by the key's address). The native build is one
program, one copy of each header function, so one key: such a run is skipped with the reason, never counted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harness.crosscheck import crosscheck_result
from harness.filestate import full_file
from harness.matrix import load_matrix
from harness.runner import MatrixRequest, MatrixResult, run_matrix
from harness.variants import Variant

HEADER = "static inline void ui_init(struct mutex *m)\n{\n\tmutex_init(m);\n}\n"
A_C = ('#include "ui.h"\nstruct mutex ui_x, ui_y;\nvoid ui_init_y(void);\n\n'
       "long ui_entry(u64 fn, struct tdx_module_args *args)\n{\n\tui_init(&ui_x);\n\tui_init_y();\n"
       "\tmutex_lock(&ui_x);\n\tmutex_lock(&ui_y);\n\tmutex_unlock(&ui_y);\n\tmutex_unlock(&ui_x);\n\treturn 0;\n}\n")
B_C = '#include "ui.h"\nextern struct mutex ui_y;\nvoid ui_init_y(void)\n{\n\tui_init(&ui_y);\n}\n'
ONE_KEY = "keeps its lock_class_key in a static per translation unit"


def _matrix(tmp_path: Path, files: dict[str, str]) -> MatrixResult:
    v = Variant("v", "v", tuple(full_file(p, text, "test") for p, text in files.items()), (), (), (), "t")
    (tmp_path / "m.toml").write_text('[codes]\nOK = 0\n[leaves]\nONE = 1\n[[unit]]\nname = "a.c"\n'
                                     'path = "demo/a.c"\n[[entry]]\nname = "ui_entry"\n[[script]]\nname = "ok"\n'
                                     'answers = ["OK"]\n')
    return run_matrix(MatrixRequest((v,), load_matrix(tmp_path / "m.toml"), jobs=1))


def _cc() -> str:
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    return cc


def test_locks_a_headers_init_line_set_up_from_two_units_are_not_compared(tmp_path: Path) -> None:
    # the mirror: ui_x (a.c's copy of ui_init()) and ui_y (b.c's) are two classes, nested with no report; the one
    # program's single key would make it lockdep's "possible recursive locking detected": skipped, with why
    result = _matrix(tmp_path, {"demo/ui.h": HEADER, "demo/a.c": A_C, "demo/b.c": B_C})
    [s] = result.matrix.scenarios
    out = result.outcome("v", s.id)
    assert out.status == "ok" and not [e for e in out.events if e.kind == "violation"], (out.error, out.events)
    r = crosscheck_result(result, _cc())
    assert r.compared.get("v", 0) == 0 and r.agreed.get("v", 0) == 0 and r.disagreements == [], \
        [d.divergence for d in r.disagreements]
    assert r.not_compared_runs["v"] == 1 and ONE_KEY in str(r.not_compared["v"]), r.not_compared
    assert r.exit_status == 1  # nothing compared: agreement is never claimed of nothing


def test_one_units_locks_of_a_headers_init_line_are_compared(tmp_path: Path) -> None:
    # every lock set up in a.c's copy: one key in both builds, lockdep's report in both, and gcc agrees
    one = A_C.replace("\tui_init_y();\n", "\tui_init(&ui_y);\n").replace("void ui_init_y(void);\n", "")
    result = _matrix(tmp_path, {"demo/ui.h": HEADER, "demo/a.c": one})
    [s] = result.matrix.scenarios
    assert any("possible recursive locking" in e.detail for e in result.outcome("v", s.id).events)
    r = crosscheck_result(result, _cc())
    assert r.compared["v"] == r.agreed["v"] == 1 and r.disagreements == [], \
        ([d.divergence for d in r.disagreements], r.not_compared)
    assert ONE_KEY not in str(r.not_compared), r.not_compared


def test_a_headers_static_lock_reached_from_two_units_is_not_compared(tmp_path: Path) -> None:
    # C11 6.2.2p3: a.c's and b.c's hs_lock are two mutexes, nested with no deadlock in the mirror; the one program
    # holds one, so it would deadlock: skipped with why (models.storage unit_slot(), tests/models/
    # test_header_statics_gcc.py)
    a_c = A_C.replace("\tui_init(&ui_x);\n\tui_init_y();\n\tmutex_lock(&ui_x);\n\tmutex_lock(&ui_y);\n"
                      "\tmutex_unlock(&ui_y);\n\tmutex_unlock(&ui_x);\n",
                      "\tmutex_lock(&hs_lock);\n\tui_init_y();\n\tmutex_unlock(&hs_lock);\n")
    b_c = '#include "ui.h"\nvoid ui_init_y(void)\n{\n\tmutex_lock(&hs_lock);\n\tmutex_unlock(&hs_lock);\n}\n'
    result = _matrix(tmp_path, {"demo/ui.h": "static DEFINE_MUTEX(hs_lock);\n", "demo/a.c": a_c, "demo/b.c": b_c})
    [s] = result.matrix.scenarios
    out = result.outcome("v", s.id)
    assert out.status == "ok" and not [e for e in out.events if e.kind == "violation"], (out.error, out.events)
    r = crosscheck_result(result, _cc())
    assert r.compared.get("v", 0) == 0 and r.disagreements == [], [d.divergence for d in r.disagreements]
    assert r.not_compared_runs["v"] == 1 and "a header's static object or lock" in str(r.not_compared["v"]), \
        r.not_compared
