"""leaf-base with a masked P-SEAMLDR leaf printed by a conversion of no base: never a pass.

leaf-base told by conversions (harness.leafconv): a masked P-SEAMLDR leaf's digits printed by a conversion of no
base ('%s' of a buffer snprintf() wrote the leaf into in hex) beside a decimal one. gcc prints such a loader leaf in
both bases, so the conversions do not tell one: never a pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_leaf_base_by_conversion import MASKED, _gcc_bases, _rules, _split

IN_HEX = f'\t\tchar leaf[24];\n\n\t\tsnprintf(leaf, sizeof(leaf), "%llx", {MASKED});\n'


@pytest.mark.parametrize("p_seamldr", [
    IN_HEX + f'\t\tpr_err("P-SEAMLDR (%s) failed: leaf %llu, 0x%016llx\\n", leaf, {MASKED}, err);\n',
    IN_HEX + f'\t\tpr_err("P-SEAMLDR (%llu) failed: 0x%016llx\\n", {MASKED}, err);\n'
             '\t\tpr_err("P-SEAMLDR leaf %s\\n", leaf);\n',
], ids=["same line", "next line"])
def test_a_leaf_printed_through_a_string_as_well_is_never_passed(tmp_path: Path, p_seamldr: str) -> None:
    # Before: PASS, "P-SEAMLDR decimal by '%llu'": the '%s' printing the same digits was passed over, its argument
    # not one models.leafflow finds reading the leaf.
    printing = _split(p_seamldr)
    module, loader = _gcc_bases(tmp_path, printing)
    assert (module, loader) == ({"decimal"}, {"decimal", "hex"})
    status, note = _rules(tmp_path, printing)["leaf-base-consistent"]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "read the same in decimal and in hex" in note, note
