"""lockdep's lock classes as a boot of many translation units has them: which are one unit's, which the kernel's.

A static initialiser's key is the object (kernel/locking/lockdep.c register_lock_class() keys a static object by its
address): a header's static lock is one object per unit including the header (C11 6.2.2p3), a .c file's static or
an extern one the kernel's one. A mutex_init() line's key is a static in its expansion (include/linux/mutex.h): one
per unit in a header's static inline code, one in a .c file's. models.lockdep.unit_mark() says which in the class
texts run_deps() hands to harness.lockboot, which joins every unit's runs."""

from __future__ import annotations

from models.loader import EntryPoint, Source
from models.lockdep import PER_OBJECT, PER_TEXT, PER_UNIT
from models.machine import Answer
from models.mirror import RunRequest, load_mirror

HEADER = """\
static DEFINE_MUTEX(u_hdr);

static inline void u_init(struct mutex *m)
{
	mutex_init(m);
}

static inline void u_hfs(void)
{
	static DEFINE_MUTEX(u_hs);

	mutex_lock(&u_hs);
	mutex_unlock(&u_hs);
}
"""
UNIT = """\
static DEFINE_MUTEX(u_own);
DEFINE_MUTEX(u_ext);
struct mutex u_i1, u_i2;

long long u_entry(u64 fn, struct tdx_module_args *args)
{
	static DEFINE_MUTEX(u_fs);

	mutex_init(&u_i1);
	u_init(&u_i2);
	mutex_lock(&u_hdr);
	mutex_lock(&u_own);
	mutex_lock(&u_ext);
	mutex_lock(&u_i1);
	mutex_lock(&u_i2);
	mutex_lock(&u_fs);
	u_hfs();
	mutex_unlock(&u_fs);
	mutex_unlock(&u_i2);
	mutex_unlock(&u_i1);
	mutex_unlock(&u_ext);
	mutex_unlock(&u_own);
	mutex_unlock(&u_hdr);
	return 0;
}
"""


def _classes(unit: str = UNIT) -> dict[str, str]:
    """Each lock the run took while holding another or holding one, by name, and its class's key as run_deps()
    gives it."""
    sources = (Source("demo/u.h", ((1, tuple(HEADER.split("\n"))),), True),
               Source("demo/u.c", ((1, tuple(unit.split("\n"))),), True))
    mirror = load_mirror(sources, (EntryPoint("u_entry", ("fn", "args")),))
    out = mirror.run(RunRequest("u_entry", 0, (Answer(0),), ""))
    assert out.status == "ok", out.error
    deps = [d for d in mirror.last_deps if not d[1].startswith("\x1e")]
    return {**{held: old.split("\x1f")[2] for old, _, held, _, _ in deps},
            **{taken: new.split("\x1f")[2] for _, new, _, taken, _ in deps}}


def test_a_class_is_one_units_where_c_makes_it_so() -> None:
    keys = _classes()
    assert keys["u_hdr"] == f"own@u_hdr{PER_UNIT}demo/u.c"  # a header's static: the unit the code ran in
    assert keys["u_own"] == "own@u_own" and keys["u_ext"] == "own@u_ext"  # a .c file's, static or not
    assert keys["u_i1"] == f"init@demo/u.c:{UNIT.split(chr(10)).index(chr(9) + 'mutex_init(&u_i1);') + 1}"
    assert keys["u_i2"] == f"init@demo/u.h:5{PER_UNIT}demo/u.c"  # the header's static inline init, run in u.c
    # a .c file's function's static is one object, named by its text: its declaration tells it from others so named
    at = UNIT.split(chr(10)).index(chr(9) + "static DEFINE_MUTEX(u_fs);") + 1
    assert keys["u_fs"] == f"own@{PER_OBJECT}demo/u.c:{at}"
    hs = HEADER.split(chr(10)).index(chr(9) + "static DEFINE_MUTEX(u_hs);") + 1
    assert keys["u_hs"] == f"own@{PER_OBJECT}demo/u.h:{hs}{PER_UNIT}demo/u.c"  # a header function's: one per unit


def test_a_lock_that_is_no_static_object_is_named_by_its_text() -> None:
    # an automatic lock: named by the text that reached it, which two units may spell alike for two objects
    code = UNIT.replace("\tstatic DEFINE_MUTEX(u_fs);\n", "\tDEFINE_MUTEX(u_fs);\n")
    assert _classes(code)["u_fs"] == f"own@u_fs{PER_TEXT}demo/u.c"
