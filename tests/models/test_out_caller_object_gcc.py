"""An out-parameter's object is the caller's: what a helper stores there is compared, what it reads first is unknown.

Round 69 fed ``u64 *v`` a zeroed object, so a helper reading ``*v`` before storing it (an in/out parameter: ``return
100 / *budget;``, ``if (*v)``, ``*v += 1``) ran with a value its caller decides, and a divide by zero read as the
code's. Now such a read is refused where it is, naming the parameter (models.outstate), and the paths that store
first still run. A pointer to a struct (``struct tdx_sys_info *si``) is fed the same way: each member the helper
stores is the outcome's ``*(parameter N).member``, a member read before the helper stores it is refused. The oracle
is gcc -O2 below the raw prelude: a caller whose object is filled with 0xa5 bytes, so that a stored value that
depended on what the caller put there would differ.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from models.machine import Answer
from models.mirror import RunRequest
from models.native.rawprelude import raw_prelude
from tests.models.cprog import PATH, mirror_of
from tests.models.test_prelude_named_functions_gcc import _FLAGS, CC, _native_object, _Unit, needs_cc

READ_FIRST = {
    "divides-by-it": ("int rd(u64 fn, u32 *budget)\n{\n\treturn 100 / *budget;\n}\n", "u32", 3),
    "tests-it": ("int rd(u64 fn, int *v)\n{\n\tif (*v)\n\t\treturn 1;\n\t*v = 3;\n\treturn 0;\n}\n", "int", 3),
    "adds-to-it": ("int rd(u64 fn, u64 *v)\n{\n\t*v += 1;\n\treturn 0;\n}\n", "u64", 3),
    "passes-it-on": ("static int g(u64 x)\n{\n\treturn x > 4;\n}\n\nint rd(u64 fn, u64 *v)\n{\n\treturn g(*v);\n}\n",
                     "u64", 8),
    "reads-after-a-failed-store": ("int rd(u64 fn, u64 *v)\n{\n\tif (fn)\n\t\t*v = 1;\n\treturn *v == 1;\n}\n",
                                   "u64", 5),
}


def _run(code: str, feed: str, position: int = 2, fn: int = 0) -> object:
    feeds = ["fn", "fn"]
    feeds[position - 1] = feed
    body = code.replace("int rd(u64 fn,", "static int rd2(u64 fn,").replace("rd(", "rd2(") if fn else code
    if fn:  # fn as a constant: the matrix feeds the leaf, the test a value of its own
        body += f"int rd(u64 fn, {feed.removeprefix('out:')} *v)\n{{\n\treturn rd2({fn}, v);\n}}\n"
    return mirror_of(body, "rd", args=tuple(feeds)).run(RunRequest("rd", 0, (Answer(0),), ""))


@pytest.mark.parametrize("name", READ_FIRST)
def test_a_read_before_any_store_is_refused_where_it_is(name: str) -> None:
    # before: run with 0 (divides-by-it: 'division by zero', the code's bug; tests-it: returned 0 and stored 3)
    code, ctype, line = READ_FIRST[name]
    out = _run(code, f"out:{ctype}")
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.error)  # type: ignore[attr-defined]
    assert out.error == (f"test/prog.c:{line}: *(parameter 2) is read before the code stores it: an in/out "  # type: ignore[attr-defined]
                         "parameter, whose value there the caller decides (not known)")


def test_the_paths_that_store_first_still_run() -> None:
    code = READ_FIRST["reads-after-a-failed-store"][0]
    out = _run(code, "out:u64", fn=7)
    assert (out.status, out.ret, out.state) == ("ok", 1, (("*(parameter 2)", "1"),)), out  # type: ignore[attr-defined]


STRUCTS = {
    "fields-through-a-helper": ("""
struct sysinfo_x {
	u16 major;
	u32 minor;
	u64 features;
	struct {
		u8 lo;
		u64 hi;
	} tdmr;
	void *cookie;
};

static int read_field(u64 id, u64 *val)
{
	struct tdx_module_args args = { .rdx = id };
	u64 ret = __seamcall_ret(0x22, &args);

	if (ret)
		return -EIO;
	*val = args.rdx * 3 + 0x10000;
	return 0;
}

int rd(u64 fn, struct sysinfo_x *si)
{
	u64 v;
	int ret = read_field(0x11, &v);

	si->major = v;
	ret |= read_field(0x2000000000ULL, &si->features);
	si->tdmr.hi = si->features >> 4;
	ret |= read_field(5, &v);
	si->minor = v | si->major;
	return ret;
}
""", ("major", "minor", "features", "tdmr.hi")),
    "memset-then-some": ("""
