"""Subject tags: versions, numbering, RFC/RESEND, replies."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harness.subject import parse_subject


@pytest.mark.parametrize(
    ("raw", "version", "number", "total", "rfc", "resend", "reply", "title"),
    [
        ("[PATCH v3 06/26] x86/virt/tdx: Prepare", 3, 6, 26, False, False, False, "x86/virt/tdx: Prepare"),
        ("[RFC PATCH 02/20] x86: thing", 1, 2, 20, True, False, False, "x86: thing"),
        ("[PATCH RESEND v2 1/3] a: b", 2, 1, 3, False, True, False, "a: b"),
        ("[PATCH] single", 1, None, None, False, False, False, "single"),
        ("Re: [PATCH v3 06/26] x86/virt/tdx: Prepare", 3, 6, 26, False, False, True, "x86/virt/tdx: Prepare"),
        ("RE: Re: [PATCHv4 3/7] net: x", 4, 3, 7, False, False, True, "net: x"),
        ("[RFC][PATCH v2 0/4] cover", 2, 0, 4, True, False, False, "cover"),
        ("[PATCH net-next v5 12/12] tail", 5, 12, 12, False, False, False, "tail"),
        ("[PATCH 9/3] bad numbering", 1, None, None, False, False, False, "bad numbering"),
        ("Plain subject", 1, None, None, False, False, False, "Plain subject"),
        ("[RFC v2 PATCH 1/2] order", 2, 1, 2, True, False, False, "order"),
    ],
)
def test_subject_forms(raw: str, version: int, number: int | None, total: int | None,
                       rfc: bool, resend: bool, reply: bool, title: str) -> None:
    s = parse_subject(raw)
    assert (s.version, s.number, s.total, s.rfc, s.resend, s.is_reply, s.title) == (
        version, number, total, rfc, resend, reply, title)


def test_patch_flag() -> None:
    assert parse_subject("[PATCH v2 1/2] x").is_patch
    assert parse_subject("[RFC 1/2] x").is_patch
    assert not parse_subject("[GIT PULL] x").is_patch


def test_thousand_tags_is_linear_and_sane() -> None:
    s = parse_subject("[" + " ".join(["TAG"] * 1000) + " v7 3/9] title")
    assert (s.version, s.number, s.total, s.title) == (7, 3, 9, "title")


@given(st.text(max_size=200))
def test_any_subject_parses(raw: str) -> None:
    s = parse_subject(raw)
    assert s.version >= 0
    assert (s.number is None) == (s.total is None)
    if s.number is not None and s.total is not None:
        assert 0 <= s.number <= s.total


@given(st.integers(1, 99), st.integers(0, 999), st.integers(1, 999), st.booleans())
def test_generated_tags_round_trip(version: int, number: int, total: int, rfc: bool) -> None:
    raw = f"[{'RFC ' if rfc else ''}PATCH v{version} {number}/{total}] t"
    s = parse_subject(raw)
    assert s.version == version and s.rfc == rfc
    if number <= total:
        assert (s.number, s.total) == (number, total)
    else:
        assert s.number is None


@pytest.mark.parametrize(("raw", "reply"), [
    ("[PATCH v3 06/26 fixup] x86/virt: fix it", True),  # an addendum to 06/26, never 06/26 itself
    ("[PATCH v3 06/26] [fixup!] x86/virt: fix it", True),
    ("[PATCH net-next v3 06/26] x86/virt: fix it", False),  # a tree name is not an addendum
    ("[PATCH v3 fixup] x86/virt: fix it", False),  # no number: nothing it could be an addendum to
])
def test_an_addendum_to_a_patch_is_a_reply_to_it(raw: str, reply: bool) -> None:
    s = parse_subject(raw)
    assert s.is_reply is reply and s.number == 6 if reply else s.is_reply is reply
