"""A SEAMCALL helper with an out-parameter runs, and what it stores there is compared between revisions.

``int tdx_read_features(u64 *features)`` reads a field with TDH.SYS.RD and stores the answer through its pointer: the
matrix cannot name what ``u64 *features`` is, so before, it never ran (only an ``untested:`` note) and a revision that
stored another value read as no change. Now it is fed a pointer to a zeroed u64, as its callers pass a zeroed local's
address (docs/matrix.md), and the value left there is part of each run (``*(parameter 1)``). The tree and the
revisions are git's (tests.harness.kerneltreegen); gcc is the oracle for the values (tests/models/test_out_params_gcc).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.kerneltreegen import DIR, Built, Commit, build, revisions_on, tree_file

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to build the tree and the mail")
TDX = f"{DIR}/tdx.c"
# v2 hands back the register that still holds the field id it passed in (rdx); v3 the one TDH.SYS.RD answers in
# (r8), which the scripts leave 0; v4 only renames the function and its parameter.
_READ = """
#define TDH_SYS_RD\t\t34
#define TDX_FEATURES0_ID\t0x0A00000300000008ULL

int tdx_read_features(u64 *features)
{
	struct tdx_module_args args = { .rdx = TDX_FEATURES0_ID };
	u64 ret = sc_retry(__seamcall_ret, TDH_SYS_RD, &args);

	if (ret)
		return -EIO;
	*features = args.REG;
	return 0;
}
"""


def _with_read(reg: str, name: str = "tdx_read_features", param: str = "features") -> dict[str, str | None]:
    text = _READ.replace("REG", reg).replace("tdx_read_features", name).replace("features)", f"{param})") \
        .replace("*features", f"*{param}")
    return {TDX: tree_file(TDX) + text}


def _series(built: Built, where: Path) -> dict[int, Path]:
    add = "x86/virt/tdx: Add a helper to read the module's features"
    revs: dict[int, list[Commit]] = {
        2: [(add, "Read TDX_FEATURES0.", _with_read("rdx"))],
        3: [(add, "Read TDX_FEATURES0 from the register the module answers in.", _with_read("r8"))],
        4: [(add, "Read TDX_FEATURES0 (renamed).", _with_read("r8", "tdx_get_features", "out"))],
    }
    return revisions_on(built, where, revs, "x86/virt/tdx: read TDX_FEATURES0")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    from harness.cli import app

    tmp = tmp_path_factory.mktemp("outparam")
    built = build(tmp / "kernel")
    out = _series(built, tmp / "series")
    r = CliRunner().invoke(app, ["eval", *(str(out[v]) for v in (2, 3, 4)), "--tree", str(built.tree)])
    assert r.exit_code == 0, r.stdout + r.stderr
    return " ".join(r.stdout.split())


def test_the_helper_runs_and_a_changed_stored_value_is_a_behaviour_change(evaluated: str) -> None:
    # before: 'untested: tdx_read_features() ... the matrix cannot feed its parameter 'u64 *features'', and v2 -> v3
    # said nothing of the value handed back
    assert "cannot feed its parameter 'u64 *features'" not in evaluated, evaluated
    between = evaluated.split("v2 -> v3")[1].split("v3 -> v4")[0]
    assert "value stored through the pointer *(parameter 1) " in between, between


def test_a_rename_alone_is_no_behaviour_change(evaluated: str) -> None:
    between = evaluated.split("v3 -> v4")[1]
    assert "no behaviour change" in between, between
    assert "*(parameter 1)" not in between, between
