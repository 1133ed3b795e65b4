"""models.leafcalls: a leaf followed into functions called through pointers.

models.leafcalls: a leaf is followed into functions called through pointers (a parameter, a table), and a function
also called through a pointer with something else, or handed to code the program lacks, carries no leaf."""

from __future__ import annotations

import pytest

from models.cload import load_program
from models.decided import leaf_params
from models.loader import EntryPoint, Source

HEAD = """\
typedef unsigned long long u64;
struct tdx_module_args { u64 rcx; };
typedef u64 (*sc_op_t)(u64 fn, struct tdx_module_args *args);
struct sc_ops { sc_op_t call; };

static u64 do_call(u64 fn, struct tdx_module_args *args)
{
	return fn + args->rcx;
}

static u64 run_op(sc_op_t op, u64 fn, struct tdx_module_args *args)
{
	return op(fn, args);
}

static const struct sc_ops table = { .call = do_call };

static u64 slow_call(u64 fn, struct tdx_module_args *args)
{
	return fn;
}

static u64 run_twice(sc_op_t op, struct tdx_module_args *args)
{
	op(1, args);
	op = do_call;
	return op(7, args);
}
"""


def _carried(body: str) -> set[str]:
    """The parameters of do_call() known to hold the leaf when busy(fn, args), of body ``body``, is run."""
    code = HEAD + "\nstatic u64 busy(u64 fn, struct tdx_module_args *args)\n{\n" + body + "}\n"
    program = load_program((Source("a/p.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("busy"),))
    return leaf_params(program, frozenset({"busy"})).get("do_call", set())


@pytest.mark.parametrize("body", [
    "\treturn run_op(do_call, fn, args);\n",  # through a parameter
    "\treturn table.call(fn, args);\n",  # through a table's pointer
    "\treturn run_op(table.call, fn, args);\n",  # a table's pointer handed to a parameter
])
def test_the_leaf_is_followed_through_a_pointer(body: str) -> None:
    assert _carried(body) == {"fn"}


@pytest.mark.parametrize("body", [
    # called by name with the leaf, and through a pointer with a constant
    "\tu64 err = do_call(fn, args);\n\n\tif (!err)\n\t\terr = run_op(do_call, 7, args);\n\treturn err;\n",
    "\tu64 err = do_call(fn, args);\n\n\tif (!err)\n\t\terr = table.call(7, args);\n\treturn err;\n",
    # handed to code the program does not have, which may call it with anything
    "\tregister_op(do_call);\n\treturn do_call(fn, args);\n",
    "\tregister_ops(&table);\n\treturn do_call(fn, args);\n",
    # the pointer a parameter held stored to before the call: whatever it points to then gets a constant
    "\tu64 err = do_call(fn, args);\n\n\treturn err ? err : run_twice(slow_call, args);\n",
])
def test_a_function_also_called_otherwise_carries_no_leaf(body: str) -> None:
    assert _carried(body) == set()


@pytest.mark.parametrize(("extra", "decl"), [
    ("static void put_arg(u64 *p)\n{\n\tdo_call(*p, 0);\n}\n\n", "u64 v __cleanup(put_arg) = args->rcx;"),
    ("DEFINE_FREE(arg, u64, do_call(_T, 0))\n\n", "u64 v __free(arg) = args->rcx;"),
], ids=["cleanup", "free"])
def test_a_call_a_cleanup_makes_at_the_end_of_its_scope_counts(extra: str, decl: str) -> None:
    # do_call() is called by name with the leaf, and at busy()'s return by the cleanup of v with args->rcx:
    # before, the cleanup's call was not seen and do_call()'s fn held the leaf.
    code = HEAD + "\n" + extra + ("static u64 busy(u64 fn, struct tdx_module_args *args)\n{\n"
                                  f"\t{decl}\n\n\treturn do_call(fn, args);\n}}\n")
    program = load_program((Source("a/p.h", ((1, tuple(code.splitlines())),), True),), (EntryPoint("busy"),))
    assert leaf_params(program, frozenset({"busy"})).get("do_call", set()) == set()
    plain = code.replace(decl, "u64 v = args->rcx;")
    program = load_program((Source("a/p.h", ((1, tuple(plain.splitlines())),), True),), (EntryPoint("busy"),))
    assert leaf_params(program, frozenset({"busy"})).get("do_call", set()) == {"fn"}


def test_the_entry_points_arguments_are_part_of_the_programs_key() -> None:
    # Two programs of the same code whose entry point is handed the leaf in another argument (the config's
    # EntryPoint.args): their wrappers differ, so their key does too, and what is kept per key (leaf_params
    # here) is not the other's. Before, Program.key digested the definitions alone: the second read the first's.
    code = HEAD + "\nstatic u64 busy(u64 fn, struct tdx_module_args *args)\n{\n\treturn do_call(fn, args);\n}\n"
    sources = (Source("a/p.h", ((1, tuple(code.splitlines())),), True),)
    leaf = load_program(sources, (EntryPoint("busy", ("fn", "args")),))
    zero = load_program(sources, (EntryPoint("busy", ("zero", "args")),))
    assert leaf.key != zero.key
    assert leaf_params(leaf, frozenset({"busy"})).get("do_call", set()) == {"fn"}
    assert leaf_params(zero, frozenset({"busy"})).get("do_call", set()) == set()
