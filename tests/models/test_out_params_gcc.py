"""An entry point with an out-parameter (``int rd(u64 fn, u64 *value)``): run as the kernel's callers call it.

The matrix feeds a pointer to one integer a pointer to an object of that type (harness.discover.out_feed), as a
caller passes the address of its local (``u64 val = 0; tdh_sys_rd(id, &val)``; a read before a store is refused since
round 70: tests/models/test_out_caller_object_gcc.py); what the run leaves there is
part of its outcome, the state ``*(parameter N)`` (models.outparams): two revisions storing different values differ,
and one that stops storing differs too. Before, such a helper never ran (an ``untested:`` note). The oracle is gcc -O2
below the raw prelude: a driver that calls the helper the same way and prints the value it stored.
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

RETRY = """
typedef u64 (*sc_func_t)(u64 fn, struct tdx_module_args *args);

static u64 sc_retry(sc_func_t func, u64 fn, struct tdx_module_args *args)
{
	int retry = 3;
	u64 ret;

	do {
		ret = func(fn, args);
	} while (ret == 0x8000020300000000ULL && --retry);
	return ret;
}
"""

# name -> (the helper's code, its out-parameters' C types in order, their positions)
HELPERS = {
    "stored-through-retry": (RETRY + """
int rd(u64 fn, u64 *value)
{
	struct tdx_module_args args = { .rcx = fn };
	u64 ret = sc_retry(__seamcall_ret, fn, &args);

	if (ret)
		return -EIO;
	*value = args.rdx + (fn | 0x40) * 3 + 5;
	return 0;
}
""", ("u64",), (2,)),
    "u32-truncates": ("""
int rd(u64 fn, u32 *value)
{
	*value = 0x1234567890ULL + fn;
	return 1;
}
""", ("u32",), (2,)),
    "s16-wraps": ("int rd(u64 fn, s16 *v)\n{\n\t*v = 40000 + fn;\n\treturn 2;\n}\n", ("s16",), (2,)),
    "bool-is-one": ("int rd(u64 fn, bool *done)\n{\n\t*done = 5 + fn;\n\treturn 0;\n}\n", ("bool",), (2,)),
    "int-negative": ("int rd(u64 fn, int *err)\n{\n\t*err = -EBUSY - (int)fn;\n\treturn 0;\n}\n", ("int",), (2,)),
    # a read before any store (*count += 2) is refused since round 70: tests/models/test_out_caller_object_gcc.py
    "store-then-modify": ("int rd(u64 fn, unsigned long *count)\n{\n\t*count = 2;\n\t*count <<= 3;\n"
                          "\treturn *count > 8;\n}\n", ("unsigned long",), (2,)),
    "not-stored": ("int rd(u64 fn, u64 *value)\n{\n\tif (fn == 0)\n\t\treturn -EINVAL;\n\t*value = 9;\n"
                   "\treturn 0;\n}\n", ("u64",), (2,)),
    "two-outs": ("int rd(u64 *lo, u64 fn, u64 *hi)\n{\n\t*lo = fn + 0xffffffffULL;\n\t*hi = *lo >> 4;\n"
                 "\treturn 0;\n}\n", ("u64", "u64"), (1, 3)),
    "same-object-read-back": (RETRY + """
static int read_one(u64 id, u64 *out)
{
	struct tdx_module_args args = { .rdx = id };
	u64 ret = sc_retry(__seamcall_ret, 0x21, &args);

	*out = ret ? 0 : args.r8 + 11;
	return ret ? -EIO : 0;
}

int rd(u64 fn, u64 *value)
{
	int r = read_one(fn, value);

	if (!r && *value == 11)
		*value |= 1ULL << 40;
	return r;
}
""", ("u64",), (2,)),
}


def mirror_stored(name: str) -> tuple[int | None, tuple[int, ...]]:
    """What the mirror's run of ``rd`` returns and leaves in each out-parameter (absent from the state: 0)."""
    code, types, at = HELPERS[name]
    feeds = ["fn"] * (len(types) + 1)
    for t, p in zip(types, at, strict=True):
        feeds[p - 1] = f"out:{t}"
    out = mirror_of(code, "rd", args=tuple(feeds)).run(RunRequest("rd", 0, (Answer(0),), ""))
    assert out.status == "ok", out.error
    state = dict(out.state)
    return out.ret, tuple(int(state.get(f"*(parameter {p})", "0")) for p in at)


