"""A header's file-scope ``static`` object is one per translation unit including it, against gcc.

C11 6.2.2p3: ``static int n;`` in a header gives each .c file including it an object of its own, and a static lock
there is a lock per unit (lockdep keys a static lock by its address). The mirror held one object for the whole run,
so a.c's write was read by b.c's code: a wrong value, a deadlock where two mutexes nest, and lockdep_assert_held()
passing in b.c while only a.c's lock is held. gcc builds the two units and links them (the oracle for the values);
the lockdep checks follow kernel/locking/lockdep.c (a static lock's class is its object's)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Outcome, RunRequest, load_mirror

HEADER = "static int hs_count = 2;\nstatic int hs_arr[2];\n"
A_C = """\
int hs_b(void);
int *hs_bp(void);

long long hs_entry(void)
{
	int x, y;

	hs_count = 5;
	hs_arr[1] = 4;
	x = hs_b();
	*hs_bp() = 7;
	y = hs_b();
	return hs_count * 10000 + x * 1000 + y * 100 + hs_arr[1] * 10 + hs_count;
}
"""
B_C = """\
int hs_b(void)
{
	hs_count = hs_count + 1;
	return hs_count + hs_arr[1];
}

int *hs_bp(void)
{
	return &hs_count;
}
"""


def _files(header: str, a: str, b: str) -> dict[str, str]:
    return {"demo/h.h": header, "demo/a.c": '#include "h.h"\n' + a, "demo/b.c": '#include "h.h"\n' + b}


def _mirror(files: dict[str, str]) -> Outcome:
    sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in files.items())
    return load_mirror(sources, (EntryPoint("hs_entry", ()),)).run(RunRequest("hs_entry", 0, (Answer(0),), ""))


@pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc, the oracle")
def test_each_unit_has_its_own_copy_of_a_headers_static_as_gcc_links_them(tmp_path: Path) -> None:
    for path, text in _files(HEADER, A_C, B_C).items():
        (tmp_path / Path(path).name).write_text(text)
    (tmp_path / "main.c").write_text('#include <stdio.h>\nlong long hs_entry(void);\n'
                                     'int main(void) { printf("%lld\\n", hs_entry()); return 0; }\n')
    subprocess.run(["gcc", "-O0", "-o", str(tmp_path / "p"), *(str(tmp_path / f) for f in ("main.c", "a.c", "b.c"))],
                   check=True, capture_output=True)
    native = int(subprocess.run([str(tmp_path / "p")], check=True, capture_output=True, text=True).stdout)
    out = _mirror(_files(HEADER, A_C, B_C))
    assert out.status == "ok", out.error
    assert out.ret == native == 5 * 10000 + 3 * 1000 + 8 * 100 + 4 * 10 + 5  # b.c: 2 + 1, then 7 + 1; a.c's stay
    assert ("hs_count in the unit of demo/b.c", "8") in out.state, out.state


LOCKS_H = "static DEFINE_MUTEX(hs_lock);\n"
LOCKS_A = """\
void hs_b(void);

long long hs_entry(void)
{
	mutex_lock(&hs_lock);
	hs_b();
	mutex_unlock(&hs_lock);
	return 0;
}
"""


@pytest.mark.parametrize(("body", "violations"), [
    # b.c's lock is another mutex: free, taken and released under a.c's; another class (lockdep: its address)
    ("mutex_lock(&hs_lock);\n\tmutex_unlock(&hs_lock);", []),
    ("struct mutex *m = &hs_lock;\n\n\tmutex_lock(m);\n\tmutex_unlock(m);", []),
    # only a.c's is held: lockdep_assert_held() of b.c's warns
    ("lockdep_assert_held(&hs_lock);", ["lockdep: lock hs_lock in the unit of demo/b.c is not held here"]),
])
def test_a_headers_static_lock_is_a_lock_per_unit(body: str, violations: list[str]) -> None:
    out = _mirror(_files(LOCKS_H, LOCKS_A, f"void hs_b(void)\n{{\n\t{body}\n}}\n"))
    assert out.status == "ok", out.error
    assert [e.detail for e in out.events if e.kind == "violation"] == violations
    # listed in the state: the native cross-check build has one copy of the header's objects (harness.crosscheck)
    assert [x for x, _ in out.state if x.startswith("hs_lock")] == ["hs_lock in the unit of demo/b.c"], out.state


def test_each_units_copy_of_a_headers_static_lock_is_that_units_class_whichever_comes_first() -> None:
    # the class boot joins (harness.lockboot) are the same in any run: the key is the object's, the mark its unit
    from models.lockdep import PER_UNIT

    files = _files(LOCKS_H, LOCKS_A, "void hs_b(void)\n{\n\tmutex_lock(&hs_lock);\n\tmutex_unlock(&hs_lock);\n}\n")
    sources = tuple(Source(p, ((1, tuple(t.split("\n"))),), True) for p, t in files.items())
    mirror = load_mirror(sources, (EntryPoint("hs_entry", ()),))
    assert mirror.run(RunRequest("hs_entry", 0, (Answer(0),), "")).status == "ok"
    [(old, new, held, taken, _)] = [d for d in mirror.last_deps if not d[1].startswith("\x1e")]
    assert (held, taken) == ("hs_lock", "hs_lock in the unit of demo/b.c")
    assert (old.split("\x1f")[2], new.split("\x1f")[2]) == (f"own@hs_lock{PER_UNIT}demo/a.c",
                                                            f"own@hs_lock{PER_UNIT}demo/b.c")


def test_one_unit_reaching_a_headers_static_lock_twice_is_one_lock() -> None:
    out = _mirror(_files(LOCKS_H, LOCKS_A.replace("\ths_b();\n", "\tmutex_lock(&hs_lock);\n"), ""))
    assert out.status == "error" and "deadlock: lock hs_lock is taken again" in str(out.error), out.error


def test_a_headers_const_static_is_read_as_one_object() -> None:
    # each unit's copy holds the same values for ever: one object, nothing in the state, the run cross-checked
    header = "static const int hs_count = 2;\nstatic int hs_arr[2];\n"
    a = "int hs_b(void);\n\nlong long hs_entry(void)\n{\n\treturn hs_count * 10 + hs_b();\n}\n"
    out = _mirror(_files(header, a, "int hs_b(void)\n{\n\treturn hs_count + 1;\n}\n"))
    assert (out.status, out.ret) == ("ok", 23), out.error
    assert not [x for x, _ in out.state if "in the unit of" in x], out.state
