"""A created .c file built only with a CONFIG_ option that a file built without it calls (harness.linkcallers)."""

from __future__ import annotations

import pytest

from harness.filestate import full_file
from harness.linkcallers import with_callers
from harness.linking import unit_links

HELPERS = "u64 seam_retry(u64 fn)\n{\n\treturn fn;\n}\n\nstatic int seam_local(void)\n{\n\treturn 0;\n}\n"
WRAP = '#include "seam.h"\nstatic inline u64 seam_call(u64 fn)\n{\n\treturn seam_retry(fn);\n}\n'


@pytest.mark.parametrize(("make", "tdx", "said"), [
    ("obj-y += tdx.o\nobj-$(CONFIG_SEAM) += helpers.o\n", "int probe(void) { return seam_retry(1); }\n",
     "x/tdx.c, built without CONFIG_SEAM (x/Makefile:1 names tdx.o), calls seam_retry(): a kernel with it unset does "
     "not link, unless Kconfig sets it wherever x/tdx.c is built"),
    ("obj-y += tdx.o\nobj-$(CONFIG_SEAM) += helpers.o\n",
     '#include "wrap.h"\nint probe(void) { return seam_call(1); }\n', "x/tdx.c, built without CONFIG_SEAM"),
    ("obj-y += a.o\nobj-$(CONFIG_SEAM) += tdx.o helpers.o\n", "int probe(void) { return seam_retry(1); }\n", ""),
    ("obj-y += tdx.o\nobj-$(CONFIG_SEAM) += helpers.o\n", "int probe(void) { return seam_local(); }\n", "")],
    ids=["direct", "through-header", "same-option", "static-only"])
def test_a_caller_built_without_the_option_is_said(make: str, tdx: str, said: str) -> None:
    # Before: 'x/Makefile:2 names helpers.o (CONFIG_SEAM taken as set)' alone, and a pass said nothing of the kernel
    # that, with CONFIG_SEAM unset, builds x/tdx.c without the seam_retry() it calls (an undefined reference).
    state = {p: full_file(p, t, "x") for p, t in {"x/Makefile": make, "x/helpers.c": HELPERS, "x/tdx.c": tdx,
                                                 "x/wrap.h": WRAP}.items()}
    (link,) = with_callers(unit_links(state, {"x/helpers.c"}, set(), None), state, set(), None)
    assert link.why == "x/Makefile:2 names helpers.o (CONFIG_SEAM taken as set)" + (f"; {said}" if said else "") \
        or (said and said in link.why), link.why
