"""A file's macro that a kernel header's macro expands (dev_fmt in dev_err) is the one gcc has in force at the call."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import GCC, run

_DEV_ERR = "int f(u64 fn, struct tdx_module_args *args)\n{\n\tdev_err(NULL, \"x %d\\n\", 1);\n\treturn 0;\n}\n"
_DEV_FMT = '#define dev_fmt(fmt) "d: " fmt\n'


_G = _DEV_ERR.replace("int f(", "int g(").replace("x %d", "y %d")
_DEV_CASES = {"above": _DEV_FMT + _DEV_ERR, "between": _DEV_ERR + _DEV_FMT + _G,
              "twice": _DEV_FMT.replace("d: ", "a: ") + _DEV_ERR + "#undef dev_fmt\n" + _DEV_FMT.replace("d: ", "b: ")
              + _G}
_DEV_HEADER = "#include <stdio.h>\n#define NULL ((void *)0)\n#define dev_err(dev, fmt, ...) " \
    "printf(\"(NULL device *): \" dev_fmt(fmt), ##__VA_ARGS__)\n"
_FALLBACK = "#ifndef dev_fmt\n#define dev_fmt(fmt) fmt\n#endif\n"  # include/linux/dev_printk.h, included above


@pytest.mark.parametrize("case", sorted(_DEV_CASES))
def test_a_files_dev_fmt_above_the_call_is_the_one_dev_err_expands_as_gcc(tmp_path: Path, case: str) -> None:
    # Before: refused ("expands dev_fmt, which the variant defines"); f above a dev_fmt defined only below it stays
    # refused (gcc prints it with the fallback; the mirror does not undo it there yet)
    if GCC is None:
        pytest.skip("gcc (the C oracle) is not installed")
    code = _DEV_CASES[case]
    src, exe = tmp_path / "d.c", tmp_path / "d"
    entries = [e for e in ("f", "g") if f"int {e}(" in code]
    calls = "".join(f"\t{e}(0, 0);\n" for e in entries)
    shim = "typedef unsigned long long u64;\nstruct tdx_module_args;\n"
    # the header's fallback first: a later #define of dev_fmt replaces it there (gcc -w: the redefinition warning)
    src.write_text(_DEV_HEADER + shim + _FALLBACK + code + f"int main(void)\n{{\n{calls}\treturn 0;\n}}\n")
    subprocess.run([GCC, "-w", "-o", str(exe), str(src)], check=True, capture_output=True)
    want = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.splitlines()
    outs = {e: run(code, entry=e) for e in entries}
    if case == "between":  # f is above the only #define: refused, naming it; g below it prints as gcc
        assert outs["f"].status == "error" and "defined only below" in (outs["f"].error or ""), outs["f"].error
        assert [x.text for x in outs["g"].log] == want[1:] == ["(NULL device *): d: y 1"]
        return
    assert [x.text for e in entries for x in outs[e].log] == want, [o.error for o in outs.values()]


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
