"""Locks used without their initialiser, as the debug kernel's magic check reports them.

Locks used without their initialiser (no DEFINE_MUTEX()/DEFINE_SPINLOCK(), no mutex_init()/spin_lock_init()):
CONFIG_DEBUG_MUTEXES / CONFIG_DEBUG_SPINLOCK's magic check, as the mirror and the native harness report it."""

from __future__ import annotations

from pathlib import Path

from harness.crosscheck import ORIGINAL, crosscheck_result
from models.lockdep import LOCKDEP_OFF
from models.native.run import find_compiler
from models.outcome import ErrorKind
from tests.harness.variantgen import header_result
from tests.models.cprog import line_of, run

UNINIT_H = """\
struct ul_dev {
	struct mutex lock;
	spinlock_t sl;
	int n;
};
static struct ul_dev dev;
static struct mutex ul_plain;
static DEFINE_MUTEX(ul_big);
static DEFINE_SPINLOCK(ul_spin);

static void ul_setup(struct ul_dev *d)
{
	spin_lock_init(&d->sl);
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	struct ul_dev zeroed = {};
	struct ul_dev local = {};
	u64 ret = __seamcall(fn, args);
	int n = 0;

	mutex_lock(&ul_big);
	scoped_guard(spinlock, &ul_spin)
		n++;
	mutex_unlock(&ul_big);
	mutex_lock(&ul_plain);
	mutex_unlock(&ul_plain);
	mutex_lock(&ul_plain);
	mutex_unlock(&ul_plain);
	scoped_guard(mutex, &dev.lock)
		n += 2;
	if (ret & 1)
		ul_setup(&zeroed);
	spin_lock(&zeroed.sl);
	n += 10;
	spin_unlock(&zeroed.sl);
	mutex_init(&local.lock);
	guard(mutex)(&local.lock);
	n += mutex_trylock(&zeroed.lock) * 100;
	mutex_unlock(&zeroed.lock);
	return n;
}
"""


def test_uninitialised_locks_are_reported_as_gcc_runs_them(tmp_path: Path) -> None:
    result = header_result(tmp_path, "ul", "demo/ul.h", UNINIT_H, 0x8000020300000043)
    ok, big = (result.outcome("ul", f"busy/ONE/{s}/demo.c") for s in ("ok", "big"))
    assert (ok.ret, big.ret) == (113, 113), (ok.error, big.error)
    noted = [e.detail.split(" ")[0] for e in ok.events if "taken as initialised" in e.detail]
    # File-scope locks without DEFINE_*(): an init function may have run before the entry point; said once per lock.
    assert noted == ["ul_plain", "dev.lock"], ok.events
    # An automatic one is certain: the first is reported (debug_locks_off() turns the checks off after it).
    violations = [(e.detail, e.where) for e in ok.events if e.kind == "violation"]
    line = line_of(UNINIT_H, "spin_lock(&zeroed.sl)")
    assert violations == [("lock zeroed.sl used uninitialised (no DEFINE_SPINLOCK() or spin_lock_init()): "
                           "spinlock bad magic" + LOCKDEP_OFF, f"demo/ul.h:{line}")], violations
    line = line_of(UNINIT_H, "mutex_trylock(&zeroed.lock)")
    assert [(e.detail, e.where) for e in big.events if e.kind == "violation"] == [
        ("lock zeroed.lock used uninitialised (no DEFINE_MUTEX() or mutex_init()): "
         "DEBUG_LOCKS_WARN_ON(lock->magic != lock)" + LOCKDEP_OFF, f"demo/ul.h:{line}")], big.events
    for source in (ORIGINAL, "mirror"):
        r = crosscheck_result(result, find_compiler(None), source=source)
        assert r.disagreements == [], (source, [d.divergence for d in r.disagreements])
        assert source != ORIGINAL or r.raw_compared["ul"] == 2, r.raw_compared


def test_an_automatic_lock_never_initialised_is_refused_where_it_is_used() -> None:
    code = ("long f(u64 fn, struct tdx_module_args *args)\n{\n\tstruct mutex m;\n\n\tmutex_lock(&m);\n"
            "\tmutex_unlock(&m);\n\treturn 0;\n}\n")
    out = run(code)
    assert out.status == "error" and (out.error or "").startswith(
        "test/prog.c:5: lock m is used before mutex_init(): an automatic object's lock holds indeterminate"), out.error
    out = run(code.replace("\tstruct mutex m;\n", "\tstruct mutex m;\n\n\tmutex_init(&m);\n"))
    assert out.status == "ok" and not [e for e in out.events if e.kind == "violation"], (out.error, out.events)


