"""harness.refusednumbers: patches the one who applies them declines by number ("Let's skip patch 3.")."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.objections import ObjectionKind
from harness.refusednumbers import declined_numbers
from tests.harness.test_gate_naks import MAE
from tests.harness.test_heldback import _gate, _series


@pytest.mark.parametrize(("words", "numbers"), [
    ("I don't want to take patch 3.", (3,)), ("I'm inclined not to take 3/3.", (3,)),
    ("I'm not keen on taking patches 2 and 3.", (2, 3)), ("I'd rather patch 3 wasn't applied.", (3,)),
    ("I'd prefer to leave patch 3 out.", (3,)), ("Let's leave 2/3 out for now.", (2,)), ("Let's skip patch 3.", (3,)),
    # Before: none ("rather not" was read only before a verb).
    ("Patch 3, I'd rather not.", (3,)), ("Patches 2 and 3 I would rather not take.", (2, 3)),
    ("2/3: I'd rather not apply it for now.", (2,)), ("As for patch 3, I'd rather not.", (3,)),
    # Before: none ("see ... applied" was not a verb of applying).
    ("Patch 3 I'd rather not see applied.", (3,)), ("Patches 2-3, we'd rather not see them merged yet.", (2, 3)),
    ("Patch 3, I would prefer not to.", (3,)),
    # Before: none ("not" and when, with no verb).
    ("2/3 I will not take.", (2,)), ("Patch 2, I won't apply it.", (2,)), ("Patch 2, I cannot take it for now.", (2,)),
    ("Patch 3, not for now.", (3,)), ("2/3: not yet.", (2,)), ("Patches 2 and 3, not in this form, sorry.", (2, 3)),
])
def test_patches_declined_by_number(words: str, numbers: tuple[int, ...]) -> None:
    assert declined_numbers(words) == (numbers, words)


@pytest.mark.parametrize("words", [
    "I don't want to take patch 3, it should go via net.", "Please leave patch 3 out of the backport.",
    "I don't want to take patch 3's comment as is.", "Do you want to take patch 3?", "I'll skip patch 3.",
    "I'd rather patch 3 was applied first.",
    "Patch 3, I'd rather not say.", "Patch 3, I'd rather not see it.",
    "Patch 3, I'd rather not take it, it should go via net.",
    "Patch 3, not 2.", "Patch 3, not bad.", "Patch 3 is not yet applied.", "Is patch 3 needed? Not for now.",
    "Patch 3, not for now, it should go via net.", "Patch 2, I won't take it, it should go via net.",
    "Patch 2 I will not take without an ack.", "Patch 2 I won't review.",
])
def test_what_declines_no_patch_by_number(words: str) -> None:
    assert declined_numbers(words) is None


@pytest.mark.parametrize("words", ["I don't want to take patch 3.\n", "Let's skip 3/3, thanks.\n",
                                   "I'd prefer to leave patch 3 out.\n",
                                   "Patch 3, I'd rather not.\n", "Patch 3 I'd rather not see applied.\n",
                                   "Patch 3, not for now.\n", "3/3: not yet, sorry.\n"])
def test_a_patch_declined_by_number_blocks_a_variant_applying_it(tmp_path: Path, words: str) -> None:
    # Before: v2 READY, exit 0: read as nothing, and the gate passed patch 3.
    mbox, rules = _series(tmp_path, ("a1@example.org", words, MAE))
    g = _gate(mbox, rules, "v2")
    assert g.exit_status == 1 and [(o.kind, o.target) for o in g.objections] == [(ObjectionKind.DROP, "v2 03/3")], \
        g.objections
    assert not _gate(mbox, rules, "v2:02").objections
