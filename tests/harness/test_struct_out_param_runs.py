"""A SEAMCALL helper filling a struct through its pointer runs, and the members it stores are compared by revision.

``int tdx_get_sysinfo(struct tdx_sysinfo_x *si)`` reads fields with TDH.SYS.RD into members of the caller's struct.
Before, the matrix did not feed a struct pointer ('the matrix cannot feed its parameter ...: a struct callers hand
filled in'), so it never ran. Now it is handed an object standing for the caller's (models.outstate): each member it
stores is ``*(parameter 1).member`` in the outcome, one read before it is stored is refused. The tree and the
revisions are git's (tests.harness.kerneltreegen); gcc is the oracle for the values
(tests/models/test_out_caller_object_gcc.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.harness.kerneltreegen import DIR, Built, Commit, build, revisions_on, tree_file

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git to build the tree and the mail")
TDX = f"{DIR}/tdx.c"
# v2 keeps the register that still holds the field id it passed in (rdx) as the minor version; v3 the one TDH.SYS.RD
# answers in (r8); v4 also reads the minor version before it stores it (an in/out use the mirror refuses).
_INFO = """
#define TDH_SYS_RD_X\t\t34

struct tdx_sysinfo_x {
	u16 major;
	u16 minor;
	u64 attributes;
};

static int read_field(u64 id, u64 *val)
{
	struct tdx_module_args args = { .rdx = id };
	u64 ret = sc_retry(__seamcall_ret, TDH_SYS_RD_X, &args);

	if (ret)
		return -EIO;
	*val = args.REG;
	return 0;
}

int tdx_get_sysinfo(struct tdx_sysinfo_x *si)
{
	u64 v;
	int ret = read_field(0x0800000100000003ULL, &v);

	if (ret)
		return ret;
	READ_FIRSTsi->minor = v;
	si->major = 1;
	return read_field(0x0A00000300000000ULL, &si->attributes);
}
"""


def _with_info(reg: str, read_first: bool = False) -> dict[str, str | None]:
    text = _INFO.replace("REG", reg).replace("READ_FIRST", "if (si->minor)\n\t\treturn -EEXIST;\n\t"
                                             if read_first else "")
    return {TDX: tree_file(TDX) + text}


def _series(built: Built, where: Path) -> dict[int, Path]:
    add = "x86/virt/tdx: Read the module's version and attributes"
    revs: dict[int, list[Commit]] = {
        2: [(add, "Read them.", _with_info("rdx"))],
        3: [(add, "Read them from the register the module answers in.", _with_info("r8"))],
        4: [(add, "Refuse to read them twice.", _with_info("r8", read_first=True))],
    }
    return revisions_on(built, where, revs, "x86/virt/tdx: read the module's version")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory: pytest.TempPathFactory) -> str:
    from typer.testing import CliRunner

    from harness.cli import app

    tmp = tmp_path_factory.mktemp("structout")
    built = build(tmp / "kernel")
    out = _series(built, tmp / "series")
    r = CliRunner().invoke(app, ["eval", *(str(out[v]) for v in (2, 3, 4)), "--tree", str(built.tree)])
    assert r.exit_code == 0, r.stdout + r.stderr
    return " ".join(r.stdout.split())


def test_the_helper_runs_and_a_changed_member_is_a_behaviour_change(evaluated: str) -> None:
    assert "cannot feed its parameter 'struct tdx_sysinfo_x *si'" not in evaluated, evaluated
    between = evaluated.split("v2 -> v3")[1].split("v3 -> v4")[0]
    # v2 stored the field id's low 16 bits (3), v3 the answer's register, which the scripts leave 0
    assert "value stored through the pointer *(parameter 1).minor 3 -> not stored" not in between, between
    assert "*(parameter 1).minor 3 -> 0" in between, between


def test_a_member_read_before_it_is_stored_is_refused_naming_the_parameter(evaluated: str) -> None:
    between = evaluated.split("v3 -> v4")[1]
    assert "*(parameter 1) is read before the code stores it: an in/out parameter" in between, between
