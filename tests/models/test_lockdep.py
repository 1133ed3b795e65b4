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
from models.mirror import Outcome, RunRequest, load_mirror

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


def _classes(unit: str = UNIT, header: str = HEADER) -> dict[str, str]:
    """Each lock the run took while holding another or holding one, by name, and its class's key as run_deps()
    gives it."""
    sources = (Source("demo/u.h", ((1, tuple(header.split("\n"))),), True),
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


def test_a_lock_in_a_functions_static_struct_is_its_declarations_member() -> None:
    # static struct { struct mutex a, b; } st: each member is one object, the declaration's (lockdep keys a static
    # object by its address), whatever text reached it; before, its text named it (PER_TEXT), as an automatic lock's
    decl = ("\tstatic struct { int n; struct mutex a, b; } u_st = { .a = __MUTEX_INITIALIZER(u_st.a), "
            ".b = __MUTEX_INITIALIZER(u_st.b) };\n")
    code = UNIT.replace("\tstatic DEFINE_MUTEX(u_fs);\n", decl + "\tstatic struct mutex u_sa[2] = "
                        "{ __MUTEX_INITIALIZER(u_sa[0]), __MUTEX_INITIALIZER(u_sa[1]) };\n")
    code = code.replace("\tmutex_lock(&u_fs);\n", "\tmutex_lock(&u_st.a);\n\tmutex_lock(&u_st.b);\n"
                        "\tmutex_lock(&u_sa[1]);\n")
    code = code.replace("\tmutex_unlock(&u_fs);\n", "\tmutex_unlock(&u_sa[1]);\n\tmutex_unlock(&u_st.b);\n"
                        "\tmutex_unlock(&u_st.a);\n")
    at = code.split(chr(10)).index(decl.rstrip(chr(10))) + 1
    keys = _classes(code)
    assert keys["u_st.a"] == f"own@{PER_OBJECT}demo/u.c:{at}.a", keys
    assert keys["u_st.b"] == f"own@{PER_OBJECT}demo/u.c:{at}.b", keys
    assert keys["u_sa[1]"] == f"own@{PER_OBJECT}demo/u.c:{at + 1}[1]", keys
    # a header function's: the declaration's member, one per unit
    header = HEADER.replace("\tstatic DEFINE_MUTEX(u_hs);\n", decl.replace("u_st", "u_hs")).replace(
        "\tmutex_lock(&u_hs);\n\tmutex_unlock(&u_hs);\n", "\tmutex_lock(&u_hs.b);\n\tmutex_unlock(&u_hs.b);\n")
    hs = header.split(chr(10)).index(decl.replace("u_st", "u_hs").rstrip(chr(10))) + 1
    assert _classes(UNIT, header)["u_hs.b"] == f"own@{PER_OBJECT}demo/u.h:{hs}.b{PER_UNIT}demo/u.c"


ONE_LINE = """\
#define U_TWO static DEFINE_MUTEX(u_c); static DEFINE_MUTEX(u_d)
long long u_entry(u64 fn, struct tdx_module_args *args)
{
	static DEFINE_MUTEX(u_a); static DEFINE_MUTEX(u_b);
	U_TWO;
	int i;

	for (i = 0; i < 2; i++) {
		mutex_lock(&u_a);
		mutex_lock(&u_b);
		mutex_lock(&u_c);
		mutex_lock(&u_d);
		mutex_unlock(&u_d);
		mutex_unlock(&u_c);
		mutex_unlock(&u_b);
		mutex_unlock(&u_a);
	}
	return 0;
}
"""


def test_two_static_locks_declared_on_one_line_are_two_classes() -> None:
    # Two function statics on one line, or from one expansion of a macro, are two objects: lockdep keys a static
    # object by its address (kernel/locking/lockdep.c register_lock_class()), so two classes and a -> b, c -> d
    # taken twice is one order, no report. Before, both were the line's one class: b taken while a held closed
    # "a -> b" on itself the second time round, a circular dependency lockdep never reports.
    keys = _classes(ONE_LINE)
    assert [keys[n] for n in ("u_a", "u_b", "u_c", "u_d")] == [
        f"own@{PER_OBJECT}demo/u.c:{line}#{n}" for line, n in ((4, 1), (4, 2), (5, 1), (5, 2))], keys
    assert _violations({"demo/u.c": ONE_LINE.replace("u_entry", "ui_entry")}) == ()
    # the other order of two of them is still lockdep's inversion
    inverted = ONE_LINE.replace("\treturn 0;", "\tmutex_lock(&u_d);\n\tmutex_lock(&u_a);\n\treturn 0;")
    assert [d.split(":")[1] for d in _violations({"demo/u.c": inverted.replace("u_entry", "ui_entry")})] == [
        " possible circular locking dependency detected"]


def test_a_lock_that_is_no_static_object_is_named_by_its_text() -> None:
    # an automatic lock: named by the text that reached it, which two units may spell alike for two objects
    code = UNIT.replace("\tstatic DEFINE_MUTEX(u_fs);\n", "\tDEFINE_MUTEX(u_fs);\n")
    assert _classes(code)["u_fs"] == f"own@u_fs{PER_TEXT}demo/u.c"


INITS_H = """\
static inline void ui_init(struct mutex *m)
{
	mutex_init(m);
}
"""
INITS_A = """\
struct mutex ui_x, ui_y;
void ui_init_y(void);

long long ui_entry(u64 fn, struct tdx_module_args *args)
{
	ui_init(&ui_x);
	ui_init_y();
	mutex_lock(&ui_x);
	mutex_lock(&ui_y);
	mutex_unlock(&ui_y);
	mutex_unlock(&ui_x);
	return 0;
}
"""


def _run(files: dict[str, str]) -> Outcome:
    sources = tuple(Source(path, ((1, tuple(text.split("\n"))),), True) for path, text in files.items())
    mirror = load_mirror(sources, (EntryPoint("ui_entry", ("fn", "args")),))
    return mirror.run(RunRequest("ui_entry", 0, (Answer(0),), ""))


def _violations(files: dict[str, str]) -> tuple[str, ...]:
    out = _run(files)
    assert out.status == "ok", out.error
    return tuple(e.detail for e in out.events if e.kind == "violation")


def test_a_headers_init_line_is_one_key_per_unit_within_a_run() -> None:
    # ui_init()'s mutex_init() has a static lock_class_key in each unit's copy of the static inline function: ui_x
    # set up by a.c's copy and ui_y by b.c's are two classes, nested with no report
    for b_init in ("ui_init", "mutex_init"):  # b.c's copy of the header's line, or a line of b.c's own
        b = f"void ui_init_y(void)\n{{\n\t{b_init}(&ui_y);\n}}\n"
        assert _violations({"demo/ui.h": INITS_H, "demo/a.c": INITS_A, "demo/b.c": b}) == ()
    # one unit's copy: ui_x and ui_y share the key, lockdep's "possible recursive locking detected"
    one = INITS_A.replace("\tui_init_y();\n", "\tui_init(&ui_y);\n").replace("void ui_init_y(void);\n", "")
    [report] = _violations({"demo/ui.h": INITS_H, "demo/a.c": one})
    assert report.startswith("lockdep: possible recursive locking detected: lock ui_y taken while the task holds "
                             "lock ui_x of its class"), report


def test_a_second_units_key_of_a_headers_init_line_is_in_the_state() -> None:
    # b.c's copy of ui_init()'s mutex_init() key: listed, so that the cross-check (one copy of each header function,
    # so one key) does not compare the run (tests/harness/test_crosscheck_lockkeys.py); a.c's first copy is not
    b = "void ui_init_y(void)\n{\n\tui_init(&ui_y);\n}\n"
    out = _run({"demo/ui.h": INITS_H, "demo/a.c": INITS_A, "demo/b.c": b})
    assert [x for x in out.state if "__key" in x[0]] == [("ui_init::__key in the unit of demo/b.c", "ui_y")]
    one = INITS_A.replace("\tui_init_y();\n", "\tui_init(&ui_y);\n").replace("void ui_init_y(void);\n", "")
    out = _run({"demo/ui.h": INITS_H, "demo/a.c": one})
    assert not [x for x in out.state if "__key" in x[0]], out.state


def test_a_headers_init_line_in_the_entry_points_unknown_unit_and_another_is_not_known() -> None:
    # the entry point is the header's own: its unit is whichever .c file includes it, which may be b.c, so ui_x and
    # ui_y may share the key (a report) or not
    entry = INITS_A.replace("struct mutex ui_x, ui_y;\n", "").replace("long long", "static inline long long")
    b = "struct mutex ui_x, ui_y;\nvoid ui_init_y(void)\n{\n\tui_init(&ui_y);\n}\n"
    out = _run({"demo/ui.h": INITS_H + entry, "demo/b.c": b})
    assert out.status == "error" and "is not known" in (out.error or ""), (out.status, out.error, out.events)
    assert "one in the entry point's unit and one in demo/b.c's" in (out.error or ""), out.error
