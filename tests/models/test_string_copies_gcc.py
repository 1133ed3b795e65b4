"""kstrdup(), kstrndup(), kmemdup_nul() (mm/util.c) and krealloc_array() (include/linux/slab.h), against gcc.

Each was refused ("kstrdup() allocates or frees heap memory ..., which the mirror does not model"), so a variant
using one was "not run" though gcc builds it; now each copies the bytes of a string literal or a char array into
kmalloc()'s memory as chars with a NUL after them (NULL for NULL), and krealloc_array() is krealloc() of n * size
bytes, NULL where that overflows. gcc's build runs libc's malloc() and memcpy() (models/native/sh_native.h)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

pytestmark = pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                                reason="needs a C compiler, the oracle")

PIECES = r"""
static const char pw_names[][8] = { "seam", "ldr", "tdx" };

static long long pw_strdup(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	char buf[12] = "p-seamldr";
	char *a = kstrdup(pw_names[err & 1], GFP_KERNEL);
	char *b = kstrndup(buf, (err & 3) + 2, GFP_KERNEL);
	char *c = kmemdup_nul(buf + 2, 4, GFP_KERNEL);
	char *d = kstrndup("ab", 10, GFP_ATOMIC);
	char *e = kstrdup(NULL, GFP_KERNEL);
	long long r;

	if (!a || !b || !c || !d)
		return -ENOMEM;
	buf[2] = 'X';
	a[0] = 'S';
	r = (long long)(strlen(a) * 1000 + strlen(b) * 100 + strlen(c) * 10 + strlen(d));
	r = r * 7 + a[0] + b[strlen(b) - 1] + c[0] + c[4] + (e == NULL) * 3 + d[2];
	kfree(d);
	kfree(c);
	kfree(b);
	kfree(a);
	return r;
}

static long long pw_realloc_array(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);
	u32 *v = kmalloc_array(2, sizeof(*v), GFP_KERNEL), *w, *big;
	long long r;

	if (!v)
		return -ENOMEM;
	v[0] = (u32)err;
	v[1] = 9;
	big = krealloc_array(v, 1ULL << 62, 8, GFP_KERNEL);
	w = krealloc_array(v, 4, sizeof(*v), GFP_KERNEL);
	if (!w) {
		kfree(v);
		return -ENOMEM;
	}
	w[2] = 4;
	w[3] = 5;
	r = (long long)(w[0] + w[1] * 3 + w[2] * 5 + w[3] * 7) + (big == NULL) * 100;
	kfree(w);
	return r;
}
"""


def test_each_piece_runs_as_gcc_runs_it(tmp_path: Path) -> None:
    runs_as_gcc(tmp_path, "sd", "demo/sd.h", PIECES)


HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "kind", "says"), [
    # KASAN, as for kmalloc()'s own memory
    ("\tchar *s = kstrdup(\"ab\", GFP_KERNEL);\n\n\tkfree(s);\n\treturn s[0];\n", "runtime", "after kfree()"),
    ("\tchar *s = kstrdup(\"ab\", GFP_KERNEL);\n\n\tkfree(s);\n\tkfree(s);\n\treturn 0;\n", "runtime", "double-free"),
    # what gcc's build reads there is not known: past the array, a byte never set
    ("\tchar b[2] = { 'a', 'b' };\n\tchar *s = kstrdup(b, GFP_KERNEL);\n\n\treturn s != NULL;\n", "runtime",
     "kstrdup(): reading past the end"),
    ("\tchar b[4] = \"ab\";\n\tchar *s = kmemdup_nul(b, 6, GFP_KERNEL);\n\n\treturn s != NULL;\n", "runtime",
     "kmemdup_nul(): reading past the end"),
    ("\tchar b[4];\n\tchar *s = kstrndup(b, 2, GFP_KERNEL);\n\n\treturn s != NULL;\n", "runtime",
     "before it is set"),
    # the bytes of another type's object are not modelled
    ("\tu32 w[2] = { 1, 0 };\n\tchar *s = kstrdup((char *)w, GFP_KERNEL);\n\n\treturn s != NULL;\n", "unsupported",
     "kstrdup() of this pointer is not modelled"),
])
def test_what_the_kernel_reads_wrongly_is_an_error(body: str, kind: str, says: str) -> None:
    out = run(HEAD + body + "}\n")
    assert (out.status, out.error_kind, says in (out.error or "")) == ("error", kind, True), out.error