struct cfg_x {
	u32 a;
	s16 b;
	bool c;
	void *p;
};

int rd(u64 fn, struct cfg_x *c)
{
	memset(c, 0, sizeof(*c));
	c->b = -40000 + (int)fn;
	c->c = c->a + 2;
	return c->p == NULL;
}
""", ("a", "b", "c")),
    "whole-assignment": ("""
struct pair_x {
	u64 lo;
	u32 hi;
};

int rd(u64 fn, struct pair_x *p)
{
	*p = (struct pair_x){ .hi = 7 };
	p->lo += (u64)p->hi << 40;
	return 0;
}
""", ("lo", "hi")),
}


def mirror_struct(name: str) -> tuple[int | None, dict[str, str]]:
    code, _ = STRUCTS[name]
    struct = code.split("struct ")[1].split()[0]
    out = mirror_of(code, "rd", args=("fn", f"out:struct {struct}")).run(RunRequest("rd", 0, (Answer(0),), ""))
    assert out.status == "ok", out.error
    return out.ret, dict(out.state)


def gcc_struct(tmp_path: Path, name: str) -> tuple[int, dict[str, str]]:
    """What gcc -O2's build returns and leaves in each member ``fields`` names, its caller's object 0xa5 bytes."""
    assert CC is not None
    code, fields = STRUCTS[name]
    struct = code.split("struct ")[1].split()[0]
    shown = "".join(f' printf(" {f}=%lld", (long long)o.{f});' for f in fields)
    driver = (f"\nint main(void)\n{{\n\tstruct {struct} o;\n\n\tmemset(&o, 0xa5, sizeof(o));\n"
              f'\tint r = rd(0, &o);\n\n\tprintf("OUT %d", r);{shown} printf("\\n");\n\treturn 0;\n}}\n')
    src, exe = tmp_path / "prog.c", tmp_path / "prog"
    src.write_text("#include <stdio.h>\n#include <string.h>\n" + raw_prelude(_Unit(((PATH, code),))) +
                   f'#line 1 "{PATH}"\n' + code + driver)
    subprocess.run([CC, *_FLAGS, "-o", str(exe), str(src), str(_native_object(tmp_path))], check=True,
                   capture_output=True, text=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("OUT ")).split()
    return int(line[1]), {f"*(parameter 2).{k}": v for k, _, v in (x.partition("=") for x in line[2:])}


@needs_cc
@pytest.mark.parametrize("name", STRUCTS)
def test_a_struct_out_parameter_holds_the_members_gcc_stores(tmp_path: Path, name: str) -> None:
    # before: never run ('the matrix cannot feed its parameter 'struct sysinfo_x *si' (a struct callers hand filled
    # in, ...)'); the members it stores are the state, by the parameter's position, a nested one as .tdmr.hi
    ret, stored = gcc_struct(tmp_path, name)
    mret, mstate = mirror_struct(name)
    assert mret == ret
    # u64 past 2^63 as the state shows it (unsigned); what gcc prints as a signed long long
    assert {k: int(v) for k, v in mstate.items() if k in stored} == {
        k: int(v) + (1 << 64) if int(v) < 0 and int(mstate.get(k, "0")) >= 0 else int(v) for k, v in stored.items()}
    assert set(mstate) <= set(stored) | {"*(parameter 2).p", "*(parameter 2).cookie"}, mstate


def test_a_struct_member_unstored_is_no_state_and_a_read_of_it_is_refused() -> None:
    code = STRUCTS["fields-through-a-helper"][0]
    out = mirror_of(code, "rd", args=("fn", "out:struct sysinfo_x")).run(RunRequest("rd", 0, (Answer(0),), ""))
    assert not any(k.endswith((".cookie", ".tdmr.lo")) for k, _ in out.state), out.state
    read = code.replace("\treturn ret;\n}", "\treturn ret + si->tdmr.lo;\n}")
    out = mirror_of(read, "rd", args=("fn", "out:struct sysinfo_x")).run(RunRequest("rd", 0, (Answer(0),), ""))
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.error)
    assert "reading 'lo': *(parameter 2) is read before the code stores it: an in/out parameter" in (out.error or "")


@pytest.mark.parametrize(("ctype", "fed"), [
    ("struct tdx_sys_info *", "out:struct tdx_sys_info"), ("struct  foo * const", "out:struct foo"),
    ("const struct foo *", None), ("union u *", None), ("struct foo **", None),
])
def test_which_struct_pointers_are_fed(ctype: str, fed: str | None) -> None:
    from harness.discover import out_feed

    assert out_feed(ctype) == fed