def gcc_stored(tmp_path: Path, name: str) -> tuple[int, tuple[int, ...]]:
    """What gcc -O2's build returns and stores: a caller with zeroed locals, as the kernel's callers."""
    assert CC is not None
    code, types, at = HELPERS[name]
    args = ["fn"] * (len(types) + 1)
    locals_ = "".join(f"\t{t} o{p} = 0;\n" for t, p in zip(types, at, strict=True))
    for p in at:
        args[p - 1] = f"&o{p}"
    shown = "".join(f' printf(" %lld", (long long)o{p});' for p in at)
    driver = (f"\nint main(void)\n{{\n\tu64 fn = 0;\n{locals_}\tint r = rd({', '.join(args)});\n\n"
              f'\tprintf("OUT %d", r);{shown} printf("\\n");\n\treturn 0;\n}}\n')
    src, exe = tmp_path / "prog.c", tmp_path / "prog"
    src.write_text("#include <stdio.h>\n" + raw_prelude(_Unit(((PATH, code),))) + f'#line 1 "{PATH}"\n' + code + driver)
    subprocess.run([CC, *_FLAGS, "-o", str(exe), str(src), str(_native_object(tmp_path))], check=True,
                   capture_output=True, text=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("OUT "))
    ret, *stored = (int(x) for x in line.split()[1:])
    return ret, tuple(stored)


@needs_cc
@pytest.mark.parametrize("name", HELPERS)
def test_an_out_parameter_holds_what_gcc_stores(tmp_path: Path, name: str) -> None:
    ret, stored = gcc_stored(tmp_path, name)
    # the state's text is the value in the object's own type: a u64 past 2^63 reads as gcc's unsigned print would
    assert mirror_stored(name) == (ret, tuple(s if s >= 0 or t.startswith(("int", "s")) else s + (1 << 64)
                                              for s, t in zip(stored, HELPERS[name][1], strict=True)))


@pytest.mark.parametrize(("ctype", "fed"), [
    ("u64 *", "out:u64"), ("u32 *", "out:u32"), ("int *", "out:int"), ("bool *", "out:bool"),
    ("unsigned long *", "out:unsigned long"), ("u64 * const", "out:u64"),
    ("const u64 *", None), ("u64 const *", None), ("void *", None), ("u64 * *", None),
    ("struct foo *", "out:struct foo"),
    ("u8 *", None), ("char *", None), ("unsigned char *", None), ("u64", None),
])
def test_what_is_fed_a_zeroed_object(ctype: str, fed: str | None) -> None:
    # only a pointer to one integer: an input (const), no type (void), a pointer to a pointer, a struct, a byte buffer
    # or string stay unfed, said so (docs/matrix.md)
    from harness.discover import out_feed

    assert out_feed(ctype) == fed


@pytest.mark.parametrize(("body", "said"), [
    ("out[1] = 5;", "element 1 of a pointer to a single object"),
    ("memset(out, 0, 64);", "memset() of 64 bytes at parameter 2's object"),
])
def test_a_pointer_used_as_an_array_is_refused_never_said_past_the_object(body: str, said: str) -> None:
    # 'u32 *out' that is a buffer: one zeroed u32 is not what its callers hand it, so its second element is refused
    # (no claim), never a run-time error (which would read as the helper's bug)
    code = f"int rd(u64 fn, u32 *out)\n{{\n\t{body}\n\treturn 0;\n}}\n"
    out = mirror_of(code, "rd", args=("fn", "out:u32")).run(RunRequest("rd", 0, (Answer(0),), ""))
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.error)
    assert said in (out.error or "") and "__sh_" not in (out.error or ""), out.error
