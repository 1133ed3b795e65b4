"""The prelude a raw unit is built with (models.native.rawprelude), as gcc's preprocessor and parser read it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from models.conditional import config_set
from models.native.rawprelude import raw_prelude
from models.native.rawtu import RAW_CFLAGS, RawUnit

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="needs gcc, the oracle")

_FILE = ('#define pr_fmt(fmt) "demo: " fmt\n#include "prelude.h"\nint demo(int x)\n{\n\tpr_err("bad %d\\n", x);\n'
         "\treturn IS_ENABLED(CONFIG_DEMO) + sizeof(struct tdx_module_args);\n}\nEXPORT_SYMBOL_GPL(demo);\n"
         'MODULE_LICENSE("GPL");\n')


def _gcc(tmp_path: Path, unit: RawUnit, *flags: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "prelude.h").write_text(raw_prelude(unit))
    (tmp_path / "demo.c").write_text(unit.files[0][1])
    return subprocess.run(["gcc", *(f for f in RAW_CFLAGS if f.startswith(("-std", "-D", "-W", "-nostdinc"))),
                           "-I", str(tmp_path), *flags, str(tmp_path / "demo.c")],
                          capture_output=True, text=True, check=False)


def test_gcc_builds_a_file_with_the_prelude_printk_h_s_macros_and_module_declarations(tmp_path: Path) -> None:
    unit = RawUnit(files=(("demo.c", _FILE),), entries=())
    built = _gcc(tmp_path, unit, "-fsyntax-only")
    assert built.returncode == 0, built.stderr
    expanded = _gcc(tmp_path, unit, "-E", "-P").stdout
    # pr_err is printk.h's: the file's pr_fmt at the call, KERN_ERR before it; IS_ENABLED() as the mirror sets it.
    assert 'printk("\\001" "3" "demo: " "bad %d\\n", x)' in expanded.replace("\n", " "), expanded[-600:]
    assert f"return {int(config_set('CONFIG_DEMO'))} + sizeof(struct tdx_module_args)" in expanded
    assert '_Static_assert(1, "EXPORT_SYMBOL_GPL")' in expanded


def test_a_struct_the_file_defines_is_left_to_the_file(tmp_path: Path) -> None:
    # C allows one definition of a tag per unit: with the prelude's too, gcc refuses the file's.
    own = "struct tdx_module_args { unsigned long long rcx; };\n" + _FILE
    unit = RawUnit(files=(("demo.c", own),), entries=())
    assert "struct tdx_module_args {" not in raw_prelude(unit)
    assert "struct tdx_module_args {" in raw_prelude(RawUnit(files=(("demo.c", _FILE),), entries=()))
    built = _gcc(tmp_path, unit, "-fsyntax-only")
    assert built.returncode == 0, built.stderr
