"""harness/options.py: options refused before any work."""

from __future__ import annotations

import pytest

from harness.errors import UsageError
from harness.options import check_once

SINGLE = [("--variant",), ("--json",)]
VALUED = ["--variant", "--json", "--rules"]


@pytest.mark.parametrize("args", [
    ["in", "--variant", "v3", "--variant", "v2"],
    ["in", "--variant=v3", "--variant", "v3"],
    ["--json", "a", "in", "--json=b"],
])
def test_a_single_value_option_given_twice_is_refused(args: list[str]) -> None:
    with pytest.raises(UsageError, match="is given twice"):
        check_once(args, SINGLE, VALUED)


@pytest.mark.parametrize("args", [
    ["in", "--variant", "v3", "--json", "r.json"],
    ["in", "--rules", "--variant", "--variant", "v3"],  # the first '--variant' is --rules' value (a file so named)
    ["in", "--variant", "v3", "--", "--variant"],       # past '--' everything is an input
    ["--variant", "v3", "--rules", "a", "--rules", "b"],  # a multiple option: its own check
])
def test_options_given_once_pass(args: list[str]) -> None:
    check_once(args, SINGLE, VALUED)
