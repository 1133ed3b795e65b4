"""harness.regressions and harness.language: a failure said mended here or gone on revert; C's short names as code."""

from __future__ import annotations


def test_a_failure_said_mended_here_is_no_report() -> None:
    from harness.droprequest import request_in
    from harness.regressions import regression

    mended = ["The build breakage in v1 is fixed here.", "The boot hang from v2 is gone now.",
              "The build failure I reported is resolved in this one."]
    assert [s for s in mended if regression(s, request_in) is not None] == []
    broken = ["The build breakage in v1 is fixed here, but v3 breaks the arm64 build.",
              "The build breakage in v1 is still there."]
    assert [s for s in broken if regression(s, request_in) is None] == []


def test_cs_short_names_are_code_not_another_language() -> None:
    from harness.language import unread_language

    # Each unread before (Danish's "ret", Slovak's "len"): the reply blocked as "1 input not read".
    code = ["len", "ret", "Fine, ret is set on every path.", "Thanks, len is checked by the caller now.",
            "idx and cnt look right now."]
    assert [s for s in code if unread_language(s) is not None] == []
    foreign = ["Det var bra.", "Det er ret godt.", "Nej, det er ikke ret.", "To je len tak."]
    assert [s for s in foreign if unread_language(s) is None] == []


def test_a_failure_gone_once_the_patch_is_reverted_is_a_report() -> None:
    from harness.droprequest import request_in
    from harness.regressions import regression

    # Each read as nothing before (READY): the revert told after the failure.
    reports = ["The splat is not unrelated, it goes away when I revert this patch.",
               "The hang disappears once we revert 2/3."]
    assert [s for s in reports if regression(s, request_in) is None] == []
    none = ["It goes away when I revert the firmware update.", "Does it go away when I revert this patch?",
            "If the splat goes away when I revert this patch, it is yours."]
    assert [s for s in none if regression(s, request_in) is not None] == []
