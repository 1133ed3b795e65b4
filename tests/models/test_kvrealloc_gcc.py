"""kvrealloc(): 6.12's kvrealloc(p, size, flags) runs; the older kvrealloc(p, oldsize, newsize, flags) is refused.

Before, every kvrealloc() was refused ("allocates or frees heap memory"): its signature changed in 6.12. The headers
the mirror reads (the prelude, mainline's) declare 6.12's, which mm/util.c makes krealloc() of kmalloc()'s memory (every
allocation here is kmalloc()'s) up to INT_MAX: it runs so, as gcc's build of the same call does (gcc -O2 below the raw
prelude, libc's realloc()). A call of four arguments is the older one (which returned p itself unless it grew): these
headers do not declare it (gcc: too many arguments), and whether the tree's do is not known, so it is refused naming
both forms.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"

RUN = {
    "grow": "({ u32 *p = kvmalloc_array(2, sizeof(u32), GFP_KERNEL), *q; long long r = -1; if (p) { p[1] = 7; "
            "q = kvrealloc(p, 4 * sizeof(u32), GFP_KERNEL); if (q) { q[3] = 2; r = q[1] * 10 + q[3]; kvfree(q); } "
            "else kvfree(p); } r; })",
    "null": "({ u64 *q = kvrealloc(NULL, 16, GFP_KERNEL); long long r = q != NULL; if (q) { q[1] = 5; r += q[1]; } "
            "kvfree(q); r; })",
    "shrink": "({ u32 *p = kvcalloc(4, sizeof(u32), GFP_KERNEL), *q; long long r = -1; if (p) { p[0] = 3; "
              "q = kvrealloc(p, sizeof(u32), GFP_KERNEL); if (q) { r = q[0]; kvfree(q); } } r; })",
}


@needs_cc
@pytest.mark.parametrize("name", RUN)
def test_the_612_kvrealloc_runs_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    code = F % RUN[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error


@needs_cc
def test_the_older_four_argument_form_is_refused_naming_both(tmp_path: Path) -> None:
    code = F % ("({ u32 *p = kvmalloc(8, GFP_KERNEL), *q; long long r = -1; if (p) { q = kvrealloc(p, 8, 16, "
                "GFP_KERNEL); r = q != NULL; kvfree(q); } r; })")
    assert gcc_value(tmp_path, code) is None  # the headers' kvrealloc() takes three
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'return')}: kvrealloc() with 4 arguments"), out.error
    assert "kvrealloc(p, oldsize, newsize, flags)" in (out.error or "")


def test_past_int_max_it_fails_as_kvmalloc_does() -> None:
    code = F % ("({ u32 *p = kvmalloc(8, GFP_KERNEL), *q; long long r = -1; if (p) { q = kvrealloc(p, 1UL << 32, "
                "GFP_KERNEL); r = q != NULL; kvfree(q ? q : p); } r; })")
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert "kvrealloc() of 4294967296 bytes, more than the kernel ever gives (INT_MAX)" in (out.error or "")
