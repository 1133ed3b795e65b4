"""Kernel functions the mirror leaves out on purpose say why where they are called: read_poll_timeout() and its kin
poll by the clock, kzalloc()/kfree() and their kin are the heap (was 'call to unknown function ...: not defined in
this variant's files', and for __free(kfree) 'no DEFINE_FREE(kfree, ...) in these files', which slab.h has)."""

from __future__ import annotations

import pytest

from tests.models.cprog import run

HEAD = "long long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("body", "says"), [
    ("\tu64 v;\n\n\treturn read_poll_timeout(__seamcall, v, v == 0, 10, 100, false, fn, args);\n",
     "prog.c:5: read_poll_timeout() polls until its condition holds or its time runs out"),
    ("\tu64 *p = kzalloc(8, GFP_KERNEL);\n\n\treturn p != NULL;\n",
     "prog.c:3: kzalloc() allocates or frees heap memory"),
    ("\tu64 *p __free(kfree) = NULL;\n\n\treturn 0;\n",
     "prog.c:3: cleanup class __free(kfree): kfree() allocates or frees heap memory"),
    # the kernel's stop: it was 'call to unknown function panic(): not defined in this variant's files'
    ("\tif (fn == 0)\n\t\tpanic(\"no module %llu\", fn);\n\treturn 0;\n", "prog.c:4: panic() stops the kernel"),
])
def test_a_kernel_function_left_out_on_purpose_says_why(body: str, says: str) -> None:
    out = run(HEAD + body + "}\n")
    assert (out.status, str(out.error_kind), says in (out.error or "")) == ("error", "unsupported", True), out.error


def test_a_variants_own_definition_of_such_a_name_runs() -> None:
    out = run("static void *kzalloc(unsigned long n, int flags) { return NULL; }\n" + HEAD
              + "\treturn kzalloc(8, 0) == NULL;\n}\n")
    assert (out.status, out.ret) == ("ok", 1), out.error
