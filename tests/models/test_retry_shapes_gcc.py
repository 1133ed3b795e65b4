"""Retry loops of the shapes a next revision may write, run by the mirror and by gcc.

Retry loops of the shapes a next revision may write, run by the mirror and by gcc (tests.models.probegroup): the
status bits compared under a mask, a loop counting its tries at the head, the codes retried kept in a const table
read by a helper; each made to answer "no entropy" (with detail bits, or the P-SEAMLDR's), success, or the script's
answer, the SEAMCALLs made and the answer returned mixed into the result."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

SHAPES = r"""
#define PW_NO_ENTROPY		0x8000020300000000ULL
#define PW_LDR_NO_ENTROPY	0x8000000000030001ULL
#define PW_STATUS_MASK		0xFFFFFFFF00000000ULL
#define PW_TRIES		10

typedef u64 (*pw_func_t)(u64 fn, struct tdx_module_args *args);
typedef u64 (*pw_loop_t)(pw_func_t op, u64 fn, struct tdx_module_args *args);

static u64 pw_answer;
static int pw_calls;
static const int pw_bound = 7;
static const u64 pw_codes[] = { PW_NO_ENTROPY, PW_LDR_NO_ENTROPY };

static u64 pw_fake(u64 fn, struct tdx_module_args *args)
{
	pw_calls++;
	return pw_answer;
}

static u64 pw_masked(pw_func_t op, u64 fn, struct tdx_module_args *args)
{
	int retries = PW_TRIES;
	u64 err;

	do {
		err = op(fn, args);
	} while ((err & PW_STATUS_MASK) == PW_NO_ENTROPY && --retries);
	return err;
}

static u64 pw_masked_break(pw_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = PW_TRIES + 2;
	u64 err;

	while (1) {
		err = op(fn, args);
		if ((PW_STATUS_MASK & err) != PW_NO_ENTROPY || !--left)
			break;
	}
	return err;
}

static u64 pw_head(pw_func_t op, u64 fn, struct tdx_module_args *args)
{
	int tries;
	u64 err = 0;

	for (tries = 1; tries <= pw_bound; tries++) {
		err = op(fn, args);
		if (err != PW_NO_ENTROPY)
			break;
	}
	return err;
}

static u64 pw_head_while(pw_func_t op, u64 fn, struct tdx_module_args *args)
{
	int tries = 0;
	u64 err = 0;

	while (tries++ < PW_TRIES - 1) {
		err = op(fn, args);
		if (err != PW_NO_ENTROPY)
			break;
	}
	return err;
}

static bool pw_is_retryable(u64 err)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(pw_codes); i++)
		if (err == pw_codes[i])
			return true;
	return false;
}

static u64 pw_table(pw_func_t op, u64 fn, struct tdx_module_args *args)
{
	int left = PW_TRIES;
	u64 err;

	do {
		err = op(fn, args);
	} while (pw_is_retryable(err) && --left);
	return err;
}

static long long pw_each(pw_loop_t loop, u64 fn, struct tdx_module_args *args)
{
	const u64 answers[] = { PW_NO_ENTROPY, PW_NO_ENTROPY | 1, PW_LDR_NO_ENTROPY, 0, __seamcall(fn, args) };
	long long r = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(answers); i++) {
		u64 got;

		pw_answer = answers[i];
		pw_calls = 0;
		got = loop(pw_fake, fn, args);
		r = r * 31 + (long long)(got >> 32) + (long long)(got & 0xff) + pw_calls * 1000;
	}
	return r;
}

static long long pw_shapes(u64 fn, struct tdx_module_args *args)
{
	long long r = pw_each(pw_masked, fn, args);

	r = r * 7 + pw_each(pw_masked_break, fn, args);
	r = r * 5 + pw_each(pw_head, fn, args);
	r = r * 3 + pw_each(pw_head_while, fn, args);
	r = r * 2 + pw_each(pw_table, fn, args);
	return r * 4 + pw_is_retryable(PW_LDR_NO_ENTROPY) + 2 * pw_is_retryable(PW_NO_ENTROPY | 1);
}
"""


def test_each_retry_shape_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "rs", "demo/rs.h", SHAPES)
