"""A retry counter kept in a member of a local struct, against gcc's build of both loops.

``struct { int left; } st = { RDRAND_RETRY_LOOPS };`` counted down by ``!--st.left`` is v2:01's ``int left`` under
``!--left`` (models.structlocals: the member a name of its own in the count, harness.countedalike: named nowhere but
in the test): gcc makes the same SEAMCALLs and returns the same for 0 to 400 'no entropy' answers then success,
another error or the next code; so does a struct declared by a tag defined above (its members looked up at file
scope), a member of a member (``!--st.r.left``) and a pointer set to the struct (``!--p->left``). The twins with one
more try, or a member C zero-fills, fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_counter_types import DECL, FAIL, INCONCLUSIVE, PASS, judged_as_gcc_counts

TEST = "!--left"
TAG = "struct sc_left { int left; };\n\n"
NESTED = "struct { struct { int left; } r; } st = { { RDRAND_RETRY_LOOPS } };"
POINTED = "struct { int left; } st = { RDRAND_RETRY_LOOPS }, *p = &st;"
RETURN = "\treturn err;\n}"


def _member(decl: str, test: str = "!--st.left", before: str = "") -> str:
    """RETRY_SAFE with its counter declared by ``decl`` and tested by ``test``, ``before`` above the function."""
    assert DECL in RETRY_SAFE and RETRY_SAFE.count(TEST) == 1
    return RETRY_SAFE.replace(DECL, f"\t{decl}\n").replace(TEST, test).replace(
        "static __always_inline u64 sc_retry(", before + "static __always_inline u64 sc_retry(")


CASES = {
    # INCONCLUSIVE before ('a changed condition no run tells apart: ... '!--st.left'; the count: 'st.left' is not read).
    "by position": (_member("struct { int left; } st = { RDRAND_RETRY_LOOPS };"), PASS),
    "designated, another member zero": (_member("struct { int tries; int left; } st = { .left = RDRAND_RETRY_LOOPS };"),
                                        PASS),
    "second by position": (_member("struct { int tries; int left; } st = { 0, RDRAND_RETRY_LOOPS };"), PASS),
    "u8 member of 266 (gcc keeps 10)": (_member("struct { u8 left; } st = { 266 };"), PASS),
    # Twins the runs show apart.
    "one more try": (_member("struct { int left; } st = { RDRAND_RETRY_LOOPS + 1 };"), FAIL),
    "designated, one more try": (_member("struct { int tries; int left; } st = { .left = 11 };"), FAIL),
    "u8 member of 267": (_member("struct { u8 left; } st = { 267 };"), FAIL),
    # INCONCLUSIVE before (round 56's near misses): the tag defined above (its members looked up at file scope), a
    # member of a member (its own braced list), a local pointer set to the struct where declared.
    "tag defined above": (_member("struct sc_left st = { RDRAND_RETRY_LOOPS };", before=TAG), PASS),
    "u8 member of a tag above, 266": (_member("struct sc_left st = { 266 };", before=TAG.replace("int", "u8")), PASS),
    "nested member": (_member(NESTED, "!--st.r.left"), PASS),
    "nested, designated": (_member("struct { int tries; struct { int left; } r; } st = { .r = { .left = 10 } };",
                                   "!--st.r.left"), PASS),
    "pointer to it": (_member(POINTED, "!--p->left"), PASS),
    "pointer to a tag above": (_member("struct sc_left st = { RDRAND_RETRY_LOOPS }, *p = &st;", "!--p->left",
                                       before=TAG), PASS),
    # Twins the runs show apart.
    "tag above, one more try": (_member("struct sc_left st = { RDRAND_RETRY_LOOPS + 1 };", before=TAG), FAIL),
    "u8 member of a tag above, 267": (_member("struct sc_left st = { 267 };", before=TAG.replace("int", "u8")), FAIL),
    "nested, one more try": (_member(NESTED.replace("LOOPS }", "LOOPS + 1 }"), "!--st.r.left"), FAIL),
    "pointer, one more try": (_member(POINTED.replace("LOOPS }", "LOOPS + 1 }"), "!--p->left"), FAIL),
    # Near misses gcc counts alike, not read: another member read after the loop, the struct's address taken, a tag
    # the function defines itself (the file's not looked up), a nested member's value without its braces (C11
    # 6.7.9p20's elision), the struct named besides the pointer.
    "another member read after": (_member("struct { int tries; int left; } st = { 0, RDRAND_RETRY_LOOPS };").replace(
        RETURN, "\treturn st.tries ? err : err;\n}"), INCONCLUSIVE),
    "address taken": (_member("struct { int left; } st = { RDRAND_RETRY_LOOPS };").replace(
        RETURN, "\treturn &st ? err : err;\n}"), INCONCLUSIVE),
    "tag defined in the function": (_member("struct sc_left { u8 left; };\n\tstruct sc_left st = { 266 };",
                                            before=TAG), INCONCLUSIVE),
    "nested, braces elided": (_member("struct { struct { int left; } r; } st = { RDRAND_RETRY_LOOPS };",
                                      "!--st.r.left"), INCONCLUSIVE),
    "pointer, the struct read after": (_member(POINTED, "!--p->left").replace(
        RETURN, "\treturn st.left ? err : err;\n}"), INCONCLUSIVE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_counter_in_a_local_struct_counts_as_a_local_does(tmp_path: Path, name: str) -> None:
    loop, want = CASES[name]
    judged_as_gcc_counts(tmp_path, loop, want, name)
