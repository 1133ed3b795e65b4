"""SEAMCALL helper shapes a later revision may take, run by the mirror and built by gcc.

SEAMCALL helper shapes a later revision may take, run by the mirror and built by gcc (one build): a do/while retry
through a function pointer, a for (;;) with break, a goto retry, a table of wrappers printed with %ps, guard(irqsave)
with scoped_guard(spinlock) and a goto out of it, a continue inside scoped_guard (it ends the guard's loop, not the
retry), a function returning a function pointer declared without a typedef, the status printed with widths, %pe and
%*ph."""

from __future__ import annotations

from pathlib import Path

from tests.harness.variantgen import header_result
from tests.models.probegroup import agrees_with_gcc, group_header

SHAPES = """\
typedef u64 (*pw_fn_t)(u64 fn, struct tdx_module_args *args);
static DEFINE_SPINLOCK(pw_lock);
static int pw_state;

static u64 pw_retry(pw_fn_t func, u64 fn, struct tdx_module_args *args)
{
	int retry = RDRAND_RETRY_LOOPS;
	u64 ret;

	do {
		ret = func(fn, args);
	} while (unlikely(ret == TDX_RND_NO_ENTROPY) && --retry);
	return ret;
}

static long long pw_dowhile(u64 fn, struct tdx_module_args *args)
{
	u64 ret = pw_retry(__seamcall_ret, fn, args);

	if (ret)
		pr_err("SEAMCALL (0x%016llx) failed: %#018llx|%-18llx|%*llx\\n", fn, ret, ret, 6, ret >> 60);
	return (long long)(ret >> 32);
}

static long long pw_forever(u64 fn, struct tdx_module_args *args)
{
	u64 ret;
	int n = 0;

	for (;;) {
		ret = __seamcall(fn, args);
		if (ret != TDX_RND_NO_ENTROPY || ++n >= 3)
			break;
		cpu_relax();
	}
	return n * 1000 + (long long)(ret >> 60);
}

static long long pw_goto(u64 fn, struct tdx_module_args *args)
{
	int retries = 2;
	u64 ret;

again:
	ret = __seamcall(fn, args);
	if (ret == TDX_RND_NO_ENTROPY && retries--)
		goto again;
	return ret ? -EIO * 10 + retries : retries;
}

static const struct { const char *name; pw_fn_t call; } pw_ops[] = {
	{ "plain", __seamcall }, { "ret", __seamcall_ret }, { "saved", __seamcall_saved_ret },
};

static long long pw_table(u64 fn, struct tdx_module_args *args)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pw_ops); i++) {
		u64 ret = pw_retry(pw_ops[i].call, fn + i, args);

		if (ret)
			pr_err("%s (%ps): %pe %#llx\\n", pw_ops[i].name, pw_ops[i].call, ERR_PTR(-EIO), ret);
		sum += ret >> (60 - i);
	}
	return (long long)sum;
}

static long long pw_guards(u64 fn, struct tdx_module_args *args)
{
	u8 raw[4] = { 0xde, 0xad, 0, 0 };
	u64 ret;

	guard(irqsave)();
	scoped_guard(spinlock, &pw_lock) {
		ret = __seamcall(fn, args);
		raw[2] = (u8)(ret >> 56);
		if (ret)
			goto fail;
		pw_state++;
	}
	return pw_state + irqs_disabled() * 10;
fail:
	pr_warn("%*ph|%2phN|%d\\n", 4, raw, raw, spin_is_locked(&pw_lock));
	return -EBUSY * 10 + irqs_disabled();
}

static u64 (*pw_pick(int ret))(u64 fn, struct tdx_module_args *args)
{
	return ret ? __seamcall_ret : __seamcall;
}

static long long pw_picked(u64 fn, struct tdx_module_args *args)
{
	return (long long)(pw_pick(1)(fn, args) >> 60) + (pw_pick(0) == __seamcall) * 100;
}

static long long pw_continue(u64 fn, struct tdx_module_args *args)
{
	int tries = 0, after = 0;
	u64 ret = 0;

	while (tries < 3) {
		tries++;
		scoped_guard(spinlock, &pw_lock) {
			ret = __seamcall(fn, args);
			if (ret == TDX_RND_NO_ENTROPY)
				continue;
			break;
		}
		after++;
		if (!ret)
			break;
	}
	return tries * 100 + after * 10 + spin_is_locked(&pw_lock);
}
"""


def test_seamcall_helper_shapes_run_as_gcc_runs_them(tmp_path: Path) -> None:
    # The 'big' script answers TDX_RND_NO_ENTROPY to every SEAMCALL: each retry loop runs to its bound.
    result = header_result(tmp_path, "shapes", "demo/shapes.h", group_header(SHAPES), 0x8000020300000000)
    for s in ("ok", "big"):
        out = result.outcome("shapes", f"busy/ONE/{s}/demo.c")
        assert out.status == "ok", out.error
    big = result.outcome("shapes", "busy/ONE/big/demo.c")
    assert any("(__seamcall_ret): -EIO 0x8000020300000000" in x.text for x in big.log), big.log
    assert len(big.calls) == 10 + 3 + 3 + 3 * 10 + 1 + 1 + 3, len(big.calls)
    agrees_with_gcc(result, "shapes")
