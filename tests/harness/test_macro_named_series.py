"""A series whose helper's name a macro builds: eval runs it and reports its changes.

A series whose wrapper defines its helper through a name-building macro (``static int SEAMLDR_FN(info)(...)``)
and calls it by the expanded name: eval runs it and reports what a later patch changes in it (models.loader)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from harness.cli import app
from tests.harness.demomatrix import demo_matrix
from tests.harness.seriesgen import MAKEFILE, MAKEFILE_BASE, WRAPPER, with_objects
from tests.mailgen import diff, message, patch_body, write_mbox

CODE = """\
#define SEAMLDR_FN(op) seamldr_##op

static int SEAMLDR_FN(info)(u64 fn, struct tdx_module_args *args)
{
	u64 err = __seamcall(fn, args);

	if (err)
		return RET;
	return 0;
}

int demo_call(u64 fn, struct tdx_module_args *args)
{
	return seamldr_info(fn, args);
}
"""


def test_a_change_inside_a_function_a_macro_names_is_reported(tmp_path: Path) -> None:
    # It was 'not compared: ... seamldr_info() is named there but defined in none of them' for both patches.
    first, second = CODE.replace("RET", "-EIO"), CODE.replace("RET", "-EBUSY")
    makefile = diff(MAKEFILE, MAKEFILE_BASE, with_objects(MAKEFILE_BASE, "seamldr_ops.o"))
    box = write_mbox(tmp_path / "c.mbox", [
        message("[PATCH 1/2] demo: add", "c1@x", patch_body("Add.", makefile + diff(WRAPPER, None, first))),
        message("[PATCH 2/2] demo: change", "c2@x", patch_body("Change.", diff(WRAPPER, first, second)))])
    (tmp_path / "m.toml").write_text(demo_matrix().replace("demo/demo.c", WRAPPER))
    r = CliRunner().invoke(app, ["eval", str(box), "--matrix", str(tmp_path / "m.toml")])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert "v1 02/2: demo: change: demo_call: return -EIO -> -EBUSY" in said, said
    assert "SEAMLDR_FN()" not in said and "defined in none of them" not in said, said
