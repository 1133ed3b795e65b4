"""A changed helper that reaches no SEAMCALL but stores through ``u64 *v`` is compared through the callers that do.

``static int read_cfg(u64 *v)`` stores a value its caller then passes in a SEAMCALL's register. Round 69 fed
out-parameters only to functions reaching a SEAMCALL (e54ac995: a changed inline-asm helper that nothing can run made
a rule inconclusive), so read_cfg() is no entry point of its own: a revision storing another value must show in the
caller's outcome, the SEAMCALL's registers, which it does, and read_cfg() is said compared through its caller, never
left unsaid. The tree and the revisions are git's (tests.harness.kerneltreegen).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.kerneltreegen import DIR, Built, Commit, build, revisions_on, tree_file

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to build the tree and the mail")
TDX = f"{DIR}/tdx.c"
_CFG = """
#define TDH_SYS_CONFIG_X\t45

static int read_cfg(u64 *v)
{
	*v = VALUE;
	return 0;
}

int tdx_config_module(void)
{
	struct tdx_module_args args = {};
	u64 cfg;
	int ret = read_cfg(&cfg);

	if (ret)
		return ret;
	args.rcx = cfg;
	return sc_retry(__seamcall, TDH_SYS_CONFIG_X, &args) ? -EIO : 0;
}
"""


def _with_cfg(value: str) -> dict[str, str | None]:
    return {TDX: tree_file(TDX) + _CFG.replace("VALUE", value)}


def _series(built: Built, where: Path) -> dict[int, Path]:
    add = "x86/virt/tdx: Configure the module"
    revs: dict[int, list[Commit]] = {
        2: [(add, "Configure the module with its first value.", _with_cfg("0x30"))],
        3: [(add, "Configure the module with the value the spec says.", _with_cfg("0x31"))],
    }
    return revisions_on(built, where, revs, "x86/virt/tdx: configure the module")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    from harness.cli import app

    tmp = tmp_path_factory.mktemp("outcallers")
    built = build(tmp / "kernel")
    out = _series(built, tmp / "series")
    r = CliRunner().invoke(app, ["eval", *(str(out[v]) for v in (2, 3)), "--tree", str(built.tree)])
    assert r.exit_code == 0, r.stdout + r.stderr
    return " ".join(r.stdout.split())


def test_a_changed_stored_value_shows_in_the_callers_seamcall(evaluated: str) -> None:
    between = evaluated.split("v2 -> v3")[1]
    assert "tdx_config_module" in between and "rcx=0x30" in between and "rcx=0x31" in between, between



_DEFAULT = ("\nint tdx_cfg_default(u64 *v)\n{\n\t/*\n\t * The value the module takes when none is configured:\n"
            "\t * VALUE_SAID\n\t */\n\t*v = VALUE;\n\treturn 0;\n}\n")


@pytest.fixture(scope="module")
def unreached(tmp_path_factory: pytest.TempPathFactory) -> str:
    """v2 -> v3 changes only the value tdx_cfg_default() stores (no entry point reaches it), v3 -> v4 only its
    comment's line that starts with '*'."""
    from typer.testing import CliRunner

    from harness.cli import app

    tmp = tmp_path_factory.mktemp("outunreached")
    built = build(tmp / "kernel")
    add = "x86/virt/tdx: Add the module's default configuration"

    def rev(value: str, said: str) -> list[Commit]:
        text = _CFG.replace("VALUE", "0x30") + _DEFAULT.replace("VALUE_SAID", said).replace("VALUE", value)
        return [(add, "Add it.", {TDX: tree_file(TDX) + text})]

    out = revisions_on(built, tmp / "series", {2: rev("0x40", "0x40"), 3: rev("0x41", "0x40"),
                                               4: rev("0x41", "0x41")}, "x86/virt/tdx: default configuration")
    r = CliRunner().invoke(app, ["eval", *(str(out[v]) for v in (2, 3, 4)), "--tree", str(built.tree)])
    assert r.exit_code == 0, r.stdout + r.stderr
    return " ".join(r.stdout.split())


def test_a_changed_store_through_a_pointer_no_entry_reaches_is_said_not_compared(unreached: str) -> None:
    # before: 'v2 -> v3 no behaviour change ...': the line '*v = 0x41;' was read as a block comment's ' * text' line
    between = unreached.split("Revisions and proposals")[1].split("v2 -> v3")[1].split("v3 -> v4")[0]
    assert "not compared: tdx_cfg_default()" in between, between


def test_a_changed_comment_line_starting_with_a_star_is_no_change(unreached: str) -> None:
    between = unreached.split("Revisions and proposals")[1].split("v3 -> v4")[1]
    assert "tdx_cfg_default" not in between, between