def test_static_initialisers_of_the_kernel_are_initialised() -> None:
    code = ("struct s { struct mutex lock; spinlock_t sl; };\n"
            "static struct s obj = { .lock = __MUTEX_INITIALIZER(obj.lock), .sl = __SPIN_LOCK_UNLOCKED(obj.sl) };\n"
            "long f(u64 fn, struct tdx_module_args *args)\n{\n\tmutex_lock(&obj.lock);\n\tspin_lock(&obj.sl);\n"
            "\tspin_unlock(&obj.sl);\n\tmutex_unlock(&obj.lock);\n\treturn 0;\n}\n")
    out = run(code)
    assert out.status == "ok" and not [e for e in out.events if "initialised" in e.detail], (out.error, out.events)


def test_the_magic_is_one_value_for_the_prelude_the_mirror_and_the_native_harness() -> None:
    from importlib import resources

    from models.locking import LOCK_MAGIC
    from models.prelude import prelude_bodies

    magic = f"{LOCK_MAGIC:#x}"
    assert prelude_bodies()["DEFINE_MUTEX"].endswith(f"{{ {magic} }}")
    assert f"#define SH_LOCK_MAGIC {magic}" in resources.files("models.native").joinpath("sh_native.c").read_text()


DANGLING = """\
long long f(u64 fn, struct tdx_module_args *args)
{
	TYPE *p;

	{
		TYPE m;

		INIT(&m);
		p = &m;
	}
	return (long long)USE(p);
}
"""


def test_a_lock_used_after_its_block_was_left_is_undefined_behaviour_not_an_uninitialised_lock() -> None:
    # The lock was initialised: its object's lifetime ended (C11 6.2.4p2), and a pointer outliving it reads what gcc
    # left on the stack. A run-time error of the C, as a read of any scalar of it is, never "used before mutex_init()".
    for ty, init, use in (("struct mutex", "mutex_init", "mutex_trylock"),
                          ("spinlock_t", "spin_lock_init", "spin_trylock"),
                          ("struct mutex", "mutex_init", "mutex_is_locked"),
                          ("spinlock_t", "spin_lock_init", "spin_is_locked")):
        code = DANGLING.replace("TYPE", ty).replace("INIT", init).replace("USE", use)
        out = run(code)
        assert (out.status, out.error_kind) == ("error", ErrorKind.RUNTIME), (use, out.error)
        assert out.error == (f"test/prog.c:{line_of(code, 'return')}: 'lock m' is read through a pointer after its "
                             f"lifetime ended (declared at test/prog.c:{line_of(code, 'TYPE m;'.replace('TYPE', ty))}, "
                             "its block was left, C11 6.2.4p2): undefined behaviour"), out.error


def test_a_lock_declared_extern_and_defined_in_no_file_is_refused_as_such() -> None:
    # Another unit defines it, and initialises it or not, and may hold it: not an automatic object's bytes.
    for decl, lock in (("extern struct mutex ext_m;", "ext_m"), ("extern spinlock_t ext_m;", "ext_m"),
                       ("struct ext_h { int a; struct mutex lock; };\nextern struct ext_h ext_x;", "ext_x.lock")):
        op = "mutex" if "mutex" in decl else "spin"
        for use in (f"{op}_lock(&{lock}); {op}_unlock(&{lock}); return 0;", f"return {op}_is_locked(&{lock});"):
            code = f"{decl}\nlong long f(u64 fn, struct tdx_module_args *args)\n{{\n\t{use}\n}}\n"
            out = run(code)
            assert (out.status, out.error_kind) == ("error", ErrorKind.UNSUPPORTED), (code, out.error)
            name = lock.partition(".")[0]
            assert out.error == (f"test/prog.c:{line_of(code, use)}: reading 'lock {lock}': {name} is declared extern "
                                 f"(test/prog.c:{line_of(code, 'extern')}) and defined in no file the mirror has, and "
                                 "the run has not written it: the value it holds when the code runs is not known"), \
                out.error
