"""The prelude's limits and their types, against gcc's <limits.h> and <stdint.h>.

The prelude's limits (include/vdso/limits.h, include/linux/limits.h) as the mirror prints them, against gcc
printing the C library's own <limits.h> and <stdint.h> values, and their types as the kernel's definitions give."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.models.cprog import run

# Each kernel limit, the conversion that prints it, the C library's name for the same value (glibc defines it
# independently of the prelude: an oracle) and the size of the type the kernel's definition gives it.
LIMITS = (
    ("USHRT_MAX", "%d", "USHRT_MAX", 2), ("SHRT_MAX", "%d", "SHRT_MAX", 2), ("SHRT_MIN", "%d", "SHRT_MIN", 2),
    ("LONG_MIN", "%ld", "LONG_MIN", 8), ("LLONG_MAX", "%lld", "LLONG_MAX", 8), ("LLONG_MIN", "%lld", "LLONG_MIN", 8),
    ("ULLONG_MAX", "%llu", "ULLONG_MAX", 8), ("UINTPTR_MAX", "%lu", "UINTPTR_MAX", 8),
    ("SSIZE_MAX", "%ld", "SSIZE_MAX", 8), ("PHYS_ADDR_MAX", "%llu", "UINT64_MAX", 8),
    ("S8_MAX", "%d", "INT8_MAX", 1), ("S8_MIN", "%d", "INT8_MIN", 1), ("S16_MAX", "%d", "INT16_MAX", 2),
    ("S16_MIN", "%d", "INT16_MIN", 2), ("U32_MIN", "%u", "0U", 4), ("S32_MIN", "%d", "INT32_MIN", 4),
    ("S64_MIN", "%lld", "INT64_MIN", 8),
)
FMT = " ".join(conv for _, conv, _, _ in LIMITS)


def test_limits_print_as_the_c_library_has_them(tmp_path: Path) -> None:
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    names = ", ".join(name for name, _, _, _ in LIMITS)
    out = run(f'int f(u64 fn, struct tdx_module_args *args)\n{{\n\tpr_err("{FMT}\\n", {names});\n\treturn 0;\n}}\n')
    assert out.status == "ok", out.error  # before: unknown identifier 'USHRT_MAX'
    src, exe = tmp_path / "limits.c", tmp_path / "limits"
    libc = ", ".join(name for _, _, name, _ in LIMITS)
    src.write_text("#define _GNU_SOURCE\n#include <limits.h>\n#include <stdint.h>\n#include <stdio.h>\n"
                   f'int main(void)\n{{\n\tprintf("{FMT}", {libc});\n\treturn 0;\n}}\n')
    subprocess.run([gcc, "-std=gnu11", "-o", str(exe), str(src)], check=True, capture_output=True)
    want = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    assert [x.text for x in out.log] == [want]


def test_limits_have_the_kernels_types() -> None:
    # The kernel's casts, read from its headers: S8_MIN is an s8 ((s8)(-S8_MAX - 1)), SHRT_MIN a short, U32_MIN a
    # u32, LONG_MIN a long (-LONG_MAX - 1); glibc's SHRT_MIN and INT8_MIN are ints, so gcc is no oracle here.
    sizes = " + ".join(f"(sizeof({name}) == {size}) * {1 << k}" for k, (name, _, _, size) in enumerate(LIMITS))
    out = run(f"int f(u64 fn, struct tdx_module_args *args)\n{{\n\treturn {sizes};\n}}\n")
    assert out.status == "ok", out.error
    assert out.ret == (1 << len(LIMITS)) - 1
