"""``__counted_by(n)`` on a flexible array member (include/linux/compiler_types.h, 6.5+): parsed, and run as gcc -O2.

Before, the struct was C the mirror did not parse, and every use of it was refused. The attribute changes nothing
gcc -O2 builds (no layout, no code): it gives the bounds sanitizer and FORTIFY the count. The mirror runs it as gcc
-O2 does, an index within the counter's value and the allocation alike; one at or past the counter's value (inside
the allocation: past it is KASAN's report, test_flex_arrays_gcc) is refused, as a kernel built with
CONFIG_UBSAN_BOUNDS by gcc 15+ or clang 18+ reports it and one built otherwise does not (the usual bug: the elements
written before the counter is set). gcc -O2 below the raw prelude is the oracle of the values that run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.models.cprog import PATH, line_of, run
from tests.models.test_prelude_named_functions_gcc import gcc_value, needs_cc

F = "\nlong long f(u64 fn, struct tdx_module_args *args)\n{\n\treturn %s;\n}\n"
CB = "struct fl { u32 n; u32 e[] __counted_by(n); };\n"
ALLOC = "struct fl *p = kzalloc(struct_size(p, e, %d), GFP_KERNEL); long long r = -1; if (p) { %s kfree(p); } r;"

RUN = {
    "within": CB + F % ("({ " + ALLOC % (2, "p->n = 2; p->e[1] = 4; r = p->e[1] + p->n;") + " })"),
    "sizeof": CB + F % "(long long)sizeof(struct fl)",
    "loop": CB + F % ("({ " + ALLOC % (3, "p->n = 3; for (int i = 0; i < p->n; i++) p->e[i] = i + 1; r = 0; "
                                          "for (int i = 0; i < p->n; i++) r = r * 10 + p->e[i];") + " })"),
    "one-past-address": CB + F % ("({ " + ALLOC % (2, "p->n = 2; u32 *end = &p->e[p->n]; r = end - p->e;") + " })"),
    "le": "struct fl { __le32 n; u32 e[] __counted_by_le(n); };\n"
          + F % ("({ " + ALLOC % (2, "p->n = cpu_to_le32(2); p->e[1] = 5; r = p->e[1];") + " })"),
    "typedef": "typedef struct fl { u16 cnt; u64 e[] __counted_by(cnt); } fl_t;\n"
               + F % "({ fl_t *p = kzalloc(struct_size(p, e, 2), GFP_KERNEL); long long r = -1; if (p) { p->cnt = 2; "
                     "p->e[1] = 4; r = p->e[1]; kfree(p); } r; })",
}


@needs_cc
@pytest.mark.parametrize("name", RUN)
def test_a_counted_flexible_array_runs_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    code = RUN[name]
    out = run(code)
    assert (out.status, out.ret) == ("ok", gcc_value(tmp_path, code)), out.error


PAST = {
    "before-the-count": (CB + F % ("({ " + ALLOC % (2, "p->e[0] = 4; p->n = 1; r = p->e[0];") + " })"), 0, 0, "n"),
    "off-by-one": (CB + F % ("({ " + ALLOC % (3, "p->n = 2; p->e[2] = 1; r = 0;") + " })"), 2, 2, "n"),
    "typedef": (RUN["typedef"].replace("p->cnt = 2;", "p->cnt = 1;"), 1, 1, "cnt"),
}


@pytest.mark.parametrize("name", PAST)
def test_an_index_past_the_count_is_refused_naming_the_counter(name: str) -> None:
    code, i, n, counter = PAST[name]
    out = run(code)
    assert (out.status, out.error_kind) == ("error", "unsupported"), (out.status, out.ret, out.error)
    assert (out.error or "").startswith(f"{PATH}:{line_of(code, 'return')}: index {i} of p->e, whose "
                                        f"__counted_by({counter}) is {n}: a kernel built with CONFIG_UBSAN_BOUNDS"), \
        out.error
