"""through_prelude: a file's macro that a kernel header's macro expands is refused, never run with the prelude's."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import GCC, run

_DEV_ERR = "int f(u64 fn, struct tdx_module_args *args)\n{\n\tdev_err(NULL, \"x %d\\n\", 1);\n\treturn 0;\n}\n"
_DEV_FMT = '#define dev_fmt(fmt) "d: " fmt\n'


@pytest.mark.parametrize("code", [_DEV_FMT + _DEV_ERR, _DEV_ERR + _DEV_FMT])
def test_a_files_dev_fmt_is_refused_where_dev_err_expands_it(code: str) -> None:
    out = run(code)
    assert out.status == "error" and "expands dev_fmt, which the variant defines" in (out.error or ""), out.error


def test_without_a_dev_fmt_of_its_own_dev_err_runs() -> None:
    out = run(_DEV_ERR)
    assert out.status == "ok" and [x.text for x in out.log] == ["(NULL device *): x 1"]


def test_gcc_expands_the_files_dev_fmt_inside_dev_err(tmp_path: Path) -> None:
    # What the prelude alone would print ("(NULL device *): x 1") is not what gcc prints with the file's dev_fmt
    # above (include/linux/dev_printk.h: '#ifndef dev_fmt', and dev_err() expands dev_fmt(fmt) at the call).
    if GCC is None:
        pytest.skip("gcc (the C oracle) is not installed")
    header = "#include <stdio.h>\n#ifndef dev_fmt\n#define dev_fmt(fmt) fmt\n#endif\n" \
             "#define dev_err(dev, fmt, ...) printf(\"(NULL device *): \" dev_fmt(fmt), ##__VA_ARGS__)\n"
    src, exe = tmp_path / "d.c", tmp_path / "d"
    src.write_text(_DEV_FMT + header + "int main(void)\n{\n\tdev_err(0, \"x %d\\n\", 1);\n\treturn 0;\n}\n")
    subprocess.run([GCC, "-o", str(exe), str(src)], check=True, capture_output=True)
    assert subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout == "(NULL device *): d: x 1\n"
