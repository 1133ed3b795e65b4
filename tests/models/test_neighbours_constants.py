"""models.neighbours: a changed condition reading a file-scope const or enumerator for a literal, judged as gcc runs it.

v2's 'Prepare' patch turns sc_retry()'s ``err != TDX_RND_NO_ENTROPY`` into a comparison with a name of file scope
of that value: a ``static const u64``, an enumerator past int (gcc gives it its enum's type, ``unsigned long``), an
int enumerator inside a wider expression. gcc's build of both makes the same SEAMCALLs and prints the same text for
every answer, and the equivalence rules pass (INCONCLUSIVE before: 'a changed condition no run tells apart', the
name read as a second variable). Twins of another value (one more, an ``unsigned int`` that truncates it, a local of
the same name hiding it) never pass, and a ``const volatile`` (C11 6.7.3p7: its value may change unseen) is said."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.seriesgen import RETRY_SAFE
from tests.harness.test_answeralike import _gcc_runs
from tests.harness.test_unseen_retry_shapes import FAIL, NAK, PASS, UNCHANGED, UNSURE, gate

TEST = "err != TDX_RND_NO_ENTROPY"
CONST = "static const {} sc_noent = {};\n\n"
LOCAL = "\tu64 err;\n\tu64 sc_noent = TDX_RND_NO_ENTROPY + (fn & 1);\n"
CASES = {
    # The same value named: INCONCLUSIVE before.
    "const": (CONST.format("u64", "TDX_RND_NO_ENTROPY"), "err != sc_noent", PASS),
    "enumerator past int": ("enum sc_code { SC_NOENT = 0x8000020300000000ULL };\n\n", "err != SC_NOENT", PASS),
    "int enumerator inside": ("enum { SC_DETAIL = 0x203 };\n\n",
                              "err != (0x8000000000000000ULL | (u64)SC_DETAIL << 32)", PASS),
    # Twins: another value (the runs show it), or one that may change unseen (said).
    "const one more": (CONST.format("u64", "TDX_RND_NO_ENTROPY + 1"), "err != sc_noent", FAIL),
    "const truncated": (CONST.format("unsigned int", "TDX_RND_NO_ENTROPY"), "err != sc_noent", FAIL),
    "enumerator one more": ("enum sc_code { SC_NOENT = 0x8000020300000001ULL };\n\n", "err != SC_NOENT", FAIL),
    "hidden by a local": (CONST.format("u64", "TDX_RND_NO_ENTROPY"), "err != sc_noent", FAIL),
    "const volatile": (CONST.format("const volatile u64", "TDX_RND_NO_ENTROPY").replace("const const", "const"),
                       "err != sc_noent", UNSURE),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_named_constant_for_a_literal_is_judged_as_gcc_runs_it(tmp_path: Path, name: str) -> None:
    head, test, want = CASES[name]
    assert TEST in RETRY_SAFE
    after = head + RETRY_SAFE.replace(TEST, test)
    if name == "hidden by a local":
        after = after.replace("\tu64 err;\n", LOCAL)
    assert (_gcc_runs(tmp_path, RETRY_SAFE) == _gcc_runs(tmp_path, after)) is (want is not FAIL), name
    found = gate(tmp_path, RETRY_SAFE, after)
    assert {rule: found[rule][0] for rule in (UNCHANGED, NAK)} == {UNCHANGED: want, NAK: want}, found
    if want is UNSURE:
        assert all("a changed condition no run tells apart" in found[r][1] for r in (UNCHANGED, NAK)), found
