"""Code facts of the patched C: the names a function uses include the macros the preprocessor expands away."""

from __future__ import annotations

import pytest

from models.loader import EntryPoint, Source
from models.source import code_facts

CODE = """\
#define LDR_MASK	_BITUL(63)
#define LDR_NO_ENTROPY	0x8000000000030001ULL
#define IS_LDR(fn)	((fn) & LDR_MASK)

u64 __seamcall(u64 fn, struct tdx_module_args *args);

static inline bool is_ldr(u64 fn)
{
	return IS_LDR(fn);
}

static inline u64 retry(u64 fn, struct tdx_module_args *args)
{
	u64 code = 5;
	u64 ret;

	if (is_ldr(fn))
		code = LDR_NO_ENTROPY;
	ret = __seamcall(fn, args);
	return ret == code ? 0 : ret;
}
"""


def test_a_function_names_the_macros_it_uses_and_those_they_use() -> None:
    # not_referencing = ["LDR_MASK"] passed on code that used it: pycparser sees only (1UL << 63).
    src = (Source("d/h.h", ((1, tuple(CODE.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("retry"),))
    assert {"LDR_NO_ENTROPY"} <= facts.names["retry"] and "LDR_MASK" not in facts.names["retry"]
    assert {"IS_LDR", "LDR_MASK", "_BITUL"} <= facts.names["is_ldr"]  # the prelude's macro too
    users = [f for f in facts.reach("retry") if "LDR_MASK" in facts.names[f]]
    assert users == ["is_ldr"]


def test_a_function_like_macro_invoked_counts_as_a_call() -> None:
    # no_new_calls = ["local_irq_save", "seamldr_prerr"] passed on code that called both: expanded away.
    code = CODE + ("\n#define ldr_prerr(fn, args)\tretry((fn), (args))\n\nstatic int ldr_call(u64 fn, struct "
                   "tdx_module_args *args)\n{\n\tunsigned long flags;\n\tint ret;\n\n\tlocal_irq_save(flags);\n"
                   "\tret = ldr_prerr(fn, args);\n\tif (unlikely(ret))\n\t\tret = ldr_prerr(fn, args);\n"
                   "\tlocal_irq_restore(flags);\n\treturn ret;\n}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    calls = code_facts(src, (EntryPoint("ldr_call"),)).calls["ldr_call"]
    assert calls["ldr_prerr"] == 2 and calls["retry"] == 2
    assert calls["local_irq_save"] == 1 and calls["local_irq_restore"] == 1
    assert calls["unlikely"] == 1  # a kernel primitive the AST shows: counted once


def test_a_variable_set_inside_a_loop_is_set_by_that_statement() -> None:
    # set_together read only if/else and blocks: a retry_code overridden inside the retry loop, away from its
    # default, was set "in one place" (a pass), and one set only in the loop was "not set" (n/a).
    from harness.codechecks import _set_together

    code = CODE + ("\nstatic inline u64 loop(u64 fn, struct tdx_module_args *args)\n{\n\tu64 code = 5;\n"
                   "\tint left = 3;\n\tu64 ret;\n\n\tdo {\n\t\tif (is_ldr(fn))\n\t\t\tcode = LDR_NO_ENTROPY;\n"
                   "\t\tret = __seamcall(fn, args);\n\t} while (ret == code && --left);\n"
                   "\tfor (;;) {\n\t\tswitch (ret) {\n\t\tcase 1:\n\t\t\tleft = 1;\n\t\t\tbreak;\n\t\t}\n"
                   "\t\tbreak;\n\t}\n\treturn ret;\n}\n")
    src = (Source("d/h.h", ((1, tuple(code.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("loop"),))
    assert facts.setting_statements("loop", "code") == [0, 3]
    assert facts.setting_statements("loop", "ret") == [3]
    # The do/while's condition decrements left (--left): that statement sets it too.
    assert facts.setting_statements("loop", "left") == [1, 3, 4]
    assert _set_together(facts, "loop", "code")  # two statements between its default and its override


def test_a_function_shared_by_programs_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parsed definition is shared by every program whose code has it (models.cload's parse cache): what code_facts
    reads of it alone (its calls, the variables it sets, its retry role, what its calls pass) was read again for each
    program; now once, and each program's facts are what reading it gives (a later change of them is their own)."""
    import models.source as source

    read: list[int] = []
    sets = source._sets

    def counted(func: object) -> dict[str, list[int]]:
        read.append(id(func))
        return sets(func)  # type: ignore[arg-type]

    monkeypatch.setattr(source, "_sets", counted)
    one = (Source("d/h.h", ((1, tuple(CODE.splitlines())),), True),)
    two = (*one, Source("d/other.h", ((1, ("#define UNUSED 1",)),), True))  # another program, the same functions
    first = code_facts(one, (EntryPoint("retry"),))
    first.calls["retry"]["added"] = 1  # the caller's own: not what the next program is given
    first.sets["retry"]["ret"].append(99)
    again = code_facts(two, (EntryPoint("retry"),))
    assert len(read) == len(set(read)) and "retry" in again.sets
    assert "added" not in again.calls["retry"] and 99 not in again.sets["retry"]["ret"]
    assert again.names == first.names and again.call_where == first.call_where
    assert again.retry_roles == first.retry_roles and again.passed == first.passed


GLOBAL_POINTER = """\
void dump_stack(void);

static void (*dbg_hook)(void) = dump_stack;

struct demo_ops {
	void (*report)(void);
};

static void demo_report(void)
{
	dump_stack();
}

static const struct demo_ops demo_table = { .report = demo_report };
static const struct demo_ops *demo_ops = &demo_table;

int demo_call(u64 fn)
{
	if (fn)
		dbg_hook();
	return 0;
}

int demo_ops_call(u64 fn)
{
	if (fn)
		demo_ops->report();
	return 0;
}
"""


def test_a_function_names_what_the_file_scope_variables_it_uses_are_initialised_with() -> None:
    # not_referencing = ["dump_stack"] passed on demo_call(), which calls it through a file-scope pointer
    # initialised with it (static void (*dbg_hook)(void) = dump_stack;): the initialiser was not read. So did a
    # table of operations (through a pointer to it) whose member is a function calling it.
    src = (Source("d/x.c", ((1, tuple(GLOBAL_POINTER.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("demo_call"), EntryPoint("demo_ops_call")))
    assert {"dbg_hook", "dump_stack"} <= facts.names["demo_call"]
    assert [f for f in facts.reach("demo_call") if "dump_stack" in facts.names[f]] == ["demo_call"]
    assert facts.calls["demo_call"]["dump_stack"] == 1  # no_new_calls = ["dump_stack"] passed too
    assert facts.calls_from("demo_ops_call")["dump_stack"] == 1
    assert "demo_report" in facts.reach("demo_ops_call")
    assert [f for f in facts.reach("demo_ops_call") if "dump_stack" in facts.calls[f]] == ["demo_report"]


def test_a_call_through_a_file_scope_pointer_code_may_set_is_not_read() -> None:
    # "static void (*hook)(void);" set by an init function no entry point reaches (hook = dump_stack;) and called
    # by the entry point: not_referencing = ["dump_stack"] passed. What it holds at run time is not followed, so
    # the facts say the call is not read (a source check is inconclusive, unless it fails on what is read); a
    # const pointer holds its initialiser alone.
    code = GLOBAL_POINTER + ("\nstatic void (* const fixed_hook)(void) = demo_report;\nstatic void (*late_hook)(void);"
                             "\n\nvoid demo_setup(void)\n{\n\tlate_hook = dump_stack;\n}\n\nint demo_late(u64 fn)\n"
                             "{\n\tif (fn)\n\t\tlate_hook();\n\tfixed_hook();\n\treturn 0;\n}\n")
    src = (Source("d/x.c", ((1, tuple(code.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("demo_call"), EntryPoint("demo_late")))
    assert set(facts.unread) == {"dbg_hook", "late_hook"}
    assert "not followed" in facts.unread["late_hook"] and "d/x.c:" in facts.unread["late_hook"]
    assert facts.calls["demo_late"]["demo_report"] == 1 and "demo_report" in facts.reach("demo_late")


def test_a_call_through_a_member_of_a_file_scope_table_calls_what_it_gives_that_member() -> None:
    # no_new_calls = ["dump_stack"] passed on demo_table.dbg() with .dbg = dump_stack: a member's call was no call.
    code = ("void dump_stack(void);\nvoid show_regs(void);\n\nstruct demo_ops {\n\tvoid (*dbg)(void);\n"
            "\tvoid (*regs)(void);\n};\n\nstatic const struct demo_ops demo_table = { .dbg = dump_stack, .regs = "
            "show_regs };\nstatic const struct demo_ops *demo_ops = &demo_table;\n\nint demo_call(u64 fn)\n{\n"
            "\tif (fn)\n\t\tdemo_table.dbg();\n\treturn 0;\n}\n\nint demo_ptr(u64 fn)\n{\n\tif (fn)\n"
            "\t\tdemo_ops->regs();\n\treturn 0;\n}\n")
    src = (Source("d/x.c", ((1, tuple(code.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("demo_call"), EntryPoint("demo_ptr")))
    assert facts.calls["demo_call"]["dump_stack"] == 1 and facts.calls["demo_call"]["show_regs"] == 0
    # Through a pointer to the table, which member is not told apart: every function it holds.
    assert facts.calls["demo_ptr"]["show_regs"] == 1 and facts.calls["demo_ptr"]["dump_stack"] == 1


def test_a_call_through_a_table_code_may_set_is_not_read() -> None:
    # A table of functions that is not const (or a pointer to one that code may point elsewhere) may be filled at
    # run time (demo_table.dbg = dump_stack; in an init function no entry point reaches): not followed, not read.
    code = ("void dump_stack(void);\n\nstruct demo_ops {\n\tvoid (*dbg)(void);\n};\n\n"
            "static struct demo_ops demo_table;\nstatic const struct demo_ops fixed_table = { .dbg = dump_stack };\n"
            "static const struct demo_ops * const fixed_ptr = &fixed_table;\n\nvoid demo_setup(void)\n{\n"
            "\tdemo_table.dbg = dump_stack;\n}\n\nint demo_call(u64 fn)\n{\n\tif (fn)\n\t\tdemo_table.dbg();\n"
            "\tfixed_table.dbg();\n\tfixed_ptr->dbg();\n\treturn 0;\n}\n")
    src = (Source("d/x.c", ((1, tuple(code.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("demo_call"),))
    assert set(facts.unread) == {"demo_table"} and "table of functions" in facts.unread["demo_table"]
    assert facts.calls["demo_call"]["dump_stack"] == 2


CLEANUPS = """\
struct demo_res { int v; };
static struct demo_res demo_one;

static void demo_put(struct demo_res *r)
{
	pr_err("put %d\\n", r->v);
}
DEFINE_FREE(demo, struct demo_res *, if (_T) demo_put(_T))

static void demo_release(struct demo_res *r)
{
	r->v = 0;
}
static void demo_acquire(struct demo_res *r)
{
	r->v = 1;
}
DEFINE_GUARD(demo_hold, struct demo_res *, demo_acquire(_T), demo_release(_T))

int demo_call(u64 fn)
{
	struct demo_res *r __free(demo) = &demo_one;

	return fn ? 1 : 0;
}

int demo_locked(u64 fn)
{
	guard(demo_hold)(&demo_one);
	return 2;
}
"""


def test_a_helper_only_a_cleanup_calls_is_reached_by_the_function_whose_scope_runs_it() -> None:
    # demo_put() is called only by __free(demo)'s __free_demo(&r) at the end of demo_call()'s scope, demo_release()
    # only by the guard's destructor: the call collectors walked the body alone, so a patch changing either was in
    # code no entry point reached (its pr_err() not among the entry's prints either), though every run calls it.
    src = (Source("d/x.c", ((1, tuple(CLEANUPS.splitlines())),), True),)
    facts = code_facts(src, (EntryPoint("demo_call"), EntryPoint("demo_locked")))
    assert facts.calls["demo_call"]["__free_demo"] == 1
    assert "demo_put" in facts.entry_reach["demo_call"]
    assert facts.calls_from("demo_call")["pr_err"] == 1
    assert {"demo_acquire", "demo_release"} <= set(facts.entry_reach["demo_locked"])
    assert facts.calls_from("demo_locked")["demo_release"] == 1
