"""container_of(), min3()/max3() and other kernel helpers, run as gcc runs the same text.

Kernel helpers a SEAMCALL series may use, run as gcc runs the same text: container_of() (include/linux/
container_of.h), min3()/max3() (include/linux/minmax.h). What the mirror cannot follow is refused, a pointer type
gcc rejects is a build failure, as gcc says."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

ENTRY = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"

CONTAINER = r"""
struct kh_inner { u32 a; u64 b; };
struct kh_outer { u8 tag; struct kh_inner in; u64 count; struct kh_inner second; };

static struct kh_outer kh_global = { 7, { 1, 2 }, 3, { 4, 5 } };

static u64 *kh_count_of(struct kh_outer *o)
{
	return &o->count;
}

static long long kh_tag_from_count(u64 *p)
{
	return container_of(p, struct kh_outer, count)->tag;
}

static long long pw_container_scalar(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct kh_outer o = { (u8)(err >> 56), { 9, err }, err & 0xff, {} };
	struct kh_outer *back = container_of(&o.count, struct kh_outer, count);

	back->tag += 1;
	return o.tag * 1000 + kh_tag_from_count(kh_count_of(&o)) + kh_tag_from_count(&kh_global.count) * 7
		+ (back == &o);
}

static long long pw_container_struct(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	struct kh_outer o = { 3, { 9, err }, 1, { 2, 3 } };
	struct kh_inner *in = &o.second;
	void *v = &o.in;
	struct kh_outer *a = container_of(in, struct kh_outer, second);
	const struct kh_outer *b = container_of(v, struct kh_outer, in);

	a->count += err & 0xf;
	return (long long)(a->count * 100 + b->tag + (a == b) * 10 + container_of(&kh_global.in, struct kh_outer,
		in)->second.b * 10000);
}
"""

MINMAX3 = r"""
static long long pw_min3_max3(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u32 a = (u32)err, b = 7;
	u8 c = 200;
	int k = 0;
	long long r = 0;

	r += min3(a, b, 9u) + max3(a, b, 9u) % 1000 * 10;
	r += min3(c, 5, 300) * 100000 + max3(c, 5, 300) * 1000000;
	r += sizeof(min3(c, c, c)) * 3 + sizeof(max3(a, c, 1)) * 11 + sizeof(min3(err, b, c)) * 13;
	r += min3(k + 2, k + 1, k + 3) * 17;
	k = max3(k, 4, (int)(err >> 62));
	r += k * 19;
	r += max3(-1, -5, (int)(err & 3)) * 23;
	return r;
}
"""


@pytest.mark.parametrize("group", ["container_of", "min3"])
def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path, group: str) -> None:
    # Before, each stopped: "unknown identifier 'container_of'", 'min3'.
    text = CONTAINER if group == "container_of" else MINMAX3
    runs_as_gcc(tmp_path, "kh", "demo/kh.h", text)


STRUCTS = "struct kh_in { u64 a; };\nstruct kh_out { u32 x; struct kh_in in; u64 n; u64 arr[2]; };\n"


@pytest.mark.parametrize(("body", "kind", "says"), [
    ("\tstruct kh_out o = {};\n\tu32 *p = &o.x;\n\n\treturn container_of(p, struct kh_out, n)->x;\n", "build",
     "pointer type mismatch in container_of()"),
    ("\tstruct kh_in i = {};\n\n\treturn container_of(&i, struct kh_out, in)->x;\n", "unsupported",
     "does not point at the member 'in' of a struct kh_out"),
    ("\tstruct kh_out o = {};\n\tstruct kh_in c = o.in;\n\n\treturn container_of(&c, struct kh_out, in)->x;\n",
     "unsupported", "does not point at the member 'in'"),
    ("\tstruct kh_out o = {};\n\n\treturn container_of(&o.n, struct kh_out, x)->x;\n", "build",
     "pointer type mismatch in container_of()"),
    ("\tu64 *p = NULL;\n\n\treturn container_of(p, struct kh_out, n)->x;\n", "unsupported",
     "does not point at an object"),
    ("\tstruct kh_out o = {};\n\n\treturn container_of(&o.arr[1], struct kh_out, arr)->x;\n", "build",
     "pointer type mismatch in container_of()"),
    ("\tu32 a = 1;\n\tint b = fn;\n\n\treturn min3(a, b, 2);\n", "unsupported", "min3(a, b, 2)"),
    ("\tu64 a = fn;\n\n\treturn max3(a, 1, -1);\n", "build", "max3(a, 1, -1) signedness error"),
])
def test_what_the_mirror_cannot_follow_is_refused(body: str, kind: str, says: str) -> None:
    code = STRUCTS + ENTRY + body + "}\n"
    out = run(code)
    assert out.status == "error", (out.status, out.ret)
    assert (str(out.error_kind), says in (out.error or "")) == (kind, True), (out.error_kind, out.error)
    assert f"{PATH}:{line_of(code, 'return')}" in (out.error or ""), out.error
