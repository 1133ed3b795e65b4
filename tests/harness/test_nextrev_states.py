"""v3 and a v4 made from it (tests.harness.nextrev): what eval says of the two states, once per session."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from harness.cli import app
from tests.harness import nextrev

pytestmark = pytest.mark.skipif(not nextrev.available(), reason="../shared/corpus (v3) is absent")


@pytest.fixture(scope="session")
def v3_v4(tmp_path_factory: pytest.TempPathFactory) -> str:
    """eval of v3 and a v4 that drops 05 (its changelog says so with v3's number, unquoted), squashes 06 into 07
    and adds seamcall_prerr_warn() and its caller, seamcall_checked(), as patch 06: made once."""
    tmp = tmp_path_factory.mktemp("nextrev-states")
    (tmp / "work").mkdir()
    plan = nextrev.plan("c", "d")
    plan = replace(plan, changelog=" - Dropped patch 5 (it goes in separately)\n" + plan.changelog.split("\n", 1)[1])
    folder = nextrev.write(tmp / "v4", nextrev.raw(nextrev.build(plan, tmp / "work")))
    res = CliRunner().invoke(app, ["eval", str(nextrev.V3), str(folder)], env={"COLUMNS": "400"})
    assert res.exit_code == 0, res.output
    return res.output


def _across(text: str) -> str:
    return re.split(r"\n(?=\S)", text.split("\nv3 -> v4\n", 1)[1], maxsplit=1)[0]


def test_a_wrapper_only_v4_defines_is_new_in_v4_not_unknown_in_v3(v3_v4: str) -> None:
    """seamcall.h and seamldr.c are created by v3's patches, so known whole in v3: what v4 06/24 adds to them is
    new in v4 (before: 'not compared: seamcall_checked, seamcall_prerr_warn (282 scenarios): v3 does not define
    seamcall_checked(), seamcall_prerr_warn(): none of the files read has them (from mail: ...); give --tree')."""
    block = _across(v3_v4)
    assert "seamcall_checked() is new: v4 06/24 defines it, v3 does not" in block
    assert "seamcall_prerr_warn() is new: v4 06/24 defines it, v3 does not" in block
    assert "v3 does not define seamcall_checked" not in block
    # Under v3's own patches, once (before: '...: give --tree' under v3 01/26, then 'for the reason said under v3
    # 01/26' under each later patch).
    assert v3_v4.count("neither v3:00 nor v3:01 defines seamcall_checked(), seamcall_prerr_warn(); another state of "
                       "the input does, in a file these lack or hold known whole: the names are not in this code") == 1
    assert "seamcall_checked, seamcall_prerr_warn (282 scenarios): for the reason said under v3 01/26" not in v3_v4


def test_v3s_rules_are_not_left_inconclusive_by_v4s_new_wrapper(v3_v4: str) -> None:
    """v3's verdict does not wait on a tree for names v4 found in files v3 holds whole (before: 'inconclusive
    tdx-module-calls-unchanged: ... but some could not run: neither v3:05 nor v3 defines seamcall_checked(), ...;
    give --tree')."""
    verdicts = v3_v4.split("\nPer patch\n", 1)[0]
    assert "defines seamcall_checked(), seamcall_prerr_warn(): none of the files read has them" not in verdicts


def test_an_unquoted_drop_by_number_is_read(v3_v4: str) -> None:
    """'Dropped patch 5' in v4's changelog names v3 05/26 (before: '(nor does v4's cover letter list it)')."""
    assert ("v4 has no patch titled as v3 05/26: coco/tdx-host: Expose TDX Module version (v4's cover letter says it "
            "was dropped)") in _across(v3_v4)
