"""leaf-base where the printer's leaf parameter (a local copy, a helper's return, a member) has a typedef'd type.

``typedef u64 seam_leaf_t; static void sc_log(seam_leaf_t leaf, u64 err)``: gcc converts the leaf to the typedef's
type, which keeps it whole; the rule read any type spelt otherwise than an integer type's keywords or the kernel's
names as narrowing it (models.leafitself.holds_low), and said the masked leaf could not be told for the leaf. So
for a local copy, a helper giving the leaf back and a struct member of such a type (models.leafsources).
Checked against gcc's build of the same printer at a P-SEAMLDR leaf of 0x8000000000000021."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_leaf_base_by_conversion import MASKED, _gcc_bases, _rules, _split
from tests.harness.test_leaf_itself_shapes import DESIGNATED, _helper, _struct


def _printer(typedefs: str, param: str) -> str:
    return (f"{typedefs}static void sc_log({param} leaf, u64 err)\n{{\n"
            '\tpr_err("P-SEAMLDR (%llu) failed: 0x%016llx\\n", (u64)leaf, err);\n}\n\n')


CALL = f"\t\tsc_log({MASKED}, err);\n"
TYPEDEF = "typedef u64 seam_leaf_t;\n\n"
HELPER = _helper("seam_leaf_t", "seam_leaf_t", "return fn;")
MEMBER = _struct("\tseam_leaf_t leaf;\n\tu64 err;\n", DESIGNATED)
COPIED = f"\t\tseam_leaf_t leaf = {MASKED};\n\n" + \
    '\t\tpr_err("P-SEAMLDR (%llu) failed: 0x%016llx\\n", (u64)leaf, err);\n'


@pytest.mark.parametrize(("name", "before", "p_seamldr", "want"), [
    ("u64 typedef", _printer("typedef u64 seam_leaf_t;\n\n", "seam_leaf_t"), CALL, VerdictStatus.PASS),
    ("unsigned int typedef", _printer("typedef unsigned int seam_leaf_t;\n\n", "seam_leaf_t"), CALL,
     VerdictStatus.PASS),
    ("typedef of a typedef", _printer("typedef u64 seam_wide_t;\ntypedef seam_wide_t seam_leaf_t;\n\n", "seam_leaf_t"),
     CALL, VerdictStatus.PASS),
    ("const u64 typedef", _printer("typedef const u64 seam_leaf_t;\n\n", "seam_leaf_t"), CALL, VerdictStatus.PASS),
    ("local copy of a u64 typedef", "typedef u64 seam_leaf_t;\n\n", COPIED, VerdictStatus.PASS),
    ("helper of a u64 typedef", TYPEDEF + HELPER[0], HELPER[1], VerdictStatus.PASS),
    ("member of a u64 typedef", TYPEDEF + MEMBER[0], MEMBER[1], VerdictStatus.PASS),
    # Near misses: a typedef that narrows (gcc prints a P-SEAMLDR leaf of 0x21 as 1 through the bool, 33 through the
    # u8, and 0x121 as 33 too), a local copy in one.
    ("bool typedef", _printer("typedef bool seam_leaf_t;\n\n", "seam_leaf_t"), CALL, VerdictStatus.INCONCLUSIVE),
    ("u8 typedef", _printer("typedef u8 seam_leaf_t;\n\n", "seam_leaf_t"), CALL, VerdictStatus.INCONCLUSIVE),
    ("u8 typedef of a typedef", _printer("typedef u8 seam_wide_t;\ntypedef seam_wide_t seam_leaf_t;\n\n",
                                         "seam_leaf_t"), CALL, VerdictStatus.INCONCLUSIVE),
    ("local copy of a bool typedef", "typedef bool seam_leaf_t;\n\n", COPIED, VerdictStatus.INCONCLUSIVE),
    ("helper of a bool typedef", TYPEDEF.replace("u64", "bool") + HELPER[0], HELPER[1], VerdictStatus.INCONCLUSIVE),
    ("member of a u8 typedef", TYPEDEF.replace("u64", "u8") + MEMBER[0], MEMBER[1], VerdictStatus.INCONCLUSIVE),
], ids=lambda x: x if isinstance(x, str) and "\n" not in x else "")
def test_a_leaf_parameter_of_a_typedef_of_the_file_is_read_through_it(tmp_path: Path, name: str, before: str,
                                                                     p_seamldr: str, want: VerdictStatus) -> None:
    # Before: INCONCLUSIVE for the kept ones ("digits that read the same in decimal and in hex"): a parameter type
    # named by a typedef of the file was taken to narrow the leaf.
    printing = _split(p_seamldr)
    module, loader = _gcc_bases(tmp_path, printing, before)
    assert module == {"decimal"} and (loader == {"decimal"}) is (want is VerdictStatus.PASS or "u8" in name)
    status, note = _rules(tmp_path, printing, before)["leaf-base-consistent"]
    assert status is want, note
    if want is VerdictStatus.PASS:
        assert "P-SEAMLDR decimal by '%llu' at seamcall_internal.h:" in note, note
    else:
        assert "read the same in decimal and in hex" in note, note
