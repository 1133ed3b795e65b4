"""Reasons said once for several functions speak of them in the plural (harness.coverage.fill_template)."""

from __future__ import annotations

import pytest

from harness.coverage import fill_template, reason_template


@pytest.mark.parametrize(("reason", "want"), [
    # eval on a series whose second caller's file no state before it has: 'seamldr_prerr(), seamldr_shutdown() runs'
    ("seamldr_prerr() runs in arch/x86/virt/vmx/tdx/seamldr.c, which neither v1:00 nor v1:01 has",
     "seamldr_prerr(), seamldr_shutdown() run in arch/x86/virt/vmx/tdx/seamldr.c, which neither v1:00 nor v1:01 has"),
    ("seamldr_prerr() is new in v2 (v2:00 does not provide it): not compared, nothing to compare it with",
     "seamldr_prerr(), seamldr_shutdown() are new in v2 (v2:00 does not provide them): not compared, nothing to "
     "compare them with"),
])
def test_several_functions_in_one_reason(reason: str, want: str) -> None:
    template, name = reason_template(reason)
    assert name == "seamldr_prerr"
    assert fill_template(template, [name, "seamldr_shutdown"]) == want
    assert fill_template(template, [name]) == reason  # one name: the sentence as it was
