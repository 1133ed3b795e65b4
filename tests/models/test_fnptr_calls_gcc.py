"""Calls through function pointers in the forms kernel code writes them, against gcc.

Calls through function pointers in the forms kernel code writes them: ``(*func)(fn, args)``, ``(**table[i])(...)``
and a typedef of the function type itself (``typedef u64 sc_fn_t(u64, struct tdx_module_args *)``, pointers to it
declared ``sc_fn_t *``, a parameter ``sc_fn_t func``), run by the mirror and built by gcc: outcomes pinned to gcc's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.variantgen import agrees_with_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

# A *f is the function f points at, which decays to the pointer again (C11 6.3.2.1p4, 6.5.3.2p4): the mirror
# refused it ("dereferencing unsigned long long (*)(...) *").
DEREF_H = """\
typedef u64 (*fp_sc_t)(u64 fn, struct tdx_module_args *args);
static u64 (*const fp_table[2])(u64, struct tdx_module_args *) = { __seamcall, __seamcall_ret };

static u64 fp_retry(fp_sc_t func, u64 fn, struct tdx_module_args *args)
{
	int retry = 3;
	u64 ret;

	do {
		ret = (*func)(fn, args);
	} while (ret == 0x42 && --retry);
	return ret + retry * 1000;
}

static long long busy(u64 fn, struct tdx_module_args *args)
{
	fp_sc_t g = *fp_table[1];
	long long r = fp_retry(__seamcall, fn, args) * 3;

	r += (**fp_table[0])(fn, args);
	r += (*g)(fn, args) * 7;
	return r + (g == __seamcall_ret) * 100000;
}
"""


def test_a_call_through_a_dereferenced_function_pointer_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "fd", "demo/fd.h", DEREF_H, 0x42, (109000, 100726))  # gcc's


# The slicer did not see the typedef's name (it looked for "(*name)" or a name before ";"), so code using it was
# refused as C the mirror does not parse ("Missing type in declaration", "not an lvalue: BinaryOp").
FUNC_TYPE_H = """\
typedef u64 ft_sc_t(u64 fn, struct tdx_module_args *args);
static ft_sc_t *const ft_table[] = { __seamcall, __seamcall_ret };

static u64 ft_direct(ft_sc_t func, u64 fn, struct tdx_module_args *args) { return func(fn, args); }
static u64 ft_pointer(ft_sc_t *func, u64 fn, struct tdx_module_args *args) { return (*func)(fn, args) + 1; }

static long long busy(u64 fn, struct tdx_module_args *args)
{
	ft_sc_t *f = __seamcall;
	long long r = f(fn, args) != 0;

	r += ft_direct(__seamcall_ret, fn, args) * 3;
	r += ft_pointer(ft_table[1], fn, args) * 5;
	return r + sizeof(ft_sc_t *) * 1000;
}
"""


def test_a_typedef_of_a_function_type_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "ft", "demo/ft.h", FUNC_TYPE_H, 0x42, (8005, 8534))  # gcc's


# A pointer declarator's qualifiers: the slicer took "(*const cp_test)(u64, u64)" for a variable named u64 (the last
# word), so a call of cp_test() was "call to unknown function", and with a bool return type the mirror crashed
# ("'ID' object has no attribute 'type'"): the gate read either as the code failing (h469's probe).
QUALIFIED_H = """\
static bool cp_same(u64 a, u64 b)
{
	return a == b;
}

static u64 cp_twice(u64 a, u64 b)
{
	return a * 2 + b;
}

static bool (*const cp_test)(u64, u64) = cp_same;
static u64 (* const cp_ops[2])(u64, u64) = { cp_twice, cp_twice };
static u64 (*volatile cp_hook)(u64 a, u64 b) = cp_twice;

static long long busy(u64 fn, struct tdx_module_args *args)
{
	u64 r = __seamcall(fn, args);

	return cp_test(r, 0x42) * 1000 + cp_ops[1](r, 1) + cp_hook(r, 5) * 3;
}
"""


def test_a_qualified_function_pointer_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    agrees_with_gcc(tmp_path, "cp", "demo/cp.h", QUALIFIED_H, 0x42, (16, 1544))  # gcc's
