"""The leaf of a SEAMCALL as RAX lays it out: number in 15:0, version in 23:16, bit 63 for the component."""

from __future__ import annotations

from models.leafabi import leaf_id, leaf_shown, leaf_version, same_leaf

TDH_VP_INIT, SEAMLDR_INFO = 22, 1 << 63


def test_a_version_is_the_same_leaf_and_another_number_or_component_is_not() -> None:
    v1 = TDH_VP_INIT | (1 << 16)  # tdh_vp_init()'s TDH_VP_INIT | (1ULL << TDX_VERSION_SHIFT)
    assert leaf_id(v1) == TDH_VP_INIT and leaf_version(v1) == 1 and leaf_version(TDH_VP_INIT) == 0
    assert same_leaf(v1, TDH_VP_INIT) and same_leaf(SEAMLDR_INFO | (0xFF << 16), SEAMLDR_INFO)
    assert not same_leaf(TDH_VP_INIT + 1, TDH_VP_INIT) and not same_leaf(SEAMLDR_INFO | TDH_VP_INIT, TDH_VP_INIT)


def test_a_leaf_is_shown_by_its_name_and_version_or_exactly() -> None:
    assert leaf_shown(SEAMLDR_INFO, SEAMLDR_INFO, "SEAMLDR_INFO") == "SEAMLDR_INFO"
    assert leaf_shown(SEAMLDR_INFO | (2 << 16), SEAMLDR_INFO, "SEAMLDR_INFO") == "SEAMLDR_INFO v2"
    assert leaf_shown(SEAMLDR_INFO | 1, SEAMLDR_INFO, "SEAMLDR_INFO") == "0x8000000000000001"
    assert leaf_shown(TDH_VP_INIT | (1 << 16), TDH_VP_INIT, "") == "0x10016"  # no name: the value itself
